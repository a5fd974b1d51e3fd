//! Every dialog in one place: retracting an event, the draft offered at start, dropping
//! typed text, and a save that clashed with someone else's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_textarea::TextArea;

use super::theme::Theme;
use super::{centered, clear, framed};
use crate::app::Action;
use crate::app::form::{FieldName, Form, FormKind};
use crate::app::keymap::{self, Context};
use crate::domain::EventRow;
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::Draft;

pub fn draw_retract(
    frame: &mut Frame,
    (lang, confirmation): (Lang, bool),
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
            if confirmation {
                lang.pick("Återkalla bekräftelse", "Retract confirmation")
            } else {
                lang.pick("Återkalla händelse", "Retract event")
            },
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
        Line::from(if confirmation {
            lang.pick(
                "Bekräftelsen blir kvar i historiken men räknas inte längre. Varför?",
                "The confirmation stays in the history but no longer counts. Why?",
            )
        } else {
            lang.pick(
                "Händelsen blir kvar i historiken men räknas inte längre. Varför?",
                "The event stays in the history but no longer counts. Why?",
            )
        }),
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
    let popup = centered(area, 64, 11);
    clear(frame, popup);
    let form = FormKind::of_draft(draft)
        .map(|k| k.title(lang))
        .unwrap_or_default();
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
    // What the draft is about first (the method, unit and stage word of a stage; the name
    // or code of a record), then what was typed.
    const ABOUT: [&str; 6] = ["method", "unit", "stage", "name", "code", "from"];
    let about = ABOUT.iter().filter_map(|key| {
        draft
            .fields
            .get_key_value(*key)
            .filter(|(_, v)| !v.trim().is_empty())
    });
    let typed = draft.fields.iter().filter(|(name, value)| {
        !ABOUT.contains(&name.as_str())
            && draft.original.get(*name) != Some(value)
            && !value.is_empty()
    });
    for (name, value) in about.chain(typed).take(5) {
        let value = if name == "stage" {
            value
                .parse::<crate::domain::Stage>()
                .map(|s| format!("{} {}", s.glyph(), s.label(lang)))
                .unwrap_or_else(|_| value.clone())
        } else {
            value.clone()
        };
        let first = value.lines().next().unwrap_or("");
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "  {}: ",
                    FieldName::from_key(name).map_or("", |f| f.label(lang))
                ),
                theme.header(),
            ),
            Span::raw(printable(first)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!(
            "{} = {}   {} = {}",
            keymap::key_label(Context::Confirm, Action::Confirm),
            lang.pick("öppna den igen", "open it again"),
            keymap::key_label(Context::Confirm, Action::Deny),
            lang.pick("släng den", "drop it"),
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

/// What an operation did: a titled list of lines, scrolled, closed with Esc.
pub fn draw_report(
    frame: &mut Frame,
    title: &str,
    lines: &[String],
    scroll: u16,
    theme: &Theme,
    area: Rect,
) {
    // Wrapped as the app counts them (`layout::report_lines`), so ↓ reaches the last line.
    let wrapped = crate::layout::report_lines(lines, area.width);
    let popup = centered(
        area,
        crate::layout::REPORT_WIDTH,
        (wrapped.len() as u16 + 2).max(5),
    );
    clear(frame, popup);
    let text: Vec<Line> = wrapped.into_iter().map(Line::from).collect();
    frame.render_widget(
        Paragraph::new(text)
            .block(framed(format!(" {} ", printable(title)), theme))
            .scroll((scroll, 0)),
        popup,
    );
}

/// "Which day?": the day every screen shows, typed.
pub fn draw_as_of(
    frame: &mut Frame,
    lang: Lang,
    input: &TextArea<'static>,
    error: Option<&str>,
    theme: &Theme,
    area: Rect,
) {
    let popup = centered(area, 60, 6);
    clear(frame, popup);
    let block = framed(
        format!(" {} ", lang.pick("Visa läget den", "Show the state on")),
        theme,
    );
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    frame.render_widget(input, Rect { height: 1, ..inner });
    let line = match error {
        Some(e) => Line::from(Span::styled(printable(e), theme.error())),
        None => Line::from(Span::styled(
            lang.pick(
                "ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM; tomt = i dag. Enter visar, Esc avbryter",
                "YYYY-MM-DD or YYYY-MM; empty = today. Enter shows, Esc cancels",
            ),
            theme.dim(),
        )),
    };
    frame.render_widget(
        Paragraph::new(line).wrap(Wrap { trim: true }),
        Rect {
            y: inner.y + 2,
            height: inner.height.saturating_sub(2),
            ..inner
        },
    );
}

/// "Drop what you have typed?" over a form.
pub fn draw_discard(frame: &mut Frame, lang: Lang, theme: &Theme, area: Rect) {
    let popup = centered(area, 50, 5);
    clear(frame, popup);
    let text = vec![
        Line::from(lang.pick("Släng det du har skrivit?", "Drop what you have typed?")),
        Line::from(Span::styled(
            format!(
                "{} = {}   {} = {}",
                keymap::key_label(Context::Confirm, Action::Confirm),
                lang.pick("ja, släng", "yes, drop"),
                keymap::key_label(Context::Confirm, Action::Deny),
                lang.pick("nej, fortsätt", "no, keep editing"),
            ),
            theme.header(),
        )),
    ];
    frame.render_widget(
        Paragraph::new(text).block(framed(
            format!(" {} ", lang.pick("Avbryt", "Cancel")),
            theme,
        )),
        popup,
    );
}

/// Someone else saved while this form was open: the original, theirs and mine per field.
pub fn draw_conflict(frame: &mut Frame, lang: Lang, form: &Form, theme: &Theme, area: Rect) {
    use ratatui::layout::Constraint;
    use ratatui::widgets::{Cell, Row, Table};

    let block = framed(
        format!(
            " {} – {} ",
            form.kind.title(lang),
            lang.pick(
                "någon annan sparade under tiden",
                "someone else saved meanwhile"
            )
        ),
        theme,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let intro = Paragraph::new(vec![
        Line::from(lang.pick(
            "Inget är sparat än och inget du skrev är borta. Välj:",
            "Nothing is saved yet and nothing you typed is lost. Choose:",
        )),
        Line::from(Span::styled(
            lang.pick(
                "m slå ihop (din ändring där du ändrat, annars deras)   o spara din över deras   t utgå från deras   Esc tillbaka",
                "m merge (yours where you changed, theirs elsewhere)   o save yours over theirs   t start from theirs   Esc back",
            ),
            theme.focus(),
        )),
    ])
    .wrap(ratatui::widgets::Wrap { trim: true });
    let intro_area = Rect {
        height: 3.min(inner.height),
        ..inner
    };
    frame.render_widget(intro, intro_area);
    let header = Row::new(vec![
        Cell::from(lang.pick("Fält", "Field")),
        Cell::from(lang.pick("Ursprungligt", "Original")),
        Cell::from(lang.pick("Deras", "Theirs")),
        Cell::from(lang.pick("Ditt", "Yours")),
    ])
    .style(theme.header());
    let rows: Vec<Row> = form
        .conflict_fields()
        .into_iter()
        .map(|v| {
            let one = |s: &str| printable(s.lines().next().unwrap_or(""));
            let marker = if v.clashes() { "≠ " } else { "  " };
            let style = if v.clashes() {
                theme.error()
            } else {
                Style::new()
            };
            Row::new(vec![
                Cell::from(Span::styled(format!("{marker}{}", v.label), style)),
                Cell::from(one(&v.original)),
                Cell::from(one(&v.theirs)),
                Cell::from(one(&v.mine)),
            ])
        })
        .collect();
    let table = Table::new(
        rows,
        [
            Constraint::Length(16),
            Constraint::Fill(1),
            Constraint::Fill(1),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .column_spacing(1);
    let table_area = Rect {
        y: inner.y + intro_area.height,
        height: inner.height.saturating_sub(intro_area.height),
        ..inner
    };
    frame.render_widget(table, table_area);
}

/// `A` on a checklist: confirm every unanswered stage of the unit as it stands?
pub fn draw_confirm_all(
    frame: &mut Frame,
    lang: Lang,
    (code, count): (&str, usize),
    theme: &Theme,
    area: Rect,
) {
    draw_question(
        frame,
        lang,
        (
            lang.pick("Bekräfta allt", "Confirm everything"),
            &[
                format!(
                    "{} {count} {} {}?",
                    lang.pick("Bekräfta", "Confirm"),
                    lang.pick("obesvarade steg i", "unanswered stages of"),
                    printable(code)
                ),
                lang.pick(
                    "Vart och ett sägs gälla i dag, som det står.",
                    "Each is said to hold today, as it stands.",
                )
                .to_string(),
            ],
            lang.pick("ja, bekräfta", "yes, confirm"),
        ),
        theme,
        area,
    );
}

/// `X` on the Rounds tab: close the open round?
pub fn draw_close_round(frame: &mut Frame, lang: Lang, name: &str, theme: &Theme, area: Rect) {
    draw_question(
        frame,
        lang,
        (
            lang.pick("Avsluta inventeringen", "Close the round"),
            &[
                format!("{} {}?", lang.pick("Avsluta", "Close"), printable(name)),
                lang.pick(
                    "Svaren finns kvar; inga fler tas emot.",
                    "Its answers are kept; no more are taken.",
                )
                .to_string(),
            ],
            lang.pick("ja, avsluta", "yes, close"),
        ),
        theme,
        area,
    );
}

/// A yes/no question: its title, its lines, and what yes does.
fn draw_question(
    frame: &mut Frame,
    lang: Lang,
    (title, lines, yes): (&str, &[String], &str),
    theme: &Theme,
    area: Rect,
) {
    let popup = centered(area, 60, 2 + lines.len() as u16 + 2);
    clear(frame, popup);
    let mut text: Vec<Line> = lines.iter().map(|l| Line::from(l.clone())).collect();
    text.push(Line::from(Span::styled(
        format!(
            "{} = {yes}   {} = {}",
            keymap::key_label(Context::Confirm, Action::Confirm),
            keymap::key_label(Context::Confirm, Action::Deny),
            lang.pick("nej", "no"),
        ),
        theme.header(),
    )));
    frame.render_widget(
        Paragraph::new(text).block(framed(format!(" {title} "), theme)),
        popup,
    );
}
