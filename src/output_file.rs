//! Files spridning writes: exports, reports, matrices and backups. Four promises, kept here
//! for every one of them:
//!
//! - **Only where it may.** The target must be a new file, or an existing *regular* file that
//!   the person asked to replace (`--force`). A folder, a device (`/dev/null`), a pipe, a
//!   socket, a link to nowhere, and the open database itself or its `-wal`, `-shm` and
//!   `-journal` files (compared by device and inode, so links and `./` tricks are caught, and
//!   by name for companions that do not exist yet) are refused before anything is written.
//! - **Whole or not at all.** The content goes to a uniquely named temporary file beside the
//!   target (`.NAME.spridning-XXXXXX.partial`, NAME cut short when the whole would pass the
//!   255 bytes a file name may have), is flushed to disk and only then renamed over the
//!   target. Every failure removes the temporary file. The writer holds an exclusive lock on
//!   it while it works (`File::lock`, an `flock` on Linux), so a temporary file nobody holds
//!   is the remains of a killed run, and the next write to the same target removes it (and
//!   SQLite's `-journal`, `-wal` and `-shm` beside it, for backups).
//! - **No wider than the database.** A file written from a database gets the database
//!   file's permissions or narrower: a new file the database's permission bits as the umask
//!   allows them, a replaced file its own bits but none the database lacks. A backup of a
//!   0600 database is 0600, whatever the umask.
//! - **Faults in words, about the file given.** A full disk, a file-size limit or a used-up
//!   quota is said as such, naming the file the person gave, never the temporary one.

#![warn(missing_docs)]

use crate::domain::problem::Output;
use std::ffi::OsString;
use std::fs::{File, Permissions};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use tempfile::NamedTempFile;

use crate::domain::Problem;

const TEMP_MARK: &str = ".spridning-";
const TEMP_SUFFIX: &str = ".partial";
const TEMP_RANDOM: usize = 6;
const COMPANIONS: [&str; 3] = ["-journal", "-wal", "-shm"];
/// The longest file name Linux file systems take, in bytes.
const NAME_MAX: usize = 255;
/// The longest companion suffix SQLite adds to a temporary file (`-journal`).
const LONGEST_COMPANION: usize = 8;
/// Less free space than this (or than a sixteenth of a small file system) in a file system
/// that failed a write counts as a full disk.
const NEARLY_FULL: u64 = 1024 * 1024;

/// A checked place to write one file.
#[derive(Debug, Clone)]
pub struct Target {
    /// Where the file ends up, with the folder resolved (links followed).
    path: PathBuf,
    /// As the person typed it, for messages.
    shown: String,
    /// The mode an existing file had, kept when it is replaced.
    mode: Option<u32>,
    /// The permission bits of the database the content comes from: the widest the file gets.
    db_mode: Option<u32>,
}

/// Whether and how an existing target may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refused: "already exists; add --force to replace it".
    AskForForce,
    /// Replaced (the person gave `--force`).
    Replace,
    /// Refused: this kind of file is always written new (backups).
    Refuse,
}

fn shown(path: &Path) -> String {
    crate::domain::text::printable(&path.display().to_string())
}

