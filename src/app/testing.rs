//! What the app's tests (and `ui`'s, which look at the drawn screen) share: the sample
//! database opened as a person, and keys pressed as a person does.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Tab};
use crate::domain::{EventDate, NewEvent, Stage};
use crate::i18n::Lang;
use crate::store::{HistoryFilter, Store};

pub(crate) struct Fixture {
    pub _dir: tempfile::TempDir,
    pub db: std::path::PathBuf,
    pub app: App,
}

/// A copy of the sample (as `data/sample.json` builds it), opened by `user` as its owner.
pub(crate) fn sample(user: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sample.db");
    std::fs::copy(crate::sample::pristine(), &db).unwrap();
    // As the file's owner, who may do everything (roles have their own tests).
    let mut store = Store::open(&db, user).unwrap();
    store.grant_owner();
    let app = App::new(store, Lang::En, (80, 24)).unwrap();
    Fixture { _dir: dir, db, app }
}

impl Fixture {
    /// The same database in another session, as `login`; as the file's owner when `owner`
    /// (a coordinator), else with the role `login` is registered with.
    pub(crate) fn reopen(&self, login: &str, owner: bool) -> App {
        let store = if owner {
            self.other_process(login)
        } else {
            Store::open(&self.db, login).unwrap()
        };
        App::new(store, Lang::En, (80, 24)).unwrap()
    }

    /// Moves to `tab` the way a person does, with the Tab key.
    pub(crate) fn go_to(&mut self, tab: Tab) -> &mut Self {
        for _ in 0..=Tab::ALL.len() {
            if self.app.tab == tab && self.app.detail.is_none() {
                return self;
            }
            self.keys(&[KeyCode::Tab]);
        }
        panic!("{tab:?} is not reached with Tab");
    }

    /// Another process on the same database, as its owner `login`.
    pub(crate) fn other_process(&self, login: &str) -> Store {
        let mut store = Store::open(&self.db, login).unwrap();
        store.grant_owner();
        store
    }

    pub(crate) fn keys(&mut self, keys: &[KeyCode]) -> &mut Self {
        for k in keys {
            self.app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
        }
        self
    }

    pub(crate) fn typed(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.keys(&[KeyCode::Char(c)]);
        }
        self
    }

    pub(crate) fn ctrl(&mut self, c: char) -> &mut Self {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }

    pub(crate) fn events(&self) -> usize {
        self.app
            .store
            .history(&HistoryFilter::default())
            .unwrap()
            .len()
    }
}

/// Records `stage` for ASI in KH today through `store`.
pub(crate) fn record_today(store: &mut Store, stage: Stage, note: &str) {
    let (method_id, _) = store.find_method("ASI").unwrap();
    let (unit_id, _) = store.find_unit("KH").unwrap();
    store
        .record_stage(&NewEvent {
            method_id,
            unit_id,
            stage,
            date: EventDate::today(),
            note: note.into(),
            source: String::new(),
        })
        .unwrap();
}

/// The ids of the units that exist today (not closed).
pub(crate) fn units_of_today(store: &Store) -> Vec<i64> {
    store
        .units()
        .unwrap()
        .iter()
        .filter(|u| u.valid_to.is_none())
        .map(|u| u.id)
        .collect()
}

/// Adds `n` events of ASI in one transaction, exploring and pilot in turn, over the units
/// that exist today, recorded by `user0`…`user6`.
pub(crate) fn add_asi_events(store: &mut Store, n: usize) {
    let (asi, _) = store.find_method("ASI").unwrap();
    let units = units_of_today(store);
    let events = (0..n).map(|i| crate::store::BulkEvent {
        method_id: asi,
        unit_id: units[i % units.len()],
        stage: if i % 2 == 0 {
            Stage::Pilot
        } else {
            Stage::Exploring
        },
        date: format!("2024-{:02}-01", 1 + i % 12).parse().unwrap(),
        note: format!("bulk {i}"),
        recorded_at: "2026-11-01T12:00:00Z".into(),
        recorded_by: format!("user{}", i % 7),
    });
    store.add_events_bulk(events).unwrap();
}

/// Opens the sample as `login` (not the owner), after the owner registered people.
pub(crate) fn as_person(login: &str, register: &[(&str, &str, &[&str])]) -> Fixture {
    let mut f = sample("owner");
    for (who, role, units) in register {
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        f.app.store.add_user(who, role, &units).unwrap();
    }
    let app = f.reopen(login, false);
    Fixture { app, ..f }
}
