//! Who may do what. Roles: a coordinator edits everything and manages users; a member records
//! stages for their own units; a viewer reads; a login that is not registered reads only.
//!
//! The owner of the database file (running without `--as`) is treated as a coordinator: they
//! can change the file with any SQLite tool anyway, so the app gives them nothing new. This
//! is also what makes a freshly cloned `sample.db` editable by the person who cloned it.
//! Every write checks here, so the command line and the terminal app refuse alike.

use anyhow::Result;
use rusqlite::Connection;

use super::Store;
use super::confirmations::unit_of_confirmation;
use super::lookup::find_unit_in;
use super::stages::unit_of_event;
use super::users::users_in;
use crate::domain::{Deed, Problem};

/// What a login may do: see the module notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Coordinator,
    Member,
    Viewer,
    Unregistered,
}

impl Role {
    /// The role as stored.
    pub fn code(&self) -> &'static str {
        match self {
            Role::Coordinator => "coordinator",
            Role::Member => "member",
            Role::Viewer => "viewer",
            Role::Unregistered => "unregistered",
        }
    }
}

/// What the acting login may do in this database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub login: String,
    pub role: Role,
    /// The units a member records for (ids).
    pub units: Vec<i64>,
}

impl Access {
    /// Whether the login may record stages for the unit.
    pub fn can_record_for(&self, unit_id: i64) -> bool {
        match self.role {
            Role::Coordinator => true,
            Role::Member => self.units.contains(&unit_id),
            Role::Viewer | Role::Unregistered => false,
        }
    }

    /// Records anything at all (to offer the record key).
    pub fn can_record(&self) -> bool {
        matches!(self.role, Role::Coordinator)
            || (self.role == Role::Member && !self.units.is_empty())
    }

    /// Whether the login is a coordinator.
    pub fn is_coordinator(&self) -> bool {
        self.role == Role::Coordinator
    }

    /// Why a write is refused, with what to do about it.
    pub fn refusal(&self, deed: Deed) -> Problem {
        let login = self.login.clone();
        match self.role {
            Role::Unregistered => Problem::Unregistered { login },
            Role::Viewer => Problem::Viewer { login, deed },
            // A coordinator may do every deed; were one ever refused, it would read like this.
            Role::Member | Role::Coordinator => Problem::Member { login, deed },
        }
    }
}

/// What a write needs of the acting login. `Store::write` checks it inside the write's own
/// `BEGIN IMMEDIATE` transaction, so a role or a unit taken away by another process a moment
/// earlier is seen: there is no window between the check and the write.
#[derive(Debug, Clone, Copy)]
pub(super) enum Gate {
    /// A coordinator's deed.
    Coordinator(Deed),
    /// A deed for one unit (members for their own units).
    Unit(i64, Deed),
    /// A deed on an event, for the unit the event belongs to.
    EventUnit(i64, Deed),
    /// A deed on a confirmation, for the unit it belongs to.
    ConfirmationUnit(i64, Deed),
    /// The login's own things (its draft): anyone.
    Own,
}

/// The acting login, as a write checks it.
#[derive(Debug, Clone)]
pub(super) struct Actor {
    pub login: String,
    pub owner: bool,
}

impl Actor {
    /// What this login may do, read on `conn` (inside a transaction, what it sees).
    pub(super) fn access(&self, conn: &Connection) -> Result<Access> {
        let user = users_in(conn)?.into_iter().find(|u| u.login == self.login);
        let (role, codes) = match user {
            _ if self.owner => (Role::Coordinator, Vec::new()),
            Some(u) => (
                match u.role.as_str() {
                    "coordinator" => Role::Coordinator,
                    "member" => Role::Member,
                    _ => Role::Viewer,
                },
                u.units,
            ),
            None => (Role::Unregistered, Vec::new()),
        };
        let mut units = Vec::new();
        for code in codes {
            units.push(find_unit_in(conn, &code)?.0);
        }
        Ok(Access {
            login: self.login.clone(),
            role,
            units,
        })
    }

    /// Refuses what `gate` does not allow this login, with the reason.
    pub(super) fn admit(&self, conn: &Connection, gate: Gate) -> Result<()> {
        let (unit_id, deed) = match gate {
            Gate::Own => return Ok(()),
            Gate::Coordinator(deed) => {
                let access = self.access(conn)?;
                if !access.is_coordinator() {
                    return Err(access.refusal(deed).into());
                }
                return Ok(());
            }
            Gate::Unit(unit_id, deed) => (unit_id, deed),
            Gate::EventUnit(event_id, deed) => (unit_of_event(conn, event_id)?, deed),
            Gate::ConfirmationUnit(id, deed) => (unit_of_confirmation(conn, id)?, deed),
        };
        let access = self.access(conn)?;
        if access.can_record_for(unit_id) {
            return Ok(());
        }
        if access.role == Role::Member {
            let code: String = conn
                .query_row("SELECT code FROM unit WHERE id = ?1", [unit_id], |r| {
                    r.get(0)
                })
                .unwrap_or_default();
            let theirs = unit_codes(conn, &access.units)?;
            return Err(Problem::OtherUnits {
                login: access.login,
                code,
                deed,
                theirs,
            }
            .into());
        }
        Err(access.refusal(deed).into())
    }
}

/// The codes of these units, in code order.
fn unit_codes(conn: &rusqlite::Connection, ids: &[i64]) -> Result<Vec<String>> {
    let mut codes = Vec::new();
    for id in ids {
        codes.push(conn.query_row("SELECT code FROM unit WHERE id = ?1", [id], |r| r.get(0))?);
    }
    codes.sort();
    Ok(codes)
}

impl Store {
    /// The codes of the units the acting person records for (a member's), in code order.
    pub fn unit_codes(&self, ids: &[i64]) -> Result<Vec<String>> {
        unit_codes(&self.conn, ids)
    }

    /// Treats the acting login as the file's owner (a coordinator), see the module notes.
    pub fn grant_owner(&mut self) {
        self.owner = true;
    }

    pub(super) fn actor(&self) -> Actor {
        Actor {
            login: self.user.clone(),
            owner: self.owner,
        }
    }

    /// What the acting login may do, as the database says now.
    pub fn access(&self) -> Result<Access> {
        self.actor().access(&self.conn)
    }
}
