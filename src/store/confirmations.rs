//! Confirmations: a member (for their units) or a coordinator says that a method's stage in
//! a unit still holds on a day, without changing it. Append-only like events: a mistaken
//! one is retracted and stays in the history. Each keeps the stage it confirmed, so an event
//! recorded later, or back-dated before it, is never taken as confirmed by it.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::access::Gate;
use super::stages::{check_event_date, refresh_heard, unit_in};
use super::{Store, now_utc, ruled};
use crate::domain::rules;
use crate::domain::{Deed, EventDate, NewConfirmation, Problem, Retraction, Stage};

/// A confirmation as the history and the Activity list show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmationRow {
    pub id: i64,
    /// The method's label (short name, else name), its name, the unit's code and name.
    pub method: String,
    pub method_name: String,
    pub unit: String,
    pub unit_name: String,
    /// The stage confirmed, and the day it was said to hold.
    pub stage: Stage,
    pub date: String,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub retraction: Option<Retraction>,
}

impl ConfirmationRow {
    /// A confirmation read in an event row's shape (its source is empty).
    fn from_event_row(e: crate::domain::EventRow) -> ConfirmationRow {
        ConfirmationRow {
            id: e.id,
            method: e.method,
            method_name: e.method_name,
            unit: e.unit,
            unit_name: e.unit_name,
            stage: e.stage,
            date: e.date,
            note: e.note,
            recorded_by: e.recorded_by,
            recorded_at: e.recorded_at,
            retraction: e.retraction,
        }
    }

    /// The confirmation in the shape of an event row (no source), as the Activity list and
    /// `history --format json` show it.
    pub fn into_event_row(self) -> crate::domain::EventRow {
        crate::domain::EventRow {
            id: self.id,
            method: self.method,
            method_name: self.method_name,
            unit: self.unit,
            unit_name: self.unit_name,
            stage: self.stage,
            date: self.date,
            note: self.note,
            source: String::new(),
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
            retraction: self.retraction,
        }
    }
}

/// A confirmation's columns in the order of an event's (`stages::EVENT_SELECT`; a
/// confirmation has no source), so one mapping reads both.
pub(super) const CONFIRMATION_SELECT: &str =
    "SELECT c.id, coalesce(m.short_name, m.name), m.name, u.code, u.name, c.stage, c.effective,
            c.note, '', c.recorded_by, c.recorded_at, r.reason, r.retracted_by, r.retracted_at
     FROM confirmation c
     JOIN adoption a ON a.id = c.adoption_id
     JOIN method m ON m.id = a.method_id
     JOIN unit u ON u.id = a.unit_id
     LEFT JOIN confirmation_retraction r ON r.confirmation_id = c.id";

pub(super) fn confirmation_row(r: &Row) -> rusqlite::Result<ConfirmationRow> {
    super::stages::event_row(r).map(ConfirmationRow::from_event_row)
}

/// The adoption of a method in a unit and its stage on `day` (its latest event in effect
/// then that is not retracted), if it has one.
fn stage_on(
    conn: &Connection,
    method_id: i64,
    unit_id: i64,
    day: NaiveDate,
) -> Result<Option<(i64, Stage)>> {
    Ok(conn
        .prepare_cached(
            "SELECT a.id, e.stage FROM adoption a JOIN stage_event e ON e.adoption_id = a.id
             WHERE a.method_id = ?1 AND a.unit_id = ?2 AND e.effective <= ?3
               AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = e.id)
             ORDER BY e.effective DESC, e.id DESC LIMIT 1",
        )?
        .query_row(params![method_id, unit_id, day.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// A confirmation as it is written (checked, cleaned, stamped).
pub(super) struct StoredConfirmation<'a> {
    pub adoption_id: i64,
    pub stage: Stage,
    pub date: &'a str,
    pub note: &'a str,
    pub recorded_at: &'a str,
    pub recorded_by: &'a str,
}

pub(super) fn insert_confirmation_tx(tx: &Transaction, c: &StoredConfirmation) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO confirmation (adoption_id, stage, effective, note, recorded_at, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        c.adoption_id,
        c.stage.code(),
        c.date,
        c.note,
        c.recorded_at,
        c.recorded_by
    ])?;
    let id = tx.last_insert_rowid();
    refresh_heard(tx, c.adoption_id)?;
    Ok(id)
}

pub(super) fn insert_confirmation_retraction_tx(
    tx: &Transaction,
    id: i64,
    reason: &str,
    at: &str,
    by: &str,
) -> Result<()> {
    let already: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM confirmation_retraction WHERE confirmation_id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if already {
        return Err(Problem::ConfirmationRetracted { id }.into());
    }
    tx.execute(
        "INSERT INTO confirmation_retraction (confirmation_id, reason, retracted_at, retracted_by)
         VALUES (?1, ?2, ?3, ?4)",
        params![id, reason, at, by],
    )?;
    let adoption_id: i64 = tx.query_row(
        "SELECT adoption_id FROM confirmation WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    super::rounds::forget_answer(tx, None, Some(id))?;
    refresh_heard(tx, adoption_id)
}

/// The unit a confirmation was made for.
pub(super) fn unit_of_confirmation(conn: &Connection, id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT a.unit_id FROM confirmation c JOIN adoption a ON a.id = c.adoption_id
         WHERE c.id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Problem::NoConfirmation { id }.into())
}

