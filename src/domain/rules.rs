//! One rule per stored text field: how it is cleaned, how long it may be, whether it may be
//! empty. Forms, the command line, import and `spridning check` all use these, so a text is
//! held to the same rule whichever way it enters.

use chrono::{DateTime, SecondsFormat, Utc};

use super::problem::Problem;
use super::text::{
    MAX_FIELD, MAX_NAME, MAX_NOTE, MAX_SHORT, MAX_SOURCE, clean_line, clean_text, is_forbidden,
    strip,
};

/// The longest login, in characters (operating-system logins are at most 32 on Linux).
pub const MAX_LOGIN: usize = 64;

/// What kind of text a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One line: line breaks become spaces, the ends are trimmed.
    Line,
    /// Several lines (notes, descriptions): line breaks are kept, the ends are trimmed.
    Lines,
    /// A login: one line without spaces.
    Login,
    /// A moment in time: RFC 3339 in UTC (`2026-11-23T12:00:00Z`), stored as written by
    /// `now_utc` (whole seconds unless the text gave fractions).
    Timestamp,
    /// Any text: only the characters are ruled (line breaks allowed, nothing trimmed).
    Any,
}

/// The rule of one field; `field` and `sv` name it in messages ("note is too long …").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub field: &'static str,
    pub sv: &'static str,
    pub shape: Shape,
    pub max: usize,
    pub required: bool,
}

const fn line(field: &'static str, sv: &'static str, max: usize, required: bool) -> Rule {
    Rule {
        field,
        sv,
        shape: Shape::Line,
        max,
        required,
    }
}

const fn lines(field: &'static str, sv: &'static str, max: usize) -> Rule {
    Rule {
        field,
        sv,
        shape: Shape::Lines,
        max,
        required: false,
    }
}

const fn stamp(field: &'static str, sv: &'static str) -> Rule {
    Rule {
        field,
        sv,
        shape: Shape::Timestamp,
        max: 40,
        required: true,
    }
}

const fn login(field: &'static str, sv: &'static str) -> Rule {
    Rule {
        field,
        sv,
        shape: Shape::Login,
        max: MAX_LOGIN,
        required: true,
    }
}

