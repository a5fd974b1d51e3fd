//! The Spread tab: the figures per method or unit (see the README's "What the numbers mean"),
//! or the stalled pilots. The column sorted by is marked ▼ (largest first) or ▲.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;

use super::TabScreen;
use super::table::render_list;
use super::theme::Theme;
use crate::app::Action;
use crate::app::App;
use crate::app::keymap::{self, Context};
use crate::app::tabs::{SpreadColumn, SpreadTab, SpreadView};
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::Metrics;

impl TabScreen for SpreadTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        match self.view {
            SpreadView::Stalled | SpreadView::NotHeardFrom => {
                draw_stalled(frame, self, app, theme, area)
            }
            SpreadView::Methods | SpreadView::Units => draw_figures(frame, self, app, theme, area),
        }
    }
}

/// ", with predecessors" in a title, when they are folded in.
fn rolled(tab: &SpreadTab, lang: Lang) -> &'static str {
    if tab.roll_up {
        lang.pick(", med föregångare", ", with predecessors")
    } else {
        ""
    }
}

/// The stalled pilots (or the stages not heard from): a method and unit per row, with the
/// stage, since when, how long (at the stage; or since last heard) and when last heard.
fn draw_stalled(frame: &mut Frame, tab: &SpreadTab, app: &App, theme: &Theme, area: Rect) {
    let lang = app.lang;
    let header = vec![
        Line::from(lang.pick("Metod", "Method")),
        Line::from(lang.pick("Enhet", "Unit")),
        Line::from(lang.pick("Steg", "Stage")),
        Line::from(lang.pick("Sedan", "Since")),
        Line::from(lang.pick("Månader", "Months")),
        Line::from(lang.pick("Senast hörd", "Last heard")),
    ];
    let widths = vec![
        Constraint::Min(20),
        Constraint::Length(5),
        Constraint::Length(22),
        Constraint::Length(10),
        Constraint::Length(7),
        Constraint::Length(11),
    ];
    let rows = tab
        .stalled
        .rows
        .iter()
        .map(|s| {
            vec![
                Line::from(printable(&s.method)),
                Line::from(printable(&s.unit)),
                Line::from(format!("{} {}", s.stage.glyph(), s.stage.label(lang))),
                Line::from(s.since_shown()),
                Line::from(format!("{:>7}", s.months)),
                Line::from(s.heard_shown()),
            ]
        })
        .collect();
    let name = if tab.view == SpreadView::NotHeardFrom {
        format!(
            "{} {} ({}){}",
            lang.pick("Steg", "Stages"),
            crate::domain::age::stale_words(app.moment.fresh_months, lang),
            app.moment.day,
            rolled(tab, lang)
        )
    } else {
        let months = crate::store::STALLED_AFTER;
        format!(
            "{} ({} {}){}",
            lang.pick("Stannade piloter", "Stalled pilots"),
            match lang {
                Lang::Sv => format!("över {months} mån, med besked,"),
                Lang::En => format!("over {months} months, heard from,"),
            },
            app.moment.day,
            rolled(tab, lang)
        )
    };
    render_list(
        frame,
        area,
        (&name, &tab.stalled, lang, ""),
        (header, widths),
        rows,
        theme,
    );
    if tab.view == SpreadView::Stalled && tab.stalled.total == 0 {
        draw_why_none_stalled(frame, app, area);
    }
}

/// An empty list of stalled pilots is not the news that nothing is stuck (on the sample
/// today, every pilot is 20 years old and unheard of): under the header, in whole words, why
/// the list is empty and where the stages nobody has confirmed are.
fn draw_why_none_stalled(frame: &mut Frame, app: &App, area: Rect) {
    let lang = app.lang;
    let key = keymap::key_label(Context::Spread, Action::NextView);
    let (months, stalled) = (app.moment.fresh_months, crate::store::STALLED_AFTER);
    let text = match lang {
        Lang::Sv => format!(
            "Ingen förberedelse eller pilot har stått still i mer än {stalled} månader med \
             färskt besked. Ett steg som inte hörts av på {months} månader räknas inte som stannat \
             utan som utan besked. {key} visar de stegen, äldst besked först: listan över \
             vilka att fråga."
        ),
        Lang::En => format!(
            "No preparing or pilot stage has stood for more than {stalled} months while \
             heard from. A stage not heard from in {months} months counts as not heard from, not \
             as stalled. {key} shows those stages, oldest word first: the list of whom to \
             ask."
        ),
    };
    // Inside the frame, below the header row, in line with the first column's text.
    let body = Rect {
        x: area.x + 3,
        y: area.y + 2,
        width: area.width.saturating_sub(4),
        height: area.height.saturating_sub(3),
    };
    if body.width == 0 || body.height == 0 {
        return;
    }
    let lines: Vec<Line> = crate::layout::wrap(&text, body.width as usize)
        .into_iter()
        .take(body.height as usize)
        .map(Line::from)
        .collect();
    frame.render_widget(ratatui::widgets::Paragraph::new(lines), body);
}

