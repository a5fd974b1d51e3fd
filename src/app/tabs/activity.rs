//! The Activity tab: every stage event, newest first, filtered as you type; the place to
//! retract a mistaken event.

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::app::lists::ListView;
use crate::domain::EventRow;
use crate::i18n::Lang;
use crate::store::Store;
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

    fn contexts(&self) -> Vec<Context> {
        self.list.contexts()
    }

    fn act(&mut self, action: Action, page: usize) {
        self.list.act(action, page);
    }

    fn type_filter(&mut self, key: &KeyEvent) -> bool {
        self.list.type_filter(key)
    }

    fn reload(&mut self, store: &Store, size: (u16, u16)) -> Result<()> {
        let height = layout::list_rows(size);
        let l = &mut self.list;
        // A filter's matches are counted up to a cap: "1000+" rather than a full count.
        let n = store.activity_count(&l.filter, ACTIVITY_CAP + 1)?;
        l.capped = !l.filter.trim().is_empty() && n > ACTIVITY_CAP;
        l.total = if l.capped { ACTIVITY_CAP } else { n };
        l.settle(height);
        l.rows = store.activity(&l.filter, l.offset, height)?;
        Ok(())
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        if let Some(id) = self.list.selected_row().map(|r| r.id)
            && let Some(pos) = store.activity_position(&self.list.filter, id)?
        {
            self.list.selected = pos;
        }
        Ok(())
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
