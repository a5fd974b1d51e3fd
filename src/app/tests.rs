//! The app's state as keys change it: filters, forms, saving, retracting, live refresh.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::domain::{EventDate, NewEvent, Stage};
use crate::store::HistoryFilter;

struct Fixture {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
    app: App,
}

fn sample(user: &str) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sample.db");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db"), &db).unwrap();
    let app = App::new(Store::open(&db, user).unwrap(), Lang::En, (80, 24)).unwrap();
    Fixture { _dir: dir, db, app }
}

impl Fixture {
    fn keys(&mut self, keys: &[KeyCode]) -> &mut Self {
        for k in keys {
            self.app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
        }
        self
    }

    fn typed(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.keys(&[KeyCode::Char(c)]);
        }
        self
    }

    fn ctrl(&mut self, c: char) -> &mut Self {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }

    fn events(&self) -> usize {
        self.app
            .store
            .history(&HistoryFilter::default())
            .unwrap()
            .len()
    }
}

use KeyCode::{BackTab, Backspace, Char, Down, Enter, Esc, Right, Tab as TabKey};

#[test]
fn filtering_narrows_the_list_and_esc_brings_all_back() {
    let mut f = sample("tester");
    let all = f.app.methods.total;
    assert!(all >= 20);
    f.keys(&[Char('/')]).typed("kartl");
    assert!(f.app.methods.total < all);
    assert!(
        f.app
            .methods
            .rows
            .iter()
            .all(|m| m.name.to_lowercase().contains("kartl"))
    );
    f.keys(&[Esc]);
    assert_eq!(f.app.methods.total, all);
    assert!(f.app.methods.filter.is_empty());
}

#[test]
fn q_in_a_filter_is_text_not_quit() {
    let mut f = sample("tester");
    f.keys(&[Char('/')]).typed("q");
    assert!(!f.app.should_quit);
    assert_eq!(f.app.methods.filter, "q");
    f.keys(&[Enter, Char('q')]);
    assert!(
        f.app.should_quit,
        "after Enter the filter is kept and keys act again"
    );
}

#[test]
fn recording_a_stage_with_the_keyboard_writes_one_event() {
    let mut f = sample("tester");
    let before = f.events();
    // Units tab, filter to Farsta, record: unit is filled in, the method is typed.
    f.keys(&[TabKey, Char('/')])
        .typed("farsta")
        .keys(&[Enter, Char('s')]);
    assert_eq!(f.app.form.as_ref().unwrap().get("unit"), "FA");
    f.typed("ASI")
        .keys(&[TabKey, Right, TabKey, TabKey])
        .typed("Utbildning klar");
    f.ctrl('s');
    assert!(
        f.app.form.is_none(),
        "saved and closed: {:?}",
        f.app.form.as_ref().and_then(|f| f.error.clone())
    );
    assert_eq!(f.events(), before + 1);
    let last = f
        .app
        .store
        .history(&HistoryFilter::default())
        .unwrap()
        .into_iter()
        .max_by_key(|e| e.id)
        .unwrap();
    assert_eq!(
        (last.method.as_str(), last.unit.as_str(), last.stage),
        ("ASI", "FA", Stage::Preparing)
    );
    assert_eq!(last.note, "Utbildning klar");
    assert_eq!(last.recorded_by, "tester");
}

#[test]
fn a_wrong_field_blocks_saving_and_says_where() {
    let mut f = sample("tester");
    f.keys(&[Char('s')]).typed("XYZ");
    f.ctrl('s');
    let form = f.app.form.as_ref().expect("still open");
    let unit = form.fields.iter().find(|x| x.name == "unit").unwrap();
    assert!(
        unit.error
            .as_deref()
            .unwrap_or("")
            .contains("unknown unit 'XYZ'")
    );
    assert!(form.error.is_some());
}

