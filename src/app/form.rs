//! Form state: labelled fields, the focused one, and what is wrong with each. Text fields are
//! `ratatui-textarea` editors; a choice field cycles through a fixed list with ←/→.

use std::collections::BTreeMap;

use ratatui_textarea::{Input, TextArea};
use serde::{Deserialize, Serialize};

use crate::domain::rules::{self, Rule};
use crate::domain::{MethodKind, Stage, UnitKind};
use crate::i18n::Lang;
use crate::store::Draft;

/// What a form saves to. Drafts keep it as JSON (serde), with the record and its version
/// for edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormKind {
    RecordStage,
    NewMethod,
    EditMethod {
        id: i64,
        version: i64,
    },
    NewUnit,
    EditUnit {
        id: i64,
        version: i64,
    },
    /// Units that merge or split on a day.
    Reorganise,
    /// An inventory round to open.
    StartRound,
    /// A person to register (coordinators), with their SSH key.
    NewPerson,
}

impl FormKind {
    /// The same edit, based on another version of its record (after a conflict).
    pub fn at_version(self, version: i64) -> FormKind {
        match self {
            FormKind::EditMethod { id, .. } => FormKind::EditMethod { id, version },
            FormKind::EditUnit { id, .. } => FormKind::EditUnit { id, version },
            FormKind::RecordStage
            | FormKind::NewMethod
            | FormKind::NewUnit
            | FormKind::Reorganise
            | FormKind::StartRound
            | FormKind::NewPerson => self,
        }
    }

    /// The kind a draft was made from. Drafts of earlier versions kept the kind's name in
    /// `form` and the record in `target_id`/`version`; they are read too.
    pub fn of_draft(draft: &Draft) -> Option<FormKind> {
        serde_json::from_str(&draft.form).ok().or_else(|| {
            let value = match (draft.target_id, draft.version) {
                (Some(id), Some(version)) => {
                    serde_json::json!({ draft.form.clone(): { "id": id, "version": version } })
                }
                _ => serde_json::Value::String(draft.form.clone()),
            };
            serde_json::from_value(value).ok()
        })
    }

    /// The record an edit is of, for the draft's own columns.
    fn target(self) -> (Option<i64>, Option<i64>) {
        match self {
            FormKind::EditMethod { id, version } | FormKind::EditUnit { id, version } => {
                (Some(id), Some(version))
            }
            FormKind::RecordStage
            | FormKind::NewMethod
            | FormKind::NewUnit
            | FormKind::Reorganise
            | FormKind::StartRound
            | FormKind::NewPerson => (None, None),
        }
    }

    /// The form's title in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            FormKind::RecordStage => lang.pick("Registrera steg", "Record a stage"),
            FormKind::NewMethod => lang.pick("Ny metod", "New method"),
            FormKind::EditMethod { .. } => lang.pick("Redigera metod", "Edit method"),
            FormKind::NewUnit => lang.pick("Ny enhet", "New unit"),
            FormKind::EditUnit { .. } => lang.pick("Redigera enhet", "Edit unit"),
            FormKind::Reorganise => lang.pick("Omorganisation", "Reorganisation"),
            FormKind::StartRound => lang.pick("Starta en inventering", "Start a round"),
            FormKind::NewPerson => lang.pick("Ny person", "New person"),
        }
    }

    /// The form's fields, in order.
    pub fn fields(self) -> &'static [Spec] {
        match self {
            FormKind::RecordStage => STAGE_FIELDS,
            FormKind::NewMethod | FormKind::EditMethod { .. } => METHOD_FIELDS,
            FormKind::NewUnit | FormKind::EditUnit { .. } => UNIT_FIELDS,
            FormKind::Reorganise => REORGANISE_FIELDS,
            FormKind::StartRound => ROUND_FIELDS,
            FormKind::NewPerson => PERSON_FIELDS,
        }
    }
}

/// A form field's name: what the code reads, and what drafts keep (snake_case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldName {
    Unit,
    Method,
    Stage,
    Date,
    Note,
    Source,
    Name,
    ShortName,
    Kind,
    Area,
    Description,
    TargetGroup,
    Origin,
    Evidence,
    EvidenceLink,
    Contact,
    Code,
    Region,
    ValidFrom,
    ValidTo,
    Successor,
    From,
    Into,
    On,
    Carry,
    /// A round's last day to answer.
    Due,
    /// Methods a round names (comma-separated).
    Methods,
    /// A person's login, role, units (comma-separated) and SSH key.
    Login,
    Role,
    Units,
    Key,
}

