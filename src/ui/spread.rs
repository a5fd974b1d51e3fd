//! The Spread tab: the figures per method or unit (see the README's "What the numbers mean"),
//! or the stalled pilots. The column sorted by is marked ▼ (largest first) or ▲.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;

use super::TabScreen;
use super::table::render_list;
use super::theme::Theme;
use crate::app::App;
use crate::app::tabs::{SpreadTab, SpreadView};
use crate::domain::text::printable;
use crate::i18n::Lang;

/// The headers of the figure columns, in the order `o` sorts by them.
fn figure_headers(lang: Lang) -> [&'static str; 10] {
    [
        lang.pick("Nått", "Reach"),
        lang.pick("I bruk", "In use"),
        lang.pick("Andel", "Share"),
        lang.pick("1:a pilot", "1st pilot"),
        lang.pick("Mån", "Mths"),
        lang.pick("På väg", "On way"),
        lang.pick("Stannat", "Stalled"),
        lang.pick("Hållbart", "Sustain"),
        lang.pick("Paus", "Pause"),
        lang.pick("Avsl", "Ended"),
    ]
}

impl TabScreen for SpreadTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        let lang = app.lang;
        let rolled = if self.roll_up {
            lang.pick(", med föregångare", ", with predecessors")
        } else {
            ""
        };
        match self.view {
            SpreadView::Stalled => {
                let header = vec![
                    Line::from(lang.pick("Metod", "Method")),
                    Line::from(lang.pick("Enhet", "Unit")),
                    Line::from(lang.pick("Steg", "Stage")),
                    Line::from(lang.pick("Sedan", "Since")),
                    Line::from(lang.pick("Månader", "Months")),
                ];
                let widths = vec![
                    Constraint::Min(20),
                    Constraint::Length(5),
                    Constraint::Length(22),
                    Constraint::Length(10),
                    Constraint::Length(7),
                ];
                let rows = self
                    .stalled
                    .rows
                    .iter()
                    .map(|s| {
                        vec![
                            Line::from(printable(&s.method)),
                            Line::from(printable(&s.unit)),
                            Line::from(format!("{} {}", s.stage.glyph(), s.stage.label(lang))),
                            Line::from(s.since.to_string()),
                            Line::from(format!("{:>7}", s.months)),
                        ]
                    })
                    .collect();
                let name = format!(
                    "{} ({} {}){rolled}",
                    lang.pick("Stannade piloter", "Stalled pilots"),
                    lang.pick("över 18 mån,", "over 18 months,"),
                    app.moment.day
                );
                render_list(
                    frame,
                    area,
                    (&name, &self.stalled, lang),
                    (header, widths),
                    rows,
                    theme,
                );
            }
            SpreadView::Methods | SpreadView::Units => {
                let first = match self.view {
                    SpreadView::Units => lang.pick("Enhet", "Unit"),
                    _ => lang.pick("Metod", "Method"),
                };
                // Which figures fit: all ten from 110 columns, without paused and
                // discontinued from 78, else the five that matter most.
                let shown: &[usize] = if area.width >= 110 {
                    &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
                } else if area.width >= 78 {
                    &[0, 1, 2, 3, 4, 5, 6, 7]
                } else {
                    &[0, 1, 2, 3, 6]
                };
                const WIDTHS: [u16; 10] = [6, 7, 6, 10, 5, 6, 7, 8, 6, 6];
                let headers = figure_headers(lang);
                let mut header = vec![Line::from(first)];
                let mut widths = vec![Constraint::Min(12)];
                for &i in shown {
                    let mark = match (self.sort, self.descending) {
                        (Some(c), true) if c == i => "▼",
                        (Some(c), false) if c == i => "▲",
                        _ => "",
                    };
                    header.push(Line::from(format!("{}{mark}", headers[i])));
                    widths.push(Constraint::Length(WIDTHS[i]));
                }
                let rows = self
                    .rows
                    .rows
                    .iter()
                    .map(|m| {
                        let n = |v: u32| {
                            if v == 0 {
                                format!("{:>4}", "·")
                            } else {
                                format!("{v:>4}")
                            }
                        };
                        let figure = |i: usize| match i {
                            0 => n(m.reached),
                            1 => n(m.in_use),
                            2 => format!("{:>4.0}%", m.share * 100.0),
                            3 => m.first_pilot.map(|d| d.to_string()).unwrap_or_default(),
                            4 => m
                                .median_months
                                .map(|v| format!("{v:>5.1}"))
                                .unwrap_or_default(),
                            5 => n(m.on_the_way),
                            6 => n(m.stalled),
                            7 => n(m.sustained),
                            8 => n(m.paused),
                            _ => n(m.discontinued),
                        };
                        let mut cells = vec![Line::from(printable(&m.label))];
                        cells.extend(shown.iter().map(|&i| Line::from(figure(i))));
                        cells
                    })
                    .collect();
                let which = if app.moment.all_units {
                    lang.pick("alla enheter", "all units").to_string()
                } else {
                    format!(
                        "{} {}",
                        lang.pick("enheter som fanns", "units that existed on"),
                        app.moment.day
                    )
                };
                let name = format!(
                    "{} ({which}{rolled})",
                    match self.view {
                        SpreadView::Units => lang.pick("Upptag per enhet", "Uptake per unit"),
                        _ => lang.pick("Spridning per metod", "Spread per method"),
                    }
                );
                render_list(
                    frame,
                    area,
                    (&name, &self.rows, lang),
                    (header, widths),
                    rows,
                    theme,
                );
            }
        }
    }
}
