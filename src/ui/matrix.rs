//! The matrix: methods as rows, unit codes as columns, a stage glyph (and colour) per cell.
//! The header row and the method column stay put while the cells scroll both ways.

use crate::domain::MethodLabel;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};
use unicode_width::UnicodeWidthStr;

use super::TabScreen;
use super::text::truncate;
use super::theme::Theme;
use super::{SELECTED, framed};
use crate::app::App;
use crate::app::tabs::MatrixTab;
use crate::domain::age::{self, STALE_MARK};
use crate::domain::text::printable;
use crate::domain::{CellStage, Stage, Unit};
use crate::i18n::Lang;
use crate::layout::{self, MATRIX_CELL_WIDTH, MATRIX_LABEL_WIDTH, MATRIX_TOTAL_WIDTH};
use crate::store::Moment;

impl TabScreen for MatrixTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        draw(frame, self, (app.lang, &app.moment), app.size, theme, area);
    }
}

fn draw(
    frame: &mut Frame,
    m: &MatrixTab,
    (lang, moment): (Lang, &Moment),
    size: (u16, u16),
    theme: &Theme,
    area: Rect,
) {
    let (_, cols) = layout::matrix_window(size);
    let heading = title(m, (lang, moment), cols);
    let block = framed(heading.clone(), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [table_area, row_area, legend_area] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    // The units in view, with their places among all the columns.
    let visible: Vec<(usize, &Unit)> = m
        .units
        .iter()
        .enumerate()
        .skip(m.col_offset)
        .take(cols)
        .collect();
    let longest = m
        .methods
        .iter()
        .map(|l| printable(&l.label).width())
        .max()
        .unwrap_or(0);
    let label_width = layout::matrix_label_width(size.0, m.units.len(), longest);
    let (header, widths) = header(m, (lang, label_width), theme, &visible);
    let mut rows: Vec<Row> = m
        .methods
        .iter()
        .enumerate()
        .map(|(i, method)| {
            method_row(
                m,
                (m.row_offset + i == m.row, label_width),
                method,
                &visible,
                theme,
            )
        })
        .collect();
    // The totals row, right under the last method: each visible unit's methods in use.
    rows.push(totals_row(m, lang, theme, &visible));
    let table = Table::new(rows, widths)
        .header(Row::new(header))
        .column_spacing(1);
    frame.render_widget(table, table_area);
    if theme.a11y {
        cursor_sentence(frame, m, (lang, moment), theme, table_area);
    }
    super::cursor_at_typed_filter(frame, area, &heading, theme);
    frame.render_widget(Paragraph::new(row_line(m, lang, theme)), row_area);
    frame.render_widget(
        Paragraph::new(foot_line(
            m,
            (lang, moment, legend_area.width as usize),
            theme,
        )),
        legend_area,
    );
}

/// "Matrix 14 × 19 /filter (units that exist today, …) ◀ ▶": the counts, the filter, which
/// units are columns, roll-up and sort, and arrows where more columns are out of view.
fn title(m: &MatrixTab, (lang, moment): (Lang, &Moment), cols: usize) -> String {
    let which = if m.show_historical || moment.all_units {
        lang.pick("alla enheter, även historiska", "all units, historical too")
            .to_string()
    } else if moment.is_today() {
        lang.pick("enheter som finns i dag", "units that exist today")
            .to_string()
    } else {
        format!(
            "{} {}",
            lang.pick("enheter som fanns", "units that existed on"),
            moment.day
        )
    };
    let more_left = if m.col_offset > 0 { "◀ " } else { "" };
    let more_right = if m.col_offset + cols < m.units.len() {
        " ▶"
    } else {
        ""
    };
    let rolled = if m.roll_up {
        lang.pick(
            ", med föregångarnas historik",
            ", predecessors' history folded in",
        )
    } else {
        ""
    };
    let sorted = if m.by_spread {
        lang.pick(", ▼ spridning", ", ▼ spread")
    } else {
        ""
    };
    let filter = if m.filtering {
        format!(" /{}▏", printable(&m.filter))
    } else if !m.filter.is_empty() {
        format!(" /{}", printable(&m.filter))
    } else {
        String::new()
    };
    // The age of the stages in view (the window's cells).
    let (stale, total) = if m.roll_up {
        (
            m.rolled.values().filter(|c| c.stale).count(),
            m.rolled.len(),
        )
    } else {
        (m.cells.values().filter(|c| c.stale).count(), m.cells.len())
    };
    let counted = if moment.current_only {
        // Left out: counted by the store as it leaves them out of the window.
        m.left_out
    } else {
        stale
    };
    let age = if total + counted == 0 {
        String::new()
    } else {
        format!(
            " · {}",
            age::stale_title(
                counted as u32,
                if moment.current_only {
                    (total + counted) as u32
                } else {
                    total as u32
                },
                moment.fresh_months,
                moment.current_only,
                lang
            )
        )
    };
    format!(
        " {} {} × {}{filter} ({which}{rolled}{sorted}){more_left}{more_right}{age} ",
        lang.pick("Matris", "Matrix"),
        m.total_methods,
        m.units.len()
    )
}

/// The header row (method, in use, a code per unit in view, the cursor's highlighted) and
/// the columns' widths.
fn header(
    m: &MatrixTab,
    (lang, label_width): (Lang, u16),
    theme: &Theme,
    visible: &[(usize, &Unit)],
) -> (Vec<Cell<'static>>, Vec<Constraint>) {
    let in_use_label = lang.pick("i bruk", "in use");
    let mut header = vec![
        Cell::from(Span::styled(lang.pick("Metod", "Method"), theme.header())),
        Cell::from(Span::styled(
            format!("{in_use_label:>w$}", w = MATRIX_TOTAL_WIDTH as usize - 1),
            theme.header(),
        )),
    ];
    let mut widths = vec![
        Constraint::Length(label_width),
        Constraint::Length(MATRIX_TOTAL_WIDTH - 1),
    ];
    for (i, u) in visible {
        let style = if *i == m.col {
            theme.selected()
        } else {
            theme.header()
        };
        header.push(Cell::from(Span::styled(
            format!(
                "{:^w$}",
                printable(&u.code),
                w = MATRIX_CELL_WIDTH as usize - 1
            ),
            style,
        )));
        widths.push(Constraint::Length(MATRIX_CELL_WIDTH - 1));
    }
    (header, widths)
}

/// A method's row: its label (marked when it is the cursor's row), its units in use, and a
/// stage glyph per unit in view.
fn method_row(
    m: &MatrixTab,
    (is_row, label_width): (bool, u16),
    MethodLabel { id, label, .. }: &MethodLabel,
    visible: &[(usize, &Unit)],
    theme: &Theme,
) -> Row<'static> {
    let marker = if is_row { SELECTED } else { "  " };
    let label_style = if is_row {
        theme.selected()
    } else {
        Style::new()
    };
    let width = label_width as usize - 2;
    let total = m.row_totals.get(id).map(|c| c.in_use()).unwrap_or(0);
    let mut cells = vec![
        Cell::from(Span::styled(
            format!("{marker}{}", truncate(&printable(label), width)),
            label_style,
        )),
        total_cell(total, MATRIX_TOTAL_WIDTH as usize - 1, false, theme),
    ];
    for (j, u) in visible {
        cells.push(stage_cell(m, (*id, u.id), is_row && *j == m.col, theme));
    }
    Row::new(cells)
}