/// The rule of the method name: one line.
pub const METHOD_NAME: Rule = line("method name", "metodens namn", MAX_NAME, true);
/// The rule of the short name: one line.
pub const SHORT_NAME: Rule = line("short name", "kortnamnet", MAX_SHORT, false);
/// The rule of the area: one line.
pub const AREA: Rule = line("area", "området", MAX_NAME, false);
/// The rule of the description: text of several lines.
pub const DESCRIPTION: Rule = lines("description", "beskrivningen", MAX_FIELD);
/// The rule of the target group: text of several lines.
pub const TARGET_GROUP: Rule = lines("target group", "målgruppen", MAX_FIELD);
/// The rule of the origin: text of several lines.
pub const ORIGIN: Rule = lines("origin", "ursprunget", MAX_FIELD);
/// The rule of the evidence: text of several lines.
pub const EVIDENCE: Rule = lines("evidence", "evidensen", MAX_FIELD);
/// The rule of the evidence link: one line.
pub const EVIDENCE_LINK: Rule = line("evidence link", "länken", MAX_FIELD, false);
/// The rule of the contact: one line.
pub const CONTACT: Rule = line("contact", "kontakten", MAX_FIELD, false);
/// Unit codes are further limited to 2–4 letters or digits by `UnitInput::validate`.
pub const UNIT_CODE: Rule = line("unit code", "enhetskoden", 4, true);
/// The rule of the unit name: one line.
pub const UNIT_NAME: Rule = line("unit name", "enhetens namn", MAX_NAME, true);
/// Names of the units a reorganisation creates or reuses, comma-separated.
pub const UNIT_NAMES: Rule = line("units", "enheterna", MAX_NAME * 4, true);
/// Codes of the new units of a reorganisation, comma-separated.
pub const UNIT_CODES: Rule = line("codes", "koderna", 40, false);
/// The register's title, as the workshop's title slide shows it.
pub const TITLE: Rule = line("title", "titeln", MAX_NAME, true);
/// The methods a round names, comma-separated (may be empty).
pub const ROUND_METHODS: Rule = line("methods", "metoderna", MAX_NAME * 8, false);
/// An inventory round's name.
pub const ROUND_NAME: Rule = line("round name", "inventeringens namn", MAX_NAME, true);
/// The rule of the region: one line.
pub const REGION: Rule = line("region", "regionen", MAX_NAME, false);
/// The rule of the note: text of several lines.
pub const NOTE: Rule = lines("note", "noteringen", MAX_NOTE);
/// The rule of the source: one line.
pub const SOURCE: Rule = line("source", "källan", MAX_SOURCE, false);
/// The rule of the reason: one line.
pub const REASON: Rule = line("reason", "skälet", MAX_SOURCE, true);
/// The rule of the login: a login.
pub const LOGIN: Rule = login("login", "inloggningsnamnet");
/// The rule of the recorded_by: a login.
pub const RECORDED_BY: Rule = login("recorded_by", "registrerad av");
/// The rule of the retraction by: a login.
pub const RETRACTED_BY: Rule = login("retraction by", "återkallad av");
/// The rule of the created_by: a login.
pub const CREATED_BY: Rule = login("created_by", "skapad av");
/// The rule of the updated_by: a login.
pub const UPDATED_BY: Rule = login("updated_by", "ändrad av");
/// The rule of the display name: one line.
pub const DISPLAY_NAME: Rule = line("display name", "visningsnamnet", MAX_NAME, false);
/// The rule of the recorded_at: an RFC 3339 time in UTC.
pub const RECORDED_AT: Rule = stamp("recorded_at", "registrerad");
/// The rule of the retraction at: an RFC 3339 time in UTC.
pub const RETRACTED_AT: Rule = stamp("retraction at", "återkallad");
/// The rule of the change at: an RFC 3339 time in UTC.
pub const CHANGED_AT: Rule = stamp("change at", "ändrad");
/// The rule of the change by: a login.
pub const CHANGED_BY: Rule = login("change by", "ändrad av");
/// The rule of the created_at: an RFC 3339 time in UTC.
pub const CREATED_AT: Rule = stamp("created_at", "skapad");
/// The rule of the updated_at: an RFC 3339 time in UTC.
pub const UPDATED_AT: Rule = stamp("updated_at", "ändrad");
/// Any other stored text (derived columns, drafts): only the characters are ruled.
pub const ANY_TEXT: Rule = Rule {
    field: "text",
    sv: "texten",
    shape: Shape::Any,
    max: usize::MAX,
    required: false,
};

impl Rule {
    /// The cleaned value, or why it is refused (naming the field).
    pub fn clean(&self, raw: &str) -> Result<String, Problem> {
        let (field, sv) = (self.field, self.sv);
        let value = match self.shape {
            Shape::Line | Shape::Login => clean_line(raw),
            Shape::Lines => clean_text(raw),
            Shape::Any => strip(raw),
            Shape::Timestamp => return timestamp(field, sv, raw),
        };
        if value.is_empty() && self.required {
            return Err(if raw.trim().is_empty() {
                Problem::Empty { field, sv }
            } else {
                Problem::OnlyInvisible { field, sv }
            });
        }
        if self.shape == Shape::Login && value.chars().any(char::is_whitespace) {
            return Err(Problem::NotOneWord { field, sv, value });
        }
        let chars = value.chars().count();
        if chars > self.max {
            return Err(Problem::TooLong {
                field,
                sv,
                chars,
                max: self.max,
            });
        }
        Ok(value)
    }

    /// For a field that may be absent: nothing, or only blanks, is `None`.
    pub fn clean_opt(&self, raw: Option<&str>) -> Result<Option<String>, Problem> {
        match raw {
            None => Ok(None),
            Some(r) if r.trim().is_empty() && !self.required => Ok(None),
            Some(r) => self.clean(r).map(|v| Some(v).filter(|v| !v.is_empty())),
        }
    }

    /// Whether a stored value already obeys the rule; `Err` says how it does not, without
    /// repeating the value (which may be hostile or huge).
    pub fn holds(&self, stored: &str) -> Result<(), String> {
        self.fault(stored)
            .map_err(|fault| fault.text(self.field, self.sv, crate::i18n::Lang::En))
    }

