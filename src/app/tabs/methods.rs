//! The Methods tab: every method with the count of units at each current stage.

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::app::lists::ListView;
use crate::domain::{EventRow, MethodSummary};
use crate::i18n::Lang;
use crate::store::Store;
use crate::ui::layout;

#[derive(Default)]
pub struct MethodsTab {
    pub list: ListView<MethodSummary>,
}

impl TabView for MethodsTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Metoder", "Methods")
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
        l.total = store.method_count(&l.filter)?;
        l.settle(height);
        l.rows = store.method_summaries(&l.filter, l.offset, height)?;
        Ok(())
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        if let Some(id) = self.list.selected_row().map(|r| r.id)
            && let Some(pos) = store.method_position(&self.list.filter, id)?
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

    fn retract_target(&self) -> Option<&EventRow> {
        None
    }
}
