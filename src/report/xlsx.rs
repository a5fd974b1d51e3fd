//! The Excel workbook (`spridning report --format xlsx`), written with `rust_xlsxwriter`
//! (nothing hand-written in the file format):
//!
//! - *Matris*: methods × the units valid on the day, each cell the stage's glyph and word on
//!   a fill of its own (a legend row above the header, outside the autofilter that starts at
//!   the header), legend, header row and method column frozen and repeated on every printed
//!   page;
//! - *Spridning*: the spread figures per method and per unit as numbers (Excel sorts and
//!   charts them), and the table the chart reads;
//! - *Diagram*: a native line chart of the adoption curves of the methods most in use, on a
//!   chart sheet of its own (`chart`);
//! - *Utan besked*: the stages not heard from, oldest word first;
//! - *Historik*: every event of the methods shown, as an Excel table with filters, in
//!   constant memory, continued on *Historik 2* … if a sheet's rows run out (the Matris
//!   sheet's legend row and the first history sheet say so);
//! - *Enheter*: units with codes, kind, region, validity and lineage;
//! - *Om rapporten*: the day, what was known when, when and by whom it was made, from which
//!   database, what the stages mean and what every figure counts, in plain words.
//!
//! Every date is an Excel date (`cells`), every sheet prints on A4 landscape fit to the
//! page's width with its header rows repeated and the title, day and page numbers in the
//! page's header and footer, and columns are as wide as what they hold (`print`).

mod cells;
mod chart;
mod print;
mod single;

pub use single::{write_history_xlsx, write_matrix_xlsx};

use std::io::{Seek, Write};

use anyhow::Result;
use rust_xlsxwriter::{
    Color, Format, FormatBorder, Table, TableColumn, TableStyle, Workbook, Worksheet, XlsxError,
};

use cells::CellFormats;
use chart::Curves;
use print::{PageText, fit_column, wrapped_height};
use unicode_width::UnicodeWidthStr;

use super::{ReportData, ReportScope, cell_text, figure_headings, fill, known_text, stage_text};
use crate::domain::text::{printable, printable_cow};
use crate::domain::{EventRow, Method, Stage, Unit};
use crate::i18n::Lang;
use crate::store::{Metrics, RolledCell, Store};

/// Rows a worksheet holds (Excel's limit), the header included.
const SHEET_ROWS: u32 = 1_048_576;

fn stage_format(stage: Stage) -> Format {
    Format::new()
        .set_background_color(Color::RGB(fill(stage)))
        .set_border(FormatBorder::Thin)
        .set_border_color(Color::RGB(0xBFBFBF))
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xF2F2F2))
        .set_border_bottom(FormatBorder::Thin)
}

/// Writes the workbook to `out`: every sheet in constant memory, the whole zipped through a
/// temporary file.
pub fn write_xlsx(store: &Store, scope: &ReportScope, out: &mut dyn Write) -> Result<()> {
    without_panics(|| workbook(store, scope, HISTORY_ROWS, out))
}

/// Runs `f`, turning a panic into an error. rust_xlsxwriter's constant-memory sheets write
/// their rows to a temporary file and panic when that fails (a full disk, a file-size
/// limit); this makes it an I/O error of the kind its message names, which the person then
/// hears about in words (see `output_file`), on one line. The panic hook is silenced
/// meanwhile: the command line runs one thing at a time.
fn without_panics(f: impl FnOnce() -> Result<()>) -> Result<()> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    match done {
        Ok(result) => result,
        Err(payload) => {
            let text = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            use std::io::ErrorKind;
            let kind = [
                ErrorKind::StorageFull,
                ErrorKind::FileTooLarge,
                ErrorKind::QuotaExceeded,
            ]
            .into_iter()
            .find(|k| text.contains(&format!("{k:?}")))
            .unwrap_or(ErrorKind::Other);
            Err(std::io::Error::new(kind, format!("the Excel writer failed: {text}")).into())
        }
    }
}

