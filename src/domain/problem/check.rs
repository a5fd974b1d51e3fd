//! What `check` finds wrong in a database: each a kind with what it is about, said in either
//! language (the command line says them in English, one a line).

use super::Problem;
use crate::i18n::Lang;

/// Why a stored text breaks its field's rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// A character cleaning removes (its code point).
    Forbidden(u32),
    /// Blanks at the ends, or tabs, that spridning never writes.
    NotAsWritten,
    Binary,
    NotUtf8,
    /// The field's own rule (too long, not one word, not a time, …).
    Rule(Box<Problem>),
}

impl Fault {
    /// Said about the field (`field` and `sv` its English and Swedish names).
    pub fn text(&self, field: &str, sv: &str, lang: Lang) -> String {
        let pick = |s: String, e: String| if lang == Lang::Sv { s } else { e };
        match self {
            Fault::Forbidden(c) => pick(
                format!("{sv} innehåller ett otillåtet tecken (U+{c:04X})"),
                format!("{field} holds a forbidden character (U+{c:04X})"),
            ),
            Fault::NotAsWritten => pick(
                format!(
                    "{sv} är inte lagrat som spridning skriver det (blanksteg i ändarna eller tabbar)"
                ),
                format!(
                    "{field} is not stored as spridning writes it (blanks at the ends or tabs)"
                ),
            ),
            Fault::Binary => pick(
                format!("{sv} innehåller binärdata, inte text"),
                format!("{field} holds binary data, not text"),
            ),
            Fault::NotUtf8 => pick(
                format!("{sv} är inte giltig UTF-8"),
                format!("{field} is not valid UTF-8"),
            ),
            Fault::Rule(p) => p.text(lang),
        }
    }
}

/// Something `check` finds wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// SQLite's integrity check, in its words.
    Integrity {
        detail: String,
    },
    ForeignKey {
        table: String,
        row: String,
        parent: String,
    },
    StaleAdoption {
        id: String,
        current: String,
        latest: String,
    },
    /// An adoption's kept milestones (first pilot, first in use, lapsed) that its events do
    /// not give.
    StaleMilestones {
        id: String,
    },
    AdoptionWithoutEvents {
        id: String,
    },
    EventCounter {
        said: String,
        counted: String,
    },
    OwnSuccessor {
        code: String,
    },
    MethodNameTwice {
        key: String,
        first: String,
        second: String,
    },
    ImpossibleDate {
        event: i64,
        date: String,
    },
    /// An event outside its unit's time (or in the future): why, as when it is recorded.
    EventDate {
        event: i64,
        why: Box<Problem>,
    },
    /// A stored text against its field's rule: the row (`event 12`, `unit FA`), the field's
    /// names, and why.
    Field {
        row: String,
        field: &'static str,
        sv: &'static str,
        fault: Fault,
    },
    NameIsCode {
        code: String,
        name: String,
        other: String,
    },
    NameTwice {
        code: String,
        name: String,
        other: String,
    },
    SuccessorCircle {
        code: String,
        circle: Vec<String>,
    },
    /// The lineage of units.
    Lineage(Lineage),
}

