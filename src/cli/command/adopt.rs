//! `spridning adopt` records one stage event; `spridning retract` marks one as a mistake.

use anyhow::Result;

use super::{Context, say};
use crate::domain::{EventDate, NewEvent, Stage};

/// Options of `spridning adopt`.
#[derive(Debug, clap::Args)]
pub struct Adopt {
    /// Method name or short name (case-insensitive).
    #[arg(long)]
    pub method: String,
    /// Unit code or name (case-insensitive).
    #[arg(long)]
    pub unit: String,
    /// exploring, preparing, pilot, implemented, sustained, paused or discontinued.
    #[arg(long)]
    pub stage: String,
    /// When it took effect: YYYY-MM-DD or YYYY-MM (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// What happened, in a sentence or two.
    #[arg(long, default_value = "")]
    pub note: String,
    /// Where it is stated, e.g. a report section or a decision's diary number.
    #[arg(long, default_value = "")]
    pub source: String,
}

impl Adopt {
    /// Records the event and says what was recorded.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &mut *ctx.store;
        let (method_id, method_label) = store.find_method(&self.method)?;
        let (unit_id, unit_code) = store.find_unit(&self.unit)?;
        let stage: Stage = self.stage.parse()?;
        let date = match self.date {
            Some(d) => d.parse::<EventDate>()?,
            None => EventDate::today(),
        };
        let id = store.record_stage(&NewEvent {
            method_id,
            unit_id,
            stage,
            date,
            note: self.note,
            source: self.source,
        })?;
        say(
            ctx.out,
            format!("recorded event {id}: {method_label} in {unit_code} is {stage} from {date}"),
        )
    }
}

/// Options of `spridning retract`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["event_id", "confirmation"])))]
pub struct Retract {
    /// The event's id (the first column of `history`, or the Activity tab).
    pub event_id: Option<i64>,
    /// Retract this confirmation instead (its id in `history`, kind `confirmation`).
    #[arg(long, value_name = "ID")]
    pub confirmation: Option<i64>,
    /// Why it was a mistake (kept with the event or confirmation).
    #[arg(long)]
    pub reason: String,
}

impl Retract {
    /// Retracts the event or confirmation; it stays in the history.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        match (self.event_id, self.confirmation) {
            (_, Some(id)) => {
                ctx.store.retract_confirmation(id, &self.reason)?;
                say(ctx.out, format!("retracted confirmation {id}"))
            }
            (Some(id), None) => {
                ctx.store.retract(id, &self.reason)?;
                say(ctx.out, format!("retracted event {id}"))
            }
            (None, None) => unreachable!("clap requires one of them"),
        }
    }
}
