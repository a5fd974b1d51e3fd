//! The subcommands that work on an open database.

use crate::domain::StageCounts;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::output::{CsvStream, Table, opt, opt_date, write_json};
use super::{
    Command, ExportFormat, ListFormat, MatrixFormat, MetricsBy, MomentArgs, OutArgs, ReportFormat,
    UserCommand,
};
use crate::domain::date::parse_day;
use crate::domain::text::printable;
use crate::domain::{EventDate, EventRow, NewEvent, Problem, Stage};
use crate::i18n::Lang;
use crate::output_file::{Existing, Target};
use crate::store::{
    ExportEvent, HistoryFilter, Metrics, MetricsScope, Moment, Reorganisation, RolledCell,
    RolledMatrix, Store,
};

pub fn run(store: &mut Store, command: Command, (excel, lang): (bool, Lang)) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match command {
        Command::Init { .. } => unreachable!("init is handled before a database is opened"),
        Command::Adopt {
            method,
            unit,
            stage,
            date,
            note,
            source,
        } => {
            let (method_id, method_label) = store.find_method(&method)?;
            let (unit_id, unit_code) = store.find_unit(&unit)?;
            let stage: Stage = stage.parse()?;
            let date = match date {
                Some(d) => d.parse::<EventDate>()?,
                None => EventDate::today(),
            };
            let id = store.record_stage(&NewEvent {
                method_id,
                unit_id,
                stage,
                date,
                note,
                source,
            })?;
            say(
                &mut out,
                format!(
                    "recorded event {id}: {method_label} in {unit_code} is {stage} from {date}"
                ),
            )?;
        }
        Command::Retract { event_id, reason } => {
            store.retract(event_id, &reason)?;
            say(&mut out, format!("retracted event {event_id}"))?;
        }
        Command::Methods { when, format } if when.given() => {
            let moment = moment_of(&when)?;
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
            write_counts(&mut out, &t, (format, excel), &moment)?;
        }
        Command::Units { when, format } if when.given() => {
            let moment = moment_of(&when)?;
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
            write_counts(&mut out, &t, (format, excel), &moment)?;
        }
        Command::Methods { format, .. } => {
            let methods = store.methods()?;
            if format == ListFormat::Json {
                write_json(&mut out, &methods)?;
            } else {
                let mut t = Table::new(&["short_name", "name", "kind", "area"]);
                for m in &methods {
                    t.push(vec![
                        opt(&m.short_name),
                        m.name.clone(),
                        m.kind.code().to_string(),
                        m.area.clone(),
                    ]);
                }
                write_list(&mut out, &t, format, excel)?;
            }
        }
        Command::Units { format, .. } => {
            let units = store.units()?;
            if format == ListFormat::Json {
                write_json(&mut out, &units)?;
            } else {
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
                write_list(&mut out, &t, format, excel)?;
            }
        }
        Command::History {
            method,
            unit,
            format,
        } => {
            let filter = HistoryFilter {
                method_id: method
                    .map(|m| store.find_method(&m))
                    .transpose()?
                    .map(|m| m.0),
                unit_id: unit.map(|u| store.find_unit(&u)).transpose()?.map(|u| u.0),
            };
            if format == ListFormat::Csv {
                write_history_csv(store, &filter, &mut out, excel)?;
                out.flush()?;
                return Ok(());
            }
            let events = store.history(&filter)?;
            if format == ListFormat::Json {
                let rows: Vec<ExportEvent> = events
                    .iter()
                    .map(|e| ExportEvent::from_row(e, true))
                    .collect();
                write_json(&mut out, &rows)?;
            } else {
                write_list(&mut out, &history_table(&events), format, excel)?;
            }
        }
        Command::Matrix {
            as_of,
            known_at,
            all,
            roll_up,
            format,
            out: to,
        } => {
            let moment = moment(as_of.as_deref(), known_at.as_deref(), all)?;
            let t = matrix_table(store, &moment, format == MatrixFormat::Csv, roll_up)?;
            write_out(store, &to, &mut out, |_, w| {
                match format {
                    MatrixFormat::Csv => t.write_csv(w, excel)?,
                    MatrixFormat::Table => {
                        t.write_aligned(w)?;
                        writeln!(w, "\n{}", legend())?;
                    }
                    MatrixFormat::Md => {
                        t.write_markdown(w)?;
                        writeln!(w, "\n{}", legend())?;
                    }
                }
                Ok(())
            })?;
        }
        Command::Metrics {
            when,
            area,
            by,
            stalled_after,
            format,
        } => {
            let scope = MetricsScope {
                moment: moment_of(&when.moment)?,
                roll_up: when.roll_up,
                stalled_after,
            };
            // An unknown area is refused with the nearest ones, as `report` does.
            let chosen = super::chosen_methods(store, &[], area.as_deref())?;
            let rows = match by {
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
            if format == ListFormat::Json {
                let json: Vec<serde_json::Value> = rows.iter().map(metrics_json).collect();
                write_json(&mut out, &json)?;
            } else {
                let mut t = Table::new(&METRICS_HEADER);
                for m in &rows {
                    t.push(metrics_row(m));
                }
                write_list(&mut out, &t, format, excel)?;
            }
        }
        Command::Stalled {
            when,
            months,
            format,
        } => {
            let scope = MetricsScope {
                moment: moment_of(&when.moment)?,
                roll_up: when.roll_up,
                stalled_after: months,
            };
            let rows = store.stalled(&scope)?;
            if format == ListFormat::Json {
                let json: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|s| {
                        serde_json::json!({"method": s.method, "unit": s.unit,
                            "stage": s.stage.code(), "since": s.since.to_string(),
                            "months": s.months})
                    })
                    .collect();
                write_json(&mut out, &json)?;
            } else {
                let mut t = Table::new(&["method", "unit", "stage", "since", "months"]);
                for s in &rows {
                    t.push(vec![
                        s.method.clone(),
                        s.unit.clone(),
                        s.stage.code().to_string(),
                        s.since.to_string(),
                        s.months.to_string(),
                    ]);
                }
                write_list(&mut out, &t, format, excel)?;
            }
        }
        Command::Export { format, out: to } => {
            // Streamed: memory stays small whatever the size of the database.
            write_out(store, &to, &mut out, |store, w| match format {
                ExportFormat::Json => store.write_export(w),
                ExportFormat::Csv => write_history_csv(store, &Default::default(), w, excel),
                ExportFormat::Md => write_report(store, w, lang),
            })?;
        }
        Command::Reorganise {
            from,
            into,
            code,
            region,
            on,
            carry,
        } => {
            let report = store.reorganise(&Reorganisation {
                from,
                into,
                codes: code,
                region,
                on: parse_day(&on)?,
                carry,
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
                &mut out,
                format!(
                    "reorganised on {on}: {} closed, {} took over",
                    report.closed.join(", "),
                    successors.join(", ")
                ),
            )?;
            if carry {
                say(
                    &mut out,
                    format!(
                        "carried over: {} events; to review: {} methods",
                        report.carried,
                        report.to_review.len()
                    ),
                )?;
                for r in &report.to_review {
                    say(&mut out, format!("  to review: {}", r.describe(Lang::En)))?;
                }
            }
        }
        Command::Import { file } => {
            let reader =
                File::open(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let n = store
                .import_from(reader)
                .with_context(|| file.display().to_string())?;
            say(
                &mut out,
                format!(
                    "imported {} units, {} methods, {} events, {} users",
                    n.units, n.methods, n.events, n.users
                ),
            )?;
        }
        Command::Backup { dest } => {
            let report = store.backup(&dest)?;
            let carried = match report.carried {
                0 => String::new(),
                n => format!(
                    "; the original has {n} problems, copied as they are (see `spridning check`)"
                ),
            };
            say(
                &mut out,
                format!(
                    "backed up to {} ({} events), checked{carried}",
                    dest.display(),
                    report.events
                ),
            )?;
        }
        Command::Restore { backup, no_keep } => {
            let report = store.restore(&backup, !no_keep)?;
            for note in &report.notes {
                eprintln!(
                    "spridning: upgraded the backup, but {}",
                    crate::domain::text::clean_line(note)
                );
            }
            let upgraded = report
                .upgraded_from
                .map(|v| format!(", upgraded from schema version {v}"))
                .unwrap_or_default();
            let carried = match report.carried {
                0 => String::new(),
                n => format!(", with {n} problems restored as they are (see `spridning check`)"),
            };
            let kept = match &report.kept {
                Some(k) => format!("the previous state is kept in {}", k.display()),
                None => "the previous state was not kept (--no-keep)".to_string(),
            };
            say(
                &mut out,
                format!(
                    "restored {} into {} ({} events{upgraded}{carried}); {kept}",
                    backup.display(),
                    store.path().display(),
                    report.events
                ),
            )?;
        }
        Command::Show(what) => {
            match what {
                super::ShowCommand::Method { name, when } => {
                    super::show::method(store, &name, &moment_of(&when)?, lang, &mut out)?
                }
                super::ShowCommand::Unit { name, when } => {
                    super::show::unit(store, &name, &moment_of(&when)?, lang, &mut out)?
                }
            }
            out.flush()?;
        }
        Command::Activity {
            filter,
            limit,
            format,
        } => {
            super::show::activity(store, &filter, limit, (format, excel, lang), &mut out)?;
            out.flush()?;
        }
        Command::Report {
            format,
            when,
            methods,
            area,
            out: to,
        } => {
            // A report is not for a terminal: it needs a file (or `-`, said on purpose).
            if to.out.is_none() {
                bail!("a report needs --out FILE (or --out - for standard output)");
            }
            let scope = crate::report::ReportScope {
                moment: moment_of(&when.moment)?,
                roll_up: when.roll_up,
                lang,
                methods: super::chosen_methods(store, &methods, area.as_deref())?.ids,
            };
            write_out(store, &to, &mut out, |store, w| match format {
                ReportFormat::Xlsx => crate::report::write_xlsx(store, &scope, w),
                ReportFormat::Html => crate::report::write_html(store, &scope, w),
            })?;
            out.flush()?;
        }
        Command::Title { title } => {
            let shown = match title {
                Some(t) => store.set_title(&t)?,
                None => store
                    .title()?
                    .unwrap_or_else(|| crate::store::DEFAULT_TITLE.to_string()),
            };
            writeln!(out, "{}", crate::domain::text::printable(&shown))?;
            out.flush()?;
        }
        Command::Check => {
            let problems = store.check()?;
            for p in &problems {
                writeln!(out, "{}", crate::domain::text::clean_line(p))?;
            }
            out.flush()?;
            if !problems.is_empty() {
                bail!(
                    "{} problems found in {}",
                    problems.len(),
                    store.path().display()
                );
            }
            say(&mut out, format!("ok: {} is sound", store.path().display()))?;
        }
        Command::User(cmd) => user(store, cmd, &mut out)?,
    }
    out.flush()?;
    Ok(())
}

const METRICS_HEADER: [&str; 12] = [
    "label",
    "name",
    "reached",
    "in_use",
    "share",
    "first_pilot",
    "median_months",
    "on_the_way",
    "stalled",
    "sustained",
    "paused",
    "discontinued",
];

fn metrics_row(m: &Metrics) -> Vec<String> {
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
        m.stalled.to_string(),
        m.sustained.to_string(),
        m.paused.to_string(),
        m.discontinued.to_string(),
    ]
}

