//! Detail views: a method (what it is, every unit's current stage, its adoption curve, its
//! history) and a unit (its methods by stage, its history).

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::framed;
use super::text::{truncate, wrap};
use super::theme::Theme;
use crate::app::Detail;
use crate::domain::age::STALE_MARK;
use crate::domain::text::printable;
use crate::domain::{CurrentStage, EventDate, EventRow};
use crate::i18n::Lang;
use crate::store::{MethodDetail, Moment, UnitDetail};

fn field(label: &str, value: &str, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let indent = label.chars().count() + 2;
    wrap(value, (width as usize).saturating_sub(indent))
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let head = if i == 0 {
                format!("{label}: ")
            } else {
                " ".repeat(indent)
            };
            Line::from(vec![Span::styled(head, theme.header()), Span::raw(text)])
        })
        .collect()
}

fn heading(text: String, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled(
        text,
        theme
            .header()
            .add_modifier(ratatui::style::Modifier::UNDERLINED),
    ))
}

/// "KH Kungsholmen" for a unit; a method's label alone when it is its name.
fn who(c: &CurrentStage) -> String {
    if c.label == c.name {
        printable(&c.label)
    } else {
        format!("{} {}", printable(&c.label), printable(&c.name))
    }
}

/// The title's note on the age of the stages listed: " · 3 of 4 stages not heard from in 24
/// months" (the stages of units that had ended by the day are history, never stale, and
/// count too). Current only lists the fresh ones, and says nothing of what it left out.
fn age_note(current: &[CurrentStage], moment: &Moment, lang: Lang) -> String {
    if current.is_empty() || moment.current_only {
        return String::new();
    }
    let stale = current.iter().filter(|c| c.stale).count() as u32;
    format!(
        " · {}",
        crate::domain::age::stale_title(
            stale,
            current.len() as u32,
            moment.fresh_months,
            false,
            lang
        )
    )
}

/// One line per unit or method, so the list stays scannable (the history below has it all),
/// under a line naming the columns: who, the stage, since when (or until when the unit
/// ended), when it was last heard (`°` when that is longer ago than the fresh months) and
/// the note.
fn current_lines(
    (current, selected): (&[CurrentStage], Option<usize>),
    lang: Lang,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    const FIXED: usize = 2 + 20 + 1 + 23 + 11 + 12;
    let mut lines = vec![Line::styled(
        format!(
            "  {:<20} {:<23}{:<11}{:<12}{}",
            "",
            lang.pick("Steg", "Stage"),
            lang.pick("Sedan", "Since"),
            lang.pick("Senast hörd", "Last heard"),
            lang.pick("Notering", "Note")
        ),
        theme.dim(),
    )];
    lines.extend(current.iter().enumerate().map(|(i, c)| {
        let chosen = selected == Some(i);
        // A unit that had ended by the day shown: its last stage, until when, and who took
        // over; not a current stage.
        let (when, then) = match &c.until {
            None => (format!("{:<11}", printable(&c.since)), String::new()),
            Some(until) => (
                format!("{} {} ", lang.pick("t.o.m.", "until"), printable(until)),
                c.then
                    .as_deref()
                    .map(|t| format!("({} {}) ", lang.pick("sedan", "then"), printable(t)))
                    .unwrap_or_default(),
            ),
        };
        let heard = format!(
            "{:<12}",
            format!(
                "{}{}",
                printable(crate::domain::age::heard_shown(&c.since, &c.heard)),
                if c.stale { STALE_MARK } else { "" }
            )
        );
        let room = (width as usize).saturating_sub(FIXED + when.chars().count().saturating_sub(11));
        let note = truncate(
            &format!("{then}{}", printable(c.note.lines().next().unwrap_or(""))),
            room,
        );
        Line::from(vec![
            // The selected row (a unit's detail: what `c` and `s` act on) marked without colour.
            if chosen {
                Span::styled(
                    format!("{}{:<20} ", super::SELECTED, truncate(&who(c), 20)),
                    theme.selected(),
                )
            } else {
                Span::raw(format!("  {:<20} ", truncate(&who(c), 20)))
            },
            Span::styled(
                format!("{} {:<21}", c.stage.glyph(), c.stage.label(lang)),
                theme.stage(c.stage),
            ),
            Span::raw(when),
            if c.stale {
                Span::styled(heard, theme.dim())
            } else {
                Span::raw(heard)
            },
            Span::styled(note, theme.dim()),
        ])
    }));
    lines
}

