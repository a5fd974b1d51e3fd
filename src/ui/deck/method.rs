//! A method's slide: its label (big where it fits), name and first sentence, how many
//! districts use it, the districts by region with their stages (a readable stand-in for a
//! map) and its adoption curve.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{LIVE, big_size, draw_big, styled};
use crate::app::deck::{Deck, MethodPage, UnitGroup};
use crate::domain::text::printable;
use crate::domain::{Stage, Unit};
use crate::i18n::Lang;
use crate::store::RolledCell;
use crate::ui::curve::{self, CurveStyles};
use crate::ui::text::{fit, wrap_at_most};
use crate::ui::theme::Theme;

/// The curve needs this much room beside or below the units.
const CURVE_MIN_WIDTH: u16 = 34;
const CURVE_MIN_HEIGHT: u16 = 9;

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
    (unit, cell): &(Unit, Option<RolledCell>),
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
            // A stale stage is marked (the chart's key says what the mark means).
            let stale = if c.stale {
                crate::domain::age::STALE_MARK
            } else {
                ""
            };
            (
                c.stage.glyph(),
                format!("{}{stale}{from}", c.stage.label(lang)),
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

pub(super) fn draw(
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
        wrap_at_most(&name, width, 2)
    } else {
        Vec::new()
    };
    let sentence_lines = if area.height >= 30 { 3 } else { 2 };
    let sentence = wrap_at_most(
        &printable(&first_sentence(&m.description)),
        width,
        sentence_lines,
    );
    let key = format!(
        "{} {}",
        lang.pick("I ordinarie verksamhet i", "In ordinary use in"),
        crate::domain::age::in_use_of(
            page.in_use,
            page.in_use_stale,
            page.districts,
            deck.moment.fresh_months,
            lang
        )
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

/// The lines that list a method slide's units, built for a width.
struct UnitLines<'a> {
    lang: Lang,
    deck: &'a Deck,
    page: &'a MethodPage,
    theme: &'a Theme,
    /// The column the stage words line up at.
    name_width: usize,
    /// At most this many lines are built: more never fit (a register with hundreds of
    /// districts shows the first and counts the rest).
    cap: usize,
}

impl UnitLines<'_> {
    /// Every region's heading and its units, a line each (`spaced`: a blank line between
    /// regions). `condensed`: the units without a stage are named together on wrapped lines.
    /// Each line comes with the number of units it names.
    fn build(&self, width: u16, spaced: bool, condensed: bool) -> Vec<(Line<'static>, usize)> {
        let (lang, theme) = (self.lang, self.theme);
        let method = self.page.method.id;
        let mut lines = Vec::new();
        for (i, UnitGroup { region, units }) in self.page.groups.iter().enumerate() {
            if lines.len() > self.cap {
                break;
            }
            if i > 0 && spaced {
                lines.push((Line::default(), 0));
            }
            let heading = crate::domain::region::name(region.as_deref(), lang);
            lines.push((
                Line::styled(fit(&heading, width as usize), theme.slide_heading()),
                0,
            ));
            let mut without: Vec<String> = Vec::new();
            for u in units {
                if lines.len() > self.cap {
                    break;
                }
                if condensed && u.1.is_none() && !self.deck.marked(method, u.0.id) {
                    without.push(printable(&u.0.name));
                    continue;
                }
                let line = self.unit(u, width as usize);
                lines.push((line, 1));
            }
            if !without.is_empty() {
                lines.extend(self.without_stage(without, width));
            }
        }
        lines
    }

    fn unit(&self, unit: &(Unit, Option<RolledCell>), width: usize) -> Line<'static> {
        let (lang, deck, theme) = (self.lang, self.deck, self.theme);
        unit_line(
            lang,
            deck,
            self.page.method.id,
            unit,
            self.name_width,
            width,
            theme,
        )
    }

    /// "· no stage: Farsta, Skarpnäck, …" on at most three wrapped lines, the first counting
    /// every unit named.
    fn without_stage(&self, mut names: Vec<String>, width: u16) -> Vec<(Line<'static>, usize)> {
        let named = names.len();
        names.truncate(60);
        let text = format!(
            "{}: {}",
            self.lang.pick("inget steg", "no stage"),
            names.join(", ")
        );
        wrap_at_most(&text, (width as usize).saturating_sub(3), 3)
            .into_iter()
            .enumerate()
            .map(|(j, l)| {
                let lead = if j == 0 { " · " } else { "   " };
                let counted = if j == 0 { named } else { 0 };
                (
                    Line::styled(format!("{lead}{l}"), self.theme.slide_text()),
                    counted,
                )
            })
            .collect()
    }
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
    let units = UnitLines {
        lang,
        deck,
        page,
        theme,
        name_width,
        cap,
    };
    // Without room for the chart beside the units, its key (three lines) may go below them.
    // The roomiest form of the list that fits.
    let beside = area.width >= unit_width + 2 + CURVE_MIN_WIDTH + 2;
    let rows = (area.height as usize).saturating_sub(if beside { 0 } else { 3 });
    let mut lines = [(true, false), (false, false), (true, true), (false, true)]
        .into_iter()
        .map(|(spaced, condensed)| units.build(unit_width, spaced, condensed))
        .find(|l| l.len() <= rows)
        .unwrap_or_else(|| units.build(unit_width, false, true));
    let has_curve = !page.curve.is_empty();
    let (units_area, curve_area) = match has_curve {
        true => beside_or_below(area, lines.len(), unit_width),
        false => (area, None),
    };
    if has_curve && curve_area.is_none() {
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
        draw_curve(frame, (lang, deck.moment.fresh_months), page, theme, c);
    }
}

