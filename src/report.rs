//! Reports people open without a terminal. So far the Excel workbook (`spridning report
//! --format xlsx`), written with `rust_xlsxwriter` (nothing hand-written in the file format):
//!
//! - *Matris*: methods × the units valid on the day, each cell the stage's glyph and word on
//!   a fill of its own (a legend row under the header), header row and method column frozen,
//!   an autofilter, landscape and fit to the page's width;
//! - *Spridning*: the spread figures per method and per unit as numbers (Excel sorts and
//!   charts them), and a native line chart of the adoption curves of the most spread methods;
//! - *Historik*: every event, in constant memory, continued on *Historik 2* … if a sheet's
//!   rows run out;
//! - *Enheter*: units with codes, kind, region, validity and lineage;
//! - *Om rapporten*: the day, what was known when, when and by whom it was made, from which
//!   database, and what the stages mean.
//!
//! It reads the store's own queries, with the same day, knowledge and roll-up as the screens.

use std::io::Write;

use anyhow::Result;
use rust_xlsxwriter::{
    Chart, ChartType, Color, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::domain::Stage;
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::{HistoryFilter, Metrics, MetricsScope, Moment, RolledCell, Store};

/// Rows a worksheet holds (Excel's limit), the header included.
const SHEET_ROWS: u32 = 1_048_576;

/// What a report shows.
#[derive(Debug, Clone, Copy)]
pub struct ReportScope {
    pub moment: Moment,
    pub roll_up: bool,
    pub lang: Lang,
}

/// A stage's fill: light, so its word (in the default dark text) reads on it.
fn fill(stage: Stage) -> Color {
    Color::RGB(match stage {
        Stage::Exploring => 0xDDEBF7,
        Stage::Preparing => 0xE4DFEC,
        Stage::Pilot => 0xFFF2CC,
        Stage::Implemented => 0xC6EFCE,
        Stage::Sustained => 0xA9D08E,
        Stage::Paused => 0xF8CBAD,
        Stage::Discontinued => 0xD9D9D9,
    })
}

fn stage_format(stage: Stage) -> Format {
    Format::new()
        .set_background_color(fill(stage))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF))
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF2F2F2))
        .set_border_bottom(FormatBorder::Thin)
}

/// A stage as a cell says it: glyph and word ("◐ Pilot").
fn stage_text(stage: Stage, lang: Lang) -> String {
    format!("{} {}", stage.glyph(), stage.label(lang))
}

/// Writes the workbook to `out` (whole: it is built in memory first).
pub fn write_xlsx(store: &Store, scope: &ReportScope, out: &mut dyn Write) -> Result<()> {
    let mut book = Workbook::new();
    matrix_sheet(store, scope, book.add_worksheet())?;
    spread_sheet(store, scope, book.add_worksheet())?;
    let continued = history_sheets(store, scope, &mut book)?;
    units_sheet(store, scope, book.add_worksheet())?;
    about_sheet(store, scope, continued, book.add_worksheet())?;
    let bytes = book.save_to_buffer()?;
    out.write_all(&bytes)?;
    Ok(())
}

