//! Stage events: recording, retracting, and reading history. An adoption's current stage is
//! its latest event that is not retracted (by effective date, then by recording order), kept
//! in the `adoption` row in the same transaction as the event that changes it.

use anyhow::Result;
use chrono::{Local, NaiveDate};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::access::Gate;
use super::{Store, now_utc, ruled};
use crate::domain::problem::{Deed, NotExisted};
use crate::domain::rules;
use crate::domain::{EventDate, EventRow, NewEvent, Problem, Retraction, Stage, Unit};

impl FromSql for Stage {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value
            .as_str()?
            .parse()
            .map_err(|e: Problem| FromSqlError::Other(Box::new(e)))
    }
}

pub(super) const EVENT_SELECT: &str =
    "SELECT e.id, coalesce(m.short_name, m.name), m.name, u.code, u.name,
            e.stage, e.effective, e.note, e.source, e.recorded_by, e.recorded_at,
            r.reason, r.retracted_by, r.retracted_at
     FROM stage_event e
     JOIN adoption a ON a.id = e.adoption_id
     JOIN method m ON m.id = a.method_id
     JOIN unit u ON u.id = a.unit_id
     LEFT JOIN retraction r ON r.event_id = e.id";

pub(super) fn event_row(r: &Row) -> rusqlite::Result<EventRow> {
    let reason: Option<String> = r.get(11)?;
    Ok(EventRow {
        id: r.get(0)?,
        method: r.get(1)?,
        method_name: r.get(2)?,
        unit: r.get(3)?,
        unit_name: r.get(4)?,
        stage: r.get(5)?,
        date: r.get(6)?,
        note: r.get(7)?,
        source: r.get(8)?,
        recorded_by: r.get(9)?,
        recorded_at: r.get(10)?,
        retraction: match reason {
            Some(reason) => Some(Retraction {
                reason,
                by: r.get(12)?,
                at: r.get(13)?,
            }),
            None => None,
        },
    })
}

/// Which events a history read returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HistoryFilter {
    pub method_id: Option<i64>,
    pub unit_id: Option<i64>,
}

/// The one statement of the rule "an adoption's current stage is its latest event that is not
/// retracted, by effective date, then by recording order", as SQL: the id of that event for
/// the adoption `adoption` (an SQL expression). With `as_of` (an SQL expression for a day)
/// only events in effect by then count (a month counts as its first day: `2005-01` sorts
/// before `2005-01-01`). With `known_at` (an SQL expression for an RFC 3339 UTC time) only
/// events recorded by then count, and only retractions made by then take events out.
pub(super) fn latest_event(adoption: &str, as_of: Option<&str>, known_at: Option<&str>) -> String {
    let until = as_of
        .map(|day| format!(" AND x.effective <= {day}"))
        .unwrap_or_default();
    let (recorded, retracted) = match known_at {
        Some(t) => (
            format!(" AND x.recorded_at <= {t}"),
            format!(" AND r.retracted_at <= {t}"),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        "SELECT x.id FROM stage_event x WHERE x.adoption_id = {adoption}{until}{recorded}
           AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = x.id{retracted})
         ORDER BY x.effective DESC, x.id DESC LIMIT 1"
    )
}

/// An event's effective date (`col`, an SQL expression) as a day: a month counts as its
/// first day.
pub(super) fn as_day(col: &str) -> String {
    format!("(CASE WHEN length({col}) = 7 THEN {col} || '-01' ELSE {col} END)")
}

/// The one statement of "last heard", as SQL: for the stage event `e` (an alias of a
/// `stage_event` row) that gives an adoption its stage, the day the register last heard
/// that this stage holds — the event's own day (every event confirms its own stage), or
/// the latest confirmation of the same stage on or after it that is not retracted,
/// whichever is later. With `as_of` only confirmations on or before that day count; with
/// `known_at` only those recorded by then, and only retractions made by then take one out.
pub(super) fn heard(e: &str, as_of: Option<&str>, known_at: Option<&str>) -> String {
    let until = as_of
        .map(|day| format!(" AND hc.effective <= {day}"))
        .unwrap_or_default();
    let (recorded, retracted) = match known_at {
        Some(t) => (
            format!(" AND hc.recorded_at <= {t}"),
            format!(" AND hr.retracted_at <= {t}"),
        ),
        None => (String::new(), String::new()),
    };
    let day = as_day(&format!("{e}.effective"));
    format!(
        "max({day}, coalesce((SELECT max(hc.effective) FROM confirmation hc
             WHERE hc.adoption_id = {e}.adoption_id AND hc.stage = {e}.stage
               AND hc.effective >= {e}.effective{until}{recorded}
               AND NOT EXISTS (SELECT 1 FROM confirmation_retraction hr
                               WHERE hr.confirmation_id = hc.id{retracted})), ''))"
    )
}

