//! The Matrix tab: methods as rows against units as columns, a cursor cell, and the choice
//! between the units that exist today and all units. It holds only the visible window of
//! methods and the cells in view, with their totals: per visible method, its units per stage
//! over all the columns; per visible unit, its methods in use over all the rows.
//!
//! For reviewing, `f` (or `/`) filters (words, `area:`, `region:`, `stage:`; see
//! `domain::matrix_filter`) and `o` sorts the methods by spread (units in use among the
//! columns, most first). A filter or that sort needs every method's row, so the ordered list
//! is computed once and kept until the filter, the sort, the day or the columns change.

use crate::domain::{CellStage, MethodLabel, StageCounts};
use std::collections::HashMap;

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::app::lists::type_into;
use crate::domain::{EventRow, MatrixFilter, Stage, Unit};
use crate::i18n::Lang;
use crate::layout;
use crate::store::{CellAge, Changes, CountPer, MatrixColumns, Moment, RolledCell, Store};

/// The Matrix tab's state: its window of methods and units, cells, totals and filter.
#[derive(Debug, Clone, Default)]
pub struct MatrixTab {
    pub show_historical: bool,
    pub units: Vec<Unit>,
    /// (method id, label, full name) of the visible rows.
    pub methods: Vec<MethodLabel>,
    pub total_methods: usize,
    pub row: usize,
    pub row_offset: usize,
    pub col: usize,
    pub col_offset: usize,
    pub cells: HashMap<(i64, i64), CellStage>,
    /// Roll-up (`R`): units with their predecessors' history folded in.
    pub roll_up: bool,
    pub rolled: HashMap<(i64, i64), RolledCell>,
    /// In current only: the stale cells of the window left out.
    pub left_out: usize,
    /// The filter's text, and whether it is being typed.
    pub filter: String,
    pub filtering: bool,
    /// `o`: methods by spread (units in use among the columns), most first.
    pub by_spread: bool,
    /// Every row in order under a filter or the sort, and what it was computed for.
    ordered: Option<(OrderKey, Vec<MatrixRow>)>,
    /// Per visible method: units per stage over all the columns.
    pub row_totals: HashMap<i64, StageCounts>,
    /// Per visible unit: methods in use over all the rows.
    pub column_totals: HashMap<i64, u32>,
    /// The cursor cell's own stage, the date it took effect and when it was last heard (for
    /// `--a11y`'s reading line).
    pub cursor_since: Option<CellAge>,
    /// A unit whose column the cursor starts on (a member's own), taken on the next reload.
    pub start_on_unit: Option<i64>,
    /// The method to keep selected when the ordered list is next computed.
    keep: Option<i64>,
    /// Totals computed so far for what they were computed against: scrolling then counts
    /// only the rows and columns that come into view.
    row_cache: Option<(TotalsKey, HashMap<i64, StageCounts>)>,
    column_cache: Option<(TotalsKey, HashMap<i64, u32>)>,
    /// Other processes' changes dropped the totals they touched: what is left of the caches
    /// holds for this register state (`Changes::at`), which the next count takes over.
    carried: Option<(i64, u64)>,
}

/// What totals depend on: the register's state, the day, the columns and the filter.
#[derive(Debug, Clone, PartialEq)]
struct TotalsKey {
    generation: (i64, u64),
    moment: Moment,
    units: Vec<i64>,
    filter: MatrixFilter,
}

/// A method row.
type MatrixRow = MethodLabel;

/// What an ordered list of rows depends on.
#[derive(Debug, Clone, PartialEq)]
struct OrderKey {
    generation: (i64, u64),
    filter: MatrixFilter,
    by_spread: bool,
    moment: Moment,
    units: Vec<i64>,
}

impl MatrixTab {
    /// The method the cursor's row is on.
    pub fn selected_method(&self) -> Option<&MethodLabel> {
        self.row
            .checked_sub(self.row_offset)
            .and_then(|i| self.methods.get(i))
    }

