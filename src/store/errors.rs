//! SQLite's errors as sentences a person can act on: which file, and why ("read-only for
//! you", "its write-ahead log was removed while in use"), never "Error code 522".

use crate::domain::problem::Database;
use std::path::{Path, PathBuf};

use anyhow::anyhow;
use rusqlite::ErrorCode;

use super::{BUSY_TIMEOUT, Store};
use crate::domain::Problem;
use crate::domain::problem::ReadOnly;

/// SQLITE_IOERR_SHORT_READ.
const SHORT_READ: i32 = 522;

pub(super) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

pub(super) fn is_code(e: &rusqlite::Error, code: ErrorCode) -> bool {
    e.sqlite_error_code() == Some(code)
}

fn writable(path: &Path) -> bool {
    nix::unistd::access(path, nix::unistd::AccessFlags::W_OK).is_ok()
}

fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn companion(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// An error while opening: a WAL database cannot even be read when SQLite may not create its
/// shared-memory file next to it, which a person must hear about as such.
pub(super) fn unreadable(e: rusqlite::Error, path: &Path) -> anyhow::Error {
    let dir = folder_of(path);
    match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen) if !writable(dir) => {
            Database::SharedMemory {
                path: path.display().to_string(),
                folder: dir.display().to_string(),
            }
            .into()
        }
        _ => describe(e, path),
    }
}

/// Why a database cannot be written, as far as the file system tells.
fn why_read_only(path: &Path) -> ReadOnly {
    if !writable(path) {
        return ReadOnly::File;
    }
    for suffix in ["-wal", "-shm"] {
        let c = companion(path, suffix);
        if c.exists() && !writable(&c) {
            return ReadOnly::Companion(c.display().to_string());
        }
    }
    if !writable(folder_of(path)) {
        return ReadOnly::Folder(folder_of(path).display().to_string());
    }
    ReadOnly::Elsewhere
}

/// Turns SQLite's errors into sentences a person can act on.
pub(super) fn describe(e: rusqlite::Error, path: &Path) -> anyhow::Error {
    let code = match &e {
        rusqlite::Error::SqliteFailure(f, _) => f.extended_code,
        _ => 0,
    };
    let shown = path.display().to_string();
    let problem = match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly) => Problem::ReadOnly {
            path: shown,
            why: why_read_only(path),
        },
        Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => Problem::Busy {
            path: shown,
            seconds: BUSY_TIMEOUT.as_secs(),
        },
        Some(ErrorCode::DatabaseCorrupt) => Problem::Corrupt { path: shown },
        Some(ErrorCode::DiskFull) => Problem::DiskFull { path: shown },
        // SQLITE_IOERR_SHORT_READ: the shared-memory index promises more of the write-ahead
        // log than the file holds, which is what removing or truncating a `-wal` file while
        // others have the database open leads to.
        Some(ErrorCode::SystemIoFailure) if code == SHORT_READ => {
            Problem::WalGone { path: shown, code }
        }
        // A write that fails with an I/O error where the disk has no room left (SQLite says
        // "disk I/O error" when, say, its shared-memory file cannot grow: 4874) ran out of
        // space.
        Some(ErrorCode::SystemIoFailure) if crate::output_file::disk_is_full(path) => {
            Problem::DiskFull { path: shown }
        }
        Some(ErrorCode::SystemIoFailure) => Problem::IoError { path: shown, code },
        Some(ErrorCode::NotADatabase) => {
            return Database::NotSqlite { path: shown }.into();
        }
        Some(ErrorCode::CannotOpen) => return Database::CannotOpen { path: shown }.into(),
        // The header's schema format number is one no SQLite writes: a damaged file.
        _ if e.to_string().contains("unsupported file format") => {
            return Database::Damaged { path: shown }.into();
        }
        // internal: an error of SQLite's no person can act on, passed on as it is.
        _ => return anyhow!(e),
    };
    problem.into()
}

impl Store {
    /// An error from anywhere in the store or the command line, with SQLite's faults of the
    /// file (read-only, disk full, I/O errors, corruption) said in words about this database.
    /// Other errors pass through unchanged.
    pub fn explain(&self, e: anyhow::Error) -> anyhow::Error {
        explain(e, &self.path)
    }
}

/// See `Store::explain`.
pub(super) fn explain(e: anyhow::Error, path: &Path) -> anyhow::Error {
    {
        let fault = e.chain().find_map(|c| {
            c.downcast_ref::<rusqlite::Error>().filter(|s| {
                matches!(
                    s.sqlite_error_code(),
                    Some(
                        ErrorCode::ReadOnly
                            | ErrorCode::DiskFull
                            | ErrorCode::SystemIoFailure
                            | ErrorCode::DatabaseCorrupt
                            | ErrorCode::NotADatabase
                            | ErrorCode::CannotOpen
                    )
                )
            })
        });
        match fault {
            Some(rusqlite::Error::SqliteFailure(f, m)) => {
                describe(rusqlite::Error::SqliteFailure(*f, m.clone()), path)
            }
            _ => e,
        }
    }
}
