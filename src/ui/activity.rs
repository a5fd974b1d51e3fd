//! The Activity tab: the newest changes first: stage events (retracted ones marked in words),
//! retractions, and methods and units added or edited (which fields).

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::TabScreen;
use super::table::{fit_columns, render_list};
use super::theme::Theme;
use crate::app::App;
use crate::app::tabs::ActivityTab;
use crate::domain::text::printable;
use crate::domain::{Change, ChangeKind};
use crate::i18n::Lang;

impl TabScreen for ActivityTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        let lang = app.lang;
        // On a narrow terminal the day is enough, and the method name gets the room.
        let when_width: usize = if area.width < 100 { 10 } else { 16 };
        let l = &self.list;
        let header = vec![
            Line::from(lang.pick("När", "When")),
            Line::from(lang.pick("Av", "By")),
            Line::from(lang.pick("Metod", "Method")),
            Line::from(lang.pick("Enhet", "Unit")),
            Line::from(lang.pick("Steg", "Stage")),
            Line::from(lang.pick("Från", "From")),
            Line::from(lang.pick("Notering", "Note")),
        ];
        let rows = l
            .rows
            .iter()
            .map(|c| {
                let What {
                    change,
                    style,
                    date,
                    note,
                } = what(c, lang, theme);
                vec![
                    Line::from(
                        app.local_time(&c.at)
                            .chars()
                            .take(when_width)
                            .collect::<String>(),
                    ),
                    Line::from(printable(&c.login)),
                    Line::from(printable(&c.method)),
                    Line::from(printable(&c.unit)),
                    Line::from(Span::styled(change, style)),
                    Line::from(date),
                    Line::from(note),
                ]
            })
            .collect();
        let widths = vec![
            Constraint::Length(when_width as u16),
            Constraint::Length(8),
            Constraint::Length(14),
            Constraint::Length(5),
            Constraint::Length(15),
            Constraint::Length(10),
            Constraint::Min(8),
        ];
        let mut name = match self.new_above {
            0 => lang.pick("Aktivitet", "Activity").to_string(),
            n => format!(
                "{} · {n} {}",
                lang.pick("Aktivitet", "Activity"),
                lang.pick("nya ovanför", "new above")
            ),
        };
        if self.counting() {
            name.push_str(lang.pick(" · räknar…", " · counting…"));
        }
        // A narrow terminal leaves out whole columns: the note, then the date it took
        // effect, then who; when, what, where and the stage stay.
        let ((header, widths), rows) = fit_columns((header, widths), rows, area.width, &[-1, 5, 1]);
        render_list(
            frame,
            area,
            (&name, l, lang, ""),
            (header, widths),
            rows,
            theme,
        );
    }
}

/// What a change's row says after who and where: the change in words (and its style), the
/// date it took effect, and a note.
struct What {
    change: String,
    style: Style,
    date: String,
    note: String,
}

fn what(c: &Change, lang: Lang, theme: &Theme) -> What {
    match (&c.event, c.kind) {
        // A stage event: its stage, the date it took effect and its note; retracted since, it
        // says so and why.
        (Some(e), ChangeKind::Event) => {
            let note = printable(e.note.lines().next().unwrap_or(""));
            let (style, note) = match &e.retraction {
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
            What {
                change: format!("{} {}", e.stage.glyph(), e.stage.label(lang)),
                style,
                date: printable(&e.date),
                note,
            }
        }
        // A confirmation: the stage that still held, its day and note.
        (Some(e), ChangeKind::Confirmation) => What {
            change: format!(
                "{} {} {}",
                c.kind.glyph(),
                e.stage.glyph(),
                e.stage.label(lang)
            ),
            style: if e.retraction.is_some() {
                theme.retracted()
            } else {
                theme.stage(e.stage)
            },
            date: printable(&e.date),
            note: match &e.retraction {
                Some(r) => format!(
                    "[{}: {}] {}",
                    lang.pick("återkallad", "retracted"),
                    printable(&r.reason),
                    printable(e.note.lines().next().unwrap_or(""))
                ),
                None => format!(
                    "{} {}",
                    lang.pick("bekräftat:", "confirmed:"),
                    printable(e.note.lines().next().unwrap_or(""))
                )
                .trim_end()
                .to_string(),
            },
        },
        // A retraction: of which event or confirmation (its stage and date), and why.
        (Some(e), _) => What {
            change: format!("{} {}", c.kind.glyph(), c.kind.label(lang)),
            style: theme.retracted(),
            date: printable(&e.date),
            note: format!(
                "#{} {} {}: {}",
                e.id,
                e.stage.glyph(),
                e.stage.label(lang),
                e.retraction
                    .as_ref()
                    .map(|r| printable(&r.reason))
                    .unwrap_or_default()
            ),
        },
        // A method or unit added or edited: which fields changed.
        (None, kind) => What {
            change: format!("{} {}", kind.glyph(), kind.label(lang)),
            style: theme.header(),
            date: String::new(),
            note: if c.fields.is_empty() {
                printable(if c.is_method() {
                    &c.method_name
                } else {
                    &c.unit_name
                })
            } else {
                format!(
                    "{}: {}",
                    lang.pick("ändrat", "changed"),
                    printable(&c.fields_in_words(lang))
                )
            },
        },
    }
}
