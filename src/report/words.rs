//! What the reports tell a reader who never opens the app: the stages and the figures in
//! plain words of the report's language, with the register's own numbers (how many months
//! a stage stays fresh, after how long a pilot counts as stalled) written in, and no
//! command-line syntax. The app's definitions (`store::DEFINITIONS`, the README's table)
//! say the same for the people who run it; these are the workbook's *Om rapporten* and the
//! web page's about section.

use super::figure_headings;
use crate::i18n::Lang;

/// The figures' headings (`figure_headings`), each with what it counts in plain words:
/// `fresh` is the months a stage stays fresh, `stalled` the months after which preparing or
/// a pilot without progress counts as stalled.
pub fn figures_in_words(lang: Lang, fresh: u32, stalled: u32) -> Vec<(&'static str, String)> {
    let texts: [String; 12] = match lang {
        Lang::Sv => [
            "enheter som fram till dagen någon gång har prövat metoden i pilot eller kommit längre (ordinarie verksamhet, vidmakthållen)".into(),
            "enheter där metoden på dagen används i ordinarie verksamhet eller är vidmakthållen".into(),
            "i bruk som andel av stadsdelsförvaltningarna som fanns på dagen; för en enhet: andelen av metoderna som är i bruk där".into(),
            "första dagen någon enhet prövade metoden i pilot eller kom längre".into(),
            "hur många månader det brukar ta (medianen) från att en enhet börjar pröva metoden till att den används i ordinarie verksamhet, bland enheterna som kommit dit".into(),
            "enheter som har prövat metoden men ännu inte använder den i ordinarie verksamhet, och inte har avslutat den".into(),
            format!("enheter som förbereder metoden på dagen och har lämnat besked de senaste {fresh} månaderna"),
            format!("enheter som har förberett eller prövat metoden i mer än {stalled} månader utan att komma vidare, och som bekräftat det de senaste {fresh} månaderna"),
            format!("enheter som inte har lämnat besked om metoden på mer än {fresh} månader, så att läget kan ha ändrats (märkt ° i matrisen); pausade och avslutade räknas inte, de har sagt att arbetet upphört"),
            "enheter där metoden har varit i bruk i minst 12 månader sedan den infördes, utan att ha pausats eller avslutats sedan dess".into(),
            "enheter där arbetet med metoden är pausat på dagen".into(),
            "enheter där arbetet med metoden är avslutat på dagen".into(),
        ],
        Lang::En => [
            "units that by the day had at some time tried the method as a pilot or gone further (implemented, sustained)".into(),
            "units where the method is, on the day, implemented in ordinary work or sustained".into(),
            "in use as a share of the city's districts on the day; for a unit: the share of the methods in use there".into(),
            "the first day any unit tried the method as a pilot or went further".into(),
            "how many months it usually takes (the median) from a unit starting to try the method to using it in ordinary work, among the units that got there".into(),
            "units that have tried the method but do not yet use it in ordinary work, and have not given it up".into(),
            format!("units preparing the method on the day that have been heard from in the last {fresh} months"),
            format!("units that have been preparing or trying the method for more than {stalled} months without moving on, and confirmed so in the last {fresh} months"),
            format!("units not heard from about the method for more than {fresh} months, so their stage may have changed (marked ° in the matrix); paused and discontinued do not count, they said the work stopped"),
            "units where the method has been in use for at least 12 months since it was introduced, without being paused or discontinued since".into(),
            "units where the work on the method is paused on the day".into(),
            "units where the work on the method is discontinued on the day".into(),
        ],
    };
    figure_headings(lang).into_iter().zip(texts).collect()
}

/// What a unit's stage is, in plain words.
pub fn stage_rule(lang: Lang) -> &'static str {
    lang.pick(
        "En enhets steg för en metod är det senaste den har rapporterat fram till dagen. En rapport som senare har dragits tillbaka räknas inte.",
        "A unit's stage for a method is the latest it reported up to the day. A report later withdrawn does not count.",
    )
}