/// Checks a confirmation inside the transaction that writes it: the unit existed on the
/// day, the day is not in the future, and the method had a stage there then. Returns the
/// adoption and the stage confirmed.
pub(super) fn check_confirmation(
    conn: &Connection,
    method_id: i64,
    unit_id: i64,
    day: NaiveDate,
) -> Result<(i64, Stage)> {
    let unit = unit_in(conn, unit_id)?;
    check_event_date(conn, &unit, EventDate::Day(day))?;
    match stage_on(conn, method_id, unit_id, day)? {
        Some(found) => Ok(found),
        None => {
            let method: String = conn.query_row(
                "SELECT coalesce(short_name, name) FROM method WHERE id = ?1",
                [method_id],
                |r| r.get(0),
            )?;
            Err(Problem::NothingToConfirm {
                method,
                unit: unit.code,
                date: day.to_string(),
            }
            .into())
        }
    }
}

impl Store {
    /// Says that a method's stage in a unit still holds on a day (members for their units,
    /// coordinators for any), checked and written in one transaction. Returns its id.
    pub fn confirm(&mut self, c: &NewConfirmation) -> Result<i64> {
        let note = ruled(&rules::NOTE, &c.note)?;
        let by = self.user.clone();
        self.write(Gate::Unit(c.unit_id, Deed::Confirm), |tx| {
            let (adoption_id, stage) = check_confirmation(tx, c.method_id, c.unit_id, c.date)?;
            let now = now_utc();
            let id = insert_confirmation_tx(
                tx,
                &StoredConfirmation {
                    adoption_id,
                    stage,
                    date: &c.date.to_string(),
                    note: &note,
                    recorded_at: &now,
                    recorded_by: &by,
                },
            )?;
            // A confirmation while a round asks the unit answers it.
            super::rounds::note_answer(
                tx,
                (c.unit_id, c.method_id),
                super::rounds::Answer::Confirmed,
                (None, Some(id)),
                (&now, &by),
            )?;
            Ok(id)
        })
    }

    /// Marks a confirmation as a mistake: it stays in the history and no longer counts.
    pub fn retract_confirmation(&mut self, id: i64, reason: &str) -> Result<()> {
        if reason.trim().is_empty() {
            return Err(Problem::NeedsReason.into());
        }
        let reason = ruled(&rules::REASON, reason)?;
        let by = self.user.clone();
        self.write(Gate::ConfirmationUnit(id, Deed::Retract), |tx| {
            insert_confirmation_retraction_tx(tx, id, &reason, &now_utc(), &by)
        })
    }

    /// The confirmation with this id.
    pub fn confirmation(&self, id: i64) -> Result<ConfirmationRow> {
        self.conn
            .query_row(
                &format!("{CONFIRMATION_SELECT} WHERE c.id = ?1"),
                [id],
                confirmation_row,
            )
            .optional()?
            .ok_or_else(|| Problem::NoConfirmation { id }.into())
    }

    /// Confirmations of a method or a unit (or all), in the order of their days.
    pub fn confirmations(
        &self,
        method_id: Option<i64>,
        unit_id: Option<i64>,
    ) -> Result<Vec<ConfirmationRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{CONFIRMATION_SELECT} WHERE (?1 IS NULL OR a.method_id = ?1)
               AND (?2 IS NULL OR a.unit_id = ?2)
             ORDER BY c.effective, c.id"
        ))?;
        let rows = stmt.query_map(params![method_id, unit_id], confirmation_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// One row of the history: a stage event, or a confirmation that a stage still held.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryEntry {
    Event(crate::domain::EventRow),
    Confirmation(ConfirmationRow),
}

impl Store {
    /// The history of `filter` with the confirmations among the events, in the order they
    /// took effect (an event before a confirmation of the same day), one row at a time.
    pub fn for_each_history_entry(
        &self,
        filter: &super::HistoryFilter,
        mut f: impl FnMut(HistoryEntry) -> Result<()>,
    ) -> Result<()> {
        // Both selects give the event row's columns (a confirmation has no source), then
        // which it is; sorted as events are, the kind breaking a tie of days.
        let mut stmt = self.conn.prepare_cached(
            "SELECT * FROM (
                 SELECT e.id, coalesce(m.short_name, m.name), m.name, u.code, u.name,
                        e.stage, e.effective, e.note, e.source, e.recorded_by, e.recorded_at,
                        r.reason, r.retracted_by, r.retracted_at, 0 AS confirmation
                 FROM stage_event e JOIN adoption a ON a.id = e.adoption_id
                 JOIN method m ON m.id = a.method_id JOIN unit u ON u.id = a.unit_id
                 LEFT JOIN retraction r ON r.event_id = e.id
                 WHERE (?1 IS NULL OR a.method_id = ?1) AND (?2 IS NULL OR a.unit_id = ?2)
                 UNION ALL
                 SELECT c.id, coalesce(m.short_name, m.name), m.name, u.code, u.name,
                        c.stage, c.effective, c.note, '', c.recorded_by, c.recorded_at,
                        r.reason, r.retracted_by, r.retracted_at, 1
                 FROM confirmation c JOIN adoption a ON a.id = c.adoption_id
                 JOIN method m ON m.id = a.method_id JOIN unit u ON u.id = a.unit_id
                 LEFT JOIN confirmation_retraction r ON r.confirmation_id = c.id
                 WHERE (?1 IS NULL OR a.method_id = ?1) AND (?2 IS NULL OR a.unit_id = ?2))
             ORDER BY 7, 15, 1",
        )?;
        let mut rows = stmt.query(params![filter.method_id, filter.unit_id])?;
        while let Some(row) = rows.next()? {
            let event = super::stages::event_row(row)?;
            let entry = if row.get::<_, i64>(14)? == 1 {
                HistoryEntry::Confirmation(ConfirmationRow::from_event_row(event))
            } else {
                HistoryEntry::Event(event)
            };
            f(entry)?;
        }
        Ok(())
    }
}
