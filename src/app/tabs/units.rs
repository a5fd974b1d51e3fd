//! The Units tab: districts, central administrations and partners, with the count of methods
//! at each current stage.

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::app::lists::ListView;
use crate::domain::{EventRow, UnitSummary};
use crate::i18n::Lang;
use crate::store::Store;
use crate::ui::layout;

#[derive(Default)]
pub struct UnitsTab {
    pub list: ListView<UnitSummary>,
}

impl TabView for UnitsTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Enheter", "Units")
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
        l.total = store.unit_count(&l.filter)?;
        l.settle(height);
        l.rows = store.unit_summaries(&l.filter, l.offset, height)?;
        Ok(())
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        if let Some(id) = self.list.selected_row().map(|r| r.id)
            && let Some(pos) = store.unit_position(&self.list.filter, id)?
        {
            self.list.selected = pos;
        }
        Ok(())
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

    fn retract_target(&self) -> Option<&EventRow> {
        None
    }
}
