//! Scrolling state of the tables and the matrix. Each holds only the window of rows on
//! screen; `App` fetches a new window from the store when the selection leaves it.

use std::collections::HashMap;

use crate::domain::{Stage, Unit};

/// A table showing `rows` = the rows `offset..offset + rows.len()` of `total`.
#[derive(Debug, Clone)]
pub struct ListView<T> {
    pub filter: String,
    /// The `/` filter is being typed.
    pub filtering: bool,
    pub selected: usize,
    pub offset: usize,
    pub total: usize,
    /// There are more matches than `total` (which is then a cap).
    pub capped: bool,
    pub rows: Vec<T>,
}

impl<T> Default for ListView<T> {
    fn default() -> Self {
        ListView {
            filter: String::new(),
            filtering: false,
            selected: 0,
            offset: 0,
            total: 0,
            capped: false,
            rows: Vec::new(),
        }
    }
}

impl<T> ListView<T> {
    pub fn selected_row(&self) -> Option<&T> {
        self.selected
            .checked_sub(self.offset)
            .and_then(|i| self.rows.get(i))
    }

    /// Moves the selection by `delta` rows, staying inside the table.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.total.saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    pub fn go_to(&mut self, index: usize) {
        self.selected = index.min(self.total.saturating_sub(1));
    }

    /// Keeps the selection inside the total and the window around the selection.
    pub fn settle(&mut self, height: usize) {
        let height = height.max(1);
        self.selected = self.selected.min(self.total.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        // No empty space below the last row when the list could fill the window.
        self.offset = self.offset.min(self.total.saturating_sub(height));
    }
}

/// The matrix: a window of methods (rows) against the units (columns), with a cursor cell.
#[derive(Debug, Clone, Default)]
pub struct MatrixView {
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
}

impl MatrixView {
    pub fn selected_method(&self) -> Option<&(i64, String, String)> {
        self.row
            .checked_sub(self.row_offset)
            .and_then(|i| self.methods.get(i))
    }

    pub fn selected_unit(&self) -> Option<&Unit> {
        self.units.get(self.col)
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_the_selection() {
        let mut list: ListView<()> = ListView {
            total: 100,
            ..Default::default()
        };
        list.move_by(15);
        list.settle(10);
        assert_eq!((list.selected, list.offset), (15, 6));
        list.move_by(-12);
        list.settle(10);
        assert_eq!((list.selected, list.offset), (3, 3));
        list.move_by(1000);
        list.settle(10);
        assert_eq!((list.selected, list.offset), (99, 90));
        list.total = 5;
        list.settle(10);
        assert_eq!(
            (list.selected, list.offset),
            (4, 0),
            "a shrinking list keeps a valid selection"
        );
    }

    #[test]
    fn an_empty_list_has_no_selected_row() {
        let mut list: ListView<u8> = ListView::default();
        list.move_by(3);
        list.settle(10);
        assert_eq!(list.selected_row(), None);
    }
}
