//! The Activity tab: the newest events first, retracted ones marked in words.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::Cell;

use super::TabScreen;
use super::table::render_list;
use super::theme::Theme;
use crate::app::App;
use crate::app::tabs::ActivityTab;
use crate::domain::text::printable;

impl TabScreen for ActivityTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        let lang = app.lang;
        // On a narrow terminal the day is enough, and the method name gets the room.
        let when_width: usize = if area.width < 100 { 10 } else { 16 };
        let l = &self.list;
        let header = vec![
            Cell::from(lang.pick("När", "When")),
            Cell::from(lang.pick("Av", "By")),
            Cell::from(lang.pick("Metod", "Method")),
            Cell::from(lang.pick("Enhet", "Unit")),
            Cell::from(lang.pick("Steg", "Stage")),
            Cell::from(lang.pick("Från", "From")),
            Cell::from(lang.pick("Notering", "Note")),
        ];
        let rows = l
            .rows
            .iter()
            .map(|e| {
                let note = printable(e.note.lines().next().unwrap_or(""));
                let (stage_style, note) = match &e.retraction {
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
                vec![
                    Cell::from(
                        app.local_time(&e.recorded_at)
                            .chars()
                            .take(when_width)
                            .collect::<String>(),
                    ),
                    Cell::from(printable(&e.recorded_by)),
                    Cell::from(printable(&e.method)),
                    Cell::from(printable(&e.unit)),
                    Cell::from(Span::styled(
                        format!("{} {}", e.stage.glyph(), e.stage.label(lang)),
                        stage_style,
                    )),
                    Cell::from(printable(&e.date)),
                    Cell::from(note),
                ]
            })
            .collect();
        let widths = vec![
            Constraint::Length(when_width as u16),
            Constraint::Length(8),
            Constraint::Length(14),
            Constraint::Length(5),
            Constraint::Length(14),
            Constraint::Length(10),
            Constraint::Min(10),
        ];
        render_list(
            frame,
            area,
            (lang.pick("Aktivitet", "Activity"), l, lang),
            (header, widths),
            rows,
            theme,
        );
    }
}
