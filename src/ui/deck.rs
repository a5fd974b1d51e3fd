//! The workshop slides: drawn large, for a room. No tab bar and no key hints; a page counter
//! and the day shown in the bottom-right corner; the latest change made during the workshop
//! in the bottom-left. Nothing is cut mid-word: text wraps at words, and a line that must
//! stay one line is shortened at a word with "…". Every mark has a symbol as well as a colour:
//! `✱` for what changed during the workshop, parentheses for a stage taken over from
//! predecessors, the stage glyphs beside their words.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use tui_big_text::{BigText, PixelSize};
use unicode_width::UnicodeWidthStr;

use super::curve::{self, CurveStyles};
use super::theme::Theme;
use crate::app::App;
use crate::app::deck::{Deck, FilmPage, MethodPage, Page, TitlePage, UnitGroup};
use crate::domain::Stage;
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::{RolledCell, Stalled};

/// The mark of what changed during the workshop.
pub const LIVE: &str = "✱";

pub fn draw(frame: &mut Frame, app: &App, deck: &Deck, theme: &Theme) {
    let area = frame.area();
    frame.render_widget(Block::default().style(theme.slide()), area);
    let [body, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let margin = Margin {
        horizontal: if area.width >= 120 { 6 } else { 2 },
        vertical: if area.height >= 40 { 2 } else { 1 },
    };
    let inner = body.inner(margin);
    let lang = app.lang;
    match &deck.page {
        Page::Title(t) => title_slide(frame, lang, deck, t, theme, inner),
        Page::Method(m) => method_slide(frame, lang, deck, m, theme, inner),
        Page::Film(f) => film_slide(frame, lang, deck, f, theme, inner),
        Page::Stalled(s, total) => stalled_slide(frame, lang, deck, (s, *total), theme, inner),
    }
    draw_foot(
        frame,
        app,
        deck,
        theme,
        foot.inner(Margin {
            horizontal: margin.horizontal,
            vertical: 0,
        }),
    );
}

/// Bottom-right: the slide number (and digits being typed), the day shown. Bottom-left: a
/// message, or the latest change made during the workshop.
fn draw_foot(frame: &mut Frame, app: &App, deck: &Deck, theme: &Theme, area: Rect) {
    let typed = if deck.typed.is_empty() {
        String::new()
    } else {
        format!("→ {}   ", deck.typed)
    };
    let corner = format!(
        "{typed}{}/{} · {} {}",
        deck.slide + 1,
        deck.slide_count(),
        app.lang.pick("läget", "as of"),
        deck.moment.day
    );
    let corner_width = corner.width() as u16;
    let [left, right] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(corner_width.min(area.width)),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(corner)
            .style(theme.slide_text())
            .alignment(Alignment::Right),
        right,
    );
    let width = left.width.saturating_sub(2) as usize;
    let line = if let Some(m) = &app.message {
        Line::styled(fit(&printable(m), width), theme.slide_mark())
    } else if let Some(t) = deck.fresh_ticker() {
        let what = if t.retracted {
            app.lang.pick("återkallat", "retracted").to_string()
        } else {
            t.stage.label(app.lang).to_string()
        };
        let text = format!(
            "{LIVE} {} {} · {}: {} {what}",
            t.at,
            printable(&t.method),
            printable(&t.unit),
            if t.retracted { "↶" } else { t.stage.glyph() }
        );
        Line::styled(fit(&text, width), theme.slide_mark())
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), left);
}

/// `text` in at most `width` columns: whole, or cut at the last word that fits, with "…".
pub fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut last_word_end = None;
    for (i, c) in text.char_indices() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if out.width() + w + 1 > width {
            break;
        }
        if c == ' ' {
            last_word_end = Some(i);
        }
        out.push(c);
    }
    // A single word longer than the line is the only thing cut inside a word.
    let cut = match last_word_end {
        Some(end) if end > 0 => text[..end].trim_end().to_string(),
        _ => out,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '·', ' ']))
}

