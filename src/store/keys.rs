//! People's SSH public keys (schema 14): added and removed by coordinators, carried by
//! export and import with their person, and looked up for sshd (`authorized-keys`) on a
//! read-only connection that never upgrades or writes.

use std::path::Path;

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::access::Gate;
use super::{Store, now_utc};
use crate::domain::Deed;
use crate::domain::problem::{Keys, Users};
use crate::domain::ssh_key::PublicKey;
use crate::domain::text::clean_line;

/// A person's key, with when and by whom it was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserKey {
    pub login: String,
    pub key: PublicKey,
    pub added_at: String,
    pub added_by: String,
}

/// Gives `login` the key, inside the write: the person must be registered, and the key
/// must not be anyone's yet.
pub(super) fn insert_key(tx: &Transaction, login: &str, key: &PublicKey, by: &str) -> Result<()> {
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM user WHERE login = ?1)",
        [login],
        |r| r.get(0),
    )?;
    if !known {
        return Err(Users::UnknownUser {
            login: clean_line(login),
        }
        .into());
    }
    let owner: Option<String> = tx
        .query_row(
            "SELECT login FROM user_key WHERE kind = ?1 AND body = ?2",
            params![key.kind, key.body],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(owner) = owner {
        return Err(Keys::Taken {
            fingerprint: key.fingerprint(),
            login: owner,
        }
        .into());
    }
    tx.execute(
        "INSERT INTO user_key (login, kind, body, comment, added_at, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![login, key.kind, key.body, key.comment, now_utc(), by],
    )?;
    Ok(())
}

/// Every key on `conn`, by login and then in the order added (`login`: one person's).
pub(super) fn keys_in(conn: &Connection, login: Option<&str>) -> Result<Vec<UserKey>> {
    let mut stmt = conn.prepare_cached(
        "SELECT login, kind, body, comment, added_at, added_by FROM user_key
         WHERE ?1 IS NULL OR login = ?1 ORDER BY login, id",
    )?;
    let rows = stmt.query_map([login], |r| {
        Ok(UserKey {
            login: r.get(0)?,
            key: PublicKey {
                kind: r.get(1)?,
                body: r.get(2)?,
                comment: r.get(3)?,
            },
            added_at: r.get(4)?,
            added_by: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who the key `kind body` belongs to, read from the database at `path` on a read-only
/// connection (for sshd: nothing is upgraded or written, and an older database without keys
/// has nobody's key).
pub fn key_owner(path: &Path, kind: &str, body: &str) -> Result<Option<String>> {
    let conn = super::reader_connection(path).map_err(|e| super::errors::describe(e, path))?;
    let has_keys: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'user_key')",
            [],
            |r| r.get(0),
        )
        .map_err(|e| super::errors::describe(e, path))?;
    if !has_keys {
        return Ok(None);
    }
    conn.query_row(
        "SELECT k.login FROM user_key k JOIN user u ON u.login = k.login
         WHERE k.kind = ?1 AND k.body = ?2",
        params![kind, body],
        |r| r.get(0),
    )
    .optional()
    .map_err(|e| super::errors::describe(e, path))
}

impl Store {
    /// Every key (`login`: one person's), by login and in the order added.
    pub fn keys(&self, login: Option<&str>) -> Result<Vec<UserKey>> {
        keys_in(&self.conn, login)
    }

    /// Gives a registered person a key (coordinators).
    pub fn add_key(&mut self, login: &str, key: &PublicKey) -> Result<()> {
        let by = self.user.clone();
        let login = login.trim().to_string();
        self.write(Gate::Coordinator(Deed::ManageUsers), |tx| {
            insert_key(tx, &login, key, &by)
        })
    }

    /// Takes a key from a person (coordinators): `wanted` is its fingerprint
    /// (`SHA256:…`, as `user key list` and `ssh-keygen -l` show it), its line, its body or
    /// its comment when that names one key. Returns the key removed.
    pub fn remove_key(&mut self, login: &str, wanted: &str) -> Result<PublicKey> {
        let login = login.trim().to_string();
        let wanted = wanted.trim().to_string();
        self.write(Gate::Coordinator(Deed::ManageUsers), |tx| {
            let theirs = keys_in(tx, Some(&login))?;
            let by_line = PublicKey::parse(&wanted).ok();
            let matches: Vec<&UserKey> = theirs
                .iter()
                .filter(|k| {
                    k.key.fingerprint() == wanted
                        || k.key.body == wanted
                        || by_line
                            .as_ref()
                            .is_some_and(|l| l.kind == k.key.kind && l.body == k.key.body)
                        || k.key.comment.as_deref() == Some(wanted.as_str())
                })
                .collect();
            let [found] = matches.as_slice() else {
                return Err(Keys::UnknownKey {
                    login: clean_line(&login),
                    wanted: clean_line(&wanted).chars().take(60).collect(),
                }
                .into());
            };
            tx.execute(
                "DELETE FROM user_key WHERE login = ?1 AND kind = ?2 AND body = ?3",
                params![login, found.key.kind, found.key.body],
            )?;
            Ok(found.key.clone())
        })
    }
}
