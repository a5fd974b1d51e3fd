//! Dates and stages.

use super::*;

impl Problem {
    pub(super) fn dates_text(&self, lang: Lang) -> Option<String> {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        Some(match self {
            Problem::InvalidDate { value, month } => match (sv, month) {
                _ if has_invisible(value) => pick(
                    format!("ogiltigt datum {}", quoted(value, lang)),
                    format!("invalid date {}", quoted(value, lang)),
                ),
                (true, true) => {
                    format!(
                        "ogiltigt datum '{value}' (skriv ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM för en månad)"
                    )
                }
                (true, false) => format!("ogiltigt datum '{value}' (skriv ÅÅÅÅ-MM-DD)"),
                (false, true) => {
                    format!("invalid date '{value}' (use YYYY-MM-DD, or YYYY-MM for a month)")
                }
                (false, false) => format!("invalid date '{value}' (use YYYY-MM-DD)"),
            },
            Problem::FutureDate { date } => pick(
                format!("datum {date} ligger i framtiden"),
                format!("date {date} is in the future"),
            ),
            Problem::UnknownStage { value, codes } => pick(
                format!(
                    "okänt steg {} (välj ett av: {})",
                    quoted(value, lang),
                    codes.join(", ")
                ),
                format!(
                    "unknown stage {} (use one of: {})",
                    quoted(value, lang),
                    codes.join(", ")
                ),
            ),
            Problem::NotExisted(n) => {
                let NotExisted {
                    code,
                    name,
                    date,
                    from,
                    to,
                    instead,
                    after,
                } = n.as_ref();
                let span = match (from, to) {
                    (Some(f), Some(t)) => pick(
                        format!("den fanns {f} – {t}"),
                        format!("it existed {f} – {t}"),
                    ),
                    (Some(f), None) => pick(
                        format!("den finns från och med {f}"),
                        format!("it exists from {f}"),
                    ),
                    (None, Some(t)) => pick(
                        format!("den fanns till och med {t}"),
                        format!("it existed until {t}"),
                    ),
                    (None, None) => String::new(),
                };
                let list = instead.join(", ");
                let successor = match (instead.len(), after) {
                    (0, _) => String::new(),
                    (1, true) => pick(
                        format!("; använd efterträdaren {list}"),
                        format!("; use its successor {list}"),
                    ),
                    (_, true) => pick(
                        format!("; använd efterträdarna {list}"),
                        format!("; use its successors {list}"),
                    ),
                    (1, false) => pick(
                        format!("; då fanns föregångaren {list}"),
                        format!("; its predecessor {list} existed then"),
                    ),
                    (_, false) => pick(
                        format!("; då fanns föregångarna {list}"),
                        format!("; its predecessors {list} existed then"),
                    ),
                };
                pick(
                    format!("enhet {code} ({name}) fanns inte den {date}: {span}{successor}"),
                    format!("unit {code} ({name}) did not exist on {date}: {span}{successor}"),
                )
            }
            _ => return None,
        })
    }
}
