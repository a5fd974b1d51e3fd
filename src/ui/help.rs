//! Help: the key map's help lines (`keymap::help_lines`, so it always matches what the keys
//! do), each given its look.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{centered, clear, framed};
use crate::app::Action;
use crate::app::keymap::{Context, HelpLine, help_lines};
use crate::i18n::Lang;

/// The help text for some contexts, styled: the bindings this person may use (`allowed`),
/// grouped by where they apply, the filter's terms, the stages with their glyphs.
fn help_lines_for(
    lang: Lang,
    contexts: &[Context],
    allowed: &dyn Fn(Action) -> bool,
    theme: &Theme,
) -> Vec<Line<'static>> {
    help_lines(lang, contexts, allowed)
        .into_iter()
        .map(|line| match line {
            HelpLine::Heading(text) => Line::from(Span::styled(text, theme.header())),
            HelpLine::Entry(keys, what) => Line::from(vec![
                Span::styled(format!("  {keys:<18}"), theme.focus()),
                Span::raw(what),
            ]),
            HelpLine::Stage(s) => Line::from(vec![
                Span::styled(format!("  {} ", s.glyph()), theme.stage(s)),
                Span::raw(format!(
                    "{:<22}{:<14}{} {}",
                    s.label(lang),
                    s.code(),
                    lang.pick("tangent i formulär:", "key in forms:"),
                    s.letter(lang)
                )),
            ]),
            HelpLine::Blank => Line::default(),
        })
        .collect()
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
    // For screen readers the cursor is on help's first line in view (not on the list behind
    // it), so what is read is help, and it follows the scrolling.
    if theme.a11y && popup.width > 2 && popup.height > 2 {
        frame.set_cursor_position((popup.x + 1, popup.y + 1));
    }
}
