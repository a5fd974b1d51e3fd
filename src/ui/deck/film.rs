//! The film: the chosen methods × the districts of the day, year by year (stepped with ← →
//! or played with `f`), beside what happened that year in sentences.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{LIVE, big_size, draw_big};
use crate::app::deck::{Deck, FilmPage};
use crate::domain::Stage;
use crate::domain::age::STALE_MARK;
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::RolledCell;
use crate::ui::text::{fit, wrap_at_most};
use crate::ui::theme::Theme;

/// The stages' glyphs with their words, packed into lines of `width` (never split inside
/// an item).
fn legend(lang: Lang, theme: &Theme, width: usize, fresh_months: u32) -> Vec<Line<'static>> {
    let mut items: Vec<(String, Style)> = Stage::ALL
        .iter()
        .map(|&s| {
            (
                format!("{} {}", s.glyph(), s.label(lang)),
                theme.slide_stage(s),
            )
        })
        .collect();
    items.push((
        format!("(◐) {}", lang.pick("från föregångare", "from predecessors")),
        theme.slide_text(),
    ));
    items.push((
        format!(
            "◐{STALE_MARK} {}",
            crate::domain::age::stale_words(fresh_months, lang)
        ),
        theme.slide_text(),
    ));
    items.push((
        format!("{LIVE} {}", lang.pick("ändrat nyss", "just changed")),
        theme.slide_mark(),
    ));
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (text, style) in items {
        let w = text.width();
        if used > 0 && used + 3 + w > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("   "));
            used += 3;
        }
        spans.push(Span::styled(fit(&text, width), style));
        used += w;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

pub(super) fn draw(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    page: &FilmPage,
    theme: &Theme,
    area: Rect,
) {
    let year = page.year.to_string();
    let big = (area.height >= 28)
        .then(|| big_size(&year, area.width / 2, 4))
        .flatten();
    let head_height = if big.is_some() { 5 } else { 1 };
    let [head, _, rest] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    draw_head(frame, lang, deck, (&year, big), theme, head);
    let grid = Grid::of(page, area.width);
    let legend_lines = legend(
        lang,
        theme,
        (grid.width.min(area.width)) as usize,
        deck.moment.fresh_months,
    );
    // What happened goes beside the grid where there are 30 columns for it, else below.
    let (grid_area, changes_area) = if area.width >= grid.width + 30 {
        let [g, _, c] = Layout::horizontal([
            Constraint::Length(grid.width),
            Constraint::Length(3),
            Constraint::Min(0),
        ])
        .areas(rest);
        (g, c)
    } else {
        let rows = (page.rows.len() + 2 + legend_lines.len()) as u16;
        let [g, c] = Layout::vertical([
            Constraint::Length(rows.min(rest.height * 2 / 3)),
            Constraint::Min(0),
        ])
        .areas(rest);
        (g, c)
    };
    let mut lines = grid.lines(lang, deck, page, theme, grid_area, legend_lines.len());
    lines.extend(legend_lines);
    frame.render_widget(Paragraph::new(lines), grid_area);
    let changes = changes_lines(lang, page, theme, changes_area);
    frame.render_widget(Paragraph::new(changes), changes_area);
}

/// The heading: the title, whether the film plays, its years, and the year shown (in big
/// text of size `big` on the right where it fits; else all on one line).
fn draw_head(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    (year, big): (&str, Option<tui_big_text::PixelSize>),
    theme: &Theme,
    area: Rect,
) {
    let state = if deck.film.playing {
        lang.pick("▶ spelas", "▶ playing")
    } else {
        lang.pick("■ paus", "■ paused")
    };
    let title = lang.pick("Spridningen över tid", "The spread over time");
    let Some(size) = big else {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(
                    fit(&format!("{title} · "), area.width as usize),
                    theme.slide_heading(),
                ),
                Span::styled(year.to_string(), theme.slide_accent()),
                Span::styled(format!("  {state}"), theme.slide_text()),
            ])),
            area,
        );
        return;
    };
    let [l, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(fit(title, l.width as usize), theme.slide_heading()),
            Line::default(),
            Line::styled(
                format!(
                    "{state} · {} {}–{}",
                    lang.pick("år", "years"),
                    deck.film.first,
                    deck.film.last
                ),
                theme.slide_text(),
            ),
        ]),
        l,
    );
    draw_big(frame, year, size, theme.slide_accent(), r, false);
}

/// The grid's measures: a label column, then a column per district of the day.
struct Grid {
    label_width: usize,
    cell: usize,
    /// The whole grid's width.
    width: u16,
}

impl Grid {
    /// Cells grow on a large screen (`area_width`), up to twice the room they need, leaving
    /// a third of the width to what happened that year.
    fn of(page: &FilmPage, area_width: u16) -> Grid {
        let code_width = page
            .columns
            .iter()
            .map(|u| printable(&u.code).width())
            .max()
            .unwrap_or(2);
        let label_width = page
            .rows
            .iter()
            .map(|(m, _)| printable(&m.label).width())
            .max()
            .unwrap_or(6)
            .clamp(6, 18);
        let columns = page.columns.len().max(1);
        let room = (area_width as usize * 2 / 3).saturating_sub(label_width + 1) / columns;
        let cell = room.clamp((code_width + 2).max(4), (code_width + 2).max(4) * 2);
        let width = (label_width + 1 + cell * page.columns.len()) as u16;
        Grid {
            label_width,
            cell,
            width,
        }
    }