fn matrix_sheet(store: &Store, scope: &ReportScope, ws: &mut Worksheet) -> Result<()> {
    let lang = scope.lang;
    ws.set_name(lang.pick("Matris", "Matrix"))?;
    let matrix = store.matrix_rolled(&scope.moment)?;
    let header = header_format();
    ws.write_string_with_format(0, 0, lang.pick("Metod", "Method"), &header)?;
    for (i, u) in matrix.units.iter().enumerate() {
        ws.write_string_with_format(0, col(i + 1)?, printable(&u.code), &header)?;
        ws.set_column_width(col(i + 1)?, 16)?;
    }
    ws.set_column_width(0, 40)?;
    // Under the header, what each fill means.
    for (i, stage) in Stage::ALL.iter().enumerate() {
        ws.write_string_with_format(
            1,
            col(i + 1)?,
            stage_text(*stage, lang),
            &stage_format(*stage),
        )?;
    }
    ws.write_string(1, 0, lang.pick("Teckenförklaring:", "Legend:"))?;
    let first = 2u32;
    for (r, (method, cells)) in matrix.rows.iter().enumerate() {
        let row = first + r as u32;
        ws.write_string(row, 0, printable(method.label()))?;
        for (c, cell) in cells.iter().enumerate() {
            if let Some(RolledCell { stage, from }) = cell {
                let text = if from.is_empty() {
                    stage_text(*stage, lang)
                } else if !scope.roll_up {
                    continue;
                } else {
                    format!("({})", stage_text(*stage, lang))
                };
                ws.write_string_with_format(row, col(c + 1)?, text, &stage_format(*stage))?;
            }
        }
    }
    let last_row = first + matrix.rows.len().max(1) as u32 - 1;
    ws.set_freeze_panes(1, 1)?;
    ws.autofilter(0, 0, last_row, col(matrix.units.len())?)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The spread figures as numbers, per method then per unit, with a chart of the curves of
/// the five methods most in use (units implemented or beyond, cumulative by year).
fn spread_sheet(store: &Store, scope: &ReportScope, ws: &mut Worksheet) -> Result<()> {
    let lang = scope.lang;
    let name = lang.pick("Spridning", "Spread");
    ws.set_name(name)?;
    let metrics_scope = MetricsScope {
        roll_up: scope.roll_up,
        ..MetricsScope::new(scope.moment)
    };
    let header = [
        lang.pick("metod / enhet", "method / unit"),
        lang.pick("namn", "name"),
        lang.pick("nådda enheter", "units reached"),
        lang.pick("i bruk", "in use"),
        lang.pick("andel stadsdelar i bruk", "share of districts in use"),
        lang.pick("första pilot", "first pilot"),
        lang.pick(
            "median månader till ordinarie",
            "median months to implemented",
        ),
        lang.pick("på väg", "on the way"),
        lang.pick("stannade", "stalled"),
        lang.pick("vidmakthållna", "sustained"),
        lang.pick("pausade", "paused"),
        lang.pick("avslutade", "discontinued"),
    ];
    let bold = header_format();
    let percent = Format::new().set_num_format("0%");
    let write_block = |ws: &mut Worksheet, top: u32, rows: &[Metrics]| -> Result<u32> {
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(top, c as u16, *h, &bold)?;
        }
        for (i, m) in rows.iter().enumerate() {
            let r = top + 1 + i as u32;
            ws.write_string(r, 0, printable(&m.label))?;
            ws.write_string(r, 1, printable(&m.name))?;
            ws.write_number(r, 2, m.reached)?;
            ws.write_number(r, 3, m.in_use)?;
            ws.write_number_with_format(r, 4, m.share, &percent)?;
            ws.write_string(
                r,
                5,
                m.first_pilot.map(|d| d.to_string()).unwrap_or_default(),
            )?;
            if let Some(months) = m.median_months {
                ws.write_number(r, 6, (months * 10.0).round() / 10.0)?;
            }
            ws.write_number(r, 7, m.on_the_way)?;
            ws.write_number(r, 8, m.stalled)?;
            ws.write_number(r, 9, m.sustained)?;
            ws.write_number(r, 10, m.paused)?;
            ws.write_number(r, 11, m.discontinued)?;
        }
        Ok(top + 1 + rows.len() as u32)
    };
    let (methods, units) = store.method_and_unit_metrics(&metrics_scope)?;
    let after_methods = write_block(ws, 0, &methods)?;
    let after_units = write_block(ws, after_methods + 1, &units)?;
    ws.set_column_width(1, 40)?;
    ws.set_freeze_panes(1, 1)?;
    // The curves of the five methods most in use, as a table the chart reads: a year per
    // row, a method per column.
    let mut top: Vec<&Metrics> = methods.iter().filter(|m| m.reached > 0).collect();
    top.sort_by(|a, b| b.in_use.cmp(&a.in_use).then(b.reached.cmp(&a.reached)));
    top.truncate(5);
    if top.is_empty() {
        return Ok(());
    }
    let curves: Vec<Vec<crate::store::CurvePoint>> = top
        .iter()
        .map(|m| store.adoption_curve(m.id, &scope.moment))
        .collect::<Result<_>>()?;
    let first = curves
        .iter()
        .filter_map(|c| c.first())
        .map(|p| p.year)
        .min();
    let last = scope
        .moment
        .day
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .ok();
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(());
    };
    let table_top = after_units + 2;
    ws.write_string_with_format(
        table_top,
        0,
        lang.pick(
            "år (enheter i ordinarie verksamhet eller längre, sammanlagt)",
            "year (units implemented or beyond, cumulative)",
        ),
        &bold,
    )?;
    for (c, m) in top.iter().enumerate() {
        ws.write_string_with_format(table_top, 1 + c as u16, printable(&m.label), &bold)?;
    }
    for (i, year) in (first..=last).enumerate() {
        let r = table_top + 1 + i as u32;
        ws.write_number(r, 0, year)?;
        for (c, curve) in curves.iter().enumerate() {
            // Before a method's first pilot nothing had been reached; after its last point the
            // last value holds.
            let value = curve
                .iter()
                .take_while(|p| p.year <= year)
                .last()
                .map_or(0, |p| p.in_use);
            ws.write_number(r, 1 + c as u16, value)?;
        }
    }
    let last_row = table_top + (last - first + 1) as u32;
    let mut chart = Chart::new(ChartType::Line);
    chart.title().set_name(lang.pick(
        "Spridning över tid: enheter i ordinarie verksamhet",
        "Spread over time: units implemented or beyond",
    ));
    for c in 0..top.len() {
        let col = 1 + c as u16;
        chart
            .add_series()
            .set_name((name, table_top, col))
            .set_categories((name, table_top + 1, 0, last_row, 0))
            .set_values((name, table_top + 1, col, last_row, col));
    }
    ws.insert_chart(table_top, 2 + top.len() as u16, &chart)?;
    Ok(())
}

