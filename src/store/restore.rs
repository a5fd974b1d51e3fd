//! Putting a backup back while people keep working (`spridning restore BACKUP`).
//!
//! Copying a file over a database in use damages it: the other processes' `-wal` and `-shm`
//! files still describe the old file ("database disk image is malformed"). So the backup's
//! pages are written *through* the open database with SQLite's online backup API, as one
//! write transaction in its write-ahead log: every other connection sees the restored data
//! on its next read (`PRAGMA data_version` changes), nothing stale can remain in the `-wal`,
//! and a kill or a crash leaves the database as it was or wholly restored.
//!
//! In order, and nothing changes before the last step:
//! 1. Only a coordinator (or the file's owner acting as themselves) may restore.
//! 2. The backup is checked without changing it: a regular file, not the database itself, a
//!    spridning database of this schema or an older one, passing SQLite's integrity check.
//!    It is opened read-only — immutable when no `-wal` or `-journal` lies beside it, so that
//!    not even SQLite's `-shm` appears beside the backup.
//! 3. It is copied into a private temporary file beside the database (`output_file`), which
//!    is upgraded to this schema when older and checked again: what is written into the
//!    database is always a sound database of this version, in one step.
//! 4. The database's write lock is taken (waiting out other writers as every write does).
//!    While it is held nobody can commit, so the state kept (`DB.before-restore-…Z.db`,
//!    written by `backup` through a second connection that only reads) is exactly the state
//!    that is replaced.
//! 5. The pages are written and committed, and the database is checked.

use std::path::{Path, PathBuf};

use anyhow::Result;
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::access::Gate;
use super::{APPLICATION_ID, BUSY_TIMEOUT, SCHEMA_VERSION, Store, WRITE_ATTEMPTS, describe};
use crate::domain::problem::restore::Backup as Bad;
use crate::domain::problem::{Finding, Restore};
use crate::domain::text::printable;
use crate::domain::{Deed, Problem};
use crate::output_file::{Existing, Target, disk_is_full, is_database_file};

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Events in the database now: the backup's.
    pub events: usize,
    /// Where the replaced state was kept (not with `--no-keep`).
    pub kept: Option<PathBuf>,
    /// The backup's schema version, when it was older and upgraded.
    pub upgraded_from: Option<i64>,
    /// Problems `check` reports in the backup, restored as they are.
    pub carried: usize,
    /// What upgrading an older backup could not correct (see `Store::upgrade_notes`).
    pub notes: Vec<String>,
}

impl Store {
    /// Replaces the database's content with the backup at `backup`, keeping the replaced
    /// state as a backup of its own beside the database when `keep` (see the module notes).
    pub fn restore(&mut self, backup: &Path, keep: bool) -> Result<RestoreReport> {
        let actor = self.actor();
        let gate = Gate::Coordinator(Deed::Restore);
        actor.admit(&self.conn, gate)?;
        let shown = printable(&backup.display().to_string());
        let (source, version) = open_backup(backup, &shown, &self.path)?;

        // The backup, upgraded and checked, in a private file beside the database.
        let db_shown = self.path.display().to_string();
        let staging = Target::check(
            &with_suffix(&self.path, ".restoring"),
            Existing::Replace,
            Some(&self.path),
        )?
        .begin()
        .map_err(|e| Restore::CannotCopy {
            backup: shown.clone(),
            database: db_shown.clone(),
            why: format!("{e:#}"),
        })?;
        let temp = staging.temp_path().to_path_buf();
        let staged = stage(&source, &temp, &self.user, &shown, &self.path);
        drop(source);
        let (staged, carried) = staged?;
        let size = |c: &Connection| c.query_row("PRAGMA page_size", [], |r| r.get::<_, i64>(0));
        let (theirs, ours) = (
            size(&staged.conn).map_err(|e| describe(e, backup))?,
            size(&self.conn).map_err(|e| describe(e, &self.path))?,
        );
        if theirs != ours {
            return Err(Restore::PageSize {
                backup: shown,
                database: db_shown,
                theirs,
                ours,
            }
            .into());
        }
        let events = staged.event_count()?;
        let notes = staged.upgrade_notes().to_vec();
        let kept_at = if keep {
            Some(kept_name(&self.path)?)
        } else {
            None
        };

        let path = self.path.clone();
        let user = self.user.clone();
        {
            let restore =
                Backup::new(&staged.conn, &mut self.conn).map_err(|e| describe(e, &path))?;
            take_write_lock(&restore, &path)?;
            // Nobody can commit now: the state read by another connection is the state that
            // is about to be replaced, and the role is checked again on it.
            let reader = Store::open(&path, &user)?;
            actor.admit(&reader.conn, gate)?;
            if let Some(k) = &kept_at {
                reader.backup(k)?;
            }
            drop(reader);
            if let Err(e) = copy_all(&restore, &path) {
                if let Some(k) = &kept_at {
                    let _ = std::fs::remove_file(k);
                }
                return Err(e);
            }
        }
        self.writes += 1;
        drop(staged);
        drop(staging);
        if let Some(p) = self.structural_problems()?.first() {
            return Err(Restore::NotSoundAfter {
                backup: shown,
                database: db_shown,
                finding: Box::new(p.clone()),
            }
            .into());
        }
        Ok(RestoreReport {
            events,
            kept: kept_at,
            upgraded_from: (version < SCHEMA_VERSION).then_some(version),
            carried,
            notes,
        })
    }
}

