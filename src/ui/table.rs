//! What the tables (Methods, Units, Activity) share: the title with the range and the `/`
//! filter, the stage-count columns, and drawing the window of rows with the selection.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use super::theme::Theme;
use super::{SELECTED, framed};
use crate::app::lists::ListView;
use crate::domain::Stage;
use crate::domain::text::printable;
use crate::i18n::Lang;

/// Title like "Metoder 3–20 av 52  /asi▏".
fn title<T>(name: &str, list: &ListView<T>, lang: Lang) -> String {
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
    format!(" {name} {range}{filter} ")
}

fn count_header(theme: &Theme) -> Vec<Cell<'static>> {
    Stage::ALL
        .iter()
        .map(|s| {
            Cell::from(Line::from(Span::styled(
                format!("{:>3}", s.glyph()),
                theme.stage(*s),
            )))
        })
        .collect()
}

/// The columns Methods and Units share after their own: a count per current stage and the
/// latest stage date. Appends their headers and widths.
pub fn with_stage_columns(
    (mut header, mut widths): (Vec<Cell<'static>>, Vec<Constraint>),
    lang: Lang,
    theme: &Theme,
) -> (Vec<Cell<'static>>, Vec<Constraint>) {
    // For screen readers one column says the counts in words ("Pilot 3, …").
    if theme.a11y {
        header.push(Cell::from(lang.pick("Steg", "Stages")));
        header.push(Cell::from(lang.pick("Senast", "Latest")));
        widths.push(Constraint::Min(24));
        widths.push(Constraint::Length(10));
        return (header, widths);
    }
    header.extend(count_header(theme));
    header.push(Cell::from(lang.pick("Senast", "Latest")));
    widths.extend([Constraint::Length(3); 7]);
    widths.push(Constraint::Length(10));
    (header, widths)
}

/// Appends a row's stage counts and latest stage date.
pub fn with_stage_cells(
    mut cells: Vec<Cell<'static>>,
    counts: &[u32; 7],
    (last_change, lang): (Option<&str>, Lang),
    theme: &Theme,
) -> Vec<Cell<'static>> {
    if theme.a11y {
        let words: Vec<String> = Stage::ALL
            .iter()
            .filter(|s| counts[s.index()] > 0)
            .map(|s| format!("{} {}", s.label(lang), counts[s.index()]))
            .collect();
        let text = if words.is_empty() {
            lang.pick("inga steg", "no stages").to_string()
        } else {
            words.join(", ")
        };
        cells.push(Cell::from(text));
        cells.push(Cell::from(printable(last_change.unwrap_or(""))));
        return cells;
    }
    cells.extend(count_cells(counts, theme));
    cells.push(Cell::from(printable(last_change.unwrap_or(""))));
    cells
}

fn count_cells(counts: &[u32; 7], theme: &Theme) -> Vec<Cell<'static>> {
    Stage::ALL
        .iter()
        .map(|s| {
            let n = counts[s.index()];
            let text = if n == 0 {
                format!("{:>3}", "·")
            } else {
                format!("{n:>3}")
            };
            let style = if n == 0 { theme.dim() } else { theme.stage(*s) };
            Cell::from(Span::styled(text, style))
        })
        .collect()
}

/// Draws a tab's table: titled `name` with its range and filter, its window of `rows`, and
/// its selection.
pub fn render_list<T>(
    frame: &mut Frame,
    area: Rect,
    (name, list, lang): (&str, &ListView<T>, Lang),
    columns: (Vec<Cell<'static>>, Vec<Constraint>),
    rows: Vec<Vec<Cell<'static>>>,
    theme: &Theme,
) {
    render_table(
        frame,
        area,
        title(name, list, lang),
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
    (header, widths): (Vec<Cell<'static>>, Vec<Constraint>),
    rows: Vec<Vec<Cell<'static>>>,
    selected: Option<usize>,
    theme: &Theme,
) {
    let empty = rows.is_empty();
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
}
