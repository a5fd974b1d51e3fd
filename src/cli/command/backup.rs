//! `spridning backup DEST`: a consistent copy, written while others keep working; or, with
//! `--into DIR`, a copy named by the time into a folder that keeps the newest `--keep N`
//! (for the nightly timer the package installs).

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use super::{Context, say};

/// Options of `spridning backup`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("where").required(true).args(["dest", "into"]))]
pub struct Backup {
    /// The copy: a new file (an existing one is never replaced).
    pub dest: Option<PathBuf>,
    /// Write the copy into this folder as NAME-YYYYMMDDTHHMMSSZ.db (NAME: the database's
    /// file name without .db; the time in UTC), instead of to DEST.
    #[arg(long, value_name = "DIR", conflicts_with = "dest")]
    pub into: Option<PathBuf>,
    /// With --into: after a good copy, keep the newest N copies of this database in the
    /// folder and remove older ones (only files named as --into names them).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub keep: Option<u32>,
}

impl Backup {
    /// Writes and checks the copy, says how many events and problems it holds, and with
    /// `--keep` removes the copies beyond the newest N.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        if self.keep.is_some() && self.into.is_none() {
            bail!("--keep is for --into DIR: it removes older copies in that folder");
        }
        let stem = stem_of(ctx.store.path());
        let dest = match (&self.dest, &self.into) {
            (Some(dest), _) => dest.clone(),
            (None, Some(dir)) => {
                if !dir.is_dir() {
                    bail!("no folder {} to write the backup into", dir.display());
                }
                let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
                dir.join(format!("{stem}-{stamp}.db"))
            }
            (None, None) => bail!("say where: spridning backup DEST, or --into DIR"),
        };
        let report = ctx.store.backup(&dest)?;
        let carried = match report.carried {
            0 => String::new(),
            n => format!(
                "; the original has {n} problems, copied as they are (see `spridning check`)"
            ),
        };
        say(
            ctx.out,
            format!(
                "backed up to {} ({} events), checked{carried}",
                dest.display(),
                report.events
            ),
        )?;
        if let (Some(dir), Some(keep)) = (&self.into, self.keep) {
            for old in beyond_newest(dir, &stem, keep as usize)? {
                std::fs::remove_file(&old)
                    .with_context(|| format!("cannot remove the old backup {}", old.display()))?;
                say(ctx.out, format!("removed the old backup {}", old.display()))?;
            }
        }
        Ok(())
    }
}

/// The database's file name without `.db`: the start of the names `--into` gives.
fn stem_of(db: &Path) -> String {
    let name = db
        .file_name()
        .map_or_else(|| "spridning".into(), |n| n.to_string_lossy());
    name.strip_suffix(".db").unwrap_or(&name).to_string()
}

/// Whether `name` is one `--into` gives for this stem: `STEM-YYYYMMDDTHHMMSSZ.db`.
fn is_copy_name(name: &str, stem: &str) -> bool {
    let Some(stamp) = name
        .strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('-'))
        .and_then(|rest| rest.strip_suffix(".db"))
    else {
        return false;
    };
    let b = stamp.as_bytes();
    b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit)
}

/// The copies of this database in `dir` older than the newest `keep` (their names sort by
/// time). Files of any other name are never touched.
fn beyond_newest(dir: &Path, stem: &str, keep: usize) -> Result<Vec<PathBuf>> {
    let mut copies: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter(|e| is_copy_name(&e.file_name().to_string_lossy(), stem))
        .map(|e| e.path())
        .collect();
    copies.sort();
    let old = copies.len().saturating_sub(keep);
    copies.truncate(old);
    Ok(copies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_names_into_gives_count_as_copies() {
        assert!(is_copy_name("register-20261204T031500Z.db", "register"));
        assert!(!is_copy_name("register-20261204T031500Z.db", "regist"));
        assert!(!is_copy_name("register-2026120xT031500Z.db", "register"));
        assert!(!is_copy_name(
            "register-20261204T031500Z.db-wal",
            "register"
        ));
        assert!(!is_copy_name("register.db", "register"));
        assert!(!is_copy_name("register-notes.db", "register"));
        assert_eq!(
            stem_of(Path::new("/var/lib/spridning/register.db")),
            "register"
        );
        assert_eq!(stem_of(Path::new("data.sqlite")), "data.sqlite");
    }

    #[test]
    fn the_oldest_copies_beyond_keep_are_chosen_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "r-20261201T031500Z.db",
            "r-20261203T031500Z.db",
            "r-20261202T031500Z.db",
            "r-notes.txt",
            "other-20261101T031500Z.db",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        let old = beyond_newest(dir.path(), "r", 2).unwrap();
        assert_eq!(old, vec![dir.path().join("r-20261201T031500Z.db")]);
        assert!(beyond_newest(dir.path(), "r", 5).unwrap().is_empty());
    }
}
