//! What the Activity tab's `/` filter asks for. Words match a method, a unit, a stage or a
//! login, as before; terms narrow further, all of them together:
//!
//! - `by:LOGIN` (`av:`): changes made by logins containing LOGIN;
//! - `since:DATE` (`sedan:`, `från:`): made on or after the day (a month: its first day);
//! - `until:DATE` (`till:`): made on or before the day (a month: to its end).
//!
//! Times are the register's own (UTC). A word with another colon in it is plain text.

use chrono::{Datelike, Days, Months, NaiveDate};

use super::{EventDate, Problem};

/// The terms, for help: (term, Swedish, English).
pub const TERMS: [(&str, &str, &str); 4] = [
    (
        "ord",
        "Aktivitet: metod, enhet, steg eller inloggning som innehåller ordet",
        "Activity: a method, unit, stage or login containing the word",
    ),
    (
        "by:LOGIN  av:",
        "Aktivitet: ändringar gjorda av LOGIN",
        "Activity: changes made by LOGIN",
    ),
    (
        "since:DATUM  från:",
        "Aktivitet: gjorda den dagen eller senare (ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM)",
        "Activity: made on or after the day (YYYY-MM-DD, YYYY-MM)",
    ),
    (
        "until:DATUM  till:",
        "Aktivitet: gjorda till och med den dagen (eller månaden)",
        "Activity: made up to and including the day (or month)",
    ),
];

/// An Activity filter, read: its words, `by:`, and the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityFilter {
    /// The free words, as one text to look for.
    pub text: String,
    /// Logins containing this, lower case.
    pub by: Option<String>,
    /// The first day counted.
    pub since: Option<NaiveDate>,
    /// The first day no longer counted (the day after `until:`, or after its month).
    pub before: Option<NaiveDate>,
}

impl ActivityFilter {
    /// Reads a filter as typed; a wrong date or an empty term is a `Problem`.
    pub fn parse(filter: &str) -> Result<ActivityFilter, Problem> {
        let mut out = ActivityFilter::default();
        let mut words = Vec::new();
        for word in filter.split_whitespace() {
            let Some((key, value)) = word.split_once(':') else {
                words.push(word);
                continue;
            };
            match key.to_lowercase().as_str() {
                "by" | "av" => out.by = Some(value.to_lowercase()).filter(|v| !v.is_empty()),
                "since" | "sedan" | "från" => out.since = Some(day(value)?.first_day()),
                "until" | "till" => {
                    let last = match day(value)? {
                        EventDate::Day(d) => d.checked_add_days(Days::new(1)),
                        EventDate::Month { .. } => {
                            day(value)?.first_day().checked_add_months(Months::new(1))
                        }
                    };
                    out.before = last;
                }
                _ => words.push(word),
            }
        }
        out.text = words.join(" ");
        Ok(out)
    }

    /// Whether it asks for anything at all.
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.by.is_none()
            && self.since.is_none()
            && self.before.is_none()
    }
}

fn day(value: &str) -> Result<EventDate, Problem> {
    let d: EventDate = value.parse()?;
    // A year as a day is a typo, not a wish to see year 0001.
    if d.first_day().year() < 1900 {
        return Err(Problem::InvalidDate {
            value: value.to_string(),
            month: true,
        });
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn words_and_terms_are_told_apart() {
        let f = ActivityFilter::parse("kungs  by:Bertil since:2026-10-01 pilot").unwrap();
        assert_eq!(f.text, "kungs pilot");
        assert_eq!(f.by.as_deref(), Some("bertil"));
        assert_eq!(f.since, Some(d("2026-10-01")));
        assert_eq!(f.before, None);
        // Swedish keys; a month as `till:` runs to its end; other colons are text.
        let f = ActivityFilter::parse("av:anna från:2025-02 till:2025-02 http://x").unwrap();
        assert_eq!(
            (f.since, f.before),
            (Some(d("2025-02-01")), Some(d("2025-03-01")))
        );
        assert_eq!(f.text, "http://x");
        let f = ActivityFilter::parse("until:2025-12-31").unwrap();
        assert_eq!(f.before, Some(d("2026-01-01")));
        assert!(ActivityFilter::parse("  ").unwrap().is_empty());
        assert!(!ActivityFilter::parse("by:x").unwrap().is_empty());
    }

    #[test]
    fn a_bad_date_is_an_error_naming_it() {
        for bad in [
            "since:2026-13-01",
            "till:igår",
            "since:",
            "until:0001-01-01",
        ] {
            let e = ActivityFilter::parse(bad).unwrap_err();
            assert!(matches!(e, Problem::InvalidDate { .. }), "{bad}: {e:?}");
        }
    }
}
