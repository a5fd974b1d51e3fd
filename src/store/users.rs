//! Users and their roles (what each role may do is decided in `access`).

use crate::domain::problem::Users;
use anyhow::Result;
use rusqlite::{Connection, Transaction, params};

use super::access::Gate;
use super::lookup::find_unit_in;
use super::{Store, now_utc, ruled};
use crate::domain::Deed;
use crate::domain::rules;
use crate::domain::text::clean_line;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub login: String,
    pub display_name: Option<String>,
    pub role: String,
    pub units: Vec<String>,
}

/// Registers `login` with `role` and the units it records for (unit names or codes), or
/// changes an existing registration; returns the login as stored (it follows the one login
/// rule).
pub(super) fn insert(
    tx: &Transaction,
    login: &str,
    role: &str,
    units: &[String],
    by: &str,
) -> Result<String> {
    let login = ruled(&rules::LOGIN, login)?;
    if !matches!(role, "coordinator" | "member" | "viewer") {
        return Err(Users::UnknownRole {
            role: clean_line(role),
        }
        .into());
    }
    // What units mean follows from the role: a member records for their units, a
    // coordinator for every unit, a viewer for none.
    match (role, units.is_empty()) {
        ("member", true) => return Err(Users::MemberNeedsUnit { login }.into()),
        ("coordinator" | "viewer", false) => {
            return Err(Users::NoUnitsFor {
                login,
                role: role.to_string(),
            }
            .into());
        }
        _ => {}
    }
    // The last coordinator is not made something else (as `remove_user` does not remove
    // them): the register would have nobody to manage it.
    let last_coordinator: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM user WHERE login = ?1 AND role = 'coordinator')
                AND (SELECT count(*) FROM user WHERE role = 'coordinator') = 1",
        [&login],
        |r| r.get(0),
    )?;
    if last_coordinator && role != "coordinator" {
        return Err(Users::LastCoordinator { login }.into());
    }
    let unit_ids = units
        .iter()
        .map(|u| find_unit_in(tx, u).map(|(id, _)| id))
        .collect::<Result<Vec<i64>>>()?;
    tx.execute(
        "INSERT INTO user (login, role, created_at, created_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (login) DO UPDATE SET role = excluded.role",
        params![login, role, now_utc(), by],
    )?;
    tx.execute("DELETE FROM user_unit WHERE login = ?1", [&login])?;
    for id in unit_ids {
        tx.execute(
            "INSERT OR IGNORE INTO user_unit (login, unit_id) VALUES (?1, ?2)",
            params![login, id],
        )?;
    }
    Ok(login)
}

/// Every registered login, read on `conn` (inside a write: as the write sees it).
pub(super) fn users_in(conn: &Connection) -> Result<Vec<User>> {
    let mut stmt = conn.prepare_cached(
            "SELECT u.login, u.display_name, u.role,
                    coalesce((SELECT group_concat(code, ',') FROM (SELECT n.code FROM user_unit uu
                              JOIN unit n ON n.id = uu.unit_id WHERE uu.login = u.login ORDER BY n.code)), '')
             FROM user u ORDER BY u.login",
        )?;
    let rows = stmt.query_map([], |r| {
        let units: String = r.get(3)?;
        Ok(User {
            login: r.get(0)?,
            display_name: r.get(1)?,
            role: r.get(2)?,
            units: units
                .split(',')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
        })
    })?;
    let mut users: Vec<User> = rows.collect::<rusqlite::Result<_>>()?;
    // In natural order, as every list of names ("user2" before "user10").
    users.sort_by(|a, b| super::natural_cmp(&a.login, &b.login));
    Ok(users)
}

impl Store {
    /// Every registered login, with its role and units.
    pub fn users(&self) -> Result<Vec<User>> {
        users_in(&self.conn)
    }
}

impl Store {
    /// Registers a login with a role and units, or changes its registration (coordinators).
    pub fn add_user(&mut self, login: &str, role: &str, units: &[String]) -> Result<()> {
        self.add_user_with_keys(login, role, units, &[])
    }

    /// `add_user`, and the person's SSH keys, in one write: all of it or none.
    pub fn add_user_with_keys(
        &mut self,
        login: &str,
        role: &str,
        units: &[String],
        keys: &[crate::domain::ssh_key::PublicKey],
    ) -> Result<()> {
        let by = self.user.clone();
        self.write(Gate::Coordinator(Deed::ManageUsers), |tx| {
            let login = insert(tx, login, role, units, &by)?;
            for key in keys {
                super::keys::insert_key(tx, &login, key, &by)?;
            }
            Ok(())
        })
    }

    /// Takes a login's role away (coordinators); never the last coordinator.
    pub fn remove_user(&mut self, login: &str) -> Result<()> {
        let login = clean_line(login);
        let login = login.as_str();
        self.write(Gate::Coordinator(Deed::ManageUsers), |tx| {
            let last_coordinator: bool = tx.query_row(
                "SELECT role = 'coordinator' AND (SELECT count(*) FROM user WHERE role = 'coordinator') = 1
                 FROM user WHERE login = ?1",
                [login],
                |r| r.get(0),
            ).unwrap_or(false);
            if last_coordinator {
                return Err(Users::LastCoordinator {
                    login: login.to_string(),
                }
                .into());
            }
            if tx.execute("DELETE FROM user WHERE login = ?1", [login])? == 0 {
                return Err(Users::UnknownUser {
                    login: login.to_string(),
                }
                .into());
            }
            Ok(())
        })
    }
}