/// The workbook, with at most `per_sheet` events on a history sheet (a test sets it low).
fn workbook(
    store: &Store,
    scope: &ReportScope,
    per_sheet: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let data = ReportData::read(store, scope)?;
    let page = PageText::new(&data.title, &scope.moment.day.to_string(), scope.lang);
    // Known before the first row is written: the history's sheets, each an Excel table.
    let events = store.event_count_of(scope.only())?;
    let history_sheets = events.div_ceil(per_sheet).max(1);
    let mut book = Workbook::new();
    // Level 3, not the zip default 6: at L saving took 7 s of the workbook's 22 and now
    // takes 3.5, for a file a fifth larger (60 MB, not 51).
    book.set_zip_compression_level(3);
    matrix_sheet(
        (&data.units, &data.rows),
        (scope.lang, scope.moment.fresh_months),
        (history_sheets, &page),
        book.add_worksheet_with_constant_memory()?,
    )?;
    let curves = Curves::of(&data, scope);
    let spread = spread_sheet(
        &data,
        scope,
        (curves.as_ref(), &page),
        book.add_worksheet_with_constant_memory()?,
    )?;
    if let Some((curves, (sheet, top))) = curves.as_ref().zip(spread) {
        let diagram = book.add_chartsheet();
        diagram.set_name("Diagram")?;
        page.apply_to_chart(diagram);
        diagram.insert_chart(0, 0, &curves.chart(&sheet, top, scope.lang))?;
    }
    not_heard_sheet(
        &data,
        scope,
        &page,
        book.add_worksheet_with_constant_memory()?,
    )?;
    if let Some(report) = &data.round {
        round_sheet(
            report,
            scope,
            &page,
            book.add_worksheet_with_constant_memory()?,
        )?;
    }
    history_sheets_write(store, scope, (events, per_sheet), &page, &mut book)?;
    units_sheet(
        store,
        scope,
        &page,
        book.add_worksheet_with_constant_memory()?,
    )?;
    about_sheet(
        &data,
        scope,
        (history_sheets, &page),
        book.add_worksheet_with_constant_memory()?,
    )?;
    save_zipped(book, out)
}

/// Saves `book` to `out`, zipped into a file of its own as it is made (an anonymous
/// temporary file, gone when closed), then copied out: a workbook is never whole in memory
/// (at L, built in memory and zipped there, it peaked at 370 MB).
fn save_zipped(mut book: Workbook, out: &mut dyn Write) -> Result<()> {
    let mut zipped = tempfile::tempfile()?;
    book.save_to_writer(&mut zipped)?;
    zipped.seek(std::io::SeekFrom::Start(0))?;
    std::io::copy(&mut zipped, out)?;
    Ok(())
}

/// The history's sheet names: "Historik", "Historik 2", …
fn history_name(lang: Lang, n: usize) -> String {
    let name = lang.pick("Historik", "History");
    if n == 1 {
        name.to_string()
    } else {
        format!("{name} {n}")
    }
}

/// "The history continues on Historik 2 – Historik 3", when it does.
fn continued_text(lang: Lang, sheets: usize) -> Option<String> {
    (sheets > 1).then(|| {
        format!(
            "{} {} – {} ({})",
            lang.pick(
                "Historiken fortsätter på bladen",
                "The history continues on the sheets"
            ),
            history_name(lang, 2),
            history_name(lang, sheets),
            lang.pick(
                "ett blad rymmer 1 048 575 händelser",
                "a sheet holds 1,048,575 events"
            ),
        )
    })
}

/// The methods (rows) × units (columns) of a matrix, each cell its stage's glyph and word
/// on its fill: the report's *Matris*, and `matrix --format xlsx`.
type MatrixRows<'a> = (&'a [Unit], &'a [(Method, Vec<Option<RolledCell>>)]);