    /// The unit the cursor's column is on.
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

impl MatrixTab {
    /// The window of method rows: in name order straight from the store, or under a filter
    /// or the sort from the ordered list (computed once for what it depends on). Settles the
    /// cursor and the window on a matrix of `rows` × `cols`.
    fn fetch_rows(
        &mut self,
        store: &Store,
        filter: &MatrixFilter,
        moment: &Moment,
        unit_ids: &[i64],
        (rows, cols): (usize, usize),
    ) -> Result<()> {
        let plain = filter.words.is_empty()
            && filter.area.is_none()
            && filter.stage.is_none()
            && !self.by_spread;
        if plain {
            self.ordered = None;
            self.total_methods = store.method_count("")?;
            self.settle(rows, cols);
            self.methods = store.method_labels(self.row_offset, rows)?;
            return Ok(());
        }
        let key = OrderKey {
            generation: store.generation()?,
            filter: filter.clone(),
            by_spread: self.by_spread,
            moment: *moment,
            units: unit_ids.to_vec(),
        };
        if self.ordered.as_ref().is_none_or(|(k, _)| *k != key) {
            let list = ordered_rows(store, filter, self.by_spread, moment, unit_ids)?;
            if let Some(pos) = self
                .keep
                .take()
                .and_then(|id| list.iter().position(|r| r.id == id))
            {
                self.row = pos;
            }
            self.ordered = Some((key, list));
        }
        self.total_methods = self.ordered.as_ref().map_or(0, |(_, l)| l.len());
        self.settle(rows, cols);
        self.methods = self
            .ordered
            .as_ref()
            .map(|(_, l)| l.iter().skip(self.row_offset).take(rows).cloned().collect())
            .unwrap_or_default();
        Ok(())
    }