/// The one statement, as SQL, of what the figures read of an adoption's whole history
/// (`metrics::Standing::from_events` is the same rule in Rust, for a past day): for the
/// adoption `adoption` (an SQL expression), by its events that are not retracted in effect
/// order, the day of its first at pilot or beyond, the day of its first in use
/// (implemented or sustained), and whether it was paused or discontinued after that first
/// in use. Kept on the adoption row (schema 13) as its stage is, so today's figures need
/// not read a million events.
pub(super) fn milestones(adoption: &str) -> [String; 3] {
    // The stages by the same predicates the Rust rule uses.
    let stages = |keep: fn(Stage) -> bool| {
        Stage::ALL
            .iter()
            .filter(|s| keep(**s))
            .map(|s| format!("'{}'", s.code()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (reached, in_use) = (stages(Stage::reached), stages(Stage::in_use));
    let lapse = stages(Stage::stopped);
    let live =
        |x: &str| format!("NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = {x}.id)");
    let first = |stages: &str| {
        format!(
            "(SELECT {} FROM stage_event x WHERE x.adoption_id = {adoption}
                AND x.stage IN ({stages}) AND {}
              ORDER BY x.effective, x.id LIMIT 1)",
            as_day("x.effective"),
            live("x")
        )
    };
    let lapsed = format!(
        "EXISTS (
             SELECT 1 FROM stage_event p,
                 (SELECT x.effective AS effective, x.id AS id FROM stage_event x
                  WHERE x.adoption_id = {adoption} AND x.stage IN ({in_use})
                    AND {}
                  ORDER BY x.effective, x.id LIMIT 1) f
             WHERE p.adoption_id = {adoption} AND p.stage IN ({lapse})
               AND {} AND (p.effective, p.id) > (f.effective, f.id))",
        live("x"),
        live("p")
    );
    [first(&reached), first(&in_use), lapsed]
}

/// `milestones` as the assignment of an `UPDATE adoption`.
fn set_milestones(adoption: &str) -> String {
    let [first_pilot, first_in_use, lapsed] = milestones(adoption);
    format!("first_pilot = {first_pilot}, first_in_use = {first_in_use}, lapsed = {lapsed}")
}

/// Fills in every adoption's milestones (schema 13's upgrade).
pub(super) fn fill_milestones(tx: &Transaction) -> Result<()> {
    tx.execute_batch(&format!(
        "UPDATE adoption SET {}",
        set_milestones("adoption.id")
    ))?;
    Ok(())
}

/// Makes the adoption row show its latest event that is not retracted, when it was last
/// heard, and its milestones.
fn refresh_adoption(tx: &Transaction, adoption_id: i64, by: &str, now: &str) -> Result<()> {
    tx.prepare_cached(&format!(
        "UPDATE adoption SET (stage, since, current_event_id, heard) = (
             SELECT e.stage, e.effective, e.id, {} FROM stage_event e WHERE e.id = ({})),
             {},
             version = version + 1, updated_at = ?2, updated_by = ?3
         WHERE id = ?1",
        heard("e", None, None),
        latest_event("?1", None, None),
        set_milestones("?1")
    ))?
    .execute(params![adoption_id, now, by])?;
    Ok(())
}

/// Sets when the adoption's current stage was last heard (after a confirmation or its
/// retraction: the stage itself does not change).
pub(super) fn refresh_heard(tx: &Transaction, adoption_id: i64) -> Result<()> {
    tx.prepare_cached(&format!(
        "UPDATE adoption SET heard = (
             SELECT {} FROM stage_event e WHERE e.id = adoption.current_event_id)
         WHERE id = ?1",
        heard("e", None, None)
    ))?
    .execute([adoption_id])?;
    Ok(())
}

/// An event as it is written: cleaned text, and who recorded it when.
pub(super) struct StoredEvent<'a> {
    pub method_id: i64,
    pub unit_id: i64,
    pub stage: Stage,
    pub date: &'a str,
    pub note: &'a str,
    pub source: &'a str,
    pub recorded_at: &'a str,
    pub recorded_by: &'a str,
}

