//! The app's state as keys change it: filters, forms, saving, retracting, live refresh.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::testing::{Fixture, as_person, record_today, sample};
use super::*;
use crate::app::form::FieldName;
use crate::domain::{EventDate, Stage};
use crate::store::HistoryFilter;

use KeyCode::{BackTab, Backspace, Char, Down, Enter, Esc, Right, Tab as TabKey};

#[test]
fn filtering_narrows_the_list_and_esc_brings_all_back() {
    let mut f = sample("tester");
    let all = f.app.tabs.methods.list.total;
    assert!(all >= 20);
    f.keys(&[Char('/')]).typed("kartl");
    assert!(f.app.tabs.methods.list.total < all);
    assert!(
        f.app
            .tabs
            .methods
            .list
            .rows
            .iter()
            .all(|m| m.name.to_lowercase().contains("kartl"))
    );
    f.keys(&[Esc]);
    assert_eq!(f.app.tabs.methods.list.total, all);
    assert!(f.app.tabs.methods.list.filter.is_empty());
}

#[test]
fn q_in_a_filter_is_text_not_quit() {
    let mut f = sample("tester");
    f.keys(&[Char('/')]).typed("q");
    assert!(!f.app.should_quit);
    assert_eq!(f.app.tabs.methods.list.filter, "q");
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
    f.go_to(Tab::Units)
        .keys(&[Char('/')])
        .typed("farsta")
        .keys(&[Enter, Char('s')]);
    assert_eq!(f.app.form.as_ref().unwrap().get(FieldName::Unit), "FA");
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
    let unit = form
        .fields
        .iter()
        .find(|x| x.name == FieldName::Unit)
        .unwrap();
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
        f.app.form.as_ref().unwrap().get(FieldName::Unit),
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
    f.go_to(Tab::Activity);
    let row = f.app.tabs.activity.list.selected_row().unwrap();
    let id = row
        .event
        .as_ref()
        .expect("the newest change is an event")
        .id;
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
    f.go_to(Tab::Matrix);
    let today = f.app.tabs.matrix.units.len();
    assert!(!f.app.tabs.matrix.units.iter().any(|u| u.code == "VA"));
    f.keys(&[Char('H')]);
    assert!(f.app.tabs.matrix.units.len() > today);
    assert!(f.app.tabs.matrix.units.iter().any(|u| u.code == "VA"));
}

#[test]
fn moving_past_the_window_fetches_the_next_rows() {
    let mut f = sample("tester");
    let height = crate::layout::list_rows(f.app.size);
    for _ in 0..height + 2 {
        f.keys(&[Down]);
    }
    assert_eq!(f.app.tabs.methods.list.selected, height + 2);
    assert!(f.app.tabs.methods.list.offset > 0);
    assert_eq!(
        f.app.tabs.methods.list.rows.len(),
        height.min(f.app.tabs.methods.list.total - f.app.tabs.methods.list.offset)
    );
    let expected = f
        .app
        .store
        .method_summaries("", (height + 2, 1), &Moment::today())
        .unwrap();
    assert_eq!(f.app.tabs.methods.list.selected_row(), expected.first());
}

#[test]
fn another_process_s_change_shows_up_on_the_next_poll() {
    let mut f = sample("tester");
    f.go_to(Tab::Activity);
    let before = f.app.tabs.activity.list.total;
    let mut other = f.other_process("someone");
    record_today(&mut other, Stage::Exploring, "från en annan process");
    f.app.poll_now();
    assert_eq!(f.app.tabs.activity.list.total, before + 1);
    assert_eq!(f.app.tabs.activity.list.rows[0].login, "someone");
    assert!(f.app.last_change.is_some());
}

