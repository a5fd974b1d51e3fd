//! What the tables (Methods, Units, Spread, Activity) share: the title with the range and
//! the `/` filter, the stage-count columns, and drawing the window of rows with the
//! selection.

use crate::domain::StageCounts;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::{SELECTED, framed};
use crate::app::lists::ListView;
use crate::domain::Stage;
use crate::domain::text::printable;
use crate::i18n::Lang;

/// Title like "Metoder 3–20 av 52  /asi▏", and a note after it ("· 12 av 40 steg …").
fn title<T>(name: &str, list: &ListView<T>, lang: Lang, note: &str) -> String {
    let range = if list.total == 0 {
        lang.pick("inga", "none").to_string()
    } else {
        format!(
            "{}–{} {} {}",
            list.offset + 1,
            (list.offset + list.rows.len()).max(list.offset + 1),
            lang.pick("av", "of"),
            if list.capped {
                format!("{}+", list.total)
            } else {
                list.total.to_string()
            }
        )
    };
    // Reopened with `/`, the old text shows selected: typing replaces it.
    let filter = if list.filtering && list.replace_on_type {
        format!("  /[{}]▏", printable(&list.filter))
    } else if list.filtering {
        format!("  /{}▏", printable(&list.filter))
    } else if !list.filter.is_empty() {
        format!("  /{}", printable(&list.filter))
    } else {
        String::new()
    };
    let note = if note.is_empty() {
        String::new()
    } else {
        format!(" · {note}")
    };
    format!(" {name} {range}{filter}{note} ")
}

/// The title's note on the age of the stages a table shows: how many of the stages counted
/// in its rows on screen are stale ("12 of 40 stages not heard from in 24 months"; in
/// current only, how many were left out); empty when it counts none.
pub fn stale_note<'a>(
    counts: impl Iterator<Item = &'a StageCounts>,
    moment: &crate::store::Moment,
    lang: Lang,
) -> String {
    let (mut stale, mut total) = (0, 0);
    for c in counts {
        stale += c.stale;
        total += c.total();
    }
    if moment.current_only {
        total += stale;
    }
    if total == 0 {
        return String::new();
    }
    crate::domain::age::stale_title(stale, total, moment.fresh_months, moment.current_only, lang)
}

fn count_header(theme: &Theme) -> Vec<Line<'static>> {
    Stage::ALL
        .iter()
        .map(|s| Line::from(Span::styled(format!("{:>3}", s.glyph()), theme.stage(*s))))
        .collect()
}

/// The columns Methods and Units share after their own: a count per current stage, how many
/// of those stages are stale (`°`: not heard from in the fresh months; in current only, left
/// out of the counts) and the latest stage date. Appends their headers and widths.
pub fn with_stage_columns(
    (mut header, mut widths): (Vec<Line<'static>>, Vec<Constraint>),
    lang: Lang,
    theme: &Theme,
) -> (Vec<Line<'static>>, Vec<Constraint>) {
    // For screen readers one column says the counts in words ("Pilot 3, …").
    if theme.a11y {
        header.push(Line::from(lang.pick("Steg", "Stages")));
        header.push(Line::from(lang.pick("Ej hörda", "Not heard")));
        header.push(Line::from(lang.pick("Senast", "Latest")));
        widths.push(Constraint::Min(24));
        widths.push(Constraint::Length(9));
        widths.push(Constraint::Length(10));
        return (header, widths);
    }
    header.extend(count_header(theme));
    header.push(Line::from(Span::styled(
        format!("{:>3}", crate::domain::age::STALE_MARK),
        theme.dim(),
    )));
    header.push(Line::from(lang.pick("Senast", "Latest")));
    widths.extend([Constraint::Length(3); 8]);
    widths.push(Constraint::Length(10));
    (header, widths)
}

/// Appends a row's stage counts and latest stage date.
pub fn with_stage_cells(
    mut cells: Vec<Line<'static>>,
    counts: &StageCounts,
    (last_change, lang): (Option<&str>, Lang),
    theme: &Theme,
) -> Vec<Line<'static>> {
    if theme.a11y {
        let words: Vec<String> = Stage::ALL
            .iter()
            .filter(|s| counts[**s] > 0)
            .map(|s| format!("{} {}", s.label(lang), counts[*s]))
            .collect();
        let text = if words.is_empty() {
            lang.pick("inga steg", "no stages").to_string()
        } else {
            words.join(", ")
        };
        cells.push(Line::from(text));
        cells.push(Line::from(counts.stale.to_string()));
        cells.push(Line::from(printable(last_change.unwrap_or(""))));
        return cells;
    }
    cells.extend(count_cells(counts, theme));
    cells.push(Line::from(Span::styled(
        if counts.stale == 0 {
            format!("{:>3}", "·")
        } else {
            format!("{:>3}", counts.stale)
        },
        theme.dim(),
    )));
    cells.push(Line::from(printable(last_change.unwrap_or(""))));
    cells
}

