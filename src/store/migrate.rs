//! The schema's versions, and bringing a database up to the newest under one lock.
//!
//! Many processes may open an older database at once after an upgrade (every person's
//! session starts the new spridning). Each takes the write lock (`BEGIN IMMEDIATE`, waiting
//! for whoever holds it) and reads the version *inside* that transaction: the first runs
//! the steps and commits; the others then find the database already at the newest version
//! and go on. (rusqlite_migration, used before, read the version before its transaction, so
//! a second process ran the same steps again and failed with "table … already exists".)

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::{Connection, Transaction, TransactionBehavior};

use super::errors::{describe, is_busy};
use crate::domain::Problem;
use crate::domain::problem::Database;

/// A correction a step made to the data, or the reasons it could not: said once to the
/// person whose process ran it (`Store::upgrade_notes`); `check` reports what is still not
/// right.
type Hook = fn(&Transaction) -> Result<Vec<String>>;

/// One version of the schema: its SQL and, for some, a correction of data in Rust.
struct Step {
    sql: &'static str,
    hook: Option<Hook>,
}

const STEPS: [Step; 16] = [
    Step {
        sql: include_str!("migrations/001_initial.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/002_drafts.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/003_activity.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/004_lineage.sql"),
        hook: Some(super::stockholm::correct_reorganisations),
    },
    Step {
        sql: include_str!("migrations/005_counts_by_unit.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/006_changes.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/007_settings.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/008_stalled_order.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/009_label_order.sql"),
        hook: Some(|tx| super::fill_label_keys(tx).map(|()| Vec::new())),
    },
    Step {
        sql: include_str!("migrations/010_confirmations.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/011_heard.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/012_rounds.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/013_events_by_day.sql"),
        hook: Some(|tx| super::stages::fill_milestones(tx).map(|()| Vec::new())),
    },
    Step {
        sql: include_str!("migrations/014_user_keys.sql"),
        hook: None,
    },
    Step {
        sql: include_str!("migrations/015_natural_order.sql"),
        hook: Some(|tx| super::refill_sort_keys(tx).map(|()| Vec::new())),
    },
    Step {
        sql: include_str!("migrations/016_stalled_by_heard.sql"),
        hook: None,
    },
];

/// The newest schema version this spridning knows.
pub const SCHEMA_VERSION: i64 = STEPS.len() as i64;

/// How long an opening process waits for another one's upgrade before it gives up (an
/// upgrade of a million events takes some seconds).
const UPGRADE_WAIT: Duration = Duration::from_secs(120);

/// Brings the database up to `SCHEMA_VERSION`, all steps in one transaction; returns what
/// the steps' corrections said (nothing when another process had already upgraded it).
pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<Vec<String>> {
    let started = Instant::now();
    let tx = loop {
        match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
            Ok(tx) => break tx,
            Err(e) if is_busy(&e) && started.elapsed() < UPGRADE_WAIT => {
                std::thread::sleep(Duration::from_millis(50));
            }
            Err(e) if is_busy(&e) => {
                return Err(Problem::Locked {
                    path: path.display().to_string(),
                    seconds: UPGRADE_WAIT.as_secs(),
                }
                .into());
            }
            Err(e) => return Err(describe(e, path)),
        }
    };
    let version: i64 = tx
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| describe(e, path))?;
    if version >= SCHEMA_VERSION {
        return Ok(Vec::new());
    }
    if version < 0 {
        return Err(Database::ForeignVersion {
            path: path.display().to_string(),
            version,
        }
        .into());
    }
    let mut notes = Vec::new();
    for (i, step) in STEPS.iter().enumerate().skip(version as usize) {
        let upgrade = || -> Result<Vec<String>> {
            tx.execute_batch(step.sql)?;
            match step.hook {
                Some(hook) => hook(&tx),
                None => Ok(Vec::new()),
            }
        };
        let said = upgrade().map_err(|e| Database::Upgrade {
            path: path.display().to_string(),
            version: i as i64 + 1,
            why: format!("{e:#}"),
        })?;
        notes.extend(said);
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(|e| describe(e, path))?;
    tx.commit().map_err(|e| describe(e, path))?;
    Ok(notes)
}
