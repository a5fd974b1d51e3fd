//! The title slide: the deck's title, the day shown, and three figures with their captions.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{big_size, draw_big, styled};
use crate::app::deck::{Deck, TitlePage};
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::ui::text::wrap_at_most;
use crate::ui::theme::Theme;

pub(super) fn draw(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    page: &TitlePage,
    theme: &Theme,
    area: Rect,
) {
    let title = printable(&deck.title);
    let big_title = (area.height >= 28)
        .then(|| big_size(&title, area.width, 4))
        .flatten();
    let title_lines = if big_title.is_some() {
        Vec::new()
    } else {
        wrap_at_most(&title, area.width as usize, 3)
    };
    let title_height = if big_title.is_some() {
        4
    } else {
        title_lines.len() as u16
    };
    let figure_height = match area.height {
        40.. => 8,
        16.. => 4,
        _ => 1,
    };
    let gap = if area.height >= 30 { 3 } else { 1 };
    let [_, t, _, day, _, figures, captions, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(title_height),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(gap),
        Constraint::Length(figure_height),
        Constraint::Length(4),
        Constraint::Fill(1),
    ])
    .areas(area);
    match big_title {
        Some(size) => draw_big(frame, &title, size, theme.slide_heading(), t, true),
        None => frame.render_widget(
            styled(title_lines, theme.slide_heading()).alignment(Alignment::Center),
            t,
        ),
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("{} {}", lang.pick("Läget", "As of"), deck.moment.day),
            theme.slide_text(),
        ))
        .alignment(Alignment::Center),
        day,
    );
    // Big figures from 16 rows up.
    let big = (area.height >= 16).then_some(figure_height);
    draw_figures(frame, lang, page, theme, (figures, captions), big);
}

/// The three figures side by side (in big text of at most `big` rows where it fits), each
/// with its caption under it.
fn draw_figures(
    frame: &mut Frame,
    lang: Lang,
    page: &TitlePage,
    theme: &Theme,
    (figures, captions): (Rect, Rect),
    big: Option<u16>,
) {
    let shown: [(usize, &str); 3] = [
        (page.methods, lang.pick("metoder", "methods")),
        (page.districts, lang.pick("stadsdelar", "districts")),
        (
            page.in_use_somewhere,
            lang.pick(
                "metoder i ordinarie verksamhet någonstans",
                "methods in ordinary use somewhere",
            ),
        ),
    ];
    let column = figures.width / 3;
    for (i, (n, caption)) in shown.iter().enumerate() {
        let x = figures.x + column * i as u16;
        let cell = |r: Rect| Rect {
            x,
            width: column,
            ..r
        };
        let number = n.to_string();
        match big.and_then(|height| big_size(&number, column, height)) {
            Some(size) => draw_big(
                frame,
                &number,
                size,
                theme.slide_accent(),
                cell(figures),
                true,
            ),
            None => frame.render_widget(
                Paragraph::new(Line::styled(number, theme.slide_accent()))
                    .alignment(Alignment::Center),
                cell(figures),
            ),
        }
        let lines = wrap_at_most(caption, column.saturating_sub(2) as usize, 3);
        frame.render_widget(
            styled(lines, theme.slide_text()).alignment(Alignment::Center),
            cell(captions),
        );
    }
}
