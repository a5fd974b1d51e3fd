//! Small reads that screens need for their visible window only.

use anyhow::Result;
use rusqlite::{OptionalExtension, params};

use super::{Store, like_pattern};
use crate::domain::MethodLabel;

impl Store {
    /// A window of methods in Swedish name order.
    pub fn method_labels(&self, offset: usize, limit: usize) -> Result<Vec<MethodLabel>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(short_name, name), name FROM method ORDER BY label_key, id LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt.query_map(params![limit as i64, offset as i64], |r| {
            Ok(MethodLabel {
                id: r.get(0)?,
                label: r.get(1)?,
                name: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Store {
    /// Where the method stands in the Methods table under `filter` (None if filtered out):
    /// lets a screen keep the same row selected when other people's changes move it.
    pub fn method_position(&self, filter: &str, id: i64) -> Result<Option<usize>> {
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM method o WHERE o.search LIKE ?1 ESCAPE '\\'
                           AND (o.sort_key, o.id) < (m.sort_key, m.id))
                 FROM method m WHERE m.id = ?2 AND m.search LIKE ?1 ESCAPE '\\'",
                params![like_pattern(filter), id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(n.map(|n| n as usize))
    }

    /// Where the unit stands in the Units table under `filter` (the order of `UNIT_ORDER`).
    pub fn unit_position(&self, filter: &str, id: i64) -> Result<Option<usize>> {
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM unit o WHERE o.search LIKE ?1 ESCAPE '\\'
                           AND ((o.kind <> 'district'), coalesce(o.region, ''), o.sort_key, o.id)
                             < ((u.kind <> 'district'), coalesce(u.region, ''), u.sort_key, u.id))
                 FROM unit u WHERE u.id = ?2 AND u.search LIKE ?1 ESCAPE '\\'",
                params![like_pattern(filter), id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(n.map(|n| n as usize))
    }
}