/// Opens the backup read-only and checks it is a sound spridning database this spridning can
/// read; returns the connection and the backup's schema version.
/// The backup is a file of its own that can be read: not the database, not missing, a
/// regular file with something in it.
fn backup_file(path: &Path, shown: &str, db: &Path) -> Result<(), Bad> {
    let backup = shown.to_string();
    if is_database_file(path, db) {
        return Err(Bad::IsTheDatabase { backup });
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Bad::Missing { backup });
        }
        Err(e) => {
            return Err(Bad::Unreadable {
                backup,
                why: e.to_string(),
            });
        }
    };
    if meta.is_dir() {
        return Err(Bad::Folder { backup });
    }
    if !meta.is_file() {
        return Err(Bad::NotRegular { backup });
    }
    if meta.len() == 0 {
        return Err(Bad::EmptyFile { backup });
    }
    Ok(())
}

fn open_backup(path: &Path, shown: &str, db: &Path) -> Result<(Connection, i64)> {
    let b = || shown.to_string();
    backup_file(path, shown, db).map_err(Restore::Backup)?;
    let alone = ["-wal", "-journal"]
        .iter()
        .all(|s| std::fs::symlink_metadata(with_suffix(path, s)).is_err());
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match std::fs::canonicalize(path) {
        Ok(full) if alone => Connection::open_with_flags(
            format!("file:{}?immutable=1", uri_path(&full)),
            flags | OpenFlags::SQLITE_OPEN_URI,
        ),
        _ => Connection::open_with_flags(path, flags),
    }
    .map_err(|e| {
        Restore::Backup(Bad::Unreadable {
            backup: b(),
            why: e.to_string(),
        })
    })?;
    // Said in words, never in SQLite's ("database disk image is malformed").
    let unreadable = |e: rusqlite::Error| match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => Restore::Backup(Bad::NotSqlite { backup: b() }).into(),
        Some(ErrorCode::DatabaseCorrupt) => Restore::Backup(Bad::Damaged {
            backup: b(),
            finding: None,
        })
        .into(),
        _ if e.to_string().contains("unsupported file format") => Restore::Backup(Bad::Damaged {
            backup: b(),
            finding: None,
        })
        .into(),
        _ => describe(e, path).context(format!("{shown} cannot be read as a spridning backup")),
    };
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(unreadable)?;
    if app_id != APPLICATION_ID {
        return Err(Restore::Backup(Bad::OtherApp { backup: b() }).into());
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(unreadable)?;
    if version > SCHEMA_VERSION {
        return Err(Restore::Backup(Bad::Newer {
            backup: b(),
            version,
            known: SCHEMA_VERSION,
        })
        .into());
    }
    if version < 1 {
        return Err(Restore::Backup(Bad::NoSchema {
            backup: b(),
            version,
        })
        .into());
    }
    let verdict: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(unreadable)?;
    if verdict != "ok" {
        return Err(Restore::Backup(Bad::Damaged {
            backup: b(),
            finding: Some(Box::new(Finding::Integrity {
                detail: printable(&verdict),
            })),
        })
        .into());
    }
    Ok((conn, version))
}

