//! `spridning round`: inventory rounds (inventering). Coordinators start and close them;
//! members answer for their units; everyone sees the status and the report.

use anyhow::Result;
use chrono::NaiveDate;

use super::{Context, say, write_list};
use crate::cli::args::ListFormat;
use crate::cli::output::{Table, write_json};
use crate::domain::{EventDate, Stage};
use crate::store::{Answering, NewRound, Round, Store};

/// The round subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum RoundCommand {
    /// Open a round (coordinators): it asks each of its units about every method that has
    /// a stage there and the methods it names. One round is open at a time.
    #[command(
        after_help = "Example:\n  spridning round start \"Inventering 2027\" --due 2027-03-31 --area socialmedicin"
    )]
    Start(Start),
    /// Answer one question for a unit (members for their units): --confirm (the stage
    /// still holds today), --stage S (it changed; discontinued: no longer in use) or
    /// --not-used (a method the round named that the unit never used).
    Answer(AnswerArgs),
    /// Confirm, as it stands today, every question of a unit not yet answered.
    ConfirmAll(UnitArgs),
    /// A unit's questions in the open round: the method, its stage, when last heard, and
    /// the answer so far.
    Checklist(Checklist),
    /// Every unit's progress in a round (default: the open one): answered, total, changed,
    /// and the last answer's who and when.
    Status(Status),
    /// Close the open round (coordinators).
    Close,
    /// What changed since the previous round: new stages, discontinued, confirmations, and
    /// the units that did not answer every question.
    Report(ReportArgs),
    /// Every round, the newest first.
    List,
}

/// Options of `round start`.
#[derive(Debug, clap::Args)]
pub struct Start {
    /// The round's name, e.g. "Inventering 2027".
    pub name: String,
    /// The last day to answer (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub due: String,
    /// Only methods of this area (e.g. socialmedicin).
    #[arg(long)]
    pub area: Option<String>,
    /// Methods to ask about in every unit, also where they have no stage (names or short
    /// names, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub methods: Vec<String>,
    /// Only these units (codes or names, comma-separated; default: every unit that exists
    /// today).
    #[arg(long, value_delimiter = ',', value_name = "UNITS")]
    pub units: Vec<String>,
}

/// Options of `round answer`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["confirm", "stage", "not_used"])))]
pub struct AnswerArgs {
    /// Unit code or name.
    #[arg(long)]
    pub unit: String,
    /// Method name or short name.
    #[arg(long)]
    pub method: String,
    /// The stage still holds today.
    #[arg(long)]
    pub confirm: bool,
    /// The stage now (recorded as an event, the round as its source).
    #[arg(long)]
    pub stage: Option<String>,
    /// Never used in this unit (only for a method with no stage there).
    #[arg(long)]
    pub not_used: bool,
    /// When the new stage took effect (with --stage; default today).
    #[arg(long, requires = "stage")]
    pub date: Option<String>,
    /// What was said, e.g. why it is no longer in use.
    #[arg(long, default_value = "")]
    pub note: String,
}

/// A unit.
#[derive(Debug, clap::Args)]
pub struct UnitArgs {
    /// Unit code or name.
    #[arg(long)]
    pub unit: String,
}

/// Options of `round checklist`.
#[derive(Debug, clap::Args)]
pub struct Checklist {
    /// Unit code or name.
    #[arg(long)]
    pub unit: String,
    /// table (aligned, for people), csv or json (for scripts); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// Options of `round status`.
#[derive(Debug, clap::Args)]
pub struct Status {
    /// The round (default: the open one).
    pub name: Option<String>,
    /// table (aligned, for people), csv or json (for scripts); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

/// Options of `round report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The round.
    pub name: String,
    /// table (aligned, for people) or json (for scripts).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

impl RoundCommand {
    /// Runs the round subcommand.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        match self {
            RoundCommand::Start(s) => s.run(ctx),
            RoundCommand::Answer(a) => a.run(ctx),
            RoundCommand::ConfirmAll(u) => {
                let (unit, code) = ctx.store.find_unit(&u.unit)?;
                let n = ctx.store.confirm_all(unit)?;
                say(
                    ctx.out,
                    format!("confirmed {n} stages of {code} as they stand today"),
                )
            }
            RoundCommand::Checklist(c) => c.run(ctx),
            RoundCommand::Status(s) => s.run(ctx),
            RoundCommand::Close => {
                let round = ctx.store.close_round()?;
                say(ctx.out, format!("closed round '{}'", round.name))
            }
            RoundCommand::Report(r) => r.run(ctx),
            RoundCommand::List => {
                let mut t = Table::new(&["name", "due", "area", "opened", "closed"]);
                for r in ctx.store.rounds()? {
                    t.push(vec![
                        r.name,
                        r.due.to_string(),
                        r.area.unwrap_or_default(),
                        r.opened_at,
                        r.closed_at.unwrap_or_default(),
                    ]);
                }
                write_list(ctx.out, &t, ListFormat::Table, ctx.excel)
            }
        }
    }
}