    /// Why a stored text breaks this rule, as `check` reports it.
    pub fn fault(&self, stored: &str) -> Result<(), crate::domain::problem::Fault> {
        use crate::domain::problem::Fault;
        if let Some(c) = stored.chars().find(|&c| {
            is_forbidden(c) && !(matches!(self.shape, Shape::Lines | Shape::Any) && c == '\n')
        }) {
            return Err(Fault::Forbidden(c as u32));
        }
        match self.clean(stored) {
            Ok(v) if v == stored => Ok(()),
            Ok(_) => Err(Fault::NotAsWritten),
            Err(why) => Err(Fault::Rule(Box::new(why))),
        }
    }
}

/// A unit code: 2–4 letters or digits, kept in capitals.
pub fn unit_code(raw: &str) -> Result<String, Problem> {
    let code = clean_line(raw).to_uppercase();
    if (2..=4).contains(&code.chars().count()) && code.chars().all(char::is_alphanumeric) {
        Ok(code)
    } else {
        Err(Problem::BadUnitCode {
            value: clean_line(raw),
        })
    }
}

/// An RFC 3339 time in UTC, written back in the form spridning stores.
fn timestamp(field: &'static str, sv: &'static str, raw: &str) -> Result<String, Problem> {
    let raw = raw.trim();
    // The value as given: the message says when it held an invisible character.
    let bad = || Problem::NotATimestamp {
        field,
        sv,
        value: raw.to_string(),
    };
    let t = DateTime::parse_from_rfc3339(raw).map_err(|_| bad())?;
    if t.offset().local_minus_utc() != 0 {
        return Err(bad());
    }
    Ok(t.with_timezone(&Utc)
        .to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_cleaned_and_limited() {
        assert_eq!(METHOD_NAME.clean("  ASI\u{200b}\n2 ").unwrap(), "ASI 2");
        assert_eq!(
            METHOD_NAME.clean(" ").unwrap_err().to_string(),
            "method name is empty"
        );
        assert_eq!(
            METHOD_NAME.clean("\u{200b}\u{1b}").unwrap_err().to_string(),
            "method name holds only invisible or control characters"
        );
        assert!(
            SHORT_NAME
                .clean(&"x".repeat(17))
                .unwrap_err()
                .to_string()
                .contains("too long")
        );
        assert_eq!(SHORT_NAME.clean_opt(Some("  ")).unwrap(), None);
        assert_eq!(NOTE.clean("a\r\nb\u{2028}c").unwrap(), "a\nb\nc");
    }

    #[test]
    fn logins_are_one_word() {
        assert_eq!(LOGIN.clean(" bertil ").unwrap(), "bertil");
        assert!(LOGIN.clean("   ").is_err());
        assert!(
            LOGIN
                .clean("ber til")
                .unwrap_err()
                .to_string()
                .contains("one word")
        );
        assert!(
            LOGIN
                .clean(&"b".repeat(65))
                .unwrap_err()
                .to_string()
                .contains("too long")
        );
    }

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        assert_eq!(
            RECORDED_AT.clean("2026-11-23T12:00:00Z").unwrap(),
            "2026-11-23T12:00:00Z"
        );
        assert_eq!(
            RECORDED_AT.clean("2026-11-23T12:00:00+00:00").unwrap(),
            "2026-11-23T12:00:00Z"
        );
        assert_eq!(
            RECORDED_AT.clean("2026-11-23T12:00:00.250Z").unwrap(),
            "2026-11-23T12:00:00.250Z"
        );
        for bad in [
            "2026-11-23",
            "2026-11-23T12:00:00+01:00",
            "yesterday",
            "",
            "2026-02-30T00:00:00Z",
        ] {
            assert!(RECORDED_AT.clean(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn holds_names_the_first_forbidden_character() {
        assert!(NOTE.holds("rad 1\nrad 2").is_ok());
        assert_eq!(
            SOURCE.holds("a\u{ad}b").unwrap_err(),
            "source holds a forbidden character (U+00AD)"
        );
        assert!(SOURCE.holds("a\nb").is_err());
        assert!(SOURCE.holds(" a").is_err());
        assert!(RECORDED_AT.holds("2026-11-23T12:00:00Z").is_ok());
        assert!(RECORDED_AT.holds("2026-11-23 12:00").is_err());
    }
}