/// Copies the backup into the empty file `temp`, opens it as a spridning database (which
/// upgrades an older schema) and checks it; returns it with the number of rule problems it
/// carries.
fn stage(
    source: &Connection,
    temp: &Path,
    user: &str,
    shown: &str,
    db: &Path,
) -> Result<(Store, usize)> {
    let db_shown = db.display().to_string();
    let temp_text = temp.to_str().ok_or_else(|| Restore::NotUtf8Folder {
        database: db_shown.clone(),
    })?;
    if let Err(e) = source.execute("VACUUM INTO ?1", [temp_text]) {
        let full = e.sqlite_error_code() == Some(ErrorCode::DiskFull) || disk_is_full(temp);
        if full {
            return Err(Problem::DiskFull { path: db_shown }.into());
        }
        return Err(Restore::CannotCopy {
            backup: shown.to_string(),
            database: db_shown,
            why: e.to_string(),
        }
        .into());
    }
    let temp_shown = temp.display().to_string();
    // Messages about the copy name the backup it is a copy of.
    let reword = |e: anyhow::Error| -> anyhow::Error {
        Restore::Backup(Bad::Unreadable {
            backup: shown.to_string(),
            why: format!("{e:#}").replace(&temp_shown, shown),
        })
        .into()
    };
    let staged = Store::open(temp, user).map_err(reword)?;
    if let Some(p) = staged.structural_problems().map_err(reword)?.first() {
        return Err(Restore::Backup(Bad::Damaged {
            backup: shown.to_string(),
            finding: Some(Box::new(p.clone())),
        })
        .into());
    }
    let carried = staged.rule_problems().map_err(reword)?.len();
    Ok((staged, carried))
}

/// Takes the database's write lock for the restore without copying a page yet (a step of
/// no pages), waiting out other writers as `Store::write` does.
fn take_write_lock(restore: &Backup, path: &Path) -> Result<()> {
    for _ in 0..WRITE_ATTEMPTS {
        match restore.step(0).map_err(|e| describe(e, path))? {
            StepResult::More | StepResult::Done => return Ok(()),
            // SQLite's busy timeout has waited already; try again.
            _ => {}
        }
    }
    Err(Problem::Locked {
        path: path.display().to_string(),
        seconds: BUSY_TIMEOUT.as_secs() * u64::from(WRITE_ATTEMPTS),
    }
    .into())
}

/// Copies every page and commits, in one step under the lock already held.
fn copy_all(restore: &Backup, path: &Path) -> Result<()> {
    for _ in 0..WRITE_ATTEMPTS {
        match restore.step(-1).map_err(|e| describe(e, path))? {
            StepResult::Done => return Ok(()),
            _ => std::thread::sleep(std::time::Duration::from_millis(50)),
        }
    }
    Err(Restore::KeptBusy {
        database: path.display().to_string(),
    }
    .into())
}

/// `DB.before-restore-YYYYMMDDTHHMMSSZ.db` beside the database (`-2`, `-3`, … when taken),
/// the database's name cut short where the whole would pass 255 bytes.
fn kept_name(db: &Path) -> Result<PathBuf> {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
    for n in 1..100 {
        let tail = match n {
            1 => format!(".before-restore-{stamp}.db"),
            n => format!(".before-restore-{stamp}-{n}.db"),
        };
        // Room for the name, the tail and the backup's own `-journal` while it is written.
        let mut cut = name.len().min(255 - tail.len() - "-journal".len());
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        let candidate = db.with_file_name(format!("{}{tail}", &name[..cut]));
        if std::fs::symlink_metadata(&candidate).is_err() {
            return Ok(candidate);
        }
    }
    Err(Restore::NoFreeName {
        database: db.display().to_string(),
    }
    .into())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A path for a `file:` URI: every byte but letters, digits, `-._~` and `/` percent-encoded.
fn uri_path(path: &Path) -> String {
    let mut uri = String::new();
    for &b in path.as_os_str().as_encoded_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(b as char);
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uri_path_encodes_what_a_uri_would_read_otherwise() {
        assert_eq!(
            uri_path(Path::new("/srv/a b/x?y#z%.db")),
            "/srv/a%20b/x%3Fy%23z%25.db"
        );
        assert_eq!(uri_path(Path::new("/tmp/å.db")), "/tmp/%C3%A5.db");
    }

    #[test]
    fn the_kept_name_fits_in_255_bytes_and_says_when() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join("€".repeat(80));
        let kept = kept_name(&long).unwrap();
        let name = kept.file_name().unwrap().to_str().unwrap();
        assert!(name.len() + "-journal".len() <= 255, "{}", name.len());
        assert!(name.contains(".before-restore-"), "{name}");
        assert!(name.ends_with("Z.db"), "{name}");
        let short = dir.path().join("db.db");
        let kept = kept_name(&short).unwrap();
        std::fs::write(&kept, "taken").unwrap();
        let next = kept_name(&short).unwrap();
        assert_ne!(next, kept);
    }
}
