//! Forms: a label per field, the editor, and under it what is wrong or what was matched.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use super::{dialogs, framed};
use crate::app::form::{Field, FieldInput, Form};
use crate::domain::text::printable;
use crate::i18n::Lang;

const LABEL_WIDTH: u16 = 14;

/// Screen rows a field takes: the editor, and a line under it when there is an error or hint.
fn rows(field: &Field) -> u16 {
    field.height() + u16::from(field.error.is_some() || !field.hint.is_empty())
}

pub fn draw(frame: &mut Frame, lang: Lang, form: &Form, theme: &Theme, area: Rect) {
    if form.conflict.is_some() {
        dialogs::draw_conflict(frame, lang, form, theme, area);
        return;
    }
    let block = framed(format!(" {} ", form.kind.title(lang)), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // The bottom line is for the form's own message; fields scroll so the focused one shows.
    let avail = inner.height.saturating_sub(1);
    let mut y = inner.y;
    for (i, field) in form
        .fields
        .iter()
        .enumerate()
        .skip(first_shown(form, avail))
    {
        if y + field.height() > inner.y + avail {
            break;
        }
        y = draw_field(
            frame,
            (field, lang),
            i == form.focus,
            theme,
            Rect { y, ..inner },
        );
    }
    if let Some(e) = &form.error {
        let r = Rect {
            x: inner.x,
            y: inner.y + avail,
            width: inner.width,
            height: 1,
        };
        frame.render_widget(Paragraph::new(Span::styled(printable(e), theme.error())), r);
    }
    if form.confirm_discard {
        dialogs::draw_discard(frame, lang, theme, area);
    }
}

/// The first field shown: the fields scroll so that those from it to the focused one fit in
/// `avail` rows.
fn first_shown(form: &Form, avail: u16) -> usize {
    let mut first = 0;
    while first < form.focus
        && form.fields[first..=form.focus]
            .iter()
            .map(rows)
            .sum::<u16>()
            > avail
    {
        first += 1;
    }
    first
}

/// A field from the top of `area`: its label (marked when `focused`), its editor, and under
/// it what is wrong or what was matched. Returns the row below it.
fn draw_field(
    frame: &mut Frame,
    (field, lang): (&Field, Lang),
    focused: bool,
    theme: &Theme,
    area: Rect,
) -> u16 {
    let y = area.y;
    let label_style = if focused {
        theme.focus()
    } else {
        theme.header()
    };
    let marker = if focused { "▶" } else { " " };
    let label = Rect {
        x: area.x,
        y,
        width: LABEL_WIDTH.min(area.width),
        height: 1,
    };
    frame.render_widget(
        Paragraph::new(Line::from(Span::styled(
            format!("{marker}{:>w$} ", field.label, w = LABEL_WIDTH as usize - 2),
            label_style,
        ))),
        label,
    );
    let input = Rect {
        x: area.x + LABEL_WIDTH,
        y,
        width: area.width.saturating_sub(LABEL_WIDTH),
        height: field.height(),
    };
    draw_input(frame, (field, lang), focused, theme, input);
    let y = y + field.height();
    let note = match (&field.error, field.hint.is_empty()) {
        (Some(e), _) => Span::styled(format!("✗ {}", printable(e)), theme.error()),
        (None, false) => Span::styled(format!("→ {}", printable(&field.hint)), theme.dim()),
        (None, true) => return y,
    };
    let r = Rect {
        x: area.x + LABEL_WIDTH,
        y,
        width: area.width.saturating_sub(LABEL_WIDTH),
        height: 1,
    };
    frame.render_widget(Paragraph::new(Line::from(note)), r);
    y + 1
}

fn draw_input(
    frame: &mut Frame,
    (field, lang): (&Field, Lang),
    focused: bool,
    theme: &Theme,
    area: Rect,
) {
    match &field.input {
        FieldInput::Choice {
            options,
            index,
            letters,
        } => {
            let label = printable(options.get(*index).map(|(_, l)| l.as_str()).unwrap_or(""));
            let style = if focused {
                theme.selected()
            } else {
                Style::new()
            };
            // The letter that picks this option, underlined where the word has it (past the
            // stage's glyph), as a menu marks its keys.
            let letter = letters.get(*index).and_then(|l| {
                let from = label.find(char::is_alphabetic)?;
                label[from..]
                    .char_indices()
                    .find(|(_, c)| c.to_lowercase().eq(l.to_lowercase()))
                    .map(|(at, c)| (from + at, c.len_utf8()))
            });
            let mut spans = vec![Span::raw("◀ ")];
            match letter {
                Some((at, len)) => spans.extend([
                    Span::styled(label[..at].to_string(), style),
                    Span::styled(
                        label[at..at + len].to_string(),
                        style.add_modifier(Modifier::UNDERLINED),
                    ),
                    Span::styled(label[at + len..].to_string(), style),
                ]),
                None => spans.push(Span::styled(label.clone(), style)),
            }
            spans.push(Span::raw(" ▶"));
            let line = Line::from(spans);
            frame.render_widget(Paragraph::new(line), area);
            if focused && theme.a11y {
                frame.set_cursor_position((area.x + 2, area.y));
            }
        }
        FieldInput::Text { area: text, .. } => {
            // Drawn from a copy so that drawing never changes the form.
            let mut text = text.clone();
            let base = if focused {
                Style::new().add_modifier(Modifier::UNDERLINED)
            } else {
                theme.dim().add_modifier(Modifier::UNDERLINED)
            };
            text.set_style(base);
            text.set_placeholder_style(theme.dim().add_modifier(Modifier::ITALIC));
            // A screen reader reads a hint as if it were the value: it says it is empty.
            if theme.a11y && !text.placeholder_text().is_empty() {
                let hint = format!(
                    "({}: {})",
                    lang.pick("tomt", "empty"),
                    text.placeholder_text()
                );
                text.set_placeholder_text(hint);
            }
            text.set_cursor_line_style(Style::new());
            text.set_cursor_style(if focused {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                base
            });
            frame.render_widget(&*text, area);
            // For screen readers and magnifiers the terminal cursor is where typing goes.
            if focused && theme.a11y {
                // Where the editor drew its cursor: its screen position less its scroll.
                let at = text.screen_cursor();
                let (top, left) = text.scroll_offset();
                let col = (at.col as u16).saturating_sub(left);
                let row = (at.row as u16).saturating_sub(top);
                let x = area.x + col.min(area.width.saturating_sub(1));
                let y = area.y + row.min(area.height.saturating_sub(1));
                frame.set_cursor_position((x, y));
            }
        }
    }
}
