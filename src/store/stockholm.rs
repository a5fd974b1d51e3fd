//! Stockholm's units as `init` creates them: the 18 district administrations of 1999-01-01,
//! the successors of the reorganisations of 2007-01-01 (14 districts), 2020-07-01 (13) and
//! 2023-07-01 (11), and the central administrations named in the source documents.
//!
//! Decisions: the 1999 districts start on 1999-01-01; the 24 of 1997 before them are not
//! created (no record here is that old; a coordinator can add them and record the 1999
//! reorganisation). Central administrations carry dates only where a reorganisation ended
//! them; Socialförvaltningen also stands for its predecessor socialtjänstförvaltningen.

use anyhow::Result;
use rusqlite::OptionalExtension;
use rusqlite::Transaction;

use super::units::{UnitInput, insert_unit_tx, set_successor_tx};
use crate::domain::UnitKind;
use crate::domain::problem::Finding;
use crate::domain::problem::check::Lineage;

struct Builtin {
    code: &'static str,
    name: &'static str,
    kind: UnitKind,
    region: Option<&'static str>,
    valid_from: Option<&'static str>,
    valid_to: Option<&'static str>,
    successor: Option<&'static str>,
}

const fn district(
    code: &'static str,
    name: &'static str,
    region: &'static str,
    valid_from: Option<&'static str>,
    valid_to: Option<&'static str>,
    successor: Option<&'static str>,
) -> Builtin {
    Builtin {
        code,
        name,
        kind: UnitKind::District,
        region: Some(region),
        valid_from,
        valid_to,
        successor,
    }
}

const FROM_1999: Option<&str> = Some("1999-01-01");
const UNTIL_2006: Option<&str> = Some("2006-12-31");
const FROM_2007: Option<&str> = Some("2007-01-01");
const UNTIL_2020_06: Option<&str> = Some("2020-06-30");
const FROM_2020_07: Option<&str> = Some("2020-07-01");
const UNTIL_2023_06: Option<&str> = Some("2023-06-30");
const FROM_2023_07: Option<&str> = Some("2023-07-01");

const UNITS: &[Builtin] = &[
    // Innerstad
    district(
        "KS",
        "Katarina-Sofia",
        "innerstad",
        FROM_1999,
        UNTIL_2006,
        Some("SOD"),
    ),
    district(
        "MG",
        "Maria-Gamla stan",
        "innerstad",
        FROM_1999,
        UNTIL_2006,
        Some("SOD"),
    ),
    district("SOD", "Södermalm", "innerstad", FROM_2007, None, None),
    district("KH", "Kungsholmen", "innerstad", FROM_1999, None, None),
    district(
        "NM",
        "Norrmalm",
        "innerstad",
        FROM_1999,
        UNTIL_2023_06,
        Some("NI"),
    ),
    district(
        "OM",
        "Östermalm",
        "innerstad",
        FROM_1999,
        UNTIL_2023_06,
        Some("NI"),
    ),
    district(
        "NI",
        "Norra innerstaden",
        "innerstad",
        FROM_2023_07,
        None,
        None,
    ),
    // Söderort
    district(
        "EA",
        "Enskede-Årsta",
        "söderort",
        FROM_1999,
        UNTIL_2006,
        Some("EAV"),
    ),
    district(
        "VA",
        "Vantör",
        "söderort",
        FROM_1999,
        UNTIL_2006,
        Some("EAV"),
    ),
    district(
        "EAV",
        "Enskede-Årsta-Vantör",
        "söderort",
        FROM_2007,
        None,
        None,
    ),
    district("FA", "Farsta", "söderort", FROM_1999, None, None),
    district("SN", "Skarpnäck", "söderort", FROM_1999, None, None),
    district(
        "HA",
        "Hägersten",
        "söderort",
        FROM_1999,
        UNTIL_2006,
        Some("HL"),
    ),
    district(
        "LH",
        "Liljeholmen",
        "söderort",
        FROM_1999,
        UNTIL_2006,
        Some("HL"),
    ),
    district(
        "HL",
        "Hägersten-Liljeholmen",
        "söderort",
        FROM_2007,
        UNTIL_2020_06,
        Some("HAE"),
    ),
    district(
        "AL",
        "Älvsjö",
        "söderort",
        FROM_1999,
        UNTIL_2020_06,
        Some("HAE"),
    ),
    district(
        "HAE",
        "Hägersten-Älvsjö",
        "söderort",
        FROM_2020_07,
        None,
        None,
    ),
    district("SH", "Skärholmen", "söderort", FROM_1999, None, None),
    // Västerort
    district(
        "RI",
        "Rinkeby",
        "västerort",
        FROM_1999,
        UNTIL_2006,
        Some("RK"),
    ),
    district(
        "KI",
        "Kista",
        "västerort",
        FROM_1999,
        UNTIL_2006,
        Some("RK"),
    ),
    district(
        "RK",
        "Rinkeby-Kista",
        "västerort",
        FROM_2007,
        UNTIL_2023_06,
        Some("JÄ"),
    ),
    district(
        "ST",
        "Spånga-Tensta",
        "västerort",
        FROM_1999,
        UNTIL_2023_06,
        Some("JÄ"),
    ),
    district("JÄ", "Järva", "västerort", FROM_2023_07, None, None),
    district(
        "HV",
        "Hässelby-Vällingby",
        "västerort",
        FROM_1999,
        None,
        None,
    ),
    district("BR", "Bromma", "västerort", FROM_1999, None, None),
    // Central administrations
    Builtin {
        code: "SOF",
        name: "Socialförvaltningen",
        kind: UnitKind::Central,
        region: None,
        valid_from: None,
        valid_to: None,
        successor: None,
    },
    Builtin {
        code: "INF",
        name: "Integrationsförvaltningen",
        kind: UnitKind::Central,
        region: None,
        valid_from: None,
        valid_to: Some("2007-12-31"),
        successor: None,
    },
    Builtin {
        code: "UTB",
        name: "Utbildningsförvaltningen",
        kind: UnitKind::Central,
        region: None,
        valid_from: None,
        valid_to: None,
        successor: None,
    },
];

