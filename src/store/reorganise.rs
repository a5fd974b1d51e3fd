//! Reorganisations: units that merge or split on a day. One transaction closes the
//! predecessors the day before, creates (or reuses) the successors, records the lineage and,
//! when asked, carries the methods over where that is certain.
//!
//! Carrying over is explicit and never invented: a method is carried only where every
//! predecessor has it at the same current stage (then each successor gets one event with that
//! stage, dated the day, source "reorganisation", a note naming the predecessors); where they
//! disagree, or a successor already has its own history of the method, nothing is recorded
//! and the method is listed to review, with each predecessor's stage.

use crate::domain::problem::Reorganisation as Refused;
use crate::domain::problem::reorganisation::Side;
use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction, params};

use super::access::Gate;
use super::lineage::guarded;
use super::lookup::find_unit_in;
use super::stages::{StoredEvent, insert_event_tx};
use super::units::{UNIT_SELECT, insert_unit_tx, set_successor_tx, unit_row};
use super::{Store, now_utc};
use crate::domain::{Deed, EventDate, Stage, Unit};
use crate::i18n::Lang;

/// What a coordinator asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reorganisation {
    /// The units that end (names or codes).
    pub from: Vec<String>,
    /// The units that take over: an existing unit's name or code, or the name of a new one.
    pub into: Vec<String>,
    /// Codes for the new units, in the order of `into` (not needed for existing units).
    pub codes: Vec<String>,
    /// The region of new units (default: the predecessors' region when they share one).
    pub region: Option<String>,
    /// The day the successors take over; the predecessors end the day before.
    pub on: NaiveDate,
    pub carry: bool,
}

/// What a reorganisation did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReorganisationReport {
    /// The predecessors' codes (closed the day before).
    pub closed: Vec<String>,
    /// The successors' codes, and whether each was created.
    pub successors: Vec<(String, bool)>,
    /// Events recorded by carrying methods over.
    pub carried: usize,
    pub to_review: Vec<Review>,
}

/// A method that was not carried over, and why: each predecessor's stage (None: it did not
/// have the method), and whether a successor had its own history of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub method: String,
    pub stages: Vec<(String, Option<Stage>)>,
    pub successor_has_history: bool,
}

impl Review {
    /// "ASI (RK implemented, ST none)": stage codes in English, labels in Swedish.
    pub fn describe(&self, lang: Lang) -> String {
        let stage = |s: Option<Stage>| match (s, lang) {
            (Some(s), Lang::En) => s.code().to_string(),
            (Some(s), Lang::Sv) => s.label(lang).to_lowercase(),
            (None, _) => lang.pick("saknas", "none").to_string(),
        };
        let stages: Vec<String> = self
            .stages
            .iter()
            .map(|(unit, s)| format!("{unit} {}", stage(*s)))
            .collect();
        let own = if self.successor_has_history {
            lang.pick(
                "; en efterträdare har en egen historik",
                "; a successor has its own history",
            )
        } else {
            ""
        };
        format!("{} ({}{own})", self.method, stages.join(", "))
    }
}

fn unit_by_id(tx: &Transaction, id: i64) -> Result<Unit> {
    Ok(tx.query_row(&format!("{UNIT_SELECT} WHERE u.id = ?1"), [id], unit_row)?)
}

impl Store {
    /// Records a merge or split (coordinators), in one transaction; says what it did.
    pub fn reorganise(&mut self, plan: &Reorganisation) -> Result<ReorganisationReport> {
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::EditUnit), |tx| {
            guarded(tx, || reorganise_tx(tx, plan, &by))
        })
    }
}