/// The screen lines of one history event: its stage line, its note (wrapped), its source.
fn event_lines(
    e: &EventRow,
    (show_method, shown_day): (bool, Option<NaiveDate>),
    lang: Lang,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    // Viewing an earlier day, the history stays complete; what came after it is marked.
    let later = shown_day.filter(|day| {
        e.date
            .parse::<EventDate>()
            .is_ok_and(|d| d.first_day() > *day)
    });
    let who = if show_method {
        printable(&e.method)
    } else {
        printable(&e.unit)
    };
    let (stage_style, retracted) = match &e.retraction {
        Some(r) => (
            theme.retracted(),
            format!(
                "  [{} {}: {}]",
                lang.pick("återkallad av", "retracted by"),
                printable(&r.by),
                printable(&r.reason)
            ),
        ),
        None => (theme.stage(e.stage), String::new()),
    };
    let (stage_style, retracted) = match later {
        Some(day) => (
            theme.dim(),
            format!("{retracted}  [{} {day}]", lang.pick("efter", "after")),
        ),
        None => (stage_style, retracted),
    };
    lines.push(Line::from(vec![
        Span::raw(format!("  {:<10} {:<6} ", printable(&e.date), who)),
        Span::styled(
            format!("{} {}", e.stage.glyph(), e.stage.label(lang)),
            stage_style,
        ),
        Span::styled(
            format!("  #{} {}{retracted}", e.id, printable(&e.recorded_by)),
            theme.dim(),
        ),
    ]));
    for note_line in wrap(&e.note, note_width(width)) {
        lines.push(Line::from(format!("      {note_line}")));
    }
    // The source wraps as the note does, so a long diary number or section is read whole.
    for source_line in wrap(&source_text(e, lang), note_width(width)) {
        lines.push(Line::from(Span::styled(
            format!("      {source_line}"),
            theme.dim(),
        )));
    }
    lines
}

/// "källa: …" of an event, or nothing when it has no source.
fn source_text(e: &EventRow, lang: Lang) -> String {
    if e.source.is_empty() {
        String::new()
    } else {
        format!("{}: {}", lang.pick("källa", "source"), printable(&e.source))
    }
}

fn note_width(width: u16) -> usize {
    (width as usize).saturating_sub(6)
}

/// How many lines `event_lines` gives, without building them.
fn event_height(e: &EventRow, width: u16, lang: Lang) -> usize {
    1 + crate::layout::wrapped_height(&e.note, note_width(width))
        + crate::layout::wrapped_height(&source_text(e, lang), note_width(width))
}

/// The method's detail above its history, as screen lines.
pub fn method_lines(d: &MethodDetail, lang: Lang, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let m = &d.method;
    let mut lines = Vec::new();
    let kind = m.kind.label(lang);
    lines.extend(field(
        lang.pick("Typ", "Kind"),
        &format!("{kind}, {}", m.area),
        theme,
        width,
    ));
    let optional = [
        (
            lang.pick("Beskrivning", "Description"),
            Some(m.description.clone()),
        ),
        (
            lang.pick("Målgrupp", "Target group"),
            m.target_group.clone(),
        ),
        (lang.pick("Ursprung", "Origin"), m.origin.clone()),
        (lang.pick("Evidens", "Evidence"), m.evidence.clone()),
        (lang.pick("Länk", "Link"), m.evidence_link.clone()),
        (lang.pick("Kontakt", "Contact"), m.contact.clone()),
    ];
    for (label, value) in optional {
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            lines.extend(field(label, &v, theme, width));
        }
    }
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Enheter", "Units"), d.current.len()),
        theme,
    ));
    lines.extend(current_lines((&d.current, None), lang, theme, width));
    if !d.curve.is_empty() {
        lines.push(Line::default());
        lines.push(heading(
            lang.pick(
                "Spridning över tid (enheter med besked inom färskhetsmånaderna, per år)",
                "Spread over time (units heard from within the fresh months, by year)",
            )
            .to_string(),
            theme,
        ));
        lines.extend(super::curve::lines(&d.curve, lang, theme, width));
    }
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Historik", "History"), d.history.len()),
        theme,
    ));
    lines
}

