//! A method's adoption curve: ratatui's `Chart`, drawn into lines so that it scrolls with the
//! rest of the detail view. Two lines, told apart by their glyphs as well as their colours:
//! `•` units at pilot or beyond, `█` units implemented or beyond, per year, each unit only while heard from within the fresh months.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

use super::theme::Theme;
use crate::domain::Stage;
use crate::i18n::Lang;
use crate::store::CurvePoint;

/// Rows of the chart itself, axes and labels included.
const HEIGHT: u16 = 10;
/// Wide enough for three decades of years; wider only stretches the lines.
const MAX_WIDTH: u16 = 72;

pub const REACHED: char = '•';
pub const IN_USE: char = '█';

/// The styles of the two lines and the axes.
#[derive(Debug, Clone, Copy)]
pub struct CurveStyles {
    pub reached: Style,
    pub in_use: Style,
    pub axis: Style,
}

/// The curve as screen lines: the chart, then a key naming each glyph with its last value.
pub fn lines(curve: &[CurvePoint], lang: Lang, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let styles = CurveStyles {
        reached: theme.stage(Stage::Pilot),
        in_use: theme.stage(Stage::Implemented),
        axis: theme.dim(),
    };
    let chart = chart_lines(
        curve,
        &styles,
        width.saturating_sub(2).clamp(20, MAX_WIDTH),
        HEIGHT,
    );
    if chart.is_empty() {
        return chart;
    }
    let mut out: Vec<Line<'static>> = chart
        .into_iter()
        .map(|mut l| {
            l.spans.insert(0, Span::raw("  "));
            l
        })
        .collect();
    let [reached, in_use] = key(curve, lang, &styles);
    out.push(Line::from(vec![
        Span::raw("  "),
        reached,
        Span::raw("   "),
        in_use,
    ]));
    out
}

/// The key: each line's glyph, what it counts and its last value.
pub fn key(curve: &[CurvePoint], lang: Lang, styles: &CurveStyles) -> [Span<'static>; 2] {
    let (reached, in_use) = curve
        .last()
        .map(|p| (p.reached, p.in_use))
        .unwrap_or_default();
    [
        Span::styled(
            format!(
                "{REACHED} {} {reached}",
                lang.pick("pilot eller längre:", "pilot or beyond:"),
            ),
            styles.reached,
        ),
        Span::styled(
            format!(
                "{IN_USE} {} {in_use}",
                lang.pick("implementerad eller längre:", "implemented or beyond:"),
            ),
            styles.in_use,
        ),
    ]
}

/// The chart alone, `width` × `height` cells, as lines (none while the curve is empty).
pub fn chart_lines(
    curve: &[CurvePoint],
    styles: &CurveStyles,
    width: u16,
    height: u16,
) -> Vec<Line<'static>> {
    let (Some(first), Some(last)) = (curve.first(), curve.last()) else {
        return Vec::new();
    };
    let points = |f: fn(&CurvePoint) -> u32| -> Vec<(f64, f64)> {
        curve
            .iter()
            .map(|p| (f64::from(p.year), f64::from(f(p))))
            .collect()
    };
    let (reached, in_use) = (points(|p| p.reached), points(|p| p.in_use));
    let datasets = vec![
        Dataset::default()
            .marker(Marker::Custom(REACHED))
            .graph_type(GraphType::Line)
            .style(styles.reached)
            .data(&reached),
        // Drawn last, so where the two meet the stronger claim shows.
        Dataset::default()
            .marker(Marker::Custom(IN_USE))
            .graph_type(GraphType::Line)
            .style(styles.in_use)
            .data(&in_use),
    ];
    // One year alone still gets a span to draw along.
    let (x0, x1) = (first.year, last.year.max(first.year + 1));
    let top = curve.iter().map(|p| p.reached).max().unwrap_or(0).max(1);
    let mid = x0 + (x1 - x0) / 2;
    let x_labels: Vec<Line> = if x1 - x0 >= 4 {
        vec![x0.to_string(), mid.to_string(), x1.to_string()]
    } else {
        vec![x0.to_string(), x1.to_string()]
    }
    .into_iter()
    .map(Line::from)
    .collect();
    let chart = Chart::new(datasets)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([f64::from(x0), f64::from(x1)])
                .labels(x_labels)
                .style(styles.axis),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, f64::from(top)])
                .labels(vec![Line::from("0"), Line::from(top.to_string())])
                .style(styles.axis),
        );
    let area = Rect::new(0, 0, width.max(12), height.max(4));
    let mut buffer = Buffer::empty(area);
    chart.render(area, &mut buffer);
    buffer_lines(&buffer)
}

/// A rendered buffer as lines of styled spans (neighbouring cells of one style joined).
fn buffer_lines(buffer: &Buffer) -> Vec<Line<'static>> {
    let area = buffer.area;
    (area.top()..area.bottom())
        .map(|y| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut text = String::new();
            let mut style = Style::default();
            for x in area.left()..area.right() {
                let cell = &buffer[(x, y)];
                // Cells the chart left at the terminal's colours take the colours of wherever
                // the lines are drawn (a slide's background, say).
                let mut cell_style = cell.style();
                if cell_style.fg == Some(ratatui::style::Color::Reset) {
                    cell_style.fg = None;
                }
                if cell_style.bg == Some(ratatui::style::Color::Reset) {
                    cell_style.bg = None;
                }
                if cell_style != style && !text.is_empty() {
                    spans.push(Span::styled(std::mem::take(&mut text), style));
                }
                style = cell_style;
                text.push_str(cell.symbol());
            }
            let trimmed = text.trim_end().to_string();
            if !trimmed.is_empty() {
                spans.push(Span::styled(trimmed, style));
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> String {
        lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_curve_names_both_glyphs_with_their_last_values_and_spans_its_years() {
        let curve = [
            CurvePoint {
                year: 2003,
                reached: 1,
                in_use: 0,
            },
            CurvePoint {
                year: 2008,
                reached: 4,
                in_use: 2,
            },
            CurvePoint {
                year: 2012,
                reached: 6,
                in_use: 3,
            },
        ];
        let lines = lines(
            &curve,
            Lang::En,
            &Theme {
                color: false,
                ..Theme::default()
            },
            80,
        );
        let shown = text(&lines);
        assert_eq!(lines.len(), usize::from(HEIGHT) + 1);
        assert!(shown.contains("2003") && shown.contains("2012"), "{shown}");
        assert!(
            shown.contains("• pilot or beyond: 6") && shown.contains("█ implemented or beyond: 3"),
            "{shown}"
        );
        // The y axis is labelled with the top of the curve; both glyphs are drawn.
        assert!(shown.lines().next().unwrap_or("").contains('6'), "{shown}");
        let body: String = shown.lines().take(usize::from(HEIGHT) - 2).collect();
        assert!(body.contains(REACHED) && body.contains(IN_USE), "{shown}");
    }

    #[test]
    fn no_curve_no_lines() {
        assert!(
            lines(
                &[],
                Lang::En,
                &Theme {
                    color: false,
                    ..Theme::default()
                },
                80
            )
            .is_empty()
        );
    }
}
