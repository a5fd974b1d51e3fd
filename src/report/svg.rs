//! A method's adoption curve as inline SVG for the web report: the units reached (pilot or
//! beyond, dashed) and in use (implemented or beyond, solid) by the end of each year. The
//! two lines differ in dash as well as colour, so the chart reads in black and white; the
//! `<title>` says the last values for a screen reader. Written through maud, like the page.

use maud::{Markup, html};

use crate::i18n::Lang;
use crate::store::CurvePoint;

const WIDTH: f64 = 420.0;
const HEIGHT: f64 = 150.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;
/// The colour of the units reached (pilot or beyond). Both line colours are dark enough on
/// white for lines (≥ 3:1) and for text (≥ 4.5:1): 6.5:1 and 5.1:1.
pub const REACHED: &str = "#1f5fa8";
/// The colour of the units in use (implemented or beyond).
pub const IN_USE: &str = "#1a7f37";

/// The chart, or nothing when no unit has piloted the method.
pub fn curve(points: &[CurvePoint], label: &str, id: &str, lang: Lang) -> Option<Markup> {
    let (first, last) = (points.first()?, points.last()?);
    let top = points.iter().map(|p| p.reached).max().unwrap_or(0).max(1);
    let years = f64::from((last.year - first.year).max(1));
    let x = |year: i32| LEFT + f64::from(year - first.year) / years * (WIDTH - LEFT - RIGHT);
    let y = |n: u32| TOP + (1.0 - f64::from(n) / f64::from(top)) * (HEIGHT - TOP - BOTTOM);
    let line = |f: fn(&CurvePoint) -> u32| {
        points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(p.year), y(f(p))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let title = format!(
        "{label}, {}: {} {}, {} {}; {} {}",
        last.year,
        last.reached,
        lang.pick("nådda (pilot eller längre)", "reached (pilot or beyond)"),
        last.in_use,
        lang.pick(
            "i ordinarie verksamhet eller längre",
            "implemented or beyond"
        ),
        lang.pick("med besked, per år sedan", "heard from, by year since"),
        first.year,
    );
    // A year label at each end, and one between when there is room for it.
    let mut ticks = vec![first.year];
    if last.year - first.year >= 4 {
        ticks.push(first.year + (last.year - first.year) / 2);
    }
    if last.year != first.year {
        ticks.push(last.year);
    }
    let title_id = format!("{id}-title");
    Some(html! {
        svg class="curve" viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width=(WIDTH) height=(HEIGHT)
            role="img" aria-labelledby=(title_id) {
            title id=(title_id) { (title) }
            line x1=(LEFT) y1=(y(0)) x2=(WIDTH - RIGHT) y2=(y(0)) stroke="#595959" stroke-width="1" {}
            line x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(y(0)) stroke="#595959" stroke-width="1" {}
            text x=(LEFT - 6.0) y=(y(top) + 4.0) text-anchor="end" { (top) }
            text x=(LEFT - 6.0) y=(y(0) + 4.0) text-anchor="end" { "0" }
            @for year in &ticks {
                text x=(x(*year)) y=(HEIGHT - 8.0) text-anchor="middle" { (year) }
            }
            polyline points=(line(|p| p.reached)) fill="none" stroke=(REACHED) stroke-width="2"
                stroke-dasharray="6 4" {}
            polyline points=(line(|p| p.in_use)) fill="none" stroke=(IN_USE) stroke-width="3" {}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_curve_draws_both_lines_and_says_its_last_values() {
        let points = [
            CurvePoint {
                year: 2003,
                reached: 1,
                in_use: 0,
            },
            CurvePoint {
                year: 2005,
                reached: 4,
                in_use: 2,
            },
        ];
        let svg = curve(&points, "ASI", "m1", Lang::En)
            .map(|m| m.into_string())
            .unwrap_or_default();
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains(
            "ASI, 2005: 4 reached (pilot or beyond), 2 implemented or beyond; heard from, by year since 2003"
        ));
        // The in-use line ends halfway up (2 of 4), the reached line at the top.
        assert!(svg.contains(&format!("{:.1},{:.1}", WIDTH - RIGHT, TOP)));
        assert!(curve(&[], "ASI", "m1", Lang::En).is_none());
    }

    #[test]
    fn the_line_colours_read_on_white() {
        use crate::ui::theme::contrast;
        let rgb = |hex: &str| {
            let n = u32::from_str_radix(&hex[1..], 16).unwrap_or(0);
            ((n >> 16) as u8, (n >> 8) as u8, n as u8)
        };
        for colour in [REACHED, IN_USE] {
            assert!(contrast(rgb(colour), (255, 255, 255)) >= 4.5, "{colour}");
        }
    }
}
