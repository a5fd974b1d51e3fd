//! What the Matrix's filter (`f` or `/`) asks for. Words match a method's name or short
//! name; terms narrow further, all of them together:
//!
//! - `area:X` (`område:`): methods whose area contains X;
//! - `region:X`: unit columns whose region contains X;
//! - `stage:S` (`steg:`): methods with at least one unit shown at stage S on the day (S is a
//!   code or a label in either language).
//!
//! Matching ignores case (å, ä and ö too).

use super::{Problem, Stage};

/// A Matrix filter, read: its words, `area:`, `region:` and `stage:`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatrixFilter {
    /// The free words, lower case, as one text to look for.
    pub words: String,
    pub area: Option<String>,
    pub region: Option<String>,
    pub stage: Option<Stage>,
}

/// The terms, for help: (term, Swedish, English).
pub const TERMS: [(&str, &str, &str); 4] = [
    (
        "ord",
        "Matris: metoder vars namn innehåller ordet",
        "Matrix: methods whose name contains the word",
    ),
    (
        "area:X  område:",
        "Matris: metoder inom området X",
        "Matrix: methods in area X",
    ),
    (
        "region:X",
        "Matris: enheter i regionen X",
        "Matrix: units in region X",
    ),
    (
        "stage:S  steg:",
        "Matris: metoder som någon enhet har i steget S den dagen",
        "Matrix: methods some unit has at stage S on the day",
    ),
];

impl MatrixFilter {
    /// Reads a filter as typed; an unknown stage is a `Problem`.
    pub fn parse(filter: &str) -> Result<MatrixFilter, Problem> {
        let mut out = MatrixFilter::default();
        let mut words = Vec::new();
        for word in filter.split_whitespace() {
            let Some((key, value)) = word.split_once(':') else {
                words.push(word);
                continue;
            };
            let value = Some(value.to_lowercase()).filter(|v| !v.is_empty());
            match key.to_lowercase().as_str() {
                "area" | "område" => out.area = value,
                "region" => out.region = value,
                "stage" | "steg" => {
                    out.stage = match value {
                        Some(v) => Some(stage(&v)?),
                        None => None,
                    }
                }
                _ => words.push(word),
            }
        }
        out.words = words.join(" ").to_lowercase();
        Ok(out)
    }

    /// Whether it asks for anything at all.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
            && self.area.is_none()
            && self.region.is_none()
            && self.stage.is_none()
    }
}

/// A stage by its code or label (either language), or the start of one when that is
/// unambiguous (`stage:impl`).
fn stage(value: &str) -> Result<Stage, Problem> {
    if let Ok(s) = value.parse::<Stage>() {
        return Ok(s);
    }
    let starts: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|s| {
            s.code().starts_with(value)
                || s.label(crate::i18n::Lang::Sv)
                    .to_lowercase()
                    .starts_with(value)
                || s.label(crate::i18n::Lang::En)
                    .to_lowercase()
                    .starts_with(value)
        })
        .collect();
    match starts.as_slice() {
        [one] => Ok(*one),
        _ => Err(Problem::UnknownStage {
            value: value.to_string(),
            codes: Stage::ALL.iter().map(|s| s.code()).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_terms_are_told_apart() {
        let f = MatrixFilter::parse("Stöd area:Missbruk region:söder stage:pilot").unwrap();
        assert_eq!(f.words, "stöd");
        assert_eq!(f.area.as_deref(), Some("missbruk"));
        assert_eq!(f.region.as_deref(), Some("söder"));
        assert_eq!(f.stage, Some(Stage::Pilot));
        // Swedish keys and labels, and the start of a stage's name.
        let f = MatrixFilter::parse("område:boende steg:ordinarie").unwrap();
        assert_eq!(
            (f.area.as_deref(), f.stage),
            (Some("boende"), Some(Stage::Implemented))
        );
        assert_eq!(
            MatrixFilter::parse("stage:impl").unwrap().stage,
            Some(Stage::Implemented)
        );
        assert!(MatrixFilter::parse(" ").unwrap().is_empty());
        assert!(!MatrixFilter::parse("region:x").unwrap().is_empty());
    }

    #[test]
    fn an_unknown_or_ambiguous_stage_is_an_error() {
        for bad in ["stage:flying", "steg:p"] {
            let e = MatrixFilter::parse(bad).unwrap_err();
            assert!(matches!(e, Problem::UnknownStage { .. }), "{bad}: {e:?}");
        }
    }
}