impl FieldName {
    /// The name drafts keep.
    pub fn key(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    }

    /// The field of a draft's key.
    pub fn from_key(key: &str) -> Option<FieldName> {
        serde_json::from_value(serde_json::Value::String(key.to_string())).ok()
    }

    /// The field's label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let (sv, en) = match self {
            FieldName::Unit => ("Enhet", "Unit"),
            FieldName::Method => ("Metod", "Method"),
            FieldName::Stage => ("Steg", "Stage"),
            FieldName::Date => ("Datum", "Date"),
            FieldName::Note => ("Notering", "Note"),
            FieldName::Source => ("Källa", "Source"),
            FieldName::Name => ("Namn", "Name"),
            FieldName::ShortName => ("Kortnamn", "Short name"),
            FieldName::Kind => ("Typ", "Kind"),
            FieldName::Area => ("Område", "Area"),
            FieldName::Description => ("Beskrivning", "Description"),
            FieldName::TargetGroup => ("Målgrupp", "Target group"),
            FieldName::Origin => ("Ursprung", "Origin"),
            FieldName::Evidence => ("Evidens", "Evidence"),
            FieldName::EvidenceLink => ("Länk", "Link"),
            FieldName::Contact => ("Kontakt", "Contact"),
            FieldName::Code => ("Kod", "Code"),
            FieldName::Region => ("Region", "Region"),
            FieldName::ValidFrom => ("Gäller från", "Valid from"),
            FieldName::ValidTo => ("Gäller till", "Valid to"),
            FieldName::Successor => ("Efterträdare", "Successor"),
            FieldName::From => ("Från enheter", "From units"),
            FieldName::Into => ("Blir", "Into"),
            FieldName::On => ("Från och med", "On"),
            FieldName::Carry => ("För över", "Carry over"),
            FieldName::Due => ("Sista dag", "Due"),
            FieldName::Methods => ("Metoder", "Methods"),
            FieldName::Login => ("Inloggning", "Login"),
            FieldName::Role => ("Roll", "Role"),
            FieldName::Units => ("Enheter", "Units"),
            FieldName::Key => ("SSH-nyckel", "SSH key"),
        };
        lang.pick(sv, en)
    }

    /// Grey text shown while the field is empty, saying what to type.
    fn placeholder(self, lang: Lang) -> Option<&'static str> {
        match self {
            FieldName::Unit => Some(lang.pick(
                "kod eller namn, t.ex. VA eller Vantör",
                "code or name, e.g. VA or Vantör",
            )),
            FieldName::Method => Some(lang.pick(
                "namn eller kortnamn, t.ex. ASI",
                "name or short name, e.g. ASI",
            )),
            FieldName::Note => Some(lang.pick(
                "vad som hänt, flera rader går bra",
                "what happened; several lines are fine",
            )),
            FieldName::Source => Some(lang.pick(
                "dokument och avsnitt, eller diarienummer",
                "document and section, or diary number",
            )),
            FieldName::Stage
            | FieldName::Date
            | FieldName::Name
            | FieldName::ShortName
            | FieldName::Kind
            | FieldName::Area
            | FieldName::Description
            | FieldName::TargetGroup
            | FieldName::Origin
            | FieldName::Evidence
            | FieldName::EvidenceLink
            | FieldName::Contact
            | FieldName::Code
            | FieldName::Region
            | FieldName::ValidFrom
            | FieldName::ValidTo
            | FieldName::Successor
            | FieldName::On
            | FieldName::Carry
            | FieldName::Role
            | FieldName::Due => None,
            FieldName::Login => Some(lang.pick(
                "personens inloggning, t.ex. bertil",
                "the person's login, e.g. bertil",
            )),
            FieldName::Units => Some(lang.pick(
                "en medlems enheter, med komma: FA, SH",
                "a member's units, comma-separated: FA, SH",
            )),
            FieldName::Key => Some(lang.pick(
                "raden ur .pub-filen: ssh-ed25519 AAAA… namn@dator",
                "the line of the .pub file: ssh-ed25519 AAAA… name@machine",
            )),
            FieldName::Methods => Some(lang.pick(
                "fråga också om dessa, med komma: ASI, FUEL",
                "ask about these too, comma-separated: ASI, FUEL",
            )),
            FieldName::From => Some(lang.pick(
                "koder eller namn, med komma: RK, ST",
                "codes or names, comma-separated: RK, ST",
            )),
            FieldName::Into => Some(lang.pick(
                "befintlig enhet eller ny enhets namn; flera med komma vid delning",
                "an existing unit or a new unit's name; several, comma-separated, for a split",
            )),
        }
    }
}

