//! Plain records of the domain, as the store hands them out and the screens show them.

use super::StageCounts;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Stage;
use crate::i18n::Lang;

/// What kind of thing a method is; stored and exported by its code (an unknown code is an
/// error that names it and the codes there are).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum MethodKind {
    #[default]
    Instrument,
    Intervention,
    WayOfWorking,
}

impl MethodKind {
    /// Every kind, in the order the forms offer them.
    pub const ALL: [MethodKind; 3] = [
        MethodKind::Instrument,
        MethodKind::Intervention,
        MethodKind::WayOfWorking,
    ];

    /// The kind as stored and exported.
    pub fn code(self) -> &'static str {
        match self {
            MethodKind::Instrument => "instrument",
            MethodKind::Intervention => "intervention",
            MethodKind::WayOfWorking => "way_of_working",
        }
    }

    /// The kind of a code (an unknown one names the codes there are).
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown method kind '{s}' (use instrument, intervention or way_of_working)"
                )
            })
    }

    /// The kind in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MethodKind::Instrument => lang.pick("Bedömningsinstrument", "Assessment instrument"),
            MethodKind::Intervention => lang.pick("Insats", "Intervention"),
            MethodKind::WayOfWorking => lang.pick("Arbetssätt", "Way of working"),
        }
    }
}

/// What kind of organisation a unit is; stored and exported by its code, as `MethodKind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "&'static str")]
pub enum UnitKind {
    #[default]
    District,
    Central,
    Partner,
}

impl UnitKind {
    /// Every kind, in the order the forms offer them.
    pub const ALL: [UnitKind; 3] = [UnitKind::District, UnitKind::Central, UnitKind::Partner];

    /// The kind as stored and exported.
    pub fn code(self) -> &'static str {
        match self {
            UnitKind::District => "district",
            UnitKind::Central => "central",
            UnitKind::Partner => "partner",
        }
    }

    /// The kind of a code (an unknown one names the codes there are).
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == s.trim())
            .ok_or_else(|| format!("unknown unit kind '{s}' (use district, central or partner)"))
    }

    /// The kind in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            UnitKind::District => lang.pick("Stadsdelsförvaltning", "District"),
            UnitKind::Central => lang.pick("Central förvaltning", "Central administration"),
            UnitKind::Partner => lang.pick("Samarbetspartner", "Partner"),
        }
    }
}

macro_rules! by_code {
    ($($kind:ty),*) => {$(
        impl TryFrom<String> for $kind {
            type Error = String;

            fn try_from(code: String) -> Result<Self, String> {
                <$kind>::parse(&code)
            }
        }

        impl From<$kind> for &'static str {
            fn from(kind: $kind) -> &'static str {
                kind.code()
            }
        }
    )*};
}

by_code!(MethodKind, UnitKind);

/// A working method, instrument or way of working: the one list of a method's fields. The
/// store reads and writes it (a new one has id and version 0), forms fill it, and export and
/// import write and read it (its JSON is part of the export format).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Method {
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub kind: MethodKind,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub description: String,
    pub target_group: Option<String>,
    pub origin: Option<String>,
    pub evidence: Option<String>,
    pub evidence_link: Option<String>,
    pub contact: Option<String>,
    #[serde(skip)]
    pub version: i64,
}

impl Method {
    /// The short name where there is one: what matrix rows and tables show.
    pub fn label(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

/// A method as a row of the Matrix, the slides and the Spread tab name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodLabel {
    pub id: i64,
    /// The short name where there is one (`Method::label`).
    pub label: String,
    pub name: String,
}

/// How a method is named in a list sorted by its name: the name, and the short name in
/// parentheses only where the name does not already hold it ("Addiction Severity Index
/// (ASI)", but "ResursUtbyte – arbetsplatsförlagd introduktion"), so no name shows twice.
pub fn listed_name(name: &str, short_name: Option<&str>) -> String {
    match short_name.map(str::trim).filter(|s| !s.is_empty()) {
        Some(short) if !name.to_lowercase().contains(&short.to_lowercase()) => {
            format!("{name} ({short})")
        }
        _ => name.to_string(),
    }
}

/// A district, central administration or partner: the one list of a unit's fields, as
/// `Method` is for methods.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub region: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    /// Code of the unit that took over when this one ended.
    pub successor: Option<String>,
    #[serde(skip)]
    pub version: i64,
}

impl Unit {
    /// Whether the unit existed on the day.
    pub fn valid_on(&self, day: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= day) && self.valid_to.is_none_or(|to| day <= to)
    }
}

/// One recorded stage event, joined with the names it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub id: i64,
    pub method: String,
    pub method_name: String,
    pub unit: String,
    pub unit_name: String,
    pub stage: Stage,
    pub date: String,
    pub note: String,
    pub source: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub retraction: Option<Retraction>,
}

/// Why an event was retracted, by whom and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retraction {
    pub reason: String,
    pub by: String,
    pub at: String,
}

/// The fields an edit of a method can change, as the change log names them (its column), in
/// Swedish and English.
pub const METHOD_FIELDS: [(&str, &str, &str); 10] = [
    ("name", "namn", "name"),
    ("short_name", "kortnamn", "short name"),
    ("kind", "typ", "kind"),
    ("area", "område", "area"),
    ("description", "beskrivning", "description"),
    ("target_group", "målgrupp", "target group"),
    ("origin", "ursprung", "origin"),
    ("evidence", "evidens", "evidence"),
    ("evidence_link", "länk", "link"),
    ("contact", "kontakt", "contact"),
];