/// A column number for Excel, or an error past its last column.
fn col(i: usize) -> Result<u16> {
    u16::try_from(i)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| anyhow::anyhow!("more than 16 384 columns do not fit in a sheet"))
}

/// Every event on *Historik*, continued on *Historik 2* … when a sheet is full. Returns how
/// many sheets it took.
fn history_sheets(store: &Store, scope: &ReportScope, book: &mut Workbook) -> Result<usize> {
    let lang = scope.lang;
    let name = lang.pick("Historik", "History");
    let header: [&str; 11] = [
        "id",
        lang.pick("datum", "date"),
        lang.pick("metod", "method"),
        lang.pick("enhet", "unit"),
        lang.pick("steg", "stage"),
        lang.pick("notering", "note"),
        lang.pick("källa", "source"),
        lang.pick("registrerad av", "recorded by"),
        lang.pick("registrerad", "recorded at"),
        lang.pick("återkallad", "retracted"),
        lang.pick("skäl", "reason"),
    ];
    let bold = header_format();
    let start = |book: &mut Workbook, n: usize| -> Result<Worksheet, XlsxError> {
        let mut ws = book.new_worksheet_with_constant_memory()?;
        ws.set_name(if n == 1 {
            name.to_string()
        } else {
            format!("{name} {n}")
        })?;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        ws.set_column_width(5, 60)?;
        ws.set_column_width(2, 24)?;
        ws.set_freeze_panes(1, 0)?;
        Ok(ws)
    };
    let mut sheets: Vec<Worksheet> = vec![start(book, 1)?];
    let mut row = 1u32;
    let mut result: Result<()> = Ok(());
    store.for_each_history_event(&HistoryFilter::default(), |e| {
        if result.is_err() {
            return Ok(());
        }
        if row >= SHEET_ROWS {
            let n = sheets.len() + 1;
            match start(book, n) {
                Ok(ws) => sheets.push(ws),
                Err(err) => {
                    result = Err(err.into());
                    return Ok(());
                }
            }
            row = 1;
        }
        let Some(ws) = sheets.last_mut() else {
            return Ok(());
        };
        let write = (|| -> Result<(), XlsxError> {
            ws.write_number(row, 0, e.id as f64)?;
            ws.write_string(row, 1, printable(&e.date))?;
            ws.write_string(row, 2, printable(&e.method))?;
            ws.write_string(row, 3, printable(&e.unit))?;
            ws.write_string(row, 4, stage_text(e.stage, lang))?;
            ws.write_string(row, 5, printable(&e.note))?;
            ws.write_string(row, 6, printable(&e.source))?;
            ws.write_string(row, 7, printable(&e.recorded_by))?;
            ws.write_string(row, 8, printable(&e.recorded_at))?;
            if let Some(r) = &e.retraction {
                ws.write_string(row, 9, printable(&r.at))?;
                ws.write_string(row, 10, printable(&r.reason))?;
            }
            Ok(())
        })();
        if let Err(err) = write {
            result = Err(err.into());
        }
        row += 1;
        Ok(())
    })?;
    result?;
    // Every sheet but the last is full; the last ends where the history ended.
    let count = sheets.len();
    for (i, ws) in sheets.iter_mut().enumerate() {
        let rows = if i + 1 == count { row } else { SHEET_ROWS };
        ws.autofilter(0, 0, rows.saturating_sub(1).max(1), 10)?;
    }
    let n = sheets.len();
    for ws in sheets {
        book.push_worksheet(ws);
    }
    Ok(n)
}