/// A built-in unit as the store takes it (its successor is set once all exist).
fn input(u: &Builtin) -> UnitInput {
    let date = |s: Option<&str>| s.and_then(|s| s.parse().ok());
    UnitInput {
        code: u.code.into(),
        name: u.name.into(),
        kind: u.kind,
        region: u.region.map(Into::into),
        valid_from: date(u.valid_from),
        valid_to: date(u.valid_to),
        successor: None,
        ..UnitInput::default()
    }
}

pub(super) fn insert_units(tx: &Transaction, by: &str) -> Result<()> {
    for u in UNITS {
        insert_unit_tx(tx, &input(u), by)?;
    }
    for u in UNITS {
        if let Some(successor) = u.successor {
            set_successor_tx(tx, u.code, Some(successor))?;
        }
    }
    Ok(())
}

/// Brings a database made by an earlier spridning up to the facts (migration 4): the 2020
/// reorganisation took effect on 2020-07-01, not 2020-01-01, and the 2023 one (Järva, Norra
/// innerstaden) is added where it is missing. Only those rows change; a database without
/// Stockholm's units is left alone. Earlier successor links become lineage rows.
///
/// Returns, in words, each correction it could not make (a code or name already taken, a
/// district closed or renamed by hand): the upgrade says them once, and `check` goes on
/// reporting what is still missing (`unapplied`).
pub(super) fn correct_reorganisations(tx: &Transaction) -> Result<Vec<String>> {
    let mut notes = Vec::new();
    tx.execute(
        "UPDATE unit SET valid_to = '2020-06-30'
         WHERE code IN ('HL', 'AL') AND valid_to = '2019-12-31'
           AND successor_id = (SELECT id FROM unit WHERE code = 'HAE')",
        [],
    )?;
    tx.execute(
        "UPDATE unit SET valid_from = '2020-07-01' WHERE code = 'HAE' AND valid_from = '2020-01-01'",
        [],
    )?;
    for new in UNITS.iter().filter(|u| u.valid_from == FROM_2023_07) {
        let predecessors: Vec<&Builtin> = UNITS
            .iter()
            .filter(|u| u.successor == Some(new.code))
            .collect();
        let open = |code: &str| -> Result<bool> {
            Ok(tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM unit WHERE code = ?1 AND valid_to IS NULL)",
                [code],
                |r| r.get(0),
            )?)
        };
        let exists = |code: &str| -> Result<bool> {
            Ok(tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM unit WHERE code = ?1)",
                [code],
                |r| r.get(0),
            )?)
        };
        // A database without these districts is not Stockholm's: nothing to correct.
        if !predecessors.iter().all(|p| exists(p.code).unwrap_or(false)) {
            continue;
        }
        let taken: Option<(String, String)> = tx
            .query_row(
                "SELECT code, name FROM unit WHERE code = ?1 OR name = ?2 LIMIT 1",
                [new.code, new.name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let codes: Vec<&str> = predecessors.iter().map(|p| p.code).collect();
        let not_recorded = format!(
            "Stockholm's reorganisation of 2023-07-01 ({} into {} {}) was not recorded",
            codes.join(", "),
            new.code,
            new.name
        );
        if let Some((code, name)) = taken {
            if code != new.code || name != new.name {
                notes.push(format!(
                    "{not_recorded}: the code or name is already used by {code} ({name})"
                ));
            }
            continue;
        }
        if let Some(closed) = predecessors.iter().find(|p| !open(p.code).unwrap_or(false)) {
            notes.push(format!("{not_recorded}: {} is already closed", closed.code));
            continue;
        }
        insert_unit_tx(tx, &input(new), "migration")?;
        for p in &predecessors {
            tx.execute(
                "UPDATE unit SET valid_to = ?2 WHERE code = ?1",
                [p.code, UNTIL_2023_06.unwrap_or_default()],
            )?;
            set_successor_tx(tx, p.code, Some(new.code))?;
        }
    }
    tx.execute(
        "INSERT OR IGNORE INTO unit_lineage (predecessor_id, successor_id, effective)
         SELECT u.id, u.successor_id, date(u.valid_to, '+1 day') FROM unit u
         WHERE u.valid_to IS NOT NULL
           AND EXISTS (SELECT 1 FROM unit s WHERE s.id = u.successor_id AND s.id <> u.id)",
        [],
    )?;
    Ok(notes)
}

