//! What can go wrong, as kinds with their parameters, not as sentences: the command line says
//! them in English (scripts and logs read it), the terminal app in Swedish or English, both
//! from the same kind. Rewording a message changes it in one place, in both languages.

use std::fmt;

use crate::i18n::Lang;

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
    SetTitle,
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
            Deed::SetTitle => lang.pick("ändra registrets titel", "change the register's title"),
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
}

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
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Problem::Unknown { what, wanted, near } => {
                let w = what.word(lang);
                let first = pick(
                    format!("okänd {w} {}", quoted(wanted, lang)),
                    format!("unknown {w} {}", quoted(wanted, lang)),
                );
                if near.is_empty() {
                    first
                } else {
                    let mean = lang.pick("menar du", "did you mean");
                    format!("{first} ({mean}: {}?)", near.join(", "))
                }
            }
            Problem::Ambiguous {
                what,
                wanted,
                matches,
            } => {
                let w = what.word(lang);
                pick(
                    format!(
                        "tvetydig {w} {}: passar {}",
                        quoted(wanted, lang),
                        matches.join(", ")
                    ),
                    format!(
                        "ambiguous {w} {}: matches {}",
                        quoted(wanted, lang),
                        matches.join(", ")
                    ),
                )
            }
            Problem::NothingGiven { what } => {
                let w = what.word(lang);
                pick(format!("ingen {w} angiven"), format!("no {w} given"))
            }
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
            Problem::MethodNameTaken { wanted, owner } => pick(
                format!("'{wanted}' är redan namn eller kortnamn på metoden '{owner}'"),
                format!("'{wanted}' is already the name or short name of method '{owner}'"),
            ),
            Problem::UnitNameTaken { wanted, code, name } => pick(
                format!("'{wanted}' är redan kod eller namn på enheten {code} ({name})"),
                format!("'{wanted}' is already the code or name of unit {code} ({name})"),
            ),
            Problem::OwnSuccessor { code } => pick(
                format!("enhet {code} kan inte efterträda sig själv"),
                format!("unit {code} cannot be its own successor"),
            ),
            Problem::UnknownSuccessor { code } => pick(
                format!("okänd efterträdare '{code}'"),
                format!("unknown successor unit '{code}'"),
            ),
            Problem::SuccessorCircle {
                code,
                successor,
                circle,
            } => pick(
                format!(
                    "enhet {code}: efterträdaren {successor} skulle bilda en cirkel ({})",
                    circle.join(" → ")
                ),
                format!(
                    "unit {code}: successor {successor} would make a circle ({})",
                    circle.join(" → ")
                ),
            ),
            Problem::NoEvent { id } => pick(
                format!("ingen händelse med id {id}"),
                format!("no stage event with id {id}"),
            ),
            Problem::AlreadyRetracted { id } => pick(
                format!("händelse {id} är redan återkallad"),
                format!("stage event {id} is already retracted"),
            ),
            Problem::NeedsReason => pick(
                "en återkallelse behöver ett skäl".into(),
                "a retraction needs a reason".into(),
            ),
            Problem::ChangedMeanwhile { what, name } => {
                let w = what.word(lang);
                pick(
                    format!(
                        "{w} {name} ändrades av någon annan under tiden; läs om och försök igen"
                    ),
                    format!(
                        "{w} {name} was changed by someone else meanwhile; reload and try again"
                    ),
                )
            }
            Problem::Unregistered { login } => pick(
                format!(
                    "{login} är inte registrerad i databasen och kan bara läsa; be en samordnare köra `spridning user add {login} --role member --unit KOD`"
                ),
                format!(
                    "{login} is not registered in this database and can only read; ask a coordinator to run `spridning user add {login} --role member --unit CODE`"
                ),
            ),
            Problem::Viewer { login, deed } => {
                let d = deed.phrase(lang);
                pick(
                    format!(
                        "{login} har läsbehörighet och kan bara läsa; be en samordnare om en roll som får {d}"
                    ),
                    format!(
                        "{login} is a viewer and can only read; ask a coordinator for a role that may {d}"
                    ),
                )
            }
            Problem::Member { login, deed } => {
                let d = deed.phrase(lang);
                pick(
                    format!("{login} är medlem och kan inte {d}"),
                    format!("{login} is a member and cannot {d}"),
                )
            }
            Problem::OtherUnits { login, code, deed } => pick(
                format!(
                    "{login} är medlem för andra enheter och kan inte {} för {code}",
                    deed.phrase(Lang::Sv)
                ),
                format!(
                    "{login} is a member for other units and cannot {} for {code}",
                    deed.phrase(Lang::En)
                ),
            ),
            Problem::Locked { path, seconds } => pick(
                format!(
                    "{path} var låst av en annan process i {seconds} s; inget sparades, försök igen"
                ),
                format!(
                    "{path} stayed locked by another process for {seconds} s; nothing was saved, try again"
                ),
            ),
            Problem::Busy { path, seconds } => pick(
                format!(
                    "{path} är upptagen: en annan process höll låset i över {seconds} s; försök igen"
                ),
                format!(
                    "{path} is busy: another process held its lock for over {seconds} s; try again"
                ),
            ),
            Problem::ReadOnly { path, why } => match why {
                ReadOnly::File => pick(
                    format!(
                        "{path} är skrivskyddad för dig (filens behörigheter): be ägaren om skrivrätt; läsning fungerar ändå"
                    ),
                    format!(
                        "{path} is read-only for you (its file permissions): ask its owner for write access; reading still works"
                    ),
                ),
                ReadOnly::Companion(c) => pick(
                    format!(
                        "{path} kan inte skrivas: filen {c} är skrivskyddad för dig; be ägaren om skrivrätt"
                    ),
                    format!(
                        "{path} cannot be written: its file {c} is read-only for you; ask its owner for write access"
                    ),
                ),
                ReadOnly::Folder(d) => pick(
                    format!(
                        "{path} kan inte skrivas: mappen {d} är skrivskyddad för dig; be ägaren om skrivrätt"
                    ),
                    format!(
                        "{path} cannot be written: its folder {d} is read-only for you; ask its owner for write access"
                    ),
                ),
                ReadOnly::Elsewhere => pick(
                    format!(
                        "{path} kan inte skrivas: den ligger på ett skrivskyddat filsystem, eller ett annat program öppnade den skrivskyddad"
                    ),
                    format!(
                        "{path} cannot be written: it is on a read-only file system, or another program opened it read-only"
                    ),
                ),
            },
            Problem::DiskFull { path } => pick(
                format!("disken med {path} är full; inget sparades"),
                format!("the disk holding {path} is full; nothing was saved"),
            ),
            Problem::Corrupt { path } => pick(
                format!(
                    "{path} är skadad (SQLite rapporterar fel i filen); sluta använda den och läs tillbaka den senaste säkerhetskopian, eller kör `spridning check` för att se vad som är fel"
                ),
                format!(
                    "{path} is damaged (SQLite reports corruption); stop using it and restore the latest backup, or run `spridning check` to see what is wrong"
                ),
            ),
            Problem::WalGone { path, code } => pick(
                format!(
                    "kan inte läsa {path}: dess logg {path}-wal togs bort eller kortades medan databasen var öppen (I/O-fel {code}); inget sparades: stäng alla program som använder databasen och kör sedan `spridning check`"
                ),
                format!(
                    "cannot read {path}: its write-ahead log {path}-wal was removed or cut short while the database was open (disk I/O error {code}); nothing was saved: close every program using the database, then run `spridning check`"
                ),
            ),
            Problem::IoError { path, code } => pick(
                format!(
                    "kan inte läsa eller skriva {path}: disken eller filsystemet rapporterade ett I/O-fel ({code}); inget sparades: kontrollera disken och kör sedan `spridning check`"
                ),
                format!(
                    "cannot read or write {path}: the disk or file system reported an I/O error ({code}); nothing was saved: check the disk, then run `spridning check`"
                ),
            ),
        }
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