    /// The grid's lines in `area`, leaving `legend` lines under them: the districts' codes,
    /// a row per method that fits (spaced where there is room), and what is left out.
    fn lines(
        &self,
        lang: Lang,
        deck: &Deck,
        page: &FilmPage,
        theme: &Theme,
        area: Rect,
        legend: usize,
    ) -> Vec<Line<'static>> {
        let (label_width, cell) = (self.label_width, self.cell);
        let mut header = vec![Span::styled(
            format!("{:label_width$} ", ""),
            theme.slide_text(),
        )];
        for u in &page.columns {
            header.push(Span::styled(
                format!("{:^cell$}", printable(&u.code)),
                theme.slide_heading(),
            ));
        }
        let mut lines = vec![Line::from(header)];
        let room = (area.height as usize).saturating_sub(1 + legend + 1);
        // A blank line between methods where there is room for it.
        let spaced = page.rows.len() * 2 <= room;
        let room = if spaced { room / 2 } else { room };
        let shown = page.rows.len().min(room);
        for (m, cells) in page.rows.iter().take(shown) {
            let mut spans = vec![Span::styled(
                format!("{:label_width$} ", fit(&printable(&m.label), label_width)),
                theme.slide_text(),
            )];
            for (u, c) in page.columns.iter().zip(cells) {
                let (text, style) = film_cell(c.as_ref(), deck.marked(m.id, u.id), theme);
                spans.push(Span::styled(format!("{text:^cell$}"), style));
            }
            if spaced {
                lines.push(Line::default());
            }
            lines.push(Line::from(spans));
        }
        let hidden = page.rows.len() - shown + page.more;
        lines.push(left_out(lang, hidden, page.more_columns, theme, area.width));
        lines
    }
}

/// A cell of the film: the stage's glyph (in parentheses when taken over from predecessors),
/// `·` for none; marked when it changed during the workshop.
fn film_cell(cell: Option<&RolledCell>, marked: bool, theme: &Theme) -> (String, Style) {
    let (text, style) = match cell {
        Some(c) => {
            let stale = if c.stale { STALE_MARK } else { "" };
            let text = if c.inherited() {
                format!("({}){stale}", c.stage.glyph())
            } else {
                format!("{}{stale}", c.stage.glyph())
            };
            (text, theme.slide_stage(c.stage))
        }
        None => ("·".to_string(), theme.slide_text()),
    };
    if marked {
        (format!("{text}{LIVE}"), theme.slide_mark())
    } else {
        (text, style)
    }
}

/// "… and 3 more methods, and 2 more districts" under the grid (a blank line when nothing is
/// left out).
fn left_out(
    lang: Lang,
    methods: usize,
    districts: usize,
    theme: &Theme,
    width: u16,
) -> Line<'static> {
    let methods_note = if methods > 0 {
        format!(
            "{} {methods} {}",
            lang.pick("och", "and"),
            lang.pick("metoder till", "more methods")
        )
    } else {
        String::new()
    };
    let columns_note = if districts > 0 {
        format!(
            "{} {districts} {}",
            lang.pick("och", "and"),
            lang.pick("stadsdelar till", "more districts")
        )
    } else {
        String::new()
    };
    let notes: Vec<&str> = [methods_note.as_str(), columns_note.as_str()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect();
    if notes.is_empty() {
        Line::default()
    } else {
        Line::styled(
            fit(&format!("… {}", notes.join(", ")), width as usize),
            theme.slide_text(),
        )
    }
}

/// What changed that year, in sentences, as many as fit in `area` (the rest counted).
fn changes_lines(lang: Lang, page: &FilmPage, theme: &Theme, area: Rect) -> Vec<Line<'static>> {
    let cw = area.width as usize;
    let mut text = vec![Line::styled(
        fit(
            &format!(
                "{} {}",
                lang.pick("Det här hände", "What happened in"),
                page.year
            ),
            cw,
        ),
        theme.slide_heading(),
    )];
    if page.changes.is_empty() {
        text.push(Line::styled(
            fit(
                lang.pick("Inga nya steg det året.", "No new stages that year."),
                cw,
            ),
            theme.slide_text(),
        ));
    }
    let room = (area.height as usize).saturating_sub(1);
    let mut used = 0;
    let mut left_out = 0;
    for c in &page.changes {
        // The districts first, then the stage, the method last: a line too long for the
        // slide shortens the method's name at a word, never the places.
        let sentence = format!(
            "{} {} · {} · {}",
            c.stage.glyph(),
            c.units
                .iter()
                .map(|u| printable(u))
                .collect::<Vec<_>>()
                .join(", "),
            c.stage.label(lang),
            printable(&c.method),
        );
        let wrapped = wrap_at_most(&sentence, cw.saturating_sub(2), 3);
        if used + wrapped.len() + 1 > room {
            left_out += 1;
            continue;
        }
        used += wrapped.len();
        for (i, l) in wrapped.into_iter().enumerate() {
            let indent = if i == 0 { "" } else { "  " };
            text.push(Line::styled(
                format!("{indent}{l}"),
                theme.slide_stage(c.stage),
            ));
        }
    }
    if left_out > 0 {
        text.push(Line::styled(
            fit(
                &format!(
                    "… {} {left_out} {}",
                    lang.pick("och", "and"),
                    lang.pick("fler", "more")
                ),
                cw,
            ),
            theme.slide_text(),
        ));
    }
    text
}
