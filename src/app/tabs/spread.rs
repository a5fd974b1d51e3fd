//! The Spread tab: how far each method has spread (or each unit taken up) on the day shown,
//! and the stalled pilots — the coordinator's work list. `v` switches between the three,
//! `o` sorts by the next column, `O` turns the order round, `R` folds predecessors in.
//!
//! In name order only the visible window is computed; sorting by a figure needs every row,
//! which is computed once and kept until the day or the roll-up changes.

use std::collections::BTreeSet;

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::action::Action;
use crate::app::keymap::Context;
use crate::app::lists::ListView;
use crate::domain::EventRow;
use crate::i18n::Lang;
use crate::layout;
use crate::store::{Background, Changes, Metrics, MetricsScope, Moment, Stalled, Store};

/// What the Spread tab lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpreadView {
    #[default]
    Methods,
    Units,
    Stalled,
    /// The stages not heard from in the fresh months, oldest word first: whom to ask.
    NotHeardFrom,
}

/// A figure column of the Spread table (after the name), in the order the table shows them
/// and `o` steps through them to sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpreadColumn {
    /// Units that reached pilot or beyond.
    Reached,
    /// Units where it is implemented or sustained.
    InUse,
    /// In use, as a share of the units.
    Share,
    FirstPilot,
    /// The median months from pilot to implemented.
    MedianMonths,
    OnTheWay,
    /// At preparing, fresh.
    Preparing,
    Stalled,
    /// Stale, exploring through sustained.
    NotHeardFrom,
    Sustained,
    Paused,
    Discontinued,
}

impl SpreadColumn {
    /// Every column, in the order `o` steps through them.
    pub const ALL: [SpreadColumn; 12] = [
        SpreadColumn::Reached,
        SpreadColumn::InUse,
        SpreadColumn::Share,
        SpreadColumn::FirstPilot,
        SpreadColumn::MedianMonths,
        SpreadColumn::OnTheWay,
        SpreadColumn::Preparing,
        SpreadColumn::Stalled,
        SpreadColumn::NotHeardFrom,
        SpreadColumn::Sustained,
        SpreadColumn::Paused,
        SpreadColumn::Discontinued,
    ];

    /// The column `o` sorts by after this one; after the last, none (name order).
    pub fn next(self) -> Option<SpreadColumn> {
        let at = SpreadColumn::ALL.iter().position(|c| *c == self)?;
        SpreadColumn::ALL.get(at + 1).copied()
    }

    /// A row's value in this column, as a number to sort by (a missing date or median
    /// sorts as the largest).
    fn key(self, m: &Metrics) -> f64 {
        let n = |v: u32| f64::from(v);
        match self {
            SpreadColumn::Reached => n(m.reached),
            SpreadColumn::InUse => n(m.in_use),
            SpreadColumn::Share => m.share,
            SpreadColumn::FirstPilot => m.first_pilot.map_or(f64::MAX, |d| {
                f64::from(chrono::Datelike::num_days_from_ce(&d))
            }),
            SpreadColumn::MedianMonths => m.median_months.unwrap_or(f64::MAX),
            SpreadColumn::OnTheWay => n(m.on_the_way),
            SpreadColumn::Preparing => n(m.preparing),
            SpreadColumn::Stalled => n(m.stalled),
            SpreadColumn::NotHeardFrom => n(m.not_heard_from),
            SpreadColumn::Sustained => n(m.sustained),
            SpreadColumn::Paused => n(m.paused),
            SpreadColumn::Discontinued => n(m.discontinued),
        }
    }
}

/// The Spread tab's state: what it lists, its sort and its rows.
#[derive(Default)]
pub struct SpreadTab {
    pub view: SpreadView,
    pub rows: ListView<Metrics>,
    pub stalled: ListView<Stalled>,
    /// The column sorted by (None: name order), and whether largest first.
    pub sort: Option<SpreadColumn>,
    pub descending: bool,
    pub roll_up: bool,
    /// Every row, for sorting: computed for this moment, roll-up and view.
    cache: Option<(Moment, bool, SpreadView, Vec<Metrics>)>,
    /// Every method's figures for this moment and roll-up, being computed in the background
    /// since the tab showed them in name order: a first sort by a figure then waits for what
    /// is left of them, if anything (at L they take 150 ms, a person longer to press `o`).
    prefetch: Option<(Moment, bool, Background<Vec<Metrics>>)>,
    /// Methods whose figures in the kept rows (or those being readied) predate another
    /// process's change: computed again, alone, when the rows are next needed. A method's
    /// figures depend on its own adoptions only, so this is exact.
    dirty: BTreeSet<i64>,
    /// In name order: where the window of rows stood when fetched (offset, height, total,
    /// moment, roll-up), and the methods in it other processes changed since. While it
    /// stands there, only those rows are computed again.
    window: Option<(usize, usize, usize, Moment, bool)>,
    stale_rows: BTreeSet<i64>,
}