fn metrics_json(m: &Metrics) -> serde_json::Value {
    serde_json::json!({
        "label": m.label, "name": m.name, "reached": m.reached, "in_use": m.in_use,
        "share": (m.share * 1000.0).round() / 1000.0,
        "first_pilot": m.first_pilot.map(|d| d.to_string()),
        "median_months": m.median_months.map(|v| (v * 10.0).round() / 10.0),
        "on_the_way": m.on_the_way, "stalled": m.stalled, "sustained": m.sustained,
        "paused": m.paused, "discontinued": m.discontinued
    })
}

/// A message to the person: one line, cleaned like every table cell (a login, a path or a
/// name in it can never send control codes to the terminal).
fn say(out: &mut impl Write, message: String) -> Result<()> {
    writeln!(out, "{}", printable(&message))?;
    Ok(())
}

/// Writes to standard output, or with `--out FILE` to a file written whole or not at all,
/// only where a file may be written (see `output_file`).
fn write_out(
    store: &Store,
    to: &OutArgs,
    stdout: &mut dyn Write,
    write: impl FnOnce(&Store, &mut dyn Write) -> Result<()>,
) -> Result<()> {
    let path = match to.out.as_deref() {
        None => return write(store, stdout),
        Some(p) if p == Path::new("-") => return write(store, stdout),
        Some(p) => p,
    };
    let existing = if to.force {
        Existing::Replace
    } else {
        Existing::AskForForce
    };
    let target = Target::check(path, existing, Some(store.path()))?;
    let mut pending = target.begin()?;
    let written = (|| {
        let mut w = BufWriter::new(pending.file()?);
        write(store, &mut w)?;
        w.flush()?;
        Ok(())
    })();
    // A full disk, a file-size limit: said about FILE (see `output_file`).
    written.map_err(|e| pending.failed(e))?;
    pending.commit()
}

