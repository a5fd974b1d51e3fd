//! Plain-text output for the command line: aligned tables, CSV, JSON and Markdown. Every
//! text is cleaned again here, so nothing from the database can send control codes to a
//! terminal or a file.

use std::io::Write;

use anyhow::Result;
use unicode_width::UnicodeWidthStr;

use crate::domain::text::{clean_json, clean_text_cow, printable};

/// `text` in lines of at most `width` columns, broken at spaces (a word longer than a line
/// stands alone on its line; runs of spaces count as one). `textwrap` does the wrapping,
/// first fit, never breaking a word or at a hyphen.
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let options = textwrap::Options::new(width)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false);
    textwrap::wrap(&words.join(" "), options)
        .into_iter()
        .map(|line| line.into_owned())
        .collect()
}

/// A table of text: a header and rows, written in any of the plain formats.
pub struct Table {
    /// The column names.
    pub header: Vec<String>,
    /// The rows, a cell per column.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column names and no rows.
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// Columns padded to their widest cell; line breaks inside a cell become spaces.
    pub fn write_aligned(&self, out: &mut (impl Write + ?Sized)) -> Result<()> {
        let cells = |row: &[String]| row.iter().map(|c| printable(c)).collect::<Vec<_>>();
        let header = cells(&self.header);
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| cells(r)).collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
        for row in &rows {
            for (i, c) in row.iter().enumerate() {
                if i < widths.len() {
                    widths[i] = widths[i].max(c.width());
                }
            }
        }
        for row in std::iter::once(&header).chain(rows.iter()) {
            let mut line = String::new();
            for (i, c) in row.iter().enumerate() {
                if i + 1 == row.len() {
                    line.push_str(c);
                } else {
                    line.push_str(c);
                    line.push_str(&" ".repeat(widths[i].saturating_sub(c.width()) + 2));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }

    /// For a terminal of `width` columns: the aligned table when it fits; else each row as
    /// a record — its short cells on one line ("id 26 · date 2003-01 · unit FA"), each long
    /// one (a note, a source) on lines of its own wrapped at words — so nothing runs past
    /// the screen's edge.
    pub fn write_fitted(&self, out: &mut (impl Write + ?Sized), width: u16) -> Result<()> {
        let width = width as usize;
        let mut aligned = Vec::new();
        self.write_aligned(&mut aligned)?;
        let text = String::from_utf8_lossy(&aligned);
        if text.lines().all(|l| l.width() <= width) {
            out.write_all(&aligned)?;
            return Ok(());
        }
        const SHORT: usize = 24;
        for (n, row) in self.rows.iter().enumerate() {
            if n > 0 {
                writeln!(out)?;
            }
            let cells: Vec<(String, String)> = self
                .header
                .iter()
                .zip(row)
                .map(|(h, c)| (printable(h), printable(c)))
                .filter(|(_, c)| !c.is_empty())
                .collect();
            let short: Vec<String> = cells
                .iter()
                .filter(|(_, c)| c.width() <= SHORT)
                .map(|(h, c)| format!("{h} {c}"))
                .collect();
            for line in wrap_words(&short.join(" · "), width) {
                writeln!(out, "{line}")?;
            }
            for (h, c) in cells.iter().filter(|(_, c)| c.width() > SHORT) {
                for line in wrap_words(&format!("{h}: {c}"), width.saturating_sub(2)) {
                    writeln!(out, "  {line}")?;
                }
            }
        }
        Ok(())
    }

    /// RFC 4180 CSV (see `CsvStream`).
    pub fn write_csv(&self, out: &mut (impl Write + ?Sized), excel: bool) -> Result<()> {
        let mut csv = CsvStream::new(out, excel, &self.header)?;
        for row in &self.rows {
            csv.row(row)?;
        }
        csv.finish()
    }

    /// A GitHub-flavoured Markdown table; `|` in cells is escaped.
    pub fn write_markdown(&self, out: &mut (impl Write + ?Sized)) -> Result<()> {
        let cell = |c: &str| printable(c).replace('|', "\\|");
        let line = |row: &[String]| {
            format!(
                "| {} |",
                row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            )
        };
        writeln!(out, "{}", line(&self.header))?;
        writeln!(out, "|{}|", vec!["---"; self.header.len()].join("|"))?;
        for row in &self.rows {
            writeln!(out, "{}", line(row))?;
        }
        Ok(())
    }
}

/// CSV written row by row: RFC 4180, UTF-8, comma-separated; or, for Swedish Excel,
/// semicolon-separated with CRLF line ends and a byte-order mark (Excel's list separator
/// follows the locale, and without the mark it reads UTF-8 as Latin-1).
pub struct CsvStream<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> CsvStream<W> {
    /// Starts the CSV on `out` (for Excel: with a byte-order mark) with its header row.
    pub fn new(mut out: W, excel: bool, header: &[String]) -> Result<CsvStream<W>> {
        if excel {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let writer = csv::WriterBuilder::new()
            .delimiter(if excel { b';' } else { b',' })
            .terminator(if excel {
                csv::Terminator::CRLF
            } else {
                csv::Terminator::Any(b'\n')
            })
            .from_writer(out);
        let mut stream = CsvStream { writer };
        stream.row(header)?;
        Ok(stream)
    }

    /// One record, every cell cleaned (`clean_text`) and made inert (`inert`).
    pub fn row(&mut self, cells: &[String]) -> Result<()> {
        // Without a copy where a cell is clean and inert already (a matrix writes a million).
        let cells: Vec<std::borrow::Cow<str>> = cells
            .iter()
            .map(|c| match clean_text_cow(c) {
                std::borrow::Cow::Borrowed(b) if !risky(b) => std::borrow::Cow::Borrowed(b),
                other => std::borrow::Cow::Owned(inert(other.into_owned())),
            })
            .collect();
        self.writer
            .write_record(cells.iter().map(|c| c.as_bytes()))?;
        Ok(())
    }

    /// Writes out what is buffered.
    pub fn finish(mut self) -> Result<()> {
        self.writer.flush()?;
        Ok(())
    }
}

/// A cell that a spreadsheet program would read as a formula — one that begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return — with `'` put before it, as OWASP advises
/// against CSV injection (`=HYPERLINK(…)`, `@SUM(…)*cmd|…`): Excel and LibreOffice then show
/// the text and run nothing. Every CSV the app writes goes through here.
///
/// One exception, decided on purpose: a cell that is a plain number with a minus sign
/// (`-12`, `-0.5`: an optional `-`, digits, at most one `.` between digits) stays as it is.
/// It cannot be a formula — a spreadsheet reads it as the number it is — and a `'` would
/// turn a number into text. The app's own numeric columns (counts, shares, months, ids) are
/// never negative and dates (`2005-01`) never begin with `-`, so this only keeps a note
/// that is nothing but a negative number readable as one.
pub fn inert(cell: String) -> String {
    if risky(&cell) {
        format!("'{cell}")
    } else {
        cell
    }
}

/// Whether `inert` puts a `'` before the cell.
fn risky(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_negative_number(cell)
}

/// `-` followed by digits, with at most one `.` between digits.
fn is_negative_number(cell: &str) -> bool {
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    match cell.strip_prefix('-') {
        Some(number) => match number.split_once('.') {
            Some((whole, fraction)) => digits(whole) && digits(fraction),
            None => digits(number),
        },
        None => false,
    }
}

/// Pretty JSON of any serialisable value, cleaned of control characters in every string.
pub fn write_json(out: &mut (impl Write + ?Sized), value: &impl serde::Serialize) -> Result<()> {
    let mut v = serde_json::to_value(value)?;
    clean_json(&mut v);
    serde_json::to_writer_pretty(&mut *out, &v)?;
    writeln!(out)?;
    Ok(())
}

/// An optional text as a cell: empty when there is none.
pub fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// An optional day as a cell (`2005-01-01`): empty when there is none.
pub fn opt_date(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-wrapper `textwrap` replaced, kept as the rule `wrap_words` must follow.
    fn greedy(text: &str, width: usize) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            if !line.is_empty() && line.width() + 1 + word.width() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    #[test]
    fn words_wrap_at_spaces_and_a_long_word_stands_alone() {
        assert_eq!(wrap_words("a b c", 3), ["a b", "c"]);
        assert_eq!(wrap_words("  a   b  ", 10), ["a b"]);
        assert_eq!(wrap_words("", 10), Vec::<String>::new());
        assert_eq!(wrap_words("   ", 10), Vec::<String>::new());
        assert_eq!(
            wrap_words("x Stadsdelsförvaltningen y", 8),
            ["x", "Stadsdelsförvaltningen", "y"]
        );
        // Hyphens are not places to break; wide letters count two columns.
        assert_eq!(
            wrap_words("Hägersten-Älvsjö FA", 10),
            ["Hägersten-Älvsjö", "FA"]
        );
        assert_eq!(wrap_words("中文 中文", 9), ["中文 中文"]);
        assert_eq!(wrap_words("中文 中文", 8), ["中文", "中文"]);
    }

    proptest::proptest! {
        #[test]
        fn wrap_words_follows_the_greedy_rule(
            text in "[a-zåä中 \\-]{0,60}",
            width in 1usize..24,
        ) {
            proptest::prop_assert_eq!(wrap_words(&text, width), greedy(&text, width));
        }
    }

    #[test]
    fn formula_cells_get_a_quote_and_plain_text_and_numbers_do_not() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://evil\",\"klick\")",
                "'=HYPERLINK(\"http://evil\",\"klick\")",
            ),
            (
                "@SUM(1+1)*cmd|' /C calc'!A0",
                "'@SUM(1+1)*cmd|' /C calc'!A0",
            ),
            ("+46 8 508 000 00", "'+46 8 508 000 00"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("-1.", "'-1."),
            ("-1e3", "'-1e3"),
            ("-12", "-12"),
            ("-0.25", "-0.25"),
            ("2005-01", "2005-01"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(inert(cell.to_string()), written, "{cell:?}");
        }
    }

    #[test]
    fn every_row_of_a_csv_stream_is_made_inert_also_the_header() {
        let mut out = Vec::new();
        let mut csv =
            CsvStream::new(&mut out, false, &["=h".to_string(), "b".to_string()]).unwrap();
        csv.row(&["@x".to_string(), "  =y".to_string()]).unwrap();
        csv.finish().unwrap();
        // Cleaning trims first, so "  =y" is a formula cell too.
        assert_eq!(String::from_utf8(out).unwrap(), "'=h,b\n'@x,'=y\n");
    }
}