/// A cell's stage glyph, `·` for none; with roll-up, a stage taken from predecessors is in
/// parentheses ("(●)"); a stale stage (not heard from in the fresh months) is marked `°`
/// ("●°") and dimmed; the cursor cell is bracketed ("[●]"), so all of it shows without
/// colour too.
fn stage_cell(
    m: &MatrixTab,
    (method, unit): (i64, i64),
    cursor: bool,
    theme: &Theme,
) -> Cell<'static> {
    let (cell, inherited) = if m.roll_up {
        match m.rolled.get(&(method, unit)) {
            Some(c) => (
                Some(CellStage {
                    stage: c.stage,
                    stale: c.stale,
                }),
                c.inherited(),
            ),
            None => (None, false),
        }
    } else {
        (m.cells.get(&(method, unit)).copied(), false)
    };
    let (glyph, mut style) = match cell {
        Some(c) if c.stale => (c.stage.glyph(), theme.stage(c.stage).patch(theme.dim())),
        Some(c) => (c.stage.glyph(), theme.stage(c.stage)),
        None => ("·", theme.dim()),
    };
    let stale = if cell.is_some_and(|c| c.stale) {
        STALE_MARK
    } else {
        ""
    };
    let text = if cursor {
        style = theme.selected();
        format!("[{glyph}{stale}]")
    } else if inherited {
        format!("({glyph}){stale}")
    } else {
        format!("{glyph}{stale}")
    };
    Cell::from(Span::styled(
        format!("{:^w$}", text, w = MATRIX_CELL_WIDTH as usize - 1),
        style,
    ))
}