fn matrix_sheet(
    (units, rows): MatrixRows,
    (lang, fresh_months): (Lang, u32),
    (history_sheets, page): (usize, &PageText),
    ws: &mut Worksheet,
) -> Result<()> {
    ws.set_name(lang.pick("Matris", "Matrix"))?;
    let header = header_format();
    // Above the header, outside the filtered range (sorting or filtering never moves or
    // hides it): what each fill means, and where the history continues.
    const LEGEND: u32 = 0;
    const HEADER: u32 = 1;
    let legend: Vec<String> = Stage::ALL.iter().map(|s| stage_text(*s, lang)).collect();
    // Each unit's column as wide as its widest cell (the legend's word above it counted),
    // measured without making the cells' text (at L a million strings, 40 MB): a cell is
    // its stage's words, two parentheses when inherited and the stale mark.
    let stage_width: Vec<usize> = legend.iter().map(|t| t.as_str().width()).collect();
    let cell_width = |c: &RolledCell| {
        stage_width[c.stage.index()] + 2 * usize::from(c.inherited()) + usize::from(c.stale)
    };
    let mut widths: Vec<usize> = units.iter().map(|u| u.code.as_str().width()).collect();
    for (_, cells) in rows {
        for (w, cell) in widths.iter_mut().zip(cells) {
            if let Some(c) = cell {
                *w = (*w).max(cell_width(c));
            }
        }
    }
    for (i, w) in widths.iter().enumerate() {
        let above = legend.get(i).map_or(0, |t| t.as_str().width());
        ws.set_column_width(col(i + 1)?, print::width_of((*w).max(above), (6.0, 28.0)))?;
    }
    let labels: Vec<String> = rows.iter().map(|(m, _)| printable(m.label())).collect();
    fit_column(
        ws,
        0,
        labels
            .iter()
            .map(String::as_str)
            .chain([lang.pick("Teckenförklaring:", "Legend:")]),
        (12.0, 40.0),
    )?;
    for (i, (stage, text)) in Stage::ALL.iter().zip(&legend).enumerate() {
        ws.write_string_with_format(LEGEND, col(i + 1)?, text, &stage_format(*stage))?;
    }
    ws.write_string(LEGEND, 0, lang.pick("Teckenförklaring:", "Legend:"))?;
    ws.write_string(
        LEGEND,
        col(Stage::ALL.len() + 1)?,
        format!(
            "{} {}",
            crate::domain::age::STALE_MARK,
            crate::domain::age::stale_words(fresh_months, lang)
        ),
    )?;
    if let Some(text) = continued_text(lang, history_sheets) {
        ws.write_string(LEGEND, col(Stage::ALL.len() + 2)?, text)?;
    }
    // The workbook is written in constant memory: row by row, the legend first.
    ws.write_string_with_format(HEADER, 0, lang.pick("Metod", "Method"), &header)?;
    for (i, u) in units.iter().enumerate() {
        ws.write_string_with_format(HEADER, col(i + 1)?, printable(&u.code), &header)?;
    }
    let first = 2u32;
    let fills: Vec<Format> = Stage::ALL.iter().map(|s| stage_format(*s)).collect();
    for (r, (label, (_, cells))) in labels.iter().zip(rows).enumerate() {
        let row_at = first + r as u32;
        ws.write_string(row_at, 0, label)?;
        for (c, cell) in cells.iter().enumerate() {
            if let Some(cell) = cell {
                let fill = &fills[cell.stage.index()];
                ws.write_string_with_format(row_at, col(c + 1)?, cell_text(cell, lang), fill)?;
            }
        }
    }
    let last_row = first + rows.len().max(1) as u32 - 1;
    ws.set_freeze_panes(HEADER + 1, 1)?;
    ws.autofilter(HEADER, 0, last_row, col(units.len())?)?;
    page.apply(ws, Some((LEGEND, HEADER)))?;
    Ok(())
}

/// The spread figures as numbers, per method then per unit, and the table the *Diagram*
/// sheet's chart reads. Returns the sheet's name and the table's first row, when there is
/// one.
fn spread_sheet(
    data: &ReportData,
    scope: &ReportScope,
    (curves, page): (Option<&Curves>, &PageText),
    ws: &mut Worksheet,
) -> Result<Option<(String, u32)>> {
    let lang = scope.lang;
    let name = lang.pick("Spridning", "Spread");
    ws.set_name(name)?;
    let header: Vec<&str> = [
        lang.pick("metod / enhet", "method / unit"),
        lang.pick("namn", "name"),
    ]
    .into_iter()
    .chain(figure_headings(lang))
    .collect();
    let formats = CellFormats::new();
    let after_methods = figures_block(ws, 0, &header, &data.method_metrics, &formats)?;
    let after_units = figures_block(ws, after_methods + 1, &header, &data.unit_metrics, &formats)?;
    let all = || data.method_metrics.iter().chain(&data.unit_metrics);
    fit_column(ws, 0, all().map(|m| m.label.as_str()), (10.0, 45.0))?;
    let names = all().filter(|m| m.name != m.label).map(|m| m.name.as_str());
    fit_column(ws, 1, names, (10.0, 45.0))?;
    for (c, h) in header.iter().enumerate().skip(2) {
        fit_column(ws, c as u16, [*h, "2004-01-01"], (8.0, 18.0))?;
    }
    ws.set_freeze_panes(1, 1)?;
    page.apply(ws, Some((0, 0)))?;
    let Some(curves) = curves else {
        return Ok(None);
    };
    let top = after_units + 2;
    curves.write_table(ws, top, lang)?;
    Ok(Some((name.to_string(), top)))
}

