//! Help, generated from the key map (so it always matches what the keys do).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{centered, clear, framed};
use crate::app::Action;
use crate::app::keymap::{Context, KEYMAP};
use crate::domain::Stage;
use crate::i18n::Lang;

/// The help text for some contexts (`CONTEXT_ORDER`: all; the presentation lists its own
/// keys): the bindings this person may use (`allowed`), grouped by where they apply, the
/// filter's terms where a filter is among them, then the stages with their glyphs.
pub fn help_lines_for(
    lang: Lang,
    contexts: &[Context],
    allowed: &dyn Fn(Action) -> bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for &ctx in contexts {
        lines.push(Line::from(Span::styled(ctx.title(lang), theme.header())));
        for b in KEYMAP
            .iter()
            .filter(|b| b.context == ctx && allowed(b.action))
        {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", b.key_labels()), theme.focus()),
                Span::raw(b.describe(lang)),
            ]));
        }
        lines.push(Line::default());
    }
    if !contexts.contains(&Context::Filter) {
        return with_stages(lines, lang, theme);
    }
    lines.push(Line::from(Span::styled(
        lang.pick(
            "Filtret (/, f i matrisen)",
            "The filter (/, f on the Matrix)",
        ),
        theme.header(),
    )));
    let terms = crate::domain::activity_filter::TERMS
        .iter()
        .chain(crate::domain::matrix_filter::TERMS.iter());
    for (term, sv, en) in terms {
        lines.push(Line::from(vec![
            Span::styled(format!("  {term:<18}"), theme.focus()),
            Span::raw(lang.pick(sv, en)),
        ]));
    }
    lines.push(Line::default());
    with_stages(lines, lang, theme)
}

/// The lines, then the stages with their glyphs and words.
fn with_stages(mut lines: Vec<Line<'static>>, lang: Lang, theme: &Theme) -> Vec<Line<'static>> {
    lines.push(Line::from(Span::styled(
        lang.pick("Steg", "Stages"),
        theme.header(),
    )));
    for s in Stage::ALL {
        lines.push(Line::from(vec![
            Span::styled(format!("  {} ", s.glyph()), theme.stage(s)),
            Span::raw(format!("{:<22}{}", s.label(lang), s.code())),
        ]));
    }
    lines
}

/// How far the help can scroll in a body of `height` rows: its lines less the rows shown.
pub fn max_scroll(
    lang: Lang,
    contexts: &[Context],
    allowed: &dyn Fn(Action) -> bool,
    height: u16,
) -> u16 {
    let lines = help_lines_for(lang, contexts, allowed, &Theme::default()).len();
    lines.saturating_sub(height.saturating_sub(2) as usize) as u16
}

pub fn draw(
    frame: &mut Frame,
    lang: Lang,
    scroll: u16,
    (contexts, allowed): (&[Context], &dyn Fn(Action) -> bool),
    theme: &Theme,
    area: Rect,
) {
    let popup = centered(area, 64, area.height);
    clear(frame, popup);
    let lines = help_lines_for(lang, contexts, allowed, theme);
    let max = lines
        .len()
        .saturating_sub(popup.height.saturating_sub(2) as usize) as u16;
    let p = Paragraph::new(lines)
        .block(framed(
            format!(" {} ", lang.pick("Hjälp – tangenter", "Help – keys")),
            theme,
        ))
        .scroll((scroll.min(max), 0));
    frame.render_widget(p, popup);
}
