//! The Rounds tab: every unit's progress in the round, or a unit's checklist — per method
//! its stage now, since when, when last heard (`°`: not heard from in the fresh months) and
//! the answer so far, in words.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::TabScreen;
use super::table::render_list;
use super::theme::Theme;
use crate::app::App;
use crate::app::tabs::RoundsTab;
use crate::domain::age::STALE_MARK;
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::{Answer, Round};

impl TabScreen for RoundsTab {
    fn draw(&self, frame: &mut Frame, app: &App, theme: &Theme, area: Rect) {
        let lang = app.lang;
        let Some(round) = &self.round else {
            let text = vec![
                Line::from(lang.pick("Ingen inventering ännu.", "No inventory round yet.")),
                Line::from(lang.pick(
                    "En samordnare startar en med n (eller spridning round start NAMN --due DATUM).",
                    "A coordinator starts one with n (or spridning round start NAME --due DATE).",
                )),
            ];
            frame.render_widget(
                Paragraph::new(text).block(super::framed(
                    format!(" {} ", lang.pick("Inventering", "Rounds")),
                    theme,
                )),
                area,
            );
            return;
        };
        if self.unit.is_some() {
            draw_checklist(frame, self, (app, round), theme, area);
        } else {
            draw_status(frame, self, (lang, round), theme, area);
        }
    }
}

/// "Inventering 2027 (due 2027-03-31)", or "(closed 2027-04-02)".
fn round_name(round: &Round, lang: Lang) -> String {
    match &round.closed_at {
        Some(at) => format!(
            "{} ({} {})",
            printable(&round.name),
            lang.pick("avslutad", "closed"),
            at.get(..10).unwrap_or(at)
        ),
        None => format!(
            "{} ({} {})",
            printable(&round.name),
            lang.pick("senast", "due"),
            round.due
        ),
    }
}

fn draw_status(
    frame: &mut Frame,
    tab: &RoundsTab,
    (lang, round): (Lang, &Round),
    theme: &Theme,
    area: Rect,
) {
    let header = vec![
        Line::from(lang.pick("Kod", "Code")),
        Line::from(lang.pick("Enhet", "Unit")),
        Line::from(lang.pick("Besvarade", "Answered")),
        Line::from(lang.pick("Ändrade", "Changed")),
        Line::from(lang.pick("Senaste svar", "Last answer")),
    ];
    let widths = vec![
        Constraint::Length(4),
        Constraint::Min(16),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(28),
    ];
    let rows = tab
        .status
        .rows
        .iter()
        .map(|p| {
            let last = match (&p.last_by, &p.last_at) {
                (Some(by), Some(at)) => {
                    format!("{} {}", printable(by), at.get(..10).unwrap_or(at))
                }
                _ => String::new(),
            };
            vec![
                Line::from(printable(&p.code)),
                Line::from(printable(&p.name)),
                Line::from(format!("{:>3} / {:<3}", p.answered, p.total)),
                Line::from(format!("{:>4}", p.changed)),
                Line::from(last),
            ]
        })
        .collect();
    let answered: u32 = tab.status.rows.iter().map(|p| p.answered).sum();
    let total: u32 = tab.status.rows.iter().map(|p| p.total).sum();
    let note = format!(
        "{answered} {} {total} {}",
        lang.pick("av", "of"),
        lang.pick("besvarade", "answered")
    );
    render_list(
        frame,
        area,
        (&round_name(round, lang), &tab.status, lang, &note),
        (header, widths),
        rows,
        theme,
    );
}

/// An answer in words, with a mark that shows without colour.
fn answer_text(answer: Option<Answer>, lang: Lang) -> String {
    match answer {
        None => lang.pick("– obesvarad", "– unanswered").to_string(),
        Some(a) => {
            let mark = match a {
                Answer::Confirmed => "✓",
                Answer::Changed => "✎",
                Answer::Discontinued => "×",
                Answer::NotUsed => "∅",
            };
            format!("{mark} {}", a.label(lang))
        }
    }
}

fn draw_checklist(
    frame: &mut Frame,
    tab: &RoundsTab,
    (app, round): (&App, &Round),
    theme: &Theme,
    area: Rect,
) {
    let lang = app.lang;
    let header = vec![
        Line::from(lang.pick("Metod", "Method")),
        Line::from(lang.pick("Steg", "Stage")),
        Line::from(lang.pick("Sedan", "Since")),
        Line::from(lang.pick("Senast hörd", "Last heard")),
        Line::from(lang.pick("Svar", "Answer")),
    ];
    let widths = vec![
        Constraint::Min(16),
        Constraint::Length(22),
        Constraint::Length(10),
        Constraint::Length(11),
        Constraint::Length(22),
    ];
    let rows = tab
        .checklist
        .rows
        .iter()
        .map(|q| {
            let stage = match q.stage {
                Some(s) => Line::from(Span::styled(
                    format!("{} {}", s.glyph(), s.label(lang)),
                    theme.stage(s),
                )),
                None => Line::from(Span::styled(
                    lang.pick("· inget steg", "· no stage"),
                    theme.dim(),
                )),
            };
            let stale = q
                .heard
                .as_deref()
                .and_then(|h| h.parse().ok())
                .is_some_and(|h| app.moment.is_stale(h));
            let heard = format!(
                "{}{}",
                printable(crate::domain::age::heard_shown(
                    q.since.as_deref().unwrap_or(""),
                    q.heard.as_deref().unwrap_or("")
                )),
                if stale { STALE_MARK } else { "" }
            );
            vec![
                Line::from(printable(&q.label)),
                stage,
                Line::from(printable(q.since.as_deref().unwrap_or(""))),
                if stale {
                    Line::from(Span::styled(heard, theme.dim()))
                } else {
                    Line::from(heard)
                },
                Line::from(answer_text(q.answer, lang)),
            ]
        })
        .collect();
    let unit = tab.unit.as_ref().map(|u| u.name.as_str()).unwrap_or("");
    let name = format!("{} · {}", round_name(round, lang), printable(unit));
    let note = format!(
        "{} {} {} {}",
        tab.answered,
        lang.pick("av", "of"),
        tab.checklist.total,
        lang.pick("besvarade", "answered")
    );
    render_list(
        frame,
        area,
        (&name, &tab.checklist, lang, &note),
        (header, widths),
        rows,
        theme,
    );
}
