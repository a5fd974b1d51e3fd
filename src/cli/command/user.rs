//! `spridning user add|list|remove`: who may do what.

use anyhow::Result;
use clap::{Subcommand, ValueEnum};

use super::{Context, say};
use crate::cli::output::Table;

/// A role as the command line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    /// Edits everything and manages users.
    Coordinator,
    /// Records and retracts stages for their own units.
    Member,
    /// Reads.
    Viewer,
}

impl RoleArg {
    /// The role's code in the database.
    pub fn code(self) -> &'static str {
        match self {
            RoleArg::Coordinator => "coordinator",
            RoleArg::Member => "member",
            RoleArg::Viewer => "viewer",
        }
    }
}

/// What `user` does.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Register LOGIN with a role (coordinator, member or viewer); again to change it.
    Add {
        /// The person's login on this machine (what `whoami` says; over SSH, the key's login).
        login: String,
        /// What they may do.
        #[arg(long, value_enum)]
        role: RoleArg,
        /// A unit (code or name) the member records for; repeat for several.
        #[arg(long = "unit", value_name = "UNIT")]
        units: Vec<String>,
    },
    /// Every registered login with its role and units.
    List,
    /// Take a login's role away (its records stay, with its name).
    Remove {
        /// The login to remove.
        login: String,
    },
}

impl UserCommand {
    /// Adds, lists or removes, and says what was done.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        match self {
            UserCommand::Add { login, role, units } => {
                ctx.store.add_user(&login, role.code(), &units)?;
                // What was registered, as stored: "alice is member of Farsta (FA)".
                let login = login.trim();
                let codes = ctx
                    .store
                    .users()?
                    .into_iter()
                    .find(|u| u.login == login)
                    .map(|u| u.units)
                    .unwrap_or_default();
                let mut named = Vec::new();
                for code in &codes {
                    let (id, _) = ctx.store.find_unit(code)?;
                    named.push(format!(
                        "{} ({code})",
                        crate::domain::text::printable(&ctx.store.unit(id)?.name)
                    ));
                }
                let of = if named.is_empty() {
                    String::new()
                } else {
                    format!(" of {}", named.join(", "))
                };
                say(ctx.out, format!("{login} is {}{of}", role.code()))
            }
            UserCommand::List => {
                let mut t = Table::new(&["login", "role", "units"]);
                for u in ctx.store.users()? {
                    t.push(vec![u.login, u.role, u.units.join(",")]);
                }
                t.write_aligned(ctx.out)
            }
            UserCommand::Remove { login } => {
                ctx.store.remove_user(&login)?;
                say(ctx.out, format!("removed {}", login.trim()))
            }
        }
    }
}