/// "Σ in use" and each visible unit's methods in use.
fn totals_row(
    m: &MatrixTab,
    lang: Lang,
    theme: &Theme,
    visible: &[(usize, &Unit)],
) -> Row<'static> {
    let in_use_label = lang.pick("i bruk", "in use");
    let mut totals = vec![
        Cell::from(Span::styled(format!("  Σ {in_use_label}"), theme.header())),
        Cell::from(""),
    ];
    for (_, u) in visible {
        totals.push(total_cell(
            m.column_totals.get(&u.id).copied().unwrap_or(0),
            MATRIX_CELL_WIDTH as usize - 1,
            true,
            theme,
        ));
    }
    Row::new(totals)
}

/// The last line: the legend, or, when the cursor cell's stage is taken from predecessors,
/// whose it is.
fn foot_line(
    m: &MatrixTab,
    (lang, moment, width): (Lang, &Moment, usize),
    theme: &Theme,
) -> Line<'static> {
    let from = m
        .selected_method()
        .zip(m.selected_unit())
        .and_then(|(meth, u)| m.rolled.get(&(meth.id, u.id)))
        .filter(|c| m.roll_up && c.inherited());
    let Some(c) = from else {
        return legend((lang, width), theme, m.roll_up, moment);
    };
    let whose: Vec<String> = c
        .from
        .iter()
        .map(|(code, s)| format!("{} {} {}", printable(code), s.glyph(), s.label(lang)))
        .collect();
    Line::from(vec![
        Span::styled(format!("({}) ", c.stage.glyph()), theme.stage(c.stage)),
        Span::raw(format!(
            "{}: {}",
            lang.pick("från föregångarna", "from the predecessors"),
            whose.join(", ")
        )),
    ])
}

/// For screen readers and magnifiers: the cursor row says its cell in words ("ASI,
/// Farsta, Pilot sedan 2024-03") in place of its glyphs, and the terminal cursor sits on it.
fn cursor_sentence(
    frame: &mut Frame,
    m: &MatrixTab,
    (lang, moment): (Lang, &Moment),
    theme: &Theme,
    area: Rect,
) {
    let (Some(MethodLabel { id, label, .. }), Some(unit)) =
        (m.selected_method(), m.selected_unit())
    else {
        return;
    };
    let y = area.y + 1 + (m.row - m.row_offset) as u16;
    if y >= area.bottom() {
        return;
    }
    let rolled = m.rolled.get(&(*id, unit.id)).filter(|_| m.roll_up);
    let state = match (rolled, &m.cursor_since) {
        (Some(c), _) if c.inherited() => {
            let whose: Vec<String> = c
                .from
                .iter()
                .map(|(code, s)| format!("{} {}", printable(code), s.label(lang)))
                .collect();
            format!(
                "{} ({} {})",
                c.stage.label(lang),
                lang.pick("från föregångarna", "from the predecessors"),
                whose.join(", ")
            )
        }
        // The stage, since when and when last heard ("… last heard 2004-02-26, 22 years
        // ago"): how long ago says what the cells' `°` says.
        (_, Some(cell)) => age::age_sentence(cell.stage, &cell.since, cell.heard, moment.day, lang),
        _ => lang.pick("Inget steg", "No stage").to_string(),
    };
    // What changes as the cursor moves comes first (the stage, then the unit), what stays
    // (the method) last, shortened at a word so the stage and the unit are always whole.
    let head = format!("{SELECTED}{state}, {}, ", printable(&unit.name));
    let room = (area.width as usize).saturating_sub(head.width());
    let text = format!("{head}{}", crate::ui::text::fit(&printable(label), room));
    let row = Rect {
        x: area.x,
        y,
        width: area.width,
        height: 1,
    };
    frame.render_widget(ratatui::widgets::Clear, row);
    frame.render_widget(
        Paragraph::new(Line::styled(
            truncate(&text, area.width as usize),
            theme.selected(),
        )),
        row,
    );
    frame.set_cursor_position((area.x, y));
}

