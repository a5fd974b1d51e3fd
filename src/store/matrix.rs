//! The matrix: methods × units, the current stage (or the stage as of a date) per cell.
//! Screens ask for the cells of the visible window only.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params_from_iter};

use super::units::{UNIT_ORDER, UNIT_SELECT, unit_row};
use super::{Moment, Store};
use crate::domain::{Method, Stage, Unit};

/// Which units are matrix columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixColumns {
    /// Units that existed on the day.
    ValidOn(NaiveDate),
    /// Every unit, historical ones too.
    All,
}

/// A whole matrix, for the command line and exports.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub units: Vec<Unit>,
    pub rows: Vec<(Method, Vec<Option<Stage>>)>,
}

impl Store {
    pub fn matrix_units(&self, columns: MatrixColumns) -> Result<Vec<Unit>> {
        let units = self.units_ordered()?;
        Ok(match columns {
            MatrixColumns::All => units,
            MatrixColumns::ValidOn(day) => units.into_iter().filter(|u| u.valid_on(day)).collect(),
        })
    }

    fn units_ordered(&self) -> Result<Vec<Unit>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{UNIT_SELECT} {UNIT_ORDER}"))?;
        let rows = stmt.query_map([], unit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stages of the cells for the given methods at `moment`.
    pub fn matrix_cells(
        &self,
        method_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), Stage>> {
        let mut cells = HashMap::new();
        for chunk in method_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT method_id, unit_id, stage_then FROM (
                   SELECT a.method_id, a.unit_id, ({}) AS stage_then
                   FROM adoption a WHERE a.method_id IN ({marks}))
                 WHERE stage_then IS NOT NULL",
                moment.stage_sql("a", "?1", "?2")
            );
            let mut params: Vec<rusqlite::types::Value> = moment.stage_params();
            params.extend(chunk.iter().map(|id| rusqlite::types::Value::from(*id)));
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(params), |r| {
                Ok(((r.get(0)?, r.get(1)?), r.get::<_, Stage>(2)?))
            })?;
            for row in rows {
                let (key, stage) = row?;
                cells.insert(key, stage);
            }
        }
        Ok(cells)
    }

    /// The stages of one window of the matrix at `moment`: the visible methods × visible
    /// units, looked up cell by cell through the (method, unit) index.
    pub fn matrix_window(
        &self,
        method_ids: &[i64],
        unit_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), Stage>> {
        let mut cells = HashMap::new();
        let mut stmt = self.conn.prepare_cached(&moment.cell_sql())?;
        for &m in method_ids {
            for &u in unit_ids {
                if let Some(stage) = stmt
                    .query_row(moment.cell_params(m, u), |r| r.get::<_, Stage>(0))
                    .optional()?
                {
                    cells.insert((m, u), stage);
                }
            }
        }
        Ok(cells)
    }

    /// The whole matrix for the command line: every method, the units that count at
    /// `moment` (valid on its day, or all), the stage then.
    pub fn matrix(&self, moment: &Moment) -> Result<Matrix> {
        let units = self.matrix_units(if moment.all_units {
            MatrixColumns::All
        } else {
            MatrixColumns::ValidOn(moment.day)
        })?;
        let methods = self.methods()?;
        let ids: Vec<i64> = methods.iter().map(|m| m.id).collect();
        let cells = self.matrix_cells(&ids, moment)?;
        let rows = methods
            .into_iter()
            .map(|m| {
                let stages = units
                    .iter()
                    .map(|u| cells.get(&(m.id, u.id)).copied())
                    .collect();
                (m, stages)
            })
            .collect();
        Ok(Matrix { units, rows })
    }
}
