//! `spridning user add|list|remove|key`: who may do what, and the SSH keys they log in with.

use anyhow::Result;
use clap::{Subcommand, ValueEnum};

use super::{Context, say};
use crate::cli::output::Table;
use crate::domain::ssh_key::PublicKey;

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
        /// An SSH public key they log in with, the line of their .pub file
        /// ("ssh-ed25519 AAAA… name@machine"); repeat for several.
        #[arg(long = "key", value_name = "KEY")]
        keys: Vec<String>,
    },
    /// A person's SSH keys: add, remove or list them (sshd asks spridning who a key is, see
    /// `authorized-keys`).
    #[command(subcommand)]
    Key(KeyCommand),
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
            UserCommand::Add {
                login,
                role,
                units,
                keys,
            } => {
                let keys = keys
                    .iter()
                    .map(|k| PublicKey::parse(k))
                    .collect::<Result<Vec<_>, _>>()?;
                ctx.store
                    .add_user_with_keys(&login, role.code(), &units, &keys)?;
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
                let with = match keys.len() {
                    0 => String::new(),
                    1 => format!(", with the key {}", keys[0].fingerprint()),
                    n => format!(", with {n} keys"),
                };
                say(ctx.out, format!("{login} is {}{of}{with}", role.code()))
            }
            UserCommand::Key(command) => command.run(ctx),
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

/// What `user key` does.
#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Give LOGIN an SSH key: the line of their .pub file, quoted
    /// ("ssh-ed25519 AAAA… name@machine"). A key belongs to one person.
    Add {
        /// The registered person.
        login: String,
        /// The key line.
        key: String,
    },
    /// Take a key from LOGIN: its fingerprint (SHA256:…, as `key list` shows it), its line or
    /// its comment. It takes effect at their next login.
    Remove {
        /// The registered person.
        login: String,
        /// Which key.
        key: String,
    },
    /// Every key (or LOGIN's): login, type, fingerprint, comment, when added.
    List {
        /// Only this person's.
        login: Option<String>,
    },
}

impl KeyCommand {
    /// Adds, removes or lists, and says what was done.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        match self {
            KeyCommand::Add { login, key } => {
                let key = PublicKey::parse(&key)?;
                ctx.store.add_key(&login, &key)?;
                say(
                    ctx.out,
                    format!(
                        "{} logs in with {} {}",
                        login.trim(),
                        key.kind,
                        key.fingerprint()
                    ),
                )
            }
            KeyCommand::Remove { login, key } => {
                let removed = ctx.store.remove_key(&login, &key)?;
                say(
                    ctx.out,
                    format!(
                        "removed {} {} from {} (from their next login)",
                        removed.kind,
                        removed.fingerprint(),
                        login.trim()
                    ),
                )
            }
            KeyCommand::List { login } => {
                let mut t = Table::new(&["login", "type", "fingerprint", "comment", "added"]);
                for k in ctx.store.keys(login.as_deref().map(str::trim))? {
                    t.push(vec![
                        k.login,
                        k.key.kind.clone(),
                        k.key.fingerprint(),
                        k.key.comment.clone().unwrap_or_default(),
                        k.added_at,
                    ]);
                }
                t.write_aligned(ctx.out)
            }
        }
    }
}
