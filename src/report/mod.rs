//! Reports people open without a terminal: an Excel workbook (`xlsx`) and a self-contained
//! web page that prints (`html`). Both read the same `ReportData`, gathered here from the
//! store's own queries with the same day, knowledge, roll-up and figures as the screens, over
//! the methods asked for (`--methods`, `--area`; all by default).

#![warn(missing_docs)]

pub mod html;
mod svg;
pub mod words;
pub mod xlsx;

use anyhow::Result;

use crate::domain::text::printable;
use crate::domain::{Method, Stage, Unit};
use crate::i18n::Lang;
use crate::store::{CurvePoint, Metrics, MetricsScope, Moment, RolledCell, Stalled, Store};

pub use html::write_html;
pub use xlsx::write_xlsx;

/// What a report shows.
#[derive(Debug, Clone)]
pub struct ReportScope {
    /// The day and what was known.
    pub moment: Moment,
    /// Whether units without history of their own show their predecessors'.
    pub roll_up: bool,
    /// The language of every heading, word and definition.
    pub lang: Lang,
    /// The methods shown, in this order (`None`: every method, by name).
    pub methods: Option<Vec<i64>>,
    /// An inventory round whose report is added (`--round NAME`): a sheet, a section.
    pub round: Option<String>,
    /// Everything, however large (`--full`): the web page leaves nothing out. Without it the
    /// page keeps each large section to its cap and says what it left out (`html`'s
    /// `METHODS_SHOWN` and the rest); the workbook is always whole.
    pub full: bool,
}

impl ReportScope {
    fn metrics(&self) -> MetricsScope {
        MetricsScope {
            roll_up: self.roll_up,
            ..MetricsScope::new(self.moment)
        }
    }

    fn only(&self) -> Option<&[i64]> {
        self.methods.as_deref()
    }
}

/// Everything both reports show but the history (which each reads as it writes).
#[derive(Debug, Clone)]
pub struct ReportData {
    /// The register's title.
    pub title: String,
    /// The units valid on the day (or all, with `--all`): the matrix's columns.
    pub units: Vec<Unit>,
    /// The methods shown, each with its cell per unit (inherited cells only with roll-up).
    pub rows: Vec<(Method, Vec<Option<RolledCell>>)>,
    /// The figures per method, in the rows' order.
    pub method_metrics: Vec<Metrics>,
    /// The figures per unit, over the methods shown.
    pub unit_metrics: Vec<Metrics>,
    /// The methods' adoption curves (as the method detail draws them), by method id.
    pub curves: std::collections::HashMap<i64, Vec<CurvePoint>>,
    /// The stalled pilots of the methods shown, longest first.
    pub stalled: Vec<Stalled>,
    /// The stages of the methods shown not heard from in the fresh months, oldest word
    /// first: whom to ask.
    pub not_heard_from: Vec<Stalled>,
    /// After how many months without word a stage is stale (the legend's `°`).
    pub fresh_months: u32,
    /// The round asked for, with what changed since the previous one.
    pub round: Option<crate::store::RoundReport>,
    /// When it was made (UTC, RFC 3339).
    pub made_at: String,
    /// The login that made it.
    pub made_by: String,
    /// The database file's name.
    pub database: String,
}

impl ReportData {
    /// Reads everything the scope asks for, with the store's own queries.
    pub fn read(store: &Store, scope: &ReportScope) -> Result<ReportData> {
        // The figures first: what they read from the whole history is let go before the
        // matrix is made, so the two never take memory at once (at L the larger part of a
        // workbook's peak).
        let crate::store::Figures {
            methods: mut method_metrics,
            units: unit_metrics,
            curves,
        } = store.figures_and_curves(&scope.metrics(), scope.only())?;
        let matrix = store.matrix_rolled(&scope.moment)?;
        let mut rows: Vec<(Method, Vec<Option<RolledCell>>)> = matrix
            .rows
            .into_iter()
            .filter(|(m, _)| scope.only().is_none_or(|ids| ids.contains(&m.id)))
            .map(|(m, cells)| {
                let cells = cells
                    .into_iter()
                    .map(|c| c.filter(|c| scope.roll_up || c.from.is_empty()))
                    .collect();
                (m, cells)
            })
            .collect();
        // In the order asked for (`--methods`), else by name as the matrix has them.
        let position = |id: i64| {
            scope
                .only()
                .and_then(|ids| ids.iter().position(|i| *i == id))
        };
        rows.sort_by_key(|(m, _)| position(m.id));
        let row_of: std::collections::HashMap<i64, usize> = rows
            .iter()
            .enumerate()
            .map(|(i, (m, _))| (m.id, i))
            .collect();
        method_metrics.sort_by_key(|m| row_of.get(&m.id).copied());
        let database = store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(ReportData {
            title: store.title_shown()?,
            units: matrix.units,
            rows,
            method_metrics,
            unit_metrics,
            curves,
            stalled: store.stalled_of(&scope.metrics(), scope.only())?,
            not_heard_from: store.not_heard_from(&scope.metrics(), scope.only())?,
            fresh_months: scope.moment.fresh_months,
            round: match &scope.round {
                Some(name) => Some(store.round_report(&store.round_named(name)?)?),
                None => None,
            },
            made_at: crate::store::now_utc(),
            made_by: store.user().to_string(),
            database: printable(&database),
        })
    }