/// The moment a command shows: `--as-of` (a day or a month, its first day; not in the
/// future), `--known-at` (an RFC 3339 time, or a day: as known at its end, UTC) and whether
/// every unit counts.
fn moment(as_of: Option<&str>, known_at: Option<&str>, all_units: bool) -> Result<Moment> {
    let mut m = Moment::today();
    if let Some(text) = as_of {
        let day = text.parse::<EventDate>()?.first_day();
        if day > m.day {
            return Err(Problem::FutureDate {
                date: text.trim().to_string(),
            }
            .into());
        }
        m.day = day;
    }
    if let Some(text) = known_at {
        let text = text.trim();
        let at = match text.parse::<EventDate>() {
            Ok(EventDate::Day(d)) => d
                .and_hms_opt(23, 59, 59)
                .map(|t| t.and_utc())
                .ok_or_else(|| {
                    anyhow!(
                        "invalid --known-at {}",
                        crate::domain::problem::quoted(text, crate::i18n::Lang::En)
                    )
                })?,
            _ => chrono::DateTime::parse_from_rfc3339(text)
                .map(|t| t.with_timezone(&chrono::Utc))
                .map_err(|_| {
                    anyhow!(
                        "invalid --known-at {} (use YYYY-MM-DD or an RFC 3339 time like 2025-06-01T12:00:00Z)",
                        crate::domain::problem::quoted(text, crate::i18n::Lang::En)
                    )
                })?,
        };
        m.known_at = Some(at);
    }
    m.all_units = all_units;
    Ok(m)
}

