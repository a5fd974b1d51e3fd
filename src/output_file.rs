//! Files spridning writes: exports, reports, matrices and backups. Two promises, kept here
//! for every one of them:
//!
//! - **Only where it may.** The target must be a new file, or an existing *regular* file that
//!   the person asked to replace (`--force`). A folder, a device (`/dev/null`), a pipe, a
//!   socket, a link to nowhere, and the open database itself or its `-wal`, `-shm` and
//!   `-journal` files (compared by device and inode, so links and `./` tricks are caught, and
//!   by name for companions that do not exist yet) are refused before anything is written.
//! - **Whole or not at all.** The content goes to a uniquely named temporary file beside the
//!   target (`.NAME.spridning-XXXXXX.partial`), is flushed to disk and only then renamed
//!   over the target. Every failure removes the temporary file. The writer holds an exclusive
//!   `flock` on it while it works, so a temporary file nobody holds is the remains of a
//!   killed run, and the next write to the same target removes it (and SQLite's `-journal`,
//!   `-wal` and `-shm` beside it, for backups).

use std::ffi::OsString;
use std::fs::{File, Permissions};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use tempfile::NamedTempFile;

const TEMP_MARK: &str = ".spridning-";
const TEMP_SUFFIX: &str = ".partial";
const TEMP_RANDOM: usize = 6;
const COMPANIONS: [&str; 3] = ["-journal", "-wal", "-shm"];

/// A checked place to write one file.
#[derive(Debug, Clone)]
pub struct Target {
    /// Where the file ends up, with the folder resolved (links followed).
    path: PathBuf,
    /// As the person typed it, for messages.
    shown: String,
    /// The mode an existing file had, kept when it is replaced.
    mode: Option<u32>,
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
            bail!("no output file given");
        }
        let protected = db.map(database_files).unwrap_or_default();
        let is_database = |p: &Path| {
            let id = identity(p);
            protected
                .iter()
                .any(|d| d == p || (id.is_some() && identity(d) == id))
        };
        let link = std::fs::symlink_metadata(path).ok();
        let meta = std::fs::metadata(path).ok();
        let mode = match (&link, &meta) {
            (None, _) => None,
            (Some(_), None) => {
                bail!("{shown} is a link to a file that does not exist; give the file's own path")
            }
            (Some(_), Some(m)) if m.is_dir() => bail!("{shown} is a folder, not a file"),
            (Some(_), Some(m)) if !m.is_file() => bail!(
                "{shown} is not a regular file (a device, pipe or socket); spridning writes only regular files"
            ),
            (Some(_), Some(m)) => Some(m.mode() & 0o777),
        };
        // An existing file is written where its links lead; a new one in its resolved folder.
        let resolved = if mode.is_some() {
            std::fs::canonicalize(path).with_context(|| format!("cannot resolve {shown}"))?
        } else {
            match resolve(path) {
                Some(p) => p,
                None if path.file_name().is_none() => bail!("{shown} names a folder, not a file"),
                None => bail!("cannot write {shown}: its folder does not exist"),
            }
        };
        if is_database(&resolved) || is_database(path) {
            bail!("{shown} is the open database or one of its own files; choose another file");
        }
        if mode.is_some() {
            match existing {
                Existing::Replace => {}
                Existing::AskForForce => {
                    bail!("{shown} already exists; add --force to replace it")
                }
                Existing::Refuse => bail!("{shown} already exists; this writes only new files"),
            }
        }
        Ok(Target {
            path: resolved,
            shown,
            mode,
        })
    }

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

    fn temp_prefix(&self) -> String {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!(".{name}{TEMP_MARK}")
    }

    /// Starts writing: removes what killed runs left behind, then makes the temporary file.
    pub fn begin(&self) -> Result<Pending> {
        self.remove_leftovers();
        let prefix = self.temp_prefix();
        let mut builder = tempfile::Builder::new();
        builder
            .prefix(&prefix)
            .suffix(TEMP_SUFFIX)
            .rand_bytes(TEMP_RANDOM)
            .permissions(Permissions::from_mode(self.mode.unwrap_or(0o666)));
        let file = builder
            .tempfile_in(self.dir())
            .with_context(|| format!("cannot write {}", self.shown))?;
        if !lock(file.as_file(), false) {
            bail!("cannot lock a temporary file beside {}", self.shown);
        }
        Ok(Pending {
            file: Some(file),
            target: self.clone(),
        })
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
                Ok(f) => lock(&f, true),
                // A companion without its file: left over.
                Err(_) => true,
            };
            if abandoned {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

/// An exclusive `flock`; `try_only` does not wait.
fn lock(file: &File, try_only: bool) -> bool {
    let flags = libc::LOCK_EX | if try_only { libc::LOCK_NB } else { 0 };
    // SAFETY: a valid open file descriptor; flock only takes a lock on it.
    unsafe { libc::flock(file.as_raw_fd(), flags) == 0 }
}

/// A file being written. Dropped without `commit`, it leaves nothing behind.
pub struct Pending {
    file: Option<NamedTempFile>,
    target: Target,
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

    /// Flushes the content to disk and puts it in place of the target in one rename.
    pub fn commit(mut self) -> Result<()> {
        let file = self.file.take().context("the file was already finished")?;
        let shown = self.target.shown.clone();
        file.as_file()
            .sync_all()
            .with_context(|| format!("cannot write {shown}"))?;
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
                bail!("{shown} appeared meanwhile; nothing was written over it");
            }
            return Err(anyhow::Error::new(e.error).context(format!("cannot write {shown}")));
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
}
