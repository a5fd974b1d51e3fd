//! A table's scrolling and filtering state, shared by the tabs that are tables (Methods,
//! Units, Spread, Activity). It holds only the window of rows on screen; the tab fetches a new window
//! from the store when the selection leaves it.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::keymap::Context;

/// A key typed into a filter's text (at most 80 characters, no control or forbidden
/// characters); whether it was text.
pub fn type_into(filter: &mut String, key: &KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Backspace => {
            filter.pop();
        }
        // As in a shell: Ctrl-U clears, Ctrl-W deletes the last word.
        KeyCode::Char('u') if ctrl => filter.clear(),
        KeyCode::Char('w') if ctrl => {
            let kept = filter.trim_end().len();
            let start = filter[..kept].rfind(' ').map_or(0, |at| at + 1);
            filter.truncate(start);
        }
        KeyCode::Char(c)
            if !crate::domain::text::is_forbidden(c)
                && !key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            if filter.chars().count() < 80 {
                filter.push(c);
            }
        }
        _ => return false,
    }
    true
}

/// A table showing `rows` = the rows `offset..offset + rows.len()` of `total`.
#[derive(Debug, Clone)]
pub struct ListView<T> {
    pub filter: String,
    /// The `/` filter is being typed.
    pub filtering: bool,
    /// `/` reopened a filter: its old text is selected, and the first key typed replaces it
    /// (as in a search field).
    pub replace_on_type: bool,
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
            replace_on_type: false,
            selected: 0,
            offset: 0,
            total: 0,
            capped: false,
            rows: Vec::new(),
        }
    }
}

impl<T> ListView<T> {
    /// The row the selection is on, if it is in the window fetched.
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

    /// The key-map contexts of a table: typing a filter, or browsing it.
    pub fn contexts(&self) -> Vec<Context> {
        if self.filtering {
            vec![Context::Filter]
        } else {
            vec![Context::List, Context::Browse]
        }
    }

    /// Moving in the table and the `/` filter; `page` rows make a page.
    pub fn act(&mut self, action: Action, page: usize) {
        let page = page as isize;
        match action {
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-page),
            Action::PageDown => self.move_by(page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.move_by(isize::MAX / 2),
            Action::Filter => {
                self.filtering = true;
                self.replace_on_type = !self.filter.is_empty();
            }
            Action::Confirm => {
                self.filtering = false;
                self.replace_on_type = false;
            }
            // Esc while typing, or on a list that is filtered: the whole list again.
            Action::Cancel => {
                self.filtering = false;
                self.replace_on_type = false;
                self.filter.clear();
            }
            _ => {}
        }
    }

    /// Typing in the `/` filter: the list narrows with every key. Whether the key was text.
    pub fn type_filter(&mut self, key: &KeyEvent) -> bool {
        if self.replace_on_type && matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace) {
            self.filter.clear();
            if key.code == KeyCode::Backspace {
                self.replace_on_type = false;
                self.selected = 0;
                return true;
            }
        }
        if !type_into(&mut self.filter, key) {
            return false;
        }
        self.replace_on_type = false;
        self.selected = 0;
        true
    }

    /// Takes a new total, settles the window on a table of `height` rows and fetches its rows
    /// (`fetch(offset, height)`).
    pub fn refill(
        &mut self,
        total: usize,
        height: usize,
        fetch: impl FnOnce(usize, usize) -> anyhow::Result<Vec<T>>,
    ) -> anyhow::Result<()> {
        self.total = total;
        self.settle(height);
        self.rows = fetch(self.offset, height)?;
        Ok(())
    }

    /// Moves the selection to where the selected record (`id` of a row) now stands, as
    /// `position` finds it.
    pub fn follow(
        &mut self,
        id: impl Fn(&T) -> i64,
        position: impl FnOnce(i64) -> anyhow::Result<Option<usize>>,
    ) -> anyhow::Result<()> {
        if let Some(id) = self.selected_row().map(id)
            && let Some(pos) = position(id)?
        {
            self.selected = pos;
        }
        Ok(())
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