/// How a field's value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// The field rule the store applies too (`domain::rules`).
    Text(&'static Rule),
    UnitCode,
    /// A day (`YYYY-MM-DD`) or nothing.
    Day,
    /// A day that must be given.
    RequiredDay,
    /// Names or codes of existing units, comma-separated.
    Units,
    /// A day or a month, as event dates are.
    EventDate,
    /// The name or code of a unit that exists; `optional` allows nothing.
    Unit {
        optional: bool,
    },
    /// The name or short name of a method that exists.
    Method,
    /// One of a fixed list.
    Choice(Choices),
    /// Names or codes of existing units, comma-separated, or nothing.
    UnitsOrNone,
    /// An SSH public key line, or nothing.
    Key,
}

/// The fixed lists a choice field cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choices {
    Stage,
    MethodKind,
    UnitKind,
    YesNo,
    Role,
}

impl Choices {
    /// The letter that picks each option, where the options have their own (`Stage::letter`).
    fn letters(self, lang: Lang) -> Vec<char> {
        match self {
            Choices::Stage => Stage::ALL.iter().map(|s| s.letter(lang)).collect(),
            _ => Vec::new(),
        }
    }

    /// (code, label) pairs.
    fn options(self, lang: Lang) -> Vec<(String, String)> {
        match self {
            Choices::Stage => Stage::ALL
                .iter()
                .map(|s| {
                    (
                        s.code().to_string(),
                        format!("{} {}", s.glyph(), s.label(lang)),
                    )
                })
                .collect(),
            Choices::MethodKind => MethodKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label(lang).to_string()))
                .collect(),
            Choices::UnitKind => UnitKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label(lang).to_string()))
                .collect(),
            Choices::Role => vec![
                (
                    "member".to_string(),
                    lang.pick("medlem", "member").to_string(),
                ),
                (
                    "coordinator".to_string(),
                    lang.pick("samordnare", "coordinator").to_string(),
                ),
                (
                    "viewer".to_string(),
                    lang.pick("läsare", "viewer").to_string(),
                ),
            ],
            Choices::YesNo => vec![
                (
                    "yes".to_string(),
                    lang.pick(
                        "ja, där alla föregångare är överens",
                        "yes, where every predecessor agrees",
                    )
                    .to_string(),
                ),
                ("no".to_string(), lang.pick("nej", "no").to_string()),
            ],
        }
    }
}

/// One field of a form: its name, whether it takes several lines, and its check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub name: FieldName,
    pub multiline: bool,
    pub check: Check,
}

const fn one(name: FieldName, check: Check) -> Spec {
    Spec {
        name,
        multiline: false,
        check,
    }
}

const fn many(name: FieldName, rule: &'static Rule) -> Spec {
    Spec {
        name,
        multiline: true,
        check: Check::Text(rule),
    }
}

const STAGE_FIELDS: &[Spec] = &[
    one(FieldName::Unit, Check::Unit { optional: false }),
    one(FieldName::Method, Check::Method),
    one(FieldName::Stage, Check::Choice(Choices::Stage)),
    one(FieldName::Date, Check::EventDate),
    many(FieldName::Note, &rules::NOTE),
    one(FieldName::Source, Check::Text(&rules::SOURCE)),
];

const METHOD_FIELDS: &[Spec] = &[
    one(FieldName::Name, Check::Text(&rules::METHOD_NAME)),
    one(FieldName::ShortName, Check::Text(&rules::SHORT_NAME)),
    one(FieldName::Kind, Check::Choice(Choices::MethodKind)),
    one(FieldName::Area, Check::Text(&rules::AREA)),
    many(FieldName::Description, &rules::DESCRIPTION),
    many(FieldName::TargetGroup, &rules::TARGET_GROUP),
    many(FieldName::Origin, &rules::ORIGIN),
    many(FieldName::Evidence, &rules::EVIDENCE),
    one(FieldName::EvidenceLink, Check::Text(&rules::EVIDENCE_LINK)),
    one(FieldName::Contact, Check::Text(&rules::CONTACT)),
];