/// An `--as-of` day on its own (a day or a month; not in the future).
pub fn parse_as_of(text: &str) -> Result<chrono::NaiveDate> {
    Ok(moment(Some(text), None, false)?.day)
}

fn moment_of(when: &MomentArgs) -> Result<Moment> {
    moment(when.as_of.as_deref(), when.known_at.as_deref(), when.all)
}

/// A list with a count column per stage (by stage code) and the last change, as the Methods
/// and Units tabs count on the moment's day.
fn counts_table(
    head: &[&str],
    rows: impl Iterator<Item = (Vec<String>, StageCounts, Option<String>)>,
) -> Table {
    let mut header: Vec<&str> = head.to_vec();
    header.extend(Stage::ALL.iter().map(|s| s.code()));
    header.push("last_change");
    let mut t = Table::new(&header);
    for (mut row, counts, last) in rows {
        row.extend(counts.values().map(|n| n.to_string()));
        row.push(last.unwrap_or_default());
        t.push(row);
    }
    t
}

/// A counts table as text, CSV or JSON (one object per row, keyed by the header, with the
/// day it counts on).
fn write_counts(
    out: &mut impl Write,
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
                    Ok(n) if Stage::ALL.iter().any(|s| s.code() == key) => n.into(),
                    _ => value.clone().into(),
                };
                o.insert(key.clone(), value);
            }
            o
        })
        .collect();
    write_json(out, &rows)
}