/// One block of figures from row `top`: the header, then a row per method or unit. Returns
/// the row after it.
fn figures_block(
    ws: &mut Worksheet,
    top: u32,
    header: &[&str],
    rows: &[Metrics],
    formats: &CellFormats,
) -> Result<u32> {
    let bold = header_format().set_text_wrap();
    let percent = Format::new().set_num_format("0%");
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(top, c as u16, *h, &bold)?;
    }
    for (i, m) in rows.iter().enumerate() {
        let r = top + 1 + i as u32;
        ws.write_string(r, 0, printable(&m.label))?;
        // A method without a short name is named once (its label is its name).
        if m.name != m.label {
            ws.write_string(r, 1, printable(&m.name))?;
        }
        ws.write_number(r, 2, m.reached)?;
        ws.write_number(r, 3, m.in_use)?;
        ws.write_number_with_format(r, 4, m.share, &percent)?;
        formats.write_day_opt(ws, (r, 5), m.first_pilot)?;
        if let Some(months) = m.median_months {
            ws.write_number(r, 6, (months * 10.0).round() / 10.0)?;
        }
        ws.write_number(r, 7, m.on_the_way)?;
        ws.write_number(r, 8, m.preparing)?;
        ws.write_number(r, 9, m.stalled)?;
        ws.write_number(r, 10, m.not_heard_from)?;
        ws.write_number(r, 11, m.sustained)?;
        ws.write_number(r, 12, m.paused)?;
        ws.write_number(r, 13, m.discontinued)?;
    }
    Ok(top + 1 + rows.len() as u32)
}

/// A column number for Excel, or an error past its last column.
fn col(i: usize) -> Result<u16> {
    u16::try_from(i)
        .ok()
        .filter(|c| *c < 16_384)
        .ok_or_else(|| anyhow::anyhow!("more than 16 384 columns do not fit in a sheet"))
}

/// Rows of events a history sheet holds (its first row is the table's header).
const HISTORY_ROWS: usize = SHEET_ROWS as usize - 1;

/// Up to this many events a history sheet is an Excel table; beyond, a plain range with an
/// autofilter (the same filter buttons). `rust_xlsxwriter` keeps every cell of a table in a
/// map to check that tables do not overlap: at a million events a peak of 522 MB instead of
/// 154 MB and 11 s more (measured on the L register), against the 200 MB.
const TABLE_ROWS: usize = 200_000;

/// Every event of the methods shown, on *Historik*, continued on *Historik 2* … when a sheet
/// is full; each sheet an Excel table (filters, banded rows) over exactly its rows, which is
/// why `events` is counted first: in constant memory a row cannot be gone back to.
fn history_sheets_write(
    store: &Store,
    scope: &ReportScope,
    (events, per_sheet): (usize, usize),
    page: &PageText,
    book: &mut Workbook,
) -> Result<()> {
    let lang = scope.lang;
    let sheets = HistorySheets {
        header: history_header(lang),
        lang,
        events,
        per_sheet,
        page,
        formats: CellFormats::new(),
    };
    let mut sheet: Worksheet = sheets.start(book, 1)?;
    let mut n = 1;
    let mut row = 1u32;
    let mut result: Result<()> = Ok(());
    store.for_each_event_of(scope.only(), |e| {
        if result.is_err() {
            return Ok(());
        }
        if row as usize > per_sheet {
            n += 1;
            match sheets.start(book, n) {
                Ok(next) => book.push_worksheet(std::mem::replace(&mut sheet, next)),
                Err(err) => {
                    result = Err(err.into());
                    return Ok(());
                }
            }
            row = 1;
        }
        if let Err(err) = event_row(&mut sheet, row, &e, (lang, &sheets.formats)) {
            result = Err(err.into());
        }
        row += 1;
        Ok(())
    })?;
    result?;
    book.push_worksheet(sheet);
    Ok(())
}

/// The history sheets' column names.
fn history_header(lang: Lang) -> [&'static str; 11] {
    [
        "id",
        lang.pick("datum", "date"),
        lang.pick("metod", "method"),
        lang.pick("enhet", "unit"),
        lang.pick("steg", "stage"),
        lang.pick("notering", "note"),
        lang.pick("källa", "source"),
        lang.pick("registrerad av", "recorded by"),
        lang.pick("registrerad (UTC)", "recorded at (UTC)"),
        lang.pick("återkallad (UTC)", "retracted (UTC)"),
        lang.pick("skäl", "reason"),
    ]
}

