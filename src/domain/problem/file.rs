//! Faults of the database file.

use super::*;

impl Problem {
    pub(super) fn file_text(&self, lang: Lang) -> Option<String> {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        Some(match self {
            Problem::Locked { path, seconds } => pick(
                format!(
                    "{path} var låst av en annan process i {seconds} s; inget sparades, försök igen"
                ),
                format!(
                    "{path} stayed locked by another process for {seconds} s; nothing was saved, try again"
                ),
            ),
            Problem::Busy { path, seconds } => pick(
                format!(
                    "{path} är upptagen: en annan process höll låset i över {seconds} s; försök igen"
                ),
                format!(
                    "{path} is busy: another process held its lock for over {seconds} s; try again"
                ),
            ),
            Problem::ReadOnly { path, why } => match why {
                ReadOnly::File => pick(
                    format!(
                        "{path} är skrivskyddad för dig (filens behörigheter): be ägaren om skrivrätt; läsning fungerar ändå"
                    ),
                    format!(
                        "{path} is read-only for you (its file permissions): ask its owner for write access; reading still works"
                    ),
                ),
                ReadOnly::Companion(c) => pick(
                    format!(
                        "{path} kan inte skrivas: filen {c} är skrivskyddad för dig; be ägaren om skrivrätt"
                    ),
                    format!(
                        "{path} cannot be written: its file {c} is read-only for you; ask its owner for write access"
                    ),
                ),
                ReadOnly::Folder(d) => pick(
                    format!(
                        "{path} kan inte skrivas: mappen {d} är skrivskyddad för dig; be ägaren om skrivrätt"
                    ),
                    format!(
                        "{path} cannot be written: its folder {d} is read-only for you; ask its owner for write access"
                    ),
                ),
                ReadOnly::Elsewhere => pick(
                    format!(
                        "{path} kan inte skrivas: den ligger på ett skrivskyddat filsystem, eller ett annat program öppnade den skrivskyddad"
                    ),
                    format!(
                        "{path} cannot be written: it is on a read-only file system, or another program opened it read-only"
                    ),
                ),
            },
            Problem::DiskFull { path } => pick(
                format!("disken med {path} är full; inget sparades"),
                format!("the disk holding {path} is full; nothing was saved"),
            ),
            Problem::Corrupt { path } => pick(
                format!(
                    "{path} är skadad (SQLite rapporterar fel i filen); sluta använda den och läs tillbaka den senaste säkerhetskopian, eller kör `spridning check` för att se vad som är fel"
                ),
                format!(
                    "{path} is damaged (SQLite reports corruption); stop using it and restore the latest backup, or run `spridning check` to see what is wrong"
                ),
            ),
            Problem::WalGone { path, code } => pick(
                format!(
                    "kan inte läsa {path}: dess logg {path}-wal togs bort eller kortades medan databasen var öppen (I/O-fel {code}); inget sparades: stäng alla program som använder databasen och kör sedan `spridning check`"
                ),
                format!(
                    "cannot read {path}: its write-ahead log {path}-wal was removed or cut short while the database was open (disk I/O error {code}); nothing was saved: close every program using the database, then run `spridning check`"
                ),
            ),
            Problem::IoError { path, code } => pick(
                format!(
                    "kan inte läsa eller skriva {path}: disken eller filsystemet rapporterade ett I/O-fel ({code}); inget sparades: kontrollera disken och kör sedan `spridning check`"
                ),
                format!(
                    "cannot read or write {path}: the disk or file system reported an I/O error ({code}); nothing was saved: check the disk, then run `spridning check`"
                ),
            ),
            _ => return None,
        })
    }
}