/// Lines of `text` wrapped at words to `width`, at most `max` of them (the last shortened
/// with "…" when more would be needed).
fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        if current.is_empty() {
            current = word.to_string();
        } else if current.width() + 1 + word.width() <= width {
            current.push(' ');
            current.push_str(word);
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let lines: Vec<String> = lines.into_iter().map(|l| fit(&l, width)).collect();
    if lines.len() <= max {
        return lines;
    }
    let mut kept: Vec<String> = lines[..max].to_vec();
    if let Some(last) = kept.last_mut() {
        let marked = format!("{last}…");
        *last = if marked.width() <= width {
            marked
        } else {
            // Too long with the mark: its last word gives way.
            fit(&format!("{last} …"), width)
        };
    }
    kept
}

/// Lines of text in one style, as a paragraph.
fn styled(lines: Vec<String>, style: Style) -> Paragraph<'static> {
    Paragraph::new(
        lines
            .into_iter()
            .map(|l| Line::styled(l, style))
            .collect::<Vec<_>>(),
    )
}

/// The size of one character of big text, in cells (columns, rows).
fn cell_size(size: PixelSize) -> (u16, u16) {
    match size {
        PixelSize::Full => (8, 8),
        PixelSize::HalfHeight => (8, 4),
        PixelSize::HalfWidth => (4, 8),
        _ => (4, 4),
    }
}

/// The largest big-text size that fits `text` into `width` × `height` (nothing if none does).
fn big_size(text: &str, width: u16, height: u16) -> Option<PixelSize> {
    let chars = text.chars().count() as u16;
    [PixelSize::Full, PixelSize::HalfHeight, PixelSize::Quadrant]
        .into_iter()
        .find(|&size| {
            let (w, h) = cell_size(size);
            chars.saturating_mul(w) <= width && h <= height
        })
}

fn draw_big(
    frame: &mut Frame,
    text: &str,
    size: PixelSize,
    style: Style,
    area: Rect,
    center: bool,
) {
    let mut builder = BigText::builder();
    builder
        .pixel_size(size)
        .style(style)
        .lines(vec![Line::from(text.to_string())]);
    if center {
        builder.centered();
    }
    frame.render_widget(builder.build(), area);
}

fn title_slide(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    page: &TitlePage,
    theme: &Theme,
    area: Rect,
) {
    let title = printable(&deck.title);
    let big_title = (area.height >= 28)
        .then(|| big_size(&title, area.width, 4))
        .flatten();
    let title_lines = if big_title.is_some() {
        Vec::new()
    } else {
        wrap(&title, area.width as usize, 3)
    };
    let title_height = if big_title.is_some() {
        4
    } else {
        title_lines.len() as u16
    };
    let figures: [(usize, &str); 3] = [
        (page.methods, lang.pick("metoder", "methods")),
        (page.districts, lang.pick("stadsdelar", "districts")),
        (
            page.in_use_somewhere,
            lang.pick(
                "metoder i ordinarie verksamhet någonstans",
                "methods in ordinary use somewhere",
            ),
        ),
    ];
    let column = area.width / 3;
    let big_figures = area.height >= 16;
    let figure_height = match area.height {
        40.. => 8,
        16.. => 4,
        _ => 1,
    };
    let gap = if area.height >= 30 { 3 } else { 1 };
    let [_, t, _, day, _, figs, captions, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(title_height),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(gap),
        Constraint::Length(figure_height),
        Constraint::Length(4),
        Constraint::Fill(1),
    ])
    .areas(area);
    match big_title {
        Some(size) => draw_big(frame, &title, size, theme.slide_heading(), t, true),
        None => frame.render_widget(
            styled(title_lines, theme.slide_heading()).alignment(Alignment::Center),
            t,
        ),
    }
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!("{} {}", lang.pick("Läget", "As of"), deck.moment.day),
            theme.slide_text(),
        ))
        .alignment(Alignment::Center),
        day,
    );
    for (i, (n, caption)) in figures.iter().enumerate() {
        let x = area.x + column * i as u16;
        let cell = |r: Rect| Rect {
            x,
            width: column,
            ..r
        };
        let number = n.to_string();
        match big_figures
            .then(|| big_size(&number, column, figure_height))
            .flatten()
        {
            Some(size) => draw_big(frame, &number, size, theme.slide_accent(), cell(figs), true),
            None => frame.render_widget(
                Paragraph::new(Line::styled(number, theme.slide_accent()))
                    .alignment(Alignment::Center),
                cell(figs),
            ),
        }
        let lines = wrap(caption, column.saturating_sub(2) as usize, 3);
        frame.render_widget(
            styled(lines, theme.slide_text()).alignment(Alignment::Center),
            cell(captions),
        );
    }
}

