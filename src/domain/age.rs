//! The age of a stage in words: when it was last heard, how long ago, and the mark and the
//! titles that say a stage is stale (not heard from in the register's fresh months). The
//! command line, the screens, the slides and the reports all word it here.

use chrono::{Datelike, NaiveDate};

use super::Stage;
use crate::i18n::Lang;

/// The mark of a stale stage beside its glyph or word ("◐°", "pilot°"), so it shows without
/// colour; the legends explain it.
pub const STALE_MARK: &str = "°";

/// "not heard from in 24 months".
pub fn stale_words(months: u32, lang: Lang) -> String {
    match lang {
        Lang::Sv => format!("utan besked på {months} månader"),
        Lang::En => format!("not heard from in {months} months"),
    }
}

/// A tab's title part: "61 of 74 stages not heard from in 24 months"; in current only,
/// "61 stages not heard from in 24 months left out".
pub fn stale_title(stale: u32, total: u32, months: u32, current_only: bool, lang: Lang) -> String {
    let words = stale_words(months, lang);
    match (current_only, lang) {
        (false, Lang::Sv) => format!("{stale} av {total} steg {words}"),
        (false, Lang::En) => format!("{stale} of {total} stages {words}"),
        (true, Lang::Sv) => format!("{stale} steg {words} utelämnade"),
        (true, Lang::En) => format!("{stale} stages {words} left out"),
    }
}

/// The districts where a method is in ordinary use, of the districts on the day, and how
/// many of those rest on a stale word: "1 av 11 stadsdelar (1 utan besked på 24 månader)".
/// A headline that counts a twenty-year-old sentence as use says so (in current only the
/// stale ones are not counted, and nothing is added).
pub fn in_use_of(in_use: usize, stale: usize, districts: usize, months: u32, lang: Lang) -> String {
    let of = format!(
        "{in_use} {} {districts} {}",
        lang.pick("av", "of"),
        lang.pick("stadsdelar", "districts")
    );
    if stale == 0 {
        of
    } else {
        format!("{of} ({stale} {})", stale_words(months, lang))
    }
}

/// Whole years (or months, under two years; or days, under a month) from `heard` to `day`:
/// "22 years ago", "5 months ago", "today".
pub fn ago(heard: NaiveDate, day: NaiveDate, lang: Lang) -> String {
    let months = (day.year() - heard.year()) * 12 + day.month() as i32
        - heard.month() as i32
        - i32::from(day.day() < heard.day());
    let days = (day - heard).num_days();
    let (n, sv, en) = if days <= 0 {
        return lang.pick("i dag", "today").to_string();
    } else if months >= 24 {
        (i64::from(months / 12), "år", "years")
    } else if months >= 1 {
        (
            i64::from(months),
            if months == 1 { "månad" } else { "månader" },
            if months == 1 { "month" } else { "months" },
        )
    } else {
        (
            days,
            if days == 1 { "dag" } else { "dagar" },
            if days == 1 { "day" } else { "days" },
        )
    };
    match lang {
        Lang::Sv => format!("för {n} {sv} sedan"),
        Lang::En => format!("{n} {en} ago"),
    }
}

/// The last-heard day as people read it, no more precise than what it rests on: a stage last
/// heard on its own event's day, where the event is dated by month (`2003-01`, as the sample's
/// reports give them), was last heard that month — "2003-01-01" would claim a day no source
/// gave. A confirmation's day, or an event's own full day, shows whole. (Scripts' CSV and
/// JSON keep the full day.)
pub fn heard_shown<'a>(since: &'a str, heard: &'a str) -> &'a str {
    let month_event = since.len() == 7 && since.as_bytes().get(4) == Some(&b'-');
    if month_event && heard.len() == 10 && heard.starts_with(since) && heard.ends_with("-01") {
        since
    } else {
        heard
    }
}

/// "Pilot since 2004-01, last heard 2004-02-26, 22 years ago" (what `--a11y` reads on a
/// Matrix cell, and `show` says of a stage); a stage heard of only in its event's month,
/// "Pilot since 2003-01, last heard 2003-01, 23 years ago".
pub fn age_sentence(
    stage: Stage,
    since: &str,
    heard: NaiveDate,
    day: NaiveDate,
    lang: Lang,
) -> String {
    let heard_day = heard.format("%Y-%m-%d").to_string();
    format!(
        "{} {} {}, {} {}, {}",
        stage.label(lang),
        lang.pick("sedan", "since"),
        super::text::printable(since),
        lang.pick("senast hörd", "last heard"),
        heard_shown(since, &heard_day),
        ago(heard, day, lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_use_says_how_many_rest_on_a_stale_word() {
        assert_eq!(in_use_of(1, 0, 11, 24, Lang::Sv), "1 av 11 stadsdelar");
        assert_eq!(
            in_use_of(2, 1, 11, 24, Lang::En),
            "2 of 11 districts (1 not heard from in 24 months)"
        );
    }

    #[test]
    fn last_heard_is_as_precise_as_what_it_rests_on() {
        // The event's own month, by month.
        assert_eq!(heard_shown("2003-01", "2003-01-01"), "2003-01");
        // A confirmation later in the month, or later still: the day.
        assert_eq!(heard_shown("2003-01", "2003-01-15"), "2003-01-15");
        assert_eq!(heard_shown("2003-01", "2004-02-01"), "2004-02-01");
        // An event given to the day: the day.
        assert_eq!(heard_shown("2003-01-01", "2003-01-01"), "2003-01-01");
        // Nothing heard (a unit that ended): as it is.
        assert_eq!(heard_shown("2003-01", ""), "");
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ago_counts_whole_years_months_and_days() {
        let today = day("2026-12-03");
        assert_eq!(ago(day("2004-02-26"), today, Lang::En), "22 years ago");
        assert_eq!(ago(day("2024-12-04"), today, Lang::En), "23 months ago");
        assert_eq!(ago(day("2024-12-03"), today, Lang::En), "2 years ago");
        assert_eq!(ago(day("2026-11-03"), today, Lang::En), "1 month ago");
        assert_eq!(
            ago(day("2026-11-04"), today, Lang::Sv),
            "för 29 dagar sedan"
        );
        assert_eq!(ago(today, today, Lang::En), "today");
    }

    #[test]
    fn the_sentence_says_stage_since_and_last_heard() {
        assert_eq!(
            age_sentence(
                Stage::Pilot,
                "2004-01",
                day("2004-02-26"),
                day("2026-12-03"),
                Lang::En
            ),
            "Pilot since 2004-01, last heard 2004-02-26, 22 years ago"
        );
        // Heard of only in the event's month: the month, not a day no source gave.
        assert_eq!(
            age_sentence(
                Stage::Pilot,
                "2003-01",
                day("2003-01-01"),
                day("2026-12-03"),
                Lang::En
            ),
            "Pilot since 2003-01, last heard 2003-01, 23 years ago"
        );
        assert_eq!(
            stale_title(61, 74, 24, false, Lang::En),
            "61 of 74 stages not heard from in 24 months"
        );
    }
}
