//! One-sheet workbooks for the command line: `matrix --format xlsx` and `history --format
//! xlsx`, the same rows as their CSV, for people who open them in a spreadsheet (no import
//! dialog, no character set or separator to choose, dates as dates). They print as the
//! report's sheets do.

use std::io::Write;

use anyhow::Result;
use rust_xlsxwriter::Workbook;

use super::cells::CellFormats;
use super::print::PageText;
use super::{
    SHEET_ROWS, event_row, header_format, history_header, matrix_sheet, save_zipped, without_panics,
};
use crate::i18n::Lang;
use crate::store::{HistoryEntry, HistoryFilter, Moment, RolledMatrix, Store};

/// `matrix --format xlsx`: the *Matris* sheet alone, as the report has it (legend, fills,
/// filter from the header, A4 landscape).
pub fn write_matrix_xlsx(
    store: &Store,
    matrix: &RolledMatrix,
    (moment, lang): (&Moment, Lang),
    out: &mut dyn Write,
) -> Result<()> {
    without_panics(|| {
        let page = PageText::new(&store.title_shown()?, &moment.day.to_string(), lang);
        let mut book = Workbook::new();
        matrix_sheet(
            (&matrix.units, &matrix.rows),
            (lang, moment.fresh_months),
            (1, &page),
            book.add_worksheet_with_constant_memory()?,
        )?;
        save_zipped(book, out)
    })
}

/// `history --format xlsx`: the events and confirmations of `filter` in the order they took
/// effect, each marked event or confirmation, on one sheet with filters. A history longer
/// than a sheet holds is refused before the file is kept (the report's workbook continues
/// it over sheets).
pub fn write_history_xlsx(
    store: &Store,
    filter: &HistoryFilter,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<()> {
    without_panics(|| {
        let day = crate::domain::EventDate::today().to_string();
        let page = PageText::new(&store.title_shown()?, &day, lang);
        let mut book = Workbook::new();
        let ws = book.add_worksheet_with_constant_memory()?;
        ws.set_name(lang.pick("Historik", "History"))?;
        let header = history_header(lang);
        let bold = header_format();
        for (c, h) in header
            .iter()
            .chain([&lang.pick("slag", "kind")])
            .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        let formats = CellFormats::new();
        let (event, confirmation) = (
            lang.pick("händelse", "event"),
            lang.pick("bekräftelse", "confirmation"),
        );
        let mut row = 0u32;
        let mut result: Result<()> = Ok(());
        store.for_each_history_entry(filter, |entry| {
            if result.is_err() {
                return Ok(());
            }
            row += 1;
            if row >= SHEET_ROWS {
                result = Err(anyhow::anyhow!(
                    "the history has more rows than a sheet holds ({}): choose a method or a unit (--method, --unit), or use `report --format xlsx`, whose history goes on over more sheets",
                    SHEET_ROWS - 1
                ));
                return Ok(());
            }
            let (e, kind) = match entry {
                HistoryEntry::Event(e) => (e, event),
                HistoryEntry::Confirmation(c) => (c.into_event_row(), confirmation),
            };
            let written = event_row(ws, row, &e, (lang, &formats))
                .and_then(|()| ws.write_string(row, 11, kind).map(|_| ()));
            if let Err(err) = written {
                result = Err(err.into());
            }
            Ok(())
        })?;
        result?;
        super::history_widths(ws)?;
        ws.autofilter(0, 0, row.max(1), 11)?;
        ws.set_column_width(11, 14)?;
        page.apply(ws, Some((0, 0)))?;
        save_zipped(book, out)
    })
}
