//! What can go wrong, as kinds with their parameters, not as sentences: the command line says
//! them in English (scripts and logs read it), the terminal app in Swedish or English, both
//! from the same kind. Rewording a message changes it in one place, in both languages.

use std::fmt;

use crate::i18n::Lang;

pub mod check;
mod database;
mod dates;
mod fields;
mod file;
pub mod import;
mod keys;
mod names;
mod output;
mod records;
pub mod reorganisation;
pub mod restore;
mod roles;
mod users;

pub use check::{Fault, Finding};
pub use database::Database;
pub use import::Import;
pub use keys::Keys;
pub use output::Output;
pub use reorganisation::Reorganisation;
pub use restore::Restore;
pub use users::Users;

/// A kind of record, as messages name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noun {
    Method,
    Unit,
    Area,
    Region,
}

impl Noun {
    fn word(self, lang: Lang) -> &'static str {
        match self {
            Noun::Method => lang.pick("metod", "method"),
            Noun::Unit => lang.pick("enhet", "unit"),
            Noun::Area => lang.pick("område", "area"),
            Noun::Region => lang.pick("region", "region"),
        }
    }
}

/// Something a person tried that their role may not do, as a verb phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deed {
    ManageUsers,
    Import,
    AddMethod,
    EditMethod,
    AddUnit,
    EditUnit,
    AddMethods,
    AddUnits,
    LoadEvents,
    RecordStage,
    Retract,
    Confirm,
    SetTitle,
    ChangeSetting,
    OpenRound,
    CloseRound,
    AnswerRound,
    Restore,
}

impl Deed {
    fn phrase(self, lang: Lang) -> &'static str {
        match self {
            Deed::ManageUsers => lang.pick("hantera användare", "manage users"),
            Deed::Import => lang.pick("importera", "import"),
            Deed::AddMethod => lang.pick("lägga till en metod", "add a method"),
            Deed::EditMethod => lang.pick("ändra en metod", "edit a method"),
            Deed::AddUnit => lang.pick("lägga till en enhet", "add a unit"),
            Deed::EditUnit => lang.pick("ändra en enhet", "edit a unit"),
            Deed::AddMethods => lang.pick("lägga till metoder", "add methods"),
            Deed::AddUnits => lang.pick("lägga till enheter", "add units"),
            Deed::LoadEvents => lang.pick("läsa in händelser", "load events"),
            Deed::RecordStage => lang.pick("registrera steg", "record a stage"),
            Deed::Retract => lang.pick("återkalla händelser", "retract events"),
            Deed::Confirm => lang.pick("bekräfta steg", "confirm a stage"),
            Deed::SetTitle => lang.pick("ändra registrets titel", "change the register's title"),
            Deed::OpenRound => lang.pick("starta en inventering", "start a round"),
            Deed::CloseRound => lang.pick("avsluta en inventering", "close a round"),
            Deed::AnswerRound => lang.pick("svara i en inventering", "answer a round"),
            Deed::ChangeSetting => lang.pick(
                "ändra registrets inställningar",
                "change the register's settings",
            ),
            Deed::Restore => lang.pick("läsa tillbaka en säkerhetskopia", "restore a backup"),
        }
    }
}

/// Why a database cannot be written, as far as the file system tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadOnly {
    /// The file's permissions.
    File,
    /// One of SQLite's files beside it (`-wal`, `-shm`).
    Companion(String),
    Folder(String),
    /// A read-only file system, or another program opened it read-only.
    Elsewhere,
}

/// A unit that did not exist on a date: its span and where to go instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotExisted {
    pub code: String,
    pub name: String,
    pub date: String,
    pub from: Option<String>,
    pub to: Option<String>,
    /// The units that existed on the date in its place, following the lineage through every
    /// reorganisation: successors (the date is after it ended) or predecessors (before it
    /// began).
    pub instead: Vec<String>,
    pub after: bool,
}

