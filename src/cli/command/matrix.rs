//! `spridning matrix`: methods × units with the stage per cell, as a table, CSV or Markdown
//! (also the matrix of `export --format md`).

use anyhow::Result;
use clap::ValueEnum;

use super::{Context, moment, write_out};
use crate::cli::args::OutArgs;
use crate::cli::output::Table;
use crate::domain::Stage;
use crate::i18n::Lang;
use crate::store::{Moment, RolledCell, RolledMatrix, Store};

/// How `matrix` is written.
#[allow(
    missing_docs,
    reason = "a variant's doc comment would be its help in --help"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Table,
    Csv,
    Md,
}

/// Options of `spridning matrix`.
#[derive(Debug, clap::Args)]
pub struct Matrix {
    /// Stages as of this day (YYYY-MM-DD, or YYYY-MM for its first day), with the units
    /// that existed then (default: today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// As the register knew it at this time (RFC 3339, or a day: at its end, UTC): later
    /// records and retractions do not count.
    #[arg(long, value_name = "TIME")]
    pub known_at: Option<String>,
    /// Every unit as a column, also those not valid on the day.
    #[arg(long)]
    pub all: bool,
    /// Fold predecessors' history in: where a unit has no stage of its own for a method,
    /// its predecessors' furthest stage, in parentheses: `(pilot)`.
    #[arg(long)]
    pub roll_up: bool,
    /// table (glyphs, for people), csv (stage codes) or md (Markdown).
    #[arg(long, value_enum, default_value = "table")]
    pub format: MatrixFormat,
    /// Where it is written.
    #[command(flatten)]
    pub out: OutArgs,
}

impl Matrix {
    /// Writes the matrix to standard output or `--out`.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let moment = moment(self.as_of.as_deref(), self.known_at.as_deref(), self.all)?;
        let format = self.format;
        let t = matrix_table(
            ctx.store,
            &moment,
            format == MatrixFormat::Csv,
            self.roll_up,
        )?;
        let excel = ctx.excel;
        write_out(ctx.store, &self.out, ctx.out, |_, w| {
            match format {
                MatrixFormat::Csv => t.write_csv(w, excel)?,
                MatrixFormat::Table => {
                    t.write_aligned(w)?;
                    writeln!(w, "\n{}", legend_in(None))?;
                }
                MatrixFormat::Md => {
                    t.write_markdown(w)?;
                    writeln!(w, "\n{}", legend_in(None))?;
                }
            }
            Ok(())
        })
    }
}

/// Methods as rows, unit codes as columns; stage codes (for CSV) or glyphs per cell. With
/// `roll_up`, a stage taken from a unit's predecessors is in parentheses: `(pilot)`, `(◐)`.
pub(super) fn matrix_table(
    store: &Store,
    moment: &Moment,
    codes: bool,
    roll_up: bool,
) -> Result<Table> {
    let m = if roll_up {
        store.matrix_rolled(moment)?
    } else {
        own_stages(store, moment)?
    };
    let (units, rows) = (m.units, m.rows);
    let mut header = vec!["method"];
    header.extend(units.iter().map(|u| u.code.as_str()));
    let mut t = Table::new(&header);
    for (method, cells) in &rows {
        let mut row = vec![method.label().to_string()];
        row.extend(cells.iter().map(|c| {
            let text = match c {
                Some(c) if codes => c.stage.code().to_string(),
                Some(c) => c.stage.glyph().to_string(),
                None if codes => String::new(),
                None => "·".to_string(),
            };
            match c {
                Some(c) if c.inherited() => format!("({text})"),
                _ => text,
            }
        }));
        t.push(row);
    }
    Ok(t)
}

/// The matrix of the units' own stages, in the shape of a rolled-up one (nothing inherited).
fn own_stages(store: &Store, moment: &Moment) -> Result<RolledMatrix> {
    let m = store.matrix(moment)?;
    let rows = m
        .rows
        .into_iter()
        .map(|(method, stages)| {
            let cells = stages
                .into_iter()
                .map(|s| {
                    s.map(|stage| RolledCell {
                        stage,
                        from: Vec::new(),
                    })
                })
                .collect();
            (method, cells)
        })
        .collect();
    Ok(RolledMatrix {
        units: m.units,
        rows,
    })
}

/// The glyphs of the matrix and what they mean; with `lang`, the stage words of that
/// language, else the stage codes (as CSV and the command line write them).
pub(super) fn legend_in(lang: Option<Lang>) -> String {
    let none = lang.map_or("none", |l| l.pick("inget steg", "none"));
    Stage::ALL
        .iter()
        .map(|s| {
            let word = lang.map_or(s.code(), |l| s.label(l));
            format!("{} {word}", s.glyph())
        })
        .collect::<Vec<_>>()
        .join("  ")
        + "  · "
        + none
}