/// A whole day (`--due`).
fn day(text: &str) -> Result<NaiveDate> {
    match text.parse::<EventDate>()? {
        EventDate::Day(d) => Ok(d),
        EventDate::Month { .. } => Err(crate::domain::Problem::InvalidDate {
            value: crate::domain::text::printable(text.trim()),
            month: false,
        }
        .into()),
    }
}

impl Start {
    fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &mut *ctx.store;
        let due = day(&self.due)?;
        let mut methods = Vec::new();
        for m in self.methods.iter().filter(|m| !m.trim().is_empty()) {
            methods.push(store.find_method(m)?.0);
        }
        let mut units = Vec::new();
        for u in self.units.iter().filter(|u| !u.trim().is_empty()) {
            units.push(store.find_unit(u)?.0);
        }
        let id = store.start_round(&NewRound {
            name: self.name,
            due: Some(due),
            area: self.area,
            methods,
            units,
        })?;
        let round = store
            .rounds()?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or(crate::domain::Problem::NoOpenRound)?;
        let asked = store.round_status(id)?;
        let questions: u32 = asked.iter().map(|p| p.total).sum();
        say(
            ctx.out,
            format!(
                "started round '{}' (due {}): {} units, {questions} questions",
                round.name,
                round.due,
                asked.len()
            ),
        )
    }
}

impl AnswerArgs {
    fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &mut *ctx.store;
        let (unit, code) = store.find_unit(&self.unit)?;
        let (method, label) = store.find_method(&self.method)?;
        let answering = if let Some(stage) = &self.stage {
            Answering::Stage {
                stage: stage.parse::<Stage>()?,
                date: self
                    .date
                    .as_deref()
                    .map(str::parse::<EventDate>)
                    .transpose()?,
                note: self.note,
            }
        } else if self.not_used {
            Answering::NotUsed
        } else {
            Answering::Confirm { note: self.note }
        };
        store.answer_round(unit, method, &answering)?;
        let what = match &answering {
            Answering::Confirm { .. } => "still holds".to_string(),
            Answering::Stage { stage, .. } => format!("is now {stage}"),
            Answering::NotUsed => "is not used here".to_string(),
        };
        say(ctx.out, format!("answered: {label} in {code} {what}"))
    }
}

/// The open round, or the one called `name`.
fn round_of(store: &Store, name: Option<&str>) -> Result<Round> {
    match name {
        Some(n) => store.round_named(n),
        None => store
            .open_round()?
            .ok_or_else(|| crate::domain::Problem::NoOpenRound.into()),
    }
}

impl Checklist {
    fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &*ctx.store;
        let round = round_of(store, None)?;
        let (unit, _) = store.find_unit(&self.unit)?;
        let rows = store.round_checklist(round.id, unit)?;
        if self.format == ListFormat::Json {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "method": r.label, "method_name": r.name,
                        "stage": r.stage.map(Stage::code), "since": r.since,
                        "last_heard": r.heard, "answer": r.answer.map(|a| a.code()),
                        "answered_by": r.answered_by, "answered_at": r.answered_at,
                    })
                })
                .collect();
            return write_json(ctx.out, &json);
        }
        let mut t = Table::new(&[
            "method",
            "stage",
            "since",
            "last_heard",
            "answer",
            "answered_by",
            "answered_at",
        ]);
        for r in &rows {
            t.push(vec![
                r.label.clone(),
                r.stage.map(|s| s.code().to_string()).unwrap_or_default(),
                r.since.clone().unwrap_or_default(),
                r.heard.clone().unwrap_or_default(),
                r.answer.map(|a| a.code().to_string()).unwrap_or_default(),
                r.answered_by.clone().unwrap_or_default(),
                r.answered_at.clone().unwrap_or_default(),
            ]);
        }
        write_list(ctx.out, &t, self.format, ctx.excel)
    }
}

