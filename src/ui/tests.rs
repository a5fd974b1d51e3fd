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

/// ↓ through a unit's stages on a short terminal: the page follows the selected row, so the
/// row that `c` and `s` act on is always the one marked on screen; ↑ brings it back up.
#[test]
fn a_unit_detail_keeps_its_selected_row_in_view() {
    use KeyCode::Up;
    let f = sample("owner");
    // Farsta at pilot in twenty more methods, so its list is longer than the page.
    let mut store = f.other_process("owner");
    let (unit_id, _) = store.find_unit("FA").unwrap();
    for m in store.methods().unwrap().iter().take(20) {
        store
            .record_stage(&crate::domain::NewEvent {
                method_id: m.id,
                unit_id,
                stage: Stage::Pilot,
                date: crate::domain::EventDate::today(),
                note: String::new(),
                source: String::new(),
            })
            .unwrap();
    }
    store
        .add_user("maja", "member", &["FA".to_string()])
        .unwrap();
    let mut f = Fixture {
        app: f.reopen("maja", false),
        ..f
    };
    f.app.resize(80, 14);
    let screen = |app: &App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 14)).unwrap();
        t.draw(|f| crate::ui::draw(f, app, &crate::ui::theme::Theme::default()))
            .unwrap();
        t.backend().to_string()
    };
    let labels: Vec<String> = match &f.app.detail {
        Some(crate::app::Detail::Unit { detail, .. }) => {
            detail.current.iter().map(|c| c.label.clone()).collect()
        }
        _ => panic!("a member opens on their unit"),
    };
    let (_, height) = crate::layout::detail_text(f.app.size);
    assert!(
        labels.len() > height,
        "{} stages fit in {height} lines",
        labels.len()
    );
    let marked = |screen: &str| {
        screen
            .lines()
            .filter(|l| l.contains(crate::ui::SELECTED))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    for (i, label) in labels.iter().enumerate().skip(1) {
        f.keys(&[Down]);
        let shown = screen(&f.app);
        let rows = marked(&shown);
        let start: String = label.chars().take(15).collect();
        assert!(
            rows.len() == 1 && rows[0].contains(&start),
            "row {i} ({label}) not marked in view:\n{shown}"
        );
    }
    for _ in 1..labels.len() {
        f.keys(&[Up]);
    }
    let shown = screen(&f.app);
    let first: String = labels[0].chars().take(15).collect();
    assert!(
        marked(&shown).iter().any(|r| r.contains(&first)),
        "the first row not in view:\n{shown}"
    );
}

/// A filter matching more than the cap shows its rows at once and "1000+ · counting…"; the
/// exact count follows from the background, and End then reaches the oldest match.
#[test]
fn an_activity_filter_over_the_cap_is_counted_exactly_and_end_reaches_the_oldest() {
    use KeyCode::{Char, End, Enter};
    let mut f = sample("owner");
    crate::app::testing::add_asi_events(&mut f.other_process("owner"), 1500);
    f.app.poll_now();
    f.go_to(Tab::Activity);
    f.keys(&[Char('/')]).typed("asi").keys(&[Enter]);
    let screen = |app: &App| {
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 24)).unwrap();
        t.draw(|f| crate::ui::draw(f, app, &crate::ui::theme::Theme::default()))
            .unwrap();
        t.backend().to_string()
    };
    assert!(f.app.busy(), "the count is under way");
    let shown = screen(&f.app);
    assert!(
        shown.contains("of 1000+") && shown.contains("counting…"),
        "{shown}"
    );
    let started = std::time::Instant::now();
    while f.app.busy() {
        assert!(started.elapsed().as_secs() < 30, "no count");
        std::thread::sleep(std::time::Duration::from_millis(5));
        f.app.tick();
    }
    let store = f.other_process("owner");
    let plan = store.activity_plan("asi").unwrap();
    let exact = store.activity_count(&plan, usize::MAX).unwrap();
    assert!(exact > 1500, "{exact}");
    let list = &f.app.tabs.activity.list;
    assert_eq!((list.total, list.capped), (exact, false));
    let shown = screen(&f.app);
    assert!(
        shown.contains(&format!("of {exact}")) && !shown.contains("counting"),
        "{shown}"
    );
    f.keys(&[End]);
    let oldest = store.activity(&plan, exact - 1, 1).unwrap();
    assert_eq!(
        f.app.tabs.activity.list.selected_row().map(|c| c.id),
        Some(oldest[0].id)
    );
}

