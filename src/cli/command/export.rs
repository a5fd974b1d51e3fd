//! `spridning export`: everything as JSON (for import), the events as CSV, or a Markdown
//! report; streamed, so memory stays small whatever the size of the database.

use std::io::Write;

use anyhow::Result;
use clap::ValueEnum;

use super::history::write_history_csv;
use super::matrix::{legend_in, matrix_of, matrix_table};
use super::{Context, write_out};
use crate::cli::args::OutArgs;
use crate::cli::output::Table;
use crate::i18n::Lang;
use crate::store::{Moment, Store};

/// What `export` writes.
#[allow(
    missing_docs,
    reason = "a variant's doc comment would be its help in --help"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Md,
}

/// Options of `spridning export`.
#[derive(Debug, clap::Args)]
pub struct Export {
    /// json (everything, for import), csv (the events) or md (a report); with --excel, CSV
    /// for Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "json")]
    pub format: ExportFormat,
    /// Where it is written.
    #[command(flatten)]
    pub out: OutArgs,
}

impl Export {
    /// Writes the export to standard output or `--out`.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let (excel, lang) = (ctx.excel, ctx.lang);
        // Streamed: memory stays small whatever the size of the database.
        write_out(ctx.store, &self.out, ctx.out, |store, w| {
            match self.format {
                ExportFormat::Json => store.write_export(w),
                ExportFormat::Csv => write_history_csv(store, &Default::default(), w, excel),
                ExportFormat::Md => write_report(store, w, lang),
            }
        })
    }
}

/// A Markdown report: the matrix today, then every method's history — headings, legend,
/// column names and stage words all in one language (`--lang`).
fn write_report(store: &Store, out: &mut dyn Write, lang: Lang) -> Result<()> {
    writeln!(out, "# spridning\n\n## {}\n", lang.pick("Matris", "Matrix"))?;
    let moment = Moment {
        fresh_months: store.fresh_months()?,
        ..Moment::today()
    };
    let mut matrix = matrix_table(&matrix_of(store, &moment, false)?, false);
    if let Some(first) = matrix.header.first_mut() {
        *first = lang.pick("metod", "method").to_string();
    }
    matrix.write_markdown(out)?;
    writeln!(
        out,
        "\n{}\n\n## {}\n",
        legend_in(Some(lang), moment.fresh_months),
        lang.pick("Historik", "History")
    )?;
    let events = store.history(&Default::default())?;
    let mut t = Table::new(&[
        lang.pick("datum", "date"),
        lang.pick("metod", "method"),
        lang.pick("enhet", "unit"),
        lang.pick("steg", "stage"),
        lang.pick("notering", "note"),
        lang.pick("källa", "source"),
        lang.pick("registrerad av", "recorded by"),
    ]);
    for e in &events {
        let stage = match &e.retraction {
            Some(r) => format!(
                "~~{}~~ ({}: {})",
                e.stage.label(lang),
                lang.pick("återkallad", "retracted"),
                r.reason
            ),
            None => e.stage.label(lang).to_string(),
        };
        t.push(vec![
            e.date.clone(),
            e.method.clone(),
            e.unit.clone(),
            stage,
            e.note.clone(),
            e.source.clone(),
            e.recorded_by.clone(),
        ]);
    }
    t.write_markdown(out)
}
