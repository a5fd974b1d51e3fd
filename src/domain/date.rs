//! The date a stage took effect: a day (`2003-04-15`) or, when a document only says the month,
//! a month (`2003-04`). Stored as ISO 8601 text, so text order is date order and a month sorts
//! before the days in it.

use super::problem::Problem;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// When an event took effect: a day, or a month when the source gives no day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EventDate {
    Day(NaiveDate),
    Month { year: i32, month: u32 },
}

impl EventDate {
    /// The first day the date covers, used to compare with validity dates and "as of".
    pub fn first_day(self) -> NaiveDate {
        match self {
            EventDate::Day(d) => d,
            EventDate::Month { year, month } => {
                NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN)
            }
        }
    }

    /// Today, in local time.
    pub fn today() -> EventDate {
        EventDate::Day(chrono::Local::now().date_naive())
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Numbers, not `format("%Y-%m-%d")`: that parses its pattern on every call, and an
            // import writes a million days (years are 1000–9999, `EventDate::from_str`).
            EventDate::Day(d) => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            EventDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
        }
    }
}

impl FromStr for EventDate {
    type Err = Problem;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || Problem::InvalidDate {
            value: s.to_string(),
            month: true,
        };
        let digits_at = |positions: &[usize]| {
            positions
                .iter()
                .all(|&i| s.as_bytes().get(i).is_some_and(u8::is_ascii_digit))
        };
        match s.len() {
            10 if digits_at(&[0, 1, 2, 3, 5, 6, 8, 9]) && &s[4..5] == "-" && &s[7..8] == "-" => {
                // The digits are checked: read them directly (chrono's format parser was a
                // tenth of a history read).
                let number = |r: std::ops::Range<usize>| {
                    s.as_bytes()[r]
                        .iter()
                        .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
                };
                NaiveDate::from_ymd_opt(number(0..4) as i32, number(5..7), number(8..10))
                    .map(EventDate::Day)
                    .ok_or_else(bad)
            }
            7 if digits_at(&[0, 1, 2, 3, 5, 6]) && &s[4..5] == "-" => {
                let year: i32 = s[0..4].parse().map_err(|_| bad())?;
                let month: u32 = s[5..7].parse().map_err(|_| bad())?;
                if (1..=12).contains(&month) && year >= 1900 {
                    Ok(EventDate::Month { year, month })
                } else {
                    Err(bad())
                }
            }
            _ => Err(bad()),
        }
        .and_then(|d| {
            if d.first_day().year() < 1900 {
                Err(bad())
            } else {
                Ok(d)
            }
        })
    }
}

/// Parses a plain day (`YYYY-MM-DD`), e.g. for `--as-of` and validity dates.
pub fn parse_day(s: &str) -> Result<NaiveDate, Problem> {
    match s.parse::<EventDate>() {
        Ok(EventDate::Day(d)) => Ok(d),
        _ => Err(Problem::InvalidDate {
            value: s.trim().to_string(),
            month: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_months_round_trip() {
        for s in ["2003-04-15", "2003-04", "2019-12-31"] {
            assert_eq!(s.parse::<EventDate>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn impossible_dates_are_refused() {
        for s in [
            "2003-02-30",
            "2003-13",
            "2003-00",
            "03-04-05",
            "2003/04/05",
            "",
            "2003-4-5",
            "0000-01-01",
        ] {
            let err = s.parse::<EventDate>().unwrap_err().to_string();
            assert!(err.contains(&format!("'{}'", s.trim())), "{err}");
        }
    }

    #[test]
    fn month_sorts_before_its_days() {
        let month: EventDate = "2003-04".parse().unwrap();
        assert!(month.to_string().as_str() < "2003-04-01");
        assert_eq!(
            month.first_day(),
            NaiveDate::from_ymd_opt(2003, 4, 1).unwrap()
        );
    }
}
