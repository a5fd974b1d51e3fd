//! The one key-map table. Key presses become actions here; the help screen and the status
//! line's hints are generated from the same table, so they always tell the truth.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use crate::domain::Stage;
use crate::i18n::Lang;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Browsing any tab or detail view.
    Browse,
    /// A table (Methods, Units, Activity).
    List,
    /// The Units tab.
    Units,
    /// The Spread tab.
    Spread,
    /// The Rounds tab (a unit's checklist, every unit's progress).
    Rounds,
    Matrix,
    Detail,
    Form,
    /// Typing a `/` filter.
    Filter,
    /// Typing the day every screen shows (`@`).
    Day,
    /// A yes/no question.
    Confirm,
    /// Someone else saved the record being edited.
    Conflict,
    Help,
    /// The workshop presentation.
    Present,
}

/// The order contexts are listed in the help screen and the README.
pub const CONTEXT_ORDER: [Context; 14] = [
    Context::Browse,
    Context::List,
    Context::Units,
    Context::Spread,
    Context::Rounds,
    Context::Matrix,
    Context::Detail,
    Context::Present,
    Context::Filter,
    Context::Day,
    Context::Form,
    Context::Conflict,
    Context::Confirm,
    Context::Help,
];

impl Context {
    /// The context's heading in the help screen.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Context::Browse => lang.pick("Vid bläddring", "Browsing"),
            Context::List => lang.pick("Listor", "Lists"),
            Context::Units => lang.pick("Enheter", "Units"),
            Context::Spread => lang.pick("Spridning", "Spread"),
            Context::Rounds => lang.pick("Inventering", "Rounds"),
            Context::Matrix => lang.pick("Matris", "Matrix"),
            Context::Detail => lang.pick("Detaljvy", "Detail view"),
            Context::Form => lang.pick("Formulär", "Forms"),
            Context::Filter => lang.pick("Filter", "Filter"),
            Context::Day => lang.pick("Dagen att visa (@)", "The day to show (@)"),
            Context::Confirm => lang.pick("Fråga", "Question"),
            Context::Conflict => lang.pick("Krock vid sparande", "Save conflict"),
            Context::Help => lang.pick("Hjälp", "Help"),
            Context::Present => lang.pick("Presentation", "Presentation"),
        }
    }
}

/// A key, as the key map binds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        code: KeyCode::Char(c),
        mods: KeyModifiers::CONTROL,
    }
}

impl Key {
    /// Whether a key event is this key.
    pub fn matches(&self, event: &KeyEvent) -> bool {
        // Shift is part of the character for letters and of BackTab, so it is ignored there.
        let mods = event.modifiers - KeyModifiers::SHIFT;
        self.code == event.code && self.mods == mods
    }

    /// The key as help and hints show it (`Ctrl-S`, `Enter`).
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// A binding of the key map: the keys, the context, the action, what help says.
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    /// Shown in the status line when the context is active.
    pub hint: bool,
    pub sv: &'static str,
    pub en: &'static str,
}

impl Binding {
    /// What the binding does, in `lang`.
    pub fn describe(&self, lang: Lang) -> &'static str {
        lang.pick(self.sv, self.en)
    }

    /// The binding's keys as help shows them (`j / ↓`).
    pub fn key_labels(&self) -> String {
        // Ten digits read as a range.
        if self.keys.len() == 10
            && self
                .keys
                .iter()
                .all(|k| matches!(k.code, KeyCode::Char(c) if c.is_ascii_digit()))
        {
            return "0 … 9".to_string();
        }
        self.keys
            .iter()
            .map(Key::label)
            .collect::<Vec<_>>()
            .join(" ")
    }
}

macro_rules! bind {
    ($ctx:ident, [$($k:expr),+], $action:ident, $hint:expr, $sv:expr, $en:expr) => {
        Binding { context: Context::$ctx, keys: &[$($k),+], action: Action::$action, hint: $hint, sv: $sv, en: $en }
    };
}