/// The first sentence of a description (up to its first full stop, or its first line).
fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let line = text.lines().next().unwrap_or("");
    match line.find(". ") {
        Some(i) => line[..=i].to_string(),
        None => line.to_string(),
    }
}

/// A unit's line on a method slide: the live mark, the stage's glyph, the name, the stage
/// in words (and whose it was, when taken over from predecessors).
fn unit_line(
    lang: Lang,
    deck: &Deck,
    method_id: i64,
    (unit, cell): &(crate::domain::Unit, Option<RolledCell>),
    name_width: usize,
    width: usize,
    theme: &Theme,
) -> Line<'static> {
    let marked = deck.marked(method_id, unit.id);
    let mark = if marked { LIVE } else { " " };
    let name = printable(&unit.name);
    let pad = name_width.saturating_sub(name.width());
    let (glyph, word, style) = match cell {
        Some(c) => {
            let from = if c.inherited() {
                let codes: Vec<&str> = c.from.iter().map(|(code, _)| code.as_str()).collect();
                format!(" ({} {})", lang.pick("från", "from"), codes.join(", "))
            } else {
                String::new()
            };
            (
                c.stage.glyph(),
                format!("{}{from}", c.stage.label(lang)),
                theme.slide_stage(c.stage),
            )
        }
        None => (
            "·",
            lang.pick("inget steg", "no stage").to_string(),
            theme.slide_text(),
        ),
    };
    let text = format!("{name}{}  {word}", " ".repeat(pad));
    let text = fit(&text, width.saturating_sub(3));
    Line::from(vec![
        Span::styled(
            mark.to_string(),
            if marked {
                theme.slide_mark()
            } else {
                theme.slide_text()
            },
        ),
        Span::styled(format!("{glyph} "), style),
        Span::styled(
            text,
            if marked {
                theme.slide_mark()
            } else {
                theme.slide_text()
            },
        ),
    ])
}

fn method_slide(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    page: &MethodPage,
    theme: &Theme,
    area: Rect,
) {
    let m = &page.method;
    let label = printable(m.label());
    let name = printable(&m.name);
    let width = area.width as usize;
    let big = (area.height >= 28)
        .then(|| big_size(&label, area.width, 4))
        .flatten();
    let heading_height: u16 = if big.is_some() { 4 } else { 1 };
    let name_lines = if big.is_some() || label != name {
        wrap(&name, width, 2)
    } else {
        Vec::new()
    };
    let sentence_lines = if area.height >= 30 { 3 } else { 2 };
    let sentence = wrap(
        &printable(&first_sentence(&m.description)),
        width,
        sentence_lines,
    );
    let key = format!(
        "{} {} {} {} {}",
        lang.pick("I ordinarie verksamhet i", "In ordinary use in"),
        page.in_use,
        lang.pick("av", "of"),
        page.districts,
        lang.pick("stadsdelar", "districts")
    );
    let gap = if area.height >= 40 { 1 } else { 0 };
    let [head, names, _, text, key_area, _, body] = Layout::vertical([
        Constraint::Length(heading_height),
        Constraint::Length(name_lines.len() as u16),
        Constraint::Length(gap),
        Constraint::Length(sentence.len() as u16),
        Constraint::Length(1),
        Constraint::Length(1 + gap),
        Constraint::Min(0),
    ])
    .areas(area);
    match big {
        Some(size) => draw_big(frame, &label, size, theme.slide_heading(), head, false),
        None => frame.render_widget(
            Paragraph::new(Line::styled(fit(&label, width), theme.slide_heading())),
            head,
        ),
    }
    frame.render_widget(styled(name_lines, theme.slide_heading()), names);
    frame.render_widget(styled(sentence, theme.slide_text()), text);
    frame.render_widget(
        Paragraph::new(Line::styled(fit(&key, width), theme.slide_accent())),
        key_area,
    );
    draw_units_and_curve(frame, lang, deck, page, theme, body);
}