/// Everything that can go wrong, as a kind with its parameters (see the module notes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    // --- names --------------------------------------------------------------------------
    /// Nothing matched; `near` are the closest names.
    Unknown {
        what: Noun,
        wanted: String,
        near: Vec<String>,
    },
    Ambiguous {
        what: Noun,
        wanted: String,
        matches: Vec<String>,
    },
    NothingGiven {
        what: Noun,
    },
    // --- dates and stages ----------------------------------------------------------------
    /// `month`: a month (`YYYY-MM`) would also do.
    InvalidDate {
        value: String,
        month: bool,
    },
    FutureDate {
        date: String,
    },
    UnknownStage {
        value: String,
        codes: Vec<&'static str>,
    },
    /// A unit that did not exist on the date; its span and where to go instead.
    NotExisted(Box<NotExisted>),
    // --- field rules ---------------------------------------------------------------------
    /// `field` and `sv` name the field in English and Swedish.
    Empty {
        field: &'static str,
        sv: &'static str,
    },
    OnlyInvisible {
        field: &'static str,
        sv: &'static str,
    },
    TooLong {
        field: &'static str,
        sv: &'static str,
        chars: usize,
        max: usize,
    },
    NotOneWord {
        field: &'static str,
        sv: &'static str,
        value: String,
    },
    NotATimestamp {
        field: &'static str,
        sv: &'static str,
        value: String,
    },
    BadUnitCode {
        value: String,
    },
    ValidFromAfterTo {
        code: String,
        from: String,
        to: String,
    },
    // --- records ---------------------------------------------------------------------------
    MethodNameTaken {
        wanted: String,
        owner: String,
    },
    UnitNameTaken {
        wanted: String,
        code: String,
        name: String,
    },
    OwnSuccessor {
        code: String,
    },
    UnknownSuccessor {
        code: String,
    },
    SuccessorCircle {
        code: String,
        successor: String,
        circle: Vec<String>,
    },
    NoEvent {
        id: i64,
    },
    AlreadyRetracted {
        id: i64,
    },
    NeedsReason,
    /// A confirmation on a day when the method had no stage in the unit.
    NothingToConfirm {
        method: String,
        unit: String,
        date: String,
    },
    NoConfirmation {
        id: i64,
    },
    ConfirmationRetracted {
        id: i64,
    },
    // --- inventory rounds ------------------------------------------------------------------
    /// A round is open already: one at a time.
    RoundOpen {
        name: String,
    },
    RoundNameTaken {
        name: String,
    },
    NoOpenRound,
    NoRound {
        name: String,
        near: Vec<String>,
    },
    /// The due day of a new round has passed.
    DuePassed {
        due: String,
    },
    /// A unit the open round does not ask.
    NotInRound {
        unit: String,
        round: String,
    },
    /// A method the round does not ask the unit about.
    NotAsked {
        method: String,
        unit: String,
        round: String,
    },
    /// "Not used here" for a method that has a stage in the unit.
    HasStage {
        method: String,
        unit: String,
        stage: String,
    },
    /// `spridning setting` with a key it does not know.
    UnknownSetting {
        key: String,
    },
    /// A `fresh-months` that is not a whole number of months from 1 to `max`.
    FreshMonths {
        value: String,
        max: u32,
    },
    /// Someone else saved the record since it was read; nothing was written.
    ChangedMeanwhile {
        what: Noun,
        name: String,
    },
    // --- who may do what ---------------------------------------------------------------------
    Unregistered {
        login: String,
    },
    Viewer {
        login: String,
        deed: Deed,
    },
    Member {
        login: String,
        deed: Deed,
    },
    OtherUnits {
        login: String,
        code: String,
        deed: Deed,
        /// The codes of the units the member records for.
        theirs: Vec<String>,
    },
    // --- the database file -----------------------------------------------------------------------
    Locked {
        path: String,
        seconds: u64,
    },
    Busy {
        path: String,
        seconds: u64,
    },
    ReadOnly {
        path: String,
        why: ReadOnly,
    },
    DiskFull {
        path: String,
    },
    Corrupt {
        path: String,
    },
    /// SQLITE_IOERR_SHORT_READ: the write-ahead log was removed or cut short while open.
    WalGone {
        path: String,
        code: i32,
    },
    IoError {
        path: String,
        code: i32,
    },
    // --- sections of their own, each in its file -------------------------------------------
    Database(Database),
    Reorganisation(Reorganisation),
    Import(Import),
    Users(Users),
    Keys(Keys),
    Restore(Restore),
    Output(Output),
}

impl Problem {
    /// The kinds of the sections that are enums of their own.
    fn section_text(&self, lang: Lang) -> Option<String> {
        Some(match self {
            Problem::Database(p) => p.text(lang),
            Problem::Reorganisation(p) => p.text(lang),
            Problem::Import(p) => p.text(lang),
            Problem::Users(p) => p.text(lang),
            Problem::Keys(p) => p.text(lang),
            Problem::Restore(p) => p.text(lang),
            Problem::Output(p) => p.text(lang),
            _ => return None,
        })
    }
}

