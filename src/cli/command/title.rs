//! `spridning title [TEXT]`: the register's title (the presentation's first slide).

use anyhow::Result;

use super::Context;

/// Options of `spridning title`.
#[derive(Debug, clap::Args)]
pub struct Title {
    /// The new title; without it, the title is printed.
    pub title: Option<String>,
}

impl Title {
    /// Prints the title, or sets it (coordinators; "" returns to the default) and prints
    /// the new one.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let shown = match self.title {
            Some(t) => ctx.store.set_title(&t)?,
            None => ctx.store.title_shown()?,
        };
        writeln!(ctx.out, "{}", crate::domain::text::printable(&shown))?;
        Ok(())
    }
}
