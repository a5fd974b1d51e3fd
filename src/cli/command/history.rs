//! `spridning history`: stage events in the order they took effect, and the history's CSV
//! (also what `export --format csv` writes).

use std::io::Write;

use anyhow::Result;

use super::{Context, write_list, write_out};
use crate::cli::args::{ListFormat, OutArgs};
use crate::cli::output::{CsvStream, Table, write_json};
use crate::domain::EventRow;
use crate::store::{ExportEvent, HistoryEntry, HistoryFilter, Store};

/// Options of `spridning history`.
#[derive(Debug, clap::Args)]
pub struct History {
    /// Only this method's events (name or short name, case-insensitive).
    #[arg(long)]
    pub method: Option<String>,
    /// Only this unit's events (code or name, case-insensitive).
    #[arg(long)]
    pub unit: Option<String>,
    /// table (aligned, for people), csv or json (for scripts), or xlsx (a one-sheet Excel
    /// workbook with dates as dates, needs --out: for a spreadsheet); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: HistoryFormat,
    /// Where it is written.
    #[command(flatten)]
    pub out: OutArgs,
}

/// How `history` is written.
#[allow(
    missing_docs,
    reason = "a variant's doc comment would be its help in --help"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    Table,
    Csv,
    Json,
    Xlsx,
}

impl History {
    /// Writes the events and confirmations of the method or unit asked for (all without
    /// either), in the order they took effect.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &*ctx.store;
        let filter = HistoryFilter {
            method_id: self
                .method
                .map(|m| store.find_method(&m))
                .transpose()?
                .map(|m| m.0),
            unit_id: self
                .unit
                .map(|u| store.find_unit(&u))
                .transpose()?
                .map(|u| u.0),
        };
        let (excel, lang) = (ctx.excel, ctx.lang);
        match self.format {
            HistoryFormat::Xlsx => {
                super::out_required(&self.out, "a workbook")?;
                write_out(store, &self.out, ctx.out, |store, w| {
                    crate::report::xlsx::write_history_xlsx(store, &filter, lang, w)
                })
            }
            HistoryFormat::Csv => write_out(store, &self.out, ctx.out, |store, w| {
                write_history_csv(store, &filter, w, excel)
            }),
            HistoryFormat::Json | HistoryFormat::Table => {
                let mut entries = Vec::new();
                store.for_each_history_entry(&filter, |e| {
                    entries.push(e);
                    Ok(())
                })?;
                let json = self.format == HistoryFormat::Json;
                // Into a file, the table at its full width (the terminal's is for the screen).
                let to_file = self
                    .out
                    .out
                    .as_deref()
                    .is_some_and(|p| p != std::path::Path::new("-"));
                write_out(store, &self.out, ctx.out, |_, w| {
                    if json {
                        let rows = entries
                            .iter()
                            .map(history_json)
                            .collect::<Result<Vec<serde_json::Value>>>()?;
                        write_json(w, &rows)
                    } else {
                        let mut t = Table::new(&HISTORY_HEADER);
                        for e in &entries {
                            t.push(entry_row(e));
                        }
                        if to_file {
                            t.write_aligned(w)
                        } else {
                            write_list(w, &t, ListFormat::Table, excel)
                        }
                    }
                })
            }
        }
    }
}

/// The columns of `history`: an event's, and what kind of entry it is (`event`, or
/// `confirmation`: the stage still held on the day).
const HISTORY_HEADER: [&str; 11] = [
    "id",
    "date",
    "method",
    "unit",
    "stage",
    "note",
    "source",
    "recorded_by",
    "recorded_at",
    "retracted",
    "kind",
];

fn history_row(e: &EventRow) -> Vec<String> {
    vec![
        e.id.to_string(),
        e.date.clone(),
        e.method.clone(),
        e.unit.clone(),
        e.stage.code().to_string(),
        e.note.clone(),
        e.source.clone(),
        e.recorded_by.clone(),
        e.recorded_at.clone(),
        e.retraction
            .as_ref()
            .map(|r| format!("retracted: {}", r.reason))
            .unwrap_or_default(),
    ]
}

/// A row of `history`: an event's columns and its kind.
fn entry_row(entry: &HistoryEntry) -> Vec<String> {
    match entry {
        HistoryEntry::Event(e) => {
            let mut row = history_row(e);
            row.push("event".into());
            row
        }
        HistoryEntry::Confirmation(c) => vec![
            c.id.to_string(),
            c.date.clone(),
            c.method.clone(),
            c.unit.clone(),
            c.stage.code().to_string(),
            c.note.clone(),
            String::new(),
            c.recorded_by.clone(),
            c.recorded_at.clone(),
            c.retraction
                .as_ref()
                .map(|r| format!("retracted: {}", r.reason))
                .unwrap_or_default(),
            "confirmation".into(),
        ],
    }
}

/// An entry as `history --format json` writes it: the event's fields as the export has
/// them, with ids, and `"kind"`.
fn history_json(entry: &HistoryEntry) -> Result<serde_json::Value> {
    let (row, kind) = match entry {
        HistoryEntry::Event(e) => (ExportEvent::from_row(e, true), "event"),
        HistoryEntry::Confirmation(c) => (
            ExportEvent::from_row(&c.clone().into_event_row(), true),
            "confirmation",
        ),
    };
    let mut value = serde_json::to_value(row)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("kind".into(), kind.into());
    }
    Ok(value)
}

/// The history as CSV, one row at a time (an export of a million events stays small): the
/// events with the confirmations among them, each marked in the `kind` column (also what
/// `export --format csv` writes: the whole history).
pub(super) fn write_history_csv(
    store: &Store,
    filter: &HistoryFilter,
    out: &mut dyn Write,
    excel: bool,
) -> Result<()> {
    let header: Vec<String> = HISTORY_HEADER.iter().map(|h| h.to_string()).collect();
    let mut csv = CsvStream::new(out, excel, &header)?;
    store.for_each_history_entry(filter, |e| csv.row(&entry_row(&e)))?;
    csv.finish()
}