/// How the history is laid out on its sheets.
struct HistorySheets<'a> {
    header: [&'static str; 11],
    lang: Lang,
    /// Events in all.
    events: usize,
    /// Events a sheet holds.
    per_sheet: usize,
    /// How each sheet prints.
    page: &'a PageText,
    /// The dates', times' and notes' formats, shared by every row.
    formats: CellFormats,
}

impl HistorySheets<'_> {
    /// History sheet `n` (from 1), its header written: an Excel table over exactly its rows,
    /// or a plain range with an autofilter when it has none or too many for a table; the
    /// first says where the history continues.
    fn start(&self, book: &mut Workbook, n: usize) -> Result<Worksheet, XlsxError> {
        let (header, lang) = (&self.header, self.lang);
        let mut ws = book.new_worksheet_with_constant_memory()?;
        ws.set_name(history_name(lang, n))?;
        let rows = self
            .events
            .saturating_sub((n - 1) * self.per_sheet)
            .min(self.per_sheet) as u32;
        if rows == 0 || rows as usize > TABLE_ROWS {
            // No events (a table needs a row of data), or too many for a table: the header
            // and a worksheet autofilter, the same filter buttons.
            for (c, h) in header.iter().enumerate() {
                ws.write_string_with_format(0, c as u16, *h, &header_format())?;
            }
            ws.autofilter(0, 0, rows.max(1), 10)?;
        } else {
            let columns: Vec<TableColumn> = header
                .iter()
                .map(|h| TableColumn::new().set_header(*h))
                .collect();
            let table = Table::new()
                .set_columns(&columns)
                .set_style(TableStyle::Light9)
                .set_name(format!("{}{n}", lang.pick("Historik", "History")));
            ws.add_table(0, 0, rows, 10, &table)?;
        }
        let sheets = self.events.div_ceil(self.per_sheet).max(1);
        if n == 1
            && let Some(text) = continued_text(lang, sheets)
        {
            ws.write_string(0, 12, text)?;
        }
        history_widths(&mut ws)?;
        ws.set_freeze_panes(1, 0)?;
        self.page.apply(&mut ws, Some((0, 0)))?;
        Ok(ws)
    }
}

/// The history sheets' widths of the note and of the retraction's reason (columns 5, 10).
const NOTE_WIDTH: f64 = 50.0;
const REASON_WIDTH: f64 = 30.0;

/// A history sheet's rows up to this one are as tall as their wrapped notes. A row's height
/// is kept in memory until the workbook is saved (some 500 bytes: 20 000 rows took 10.7 MB at L,
/// measured with heaptrack). Beyond it a note stays one line high (the
/// whole note is in the cell); five thousand rows are some two hundred printed pages.
const TALL_ROWS: u32 = 5_000;

/// A history sheet's column widths, for what the columns usually hold (in constant memory
/// a sheet's rows are not known before they are written); a long note or reason wraps.
fn history_widths(ws: &mut Worksheet) -> Result<(), XlsxError> {
    let widths = [
        8.0, 11.0, 22.0, 8.0, 24.0, NOTE_WIDTH, 24.0, 14.0, 19.0, 19.0,
    ];
    for (c, width) in widths.into_iter().chain([REASON_WIDTH]).enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    Ok(())
}

/// One event on a history sheet's `row`: its dates as Excel dates (a month as the first of
/// the month), its times as UTC date-times, its note wrapped.
fn event_row(
    ws: &mut Worksheet,
    row: u32,
    e: &EventRow,
    (lang, formats): (Lang, &CellFormats),
) -> Result<(), XlsxError> {
    if row <= TALL_ROWS {
        let reason = e.retraction.as_ref().map_or("", |r| r.reason.as_str());
        if let Some(h) = wrapped_height([(e.note.as_str(), NOTE_WIDTH), (reason, REASON_WIDTH)]) {
            ws.set_row_height(row, h)?;
        }
    }
    ws.write_number(row, 0, e.id as f64)?;
    formats.write_event_date(ws, (row, 1), &e.date)?;
    ws.write_string(row, 2, printable_cow(&e.method))?;
    ws.write_string(row, 3, printable_cow(&e.unit))?;
    ws.write_string(row, 4, stage_text(e.stage, lang))?;
    ws.write_string_with_format(row, 5, printable_cow(&e.note), &formats.wrap)?;
    ws.write_string(row, 6, printable_cow(&e.source))?;
    ws.write_string(row, 7, printable_cow(&e.recorded_by))?;
    formats.write_time(ws, (row, 8), &e.recorded_at)?;
    if let Some(r) = &e.retraction {
        formats.write_time(ws, (row, 9), &r.at)?;
        ws.write_string_with_format(row, 10, printable_cow(&r.reason), &formats.wrap)?;
    }
    Ok(())
}

