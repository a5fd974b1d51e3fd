//! The Rounds tab (Inventering): the open round (else the latest), as every unit's progress
//! (answered, total, changed, the last answer), and a unit's checklist — the questions it is
//! asked, with the stage now, when it was last heard and the answer so far. Members land on
//! their unit's checklist; coordinators and viewers on the progress, Enter opening a unit's
//! checklist and Esc going back.

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::app::lists::ListView;
use crate::domain::EventRow;
use crate::i18n::Lang;
use crate::layout;
use crate::store::{Changes, ChecklistRow, Moment, Round, Store, UnitProgress};

/// A unit whose checklist is shown: id, code and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistUnit {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// The Rounds tab's state.
#[derive(Default)]
pub struct RoundsTab {
    /// The open round, else the latest; none before the first.
    pub round: Option<Round>,
    /// Every unit's progress.
    pub status: ListView<UnitProgress>,
    /// The unit whose checklist is shown (none: the progress is).
    pub unit: Option<ChecklistUnit>,
    pub checklist: ListView<ChecklistRow>,
    /// The checklist's questions answered, and in all.
    pub answered: usize,
}

impl RoundsTab {
    /// Shows `unit`'s checklist (a member's landing; Enter on a unit's progress).
    pub fn show_unit(&mut self, store: &Store, unit: i64) -> Result<()> {
        let u = store.unit(unit)?;
        self.unit = Some(ChecklistUnit {
            id: u.id,
            code: u.code,
            name: u.name,
        });
        self.checklist = ListView::default();
        Ok(())
    }

    /// The checklist's selected question, if the checklist is shown.
    pub fn selected_question(&self) -> Option<&ChecklistRow> {
        self.unit.as_ref()?;
        self.checklist.selected_row()
    }

    /// Whether the round is open (answers are taken).
    pub fn is_open(&self) -> bool {
        self.round.as_ref().is_some_and(|r| r.closed_at.is_none())
    }

    fn list_mut_act(&mut self, action: Action, page: usize) {
        if self.unit.is_some() {
            self.checklist.act(action, page);
        } else {
            self.status.act(action, page);
        }
    }
}

impl TabView for RoundsTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Inventering", "Rounds")
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Rounds, Context::Browse]
    }

    fn act(&mut self, action: Action, page: usize) {
        match action {
            // Esc on a checklist: back to every unit's progress.
            Action::Cancel if self.unit.is_some() => self.unit = None,
            other => self.list_mut_act(other, page),
        }
    }

    fn type_filter(&mut self, _: &KeyEvent) -> bool {
        false
    }

    fn reload(&mut self, store: &Store, size: (u16, u16), _: &Moment) -> Result<()> {
        self.round = match store.open_round()? {
            Some(r) => Some(r),
            None => store.rounds()?.into_iter().next(),
        };
        let Some(round) = self.round.clone() else {
            self.status = ListView::default();
            self.checklist = ListView::default();
            return Ok(());
        };
        let height = layout::list_rows(size).saturating_sub(1);
        match &self.unit {
            Some(unit) => {
                let rows = store.round_checklist(round.id, unit.id)?;
                self.answered = rows.iter().filter(|r| r.answer.is_some()).count();
                self.checklist.refill(rows.len(), height, |offset, height| {
                    Ok(rows.into_iter().skip(offset).take(height).collect())
                })
            }
            None => {
                let rows = store.round_status(round.id)?;
                self.status.refill(rows.len(), height, |offset, height| {
                    Ok(rows.into_iter().skip(offset).take(height).collect())
                })
            }
        }
    }

    /// Rounds, and who answered what, are not all in the change log (a round started or
    /// closed is not): any commit fetches the tab again, which reads little.
    fn changed(&mut self, _: &Changes) -> bool {
        true
    }

    fn follow_selection(&mut self, _: &Store) -> Result<()> {
        // Questions and units keep their order while answers come in: the place is kept.
        Ok(())
    }

    /// Enter on a unit's progress: its checklist (opened by the app, which knows the store);
    /// on a question: the method.
    fn open(&self, _: &Store) -> Result<Option<Target>> {
        Ok(match &self.unit {
            Some(_) => self
                .checklist
                .selected_row()
                .map(|q| Target::Method(q.method_id)),
            None => self.status.selected_row().map(|p| Target::Unit(p.unit_id)),
        })
    }

    /// `s` on a question: its method, the unit, the stage now and the round as the source.
    fn record_context(&self) -> RecordContext {
        match (&self.unit, self.checklist.selected_row()) {
            (Some(unit), Some(q)) => RecordContext {
                method: q.label.clone(),
                unit: unit.code.clone(),
                stage: q.stage,
                source: self
                    .round
                    .as_ref()
                    .map(|r| r.name.clone())
                    .unwrap_or_default(),
            },
            (Some(unit), None) => RecordContext {
                unit: unit.code.clone(),
                ..RecordContext::default()
            },
            _ => RecordContext {
                unit: self
                    .status
                    .selected_row()
                    .map(|p| p.code.clone())
                    .unwrap_or_default(),
                ..RecordContext::default()
            },
        }
    }

    /// `n`: a new inventory round (coordinators).
    fn new_record(&self) -> Option<NewRecord> {
        Some(NewRecord::Round)
    }

    fn edit_target(&self) -> Option<Target> {
        None
    }

    fn retract_target(&self) -> Option<(&EventRow, bool)> {
        None
    }
}
