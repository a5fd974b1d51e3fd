//! The Methods tab: a method per row with the count of units at each current stage.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;

use super::TabScreen;
use super::table::{fit_columns, render_list, stale_note, with_stage_cells, with_stage_columns};
use super::theme::Theme;
use crate::app::App;
use crate::app::tabs::MethodsTab;
use crate::domain::text::printable;

impl TabScreen for MethodsTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        let lang = app.lang;
        let l = &self.list;
        let columns = with_stage_columns(
            (
                vec![
                    Line::from(lang.pick("Metod", "Method")),
                    Line::from(lang.pick("Område", "Area")),
                ],
                vec![Constraint::Min(20), Constraint::Length(14)],
            ),
            lang,
            theme,
        );
        let rows = l
            .rows
            .iter()
            .map(|m| {
                // The name first (the list is in name order), the short name only once.
                let name = printable(&crate::domain::model::listed_name(
                    &m.name,
                    m.short_name.as_deref(),
                ));
                with_stage_cells(
                    vec![Line::from(name), Line::from(printable(&m.area))],
                    &m.counts,
                    (m.last_change.as_deref(), lang),
                    theme,
                )
            })
            .collect();
        // A narrow terminal leaves out whole columns: the area, then the latest date, then the stale count.
        let (columns, rows) = fit_columns(columns, rows, area.width, &[1, -1, -2]);
        render_list(
            frame,
            area,
            (
                lang.pick("Metoder", "Methods"),
                l,
                lang,
                &stale_note(l.rows.iter().map(|r| &r.counts), &app.moment, lang),
            ),
            columns,
            rows,
            theme,
        );
    }
}