/// Device and inode of an existing file (following links).
fn identity(path: &Path) -> Option<(u64, u64)> {
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

/// Whether `path` is the database `db` or one of its `-journal`, `-wal` and `-shm` files
/// (by device and inode, so links and `./` are caught; by name for companions that do not
/// exist yet).
pub fn is_database_file(path: &Path, db: &Path) -> bool {
    let protected = database_files(db);
    let is = |p: &Path| {
        let id = identity(p);
        protected
            .iter()
            .any(|d| d == p || (id.is_some() && identity(d) == id))
    };
    is(path) || resolve(path).is_some_and(|r| is(&r))
}

/// The path with its folder resolved; the file itself need not exist.
fn resolve(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Some(std::fs::canonicalize(dir).ok()?.join(name))
}

/// The database file and its companions, as resolved paths.
fn database_files(db: &Path) -> Vec<PathBuf> {
    let Some(db) = std::fs::canonicalize(db).ok().or_else(|| resolve(db)) else {
        return Vec::new();
    };
    let mut files = vec![db.clone()];
    for suffix in COMPANIONS {
        let mut name: OsString = db.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

impl Target {
    /// Checks that a file may be written at `path` while `db` is open (see the module notes).
    pub fn check(path: &Path, existing: Existing, db: Option<&Path>) -> Result<Target> {
        let shown = shown(path);
        if path.as_os_str().is_empty() {
            return Err(Output::NoFile.into());
        }
        let is_database = |p: &Path| db.is_some_and(|db| is_database_file(p, db));
        // A database whose permissions cannot be read gives the narrowest: the owner's.
        let db_mode = db.map(|d| std::fs::metadata(d).map_or(0o600, |m| m.mode() & 0o777));
        let link = std::fs::symlink_metadata(path).ok();
        let meta = std::fs::metadata(path).ok();
        let mode = match (&link, &meta) {
            (None, _) => None,
            (Some(_), None) => {
                return Err(Output::DanglingLink { path: shown }.into());
            }
            (Some(_), Some(m)) if m.is_dir() => return Err(Output::Folder { path: shown }.into()),
            (Some(_), Some(m)) if !m.is_file() => {
                return Err(Output::NotRegular { path: shown }.into());
            }
            (Some(_), Some(m)) => Some(m.mode() & 0o777),
        };
        // An existing file is written where its links lead; a new one in its resolved folder.
        let resolved = if mode.is_some() {
            std::fs::canonicalize(path).with_context(|| format!("cannot resolve {shown}"))?
        } else {
            match resolve(path) {
                Some(p) => p,
                None if path.file_name().is_none() => {
                    return Err(Output::NamesFolder { path: shown }.into());
                }
                None => return Err(Output::NoFolder { path: shown }.into()),
            }
        };
        if is_database(&resolved) || is_database(path) {
            return Err(Output::IsTheDatabase { path: shown }.into());
        }
        if mode.is_some() {
            match existing {
                Existing::Replace => {}
                Existing::AskForForce => {
                    return Err(Output::Exists {
                        path: shown,
                        force: true,
                    }
                    .into());
                }
                Existing::Refuse => {
                    return Err(Output::Exists {
                        path: shown,
                        force: false,
                    }
                    .into());
                }
            }
        }
        Ok(Target {
            path: resolved,
            shown,
            mode,
            db_mode,
        })
    }

    /// Where the file ends up, its folder resolved.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path as the person gave it, cleaned for printing.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// `.NAME.spridning-`, NAME cut (at a character boundary) so that the temporary file's
    /// name with its random part, `.partial` and SQLite's longest companion suffix stays
    /// within `NAME_MAX`.
    fn temp_prefix(&self) -> String {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let room =
            NAME_MAX - 1 - TEMP_MARK.len() - TEMP_RANDOM - TEMP_SUFFIX.len() - LONGEST_COMPANION;
        let mut cut = name.len().min(room);
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        format!(".{}{TEMP_MARK}", &name[..cut])
    }

    /// The permission bits the file may have at most: those of a replaced file, and of the
    /// database it is written from (see the module notes).
    fn widest_mode(&self) -> u32 {
        self.mode.unwrap_or(0o666) & self.db_mode.unwrap_or(0o777)
    }

    /// Starts writing: removes what killed runs left behind, then makes the temporary file.
    pub fn begin(&self) -> Result<Pending> {
        self.remove_leftovers();
        let prefix = self.temp_prefix();
        let widest = self.widest_mode();
        let mut builder = tempfile::Builder::new();
        // The owner may read and write it while it is written (SQLite opens a backup by its
        // name); the group and others get no bit they may not have in the end, and the umask
        // takes away what it takes away.
        builder
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .rand_bytes(TEMP_RANDOM)
            .permissions(Permissions::from_mode(widest | 0o600));
        let file = builder.tempfile_in(self.dir()).map_err(|e| {
            // tempfile adds "at path …" (the temporary file's): the reason alone.
            let text = e.to_string();
            let reason = text.split(" at path ").next().unwrap_or(&text);
            self.failed(
                std::io::Error::new(e.kind(), reason.to_string()).into(),
                None,
            )
        })?;
        if file.as_file().lock().is_err() {
            return Err(Output::CannotLock {
                path: self.shown.clone(),
            }
            .into());
        }
        let created = file
            .as_file()
            .metadata()
            .map_err(|e| self.failed(anyhow::Error::new(e), None))?
            .mode()
            & 0o777;
        // A replaced file keeps its own bits (narrowed by the database's); a new one gets the
        // database's bits as the umask allows them.
        let mode = match self.mode {
            Some(_) => widest,
            None => created & widest,
        };
        Ok(Pending {
            file: Some(file),
            target: self.clone(),
            mode,
        })
    }

    /// An error while writing this file, in words about the file the person gave: a full
    /// disk, a file-size limit or a used-up quota said as such; any mention of the temporary
    /// file `temp` replaced by the target's name; otherwise "cannot write FILE: …".
    pub fn failed(&self, e: anyhow::Error, temp: Option<&Path>) -> anyhow::Error {
        let shown = &self.shown;
        match fault(&e) {
            Some(Fault::Full) => {
                return Problem::DiskFull {
                    path: shown.clone(),
                }
                .into();
            }
            Some(Fault::Other) if disk_is_full(self.dir()) => {
                return Problem::DiskFull {
                    path: shown.clone(),
                }
                .into();
            }
            Some(Fault::TooLarge) => {
                return Output::TooLarge {
                    path: shown.clone(),
                    during: false,
                }
                .into();
            }
            Some(Fault::Other) if file_size_limited() => {
                return Output::TooLarge {
                    path: shown.clone(),
                    during: true,
                }
                .into();
            }
            Some(Fault::Quota) => {
                return Output::Quota {
                    path: shown.clone(),
                }
                .into();
            }
            _ => {}
        }
        let text = format!("{e:#}");
        let context = format!("cannot write {shown}");
        match temp {
            Some(t) if text.contains(&t.display().to_string()) => {
                let text = text.replace(&t.display().to_string(), shown);
                if text.starts_with(&context) {
                    anyhow!(text)
                } else {
                    anyhow!("{context}: {text}")
                }
            }
            _ if text.starts_with(&context) => e,
            _ => e.context(context),
        }
    }

    /// Temporary files of earlier runs for this target that nobody holds any more.
    fn remove_leftovers(&self) {
        let prefix = self.temp_prefix();
        let Ok(entries) = std::fs::read_dir(self.dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(&prefix) else {
                continue;
            };
            let companion = COMPANIONS.iter().find(|c| rest.ends_with(*c));
            let base_rest = companion.map_or(rest, |c| &rest[..rest.len() - c.len()]);
            let is_temp = base_rest.len() == TEMP_RANDOM + TEMP_SUFFIX.len()
                && base_rest.ends_with(TEMP_SUFFIX)
                && base_rest[..TEMP_RANDOM]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric());
            if !is_temp {
                continue;
            }
            let base = self.dir().join(format!("{prefix}{base_rest}"));
            let abandoned = match File::open(&base) {
                // Nobody holds it: its writer is gone.
                Ok(f) => f.try_lock().is_ok(),
                // A companion without its file: left over.
                Err(_) => true,
            };
            if abandoned {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// What kind of file-system fault an error is, when it is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// No space left on the device (ENOSPC, SQLite's SQLITE_FULL).
    Full,
    /// Past the process's file-size limit (EFBIG).
    TooLarge,
    /// The disk quota is used up (EDQUOT).
    Quota,
    /// Another I/O error, which on a file system without room is a full disk.
    Other,
    /// An I/O error that says what it is (a read-only file system, no permission, …).
    Plain,
}

fn io_fault(kind: std::io::ErrorKind) -> Fault {
    use std::io::ErrorKind;
    match kind {
        ErrorKind::StorageFull => Fault::Full,
        ErrorKind::FileTooLarge => Fault::TooLarge,
        ErrorKind::QuotaExceeded => Fault::Quota,
        // Said as they are: nothing to do with space.
        ErrorKind::PermissionDenied
        | ErrorKind::ReadOnlyFilesystem
        | ErrorKind::NotFound
        | ErrorKind::AlreadyExists
        | ErrorKind::IsADirectory
        | ErrorKind::NotADirectory
        | ErrorKind::InvalidInput
        | ErrorKind::InvalidFilename
        | ErrorKind::CrossesDevices
        | ErrorKind::BrokenPipe => Fault::Plain,
        _ => Fault::Other,
    }
}

/// The file-system fault anywhere in the error's chain: an I/O error, also inside the CSV,
/// JSON and Excel writers' errors, or one of SQLite's I/O faults.
fn fault(e: &anyhow::Error) -> Option<Fault> {
    e.chain().find_map(|c| {
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            return Some(io_fault(io.kind()));
        }
        if let Some(v) = c.downcast_ref::<csv::Error>() {
            return match v.kind() {
                csv::ErrorKind::Io(io) => Some(io_fault(io.kind())),
                _ => None,
            };
        }
        if let Some(j) = c.downcast_ref::<serde_json::Error>() {
            return j.io_error_kind().map(io_fault);
        }
        if let Some(x) = c.downcast_ref::<rust_xlsxwriter::XlsxError>() {
            return Some(match x {
                rust_xlsxwriter::XlsxError::IoError(io) => io_fault(io.kind()),
                _ => Fault::Other,
            });
        }
        if let Some(s) = c.downcast_ref::<rusqlite::Error>() {
            return match s.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DiskFull) => Some(Fault::Full),
                Some(rusqlite::ErrorCode::SystemIoFailure) => Some(Fault::Other),
                _ => None,
            };
        }
        match c.downcast_ref::<Problem>() {
            Some(Problem::DiskFull { .. }) => Some(Fault::Full),
            Some(Problem::IoError { .. }) => Some(Fault::Other),
            _ => None,
        }
    })
}

/// Whether the file system holding `path` (a file or a folder) has next to no space left for
/// this process: what a write that failed with an I/O error most likely ran into.
#[allow(
    clippy::useless_conversion,
    reason = "statvfs's field types differ between platforms; on some these are no-ops"
)]
pub fn disk_is_full(path: &Path) -> bool {
    let dir = if path.is_dir() {
        path
    } else {
        path.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
    };
    let Ok(st) = nix::sys::statvfs::statvfs(dir) else {
        return false;
    };
    // Root may also use the blocks reserved for it.
    let blocks = if nix::unistd::Uid::effective().is_root() {
        st.blocks_free()
    } else {
        st.blocks_available()
    };
    let frsize = u64::from(st.fragment_size());
    let size = u64::from(st.blocks()).saturating_mul(frsize);
    let free = u64::from(blocks).saturating_mul(frsize);
    free < NEARLY_FULL.min(size / 16)
}

