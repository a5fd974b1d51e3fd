//! Stockholm's units as `init` creates them: the 18 district administrations as they were
//! until 2006, the successors of the 2007 and 2020 reorganisations, and the central
//! administrations named in the source documents.
//!
//! Decisions: the 18 districts carry no start date (they date from the 1990s reforms, before
//! any record here). Central administrations carry dates only where a reorganisation ended
//! them; Socialförvaltningen also stands for its predecessor socialtjänstförvaltningen.

use anyhow::Result;
use rusqlite::Transaction;

use super::units::{UnitInput, insert_unit_tx, set_successor_tx};

struct Builtin {
    code: &'static str,
    name: &'static str,
    kind: &'static str,
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
        kind: "district",
        region: Some(region),
        valid_from,
        valid_to,
        successor,
    }
}

const UNTIL_2006: Option<&str> = Some("2006-12-31");
const FROM_2007: Option<&str> = Some("2007-01-01");

const UNITS: &[Builtin] = &[
    // Innerstad
    district(
        "KS",
        "Katarina-Sofia",
        "innerstad",
        None,
        UNTIL_2006,
        Some("SOD"),
    ),
    district(
        "MG",
        "Maria-Gamla stan",
        "innerstad",
        None,
        UNTIL_2006,
        Some("SOD"),
    ),
    district("SOD", "Södermalm", "innerstad", FROM_2007, None, None),
    district("KH", "Kungsholmen", "innerstad", None, None, None),
    district("NM", "Norrmalm", "innerstad", None, None, None),
    district("OM", "Östermalm", "innerstad", None, None, None),
    // Söderort
    district(
        "EA",
        "Enskede-Årsta",
        "söderort",
        None,
        UNTIL_2006,
        Some("EAV"),
    ),
    district("VA", "Vantör", "söderort", None, UNTIL_2006, Some("EAV")),
    district(
        "EAV",
        "Enskede-Årsta-Vantör",
        "söderort",
        FROM_2007,
        None,
        None,
    ),
    district("FA", "Farsta", "söderort", None, None, None),
    district("SN", "Skarpnäck", "söderort", None, None, None),
    district("HA", "Hägersten", "söderort", None, UNTIL_2006, Some("HL")),
    district(
        "LH",
        "Liljeholmen",
        "söderort",
        None,
        UNTIL_2006,
        Some("HL"),
    ),
    district(
        "HL",
        "Hägersten-Liljeholmen",
        "söderort",
        FROM_2007,
        Some("2019-12-31"),
        Some("HAE"),
    ),
    district(
        "AL",
        "Älvsjö",
        "söderort",
        None,
        Some("2019-12-31"),
        Some("HAE"),
    ),
    district(
        "HAE",
        "Hägersten-Älvsjö",
        "söderort",
        Some("2020-01-01"),
        None,
        None,
    ),
    district("SH", "Skärholmen", "söderort", None, None, None),
    // Västerort
    district("RI", "Rinkeby", "västerort", None, UNTIL_2006, Some("RK")),
    district("KI", "Kista", "västerort", None, UNTIL_2006, Some("RK")),
    district("RK", "Rinkeby-Kista", "västerort", FROM_2007, None, None),
    district("ST", "Spånga-Tensta", "västerort", None, None, None),
    district("HV", "Hässelby-Vällingby", "västerort", None, None, None),
    district("BR", "Bromma", "västerort", None, None, None),
    // Central administrations
    Builtin {
        code: "SOF",
        name: "Socialförvaltningen",
        kind: "central",
        region: None,
        valid_from: None,
        valid_to: None,
        successor: None,
    },
    Builtin {
        code: "INF",
        name: "Integrationsförvaltningen",
        kind: "central",
        region: None,
        valid_from: None,
        valid_to: Some("2007-12-31"),
        successor: None,
    },
    Builtin {
        code: "UTB",
        name: "Utbildningsförvaltningen",
        kind: "central",
        region: None,
        valid_from: None,
        valid_to: None,
        successor: None,
    },
];

pub(super) fn insert_units(tx: &Transaction, by: &str) -> Result<()> {
    for u in UNITS {
        let date = |s: Option<&str>| s.and_then(|s| s.parse().ok());
        insert_unit_tx(
            tx,
            &UnitInput {
                code: u.code.into(),
                name: u.name.into(),
                kind: u.kind.into(),
                region: u.region.map(Into::into),
                valid_from: date(u.valid_from),
                valid_to: date(u.valid_to),
                successor: None,
                ..UnitInput::default()
            },
            by,
        )?;
    }
    for u in UNITS {
        if let Some(successor) = u.successor {
            set_successor_tx(tx, u.code, Some(successor))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn valid_on(u: &Builtin, day: &str) -> bool {
        let d: NaiveDate = day.parse().unwrap();
        let from = u.valid_from.map(|s| s.parse::<NaiveDate>().unwrap());
        let to = u.valid_to.map(|s| s.parse::<NaiveDate>().unwrap());
        u.kind == "district" && from.is_none_or(|f| f <= d) && to.is_none_or(|t| d <= t)
    }

    #[test]
    fn stockholm_had_18_then_14_then_13_districts() {
        let count = |day| UNITS.iter().filter(|u| valid_on(u, day)).count();
        assert_eq!(count("2006-12-31"), 18);
        assert_eq!(count("2007-01-01"), 14);
        assert_eq!(count("2019-12-31"), 14);
        assert_eq!(count("2020-01-01"), 13);
    }

    #[test]
    fn every_ended_district_has_a_successor_that_starts_the_next_day() {
        for u in UNITS
            .iter()
            .filter(|u| u.kind == "district" && u.valid_to.is_some())
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
