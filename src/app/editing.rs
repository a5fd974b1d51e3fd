//! Opening, checking and saving the forms (record a stage, add or edit a method or unit) and
//! retracting an event. Problems are shown at the field they concern.

use anyhow::Result;

use super::form::{Conflict, Field, Form, FormKind, field_label};
use super::tabs::{NewRecord, RecordContext, Target};
use super::{Action, App};
use crate::domain::text::{MAX_FIELD, MAX_NAME, MAX_NOTE, MAX_SHORT, MAX_SOURCE, check_len};
use crate::domain::{EventDate, MethodKind, NewEvent, Stage, UnitKind};
use crate::i18n::localize;
use crate::store::{ChangedMeanwhile, Draft, MethodInput, UnitInput};

impl App {
    /// The method, unit and stage the person is looking at, to fill in a new stage event.
    fn record_context(&self) -> RecordContext {
        match &self.detail {
            Some(detail) => detail.record_context(),
            None => self.tabs.get(self.tab).record_context(),
        }
    }

    pub(super) fn open_record_form(&mut self) -> Result<()> {
        let lang = self.lang;
        let RecordContext {
            method,
            mut unit,
            stage,
        } = self.record_context();
        // A member records for their own unit unless they are looking at another.
        if unit.is_empty()
            && self.access.role == crate::store::Role::Member
            && let Some(&id) = self.access.units.first()
        {
            unit = self.store.unit(id)?.code;
        }
        let stages = Stage::ALL
            .iter()
            .map(|s| {
                (
                    s.code().to_string(),
                    format!("{} {}", s.glyph(), s.label(lang)),
                )
            })
            .collect();
        let mut form = Form::new(
            FormKind::RecordStage,
            vec![
                Field::text("unit", field_label("unit", lang), &unit, false).placeholder(
                    lang.pick(
                        "kod eller namn, t.ex. VA eller Vantör",
                        "code or name, e.g. VA or Vantör",
                    ),
                ),
                Field::text("method", field_label("method", lang), &method, false).placeholder(
                    lang.pick(
                        "namn eller kortnamn, t.ex. ASI",
                        "name or short name, e.g. ASI",
                    ),
                ),
                Field::choice(
                    "stage",
                    field_label("stage", lang),
                    stages,
                    stage.unwrap_or(Stage::Exploring).code(),
                ),
                Field::text(
                    "date",
                    field_label("date", lang),
                    &EventDate::today().to_string(),
                    false,
                ),
                Field::text("note", field_label("note", lang), "", true).placeholder(lang.pick(
                    "vad som hänt, flera rader går bra",
                    "what happened; several lines are fine",
                )),
                Field::text("source", field_label("source", lang), "", false).placeholder(
                    lang.pick(
                        "dokument och avsnitt, eller diarienummer",
                        "document and section, or diary number",
                    ),
                ),
            ],
        );
        // Start where something is missing.
        form.focus = if unit.is_empty() {
            0
        } else if method.is_empty() {
            1
        } else {
            2
        };
        self.form = Some(form);
        self.after_form_input();
        Ok(())
    }

    /// Opens the form a draft came from, with the typed text back in it.
    pub(super) fn restore_draft(&mut self, draft: &Draft) -> Result<()> {
        let lang = self.lang;
        let id_version = draft.target_id.zip(draft.version);
        let mut form = match (draft.form.as_str(), id_version) {
            ("record_stage", _) => {
                self.open_record_form()?;
                self.form.take().ok_or_else(|| anyhow::anyhow!("no form"))?
            }
            ("new_method", _) => method_form(lang, FormKind::NewMethod, &MethodInput::default()),
            ("edit_method", Some((id, version))) => method_form(
                lang,
                FormKind::EditMethod { id, version },
                &MethodInput::default(),
            ),
            ("new_unit", _) => unit_form(lang, FormKind::NewUnit, &UnitInput::default()),
            ("edit_unit", Some((id, version))) => unit_form(
                lang,
                FormKind::EditUnit { id, version },
                &UnitInput::default(),
            ),
            (other, _) => anyhow::bail!("a draft of an unknown form '{other}'"),
        };
        form.restore(&draft.original, &draft.fields);
        self.form = Some(form);
        self.after_form_input();
        self.message = Some(
            lang.pick(
                "Utkastet är tillbaka; spara med Ctrl-S.",
                "Your draft is back; save with Ctrl-S.",
            )
            .into(),
        );
        Ok(())
    }

