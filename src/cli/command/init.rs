//! `spridning init PATH`: a new database with the schema and Stockholm's units.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::domain::text::printable;
use crate::identity::os_login;
use crate::store::Store;

/// Options of `spridning init`.
#[derive(Debug, clap::Args)]
pub struct Init {
    /// Where to create it; an existing file is refused.
    pub path: PathBuf,
}

impl Init {
    /// Creates the database, with the login running it as its coordinator. It runs before
    /// any database is opened, so it takes no `Context`.
    pub fn run(&self) -> Result<()> {
        let me = os_login();
        refuse_root_in_anothers_folder(&self.path, &me)?;
        Store::create(&self.path, &me, Some(&me))?;
        writeln!(
            std::io::stdout(),
            "{}",
            printable(&format!(
                "created {} with Stockholm's units; {me} is its coordinator",
                self.path.display()
            ))
        )?;
        Ok(())
    }
}

/// root creating the register in a folder another account owns (a service account's home,
/// as the package makes it) would leave a file that account cannot write and sshd's key
/// command will not answer for: refused, naming the account to run as.
fn refuse_root_in_anothers_folder(path: &std::path::Path, me: &str) -> Result<()> {
    if !nix::unistd::Uid::effective().is_root() {
        return Ok(());
    }
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => std::path::Path::new("."),
    };
    match crate::identity::owner_login(folder) {
        Some(owner) if owner != me && owner != "root" => bail!(
            "{} belongs to {owner}: create the register as that account, so that it owns it \
             (runuser -u {owner} -- spridning init {})",
            printable(&folder.display().to_string()),
            printable(&path.display().to_string())
        ),
        _ => Ok(()),
    }
}