/// The figures per method or per unit, in as many columns as fit.
fn draw_figures(frame: &mut Frame, tab: &SpreadTab, app: &App, theme: &Theme, area: Rect) {
    let lang = app.lang;
    let first = match tab.view {
        SpreadView::Units => lang.pick("Enhet", "Unit"),
        _ => lang.pick("Metod", "Method"),
    };
    let shown = shown_columns(area.width);
    let mut header = vec![Line::from(first)];
    let mut widths = vec![Constraint::Min(12)];
    for &column in shown {
        let mark = match tab.sort {
            Some(c) if c == column && tab.descending => "▼",
            Some(c) if c == column => "▲",
            _ => "",
        };
        header.push(Line::from(format!("{}{mark}", heading(column, lang))));
        widths.push(Constraint::Length(width(column)));
    }
    let rows = tab
        .rows
        .rows
        .iter()
        .map(|m| {
            let mut cells = vec![Line::from(printable(&m.label))];
            cells.extend(shown.iter().map(|&c| Line::from(cell(c, m))));
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
        "{} ({which}{})",
        match tab.view {
            SpreadView::Units => lang.pick("Upptag per enhet", "Uptake per unit"),
            _ => lang.pick("Spridning per metod", "Spread per method"),
        },
        rolled(tab, lang)
    );
    render_list(
        frame,
        area,
        (&name, &tab.rows, lang, ""),
        (header, widths),
        rows,
        theme,
    );
    if theme.a11y {
        figures_sentence(frame, tab, lang, theme, area);
    }
}

/// For screen readers: the selected row says every figure with its name ("ASI: reached 4,
/// in use 2, …") in place of its columns, and the terminal cursor sits on it.
fn figures_sentence(frame: &mut Frame, tab: &SpreadTab, lang: Lang, theme: &Theme, area: Rect) {
    let list = &tab.rows;
    let Some(m) = list.selected_row() else {
        return;
    };
    let y = area.y + 2 + (list.selected - list.offset) as u16;
    if y >= area.bottom().saturating_sub(1) {
        return;
    }
    let figures: Vec<String> = SpreadColumn::ALL
        .iter()
        .filter_map(|&c| {
            // A count of none is said as 0; a day or a median there is none of is left out.
            let value = match cell(c, m).trim() {
                "·" => "0".to_string(),
                v => v.to_string(),
            };
            (!value.is_empty()).then(|| format!("{} {value}", spoken(c, lang)))
        })
        .collect();
    let figures = if figures.is_empty() {
        lang.pick("inga siffror", "no figures").to_string()
    } else {
        figures.join(", ")
    };
    let text = format!("{}{}: {figures}", super::SELECTED, printable(&m.label));
    let row = Rect {
        x: area.x + 1,
        y,
        width: area.width.saturating_sub(2),
        height: 1,
    };
    frame.render_widget(ratatui::widgets::Clear, row);
    frame.render_widget(
        ratatui::widgets::Paragraph::new(Line::styled(
            super::text::fit(&text, row.width as usize),
            theme.selected(),
        )),
        row,
    );
    frame.set_cursor_position((row.x, y));
}

/// A figure's name in words, as a screen reader says it.
fn spoken(column: SpreadColumn, lang: Lang) -> &'static str {
    match column {
        SpreadColumn::Reached => lang.pick("nått", "reached"),
        SpreadColumn::InUse => lang.pick("i bruk", "in use"),
        SpreadColumn::Share => lang.pick("andel i bruk", "share in use"),
        SpreadColumn::FirstPilot => lang.pick("första pilot", "first pilot"),
        SpreadColumn::MedianMonths => lang.pick(
            "månader från pilot till bruk, median",
            "months from pilot to use, median",
        ),
        SpreadColumn::OnTheWay => lang.pick("på väg", "on the way"),
        SpreadColumn::Preparing => lang.pick("förbereder", "preparing"),
        SpreadColumn::Stalled => lang.pick("stannat", "stalled"),
        SpreadColumn::NotHeardFrom => lang.pick("utan besked", "not heard from"),
        SpreadColumn::Sustained => lang.pick("vidmakthållen", "sustained"),
        SpreadColumn::Paused => lang.pick("pausad", "paused"),
        SpreadColumn::Discontinued => lang.pick("avslutad", "discontinued"),
    }
}

