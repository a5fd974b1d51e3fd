//! Drafts: what a person typed into a form that was not saved, kept per login so that a
//! dropped SSH connection, a kill or a crash loses nothing.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::Result;
use rusqlite::{OptionalExtension, params};

use super::access::Gate;
use super::{BUSY_TIMEOUT, Store, now_utc};

/// Text typed into a form and not saved, kept per login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// Which form: record_stage, new_method, edit_method, new_unit, edit_unit.
    pub form: String,
    pub target_id: Option<i64>,
    pub version: Option<i64>,
    pub fields: BTreeMap<String, String>,
    pub original: BTreeMap<String, String>,
    pub saved_at: String,
}

impl Store {
    /// Keeps `draft` as this login's draft, replacing an older one.
    pub fn save_draft(&mut self, draft: &Draft) -> Result<()> {
        let login = self.user.clone();
        let fields = serde_json::to_string(&draft.fields)?;
        let original = serde_json::to_string(&draft.original)?;
        self.write(Gate::Own, |tx| {
            tx.execute(
                "INSERT OR REPLACE INTO draft (login, form, target_id, version, fields, original, saved_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![login, draft.form, draft.target_id, draft.version, fields, original, now_utc()],
            )?;
            Ok(())
        })
    }

    /// Saves a draft on the way out (hang-up, kill, crash): one short try, so the process
    /// can exit within a second even if another process holds the lock.
    pub fn save_draft_quickly(&mut self, draft: &Draft) -> Result<()> {
        self.conn.busy_timeout(Duration::from_millis(400))?;
        let saved = self.save_draft(draft);
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        saved
    }

    /// This login's draft, if it has one.
    pub fn draft(&self) -> Result<Option<Draft>> {
        let row = self
            .conn
            .query_row(
                "SELECT form, target_id, version, fields, original, saved_at FROM draft WHERE login = ?1",
                [&self.user],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                    ))
                },
            )
            .optional()?;
        let Some((form, target_id, version, fields, original, saved_at)) = row else {
            return Ok(None);
        };
        Ok(Some(Draft {
            form,
            target_id,
            version,
            fields: serde_json::from_str(&fields)?,
            original: serde_json::from_str(&original)?,
            saved_at,
        }))
    }

    /// Forgets this login's draft (it was saved, or dropped).
    pub fn delete_draft(&mut self) -> Result<()> {
        let login = self.user.clone();
        self.write(Gate::Own, |tx| {
            tx.execute("DELETE FROM draft WHERE login = ?1", [login])?;
            Ok(())
        })
    }
}
