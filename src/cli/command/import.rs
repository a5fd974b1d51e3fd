//! `spridning import FILE`: a JSON export loaded into a new database, all or nothing.

use std::fs::File;
use std::path::PathBuf;

use anyhow::{Context as _, Result};

use super::{Context, say};

/// Options of `spridning import`.
#[derive(Debug, clap::Args)]
pub struct Import {
    /// A file written by `spridning export --format json`.
    pub file: PathBuf,
}

impl Import {
    /// Loads the file and says how much it held.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let file = &self.file;
        let reader = File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        let n = ctx
            .store
            .import_from(reader)
            .with_context(|| file.display().to_string())?;
        say(
            ctx.out,
            format!(
                "imported {} units, {} methods, {} events, {} users",
                n.units, n.methods, n.events, n.users
            ),
        )
    }
}
