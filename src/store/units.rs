//! Units: districts, central administrations and partners, with validity dates and successors.

use crate::domain::problem::Reorganisation;
use crate::domain::problem::reorganisation::UnitEdit;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::access::Gate;
use super::columns::{Column, insert_row, update_row};
use super::lineage::guarded;
use super::moment::{Moment, Side, current_at, stage_counts};
use super::stages::{EVENT_SELECT, event_row, events_outside};
use super::{Store, like_pattern, now_utc, ruled, ruled_opt, search_key, sort_key};
use crate::domain::Deed;
use crate::domain::rules;
use crate::domain::text::{clean_line, same_ignoring_case};
use crate::domain::{CurrentStage, EventRow, Unit, UnitSummary};
use crate::domain::{Noun, Problem};

/// What a form or an import gives for a unit: a `Unit` (id and version are not read).
pub type UnitInput = Unit;

impl Unit {
    /// The same unit with every field cleaned and checked by its rule.
    pub fn validate(&self) -> Result<Unit> {
        let code = rules::unit_code(&self.code)?;
        let name = ruled(&rules::UNIT_NAME, &self.name)?;
        if let (Some(from), Some(to)) = (self.valid_from, self.valid_to)
            && from > to
        {
            return Err(Problem::ValidFromAfterTo {
                code,
                from: from.to_string(),
                to: to.to_string(),
            }
            .into());
        }
        let region = ruled_opt(&rules::REGION, &self.region)?;
        // A successor that cleans away to nothing (only invisible characters) is an error,
        // not silently no successor.
        let successor = match self.successor.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                let s = clean_line(raw).to_uppercase();
                if s.is_empty() {
                    return Err(Reorganisation::Unit(UnitEdit::InvisibleSuccessor { code }).into());
                }
                Some(s)
            }
        };
        Ok(Unit {
            id: self.id,
            version: self.version,
            code,
            name,
            kind: self.kind,
            region,
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            successor,
        })
    }
}

impl Unit {
    /// The stored columns and their values: what insert and update share (the successor is
    /// a reference, set apart by `set_successor_tx`).
    fn columns(&self) -> Vec<Column<'_>> {
        vec![
            ("code", Box::new(&self.code)),
            ("name", Box::new(&self.name)),
            ("kind", Box::new(&self.kind)),
            ("region", Box::new(&self.region)),
            ("valid_from", Box::new(day(self.valid_from))),
            ("valid_to", Box::new(day(self.valid_to))),
            (
                "search",
                Box::new(search_key(&[
                    &self.code,
                    &self.name,
                    self.region.as_deref().unwrap_or(""),
                ])),
            ),
            ("sort_key", Box::new(sort_key(&self.name))),
        ]
    }
}

pub(super) const UNIT_SELECT: &str =
    "SELECT u.id, u.code, u.name, u.kind, u.region, u.valid_from, u.valid_to, s.code, u.version
     FROM unit u LEFT JOIN unit s ON s.id = u.successor_id";

/// Districts first, then by region and Swedish name order.
pub(super) const UNIT_ORDER: &str =
    "ORDER BY (u.kind <> 'district'), coalesce(u.region, ''), u.sort_key, u.id";

pub(super) fn unit_row(r: &Row) -> rusqlite::Result<Unit> {
    let date = |s: Option<String>| s.and_then(|s| s.parse::<NaiveDate>().ok());
    Ok(Unit {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        kind: r.get(3)?,
        region: r.get(4)?,
        valid_from: date(r.get(5)?),
        valid_to: date(r.get(6)?),
        successor: r.get(7)?,
        version: r.get(8)?,
    })
}

/// "1999-01-01–2006-12-31", "1999-01-01–", "–2006-12-31", "–": the same in both languages.
fn span(from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    format!("{}–{}", day(from), day(to))
}

fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

pub(super) fn insert_unit_tx(tx: &Transaction, input: &Unit, by: &str) -> Result<i64> {
    let u = input.validate()?;
    ensure_unique(tx, &u, None)?;
    let now = now_utc();
    let id = insert_row(tx, "unit", u.columns(), (&now, by), (&now, by))?;
    if u.successor.is_some() {
        set_successor_tx(tx, &u.code, u.successor.as_deref())?;
    }
    Ok(id)
}