/// What the chart of spread over time counts, in plain words.
pub fn curve_in_words(lang: Lang, fresh: u32) -> String {
    match lang {
        Lang::Sv => format!(
            "per år: enheterna där metoden användes i ordinarie verksamhet eller var vidmakthållen vid årets slut, räknade bara så länge de lämnat besked de senaste {fresh} månaderna; kurvan faller när enheter inte hörs av"
        ),
        Lang::En => format!(
            "per year: the units where the method was implemented or sustained at the end of the year, counted only while they had been heard from in the last {fresh} months; the line falls when units go unheard"
        ),
    }
}

/// How the workbook writes dates and times.
pub fn dates_in_words(lang: Lang) -> &'static str {
    lang.pick(
        "Datum är Excel-datum. Ett datum som källan bara anger med månad (som 2004-01) är månadens första dag och visas åååå-mm. Tider (registrerad, återkallad) är i UTC, svensk tid minus en timme (två på sommaren).",
        "Dates are Excel dates. A date the source gives only as a month (such as 2004-01) is the first of that month, shown yyyy-mm. Times (recorded, retracted) are in UTC, Swedish time less one hour (two in summer).",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Stage;

    /// A manager's words: no command-line syntax, no stage codes in the Swedish text, the
    /// register's own numbers written in.
    #[test]
    fn the_words_have_no_command_line_syntax_and_the_registers_numbers() {
        for lang in [Lang::Sv, Lang::En] {
            let figures = figures_in_words(lang, 24, 18);
            assert_eq!(figures.len(), figure_headings(lang).len());
            let all: Vec<String> = figures
                .iter()
                .map(|(_, t)| t.clone())
                .chain([stage_rule(lang).into(), curve_in_words(lang, 24)])
                .chain([dates_in_words(lang).into()])
                .chain(Stage::ALL.iter().map(|s| s.meaning(lang).into()))
                .collect();
            for text in &all {
                assert!(!text.contains('`') && !text.contains("--"), "{text}");
                assert!(
                    !text.contains("fresh-months") && !text.contains("H months"),
                    "{text}"
                );
            }
            let stalled = &figures[7].1;
            assert!(
                stalled.contains("18") && stalled.contains("24"),
                "{stalled}"
            );
        }
        let swedish: String = figures_in_words(Lang::Sv, 24, 18)
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        for code in [
            "exploring",
            "preparing",
            "implemented",
            "sustained",
            "discontinued",
        ] {
            assert!(!swedish.contains(code), "{code} in {swedish}");
        }
    }

    /// The reports' plain words and the app's definitions (`store::DEFINITIONS`, the
    /// README's table) speak of the same figures: every figure a report names is defined
    /// for the people who run the app, and every defined figure a report shows has its
    /// plain words. (The definitions also name what only the app shows: last heard, the
    /// curve, the Matrix's own count; and join paused and discontinued in one row.)
    #[test]
    fn the_plain_words_and_the_definitions_name_the_same_figures() {
        use std::collections::BTreeSet;
        for lang in [Lang::Sv, Lang::En] {
            let defined: BTreeSet<&str> = crate::store::DEFINITIONS
                .iter()
                .flat_map(|d| d.name(lang).split(", "))
                .collect();
            let worded: BTreeSet<&str> = figures_in_words(lang, 24, 18)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            let only_in_app: BTreeSet<&str> = [
                lang.pick("senast hörd", "last heard"),
                lang.pick("spridning över tid", "adoption curve"),
                lang.pick("i bruk (Matris)", "in use (Matrix)"),
            ]
            .into();
            assert!(
                worded.is_subset(&defined),
                "{lang:?}: {worded:?} / {defined:?}"
            );
            assert_eq!(
                defined
                    .difference(&worded)
                    .copied()
                    .collect::<BTreeSet<_>>(),
                only_in_app,
                "{lang:?}"
            );
        }
    }
}