fn reorganise_tx(
    tx: &Transaction,
    plan: &Reorganisation,
    by: &str,
) -> Result<ReorganisationReport> {
    let day = plan.on;
    let Some(day_before) = day.pred_opt() else {
        return Err(Refused::TooEarly {
            day: day.to_string(),
        }
        .into());
    };
    if plan.from.is_empty() || plan.into.is_empty() {
        return Err(Refused::NeedsBoth.into());
    }
    let from = predecessors(tx, plan)?;
    check_named_once(plan)?;
    let into = successors(tx, plan, &from, by)?;
    // Current stages before the predecessors close (every event is before the day).
    let stages: Vec<BTreeMap<i64, Stage>> = from
        .iter()
        .map(|u| current_stages(tx, u.id))
        .collect::<Result<_>>()?;
    let now = now_utc();
    close(tx, (&from, &into), (day, day_before), (&now, by))?;
    let mut report = ReorganisationReport {
        closed: from.iter().map(|u| u.code.clone()).collect(),
        successors: into.iter().map(|(u, c)| (u.code.clone(), *c)).collect(),
        ..ReorganisationReport::default()
    };
    if plan.carry {
        carry(tx, (&from, &stages), &into, day, (&now, by), &mut report)?;
    }
    Ok(report)
}

/// The units that end: each named once, open, started before the day, not itself taking
/// over on or after it, and with no event on or after it.
fn predecessors(tx: &Transaction, plan: &Reorganisation) -> Result<Vec<Unit>> {
    let day = plan.on;
    let mut from: Vec<Unit> = Vec::new();
    for wanted in &plan.from {
        let (id, _) = find_unit_in(tx, wanted)?;
        let unit = unit_by_id(tx, id)?;
        if from.iter().any(|u| u.id == id) {
            return Err(Refused::NamedTwice {
                name: unit.code,
                side: Side::Ending,
            }
            .into());
        }
        if let Some(to) = unit.valid_to {
            return Err(Refused::Closed {
                code: unit.code,
                name: unit.name,
                to: to.to_string(),
            }
            .into());
        }
        if let Some(start) = unit.valid_from
            && start >= day
        {
            return Err(Refused::StartsOnOrAfter {
                code: unit.code,
                name: unit.name,
                start: start.to_string(),
                day: day.to_string(),
            }
            .into());
        }
        if let Some((from_code, since)) = took_over_on_or_after(tx, id, day)? {
            return Err(Refused::TookOverLater {
                code: unit.code,
                name: unit.name,
                from: from_code,
                since,
                day: day.to_string(),
            }
            .into());
        }
        let late = events_from(tx, id, day)?;
        if !late.is_empty() {
            return Err(Refused::LateEvents {
                code: unit.code,
                day: day.to_string(),
                events: late,
            }
            .into());
        }
        from.push(unit);
    }
    Ok(from)
}

/// The units that take over: existing units valid on the day that do not already follow a
/// predecessor, or new ones with the codes given (with the predecessors' kind, and their
/// region when they share one). Each with whether it was created.
fn successors(
    tx: &Transaction,
    plan: &Reorganisation,
    from: &[Unit],
    by: &str,
) -> Result<Vec<(Unit, bool)>> {
    let day = plan.on;
    let region = plan.region.clone().or_else(|| {
        let first = from.first().and_then(|u| u.region.clone());
        from.iter()
            .all(|u| u.region == first)
            .then_some(first)
            .flatten()
    });
    let kind = from.first().map(|u| u.kind).unwrap_or_default();
    let mut codes = plan.codes.iter();
    let mut into: Vec<(Unit, bool)> = Vec::new();
    for wanted in &plan.into {
        let taking_over = match find_unit_in(tx, wanted).ok() {
            Some((id, _)) => (existing_successor(tx, id, from, &into, day)?, false),
            None => {
                let Some(code) = codes.next() else {
                    return Err(Refused::NeedsCode {
                        name: crate::domain::text::clean_line(wanted),
                    }
                    .into());
                };
                let new = Unit {
                    code: code.clone(),
                    name: wanted.clone(),
                    kind,
                    region: region.clone(),
                    valid_from: Some(day),
                    ..Unit::default()
                };
                (unit_by_id(tx, insert_unit_tx(tx, &new, by)?)?, true)
            }
        };
        into.push(taking_over);
    }
    if let Some(extra) = codes.next() {
        let new = into.iter().filter(|(_, created)| *created).count();
        return Err(Refused::ExtraCodes {
            given: plan.codes.len(),
            new,
            extra: crate::domain::text::clean_line(extra),
        }
        .into());
    }
    Ok(into)
}