/// The districts by region (a readable stand-in for a map) and, where there is room, the
/// adoption curve beside or below them.
fn draw_units_and_curve(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    page: &MethodPage,
    theme: &Theme,
    area: Rect,
) {
    const CURVE_MIN_WIDTH: u16 = 34;
    const CURVE_MIN_HEIGHT: u16 = 9;
    // At most this many lines are built: more never fit (a register with hundreds of
    // districts shows the first and counts the rest).
    let cap = area.height as usize * 4 + 2;
    let first_units = || page.groups.iter().flat_map(|g| g.units.iter()).take(cap);
    let total_units: usize = page.groups.iter().map(|g| g.units.len()).sum();
    let name_width = first_units()
        .map(|(u, _)| printable(&u.name).width())
        .max()
        .unwrap_or(0)
        .min(24);
    // The widest line: mark, glyph, name, two spaces, the longest stage word (with whose
    // it was).
    let widest = first_units()
        .map(|u| unit_line(lang, deck, page.method.id, u, name_width, usize::MAX, theme).width())
        .max()
        .unwrap_or(0);
    let unit_width = (widest.max(40) as u16).min(area.width).max(12);
    // Where every unit on a line of its own does not fit, the units without a stage are named
    // together on wrapped lines. Each line comes with the number of units it names.
    let lines_of = |width: u16, spaced: bool, condensed: bool| -> Vec<(Line<'static>, usize)> {
        let mut lines = Vec::new();
        for (i, UnitGroup { region, units }) in page.groups.iter().enumerate() {
            if lines.len() > cap {
                break;
            }
            if i > 0 && spaced {
                lines.push((Line::default(), 0));
            }
            lines.push((
                Line::styled(
                    fit(
                        &crate::domain::region::name(region.as_deref(), lang),
                        width as usize,
                    ),
                    theme.slide_heading(),
                ),
                0,
            ));
            let mut without: Vec<String> = Vec::new();
            for u in units {
                if lines.len() > cap {
                    break;
                }
                if condensed && u.1.is_none() && !deck.marked(page.method.id, u.0.id) {
                    without.push(printable(&u.0.name));
                    continue;
                }
                lines.push((
                    unit_line(
                        lang,
                        deck,
                        page.method.id,
                        u,
                        name_width,
                        width as usize,
                        theme,
                    ),
                    1,
                ));
            }
            if !without.is_empty() {
                let named = without.len();
                without.truncate(60);
                let text = format!(
                    "{}: {}",
                    lang.pick("inget steg", "no stage"),
                    without.join(", ")
                );
                for (j, l) in wrap(&text, (width as usize).saturating_sub(3), 3)
                    .into_iter()
                    .enumerate()
                {
                    let lead = if j == 0 { " · " } else { "   " };
                    let counted = if j == 0 { named } else { 0 };
                    lines.push((
                        Line::styled(format!("{lead}{l}"), theme.slide_text()),
                        counted,
                    ));
                }
            }
        }
        lines
    };
    // Without room for the chart beside the units, its key (three lines) may go below them.
    let beside = area.width >= unit_width + 2 + CURVE_MIN_WIDTH + 2;
    let rows = (area.height as usize).saturating_sub(if beside { 0 } else { 3 });
    let lines = [(true, false), (false, false), (true, true), (false, true)]
        .into_iter()
        .map(|(spaced, condensed)| lines_of(unit_width, spaced, condensed))
        .find(|l| l.len() <= rows)
        .unwrap_or_else(|| lines_of(unit_width, false, true));
    let has_curve = !page.curve.is_empty();
    let rows = area.height.max(1) as usize;
    let need_columns = lines.len().div_ceil(rows).max(1) as u16;
    let room_beside = area.width.saturating_sub(CURVE_MIN_WIDTH + 2);
    let columns_beside = ((room_beside + 2) / (unit_width + 2)).min(need_columns);
    let (units_area, curve_area) = if has_curve && columns_beside >= 1 {
        let w = columns_beside * (unit_width + 2);
        let [u, c] = Layout::horizontal([Constraint::Length(w), Constraint::Min(0)]).areas(area);
        (u, Some(c))
    } else if has_curve && (lines.len() as u16) + CURVE_MIN_HEIGHT < area.height {
        let [u, _, c] = Layout::vertical([
            Constraint::Length(lines.len() as u16),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        (u, Some(c))
    } else {
        (area, None)
    };
    let no_room_for_curve = has_curve && curve_area.is_none();
    let mut lines = lines;
    if no_room_for_curve {
        // The curve's last values stand in for it on a small screen.
        lines.push((Line::default(), 0));
        let styles = curve_styles(theme);
        for span in curve::key(&page.curve, lang, &styles) {
            lines.push((
                Line::styled(fit(&span.content, unit_width as usize), span.style),
                0,
            ));
        }
    }
    draw_columns(
        frame,
        lang,
        (lines, total_units),
        unit_width,
        theme,
        units_area,
    );
    if let Some(c) = curve_area {
        draw_curve(frame, lang, page, theme, c);
    }
}

fn curve_styles(theme: &Theme) -> CurveStyles {
    CurveStyles {
        reached: theme.slide_stage(Stage::Pilot),
        in_use: theme.slide_stage(Stage::Implemented),
        axis: theme.slide_text(),
    }
}

/// Lines flowed into columns of `width` (as many as fit); the units that do not fit are
/// counted. Each line comes with the number of units it names, of `total` in all.
fn draw_columns(
    frame: &mut Frame,
    lang: Lang,
    (mut lines, total): (Vec<(Line<'static>, usize)>, usize),
    width: u16,
    theme: &Theme,
    area: Rect,
) {
    let rows = area.height as usize;
    if rows == 0 {
        return;
    }
    let columns = ((area.width + 2) / (width + 2)).max(1) as usize;
    let capacity = rows * columns;
    let named = |lines: &[(Line, usize)]| lines.iter().map(|(_, n)| n).sum::<usize>();
    if lines.len() > capacity || named(&lines) < total {
        lines.truncate(capacity.saturating_sub(1));
        let hidden = total.saturating_sub(named(&lines));
        lines.push((
            Line::styled(
                format!(
                    "… {} {hidden} {}",
                    lang.pick("och", "and"),
                    lang.pick("enheter till", "more units")
                ),
                theme.slide_text(),
            ),
            0,
        ));
    }
    let lines: Vec<Line> = lines.into_iter().map(|(l, _)| l).collect();
    for (i, chunk) in lines.chunks(rows).enumerate() {
        let x = area.x + (i as u16) * (width + 2);
        if x >= area.right() {
            break;
        }
        let column = Rect {
            x,
            width: width.min(area.right() - x),
            ..area
        };
        frame.render_widget(Paragraph::new(chunk.to_vec()), column);
    }
}

fn draw_curve(frame: &mut Frame, lang: Lang, page: &MethodPage, theme: &Theme, area: Rect) {
    let styles = curve_styles(theme);
    let width = area.width.min(90);
    let title = lang.pick(
        "Spridning över tid (enheter, sammanlagt per år)",
        "Spread over time (units, cumulative by year)",
    );
    let chart_height = area.height.saturating_sub(3).min(24);
    let mut lines = vec![Line::styled(
        fit(title, width as usize),
        theme.slide_heading(),
    )];
    lines.extend(curve::chart_lines(
        &page.curve,
        &styles,
        width,
        chart_height,
    ));
    for span in curve::key(&page.curve, lang, &styles) {
        let text = fit(&span.content, width as usize);
        lines.push(Line::styled(text, span.style));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// What a stage means as something that happened in a year ("FUEL förbereds i …").
fn happened(stage: Stage, lang: Lang) -> &'static str {
    match stage {
        Stage::Exploring => lang.pick("utforskas", "is explored"),
        Stage::Preparing => lang.pick("förbereds", "is prepared"),
        Stage::Pilot => lang.pick("prövas som pilot", "is piloted"),
        Stage::Implemented => lang.pick("blir ordinarie verksamhet", "becomes ordinary practice"),
        Stage::Sustained => lang.pick("vidmakthålls", "is sustained"),
        Stage::Paused => lang.pick("pausas", "is paused"),
        Stage::Discontinued => lang.pick("avslutas", "is discontinued"),
    }
}

/// The stages' glyphs with their words, packed into lines of `width` (never split inside
/// an item).
fn legend(lang: Lang, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let mut items: Vec<(String, Style)> = Stage::ALL
        .iter()
        .map(|&s| {
            (
                format!("{} {}", s.glyph(), s.label(lang)),
                theme.slide_stage(s),
            )
        })
        .collect();
    items.push((
        format!("(◐) {}", lang.pick("från föregångare", "from predecessors")),
        theme.slide_text(),
    ));
    items.push((
        format!("{LIVE} {}", lang.pick("ändrat nyss", "just changed")),
        theme.slide_mark(),
    ));
    let mut lines = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (text, style) in items {
        let w = text.width();
        if used > 0 && used + 3 + w > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if used > 0 {
            spans.push(Span::raw("   "));
            used += 3;
        }
        spans.push(Span::styled(fit(&text, width), style));
        used += w;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

fn film_slide(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    page: &FilmPage,
    theme: &Theme,
    area: Rect,
) {
    let width = area.width as usize;
    let year = page.year.to_string();
    let state = if deck.film.playing {
        lang.pick("▶ spelas", "▶ playing")
    } else {
        lang.pick("■ paus", "■ paused")
    };
    let title = lang.pick("Spridningen över tid", "The spread over time");
    let big = (area.height >= 28)
        .then(|| big_size(&year, area.width / 2, 4))
        .flatten();
    let head_height = if big.is_some() { 5 } else { 1 };
    let [head, _, rest] = Layout::vertical([
        Constraint::Length(head_height),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    if let Some(size) = big {
        let [l, r] = Layout::horizontal([Constraint::Fill(1), Constraint::Fill(1)]).areas(head);
        frame.render_widget(
            Paragraph::new(vec![
                Line::styled(fit(title, l.width as usize), theme.slide_heading()),
                Line::default(),
                Line::styled(
                    format!(
                        "{state} · {} {}–{}",
                        lang.pick("år", "years"),
                        deck.film.first,
                        deck.film.last
                    ),
                    theme.slide_text(),
                ),
            ]),
            l,
        );
        draw_big(frame, &year, size, theme.slide_accent(), r, false);
    } else {
        frame.render_widget(
            Paragraph::new(Line::from(vec![
                Span::styled(fit(&format!("{title} · "), width), theme.slide_heading()),
                Span::styled(year.clone(), theme.slide_accent()),
                Span::styled(format!("  {state}"), theme.slide_text()),
            ])),
            head,
        );
    }
    // The grid: a label column, then a column per district of the day.
    let code_width = page
        .columns
        .iter()
        .map(|u| printable(&u.code).width())
        .max()
        .unwrap_or(2);
    let label_width = page
        .rows
        .iter()
        .map(|(m, _)| printable(&m.label).width())
        .max()
        .unwrap_or(6)
        .clamp(6, 18);
    // Cells grow on a large screen, up to twice the room they need, leaving a third of the
    // width to what happened that year.
    let columns = page.columns.len().max(1);
    let room = (area.width as usize * 2 / 3).saturating_sub(label_width + 1) / columns;
    let cell = room.clamp((code_width + 2).max(4), (code_width + 2).max(4) * 2);
    let grid_width = (label_width + 1 + cell * page.columns.len()) as u16;
    let legend_lines = legend(lang, theme, (grid_width.min(area.width)) as usize);
    let beside = area.width >= grid_width + 30;
    let (grid_area, changes_area) = if beside {
        let [g, _, c] = Layout::horizontal([
            Constraint::Length(grid_width),
            Constraint::Length(3),
            Constraint::Min(0),
        ])
        .areas(rest);
        (g, c)
    } else {
        let rows = (page.rows.len() + 2 + legend_lines.len()) as u16;
        let [g, c] = Layout::vertical([
            Constraint::Length(rows.min(rest.height * 2 / 3)),
            Constraint::Min(0),
        ])
        .areas(rest);
        (g, c)
    };
    let mut lines: Vec<Line> = Vec::new();
    let mut header = vec![Span::styled(
        format!("{:label_width$} ", ""),
        theme.slide_text(),
    )];
    for u in &page.columns {
        header.push(Span::styled(
            format!("{:^cell$}", printable(&u.code)),
            theme.slide_heading(),
        ));
    }
    lines.push(Line::from(header));
    let room = (grid_area.height as usize).saturating_sub(1 + legend_lines.len() + 1);
    // A blank line between methods where there is room for it.
    let spaced = page.rows.len() * 2 <= room;
    let room = if spaced { room / 2 } else { room };
    let shown = page.rows.len().min(room);
    let hidden = page.rows.len() - shown + page.more;
    let columns_note = if page.more_columns > 0 {
        format!(
            "{} {} {}",
            lang.pick("och", "and"),
            page.more_columns,
            lang.pick("stadsdelar till", "more districts")
        )
    } else {
        String::new()
    };
    for (m, cells) in page.rows.iter().take(shown) {
        let mut spans = vec![Span::styled(
            format!("{:label_width$} ", fit(&printable(&m.label), label_width)),
            theme.slide_text(),
        )];
        for (u, c) in page.columns.iter().zip(cells) {
            let marked = deck.marked(m.id, u.id);
            let (text, style) = match c {
                Some(c) if c.inherited() => {
                    (format!("({})", c.stage.glyph()), theme.slide_stage(c.stage))
                }
                Some(c) => (c.stage.glyph().to_string(), theme.slide_stage(c.stage)),
                None => ("·".to_string(), theme.slide_text()),
            };
            let text = if marked {
                format!("{text}{LIVE}")
            } else {
                text
            };
            let style = if marked { theme.slide_mark() } else { style };
            spans.push(Span::styled(format!("{text:^cell$}"), style));
        }
        if spaced {
            lines.push(Line::default());
        }
        lines.push(Line::from(spans));
    }
    let methods_note = if hidden > 0 {
        format!(
            "{} {hidden} {}",
            lang.pick("och", "and"),
            lang.pick("metoder till", "more methods")
        )
    } else {
        String::new()
    };
    let notes: Vec<&str> = [methods_note.as_str(), columns_note.as_str()]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect();
    if notes.is_empty() {
        lines.push(Line::default());
    } else {
        lines.push(Line::styled(
            fit(&format!("… {}", notes.join(", ")), grid_area.width as usize),
            theme.slide_text(),
        ));
    }
    lines.extend(legend_lines);
    frame.render_widget(Paragraph::new(lines), grid_area);

    // What changed that year, in sentences.
    let cw = changes_area.width as usize;
    let mut text = vec![Line::styled(
        fit(
            &format!(
                "{} {}",
                lang.pick("Det här hände", "What happened in"),
                page.year
            ),
            cw,
        ),
        theme.slide_heading(),
    )];
    if page.changes.is_empty() {
        text.push(Line::styled(
            fit(
                lang.pick("Inga nya steg det året.", "No new stages that year."),
                cw,
            ),
            theme.slide_text(),
        ));
    }
    let room = (changes_area.height as usize).saturating_sub(1);
    let mut used = 0;
    let mut left_out = 0;
    for c in &page.changes {
        let sentence = format!(
            "{} {} {} {} {}",
            c.stage.glyph(),
            printable(&c.method),
            happened(c.stage, lang),
            lang.pick("i", "in"),
            c.units
                .iter()
                .map(|u| printable(u))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let wrapped = wrap(&sentence, cw.saturating_sub(2), 3);
        if used + wrapped.len() + 1 > room {
            left_out += 1;
            continue;
        }
        used += wrapped.len();
        for (i, l) in wrapped.into_iter().enumerate() {
            let indent = if i == 0 { "" } else { "  " };
            text.push(Line::styled(
                format!("{indent}{l}"),
                theme.slide_stage(c.stage),
            ));
        }
    }
    if left_out > 0 {
        text.push(Line::styled(
            fit(
                &format!(
                    "… {} {left_out} {}",
                    lang.pick("och", "and"),
                    lang.pick("fler", "more")
                ),
                cw,
            ),
            theme.slide_text(),
        ));
    }
    frame.render_widget(Paragraph::new(text), changes_area);
}

/// The stage that would come next for a stalled pilot.
fn next_step(stage: Stage) -> Stage {
    match stage {
        Stage::Exploring => Stage::Preparing,
        Stage::Preparing => Stage::Pilot,
        _ => Stage::Implemented,
    }
}

fn stalled_slide(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    (rows, total): (&[Stalled], usize),
    theme: &Theme,
    area: Rect,
) {
    let width = area.width as usize;
    let mut lines = vec![Line::styled(
        fit(
            lang.pick(
                "Stannade piloter och nästa steg",
                "Stalled pilots and next steps",
            ),
            width,
        ),
        theme.slide_heading(),
    )];
    for l in wrap(
        &format!(
            "{} {}.",
            lang.pick(
                "Förbereder eller pilot i mer än 18 månader utan nytt steg, läget",
                "Preparing or pilot for more than 18 months without a later stage, as of",
            ),
            deck.moment.day
        ),
        width,
        2,
    ) {
        lines.push(Line::styled(l, theme.slide_text()));
    }
    lines.push(Line::default());
    if rows.is_empty() {
        lines.push(Line::styled(
            fit(
                lang.pick(
                    "Inga stannade piloter bland metoderna i presentationen.",
                    "No stalled pilots among the methods of this presentation.",
                ),
                width,
            ),
            theme.slide_text(),
        ));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    let method_width = rows
        .iter()
        .map(|s| printable(&s.method).width())
        .max()
        .unwrap_or(6)
        .clamp(6, 20);
    let stage_width = 2 + Stage::ALL
        .iter()
        .map(|s| s.label(lang).width())
        .filter(|w| *w <= 12)
        .max()
        .unwrap_or(10);
    let months = lang.pick("mån", "months");
    let header = format!(
        "{:method_width$}  {:5}  {:stage_width$}  {:10}  {:>6}  {}",
        lang.pick("Metod", "Method"),
        lang.pick("Enhet", "Unit"),
        lang.pick("Steg", "Stage"),
        lang.pick("Sedan", "Since"),
        months,
        lang.pick("Nästa steg", "Next step"),
    );
    lines.push(Line::styled(fit(&header, width), theme.slide_heading()));
    let room = (area.height as usize).saturating_sub(lines.len() + 1);
    let shown = rows.len().min(room);
    for s in &rows[..shown] {
        let next = next_step(s.stage);
        let stage = format!("{} {}", s.stage.glyph(), s.stage.label(lang));
        let next = format!("{} {}", next.glyph(), next.label(lang));
        let fixed = method_width + 2 + 5 + 2 + stage_width + 2 + 10 + 2 + 6 + 2;
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{:method_width$}  {:5}  ",
                    fit(&printable(&s.method), method_width),
                    fit(&printable(&s.unit), 5)
                ),
                theme.slide_text(),
            ),
            Span::styled(
                format!("{:stage_width$}  ", fit(&stage, stage_width)),
                theme.slide_stage(s.stage),
            ),
            Span::styled(
                format!("{:10}  {:>6}  ", s.since.to_string(), s.months),
                theme.slide_text(),
            ),
            Span::styled(fit(&next, width.saturating_sub(fixed)), theme.slide_text()),
        ]));
    }
    if shown < total {
        // The count stops at a thousand.
        let plus = if total >= crate::store::STALLED_COUNT_CAP {
            "+"
        } else {
            ""
        };
        lines.push(Line::styled(
            format!(
                "… {} {}{plus} {}",
                lang.pick("och", "and"),
                total - shown,
                lang.pick("till", "more")
            ),
            theme.slide_text(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_shortens_at_a_word() {
        assert_eq!(
            fit("Enskede-Årsta-Vantör Pilot", 40),
            "Enskede-Årsta-Vantör Pilot"
        );
        assert_eq!(fit("i ordinarie verksamhet i fem", 20), "i ordinarie…");
        assert_eq!(fit("Supercalifragilistic", 8), "Superca…");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn wrap_keeps_words_whole_and_marks_what_is_left_out() {
        let lines = wrap("Ett två tre fyra fem sex sju", 9, 2);
        assert_eq!(lines, vec!["Ett två", "tre fyra…"]);
        assert!(lines.iter().all(|l| l.width() <= 9));
        assert_eq!(wrap("kort", 10, 3), vec!["kort"]);
    }

    #[test]
    fn the_first_sentence_ends_at_its_full_stop() {
        assert_eq!(
            first_sentence("Ett strukturerat samtal. Används vid bedömning."),
            "Ett strukturerat samtal."
        );
        assert_eq!(first_sentence("Utan punkt\nandra raden"), "Utan punkt");
    }
}
