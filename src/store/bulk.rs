//! Loading many records in one transaction (the scale generator), through the same insert
//! functions as single writes, with the current stages computed once at the end.

use std::collections::HashMap;

use anyhow::{Result, anyhow};
use rusqlite::params;

use super::access::Gate;
use super::activity::bulk_logged;
use super::methods::{MethodInput, insert_method_tx};
use super::stages::{
    StoredEvent, check_event_date, clean_event_text, insert_event_tx, refresh_all_adoptions,
};
use super::units::{UNIT_SELECT, UnitInput, insert_unit_tx, unit_row};
use super::{Store, now_utc};
use crate::domain::Deed;
use crate::domain::{EventDate, Stage, Unit};

/// One event of a bulk load, referring to method and unit ids.
pub struct BulkEvent {
    pub method_id: i64,
    pub unit_id: i64,
    pub stage: Stage,
    pub date: EventDate,
    pub note: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

impl Store {
    /// Adds many units in one transaction (the scale generator).
    pub fn add_units_bulk(&mut self, units: &[UnitInput]) -> Result<Vec<i64>> {
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::AddUnits), |tx| {
            units.iter().map(|u| insert_unit_tx(tx, u, &by)).collect()
        })
    }

    /// Adds many methods in one transaction (the scale generator).
    pub fn add_methods_bulk(&mut self, methods: &[MethodInput]) -> Result<Vec<i64>> {
        let now = now_utc();
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::AddMethods), |tx| {
            methods
                .iter()
                .map(|m| insert_method_tx(tx, m, (&now, &by), (&now, &by)))
                .collect()
        })
    }

    /// Records all `events` in one transaction, each checked like a single one.
    pub fn add_events_bulk(&mut self, events: impl Iterator<Item = BulkEvent>) -> Result<usize> {
        self.write(Gate::Coordinator(Deed::LoadEvents), |tx| {
            let units: HashMap<i64, Unit> = tx
                .prepare(UNIT_SELECT)?
                .query_map([], unit_row)?
                .map(|u| u.map(|u| (u.id, u)))
                .collect::<rusqlite::Result<_>>()?;
            let mut n = 0;
            bulk_logged(tx, || {
                for e in events {
                    let unit = units
                        .get(&e.unit_id)
                        // internal: the generator gives ids it made itself.
                        .ok_or_else(|| anyhow!("no unit with id {}", e.unit_id))?;
                    check_event_date(tx, unit, e.date)?;
                    let (note, source) = clean_event_text(&e.note, "")?;
                    insert_event_tx(
                        tx,
                        &StoredEvent {
                            method_id: e.method_id,
                            unit_id: e.unit_id,
                            stage: e.stage,
                            date: &e.date.to_string(),
                            note: &note,
                            source: &source,
                            recorded_at: &e.recorded_at,
                            recorded_by: &e.recorded_by,
                        },
                        false,
                    )?;
                    n += 1;
                }
                Ok(((), false))
            })?;
            refresh_all_adoptions(tx)?;
            Ok(n)
        })
    }

    /// Adds `per_adoption` confirmations to every adoption with a stage, `days_apart` days
    /// apart from the day its stage took effect (never after today), each by whoever recorded
    /// that stage and recorded at noon on its day, in one transaction, logged and with every
    /// adoption's last-heard day refreshed: the benchmark's "L plus a million
    /// confirmations". Returns how many.
    pub fn add_confirmations_bulk(&mut self, per_adoption: u32, days_apart: u32) -> Result<usize> {
        let by = self.user.clone();
        let now = now_utc();
        self.write(Gate::Coordinator(Deed::LoadEvents), |tx| {
            let n = bulk_logged(tx, || {
                let n = tx.execute(
                    &format!(
                        "WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < ?1)
                         INSERT INTO confirmation (adoption_id, stage, effective, note, recorded_at,
                                                   recorded_by)
                         SELECT id, stage, day, '', min(day || 'T12:00:00Z', ?3),
                                coalesce(who, ?4)
                         FROM (SELECT a.id, a.stage, k.n,
                                      min(date({}, '+' || (k.n * ?2) || ' days'), date('now'))
                                          AS day,
                                      (SELECT e.recorded_by FROM stage_event e
                                       WHERE e.id = a.current_event_id) AS who
                               FROM adoption a, k WHERE a.stage IS NOT NULL)
                         ORDER BY id, n",
                        super::stages::as_day("a.since")
                    ),
                    params![per_adoption, days_apart, now, by],
                )?;
                Ok((n, false))
            })?;
            refresh_all_adoptions(tx)?;
            Ok(n)
        })
    }
}