const UNIT_FIELDS: &[Spec] = &[
    one(FieldName::Code, Check::UnitCode),
    one(FieldName::Name, Check::Text(&rules::UNIT_NAME)),
    one(FieldName::Kind, Check::Choice(Choices::UnitKind)),
    one(FieldName::Region, Check::Text(&rules::REGION)),
    one(FieldName::ValidFrom, Check::Day),
    one(FieldName::ValidTo, Check::Day),
    one(FieldName::Successor, Check::Unit { optional: true }),
];

const REORGANISE_FIELDS: &[Spec] = &[
    one(FieldName::From, Check::Units),
    one(FieldName::Into, Check::Text(&rules::UNIT_NAMES)),
    one(FieldName::Code, Check::Text(&rules::UNIT_CODES)),
    one(FieldName::Region, Check::Text(&rules::REGION)),
    one(FieldName::On, Check::RequiredDay),
    one(FieldName::Carry, Check::Choice(Choices::YesNo)),
];

const PERSON_FIELDS: &[Spec] = &[
    one(FieldName::Login, Check::Text(&rules::LOGIN)),
    one(FieldName::Role, Check::Choice(Choices::Role)),
    one(FieldName::Units, Check::UnitsOrNone),
    one(FieldName::Key, Check::Key),
];

const ROUND_FIELDS: &[Spec] = &[
    one(FieldName::Name, Check::Text(&rules::ROUND_NAME)),
    one(FieldName::Due, Check::RequiredDay),
    one(FieldName::Area, Check::Text(&rules::AREA)),
    one(FieldName::Methods, Check::Text(&rules::ROUND_METHODS)),
];

/// A form's values by field.
pub type Values = BTreeMap<FieldName, String>;

/// How a field is typed into: a text editor, or a choice among fixed values.
pub enum FieldInput {
    Text {
        area: Box<TextArea<'static>>,
        multiline: bool,
    },
    Choice {
        options: Vec<(String, String)>,
        index: usize,
        /// Per option, the letter that picks it (the stages'); empty: a letter picks the
        /// next option that begins with it.
        letters: Vec<char>,
    },
}

/// One field of a form: its name, label, what is typed and its error.
pub struct Field {
    pub name: FieldName,
    pub label: &'static str,
    pub hint: String,
    /// While a method or unit is typed and matches nothing exactly: what it may mean, the
    /// first highlighted (Tab or Enter takes it) — (value to fill in, name shown).
    pub candidates: Vec<(String, String)>,
    pub input: FieldInput,
    pub error: Option<String>,
}

impl Field {
    /// A text field holding `value`.
    pub fn text(name: FieldName, label: &'static str, value: &str, multiline: bool) -> Field {
        // What the database holds is cleaned again before it enters an editor that draws it.
        let value = if multiline {
            crate::domain::text::clean_text(value)
        } else {
            crate::domain::text::clean_line(value)
        };
        let lines: Vec<String> = if value.is_empty() {
            vec![String::new()]
        } else {
            value.lines().map(String::from).collect()
        };
        let mut area = TextArea::new(lines);
        if multiline {
            // Long texts (a description, a note) wrap at words in their box and open at
            // their start, so they are read from the beginning, not scrolled to the end.
            area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
            area.move_cursor(ratatui_textarea::CursorMove::Top);
            area.move_cursor(ratatui_textarea::CursorMove::Head);
        } else {
            area.move_cursor(ratatui_textarea::CursorMove::Bottom);
            area.move_cursor(ratatui_textarea::CursorMove::End);
        }
        Field {
            name,
            label,
            hint: String::new(),
            candidates: Vec::new(),
            input: FieldInput::Text {
                area: Box::new(area),
                multiline,
            },
            error: None,
        }
    }

    /// Grey text shown while the field is empty, saying what to type.
    pub fn placeholder(mut self, text: &str) -> Field {
        if let FieldInput::Text { area, .. } = &mut self.input {
            area.set_placeholder_text(text);
        }
        self
    }