/// The fields an edit of a unit can change, as `METHOD_FIELDS`.
pub const UNIT_FIELDS: [(&str, &str, &str); 7] = [
    ("code", "kod", "code"),
    ("name", "namn", "name"),
    ("kind", "typ", "kind"),
    ("region", "region", "region"),
    ("valid_from", "giltig från", "valid from"),
    ("valid_to", "giltig till", "valid to"),
    ("successor", "efterträdare", "successor"),
];

/// What kind of change an Activity row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Event,
    Retraction,
    MethodAdded,
    MethodEdited,
    UnitAdded,
    UnitEdited,
    /// A stage said to still hold on a day.
    Confirmation,
    ConfirmationRetraction,
}

impl ChangeKind {
    /// The kind of a stored code.
    pub fn parse(code: &str) -> Option<ChangeKind> {
        Some(match code {
            "event" => ChangeKind::Event,
            "retraction" => ChangeKind::Retraction,
            "method_added" => ChangeKind::MethodAdded,
            "method_edited" => ChangeKind::MethodEdited,
            "unit_added" => ChangeKind::UnitAdded,
            "unit_edited" => ChangeKind::UnitEdited,
            "confirmation" => ChangeKind::Confirmation,
            "confirmation_retraction" => ChangeKind::ConfirmationRetraction,
            _ => return None,
        })
    }

    /// In words, for the Activity list (an event shows its stage instead).
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            ChangeKind::Event => lang.pick("steg", "stage"),
            ChangeKind::Retraction => lang.pick("återkallade", "retracted"),
            ChangeKind::MethodAdded => lang.pick("ny metod", "new method"),
            ChangeKind::MethodEdited => lang.pick("ändrad metod", "method edited"),
            ChangeKind::UnitAdded => lang.pick("ny enhet", "new unit"),
            ChangeKind::UnitEdited => lang.pick("ändrad enhet", "unit edited"),
            ChangeKind::Confirmation => lang.pick("bekräftat", "confirmed"),
            ChangeKind::ConfirmationRetraction => {
                lang.pick("återkallad bekräftelse", "confirmation retracted")
            }
        }
    }

    /// A mark that tells the kinds apart without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            ChangeKind::Event => "",
            ChangeKind::Retraction => "↶",
            ChangeKind::MethodAdded | ChangeKind::UnitAdded => "+",
            ChangeKind::MethodEdited | ChangeKind::UnitEdited => "✎",
            ChangeKind::Confirmation => "✓",
            ChangeKind::ConfirmationRetraction => "↶✓",
        }
    }
}

/// One row of the Activity list: a change to the register, who made it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: i64,
    pub kind: ChangeKind,
    pub at: String,
    pub login: String,
    /// The method's label and name, the unit's code and name, where the change has them.
    pub method: String,
    pub method_name: String,
    pub unit: String,
    pub unit_name: String,
    /// The fields an edit changed (column names, space-separated).
    pub fields: String,
    /// The event a stage event or a retraction is about, with its retraction if any.
    pub event: Option<EventRow>,
}

impl Change {
    /// The fields an edit changed, in words.
    pub fn fields_in_words(&self, lang: crate::i18n::Lang) -> String {
        self.fields
            .split_whitespace()
            .map(|column| {
                let Some((_, sv, en)) = METHOD_FIELDS
                    .iter()
                    .chain(UNIT_FIELDS.iter())
                    .find(|(c, _, _)| *c == column)
                else {
                    return column.to_string();
                };
                lang.pick(sv, en).to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether the change is about a method (else about a unit or an event).
    pub fn is_method(&self) -> bool {
        matches!(
            self.kind,
            ChangeKind::MethodAdded | ChangeKind::MethodEdited
        )
    }
}

/// A method's row in the Methods table: counts of current stages and the last change.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodSummary {
    pub id: i64,
    pub name: String,
    pub short_name: Option<String>,
    pub area: String,
    pub counts: StageCounts,
    pub last_change: Option<String>,
}

/// A unit's row in the Units table.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSummary {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub region: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub counts: StageCounts,
    pub last_change: Option<String>,
}

/// The current stage of one adoption, for detail views.
#[derive(Debug, Clone, PartialEq)]
pub struct CurrentStage {
    /// The other side's label: a unit code in a method's detail, a method label in a unit's.
    pub label: String,
    pub name: String,
    pub stage: Stage,
    pub since: String,
    /// The day the register last heard that this stage holds (its event or a later
    /// confirmation), and whether that is longer ago than the fresh months. A unit that had
    /// ended by the day shown is never stale: its stage ended with it.
    pub heard: String,
    pub stale: bool,
    pub note: String,
    /// The unit had ended by the day shown: its last day, and the units that took over.
    pub until: Option<String>,
    pub then: Option<String>,
}

/// A stage event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub method_id: i64,
    pub unit_id: i64,
    pub stage: Stage,
    pub date: super::EventDate,
    pub note: String,
    pub source: String,
}

/// A confirmation as it is asked for: a method's stage in a unit still holds on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConfirmation {
    pub method_id: i64,
    pub unit_id: i64,
    pub date: NaiveDate,
    pub note: String,
}

#[cfg(test)]
mod listed_name_tests {
    use super::listed_name;

    #[test]
    fn a_name_shows_once() {
        assert_eq!(
            listed_name("Addiction Severity Index", Some("ASI")),
            "Addiction Severity Index (ASI)"
        );
        assert_eq!(
            listed_name(
                "ResursUtbyte – arbetsplatsförlagd introduktion",
                Some("ResursUtbyte")
            ),
            "ResursUtbyte – arbetsplatsförlagd introduktion"
        );
        assert_eq!(listed_name("AFSO", Some("AFSO")), "AFSO");
        assert_eq!(listed_name("Kristeamet", None), "Kristeamet");
    }
}
