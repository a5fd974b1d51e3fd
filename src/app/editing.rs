//! Opening, checking and saving the forms (record a stage, add or edit a method or unit,
//! reorganise units).
//! Each field is checked by its `Spec` (the same rules the store applies); problems are shown
//! at the field they concern, in the interface's language.

use anyhow::Result;

use super::form::{Check, Conflict, FieldName, Form, FormKind, Values, draft_values};
use super::tabs::{NewRecord, RecordContext, Target};
use super::{Action, App, Popup};
use crate::domain::date::parse_day;
use crate::domain::problem::Deed;
use crate::domain::problem::say;
use crate::domain::rules;
use crate::domain::{EventDate, MethodKind, NewEvent, Problem, Stage, UnitKind};
use crate::store::{Draft, MethodInput, Reorganisation, UnitInput};

impl App {
    /// The method, unit and stage the person is looking at, to fill in a new stage event.
    fn record_context(&self) -> RecordContext {
        match &self.detail {
            Some(detail) => detail.record_context(),
            None => self.tabs.get(self.tab).record_context(),
        }
    }

    /// For a member: an error, in the store's words, when `unit` (a code or name; empty: not
    /// chosen yet) is not one of theirs.
    pub(super) fn refuse_other_unit(&self, unit: &str, deed: Deed) -> Result<()> {
        if self.access.role != crate::store::Role::Member || unit.trim().is_empty() {
            return Ok(());
        }
        let Ok((id, code)) = self.store.find_unit(unit) else {
            return Ok(());
        };
        if self.access.units.contains(&id) {
            return Ok(());
        }
        Err(crate::domain::Problem::OtherUnits {
            login: self.access.login.clone(),
            code,
            deed,
            theirs: self.store.unit_codes(&self.access.units)?,
        }
        .into())
    }

    /// `c`: says that the selected cell's stage still holds today, at once (it can be
    /// retracted from Activity like an event).
    pub(super) fn confirm_here(&mut self) -> Result<()> {
        // On a unit's detail, its selected row; elsewhere what `s` would fill in.
        let RecordContext {
            method,
            unit,
            stage,
            ..
        } = match self.detail.as_ref().and_then(|d| d.selected_stage()) {
            Some(selected) => selected,
            None => self.record_context(),
        };
        let lang = self.lang;
        let Some(stage) = stage.filter(|_| !method.is_empty() && !unit.is_empty()) else {
            self.message = Some(
                lang.pick(
                    "Välj ett steg att bekräfta: en cell i Matrisen eller en rad i en enhets detaljvy.",
                    "Select a stage to confirm: a Matrix cell, or a row of a unit's detail.",
                )
                .into(),
            );
            return Ok(());
        };
        self.refuse_other_unit(&unit, Deed::Confirm)?;
        let (method_id, label) = self.store.find_method(&method)?;
        let (unit_id, code) = self.store.find_unit(&unit)?;
        let today = EventDate::today().first_day();
        self.store.confirm(&crate::domain::NewConfirmation {
            method_id,
            unit_id,
            date: today,
            note: String::new(),
        })?;
        self.message = Some(format!(
            "{}: {label} {code} {} {} {today}",
            lang.pick("Bekräftat", "Confirmed"),
            stage.label(lang),
            lang.pick("gäller", "holds on"),
        ));
        // On a checklist, on to the next question.
        if self.tab == crate::app::tabs::Tab::Rounds && self.detail.is_none() {
            self.tabs.rounds.checklist.move_by(1);
        }
        self.reload()
    }

    pub(super) fn open_record_form(&mut self) -> Result<()> {
        self.open_record_form_with(None)
    }

    /// The record form, filled from what is in view; with `stage`, at that stage (on the
    /// note: why) instead of the stage now.
    pub(super) fn open_record_form_with(&mut self, stage_wanted: Option<Stage>) -> Result<()> {
        let RecordContext {
            method,
            mut unit,
            stage,
            source,
        } = self.record_context();
        let stage = stage_wanted.or(stage);
        // A member records for their own unit unless they are looking at another.
        if unit.is_empty()
            && self.access.role == crate::store::Role::Member
            && let Some(&id) = self.access.units.first()
        {
            unit = self.store.unit(id)?.code;
        }
        // A member is told at once, not at Ctrl-S, that another unit is not theirs to record.
        self.refuse_other_unit(&unit, Deed::RecordStage)?;
        let values = Values::from([
            (FieldName::Unit, unit.clone()),
            (FieldName::Method, method.clone()),
            (
                FieldName::Stage,
                stage.map(|s| s.code().to_string()).unwrap_or_default(),
            ),
            (FieldName::Date, EventDate::today().to_string()),
            (FieldName::Source, source),
        ]);
        // It opens on the first field not filled in (see `Form::build`); changing a stage
        // on a round's checklist, on the stage (← → choose it, Ctrl-S saves: three keys).
        let mut form = Form::build(FormKind::RecordStage, self.lang, &values);
        if stage_wanted.is_none()
            && self.detail.is_none()
            && self.tab == crate::app::tabs::Tab::Rounds
            && let Some(at) = form.fields.iter().position(|f| f.name == FieldName::Stage)
        {
            form.focus = at;
        }
        self.form = Some(form);
        self.after_form_input();
        Ok(())
    }