    /// `options` are (code, label) pairs; `selected` a code; `letters` the letter that picks
    /// each option, or none.
    pub fn choice(
        name: FieldName,
        label: &'static str,
        options: Vec<(String, String)>,
        letters: Vec<char>,
        selected: &str,
    ) -> Field {
        let index = options
            .iter()
            .position(|(code, _)| code == selected)
            .unwrap_or(0);
        Field {
            name,
            label,
            hint: String::new(),
            candidates: Vec::new(),
            input: FieldInput::Choice {
                options,
                index,
                letters,
            },
            error: None,
        }
    }

    /// Replaces the field's content (a choice takes the option with this code, if any).
    pub fn set_value(&mut self, value: &str) {
        match &mut self.input {
            FieldInput::Text { area, multiline } => {
                area.clear();
                let clean = if *multiline {
                    crate::domain::text::clean_text(value)
                } else {
                    crate::domain::text::clean_line(value)
                };
                area.insert_str(clean);
            }
            FieldInput::Choice { options, index, .. } => {
                if let Some(i) = options.iter().position(|(code, _)| code == value) {
                    *index = i;
                }
            }
        }
    }

    /// What the field holds now.
    pub fn value(&self) -> String {
        match &self.input {
            FieldInput::Text { area, .. } => area.lines().join("\n"),
            FieldInput::Choice { options, index, .. } => options
                .get(*index)
                .map(|(code, _)| code.clone())
                .unwrap_or_default(),
        }
    }

    /// Whether the field takes several lines.
    pub fn is_multiline(&self) -> bool {
        matches!(
            self.input,
            FieldInput::Text {
                multiline: true,
                ..
            }
        )
    }

    /// Lines the field takes on screen.
    pub fn height(&self) -> u16 {
        if self.is_multiline() { 4 } else { 1 }
    }
}

/// A form being filled in: its kind, fields, focus and what it opened with.
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A problem with the whole form (e.g. the store refused the save).
    pub error: Option<String>,
    /// What the fields held when the form opened, to know whether anything was typed.
    initial: Vec<String>,
    /// "Drop the typed text?" is being asked.
    pub confirm_discard: bool,
    /// Someone else saved the record meanwhile: their values and version.
    pub conflict: Option<Conflict>,
}

/// Their side of a save conflict.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub theirs: Values,
    pub version: i64,
}

/// One field of a conflict as the person sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldVersions {
    pub name: FieldName,
    pub label: &'static str,
    pub original: String,
    pub theirs: String,
    pub mine: String,
}

impl FieldVersions {
    /// Both sides changed the field, differently.
    pub fn clashes(&self) -> bool {
        self.mine != self.original && self.theirs != self.original && self.mine != self.theirs
    }
}

/// The values a draft keeps, by field (names this version does not know are dropped).
pub fn draft_values(keyed: &BTreeMap<String, String>) -> Values {
    keyed
        .iter()
        .filter_map(|(k, v)| FieldName::from_key(k).map(|name| (name, v.clone())))
        .collect()
}

impl Form {
    /// The form of `kind` with its fields (`FormKind::fields`) holding `values`.
    pub fn build(kind: FormKind, lang: Lang, values: &Values) -> Form {
        let fields = kind
            .fields()
            .iter()
            .map(|spec| {
                let value = values.get(&spec.name).map(String::as_str).unwrap_or("");
                let label = spec.name.label(lang);
                match spec.check {
                    Check::Choice(choices) => Field::choice(
                        spec.name,
                        label,
                        choices.options(lang),
                        choices.letters(lang),
                        value,
                    ),
                    Check::Text(_)
                    | Check::UnitCode
                    | Check::Day
                    | Check::RequiredDay
                    | Check::Units
                    | Check::UnitsOrNone
                    | Check::Key
                    | Check::EventDate
                    | Check::Unit { .. }
                    | Check::Method => {
                        let field = Field::text(spec.name, label, value, spec.multiline);
                        match spec.name.placeholder(lang) {
                            Some(p) => field.placeholder(p),
                            None => field,
                        }
                    }
                }
            })
            .collect();
        let mut form = Form::new(kind, fields);
        // A form for something new opens on its first field that is not filled in, wherever
        // it was opened from, so typing blind never lands in a field that already holds
        // something (the date, say). An edit form — its record is filled in, optional fields
        // left empty on purpose — opens on its first field.
        let editing = matches!(
            kind,
            FormKind::EditMethod { .. } | FormKind::EditUnit { .. }
        );
        if !editing {
            form.focus = kind
                .fields()
                .iter()
                .position(|spec| values.get(&spec.name).is_none_or(|v| v.trim().is_empty()))
                .unwrap_or(0);
        }
        form
    }