/// Another process's commit fetches the screen again only when it touches what the screen
/// shows: a method off screen costs the Methods tab nothing, one on screen a fetch; people
/// and settings that change no row cost nothing either. A detail view likewise.
#[test]
fn only_a_change_to_what_is_on_screen_fetches_it_again() {
    let mut f = sample("tester");
    let shown: Vec<i64> = f.app.tabs.methods.list.rows.iter().map(|m| m.id).collect();
    let off_screen = f
        .app
        .store
        .methods()
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .find(|id| !shown.contains(id))
        .expect("more methods than fit on the screen");
    let (unit, _) = f.app.store.find_unit("KH").unwrap();
    let mut other = f.other_process("someone");
    let record = |store: &mut Store, method_id: i64, stage: Stage| {
        store
            .record_stage(&crate::domain::NewEvent {
                method_id,
                unit_id: unit,
                stage,
                date: crate::domain::EventDate::today(),
                note: String::new(),
                source: String::new(),
            })
            .unwrap();
    };

    let before = f.app.fetches;
    record(&mut other, off_screen, Stage::Exploring);
    other.add_user("bertil", "viewer", &[]).unwrap();
    f.app.poll_now();
    assert_eq!(
        f.app.fetches, before,
        "a change off screen fetched the screen"
    );
    assert!(
        f.app.last_change.is_some(),
        "the live mark says a change came"
    );

    record(&mut other, shown[0], Stage::Pilot);
    f.app.poll_now();
    assert_eq!(f.app.fetches, before + 1);
    let expected = f
        .app
        .store
        .method_summaries("", (0, shown.len()), &Moment::today())
        .unwrap();
    assert_eq!(f.app.tabs.methods.list.rows, expected);

    // The terminal loop draws again only when the screen looks different.
    f.app.tick();
    assert!(
        !f.app.tick(),
        "nothing happened, yet a redraw was asked for"
    );
    record(&mut other, shown[0], Stage::Exploring);
    f.app.poll_now();
    assert!(f.app.tick(), "a change on screen, yet no redraw");
    assert!(!f.app.tick());

    // A detail view: its own method only.
    f.keys(&[Enter]);
    let before = f.app.fetches;
    record(&mut other, off_screen, Stage::Pilot);
    f.app.poll_now();
    assert_eq!(f.app.fetches, before);
    record(&mut other, shown[0], Stage::Implemented);
    f.app.poll_now();
    assert_eq!(f.app.fetches, before + 1);
}

#[test]
fn backspace_in_a_detail_goes_back() {
    let mut f = sample("tester");
    f.keys(&[Enter]);
    assert!(matches!(f.app.detail, Some(Detail::Method { .. })));
    f.keys(&[Backspace]);
    assert!(f.app.detail.is_none());
}

#[test]
fn viewers_get_no_edit_keys_and_no_forms() {
    let mut f = as_person("vera", &[("vera", "viewer", &[])]);
    assert_eq!(f.app.access.role, Role::Viewer);
    assert!(!f.app.can(Action::RecordStage));
    f.keys(&[Char('s')]);
    assert!(f.app.form.is_none());
    assert!(f.app.message.as_deref().unwrap().contains("read access"));
    f.keys(&[Char('e')]);
    assert!(f.app.form.is_none());
}

#[test]
fn an_unregistered_login_reads_only_and_is_told_how_to_get_access() {
    let mut f = as_person("ulla", &[]);
    let before = f.events();
    assert_eq!(f.app.access.role, Role::Unregistered);
    f.keys(&[Char('s')]);
    assert!(f.app.form.is_none());
    assert!(
        f.app
            .message
            .as_deref()
            .unwrap()
            .contains("spridning user add ulla")
    );
    f.go_to(Tab::Activity).keys(&[Char('x')]);
    assert!(f.app.popup.is_none());
    assert_eq!(f.events(), before);
}

#[test]
fn a_member_lands_on_their_unit_and_records_only_there() {
    let mut f = as_person("maja", &[("maja", "member", &["FA"])]);
    match &f.app.detail {
        Some(Detail::Unit { detail, .. }) => assert_eq!(detail.unit.code, "FA"),
        _ => panic!("a member opens on their unit"),
    }
    let before = f.events();
    // Their own unit: saved.
    f.keys(&[Char('s')]).typed("ASI").ctrl('s');
    assert!(
        f.app.form.is_none(),
        "{:?}",
        f.app.form.as_ref().map(|x| x
            .fields
            .iter()
            .map(|f| (f.name, f.value(), f.error.clone()))
            .collect::<Vec<_>>())
    );
    assert_eq!(f.events(), before + 1);
    // Another unit: refused at save, the form stays open with the reason, nothing written.
    f.keys(&[Char('s'), BackTab]);
    for _ in 0..2 {
        f.keys(&[Backspace]);
    }
    f.typed("KH").keys(&[TabKey]).typed("ASI").ctrl('s');
    let form = f.app.form.as_ref().expect("the form stays open");
    // The refusal is at the unit field, which has the focus.
    let unit = form
        .fields
        .iter()
        .position(|x| x.name == FieldName::Unit)
        .unwrap();
    assert_eq!(form.focus, unit);
    assert!(
        form.fields[unit]
            .error
            .as_deref()
            .unwrap()
            .contains("cannot record a stage for KH"),
        "{:?}",
        form.fields[unit].error
    );
    assert!(form.error.is_none());
    assert_eq!(f.events(), before + 1);
    // No method editing for members.
    f.keys(&[Esc, Char('y'), Esc, Char('e')]);
    assert!(f.app.form.is_none());
}