impl SpreadTab {
    /// Whether every method's figures are being readied in the background.
    pub fn figures_started(&self) -> bool {
        self.prefetch.is_some()
    }

    fn scope(&self, moment: &Moment) -> MetricsScope {
        MetricsScope {
            roll_up: self.roll_up,
            ..MetricsScope::new(*moment)
        }
    }

    /// Computes again the figures of the methods other processes changed, in the kept rows
    /// of methods, and puts them in their places.
    fn mend(&mut self, store: &Store, moment: &Moment) -> Result<()> {
        let Some((_, _, view, rows)) = &mut self.cache else {
            return Ok(());
        };
        if *view == SpreadView::Units || self.dirty.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = std::mem::take(&mut self.dirty).into_iter().collect();
        let scope = MetricsScope {
            roll_up: self.roll_up,
            ..MetricsScope::new(*moment)
        };
        for fresh in store.method_metrics_of(&scope, Some(&ids))? {
            if let Some(row) = rows.iter_mut().find(|r| r.id == fresh.id) {
                *row = fresh;
            }
        }
        Ok(())
    }

    /// Every row of the current view, sorted (kept while nothing it depends on changes).
    fn all_rows(&mut self, store: &Store, moment: &Moment) -> Result<Vec<Metrics>> {
        let fresh = matches!(&self.cache, Some((m, r, v, _)) if m == moment && *r == self.roll_up && *v == self.view);
        if !fresh {
            let scope = self.scope(moment);
            let prefetched = match self.prefetch.take() {
                Some((m, r, figures)) if m == *moment && r == self.roll_up => Some(figures),
                _ => None,
            };
            let rows = match self.view {
                SpreadView::Units => store.unit_metrics(&scope)?,
                SpreadView::Methods | SpreadView::Stalled | SpreadView::NotHeardFrom => {
                    // Had the background failed (a connection it could not open), the
                    // figures are computed here, as without it.
                    match prefetched.map(Background::wait) {
                        Some(Ok(figures)) => figures,
                        _ => {
                            // Computed now, after every change noted.
                            self.dirty.clear();
                            store.method_metrics(&scope)?
                        }
                    }
                }
            };
            self.cache = Some((*moment, self.roll_up, self.view, rows));
        }
        self.mend(store, moment)?;
        let mut rows = self.cache.as_ref().map(|c| c.3.clone()).unwrap_or_default();
        // The rows come in name order; the sort is stable, so rows that tie stay in name
        // order whichever way the figure runs.
        if let Some(c) = self.sort {
            let descending = self.descending;
            rows.sort_by(|a, b| {
                let by_figure = c.key(a).total_cmp(&c.key(b));
                if descending {
                    by_figure.reverse()
                } else {
                    by_figure
                }
            });
        }
        Ok(rows)
    }
}

