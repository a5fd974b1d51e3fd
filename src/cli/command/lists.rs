//! `spridning methods` and `spridning units`: the registers' lists, or, with a day, the lists
//! with a count per stage as the Methods and Units tabs count them.

use std::io::Write;

use anyhow::Result;

use super::{Context, moment_of, write_list};
use crate::cli::args::{ListFormat, MomentArgs};
use crate::cli::output::{Table, opt, opt_date, write_json};
use crate::domain::{Stage, StageCounts};
use crate::store::Moment;

/// Options of `spridning methods`.
#[derive(Debug, clap::Args)]
pub struct Methods {
    /// The day and knowledge counted (any of them turns the counts on).
    #[command(flatten)]
    pub when: MomentArgs,
    /// table (aligned, for people), csv or json (for scripts); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

impl Methods {
    /// Lists the methods (with `--as-of`, `--known-at` or `--all`: with their counts).
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        if self.when.given() {
            return self.counted(ctx);
        }
        let methods = ctx.store.methods()?;
        if self.format == ListFormat::Json {
            return write_json(ctx.out, &methods);
        }
        let mut t = Table::new(&["short_name", "name", "kind", "area"]);
        for m in &methods {
            t.push(vec![
                opt(&m.short_name),
                m.name.clone(),
                m.kind.code().to_string(),
                m.area.clone(),
            ]);
        }
        write_list(ctx.out, &t, self.format, ctx.excel)
    }

    /// Every method with how many units stood at each stage on the day.
    fn counted(&self, ctx: &mut Context) -> Result<()> {
        let moment = moment_of(ctx.store, &self.when)?;
        let store = &*ctx.store;
        let rows = store.method_summaries("", (0, store.method_count("")?), &moment)?;
        let t = counts_table(
            &["short_name", "name", "area"],
            rows.iter().map(|m| {
                (
                    vec![opt(&m.short_name), m.name.clone(), m.area.clone()],
                    m.counts,
                    m.last_change.clone(),
                )
            }),
        );
        write_counts(ctx.out, &t, (self.format, ctx.excel), &moment)
    }
}

/// Options of `spridning units`.
#[derive(Debug, clap::Args)]
pub struct Units {
    /// The day and knowledge counted (any of them turns the counts on).
    #[command(flatten)]
    pub when: MomentArgs,
    /// table (aligned, for people), csv or json (for scripts); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

impl Units {
    /// Lists every unit (with `--as-of`, `--known-at` or `--all`: those valid on the day,
    /// with their counts).
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        if self.when.given() {
            return self.counted(ctx);
        }
        let units = ctx.store.units()?;
        if self.format == ListFormat::Json {
            return write_json(ctx.out, &units);
        }
        let mut t = Table::new(&[
            "code",
            "name",
            "kind",
            "region",
            "valid_from",
            "valid_to",
            "successor",
        ]);
        for u in &units {
            t.push(vec![
                u.code.clone(),
                u.name.clone(),
                u.kind.code().to_string(),
                opt(&u.region),
                opt_date(u.valid_from),
                opt_date(u.valid_to),
                opt(&u.successor),
            ]);
        }
        write_list(ctx.out, &t, self.format, ctx.excel)
    }

    /// The units valid on the day (every unit with `--all`), with how many methods each had
    /// at each stage then.
    fn counted(&self, ctx: &mut Context) -> Result<()> {
        let moment = moment_of(ctx.store, &self.when)?;
        let store = &*ctx.store;
        let rows = store.unit_summaries("", (0, store.unit_count("")?), &moment)?;
        let t = counts_table(
            &["code", "name", "kind", "valid_from", "valid_to"],
            rows.iter()
                .filter(|u| {
                    moment.all_units
                        || (u.valid_from.is_none_or(|d| d <= moment.day)
                            && u.valid_to.is_none_or(|d| d >= moment.day))
                })
                .map(|u| {
                    (
                        vec![
                            u.code.clone(),
                            u.name.clone(),
                            u.kind.code().to_string(),
                            opt_date(u.valid_from),
                            opt_date(u.valid_to),
                        ],
                        u.counts,
                        u.last_change.clone(),
                    )
                }),
        );
        write_counts(ctx.out, &t, (self.format, ctx.excel), &moment)
    }
}

/// A list with a count column per stage (by stage code), how many of those stages are stale
/// (`stale`: not heard from in the fresh months; with `--current-only`, left out of the
/// counts) and the last change, as the Methods and Units tabs count on the moment's day.
fn counts_table(
    head: &[&str],
    rows: impl Iterator<Item = (Vec<String>, StageCounts, Option<String>)>,
) -> Table {
    let mut header: Vec<&str> = head.to_vec();
    header.extend(Stage::ALL.iter().map(|s| s.code()));
    header.push("stale");
    header.push("last_change");
    let mut t = Table::new(&header);
    for (mut row, counts, last) in rows {
        row.extend(counts.values().map(|n| n.to_string()));
        row.push(counts.stale.to_string());
        row.push(last.unwrap_or_default());
        t.push(row);
    }
    t
}

/// A counts table as text, CSV or JSON (one object per row, keyed by the header, with the
/// day it counts on).
fn write_counts(
    out: &mut (impl Write + ?Sized),
    t: &Table,
    (format, excel): (ListFormat, bool),
    moment: &Moment,
) -> Result<()> {
    if format != ListFormat::Json {
        return write_list(out, t, format, excel);
    }
    let rows: Vec<serde_json::Map<String, serde_json::Value>> = t
        .rows
        .iter()
        .map(|row| {
            let mut o = serde_json::Map::new();
            o.insert("as_of".into(), moment.day.to_string().into());
            for (key, value) in t.header.iter().zip(row) {
                let value = match value.parse::<u32>() {
                    Ok(n) if key == "stale" || Stage::ALL.iter().any(|s| s.code() == key) => {
                        n.into()
                    }
                    _ => value.clone().into(),
                };
                o.insert(key.clone(), value);
            }
            o
        })
        .collect();
    write_json(out, &rows)
}