#[test]
fn a_kept_draft_of_an_edit_comes_back_as_the_same_edit() {
    let mut f = sample("tester");
    f.keys(&[Char('e')]);
    for _ in 0..40 {
        f.keys(&[Backspace]);
    }
    f.typed("Nytt namn");
    f.app.keep_draft().unwrap();
    let original_version = match f.app.form.as_ref().unwrap().kind {
        form::FormKind::EditMethod { version, .. } => version,
        _ => panic!("an edit form"),
    };
    // A new session for the same login is offered the draft.
    let mut again = App::new(Store::open(&f.db, "tester").unwrap(), Lang::En, (80, 24)).unwrap();
    assert!(matches!(again.popup, Some(Popup::Draft { .. })));
    again.handle_key(KeyEvent::new(Char('y'), KeyModifiers::NONE));
    let form = again.form.as_ref().expect("the form is back");
    assert_eq!(form.get(FieldName::Name), "Nytt namn");
    assert!(form.is_dirty());
    assert!(
        matches!(form.kind, form::FormKind::EditMethod { version, .. } if version == original_version)
    );
    // Dropping it removes it for good.
    again.handle_key(KeyEvent::new(Esc, KeyModifiers::NONE));
    again.handle_key(KeyEvent::new(Char('y'), KeyModifiers::NONE));
    assert!(again.form.is_none(), "{:?}", again.message);
    assert!(
        again.store.draft().unwrap().is_none(),
        "{:?}",
        again.message
    );
}

#[test]
fn another_login_does_not_see_my_draft() {
    let mut f = sample("tester");
    f.keys(&[Char('s')]).typed("KH");
    f.app.keep_draft().unwrap();
    let other = f.reopen("someone", false);
    assert!(other.popup.is_none());
}

/// Two people edit the same method: Anna changes the description and saves first; Bo
/// changed the area and saves second.
fn two_editors() -> (Fixture, App, crate::domain::Method) {
    let mut anna = sample("anna");
    let original = method_now(&anna);
    let mut bo = anna.reopen("bo", true);
    anna.keys(&[Char('e')]);
    bo.handle_key(KeyEvent::new(Char('e'), KeyModifiers::NONE));
    let set = |app: &mut App, field: FieldName, value: &str| {
        let form = app.form.as_mut().unwrap();
        form.field_mut(field).unwrap().set_value(value);
    };
    set(&mut anna.app, FieldName::Description, "Annas beskrivning");
    anna.ctrl('s');
    assert!(anna.app.form.is_none(), "the first save goes through");
    set(&mut bo, FieldName::Area, "bos område");
    set(&mut bo, FieldName::Contact, "Bo på enheten");
    bo.handle_key(KeyEvent::new(Char('s'), KeyModifiers::CONTROL));
    (anna, bo, original)
}

/// The method both edit: the first in the Methods list, as it is now.
fn method_now(f: &Fixture) -> crate::domain::Method {
    let id = f.app.store.method_labels(0, 1).unwrap()[0].id;
    f.app.store.method(id).unwrap()
}

