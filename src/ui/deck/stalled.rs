//! The stalled pilots: the longest-stalled first, each with the step that would come next.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use crate::app::deck::Deck;
use crate::domain::Stage;
use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::Stalled;
use crate::ui::text::{fit, wrap_at_most};
use crate::ui::theme::Theme;

/// The columns' widths between the method and the next step: unit, since, months.
const UNIT: usize = 5;
const SINCE: usize = 10;
const MONTHS: usize = 6;

/// The stage that would come next for a stalled pilot.
fn next_step(stage: Stage) -> Stage {
    match stage {
        Stage::Exploring => Stage::Preparing,
        Stage::Preparing => Stage::Pilot,
        _ => Stage::Implemented,
    }
}

pub(super) fn draw(
    frame: &mut Frame,
    lang: Lang,
    deck: &Deck,
    (rows, total, not_heard): (&[Stalled], usize, bool),
    theme: &Theme,
    area: Rect,
) {
    let width = area.width as usize;
    let heading = if not_heard {
        lang.pick(
            "Utan besked: vilka vi behöver fråga",
            "Not heard from: whom to ask",
        )
    } else {
        lang.pick(
            "Stannade piloter och nästa steg",
            "Stalled pilots and next steps",
        )
    };
    let mut lines = vec![Line::styled(fit(heading, width), theme.slide_heading())];
    let rule = if not_heard {
        format!(
            "{} {} {}.",
            lang.pick(
                "Ingen stannad pilot med färskt besked. De här stegen har inte hörts av på",
                "No stalled pilot heard from lately. These stages have not been heard from in",
            ),
            deck.moment.fresh_months,
            lang.pick(
                "månader, äldst besked först; mån: sedan senaste besked",
                "months, oldest word first; months: since last heard",
            )
        )
    } else {
        let months = crate::store::STALLED_AFTER;
        match lang {
            Lang::Sv => format!(
                "Förbereder eller pilot i mer än {months} månader utan nytt steg, med färskt besked, läget {}.",
                deck.moment.day
            ),
            Lang::En => format!(
                "Preparing or pilot for more than {months} months without a later stage, heard from lately, as of {}.",
                deck.moment.day
            ),
        }
    };
    for l in wrap_at_most(&rule, width, 2) {
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
    let table = Table::of(lang, rows, not_heard);
    lines.push(Line::styled(
        fit(&table.header(lang), width),
        theme.slide_heading(),
    ));
    let room = (area.height as usize).saturating_sub(lines.len() + 1);
    let shown = rows.len().min(room);
    for s in &rows[..shown] {
        lines.push(table.row(lang, s, width, theme));
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

/// The table's column widths that depend on what it shows.
struct Table {
    method: usize,
    stage: usize,
    /// The rows are stages not heard from: the last column is when last heard.
    not_heard: bool,
}

impl Table {
    fn of(lang: Lang, rows: &[Stalled], not_heard: bool) -> Table {
        let method = rows
            .iter()
            .map(|s| printable(&s.method).width())
            .max()
            .unwrap_or(6)
            .clamp(6, 20);
        let stage = 2 + Stage::ALL
            .iter()
            .map(|s| s.label(lang).width())
            .filter(|w| *w <= 12)
            .max()
            .unwrap_or(10);
        Table {
            method,
            stage,
            not_heard,
        }
    }

    fn header(&self, lang: Lang) -> String {
        let (method_width, stage_width) = (self.method, self.stage);
        format!(
            "{:method_width$}  {:UNIT$}  {:stage_width$}  {:SINCE$}  {:>MONTHS$}  {}",
            lang.pick("Metod", "Method"),
            lang.pick("Enhet", "Unit"),
            lang.pick("Steg", "Stage"),
            lang.pick("Sedan", "Since"),
            lang.pick("mån", "months"),
            if self.not_heard {
                lang.pick("Senast hörd", "Last heard")
            } else {
                lang.pick("Nästa steg", "Next step")
            },
        )
    }

    /// A stalled pilot's row: the stage in its colour, the next step in what room is left.
    fn row(&self, lang: Lang, s: &Stalled, width: usize, theme: &Theme) -> Line<'static> {
        let (method_width, stage_width) = (self.method, self.stage);
        let next = next_step(s.stage);
        let stage = format!("{} {}", s.stage.glyph(), s.stage.label(lang));
        let next = if self.not_heard {
            s.heard_shown()
        } else {
            format!("{} {}", next.glyph(), next.label(lang))
        };
        let fixed = method_width + 2 + UNIT + 2 + stage_width + 2 + SINCE + 2 + MONTHS + 2;
        Line::from(vec![
            Span::styled(
                format!(
                    "{:method_width$}  {:UNIT$}  ",
                    fit(&printable(&s.method), method_width),
                    fit(&printable(&s.unit), UNIT)
                ),
                theme.slide_text(),
            ),
            Span::styled(
                format!("{:stage_width$}  ", fit(&stage, stage_width)),
                theme.slide_stage(s.stage),
            ),
            Span::styled(
                format!("{:SINCE$}  {:>MONTHS$}  ", s.since_shown(), s.months),
                theme.slide_text(),
            ),
            Span::styled(fit(&next, width.saturating_sub(fixed)), theme.slide_text()),
        ])
    }
}
