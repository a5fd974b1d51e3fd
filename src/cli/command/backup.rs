//! `spridning backup DEST`: a consistent copy, written while others keep working.

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, say};

/// Options of `spridning backup`.
#[derive(Debug, clap::Args)]
pub struct Backup {
    /// The copy: a new file (an existing one is never replaced).
    pub dest: PathBuf,
}

impl Backup {
    /// Writes and checks the copy, and says how many events and problems it holds.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let report = ctx.store.backup(&self.dest)?;
        let carried = match report.carried {
            0 => String::new(),
            n => format!(
                "; the original has {n} problems, copied as they are (see `spridning check`)"
            ),
        };
        say(
            ctx.out,
            format!(
                "backed up to {} ({} events), checked{carried}",
                self.dest.display(),
                report.events
            ),
        )
    }
}