#[test]
fn the_second_save_gets_the_conflict_with_original_theirs_and_mine() {
    let (anna, bo, original) = two_editors();
    let form = bo.form.as_ref().expect("Bo's form stays open");
    assert!(form.conflict.is_some(), "{:?}", form.error);
    let fields = form.conflict_fields();
    let by_name = |n: FieldName| fields.iter().find(|v| v.name == n).unwrap().clone();
    assert_eq!(by_name(FieldName::Description).theirs, "Annas beskrivning");
    assert_eq!(by_name(FieldName::Area).mine, "bos område");
    assert_eq!(by_name(FieldName::Area).original, original.area);
    // Nothing of Bo's was written over Anna's.
    assert_eq!(method_now(&anna).description, "Annas beskrivning");
    assert_eq!(method_now(&anna).area, original.area);
}

#[test]
fn merging_keeps_both_peoples_changes() {
    let (anna, mut bo, _) = two_editors();
    bo.handle_key(KeyEvent::new(Char('m'), KeyModifiers::NONE));
    let form = bo.form.as_ref().unwrap();
    assert!(form.conflict.is_none());
    assert_eq!(form.get(FieldName::Description), "Annas beskrivning");
    assert_eq!(form.get(FieldName::Area), "bos område");
    bo.handle_key(KeyEvent::new(Char('s'), KeyModifiers::CONTROL));
    assert!(
        bo.form.is_none(),
        "{:?}",
        bo.form.as_ref().map(|f| f.error.clone())
    );
    let m = method_now(&anna);
    assert_eq!(
        (
            m.description.as_str(),
            m.area.as_str(),
            m.contact.as_deref()
        ),
        ("Annas beskrivning", "bos område", Some("Bo på enheten"))
    );
}

#[test]
fn overwriting_saves_mine_over_theirs_on_purpose() {
    let (anna, mut bo, _) = two_editors();
    bo.handle_key(KeyEvent::new(Char('o'), KeyModifiers::NONE));
    assert!(bo.form.is_none());
    let m = method_now(&anna);
    assert_ne!(
        m.description, "Annas beskrivning",
        "Bo chose to save his version whole"
    );
    assert_eq!(m.area, "bos område");
}

#[test]
fn taking_theirs_keeps_my_text_in_view() {
    let (_anna, mut bo, original) = two_editors();
    bo.handle_key(KeyEvent::new(Char('t'), KeyModifiers::NONE));
    let form = bo.form.as_ref().unwrap();
    assert_eq!(form.get(FieldName::Area), original.area);
    assert_eq!(form.get(FieldName::Description), "Annas beskrivning");
    let area = form
        .fields
        .iter()
        .find(|f| f.name == FieldName::Area)
        .unwrap();
    assert_eq!(area.hint, "yours: bos område");
}

#[test]
fn a_refresh_keeps_the_same_record_selected() {
    let mut f = sample("tester");
    f.keys(&[Down, Down, Down]);
    let chosen = f.app.tabs.methods.list.selected_row().unwrap().id;
    // Someone adds a method that sorts first ("AAA …"): every row moves down one.
    let mut other = f.other_process("someone");
    other
        .add_method(&crate::store::MethodInput {
            name: "AAA Först i listan".into(),
            kind: crate::domain::MethodKind::Intervention,
            ..Default::default()
        })
        .unwrap();
    f.app.poll_now();
    assert_eq!(f.app.tabs.methods.list.selected, 4);
    assert_eq!(f.app.tabs.methods.list.selected_row().unwrap().id, chosen);

    // In Activity the newest event comes first, so the selection moves down with its row.
    f.go_to(Tab::Activity).keys(&[Down]);
    let chosen = f.app.tabs.activity.list.selected_row().unwrap().id;
    record_today(&mut other, Stage::Pilot, "");
    f.app.poll_now();
    assert_eq!(f.app.tabs.activity.list.selected_row().unwrap().id, chosen);
    assert_eq!(f.app.tabs.activity.list.selected, 2);
}

