//! The *Diagram* sheet: a native Excel line chart of the adoption curves of the methods in
//! use in the most units, on a chart sheet of its own (it prints whole on one page), read
//! from a table of its data at the foot of the *Spridning* sheet. The y axis counts units in
//! whole numbers; each line has a dash and a marker of its own, so the lines tell apart in
//! grayscale print too.

use rust_xlsxwriter::{
    Chart, ChartFormat, ChartLine, ChartLineDashType, ChartMarker, ChartMarkerType, ChartType,
    Format, Worksheet, XlsxError,
};

use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::report::{ReportData, ReportScope};

/// Lines in the chart at most: more would not tell apart.
pub const LINES: usize = 5;

/// Each line's look, in order: a dash and a marker of its own.
const LOOKS: [(ChartLineDashType, ChartMarkerType); LINES] = [
    (ChartLineDashType::Solid, ChartMarkerType::Circle),
    (ChartLineDashType::Dash, ChartMarkerType::Square),
    (ChartLineDashType::RoundDot, ChartMarkerType::Triangle),
    (ChartLineDashType::LongDash, ChartMarkerType::Diamond),
    (ChartLineDashType::DashDot, ChartMarkerType::X),
];

/// The curves the chart draws: per method (label), the units in use at the end of every
/// year from the first year any of them had one.
pub struct Curves {
    pub labels: Vec<String>,
    pub first_year: i32,
    /// Per year (from `first_year`), per method: units in use.
    pub values: Vec<Vec<u32>>,
}

impl Curves {
    /// The methods with something to show (a unit in use in some year), the most in use
    /// on the day first, at most `LINES`; `None` when no method has any.
    pub fn of(data: &ReportData, scope: &ReportScope) -> Option<Curves> {
        let last_year = chrono::Datelike::year(&scope.moment.day);
        let mut chosen: Vec<(&crate::store::Metrics, &[crate::store::CurvePoint])> = data
            .method_metrics
            .iter()
            .filter_map(|m| Some((m, data.curves.get(&m.id)?.as_slice())))
            .filter(|(_, curve)| curve.iter().any(|p| p.in_use > 0))
            .collect();
        chosen.sort_by_key(|(m, curve)| {
            let peak = curve.iter().map(|p| p.in_use).max().unwrap_or(0);
            std::cmp::Reverse((m.in_use, peak, m.reached))
        });
        chosen.truncate(LINES);
        let first_year = chosen
            .iter()
            .filter_map(|(_, c)| c.iter().find(|p| p.in_use > 0))
            .map(|p| p.year)
            .min()?;
        let values = (first_year..=last_year.max(first_year))
            .map(|year| {
                chosen
                    .iter()
                    .map(|(_, curve)| {
                        // Before a method's first pilot nothing was in use; after its last
                        // point the last value holds.
                        curve
                            .iter()
                            .take_while(|p| p.year <= year)
                            .last()
                            .map_or(0, |p| p.in_use)
                    })
                    .collect()
            })
            .collect();
        Some(Curves {
            labels: chosen.iter().map(|(m, _)| printable(&m.label)).collect(),
            first_year,
            values,
        })
    }

    /// The largest count in the chart.
    fn peak(&self) -> u32 {
        self.values.iter().flatten().copied().max().unwrap_or(0)
    }

    /// The table the chart reads, from row `top` of `ws` (the *Spridning* sheet): a heading
    /// saying what it is for, the methods' labels, then a year per row.
    pub fn write_table(&self, ws: &mut Worksheet, top: u32, lang: Lang) -> Result<(), XlsxError> {
        let bold = Format::new().set_bold();
        ws.write_string_with_format(
            top,
            0,
            lang.pick(
                "Diagrammets data (bladet Diagram): enheter i ordinarie verksamhet eller längre, med besked, vid årets slut",
                "The chart's data (the Diagram sheet): units implemented or beyond, heard from, at the end of each year",
            ),
            &bold,
        )?;
        ws.write_string_with_format(top + 1, 0, lang.pick("år", "year"), &bold)?;
        for (c, label) in self.labels.iter().enumerate() {
            ws.write_string_with_format(top + 1, 1 + c as u16, label, &bold)?;
        }
        for (i, row) in self.values.iter().enumerate() {
            let r = top + 2 + i as u32;
            ws.write_number(r, 0, self.first_year + i as i32)?;
            for (c, v) in row.iter().enumerate() {
                ws.write_number(r, 1 + c as u16, *v)?;
            }
        }
        Ok(())
    }

    /// The line chart of the table written at `top` on the sheet named `sheet`.
    pub fn chart(&self, sheet: &str, top: u32, lang: Lang) -> Chart {
        let mut chart = Chart::new(ChartType::Line);
        chart.title().set_name(lang.pick(
            "Spridning över tid: enheter i ordinarie verksamhet eller längre",
            "Spread over time: units implemented or beyond",
        ));
        let (header, first, last) = (top + 1, top + 2, top + 1 + self.values.len() as u32);
        for (c, (dash, marker)) in (0..self.labels.len()).zip(LOOKS) {
            let col = 1 + c as u16;
            chart
                .add_series()
                .set_name((sheet, header, col))
                .set_categories((sheet, first, 0, last, 0))
                .set_values((sheet, first, col, last, col))
                .set_format(
                    ChartFormat::new()
                        .set_line(ChartLine::new().set_width(2.25).set_dash_type(dash)),
                )
                .set_marker(ChartMarker::new().set_type(marker).set_size(7));
        }
        // Whole units: no 0.2 steps, at most about ten steps up the axis.
        let step = self.peak().div_ceil(10).max(1);
        chart
            .y_axis()
            .set_name(lang.pick("enheter", "units"))
            .set_min(0)
            .set_max(self.peak().div_ceil(step).max(1) * step)
            .set_major_unit(step)
            .set_num_format("0");
        chart.x_axis().set_name(lang.pick("år", "year"));
        chart
    }
}
