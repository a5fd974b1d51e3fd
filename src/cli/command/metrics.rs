//! `spridning metrics` (how far each method has spread, or each unit taken up, on a day) and
//! `spridning stalled` (the stalled pilots). "What the numbers mean" in the README defines
//! every column.

use anyhow::{Result, bail};
use clap::ValueEnum;

use super::{Context, moment_of, write_list};
use crate::cli::args::{ListFormat, WhenArgs};
use crate::cli::output::{Table, write_json};
use crate::store::{Metrics as MetricsRow, MetricsScope};

/// What a row of `metrics` counts.
#[allow(
    missing_docs,
    reason = "a variant's doc comment would be its help in --help"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricsBy {
    Method,
    Unit,
}

/// Options of `spridning metrics`.
#[derive(Debug, clap::Args)]
pub struct Metrics {
    /// The day, knowledge and roll-up counted.
    #[command(flatten)]
    pub when: WhenArgs,
    /// Only methods of this area (e.g. socialmedicin).
    #[arg(long)]
    pub area: Option<String>,
    /// Per method (default) or per unit.
    #[arg(long, value_enum, default_value = "method")]
    pub by: MetricsBy,
    /// Months at preparing or pilot after which a unit counts as stalled.
    #[arg(long, default_value_t = crate::store::STALLED_AFTER, value_name = "N")]
    pub stalled_after: u32,
    /// table (aligned, for people), csv or json (for scripts); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

impl Metrics {
    /// Writes the figures per method (or per unit).
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &*ctx.store;
        let scope = MetricsScope {
            moment: moment_of(ctx.store, &self.when.moment)?,
            roll_up: self.when.roll_up,
            stalled_after: self.stalled_after,
        };
        // An unknown area is refused with the nearest ones, as `report` does.
        let chosen = crate::cli::chosen_methods(store, &[], self.area.as_deref())?;
        let rows = match self.by {
            MetricsBy::Method => store
                .method_metrics(&scope)?
                .into_iter()
                .filter(|m| chosen.ids.as_ref().is_none_or(|ids| ids.contains(&m.id)))
                .collect(),
            MetricsBy::Unit if chosen.area.is_some() => {
                bail!("--area chooses methods, so it goes with --by method, not --by unit")
            }
            MetricsBy::Unit => store.unit_metrics(&scope)?,
        };
        if self.format == ListFormat::Json {
            let json: Vec<serde_json::Value> = rows.iter().map(metrics_json).collect();
            write_json(ctx.out, &json)
        } else {
            let mut t = Table::new(&METRICS_HEADER);
            for m in &rows {
                t.push(metrics_row(m));
            }
            write_list(ctx.out, &t, self.format, ctx.excel)
        }
    }
}

const METRICS_HEADER: [&str; 14] = [
    "label",
    "name",
    "reached",
    "in_use",
    "share",
    "first_pilot",
    "median_months",
    "on_the_way",
    "preparing",
    "stalled",
    "not_heard_from",
    "sustained",
    "paused",
    "discontinued",
];

fn metrics_row(m: &MetricsRow) -> Vec<String> {
    vec![
        m.label.clone(),
        m.name.clone(),
        m.reached.to_string(),
        m.in_use.to_string(),
        format!("{:.2}", m.share),
        m.first_pilot.map(|d| d.to_string()).unwrap_or_default(),
        m.median_months
            .map(|v| format!("{v:.1}"))
            .unwrap_or_default(),
        m.on_the_way.to_string(),
        m.preparing.to_string(),
        m.stalled.to_string(),
        m.not_heard_from.to_string(),
        m.sustained.to_string(),
        m.paused.to_string(),
        m.discontinued.to_string(),
    ]
}

fn metrics_json(m: &MetricsRow) -> serde_json::Value {
    serde_json::json!({
        "label": m.label, "name": m.name, "reached": m.reached, "in_use": m.in_use,
        "share": (m.share * 1000.0).round() / 1000.0,
        "first_pilot": m.first_pilot.map(|d| d.to_string()),
        "median_months": m.median_months.map(|v| (v * 10.0).round() / 10.0),
        "on_the_way": m.on_the_way, "preparing": m.preparing, "stalled": m.stalled,
        "not_heard_from": m.not_heard_from, "sustained": m.sustained,
        "paused": m.paused, "discontinued": m.discontinued
    })
}

/// Options of `spridning stalled`.
#[derive(Debug, clap::Args)]
pub struct Stalled {
    /// The day, knowledge and roll-up counted.
    #[command(flatten)]
    pub when: WhenArgs,
    /// Months at the stage without a later event (default 18).
    #[arg(long, alias = "stalled-after", default_value_t = crate::store::STALLED_AFTER, value_name = "N")]
    pub months: u32,
    /// Instead: the stages not heard from in the fresh months (exploring through
    /// sustained), oldest word first — whom to ask.
    #[arg(long)]
    pub not_heard_from: bool,
    /// table (aligned, for people), csv or json (for scripts); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

impl Stalled {
    /// Writes the units at preparing or pilot for more than `--months` (fresh), longest
    /// first; or with `--not-heard-from` the stale stages, oldest word first.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let scope = MetricsScope {
            moment: moment_of(ctx.store, &self.when.moment)?,
            roll_up: self.when.roll_up,
            stalled_after: self.months,
        };
        // `months`: at the stage (stalled), or since last heard (not heard from).
        let rows = if self.not_heard_from {
            ctx.store.not_heard_from(&scope, None)?
        } else {
            ctx.store.stalled(&scope)?
        };
        if self.format == ListFormat::Json {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|s| {
                    serde_json::json!({"method": s.method, "unit": s.unit,
                        "stage": s.stage.code(), "since": s.since.to_string(),
                        "months": s.months, "last_heard": s.heard.to_string()})
                })
                .collect();
            write_json(ctx.out, &json)
        } else {
            let mut t = Table::new(&["method", "unit", "stage", "since", "months", "last_heard"]);
            for s in &rows {
                t.push(vec![
                    s.method.clone(),
                    s.unit.clone(),
                    s.stage.code().to_string(),
                    s.since.to_string(),
                    s.months.to_string(),
                    s.heard.to_string(),
                ]);
            }
            write_list(ctx.out, &t, self.format, ctx.excel)
        }
    }
}