/// A list in its format. A table on a terminal is fitted to its width (long notes wrap in
/// their column); piped or redirected, it is written as it always was, a row per line.
fn write_list(out: &mut impl Write, t: &Table, format: ListFormat, excel: bool) -> Result<()> {
    use std::io::IsTerminal;
    match format {
        ListFormat::Csv => t.write_csv(out, excel),
        _ => match terminal_width() {
            Some(width) if std::io::stdout().is_terminal() => t.write_fitted(out, width),
            _ => t.write_aligned(out),
        },
    }
}

/// The terminal's width: `$COLUMNS` when set (a test or a script can fix it), else asked.
fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or_else(|| ratatui::crossterm::terminal::size().ok().map(|(w, _)| w))
        .filter(|w| *w >= 20)
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
fn write_history_csv(
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

/// Methods as rows, unit codes as columns; stage codes (for CSV) or glyphs per cell.
/// Methods as rows, unit codes as columns; stage codes (for CSV) or glyphs per cell. With
/// `roll_up`, a stage taken from a unit's predecessors is in parentheses: `(pilot)`, `(◐)`.
fn matrix_table(store: &Store, moment: &Moment, codes: bool, roll_up: bool) -> Result<Table> {
    let m = if roll_up {
        store.matrix_rolled(moment)?
    } else {
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
        RolledMatrix {
            units: m.units,
            rows,
        }
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

/// The glyphs of the matrix and what they mean; with `lang`, the stage words of that
/// language, else the stage codes (as CSV and the command line write them).
fn legend_in(lang: Option<Lang>) -> String {
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

fn legend() -> String {
    legend_in(None)
}

/// A Markdown report: the matrix today, then every method's history — headings, legend,
/// column names and stage words all in one language (`--lang`).
fn write_report(store: &Store, out: &mut dyn Write, lang: Lang) -> Result<()> {
    writeln!(out, "# spridning\n\n## {}\n", lang.pick("Matris", "Matrix"))?;
    let mut matrix = matrix_table(store, &Moment::today(), false, false)?;
    if let Some(first) = matrix.header.first_mut() {
        *first = lang.pick("metod", "method").to_string();
    }
    matrix.write_markdown(out)?;
    writeln!(
        out,
        "\n{}\n\n## {}\n",
        legend_in(Some(lang)),
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

fn user(store: &mut Store, cmd: UserCommand, out: &mut impl Write) -> Result<()> {
    match cmd {
        UserCommand::Add { login, role, units } => {
            store.add_user(&login, role.code(), &units)?;
            say(out, format!("{} is {}", login.trim(), role.code()))?;
        }
        UserCommand::List => {
            let mut t = Table::new(&["login", "role", "units"]);
            for u in store.users()? {
                t.push(vec![u.login, u.role, u.units.join(",")]);
            }
            t.write_aligned(out)?;
        }
        UserCommand::Remove { login } => {
            store.remove_user(&login)?;
            say(out, format!("removed {}", login.trim()))?;
        }
    }
    Ok(())
}