fn units_sheet(store: &Store, scope: &ReportScope, ws: &mut Worksheet) -> Result<()> {
    let lang = scope.lang;
    ws.set_name(lang.pick("Enheter", "Units"))?;
    let bold = header_format();
    let header = [
        lang.pick("kod", "code"),
        lang.pick("namn", "name"),
        lang.pick("typ", "kind"),
        lang.pick("region", "region"),
        lang.pick("giltig från", "valid from"),
        lang.pick("giltig till", "valid to"),
        lang.pick("tog över efter", "took over from"),
        lang.pick("efterträdare", "succeeded by"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let units = store.units()?;
    for (i, u) in units.iter().enumerate() {
        let row = 1 + i as u32;
        let kind = crate::domain::UnitKind::parse(&u.kind)
            .map(|k| k.label(lang).to_string())
            .unwrap_or_else(|_| printable(&u.kind));
        let before = store.unit_detail(u.id, &scope.moment)?.predecessors;
        ws.write_string(row, 0, printable(&u.code))?;
        ws.write_string(row, 1, printable(&u.name))?;
        ws.write_string(row, 2, kind)?;
        ws.write_string(row, 3, printable(u.region.as_deref().unwrap_or("")))?;
        ws.write_string(
            row,
            4,
            u.valid_from.map(|d| d.to_string()).unwrap_or_default(),
        )?;
        ws.write_string(
            row,
            5,
            u.valid_to.map(|d| d.to_string()).unwrap_or_default(),
        )?;
        ws.write_string(row, 6, printable(&before.join(", ")))?;
        ws.write_string(row, 7, printable(u.successor.as_deref().unwrap_or("")))?;
    }
    ws.set_column_width(1, 36)?;
    ws.set_column_width(2, 22)?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, units.len().max(1) as u32, 7)?;
    Ok(())
}

fn about_sheet(
    store: &Store,
    scope: &ReportScope,
    history_sheets: usize,
    ws: &mut Worksheet,
) -> Result<()> {
    let lang = scope.lang;
    ws.set_name(lang.pick("Om rapporten", "About this report"))?;
    let bold = Format::new().set_bold();
    let known = scope
        .moment
        .known_at
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| {
            lang.pick("allt som registrerats", "everything recorded")
                .into()
        });
    let database = store
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut rows: Vec<(String, String)> = vec![
        (
            lang.pick("Läget den", "As of").into(),
            scope.moment.day.to_string(),
        ),
        (lang.pick("Som det var känt", "As known at").into(), known),
        (
            lang.pick("Föregångarnas historik", "Predecessors' history")
                .into(),
            if scope.roll_up {
                lang.pick("inräknad, i parentes", "folded in, in parentheses")
            } else {
                lang.pick("inte inräknad", "not folded in")
            }
            .into(),
        ),
        (
            lang.pick("Gjord", "Made at").into(),
            crate::store::now_utc(),
        ),
        (lang.pick("Av", "By").into(), printable(store.user())),
        (
            lang.pick("Från databasen", "From the database").into(),
            printable(&database),
        ),
    ];
    if history_sheets > 1 {
        rows.push((
            lang.pick("Historiken", "The history").into(),
            format!(
                "{} {history_sheets} {}",
                lang.pick("fortsätter på", "continues over"),
                lang.pick("blad", "sheets")
            ),
        ));
    }
    rows.push((String::new(), String::new()));
    rows.push((
        lang.pick("Stegen", "The stages").into(),
        lang.pick(
            "en enhets senaste händelse för metoden som gäller dagen, inte återkallad",
            "a unit's latest event for the method in effect by the day, not retracted",
        )
        .into(),
    ));
    for s in Stage::ALL {
        rows.push((stage_text(s, lang), s.code().to_string()));
    }
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string_with_format(i as u32, 0, k, &bold)?;
        ws.write_string(i as u32, 1, v)?;
    }
    ws.set_column_width(0, 30)?;
    ws.set_column_width(1, 70)?;
    Ok(())
}
