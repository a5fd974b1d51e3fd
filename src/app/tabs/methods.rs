//! The Methods tab: every method with the count of units at each current stage.

use anyhow::Result;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::lists::ListView;
use crate::domain::{EventRow, MethodSummary};
use crate::i18n::Lang;
use crate::layout;
use crate::store::{Changes, Moment, Store};

/// The Methods tab's state: its list.
#[derive(Default)]
pub struct MethodsTab {
    pub list: ListView<MethodSummary>,
}

impl TabView for MethodsTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Metoder", "Methods")
    }

    table_keys!();

    fn reload(&mut self, store: &Store, size: (u16, u16), moment: &Moment) -> Result<()> {
        let filter = self.list.filter.clone();
        self.list.refill(
            store.method_count(&filter)?,
            layout::list_rows(size),
            |offset, height| store.method_summaries(&filter, (offset, height), moment),
        )
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        let filter = self.list.filter.clone();
        self.list
            .follow(|r| r.id, |id| store.method_position(&filter, id))
    }

    /// The list is in name order: only a change to a method on screen (or to the methods
    /// and units themselves) changes what it shows.
    fn changed(&mut self, changes: &Changes) -> bool {
        changes.structure || self.list.rows.iter().any(|m| changes.touch_method(m.id))
    }

    fn open(&self, _: &Store) -> Result<Option<Target>> {
        Ok(self.edit_target())
    }

    fn record_context(&self) -> RecordContext {
        RecordContext {
            method: self
                .list
                .selected_row()
                .map(|m| m.short_name.clone().unwrap_or_else(|| m.name.clone()))
                .unwrap_or_default(),
            ..RecordContext::default()
        }
    }

    fn new_record(&self) -> Option<NewRecord> {
        Some(NewRecord::Method)
    }

    fn edit_target(&self) -> Option<Target> {
        self.list.selected_row().map(|m| Target::Method(m.id))
    }

    fn retract_target(&self) -> Option<(&EventRow, bool)> {
        None
    }
}
