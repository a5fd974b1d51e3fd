//! Putting a backup back (`restore`): what is wrong with the backup, or with the restore.

use crate::i18n::Lang;

/// What goes wrong when a backup is put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Restore {
    /// What is wrong with the backup named.
    Backup(Backup),
    /// The copy of the backup could not be made beside the database.
    CannotCopy {
        backup: String,
        database: String,
        why: String,
    },
    PageSize {
        backup: String,
        database: String,
        theirs: i64,
        ours: i64,
    },
    /// Written, but SQLite finds the database not sound afterwards.
    NotSoundAfter {
        backup: String,
        database: String,
        finding: Box<super::Finding>,
    },
    KeptBusy {
        database: String,
    },
    NoFreeName {
        database: String,
    },
    NotUtf8Folder {
        database: String,
    },
}

impl Restore {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Restore::CannotCopy {
                backup,
                database,
                why,
            } => pick(
                format!("kan inte kopiera {backup} bredvid {database}: {why}"),
                format!("cannot copy {backup} beside {database}: {why}"),
            ),
            Restore::PageSize {
                backup,
                database,
                theirs,
                ours,
            } => pick(
                format!(
                    "{backup} har sidor om {theirs} byte och {database} om {ours}; SQLite kan inte återställa mellan dem medan databasen används (kopiera den med `sqlite3 {backup} \"PRAGMA page_size={ours}; VACUUM\"` först)"
                ),
                format!(
                    "{backup} uses pages of {theirs} bytes and {database} of {ours}; SQLite cannot restore between them while the database is in use (copy it with `sqlite3 {backup} \"PRAGMA page_size={ours}; VACUUM\"` first)"
                ),
            ),
            Restore::NotSoundAfter {
                backup,
                database,
                finding,
            } => pick(
                format!(
                    "återställde {backup} till {database}, men SQLite finner den inte hel: {}",
                    finding.text(lang)
                ),
                format!(
                    "restored {backup} into {database}, but SQLite finds it not sound: {}",
                    finding.text(lang)
                ),
            ),
            Restore::KeptBusy { database } => pick(
                format!(
                    "kan inte slutföra återställningen av {database}: SQLite sa hela tiden att den var upptagen; inget återställdes"
                ),
                format!(
                    "cannot finish restoring {database}: SQLite kept reporting it busy; nothing was restored"
                ),
            ),
            Restore::NoFreeName { database } => pick(
                format!("hittar inget ledigt namn för kopian av {database} före återställningen"),
                format!("cannot find a free name for the copy of {database} before the restore"),
            ),
            Restore::NotUtf8Folder { database } => pick(
                format!("{database} ligger inte i en mapp med en UTF-8-sökväg"),
                format!("{database} is not in a folder with a UTF-8 path"),
            ),
            Restore::Backup(b) => b.text(lang),
        }
    }
}

/// What is wrong with a backup a restore was given: nothing was restored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backup {
    /// The backup named is the database itself or one of its files.
    IsTheDatabase {
        backup: String,
    },
    Missing {
        backup: String,
    },
    Unreadable {
        backup: String,
        why: String,
    },
    Folder {
        backup: String,
    },
    NotRegular {
        backup: String,
    },
    EmptyFile {
        backup: String,
    },
    NotSqlite {
        backup: String,
    },
    OtherApp {
        backup: String,
    },
    Newer {
        backup: String,
        version: i64,
        known: i64,
    },
    NoSchema {
        backup: String,
        version: i64,
    },
    /// Damaged; `finding` is what the checks say, when they say something.
    Damaged {
        backup: String,
        finding: Option<Box<super::Finding>>,
    },
}

impl Backup {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        let backup_hint = lang.pick(
            "ange en fil som skrivits av `spridning backup`",
            "give a file written by `spridning backup`",
        );
        match self {
            Backup::IsTheDatabase { backup } => pick(
                format!(
                    "{backup} är databasen själv (eller en av dess filer), ingen säkerhetskopia av den; {backup_hint}"
                ),
                format!(
                    "{backup} is the database itself (or one of its own files), not a backup of it; {backup_hint}"
                ),
            ),
            Backup::Missing { backup } => pick(
                format!("ingen säkerhetskopia i {backup}: inget återställdes"),
                format!("no backup at {backup}: nothing was restored"),
            ),
            Backup::Unreadable { backup, why } => pick(
                format!("kan inte läsa {backup}: {why}"),
                format!("cannot read {backup}: {why}"),
            ),
            Backup::Folder { backup } => pick(
                format!("{backup} är en mapp, ingen säkerhetskopia; {backup_hint}"),
                format!("{backup} is a folder, not a backup; {backup_hint}"),
            ),
            Backup::NotRegular { backup } => pick(
                format!("{backup} är ingen vanlig fil; {backup_hint}"),
                format!("{backup} is not a regular file; {backup_hint}"),
            ),
            Backup::EmptyFile { backup } => pick(
                format!("{backup} är en tom fil, ingen säkerhetskopia av spridning"),
                format!("{backup} is an empty file, not a spridning backup"),
            ),
            Backup::NotSqlite { backup } => pick(
                format!("{backup} är ingen SQLite-databas"),
                format!("{backup} is not a SQLite database"),
            ),
            Backup::OtherApp { backup } => pick(
                format!("{backup} är en SQLite-fil men ingen spridning-databas"),
                format!("{backup} is a SQLite file but not a spridning database"),
            ),
            Backup::Newer {
                backup,
                version,
                known,
            } => pick(
                format!(
                    "{backup} är skriven av en nyare spridning (schemaversion {version}; den här känner till {known}): uppgradera spridning"
                ),
                format!(
                    "{backup} was written by a newer spridning (schema version {version}; this one knows up to {known}): upgrade spridning"
                ),
            ),
            Backup::NoSchema { backup, version } => pick(
                format!(
                    "{backup} har inget schema från spridning (version {version}); den är ingen säkerhetskopia"
                ),
                format!("{backup} has no spridning schema (version {version}); it is not a backup"),
            ),
            Backup::Damaged { backup, finding } => {
                let what = finding
                    .as_ref()
                    .map(|f| format!(" ({})", f.text(lang)))
                    .unwrap_or_default();
                pick(
                    format!(
                        "{backup} är skadad{what}; inget återställdes: välj en annan säkerhetskopia"
                    ),
                    format!(
                        "{backup} is damaged{what}; nothing was restored: choose another backup"
                    ),
                )
            }
        }
    }
}