/// A total, right-aligned (or centred under a unit column); none is a dim `·`.
fn total_cell(n: u32, width: usize, centred: bool, theme: &Theme) -> Cell<'static> {
    let (text, style) = if n == 0 {
        ("·".to_string(), theme.dim())
    } else {
        (n.to_string(), theme.header())
    };
    let text = if centred {
        format!("{text:^width$}")
    } else {
        format!("{text:>width$}")
    };
    Cell::from(Span::styled(text, style))
}

/// The cursor row's method: its units per stage over all the columns, in words.
fn row_line(m: &MatrixTab, lang: Lang, theme: &Theme) -> Line<'static> {
    let Some(MethodLabel { id, label, .. }) = m.selected_method() else {
        return Line::default();
    };
    let counts = m.row_totals.get(id).copied().unwrap_or_default();
    let mut spans = vec![Span::raw(format!(
        "{}: ",
        truncate(&printable(label), MATRIX_LABEL_WIDTH as usize)
    ))];
    let shown: Vec<Stage> = Stage::ALL.into_iter().filter(|s| counts[*s] > 0).collect();
    if shown.is_empty() {
        spans.push(Span::styled(
            lang.pick("ingen enhet här", "no unit here").to_string(),
            theme.dim(),
        ));
    }
    for s in shown {
        spans.push(Span::styled(
            format!("{} {} {}", s.glyph(), counts[s], s.label(lang)),
            theme.stage(s),
        ));
        spans.push(Span::raw("  "));
    }
    Line::from(spans)
}

fn legend(
    (lang, width): (Lang, usize),
    theme: &Theme,
    roll_up: bool,
    moment: &Moment,
) -> Line<'static> {
    // Whole items only, as many as fit, the stale mark first; when some are left out the
    // line ends with where all of them are (help lists every stage with its glyph).
    let mut items: Vec<Vec<Span<'static>>> = vec![vec![Span::raw(format!(
        "{STALE_MARK} {}",
        age::stale_words(moment.fresh_months, lang)
    ))]];
    if roll_up {
        items.push(vec![Span::raw(format!(
            "(·) {}",
            lang.pick("från föregångare", "from predecessors")
        ))]);
    }
    for s in Stage::ALL {
        items.push(vec![
            Span::styled(format!("{} ", s.glyph()), theme.stage(s)),
            Span::raw(s.label(lang).to_string()),
        ]);
    }
    items.push(vec![
        Span::styled("· ", theme.dim()),
        Span::raw(lang.pick("inget", "none")),
    ]);
    let more = lang.pick("? hjälp: alla", "? help: all");
    let item_width = |item: &[Span]| item.iter().map(|s| s.content.width()).sum::<usize>();
    let total = items.iter().map(|i| item_width(i) + 2).sum::<usize>();
    let room = if total > width {
        width.saturating_sub(more.width() + 2)
    } else {
        width
    };
    let mut spans = Vec::new();
    let mut used = 0;
    for item in items {
        let w = item_width(&item);
        if used + w > room {
            spans.push(Span::styled(more, theme.dim()));
            break;
        }
        used += w + 2;
        spans.extend(item);
        spans.push(Span::raw("  "));
    }
    Line::from(spans)
}
