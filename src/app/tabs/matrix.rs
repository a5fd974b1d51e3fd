//! The Matrix tab: methods as rows against units as columns, a cursor cell, and the choice
//! between the units that exist today and all units. It holds only the visible window of
//! methods and the cells in view.

use std::collections::HashMap;

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::domain::{EventRow, Stage, Unit};
use crate::i18n::Lang;
use crate::store::{MatrixColumns, Moment, RolledCell, Store};
use crate::ui::layout;

#[derive(Debug, Clone, Default)]
pub struct MatrixTab {
    pub show_historical: bool,
    pub units: Vec<Unit>,
    /// (method id, label, full name) of the visible rows.
    pub methods: Vec<(i64, String, String)>,
    pub total_methods: usize,
    pub row: usize,
    pub row_offset: usize,
    pub col: usize,
    pub col_offset: usize,
    pub cells: HashMap<(i64, i64), Stage>,
    /// Roll-up (`R`): units with their predecessors' history folded in.
    pub roll_up: bool,
    pub rolled: HashMap<(i64, i64), RolledCell>,
}

impl MatrixTab {
    pub fn selected_method(&self) -> Option<&(i64, String, String)> {
        self.row
            .checked_sub(self.row_offset)
            .and_then(|i| self.methods.get(i))
    }

    pub fn selected_unit(&self) -> Option<&Unit> {
        self.units.get(self.col)
    }

    /// Keeps the cursor inside the matrix and the window around the cursor.
    pub fn settle(&mut self, rows: usize, cols: usize) {
        let (rows, cols) = (rows.max(1), cols.max(1));
        self.row = self.row.min(self.total_methods.saturating_sub(1));
        self.col = self.col.min(self.units.len().saturating_sub(1));
        if self.row < self.row_offset {
            self.row_offset = self.row;
        } else if self.row >= self.row_offset + rows {
            self.row_offset = self.row + 1 - rows;
        }
        self.row_offset = self.row_offset.min(self.total_methods.saturating_sub(rows));
        if self.col < self.col_offset {
            self.col_offset = self.col;
        } else if self.col >= self.col_offset + cols {
            self.col_offset = self.col + 1 - cols;
        }
        self.col_offset = self.col_offset.min(self.units.len().saturating_sub(cols));
    }
}

impl TabView for MatrixTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Matris", "Matrix")
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Matrix, Context::Browse]
    }

    fn act(&mut self, action: Action, page: usize) {
        let page = page as isize;
        match action {
            Action::Up => self.row = self.row.saturating_sub(1),
            Action::Down => self.row = self.row.saturating_add(1),
            Action::PageUp => self.row = self.row.saturating_add_signed(-page),
            Action::PageDown => self.row = self.row.saturating_add_signed(page),
            // The first row and column; the far corner (`settle` brings both in range).
            Action::Top => (self.row, self.col) = (0, 0),
            Action::Bottom => (self.row, self.col) = (usize::MAX / 2, usize::MAX / 2),
            Action::Left => self.col = self.col.saturating_sub(1),
            Action::Right => self.col = self.col.saturating_add(1),
            Action::ToggleHistoricalUnits => self.show_historical = !self.show_historical,
            Action::ToggleRollUp => self.roll_up = !self.roll_up,
            _ => {}
        }
    }

    fn type_filter(&mut self, _: &KeyEvent) -> bool {
        false
    }

    fn reload(&mut self, store: &Store, size: (u16, u16), moment: &Moment) -> Result<()> {
        let (rows, cols) = layout::matrix_window(size);
        self.units = store.matrix_units(if self.show_historical || moment.all_units {
            MatrixColumns::All
        } else {
            MatrixColumns::ValidOn(moment.day)
        })?;
        self.total_methods = store.method_count("")?;
        self.settle(rows, cols);
        self.methods = store.method_labels(self.row_offset, rows)?;
        let ids: Vec<i64> = self.methods.iter().map(|r| r.0).collect();
        let units: Vec<i64> = self
            .units
            .iter()
            .skip(self.col_offset)
            .take(cols)
            .map(|u| u.id)
            .collect();
        self.cells = store.matrix_window(&ids, &units, moment)?;
        self.rolled = if self.roll_up {
            store.matrix_window_rolled(&ids, &units, moment)?
        } else {
            HashMap::new()
        };
        Ok(())
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        if let Some(id) = self.selected_method().map(|m| m.0)
            && let Some(pos) = store.method_position("", id)?
        {
            self.row = pos;
        }
        Ok(())
    }

    /// The method of the cursor's row.
    fn open(&self, _: &Store) -> Result<Option<Target>> {
        Ok(self.edit_target())
    }

    /// The cursor cell: its method, its unit and the stage there now.
    fn record_context(&self) -> RecordContext {
        let method = self.selected_method();
        let unit = self.selected_unit();
        let stage = method
            .zip(unit)
            .and_then(|(m, u)| self.cells.get(&(m.0, u.id)).copied());
        RecordContext {
            method: method.map(|m| m.1.clone()).unwrap_or_default(),
            unit: unit.map(|u| u.code.clone()).unwrap_or_default(),
            stage,
        }
    }

    /// `n` is not a key of the matrix.
    fn new_record(&self) -> Option<NewRecord> {
        None
    }

    fn edit_target(&self) -> Option<Target> {
        self.selected_method().map(|m| Target::Method(m.0))
    }

    fn retract_target(&self) -> Option<&EventRow> {
        None
    }
}
