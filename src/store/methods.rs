//! Methods: what they are, and the Methods table and detail view.

use anyhow::Result;
use rusqlite::{Row, Transaction, params};

use super::access::Gate;
use super::columns::{Column, insert_row, update_row};
use super::moment::{Moment, Side, current_at, stage_counts, units_outside};
use super::stages::{EVENT_SELECT, event_row};
use super::{CurvePoint, Store, like_pattern, now_utc, ruled, ruled_opt, search_key, sort_key};
use crate::domain::Deed;
use crate::domain::rules;
use crate::domain::text::same_ignoring_case;
use crate::domain::{CurrentStage, EventRow, Method, MethodSummary};
use crate::domain::{Noun, Problem};

/// What a form or an import gives for a method: a `Method` (id and version are not read).
pub type MethodInput = Method;

impl Method {
    /// The same method with every field cleaned and checked by its rule.
    pub fn validate(&self) -> Result<Method> {
        Ok(Method {
            id: self.id,
            version: self.version,
            name: ruled(&rules::METHOD_NAME, &self.name)?,
            short_name: ruled_opt(&rules::SHORT_NAME, &self.short_name)?,
            kind: self.kind,
            area: ruled(&rules::AREA, &self.area)?.to_lowercase(),
            description: ruled(&rules::DESCRIPTION, &self.description)?,
            target_group: ruled_opt(&rules::TARGET_GROUP, &self.target_group)?,
            origin: ruled_opt(&rules::ORIGIN, &self.origin)?,
            evidence: ruled_opt(&rules::EVIDENCE, &self.evidence)?,
            evidence_link: ruled_opt(&rules::EVIDENCE_LINK, &self.evidence_link)?,
            contact: ruled_opt(&rules::CONTACT, &self.contact)?,
        })
    }

    /// The stored columns and their values: what insert and update share.
    fn columns(&self) -> Vec<Column<'_>> {
        vec![
            ("name", Box::new(&self.name)),
            ("short_name", Box::new(&self.short_name)),
            ("kind", Box::new(&self.kind)),
            ("area", Box::new(&self.area)),
            ("description", Box::new(&self.description)),
            ("target_group", Box::new(&self.target_group)),
            ("origin", Box::new(&self.origin)),
            ("evidence", Box::new(&self.evidence)),
            ("evidence_link", Box::new(&self.evidence_link)),
            ("contact", Box::new(&self.contact)),
            ("search", Box::new(self.search())),
            ("sort_key", Box::new(sort_key(&self.name))),
            (
                "label_key",
                Box::new(sort_key(self.short_name.as_deref().unwrap_or(&self.name))),
            ),
        ]
    }

    fn search(&self) -> String {
        search_key(&[
            &self.name,
            self.short_name.as_deref().unwrap_or(""),
            &self.area,
        ])
    }
}

/// Names and short names share one namespace, so `--method X` is never ambiguous. Compared
/// here, not in SQL: NOCASE folds ASCII only, and `find_method` folds å, ä, ö too.
fn ensure_unique(tx: &Transaction, m: &MethodInput, except: Option<i64>) -> Result<()> {
    let mut stmt = tx.prepare_cached("SELECT name, short_name FROM method WHERE id IS NOT ?1")?;
    let others = stmt.query_map([except], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
    })?;
    let keys = [Some(m.name.as_str()), m.short_name.as_deref()];
    for other in others {
        let (name, short) = other?;
        let taken = [Some(name.as_str()), short.as_deref()];
        for key in keys.into_iter().flatten() {
            if taken
                .into_iter()
                .flatten()
                .any(|t| same_ignoring_case(t, key))
            {
                return Err(Problem::MethodNameTaken {
                    wanted: key.to_string(),
                    owner: name,
                }
                .into());
            }
        }
    }
    Ok(())
}

pub(super) fn insert_method_tx(
    tx: &Transaction,
    input: &Method,
    created: (&str, &str),
    updated: (&str, &str),
) -> Result<i64> {
    let m = input.validate()?;
    ensure_unique(tx, &m, None)?;
    insert_row(tx, "method", m.columns(), created, updated)
}

