//! The Units tab: districts, central administrations and partners, with the count of methods
//! at each current stage.

use anyhow::Result;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::lists::ListView;
use crate::domain::{EventRow, UnitSummary};
use crate::i18n::Lang;
use crate::layout;
use crate::store::{Changes, Moment, Store};

/// The Units tab's state: its list.
#[derive(Default)]
pub struct UnitsTab {
    pub list: ListView<UnitSummary>,
}

impl TabView for UnitsTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Enheter", "Units")
    }

    fn contexts(&self) -> Vec<crate::app::keymap::Context> {
        use crate::app::keymap::Context;
        match self.list.contexts().as_slice() {
            [Context::Filter] => vec![Context::Filter],
            _ => vec![Context::Units, Context::List, Context::Browse],
        }
    }

    fn act(&mut self, action: crate::app::action::Action, page: usize) {
        self.list.act(action, page);
    }

    fn type_filter(&mut self, key: &ratatui::crossterm::event::KeyEvent) -> bool {
        self.list.type_filter(key)
    }

    fn reload(&mut self, store: &Store, size: (u16, u16), moment: &Moment) -> Result<()> {
        let filter = self.list.filter.clone();
        self.list.refill(
            store.unit_count(&filter)?,
            layout::list_rows(size),
            |offset, height| store.unit_summaries(&filter, (offset, height), moment),
        )
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        let filter = self.list.filter.clone();
        self.list
            .follow(|r| r.id, |id| store.unit_position(&filter, id))
    }

    /// The list is in code order: only a change to a unit on screen (or to the methods and
    /// units themselves) changes what it shows.
    fn changed(&mut self, changes: &Changes) -> bool {
        changes.structure || self.list.rows.iter().any(|u| changes.touch_unit(u.id))
    }

    fn open(&self, _: &Store) -> Result<Option<Target>> {
        Ok(self.edit_target())
    }

    fn record_context(&self) -> RecordContext {
        RecordContext {
            unit: self
                .list
                .selected_row()
                .map(|u| u.code.clone())
                .unwrap_or_default(),
            ..RecordContext::default()
        }
    }

    fn new_record(&self) -> Option<NewRecord> {
        Some(NewRecord::Unit)
    }

    fn edit_target(&self) -> Option<Target> {
        self.list.selected_row().map(|u| Target::Unit(u.id))
    }

    fn retract_target(&self) -> Option<(&EventRow, bool)> {
        None
    }
}
