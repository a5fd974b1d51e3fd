//! Opening, creating and upgrading the database file.

use crate::i18n::Lang;

/// What is wrong with the database file, or with opening, creating or upgrading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// No file at the path (the command line names `init` and the sample).
    Missing {
        path: String,
    },
    Folder {
        path: String,
    },
    /// A device, pipe or socket.
    NotRegular {
        path: String,
    },
    EmptyFile {
        path: String,
    },
    NotSqlite {
        path: String,
    },
    /// A SQLite file of another application.
    OtherApp {
        path: String,
    },
    /// A schema version no spridning writes (below zero).
    ForeignVersion {
        path: String,
        version: i64,
    },
    Newer {
        path: String,
        version: i64,
        known: i64,
    },
    /// `init` on a path that exists.
    Exists {
        path: String,
    },
    NoWal {
        path: String,
        mode: String,
    },
    /// A header SQLite cannot read ("unsupported file format").
    Damaged {
        path: String,
    },
    CannotOpen {
        path: String,
    },
    /// SQLite's shared-memory file cannot be made beside the database.
    SharedMemory {
        path: String,
        folder: String,
    },
    /// An upgrade step failed; `why` is what failed, and nothing was changed.
    Upgrade {
        path: String,
        version: i64,
        why: String,
    },
    /// A backup's copy did not pass SQLite's own checks.
    CopyNotSound {
        path: String,
        finding: Box<super::Finding>,
    },
}

impl Database {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Database::Missing { path } => pick(
                format!(
                    "ingen databas i {path}: skapa en med `spridning init {path}`, eller prova exemplet med `--db sample.db`"
                ),
                format!(
                    "no database at {path}: create one with `spridning init {path}`, or try the sample with `--db sample.db`"
                ),
            ),
            Database::Folder { path } => pick(
                format!("{path} är en mapp, ingen spridning-databas"),
                format!("{path} is a directory, not a spridning database"),
            ),
            Database::NotRegular { path } => pick(
                format!(
                    "{path} är ingen vanlig fil (en enhet, en rörledning eller en sockel), ingen spridning-databas"
                ),
                format!(
                    "{path} is not a regular file (a device, pipe or socket), not a spridning database"
                ),
            ),
            Database::EmptyFile { path } => pick(
                format!(
                    "{path} är en tom fil, ingen spridning-databas (skapa en med `spridning init`)"
                ),
                format!(
                    "{path} is an empty file, not a spridning database (create one with `spridning init`)"
                ),
            ),
            Database::NotSqlite { path } => pick(
                format!("{path} är ingen SQLite-databas"),
                format!("{path} is not a SQLite database"),
            ),
            Database::OtherApp { path } => pick(
                format!("{path} är en SQLite-fil men ingen spridning-databas"),
                format!("{path} is a SQLite file but not a spridning database"),
            ),
            Database::ForeignVersion { path, version } => pick(
                format!(
                    "{path} säger sig ha schemaversion {version}, som ingen spridning skriver: ett annat program har ändrat den; återställ en säkerhetskopia"
                ),
                format!(
                    "{path} says it has schema version {version}, which no spridning writes: it was changed by another program; restore a backup"
                ),
            ),
            Database::Newer {
                path,
                version,
                known,
            } => pick(
                format!(
                    "{path} är skriven av en nyare spridning (schemaversion {version}; den här känner till {known}): uppgradera spridning"
                ),
                format!(
                    "{path} was written by a newer spridning (schema version {version}; this one knows up to {known}): upgrade spridning"
                ),
            ),
            Database::Exists { path } => pick(
                format!("{path} finns redan; init skapar bara nya databaser"),
                format!("{path} already exists; init only creates new databases"),
            ),
            Database::NoWal { path, mode } => pick(
                format!("kan inte sätta {path} i WAL-läge (fick {mode})"),
                format!("cannot switch {path} to WAL mode (got {mode})"),
            ),
            Database::Damaged { path } => pick(
                format!(
                    "{path} är skadad: dess huvud är inget SQLite kan läsa; återställ en säkerhetskopia (se \"Restore\" i README)"
                ),
                format!(
                    "{path} is damaged: its header is not one SQLite can read; restore a backup (see \"Restore\" in the README)"
                ),
            ),
            Database::CannotOpen { path } => pick(
                format!("kan inte öppna {path}"),
                format!("cannot open {path}"),
            ),
            Database::SharedMemory { path, folder } => pick(
                format!(
                    "kan inte läsa {path}: SQLite håller en fil för delat minne bredvid den och {folder} är inte skrivbar för dig; be ägaren om åtkomst (se \"Running on a shared server\" i README)"
                ),
                format!(
                    "cannot read {path}: SQLite keeps a shared-memory file beside it and {folder} is not writable for you; ask its owner for access (see \"Running on a shared server\" in the README)"
                ),
            ),
            Database::Upgrade { path, version, why } => pick(
                format!(
                    "kan inte uppgradera {path} till schemaversion {version}: {why}; inget ändrades"
                ),
                format!(
                    "cannot upgrade {path} to schema version {version}: {why}; nothing was changed"
                ),
            ),
            Database::CopyNotSound { path, finding } => pick(
                format!("kopian till {path} är inte hel: {}", finding.text(lang)),
                format!("the copy for {path} is not sound: {}", finding.text(lang)),
            ),
        }
    }
}