/// The stages not heard from in the fresh months, oldest word first: whom to ask.
fn not_heard_sheet(
    data: &ReportData,
    scope: &ReportScope,
    page: &PageText,
    ws: &mut Worksheet,
) -> Result<()> {
    let formats = CellFormats::new();
    let lang = scope.lang;
    ws.set_name(lang.pick("Utan besked", "Not heard from"))?;
    let bold = header_format();
    let header = [
        lang.pick("metod", "method"),
        lang.pick("enhet", "unit"),
        lang.pick("steg", "stage"),
        lang.pick("sedan", "since"),
        lang.pick("senast hörd", "last heard"),
        lang.pick("månader sedan", "months since"),
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, s) in data.not_heard_from.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, printable(&s.method))?;
        ws.write_string(row, 1, printable(&s.unit))?;
        ws.write_string_with_format(row, 2, stage_text(s.stage, lang), &stage_format(s.stage))?;
        formats.write_event_date(ws, (row, 3), &s.since_shown())?;
        formats.write_event_date(ws, (row, 4), &s.heard_shown())?;
        ws.write_number(row, 5, s.months)?;
    }
    let list = &data.not_heard_from;
    fit_column(
        ws,
        0,
        list.iter().map(|s| s.method.as_str()).chain([header[0]]),
        (10.0, 40.0),
    )?;
    fit_column(
        ws,
        1,
        list.iter().map(|s| s.unit.as_str()).chain([header[1]]),
        (8.0, 30.0),
    )?;
    fit_column(
        ws,
        2,
        Stage::ALL.iter().map(|s| s.label(lang)),
        (12.0, 28.0),
    )?;
    for (c, h) in header.iter().enumerate().skip(3) {
        fit_column(ws, c as u16, [*h, "2004-01-01"], (8.0, 18.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, list.len().max(1) as u32, 5)?;
    page.apply(ws, Some((0, 0)))?;
    Ok(())
}

/// An inventory round's report: what changed since the previous round, and who did not
/// answer every question, as sections of one sheet.
fn round_sheet(
    report: &crate::store::RoundReport,
    scope: &ReportScope,
    page: &PageText,
    ws: &mut Worksheet,
) -> Result<()> {
    let lang = scope.lang;
    ws.set_name(lang.pick("Inventering", "Round"))?;
    let formats = CellFormats::new();
    let bold = header_format();
    let since = super::round_since(report, lang);
    ws.write_string_with_format(
        0,
        0,
        format!("{} — {since}", printable(&report.round.name)),
        &bold,
    )?;
    let mut row = 2u32;
    let header = [
        lang.pick("metod", "method"),
        lang.pick("enhet", "unit"),
        lang.pick("steg", "stage"),
        lang.pick("datum", "date"),
        lang.pick("av", "by"),
    ];
    let events = super::round_sections(report, lang);
    for (title, list) in events {
        ws.write_string_with_format(row, 0, format!("{title} ({})", list.len()), &bold)?;
        row += 1;
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(row, c as u16, *h, &bold)?;
        }
        row += 1;
        for l in list {
            ws.write_string(row, 0, printable(&l.method))?;
            ws.write_string(row, 1, printable(&l.unit))?;
            ws.write_string_with_format(row, 2, stage_text(l.stage, lang), &stage_format(l.stage))?;
            formats.write_event_date(ws, (row, 3), &l.date)?;
            ws.write_string(row, 4, printable(&l.by))?;
            row += 1;
        }
        row += 1;
    }
    ws.write_string_with_format(
        row,
        0,
        format!(
            "{} ({})",
            lang.pick(
                "Enheter som inte svarat på allt",
                "Units that did not answer every question"
            ),
            report.unanswered.len()
        ),
        &bold,
    )?;
    row += 1;
    for (c, h) in [
        lang.pick("enhet", "unit"),
        lang.pick("besvarade", "answered"),
        lang.pick("frågor", "questions"),
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &bold)?;
    }
    row += 1;
    for p in &report.unanswered {
        ws.write_string(row, 0, printable(&p.code))?;
        ws.write_number(row, 1, p.answered)?;
        ws.write_number(row, 2, p.total)?;
        row += 1;
    }
    for (c, width) in [40, 12, 26, 12, 16].into_iter().enumerate() {
        ws.set_column_width(c as u16, width)?;
    }
    page.apply(ws, None)?;
    Ok(())
}