/// Stockholm's reorganisations that a database with Stockholm's districts does not record:
/// a district that should have ended is still open and nobody took over from it (what an
/// upgrade could not correct, until a coordinator records it).
pub(super) fn unapplied(conn: &rusqlite::Connection) -> Result<Vec<Finding>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT u.valid_to IS NULL
                AND NOT EXISTS (SELECT 1 FROM unit_lineage l WHERE l.predecessor_id = u.id)
         FROM unit u WHERE u.code = ?1",
    )?;
    for new in UNITS.iter().filter(|u| u.valid_from == FROM_2023_07) {
        let mut open = Vec::new();
        let mut all_there = true;
        for p in UNITS.iter().filter(|u| u.successor == Some(new.code)) {
            match stmt
                .query_row([p.code], |r| r.get::<_, bool>(0))
                .optional()?
            {
                None => all_there = false,
                Some(true) => open.push(p.code),
                Some(false) => {}
            }
        }
        if all_there && !open.is_empty() {
            problems.push(Finding::Lineage(Lineage::NotReorganised {
                open: open.iter().map(|c| c.to_string()).collect(),
                code: new.code.to_string(),
                name: new.name.to_string(),
            }));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn valid_on(u: &Builtin, day: &str) -> bool {
        let d: NaiveDate = day.parse().unwrap();
        let from = u.valid_from.map(|s| s.parse::<NaiveDate>().unwrap());
        let to = u.valid_to.map(|s| s.parse::<NaiveDate>().unwrap());
        u.kind == UnitKind::District && from.is_none_or(|f| f <= d) && to.is_none_or(|t| d <= t)
    }

    #[test]
    fn stockholm_had_18_then_14_then_13_then_11_districts() {
        let count = |day| UNITS.iter().filter(|u| valid_on(u, day)).count();
        assert_eq!(count("1998-12-31"), 0);
        assert_eq!(count("1999-01-01"), 18);
        assert_eq!(count("2006-12-31"), 18);
        assert_eq!(count("2007-01-01"), 14);
        assert_eq!(count("2020-06-30"), 14);
        assert_eq!(count("2020-07-01"), 13);
        assert_eq!(count("2023-06-30"), 13);
        assert_eq!(count("2023-07-01"), 11);
    }

    #[test]
    fn every_ended_district_has_a_successor_that_starts_the_next_day() {
        for u in UNITS
            .iter()
            .filter(|u| u.kind == UnitKind::District && u.valid_to.is_some())
        {
            let succ = u.successor.expect("ended district without successor");
            let s = UNITS
                .iter()
                .find(|s| s.code == succ)
                .expect("unknown successor");
            let end: NaiveDate = u.valid_to.unwrap().parse().unwrap();
            let start: NaiveDate = s.valid_from.unwrap().parse().unwrap();
            assert_eq!(end.succ_opt().unwrap(), start, "{} -> {}", u.code, s.code);
        }
    }
}
