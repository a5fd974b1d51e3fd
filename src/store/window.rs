//! Small reads that screens need for their visible window only.

use anyhow::Result;
use rusqlite::params;

use super::Store;

impl Store {
    /// A window of methods in Swedish name order: (id, label, name).
    pub fn method_labels(&self, offset: usize, limit: usize) -> Result<Vec<(i64, String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(short_name, name), name FROM method ORDER BY sort_key, id LIMIT ?1 OFFSET ?2",
        )?;
        let rows = stmt.query_map(params![limit as i64, offset as i64], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