/// An existing unit that is to take over on `day`: not one that ends, not named twice,
/// valid on the day, and not already after a predecessor in the lineage (a circle).
fn existing_successor(
    tx: &Transaction,
    id: i64,
    from: &[Unit],
    into: &[(Unit, bool)],
    day: NaiveDate,
) -> Result<Unit> {
    let unit = unit_by_id(tx, id)?;
    if from.iter().any(|p| p.id == id) {
        return Err(Refused::EndsAndTakesOver { code: unit.code }.into());
    }
    if into.iter().any(|(s, _)| s.id == id) {
        return Err(Refused::NamedTwice {
            name: unit.code,
            side: Side::TakingOver,
        }
        .into());
    }
    if !unit.valid_on(day) {
        return Err(Refused::NotOnDay {
            code: unit.code,
            name: unit.name,
            day: day.to_string(),
        }
        .into());
    }
    let later = descendants(tx, id)?;
    if let Some(p) = from.iter().find(|p| later.contains(&p.id)) {
        return Err(Refused::Circle {
            predecessor: p.code.clone(),
            successor: unit.code,
        }
        .into());
    }
    Ok(unit)
}

/// Closes the predecessors the day before and records who took over: a lineage row per
/// pair, and for a merge the one successor as each predecessor's `successor`.
fn close(
    tx: &Transaction,
    (from, into): (&[Unit], &[(Unit, bool)]),
    (day, day_before): (NaiveDate, NaiveDate),
    (now, by): (&str, &str),
) -> Result<()> {
    for p in from {
        tx.execute(
            "UPDATE unit SET valid_to = ?2, version = version + 1, updated_at = ?3, updated_by = ?4
             WHERE id = ?1",
            params![p.id, day_before.to_string(), now, by],
        )?;
        for (s, _) in into {
            tx.execute(
                "INSERT OR REPLACE INTO unit_lineage (predecessor_id, successor_id, effective)
                 VALUES (?1, ?2, ?3)",
                params![p.id, s.id, day.to_string()],
            )?;
        }
        if let [(s, _)] = into {
            set_successor_tx(tx, &p.code, Some(&s.code))?;
        }
    }
    Ok(())
}

/// Refuses a unit named twice (also as its code and its name), a new unit's name given
/// twice and a code given twice, before anything is written: each would record the same
/// unit, or the same carried event, twice.
fn check_named_once(plan: &Reorganisation) -> Result<()> {
    use crate::domain::text::clean_line;
    let twice = |list: &[String]| -> Option<String> {
        let mut seen: Vec<String> = Vec::new();
        for item in list {
            let key = clean_line(item).trim().to_lowercase();
            if seen.contains(&key) {
                return Some(clean_line(item).trim().to_string());
            }
            seen.push(key);
        }
        None
    };
    if let Some(name) = twice(&plan.from) {
        return Err(Refused::NamedTwice {
            name,
            side: Side::Ending,
        }
        .into());
    }
    if let Some(name) = twice(&plan.into) {
        return Err(Refused::NamedTwice {
            name,
            side: Side::TakingOver,
        }
        .into());
    }
    if let Some(code) = twice(&plan.codes) {
        return Err(Refused::CodeTwice { code }.into());
    }
    Ok(())
}

