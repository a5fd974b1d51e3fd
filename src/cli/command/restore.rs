//! `spridning restore BACKUP`: a backup put back through the open database.

use std::path::PathBuf;

use anyhow::Result;

use super::{Context, say};

/// Options of `spridning restore`.
#[derive(Debug, clap::Args)]
pub struct Restore {
    /// A file written by `spridning backup` (an older version's is upgraded).
    pub backup: PathBuf,
    /// Do not keep the replaced state as DB.before-restore-YYYYMMDDTHHMMSSZ.db.
    #[arg(long)]
    pub no_keep: bool,
}

impl Restore {
    /// Restores the backup and says what was restored and where the replaced state is kept.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let report = ctx.store.restore(&self.backup, !self.no_keep)?;
        for note in &report.notes {
            eprintln!(
                "spridning: upgraded the backup, but {}",
                crate::domain::text::clean_line(note)
            );
        }
        let upgraded = report
            .upgraded_from
            .map(|v| format!(", upgraded from schema version {v}"))
            .unwrap_or_default();
        let carried = match report.carried {
            0 => String::new(),
            n => format!(", with {n} problems restored as they are (see `spridning check`)"),
        };
        let kept = match &report.kept {
            Some(k) => format!("the previous state is kept in {}", k.display()),
            None => "the previous state was not kept (--no-keep)".to_string(),
        };
        say(
            ctx.out,
            format!(
                "restored {} into {} ({} events{upgraded}{carried}); {kept}",
                self.backup.display(),
                ctx.store.path().display(),
                report.events
            ),
        )
    }
}
