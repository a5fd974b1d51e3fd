//! Loading an export (`import`): the file as a whole, and the rules between its records.
//! A record's own fields are held to the field rules (`fields.rs`); a message names the
//! record as the file does (`units[3] (KS)`), which is the same in both languages.

use crate::i18n::Lang;

/// What an import refuses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Import {
    /// The database already holds methods or events.
    NotEmpty {
        path: String,
        methods: i64,
        events: i64,
    },
    /// The JSON cannot be read; `detail` is the reader's own words with the line.
    Broken {
        detail: String,
    },
    /// A record cannot be read; `record` names it, `detail` is the reader's words.
    BadRecord {
        record: String,
        detail: String,
    },
    FormatVersion {
        version: u32,
        known: u32,
    },
    /// A key that must come before another comes after it.
    Order {
        first: String,
        then: String,
    },
    DuplicateKey {
        key: String,
    },
    BrokenByteOrderMark,
    UnknownSetting {
        key: String,
    },
    /// Two records share a code or name (`what`: units, methods).
    SameName {
        first: String,
        second: String,
        name: String,
        units: bool,
    },
    SameUnit {
        first: String,
        second: String,
    },
    SameStep {
        first: String,
        second: String,
    },
    OwnPredecessor {
        step: String,
    },
    SameLogin {
        first: String,
        second: String,
    },
    /// A confirmation of another stage than the one the unit had on its day.
    ConfirmsOtherStage {
        said: String,
        then: String,
    },
    /// `retracted` and `retraction` disagree.
    RetractedWithout {
        retracted: bool,
    },
    /// A row of the change log.
    Log(Log),
}

impl Import {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Import::NotEmpty {
                path,
                methods,
                events,
            } => pick(
                format!(
                    "{path} har redan {methods} metoder och {events} händelser; import läser in i en ny databas skapad med `spridning init`"
                ),
                format!(
                    "{path} already holds {methods} methods and {events} events; import loads into a new database made with `spridning init`"
                ),
            ),
            Import::Broken { detail } => {
                pick(format!("filen går inte att läsa: {detail}"), detail.clone())
            }
            Import::BadRecord { record, detail } => format!("{record}: {detail}"),
            Import::FormatVersion { version, known } => pick(
                format!(
                    "filen har formatversion {version} men den här spridning läser version {known}"
                ),
                format!(
                    "the file is format version {version} but this spridning reads version {known}"
                ),
            ),
            Import::Order { first, then } => pick(
                format!("\"{first}\" måste komma före \"{then}\""),
                format!("\"{first}\" must come before \"{then}\""),
            ),
            Import::DuplicateKey { key } => pick(
                format!("nyckeln \"{key}\" finns två gånger"),
                format!("duplicate key \"{key}\""),
            ),
            Import::BrokenByteOrderMark => pick(
                "filen börjar med ett trasigt byte-ordningsmärke".into(),
                "the file starts with a broken byte-order mark".into(),
            ),
            Import::UnknownSetting { key } => pick(
                format!("settings: okänd inställning \"{key}\" (kända: title, fresh-months)"),
                format!("settings: unknown setting \"{key}\" (known: title, fresh-months)"),
            ),
            Import::SameName {
                first,
                second,
                name,
                units,
            } => match units {
                true => pick(
                    format!(
                        "{first} och {second} heter båda '{name}'; varje enhet behöver en egen kod och ett eget namn"
                    ),
                    format!(
                        "{first} and {second} are both called '{name}'; every unit needs a code and a name of its own"
                    ),
                ),
                false => pick(
                    format!(
                        "{first} och {second} heter båda '{name}'; varje metod behöver egna namn"
                    ),
                    format!(
                        "{first} and {second} are both called '{name}'; every method needs names of its own"
                    ),
                ),
            },
            Import::ConfirmsOtherStage { said, then } => pick(
                format!("bekräftar {said} men steget var då {then}"),
                format!("confirms {said} but the stage then was {then}"),
            ),
            Import::SameUnit { first, second } => pick(
                format!("{first} och {second} är samma enhet"),
                format!("{first} and {second} are the same unit"),
            ),
            Import::SameStep { first, second } => pick(
                format!("{first} och {second} är samma steg"),
                format!("{first} and {second} are the same step"),
            ),
            Import::OwnPredecessor { step } => pick(
                format!("{step}: en enhet kan inte ta över efter sig själv"),
                format!("{step}: a unit cannot take over from itself"),
            ),
            Import::SameLogin { first, second } => pick(
                format!("{first} och {second} är samma inloggning"),
                format!("{first} and {second} are the same login"),
            ),
            Import::RetractedWithout { retracted } => match retracted {
                true => pick(
                    "\"retracted\" är true men händelsen har ingen \"retraction\"".into(),
                    "\"retracted\" is true but the event has no \"retraction\"".into(),
                ),
                false => pick(
                    "\"retracted\" är false men händelsen har en \"retraction\"".into(),
                    "\"retracted\" is false but the event has a \"retraction\"".into(),
                ),
            },
            Import::Log(log) => log.text(lang),
        }
    }
}

/// What a row of an imported change log may not be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Log {
    EventRowShape,
    EventMissing,
    NoSuchEvent { n: usize, events: usize },
    NotRetracted { n: usize },
    RowTwice { n: usize },
    UnknownChangeKind { kind: String },
    EventOnlyForEvents,
    UnknownField { field: String },
    MethodRowShape,
    UnitRowShape,
}

impl Log {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Log::EventRowShape => pick(
                "en händelses rad nämner bara sin händelse (resten är händelsens egen)".into(),
                "an event's row names only its event (the rest is the event's own)".into(),
            ),
            Log::EventMissing => pick(
                "\"event\" saknas (händelsens plats i \"events\")".into(),
                "\"event\" is missing (the event's position in \"events\")".into(),
            ),
            Log::NoSuchEvent { n, events } => pick(
                format!("det finns ingen händelse {n} (filen har {events})"),
                format!("there is no event {n} (the file has {events})"),
            ),
            Log::NotRetracted { n } => pick(
                format!("händelse {n} är inte återkallad"),
                format!("event {n} is not retracted"),
            ),
            Log::RowTwice { n } => pick(
                format!("händelse {n} har redan den här raden"),
                format!("event {n} has this row already"),
            ),
            Log::UnknownChangeKind { kind } => pick(
                format!(
                    "okänd sort \"{kind}\" (event, retraction, method_added, method_edited, unit_added, unit_edited)"
                ),
                format!(
                    "unknown kind \"{kind}\" (event, retraction, method_added, method_edited, unit_added, unit_edited)"
                ),
            ),
            Log::EventOnlyForEvents => pick(
                "bara en händelses eller en återkallelses rad nämner en händelse".into(),
                "only an event's or a retraction's row names an event".into(),
            ),
            Log::UnknownField { field } => pick(
                format!("\"{field}\" är inget fält den här ändringen kan nämna"),
                format!("\"{field}\" is not a field this change can name"),
            ),
            Log::MethodRowShape => pick(
                "en metods rad nämner sin metod och ingen enhet".into(),
                "a method's row names its method, and no unit".into(),
            ),
            Log::UnitRowShape => pick(
                "en enhets rad nämner sin enhet och ingen metod".into(),
                "a unit's row names its unit, and no method".into(),
            ),
        }
    }
}