impl Finding {
    /// The finding in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Finding::Integrity { detail } => pick(
                format!("integritet: {detail}"),
                format!("integrity: {detail}"),
            ),
            Finding::ForeignKey { table, row, parent } => pick(
                format!("främmande nyckel: {table} rad {row} pekar på en {parent} som saknas"),
                format!("foreign key: {table} row {row} refers to a missing {parent}"),
            ),
            Finding::StaleAdoption {
                id,
                current,
                latest,
            } => pick(
                format!(
                    "adoption {id}: aktuellt steg {current} men dess senaste händelse säger {latest}"
                ),
                format!(
                    "adoption {id}: current stage {current} but its latest event says {latest}"
                ),
            ),
            Finding::StaleMilestones { id } => pick(
                format!(
                    "adoption {id}: första pilot, första användning eller uppehåll stämmer inte med dess händelser"
                ),
                format!(
                    "adoption {id}: its first pilot, first use or lapse does not agree with its events"
                ),
            ),
            Finding::AdoptionWithoutEvents { id } => pick(
                format!("adoption {id} har inga händelser"),
                format!("adoption {id} has no events"),
            ),
            Finding::EventCounter { said, counted } => pick(
                format!("händelseräknaren säger {said} men det finns {counted} händelser"),
                format!("the event counter says {said} but there are {counted} events"),
            ),
            Finding::OwnSuccessor { code } => pick(
                format!("enhet {code} är sin egen efterträdare"),
                format!("unit {code} is its own successor"),
            ),
            Finding::MethodNameTwice { key, first, second } => pick(
                format!("metodnamnet '{key}' används av '{first}' och '{second}'"),
                format!("method name '{key}' is used by '{first}' and '{second}'"),
            ),
            Finding::ImpossibleDate { event, date } => pick(
                format!("händelse {event} har ett omöjligt datum '{date}'"),
                format!("event {event} has an impossible date '{date}'"),
            ),
            Finding::EventDate { event, why } => pick(
                format!("händelse {event}: {}", why.text(lang)),
                format!("event {event}: {}", why.text(lang)),
            ),
            Finding::Field {
                row,
                field,
                sv: field_sv,
                fault,
            } => format!("{row}: {}", fault.text(field, field_sv, lang)),
            Finding::NameIsCode { code, name, other } => pick(
                format!("enhet {code}: dess namn '{name}' är koden för enhet {other}"),
                format!("unit {code}: its name '{name}' is the code of unit {other}"),
            ),
            Finding::NameTwice { code, name, other } => pick(
                format!("enhet {code}: dess namn '{name}' är också namnet på enhet {other}"),
                format!("unit {code}: its name '{name}' is also the name of unit {other}"),
            ),
            Finding::SuccessorCircle { code, circle } => pick(
                format!(
                    "enhet {code}: dess efterträdare går runt i en cirkel ({})",
                    circle.join(" → ")
                ),
                format!(
                    "unit {code}: its successors go round in a circle ({})",
                    circle.join(" → ")
                ),
            ),
            Finding::Lineage(l) => l.text(lang),
        }
    }
}

/// What `check` finds wrong in the lineage of units (and Stockholm's reorganisations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lineage {
    DeadSuccessor {
        code: String,
        from: String,
        day: String,
        valid_from: String,
        valid_to: String,
    },
    Gap {
        code: String,
        ended: String,
        successor: String,
        day: String,
    },
    NoEnd {
        code: String,
        successor: String,
        day: String,
    },
    SuccessorWithoutStep {
        code: String,
        successor: String,
    },
    Circle {
        code: String,
        circle: Vec<String>,
    },
    /// Stockholm's districts that should have ended in a reorganisation.
    NotReorganised {
        open: Vec<String>,
        code: String,
        name: String,
    },
}

impl Lineage {
    /// The finding in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Lineage::DeadSuccessor {
                code,
                from,
                day,
                valid_from,
                valid_to,
            } => pick(
                format!(
                    "enhet {code}: tog över efter {from} {day} men fanns bara {valid_from}–{valid_to}"
                ),
                format!(
                    "unit {code}: took over from {from} on {day} but existed only {valid_from}–{valid_to}"
                ),
            ),
            Lineage::Gap {
                code,
                ended,
                successor,
                day,
            } => pick(
                format!(
                    "enhet {code}: upphörde {ended} men {successor} tog över efter den {day} (en lucka i härstamningen)"
                ),
                format!(
                    "unit {code}: ended on {ended} but {successor} took over from it on {day} (a gap in the lineage)"
                ),
            ),
            Lineage::NoEnd {
                code,
                successor,
                day,
            } => pick(
                format!(
                    "enhet {code}: {successor} tog över efter den {day} men den har inget slutdatum"
                ),
                format!(
                    "unit {code}: {successor} took over from it on {day} but it has no end date"
                ),
            ),
            Lineage::SuccessorWithoutStep { code, successor } => pick(
                format!(
                    "enhet {code}: anger {successor} som efterträdare, men härstamningen har inget steg från den till {successor}"
                ),
                format!(
                    "unit {code}: names {successor} as its successor, but the lineage has no step from it to {successor}"
                ),
            ),
            Lineage::Circle { code, circle } => pick(
                format!(
                    "enhet {code}: härstamningen går runt i en cirkel ({})",
                    circle.join(" → ")
                ),
                format!(
                    "unit {code}: the lineage goes round in a circle ({})",
                    circle.join(" → ")
                ),
            ),
            Lineage::NotReorganised { open, code, name } => pick(
                format!(
                    "enhet {}: fortfarande öppen utan att någon tar över, men Stockholms stadsdelar omorganiserades 2023-07-01 till {code} {name}; registrera det som en omorganisation",
                    open.join(", ")
                ),
                format!(
                    "unit {}: still open with nobody taking over, but Stockholm's districts were reorganised on 2023-07-01 into {code} {name}; record it as a reorganisation",
                    open.join(", ")
                ),
            ),
        }
    }
}
