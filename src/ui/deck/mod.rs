//! The workshop slides: drawn large, for a room. No tab bar and no key hints; a page counter
//! and the day shown in the bottom-right corner; the latest change made during the workshop
//! in the bottom-left. Nothing is cut mid-word: text wraps at words, and a line that must
//! stay one line is shortened at a word with "…". Every mark has a symbol as well as a colour:
//! `✱` for what changed during the workshop, parentheses for a stage taken over from
//! predecessors, the stage glyphs beside their words.
//!
//! One module per kind of slide: `title`, `method`, `film`, `stalled`; here the frame they
//! share (margins, the foot line) and big text.

mod film;
mod method;
mod stalled;
mod title;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};
use tui_big_text::{BigText, PixelSize};
use unicode_width::UnicodeWidthStr;

use super::text::fit;
use super::theme::Theme;
use crate::app::App;
use crate::app::deck::{Deck, Page};
use crate::domain::text::printable;

/// The mark of what changed during the workshop.
pub const LIVE: &str = "✱";

/// Draws the presentation's current slide.
pub fn draw(frame: &mut Frame, app: &App, deck: &Deck, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.slide()), area);
    let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let margin = Margin {
        horizontal: if area.width >= 120 { 6 } else { 2 },
        vertical: if area.height >= 40 { 2 } else { 1 },
    };
    let inner = body.inner(margin);
    let lang = app.lang;
    match &deck.page {
        Page::Title(t) => title::draw(frame, lang, deck, t, theme, inner),
        Page::Method(m) => method::draw(frame, lang, deck, m, theme, inner),
        Page::Film(f) => film::draw(frame, lang, deck, f, theme, inner),
        Page::Stalled(s, total, not_heard) => {
            stalled::draw(frame, lang, deck, (s, *total, *not_heard), theme, inner)
        }
    }
    // For screen readers the cursor sits on the slide's title: its first line with text
    // (the title slide's big letters are its title too).
    if theme.a11y {
        let buffer = frame.buffer_mut();
        let first = (inner.top()..inner.bottom()).find_map(|y| {
            (inner.left()..inner.right())
                .find(|&x| !buffer[(x, y)].symbol().trim().is_empty())
                .map(|x| (x, y))
        });
        if let Some(at) = first {
            frame.set_cursor_position(at);
        }
    }
    draw_foot(
        frame,
        app,
        deck,
        theme,
        foot.inner(Margin {
            horizontal: margin.horizontal,
            vertical: 0,
        }),
    );
}

/// Bottom-right: the slide number (and digits being typed), the day shown. Bottom-left: a
/// message, or the latest change made during the workshop.
fn draw_foot(frame: &mut Frame, app: &App, deck: &Deck, theme: &Theme, area: Rect) {
    let typed = if deck.typed.is_empty() {
        String::new()
    } else {
        format!("→ {}   ", deck.typed)
    };
    let corner = format!(
        "{typed}{}/{} · {} {}",
        deck.slide + 1,
        deck.slide_count(),
        app.lang.pick("läget", "as of"),
        deck.moment.day
    );
    let corner_width = corner.width() as u16;
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(corner_width.min(area.width)),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(corner)
            .style(theme.slide_text())
            .alignment(Alignment::Right),
        right,
    );
    let width = left.width.saturating_sub(2) as usize;
    let line = if let Some(m) = &app.message {
        Line::styled(fit(&printable(m), width), theme.slide_mark())
    } else if let Some(t) = deck.fresh_ticker() {
        let what = if t.retracted {
            app.lang.pick("återkallat", "retracted").to_string()
        } else {
            t.stage.label(app.lang).to_string()
        };
        let text = format!(
            "{LIVE} {} {} · {}: {} {what}",
            t.at,
            printable(&t.method),
            printable(&t.unit),
            if t.retracted { "↶" } else { t.stage.glyph() }
        );
        Line::styled(fit(&text, width), theme.slide_mark())
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), left);
}

/// Lines of text in one style, as a paragraph.
fn styled(lines: Vec<String>, style: Style) -> Paragraph<'static> {
    Paragraph::new(
        lines
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect::<Vec<_>>(),
    )
}

/// The size of one character of big text, in cells (columns, rows).
fn cell_size(size: PixelSize) -> (u16, u16) {
    match size {
        PixelSize::Full => (8, 8),
        PixelSize::HalfHeight => (8, 4),
        PixelSize::HalfWidth => (4, 8),
        _ => (4, 4),
    }
}

/// The largest big-text size that fits `text` into `width` × `height` (nothing if none does).
fn big_size(text: &str, width: u16, height: u16) -> Option<PixelSize> {
    let chars = text.chars().count() as u16;
    [PixelSize::Full, PixelSize::HalfHeight, PixelSize::Quadrant]
        .into_iter()
        .find(|&size| {
            let (w, h) = cell_size(size);
            chars.saturating_mul(w) <= width && h <= height
        })
}

fn draw_big(
    frame: &mut Frame,
    text: &str,
    size: PixelSize,
    style: Style,
    area: Rect,
    center: bool,
) {
    let mut builder = BigText::builder();
    builder
        .pixel_size(size)
        .style(style)
        .lines(vec![Line::from(text.to_string())]);
    if center {
        builder.centered();
    }
    frame.render_widget(builder.build(), area);
}
