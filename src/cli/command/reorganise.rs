//! `spridning reorganise`: units that merge or split on a day.

use anyhow::Result;

use super::{Context, say};
use crate::domain::date::parse_day;
use crate::i18n::Lang;
use crate::store::Reorganisation;

/// Options of `spridning reorganise`.
#[derive(Debug, clap::Args)]
pub struct Reorganise {
    /// The units that end (codes or names, comma-separated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub from: Vec<String>,
    /// The units that take over: existing units, or the names of new ones (comma-separated).
    #[arg(long, value_delimiter = ',', required = true)]
    pub into: Vec<String>,
    /// Codes of the new units, in the order of --into.
    #[arg(long, value_delimiter = ',')]
    pub code: Vec<String>,
    /// Region of the new units (default: the predecessors' region when they share one).
    #[arg(long)]
    pub region: Option<String>,
    /// The day the successors take over (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub on: String,
    /// Carry each method over where every predecessor is at the same stage; list the others.
    #[arg(long)]
    pub carry: bool,
}

impl Reorganise {
    /// Records the reorganisation and says what closed, what took over and, with `--carry`,
    /// what was carried over and what is left to review.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let report = ctx.store.reorganise(&Reorganisation {
            from: self.from,
            into: self.into,
            codes: self.code,
            region: self.region,
            on: parse_day(&self.on)?,
            carry: self.carry,
        })?;
        let successors: Vec<String> = report
            .successors
            .iter()
            .map(|(c, new)| {
                if *new {
                    format!("{c} (new)")
                } else {
                    c.clone()
                }
            })
            .collect();
        say(
            ctx.out,
            format!(
                "reorganised on {}: {} closed, {} took over",
                self.on,
                report.closed.join(", "),
                successors.join(", ")
            ),
        )?;
        if self.carry {
            say(
                ctx.out,
                format!(
                    "carried over: {} events; to review: {} methods",
                    report.carried,
                    report.to_review.len()
                ),
            )?;
            for r in &report.to_review {
                say(ctx.out, format!("  to review: {}", r.describe(Lang::En)))?;
            }
        }
        Ok(())
    }
}
