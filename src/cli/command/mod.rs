//! The subcommands that work on an open database, one file each (as atuin's
//! `command/client/*.rs`): each holds its options (a clap `Args` struct) and its `run`, which
//! gets a `Context`. What several share is here: the one-line message, writing to standard
//! output or a file written whole, the day a command shows and a list in its format.

pub mod activity;
pub mod adopt;
pub mod authorized_keys;
pub mod backup;
pub mod check;
pub mod confirm;
pub mod export;
pub mod history;
pub mod import;
pub mod init;
pub mod lists;
pub mod matrix;
pub mod metrics;
pub mod reorganise;
pub mod report;
pub mod restore;
pub mod round;
pub mod show;
pub mod title;
pub mod user;

use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Result, anyhow};

use super::Command;
use super::args::{ListFormat, MomentArgs, OutArgs};
use super::output::Table;
use crate::domain::text::printable;
use crate::domain::{EventDate, Problem};
use crate::i18n::Lang;
use crate::output_file::{Existing, Target};
use crate::store::{Moment, Store};

/// What a subcommand works with: the open database, standard output and the global options.
pub struct Context<'a> {
    /// The database, opened as the acting login.
    pub store: &'a mut Store,
    /// Standard output, buffered (flushed when the command ends).
    pub out: &'a mut dyn Write,
    /// `--excel`: CSV for Swedish Excel.
    pub excel: bool,
    /// `--lang`: the language of `show`, `activity`, `export --format md` and reports.
    pub lang: Lang,
}

/// Runs one subcommand on an open database.
pub fn run(store: &mut Store, command: Command, (excel, lang): (bool, Lang)) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut ctx = Context {
        store,
        out: &mut out,
        excel,
        lang,
    };
    let ctx = &mut ctx;
    match command {
        Command::Init(_) | Command::AuthorizedKeys(_) => {
            unreachable!("init and authorized-keys are handled before a database is opened")
        }
        Command::Adopt(c) => c.run(ctx),
        Command::Retract(c) => c.run(ctx),
        Command::Confirm(c) => c.run(ctx),
        Command::Setting(c) => c.run(ctx),
        Command::Round(c) => c.run(ctx),
        Command::Methods(c) => c.run(ctx),
        Command::Units(c) => c.run(ctx),
        Command::History(c) => c.run(ctx),
        Command::Matrix(c) => c.run(ctx),
        Command::Metrics(c) => c.run(ctx),
        Command::Stalled(c) => c.run(ctx),
        Command::Export(c) => c.run(ctx),
        Command::Reorganise(c) => c.run(ctx),
        Command::Import(c) => c.run(ctx),
        Command::Backup(c) => c.run(ctx),
        Command::Restore(c) => c.run(ctx),
        Command::Check => check::run(ctx),
        Command::Report(c) => c.run(ctx),
        Command::Title(c) => c.run(ctx),
        Command::Show(c) => c.run(ctx),
        Command::Activity(c) => c.run(ctx),
        Command::User(c) => c.run(ctx),
    }?;
    out.flush()?;
    Ok(())
}

/// A message to the person: one line, cleaned like every table cell (a login, a path or a
/// name in it can never send control codes to the terminal).
fn say(out: &mut (impl Write + ?Sized), message: String) -> Result<()> {
    writeln!(out, "{}", printable(&message))?;
    Ok(())
}

/// Writes to standard output, or with `--out FILE` to a file written whole or not at all,
/// only where a file may be written (see `output_file`).
/// Refuses to write `what` (a report, a workbook: not for a terminal) without `--out`;
/// `--out -` asks for standard output on purpose.
fn out_required(to: &OutArgs, what: &str) -> Result<()> {
    if to.out.is_none() {
        anyhow::bail!("{what} needs --out FILE (or --out - for standard output)");
    }
    Ok(())
}

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
        m.known_at = Some(known_at_time(text.trim())?);
    }
    m.all_units = all_units;
    Ok(m)
}

/// A `--known-at` time: an RFC 3339 time, or a day (as known at its end, UTC).
fn known_at_time(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    let quoted = || crate::domain::problem::quoted(text, Lang::En);
    match text.parse::<EventDate>() {
        Ok(EventDate::Day(d)) => d
            .and_hms_opt(23, 59, 59)
            .map(|t| t.and_utc())
            .ok_or_else(|| anyhow!("invalid --known-at {}", quoted())),
        _ => chrono::DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&chrono::Utc))
            .map_err(|_| {
                anyhow!(
                    "invalid --known-at {} (use YYYY-MM-DD or an RFC 3339 time like 2025-06-01T12:00:00Z)",
                    quoted()
                )
            }),
    }
}

/// An `--as-of` day on its own (a day or a month; not in the future).
pub fn parse_as_of(text: &str) -> Result<chrono::NaiveDate> {
    Ok(moment(Some(text), None, false)?.day)
}

/// The moment of a command's options: the day, what was known, every unit, and when a stage
/// is stale (`--fresh-months`, else the register's setting) and whether stale stages are
/// left out (`--current-only`).
fn moment_of(store: &Store, when: &MomentArgs) -> Result<Moment> {
    let mut m = moment(when.as_of.as_deref(), when.known_at.as_deref(), when.all)?;
    m.fresh_months = match &when.fresh_months {
        Some(text) => crate::store::parse_fresh_months(text)?,
        None => store.fresh_months()?,
    };
    m.current_only = when.current_only;
    Ok(m)
}

/// A list in its format. A table on a terminal is fitted to its width (long notes wrap in
/// their column); piped or redirected, it is written as it always was, a row per line.
fn write_list(
    out: &mut (impl Write + ?Sized),
    t: &Table,
    format: ListFormat,
    excel: bool,
) -> Result<()> {
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
