//! The rules of fields.

use super::*;

impl Problem {
    pub(super) fn fields_text(&self, lang: Lang) -> Option<String> {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        Some(match self {
            Problem::Empty { field, sv: s } => match *field {
                "method name" => pick(
                    "metoden behöver ett namn".into(),
                    "method name is empty".into(),
                ),
                "unit name" => pick(
                    "enheten behöver ett namn".into(),
                    "unit name is empty".into(),
                ),
                _ => pick(format!("{s} saknas"), format!("{field} is empty")),
            },
            Problem::OnlyInvisible { field, sv: s } => pick(
                format!("{s} innehåller bara osynliga tecken eller styrtecken"),
                format!("{field} holds only invisible or control characters"),
            ),
            Problem::TooLong {
                field,
                sv: s,
                chars,
                max,
            } => pick(
                format!("{s} är för lång ({chars} tecken, högst {max})"),
                format!("{field} is too long ({chars} characters, at most {max})"),
            ),
            Problem::NotOneWord {
                field,
                sv: s,
                value,
            } => pick(
                format!("{s} '{value}' innehåller mellanslag; ett inloggningsnamn är ett ord"),
                format!("{field} '{value}' contains a space; a login is one word"),
            ),
            Problem::NotATimestamp {
                field,
                sv: s,
                value,
            } => pick(
                format!(
                    "{s} {} är ingen RFC 3339-tid i UTC (som 2026-11-23T12:00:00Z)",
                    quoted(value, lang)
                ),
                format!(
                    "{field} {} is not an RFC 3339 time in UTC (like 2026-11-23T12:00:00Z)",
                    quoted(value, lang)
                ),
            ),
            Problem::BadUnitCode { value } => pick(
                format!(
                    "enhetskoden {} ska vara 2–4 bokstäver eller siffror",
                    quoted(value, lang)
                ),
                format!(
                    "unit code {} must be 2–4 letters or digits",
                    quoted(value, lang)
                ),
            ),
            Problem::ValidFromAfterTo { code, from, to } => pick(
                format!("enhet {code}: gäller från {from} ligger efter gäller till {to}"),
                format!("unit {code}: valid from {from} is after valid to {to}"),
            ),
            _ => return None,
        })
    }
}