    /// A form of `kind` with these fields, the first focused.
    pub fn new(kind: FormKind, fields: Vec<Field>) -> Form {
        let initial = fields.iter().map(Field::value).collect();
        Form {
            kind,
            fields,
            focus: 0,
            error: None,
            initial,
            confirm_discard: false,
            conflict: None,
        }
    }

    /// The fields that differ between the original, theirs and mine.
    pub fn conflict_fields(&self) -> Vec<FieldVersions> {
        let Some(c) = &self.conflict else {
            return Vec::new();
        };
        self.fields
            .iter()
            .zip(&self.initial)
            .map(|(f, original)| FieldVersions {
                name: f.name,
                label: f.label,
                original: original.clone(),
                theirs: c.theirs.get(&f.name).cloned().unwrap_or_default(),
                mine: f.value(),
            })
            .filter(|v| v.original != v.theirs || v.original != v.mine)
            .collect()
    }

    /// Resolves a conflict: the new starting point is theirs, and each field holds `pick`'s
    /// choice; a field whose other version differs shows it as a hint, so nothing is lost.
    pub fn resolve(&mut self, pick: impl Fn(&FieldVersions) -> bool, lang: Lang) {
        let versions = self.conflict_fields();
        let Some(c) = self.conflict.take() else {
            return;
        };
        let mut chosen = self.values();
        for v in &versions {
            let value = if pick(v) { &v.mine } else { &v.theirs };
            chosen.insert(v.name, value.clone());
        }
        self.restore(&c.theirs, &chosen);
        for v in &versions {
            let (label, other) = if pick(v) {
                (lang.pick("deras", "theirs"), &v.theirs)
            } else {
                (lang.pick("din", "yours"), &v.mine)
            };
            if let Some(f) = self.field_mut(v.name)
                && other != &f.value()
            {
                f.hint = format!("{label}: {}", other.lines().next().unwrap_or(""));
            }
        }
        self.kind = self.kind.at_version(c.version);
    }

    /// What the form opened with, by field.
    pub fn original(&self) -> Values {
        self.fields
            .iter()
            .map(|f| f.name)
            .zip(self.initial.iter().cloned())
            .collect()
    }

    /// What the fields hold now, by field.
    pub fn values(&self) -> Values {
        self.fields.iter().map(|f| (f.name, f.value())).collect()
    }

    /// Sets the fields to `original` and counts that as the form's starting point, then puts
    /// in `typed`: how a draft or a merge is brought back.
    pub fn restore(&mut self, original: &Values, typed: &Values) {
        for f in &mut self.fields {
            if let Some(v) = original.get(&f.name) {
                f.set_value(v);
            }
        }
        self.initial = self.fields.iter().map(Field::value).collect();
        for f in &mut self.fields {
            if let Some(v) = typed.get(&f.name) {
                f.set_value(v);
            }
        }
    }

    /// The unsaved text as a draft, if anything was typed.
    pub fn draft(&self) -> Option<Draft> {
        if !self.is_dirty() {
            return None;
        }
        let (target_id, version) = self.kind.target();
        let keyed = |values: Values| -> BTreeMap<String, String> {
            values.into_iter().map(|(k, v)| (k.key(), v)).collect()
        };
        Some(Draft {
            form: serde_json::to_string(&self.kind).ok()?,
            target_id,
            version,
            fields: keyed(self.values()),
            original: keyed(self.original()),
            saved_at: String::new(),
        })
    }

    /// The key-map contexts while this form has the keys.
    pub fn contexts(&self) -> Vec<super::keymap::Context> {
        use super::keymap::Context;
        if self.confirm_discard {
            vec![Context::Confirm]
        } else if self.conflict.is_some() {
            vec![Context::Conflict]
        } else {
            vec![Context::Form]
        }
    }

