//! What other processes changed since a screen last looked: read from the change log that
//! triggers keep in every writing transaction (schema 6), so that an open screen fetches
//! its rows again only when a change touches them. `PRAGMA data_version` says *that*
//! someone committed; this says *what*: which methods and units had stage events,
//! retractions or confirmations, and whether methods or units themselves were added or
//! edited (which can move any row). Writes outside the log (people, keys, settings,
//! rounds, drafts) change no register row; a restore, which replaces the log itself, is
//! seen by the log's mark going back or its count not adding up, and then everything is
//! said to have changed.

use std::collections::HashSet;

use anyhow::Result;

use super::Store;

/// Where the change log stood when a screen last looked: its newest id and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogMark {
    last: i64,
    count: i64,
}

/// The changes since a mark.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Methods with a stage event, retraction or confirmation (or its retraction).
    pub methods: HashSet<i64>,
    /// Units with one.
    pub units: HashSet<i64>,
    /// A method or unit added or edited, a restore, or more changes than are worth
    /// sorting out: any row of any screen may have moved.
    pub structure: bool,
    /// The register's state (`Store::generation`) read before the log: whatever a screen
    /// keeps, less what these changes touch, holds for this state.
    pub at: (i64, u64),
}

/// More changes than this since a screen last looked (a bulk of work, or a screen left
/// behind): everything is fetched again rather than sorted out.
const AT_MOST: i64 = 500;

impl Changes {
    /// Everything may have changed.
    pub fn everything() -> Changes {
        Changes {
            structure: true,
            ..Changes::default()
        }
    }

    /// Nothing in the register changed (someone changed people, settings, a round or a
    /// draft).
    pub fn is_empty(&self) -> bool {
        !self.structure && self.methods.is_empty() && self.units.is_empty()
    }

    /// Whether the method's figures or rows may have changed.
    pub fn touch_method(&self, id: i64) -> bool {
        self.structure || self.methods.contains(&id)
    }

    /// Whether the unit's figures or rows may have changed.
    pub fn touch_unit(&self, id: i64) -> bool {
        self.structure || self.units.contains(&id)
    }
}

impl Store {
    /// Where the change log stands now.
    pub fn log_mark(&self) -> Result<LogMark> {
        Ok(self.conn.query_row(
            "SELECT coalesce((SELECT max(id) FROM change), 0),
                    coalesce((SELECT value FROM counter WHERE name = 'changes'), 0)",
            [],
            |r| {
                Ok(LogMark {
                    last: r.get(0)?,
                    count: r.get(1)?,
                })
            },
        )?)
    }

    /// The changes after `mark`, and the mark to look from next time. Two small reads: the
    /// log's end, and its rows after the mark through the primary key.
    pub fn changes_since(&self, mark: LogMark) -> Result<(Changes, LogMark)> {
        let at = self.generation()?;
        let now = self.log_mark()?;
        let added = now.count - mark.count;
        if now == mark {
            return Ok((
                Changes {
                    at,
                    ..Changes::default()
                },
                now,
            ));
        }
        // The log only grows: anything else is a restore (or an import elsewhere).
        if now.last < mark.last || added != now.last - mark.last || added > AT_MOST {
            return Ok((
                Changes {
                    at,
                    ..Changes::everything()
                },
                now,
            ));
        }
        let mut changes = Changes {
            at,
            ..Changes::default()
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, method_id, unit_id FROM change WHERE id > ?1 AND id <= ?2",
        )?;
        let mut rows = stmt.query([mark.last, now.last])?;
        while let Some(row) = rows.next()? {
            let kind: String = row.get(0)?;
            match kind.as_str() {
                "event" | "retraction" | "confirmation" | "confirmation_retraction" => {
                    if let Some(m) = row.get::<_, Option<i64>>(1)? {
                        changes.methods.insert(m);
                    }
                    if let Some(u) = row.get::<_, Option<i64>>(2)? {
                        changes.units.insert(u);
                    }
                }
                _ => changes.structure = true,
            }
        }
        Ok((changes, now))
    }
}
