//! The store: the only module that speaks SQL. Opens and migrates the SQLite file with the
//! connection settings that protect users (WAL, synchronous=FULL, foreign keys, busy timeout),
//! and offers intent-named reads and writes. Every write is one short `BEGIN IMMEDIATE`
//! transaction.

mod access;
mod activity;
mod bulk;
mod columns;
mod confirmations;
mod deck;
mod drafts;
mod errors;
mod exchange;
mod health;
pub(crate) mod keys;
mod lineage;
mod live;
mod lookup;
mod matrix;
mod methods;
mod metrics;
mod migrate;
mod moment;
mod reorganise;
mod restore;
mod rounds;
mod settings;
mod stages;
mod stockholm;
mod units;
mod users;
mod window;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use errors::{describe, explain, is_busy, is_code, unreadable};

use crate::domain::Problem;
use crate::domain::problem::Database;
use crate::domain::rules::Rule;

use access::Gate;
pub use access::{Access, Role};
pub use activity::{ActivityPlan, Counting};
pub use bulk::BulkEvent;
pub use confirmations::{ConfirmationRow, HistoryEntry};
pub use deck::{DEFAULT_TITLE, LiveChange, YearEvent};
pub use drafts::Draft;
pub use exchange::{
    Carried, ExportChange, ExportData, ExportEvent, ExportLineage, ExportUnit, ExportUser,
    ImportCounts, TABLES,
};
pub use health::BackupReport;
pub use keys::{UserKey, key_owner};
pub use live::{Changes, LogMark};
pub use matrix::{
    CellAge, CountPer, FilmHistory, Matrix, MatrixColumns, Predecessors, RolledCell, RolledMatrix,
};
pub use methods::{MethodDetail, MethodInput};
pub use metrics::{
    Background, CurvePoint, DEFINITIONS, Definition, Figures, Metrics, MetricsScope, STALLED_AFTER,
    STALLED_COUNT_CAP, Stalled, Standing, months_between,
};
pub use migrate::SCHEMA_VERSION;
pub use moment::{DEFAULT_FRESH_MONTHS, MAX_FRESH_MONTHS, Moment};
pub use reorganise::{Reorganisation, ReorganisationReport, Review};
pub use restore::RestoreReport;
pub use rounds::{Answer, Answering, ChecklistRow, NewRound, Round, RoundReport, UnitProgress};
pub use settings::parse_fresh_months;
pub use stages::HistoryFilter;
pub use units::{UnitDetail, UnitInput};

/// Marks a SQLite file as a spridning database (`PRAGMA application_id`): "SPRD".
const APPLICATION_ID: i32 = 0x5350_5244;

/// How long SQLite itself waits for another process's lock, and how many times a write
/// tries again after that before it gives up with a message (nothing is written then).
const BUSY_TIMEOUT: Duration = Duration::from_secs(2);
const WRITE_ATTEMPTS: u32 = 5;

/// An open spridning database, and who acts on it.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The login that writes are recorded under.
    user: String,
    /// The acting login owns the file (see `access`).
    owner: bool,
    /// Commits made through this connection (`data_version` counts only other ones').
    writes: u64,
    /// What an upgrade this process ran could not correct (see `migrate`).
    upgrade_notes: Vec<String>,
}

