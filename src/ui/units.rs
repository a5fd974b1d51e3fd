//! The Units tab: a unit per row, with its years of validity and the count of methods at
//! each current stage; units that have ceased are dimmed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::TabScreen;
use super::table::{fit_columns, render_list, stale_note, with_stage_cells, with_stage_columns};
use super::theme::Theme;
use crate::app::App;
use crate::app::tabs::UnitsTab;
use crate::domain::UnitKind;
use crate::domain::text::printable;

impl TabScreen for UnitsTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        let lang = app.lang;
        let l = &self.list;
        let columns = with_stage_columns(
            (
                vec![
                    Line::from(lang.pick("Kod", "Code")),
                    Line::from(lang.pick("Enhet", "Unit")),
                    Line::from(lang.pick("Region", "Region")),
                    Line::from(lang.pick("Giltig", "Valid")),
                ],
                vec![
                    Constraint::Length(4),
                    Constraint::Min(16),
                    Constraint::Length(9),
                    Constraint::Length(9),
                ],
            ),
            lang,
            theme,
        );
        let rows = l
            .rows
            .iter()
            .map(|u| {
                let valid = match (u.valid_from, u.valid_to) {
                    (None, None) => String::new(),
                    (Some(f), None) => format!("{}–", f.format("%Y")),
                    (None, Some(t)) => format!("–{}", t.format("%Y")),
                    (Some(f), Some(t)) => format!("{}–{}", f.format("%Y"), t.format("%Y")),
                };
                let style = if u.valid_to.is_some() {
                    theme.dim()
                } else {
                    Style::new()
                };
                with_stage_cells(
                    vec![
                        Line::from(printable(&u.code)),
                        Line::from(Span::styled(printable(&u.name), style)),
                        // The list is in this order: districts by region, then the others.
                        Line::from(printable(u.region.as_deref().unwrap_or(match u.kind {
                            UnitKind::Central => lang.pick("central", "central"),
                            UnitKind::Partner => lang.pick("partner", "partner"),
                            UnitKind::District => "",
                        }))),
                        Line::from(valid),
                    ],
                    &u.counts,
                    (u.last_change.as_deref(), lang),
                    theme,
                )
            })
            .collect();
        // A narrow terminal leaves out whole columns: the region, the validity, then the latest date and the stale count.
        let (columns, rows) = fit_columns(columns, rows, area.width, &[2, 3, -1, -2]);
        render_list(
            frame,
            area,
            (
                lang.pick("Enheter", "Units"),
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
