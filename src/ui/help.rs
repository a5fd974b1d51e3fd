//! Help, generated from the key map (so it always matches what the keys do), and the small
//! retraction dialog.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::theme::Theme;
use super::{centered, clear, framed};
use crate::app::form::field_label;
use crate::app::keymap::{CONTEXT_ORDER, KEYMAP};
use crate::domain::text::printable;
use crate::domain::{EventRow, Stage};
use crate::i18n::Lang;
use crate::store::Draft;

/// The help text: every binding, grouped by where it applies, then the stages.
pub fn help_lines(lang: Lang, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for ctx in CONTEXT_ORDER {
        lines.push(Line::from(Span::styled(ctx.title(lang), theme.header())));
        for b in KEYMAP.iter().filter(|b| b.context == ctx) {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<18}", b.key_labels()), theme.focus()),
                Span::raw(b.describe(lang)),
            ]));
        }
        lines.push(Line::default());
    }
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

pub fn draw(frame: &mut Frame, lang: Lang, scroll: u16, theme: &Theme, area: Rect) {
    let popup = centered(area, 64, area.height);
    clear(frame, popup);
    let lines = help_lines(lang, theme);
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

pub fn draw_retract(
    frame: &mut Frame,
    lang: Lang,
    event: &EventRow,
    reason: &TextArea<'static>,
    error: Option<&str>,
    theme: &Theme,
    area: Rect,
) {
    let popup = centered(area, 70, 9);
    clear(frame, popup);
    let block = framed(
        format!(
            " {} #{} ",
            lang.pick("Återkalla händelse", "Retract event"),
            event.id
        ),
        theme,
    );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let summary = format!(
        "{} {} {} {} ({})",
        printable(&event.method),
        printable(&event.unit),
        event.stage.glyph(),
        event.stage.label(lang),
        printable(&event.date)
    );
    let text = vec![
        Line::from(summary),
        Line::from(lang.pick(
            "Händelsen blir kvar i historiken men räknas inte längre. Varför?",
            "The event stays in the history but no longer counts. Why?",
        )),
    ];
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }),
        Rect { height: 3, ..inner },
    );
    let input = Rect {
        y: inner.y + 3,
        height: 1,
        ..inner
    };
    frame.render_widget(reason, input);
    let bottom = Rect {
        y: inner.y + 5,
        height: 1,
        ..inner
    };
    let line = match error {
        Some(e) => Line::from(Span::styled(printable(e), theme.error())),
        None => Line::from(Span::styled(
            lang.pick(
                "Ctrl-S återkalla   Esc avbryt",
                "Ctrl-S retract   Esc cancel",
            ),
            theme.dim(),
        )),
    };
    frame.render_widget(Paragraph::new(line), bottom);
}

/// "You have unsaved text from last time": what it is, and the choice.
pub fn draw_draft(
    frame: &mut Frame,
    app: &crate::app::App,
    draft: &Draft,
    theme: &Theme,
    area: Rect,
) {
    let lang = app.lang;
    let popup = centered(area, 64, 10);
    clear(frame, popup);
    let form = match draft.form.as_str() {
        "record_stage" => lang.pick("Registrera steg", "Record a stage"),
        "new_method" => lang.pick("Ny metod", "New method"),
        "edit_method" => lang.pick("Redigera metod", "Edit method"),
        "new_unit" => lang.pick("Ny enhet", "New unit"),
        _ => lang.pick("Redigera enhet", "Edit unit"),
    };
    let mut lines = vec![
        Line::from(format!(
            "{} ({form}, {}):",
            lang.pick(
                "Du har osparad text från förra gången",
                "You have unsaved text from last time"
            ),
            app.local_time(&draft.saved_at)
        )),
        Line::default(),
    ];
    let typed = draft
        .fields
        .iter()
        .filter(|(name, value)| draft.original.get(*name) != Some(value) && !value.is_empty());
    for (name, value) in typed.take(4) {
        let first = value.lines().next().unwrap_or("");
        lines.push(Line::from(vec![
            Span::styled(format!("  {}: ", field_label(name, lang)), theme.header()),
            Span::raw(printable(first)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        lang.pick(
            "j = öppna den igen   n = släng den",
            "y = open it again   n = drop it",
        ),
        theme.focus(),
    )));
    let block = framed(format!(" {} ", lang.pick("Utkast", "Draft")), theme);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