    /// Whether anything was typed since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(Field::value)
            .ne(self.initial.iter().cloned())
    }

    /// What field `name` holds now.
    pub fn get(&self, name: FieldName) -> String {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(Field::value)
            .unwrap_or_default()
    }

    /// The field `name`, to change.
    pub fn field_mut(&mut self, name: FieldName) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.name == name)
    }

    /// Sets (or clears) the error shown at field `name`.
    pub fn set_error(&mut self, name: FieldName, error: Option<String>) {
        if let Some(f) = self.field_mut(name) {
            f.error = error;
        }
    }

    /// Whether any field shows an error.
    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    /// Moves the focus to the next field.
    pub fn focus_next(&mut self) {
        let from = self.focus;
        self.focus = (self.focus + 1) % self.fields.len().max(1);
        self.refocus(from);
    }

    /// Moves the focus to the previous field.
    pub fn focus_prev(&mut self) {
        let from = self.focus;
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
        self.refocus(from);
    }

    /// A long text is read from its start while the focus is elsewhere; typing in it goes
    /// on at its end.
    fn refocus(&mut self, from: usize) {
        use ratatui_textarea::CursorMove;
        if let Some(Field {
            input:
                FieldInput::Text {
                    area,
                    multiline: true,
                },
            ..
        }) = self.fields.get_mut(from)
        {
            area.move_cursor(CursorMove::Top);
            area.move_cursor(CursorMove::Head);
        }
        if let Some(Field {
            input:
                FieldInput::Text {
                    area,
                    multiline: true,
                },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            area.move_cursor(CursorMove::Bottom);
            area.move_cursor(CursorMove::End);
        }
    }

    /// Tab or Enter on a field with candidates: the highlighted one fills it. Whether it did.
    pub fn take_candidate(&mut self) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return false;
        };
        let Some((value, _)) = field.candidates.first().cloned() else {
            return false;
        };
        field.set_value(&value);
        field.candidates.clear();
        true
    }

    /// Typing into the focused field. Enter in a one-line field moves on; ←/→ change a choice.
    pub fn input(&mut self, input: Input) {
        use ratatui_textarea::Key;
        if input.key == Key::Enter {
            self.take_candidate();
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut field.input {
            FieldInput::Choice {
                options,
                index,
                letters,
            } => {
                let n = options.len().max(1);
                match input.key {
                    Key::Left | Key::Up => *index = (*index + n - 1) % n,
                    Key::Right | Key::Down | Key::Char(' ') => *index = (*index + 1) % n,
                    Key::Enter => self.focus_next(),
                    // A stage by its own letter (`Stage::letter`).
                    Key::Char(c) if !letters.is_empty() => {
                        let wanted: String = c.to_lowercase().collect();
                        if let Some(i) = letters.iter().position(|l| wanted == l.to_string()) {
                            *index = i;
                        }
                    }
                    // Other choices: a letter picks the next option that begins with it, as
                    // in a list box.
                    Key::Char(c) => {
                        let wanted: String = c.to_lowercase().collect();
                        if let Some(next) = (1..=n).map(|step| (*index + step) % n).find(|&i| {
                            options.get(i).is_some_and(|(_, label)| {
                                // Past the stage's glyph: "◐ Pilot" begins with "p".
                                label
                                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                                    .to_lowercase()
                                    .starts_with(&wanted)
                            })
                        }) {
                            *index = next;
                        }
                    }
                    _ => {}
                }
            }
            FieldInput::Text { area, multiline } => {
                if input.key == Key::Enter && !*multiline {
                    self.focus_next();
                } else if let Key::Char(c) = input.key
                    && crate::domain::text::is_forbidden(c)
                {
                    // Control and invisible format characters never enter a field (typed
                    // one by one, as a paste without bracketed paste arrives).
                } else {
                    type_into(area, input);
                }
            }
        }
        if let Some(f) = self.fields.get_mut(self.focus) {
            f.error = None;
        }
        self.error = None;
    }

    /// Pasted text goes in cleaned of control characters (line breaks kept in notes).
    pub fn paste(&mut self, text: &str) {
        if let Some(Field {
            input: FieldInput::Text { area, multiline },
            ..
        }) = self.fields.get_mut(self.focus)
        {
            let clean = if *multiline {
                crate::domain::text::clean_text(text)
            } else {
                crate::domain::text::clean_line(text)
            };
            area.insert_str(clean);
        }
    }
}