const METHOD_SELECT: &str = "SELECT id, name, short_name, kind, area, description, target_group,
            origin, evidence, evidence_link, contact, version FROM method";

pub(super) fn method_row(r: &Row) -> rusqlite::Result<Method> {
    Ok(Method {
        id: r.get(0)?,
        name: r.get(1)?,
        short_name: r.get(2)?,
        kind: r.get(3)?,
        area: r.get(4)?,
        description: r.get(5)?,
        target_group: r.get(6)?,
        origin: r.get(7)?,
        evidence: r.get(8)?,
        evidence_link: r.get(9)?,
        contact: r.get(10)?,
        version: r.get(11)?,
    })
}

/// A method with every unit's current stage and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodDetail {
    pub method: Method,
    pub current: Vec<CurrentStage>,
    pub history: Vec<EventRow>,
    /// The adoption curve up to the day shown, for the chart.
    pub curve: Vec<CurvePoint>,
}

impl Store {
    /// Adds a method (coordinators); returns its id.
    pub fn add_method(&mut self, input: &MethodInput) -> Result<i64> {
        let now = now_utc();
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::AddMethod), |tx| {
            insert_method_tx(tx, input, (&now, &by), (&now, &by))
        })
    }

    /// Saves an edited method if nobody changed it since `version` was read.
    pub fn update_method(&mut self, id: i64, version: i64, input: &Method) -> Result<()> {
        let m = input.validate()?;
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::EditMethod), |tx| {
            ensure_unique(tx, &m, Some(id))?;
            let changed = update_row(
                tx,
                "method",
                m.columns(),
                (id, Some(version)),
                (&now_utc(), &by),
            )?;
            if changed == 0 {
                return Err(Problem::ChangedMeanwhile {
                    what: Noun::Method,
                    name: format!("'{}'", m.name),
                }
                .into());
            }
            Ok(())
        })
    }

    /// The method with this id.
    pub fn method(&self, id: i64) -> Result<Method> {
        Ok(self
            .conn
            .query_row(&format!("{METHOD_SELECT} WHERE id = ?1"), [id], method_row)?)
    }

    /// All methods in Swedish name order.
    pub fn methods(&self) -> Result<Vec<Method>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{METHOD_SELECT} ORDER BY sort_key, id"))?;
        let rows = stmt.query_map([], method_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many methods the Methods tab's filter shows.
    pub fn method_count(&self, filter: &str) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM method WHERE search LIKE ?1 ESCAPE '\\'",
            [like_pattern(filter)],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// One window of the Methods table: counts per current stage and the latest stage date.
    pub fn method_summaries(
        &self,
        filter: &str,
        (offset, limit): (usize, usize),
        moment: &Moment,
    ) -> Result<Vec<MethodSummary>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, short_name, area FROM method WHERE search LIKE ?1 ESCAPE '\\'
             ORDER BY sort_key, id LIMIT ?2 OFFSET ?3",
        )?;
        let rows = stmt
            .query_map(
                params![like_pattern(filter), limit as i64, offset as i64],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?
            .collect::<rusqlite::Result<Vec<(i64, String, Option<String>, String)>>>()?;
        let outside = units_outside(&self.conn, moment)?;
        rows.into_iter()
            .map(|(id, name, short_name, area)| {
                let (counts, last_change) =
                    stage_counts(&self.conn, "method_id", id, moment, &outside)?;
                Ok(MethodSummary {
                    id,
                    name,
                    short_name,
                    area,
                    counts,
                    last_change,
                })
            })
            .collect()
    }

    /// A method with every unit's stage at `moment` and its history.
    pub fn method_detail(&self, id: i64, moment: &Moment) -> Result<MethodDetail> {
        let method = self.method(id)?;
        let current = current_at(&self.conn, Side::UnitsOf, id, moment)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{EVENT_SELECT} WHERE a.method_id = ?1 ORDER BY e.effective DESC, e.id DESC LIMIT 500"
        ))?;
        let history = stmt
            .query_map([id], event_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let curve = self.adoption_curve(id, moment)?;
        Ok(MethodDetail {
            method,
            current,
            history,
            curve,
        })
    }
}