/// When unit `id` itself took over (as a successor) on or after `day`: from which unit, and
/// on which day. Such a unit cannot end before it began its part in the lineage.
fn took_over_on_or_after(
    tx: &Transaction,
    id: i64,
    day: NaiveDate,
) -> Result<Option<(String, String)>> {
    Ok(tx
        .query_row(
            "SELECT p.code, l.effective FROM unit_lineage l JOIN unit p ON p.id = l.predecessor_id
             WHERE l.successor_id = ?1 AND l.effective >= ?2
             ORDER BY l.effective LIMIT 1",
            params![id, day.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Every unit that came after unit `id` in the lineage, through any number of
/// reorganisations (and `successor` links).
fn descendants(tx: &Transaction, id: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached(
        "WITH RECURSIVE later(id) AS (
             SELECT ?1
             UNION SELECT l.successor_id FROM unit_lineage l JOIN later ON l.predecessor_id = later.id
             UNION SELECT u.successor_id FROM unit u JOIN later ON u.id = later.id
             WHERE u.successor_id IS NOT NULL)
         SELECT id FROM later WHERE id <> ?1",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Events of unit `id` dated on or after `day`, as "#12 ASI 2024-01".
fn events_from(tx: &Transaction, unit_id: i64, day: NaiveDate) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "SELECT e.id, coalesce(m.short_name, m.name), e.effective FROM stage_event e
         JOIN adoption a ON a.id = e.adoption_id JOIN method m ON m.id = a.method_id
         WHERE a.unit_id = ?1 AND e.effective >= ?2 ORDER BY e.effective, e.id LIMIT 6",
    )?;
    let rows = stmt.query_map(params![unit_id, day.format("%Y-%m").to_string()], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, method, effective) = row?;
        // A month counts as its first day: `2023-07` is on or after 2023-07-01.
        let first = effective.parse::<EventDate>().map(|d| d.first_day());
        if first.is_ok_and(|d| d >= day) {
            out.push(format!("#{id} {method} {effective}"));
        }
    }
    Ok(out)
}

/// Every method's current stage in a unit (method id → stage).
fn current_stages(tx: &Transaction, unit_id: i64) -> Result<BTreeMap<i64, Stage>> {
    let mut stmt = tx.prepare_cached(
        "SELECT method_id, stage FROM adoption WHERE unit_id = ?1 AND stage IS NOT NULL",
    )?;
    let rows = stmt.query_map([unit_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn carry(
    tx: &Transaction,
    (from, stages): (&[Unit], &[BTreeMap<i64, Stage>]),
    into: &[(Unit, bool)],
    day: NaiveDate,
    (now, by): (&str, &str),
    report: &mut ReorganisationReport,
) -> Result<()> {
    let methods: std::collections::BTreeSet<i64> =
        stages.iter().flat_map(|m| m.keys().copied()).collect();
    let mut label =
        tx.prepare_cached("SELECT coalesce(short_name, name) FROM method WHERE id = ?1")?;
    for method in methods {
        let each: Vec<Option<Stage>> = stages.iter().map(|m| m.get(&method).copied()).collect();
        let agreed = match each.first() {
            Some(Some(first)) if each.iter().all(|s| *s == Some(*first)) => Some(*first),
            _ => None,
        };
        let mut has_history = false;
        for (s, _) in into {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM adoption WHERE method_id = ?1 AND unit_id = ?2",
                    params![method, s.id],
                    |r| r.get(0),
                )
                .optional()?;
            has_history |= existing.is_some();
        }
        let name: String = label.query_row([method], |r| r.get(0))?;
        match agreed {
            Some(stage) if !has_history => {
                let from_text: Vec<String> = from
                    .iter()
                    .map(|u| format!("{} ({})", u.code, stage.label(Lang::Sv).to_lowercase()))
                    .collect();
                let note = format!(
                    "Övertaget vid omorganisationen {day} från {}.",
                    from_text.join(", ")
                );
                for (s, _) in into {
                    insert_event_tx(
                        tx,
                        &StoredEvent {
                            method_id: method,
                            unit_id: s.id,
                            stage,
                            date: &day.to_string(),
                            note: &note,
                            source: "reorganisation",
                            recorded_at: now,
                            recorded_by: by,
                        },
                        true,
                    )?;
                    report.carried += 1;
                }
            }
            _ => report.to_review.push(Review {
                method: name,
                stages: from.iter().map(|u| u.code.clone()).zip(each).collect(),
                successor_has_history: has_history,
            }),
        }
    }
    Ok(())
}
