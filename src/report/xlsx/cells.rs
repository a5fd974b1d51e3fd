//! Cells a spreadsheet reads as what they are: dates as Excel dates (sorted, filtered and
//! counted by date), a date given by month as the first of that month shown `yyyy-mm`,
//! times as UTC date-times, long text wrapped.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Worksheet, XlsxError};

use crate::domain::EventDate;
use crate::domain::text::printable_cow;

/// The formats of a sheet's dates, times and wrapped text (made once per sheet: a
/// million history rows share them).
pub struct CellFormats {
    day: Format,
    month: Format,
    time: Format,
    /// Long text (notes, definitions): wrapped, at the top of its cell.
    pub wrap: Format,
}

impl CellFormats {
    pub fn new() -> CellFormats {
        CellFormats {
            day: Format::new().set_num_format("yyyy-mm-dd"),
            month: Format::new().set_num_format("yyyy-mm"),
            time: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            wrap: Format::new()
                .set_text_wrap()
                .set_align(rust_xlsxwriter::FormatAlign::Top),
        }
    }

    /// A day (`NaiveDate`) as an Excel date.
    pub fn write_day(
        &self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        day: NaiveDate,
    ) -> Result<(), XlsxError> {
        match excel_day(day) {
            Some(d) => ws.write_datetime_with_format(row, col, d, &self.day)?,
            None => ws.write_string(row, col, day.to_string())?,
        };
        Ok(())
    }

    /// A day, or nothing.
    pub fn write_day_opt(
        &self,
        ws: &mut Worksheet,
        at: (u32, u16),
        day: Option<NaiveDate>,
    ) -> Result<(), XlsxError> {
        match day {
            Some(day) => self.write_day(ws, at, day),
            None => Ok(()),
        }
    }

    /// A date as the register stores it: a day (`2004-01-15`) or a month (`2004-01`, the
    /// first of the month shown `yyyy-mm`); anything else as the text it is.
    pub fn write_event_date(
        &self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        text: &str,
    ) -> Result<(), XlsxError> {
        let date = text.parse::<EventDate>().ok().and_then(|d| {
            let format = match d {
                EventDate::Day(_) => &self.day,
                EventDate::Month { .. } => &self.month,
            };
            excel_day(d.first_day()).map(|x| (x, format))
        });
        match date {
            Some((d, format)) => ws.write_datetime_with_format(row, col, d, format)?,
            None => ws.write_string(row, col, printable_cow(text))?,
        };
        Ok(())
    }

    /// A moment as the register stores it (`2026-12-03T16:13:17Z`, UTC) as an Excel
    /// date-time in UTC; anything else as the text it is.
    pub fn write_time(
        &self,
        ws: &mut Worksheet,
        (row, col): (u32, u16),
        text: &str,
    ) -> Result<(), XlsxError> {
        match excel_time(text) {
            Some(t) => ws.write_datetime_with_format(row, col, t, &self.time)?,
            None => ws.write_string(row, col, printable_cow(text))?,
        };
        Ok(())
    }
}

/// A day as an Excel date (Excel's dates start in 1900: an earlier day stays text).
fn excel_day(day: NaiveDate) -> Option<ExcelDateTime> {
    let year = u16::try_from(day.year()).ok()?;
    ExcelDateTime::from_ymd(year, day.month() as u8, day.day() as u8).ok()
}

/// `YYYY-MM-DDTHH:MM:SSZ` (or with fractions, or an offset, as RFC 3339) as an Excel
/// date-time in UTC.
fn excel_time(text: &str) -> Option<ExcelDateTime> {
    use chrono::Timelike;
    let t = chrono::DateTime::parse_from_rfc3339(text.trim())
        .ok()?
        .with_timezone(&chrono::Utc);
    excel_day(t.date_naive())?
        .and_hms(t.hour() as u16, t.minute() as u8, t.second())
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_dates_and_times_become_excel_serial_numbers() {
        // 2004-01-01 is Excel's day 37987; noon is half a day.
        let serial = |d: ExcelDateTime| d.to_excel();
        let day = NaiveDate::from_ymd_opt(2004, 1, 1).expect("a day");
        assert_eq!(excel_day(day).map(serial), Some(37987.0));
        assert_eq!(
            excel_time("2004-01-01T12:00:00Z").map(serial),
            Some(37987.5)
        );
        assert_eq!(
            excel_time("2004-01-01T13:00:00+01:00").map(serial),
            Some(37987.5),
            "an offset is turned into UTC"
        );
        assert!(excel_time("in the spring").is_none());
        let early = NaiveDate::from_ymd_opt(1899, 12, 1).expect("a day");
        assert_eq!(excel_day(early).map(serial), None, "before Excel's dates");
    }
}