impl Status {
    fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &*ctx.store;
        let round = round_of(store, self.name.as_deref())?;
        let rows = store.round_status(round.id)?;
        if self.format == ListFormat::Json {
            let json: Vec<serde_json::Value> = rows
                .iter()
                .map(|p| {
                    serde_json::json!({
                        "unit": p.code, "unit_name": p.name, "answered": p.answered,
                        "total": p.total, "changed": p.changed, "last_by": p.last_by,
                        "last_at": p.last_at,
                    })
                })
                .collect();
            return write_json(ctx.out, &json);
        }
        let mut t = Table::new(&[
            "unit",
            "unit_name",
            "answered",
            "total",
            "changed",
            "last_by",
            "last_at",
        ]);
        for p in &rows {
            t.push(vec![
                p.code.clone(),
                p.name.clone(),
                p.answered.to_string(),
                p.total.to_string(),
                p.changed.to_string(),
                p.last_by.clone().unwrap_or_default(),
                p.last_at.clone().unwrap_or_default(),
            ]);
        }
        write_list(ctx.out, &t, self.format, ctx.excel)
    }
}

impl ReportArgs {
    fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &*ctx.store;
        let round = store.round_named(&self.name)?;
        let report = store.round_report(&round)?;
        let event = |e: &crate::domain::EventRow| {
            serde_json::json!({"method": e.method, "unit": e.unit, "stage": e.stage.code(),
                "date": e.date, "recorded_by": e.recorded_by, "recorded_at": e.recorded_at})
        };
        if self.format == ListFormat::Json {
            let json = serde_json::json!({
                "round": round.name,
                "since": report.previous.as_ref().map(|p| p.name.clone()),
                "new_stages": report.new_stages.iter().map(event).collect::<Vec<_>>(),
                "discontinued": report.discontinued.iter().map(event).collect::<Vec<_>>(),
                "confirmations": report.confirmations.iter().map(|c| serde_json::json!({
                    "method": c.method, "unit": c.unit, "stage": c.stage.code(),
                    "date": c.date, "recorded_by": c.recorded_by})).collect::<Vec<_>>(),
                "unanswered": report.unanswered.iter().map(|p| serde_json::json!({
                    "unit": p.code, "answered": p.answered, "total": p.total})).collect::<Vec<_>>(),
            });
            return write_json(ctx.out, &json);
        }
        let out = &mut *ctx.out;
        let since = match &report.previous {
            Some(p) => format!("since round '{}' opened ({})", p.name, p.opened_at),
            None => format!("since it opened ({}; the first round)", round.opened_at),
        };
        writeln!(out, "Round '{}' — what changed {since}", round.name)?;
        let sections: [(&str, &[crate::domain::EventRow]); 2] = [
            ("New stages", &report.new_stages),
            ("Discontinued", &report.discontinued),
        ];
        for (title, events) in sections {
            writeln!(out, "\n{title} ({}):", events.len())?;
            for e in events {
                writeln!(
                    out,
                    "  {} {} {} {} ({})",
                    e.method,
                    e.unit,
                    e.stage.code(),
                    e.date,
                    e.recorded_by
                )?;
            }
        }
        writeln!(out, "\nConfirmations ({}):", report.confirmations.len())?;
        for c in &report.confirmations {
            writeln!(
                out,
                "  {} {} {} {} ({})",
                c.method,
                c.unit,
                c.stage.code(),
                c.date,
                c.recorded_by
            )?;
        }
        writeln!(
            out,
            "\nUnits that did not answer every question ({}):",
            report.unanswered.len()
        )?;
        for p in &report.unanswered {
            writeln!(out, "  {} {} of {} answered", p.code, p.answered, p.total)?;
        }
        Ok(())
    }
}