    /// Opens the form a draft came from, with the typed text back in it.
    pub(super) fn restore_draft(&mut self, draft: &Draft) -> Result<()> {
        let lang = self.lang;
        let kind = FormKind::of_draft(draft)
            .ok_or_else(|| anyhow::anyhow!("a draft of an unknown form '{}'", draft.form))?;
        let mut form = Form::build(kind, lang, &Values::new());
        form.restore(&draft_values(&draft.original), &draft_values(&draft.fields));
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

    /// `o` on Units: the reorganisation form, dated today.
    pub(super) fn open_reorganise_form(&mut self) {
        let values = Values::from([(FieldName::On, chrono::Local::now().date_naive().to_string())]);
        self.form = Some(Form::build(FormKind::Reorganise, self.lang, &values));
    }

    pub(super) fn open_new_form(&mut self) -> Result<()> {
        let new = match &self.detail {
            Some(_) => None,
            None => self.tabs.get(self.tab).new_record(),
        };
        self.form = match new {
            Some(NewRecord::Unit) => {
                Some(Form::build(FormKind::NewUnit, self.lang, &Values::new()))
            }
            Some(NewRecord::Round) => {
                Some(Form::build(FormKind::StartRound, self.lang, &Values::new()))
            }
            Some(NewRecord::Method) => {
                let input = MethodInput {
                    kind: MethodKind::WayOfWorking,
                    ..Default::default()
                };
                Some(Form::build(
                    FormKind::NewMethod,
                    self.lang,
                    &method_values(&input),
                ))
            }
            None => None,
        };
        Ok(())
    }

    pub(super) fn open_edit_form(&mut self) -> Result<()> {
        let target = match &self.detail {
            Some(detail) => Some(detail.target()),
            None => self.tabs.get(self.tab).edit_target(),
        };
        if let Some(target) = target {
            let (kind, values) = self.current_values(target)?;
            self.form = Some(Form::build(kind, self.lang, &values));
        }
        Ok(())
    }

    /// The record as it is stored now: the edit form's kind (at its version) and values.
    fn current_values(&self, target: Target) -> Result<(FormKind, Values)> {
        Ok(match target {
            Target::Method(id) => {
                let m = self.store.method(id)?;
                let kind = FormKind::EditMethod {
                    id,
                    version: m.version,
                };
                (kind, method_values(&MethodInput::from(m)))
            }
            Target::Unit(id) => {
                let u = self.store.unit(id)?;
                let kind = FormKind::EditUnit {
                    id,
                    version: u.version,
                };
                (kind, unit_values(&UnitInput::from(u)))
            }
        })
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
                if let Some(form) = &mut self.form
                    && form.take_candidate()
                {
                    self.after_form_input();
                }
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
        let (unit, method) = (form.get(FieldName::Unit), form.get(FieldName::Method));
        let unit_hint = self
            .store
            .find_unit(&unit)
            .and_then(|(id, _)| self.store.unit(id));
        let method_hint = self
            .store
            .find_method(&method)
            .and_then(|(id, _)| self.store.method(id));
        // What was typed matches nothing exactly: candidates as it is typed (prefix first,
        // then a word, then anywhere, then by spelling).
        let unit_candidates = match &unit_hint {
            Ok(_) => Vec::new(),
            Err(_) => self.store.unit_candidates(&unit, 3).unwrap_or_default(),
        };
        let method_candidates = match &method_hint {
            Ok(_) => Vec::new(),
            Err(_) => self.store.method_candidates(&method, 3).unwrap_or_default(),
        };
        let lang = self.lang;
        let offer = |candidates: &[(String, String)]| -> String {
            let names: Vec<String> = candidates
                .iter()
                .map(|(value, name)| {
                    if value == name {
                        name.clone()
                    } else {
                        format!("{name} ({value})")
                    }
                })
                .collect();
            match names.split_first() {
                Some((first, rest)) => {
                    let mut s = format!("[{first}] {}", lang.pick("Tab tar den", "Tab takes it"));
                    if !rest.is_empty() {
                        s.push_str(&format!(" · {}", rest.join(" · ")));
                    }
                    s
                }
                None => String::new(),
            }
        };
        if let Some(form) = &mut self.form {
            if let Some(f) = form.field_mut(FieldName::Unit) {
                f.hint = match unit_hint {
                    Ok(u) => u.name,
                    Err(_) => offer(&unit_candidates),
                };
                f.candidates = unit_candidates;
            }
            if let Some(f) = form.field_mut(FieldName::Method) {
                f.hint = match method_hint {
                    Ok(m) => m.name,
                    Err(_) => offer(&method_candidates),
                };
                f.candidates = method_candidates;
            }
        }
    }

    /// What is wrong with one field's value, by its check (`None`: nothing).
    fn field_problem(&self, check: Check, value: &str) -> Option<String> {
        let lang = self.lang;
        let problem = |p: Problem| Some(p.text(lang));
        let empty = value.trim().is_empty();
        match check {
            Check::Text(rule) => rule.clean(value).err().and_then(problem),
            Check::UnitCode => rules::unit_code(value).err().and_then(problem),
            Check::Day if empty => None,
            Check::Day | Check::RequiredDay => parse_day(value).err().and_then(problem),
            Check::Units => value
                .split(',')
                .map(|u| self.store.find_unit(u).err())
                .find_map(|e| e.map(|e| say(&e, lang))),
            Check::UnitsOrNone if empty => None,
            Check::UnitsOrNone => self.field_problem(Check::Units, value),
            Check::Key if empty => None,
            Check::Key => crate::domain::ssh_key::PublicKey::parse(value)
                .err()
                .and_then(problem),
            Check::EventDate => value.parse::<EventDate>().err().and_then(problem),
            Check::Unit { optional: true } if empty => None,
            Check::Unit { .. } => self.store.find_unit(value).err().map(|e| say(&e, lang)),
            Check::Method => self.store.find_method(value).err().map(|e| say(&e, lang)),
            Check::Choice(_) => None,
        }
    }

    /// Checks the fields and marks the wrong ones; `all` also reports empty fields that must
    /// be filled in (before that, an empty field is not yet wrong).
    fn check_form(&mut self, all: bool) -> bool {
        let Some(form) = &self.form else {
            return false;
        };
        let errors: Vec<(FieldName, Option<String>)> = form
            .kind
            .fields()
            .iter()
            .filter_map(|spec| {
                let value = form.get(spec.name);
                (all || !value.trim().is_empty())
                    .then(|| (spec.name, self.field_problem(spec.check, &value)))
            })
            .collect();
        let Some(form) = &mut self.form else {
            return false;
        };
        for (name, error) in errors {
            form.set_error(name, error);
        }
        !form.has_errors()
    }

    fn save_form(&mut self) {
        if !self.check_form(true) {
            if let Some(form) = &mut self.form {
                // Focus (and a screen reader's cursor) goes to the first field with an error,
                // unless the field being typed in has one.
                let here = form
                    .fields
                    .get(form.focus)
                    .is_some_and(|f| f.error.is_some());
                if let Some(at) = form.fields.iter().position(|f| f.error.is_some())
                    && !here
                {
                    form.focus = at;
                }
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
        let result = match form.kind {
            FormKind::RecordStage => self
                .checked_event(form)
                .and_then(|event| self.store.record_stage(&event).map(|_| ())),
            FormKind::NewMethod => {
                method_input(form).and_then(|m| self.store.add_method(&m).map(|_| ()))
            }
            FormKind::EditMethod { id, version } => {
                method_input(form).and_then(|m| self.store.update_method(id, version, &m))
            }
            FormKind::NewUnit => unit_input(form).and_then(|u| self.store.add_unit(&u).map(|_| ())),
            FormKind::EditUnit { id, version } => {
                unit_input(form).and_then(|u| self.store.update_unit(id, version, &u))
            }
            FormKind::Reorganise => {
                let values = form.values();
                self.reorganise(&values)
            }
            FormKind::StartRound => {
                let values = form.values();
                self.start_round(&values)
            }
            FormKind::NewPerson => {
                let values = form.values();
                self.add_person(&values)
            }
        };
        match result {
            Ok(()) => {
                self.form = None;
                self.message = Some(self.lang.pick("Sparat.", "Saved.").into());
                self.report(|app| app.forget_draft());
                self.report(|app| app.reload());
            }
            Err(e)
                if matches!(
                    e.downcast_ref::<Problem>(),
                    Some(Problem::ChangedMeanwhile { .. })
                ) =>
            {
                self.report(|app| app.load_conflict());
            }
            Err(e) => {
                let mut message = say(&e, self.lang);
                // Access taken away while the form was open (the person removed, or made a
                // viewer, in another session): nothing typed is lost, it is kept as a draft
                // at once and offered the next time they have access.
                if matches!(
                    e.downcast_ref::<Problem>(),
                    Some(Problem::Unregistered { .. } | Problem::Viewer { .. })
                ) && self.keep_draft().is_ok()
                {
                    message.push_str(self.lang.pick(
                        " Det du skrev är sparat som utkast.",
                        " What you typed is kept as a draft.",
                    ));
                }
                // Every error at its field where it has one: the date for a future day or a
                // unit not yet (or no longer) there, the unit for another unit's member or a
                // role that may not record; the rest at the foot of the form.
                let field = match e.downcast_ref::<Problem>() {
                    Some(Problem::FutureDate { .. } | Problem::NotExisted(_)) => {
                        Some(FieldName::Date)
                    }
                    Some(
                        Problem::OtherUnits { .. }
                        | Problem::Viewer { .. }
                        | Problem::Unregistered { .. }
                        | Problem::Member { .. },
                    ) => Some(FieldName::Unit),
                    Some(Problem::Keys(_)) => Some(FieldName::Key),
                    Some(Problem::Users(
                        crate::domain::problem::Users::MemberNeedsUnit { .. }
                        | crate::domain::problem::Users::NoUnitsFor { .. },
                    )) => Some(FieldName::Units),
                    _ => None,
                };
                if let Some(form) = &mut self.form {
                    match field.and_then(|name| {
                        let at = form.fields.iter().position(|f| f.name == name)?;
                        Some((at, form.fields.get_mut(at)?))
                    }) {
                        Some((at, f)) => {
                            f.error = Some(message);
                            form.focus = at;
                        }
                        None => form.error = Some(message),
                    }
                }
            }
        }
    }

    /// The new-person form: the person registered with their role, units (a member's) and
    /// SSH key, in one write (the store checks it all again).
    fn add_person(&mut self, values: &Values) -> Result<()> {
        let get = |name| {
            values
                .get(&name)
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let units: Vec<String> = get(FieldName::Units)
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(String::from)
            .collect();
        let key = get(FieldName::Key);
        let keys = if key.is_empty() {
            Vec::new()
        } else {
            vec![crate::domain::ssh_key::PublicKey::parse(&key)?]
        };
        self.store
            .add_user_with_keys(&get(FieldName::Login), &get(FieldName::Role), &units, &keys)
    }

    /// Someone else saved the record being edited: fetch their version to show beside mine.
    fn load_conflict(&mut self) -> Result<()> {
        let target = match self.form.as_ref().map(|f| f.kind) {
            Some(FormKind::EditMethod { id, .. }) => Target::Method(id),
            Some(FormKind::EditUnit { id, .. }) => Target::Unit(id),
            Some(
                FormKind::RecordStage
                | FormKind::NewMethod
                | FormKind::NewUnit
                | FormKind::Reorganise
                | FormKind::StartRound
                | FormKind::NewPerson,
            )
            | None => {
                return Ok(());
            }
        };
        let (kind, theirs) = self.current_values(target)?;
        let (FormKind::EditMethod { version, .. } | FormKind::EditUnit { version, .. }) = kind
        else {
            return Ok(());
        };
        if let Some(form) = &mut self.form {
            form.conflict = Some(Conflict { theirs, version });
        }
        Ok(())
    }

    /// Saves a reorganisation and shows what it did: what closed, what took over, what was
    /// carried over and what is left to review.
    fn reorganise(&mut self, values: &Values) -> Result<()> {
        let get = |name| values.get(&name).cloned().unwrap_or_default();
        let list = |name| -> Vec<String> {
            get(name)
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let region = Some(get(FieldName::Region)).filter(|r| !r.trim().is_empty());
        let on = parse_day(&get(FieldName::On))?;
        let report = self.store.reorganise(&Reorganisation {
            from: list(FieldName::From),
            into: list(FieldName::Into),
            codes: list(FieldName::Code),
            region,
            on,
            carry: get(FieldName::Carry) == "yes",
        })?;
        let lang = self.lang;
        let successors: Vec<String> = report.successors.iter().map(|(c, _)| c.clone()).collect();
        let mut lines = vec![format!(
            "{} {}: {} → {}",
            lang.pick("Från och med", "On"),
            on,
            report.closed.join(", "),
            successors.join(", ")
        )];
        if get(FieldName::Carry) == "yes" {
            lines.push(format!(
                "{}: {}",
                lang.pick("Överförda händelser", "Events carried over"),
                report.carried
            ));
            lines.push(format!(
                "{}: {}",
                lang.pick("Att granska", "To review"),
                report.to_review.len()
            ));
            lines.extend(
                report
                    .to_review
                    .iter()
                    .map(|r| format!("  {}", r.describe(lang))),
            );
        }
        self.popup = Some(Popup::Report {
            title: FormKind::Reorganise.title(lang).to_string(),
            lines,
            scroll: 0,
        });
        Ok(())
    }

    fn checked_event(&self, form: &Form) -> Result<NewEvent> {
        let (method_id, _) = self.store.find_method(&form.get(FieldName::Method))?;
        let (unit_id, _) = self.store.find_unit(&form.get(FieldName::Unit))?;
        Ok(NewEvent {
            method_id,
            unit_id,
            stage: form.get(FieldName::Stage).parse()?,
            date: form.get(FieldName::Date).parse()?,
            note: form.get(FieldName::Note),
            source: form.get(FieldName::Source),
        })
    }
}

// A record's fields and the form's, both ways: the one place each record meets its form.

fn method_values(m: &MethodInput) -> Values {
    let o = |s: &Option<String>| s.clone().unwrap_or_default();
    Values::from([
        (FieldName::Name, m.name.clone()),
        (FieldName::ShortName, o(&m.short_name)),
        (FieldName::Kind, m.kind.code().to_string()),
        (FieldName::Area, m.area.clone()),
        (FieldName::Description, m.description.clone()),
        (FieldName::TargetGroup, o(&m.target_group)),
        (FieldName::Origin, o(&m.origin)),
        (FieldName::Evidence, o(&m.evidence)),
        (FieldName::EvidenceLink, o(&m.evidence_link)),
        (FieldName::Contact, o(&m.contact)),
    ])
}

fn method_input(form: &Form) -> Result<MethodInput> {
    let opt = |name| Some(form.get(name)).filter(|v| !v.trim().is_empty());
    Ok(MethodInput {
        name: form.get(FieldName::Name),
        short_name: opt(FieldName::ShortName),
        kind: MethodKind::parse(&form.get(FieldName::Kind)).map_err(anyhow::Error::msg)?,
        area: form.get(FieldName::Area),
        description: form.get(FieldName::Description),
        target_group: opt(FieldName::TargetGroup),
        origin: opt(FieldName::Origin),
        evidence: opt(FieldName::Evidence),
        evidence_link: opt(FieldName::EvidenceLink),
        contact: opt(FieldName::Contact),
        ..MethodInput::default()
    })
}

fn unit_values(u: &UnitInput) -> Values {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Values::from([
        (FieldName::Code, u.code.clone()),
        (FieldName::Name, u.name.clone()),
        (FieldName::Kind, u.kind.code().to_string()),
        (FieldName::Region, u.region.clone().unwrap_or_default()),
        (FieldName::ValidFrom, day(u.valid_from)),
        (FieldName::ValidTo, day(u.valid_to)),
        (
            FieldName::Successor,
            u.successor.clone().unwrap_or_default(),
        ),
    ])
}

fn unit_input(form: &Form) -> Result<UnitInput> {
    let day = |name| -> Result<Option<chrono::NaiveDate>> {
        let v = form.get(name);
        Ok(if v.trim().is_empty() {
            None
        } else {
            Some(parse_day(&v)?)
        })
    };
    Ok(UnitInput {
        code: form.get(FieldName::Code),
        name: form.get(FieldName::Name),
        kind: UnitKind::parse(&form.get(FieldName::Kind)).map_err(anyhow::Error::msg)?,
        region: Some(form.get(FieldName::Region)),
        valid_from: day(FieldName::ValidFrom)?,
        valid_to: day(FieldName::ValidTo)?,
        successor: Some(form.get(FieldName::Successor)),
        ..UnitInput::default()
    })
}
