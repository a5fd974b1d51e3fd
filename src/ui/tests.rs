//! What the app's state looks like drawn: the title that counts new changes, help that
//! scrolls and lists only the keys a person may use. (The app's own tests are in
//! `app/tests.rs`; every screen's snapshot is in `tests/screens.rs`.)

use ratatui::crossterm::event::KeyCode::{self, Down};

use crate::app::testing::{Fixture, as_person, record_today, sample};
use crate::app::{App, Popup, Tab};
use crate::domain::Stage;

/// On the newest row, the newest stays selected as other people's records arrive, however
/// many (the issue saw it drift off after 35); moved down, the person keeps their record and
/// the title counts what came in above, until they go back to the top.
#[test]
fn activity_follows_the_newest_or_keeps_the_place_and_counts_what_is_new() {
    let mut f = sample("tester");
    f.go_to(Tab::Activity);
    let mut other = f.other_process("someone");
    let height = crate::layout::list_rows(f.app.size);
    for i in 0..height + 5 {
        record_today(&mut other, Stage::Exploring, &format!("ny {i}"));
        f.app.poll_now();
        let list = &f.app.tabs.activity.list;
        assert_eq!((list.selected, list.offset), (0, 0), "after {i}");
        assert_eq!(list.rows[0].event.as_ref().unwrap().note, format!("ny {i}"));
    }
    assert_eq!(f.app.tabs.activity.new_above, 0);
    f.keys(&[Down, Down, Down]);
    let kept = f.app.tabs.activity.list.selected_row().unwrap().id;
    let on_screen = 3 - f.app.tabs.activity.list.offset;
    for _ in 0..4 {
        record_today(&mut other, Stage::Pilot, "ännu en");
        f.app.poll_now();
    }
    let activity = &f.app.tabs.activity;
    assert_eq!(activity.list.selected_row().unwrap().id, kept);
    assert_eq!(activity.list.selected - activity.list.offset, on_screen);
    assert_eq!(activity.new_above, 4);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    t.draw(|frame| crate::ui::draw(frame, &f.app, &crate::ui::theme::Theme::default()))
        .unwrap();
    let screen = t.backend().to_string();
    assert!(screen.contains("Activity · 4 new above"), "{screen}");
    f.keys(&[KeyCode::Home]);
    assert_eq!(f.app.tabs.activity.new_above, 0);
}

#[test]
fn help_lists_only_the_keys_this_person_may_use_ends_with_the_stages_and_scrolls_by_page() {
    use KeyCode::{Char, End, Home, PageDown};
    let screen = |app: &App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
        t.draw(|f| crate::ui::draw(f, app, &crate::ui::theme::Theme::default()))
            .unwrap();
        t.backend().to_string()
    };
    let mut f = as_person("vera", &[("vera", "viewer", &[])]);
    f.keys(&[Char('?')]);
    let top = screen(&f.app);
    assert!(
        top.contains("Vid bläddring") || top.contains("Browsing"),
        "{top}"
    );
    let scroll = |f: &Fixture| match &f.app.popup {
        Some(Popup::Help { scroll }) => *scroll,
        _ => panic!("help is open"),
    };
    f.keys(&[PageDown]);
    let page = scroll(&f);
    assert!(page > 1, "a page is more than a line: {page}");
    f.keys(&[End]);
    let end = scroll(&f);
    let bottom = screen(&f.app);
    // The stages and their glyphs close the help.
    assert!(
        bottom.contains("Discontinued") && bottom.contains("×"),
        "{bottom}"
    );
    f.keys(&[PageDown]);
    assert_eq!(scroll(&f), end, "never past the last page");
    f.keys(&[Home]);
    assert_eq!(scroll(&f), 0);
    // A viewer is not shown keys they may not use.
    let all: String = (0..=end)
        .step_by(5)
        .map(|_| {
            let s = screen(&f.app);
            f.keys(&[PageDown]);
            s
        })
        .collect();
    for edit in ["record stage", "new method/unit", "retract event"] {
        assert!(!all.contains(edit), "{edit} shown to a viewer");
    }
    assert!(all.contains("filter"));
}
