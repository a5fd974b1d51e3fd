//! `spridning activity`: the latest changes to the register, newest first, as the Activity
//! tab lists them, under the same filter terms.

use std::io::Write;

use anyhow::Result;

use super::Context;
use crate::cli::args::ListFormat;
use crate::cli::output::{Table, write_json};
use crate::domain::{Change, ChangeKind};
use crate::i18n::Lang;
use crate::store::Store;

/// Options of `spridning activity`.
#[derive(Debug, clap::Args)]
pub struct Activity {
    /// The Activity tab's filter: words, by:LOGIN, since:DATE, until:DATE.
    #[arg(long, default_value = "")]
    pub filter: String,
    /// At most this many changes.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: usize,
    /// table (aligned, for people), csv or json (for scripts); with --excel, CSV for
    /// Swedish Excel (semicolons, CRLF, a byte-order mark).
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

impl Activity {
    /// Writes the changes the filter keeps, at most `--limit`.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        activity(
            ctx.store,
            &self.filter,
            self.limit,
            (self.format, ctx.excel, ctx.lang),
            ctx.out,
        )
    }
}

const ACTIVITY_HEADER: [&str; 7] = ["id", "at", "by", "change", "method", "unit", "what"];

fn activity_row(c: &Change, lang: Lang) -> Vec<String> {
    let what = match (c.kind, &c.event) {
        (ChangeKind::Event, Some(e)) => format!("{} {}", e.stage.code(), e.date),
        (ChangeKind::Confirmation, Some(e)) => format!(
            "{} {} {}",
            e.stage.code(),
            e.date,
            lang.pick("gäller fortfarande", "still holds")
        ),
        (ChangeKind::Retraction | ChangeKind::ConfirmationRetraction, Some(e)) => format!(
            "{} {} {}: {}",
            e.stage.code(),
            e.date,
            lang.pick("återkallad", "retracted"),
            e.retraction
                .as_ref()
                .map(|r| r.reason.clone())
                .unwrap_or_default()
        ),
        _ => c.fields_in_words(lang),
    };
    vec![
        c.id.to_string(),
        c.at.clone(),
        c.login.clone(),
        c.kind.label(lang).to_string(),
        c.method.clone(),
        c.unit.clone(),
        what,
    ]
}

/// The latest changes under an Activity filter (the same terms as the tab's `/`), newest
/// first, at most `limit`.
fn activity(
    store: &Store,
    filter: &str,
    limit: usize,
    (format, excel, lang): (ListFormat, bool, Lang),
    out: &mut (impl Write + ?Sized),
) -> Result<()> {
    let plan = store.activity_plan(filter)?;
    let rows: Vec<Vec<String>> = store
        .activity(&plan, 0, limit)?
        .iter()
        .map(|c| activity_row(c, lang))
        .collect();
    match format {
        ListFormat::Json => {
            let objects: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        ACTIVITY_HEADER
                            .iter()
                            .zip(r)
                            .map(|(k, v)| (k.to_string(), v.clone().into()))
                            .collect(),
                    )
                })
                .collect();
            write_json(out, &objects)
        }
        _ => {
            let mut t = Table::new(&ACTIVITY_HEADER);
            for r in rows {
                t.push(r);
            }
            if format == ListFormat::Csv {
                t.write_csv(out, excel)
            } else {
                t.write_aligned(out)
            }
        }
    }
}
