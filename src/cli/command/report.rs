//! `spridning report`: an Excel workbook or a web page that prints, for people who do not
//! open a terminal (see `crate::report`).

use anyhow::Result;
use clap::ValueEnum;
use std::path::Path;

use super::{Context, moment_of, out_required, say, write_out};
use crate::cli::args::{OutArgs, WhenArgs};
use crate::report::ReportScope;

/// Which report `report` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// An Excel workbook: the matrix with a fill per stage, the figures with a chart, the
    /// history, the units, and what the report shows.
    Xlsx,
    /// One web page (no scripts, nothing fetched): figures, matrix, methods with their
    /// curves, stalled pilots and the latest history; prints on A4 landscape.
    Html,
}

/// Options of `spridning report`.
#[derive(Debug, clap::Args)]
pub struct Report {
    /// xlsx (an Excel workbook) or html (one self-contained web page that prints); default:
    /// as the --out file's name ends (.html, .htm: html), else xlsx.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// The day, knowledge and roll-up shown.
    #[command(flatten)]
    pub when: WhenArgs,
    /// Only these methods, in this order (names or short names, comma-separated;
    /// default: every method).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub methods: Vec<String>,
    /// Only the methods of this area (e.g. socialmedicin).
    #[arg(long, value_name = "AREA")]
    pub area: Option<String>,
    /// Add an inventory round's report: what changed since the previous round (new
    /// stages, discontinued, confirmations) and the units that did not answer.
    #[arg(long, value_name = "NAME")]
    pub round: Option<String>,
    /// Write everything in the web page: every method, unit, stalled pilot and stage not
    /// heard from (by default each large section is capped, saying what it left out and
    /// how to get it all). The workbook is always whole.
    #[arg(long)]
    pub full: bool,
    /// Where it is written.
    #[command(flatten)]
    pub out: OutArgs,
}

impl Report {
    /// Writes the report to `--out` (a report is not for a terminal: `-` says so on purpose).
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        out_required(&self.out, "a report")?;
        let scope = ReportScope {
            moment: moment_of(ctx.store, &self.when.moment)?,
            roll_up: self.when.roll_up,
            lang: ctx.lang,
            methods: crate::cli::chosen_methods(ctx.store, &self.methods, self.area.as_deref())?
                .ids,
            round: match &self.round {
                // An unknown round is refused before anything is written.
                Some(name) => Some(ctx.store.round_named(name)?.name),
                None => None,
            },
            full: self.full,
        };
        // Decision: a file named `….html` is a web page unless --format says otherwise.
        let format = self.format.unwrap_or_else(|| {
            let ext = self
                .out
                .out
                .as_deref()
                .and_then(Path::extension)
                .map(|e| e.to_string_lossy().to_lowercase());
            match ext.as_deref() {
                Some("html" | "htm") => ReportFormat::Html,
                _ => ReportFormat::Xlsx,
            }
        });
        write_out(ctx.store, &self.out, ctx.out, |store, w| match format {
            ReportFormat::Xlsx => crate::report::write_xlsx(store, &scope, w),
            ReportFormat::Html => crate::report::write_html(store, &scope, w),
        })?;
        // What was written and where (only for a file: `--out -` is the report itself).
        if let Some(path) = self.out.out.as_deref().filter(|p| *p != Path::new("-")) {
            let kind = match format {
                ReportFormat::Xlsx => "workbook",
                ReportFormat::Html => "web page",
            };
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            say(
                ctx.out,
                format!(
                    "wrote the {kind} report ({}, as of {}) to {}",
                    human_size(size),
                    scope.moment.day,
                    path.display()
                ),
            )?;
        }
        Ok(())
    }
}

/// A file's size as a person reads it: bytes, kB or MB.
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} bytes"),
        b if b < 1_000_000 => format!("{} kB", b.div_ceil(1_000)),
        b => format!("{:.1} MB", b as f64 / 1e6),
    }
}
