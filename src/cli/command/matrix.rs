//! `spridning matrix`: methods × units with the stage per cell, as a table, CSV or Markdown
//! (also the matrix of `export --format md`).

use anyhow::Result;
use clap::ValueEnum;

use super::{Context, moment_of, write_out};
use crate::cli::args::{MomentArgs, OutArgs};
use crate::cli::output::{CsvStream, Table};
use crate::domain::Stage;
use crate::domain::age::{self, STALE_MARK};
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
    Xlsx,
}

/// Options of `spridning matrix`.
#[derive(Debug, clap::Args)]
pub struct Matrix {
    /// The day and knowledge shown (the units that existed on the day are the columns; with
    /// --all, every unit), and when a stage is stale.
    #[command(flatten)]
    pub when: MomentArgs,
    /// Fold predecessors' history in: where a unit has no stage of its own for a method,
    /// its predecessors' furthest stage, in parentheses: `(pilot)`.
    #[arg(long)]
    pub roll_up: bool,
    /// After each stage, the day it was last heard: `pilot 2004-02-26`.
    #[arg(long)]
    pub last_heard: bool,
    /// table (glyphs, for people), csv (stage codes), md (Markdown) or xlsx (a one-sheet
    /// Excel workbook, needs --out: the report's Matris sheet, for a spreadsheet); with
    /// --excel, CSV for Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: MatrixFormat,
    /// Where it is written.
    #[command(flatten)]
    pub out: OutArgs,
}

impl Matrix {
    /// Writes the matrix to standard output or `--out`.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let moment = moment_of(ctx.store, &self.when)?;
        let format = self.format;
        if format == MatrixFormat::Xlsx {
            return self.write_xlsx(ctx, &moment);
        }
        if format == MatrixFormat::Csv && !self.last_heard {
            return self.write_csv(ctx, &moment);
        }
        let m = matrix_of(ctx.store, &moment, self.roll_up)?;
        let mut t = matrix_table(&m, format == MatrixFormat::Csv);
        if self.last_heard {
            with_last_heard(ctx.store, &moment, &m, &mut t)?;
        }
        let months = moment.fresh_months;
        let excel = ctx.excel;
        write_out(ctx.store, &self.out, ctx.out, |_, w| {
            match format {
                MatrixFormat::Csv => t.write_csv(w, excel)?,
                // (xlsx is written by `write_xlsx`, before the table is made)
                MatrixFormat::Table | MatrixFormat::Xlsx => {
                    t.write_aligned(w)?;
                    writeln!(w, "\n{}", legend_in(None, months))?;
                }
                MatrixFormat::Md => {
                    t.write_markdown(w)?;
                    writeln!(w, "\n{}", legend_in(None, months))?;
                }
            }
            Ok(())
        })
    }
}

/// The matrix at `moment`: the units' own stages, or with `roll_up` their predecessors'
/// too.
pub(super) fn matrix_of(store: &Store, moment: &Moment, roll_up: bool) -> Result<RolledMatrix> {
    if roll_up {
        store.matrix_rolled(moment)
    } else {
        own_stages(store, moment)
    }
}

impl Matrix {
    /// `--format csv`: each method's row written as it is made, from the matrix as it is
    /// read (the units' own stages, or rolled up), never the whole as text (at L a million
    /// cells: 71 MB and three times the bare query).
    fn write_csv(&self, ctx: &mut Context, moment: &Moment) -> Result<()> {
        let excel = ctx.excel;
        let read = if self.roll_up {
            Read::Rolled(ctx.store.matrix_rolled(moment)?)
        } else {
            Read::Own(ctx.store.matrix(moment)?)
        };
        write_out(ctx.store, &self.out, ctx.out, |_, w| {
            let mut header = vec!["method".to_string()];
            let units = match &read {
                Read::Own(m) => &m.units,
                Read::Rolled(m) => &m.units,
            };
            header.extend(units.iter().map(|u| u.code.clone()));
            let mut csv = CsvStream::new(w, excel, &header)?;
            let mut row = Vec::with_capacity(header.len());
            let mut write = |label: &str, cells: &mut dyn Iterator<Item = Cell>| {
                row.clear();
                row.push(label.to_string());
                row.extend(cells.map(|c| cell_text(c, true)));
                csv.row(&row)
            };
            match &read {
                Read::Own(m) => {
                    for (method, cells) in &m.rows {
                        write(method.label(), &mut cells.iter().map(|c| own(*c)))?;
                    }
                }
                Read::Rolled(m) => {
                    for (method, cells) in &m.rows {
                        write(method.label(), &mut cells.iter().map(rolled))?;
                    }
                }
            }
            csv.finish()
        })
    }
}