/// Inserts one event (creating the adoption if needed). With `refresh` the adoption's current
/// stage is updated at once; bulk loads pass false and call `refresh_all_adoptions` at the end.
pub(super) fn insert_event_tx(tx: &Transaction, ev: &StoredEvent, refresh: bool) -> Result<i64> {
    let adoption_id = adoption_for(tx, ev)?;
    let event_id = insert_event_row(tx, adoption_id, ev)?;
    if refresh {
        refresh_adoption(tx, adoption_id, ev.recorded_by, ev.recorded_at)?;
    }
    Ok(event_id)
}

/// The adoption of the event's method in its unit, made (stamped as the event) if there is
/// none yet.
pub(super) fn adoption_for(tx: &Transaction, ev: &StoredEvent) -> Result<i64> {
    let (method_id, unit_id, at, by) = (ev.method_id, ev.unit_id, ev.recorded_at, ev.recorded_by);
    let found = tx
        .prepare_cached("SELECT id FROM adoption WHERE method_id = ?1 AND unit_id = ?2")?
        .query_row(params![method_id, unit_id], |r| r.get(0))
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    tx.prepare_cached(
        "INSERT INTO adoption (method_id, unit_id, created_at, created_by, updated_at, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?3, ?4)",
    )?
    .execute(params![method_id, unit_id, at, by])?;
    Ok(tx.last_insert_rowid())
}

/// Writes the event's row for its adoption (found by `adoption_for`); returns its id. The
/// adoption's current stage is not touched.
pub(super) fn insert_event_row(
    tx: &Transaction,
    adoption_id: i64,
    ev: &StoredEvent,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO stage_event (adoption_id, stage, effective, note, source, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        adoption_id,
        ev.stage.code(),
        ev.date,
        ev.note,
        ev.source,
        ev.recorded_at,
        ev.recorded_by
    ])?;
    Ok(tx.last_insert_rowid())
}

/// Sets every adoption's current stage from its events in one statement (after a bulk load).
pub(super) fn refresh_all_adoptions(tx: &Transaction) -> Result<()> {
    tx.execute_batch(&format!(
        "UPDATE adoption SET (stage, since, current_event_id, heard) = (
             SELECT e.stage, e.effective, e.id, {} FROM stage_event e WHERE e.id = ({})),
             {}",
        heard("e", None, None),
        latest_event("adoption.id", None, None),
        set_milestones("adoption.id")
    ))?;
    Ok(())
}

/// The adoption an event belongs to, and its unit.
fn adoption_of_event(conn: &Connection, event_id: i64) -> Result<(i64, i64)> {
    Ok(conn
        .query_row(
            "SELECT a.id, a.unit_id FROM stage_event e JOIN adoption a ON a.id = e.adoption_id
             WHERE e.id = ?1",
            [event_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .ok_or(Problem::NoEvent { id: event_id })?)
}

/// The unit an event was recorded for.
pub(super) fn unit_of_event(conn: &Connection, event_id: i64) -> Result<i64> {
    Ok(adoption_of_event(conn, event_id)?.1)
}

/// A unit by id, on any connection (inside a write: as the write sees it).
pub(super) fn unit_in(conn: &Connection, id: i64) -> Result<Unit> {
    Ok(conn.query_row(
        &format!("{} WHERE u.id = ?1", super::units::UNIT_SELECT),
        [id],
        super::units::unit_row,
    )?)
}

pub(super) fn insert_retraction_tx(
    tx: &Transaction,
    event_id: i64,
    reason: &str,
    at: &str,
    by: &str,
) -> Result<()> {
    let (adoption_id, _) = adoption_of_event(tx, event_id)?;
    let already: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM retraction WHERE event_id = ?1)",
        [event_id],
        |r| r.get(0),
    )?;
    if already {
        return Err(Problem::AlreadyRetracted { id: event_id }.into());
    }
    tx.execute(
        "INSERT INTO retraction (event_id, reason, retracted_at, retracted_by) VALUES (?1, ?2, ?3, ?4)",
        params![event_id, reason, at, by],
    )?;
    super::rounds::forget_answer(tx, Some(event_id), None)?;
    refresh_adoption(tx, adoption_id, by, at)
}

/// Checks and cleans the free text of an event.
pub(super) fn clean_event_text(note: &str, source: &str) -> Result<(String, String)> {
    Ok((ruled(&rules::NOTE, note)?, ruled(&rules::SOURCE, source)?))
}

/// The date may not lie in the future, and the unit must have existed then (for a month:
/// on some day of it). A record from 2003 about Vantör stays about Vantör. When the unit did
/// not exist, the message names the units that did in its place (through the lineage).
pub(super) fn check_event_date(conn: &Connection, unit: &Unit, date: EventDate) -> Result<()> {
    check_event_date_on(conn, unit, date, Local::now().date_naive())
}