/// Every key the app answers to. Order matters: within the active contexts the first match
/// wins, and the status line shows hints in this order.
pub const KEYMAP: &[Binding] = &[
    bind!(Conflict, [ch('m')], Merge, true, "slå ihop", "merge"),
    bind!(
        Conflict,
        [ch('o')],
        Overwrite,
        true,
        "spara min över deras",
        "save mine over theirs"
    ),
    bind!(
        Conflict,
        [ch('t')],
        TakeTheirs,
        true,
        "utgå från deras",
        "start from theirs"
    ),
    bind!(
        Conflict,
        [key(KeyCode::Esc)],
        Cancel,
        true,
        "tillbaka till formuläret",
        "back to the form"
    ),
    bind!(Confirm, [ch('y'), ch('j')], Confirm, true, "ja", "yes"),
    bind!(
        Confirm,
        [ch('n'), key(KeyCode::Esc)],
        Deny,
        true,
        "nej",
        "no"
    ),
    bind!(
        Help,
        [key(KeyCode::Esc), ch('?'), ch('q')],
        Back,
        true,
        "stäng hjälpen",
        "close help"
    ),
    bind!(
        Help,
        [key(KeyCode::Down), ch('j')],
        Down,
        false,
        "rulla ned",
        "scroll down"
    ),
    bind!(
        Help,
        [key(KeyCode::Up), ch('k')],
        Up,
        false,
        "rulla upp",
        "scroll up"
    ),
    bind!(
        Help,
        [key(KeyCode::PageDown), ch(' '), ctrl('d')],
        PageDown,
        false,
        "en sida ned",
        "a page down"
    ),
    bind!(
        Help,
        [key(KeyCode::PageUp), ctrl('u')],
        PageUp,
        false,
        "en sida upp",
        "a page up"
    ),
    bind!(
        Help,
        [key(KeyCode::Home), ch('g')],
        Top,
        false,
        "till början",
        "to the top"
    ),
    bind!(
        Help,
        [key(KeyCode::End), ch('G')],
        Bottom,
        false,
        "till slutet",
        "to the end"
    ),
    bind!(
        Present,
        [key(KeyCode::Right)],
        Right,
        false,
        "nästa bild (i filmen: nästa år)",
        "next slide (in the film: next year)"
    ),
    bind!(
        Present,
        [key(KeyCode::Left)],
        Left,
        false,
        "förra bilden (i filmen: förra året)",
        "previous slide (in the film: previous year)"
    ),
    bind!(
        Present,
        [ch(' '), key(KeyCode::PageDown)],
        NextSlide,
        false,
        "nästa bild",
        "next slide"
    ),
    bind!(
        Present,
        [key(KeyCode::PageUp)],
        PrevSlide,
        false,
        "förra bilden",
        "previous slide"
    ),
    bind!(
        Present,
        [key(KeyCode::Home)],
        Top,
        false,
        "första bilden",
        "first slide"
    ),
    bind!(
        Present,
        [key(KeyCode::End)],
        Bottom,
        false,
        "sista bilden",
        "last slide"
    ),
    bind!(
        Present,
        [
            ch('0'),
            ch('1'),
            ch('2'),
            ch('3'),
            ch('4'),
            ch('5'),
            ch('6'),
            ch('7'),
            ch('8'),
            ch('9')
        ],
        TypeDigit,
        false,
        "bildens nummer, sedan Enter",
        "a slide's number, then Enter"
    ),
    bind!(
        Present,
        [key(KeyCode::Enter)],
        Confirm,
        false,
        "gå till bilden med numret",
        "go to the slide with that number"
    ),
    bind!(
        Present,
        [ch('f')],
        PlayFilm,
        false,
        "filmen: spela år för år / pausa",
        "the film: play year by year / pause"
    ),
    bind!(Present, [ch('?')], Help, false, "hjälp", "help"),
    bind!(
        Present,
        [key(KeyCode::Esc)],
        Back,
        false,
        "avsluta presentationen",
        "leave the presentation"
    ),
    bind!(Form, [ctrl('s')], Save, true, "spara", "save"),
    bind!(
        Form,
        [key(KeyCode::Tab)],
        NextField,
        true,
        "nästa fält",
        "next field"
    ),
    bind!(
        Form,
        [key(KeyCode::BackTab)],
        PrevField,
        false,
        "föregående fält",
        "previous field"
    ),
    bind!(Form, [key(KeyCode::Esc)], Cancel, true, "avbryt", "cancel"),
    bind!(
        Filter,
        [key(KeyCode::Enter)],
        Confirm,
        true,
        "behåll filtret",
        "keep filter"
    ),
    bind!(
        Filter,
        [key(KeyCode::Esc)],
        Cancel,
        true,
        "rensa filtret",
        "clear filter"
    ),
    bind!(
        Day,
        [key(KeyCode::Enter)],
        Confirm,
        true,
        "visa dagen (tomt: i dag)",
        "show that day (empty: today)"
    ),
    bind!(
        Day,
        [key(KeyCode::Esc)],
        Cancel,
        true,
        "stäng, dagen som förut",
        "close, keep the day"
    ),
    bind!(
        Filter,
        [key(KeyCode::Down)],
        Down,
        false,
        "nästa rad",
        "next row"
    ),
    bind!(
        Filter,
        [key(KeyCode::Up)],
        Up,
        false,
        "föregående rad",
        "previous row"
    ),
    bind!(Browse, [ctrl('c')], Quit, false, "avsluta", "quit"),
    bind!(Browse, [ch('q')], Quit, true, "avsluta", "quit"),
    bind!(Browse, [ch('?')], Help, true, "hjälp", "help"),
    bind!(List, [key(KeyCode::Enter)], Open, true, "öppna", "open"),
    bind!(List, [ch('/')], Filter, true, "filtrera", "filter"),
    bind!(
        List,
        [key(KeyCode::Esc)],
        Cancel,
        false,
        "visa hela listan (rensa filtret)",
        "the whole list again (clear the filter)"
    ),
    bind!(
        Matrix,
        [key(KeyCode::Enter)],
        Open,
        true,
        "öppna metoden",
        "open method"
    ),
    bind!(
        Matrix,
        [ch('R')],
        ToggleRollUp,
        true,
        "föregångarnas historik",
        "predecessors' history"
    ),
    bind!(
        Matrix,
        [ch('H')],
        ToggleHistoricalUnits,
        true,
        "historiska enheter",
        "historical units"
    ),
    bind!(
        Matrix,
        [ch('f'), ch('/')],
        Filter,
        true,
        "filtrera (område:, region:, steg:)",
        "filter (area:, region:, stage:)"
    ),
    bind!(
        Matrix,
        [ch('o')],
        SortNext,
        false,
        "sortera efter spridning / namn",
        "sort by spread / name"
    ),
    bind!(Spread, [key(KeyCode::Enter)], Open, true, "öppna", "open"),
    bind!(
        Spread,
        [ch('v')],
        NextView,
        true,
        "metoder / enheter / stannade piloter / utan besked",
        "methods / units / stalled pilots / not heard from"
    ),
    bind!(
        Spread,
        [ch('o')],
        SortNext,
        true,
        "sortera efter nästa kolumn",
        "sort by the next column"
    ),
    bind!(
        Spread,
        [ch('O')],
        SortReverse,
        false,
        "vänd ordningen",
        "reverse the order"
    ),
    bind!(
        Spread,
        [ch('R')],
        ToggleRollUp,
        false,
        "föregångarnas historik",
        "predecessors' history"
    ),
    bind!(
        Detail,
        [key(KeyCode::Esc), key(KeyCode::Backspace)],
        Back,
        true,
        "tillbaka",
        "back"
    ),
    bind!(
        Browse,
        [ch('s')],
        RecordStage,
        true,
        "registrera steg",
        "record stage"
    ),
    bind!(
        Rounds,
        [ch('c')],
        ConfirmStage,
        true,
        "bekräfta att steget gäller",
        "confirm the stage holds"
    ),
    bind!(
        Rounds,
        [ch('s')],
        RecordStage,
        true,
        "ändra steg",
        "change the stage"
    ),
    bind!(
        Rounds,
        [ch('d')],
        Discontinue,
        true,
        "används inte längre (avslutad, varför?)",
        "no longer in use (discontinued, why?)"
    ),
    bind!(
        Rounds,
        [ch('u')],
        NotUsedHere,
        false,
        "används inte här (en metod utan steg)",
        "not used here (a method with no stage)"
    ),
    bind!(
        Rounds,
        [ch('A')],
        ConfirmAll,
        true,
        "bekräfta allt obesvarat som det står",
        "confirm everything unanswered as it stands"
    ),
    bind!(
        Rounds,
        [ch('n')],
        New,
        false,
        "starta en inventering (samordnare)",
        "start a round (coordinators)"
    ),
    bind!(
        Rounds,
        [ch('X')],
        CloseRound,
        false,
        "avsluta inventeringen (samordnare)",
        "close the round (coordinators)"
    ),
    bind!(
        Rounds,
        [key(KeyCode::Enter)],
        Open,
        true,
        "öppna enhetens checklista",
        "open the unit's checklist"
    ),
    bind!(
        Rounds,
        [key(KeyCode::Esc)],
        Cancel,
        false,
        "tillbaka till alla enheter",
        "back to every unit"
    ),
    bind!(
        Detail,
        [ch('c')],
        ConfirmStage,
        false,
        "bekräfta att den valda metodens steg gäller i dag (enhetens detaljvy)",
        "confirm the selected method's stage holds today (a unit's detail)"
    ),
    bind!(
        Matrix,
        [ch('c')],
        ConfirmStage,
        true,
        "bekräfta att steget gäller i dag",
        "confirm the stage still holds today"
    ),
    bind!(
        Browse,
        [ch('C')],
        ToggleCurrentOnly,
        false,
        "senast kända steg / bara aktuella (utan de som inte hörts av)",
        "last known stages / current only (without those not heard from)"
    ),
    bind!(
        List,
        [ch('n')],
        New,
        false,
        "ny metod/enhet",
        "new method/unit"
    ),
    bind!(Browse, [ch('e')], Edit, false, "redigera", "edit"),
    bind!(
        Browse,
        [ch('[')],
        YearBack,
        false,
        "visa läget ett år tidigare",
        "show the state a year earlier"
    ),
    bind!(
        Browse,
        [ch(']')],
        YearForward,
        false,
        "ett år senare (högst i dag)",
        "a year later (today at most)"
    ),
    bind!(
        Browse,
        [ch('{')],
        MonthBack,
        false,
        "en månad tidigare",
        "a month earlier"
    ),
    bind!(
        Browse,
        [ch('}')],
        MonthForward,
        false,
        "en månad senare",
        "a month later"
    ),
    bind!(
        Browse,
        [ch('P')],
        Present,
        false,
        "presentation för workshoppar",
        "presentation for workshops"
    ),
    bind!(
        Browse,
        [ch('@')],
        AsOf,
        false,
        "visa läget ett visst datum (tomt: i dag)",
        "show the state on a day (empty: today)"
    ),
    bind!(
        Units,
        [ch('o')],
        Reorganise,
        false,
        "omorganisation: enheter som går samman eller delas",
        "reorganisation: units that merge or split"
    ),
    bind!(
        Units,
        [ch('u')],
        AddPerson,
        false,
        "ny person: inloggning, roll, enheter och SSH-nyckel",
        "a new person: login, role, units and SSH key"
    ),
    bind!(
        List,
        [ch('x')],
        Retract,
        false,
        "återkalla händelse (Aktivitet)",
        "retract event (Activity)"
    ),
    bind!(
        Browse,
        [key(KeyCode::Tab), ch('l')],
        NextTab,
        false,
        "nästa flik",
        "next tab"
    ),
    bind!(
        Browse,
        [key(KeyCode::BackTab), ch('h')],
        PrevTab,
        false,
        "föregående flik",
        "previous tab"
    ),
    bind!(
        Browse,
        [key(KeyCode::Down), ch('j')],
        Down,
        false,
        "ned",
        "down"
    ),
    bind!(Browse, [key(KeyCode::Up), ch('k')], Up, false, "upp", "up"),
    bind!(
        Matrix,
        [key(KeyCode::Home), ch('g')],
        Top,
        false,
        "första raden och kolumnen",
        "first row and column"
    ),
    bind!(
        Matrix,
        [key(KeyCode::End), ch('G')],
        Bottom,
        false,
        "bortersta hörnet",
        "far corner"
    ),
    bind!(
        Matrix,
        [key(KeyCode::Right)],
        Right,
        false,
        "fler enheter åt höger",
        "more units to the right"
    ),
    bind!(
        Matrix,
        [key(KeyCode::Left)],
        Left,
        false,
        "enheter åt vänster",
        "units to the left"
    ),
    bind!(
        Browse,
        [key(KeyCode::PageDown), ctrl('d')],
        PageDown,
        false,
        "sida ned",
        "page down"
    ),
    bind!(
        Browse,
        [key(KeyCode::PageUp), ctrl('u')],
        PageUp,
        false,
        "sida upp",
        "page up"
    ),
    bind!(
        Browse,
        [key(KeyCode::Home), ch('g')],
        Top,
        false,
        "först",
        "first"
    ),
    bind!(
        Browse,
        [key(KeyCode::End), ch('G')],
        Bottom,
        false,
        "sist",
        "last"
    ),
];

