//! The Activity tab: every stage event, newest first, filtered as you type; the place to
//! retract a mistaken event.

use anyhow::Result;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::lists::ListView;
use crate::domain::EventRow;
use crate::i18n::Lang;
use crate::store::{Moment, Store};
use crate::ui::layout;

/// How many matches of an Activity filter are counted before the title says "1000+".
pub const ACTIVITY_CAP: usize = 1000;

#[derive(Default)]
pub struct ActivityTab {
    pub list: ListView<EventRow>,
}

impl TabView for ActivityTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Aktivitet", "Activity")
    }

    table_keys!();

    fn reload(&mut self, store: &Store, size: (u16, u16), _: &Moment) -> Result<()> {
        let filter = self.list.filter.clone();
        // A filter's matches are counted up to a cap: "1000+" rather than a full count.
        let n = store.activity_count(&filter, ACTIVITY_CAP + 1)?;
        self.list.capped = !filter.trim().is_empty() && n > ACTIVITY_CAP;
        let total = if self.list.capped { ACTIVITY_CAP } else { n };
        self.list
            .refill(total, layout::list_rows(size), |offset, height| {
                store.activity(&filter, offset, height)
            })
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        let filter = self.list.filter.clone();
        self.list
            .follow(|r| r.id, |id| store.activity_position(&filter, id))
    }

    /// The event's method.
    fn open(&self, store: &Store) -> Result<Option<Target>> {
        match self.list.selected_row() {
            Some(e) => Ok(Some(Target::Method(store.find_method(&e.method_name)?.0))),
            None => Ok(None),
        }
    }

    fn record_context(&self) -> RecordContext {
        self.list
            .selected_row()
            .map(|e| RecordContext {
                method: e.method.clone(),
                unit: e.unit.clone(),
                stage: Some(e.stage),
            })
            .unwrap_or_default()
    }

    fn new_record(&self) -> Option<NewRecord> {
        Some(NewRecord::Method)
    }

    fn edit_target(&self) -> Option<Target> {
        None
    }

    fn retract_target(&self) -> Option<&EventRow> {
        self.list.selected_row()
    }
}
