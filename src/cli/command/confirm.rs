//! `spridning confirm` says that a method's stage in a unit still holds on a day, without
//! changing it; `spridning setting` shows or changes the register's settings.

use anyhow::Result;
use chrono::NaiveDate;

use super::{Context, say};
use crate::domain::{EventDate, NewConfirmation, Problem};
use crate::store::{DEFAULT_FRESH_MONTHS, parse_fresh_months};

/// Options of `spridning confirm`.
#[derive(Debug, clap::Args)]
pub struct Confirm {
    /// Method name or short name (case-insensitive).
    #[arg(long)]
    pub method: String,
    /// Unit code or name (case-insensitive).
    #[arg(long)]
    pub unit: String,
    /// The day the stage still held: YYYY-MM-DD (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// What was said, e.g. who confirmed it and how.
    #[arg(long, default_value = "")]
    pub note: String,
}

impl Confirm {
    /// Records the confirmation and says what was confirmed.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &mut *ctx.store;
        let (method_id, method_label) = store.find_method(&self.method)?;
        let (unit_id, unit_code) = store.find_unit(&self.unit)?;
        let date = match self.date.as_deref() {
            Some(text) => confirmation_day(text)?,
            None => EventDate::today().first_day(),
        };
        let id = store.confirm(&NewConfirmation {
            method_id,
            unit_id,
            date,
            note: self.note,
        })?;
        let stage = store.confirmation(id)?.stage;
        say(
            ctx.out,
            format!(
                "recorded confirmation {id}: {method_label} in {unit_code} is still {stage} on {date}"
            ),
        )
    }
}

/// A confirmation's day: a whole day (a month would not say when it was heard).
fn confirmation_day(text: &str) -> Result<NaiveDate> {
    match text.parse::<EventDate>()? {
        EventDate::Day(d) => Ok(d),
        EventDate::Month { .. } => Err(Problem::InvalidDate {
            value: crate::domain::text::printable(text.trim()),
            month: false,
        }
        .into()),
    }
}

/// Options of `spridning setting`.
#[derive(Debug, clap::Args)]
pub struct Setting {
    /// `fresh-months` (after how many months without word a stage is stale) or `title`
    /// (the presentation's first slide); without it, every setting is listed.
    pub key: Option<String>,
    /// The new value (coordinators); "" returns to the default. Without it, the value is
    /// printed.
    pub value: Option<String>,
}

impl Setting {
    /// Lists the settings, prints one, or changes one and prints the value now in force.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        let store = &mut *ctx.store;
        let title =
            || -> Result<String> { Ok(crate::domain::text::printable(&store.title_shown()?)) };
        match (self.key.as_deref().map(str::trim), self.value) {
            (None, _) => {
                say(ctx.out, format!("fresh-months {}", store.fresh_months()?))?;
                say(ctx.out, format!("title {}", title()?))
            }
            (Some("fresh-months"), None) => say(ctx.out, store.fresh_months()?.to_string()),
            (Some("fresh-months"), Some(v)) => {
                let months = if v.trim().is_empty() {
                    None
                } else {
                    Some(parse_fresh_months(&v)?)
                };
                let now = store.set_fresh_months(months)?;
                let default = if now == DEFAULT_FRESH_MONTHS && months.is_none() {
                    " (the default)"
                } else {
                    ""
                };
                say(ctx.out, format!("fresh-months {now}{default}"))
            }
            (Some("title"), None) => say(ctx.out, title()?),
            (Some("title"), Some(v)) => {
                let now = store.set_title(&v)?;
                say(ctx.out, crate::domain::text::printable(&now))
            }
            (Some(other), _) => Err(Problem::UnknownSetting {
                key: crate::domain::text::printable(other),
            }
            .into()),
        }
    }
}