/// Writes a unit's fields over row `id`: only if its version is still `version` (when
/// given). A `whole` edit also checks the name/code namespace and sets the successor; an
/// import does both itself once every unit is in.
pub(super) fn update_unit_tx(
    tx: &Transaction,
    id: i64,
    version: Option<i64>,
    input: &Unit,
    by: &str,
    whole: bool,
) -> Result<()> {
    let u = input.validate()?;
    if whole {
        ensure_unique(tx, &u, Some(id))?;
    }
    // New dates may not leave recorded events outside the unit's time.
    let outside = events_outside(tx, &Unit { id, ..u.clone() })?;
    if !outside.is_empty() {
        return Err(Reorganisation::Unit(UnitEdit::EventsOutside {
            code: u.code.clone(),
            span: span(u.valid_from, u.valid_to),
            events: outside,
        })
        .into());
    }
    let changed = update_row(tx, "unit", u.columns(), (id, version), (&now_utc(), by))?;
    if changed == 0 {
        return Err(Problem::ChangedMeanwhile {
            what: Noun::Unit,
            name: u.code.clone(),
        }
        .into());
    }
    if whole {
        set_successor_tx(tx, &u.code, u.successor.as_deref())?;
    }
    Ok(())
}

/// The id of the unit with `code`.
pub(super) fn unit_id(tx: &Transaction, code: &str) -> Result<i64> {
    tx.query_row("SELECT id FROM unit WHERE code = ?1", [code], |r| r.get(0))
        .optional()?
        .ok_or_else(|| {
            Problem::Unknown {
                what: Noun::Unit,
                wanted: code.to_string(),
                near: Vec::new(),
            }
            .into()
        })
}

