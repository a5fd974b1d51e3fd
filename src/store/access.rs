//! Who may do what. Roles: a coordinator edits everything and manages users; a member records
//! stages for their own units; a viewer reads; a login that is not registered reads only.
//!
//! The owner of the database file (running without `--as`) is treated as a coordinator: they
//! can change the file with any SQLite tool anyway, so the app gives them nothing new. This
//! is also what makes a freshly cloned `sample.db` editable by the person who cloned it.
//! Every write checks here, so the command line and the terminal app refuse alike.

use anyhow::Result;

use super::Store;
use crate::domain::{Deed, Problem};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Coordinator,
    Member,
    Viewer,
    Unregistered,
}

impl Role {
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

impl Store {
    /// Treats the acting login as the file's owner (a coordinator), see the module notes.
    pub fn grant_owner(&mut self) {
        self.owner = true;
    }

    pub fn access(&self) -> Result<Access> {
        let user = self.users()?.into_iter().find(|u| u.login == self.user);
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
            units.push(self.find_unit(&code)?.0);
        }
        Ok(Access {
            login: self.user.clone(),
            role,
            units,
        })
    }

    pub(super) fn require_coordinator(&self, deed: Deed) -> Result<()> {
        let access = self.access()?;
        if !access.is_coordinator() {
            return Err(access.refusal(deed).into());
        }
        Ok(())
    }

    pub(super) fn require_unit(&self, unit_id: i64, deed: Deed) -> Result<()> {
        let access = self.access()?;
        if !access.can_record_for(unit_id) {
            if access.role == Role::Member {
                let code = self.unit(unit_id).map(|u| u.code).unwrap_or_default();
                return Err(Problem::OtherUnits {
                    login: access.login,
                    code,
                    deed,
                }
                .into());
            }
            return Err(access.refusal(deed).into());
        }
        Ok(())
    }
}
