//! The app's state and how it changes. It changes only through `App`'s methods that the
//! terminal loop (`tui.rs`) calls: `handle_key` (a key becomes an action for `update`, or
//! text for the field, filter or dialog being typed in), `handle_paste`, `resize`, `tick`
//! and `poll_now` (a playing film, other processes' commits), `present` (`--present`) and
//! `keep_draft` (on the way out). Every action is acted on in one place, `update`. Screens
//! draw from `&App` and never change it. The app asks the store only for what is on screen.

pub mod action;
pub mod deck;
pub mod detail;
mod editing;
pub mod form;
pub mod keymap;
pub mod lists;
pub mod popup;
mod rounds;
pub mod tabs;

use std::time::{Duration, Instant};

use anyhow::Result;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use action::Action;
pub use deck::{Deck, DeckOptions};
pub use detail::Detail;
use form::Form;
use keymap::Context;
pub use popup::Popup;
pub use tabs::{Tab, TabView, Tabs};

use crate::domain::text::printable;
use crate::i18n::Lang;
use crate::store::{Access, Draft, LogMark, Moment, Role, Store};

/// How often other processes' commits are looked for.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// What fills the body of the screen, in the one order of priority: a form over a detail
/// view over the tab. A popup, when there is one, is drawn over the body and has the keys.
pub enum Body<'a> {
    Form(&'a Form),
    Detail(&'a Detail),
    Tab(&'a dyn TabView),
}

/// What has the keys: a popup, else the body.
pub enum Layer<'a> {
    Popup(&'a Popup),
    Body(Body<'a>),
}

/// The terminal app's state: the store, the tabs, what is open over them, the day shown.
pub struct App {
    store: Store,
    pub lang: Lang,
    pub db_name: String,
    pub user: String,
    /// What this person may do; read again whenever another process commits.
    pub access: Access,
    /// The tab on screen (under a detail view or a form, the one they were opened from).
    pub tab: Tab,
    pub tabs: Tabs,
    /// The moment every screen shows: today unless the person steps back in time.
    pub moment: Moment,
    pub detail: Option<Detail>,
    pub popup: Option<Popup>,
    pub form: Option<Form>,
    /// The workshop presentation, over everything else while it is open.
    pub deck: Option<Deck>,
    /// A one-line message for the status line (saved, refused, …).
    pub message: Option<String>,
    pub size: (u16, u16),
    pub should_quit: bool,
    data_version: i64,
    /// Where the change log stood when the screens last looked (`App::catch_up`), and the
    /// register's state then (`Store::generation`): a reload after a keystroke with no
    /// commit since reads nothing more than that.
    log_mark: LogMark,
    caught_up: (i64, u64),
    /// How many times the screen on display was fetched from the store (what other
    /// people's commits cost this session; the tests count it).
    pub fetches: u64,
    /// Another process committed since the terminal loop last asked (`App::tick`).
    seen_change: bool,
    last_poll: Instant,
    /// When another process's change was last seen (local time), for the live indicator.
    pub last_change: Option<String>,
    /// The offset used to show UTC timestamps in local time (fixed at start; tests set UTC).
    pub tz: chrono::FixedOffset,
    /// This login has a draft stored in the database (to remove once it is saved or dropped).
    stored_draft: bool,
}

impl App {
    /// Opens the app on `store` for a terminal of `size`, on the login's own unit for a member.
    pub fn new(store: Store, lang: Lang, size: (u16, u16)) -> Result<App> {
        let db_name = store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let user = store.user().to_string();
        let access = store.access()?;
        let data_version = store.data_version()?;
        let log_mark = store.log_mark()?;
        let caught_up = store.generation()?;
        let mut app = App {
            store,
            lang,
            db_name,
            user,
            access,
            tab: Tab::Methods,
            tabs: Tabs::default(),
            moment: Moment::today(),
            detail: None,
            popup: None,
            form: None,
            deck: None,
            message: None,
            size,
            should_quit: false,
            data_version,
            log_mark,
            caught_up,
            fetches: 0,
            seen_change: false,
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
        // A member lands on their own unit: while a round asks it questions not yet
        // answered, on its checklist; else on its detail, its row in Units when they go
        // back, and its column in the Matrix.
        let on_checklist = app.access.role == Role::Member && app.land_on_checklist()?;
        if app.access.role == Role::Member
            && !on_checklist
            && let Some(&unit) = app.access.units.first()
        {
            if let Some(at) = app.store.unit_position("", unit)? {
                app.tabs.units.list.selected = at;
            }
            app.tabs.matrix.start_on_unit = Some(unit);
            app.tab = Tab::Units;
            app.detail = Some(Detail::open(
                &app.store,
                tabs::Target::Unit(unit),
                &app.moment,
            )?);
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

    /// Whether this person may do an action: edit keys (`keymap::is_edit`) follow the role
    /// (the store checks every write again); members record and retract, coordinators also
    /// create, edit and reorganise.
    pub fn can(&self, action: Action) -> bool {
        match action {
            _ if !keymap::is_edit(action) => true,
            Action::RecordStage
            | Action::Retract
            | Action::ConfirmStage
            | Action::Discontinue
            | Action::NotUsedHere
            | Action::ConfirmAll => self.access.can_record(),
            _ => self.access.is_coordinator(),
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

    /// Rows in a page of the table on screen.
    fn page(&self) -> usize {
        crate::layout::list_rows(self.size)
    }

    /// What fills the body (see `Body`): the one place the priority is written.
    pub fn body(&self) -> Body<'_> {
        match (&self.form, &self.detail) {
            (Some(form), _) => Body::Form(form),
            (None, Some(detail)) => Body::Detail(detail),
            (None, None) => Body::Tab(self.tabs.get(self.tab)),
        }
    }

    /// What has the keys (see `Layer`).
    pub fn layer(&self) -> Layer<'_> {
        match &self.popup {
            Some(popup) => Layer::Popup(popup),
            None => Layer::Body(self.body()),
        }
    }

    /// Opens the workshop presentation (`P`, or `--present` at the start).
    pub fn present(&mut self, options: &DeckOptions) -> Result<()> {
        self.deck = Some(Deck::open(
            &self.store,
            options,
            self.moment.day,
            self.size,
        )?);
        // A recovered draft stays stored and is offered the next time the tabs open.
        if matches!(self.popup, Some(Popup::Draft { .. })) {
            self.popup = None;
        }
        Ok(())
    }

    /// The key-map contexts active now. Their order decides nothing: `keymap::lookup` takes
    /// the first binding of any of them in the key map's own order.
    pub fn contexts(&self) -> Vec<Context> {
        if self.popup.is_none() && self.deck.is_some() {
            return vec![Context::Present];
        }
        match self.layer() {
            Layer::Popup(popup) => popup.contexts(),
            Layer::Body(Body::Form(form)) => form.contexts(),
            Layer::Body(Body::Detail(_)) => vec![Context::Detail, Context::Browse],
            Layer::Body(Body::Tab(tab)) => tab.contexts(),
        }
    }

    /// A key press: an action from the key map, or text for the field being typed in.
    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == ratatui::crossterm::event::KeyEventKind::Release {
            return;
        }
        // Behind the "too small" message only quitting works: nothing changes unseen.
        if crate::layout::too_small(self.size) {
            let ctrl_c =
                key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
            if key.code == KeyCode::Char('q') || ctrl_c {
                self.should_quit = true;
            }
            return;
        }
        let contexts = self.contexts();
        if let Some(action) = keymap::lookup(&contexts, &key) {
            if action == Action::TypeDigit {
                if let (Some(deck), KeyCode::Char(c)) = (&mut self.deck, key.code) {
                    deck.typed.push(c);
                }
                return;
            }
            self.update(action);
            return;
        }
        // Ctrl-C always quits, whatever is being typed.
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            self.update(Action::Quit);
            return;
        }
        if let Some(Popup::Retract {
            reason,
            error,
            confirm_discard,
            ..
        }) = &mut self.popup
        {
            if key.code != KeyCode::Enter && !*confirm_discard {
                form::type_into(reason, key);
                *error = None;
            }
        } else if let Some(Popup::AsOf { input, error }) = &mut self.popup {
            if key.code != KeyCode::Enter
                && !matches!(key.code, KeyCode::Char(c) if crate::domain::text::is_forbidden(c))
            {
                form::type_into(input, key);
                *error = None;
            }
        } else if let Some(form) = &mut self.form {
            if !form.confirm_discard {
                form.input(key.into());
                self.after_form_input();
            }
        } else if contexts.contains(&Context::Filter)
            && self.tabs.get_mut(self.tab).type_filter(&key)
        {
            self.report(|app| app.reload());
        }
    }

    /// Text pasted into the field, filter or dialog being typed in.
    pub fn handle_paste(&mut self, text: &str) {
        if let Some(form) = &mut self.form {
            form.paste(text);
            self.after_form_input();
        }
    }

    /// The terminal's new size: the screens fetch what now fits.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
        self.report(|app| app.reload());
        if let Some(deck) = &mut self.deck
            && let Err(e) = deck.resize(&self.store, (width, height))
        {
            self.say(e);
        }
    }

    /// Runs a store operation; a failure becomes the status-line message.
    fn report(&mut self, f: impl FnOnce(&mut App) -> Result<()>) {
        if let Err(e) = f(self) {
            self.say(e);
        }
    }

    /// Shows an error on the status line, SQLite's faults of the file said in words.
    fn say(&mut self, e: anyhow::Error) {
        let e = self.store.explain(e);
        self.message = Some(crate::domain::problem::say(&e, self.lang));
    }

    /// Looks for other processes' commits (at most every 500 ms) and refreshes if any.
    /// Whether the screen may look different now: a session nobody touches is not drawn
    /// again (the terminal loop draws after keys, and when this says so), so an idle app
    /// costs only the change check. The presentation has clocks and a film: always.
    pub fn tick(&mut self) -> bool {
        if self.last_poll.elapsed() >= POLL_EVERY {
            self.poll_now();
        }
        let mut changed = std::mem::take(&mut self.seen_change);
        // An Activity filter's exact count, when it is done: the list is fetched with it.
        match self.tabs.activity.take_count() {
            Ok(true) => {
                changed = true;
                self.report(|app| app.reload());
            }
            Ok(false) => {}
            Err(e) => {
                changed = true;
                self.say(e);
            }
        }
        if let Some(deck) = &mut self.deck {
            changed = true;
            if let Err(e) = deck.tick(&self.store) {
                self.say(e);
            }
        }
        changed || self.busy()
    }

    /// Whether something is under way in the background (an exact count), which the
    /// terminal loop then looks for often rather than every quarter second.
    pub fn busy(&self) -> bool {
        self.tabs.activity.counting()
    }

    /// Looks for other processes' commits now, and refreshes the screen if there are any.
    pub fn poll_now(&mut self) {
        self.last_poll = Instant::now();
        match self.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                // The screen is drawn again when it looks different: the live mark's minute,
                // a role, or rows the change touched. The mark says the minute, not the
                // second: a screen no change touches is then drawn at most once a minute
                // however many commits arrive (with 300 sessions and 4 commits a second, a
                // redraw a second in every session was a third of a core).
                let mark = Some(chrono::Local::now().format("%H:%M").to_string());
                self.seen_change |= mark != self.last_change;
                self.last_change = mark;
                // Roles only change through someone's commit, so they are read again here,
                // not on every keystroke.
                match self.store.access() {
                    Ok(access) if access != self.access => {
                        self.access = access;
                        self.seen_change = true;
                    }
                    Ok(_) => {}
                    Err(e) => {
                        self.seen_change = true;
                        self.say(e);
                    }
                }
                // Only a change to what the screen shows fetches it again: with hundreds of
                // people on one register, most commits touch none of a screen's rows.
                match self.catch_up() {
                    Ok(true) => {
                        self.seen_change = true;
                        self.report(|app| app.follow_selection());
                        self.report(|app| app.reload_screen());
                    }
                    Ok(false) => {}
                    Err(e) => {
                        self.seen_change = true;
                        self.say(e);
                    }
                }
                let clock = chrono::Local::now().format("%H:%M").to_string();
                if let Some(deck) = &mut self.deck
                    && let Err(e) = deck.live(&self.store, &clock)
                {
                    self.say(e);
                }
            }
            Ok(_) => {}
            Err(e) => {
                self.seen_change = true;
                self.say(e);
            }
        }
    }

    /// Acts on an action: the one place every action is handled, by what has the keys (the
    /// presentation, a popup, a form, or a detail view or tab).
    pub fn update(&mut self, action: Action) {
        // An edit key on a tab or a detail view: this person's role, and today only (the past
        // is for looking at: records are made as of today).
        if self.popup.is_none() && self.form.is_none() && keymap::is_edit(action) {
            if !self.can(action) {
                self.message = Some(self.refusal());
                return;
            }
            if !self.moment.is_today() {
                self.message = Some(format!(
                    "{} {}: {}",
                    self.lang.pick("Visar", "Viewing"),
                    self.moment.day,
                    self.lang.pick(
                        "gå tillbaka till i dag (@ Enter) för att registrera",
                        "go back to today (@ Enter) to record"
                    )
                ));
                return;
            }
        }
        if !matches!(action, Action::Up | Action::Down) {
            self.message = None;
        }
        if self.popup.is_none() && self.deck.is_some() {
            self.update_deck(action);
            return;
        }
        match self.layer() {
            Layer::Popup(_) => self.update_popup(action),
            Layer::Body(Body::Form(_)) => self.update_form(action),
            Layer::Body(Body::Detail(_) | Body::Tab(_)) => self.update_screen(action),
        }
    }

    /// An action on a detail view or a tab.
    fn update_screen(&mut self, action: Action) {
        match action {
            Action::Quit => self.should_quit = true,
            Action::Help => self.popup = Some(Popup::Help { scroll: 0 }),
            Action::NextTab | Action::PrevTab => {
                self.tab = self
                    .tab
                    .step(if action == Action::NextTab { 1 } else { -1 });
                self.detail = None;
                self.report(|app| app.reload());
            }
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
                if self.detail.is_some() =>
            {
                self.scroll_detail(action)
            }
            Action::Up
            | Action::Down
            | Action::Left
            | Action::Right
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
            | Action::Filter
            | Action::Confirm
            | Action::Cancel
            | Action::ToggleHistoricalUnits
            | Action::ToggleRollUp
            | Action::NextView
            | Action::SortNext
            | Action::SortReverse => self.act_on_tab(action),
            Action::Open => self.report(|app| app.open()),
            Action::Back => {
                self.detail = None;
                self.report(|app| app.reload());
            }
            Action::RecordStage => self.report(|app| app.open_record_form()),
            Action::New => self.report(|app| app.open_new_form()),
            Action::Edit => self.report(|app| app.open_edit_form()),
            Action::Retract => self.open_retract(),
            Action::ConfirmStage => self.report(|app| app.confirm_here()),
            Action::Discontinue => self.report(|app| app.open_discontinue_form()),
            Action::NotUsedHere => self.report(|app| app.not_used_here()),
            Action::ConfirmAll => self.report(|app| app.ask_confirm_all()),
            Action::CloseRound => self.report(|app| app.ask_close_round()),
            Action::ToggleCurrentOnly => {
                self.moment.current_only = !self.moment.current_only;
                self.report(|app| app.reload());
            }
            Action::Reorganise => self.open_reorganise_form(),
            Action::AddPerson => {
                self.form = Some(form::Form::build(
                    form::FormKind::NewPerson,
                    self.lang,
                    &form::Values::new(),
                ));
            }
            Action::YearBack => self.step_months(-12),
            Action::YearForward => self.step_months(12),
            Action::MonthBack => self.step_months(-1),
            Action::MonthForward => self.step_months(1),
            Action::AsOf => {
                self.popup = Some(Popup::AsOf {
                    input: Box::default(),
                    error: None,
                })
            }
            Action::Present => {
                let options = DeckOptions::default();
                self.report(|app| app.present(&options));
            }
            Action::NextSlide
            | Action::PrevSlide
            | Action::PlayFilm
            | Action::TypeDigit
            | Action::NextField
            | Action::PrevField
            | Action::Save
            | Action::Deny
            | Action::Overwrite
            | Action::TakeTheirs
            | Action::Merge => {}
        }
    }

    /// Moving in a detail view: by a line, a page, or to either end.
    fn scroll_detail(&mut self, action: Action) {
        let page = self.page() as isize;
        let delta = match action {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Top => isize::MIN / 2,
            _ => isize::MAX / 2,
        };
        if let Some(d) = &mut self.detail {
            // On a unit's detail ↑/↓ select among its stages first.
            let row_step = matches!(action, Action::Up | Action::Down);
            if !(row_step && d.move_row(delta)) {
                d.scroll_by(delta);
            } else {
                // The row moved: the page follows it when it would leave the view.
                d.keep_row_in_view(self.lang, crate::layout::detail_text(self.size));
            }
        }
    }

    /// Moving and the tab's own keys, which the tab acts on; then what it shows is fetched.
    fn act_on_tab(&mut self, action: Action) {
        let page = self.page();
        self.tabs.get_mut(self.tab).act(action, page);
        // Turning the filter on or off changes nothing on screen but the title.
        if !matches!(action, Action::Filter | Action::Confirm) {
            self.report(|app| app.reload());
        }
    }

    /// An action in the presentation. Nothing here writes: the deck has no edit keys.
    fn update_deck(&mut self, action: Action) {
        let Some(deck) = &mut self.deck else {
            return;
        };
        let store = &self.store;
        let film = deck.current() == deck::SlideKind::Film && !deck.film.playing;
        if action != Action::Confirm {
            deck.typed.clear();
        }
        let result = match action {
            Action::Quit => {
                self.should_quit = true;
                Ok(())
            }
            Action::Back if deck.from_command_line => {
                self.should_quit = true;
                Ok(())
            }
            Action::Back => {
                self.deck = None;
                self.report(|app| app.reload());
                return;
            }
            Action::Help => {
                self.popup = Some(Popup::Help { scroll: 0 });
                Ok(())
            }
            Action::Right if film && deck.film.year < deck.film.last => {
                deck.show_year(store, deck.film.year + 1)
            }
            Action::Left if film && deck.film.year > deck.film.first => {
                deck.show_year(store, deck.film.year - 1)
            }
            Action::Right | Action::NextSlide => deck.go(store, deck.slide + 1),
            Action::Left | Action::PrevSlide => deck.go(store, deck.slide.saturating_sub(1)),
            Action::Top => deck.go(store, 0),
            Action::Bottom => deck.go(store, deck.slide_count() - 1),
            Action::Confirm => {
                let wanted = deck.typed.parse::<usize>().ok();
                deck.typed.clear();
                match wanted {
                    Some(n) if n >= 1 => deck.go(store, n - 1),
                    _ => Ok(()),
                }
            }
            Action::PlayFilm => deck.toggle_play(store),
            _ => Ok(()),
        };
        if let Err(e) = result {
            self.say(e);
        }
    }

    /// Moves the day every screen shows by `months`, never past today.
    fn step_months(&mut self, months: i32) {
        let day = self.moment.day;
        let moved = if months < 0 {
            day.checked_sub_months(chrono::Months::new(months.unsigned_abs()))
        } else {
            day.checked_add_months(chrono::Months::new(months as u32))
        };
        let today = chrono::Local::now().date_naive();
        if let Some(d) = moved {
            self.set_day(d.min(today));
        }
    }

    /// Shows every screen as of `day`.
    pub fn set_day(&mut self, day: chrono::NaiveDate) {
        self.moment.day = day;
        self.report(|app| app.reload());
    }

    /// Enter: opens what the tab has selected.
    fn open(&mut self) -> Result<()> {
        // Enter on a unit's progress in a round opens its checklist, not its detail.
        if self.tab == Tab::Rounds
            && self.tabs.rounds.unit.is_none()
            && let Some(tabs::Target::Unit(unit)) = self.tabs.rounds.open(&self.store)?
        {
            self.tabs.rounds.show_unit(&self.store, unit)?;
            return self.reload();
        }
        if let Some(target) = self.tabs.get(self.tab).open(&self.store)? {
            self.detail = Some(Detail::open(&self.store, target, &self.moment)?);
        }
        Ok(())
    }

    /// Keeps the same record selected when other people's changes move it in the list.
    fn follow_selection(&mut self) -> Result<()> {
        self.tabs.get_mut(self.tab).follow_selection(&self.store)
    }

    /// Fetches what the current screen shows, keeping the selection, after catching up on
    /// the changes since the screens last looked (this person's own among them).
    pub fn reload(&mut self) -> Result<()> {
        self.catch_up()?;
        self.reload_screen()
    }

    /// Reads the change log since the screens last looked and tells every tab what changed
    /// (each drops what it kept that the changes touch); whether the screen on display must
    /// be fetched again. A coordinator may have changed `fresh-months` meanwhile: it is read
    /// again, and a change of it changes every figure.
    fn catch_up(&mut self) -> Result<bool> {
        if self.store.generation()? == self.caught_up {
            return Ok(false);
        }
        let (mut changes, mark) = self.store.changes_since(self.log_mark)?;
        self.log_mark = mark;
        self.caught_up = changes.at;
        let fresh = self.store.fresh_months()?;
        if fresh != self.moment.fresh_months {
            self.moment.fresh_months = fresh;
            changes.structure = true;
        }
        let mut shown = false;
        for &tab in Tab::ALL {
            let touched = self.tabs.get_mut(tab).changed(&changes);
            shown |= touched && tab == self.tab;
        }
        if let Some(detail) = &self.detail {
            shown = detail.changed(&changes);
        }
        Ok(shown)
    }

    /// Fetches what the current screen shows, keeping the selection.
    fn reload_screen(&mut self) -> Result<()> {
        self.fetches += 1;
        match &mut self.detail {
            Some(detail) => detail.reload(&self.store, &self.moment),
            None => self
                .tabs
                .get_mut(self.tab)
                .reload(&self.store, self.size, &self.moment),
        }
    }
}

#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;
