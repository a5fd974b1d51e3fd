//! `spridning init PATH`: a new database with the schema and Stockholm's units.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;

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
