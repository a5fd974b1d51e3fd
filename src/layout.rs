//! The screen's geometry, below both `app` and `ui`: how many rows and columns each window
//! has on a terminal of a given size. The app asks here what to fetch from the store and the
//! screens draw exactly that, so neither has to ask the other.

use std::borrow::Cow;

use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};

use crate::domain::text::printable;

/// Below this size the app shows a message instead of screens.
pub const MIN_WIDTH: u16 = 60;
/// The fewest rows the app draws in (below, it asks for a larger terminal).
pub const MIN_HEIGHT: u16 = 12;

/// Screen rows around a table that are not rows: tabs, block borders, header, status line.
const LIST_CHROME: u16 = 5;
/// The matrix also has a totals row, a line for the cursor row's totals and a legend line.
const MATRIX_CHROME: u16 = 8;
/// Width of the matrix's method column, of its in-use column, and of each unit column (with
/// its gap).
pub const MATRIX_LABEL_WIDTH: u16 = 24;
/// The Matrix's "in use" column, in columns.
pub const MATRIX_TOTAL_WIDTH: u16 = 7;
/// One Matrix cell, in columns.
pub const MATRIX_CELL_WIDTH: u16 = 5;

/// The most methods the presentation's film shows (the rest are counted below it).
const FILM_MAX_ROWS: usize = 40;
/// The film's rows that are not methods: the slide's margins and heading, the grid's header,
/// its notes and legend.
const FILM_CHROME: usize = 12;
/// The film's method labels and the narrowest district column.
const FILM_LABEL_WIDTH: usize = 24;
const FILM_MIN_CELL: usize = 4;

/// Whether a terminal of `size` (columns, rows) is too small for the screens.
pub fn too_small((width, height): (u16, u16)) -> bool {
    width < MIN_WIDTH || height < MIN_HEIGHT
}

/// Rows of a table (Methods, Units, Spread, Activity) on a terminal of `size`.
pub fn list_rows((_, height): (u16, u16)) -> usize {
    height.saturating_sub(LIST_CHROME).max(1) as usize
}

/// The text inside a detail view's frame (between the tab bar and the status line), as
/// (columns, rows), on a terminal of `size`.
pub fn detail_text((width, height): (u16, u16)) -> (u16, usize) {
    (
        width.saturating_sub(2),
        height.saturating_sub(4).max(1) as usize,
    )
}

/// Method rows and unit columns of the matrix on a terminal of `size`.
pub fn matrix_window((width, height): (u16, u16)) -> (usize, usize) {
    let rows = height.saturating_sub(MATRIX_CHROME).max(1) as usize;
    let cols = (width.saturating_sub(2 + MATRIX_LABEL_WIDTH + MATRIX_TOTAL_WIDTH)
        / MATRIX_CELL_WIDTH)
        .max(1) as usize;
    (rows, cols)
}

/// The Matrix's method column on a terminal `width` wide with `units` unit columns, whose
/// longest method label in view is `longest` columns: 24, or, where every unit column fits
/// with room to spare, wide enough for the whole label (a wide terminal shows whole names
/// rather than empty columns). The window's unit columns are the same either way: the
/// column only grows when they all fit.
pub fn matrix_label_width(width: u16, units: usize, longest: usize) -> u16 {
    let (_, cols) = matrix_window((width, MIN_HEIGHT));
    if units > cols {
        return MATRIX_LABEL_WIDTH;
    }
    let spare = width.saturating_sub(2 + MATRIX_TOTAL_WIDTH + units as u16 * MATRIX_CELL_WIDTH);
    let wanted = (longest as u16).saturating_add(2);
    spare.min(wanted).max(MATRIX_LABEL_WIDTH)
}