/// Where the units go and where the curve goes: beside them in as many columns of units as
/// are needed and leave it room, else below them if it has its height, else nowhere.
fn beside_or_below(area: Rect, lines: usize, unit_width: u16) -> (Rect, Option<Rect>) {
    let rows = area.height.max(1) as usize;
    let need_columns = lines.div_ceil(rows).max(1) as u16;
    let room_beside = area.width.saturating_sub(CURVE_MIN_WIDTH + 2);
    let columns_beside = ((room_beside + 2) / (unit_width + 2)).min(need_columns);
    if columns_beside >= 1 {
        let w = columns_beside * (unit_width + 2);
        let [u, c] = Layout::horizontal([Constraint::Length(w), Constraint::Min(0)]).areas(area);
        (u, Some(c))
    } else if (lines as u16) + CURVE_MIN_HEIGHT < area.height {
        let [u, _, c] = Layout::vertical([
            Constraint::Length(lines as u16),
            Constraint::Length(1),
            Constraint::Min(0),
        ])
        .areas(area);
        (u, Some(c))
    } else {
        (area, None)
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

fn draw_curve(
    frame: &mut Frame,
    (lang, fresh_months): (Lang, u32),
    page: &MethodPage,
    theme: &Theme,
    area: Rect,
) {
    let styles = curve_styles(theme);
    let width = area.width.min(90);
    let title = lang.pick(
        "Spridning över tid (enheter med besked, per år)",
        "Spread over time (units heard from, by year)",
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
    // What the mark on a unit's stage means, when one is marked.
    if page
        .groups
        .iter()
        .flat_map(|g| g.units.iter())
        .any(|(_, c)| c.as_ref().is_some_and(|c| c.stale))
    {
        lines.push(Line::styled(
            fit(
                &format!(
                    "{} {}",
                    crate::domain::age::STALE_MARK,
                    crate::domain::age::stale_words(fresh_months, lang)
                ),
                width as usize,
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
    fn the_first_sentence_ends_at_its_full_stop() {
        assert_eq!(
            first_sentence("Ett strukturerat samtal. Används vid bedömning."),
            "Ett strukturerat samtal."
        );
        assert_eq!(first_sentence("Utan punkt\nandra raden"), "Utan punkt");
    }
}
