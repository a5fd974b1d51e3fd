//! How every sheet prints and how wide its columns are: A4 landscape fit to the page's
//! width (A4 is the paper of Sweden and of the city's offices, also for an English report),
//! the header rows on every page, the report's title, day and page numbers in the page
//! header and footer; columns as wide as what they hold, within reason.

use rust_xlsxwriter::{Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::i18n::Lang;

/// Excel's paper size code for A4.
const A4: u8 = 9;

/// What every printed page of the workbook says besides its sheet.
pub struct PageText {
    /// The register's title (escaped for a header: `&` is a code there).
    title: String,
    /// "Läget den 2026-12-04" / "As of 2026-12-04".
    day: String,
    /// "Sida &P av &N" / "Page &P of &N".
    pages: &'static str,
}

impl PageText {
    pub fn new(title: &str, day: &str, lang: Lang) -> PageText {
        // Excel refuses a header of 255 characters or more, codes included: a title is cut
        // to fit (it is whole on the Om rapporten sheet).
        let title: String = title.replace('&', "&&").chars().take(120).collect();
        PageText {
            title,
            day: format!("{} {day}", lang.pick("Läget den", "As of")),
            pages: lang.pick("Sida &P av &N", "Page &P of &N"),
        }
    }

    /// A4 landscape, fit to one page wide (as many tall as it takes), `repeat` (first and
    /// last row) printed at the top of every page; the title and sheet name in the page
    /// header, the day and page numbers in the footer.
    pub fn apply(&self, ws: &mut Worksheet, repeat: Option<(u32, u32)>) -> Result<(), XlsxError> {
        ws.set_paper_size(A4);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        if let Some((first, last)) = repeat {
            ws.set_repeat_rows(first, last)?;
        }
        ws.set_header(format!("&L&\"-,Bold\"{}&R&A", self.title));
        ws.set_footer(format!("&L{}&R{}", self.day, self.pages));
        Ok(())
    }

    /// A chart sheet: A4 landscape, the same header and footer (it prints on one page).
    pub fn apply_to_chart(&self, ws: &mut Worksheet) {
        ws.set_paper_size(A4);
        ws.set_landscape();
        ws.set_header(format!("&L&\"-,Bold\"{}&R&A", self.title));
        ws.set_footer(format!("&L{}&R{}", self.day, self.pages));
    }
}

/// A column's width (in Excel's character widths) for the longest of `texts`, with two
/// widths of room (glyphs such as ● and ◐ are drawn wider than a digit in Excel's default
/// font), between `min` and `max` (longer text wraps or is cut at the cell's edge).
pub fn width_for<'a>(texts: impl IntoIterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let widest = texts
        .into_iter()
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0);
    width_of(widest, (min, max))
}

/// A column's width for text `widest` characters wide (see `width_for`).
pub fn width_of(widest: usize, (min, max): (f64, f64)) -> f64 {
    (widest as f64 + 2.0).clamp(min, max)
}

/// Sets column `col`'s width to fit `texts` (see `width_for`).
pub fn fit_column<'a>(
    ws: &mut Worksheet,
    col: u16,
    texts: impl IntoIterator<Item = &'a str>,
    (min, max): (f64, f64),
) -> Result<(), XlsxError> {
    ws.set_column_width(col, width_for(texts, min, max))?;
    Ok(())
}

/// Points a line of text takes in Excel's default font (Calibri 11).
const LINE_HEIGHT: f64 = 15.0;

/// The height (points) of a row whose wrapped `texts` each stand in a column as wide as
/// given (Excel's character widths), or `None` when every text fits on one line. Neither
/// Excel nor LibreOffice grows a row for wrapped text in a file they open, so the workbook
/// says how tall each row is. A column fits about 1.2 of its widths' characters of running
/// text (measured in LibreOffice); the estimate errs towards a line too many.
pub fn wrapped_height<'a>(texts: impl IntoIterator<Item = (&'a str, f64)>) -> Option<f64> {
    let lines = texts
        .into_iter()
        .map(|(text, width)| {
            let chars = ((width * 1.2) as usize).max(1);
            if UnicodeWidthStr::width(text) <= chars {
                1
            } else {
                textwrap::wrap(text, chars).len()
            }
        })
        .max()
        .unwrap_or(1);
    (lines > 1).then_some(lines as f64 * LINE_HEIGHT)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_row_is_as_tall_as_its_longest_wrapped_text() {
        assert_eq!(wrapped_height([("short", 20.0)]), None);
        let long = "ord ".repeat(40); // 160 characters
        let height = wrapped_height([("short", 20.0), (long.as_str(), 50.0)]);
        assert_eq!(height, Some(3.0 * LINE_HEIGHT), "160 characters, 60 a line");
    }

    use super::*;

    #[test]
    fn a_column_is_as_wide_as_its_longest_text_within_bounds() {
        assert_eq!(width_for(["FA", "● Ordinarie verksamhet"], 6.0, 40.0), 24.0);
        assert_eq!(width_for(["FA"], 6.0, 40.0), 6.0, "never narrower than min");
        assert_eq!(width_for(["x".repeat(200).as_str()], 6.0, 40.0), 40.0);
        assert_eq!(width_for([], 8.0, 40.0), 8.0);
    }

    #[test]
    fn a_title_with_an_ampersand_is_not_read_as_a_header_code() {
        let text = PageText::new("Råd & stöd", "2026-12-04", Lang::Sv);
        assert_eq!(text.title, "Råd && stöd");
        assert_eq!(text.day, "Läget den 2026-12-04");
    }
}