#[test]
fn o_steps_the_spread_sort_through_the_columns() {
    let mut f = sample("tester");
    f.go_to(Tab::Spread);
    f.keys(&[Char('o')]);
    assert_eq!(f.app.tabs.spread.sort, Some(tabs::SpreadColumn::Reached));
    f.keys(&[Char('o')]);
    assert_eq!(f.app.tabs.spread.sort, Some(tabs::SpreadColumn::InUse));
    assert!(f.app.tabs.spread.descending);
    let in_use: Vec<u32> = f
        .app
        .tabs
        .spread
        .rows
        .rows
        .iter()
        .map(|m| m.in_use)
        .collect();
    assert!(in_use.windows(2).all(|w| w[0] >= w[1]), "{in_use:?}");
    // Rows that tie are in name order, both ways (the sample has many at 0 in use).
    let ties_in_name_order = |f: &Fixture| {
        let rows = &f.app.tabs.spread.rows.rows;
        let key = |m: &crate::store::Metrics| crate::store::sort_key(&m.name);
        let tied = rows
            .windows(2)
            .filter(|w| w[0].in_use == w[1].in_use)
            .count();
        assert!(tied > 5);
        rows.windows(2)
            .filter(|w| w[0].in_use == w[1].in_use)
            .all(|w| key(&w[0]) <= key(&w[1]))
    };
    assert!(ties_in_name_order(&f));
    f.keys(&[Char('O')]);
    assert!(!f.app.tabs.spread.descending);
    assert!(ties_in_name_order(&f));
}

#[test]
fn the_spread_tab_readies_every_figure_while_it_shows_names() {
    let mut f = sample("tester");
    f.go_to(Tab::Spread);
    assert!(
        f.app.tabs.spread.figures_started(),
        "entering the tab starts every method's figures"
    );
    f.keys(&[Char('o')]);
    assert!(!f.app.tabs.spread.figures_started(), "the sort took them");
    // They are the figures the store gives, sorted.
    let scope = crate::store::MetricsScope::new(f.app.moment);
    let mut expected: Vec<u32> = f
        .app
        .store
        .method_metrics(&scope)
        .unwrap()
        .iter()
        .map(|m| m.reached)
        .collect();
    expected.sort_by_key(|&n| std::cmp::Reverse(n));
    let shown: Vec<u32> = f
        .app
        .tabs
        .spread
        .rows
        .rows
        .iter()
        .map(|m| m.reached)
        .collect();
    expected.truncate(shown.len());
    assert_eq!(shown, expected);
}

#[test]
fn the_matrix_filters_by_region_and_stage_and_sorts_by_spread() {
    let mut f = sample("tester");
    f.go_to(Tab::Matrix);
    let all_methods = f.app.tabs.matrix.total_methods;
    f.keys(&[Char('f')]).typed("region:söder steg:pilot");
    let m = &f.app.tabs.matrix;
    assert!(!m.units.is_empty());
    assert!(
        m.units
            .iter()
            .all(|u| u.region.as_deref() == Some("söderort")),
        "only Söderort's units are columns"
    );
    // Every method left has a unit in Söderort at pilot today, and no other method has.
    let units: Vec<i64> = m.units.iter().map(|u| u.id).collect();
    let counts = f
        .app
        .store
        .matrix_counts(crate::store::CountPer::Method, None, &units, &f.app.moment)
        .unwrap();
    let expected = counts.values().filter(|c| c[Stage::Pilot] > 0).count();
    assert!(expected > 0 && expected < all_methods);
    assert_eq!(m.total_methods, expected);
    assert!(
        m.methods
            .iter()
            .all(|r| m.row_totals[&r.id][Stage::Pilot] > 0)
    );
    // By spread: units in use never increase down the list.
    f.keys(&[KeyCode::Enter, Char('o')]);
    let m = &f.app.tabs.matrix;
    let in_use: Vec<u32> = m
        .methods
        .iter()
        .map(|r| m.row_totals[&r.id].in_use())
        .collect();
    assert!(in_use.windows(2).all(|w| w[0] >= w[1]), "{in_use:?}");
    // Esc in the filter clears it: every method again.
    f.keys(&[Char('f'), KeyCode::Esc, Char('o')]);
    assert_eq!(f.app.tabs.matrix.total_methods, all_methods);
    assert!(f.app.tabs.matrix.units.len() > units.len());
}