    pub(super) fn open_new_form(&mut self) -> Result<()> {
        let new = match &self.detail {
            Some(_) => None,
            None => self.tabs.get(self.tab).new_record(),
        };
        match new {
            Some(NewRecord::Unit) => {
                self.form = Some(unit_form(
                    self.lang,
                    FormKind::NewUnit,
                    &UnitInput::default(),
                ))
            }
            Some(NewRecord::Method) => {
                let input = MethodInput {
                    kind: MethodKind::WayOfWorking.code().into(),
                    ..Default::default()
                };
                self.form = Some(method_form(self.lang, FormKind::NewMethod, &input));
            }
            None => {}
        }
        Ok(())
    }

    pub(super) fn open_edit_form(&mut self) -> Result<()> {
        let target = match &self.detail {
            Some(detail) => Some(detail.target()),
            None => self.tabs.get(self.tab).edit_target(),
        };
        match target {
            Some(Target::Method(id)) => {
                let m = self.store.method(id)?;
                let kind = FormKind::EditMethod {
                    id,
                    version: m.version,
                };
                let input = MethodInput::from(m);
                self.form = Some(method_form(self.lang, kind, &input));
            }
            Some(Target::Unit(id)) => {
                let u = self.store.unit(id)?;
                let version = u.version;
                let input = UnitInput::from(u);
                let kind = FormKind::EditUnit { id, version };
                self.form = Some(unit_form(self.lang, kind, &input));
            }
            None => {}
        }
        Ok(())
    }

    pub(super) fn update_form(&mut self, action: Action) {
        let lang = self.lang;
        let Some(form) = &mut self.form else {
            return;
        };
        if form.conflict.is_some() {
            match action {
                Action::Overwrite => {
                    if let Some(c) = form.conflict.take() {
                        form.kind = form.kind.at_version(c.version);
                    }
                    self.save_form();
                }
                Action::TakeTheirs => form.resolve(|_| false, lang),
                // Mine where I changed a field, theirs everywhere else.
                Action::Merge => form.resolve(|v| v.mine != v.original, lang),
                Action::Cancel => form.conflict = None,
                Action::Quit => self.should_quit = true,
                _ => {}
            }
            return;
        }
        match action {
            Action::NextField => {
                self.check_form(false);
                if let Some(form) = &mut self.form {
                    form.focus_next();
                }
            }
            Action::PrevField => {
                self.check_form(false);
                if let Some(form) = &mut self.form {
                    form.focus_prev();
                }
            }
            Action::Save => self.save_form(),
            Action::Cancel if form.is_dirty() => form.confirm_discard = true,
            Action::Cancel | Action::Confirm => {
                self.form = None;
                self.message = Some(
                    self.lang
                        .pick("Inget sparades.", "Nothing was saved.")
                        .into(),
                );
                self.report(|app| app.forget_draft());
            }
            Action::Deny => form.confirm_discard = false,
            Action::Quit => self.should_quit = true,
            _ => {}
        }
    }

    /// Updates the hints under the unit and method fields as the person types.
    pub(super) fn after_form_input(&mut self) {
        let Some(form) = &self.form else {
            return;
        };
        if form.kind != FormKind::RecordStage {
            return;
        }
        let (unit, method) = (form.get("unit"), form.get("method"));
        let unit_hint = self
            .store
            .find_unit(&unit)
            .and_then(|(id, _)| self.store.unit(id));
        let method_hint = self
            .store
            .find_method(&method)
            .and_then(|(id, _)| self.store.method(id));
        if let Some(form) = &mut self.form {
            if let Some(f) = form.field_mut("unit") {
                f.hint = unit_hint.map(|u| u.name).unwrap_or_default();
            }
            if let Some(f) = form.field_mut("method") {
                f.hint = method_hint.map(|m| m.name).unwrap_or_default();
            }
        }
    }