impl TabView for SpreadTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Spridning", "Spread")
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Spread, Context::Browse]
    }

    fn act(&mut self, action: Action, page: usize) {
        match action {
            Action::NextView => {
                self.view = match self.view {
                    SpreadView::Methods => SpreadView::Units,
                    SpreadView::Units => SpreadView::Stalled,
                    SpreadView::Stalled => SpreadView::NotHeardFrom,
                    SpreadView::NotHeardFrom => SpreadView::Methods,
                };
                self.rows = ListView::default();
                self.stalled = ListView::default();
            }
            Action::SortNext => {
                // Sorting by a figure puts the largest first; `O` turns it round.
                self.sort = match self.sort {
                    None => Some(SpreadColumn::ALL[0]),
                    Some(c) => c.next(),
                };
                self.descending = true;
            }
            Action::SortReverse => self.descending = !self.descending,
            Action::ToggleRollUp => {
                self.roll_up = !self.roll_up;
                self.cache = None;
            }
            other => match self.view {
                SpreadView::Stalled | SpreadView::NotHeardFrom => self.stalled.act(other, page),
                SpreadView::Methods | SpreadView::Units => self.rows.act(other, page),
            },
        }
    }

    fn type_filter(&mut self, _: &KeyEvent) -> bool {
        false
    }

    fn reload(&mut self, store: &Store, size: (u16, u16), moment: &Moment) -> Result<()> {
        let height = layout::list_rows(size);
        if self.view != SpreadView::Methods || self.sort.is_some() {
            self.window = None;
        }
        match self.view {
            SpreadView::Stalled | SpreadView::NotHeardFrom => {
                let rows = if self.view == SpreadView::Stalled {
                    store.stalled(&self.scope(moment))?
                } else {
                    store.not_heard_from(&self.scope(moment), None)?
                };
                self.stalled.refill(rows.len(), height, |offset, height| {
                    Ok(rows.into_iter().skip(offset).take(height).collect())
                })
            }
            SpreadView::Methods if self.sort.is_none() => {
                // Name order: only the window is computed; every method's figures are
                // started in the background for a sort.
                let scope = self.scope(moment);
                let cached = matches!(&self.cache, Some((m, r, v, _))
                    if m == moment && *r == self.roll_up && *v == SpreadView::Methods);
                let started =
                    matches!(&self.prefetch, Some((m, r, _)) if m == moment && *r == self.roll_up);
                if !cached && !started {
                    self.prefetch = Some((
                        *moment,
                        self.roll_up,
                        store.method_metrics_in_background(&scope),
                    ));
                }
                let total = store.method_count("")?;
                self.rows.total = total;
                self.rows.settle(height);
                let window = (self.rows.offset, height, total, *moment, self.roll_up);
                if self.window == Some(window) {
                    let ids: Vec<i64> = std::mem::take(&mut self.stale_rows).into_iter().collect();
                    if !ids.is_empty() {
                        for fresh in store.method_metrics_of(&scope, Some(&ids))? {
                            if let Some(row) = self.rows.rows.iter_mut().find(|r| r.id == fresh.id)
                            {
                                *row = fresh;
                            }
                        }
                    }
                    return Ok(());
                }
                self.stale_rows.clear();
                self.rows.refill(total, height, |offset, height| {
                    let ids: Vec<i64> = store
                        .method_labels(offset, height)?
                        .iter()
                        .map(|m| m.id)
                        .collect();
                    store.method_metrics_of(&scope, Some(&ids))
                })?;
                self.window = Some(window);
                Ok(())
            }
            SpreadView::Methods | SpreadView::Units => {
                let rows = self.all_rows(store, moment)?;
                self.rows.refill(rows.len(), height, |offset, height| {
                    Ok(rows.into_iter().skip(offset).take(height).collect())
                })
            }
        }
    }

    fn follow_selection(&mut self, _: &Store) -> Result<()> {
        // The rows are figures, mended or computed again on reload; the position is kept.
        Ok(())
    }

    /// Every method's figures are kept for sorting: those of the methods changed are
    /// computed again (alone) when next needed. In name order the window is fetched again
    /// only when a method on screen changed; sorted by a figure, any change may move rows.
    /// A unit's figures (the Units view) span every method, and the stalled lists every
    /// adoption: they are computed again.
    fn changed(&mut self, changes: &Changes) -> bool {
        if changes.is_empty() {
            return false;
        }
        if changes.structure {
            self.cache = None;
            self.prefetch = None;
            self.dirty.clear();
            self.window = None;
            return true;
        }
        self.dirty.extend(changes.methods.iter().copied());
        match self.view {
            SpreadView::Methods if self.sort.is_none() => {
                let touched: Vec<i64> = self
                    .rows
                    .rows
                    .iter()
                    .map(|m| m.id)
                    .filter(|id| changes.methods.contains(id))
                    .collect();
                self.stale_rows.extend(&touched);
                !touched.is_empty()
            }
            SpreadView::Methods => true,
            SpreadView::Units => {
                if matches!(&self.cache, Some((_, _, SpreadView::Units, _))) {
                    self.cache = None;
                }
                true
            }
            SpreadView::Stalled | SpreadView::NotHeardFrom => true,
        }
    }

    fn open(&self, store: &Store) -> Result<Option<Target>> {
        Ok(match self.view {
            SpreadView::Methods => self.rows.selected_row().map(|m| Target::Method(m.id)),
            SpreadView::Units => self.rows.selected_row().map(|u| Target::Unit(u.id)),
            SpreadView::Stalled | SpreadView::NotHeardFrom => match self.stalled.selected_row() {
                Some(s) => Some(Target::Method(store.find_method(&s.method)?.0)),
                None => None,
            },
        })
    }

    fn record_context(&self) -> RecordContext {
        match self.view {
            SpreadView::Methods => RecordContext {
                method: self
                    .rows
                    .selected_row()
                    .map(|m| m.label.clone())
                    .unwrap_or_default(),
                ..RecordContext::default()
            },
            SpreadView::Units => RecordContext {
                unit: self
                    .rows
                    .selected_row()
                    .map(|u| u.label.clone())
                    .unwrap_or_default(),
                ..RecordContext::default()
            },
            SpreadView::Stalled | SpreadView::NotHeardFrom => self
                .stalled
                .selected_row()
                .map(|s| RecordContext {
                    method: s.method.clone(),
                    unit: s.unit.clone(),
                    stage: Some(s.stage),
                    source: String::new(),
                })
                .unwrap_or_default(),
        }
    }

    /// `n` is not a key of this tab.
    fn new_record(&self) -> Option<NewRecord> {
        None
    }

    fn edit_target(&self) -> Option<Target> {
        match self.view {
            SpreadView::Methods => self.rows.selected_row().map(|m| Target::Method(m.id)),
            SpreadView::Units => self.rows.selected_row().map(|u| Target::Unit(u.id)),
            SpreadView::Stalled | SpreadView::NotHeardFrom => None,
        }
    }

    fn retract_target(&self) -> Option<(&EventRow, bool)> {
        None
    }
}