#[test]
fn esc_clears_an_applied_filter_and_slash_reopens_it_selected_so_typing_replaces_it() {
    use KeyCode::{Backspace, Char, Enter, Esc};
    let mut f = sample("me");
    let all = f.app.tabs.methods.list.total;
    f.keys(&[Char('/')]).typed("kart").keys(&[Enter]);
    let narrowed = f.app.tabs.methods.list.total;
    assert!(narrowed < all);
    // Esc on the filtered list: the whole list again.
    f.keys(&[Esc]);
    assert_eq!(f.app.tabs.methods.list.filter, "");
    assert_eq!(f.app.tabs.methods.list.total, all);
    // `/` on a filtered list: the old text is selected, and what is typed replaces it.
    f.keys(&[Char('/')]).typed("kart").keys(&[Enter, Char('/')]);
    assert!(f.app.tabs.methods.list.replace_on_type);
    f.typed("asi");
    assert_eq!(f.app.tabs.methods.list.filter, "asi");
    f.keys(&[Backspace]);
    assert_eq!(
        f.app.tabs.methods.list.filter, "as",
        "after the first key it is text again"
    );
    // Backspace on the selected text removes all of it.
    f.keys(&[Enter, Char('/'), Backspace]);
    assert_eq!(f.app.tabs.methods.list.filter, "");
}

#[test]
fn a_form_opens_on_its_first_empty_field_and_a_letter_picks_a_stage() {
    use KeyCode::Char;
    let mut f = sample("me");
    // From Methods (a method selected, no unit): the unit comes first.
    f.keys(&[Char('s')]);
    let form = f.app.form.as_ref().unwrap();
    assert_eq!(form.fields[form.focus].name, FieldName::Unit);
    f.keys(&[KeyCode::Esc]);
    // From Activity (method, unit and stage of the selected event): the first empty field is
    // the note, so typing never lands in the date.
    f.go_to(Tab::Activity).keys(&[Char('s')]);
    let form = f.app.form.as_ref().unwrap();
    assert_eq!(form.fields[form.focus].name, FieldName::Note);
    f.typed("FUEL");
    let form = f.app.form.as_ref().unwrap();
    assert_eq!(form.get(FieldName::Note), "FUEL");
    assert_eq!(form.get(FieldName::Date), EventDate::today().to_string());
    f.keys(&[KeyCode::Esc, Char('y')]);
    // Each stage has a letter of its own (English here): e r p i s a d.
    f.go_to(Tab::Matrix).keys(&[Char('s')]);
    let stage_at = |f: &Fixture| {
        let form = f.app.form.as_ref().unwrap();
        let i = form
            .fields
            .iter()
            .position(|x| x.name == FieldName::Stage)
            .unwrap();
        (form.focus == i, form.get(FieldName::Stage))
    };
    while !stage_at(&f).0 {
        f.keys(&[KeyCode::Tab]);
    }
    for (letter, stage) in [
        ("i", "implemented"),
        ("p", "pilot"),
        ("a", "paused"),
        ("r", "preparing"),
        ("P", "pilot"),
        ("p", "pilot"),
        ("e", "exploring"),
        ("s", "sustained"),
        ("d", "discontinued"),
        ("x", "discontinued"),
    ] {
        f.typed(letter);
        assert_eq!(stage_at(&f).1, stage, "{letter}");
    }
    // In a text field Ctrl-U clears back to the line's start and Ctrl-W takes a word; in a
    // filter the same.
    f.keys(&[KeyCode::Tab]);
    let focused = |f: &Fixture| {
        let form = f.app.form.as_ref().unwrap();
        form.get(form.fields[form.focus].name)
    };
    f.ctrl('u').typed("2024-01-02 och mer");
    assert_eq!(focused(&f), "2024-01-02 och mer");
    f.ctrl('w');
    assert_eq!(focused(&f), "2024-01-02 och ");
    f.ctrl('u');
    assert_eq!(focused(&f), "");
    f.keys(&[KeyCode::Esc, Char('y'), KeyCode::Esc])
        .go_to(Tab::Methods)
        .keys(&[Char('/')])
        .typed("barn och unga");
    f.ctrl('w');
    assert_eq!(f.app.tabs.methods.list.filter, "barn och ");
    f.ctrl('u');
    assert_eq!(f.app.tabs.methods.list.filter, "");
}