/// Whether this process runs under a file-size limit (`ulimit -f`).
fn file_size_limited() -> bool {
    use nix::sys::resource::{RLIM_INFINITY, Resource, getrlimit};
    getrlimit(Resource::RLIMIT_FSIZE).is_ok_and(|(soft, _)| soft != RLIM_INFINITY)
}

/// A file being written. Dropped without `commit`, it leaves nothing behind.
pub struct Pending {
    file: Option<NamedTempFile>,
    target: Target,
    /// The permission bits the file gets when it is put in place.
    mode: u32,
}

impl Pending {
    /// The temporary file's path (for writers that open it themselves, like SQLite's
    /// `VACUUM INTO`).
    pub fn temp_path(&self) -> &Path {
        self.file.as_ref().map_or(Path::new(""), |f| f.path())
    }

    /// The open temporary file.
    pub fn file(&mut self) -> Result<&mut File> {
        self.file
            .as_mut()
            .map(|f| f.as_file_mut())
            .context("the file was already finished")
    }

    /// An error while writing, in words about the target (see `Target::failed`).
    pub fn failed(&self, e: anyhow::Error) -> anyhow::Error {
        self.target.failed(e, Some(self.temp_path()))
    }

    /// Flushes the content to disk and puts it in place of the target in one rename, with
    /// its permissions.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().context("the file was already finished")?;
        let shown = self.target.shown.clone();
        let finished = file
            .as_file()
            .set_permissions(Permissions::from_mode(self.mode))
            .and_then(|()| file.as_file().sync_all());
        if let Err(e) = finished {
            let e = self.target.failed(anyhow::Error::new(e), Some(file.path()));
            remove_companions(file.path());
            return Err(e);
        }
        let replace = self.target.mode.is_some();
        let done = if replace {
            file.persist(&self.target.path)
        } else {
            file.persist_noclobber(&self.target.path)
        };
        if let Err(e) = done {
            // The temporary file is removed when `e.file` drops.
            remove_companions(e.file.path());
            if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                return Err(Output::Appeared { path: shown }.into());
            }
            return Err(self.target.failed(anyhow::Error::new(e.error), None));
        }
        // The rename itself reaches the disk with its folder.
        if let Ok(dir) = File::open(self.target.dir()) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

