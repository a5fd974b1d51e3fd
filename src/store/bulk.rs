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
            // The events' indexes come back first: refreshing the adoptions reads events by
            // adoption; the adoptions' wait until their stages are known.
            let adoptions_aside = SetAside::begin(tx, &["adoption"])?;
            bulk_logged(tx, || {
                let events_aside = SetAside::begin(tx, &["stage_event"])?;
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
                events_aside.restore(tx)?;
                Ok(((), false))
            })?;
            refresh_all_adoptions(tx)?;
            adoptions_aside.restore(tx)?;
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

/// What a bulk load sets aside while it writes a million rows: the secondary indexes of the
/// tables it fills and the triggers that keep counts and the list of recorders, row by row.
/// `restore` builds each index again with one sort (not a million inserts at random places)
/// and does the triggers' work once, set-wise. It all happens inside the load's transaction:
/// if the load fails, the rollback brings the indexes and triggers back unchanged. The rules
/// (CHECK constraints, foreign keys, the append-only guards) are never set aside.
pub(super) struct SetAside {
    /// `CREATE INDEX` / `CREATE TRIGGER` statements, as `sqlite_master` holds them.
    made: Vec<String>,
    /// The tables whose bookkeeping triggers were dropped.
    counted: Vec<&'static str>,
}

/// Triggers that only keep bookkeeping (`counter`, `recorder`), which `restore` redoes.
const BOOKKEEPING: [&str; 4] = [
    "stage_event_recorder",
    "stage_event_count",
    "change_recorder",
    "change_count",
];

/// Triggers that log each new row in the change log, which do nothing while a bulk load has
/// paused them (`bulk_logged` logs its rows set-wise); set aside only then.
const PAUSED_LOG: [&str; 2] = ["change_event", "change_confirmation"];

impl SetAside {
    /// Drops the secondary indexes of `tables`, the bookkeeping triggers on them, and their
    /// change-log triggers while the log is paused.
    pub(super) fn begin(tx: &rusqlite::Transaction, tables: &[&'static str]) -> Result<SetAside> {
        let (mut made, mut counted) = (Vec::new(), Vec::new());
        let paused: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM change_paused)", [], |r| {
                r.get(0)
            })?;
        let mut stmt = tx.prepare(
            "SELECT type, name, sql FROM sqlite_master
             WHERE tbl_name = ?1 AND sql IS NOT NULL AND (type = 'index' OR type = 'trigger')
             ORDER BY type, name",
        )?;
        let mut dropped = Vec::new();
        for table in tables {
            let rows = stmt.query_map([table], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })?;
            for row in rows {
                let (kind, name, sql) = row?;
                let bookkeeping = BOOKKEEPING.contains(&name.as_str());
                if bookkeeping && !counted.contains(table) {
                    counted.push(*table);
                }
                let idle = paused && PAUSED_LOG.contains(&name.as_str());
                if kind == "index" || bookkeeping || idle {
                    dropped.push(format!(
                        "DROP {} \"{}\"",
                        kind.to_uppercase(),
                        name.replace('"', "\"\"")
                    ));
                    made.push(sql);
                }
            }
        }
        drop(stmt);
        for drop in &dropped {
            tx.execute_batch(drop)?;
        }
        Ok(SetAside { made, counted })
    }

    /// Builds the indexes and triggers again and does the triggers' work for the rows
    /// written meanwhile: the count of the table's rows and who recorded them.
    pub(super) fn restore(self, tx: &rusqlite::Transaction) -> Result<()> {
        for sql in &self.made {
            tx.execute_batch(sql)?;
        }
        for table in self.counted {
            let (counter, login) = match table {
                "stage_event" => ("events", "recorded_by"),
                "change" => ("changes", "login"),
                // internal: BOOKKEEPING names triggers on these two tables only.
                other => return Err(anyhow!("no bookkeeping for {other}")),
            };
            tx.execute_batch(&format!(
                "UPDATE counter SET value = (SELECT count(*) FROM {table}) WHERE name = '{counter}';
                 INSERT OR IGNORE INTO recorder (login) SELECT DISTINCT {login} FROM {table};"
            ))?;
        }
        Ok(())
    }
}