fn count_cells(counts: &StageCounts, theme: &Theme) -> Vec<Line<'static>> {
    Stage::ALL
        .iter()
        .map(|s| {
            let n = counts[*s];
            let text = if n == 0 {
                format!("{:>3}", "·")
            } else {
                format!("{n:>3}")
            };
            let style = if n == 0 { theme.dim() } else { theme.stage(*s) };
            Line::from(Span::styled(text, style))
        })
        .collect()
}

/// A cell's line in at most `width` columns: whole, or cut with "…" as its last character,
/// so no text runs to the edge of its column looking whole.
fn fit_cell(mut line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    // Padding goes first: a right-aligned count keeps its digits.
    if let Some(first) = line.spans.first_mut() {
        let trimmed = first.content.trim_start().to_string();
        first.content = trimmed.into();
        if line.width() <= width {
            return line;
        }
    }
    let mut spans = Vec::new();
    let mut room = width.saturating_sub(1);
    for span in line.spans {
        if room == 0 {
            break;
        }
        let w = span.width();
        if w <= room {
            room -= w;
            spans.push(span);
        } else {
            let cut = super::text::truncate(&span.content, room + 1);
            let cut = cut.trim_end_matches('…').to_string();
            room = 0;
            spans.push(Span::styled(cut, span.style));
        }
    }
    let style = spans.last().map(|s| s.style).unwrap_or_default();
    spans.push(Span::styled("…", style));
    Line::from(spans)
}

