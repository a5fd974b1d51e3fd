//! `spridning history`: stage events in the order they took effect, and the history's CSV
//! (also what `export --format csv` writes).

use std::io::Write;

use anyhow::Result;

use super::{Context, write_list};
use crate::cli::args::ListFormat;
use crate::cli::output::{CsvStream, Table, write_json};
use crate::domain::EventRow;
use crate::store::{ExportEvent, HistoryFilter, Store};

/// Options of `spridning history`.
#[derive(Debug, clap::Args)]
pub struct History {
    /// Only this method's events (name or short name, case-insensitive).
    #[arg(long)]
    pub method: Option<String>,
    /// Only this unit's events (code or name, case-insensitive).
    #[arg(long)]
    pub unit: Option<String>,
    /// table (aligned, for people), csv or json (for scripts).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

impl History {
    /// Writes the events of the method or unit asked for (all without either).
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
        if self.format == ListFormat::Csv {
            return write_history_csv(store, &filter, ctx.out, ctx.excel);
        }
        let events = store.history(&filter)?;
        if self.format == ListFormat::Json {
            let rows: Vec<ExportEvent> = events
                .iter()
                .map(|e| ExportEvent::from_row(e, true))
                .collect();
            write_json(ctx.out, &rows)
        } else {
            write_list(ctx.out, &history_table(&events), self.format, ctx.excel)
        }
    }
}

const HISTORY_HEADER: [&str; 10] = [
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

fn history_table(events: &[EventRow]) -> Table {
    let mut t = Table::new(&HISTORY_HEADER);
    for e in events {
        t.push(history_row(e));
    }
    t
}

/// The history as CSV, one row at a time (an export of a million events stays small).
pub(super) fn write_history_csv(
    store: &Store,
    filter: &HistoryFilter,
    out: &mut dyn Write,
    excel: bool,
) -> Result<()> {
    let header: Vec<String> = HISTORY_HEADER.iter().map(|h| h.to_string()).collect();
    let mut csv = CsvStream::new(out, excel, &header)?;
    store.for_each_history_event(filter, |e| csv.row(&history_row(&e)))?;
    csv.finish()
}
