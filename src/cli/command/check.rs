//! `spridning check`: SQLite's integrity checks and spridning's own rules.

use anyhow::{Result, bail};

use super::{Context, say};

/// Prints each problem found and fails when there is any; else says the database is sound.
pub fn run(ctx: &mut Context) -> Result<()> {
    let problems = ctx.store.check()?;
    for p in &problems {
        writeln!(ctx.out, "{}", crate::domain::text::clean_line(p))?;
    }
    // The problems reach the reader before the error line does.
    ctx.out.flush()?;
    if !problems.is_empty() {
        bail!(
            "{} problems found in {}",
            problems.len(),
            ctx.store.path().display()
        );
    }
    say(
        ctx.out,
        format!("ok: {} is sound", ctx.store.path().display()),
    )
}