/// The width of the units sheet's predecessors (wrapped).
const LINEAGE_WIDTH: f64 = 30.0;

fn units_sheet(
    store: &Store,
    scope: &ReportScope,
    page: &PageText,
    ws: &mut Worksheet,
) -> Result<()> {
    let lang = scope.lang;
    let formats = CellFormats::new();
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
    let predecessors = store.predecessors(None)?;
    for (i, u) in units.iter().enumerate() {
        let row = 1 + i as u32;
        let kind = u.kind.label(lang).to_string();
        let before = printable(
            &predecessors
                .get(&u.id)
                .cloned()
                .unwrap_or_default()
                .join(", "),
        );
        if let Some(h) = wrapped_height([(before.as_str(), LINEAGE_WIDTH)]) {
            ws.set_row_height(row, h)?;
        }
        ws.write_string(row, 0, printable(&u.code))?;
        ws.write_string(row, 1, printable(&u.name))?;
        ws.write_string(row, 2, kind)?;
        ws.write_string(row, 3, printable(u.region.as_deref().unwrap_or("")))?;
        formats.write_day_opt(ws, (row, 4), u.valid_from)?;
        formats.write_day_opt(ws, (row, 5), u.valid_to)?;
        ws.write_string_with_format(row, 6, &before, &formats.wrap)?;
        ws.write_string(row, 7, printable(u.successor.as_deref().unwrap_or("")))?;
    }
    fit_column(
        ws,
        0,
        units.iter().map(|u| u.code.as_str()).chain([header[0]]),
        (6.0, 16.0),
    )?;
    fit_column(ws, 1, units.iter().map(|u| u.name.as_str()), (12.0, 40.0))?;
    fit_column(ws, 2, units.iter().map(|u| u.kind.label(lang)), (8.0, 24.0))?;
    let regions = units.iter().filter_map(|u| u.region.as_deref());
    fit_column(ws, 3, regions.chain([header[3]]), (8.0, 20.0))?;
    for c in [4, 5] {
        fit_column(ws, c, [header[c as usize], "2004-01-01"], (11.0, 14.0))?;
    }
    ws.set_column_width(6, LINEAGE_WIDTH)?;
    fit_column(ws, 7, [header[7]], (12.0, 16.0))?;
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, units.len().max(1) as u32, 7)?;
    page.apply(ws, Some((0, 0)))?;
    Ok(())
}

/// What the report shows and what every figure counts, as label and text in two columns,
/// in plain words of the report's language (`words`), the text wrapped.
fn about_sheet(
    data: &ReportData,
    scope: &ReportScope,
    (history_sheets, page): (usize, &PageText),
    ws: &mut Worksheet,
) -> Result<()> {
    let lang = scope.lang;
    ws.set_name(lang.pick("Om rapporten", "About this report"))?;
    let bold = Format::new()
        .set_bold()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let wrap = CellFormats::new().wrap;
    let mut rows = about_front(data, scope);
    if let Some(text) = continued_text(lang, history_sheets) {
        rows.push((lang.pick("Historiken", "The history").into(), text));
    }
    rows.push((
        lang.pick("Datum och tider", "Dates and times").into(),
        super::words::dates_in_words(lang).into(),
    ));
    rows.extend(about_definitions(scope));
    const LABEL: f64 = 28.0;
    const TEXT: f64 = 90.0;
    ws.set_column_width(0, LABEL)?;
    ws.set_column_width(1, TEXT)?;
    for (i, (k, v)) in rows.iter().enumerate() {
        if let Some(h) = wrapped_height([(k.as_str(), LABEL), (v.as_str(), TEXT)]) {
            ws.set_row_height(i as u32, h)?;
        }
        ws.write_string_with_format(i as u32, 0, k, &bold)?;
        ws.write_string_with_format(i as u32, 1, v, &wrap)?;
    }
    page.apply(ws, None)?;
    Ok(())
}