fn remove_companions(path: &Path) {
    for suffix in COMPANIONS {
        let mut name: OsString = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            remove_companions(f.path());
            // Dropping the NamedTempFile removes the file itself.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_new_file_is_written_whole_and_nothing_else_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("report.json");
        let t = Target::check(&out, Existing::AskForForce, None).unwrap();
        let mut p = t.begin().unwrap();
        std::io::Write::write_all(p.file().unwrap(), b"hej").unwrap();
        p.commit().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"hej");
        assert_eq!(names(dir.path()), ["report.json"]);
    }

    #[test]
    fn a_dropped_write_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let t = Target::check(&dir.path().join("a.csv"), Existing::Replace, None).unwrap();
        let mut p = t.begin().unwrap();
        std::io::Write::write_all(p.file().unwrap(), b"half").unwrap();
        drop(p);
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn existing_files_need_force_and_keep_their_mode() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("a.csv");
        std::fs::write(&out, "old").unwrap();
        std::fs::set_permissions(&out, Permissions::from_mode(0o640)).unwrap();
        let err = Target::check(&out, Existing::AskForForce, None).unwrap_err();
        assert!(err.to_string().contains("add --force"), "{err}");
        let t = Target::check(&out, Existing::Replace, None).unwrap();
        let mut p = t.begin().unwrap();
        std::io::Write::write_all(p.file().unwrap(), b"new").unwrap();
        p.commit().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"new");
        let mode = std::fs::metadata(&out).unwrap().mode() & 0o777;
        assert_eq!(mode, 0o640);
    }

    #[test]
    fn devices_folders_and_the_database_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(&db, "db").unwrap();
        let err = |p: &Path| {
            Target::check(p, Existing::Replace, Some(&db))
                .unwrap_err()
                .to_string()
        };
        assert!(err(Path::new("/dev/null")).contains("not a regular file"));
        assert!(err(dir.path()).contains("folder"));
        assert!(err(&db).contains("the open database"));
        assert!(err(&dir.path().join("./x.db")).contains("the open database"));
        assert!(err(&dir.path().join("x.db-wal")).contains("the open database"));
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        assert!(err(&link).contains("the open database"));
        let hard = dir.path().join("hard");
        std::fs::hard_link(&db, &hard).unwrap();
        assert!(err(&hard).contains("the open database"));
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(err(&dangling).contains("does not exist"));
        assert!(err(&dir.path().join("no/such/dir/f")).contains("folder does not exist"));
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed_but_not_unrelated_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.db");
        let left = dir.path().join(".b.db.spridning-AbC123.partial");
        std::fs::write(&left, "half").unwrap();
        std::fs::write(
            dir.path().join(".b.db.spridning-AbC123.partial-journal"),
            "j",
        )
        .unwrap();
        std::fs::write(dir.path().join("b.partial"), "mine").unwrap();
        std::fs::write(dir.path().join(".b.db.spridning-notes.txt"), "mine").unwrap();
        let t = Target::check(&out, Existing::Refuse, None).unwrap();
        // A temporary file someone holds is left alone.
        let held = t.begin().unwrap();
        let mut p = t.begin().unwrap();
        assert!(held.temp_path().exists());
        drop(held);
        std::io::Write::write_all(p.file().unwrap(), b"whole").unwrap();
        p.commit().unwrap();
        assert_eq!(
            names(dir.path()),
            [".b.db.spridning-notes.txt", "b.db", "b.partial"]
        );
    }

    #[test]
    fn a_name_of_250_bytes_is_written_and_its_temporary_name_fits_with_companions() {
        let dir = tempfile::tempdir().unwrap();
        // 83 three-byte letters and one byte: 250 bytes, and a cut would fall inside a letter.
        let name = format!("x{}", "€".repeat(83));
        assert_eq!(name.len(), 250);
        let out = dir.path().join(&name);
        let t = Target::check(&out, Existing::Refuse, None).unwrap();
        let mut p = t.begin().unwrap();
        let temp = p.temp_path().file_name().unwrap().len();
        assert!(temp + "-journal".len() <= NAME_MAX, "{temp} bytes");
        std::io::Write::write_all(p.file().unwrap(), b"long").unwrap();
        p.commit().unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"long");
        assert_eq!(names(dir.path()), std::slice::from_ref(&name));
        // A killed run's leftover for the long name is found and removed.
        let t = Target::check(&out, Existing::Replace, None).unwrap();
        let left = dir
            .path()
            .join(format!("{}AbC123.partial", t.temp_prefix()));
        std::fs::write(&left, "half").unwrap();
        let p = t.begin().unwrap();
        assert!(!left.exists(), "the leftover is still there");
        drop(p);
        assert_eq!(names(dir.path()), [name]);
    }

    #[test]
    fn a_file_written_from_a_database_is_never_wider_than_the_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(&db, "db").unwrap();
        std::fs::set_permissions(&db, Permissions::from_mode(0o640)).unwrap();
        let mode_of = |p: &Path| std::fs::metadata(p).unwrap().mode() & 0o777;
        // An existing 0666 file replaced from a 0640 database: 0640 at most.
        let out = dir.path().join("wide.csv");
        std::fs::write(&out, "old").unwrap();
        std::fs::set_permissions(&out, Permissions::from_mode(0o666)).unwrap();
        let p = Target::check(&out, Existing::Replace, Some(&db))
            .unwrap()
            .begin()
            .unwrap();
        p.commit().unwrap();
        assert_eq!(mode_of(&out), 0o640);
        // A narrower file keeps its own bits.
        std::fs::set_permissions(&out, Permissions::from_mode(0o600)).unwrap();
        let p = Target::check(&out, Existing::Replace, Some(&db))
            .unwrap()
            .begin()
            .unwrap();
        p.commit().unwrap();
        assert_eq!(mode_of(&out), 0o600);
        // A new one: at most the database's bits (the umask may take more away).
        let new = dir.path().join("new.csv");
        let p = Target::check(&new, Existing::Refuse, Some(&db))
            .unwrap()
            .begin()
            .unwrap();
        p.commit().unwrap();
        assert_eq!(mode_of(&new) & !0o640, 0, "{:o}", mode_of(&new));
        // A read-only database: a read-only copy, written all the same.
        std::fs::set_permissions(&db, Permissions::from_mode(0o400)).unwrap();
        let ro = dir.path().join("ro.csv");
        let mut p = Target::check(&ro, Existing::Refuse, Some(&db))
            .unwrap()
            .begin()
            .unwrap();
        std::io::Write::write_all(p.file().unwrap(), b"x").unwrap();
        p.commit().unwrap();
        assert_eq!(mode_of(&ro), 0o400);
    }

    #[test]
    fn a_failed_write_names_the_target_never_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let t = Target::check(&dir.path().join("mine.json"), Existing::Refuse, None).unwrap();
        let p = t.begin().unwrap();
        let temp = p.temp_path().display().to_string();
        let e = p.failed(anyhow!("cannot open {temp}: gone"));
        let text = format!("{e:#}");
        assert!(!text.contains(".partial"), "{text}");
        assert!(text.contains("mine.json"), "{text}");
        let full = std::io::Error::from_raw_os_error(nix::errno::Errno::ENOSPC as i32);
        let e = p.failed(anyhow::Error::new(full).context("cannot write mine.json"));
        assert!(e.to_string().contains("the disk holding"), "{e:#}");
        let big = std::io::Error::from_raw_os_error(nix::errno::Errno::EFBIG as i32);
        let e = p.failed(anyhow::Error::new(big));
        assert!(e.to_string().contains("file-size limit"), "{e:#}");
    }
}