macro_rules! section_into_problem {
    ($($kind:ident),*) => {$(
        impl From<$kind> for Problem {
            fn from(p: $kind) -> Problem {
                Problem::$kind(p)
            }
        }

        impl From<$kind> for anyhow::Error {
            fn from(p: $kind) -> anyhow::Error {
                Problem::$kind(p).into()
            }
        }
    )*};
}

section_into_problem!(
    Database,
    Reorganisation,
    Import,
    Users,
    Keys,
    Restore,
    Output
);

/// Whether a value holds a character that cleaning removes (an invisible or control one).
fn has_invisible(value: &str) -> bool {
    value.chars().any(crate::domain::text::is_forbidden)
}

/// A value quoted in a message: `'ASI'`. A value that holds an invisible or control
/// character would print as if it were valid once cleaned (`invalid date '2005-01-01'`), so
/// the message says what it held: `'2005-01-01' (holds an invisible character, U+200B)`.
pub fn quoted(value: &str, lang: Lang) -> String {
    let shown = crate::domain::text::clean_line(value);
    match value
        .chars()
        .find(|&c| crate::domain::text::is_forbidden(c))
    {
        None => format!("'{shown}'"),
        Some(c) => format!(
            "'{shown}' ({} U+{:04X})",
            lang.pick(
                "innehåller ett osynligt tecken eller styrtecken,",
                "holds an invisible or control character,"
            ),
            c as u32
        ),
    }
}

impl Problem {
    /// The message in `lang`: one line. Each section of kinds says its own (`names.rs`,
    /// `dates.rs`, …), so a message is found beside its neighbours.
    pub fn text(&self, lang: Lang) -> String {
        self.names_text(lang)
            .or_else(|| self.dates_text(lang))
            .or_else(|| self.fields_text(lang))
            .or_else(|| self.records_text(lang))
            .or_else(|| self.roles_text(lang))
            .or_else(|| self.file_text(lang))
            .or_else(|| self.section_text(lang))
            // A kind no section says (a test holds every kind to a section).
            .unwrap_or_else(|| format!("{self:?}"))
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for Problem {}

/// An error in `lang`: each layer of its chain that is a `Problem` in that language, the
/// others (context such as `events[12] (…)`) as they are, joined by ": " on one cleaned line.
pub fn say(e: &anyhow::Error, lang: Lang) -> String {
    let parts: Vec<String> = e
        .chain()
        .map(|layer| match layer.downcast_ref::<Problem>() {
            Some(p) => p.text(lang),
            None => layer.to_string(),
        })
        .collect();
    super::text::clean_line(&parts.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kind_says_itself_in_both_languages() {
        let p = Problem::Unknown {
            what: Noun::Unit,
            wanted: "XYZ".into(),
            near: vec!["KH".into()],
        };
        assert_eq!(p.text(Lang::En), "unknown unit 'XYZ' (did you mean: KH?)");
        assert_eq!(p.text(Lang::Sv), "okänd enhet 'XYZ' (menar du: KH?)");
        let p = Problem::NotExisted(Box::new(NotExisted {
            code: "VA".into(),
            name: "Vantör".into(),
            date: "2024-01-01".into(),
            from: None,
            to: Some("2006-12-31".into()),
            instead: vec!["EAV".into()],
            after: true,
        }));
        assert_eq!(
            p.text(Lang::Sv),
            "enhet VA (Vantör) fanns inte den 2024-01-01: den fanns till och med 2006-12-31; använd efterträdaren EAV"
        );
        assert_eq!(
            p.to_string(),
            "unit VA (Vantör) did not exist on 2024-01-01: it existed until 2006-12-31; use its successor EAV"
        );
    }

    #[test]
    fn a_chain_keeps_its_context_and_translates_its_kinds() {
        let e = anyhow::Error::new(Problem::NeedsReason).context("events[3] (ASI / FA 2020)");
        assert_eq!(
            say(&e, Lang::En),
            "events[3] (ASI / FA 2020): a retraction needs a reason"
        );
        assert_eq!(
            say(&e, Lang::Sv),
            "events[3] (ASI / FA 2020): en återkallelse behöver ett skäl"
        );
    }
}