/// The action for a key in the active contexts, if any.
pub fn lookup(contexts: &[Context], event: &KeyEvent) -> Option<Action> {
    KEYMAP
        .iter()
        .filter(|b| contexts.contains(&b.context))
        .find(|b| b.keys.iter().any(|k| k.matches(event)))
        .map(|b| b.action)
}

/// A status-line hint: the key as shown, what it does, and the action (so `? help` can be
/// told apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hint {
    pub key: String,
    pub describe: &'static str,
    pub action: Action,
}

/// The status line's hints for the active contexts, most important first: the screen's own
/// keys (the first context's before the next's, each in key-map order), then quitting, and
/// help last (it lists everything a short line leaves out). `allowed` says whether the
/// person may do an action; edit keys they may not use are hidden.
pub fn hints(contexts: &[Context], lang: Lang, allowed: impl Fn(Action) -> bool) -> Vec<Hint> {
    let mut out: Vec<(usize, usize, Hint)> = KEYMAP
        .iter()
        .enumerate()
        .filter(|(_, b)| b.hint && allowed(b.action))
        .filter_map(|(order, b)| {
            let context = contexts.iter().position(|c| *c == b.context)?;
            let rank = match b.action {
                Action::Help => usize::MAX,
                Action::Quit => usize::MAX - 1,
                _ => context,
            };
            Some((
                rank,
                order,
                Hint {
                    key: b.keys[0].label(),
                    describe: b.describe(lang),
                    action: b.action,
                },
            ))
        })
        .collect();
    out.sort_by_key(|(rank, order, _)| (*rank, *order));
    // A key bound in an inner context shadows the same key further out (a checklist's `s`
    // changes the row's stage; the tab's `s` is not reached there): one hint per key, the
    // one the key does.
    let mut keys = std::collections::HashSet::new();
    out.into_iter()
        .map(|(_, _, h)| h)
        .filter(|h| keys.insert(h.key.clone()))
        .collect()
}