/// The most method rows and district columns the film can hold on a terminal of `size`:
/// rows under the heading and above the legend and what happened, columns across the width
/// beside the method labels at the narrowest cell.
pub fn film_window((width, height): (u16, u16)) -> (usize, usize) {
    let rows = (height as usize)
        .saturating_sub(FILM_CHROME)
        .clamp(3, FILM_MAX_ROWS);
    let columns = ((width as usize).saturating_sub(FILM_LABEL_WIDTH) / FILM_MIN_CELL).max(4);
    (rows, columns)
}

/// Wraps at spaces only, first fit (greedy, as a person reads), never at a hyphen.
pub fn at_spaces(width: usize) -> Options<'static> {
    Options::new(width)
        .word_separator(WordSeparator::AsciiSpace)
        .word_splitter(WordSplitter::NoHyphenation)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
}

/// Splits text into lines of at most `width` columns at spaces (a word longer than a line is
/// cut). Detail views wrap here, once, so drawing only has to show the visible lines; the
/// app measures a detail's lines by it to keep a selected row in view.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let options = at_spaces(width.max(8));
    text.lines()
        .flat_map(|paragraph| {
            let paragraph = printable(paragraph);
            textwrap::wrap(paragraph.trim_start_matches(' '), &options)
                .into_iter()
                .map(Cow::into_owned)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The widest a report popup (what a reorganisation did) is, frame included.
pub const REPORT_WIDTH: u16 = 76;

/// A report popup's lines as drawn in a terminal of `width` columns: each wrapped at spaces
/// to the popup's inside, a blank line kept. The app scrolls by the same count.
pub fn report_lines(lines: &[String], width: u16) -> Vec<String> {
    let inside = REPORT_WIDTH.min(width).saturating_sub(2) as usize;
    lines
        .iter()
        .flat_map(|l| {
            // A line's indent (a list's items) is kept on each of its wrapped lines.
            let indent = l.len() - l.trim_start_matches(' ').len();
            let wrapped = wrap(l, inside.saturating_sub(indent));
            if wrapped.is_empty() {
                vec![String::new()]
            } else {
                wrapped
                    .into_iter()
                    .map(|w| format!("{}{w}", " ".repeat(indent)))
                    .collect()
            }
        })
        .collect()
}

/// How many lines `wrap` makes of `text` at `width`, without making them when a paragraph
/// fits on one line (most notes do): a detail view measures every event of its history on
/// every frame, and at L that is thousands.
pub fn wrapped_height(text: &str, width: usize) -> usize {
    use unicode_width::UnicodeWidthStr;
    let room = width.max(8);
    text.lines()
        .map(|paragraph| {
            let paragraph = printable(paragraph);
            let shown = paragraph.trim_start_matches(' ');
            if shown.width() <= room {
                1
            } else {
                textwrap::wrap(shown, at_spaces(room)).len()
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_method_column_grows_only_when_every_unit_fits() {
        // 80 columns hold 9 units: 14 do not fit, so the column stays 24.
        assert_eq!(matrix_label_width(80, 14, 73), MATRIX_LABEL_WIDTH);
        // 200 columns hold all 14 with 121 to spare: the longest name and its mark.
        assert_eq!(matrix_label_width(200, 14, 73), 75);
        // A short longest name keeps the least width.
        assert_eq!(matrix_label_width(200, 14, 5), MATRIX_LABEL_WIDTH);
        // Never wider than what is left beside the units.
        assert_eq!(matrix_label_width(120, 14, 73), 120 - 2 - 7 - 70);
        // The window's unit columns are the same either way.
        assert_eq!(matrix_window((200, 30)).1, 33);
    }

    proptest::proptest! {
        /// The measure without wrapping is the number of lines wrapping makes, for any
        /// text (words, long words, line breaks, leading spaces, wide and control
        /// characters) at any width.
        #[test]
        fn wrapped_height_is_the_lines_wrap_makes(
            text in "( |a|ö|漢|\\n|\\u{1b}|word|averyveryverylongwordindeed){0,40}",
            width in 0usize..60,
        ) {
            proptest::prop_assert_eq!(wrapped_height(&text, width), wrap(&text, width).len());
        }
    }
}