/// Codes and names are unique, case-insensitively also for å, ä, ö (which SQL's NOCASE
/// does not fold), as `find_unit` matches them.
pub(super) fn ensure_unique(tx: &Transaction, u: &UnitInput, except: Option<i64>) -> Result<()> {
    let mut stmt = tx.prepare_cached("SELECT code, name FROM unit WHERE id IS NOT ?1")?;
    let others = stmt.query_map([except], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    for other in others {
        let (code, name) = other?;
        // Codes and names share one namespace, so `--unit X` is never ambiguous.
        for wanted in [&u.code, &u.name] {
            if same_ignoring_case(&code, wanted) || same_ignoring_case(&name, wanted) {
                return Err(Problem::UnitNameTaken {
                    wanted: wanted.clone(),
                    code,
                    name,
                }
                .into());
            }
        }
    }
    Ok(())
}

/// Sets (or clears) the successor of unit `code`. Refuses an unknown unit or successor, and
/// a successor whose own chain of successors leads back to `code` (`KS → SOD → KS`).
pub(super) fn set_successor_tx(
    tx: &Transaction,
    code: &str,
    successor: Option<&str>,
) -> Result<()> {
    let id = unit_id(tx, code)?;
    let successor_id: Option<i64> = match successor {
        None => None,
        Some(s) => Some(
            tx.query_row("SELECT id FROM unit WHERE code = ?1", [s], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Problem::UnknownSuccessor {
                    code: s.to_string(),
                })?,
        ),
    };
    if successor_id == Some(id) {
        return Err(Problem::OwnSuccessor {
            code: code.to_string(),
        }
        .into());
    }
    if let Some(first) = successor_id {
        let mut stmt = tx.prepare_cached(
            "SELECT s.id, s.code FROM unit u JOIN unit s ON s.id = u.successor_id WHERE u.id = ?1",
        )?;
        let mut chain = vec![
            code.to_string(),
            successor.unwrap_or_default().to_uppercase(),
        ];
        let mut at = first;
        while let Some((next, next_code)) = stmt
            .query_row([at], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
            .optional()?
        {
            chain.push(next_code);
            if next == id {
                return Err(Problem::SuccessorCircle {
                    code: code.to_string(),
                    successor: chain[1].clone(),
                    circle: chain,
                }
                .into());
            }
            // A circle that does not pass `code` is reported by `check`; stop following it.
            if chain.len() > 10_000 {
                break;
            }
            at = next;
        }
    }
    tx.execute(
        "UPDATE unit SET successor_id = ?2 WHERE id = ?1",
        params![id, successor_id],
    )?;
    // The lineage follows: a unit that merged into another, from the day after it ended
    // (or the day its successor began).
    tx.execute(
        "DELETE FROM unit_lineage WHERE predecessor_id = ?1 AND successor_id IS NOT ?2
           AND (SELECT count(*) FROM unit_lineage WHERE predecessor_id = ?1) = 1",
        params![id, successor_id],
    )?;
    if let Some(s) = successor_id {
        tx.execute(
            "INSERT OR IGNORE INTO unit_lineage (predecessor_id, successor_id, effective)
             SELECT p.id, s.id, coalesce(date(p.valid_to, '+1 day'), s.valid_from)
             FROM unit p, unit s WHERE p.id = ?1 AND s.id = ?2
               AND coalesce(p.valid_to, s.valid_from) IS NOT NULL",
            params![id, s],
        )?;
    }
    Ok(())
}

/// A unit with every method's current stage there and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitDetail {
    pub unit: Unit,
    pub predecessors: Vec<String>,
    pub current: Vec<CurrentStage>,
    pub history: Vec<EventRow>,
}

impl Store {
    /// Adds a unit (coordinators); returns its id.
    pub fn add_unit(&mut self, input: &UnitInput) -> Result<i64> {
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::AddUnit), |tx| {
            guarded(tx, || insert_unit_tx(tx, input, &by))
        })
    }

    /// Saves an edited unit if nobody changed it since `version` was read.
    pub fn update_unit(&mut self, id: i64, version: i64, input: &UnitInput) -> Result<()> {
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::EditUnit), |tx| {
            guarded(tx, || {
                update_unit_tx(tx, id, Some(version), input, &by, true)
            })
        })
    }

    /// Every unit, districts first by region, then the others.
    pub fn units(&self) -> Result<Vec<Unit>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{UNIT_SELECT} {UNIT_ORDER}"))?;
        let rows = stmt.query_map([], unit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The unit with this id.
    pub fn unit(&self, id: i64) -> Result<Unit> {
        Ok(self
            .conn
            .query_row(&format!("{UNIT_SELECT} WHERE u.id = ?1"), [id], unit_row)?)
    }

    /// How many units the Units tab's filter shows.
    pub fn unit_count(&self, filter: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM unit WHERE search LIKE ?1 ESCAPE '\\'",
            [like_pattern(filter)],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// One window of the Units table.
    pub fn unit_summaries(
        &self,
        filter: &str,
        (offset, limit): (usize, usize),
        moment: &Moment,
    ) -> Result<Vec<UnitSummary>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{UNIT_SELECT} WHERE u.search LIKE ?1 ESCAPE '\\' {UNIT_ORDER} LIMIT ?2 OFFSET ?3"
        ))?;
        let units = stmt
            .query_map(
                params![like_pattern(filter), limit as i64, offset as i64],
                unit_row,
            )?
            .collect::<rusqlite::Result<Vec<Unit>>>()?;
        units
            .into_iter()
            .map(|u| {
                // A unit's own row counts its own stages; a unit that has ceased shows its
                // stages on its last day.
                let own = Moment {
                    all_units: true,
                    day: u.valid_to.map_or(moment.day, |to| to.min(moment.day)),
                    ..*moment
                };
                let (counts, last_change) = stage_counts(&self.conn, "unit_id", u.id, &own, &[])?;
                Ok(UnitSummary {
                    id: u.id,
                    code: u.code,
                    name: u.name,
                    kind: u.kind,
                    region: u.region,
                    valid_from: u.valid_from,
                    valid_to: u.valid_to,
                    counts,
                    last_change,
                })
            })
            .collect()
    }

    /// A unit with every method's stage there at `moment` and its history.
    pub fn unit_detail(&self, id: i64, moment: &Moment) -> Result<UnitDetail> {
        let unit = self.unit(id)?;
        let current = current_at(&self.conn, Side::MethodsOf, id, moment)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EVENT_SELECT} WHERE a.unit_id = ?1 ORDER BY e.effective DESC, e.id DESC LIMIT 500"
        ))?;
        let history = stmt
            .query_map([id], event_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let predecessors = self.predecessors(Some(id))?.remove(&id).unwrap_or_default();
        Ok(UnitDetail {
            unit,
            predecessors,
            current,
            history,
        })
    }

    /// The codes of the units each unit took over from directly (one unit, or all), in the
    /// units' order.
    pub fn predecessors(
        &self,
        of: Option<i64>,
    ) -> Result<std::collections::HashMap<i64, Vec<String>>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT l.successor_id, p.code FROM unit_lineage l
             JOIN unit p ON p.id = l.predecessor_id
             WHERE ?1 IS NULL OR l.successor_id = ?1 ORDER BY p.sort_key",
        )?;
        let mut out: std::collections::HashMap<i64, Vec<String>> = Default::default();
        let rows = stmt.query_map([of], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (successor, code) = row?;
            out.entry(successor).or_default().push(code);
        }
        Ok(out)
    }
}
