//! `spridning authorized-keys ACCOUNT TYPE KEY`: sshd's `AuthorizedKeysCommand`. sshd asks,
//! for every login attempt with a key, which `authorized_keys` lines hold for that key; this
//! prints the one line for a key registered in spridning, with the forced command that opens
//! the app as its person, and nothing for any other key. It reads the database on a
//! read-only connection (nothing is upgraded or written), prints nothing but key lines on
//! standard output (sshd reads it), and says any fault on standard error with a non-zero
//! exit. Only the account that owns the database gets lines: the people share it, and the
//! key says who is who.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::domain::ssh_key::KEY_TYPES;

/// Options of `spridning authorized-keys` (sshd's `%u %t %k`).
#[derive(Debug, clap::Args)]
pub struct AuthorizedKeys {
    /// The account being logged into (%u): the one that owns the database.
    pub account: String,
    /// The key's type (%t), e.g. ssh-ed25519.
    pub kind: String,
    /// The key, base64 (%k).
    pub key: String,
}

impl AuthorizedKeys {
    /// Prints the line for a registered key, or nothing. It runs before any database is
    /// opened for writing, so it takes no `Context`.
    pub fn run(&self, db: &Path) -> Result<()> {
        if !db.is_file() {
            return Err(crate::domain::problem::Database::Missing {
                path: crate::domain::text::printable(&db.display().to_string()),
            }
            .into());
        }
        if !KEY_TYPES.contains(&self.kind.as_str()) {
            return Ok(());
        }
        let owner = crate::identity::owner_login(db);
        if owner.as_deref() != Some(self.account.as_str()) {
            // Another account of this machine: not spridning's to answer for (said on
            // standard error, which sshd logs).
            eprintln!(
                "spridning: {} does not own {} ({} does); no keys for it",
                crate::domain::text::printable(&self.account),
                crate::domain::text::printable(&db.display().to_string()),
                owner.as_deref().unwrap_or("nobody known")
            );
            return Ok(());
        }
        let Some(login) = crate::store::key_owner(db, &self.kind, &self.key)? else {
            return Ok(());
        };
        let program = std::env::current_exe().context("where spridning itself is")?;
        let db = std::fs::canonicalize(db).unwrap_or_else(|_| PathBuf::from(db));
        let command = format!(
            "{} --db {} --as {}",
            shell_quoted(&program.display().to_string()),
            shell_quoted(&db.display().to_string()),
            shell_quoted(&login)
        );
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "command=\"{}\",restrict,pty {} {}",
            command.replace('\\', "\\\\").replace('"', "\\\""),
            self.kind,
            self.key
        )?;
        out.flush()?;
        Ok(())
    }
}

/// `text` as one word for the shell sshd runs the command with: in single quotes, a single
/// quote written as `'\''`.
fn shell_quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::shell_quoted;

    #[test]
    fn a_path_with_spaces_and_quotes_is_one_shell_word() {
        assert_eq!(shell_quoted("/srv/a b.db"), "'/srv/a b.db'");
        assert_eq!(shell_quoted("it's"), "'it'\\''s'");
    }
}