/// Which figures fit: all ten from 110 columns, without paused and discontinued from 78,
/// else the five that matter most.
fn shown_columns(width: u16) -> &'static [SpreadColumn] {
    use SpreadColumn::*;
    if width >= 124 {
        &SpreadColumn::ALL
    } else if width >= 78 {
        &[
            Reached,
            InUse,
            Share,
            FirstPilot,
            OnTheWay,
            Preparing,
            Stalled,
            NotHeardFrom,
        ]
    } else {
        &[Reached, InUse, Share, Stalled, NotHeardFrom]
    }
}

/// A figure column's header.
fn heading(column: SpreadColumn, lang: Lang) -> &'static str {
    match column {
        SpreadColumn::Reached => lang.pick("Nått", "Reach"),
        SpreadColumn::InUse => lang.pick("I bruk", "In use"),
        SpreadColumn::Share => lang.pick("Andel", "Share"),
        SpreadColumn::FirstPilot => lang.pick("1:a pilot", "1st pilot"),
        SpreadColumn::MedianMonths => lang.pick("Mån", "Mths"),
        SpreadColumn::OnTheWay => lang.pick("På väg", "On way"),
        SpreadColumn::Preparing => lang.pick("Förb", "Prep"),
        SpreadColumn::Stalled => lang.pick("Stannat", "Stalled"),
        SpreadColumn::NotHeardFrom => lang.pick("Ej hörd", "Unheard"),
        SpreadColumn::Sustained => lang.pick("Hållbart", "Sustain"),
        SpreadColumn::Paused => lang.pick("Paus", "Pause"),
        SpreadColumn::Discontinued => lang.pick("Avsl", "Ended"),
    }
}

/// A figure column's width.
fn width(column: SpreadColumn) -> u16 {
    match column {
        SpreadColumn::Reached | SpreadColumn::Share | SpreadColumn::OnTheWay => 6,
        SpreadColumn::InUse | SpreadColumn::Stalled | SpreadColumn::NotHeardFrom => 7,
        SpreadColumn::Preparing => 5,
        SpreadColumn::FirstPilot => 10,
        SpreadColumn::MedianMonths => 5,
        SpreadColumn::Sustained => 8,
        SpreadColumn::Paused | SpreadColumn::Discontinued => 6,
    }
}

/// A row's figure in a column; none is a `·`.
fn cell(column: SpreadColumn, m: &Metrics) -> String {
    let n = |v: u32| {
        if v == 0 {
            format!("{:>4}", "·")
        } else {
            format!("{v:>4}")
        }
    };
    match column {
        SpreadColumn::Reached => n(m.reached),
        SpreadColumn::InUse => n(m.in_use),
        SpreadColumn::Share => format!("{:>4.0}%", m.share * 100.0),
        SpreadColumn::FirstPilot => m.first_pilot.map(|d| d.to_string()).unwrap_or_default(),
        SpreadColumn::MedianMonths => m
            .median_months
            .map(|v| format!("{v:>5.1}"))
            .unwrap_or_default(),
        SpreadColumn::OnTheWay => n(m.on_the_way),
        SpreadColumn::Preparing => n(m.preparing),
        SpreadColumn::Stalled => n(m.stalled),
        SpreadColumn::NotHeardFrom => n(m.not_heard_from),
        SpreadColumn::Sustained => n(m.sustained),
        SpreadColumn::Paused => n(m.paused),
        SpreadColumn::Discontinued => n(m.discontinued),
    }
}