/// `check_event_date` with today given (a bulk load asks the clock once, not per event).
pub(super) fn check_event_date_on(
    conn: &Connection,
    unit: &Unit,
    date: EventDate,
    today: NaiveDate,
) -> Result<()> {
    let first_day = date.first_day();
    if first_day > today {
        return Err(Problem::FutureDate {
            date: date.to_string(),
        }
        .into());
    }
    if !existed_during(unit, date) {
        let after = unit.valid_to.is_some_and(|t| t < first_day);
        return Err(Problem::NotExisted(Box::new(NotExisted {
            code: unit.code.clone(),
            name: unit.name.clone(),
            date: date.to_string(),
            from: unit.valid_from.map(|d| d.to_string()),
            to: unit.valid_to.map(|d| d.to_string()),
            instead: units_in_place(conn, unit.id, first_day, after)?,
            after,
        }))
        .into());
    }
    Ok(())
}

/// Whether the unit existed on the date (for a month: on some day of it).
pub(super) fn existed_during(unit: &Unit, date: EventDate) -> bool {
    let first_day = date.first_day();
    let last_day = match date {
        EventDate::Day(d) => d,
        EventDate::Month { .. } => first_day
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first_day),
    };
    unit.valid_from.is_none_or(|f| f <= last_day) && unit.valid_to.is_none_or(|t| first_day <= t)
}

/// Events of a unit that would fall outside its validity were it `unit` (with new dates):
/// "#12 ASI 2024-01", at most six.
pub(super) fn events_outside(conn: &Connection, unit: &Unit) -> Result<Vec<String>> {
    if unit.valid_from.is_none() && unit.valid_to.is_none() {
        return Ok(Vec::new());
    }
    // A month sorts before its days, so the text comparison finds every candidate; the
    // month's own rule decides.
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, coalesce(m.short_name, m.name), e.effective FROM adoption a
         JOIN stage_event e ON e.adoption_id = a.id JOIN method m ON m.id = a.method_id
         WHERE a.unit_id = ?1 AND (e.effective > ?3 OR e.effective < ?2)
         ORDER BY e.effective, e.id",
    )?;
    let day = |d: Option<NaiveDate>, none: &str| d.map_or(none.to_string(), |d| d.to_string());
    let mut rows = stmt.query(params![
        unit.id,
        day(unit.valid_from, "0000-00-00"),
        day(unit.valid_to, "9999-99-99")
    ])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let (id, method, effective): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if effective
            .parse::<EventDate>()
            .is_ok_and(|d| !existed_during(unit, d))
        {
            out.push(format!("#{id} {method} {effective}"));
            if out.len() == 6 {
                break;
            }
        }
    }
    Ok(out)
}