/// A read-only connection of its own to the database at `path`, for work done in a thread
/// (an exact count, figures readied in the background) while the store's own goes on.
fn reader_connection(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

impl Store {
    /// Opens an existing spridning database. A missing file, a file that is not SQLite, a
    /// SQLite file of another application, or a database from a newer spridning is refused
    /// with a message, and the file is left as it was.
    pub fn open(path: &Path, user: &str) -> Result<Store> {
        if !path.exists() {
            return Err(Database::Missing { path: shown(path) }.into());
        }
        if path.is_dir() {
            return Err(Database::Folder { path: shown(path) }.into());
        }
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Err(Database::NotRegular { path: shown(path) }.into());
        }
        if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == 0) {
            return Err(Database::EmptyFile { path: shown(path) }.into());
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot open {}", path.display()))?;
        let app_id: i32 = match conn.query_row("PRAGMA application_id", [], |r| r.get(0)) {
            Ok(id) => id,
            Err(e) if is_code(&e, ErrorCode::NotADatabase) => {
                return Err(Database::NotSqlite { path: shown(path) }.into());
            }
            Err(e) => return Err(unreadable(e, path)),
        };
        if app_id != APPLICATION_ID {
            return Err(Database::OtherApp { path: shown(path) }.into());
        }
        let known = SCHEMA_VERSION;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| describe(e, path))?;
        if version < 0 {
            return Err(Database::ForeignVersion {
                path: shown(path),
                version,
            }
            .into());
        }
        if version > known {
            return Err(Database::Newer {
                path: shown(path),
                version,
                known,
            }
            .into());
        }
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            user: user.to_string(),
            owner: false,
            writes: 0,
            upgrade_notes: Vec::new(),
        };
        store.configure()?;
        if version < known {
            store.upgrade_notes = migrate::migrate(&mut store.conn, path)?;
        }
        Ok(store)
    }

    /// Creates a new database with the schema and Stockholm's units. Refuses an existing path.
    /// `coordinator`, when given, is registered as the first coordinator.
    pub fn create(path: &Path, user: &str, coordinator: Option<&str>) -> Result<Store> {
        if path.exists() {
            return Err(Database::Exists { path: shown(path) }.into());
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("cannot create {}", path.display()))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            user: user.to_string(),
            // Whoever creates the file owns it.
            owner: true,
            writes: 0,
            upgrade_notes: Vec::new(),
        };
        let built = (|| -> Result<()> {
            store.configure()?;
            store
                .conn
                .pragma_update(None, "application_id", APPLICATION_ID)?;
            migrate::migrate(&mut store.conn, path)?;
            store.write(Gate::Own, |tx| {
                stockholm::insert_units(tx, user)?;
                if let Some(login) = coordinator {
                    users::insert(tx, login, "coordinator", &[], user)?;
                }
                Ok(())
            })
        })();
        if let Err(e) = built {
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            // A full disk, a read-only folder: said in words about the file.
            return Err(explain(e, path));
        }
        Ok(store)
    }

    fn configure(&mut self) -> Result<()> {
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| unreadable(e, &self.path))?;
        self.conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| unreadable(e, &self.path))?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| unreadable(e, &self.path))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Database::NoWal {
                path: shown(&self.path),
                mode,
            }
            .into());
        }
        self.conn
            .pragma_update(None, "synchronous", "FULL")
            .map_err(|e| unreadable(e, &self.path))?;
        Ok(())
    }

    /// What the upgrade this process ran when it opened the database could not apply, in
    /// words (empty when nothing was upgraded, or all of it was).
    pub fn upgrade_notes(&self) -> &[String] {
        &self.upgrade_notes
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The login writes are recorded under.
    pub fn user(&self) -> &str {
        &self.user
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction: all of it lands, or none of it. Taking
    /// the write lock waits out other writers (busy timeout) and tries again a few times, so
    /// a person never sees "database is locked" for an ordinary moment of contention.
    ///
    /// `gate` (what the acting login must be allowed) is checked inside that transaction,
    /// before `f`, so what it reads is what the write sees; `f` makes every other check of
    /// its own there too (a unit's validity, a version, the lineage). It is also asked once
    /// before the lock is taken, so a refusal reads as a refusal even on a database that
    /// cannot be written at all.
    fn write<T>(&mut self, gate: Gate, f: impl FnOnce(&Transaction) -> Result<T>) -> Result<T> {
        let actor = self.actor();
        actor.admit(&self.conn, gate)?;
        let mut attempt = 1;
        let tx = loop {
            match self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
            {
                Ok(tx) => break tx,
                Err(e) if is_busy(&e) && attempt < WRITE_ATTEMPTS => attempt += 1,
                Err(e) if is_busy(&e) => {
                    return Err(Problem::Locked {
                        path: self.path.display().to_string(),
                        seconds: BUSY_TIMEOUT.as_secs() * u64::from(WRITE_ATTEMPTS),
                    }
                    .into());
                }
                Err(e) => return Err(describe(e, &self.path)),
            }
        };
        let out = actor
            .admit(&tx, gate)
            .and_then(|()| f(&tx))
            .map_err(|e| explain(e, &self.path))?;
        tx.commit().map_err(|e| describe(e, &self.path))?;
        self.writes += 1;
        Ok(out)
    }

    /// A value that changes with every commit, this connection's and others': what a screen
    /// keeps computed figures against.
    pub fn generation(&self) -> Result<(i64, u64)> {
        Ok((self.data_version()?, self.writes))
    }

    /// A number that changes when any connection commits (`PRAGMA data_version`), so screens
    /// know when to refresh.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }
}

thread_local! {
    /// A time `now_utc` says instead of the clock's, on this thread (see `at_time`).
    static FIXED_NOW: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// A path as messages show it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// Current time in UTC, as stored in the database.
pub fn now_utc() -> String {
    FIXED_NOW
        .with(|fixed| fixed.borrow().clone())
        .unwrap_or_else(|| chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// Runs `f` with every stamp this thread writes saying `stamp` instead of the clock's time:
/// for a build that must not depend on when it runs (the sample database, whose units and
/// change log `init` stamps).
pub fn at_time<T>(stamp: &str, f: impl FnOnce() -> T) -> T {
    let before = FIXED_NOW.with(|fixed| fixed.replace(Some(stamp.to_string())));
    let out = f();
    FIXED_NOW.with(|fixed| *fixed.borrow_mut() = before);
    out
}

/// Applies a field's rule, with the message as an error.
pub(super) fn ruled(rule: &Rule, raw: &str) -> Result<String> {
    Ok(rule.clean(raw)?)
}

pub(super) fn ruled_opt(rule: &Rule, raw: &Option<String>) -> Result<Option<String>> {
    Ok(rule.clean_opt(raw.as_deref())?)
}

/// Lower-case form used for `/` filtering.
fn search_key(parts: &[&str]) -> String {
    parts.join(" ").to_lowercase()
}

/// Sets every method's label key (schema 9): the short name, else the name, as `sort_key`.
fn fill_label_keys(tx: &Transaction) -> Result<()> {
    let methods: Vec<(i64, String)> = tx
        .prepare("SELECT id, coalesce(short_name, name) FROM method")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE method SET label_key = ?2 WHERE id = ?1")?;
    for (id, label) in methods {
        update.execute(rusqlite::params![id, sort_key(&label)])?;
    }
    Ok(())
}

/// A key whose byte order is Swedish alphabetical order (å, ä, ö after z) and natural
/// order for numbers (schema 15): "M2" before "M10", "Område 9" before "Område 10". A run
/// of digits is written as its length (two digits) and then its digits without leading
/// zeros, so a shorter number sorts first and equal lengths sort digit by digit; "M02" and
/// "M2" share a key and fall back on the id.
pub(crate) fn sort_key(name: &str) -> String {
    KeyChars::new(name).collect()
}

/// `a` and `b` in the order of their `sort_key`s, without making them (a list of a hundred
/// thousand names sorts without a hundred thousand keys in memory).
pub(crate) fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    KeyChars::new(a).cmp(KeyChars::new(b))
}

/// The characters of a name's `sort_key`, one at a time.
struct KeyChars<'a> {
    rest: std::str::Chars<'a>,
    /// Characters already worked out: a letter's lower case (which may be more than one),
    /// or a digit run's length and digits, in reverse (popped from the end).
    pending: Vec<char>,
}

impl<'a> KeyChars<'a> {
    fn new(name: &'a str) -> KeyChars<'a> {
        KeyChars {
            rest: name.chars(),
            pending: Vec::new(),
        }
    }
}

impl Iterator for KeyChars<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.pending.pop() {
            return Some(c);
        }
        // `pending` is empty here; it is filled in reading order and turned round, so one
        // buffer serves every run of a name (no allocation per run or letter).
        let c = self.rest.next()?;
        if c.is_ascii_digit() {
            // The whole run: its digits without leading zeros, after its length.
            let mut zeros = c == '0';
            for d in std::iter::once(c).chain(std::iter::from_fn(|| {
                self.rest
                    .clone()
                    .next()
                    .filter(char::is_ascii_digit)
                    .inspect(|_| {
                        self.rest.next();
                    })
            })) {
                zeros &= d == '0';
                if !zeros {
                    self.pending.push(d);
                }
            }
            if self.pending.is_empty() {
                self.pending.push('0');
            }
            // 99 digits is more than any name holds; longer runs keep their order among
            // themselves as text.
            let len = self.pending.len().min(99);
            self.pending.reverse();
            self.pending.push(char::from(b'0' + (len % 10) as u8));
            return Some(char::from(b'0' + (len / 10) as u8));
        }
        let mut lower = c.to_lowercase();
        let first = lower.next().map(fold)?;
        self.pending.extend(lower.map(fold));
        self.pending.reverse();
        Some(first)
    }
}

/// A lower-case letter as it sorts: å, ä, ö after z (as `{`, `|`, `}`), accented letters as
/// their base letter.
fn fold(c: char) -> char {
    match c {
        'å' => '{',
        'ä' | 'æ' => '|',
        'ö' | 'ø' => '}',
        'é' | 'è' | 'ê' => 'e',
        'ü' => 'y',
        'á' | 'à' => 'a',
        c => c,
    }
}

/// Sets every method's and unit's name keys again (schema 15: numbers in natural order).
fn refill_sort_keys(tx: &Transaction) -> Result<()> {
    fill_label_keys(tx)?;
    for table in ["method", "unit"] {
        let rows: Vec<(i64, String)> = tx
            .prepare(&format!("SELECT id, name FROM {table}"))?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut update = tx.prepare(&format!("UPDATE {table} SET sort_key = ?2 WHERE id = ?1"))?;
        for (id, name) in rows {
            update.execute(rusqlite::params![id, sort_key(&name)])?;
        }
    }
    Ok(())
}

/// Ids spelled into a statement (only integers from the database), so SQLite can drive
/// through an index on them: "3,7,12".
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// `SQL`: " AND a.method_id IN (…)" for some methods, nothing for all.
fn only_methods(only: Option<&[i64]>) -> String {
    only.map(|ids| format!(" AND a.method_id IN ({})", id_list(ids)))
        .unwrap_or_default()
}

/// `LIKE` pattern for a typed filter: `%text%`, with the wildcards in the text escaped.
fn like_pattern(filter: &str) -> String {
    let mut p = String::from("%");
    for c in filter.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

#[cfg(test)]
mod tests;

impl Store {
    /// Folds the write-ahead log into the main file, so a file that is copied or committed
    /// alone is complete.
    pub fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(|e| describe(e, &self.path))
    }
}