impl Matrix {
    /// `--format xlsx`: the report's Matris sheet alone (a workbook is not for a terminal:
    /// `--out -` says so on purpose).
    fn write_xlsx(&self, ctx: &mut Context, moment: &Moment) -> Result<()> {
        super::out_required(&self.out, "a workbook")?;
        if self.last_heard {
            anyhow::bail!(
                "--last-heard is not written into the workbook: use --format table or csv for the days, or `report --format xlsx`, whose sheet Utan besked lists the stages not heard from"
            );
        }
        let m = matrix_of(ctx.store, moment, self.roll_up)?;
        let lang = ctx.lang;
        write_out(ctx.store, &self.out, ctx.out, |store, w| {
            crate::report::xlsx::write_matrix_xlsx(store, &m, (moment, lang), w)
        })
    }
}

/// The matrix as it was read: the units' own stages, or rolled up.
enum Read {
    Own(crate::store::Matrix),
    Rolled(RolledMatrix),
}

/// A cell as the command line writes it: its stage, whether it is stale, whether it is a
/// predecessor's (rolled up); None: no stage.
type Cell = Option<(Stage, bool, bool)>;

fn own(c: Option<crate::domain::CellStage>) -> Cell {
    c.map(|c| (c.stage, c.stale, false))
}

fn rolled(c: &Option<RolledCell>) -> Cell {
    c.as_ref().map(|c| (c.stage, c.stale, c.inherited()))
}

/// A cell's text: its stage code (CSV) or glyph, in parentheses when it is a predecessor's
/// (`(pilot)`, `(◐)`), marked when stale; nothing (CSV) or `·` without a stage.
fn cell_text(c: Cell, codes: bool) -> String {
    let Some((stage, stale, inherited)) = c else {
        return if codes {
            String::new()
        } else {
            "·".to_string()
        };
    };
    let text = if codes { stage.code() } else { stage.glyph() };
    let text = if inherited {
        format!("({text})")
    } else {
        text.to_string()
    };
    if stale {
        format!("{text}{STALE_MARK}")
    } else {
        text
    }
}

/// Methods as rows, unit codes as columns; stage codes (for CSV) or glyphs per cell. A stage
/// taken from a unit's predecessors (roll-up) is in parentheses: `(pilot)`, `(◐)`.
pub(super) fn matrix_table(m: &RolledMatrix, codes: bool) -> Table {
    let mut header = vec!["method"];
    header.extend(m.units.iter().map(|u| u.code.as_str()));
    let mut t = Table::new(&header);
    for (method, cells) in &m.rows {
        let mut row = vec![method.label().to_string()];
        row.extend(cells.iter().map(|c| cell_text(rolled(c), codes)));
        t.push(row);
    }
    t
}

/// Adds to each of a unit's own cells the day it was last heard: `pilot° 2004-02-26`. `m` is
/// the matrix `t` was made from (its rows and columns in the same order).
fn with_last_heard(store: &Store, moment: &Moment, m: &RolledMatrix, t: &mut Table) -> Result<()> {
    let ids: Vec<i64> = m.rows.iter().map(|(method, _)| method.id).collect();
    let heard = store.matrix_heard(&ids, moment)?;
    for (row, (method, _)) in t.rows.iter_mut().zip(&m.rows) {
        for (cell, unit) in row.iter_mut().skip(1).zip(&m.units) {
            if let Some(day) = heard.get(&(method.id, unit.id))
                && !cell.is_empty()
                && cell != "·"
                && !cell.starts_with('(')
            {
                cell.push(' ');
                cell.push_str(day);
            }
        }
    }
    Ok(())
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
                    s.map(|c| RolledCell {
                        stage: c.stage,
                        stale: c.stale,
                        from: crate::store::Predecessors::default(),
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
/// language, else the stage codes (as CSV and the command line write them); first the mark
/// of a stage not heard from in `months` months.
pub(super) fn legend_in(lang: Option<Lang>, months: u32) -> String {
    let none = lang.map_or("none", |l| l.pick("inget steg", "none"));
    format!(
        "{STALE_MARK} {}  ",
        age::stale_words(months, lang.unwrap_or(Lang::En))
    ) + &Stage::ALL
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