    /// The totals: the visible methods (`ids`) over every column, the visible units (`units`)
    /// over every row (every method, or those the filter keeps); kept while nothing they
    /// depend on (`key`) changes, so only rows and columns new in view are counted.
    fn count_totals(
        &mut self,
        store: &Store,
        key: TotalsKey,
        ids: &[i64],
        units: &[i64],
    ) -> Result<()> {
        let moment = key.moment;
        if let Some(at) = self.carried.take()
            && at == key.generation
        {
            for k in [
                self.row_cache.as_mut().map(|c| &mut c.0),
                self.column_cache.as_mut().map(|c| &mut c.0),
            ]
            .into_iter()
            .flatten()
            {
                k.generation = at;
            }
        }
        if self.row_cache.as_ref().is_none_or(|(k, _)| *k != key) {
            self.row_cache = Some((key.clone(), HashMap::new()));
        }
        if self.column_cache.as_ref().is_none_or(|(k, _)| *k != key) {
            self.column_cache = Some((key.clone(), HashMap::new()));
        }
        if let Some((_, rows)) = &mut self.row_cache {
            let missing: Vec<i64> = ids
                .iter()
                .copied()
                .filter(|id| !rows.contains_key(id))
                .collect();
            if !missing.is_empty() {
                let mut counted =
                    store.matrix_counts(CountPer::Method, Some(&missing), &key.units, &moment)?;
                for id in missing {
                    rows.insert(id, counted.remove(&id).unwrap_or_default());
                }
            }
            self.row_totals = ids
                .iter()
                .map(|id| (*id, rows.get(id).copied().unwrap_or_default()))
                .collect();
        }
        if let Some((_, columns)) = &mut self.column_cache {
            let missing: Vec<i64> = units
                .iter()
                .copied()
                .filter(|id| !columns.contains_key(id))
                .collect();
            if !missing.is_empty() {
                let kept: Option<Vec<i64>> = self
                    .ordered
                    .as_ref()
                    .map(|(_, list)| list.iter().map(|r| r.id).collect());
                let mut counted =
                    store.matrix_counts(CountPer::Unit, kept.as_deref(), &missing, &moment)?;
                for id in missing {
                    columns.insert(id, counted.remove(&id).unwrap_or_default().in_use());
                }
            }
            self.column_totals = units
                .iter()
                .map(|id| (*id, columns.get(id).copied().unwrap_or_default()))
                .collect();
        }
        Ok(())
    }
}

impl TabView for MatrixTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Matris", "Matrix")
    }

    fn contexts(&self) -> Vec<Context> {
        if self.filtering {
            vec![Context::Filter]
        } else {
            vec![Context::Matrix, Context::Browse]
        }
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
            Action::Filter => self.filtering = true,
            Action::Confirm => self.filtering = false,
            Action::Cancel => {
                self.filtering = false;
                self.filter.clear();
                self.row = 0;
            }
            Action::SortNext => {
                self.by_spread = !self.by_spread;
                self.row = 0;
            }
            _ => {}
        }
    }

    fn type_filter(&mut self, key: &KeyEvent) -> bool {
        let typed = type_into(&mut self.filter, key);
        if typed {
            self.row = 0;
        }
        typed
    }

    fn reload(&mut self, store: &Store, size: (u16, u16), moment: &Moment) -> Result<()> {
        let (rows, cols) = layout::matrix_window(size);
        let filter = MatrixFilter::parse(&self.filter)?;
        self.units = store.matrix_units_in(
            if self.show_historical || moment.all_units {
                MatrixColumns::All
            } else {
                MatrixColumns::ValidOn(moment.day)
            },
            filter.region.as_deref(),
        )?;
        if let Some(id) = self.start_on_unit.take()
            && let Some(at) = self.units.iter().position(|u| u.id == id)
        {
            self.col = at;
        }
        let unit_ids: Vec<i64> = self.units.iter().map(|u| u.id).collect();
        self.fetch_rows(store, &filter, moment, &unit_ids, (rows, cols))?;
        let ids: Vec<i64> = self.methods.iter().map(|r| r.id).collect();
        let units: Vec<i64> = self
            .units
            .iter()
            .skip(self.col_offset)
            .take(cols)
            .map(|u| u.id)
            .collect();
        // Read as last known; in current only the stale cells are then left out here, and
        // counted for the title. (Rolled up, the store leaves them out before rolling, so a
        // unit falls back on a predecessor's fresh stage.)
        let known = Moment {
            current_only: false,
            ..*moment
        };
        self.cells = store.matrix_window(&ids, &units, &known)?;
        let before = self.cells.len();
        if moment.current_only {
            self.cells.retain(|_, c| !c.stale);
        }
        self.left_out = before - self.cells.len();
        self.rolled = if !self.roll_up {
            HashMap::new()
        } else if moment.current_only {
            store.matrix_window_rolled(&ids, &units, moment)?
        } else {
            // Last known: the window's own cells just read are the rolled-up window's own.
            store.matrix_window_rolled_over(self.cells.clone(), &ids, &units, moment)?
        };
        // The cursor cell's own stage and since when, for the line read out in words.
        self.cursor_since = match (self.selected_method(), self.selected_unit()) {
            (Some(m), Some(u)) => store.cell_since(m.id, u.id, moment)?,
            _ => None,
        };
        let key = TotalsKey {
            generation: store.generation()?,
            moment: *moment,
            units: unit_ids,
            filter,
        };
        self.count_totals(store, key, &ids, &units)
    }

    /// A cell, a row's total or a column's total changes only with its method or unit: the
    /// totals kept for other rows and columns stay (scrolling does not count them again),
    /// and the window is fetched again only when a change is in it. Under a filter or the
    /// sort by spread, any change may move rows.
    fn changed(&mut self, changes: &Changes) -> bool {
        if changes.is_empty() {
            return false;
        }
        if changes.structure {
            self.row_cache = None;
            self.column_cache = None;
            self.carried = None;
            return true;
        }
        if let Some((_, rows)) = &mut self.row_cache {
            rows.retain(|id, _| !changes.methods.contains(id));
        }
        if let Some((_, columns)) = &mut self.column_cache {
            columns.retain(|id, _| !changes.units.contains(id));
        }
        self.carried = Some(changes.at);
        self.ordered.is_some()
            || self.methods.iter().any(|m| changes.methods.contains(&m.id))
            || self.column_totals.keys().any(|u| changes.units.contains(u))
    }

    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        let Some(id) = self.selected_method().map(|m| m.id) else {
            return Ok(());
        };
        // Under a filter or the sort the list is computed again (another process's change
        // may move rows): the selected method's place in it.
        if self.ordered.take().is_some() {
            self.keep = Some(id);
            return Ok(());
        }
        if let Some(pos) = store.method_position("", id)? {
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
            .and_then(|(m, u)| self.cells.get(&(m.id, u.id)).map(|c| c.stage));
        RecordContext {
            source: String::new(),
            method: method.map(|m| m.label.clone()).unwrap_or_default(),
            unit: unit.map(|u| u.code.clone()).unwrap_or_default(),
            stage,
        }
    }

    /// `n` is not a key of the matrix.
    fn new_record(&self) -> Option<NewRecord> {
        None
    }

    fn edit_target(&self) -> Option<Target> {
        self.selected_method().map(|m| Target::Method(m.id))
    }

    fn retract_target(&self) -> Option<(&EventRow, bool)> {
        None
    }
}

/// Every method under the filter, in name order or by spread.
fn ordered_rows(
    store: &Store,
    filter: &MatrixFilter,
    by_spread: bool,
    moment: &Moment,
    units: &[i64],
) -> Result<Vec<MethodLabel>> {
    let mut list = store.matrix_methods(&filter.words, filter.area.as_deref())?;
    if filter.stage.is_none() && !by_spread {
        return Ok(list);
    }
    let ids: Vec<i64> = list.iter().map(|r| r.id).collect();
    let counts = store.matrix_counts(CountPer::Method, Some(&ids), units, moment)?;
    let of = |id: &i64| counts.get(id).copied().unwrap_or_default();
    if let Some(stage) = filter.stage {
        list.retain(|r| of(&r.id)[stage] > 0);
    }
    if by_spread {
        // Most in use first; then most at pilot; then name order (the list's own).
        list.sort_by_key(|r| {
            let c = of(&r.id);
            std::cmp::Reverse((c.in_use(), c[Stage::Pilot]))
        });
    }
    Ok(list)
}