pub fn unit_lines(
    (d, row): (&UnitDetail, usize),
    lang: Lang,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (label, value) in crate::app::detail::unit_fields(d, lang) {
        lines.extend(field(label, &value, theme, width));
    }
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Metoder", "Methods"), d.current.len()),
        theme,
    ));
    lines.extend(current_lines((&d.current, Some(row)), lang, theme, width));
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Historik", "History"), d.history.len()),
        theme,
    ));
    lines
}

/// Draws the head lines and then the history, only what is in view. The history is where
/// the lines are many (hundreds of events), so only the events in view are turned into lines;
/// the others are only measured, to keep the scroll within bounds (at most so far that the
/// last line is at the bottom).
fn draw_lines(
    frame: &mut Frame,
    title: String,
    head: Vec<Line<'static>>,
    (history, show, lang): (&[EventRow], (bool, Option<NaiveDate>), Lang),
    scroll: u16,
    theme: &Theme,
    area: Rect,
) {
    let inner = framed(String::new(), theme).inner(area);
    let (width, height) = (inner.width, inner.height as usize);
    let heights: Vec<usize> = history
        .iter()
        .map(|e| event_height(e, width, lang))
        .collect();
    let total = head.len() + heights.iter().sum::<usize>();
    let first = (scroll as usize).min(total.saturating_sub(height));
    // For screen readers and magnifiers the terminal cursor sits on the selected row (a
    // unit's detail: the row marked `▶`) when it is in view, else on the first line shown.
    let selected = head.iter().position(|l| {
        l.spans
            .first()
            .is_some_and(|s| s.content.starts_with(super::SELECTED))
    });
    if theme.a11y && height > 0 {
        let line = selected
            .filter(|i| (first..first + height).contains(i))
            .unwrap_or(first);
        frame.set_cursor_position((inner.x, inner.y + (line - first) as u16));
    }
    let mut visible: Vec<Line> = head.into_iter().skip(first).take(height).collect();
    let mut at = total - heights.iter().sum::<usize>();
    for (e, h) in history.iter().zip(heights) {
        if visible.len() >= height {
            break;
        }
        if at + h > first {
            let skip = first.saturating_sub(at);
            let room = height - visible.len();
            visible.extend(
                event_lines(e, show, lang, theme, width)
                    .into_iter()
                    .skip(skip)
                    .take(room),
            );
        }
        at += h;
    }
    let p = Paragraph::new(visible)
        .block(framed(title, theme))
        .style(Style::new());
    frame.render_widget(p, area);
}

/// A method's or a unit's detail view, scrolled by `scroll` lines.
pub fn draw(
    frame: &mut Frame,
    (lang, moment): (Lang, &Moment),
    detail: &Detail,
    theme: &Theme,
    area: Rect,
) {
    let width = area.width.saturating_sub(2);
    let shown_day = (!moment.is_today()).then_some(moment.day);
    let (title, head, history, scroll) = match detail {
        Detail::Method { detail: d, scroll } => {
            let m = &d.method;
            let title = match &m.short_name {
                Some(s) => format!(
                    " {} – {}{} ",
                    printable(s),
                    printable(&m.name),
                    age_note(&d.current, moment, lang)
                ),
                None => format!(
                    " {}{} ",
                    printable(&m.name),
                    age_note(&d.current, moment, lang)
                ),
            };
            let head = method_lines(d, lang, theme, width);
            (
                title,
                head,
                (&d.history[..], (false, shown_day), lang),
                *scroll,
            )
        }
        Detail::Unit {
            detail: d,
            scroll,
            row,
        } => {
            let title = format!(
                " {} – {}{} ",
                printable(&d.unit.code),
                printable(&d.unit.name),
                age_note(&d.current, moment, lang)
            );
            let head = unit_lines((d, *row), lang, theme, width);
            (
                title,
                head,
                (&d.history[..], (true, shown_day), lang),
                *scroll,
            )
        }
    };
    draw_lines(frame, title, head, history, scroll, theme, area);
}