/// The units that existed on `day` in the place of unit `id`: following its successors
/// (`forward`) or its predecessors through every reorganisation.
pub(super) fn units_in_place(
    conn: &Connection,
    id: i64,
    day: NaiveDate,
    forward: bool,
) -> Result<Vec<String>> {
    let (from, to) = if forward {
        ("predecessor_id", "successor_id")
    } else {
        ("successor_id", "predecessor_id")
    };
    let mut stmt = conn.prepare_cached(&format!(
        "WITH RECURSIVE chain(id, depth) AS (
             SELECT ?1, 0
             UNION SELECT l.{to}, c.depth + 1 FROM unit_lineage l JOIN chain c ON l.{from} = c.id
             WHERE c.depth < 50)
         SELECT DISTINCT u.code FROM chain c JOIN unit u ON u.id = c.id
         WHERE c.id <> ?1
           AND (u.valid_from IS NULL OR u.valid_from <= ?2)
           AND (u.valid_to IS NULL OR u.valid_to >= ?2)
         ORDER BY u.sort_key"
    ))?;
    let rows = stmt.query_map(params![id, day.to_string()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Store {
    /// Records one stage event. The unit must have existed on the date, and the date may not
    /// lie in the future. The unit is read, and its validity and the login's right to record
    /// for it are checked, inside the transaction that writes, so a reorganisation that
    /// closes the unit a moment earlier is seen.
    pub fn record_stage(&mut self, event: &NewEvent) -> Result<i64> {
        let (note, source) = clean_event_text(&event.note, &event.source)?;
        let by = self.user.clone();
        let date = event.date.to_string();
        self.write(Gate::Unit(event.unit_id, Deed::RecordStage), |tx| {
            let unit = unit_in(tx, event.unit_id)?;
            check_event_date(tx, &unit, event.date)?;
            let now = now_utc();
            let id = insert_event_tx(
                tx,
                &StoredEvent {
                    method_id: event.method_id,
                    unit_id: event.unit_id,
                    stage: event.stage,
                    date: &date,
                    note: &note,
                    source: &source,
                    recorded_at: &now,
                    recorded_by: &by,
                },
                true,
            )?;
            // A stage recorded while a round asks the unit answers it.
            let answer = if event.stage == Stage::Discontinued {
                super::rounds::Answer::Discontinued
            } else {
                super::rounds::Answer::Changed
            };
            super::rounds::note_answer(
                tx,
                (event.unit_id, event.method_id),
                answer,
                (Some(id), None),
                (&now, &by),
            )?;
            Ok(id)
        })
    }

    /// Marks an event as a mistake: it stays in the history and no longer counts.
    pub fn retract(&mut self, event_id: i64, reason: &str) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(Problem::NeedsReason.into());
        }
        let reason = ruled(&rules::REASON, reason)?;
        let by = self.user.clone();
        self.write(Gate::EventUnit(event_id, Deed::Retract), |tx| {
            insert_retraction_tx(tx, event_id, &reason, &now_utc(), &by)
        })
    }

    /// The event with this id.
    pub fn event(&self, id: i64) -> Result<EventRow> {
        self.conn
            .query_row(&format!("{EVENT_SELECT} WHERE e.id = ?1"), [id], event_row)
            .optional()?
            .ok_or_else(|| Problem::NoEvent { id }.into())
    }

    /// Events in the order they took effect (oldest first), for `spridning history`.
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<EventRow>> {
        let mut events = Vec::new();
        self.for_each_history_event(filter, |e| {
            events.push(e);
            Ok(())
        })?;
        Ok(events)
    }

    /// Like `history`, one event at a time.
    pub fn for_each_history_event(
        &self,
        filter: &HistoryFilter,
        mut f: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EVENT_SELECT} WHERE (?1 IS NULL OR a.method_id = ?1) AND (?2 IS NULL OR a.unit_id = ?2)
             ORDER BY e.effective, e.id"
        ))?;
        let mut rows = stmt.query(params![filter.method_id, filter.unit_id])?;
        while let Some(row) = rows.next()? {
            f(event_row(row)?)?;
        }
        Ok(())
    }

    /// The events of some methods (`None`: all) in the order they took effect, one at a
    /// time (a report's history).
    pub fn for_each_event_of(
        &self,
        only: Option<&[i64]>,
        mut f: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        let only = super::only_methods(only);
        // `+`: sorted, not walked along the index by day. At L the walk read each event's
        // page on its own (a million reads at random places, 6.2 s); a scan in storage order
        // and a sort take 3.7 s and little memory (SQLite sorts in temporary files).
        let mut stmt = self.conn.prepare(&format!(
            "{EVENT_SELECT} WHERE 1 = 1{only} ORDER BY +e.effective, +e.id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(event_row(row)?)?;
        }
        Ok(())
    }

    /// The latest `limit` events of some methods (`None`: all), newest first (by when they
    /// took effect, then by recording order), and how many events they have in all.
    pub fn latest_events(
        &self,
        only: Option<&[i64]>,
        limit: usize,
    ) -> Result<(Vec<EventRow>, usize)> {
        let total = self.event_count_of(only)?;
        let only = super::only_methods(only);
        let mut stmt = self.conn.prepare(&format!(
            "{EVENT_SELECT} WHERE 1 = 1{only} ORDER BY e.effective DESC, e.id DESC LIMIT ?1"
        ))?;
        let events = stmt
            .query_map([limit as i64], event_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((events, total))
    }

    /// How many events some methods (`None`: all) have, retracted ones included.
    pub fn event_count_of(&self, only: Option<&[i64]>) -> Result<usize> {
        if only.is_none() {
            return self.event_count();
        }
        let only = super::only_methods(only);
        let n: i64 = self.conn.query_row(
            &format!(
                "SELECT count(*) FROM stage_event e JOIN adoption a ON a.id = e.adoption_id
                 WHERE 1 = 1{only}"
            ),
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Calls `f` with every event in the order they were recorded, one row at a time.
    pub fn for_each_event_in_recording_order(
        &self,
        mut f: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare(&format!("{EVENT_SELECT} ORDER BY e.id"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(event_row(row)?)?;
        }
        Ok(())
    }
}
