//! The tabs. Each lives in its own module with its state and its behaviour: how it fetches
//! its window from the store, how it keeps the selected record across a live refresh, and
//! what Enter, `s`, `n`, `e` and `x` mean there (`TabView`). Its drawing lives in the `ui`
//! module of the same name, which implements `ui::TabScreen` for the tab's state (the app
//! never sees how a tab is drawn).
//!
//! The `for_every_tab!` list below is the one place that names them all. `tabs!` makes from
//! it the `Tab` enum, their order, the `Tabs` struct holding each tab's state, and the two
//! exhaustive matches that turn a `Tab` into its state; `ui` makes from it the match that
//! turns a `Tab` into its drawing. A new tab is one line there (see the README's "How to add
//! a screen").

pub use activity::ActivityTab;
pub use matrix::MatrixTab;
pub use methods::MethodsTab;
pub use rounds::{ChecklistUnit, RoundsTab};
pub use spread::{SpreadColumn, SpreadTab, SpreadView};
pub use units::UnitsTab;

use anyhow::Result;
use ratatui::crossterm::event::KeyEvent;

use super::action::Action;
use super::keymap::Context;
use crate::domain::{EventRow, Stage};
use crate::i18n::Lang;
use crate::store::{Changes, Moment, Store};

/// A record that keys act on: Enter opens it, `e` edits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Method(i64),
    Unit(i64),
}

/// Which kind of record `n` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewRecord {
    Method,
    Unit,
    /// An inventory round (the Rounds tab).
    Round,
}

/// What `s` fills into the record-a-stage form: the method, unit and stage in view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordContext {
    pub method: String,
    pub unit: String,
    pub stage: Option<Stage>,
    /// Where it is stated (a round's checklist: the round's name).
    pub source: String,
}

/// A tab's behaviour. Every method is answered by every tab (no defaults), so a new tab says
/// what each key means there instead of inheriting another tab's meaning.
pub trait TabView {
    /// The tab's name in `lang`.
    fn title(&self, lang: Lang) -> &'static str;
    /// The key-map contexts while this tab is on screen (a set: see `App::contexts`).
    fn contexts(&self) -> Vec<Context>;
    /// Moving and the tab's own keys; `page` rows make a page. The app reloads afterwards.
    fn act(&mut self, action: Action, page: usize);
    /// A key typed into the tab's `/` filter; whether it was taken as text.
    fn type_filter(&mut self, key: &KeyEvent) -> bool;
    /// Fetches the window of rows a terminal of `size` shows at `moment`, keeping the
    /// selection.
    fn reload(&mut self, store: &Store, size: (u16, u16), moment: &Moment) -> Result<()>;
    /// After another process's commit: moves the selection to where the selected record now
    /// stands.
    fn follow_selection(&mut self, store: &Store) -> Result<()>;
    /// Other processes' changes have arrived: notes what they make out of date in what the
    /// tab keeps, and says whether the rows it shows must be fetched again (they are then,
    /// if the tab is on screen; a tab off screen is fetched when it is shown). Told to every
    /// tab, so that one off screen keeps nothing stale.
    fn changed(&mut self, changes: &Changes) -> bool;
    /// Enter: the record to open in a detail view.
    fn open(&self, store: &Store) -> Result<Option<Target>>;
    /// `s`: what the record-a-stage form is filled with.
    fn record_context(&self) -> RecordContext;
    /// `n`: what a new record is.
    fn new_record(&self) -> Option<NewRecord>;
    /// `e`: the record to edit.
    fn edit_target(&self) -> Option<Target>;
    /// `x`: the event to retract, or the confirmation (`true`; shown as an event row).
    fn retract_target(&self) -> Option<(&EventRow, bool)>;
}

/// The keys a table tab hands to its `ListView` (moving, the `/` filter), for use inside
/// `impl TabView` of a tab whose table is `self.list`.
macro_rules! table_keys {
    () => {
        fn contexts(&self) -> Vec<crate::app::keymap::Context> {
            self.list.contexts()
        }

        fn act(&mut self, action: crate::app::action::Action, page: usize) {
            self.list.act(action, page);
        }

        fn type_filter(&mut self, key: &ratatui::crossterm::event::KeyEvent) -> bool {
            self.list.type_filter(key)
        }
    };
}

mod activity;
mod matrix;
mod methods;
mod rounds;
mod spread;
mod units;

macro_rules! tabs {
    ($($variant:ident => $field:ident: $state:ty),+ $(,)?) => {
        /// The tabs, in the order the tab bar shows them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Tab {
            $($variant),+
        }

        impl Tab {
            /// Every tab, in the tab bar's order.
            pub const ALL: &[Tab] = &[$(Tab::$variant),+];
        }

        /// Every tab's state; each keeps its selection while another tab is shown.
        #[derive(Default)]
        pub struct Tabs {
            $(pub $field: $state),+
        }

        impl Tabs {
            /// The tab's state.
            pub fn get(&self, tab: Tab) -> &dyn TabView {
                match tab {
                    $(Tab::$variant => &self.$field),+
                }
            }

            /// The tab's state, to change.
            pub fn get_mut(&mut self, tab: Tab) -> &mut dyn TabView {
                match tab {
                    $(Tab::$variant => &mut self.$field),+
                }
            }
        }
    };
}

/// The tabs, in the order the tab bar shows them: `Variant => field: State`. Hands the list
/// to the macro `$then`, which writes what every tab needs (`tabs!` here, `tab_screens!` in
/// `ui`), so a tab left out of either is a compile error rather than a gap.
macro_rules! for_every_tab {
    ($then:ident) => {
        $then! {
            Methods => methods: $crate::app::tabs::MethodsTab,
            Units => units: $crate::app::tabs::UnitsTab,
            Matrix => matrix: $crate::app::tabs::MatrixTab,
            Spread => spread: $crate::app::tabs::SpreadTab,
            Rounds => rounds: $crate::app::tabs::RoundsTab,
            Activity => activity: $crate::app::tabs::ActivityTab,
        }
    };
}
pub(crate) use for_every_tab;

for_every_tab!(tabs);

impl Tab {
    /// The tab `step` places away, round the end.
    pub fn step(self, step: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        let at = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0) as isize;
        Tab::ALL[(at + step).rem_euclid(n) as usize]
    }
}