/// A key typed into a text field, with the shells' line keys: Ctrl-U deletes back to the
/// start of the line (a one-line field is cleared), Ctrl-W the word before the cursor (the
/// text area's own), Ctrl-Z undoes. Every field, filter and dialog types through this.
pub fn type_into(area: &mut TextArea<'static>, input: impl Into<Input>) {
    use ratatui_textarea::Key;
    let input = input.into();
    match input {
        Input {
            key: Key::Char('u'),
            ctrl: true,
            alt: false,
            ..
        } => {
            area.delete_line_by_head();
        }
        Input {
            key: Key::Char('z'),
            ctrl: true,
            alt: false,
            ..
        } => {
            area.undo();
        }
        _ => {
            area.input(input);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui_textarea::Key;

    fn typed(c: char) -> Input {
        Input {
            key: Key::Char(c),
            ..Default::default()
        }
    }

    #[test]
    fn typing_makes_a_form_dirty_and_tab_moves_on() {
        let mut form = Form::new(
            FormKind::RecordStage,
            vec![
                Field::text(FieldName::Unit, "Enhet", "", false),
                Field::text(FieldName::Note, "Notering", "", true),
            ],
        );
        assert!(!form.is_dirty());
        form.input(typed('V'));
        form.input(typed('A'));
        assert_eq!(form.get(FieldName::Unit), "VA");
        assert!(form.is_dirty());
        form.input(Input {
            key: Key::Enter,
            ..Default::default()
        });
        assert_eq!(form.focus, 1, "Enter leaves a one-line field");
        form.input(typed('a'));
        form.input(Input {
            key: Key::Enter,
            ..Default::default()
        });
        form.input(typed('b'));
        for invisible in ['\u{ad}', '\u{200b}', '\u{2028}', '\u{e0041}', '\u{34f}'] {
            form.input(typed(invisible));
        }
        assert_eq!(
            form.get(FieldName::Note),
            "a\nb",
            "Enter is a line break in a note"
        );
    }

    #[test]
    fn choices_cycle_both_ways() {
        let options = vec![
            ("a".to_string(), "A".to_string()),
            ("b".to_string(), "B".to_string()),
        ];
        let mut form = Form::new(
            FormKind::NewUnit,
            vec![Field::choice(
                FieldName::Kind,
                "Typ",
                options,
                Vec::new(),
                "b",
            )],
        );
        assert_eq!(form.get(FieldName::Kind), "b");
        form.input(Input {
            key: Key::Right,
            ..Default::default()
        });
        assert_eq!(form.get(FieldName::Kind), "a");
        form.input(Input {
            key: Key::Left,
            ..Default::default()
        });
        assert_eq!(form.get(FieldName::Kind), "b");
    }

    #[test]
    fn pasted_escape_codes_are_dropped() {
        let mut form = Form::new(
            FormKind::RecordStage,
            vec![Field::text(FieldName::Note, "Notering", "", true)],
        );
        form.paste("a\x1b[2Jb\u{202e}c\nd");
        assert_eq!(form.get(FieldName::Note), "a[2Jbc\nd");
    }

    #[test]
    fn drafts_keep_the_form_kind_as_json_and_read_the_old_names_too() {
        let mut form = Form::build(
            FormKind::EditMethod { id: 7, version: 3 },
            Lang::En,
            &Values::new(),
        );
        form.field_mut(FieldName::Area)
            .unwrap()
            .set_value("missbruk");
        let draft = form.draft().expect("typed text makes a draft");
        assert_eq!(draft.form, r#"{"edit_method":{"id":7,"version":3}}"#);
        assert_eq!(
            draft.fields.get("area").map(String::as_str),
            Some("missbruk")
        );
        assert_eq!(
            FormKind::of_draft(&draft),
            Some(FormKind::EditMethod { id: 7, version: 3 })
        );
        let old = Draft {
            form: "edit_unit".into(),
            target_id: Some(4),
            version: Some(1),
            ..draft.clone()
        };
        assert_eq!(
            FormKind::of_draft(&old),
            Some(FormKind::EditUnit { id: 4, version: 1 })
        );
        let old = Draft {
            form: "record_stage".into(),
            target_id: None,
            version: None,
            ..draft
        };
        assert_eq!(FormKind::of_draft(&old), Some(FormKind::RecordStage));
        assert_eq!(
            draft_values(&old.fields)
                .get(&FieldName::Area)
                .map(String::as_str),
            Some("missbruk")
        );
    }
}
