//! The app's state and the one place it changes: `App::update(Action)`. Screens draw from
//! `&App` and never change it. The app asks the store only for what is on screen.

pub mod action;
mod editing;
pub mod form;
pub mod keymap;
pub mod lists;

use std::time::{Duration, Instant};

use anyhow::Result;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

pub use action::Action;
use form::Form;
use keymap::Context;
use lists::{ListView, MatrixView};

use crate::domain::text::printable;
use crate::domain::{EventRow, MethodSummary, UnitSummary};
use crate::i18n::Lang;
use crate::store::{Access, Draft, MatrixColumns, MethodDetail, Role, Store, UnitDetail};

/// Screen rows around a table that are not rows: tabs, block borders, header, status line.
pub const LIST_CHROME: u16 = 5;
/// The matrix also has a legend line.
pub const MATRIX_CHROME: u16 = 6;
/// Width of the matrix's method column and of each unit column.
pub const MATRIX_LABEL_WIDTH: u16 = 24;
pub const MATRIX_CELL_WIDTH: u16 = 5;
/// Below this size the app shows a message instead of screens.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 12;
/// How many matches of an Activity filter are counted before the title says "1000+".
pub const ACTIVITY_CAP: usize = 1000;
/// How often other processes' commits are looked for.
const POLL_EVERY: Duration = Duration::from_millis(500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Methods,
    Units,
    Matrix,
    Activity,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Methods, Tab::Units, Tab::Matrix, Tab::Activity];

    pub fn title(self, lang: Lang) -> &'static str {
        match self {
            Tab::Methods => lang.pick("Metoder", "Methods"),
            Tab::Units => lang.pick("Enheter", "Units"),
            Tab::Matrix => lang.pick("Matris", "Matrix"),
            Tab::Activity => lang.pick("Aktivitet", "Activity"),
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

pub enum Screen {
    Tabs,
    MethodDetail {
        detail: Box<MethodDetail>,
        scroll: u16,
    },
    UnitDetail {
        detail: Box<UnitDetail>,
        scroll: u16,
    },
}

pub enum Popup {
    Help {
        scroll: u16,
    },
    /// Unsaved text from an earlier session: bring it back?
    Draft {
        draft: Box<Draft>,
    },
    Retract {
        event: Box<EventRow>,
        reason: Box<TextArea<'static>>,
        error: Option<String>,
    },
}

pub struct App {
    store: Store,
    pub lang: Lang,
    pub db_name: String,
    pub user: String,
    /// What this person may do; read again whenever another process commits.
    pub access: Access,
    pub tab: Tab,
    pub screen: Screen,
    pub popup: Option<Popup>,
    pub form: Option<Form>,
    pub methods: ListView<MethodSummary>,
    pub units: ListView<UnitSummary>,
    pub activity: ListView<EventRow>,
    pub matrix: MatrixView,
    /// A one-line message for the status line (saved, refused, …).
    pub message: Option<String>,
    pub size: (u16, u16),
    pub should_quit: bool,
    data_version: i64,
    last_poll: Instant,
    /// When another process's change was last seen (local time), for the live indicator.
    pub last_change: Option<String>,
    /// The offset used to show UTC timestamps in local time (fixed at start; tests set UTC).
    pub tz: chrono::FixedOffset,
    /// This login has a draft stored in the database (to remove once it is saved or dropped).
    stored_draft: bool,
}

impl App {
    pub fn new(store: Store, lang: Lang, size: (u16, u16)) -> Result<App> {
        let db_name = store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let user = store.user().to_string();
        let access = store.access()?;
        let data_version = store.data_version()?;
        let mut app = App {
            store,
            lang,
            db_name,
            user,
            access,
            tab: Tab::Methods,
            screen: Screen::Tabs,
            popup: None,
            form: None,
            methods: ListView::default(),
            units: ListView::default(),
            activity: ListView::default(),
            matrix: MatrixView::default(),
            message: None,
            size,
            should_quit: false,
            data_version,
            last_poll: Instant::now(),
            last_change: None,
            tz: *chrono::Local::now().offset(),
            stored_draft: false,
        };
        // Text left unsaved last time (hang-up, kill, crash) is offered first.
        if let Some(draft) = app.store.draft()? {
            app.stored_draft = true;
            app.popup = Some(Popup::Draft {
                draft: Box::new(draft),
            });
        }
        // A member lands on their own unit.
        if app.access.role == Role::Member
            && let Some(&unit) = app.access.units.first()
        {
            app.tab = Tab::Units;
            app.screen = Screen::UnitDetail {
                detail: Box::new(app.store.unit_detail(unit)?),
                scroll: 0,
            };
        }
        app.reload()?;
        Ok(app)
    }

    /// A UTC timestamp from the database as local "YYYY-MM-DD HH:MM".
    pub fn local_time(&self, utc: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(utc)
            .map(|t| {
                t.with_timezone(&self.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_else(|_| crate::domain::text::printable(utc))
    }

    /// What is typed and unsaved, to keep if the session ends now.
    pub fn draft(&self) -> Option<Draft> {
        self.form.as_ref().and_then(Form::draft)
    }

    /// Removes the stored draft once its text is saved or deliberately dropped.
    fn forget_draft(&mut self) -> Result<()> {
        if self.stored_draft {
            self.store.delete_draft()?;
            self.stored_draft = false;
        }
        Ok(())
    }

    /// Keeps the unsaved text in the database (on the way out).
    pub fn keep_draft(&mut self) -> Result<()> {
        if let Some(d) = self.draft() {
            self.store.save_draft_quickly(&d)?;
            self.stored_draft = true;
        }
        Ok(())
    }

    /// Whether this person may do an action: editing keys follow the role (the store checks
    /// every write again).
    pub fn can(&self, action: Action) -> bool {
        match action {
            Action::RecordStage | Action::Retract => self.access.can_record(),
            Action::New | Action::Edit => self.access.is_coordinator(),
            _ => true,
        }
    }

    /// Why an edit key does nothing for this person.
    fn refusal(&self) -> String {
        let lang = self.lang;
        match self.access.role {
            Role::Unregistered => format!(
                "{} `spridning user add {} --role member --unit {}`",
                lang.pick(
                    "Bara läsning: be en samordnare om",
                    "Read only: ask a coordinator for"
                ),
                printable(&self.user),
                lang.pick("KOD", "CODE")
            ),
            Role::Viewer => lang
                .pick(
                    "Du har läsbehörighet och kan inte ändra.",
                    "You have read access and cannot make changes.",
                )
                .into(),
            Role::Member => lang
                .pick(
                    "Som medlem registrerar du steg för dina enheter; annat ändrar en samordnare.",
                    "As a member you record stages for your units; a coordinator changes the rest.",
                )
                .into(),
            Role::Coordinator => String::new(),
        }
    }

    pub fn list_height(&self) -> usize {
        self.size.1.saturating_sub(LIST_CHROME).max(1) as usize
    }

    pub fn matrix_rows(&self) -> usize {
        self.size.1.saturating_sub(MATRIX_CHROME).max(1) as usize
    }

    pub fn matrix_cols(&self) -> usize {
        (self.size.0.saturating_sub(2 + MATRIX_LABEL_WIDTH) / MATRIX_CELL_WIDTH).max(1) as usize
    }

    /// The key-map contexts active now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match (&self.popup, &self.form) {
            (Some(Popup::Help { .. }), _) => vec![Context::Help],
            (Some(Popup::Retract { .. }), _) => vec![Context::Form],
            (Some(Popup::Draft { .. }), _) => vec![Context::Confirm],
            (None, Some(form)) if form.confirm_discard => vec![Context::Confirm],
            (None, Some(form)) if form.conflict.is_some() => vec![Context::Conflict],
            (None, Some(_)) => vec![Context::Form],
            (None, None) => match self.screen {
                Screen::MethodDetail { .. } | Screen::UnitDetail { .. } => {
                    vec![Context::Detail, Context::Browse]
                }
                Screen::Tabs if self.is_filtering() => vec![Context::Filter],
                Screen::Tabs if self.tab == Tab::Matrix => vec![Context::Matrix, Context::Browse],
                Screen::Tabs => vec![Context::List, Context::Browse],
            },
        }
    }

    fn is_filtering(&self) -> bool {
        match self.tab {
            Tab::Methods => self.methods.filtering,
            Tab::Units => self.units.filtering,
            Tab::Activity => self.activity.filtering,
            Tab::Matrix => false,
        }
    }

    /// A key press: an action from the key map, or text for the field being typed in.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == ratatui::crossterm::event::KeyEventKind::Release {
            return;
        }
        let contexts = self.contexts();
        if let Some(action) = keymap::lookup(&contexts, &key) {
            self.update(action);
            return;
        }
        // Ctrl-C always quits, whatever is being typed.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.update(Action::Quit);
            return;
        }
        if let Some(Popup::Retract { reason, error, .. }) = &mut self.popup {
            if key.code != KeyCode::Enter {
                reason.input(key);
                *error = None;
            }
        } else if let Some(form) = &mut self.form {
            if !form.confirm_discard {
                form.input(key.into());
                self.after_form_input();
            }
        } else if contexts.contains(&Context::Filter) {
            self.type_filter(key);
        }
    }

    pub fn handle_paste(&mut self, text: &str) {
        if let Some(form) = &mut self.form {
            form.paste(text);
            self.after_form_input();
        }
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.report(|app| app.reload());
    }

    /// Runs a store operation; a failure becomes the status-line message.
    fn report(&mut self, f: impl FnOnce(&mut App) -> Result<()>) {
        if let Err(e) = f(self) {
            let message = crate::domain::text::clean_line(&format!("{e:#}"));
            self.message = Some(crate::i18n::localize(&message, self.lang));
        }
    }

    /// Looks for other processes' commits (at most every 500 ms) and refreshes if any.
    pub fn tick(&mut self) {
        if self.last_poll.elapsed() >= POLL_EVERY {
            self.poll_now();
        }
    }

    /// Looks for other processes' commits now, and refreshes the screen if there are any.
    pub fn poll_now(&mut self) {
        self.last_poll = Instant::now();
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                self.last_change = Some(chrono::Local::now().format("%H:%M:%S").to_string());
                // Roles only change through someone's commit, so they are read again here,
                // not on every keystroke.
                self.report(|app| {
                    app.access = app.store.access()?;
                    Ok(())
                });
                self.report(|app| app.follow_selection());
                self.report(|app| app.reload());
            }
            Ok(_) => {}
            Err(e) => self.message = Some(format!("{e:#}")),
        }
    }

    pub fn update(&mut self, action: Action) {
        if self.popup.is_none() && self.form.is_none() && !self.can(action) {
            self.message = Some(self.refusal());
            return;
        }
        if !matches!(action, Action::Up | Action::Down) {
            self.message = None;
        }
        if self.popup.is_some() {
            self.update_popup(action);
            return;
        }
        if self.form.is_some() {
            self.update_form(action);
            return;
        }
        match action {
            Action::Quit => self.should_quit = true,
            Action::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Action::NextTab | Action::PrevTab => {
                let n = Tab::ALL.len();
                let step = if action == Action::NextTab { 1 } else { n - 1 };
                self.tab = Tab::ALL[(self.tab.index() + step) % n];
                self.screen = Screen::Tabs;
                self.report(|app| app.reload());
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::PageUp => self.move_by(-(self.list_height() as isize)),
            Action::PageDown => self.move_by(self.list_height() as isize),
            Action::Top => {
                // In the matrix: the first row and the first column.
                self.matrix.col = 0;
                self.move_by(isize::MIN / 2)
            }
            Action::Bottom => {
                // In the matrix: the far corner, the last row and the last column.
                self.matrix.col = usize::MAX / 2;
                self.move_by(isize::MAX / 2)
            }
            Action::Left | Action::Right => {
                let delta: isize = if action == Action::Left { -1 } else { 1 };
                self.matrix.col = self.matrix.col.saturating_add_signed(delta);
                self.report(|app| app.reload());
            }
            Action::Open => self.report(|app| app.open()),
            Action::Back => {
                self.screen = Screen::Tabs;
                self.report(|app| app.reload());
            }
            Action::Filter => {
                self.set_filtering(true);
            }
            Action::Confirm => self.set_filtering(false),
            Action::Cancel => {
                self.set_filtering(false);
                self.current_filter_mut().map(String::clear);
                self.report(|app| app.reload());
            }
            Action::ToggleHistoricalUnits => {
                self.matrix.show_historical = !self.matrix.show_historical;
                self.report(|app| app.reload());
            }
            Action::RecordStage => self.report(|app| app.open_record_form()),
            Action::New => self.report(|app| app.open_new_form()),
            Action::Edit => self.report(|app| app.open_edit_form()),
            Action::Retract => self.open_retract(),
            Action::NextField
            | Action::PrevField
            | Action::Save
            | Action::Deny
            | Action::Overwrite
            | Action::TakeTheirs
            | Action::Merge => {}
        }
    }

    fn update_popup(&mut self, action: Action) {
        match (&mut self.popup, action) {
            (Some(Popup::Help { .. }), Action::Back) => self.popup = None,
            (Some(Popup::Help { scroll }), Action::Down) => *scroll = scroll.saturating_add(1),
            (Some(Popup::Help { scroll }), Action::Up) => *scroll = scroll.saturating_sub(1),
            (Some(Popup::Retract { .. }), Action::Cancel) => self.popup = None,
            (Some(Popup::Draft { draft }), Action::Confirm) => {
                let draft = draft.clone();
                self.popup = None;
                self.report(|app| app.restore_draft(&draft));
            }
            (Some(Popup::Draft { .. }), Action::Deny) => {
                self.popup = None;
                self.report(|app| app.forget_draft());
            }
            (Some(Popup::Retract { .. }), Action::Save) => self.save_retraction(),
            (_, Action::Quit) => self.should_quit = true,
            _ => {}
        }
    }

    fn move_by(&mut self, delta: isize) {
        match &mut self.screen {
            Screen::MethodDetail { scroll, .. } | Screen::UnitDetail { scroll, .. } => {
                *scroll = (*scroll as isize)
                    .saturating_add(delta)
                    .clamp(0, u16::MAX as isize) as u16;
                return;
            }
            Screen::Tabs => {}
        }
        match self.tab {
            Tab::Methods => self.methods.move_by(delta),
            Tab::Units => self.units.move_by(delta),
            Tab::Activity => self.activity.move_by(delta),
            Tab::Matrix => {
                self.matrix.row = self.matrix.row.saturating_add_signed(delta);
            }
        }
        self.report(|app| app.reload());
    }

    fn set_filtering(&mut self, on: bool) {
        match self.tab {
            Tab::Methods => self.methods.filtering = on,
            Tab::Units => self.units.filtering = on,
            Tab::Activity => self.activity.filtering = on,
            Tab::Matrix => {}
        }
    }

    fn current_filter_mut(&mut self) -> Option<&mut String> {
        match self.tab {
            Tab::Methods => Some(&mut self.methods.filter),
            Tab::Units => Some(&mut self.units.filter),
            Tab::Activity => Some(&mut self.activity.filter),
            Tab::Matrix => None,
        }
    }

    /// Typing in the `/` filter: the list narrows with every key.
    fn type_filter(&mut self, key: KeyEvent) {
        let Some(filter) = self.current_filter_mut() else {
            return;
        };
        match key.code {
            KeyCode::Backspace => {
                filter.pop();
            }
            KeyCode::Char(c)
                if !c.is_control() && !key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                if filter.chars().count() < 80 {
                    filter.push(c);
                }
            }
            _ => return,
        }
        match self.tab {
            Tab::Methods => self.methods.selected = 0,
            Tab::Units => self.units.selected = 0,
            Tab::Activity => self.activity.selected = 0,
            Tab::Matrix => {}
        }
        self.report(|app| app.reload());
    }

    fn open(&mut self) -> Result<()> {
        let method = match self.tab {
            Tab::Methods => self.methods.selected_row().map(|m| m.id),
            Tab::Matrix => self.matrix.selected_method().map(|m| m.0),
            _ => None,
        };
        let unit = match self.tab {
            Tab::Units => self.units.selected_row().map(|u| u.id),
            _ => None,
        };
        if let Some(id) = method {
            self.screen = Screen::MethodDetail {
                detail: Box::new(self.store.method_detail(id)?),
                scroll: 0,
            };
        } else if let Some(id) = unit {
            self.screen = Screen::UnitDetail {
                detail: Box::new(self.store.unit_detail(id)?),
                scroll: 0,
            };
        } else if self.tab == Tab::Activity
            && let Some(e) = self.activity.selected_row()
        {
            let (id, _) = self.store.find_method(&e.method_name)?;
            self.screen = Screen::MethodDetail {
                detail: Box::new(self.store.method_detail(id)?),
                scroll: 0,
            };
        }
        Ok(())
    }

    /// Keeps the same record selected when other people's changes move it in the list.
    fn follow_selection(&mut self) -> Result<()> {
        let s = &self.store;
        match self.tab {
            Tab::Methods => {
                if let Some(id) = self.methods.selected_row().map(|r| r.id)
                    && let Some(pos) = s.method_position(&self.methods.filter, id)?
                {
                    self.methods.selected = pos;
                }
            }
            Tab::Units => {
                if let Some(id) = self.units.selected_row().map(|r| r.id)
                    && let Some(pos) = s.unit_position(&self.units.filter, id)?
                {
                    self.units.selected = pos;
                }
            }
            Tab::Activity => {
                if let Some(id) = self.activity.selected_row().map(|r| r.id)
                    && let Some(pos) = s.activity_position(&self.activity.filter, id)?
                {
                    self.activity.selected = pos;
                }
            }
            Tab::Matrix => {
                if let Some(id) = self.matrix.selected_method().map(|m| m.0)
                    && let Some(pos) = s.method_position("", id)?
                {
                    self.matrix.row = pos;
                }
            }
        }
        Ok(())
    }

    /// Fetches what the current screen shows, keeping the selection.
    pub fn reload(&mut self) -> Result<()> {
        match &mut self.screen {
            Screen::MethodDetail { detail, .. } => {
                **detail = self.store.method_detail(detail.method.id)?;
                return Ok(());
            }
            Screen::UnitDetail { detail, .. } => {
                **detail = self.store.unit_detail(detail.unit.id)?;
                return Ok(());
            }
            Screen::Tabs => {}
        }
        let height = self.list_height();
        match self.tab {
            Tab::Methods => {
                let l = &mut self.methods;
                l.total = self.store.method_count(&l.filter)?;
                l.settle(height);
                l.rows = self.store.method_summaries(&l.filter, l.offset, height)?;
            }
            Tab::Units => {
                let l = &mut self.units;
                l.total = self.store.unit_count(&l.filter)?;
                l.settle(height);
                l.rows = self.store.unit_summaries(&l.filter, l.offset, height)?;
            }
            Tab::Activity => {
                let l = &mut self.activity;
                // A filter's matches are counted up to a cap: "1000+" rather than a full count.
                let n = self.store.activity_count(&l.filter, ACTIVITY_CAP + 1)?;
                l.capped = !l.filter.trim().is_empty() && n > ACTIVITY_CAP;
                l.total = if l.capped { ACTIVITY_CAP } else { n };
                l.settle(height);
                l.rows = self.store.activity(&l.filter, l.offset, height)?;
            }
            Tab::Matrix => {
                let (rows, cols) = (self.matrix_rows(), self.matrix_cols());
                let today = chrono::Local::now().date_naive();
                let m = &mut self.matrix;
                m.units = self.store.matrix_units(if m.show_historical {
                    MatrixColumns::All
                } else {
                    MatrixColumns::ValidOn(today)
                })?;
                m.total_methods = self.store.method_count("")?;
                m.settle(rows, cols);
                m.methods = self.store.method_labels(m.row_offset, rows)?;
                let ids: Vec<i64> = m.methods.iter().map(|r| r.0).collect();
                let units: Vec<i64> = m
                    .units
                    .iter()
                    .skip(m.col_offset)
                    .take(cols)
                    .map(|u| u.id)
                    .collect();
                m.cells = self.store.matrix_window(&ids, &units)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