#[test]
fn a_member_is_refused_when_the_form_or_the_retract_dialog_would_open_for_another_unit() {
    use KeyCode::{Char, Esc};
    let mut f = as_person("maja", &[("maja", "member", &["FA"])]);
    f.keys(&[Esc]);
    // The Matrix starts on FA, the member's own; its first column is KH, and recording there
    // is refused before any typing.
    f.go_to(Tab::Matrix).keys(&[KeyCode::Home, Char('s')]);
    assert!(f.app.form.is_none(), "no form for another unit");
    let said = f.app.message.clone().unwrap_or_default();
    assert!(said.contains("cannot record a stage for KH"), "{said}");
    // Retracting another unit's event is refused when the dialog would open, in its words.
    f.go_to(Tab::Activity);
    let unit = f
        .app
        .tabs
        .activity
        .list
        .selected_row()
        .and_then(|c| c.event.as_ref().map(|e| e.unit.clone()));
    assert_ne!(
        unit.as_deref(),
        Some("FA"),
        "the newest change is another unit's"
    );
    f.keys(&[Char('x')]);
    assert!(f.app.popup.is_none(), "no retract dialog");
    let said = f.app.message.clone().unwrap_or_default();
    assert!(said.contains("cannot retract events for"), "{said}");
}

#[test]
fn esc_in_the_retract_dialog_asks_before_dropping_a_typed_reason() {
    use KeyCode::{Char, Esc};
    let mut f = sample("me");
    f.go_to(Tab::Activity).keys(&[Char('x')]);
    assert!(matches!(f.app.popup, Some(Popup::Retract { .. })));
    // Nothing typed: Esc closes at once.
    f.keys(&[Esc]);
    assert!(f.app.popup.is_none());
    f.keys(&[Char('x')]).typed("fel enhet");
    f.keys(&[Esc]);
    assert!(matches!(
        f.app.popup,
        Some(Popup::Retract {
            confirm_discard: true,
            ..
        })
    ));
    // No: back to the reason, as it was; typing goes on.
    f.keys(&[Char('n')]);
    f.typed("!");
    match &f.app.popup {
        Some(Popup::Retract {
            reason,
            confirm_discard: false,
            ..
        }) => assert_eq!(reason.lines().join(""), "fel enhet!"),
        _ => panic!("the dialog stays"),
    }
    // Yes: dropped.
    f.keys(&[Esc, Char('y')]);
    assert!(f.app.popup.is_none());
}

#[test]
fn a_future_date_is_refused_at_the_date_field() {
    use KeyCode::{Backspace, Char, Tab as TabKey};
    let mut f = sample("me");
    f.keys(&[Char('s')]).typed("KH");
    // Unit, then method (filled), stage, date.
    f.keys(&[TabKey, TabKey, TabKey]);
    for _ in 0..10 {
        f.keys(&[Backspace]);
    }
    f.typed("2099-01-01").ctrl('s');
    let form = f.app.form.as_ref().expect("the form stays open");
    let date = form
        .fields
        .iter()
        .position(|x| x.name == FieldName::Date)
        .unwrap();
    assert_eq!(form.focus, date);
    let said = form.fields[date].error.clone().unwrap_or_default();
    assert!(said.contains("2099-01-01"), "{said}");
    assert!(form.error.is_none());
}

#[test]
fn a_member_going_back_from_their_unit_is_on_its_row_and_the_matrix_on_its_column() {
    use KeyCode::Esc;
    let mut f = as_person("maja", &[("maja", "member", &["FA"])]);
    f.keys(&[Esc]);
    let row = f.app.tabs.units.list.selected_row().map(|u| u.code.clone());
    assert_eq!(row.as_deref(), Some("FA"));
    f.go_to(Tab::Matrix);
    assert_eq!(
        f.app.tabs.matrix.selected_unit().map(|u| u.code.as_str()),
        Some("FA")
    );
}

#[test]
fn c_on_a_unit_detail_confirms_the_selected_method_there() {
    let mut f = as_person("maja", &[("maja", "member", &["FA"])]);
    let Some(Detail::Unit { detail, .. }) = &f.app.detail else {
        panic!("a member opens on their unit");
    };
    // The second of Farsta's stages, selected with ↓.
    let second = detail.current[1].label.clone();
    f.keys(&[Down, Char('c')]);
    let message = f.app.message.clone().unwrap_or_default();
    assert!(
        message.starts_with("Bekräftat") || message.starts_with("Confirmed"),
        "{message}"
    );
    assert!(message.contains(&second), "{message}");
    let Some(Detail::Unit { detail, row, .. }) = &f.app.detail else {
        panic!("still on the unit");
    };
    assert_eq!(*row, 1);
    // Heard today: no longer stale.
    assert!(!detail.current[1].stale, "{:?}", detail.current[1]);
}

