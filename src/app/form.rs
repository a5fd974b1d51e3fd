//! Form state: labelled fields, the focused one, and what is wrong with each. Text fields are
//! `ratatui-textarea` editors; a choice field cycles through a fixed list with ←/→.

use std::collections::BTreeMap;

use ratatui_textarea::{Input, TextArea};

use crate::store::Draft;

use crate::i18n::Lang;

/// What a form saves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    RecordStage,
    NewMethod,
    EditMethod { id: i64, version: i64 },
    NewUnit,
    EditUnit { id: i64, version: i64 },
}

impl FormKind {
    /// The same edit, based on another version of its record (after a conflict).
    pub fn at_version(self, version: i64) -> FormKind {
        match self {
            FormKind::EditMethod { id, .. } => FormKind::EditMethod { id, version },
            FormKind::EditUnit { id, .. } => FormKind::EditUnit { id, version },
            other => other,
        }
    }

    /// The form's name in a draft, and its record and version for edits.
    pub fn draft_key(self) -> (&'static str, Option<i64>, Option<i64>) {
        match self {
            FormKind::RecordStage => ("record_stage", None, None),
            FormKind::NewMethod => ("new_method", None, None),
            FormKind::EditMethod { id, version } => ("edit_method", Some(id), Some(version)),
            FormKind::NewUnit => ("new_unit", None, None),
            FormKind::EditUnit { id, version } => ("edit_unit", Some(id), Some(version)),
        }
    }

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            FormKind::RecordStage => lang.pick("Registrera steg", "Record a stage"),
            FormKind::NewMethod => lang.pick("Ny metod", "New method"),
            FormKind::EditMethod { .. } => lang.pick("Redigera metod", "Edit method"),
            FormKind::NewUnit => lang.pick("Ny enhet", "New unit"),
            FormKind::EditUnit { .. } => lang.pick("Redigera enhet", "Edit unit"),
        }
    }
}

/// The label of a form field, by its name (also for drafts, which keep names only).
pub fn field_label(name: &str, lang: Lang) -> &'static str {
    let (sv, en) = match name {
        "unit" => ("Enhet", "Unit"),
        "method" => ("Metod", "Method"),
        "stage" => ("Steg", "Stage"),
        "date" => ("Datum", "Date"),
        "note" => ("Notering", "Note"),
        "source" => ("Källa", "Source"),
        "name" => ("Namn", "Name"),
        "short_name" => ("Kortnamn", "Short name"),
        "kind" => ("Typ", "Kind"),
        "area" => ("Område", "Area"),
        "description" => ("Beskrivning", "Description"),
        "target_group" => ("Målgrupp", "Target group"),
        "origin" => ("Ursprung", "Origin"),
        "evidence" => ("Evidens", "Evidence"),
        "evidence_link" => ("Länk", "Link"),
        "contact" => ("Kontakt", "Contact"),
        "code" => ("Kod", "Code"),
        "region" => ("Region", "Region"),
        "valid_from" => ("Gäller från", "Valid from"),
        "valid_to" => ("Gäller till", "Valid to"),
        "successor" => ("Efterträdare", "Successor"),
        _ => ("Fält", "Field"),
    };
    lang.pick(sv, en)
}

pub enum FieldInput {
    Text {
        area: Box<TextArea<'static>>,
        multiline: bool,
    },
    Choice {
        options: Vec<(String, String)>,
        index: usize,
    },
}

pub struct Field {
    /// Stable name used by the code that reads the form.
    pub name: &'static str,
    pub label: &'static str,
    pub hint: String,
    pub input: FieldInput,
    pub error: Option<String>,
}

impl Field {
    pub fn text(name: &'static str, label: &'static str, value: &str, multiline: bool) -> Field {
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
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        Field {
            name,
            label,
            hint: String::new(),
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

    /// `options` are (code, label) pairs; `selected` a code.
    pub fn choice(
        name: &'static str,
        label: &'static str,
        options: Vec<(String, String)>,
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
            input: FieldInput::Choice { options, index },
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
            FieldInput::Choice { options, index } => {
                if let Some(i) = options.iter().position(|(code, _)| code == value) {
                    *index = i;
                }
            }
        }
    }

    pub fn value(&self) -> String {
        match &self.input {
            FieldInput::Text { area, .. } => area.lines().join("\n"),
            FieldInput::Choice { options, index } => options
                .get(*index)
                .map(|(code, _)| code.clone())
                .unwrap_or_default(),
        }
    }

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
    pub theirs: BTreeMap<String, String>,
    pub version: i64,
}

/// One field of a conflict as the person sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldVersions {
    pub name: &'static str,
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

impl Form {
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
                theirs: c.theirs.get(f.name).cloned().unwrap_or_default(),
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
            chosen.insert(v.name.to_string(), value.clone());
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

