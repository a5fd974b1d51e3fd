//! Reorganisations and the lineage of units: what a merge or split, or a unit's new dates or
//! successor, may not do. Said without the command line's option names, so the terminal
//! app's form and the command line say the same (the command line adds its options where it
//! helps, see `cli`).

use crate::i18n::Lang;

/// Which side of a reorganisation a unit was named on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The units that end.
    Ending,
    /// The units that take over.
    TakingOver,
}

/// What a reorganisation, or a change to units and their lineage, may not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reorganisation {
    TooEarly {
        day: String,
    },
    /// No unit to end, or none to take over.
    NeedsBoth,
    NamedTwice {
        name: String,
        side: Side,
    },
    CodeTwice {
        code: String,
    },
    Closed {
        code: String,
        name: String,
        to: String,
    },
    StartsOnOrAfter {
        code: String,
        name: String,
        start: String,
        day: String,
    },
    TookOverLater {
        code: String,
        name: String,
        from: String,
        since: String,
        day: String,
    },
    /// Events on or after the day (`#12 ASI 2024-01`, at most six).
    LateEvents {
        code: String,
        day: String,
        events: Vec<String>,
    },
    EndsAndTakesOver {
        code: String,
    },
    NotOnDay {
        code: String,
        name: String,
        day: String,
    },
    /// The successor already follows the predecessor: taking over from it closes a circle.
    Circle {
        predecessor: String,
        successor: String,
    },
    /// A new unit without a code.
    NeedsCode {
        name: String,
    },
    ExtraCodes {
        given: usize,
        new: usize,
        extra: String,
    },
    /// A unit's own edit (its dates or successor), or the lineage as a whole.
    Unit(UnitEdit),
}

/// What a unit's edit, or any write that changes units, may not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnitEdit {
    /// A unit's new dates would leave events outside them.
    EventsOutside {
        code: String,
        span: String,
        events: Vec<String>,
    },
    /// A successor that cleans away to nothing.
    InvisibleSuccessor { code: String },
    /// A write would leave the lineage with a problem `check` would report.
    LineageUnsound { finding: Box<super::Finding> },
}

impl Reorganisation {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Reorganisation::TooEarly { day } => pick(
                format!("{day} är för tidigt för en omorganisation"),
                format!("{day} is too early for a reorganisation"),
            ),
            Reorganisation::NeedsBoth => pick(
                "en omorganisation behöver enheter som upphör och enheter som tar över".into(),
                "a reorganisation needs units that end and units that take over".into(),
            ),
            Reorganisation::NamedTwice { name, side } => {
                let (sv_side, en_side) = match side {
                    Side::Ending => ("upphör", "end"),
                    Side::TakingOver => ("tar över", "take over"),
                };
                pick(
                    format!("{name} nämns två gånger bland enheterna som {sv_side}"),
                    format!("{name} is named twice among the units that {en_side}"),
                )
            }
            Reorganisation::CodeTwice { code } => pick(
                format!("koden {code} anges två gånger för de nya enheterna"),
                format!("the code {code} is given twice for the new units"),
            ),
            Reorganisation::Closed { code, name, to } => pick(
                format!("{code} ({name}) har redan upphört: den fanns till {to}"),
                format!("{code} ({name}) is already closed: it existed until {to}"),
            ),
            Reorganisation::StartsOnOrAfter {
                code,
                name,
                start,
                day,
            } => pick(
                format!("{code} ({name}) börjar {start}, så den kan inte upphöra före {day}"),
                format!("{code} ({name}) starts on {start}, so it cannot end before {day}"),
            ),
            Reorganisation::TookOverLater {
                code,
                name,
                from,
                since,
                day,
            } => pick(
                format!(
                    "{code} ({name}) tog över efter {from} {since}, så den kan inte upphöra före {day}"
                ),
                format!(
                    "{code} ({name}) took over from {from} on {since}, so it cannot end before {day}"
                ),
            ),
            Reorganisation::LateEvents { code, day, events } => pick(
                format!(
                    "{code} har händelser daterade {day} eller senare, som skulle hamna efter att den upphört: {}; återkalla dem eller registrera dem för efterträdaren",
                    events.join(", ")
                ),
                format!(
                    "{code} has events dated on or after {day}, which would fall after it ended: {}; retract them or record them for the successor",
                    events.join(", ")
                ),
            ),
            Reorganisation::EndsAndTakesOver { code } => pick(
                format!("{code} kan inte både upphöra och ta över"),
                format!("{code} cannot both end and take over"),
            ),
            Reorganisation::NotOnDay { code, name, day } => pick(
                format!("{code} ({name}) finns inte {day}, så den kan inte ta över då"),
                format!("{code} ({name}) does not exist on {day}, so it cannot take over then"),
            ),
            Reorganisation::Circle {
                predecessor,
                successor,
            } => pick(
                format!(
                    "{predecessor} har redan tagit över efter {successor} (direkt eller genom andra enheter), så {successor} kan inte ta över efter den: det skulle bli en cirkel"
                ),
                format!(
                    "{predecessor} already took over from {successor} (directly or through other units), so {successor} cannot take over from it: that would make a circle"
                ),
            ),
            Reorganisation::NeedsCode { name } => pick(
                format!("'{name}' är en ny enhet: ge den en kod"),
                format!("'{name}' is a new unit: give it a code"),
            ),
            Reorganisation::ExtraCodes { given, new, extra } => pick(
                format!(
                    "{given} koder angavs för {new} nya enheter (koden {extra} har ingen ny enhet); ange en kod per ny enhet, i ordning"
                ),
                format!(
                    "{given} codes were given for {new} new units (the code {extra} has no new unit); give one code per new unit, in order"
                ),
            ),
            Reorganisation::Unit(edit) => edit.text(lang),
        }
    }
}

impl UnitEdit {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            UnitEdit::EventsOutside { code, span, events } => pick(
                format!(
                    "{code} har händelser som skulle hamna utanför {span}: {}; återkalla dem eller registrera dem för en annan enhet först",
                    events.join(", ")
                ),
                format!(
                    "{code} has events that would fall outside {span}: {}; retract them or record them for another unit first",
                    events.join(", ")
                ),
            ),
            UnitEdit::InvisibleSuccessor { code } => pick(
                format!(
                    "enhet {code}: efterträdaren består bara av osynliga tecken eller styrtecken"
                ),
                format!("unit {code}: successor holds only invisible or control characters"),
            ),
            UnitEdit::LineageUnsound { finding } => pick(
                format!(
                    "det här skulle lämna enheternas härstamning osund ({}); inget ändrades",
                    finding.text(lang)
                ),
                format!(
                    "this would leave the lineage of units unsound ({}); nothing was changed",
                    finding.text(lang)
                ),
            ),
        }
    }
}