/// The report's front matter: title, day, knowledge, roll-up, methods, when, by whom and
/// from which database.
fn about_front(data: &ReportData, scope: &ReportScope) -> Vec<(String, String)> {
    let lang = scope.lang;
    vec![
        (lang.pick("Titel", "Title").into(), printable(&data.title)),
        (
            lang.pick("Läget den", "As of").into(),
            scope.moment.day.to_string(),
        ),
        (
            lang.pick("Som det var känt", "As known at").into(),
            known_text(&scope.moment, lang),
        ),
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
            lang.pick("Metoder", "Methods").into(),
            match &scope.methods {
                None => lang.pick("alla", "all").to_string(),
                Some(_) => data
                    .rows
                    .iter()
                    .map(|(m, _)| printable(m.label()))
                    .collect::<Vec<_>>()
                    .join(", "),
            },
        ),
        (
            lang.pick("Gjord", "Made").into(),
            super::html::made_in_words(&data.made_at, lang),
        ),
        (lang.pick("Av", "By").into(), printable(&data.made_by)),
        (
            lang.pick("Från databasen", "From the database").into(),
            data.database.clone(),
        ),
    ]
}

/// What the stages mean and what every figure counts, after an empty row each.
fn about_definitions(scope: &ReportScope) -> Vec<(String, String)> {
    use super::words::{curve_in_words, figures_in_words, stage_rule};
    let lang = scope.lang;
    let fresh = scope.moment.fresh_months;
    let mut rows = vec![(String::new(), String::new())];
    rows.push((
        lang.pick("Stegen", "The stages").into(),
        stage_rule(lang).into(),
    ));
    for s in Stage::ALL {
        rows.push((stage_text(s, lang), s.meaning(lang).to_string()));
    }
    rows.push((
        crate::domain::age::STALE_MARK.to_string(),
        crate::domain::age::stale_words(fresh, lang),
    ));
    rows.push((String::new(), String::new()));
    rows.push((
        lang.pick("Talen", "The figures").into(),
        lang.pick(
            "vad varje tal på bladet Spridning räknar",
            "what each figure on the Spread sheet counts",
        )
        .into(),
    ));
    for (name, text) in figures_in_words(lang, fresh, scope.metrics().stalled_after) {
        rows.push((name.to_string(), text));
    }
    rows.push((
        lang.pick("Diagram", "Diagram").into(),
        curve_in_words(lang, fresh),
    ));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    /// A history longer than a sheet continues on the next, each sheet an Excel table over
    /// its rows, and the first sheet and the Matris sheet say so (with 20 events a sheet
    /// standing in for Excel's million).
    #[test]
    fn a_long_history_continues_on_more_sheets_and_says_so() {
        let dir = tempfile::tempdir().expect("a folder");
        let path = dir.path().join("sample.db");
        std::fs::copy(crate::sample::pristine(), &path).expect("the sample");
        let store = Store::open(&path, "tester").expect("open");
        let events = store.event_count().expect("count");
        assert!(events > 40, "the sample has {events} events");
        let scope = ReportScope {
            moment: crate::store::Moment::today(),
            roll_up: false,
            lang: Lang::Sv,
            methods: None,
            round: None,
            full: false,
        };
        let mut bytes = Vec::new();
        workbook(&store, &scope, 20, &mut bytes).expect("the workbook");
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).expect("an xlsx");
        let sheets = events.div_ceil(20);
        let names = book.sheet_names();
        assert_eq!(names[3], "Utan besked");
        assert_eq!(names[4], "Historik");
        assert_eq!(names[3 + sheets], format!("Historik {sheets}"));
        let mut rows = 0;
        for n in 1..=sheets {
            let range = book
                .worksheet_range(&history_name(Lang::Sv, n))
                .expect("a sheet");
            assert_eq!(range.get((0, 0)), Some(&Data::String("id".into())));
            let ids = (1..range.height())
                .filter(|r| matches!(range.get((*r, 0)), Some(Data::Float(_))))
                .count();
            assert!(ids <= 20 && ids > 0, "sheet {n}: {ids} rows");
            rows += ids;
        }
        assert_eq!(rows, events);
        let said = format!("Historiken fortsätter på bladen Historik 2 – Historik {sheets}");
        let first = book.worksheet_range("Historik").expect("Historik");
        assert!(matches!(first.get((0, 12)), Some(Data::String(s)) if s.starts_with(&said)));
        let matrix = book.worksheet_range("Matris").expect("Matris");
        let legend_row: Vec<String> = (0..matrix.width())
            .map(|c| {
                matrix
                    .get((0, c))
                    .map(|d| d.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert!(
            legend_row.iter().any(|c| c.starts_with(&said)),
            "{legend_row:?}"
        );
        book.load_tables().expect("tables");
        assert_eq!(book.table_names_in_sheet("Historik 2").len(), 1);
    }
}