#[test]
fn esc_asks_before_dropping_typed_text() {
    let mut f = sample("tester");
    f.keys(&[Char('s')]).typed("KH").keys(&[Esc]);
    assert!(f.app.form.as_ref().unwrap().confirm_discard);
    f.keys(&[Char('n')]);
    assert_eq!(
        f.app.form.as_ref().unwrap().get("unit"),
        "KH",
        "no keeps the text"
    );
    f.keys(&[Esc, Char('y')]);
    assert!(f.app.form.is_none());
}

#[test]
fn esc_on_an_untouched_form_just_closes_it() {
    let mut f = sample("tester");
    f.keys(&[Char('s'), Esc]);
    assert!(f.app.form.is_none());
}

#[test]
fn retracting_from_activity_keeps_the_event_and_marks_it() {
    let mut f = sample("tester");
    let before = f.events();
    f.keys(&[BackTab]);
    assert_eq!(f.app.tab, Tab::Activity);
    let id = f.app.activity.selected_row().unwrap().id;
    f.keys(&[Char('x')]);
    f.ctrl('s');
    assert!(
        matches!(f.app.popup, Some(Popup::Retract { error: Some(_), .. })),
        "a reason is required"
    );
    f.typed("Fel enhet");
    f.ctrl('s');
    assert!(f.app.popup.is_none());
    assert_eq!(f.events(), before, "nothing is deleted");
    let e = f.app.store.event(id).unwrap();
    assert_eq!(e.retraction.unwrap().reason, "Fel enhet");
}

#[test]
fn the_matrix_shows_historical_units_on_request() {
    let mut f = sample("tester");
    f.keys(&[TabKey, TabKey]);
    let today = f.app.matrix.units.len();
    assert!(!f.app.matrix.units.iter().any(|u| u.code == "VA"));
    f.keys(&[Char('H')]);
    assert!(f.app.matrix.units.len() > today);
    assert!(f.app.matrix.units.iter().any(|u| u.code == "VA"));
}

#[test]
fn moving_past_the_window_fetches_the_next_rows() {
    let mut f = sample("tester");
    let height = f.app.list_height();
    for _ in 0..height + 2 {
        f.keys(&[Down]);
    }
    assert_eq!(f.app.methods.selected, height + 2);
    assert!(f.app.methods.offset > 0);
    assert_eq!(
        f.app.methods.rows.len(),
        height.min(f.app.methods.total - f.app.methods.offset)
    );
    let expected = f.app.store.method_summaries("", height + 2, 1).unwrap();
    assert_eq!(f.app.methods.selected_row(), expected.first());
}

#[test]
fn another_process_s_change_shows_up_on_the_next_poll() {
    let mut f = sample("tester");
    f.keys(&[BackTab]);
    let before = f.app.activity.total;
    let mut other = Store::open(&f.db, "someone").unwrap();
    let (method_id, _) = other.find_method("ASI").unwrap();
    let (unit_id, _) = other.find_unit("KH").unwrap();
    other
        .record_stage(&NewEvent {
            method_id,
            unit_id,
            stage: Stage::Exploring,
            date: EventDate::today(),
            note: "från en annan process".into(),
            source: String::new(),
        })
        .unwrap();
    f.app.poll_now();
    assert_eq!(f.app.activity.total, before + 1);
    assert_eq!(f.app.activity.rows[0].recorded_by, "someone");
    assert!(f.app.last_change.is_some());
}

#[test]
fn backspace_in_a_detail_goes_back() {
    let mut f = sample("tester");
    f.keys(&[Enter]);
    assert!(matches!(f.app.screen, Screen::MethodDetail { .. }));
    f.keys(&[Backspace]);
    assert!(matches!(f.app.screen, Screen::Tabs));
}

#[test]
fn viewers_cannot_open_edit_forms() {
    let mut f = sample("viewer1");
    f.app.store.add_user("viewer1", "viewer", &[]).unwrap();
    f.app.role = Some("viewer".into());
    f.keys(&[Char('s')]);
    assert!(f.app.form.is_none());
    assert!(f.app.message.is_some());
}