/// A table's column headers and widths.
pub type Columns = (Vec<Line<'static>>, Vec<Constraint>);

/// Columns that fit in `width`: where a table's columns at their least (a `Min` or
/// `Length` each, one space between, the selection mark and the frame) are wider than the
/// terminal, whole columns are left out in `drop_order` (least important first) until the
/// rest fit, rather than every column cut to `Ar…`. Indices may count from the end
/// (`-1`: the last column).
pub fn fit_columns(
    (header, widths): Columns,
    rows: Vec<Vec<Line<'static>>>,
    width: u16,
    drop_order: &[isize],
) -> (Columns, Vec<Vec<Line<'static>>>) {
    let least = |c: &Constraint| match c {
        Constraint::Length(n) | Constraint::Min(n) => *n as usize,
        _ => 0,
    };
    let n = widths.len();
    let chrome = 2 + SELECTED.chars().count();
    let mut kept = vec![true; n];
    let needed = |kept: &[bool]| {
        let shown: Vec<usize> = (0..n).filter(|&i| kept[i]).collect();
        chrome + shown.iter().map(|&i| least(&widths[i])).sum::<usize>() + shown.len() - 1
    };
    for &at in drop_order {
        if needed(&kept) <= width as usize {
            break;
        }
        let i = if at < 0 { n as isize + at } else { at };
        if let Some(k) = usize::try_from(i).ok().and_then(|i| kept.get_mut(i)) {
            *k = false;
        }
    }
    let keep = |cells: Vec<Line<'static>>| -> Vec<Line<'static>> {
        cells
            .into_iter()
            .zip(&kept)
            .filter_map(|(c, k)| k.then_some(c))
            .collect()
    };
    let widths = widths
        .into_iter()
        .zip(&kept)
        .filter_map(|(w, k)| k.then_some(w))
        .collect();
    ((keep(header), widths), rows.into_iter().map(keep).collect())
}

/// Draws a tab's table: titled `name` with its range and filter, its window of `rows`, and
/// its selection.
pub fn render_list<T>(
    frame: &mut Frame,
    area: Rect,
    (name, list, lang, note): (&str, &ListView<T>, Lang, &str),
    columns: (Vec<Line<'static>>, Vec<Constraint>),
    rows: Vec<Vec<Line<'static>>>,
    theme: &Theme,
) {
    render_table(
        frame,
        area,
        title(name, list, lang, note),
        columns,
        rows,
        list.selected.checked_sub(list.offset),
        theme,
    );
}

fn render_table(
    frame: &mut Frame,
    area: Rect,
    title: String,
    (header, widths): (Vec<Line<'static>>, Vec<Constraint>),
    rows: Vec<Vec<Line<'static>>>,
    selected: Option<usize>,
    theme: &Theme,
) {
    let empty = rows.is_empty();
    // The columns' widths as the table will lay them out (inside the frame, after the
    // selection mark, one space between columns), so each cell is cut to its own with "…".
    let inner = Rect {
        width: area
            .width
            .saturating_sub(2 + SELECTED.chars().count() as u16),
        ..area
    };
    let column_widths: Vec<usize> = ratatui::layout::Layout::horizontal(widths.clone())
        .spacing(1)
        .split(inner)
        .iter()
        .map(|r| r.width as usize)
        .collect();
    let fitted = |cells: Vec<Line<'static>>| -> Vec<Cell<'static>> {
        cells
            .into_iter()
            .enumerate()
            .map(|(i, line)| Cell::from(fit_cell(line, column_widths.get(i).copied().unwrap_or(0))))
            .collect()
    };
    let header = fitted(header);
    let rows: Vec<Vec<Cell<'static>>> = rows.into_iter().map(fitted).collect();
    // The selected row shows `▶` and its first cell in bold (and shaded): a cursor move
    // redraws two short cells, not two whole rows, which keeps SSH traffic small.
    let rows: Vec<Row> = rows
        .into_iter()
        .enumerate()
        .map(|(i, mut cells)| {
            if Some(i) == selected
                && let Some(first) = cells.first_mut()
            {
                *first = std::mem::take(first).style(theme.selected());
            }
            Row::new(cells)
        })
        .collect();
    // A title wider than the frame is shortened at a word, never cut inside one.
    let title = if title.width() + 2 > area.width as usize {
        format!(
            "{} ",
            super::text::fit(title.trim_end(), (area.width as usize).saturating_sub(3))
        )
    } else {
        title
    };
    let typed_filter = title.clone();
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.header()))
        .block(framed(title, theme))
        .highlight_symbol(SELECTED)
        .highlight_spacing(ratatui::widgets::HighlightSpacing::Always)
        .column_spacing(1);
    // A local state: the window is already the visible rows, so only the selection is set.
    let mut state = TableState::default().with_selected(if empty { None } else { selected });
    frame.render_stateful_widget(table, area, &mut state);
    // For screen readers and magnifiers the terminal cursor sits on the selected row (below
    // the frame's top and the header).
    if theme.a11y
        && let Some(i) = selected.filter(|_| !empty)
    {
        let y = area.y + 2 + i as u16;
        if y < area.bottom().saturating_sub(1) {
            frame.set_cursor_position((area.x + 1, y));
        }
    }
    super::cursor_at_typed_filter(frame, area, &typed_filter, theme);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_narrow_table_leaves_out_whole_columns_least_important_first() {
        let columns = || -> Columns {
            (
                ["Name", "Area", "Count", "Latest"].map(Line::from).to_vec(),
                vec![
                    Constraint::Min(20),
                    Constraint::Length(14),
                    Constraint::Length(5),
                    Constraint::Length(10),
                ],
            )
        };
        let rows = || vec![["a", "b", "c", "d"].map(Line::from).to_vec()];
        let names = |((header, _), rows): (Columns, Vec<Vec<Line<'static>>>)| {
            assert!(rows.iter().all(|r| r.len() == header.len()));
            header.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        // All fit in 4 + 20 + 14 + 5 + 10 + 3 = 56.
        let all = fit_columns(columns(), rows(), 56, &[1, -1]);
        assert_eq!(names(all), ["Name", "Area", "Count", "Latest"]);
        // One less: the area goes first.
        let less = fit_columns(columns(), rows(), 55, &[1, -1]);
        assert_eq!(names(less), ["Name", "Count", "Latest"]);
        // Narrower still: the latest date too.
        let least = fit_columns(columns(), rows(), 40, &[1, -1]);
        assert_eq!(names(least), ["Name", "Count"]);
    }

    #[test]
    fn a_cut_cell_ends_in_an_ellipsis_within_its_width() {
        let cut = fit_cell(Line::from("Addiction Severity Index (ASI)"), 12);
        assert_eq!(cut.to_string(), "Addiction S…");
        assert_eq!(cut.width(), 12);
        assert_eq!(fit_cell(Line::from("ASI"), 12).to_string(), "ASI");
        // Padding gives way before the digits do.
        assert_eq!(fit_cell(Line::from("  4"), 2).to_string(), "4");
        let styled = fit_cell(
            Line::from(vec![Span::raw("◐ "), Span::raw("Ordinarie verksamhet")]),
            8,
        );
        assert_eq!(styled.to_string(), "◐ Ordin…");
    }
}