    /// What the form opened with, by field name.
    pub fn original(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|f| f.name.to_string())
            .zip(self.initial.iter().cloned())
            .collect()
    }

    /// What the fields hold now, by field name.
    pub fn values(&self) -> BTreeMap<String, String> {
        self.fields
            .iter()
            .map(|f| (f.name.to_string(), f.value()))
            .collect()
    }

    /// Sets the fields to `original` and counts that as the form's starting point, then puts
    /// in `typed`: how a draft or a merge is brought back.
    pub fn restore(
        &mut self,
        original: &BTreeMap<String, String>,
        typed: &BTreeMap<String, String>,
    ) {
        for f in &mut self.fields {
            if let Some(v) = original.get(f.name) {
                f.set_value(v);
            }
        }
        self.initial = self.fields.iter().map(Field::value).collect();
        for f in &mut self.fields {
            if let Some(v) = typed.get(f.name) {
                f.set_value(v);
            }
        }
    }

    /// The unsaved text as a draft, if anything was typed.
    pub fn draft(&self) -> Option<Draft> {
        if !self.is_dirty() {
            return None;
        }
        let (form, target_id, version) = self.kind.draft_key();
        Some(Draft {
            form: form.to_string(),
            target_id,
            version,
            fields: self.values(),
            original: self.original(),
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

    pub fn is_dirty(&self) -> bool {
        self.fields
            .iter()
            .map(Field::value)
            .ne(self.initial.iter().cloned())
    }

    pub fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(Field::value)
            .unwrap_or_default()
    }

    pub fn field_mut(&mut self, name: &str) -> Option<&mut Field> {
        self.fields.iter_mut().find(|f| f.name == name)
    }

    pub fn set_error(&mut self, name: &str, error: Option<String>) {
        if let Some(f) = self.field_mut(name) {
            f.error = error;
        }
    }

    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }

    pub fn focus_next(&mut self) {
        self.focus = (self.focus + 1) % self.fields.len().max(1);
    }

    pub fn focus_prev(&mut self) {
        let n = self.fields.len().max(1);
        self.focus = (self.focus + n - 1) % n;
    }

    /// Typing into the focused field. Enter in a one-line field moves on; ←/→ change a choice.
    pub fn input(&mut self, input: Input) {
        use ratatui_textarea::Key;
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut field.input {
            FieldInput::Choice { options, index } => {
                let n = options.len().max(1);
                match input.key {
                    Key::Left | Key::Up => *index = (*index + n - 1) % n,
                    Key::Right | Key::Down | Key::Char(' ') => *index = (*index + 1) % n,
                    Key::Enter => self.focus_next(),
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
                    area.input(input);
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
                Field::text("unit", "Enhet", "", false),
                Field::text("note", "Notering", "", true),
            ],
        );
        assert!(!form.is_dirty());
        form.input(typed('V'));
        form.input(typed('A'));
        assert_eq!(form.get("unit"), "VA");
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
        assert_eq!(form.get("note"), "a\nb", "Enter is a line break in a note");
    }

    #[test]
    fn choices_cycle_both_ways() {
        let options = vec![
            ("a".to_string(), "A".to_string()),
            ("b".to_string(), "B".to_string()),
        ];
        let mut form = Form::new(
            FormKind::NewUnit,
            vec![Field::choice("kind", "Typ", options, "b")],
        );
        assert_eq!(form.get("kind"), "b");
        form.input(Input {
            key: Key::Right,
            ..Default::default()
        });
        assert_eq!(form.get("kind"), "a");
        form.input(Input {
            key: Key::Left,
            ..Default::default()
        });
        assert_eq!(form.get("kind"), "b");
    }

    #[test]
    fn pasted_escape_codes_are_dropped() {
        let mut form = Form::new(
            FormKind::RecordStage,
            vec![Field::text("note", "Notering", "", true)],
        );
        form.paste("a\x1b[2Jb\u{202e}c\nd");
        assert_eq!(form.get("note"), "a[2Jbc\nd");
    }
}
