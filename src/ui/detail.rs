//! Detail views: a method (what it is, every unit's current stage, a small chart of its
//! spread over time, its history) and a unit (its methods by stage, its history).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::framed;
use super::matrix::truncate;
use super::theme::Theme;
use crate::domain::text::printable;
use crate::domain::{CurrentStage, EventRow, MethodKind, UnitKind};
use crate::i18n::Lang;
use crate::store::{MethodDetail, UnitDetail};

fn field(label: &str, value: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (i, text) in value.lines().enumerate() {
        let head = if i == 0 {
            format!("{label}: ")
        } else {
            " ".repeat(label.chars().count() + 2)
        };
        lines.push(Line::from(vec![
            Span::styled(head, theme.header()),
            Span::raw(printable(text)),
        ]));
    }
    lines
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

/// One line per unit or method, so the list stays scannable; the history below has it all.
fn current_lines(
    current: &[CurrentStage],
    lang: Lang,
    theme: &Theme,
    width: u16,
) -> Vec<Line<'static>> {
    const FIXED: usize = 2 + 20 + 1 + 23 + 6 + 11;
    let room = (width as usize).saturating_sub(FIXED + 1);
    current
        .iter()
        .map(|c| {
            let note = truncate(&printable(c.note.lines().next().unwrap_or("")), room);
            Line::from(vec![
                Span::raw(format!("  {:<20} ", truncate(&who(c), 20))),
                Span::styled(
                    format!("{} {:<21}", c.stage.glyph(), c.stage.label(lang)),
                    theme.stage(c.stage),
                ),
                Span::raw(format!(
                    "{} {:<10} ",
                    lang.pick("sedan", "since"),
                    printable(&c.since)
                )),
                Span::styled(note, theme.dim()),
            ])
        })
        .collect()
}

fn history_lines(
    history: &[EventRow],
    show_method: bool,
    lang: Lang,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for e in history {
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
        for note_line in e.note.lines() {
            lines.push(Line::from(format!("      {}", printable(note_line))));
        }
        if !e.source.is_empty() {
            lines.push(Line::from(Span::styled(
                format!(
                    "      {}: {}",
                    lang.pick("källa", "source"),
                    printable(&e.source)
                ),
                theme.dim(),
            )));
        }
    }
    lines
}

/// The method's detail as lines, before wrapping.
pub fn method_lines(d: &MethodDetail, lang: Lang, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let m = &d.method;
    let mut lines = Vec::new();
    let kind = MethodKind::parse(&m.kind)
        .map(|k| k.label(lang))
        .unwrap_or("");
    lines.extend(field(
        lang.pick("Typ", "Kind"),
        &format!("{kind}, {}", m.area),
        theme,
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
            lines.extend(field(label, &v, theme));
        }
    }
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Enheter", "Units"), d.current.len()),
        theme,
    ));
    lines.extend(current_lines(&d.current, lang, theme, width));
    if !d.adoption_by_year.is_empty() {
        lines.push(Line::default());
        lines.push(heading(
            lang.pick(
                "Enheter i pilot eller längre, per år",
                "Units at pilot or beyond, by year",
            )
            .to_string(),
            theme,
        ));
        let max = d
            .adoption_by_year
            .iter()
            .map(|(_, n)| *n)
            .max()
            .unwrap_or(0)
            .max(1);
        for (year, n) in &d.adoption_by_year {
            let bar = "█".repeat(((*n as usize) * 30).div_ceil(max as usize).min(30));
            lines.push(Line::from(vec![
                Span::raw(format!("  {year} ")),
                Span::styled(bar, theme.stage(crate::domain::Stage::Implemented)),
                Span::raw(format!(" {n}")),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Historik", "History"), d.history.len()),
        theme,
    ));
    lines.extend(history_lines(&d.history, false, lang, theme));
    lines
}

pub fn unit_lines(d: &UnitDetail, lang: Lang, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let u = &d.unit;
    let mut lines = Vec::new();
    let kind = UnitKind::parse(&u.kind)
        .map(|k| k.label(lang))
        .unwrap_or("");
    let kind = match &u.region {
        Some(r) => format!("{kind}, {r}"),
        None => kind.to_string(),
    };
    lines.extend(field(lang.pick("Typ", "Kind"), &kind, theme));
    let valid = match (u.valid_from, u.valid_to) {
        (None, None) => lang.pick("hela perioden", "throughout").to_string(),
        (f, t) => format!(
            "{} – {}",
            f.map(|d| d.to_string()).unwrap_or_default(),
            t.map(|d| d.to_string()).unwrap_or_default()
        ),
    };
    lines.extend(field(lang.pick("Giltig", "Valid"), &valid, theme));
    if let Some(s) = &u.successor {
        lines.extend(field(lang.pick("Efterträdare", "Successor"), s, theme));
    }
    if !d.predecessors.is_empty() {
        lines.extend(field(
            lang.pick("Föregångare", "Predecessors"),
            &d.predecessors.join(", "),
            theme,
        ));
    }
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Metoder", "Methods"), d.current.len()),
        theme,
    ));
    lines.extend(current_lines(&d.current, lang, theme, width));
    lines.push(Line::default());
    lines.push(heading(
        format!("{} ({})", lang.pick("Historik", "History"), d.history.len()),
        theme,
    ));
    lines.extend(history_lines(&d.history, true, lang, theme));
    lines
}

fn draw_lines(
    frame: &mut Frame,
    title: String,
    lines: Vec<Line<'static>>,
    scroll: u16,
    theme: &Theme,
    area: Rect,
) {
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    // Never scroll past the end: at most so far that the last wrapped line is at the bottom.
    let inner = framed(String::new(), theme).inner(area);
    let max_scroll = p
        .line_count(inner.width)
        .saturating_sub(inner.height as usize);
    let p = p
        .block(framed(title, theme))
        .scroll((scroll.min(max_scroll.min(u16::MAX as usize) as u16), 0))
        .style(Style::new());
    frame.render_widget(p, area);
}

pub fn draw_method(
    frame: &mut Frame,
    lang: Lang,
    d: &MethodDetail,
    scroll: u16,
    theme: &Theme,
    area: Rect,
) {
    let m = &d.method;
    let title = match &m.short_name {
        Some(s) => format!(" {} – {} ", printable(s), printable(&m.name)),
        None => format!(" {} ", printable(&m.name)),
    };
    draw_lines(
        frame,
        title,
        method_lines(d, lang, theme, area.width.saturating_sub(2)),
        scroll,
        theme,
        area,
    );
}

pub fn draw_unit(
    frame: &mut Frame,
    lang: Lang,
    d: &UnitDetail,
    scroll: u16,
    theme: &Theme,
    area: Rect,
) {
    let title = format!(
        " {} – {} ",
        printable(&d.unit.code),
        printable(&d.unit.name)
    );
    draw_lines(
        frame,
        title,
        unit_lines(d, lang, theme, area.width.saturating_sub(2)),
        scroll,
        theme,
        area,
    );
}