/// The screen as text, less its last line (the status line, whose live mark says when the
/// last change came).
fn screen_above_status(app: &App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(100, 30)).unwrap();
    t.draw(|f| crate::ui::draw(f, app, &crate::ui::theme::Theme::default()))
        .unwrap();
    let text = t.backend().to_string();
    let lines: Vec<&str> = text.lines().collect();
    lines[..lines.len().saturating_sub(2)].join("\n")
}

/// A screen is fetched again only when a change touches it, and what a tab keeps (the
/// Matrix's totals of rows and columns counted before, Spread's figures of every method) is
/// mended rather than thrown away. After other people's changes — on screen, off screen, in
/// columns scrolled past, a method added — every tab shows exactly what a fresh start shows,
/// there and after moving to where the kept figures are used.
#[test]
fn after_other_people_s_changes_every_tab_shows_what_a_fresh_start_shows() {
    use KeyCode::{Char, End, Home, Left, PageDown, PageUp, Right};
    let press = |app: &mut App, keys: &[KeyCode]| {
        for k in keys {
            app.handle_key(ratatui::crossterm::event::KeyEvent::new(
                *k,
                ratatui::crossterm::event::KeyModifiers::NONE,
            ));
        }
    };
    let cases: &[(Tab, &[KeyCode])] = &[
        (Tab::Methods, &[]),
        (Tab::Units, &[]),
        (Tab::Matrix, &[]),
        (Tab::Matrix, &[Char('o')]),
        (Tab::Spread, &[]),
        (Tab::Spread, &[Char('o')]),
        (Tab::Spread, &[Char('v')]),
        (Tab::Activity, &[]),
    ];
    for (tab, keys) in cases {
        let mut f = sample("tester");
        f.app.size = (100, 30);
        f.go_to(*tab).keys(keys);
        // Look around first, so that the tab keeps figures of rows and columns off screen.
        f.keys(&[
            PageDown, Right, Right, Right, PageUp, Left, Left, Left, Home,
        ]);
        let mut other = f.other_process("someone");
        let methods = other.methods().unwrap();
        let units = crate::app::testing::units_of_today(&other);
        let firsts = [(methods[0].id, units[0]), (methods[1].id, units[1])];
        let lasts = [
            (methods[methods.len() - 1].id, units[units.len() - 1]),
            (methods[methods.len() / 2].id, units[units.len() / 2]),
            (methods[0].id, units[units.len() - 2]),
        ];
        let rounds = [Some(Stage::Pilot), Some(Stage::Implemented), None];
        for (round, stage) in rounds.into_iter().enumerate() {
            for (method_id, unit_id) in firsts.iter().chain(&lasts) {
                let Some(stage) = stage else { break };
                other
                    .record_stage(&crate::domain::NewEvent {
                        method_id: *method_id,
                        unit_id: *unit_id,
                        stage,
                        date: crate::domain::EventDate::today(),
                        note: format!("round {round}"),
                        source: String::new(),
                    })
                    .unwrap();
                f.app.poll_now();
            }
            if stage.is_none() {
                other
                    .add_method(&crate::store::MethodInput {
                        name: "Ny metod mitt i listan".into(),
                        kind: crate::domain::MethodKind::Intervention,
                        ..Default::default()
                    })
                    .unwrap();
                f.app.poll_now();
            }
            let mut fresh = f.reopen("tester", true);
            fresh.size = (100, 30);
            fresh.tab = *tab;
            press(&mut fresh, keys);
            press(&mut fresh, &[Home]);
            // Both at the top first: the session kept its selected record where the changes
            // moved it, as it should, and a fresh start begins at the top.
            for step in [
                &[Home, PageUp, PageUp][..],
                &[PageDown][..],
                &[Right, Right, Right][..],
                &[End][..],
            ] {
                press(&mut f.app, step);
                press(&mut fresh, step);
                assert_eq!(
                    screen_above_status(&f.app),
                    screen_above_status(&fresh),
                    "{tab:?} {keys:?}, round {round}, after {step:?}"
                );
            }
            press(&mut f.app, &[Home, Left, Left, Left]);
        }
    }
}