    /// Checks every field and marks the wrong ones; `all` also reports empty required fields.
    fn check_form(&mut self, all: bool) -> bool {
        let lang = self.lang;
        let Some(form) = &self.form else {
            return false;
        };
        let mut errors: Vec<(&'static str, Option<String>)> = Vec::new();
        let value = |name: &str| form.get(name);
        let mut check = |name: &'static str, result: Result<(), String>| {
            if all || !value(name).trim().is_empty() {
                errors.push((name, result.err()));
            }
        };
        // Too-long messages name the field as its label says.
        let len = |_: &str, name: &str, max| check_len(field_label(name, lang), &value(name), max);
        match form.kind {
            FormKind::RecordStage => {
                check(
                    "unit",
                    self.store
                        .find_unit(&value("unit"))
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                );
                check(
                    "method",
                    self.store
                        .find_method(&value("method"))
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                );
                check("date", value("date").parse::<EventDate>().map(|_| ()));
                check("note", len("note", "note", MAX_NOTE));
                check("source", len("source", "source", MAX_SOURCE));
            }
            FormKind::NewMethod | FormKind::EditMethod { .. } => {
                let name = value("name");
                check(
                    "name",
                    if name.trim().is_empty() {
                        Err("method name is empty".into())
                    } else {
                        len("name", "name", MAX_NAME)
                    },
                );
                check("short_name", len("short name", "short_name", MAX_SHORT));
                check("area", len("area", "area", MAX_NAME));
                for f in [
                    "description",
                    "target_group",
                    "origin",
                    "evidence",
                    "evidence_link",
                    "contact",
                ] {
                    check(f, len(f, f, MAX_FIELD));
                }
            }
            FormKind::NewUnit | FormKind::EditUnit { .. } => {
                let code = value("code");
                let code_ok = (2..=4).contains(&code.trim().chars().count())
                    && code.trim().chars().all(|c| c.is_ascii_alphanumeric());
                check(
                    "code",
                    if code_ok {
                        Ok(())
                    } else {
                        Err(format!(
                            "unit code '{}' must be 2–4 letters or digits",
                            code.trim()
                        ))
                    },
                );
                let name = value("name");
                check(
                    "name",
                    if name.trim().is_empty() {
                        Err("unit name is empty".into())
                    } else {
                        len("name", "name", MAX_NAME)
                    },
                );
                check("region", len("region", "region", MAX_NAME));
                for f in ["valid_from", "valid_to"] {
                    let v = value(f);
                    check(
                        f,
                        if v.trim().is_empty() {
                            Ok(())
                        } else {
                            crate::domain::date::parse_day(&v).map(|_| ())
                        },
                    );
                }
                let successor = value("successor");
                if !successor.trim().is_empty() {
                    check(
                        "successor",
                        self.store
                            .find_unit(&successor)
                            .map(|_| ())
                            .map_err(|e| e.to_string()),
                    );
                }
            }
        }
        let Some(form) = &mut self.form else {
            return false;
        };
        for (name, error) in errors {
            form.set_error(name, error.map(|e| localize(&e, lang)));
        }
        !form.has_errors()
    }

    fn save_form(&mut self) {
        if !self.check_form(true) {
            if let Some(form) = &mut self.form {
                form.error = Some(
                    self.lang
                        .pick("Rätta de markerade fälten.", "Correct the marked fields.")
                        .into(),
                );
            }
            return;
        }
        let Some(form) = &self.form else {
            return;
        };
        let pending = match form.kind {
            FormKind::RecordStage => self.checked_event(form).map(Pending::Stage),
            FormKind::NewMethod => Ok(Pending::NewMethod(method_input(form))),
            FormKind::EditMethod { id, version } => {
                Ok(Pending::EditMethod(id, version, method_input(form)))
            }
            FormKind::NewUnit => unit_input(form).map(Pending::NewUnit),
            FormKind::EditUnit { id, version } => {
                unit_input(form).map(|u| Pending::EditUnit(id, version, u))
            }
        };
        let result = pending.and_then(|p| match p {
            Pending::Stage(event) => self.store.record_stage(&event).map(|_| ()),
            Pending::NewMethod(m) => self.store.add_method(&m).map(|_| ()),
            Pending::EditMethod(id, version, m) => self.store.update_method(id, version, &m),
            Pending::NewUnit(u) => self.store.add_unit(&u).map(|_| ()),
            Pending::EditUnit(id, version, u) => self.store.update_unit(id, version, &u),
        });
        match result {
            Ok(()) => {
                self.form = None;
                self.message = Some(self.lang.pick("Sparat.", "Saved.").into());
                self.report(|app| app.forget_draft());
                self.report(|app| app.reload());
            }
            Err(e) if e.downcast_ref::<ChangedMeanwhile>().is_some() => {
                self.report(|app| app.load_conflict());
            }
            Err(e) => {
                if let Some(form) = &mut self.form {
                    form.error = Some(localize(
                        &crate::domain::text::clean_line(&format!("{e:#}")),
                        self.lang,
                    ));
                }
            }
        }
    }

    /// Someone else saved the record being edited: fetch their version to show beside mine.
    fn load_conflict(&mut self) -> Result<()> {
        let lang = self.lang;
        let Some(kind) = self.form.as_ref().map(|f| f.kind) else {
            return Ok(());
        };
        let (theirs, version) = match kind {
            FormKind::EditMethod { id, .. } => {
                let m = self.store.method(id)?;
                let version = m.version;
                (
                    method_form(lang, kind, &MethodInput::from(m)).values(),
                    version,
                )
            }
            FormKind::EditUnit { id, .. } => {
                let u = self.store.unit(id)?;
                let version = u.version;
                (unit_form(lang, kind, &UnitInput::from(u)).values(), version)
            }
            _ => return Ok(()),
        };
        if let Some(form) = &mut self.form {
            form.conflict = Some(Conflict { theirs, version });
        }
        Ok(())
    }