/// A member removed in another session while her form is open: her save is refused, she is
/// told why, and what she typed is kept as a draft (offered again once she has access).
#[test]
fn a_removed_member_keeps_what_she_typed_as_a_draft() {
    use KeyCode::Char;
    let mut f = as_person("maja", &[("maja", "member", &["FA"])]);
    f.keys(&[KeyCode::Esc]);
    f.go_to(Tab::Methods)
        .keys(&[Char('/')])
        .typed("ASI")
        .keys(&[KeyCode::Enter]);
    f.keys(&[Char('s')]);
    assert!(f.app.form.is_some());
    // The focus is on the first empty field; the note is further down.
    while f.app.form.as_ref().unwrap().fields[f.app.form.as_ref().unwrap().focus].name
        != crate::app::form::FieldName::Note
    {
        f.keys(&[KeyCode::Tab]);
    }
    f.typed("Halvvägs skrivet");
    f.other_process("owner").remove_user("maja").unwrap();
    f.ctrl('s');
    let form = f.app.form.as_ref().expect("the form stays open");
    assert_eq!(
        form.get(crate::app::form::FieldName::Note),
        "Halvvägs skrivet"
    );
    let said = form
        .fields
        .iter()
        .filter_map(|x| x.error.clone())
        .chain(form.error.clone())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(said.contains("not registered"), "{said}");
    assert!(said.contains("kept as a draft"), "{said}");
    let stored = Store::open(&f.db, "maja").unwrap().draft().unwrap();
    assert!(
        stored.is_some_and(|d| d.fields.values().any(|v| v == "Halvvägs skrivet")),
        "the draft is in the database"
    );
}

/// A coordinator registers a person from the Units tab (`u`): login, role, units and SSH
/// key in one form; a broken key is shown at its field and nothing is saved; a member has no
/// such key.
#[test]
fn a_coordinator_adds_a_person_with_their_key_from_the_units_tab() {
    use crate::app::form::FieldName;
    use KeyCode::{Char, Tab as TabKey};
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGT4xpNGUaSCf1tA1Hs61sbt9Q8MaHRRaeYPuV0JUmJ bertil@laptop";
    let mut f = sample("tester");
    f.go_to(Tab::Units).keys(&[Char('u')]);
    let form = f.app.form.as_ref().expect("the new-person form");
    assert_eq!(form.kind, crate::app::form::FormKind::NewPerson);
    assert_eq!(form.get(FieldName::Role), "member");
    f.typed("bertil")
        .keys(&[TabKey, TabKey])
        .typed("FA")
        .keys(&[TabKey]);
    f.typed("ssh-ed25519 AAAA broken");
    f.ctrl('s');
    let form = f.app.form.as_ref().expect("still open");
    let key_field = form
        .fields
        .iter()
        .find(|x| x.name == FieldName::Key)
        .unwrap();
    assert!(
        key_field
            .error
            .as_deref()
            .is_some_and(|e| e.contains("is not a ssh-ed25519 key")),
        "{:?}",
        key_field.error
    );
    assert!(
        f.app
            .store
            .users()
            .unwrap()
            .iter()
            .all(|u| u.login != "bertil")
    );
    f.ctrl('u').typed(KEY).ctrl('s');
    assert!(f.app.form.is_none(), "saved: {:?}", f.app.message);
    let bertil = f
        .app
        .store
        .users()
        .unwrap()
        .into_iter()
        .find(|u| u.login == "bertil");
    assert_eq!(
        bertil.map(|u| (u.role, u.units)),
        Some(("member".into(), vec!["FA".into()]))
    );
    let keys = f.app.store.keys(Some("bertil")).unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].key.comment.as_deref(), Some("bertil@laptop"));
    // A member has no `u`.
    let mut m = as_person("maja", &[("maja", "member", &["FA"])]);
    m.keys(&[KeyCode::Esc]).go_to(Tab::Units).keys(&[Char('u')]);
    assert!(m.app.form.is_none());
}