    /// The districts where the row's method is in use, how many of those are stale, and the
    /// districts.
    pub fn districts_in_use(&self, row: &[Option<RolledCell>]) -> (usize, usize, usize) {
        let mut districts = 0;
        let mut in_use = 0;
        let mut stale = 0;
        for (u, cell) in self.units.iter().zip(row) {
            if u.kind == crate::domain::UnitKind::District {
                districts += 1;
                if let Some(c) = cell.as_ref().filter(|c| c.stage.in_use()) {
                    in_use += 1;
                    stale += usize::from(c.stale);
                }
            }
        }
        (in_use, stale, districts)
    }
}

/// A stage's fill (0xRRGGBB): light, so its word in dark text (`TEXT`) reads on it at well
/// over 4.5:1 (tested).
pub fn fill(stage: Stage) -> u32 {
    match stage {
        Stage::Exploring => 0xDDEBF7,
        Stage::Preparing => 0xE4DFEC,
        Stage::Pilot => 0xFFF2CC,
        Stage::Implemented => 0xC6EFCE,
        Stage::Sustained => 0xA9D08E,
        Stage::Paused => 0xF8CBAD,
        Stage::Discontinued => 0xD9D9D9,
    }
}

/// The reports' text colour.
pub const TEXT: u32 = 0x1A1A1A;

/// The figures' column headings in both reports, in `Metrics` order after the label and name
/// (the names of `DEFINITIONS`, which say what each counts).
pub fn figure_headings(lang: Lang) -> [&'static str; 12] {
    [
        lang.pick("nått", "reached"),
        lang.pick("i bruk", "in use"),
        lang.pick("andel", "share"),
        lang.pick("första pilot", "first pilot"),
        lang.pick("median månader", "median months"),
        lang.pick("på väg", "on the way"),
        lang.pick("förbereder", "preparing"),
        lang.pick("stannat", "stalled"),
        lang.pick("utan besked", "not heard from"),
        lang.pick("hållbart", "sustained"),
        lang.pick("pausad", "paused"),
        lang.pick("avslutad", "discontinued"),
    ]
}

/// A stage as a cell says it: glyph and word ("◐ Pilot").
pub fn stage_text(stage: Stage, lang: Lang) -> String {
    format!("{} {}", stage.glyph(), stage.label(lang))
}

/// A matrix cell as text: the stage, in parentheses when taken over from predecessors, with
/// the stale mark (`°`) when not heard from in the fresh months.
pub fn cell_text(cell: &RolledCell, lang: Lang) -> String {
    let text = if cell.from.is_empty() {
        stage_text(cell.stage, lang)
    } else {
        format!("({})", stage_text(cell.stage, lang))
    };
    if cell.stale {
        format!("{text}{}", crate::domain::age::STALE_MARK)
    } else {
        text
    }
}

/// What was known, as a report's front matter says it.
pub fn known_text(moment: &Moment, lang: Lang) -> String {
    moment
        .known_at
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| {
            lang.pick("allt som registrerats", "everything recorded")
                .into()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_word_reads_on_its_fill() {
        use crate::ui::theme::contrast;
        let rgb = |n: u32| ((n >> 16) as u8, (n >> 8) as u8, n as u8);
        for stage in Stage::ALL {
            let ratio = contrast(rgb(TEXT), rgb(fill(stage)));
            assert!(ratio >= 7.0, "{stage:?}: {ratio:.1}");
        }
    }
}

/// One line of a round's report: a stage event or a confirmation in the round's time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundLine {
    /// The method's label and the unit's code.
    pub method: String,
    /// The unit's code.
    pub unit: String,
    /// The stage recorded or confirmed, and the day it took effect or was said to hold.
    pub stage: Stage,
    /// The day (as stored: a day or a month).
    pub date: String,
    /// Who recorded it.
    pub by: String,
}

/// A round's report as the workbook and the web page show it: new stages, discontinued and
/// confirmations, each with its heading.
pub fn round_sections(
    report: &crate::store::RoundReport,
    lang: Lang,
) -> [(&'static str, Vec<RoundLine>); 3] {
    let events = |list: &[crate::domain::EventRow]| -> Vec<RoundLine> {
        list.iter()
            .map(|e| RoundLine {
                method: e.method.clone(),
                unit: e.unit.clone(),
                stage: e.stage,
                date: e.date.clone(),
                by: e.recorded_by.clone(),
            })
            .collect()
    };
    [
        (
            lang.pick("Nya steg", "New stages"),
            events(&report.new_stages),
        ),
        (
            lang.pick("Avslutade", "Discontinued"),
            events(&report.discontinued),
        ),
        (
            lang.pick("Bekräftelser", "Confirmations"),
            report
                .confirmations
                .iter()
                .map(|c| RoundLine {
                    method: c.method.clone(),
                    unit: c.unit.clone(),
                    stage: c.stage,
                    date: c.date.clone(),
                    by: c.recorded_by.clone(),
                })
                .collect(),
        ),
    ]
}

/// Where a round's report starts: "since round 'X' (opened …)", or since it opened.
pub fn round_since(report: &crate::store::RoundReport, lang: Lang) -> String {
    match &report.previous {
        Some(p) => format!(
            "{} '{}' ({})",
            lang.pick("sedan inventeringen", "since round"),
            printable(&p.name),
            p.opened_at
        ),
        None => format!(
            "{} ({})",
            lang.pick("sedan den öppnades", "since it opened"),
            report.round.opened_at
        ),
    }
}
