//! What the Rounds tab's keys do to the register: confirm a question (`c`, in `editing`),
//! change its stage (`s`: the record form with the round as its source), say it is no
//! longer in use (`d`: the form at discontinued, asking why), not used here (`u`), and
//! confirm everything not yet answered (`A`, after a yes). Also where a member lands when
//! their unit has questions left.

use anyhow::Result;

use super::App;
use super::popup::Popup;
use super::tabs::Tab;
use crate::domain::{Deed, Stage};
use crate::store::Answering;

impl App {
    /// The unit and method of the checklist's selected question, if a checklist is shown.
    fn question(&self) -> Option<(i64, i64, String)> {
        let tab = &self.tabs.rounds;
        let unit = tab.unit.as_ref()?;
        let q = tab.selected_question()?;
        Some((unit.id, q.method_id, unit.code.clone()))
    }

    /// Says why a round key does nothing here.
    fn not_on_a_question(&mut self) {
        self.message = Some(
            self.lang
                .pick(
                    "Välj en fråga i en enhets checklista (Inventering).",
                    "Select a question on a unit's checklist (Rounds).",
                )
                .into(),
        );
    }

    /// `d`: the record form at discontinued, the round as the source, on the note: why.
    pub(super) fn open_discontinue_form(&mut self) -> Result<()> {
        if self.question().is_none() {
            self.not_on_a_question();
            return Ok(());
        }
        self.open_record_form_with(Some(Stage::Discontinued))
    }

    /// `u`: a method the round named that the unit never used.
    pub(super) fn not_used_here(&mut self) -> Result<()> {
        let Some((unit, method, code)) = self.question() else {
            self.not_on_a_question();
            return Ok(());
        };
        self.refuse_other_unit(&code, Deed::AnswerRound)?;
        self.store.answer_round(unit, method, &Answering::NotUsed)?;
        self.message = Some(
            self.lang
                .pick("Svarat: används inte här.", "Answered: not used here.")
                .into(),
        );
        self.tabs.rounds.checklist.move_by(1);
        self.reload()
    }

    /// `A`: how many questions confirming everything would answer, asked before it is done.
    pub(super) fn ask_confirm_all(&mut self) -> Result<()> {
        let tab = &self.tabs.rounds;
        let (Some(unit), Some(round)) = (tab.unit.clone(), tab.round.clone()) else {
            self.not_on_a_question();
            return Ok(());
        };
        self.refuse_other_unit(&unit.code, Deed::AnswerRound)?;
        let open = self
            .store
            .round_checklist(round.id, unit.id)?
            .into_iter()
            .filter(|q| q.answer.is_none() && q.stage.is_some_and(|s| s != Stage::Discontinued))
            .count();
        if open == 0 {
            self.message = Some(
                self.lang
                    .pick(
                        "Inget obesvarat steg att bekräfta.",
                        "No unanswered stage to confirm.",
                    )
                    .into(),
            );
            return Ok(());
        }
        self.popup = Some(Popup::ConfirmAll {
            unit: unit.id,
            code: unit.code,
            count: open,
        });
        Ok(())
    }

    /// The yes of `A`: every unanswered stage confirmed as it stands, in one transaction.
    pub(super) fn confirm_all_now(&mut self, unit: i64) -> Result<()> {
        let n = self.store.confirm_all(unit)?;
        self.message = Some(format!(
            "{} {n} {}",
            self.lang.pick("Bekräftade", "Confirmed"),
            self.lang.pick("steg som de står", "stages as they stand")
        ));
        self.reload()
    }

    /// Opens the round the form describes: its name, due day, area and named methods.
    pub(super) fn start_round(&mut self, values: &crate::app::form::Values) -> Result<()> {
        use crate::app::form::FieldName;
        let get = |f: FieldName| values.get(&f).map(|v| v.trim()).unwrap_or("");
        let mut methods = Vec::new();
        for name in get(FieldName::Methods)
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            methods.push(self.store.find_method(name)?.0);
        }
        let due = crate::domain::date::parse_day(get(FieldName::Due))?;
        let area = Some(get(FieldName::Area).to_string()).filter(|a| !a.is_empty());
        self.store.start_round(&crate::store::NewRound {
            name: get(FieldName::Name).to_string(),
            due: Some(due),
            area,
            methods,
            units: Vec::new(),
        })?;
        self.tabs.rounds.unit = None;
        Ok(())
    }

    /// `X`: asks before the open round is closed (coordinators).
    pub(super) fn ask_close_round(&mut self) -> Result<()> {
        let Some(round) = self.store.open_round()? else {
            return Err(crate::domain::Problem::NoOpenRound.into());
        };
        self.popup = Some(Popup::CloseRound { name: round.name });
        Ok(())
    }

    /// The yes of `X`.
    pub(super) fn close_round_now(&mut self) -> Result<()> {
        let round = self.store.close_round()?;
        self.message = Some(format!(
            "{} {}",
            self.lang.pick("Avslutade", "Closed"),
            round.name
        ));
        self.reload()
    }

    /// Where a member lands: their first unit with questions left in the open round, its
    /// checklist, and a line saying how far they are. Returns whether they landed there.
    pub(super) fn land_on_checklist(&mut self) -> Result<bool> {
        let Some(round) = self.store.open_round()? else {
            return Ok(false);
        };
        let progress = self.store.round_status(round.id)?;
        let Some(mine) = progress
            .iter()
            .find(|p| self.access.units.contains(&p.unit_id) && p.answered < p.total)
        else {
            return Ok(false);
        };
        self.tab = Tab::Rounds;
        self.detail = None;
        self.tabs.rounds.show_unit(&self.store, mine.unit_id)?;
        self.message = Some(format!(
            "{} · {} · {} {} {} {} · {} {}",
            round.name,
            mine.name,
            mine.answered,
            self.lang.pick("av", "of"),
            mine.total,
            self.lang.pick("besvarade", "answered"),
            self.lang.pick("senast", "due"),
            round.due
        ));
        Ok(true)
    }
}