    fn checked_event(&self, form: &Form) -> Result<NewEvent> {
        let (method_id, _) = self.store.find_method(&form.get("method"))?;
        let (unit_id, _) = self.store.find_unit(&form.get("unit"))?;
        let stage: Stage = form
            .get("stage")
            .parse()
            .map_err(|e: String| anyhow::anyhow!(e))?;
        let date: EventDate = form
            .get("date")
            .parse()
            .map_err(|e: String| anyhow::anyhow!(e))?;
        Ok(NewEvent {
            method_id,
            unit_id,
            stage,
            date,
            note: form.get("note"),
            source: form.get("source"),
        })
    }
}

/// A checked form, ready to be written.
enum Pending {
    Stage(NewEvent),
    NewMethod(MethodInput),
    EditMethod(i64, i64, MethodInput),
    NewUnit(UnitInput),
    EditUnit(i64, i64, UnitInput),
}

fn method_input(form: &Form) -> MethodInput {
    let opt = |name: &str| Some(form.get(name)).filter(|v| !v.trim().is_empty());
    MethodInput {
        name: form.get("name"),
        short_name: opt("short_name"),
        kind: form.get("kind"),
        area: form.get("area"),
        description: form.get("description"),
        target_group: opt("target_group"),
        origin: opt("origin"),
        evidence: opt("evidence"),
        evidence_link: opt("evidence_link"),
        contact: opt("contact"),
    }
}

fn unit_input(form: &Form) -> Result<UnitInput> {
    let day = |name: &str| -> Result<Option<chrono::NaiveDate>> {
        let v = form.get(name);
        if v.trim().is_empty() {
            Ok(None)
        } else {
            Ok(Some(
                crate::domain::date::parse_day(&v).map_err(|e| anyhow::anyhow!(e))?,
            ))
        }
    };
    Ok(UnitInput {
        code: form.get("code"),
        name: form.get("name"),
        kind: form.get("kind"),
        region: Some(form.get("region")),
        valid_from: day("valid_from")?,
        valid_to: day("valid_to")?,
        successor: Some(form.get("successor")),
    })
}

fn method_form(lang: crate::i18n::Lang, kind: FormKind, m: &MethodInput) -> Form {
    let kinds = MethodKind::ALL
        .iter()
        .map(|k| {
            let label = match k {
                MethodKind::Instrument => {
                    lang.pick("Bedömningsinstrument", "Assessment instrument")
                }
                MethodKind::Intervention => lang.pick("Insats", "Intervention"),
                MethodKind::WayOfWorking => lang.pick("Arbetssätt", "Way of working"),
            };
            (k.code().to_string(), label.to_string())
        })
        .collect();
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    Form::new(
        kind,
        vec![
            Field::text("name", field_label("name", lang), &m.name, false),
            Field::text(
                "short_name",
                field_label("short_name", lang),
                &o(&m.short_name),
                false,
            ),
            Field::choice("kind", field_label("kind", lang), kinds, &m.kind),
            Field::text("area", field_label("area", lang), &m.area, false),
            Field::text(
                "description",
                field_label("description", lang),
                &m.description,
                true,
            ),
            Field::text(
                "target_group",
                field_label("target_group", lang),
                &o(&m.target_group),
                false,
            ),
            Field::text("origin", field_label("origin", lang), &o(&m.origin), true),
            Field::text(
                "evidence",
                field_label("evidence", lang),
                &o(&m.evidence),
                true,
            ),
            Field::text(
                "evidence_link",
                field_label("evidence_link", lang),
                &o(&m.evidence_link),
                false,
            ),
            Field::text(
                "contact",
                field_label("contact", lang),
                &o(&m.contact),
                false,
            ),
        ],
    )
}

fn unit_form(lang: crate::i18n::Lang, kind: FormKind, u: &UnitInput) -> Form {
    let kinds = UnitKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), k.label(lang).to_string()))
        .collect();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let selected_kind = if u.kind.is_empty() {
        "district"
    } else {
        u.kind.as_str()
    };
    Form::new(
        kind,
        vec![
            Field::text("code", field_label("code", lang), &u.code, false),
            Field::text("name", field_label("name", lang), &u.name, false),
            Field::choice("kind", field_label("kind", lang), kinds, selected_kind),
            Field::text(
                "region",
                field_label("region", lang),
                &u.region.clone().unwrap_or_default(),
                false,
            ),
            Field::text(
                "valid_from",
                field_label("valid_from", lang),
                &day(u.valid_from),
                false,
            ),
            Field::text(
                "valid_to",
                field_label("valid_to", lang),
                &day(u.valid_to),
                false,
            ),
            Field::text(
                "successor",
                field_label("successor", lang),
                &u.successor.clone().unwrap_or_default(),
                false,
            ),
        ],
    )
}
