//! The Methods, Units and Activity tables. Each shows the window of rows the app fetched;
//! the title carries the total and the `/` filter.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table, TableState};

use super::theme::Theme;
use super::{SELECTED, framed};
use crate::app::App;
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
    let filter = if list.filtering {
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
fn with_stage_columns(
    (mut header, mut widths): (Vec<Cell<'static>>, Vec<Constraint>),
    lang: Lang,
    theme: &Theme,
) -> (Vec<Cell<'static>>, Vec<Constraint>) {
    header.extend(count_header(theme));
    header.push(Cell::from(lang.pick("Senast", "Latest")));
    widths.extend([Constraint::Length(3); 7]);
    widths.push(Constraint::Length(10));
    (header, widths)
}

/// Appends a row's stage counts and latest stage date.
fn with_stage_cells(
    mut cells: Vec<Cell<'static>>,
    counts: &[u32; 7],
    last_change: Option<&str>,
    theme: &Theme,
) -> Vec<Cell<'static>> {
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
}

pub fn draw_methods(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let lang = app.lang;
    let l = &app.methods;
    let columns = with_stage_columns(
        (
            vec![
                Cell::from(lang.pick("Metod", "Method")),
                Cell::from(lang.pick("Område", "Area")),
            ],
            vec![Constraint::Min(20), Constraint::Length(14)],
        ),
        lang,
        theme,
    );
    let rows = l
        .rows
        .iter()
        .map(|m| {
            let name = match &m.short_name {
                Some(s) if s != &m.name => format!("{} – {}", printable(s), printable(&m.name)),
                _ => printable(&m.name),
            };
            with_stage_cells(
                vec![Cell::from(name), Cell::from(printable(&m.area))],
                &m.counts,
                m.last_change.as_deref(),
                theme,
            )
        })
        .collect();
    let selected = l.selected.checked_sub(l.offset);
    render_table(
        frame,
        area,
        title(lang.pick("Metoder", "Methods"), l, lang),
        columns,
        rows,
        selected,
        theme,
    );
}

pub fn draw_units(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let lang = app.lang;
    let l = &app.units;
    let columns = with_stage_columns(
        (
            vec![
                Cell::from(lang.pick("Kod", "Code")),
                Cell::from(lang.pick("Enhet", "Unit")),
                Cell::from(lang.pick("Giltig", "Valid")),
            ],
            vec![
                Constraint::Length(4),
                Constraint::Min(16),
                Constraint::Length(9),
            ],
        ),
        lang,
        theme,
    );
    let rows = l
        .rows
        .iter()
        .map(|u| {
            let valid = match (u.valid_from, u.valid_to) {
                (None, None) => String::new(),
                (Some(f), None) => format!("{}–", f.format("%Y")),
                (None, Some(t)) => format!("–{}", t.format("%Y")),
                (Some(f), Some(t)) => format!("{}–{}", f.format("%Y"), t.format("%Y")),
            };
            let style = if u.valid_to.is_some() {
                theme.dim()
            } else {
                Style::new()
            };
            with_stage_cells(
                vec![
                    Cell::from(printable(&u.code)),
                    Cell::from(Span::styled(printable(&u.name), style)),
                    Cell::from(valid),
                ],
                &u.counts,
                u.last_change.as_deref(),
                theme,
            )
        })
        .collect();
    let selected = l.selected.checked_sub(l.offset);
    render_table(
        frame,
        area,
        title(lang.pick("Enheter", "Units"), l, lang),
        columns,
        rows,
        selected,
        theme,
    );
}

pub fn draw_activity(frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let lang = app.lang;
    // On a narrow terminal the day is enough, and the method name gets the room.
    let when_width: usize = if area.width < 100 { 10 } else { 16 };
    let l = &app.activity;
    let header = vec![
        Cell::from(lang.pick("När", "When")),
        Cell::from(lang.pick("Av", "By")),
        Cell::from(lang.pick("Metod", "Method")),
        Cell::from(lang.pick("Enhet", "Unit")),
        Cell::from(lang.pick("Steg", "Stage")),
        Cell::from(lang.pick("Från", "From")),
        Cell::from(lang.pick("Notering", "Note")),
    ];
    let rows = l
        .rows
        .iter()
        .map(|e| {
            let note = printable(e.note.lines().next().unwrap_or(""));
            let (stage_style, note) = match &e.retraction {
                Some(r) => (
                    theme.retracted(),
                    format!(
                        "[{}: {}] {note}",
                        lang.pick("återkallad", "retracted"),
                        printable(&r.reason)
                    ),
                ),
                None => (theme.stage(e.stage), note),
            };
            vec![
                Cell::from(
                    app.local_time(&e.recorded_at)
                        .chars()
                        .take(when_width)
                        .collect::<String>(),
                ),
                Cell::from(printable(&e.recorded_by)),
                Cell::from(printable(&e.method)),
                Cell::from(printable(&e.unit)),
                Cell::from(Span::styled(
                    format!("{} {}", e.stage.glyph(), e.stage.label(lang)),
                    stage_style,
                )),
                Cell::from(printable(&e.date)),
                Cell::from(note),
            ]
        })
        .collect();
    let widths = vec![
        Constraint::Length(when_width as u16),
        Constraint::Length(8),
        Constraint::Length(14),
        Constraint::Length(5),
        Constraint::Length(14),
        Constraint::Length(10),
        Constraint::Min(10),
    ];
    let selected = l.selected.checked_sub(l.offset);
    render_table(
        frame,
        area,
        title(lang.pick("Aktivitet", "Activity"), l, lang),
        (header, widths),
        rows,
        selected,
        theme,
    );
}
