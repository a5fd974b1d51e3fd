//! The Activity tab: every change (stage events, retractions, methods and units added or
//! edited), newest first, filtered as you type (words, `by:`, `since:`, `until:`); the place
//! to retract a mistaken event.

use anyhow::Result;

use super::{NewRecord, RecordContext, TabView, Target};
use crate::app::lists::ListView;
use crate::domain::{Change, ChangeKind, EventRow};
use crate::i18n::Lang;
use crate::layout;
use crate::store::{ActivityPlan, Changes, Counting, Moment, Store};

/// How many matches of an Activity filter are counted before the title says "1000+".
pub const ACTIVITY_CAP: usize = 1000;

/// The Activity tab's state: its list of changes and what came in above.
#[derive(Default)]
pub struct ActivityTab {
    pub list: ListView<Change>,
    /// Changes that arrived above the rows on screen since the person moved down from the
    /// newest (said in the title; going back to the top clears it).
    pub new_above: usize,
    /// A filter matching more than `ACTIVITY_CAP` changes is counted exactly in the
    /// background (the list shows at once): the filter and the log's size it is counting
    /// for, and the count when done. The title says "counting…" meanwhile.
    count: Option<Count>,
}

/// An exact count of a filter's matches: for which filter, at which size of the change log
/// (a new change may match: counted again), and the count or the count under way.
struct Count {
    filter: String,
    changes: usize,
    state: CountState,
}

enum CountState {
    Counting(Counting),
    Done(usize),
}

impl ActivityTab {
    /// Whether an exact count is under way (the app then looks for it often).
    pub fn counting(&self) -> bool {
        matches!(
            self.count,
            Some(Count {
                state: CountState::Counting(_),
                ..
            })
        )
    }

    /// Takes a finished count; whether one came (the list is then fetched again).
    pub fn take_count(&mut self) -> Result<bool> {
        let Some(count) = &mut self.count else {
            return Ok(false);
        };
        let CountState::Counting(counting) = &count.state else {
            return Ok(false);
        };
        match counting.done() {
            None => Ok(false),
            Some(Ok(n)) => {
                count.state = CountState::Done(n);
                Ok(true)
            }
            Some(Err(e)) => {
                self.count = None;
                Err(e)
            }
        }
    }

    /// The filter's total: exact when counted (the log's own counter without a filter), else
    /// up to the cap with an exact count started. Whether it is exact.
    fn total(&mut self, store: &Store, plan: &ActivityPlan) -> Result<(usize, bool)> {
        let filter = self.list.filter.trim();
        if filter.is_empty() {
            self.count = None;
            return Ok((store.activity_count(plan, usize::MAX)?, true));
        }
        let changes = store.change_count()?;
        if let Some(c) = &self.count
            && c.filter == filter
            && c.changes == changes
        {
            return Ok(match c.state {
                CountState::Done(n) => (n, true),
                CountState::Counting(_) => (ACTIVITY_CAP, false),
            });
        }
        let n = store.activity_count(plan, ACTIVITY_CAP + 1)?;
        if n <= ACTIVITY_CAP {
            self.count = None;
            return Ok((n, true));
        }
        self.count = Some(Count {
            filter: filter.to_string(),
            changes,
            state: CountState::Counting(store.count_activity(plan)?),
        });
        Ok((ACTIVITY_CAP, false))
    }
}

impl TabView for ActivityTab {
    fn title(&self, lang: Lang) -> &'static str {
        lang.pick("Aktivitet", "Activity")
    }

    table_keys!();

    fn reload(&mut self, store: &Store, size: (u16, u16), _: &Moment) -> Result<()> {
        // Back at the top (or a new filter), everything above has been seen.
        if self.list.selected == 0 {
            self.new_above = 0;
        }
        let plan = store.activity_plan(&self.list.filter)?;
        // A filter's matches are counted up to a cap at once, and exactly in the background.
        let (total, exact) = self.total(store, &plan)?;
        self.list.capped = !exact;
        self.list
            .refill(total, layout::list_rows(size), |offset, height| {
                if exact {
                    store.activity_window(&plan, (offset, height), total)
                } else {
                    store.activity(&plan, offset, height)
                }
            })
    }

    /// On the newest row, the newest stays selected: new changes appear at the top, under
    /// the selection. Moved down, the person keeps their record and the rows around it where
    /// they were on screen, and the title counts what came in above.
    fn follow_selection(&mut self, store: &Store) -> Result<()> {
        if self.list.selected == 0 {
            self.new_above = 0;
            return Ok(());
        }
        let before = self.list.selected;
        let plan = store.activity_plan(&self.list.filter)?;
        self.list
            .follow(|r| r.id, |id| store.activity_position(&plan, id))?;
        let moved = self.list.selected.saturating_sub(before);
        self.list.offset += moved;
        self.new_above += moved;
        Ok(())
    }

    /// Every change is a row of the log: any comes in at the top.
    fn changed(&mut self, changes: &Changes) -> bool {
        !changes.is_empty()
    }

    /// The change's method; a unit's change, its unit.
    fn open(&self, store: &Store) -> Result<Option<Target>> {
        match self.list.selected_row() {
            Some(c) if matches!(c.kind, ChangeKind::UnitAdded | ChangeKind::UnitEdited) => {
                Ok(Some(Target::Unit(store.find_unit(&c.unit)?.0)))
            }
            Some(c) => Ok(Some(Target::Method(store.find_method(&c.method_name)?.0))),
            None => Ok(None),
        }
    }

    fn record_context(&self) -> RecordContext {
        self.list
            .selected_row()
            .map(|c| RecordContext {
                method: c.method.clone(),
                unit: c.unit.clone(),
                stage: c.event.as_ref().map(|e| e.stage),
                source: String::new(),
            })
            .unwrap_or_default()
    }

    fn new_record(&self) -> Option<NewRecord> {
        Some(NewRecord::Method)
    }

    fn edit_target(&self) -> Option<Target> {
        None
    }

    /// A stage event's or a confirmation's row (a retraction's row is the retraction
    /// itself).
    fn retract_target(&self) -> Option<(&EventRow, bool)> {
        let change = self
            .list
            .selected_row()
            .filter(|c| matches!(c.kind, ChangeKind::Event | ChangeKind::Confirmation))?;
        Some((
            change.event.as_ref()?,
            change.kind == ChangeKind::Confirmation,
        ))
    }
}