/// The label of the first key bound to `action` in `context` (what dialogs say to press, so
/// they say what the status line says).
pub fn key_label(context: Context, action: Action) -> String {
    KEYMAP
        .iter()
        .find(|b| b.context == context && b.action == action)
        .map(|b| b.keys[0].label())
        .unwrap_or_default()
}

/// The actions that change the register: the one list. They follow the person's role
/// (`App::can`: refused, and their hints hidden, for those who may not) and work only on
/// today (`App::update`).
pub fn is_edit(action: Action) -> bool {
    matches!(
        action,
        Action::RecordStage
            | Action::ConfirmStage
            | Action::Discontinue
            | Action::NotUsedHere
            | Action::ConfirmAll
            | Action::CloseRound
            | Action::New
            | Action::Edit
            | Action::Retract
            | Action::Reorganise
            | Action::AddPerson
    )
}

/// A line of the help screen, as data: what it says comes from the key map (so it always
/// matches what the keys do); `ui::help` gives each kind its look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpLine {
    /// Where the lines below apply (a context's title, the filter, the stages).
    Heading(&'static str),
    /// A key (or a filter term) and what it does.
    Entry(String, &'static str),
    /// A stage with its glyph, its words and its code.
    Stage(Stage),
    Blank,
}

/// The help text for some contexts (`CONTEXT_ORDER`: all; the presentation lists its own
/// keys): the bindings this person may use (`allowed`), grouped by where they apply, the
/// filter's terms where a filter is among them, then the stages.
pub fn help_lines(
    lang: Lang,
    contexts: &[Context],
    allowed: &dyn Fn(Action) -> bool,
) -> Vec<HelpLine> {
    let mut lines = Vec::new();
    for &ctx in contexts {
        let entries: Vec<HelpLine> = KEYMAP
            .iter()
            .filter(|b| b.context == ctx && allowed(b.action))
            .map(|b| HelpLine::Entry(b.key_labels(), b.describe(lang)))
            .collect();
        // A section with no key this person may use is left out, heading and all.
        if entries.is_empty() {
            continue;
        }
        lines.push(HelpLine::Heading(ctx.title(lang)));
        lines.extend(entries);
        lines.push(HelpLine::Blank);
    }
    if contexts.contains(&Context::Filter) {
        lines.push(HelpLine::Heading(lang.pick(
            "Filtret (/, f i matrisen)",
            "The filter (/, f on the Matrix)",
        )));
        let terms = crate::domain::activity_filter::TERMS
            .iter()
            .chain(crate::domain::matrix_filter::TERMS.iter());
        for (term, sv, en) in terms {
            lines.push(HelpLine::Entry(term.to_string(), lang.pick(sv, en)));
        }
        lines.push(HelpLine::Blank);
    }
    lines.push(HelpLine::Heading(lang.pick("Steg", "Stages")));
    lines.extend(Stage::ALL.into_iter().map(HelpLine::Stage));
    lines
}

/// The key table as Markdown, as the README shows it (a test keeps the two equal).
pub fn markdown_table(lang: Lang) -> String {
    let mut out = String::from("| where | keys | what |\n|---|---|---|\n");
    let grouped = CONTEXT_ORDER
        .iter()
        .flat_map(|ctx| KEYMAP.iter().filter(move |b| b.context == *ctx));
    for b in grouped {
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            b.context.title(lang),
            b.key_labels().replace('|', "\\|"),
            b.describe(lang)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn contexts_decide_what_a_key_does() {
        let esc = press(KeyCode::Esc);
        assert_eq!(lookup(&[Context::Form], &esc), Some(Action::Cancel));
        assert_eq!(
            lookup(&[Context::Detail, Context::Browse], &esc),
            Some(Action::Back)
        );
        assert_eq!(
            lookup(
                &[Context::List, Context::Browse],
                &press(KeyCode::Char('/'))
            ),
            Some(Action::Filter)
        );
        assert_eq!(
            lookup(&[Context::Form], &press(KeyCode::Char('q'))),
            None,
            "q is text in a form"
        );
    }

    #[test]
    fn ctrl_keys_need_ctrl() {
        let ctrl_s = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(lookup(&[Context::Form], &ctrl_s), Some(Action::Save));
        assert_eq!(
            lookup(&[Context::Browse], &press(KeyCode::Char('s'))),
            Some(Action::RecordStage)
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in KEYMAP.iter().enumerate() {
            for b in &KEYMAP[i + 1..] {
                if a.context == b.context {
                    for k in a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{} bound twice in {:?}",
                            k.label(),
                            a.context
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn dialogs_name_the_key_the_status_line_shows_and_both_yes_keys_work() {
        for lang in [Lang::Sv, Lang::En] {
            let hints = hints(&[Context::Confirm], lang, |_| true);
            assert_eq!(hints[0].key, key_label(Context::Confirm, Action::Confirm));
        }
        for c in ['y', 'j'] {
            assert_eq!(
                lookup(&[Context::Confirm], &press(KeyCode::Char(c))),
                Some(Action::Confirm)
            );
        }
    }

    #[test]
    fn help_leaves_out_a_section_with_no_key_for_this_person() {
        let all = help_lines(Lang::En, &CONTEXT_ORDER, &|_| true);
        let read_only = help_lines(Lang::En, &CONTEXT_ORDER, &|a| !is_edit(a));
        let heading = |lines: &[HelpLine]| {
            lines
                .iter()
                .any(|l| matches!(l, HelpLine::Heading(h) if *h == Context::Units.title(Lang::En)))
        };
        assert!(heading(&all));
        assert!(!heading(&read_only), "the Units tab's keys all edit");
    }

    #[test]
    fn viewers_get_no_edit_hints() {
        let all = hints(&[Context::List, Context::Browse], Lang::En, |_| true);
        let read_only = hints(&[Context::List, Context::Browse], Lang::En, |a| !is_edit(a));
        assert!(all.iter().any(|h| h.describe == "record stage"));
        assert!(!read_only.iter().any(|h| h.describe == "record stage"));
    }
}
