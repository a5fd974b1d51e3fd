//! At M size (100 units, 200 methods, 20 000 adoptions, 100 000 events, built by the scale
//! generator): the generated database is sound, and every screen shows the counts that
//! independent SQL gives.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use rusqlite::Connection;
use spridning::app::{App, Detail, Tab};
use spridning::domain::Stage;
use spridning::i18n::Lang;
use spridning::scale::{Spec, generate};
use spridning::store::Store;
use spridning::ui::{self, theme::Theme};

fn count(conn: &Connection, sql: &str, p: &[&dyn rusqlite::ToSql]) -> i64 {
    conn.query_row(sql, p, |r| r.get(0)).unwrap()
}

fn screen(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| {
        ui::draw(
            f,
            app,
            &Theme {
                color: false,
                ..Theme::default()
            },
        )
    })
    .unwrap();
    t.backend().to_string()
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

/// Moves to `tab` the way a person does, with the Tab key, however many tabs there are.
fn go_to(app: &mut App, tab: Tab) {
    for _ in 0..=Tab::ALL.len() {
        if app.tab == tab && app.detail.is_none() {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!("{tab:?} is not reached with Tab");
}

/// Current stages per stage of the adoptions with `column` = `id`; for a method, only in the
/// units valid today (a unit's own row counts all its adoptions).
fn stage_counts(conn: &Connection, column: &str, id: i64) -> [u32; 7] {
    let mut counts = [0; 7];
    let valid_today = if column == "method_id" {
        "AND (u.valid_from IS NULL OR u.valid_from <= date('now', 'localtime'))
         AND (u.valid_to IS NULL OR u.valid_to >= date('now', 'localtime'))"
    } else {
        ""
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT a.stage, count(*) FROM adoption a JOIN unit u ON u.id = a.unit_id
             WHERE a.{column} = ?1 AND a.stage IS NOT NULL {valid_today} GROUP BY a.stage"
        ))
        .unwrap();
    let rows = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap();
    for row in rows {
        let (stage, n) = row.unwrap();
        counts[stage.parse::<Stage>().unwrap().index()] = n as u32;
    }
    counts
}

#[test]
fn an_m_sized_database_is_sound_and_every_screen_counts_right() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    generate(&db, &Spec::M).unwrap();
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "SELECT count(*) FROM unit", &[]), 100);
    assert_eq!(count(&conn, "SELECT count(*) FROM method", &[]), 200);
    assert_eq!(count(&conn, "SELECT count(*) FROM adoption", &[]), 20_000);
    assert_eq!(
        count(&conn, "SELECT count(*) FROM stage_event", &[]),
        100_000
    );
    let mut store = Store::open(&db, "tester").unwrap();
    assert_eq!(
        store.check().unwrap(),
        Vec::<String>::new(),
        "the generator writes a sound database"
    );
    store.grant_owner();
    let mut app = App::new(store, Lang::En, (120, 40)).unwrap();

    // Methods: the total, and each visible row's counts per current stage.
    assert!(screen(&app).contains("Methods 1–35 of 200"));
    assert_eq!(app.tabs.methods.list.rows.len(), 35);
    for m in &app.tabs.methods.list.rows {
        assert_eq!(
            Stage::ALL.map(|s| m.counts[s]),
            stage_counts(&conn, "method_id", m.id),
            "method {}",
            m.name
        );
    }

    // Units.
    go_to(&mut app, Tab::Units);
    assert!(screen(&app).contains("Units 1–35 of 100"));
    for u in &app.tabs.units.list.rows {
        assert_eq!(
            Stage::ALL.map(|s| u.counts[s]),
            stage_counts(&conn, "unit_id", u.id),
            "unit {}",
            u.code
        );
    }

    // Matrix: units valid today as columns; every visible cell is the adoption's stage.
    go_to(&mut app, Tab::Matrix);
    let today = chrono::Local::now().date_naive().to_string();
    let valid = count(
        &conn,
        "SELECT count(*) FROM unit WHERE (valid_from IS NULL OR valid_from <= ?1) AND (valid_to IS NULL OR valid_to >= ?1)",
        &[&today],
    );
    assert!(screen(&app).contains(&format!("Matrix 200 × {valid}")));
    let mut checked = 0;
    for spridning::domain::MethodLabel { id: method_id, .. } in &app.tabs.matrix.methods {
        for unit in app
            .tabs
            .matrix
            .units
            .iter()
            .skip(app.tabs.matrix.col_offset)
            .take(spridning::layout::matrix_window(app.size).1)
        {
            let expected: Option<String> = conn
                .query_row(
                    "SELECT stage FROM adoption WHERE method_id = ?1 AND unit_id = ?2",
                    [method_id, &unit.id],
                    |r| r.get(0),
                )
                .ok()
                .flatten();
            let shown = app
                .tabs
                .matrix
                .cells
                .get(&(*method_id, unit.id))
                .map(|s| s.stage.code().to_string());
            assert_eq!(shown, expected);
            checked += 1;
        }
    }
    assert!(checked > 300, "a screenful of cells was checked");

    // Spread, then Activity: every change counted (events, and the methods and units
    // added), the newest first; a filter counts its matches (capped).
    go_to(&mut app, Tab::Spread);
    assert!(screen(&app).contains("Spread per method"));
    go_to(&mut app, Tab::Activity);
    let changes = count(
        &conn,
        "SELECT (SELECT count(*) FROM stage_event) + (SELECT count(*) FROM method)
              + (SELECT count(*) FROM unit)",
        &[],
    );
    assert!(screen(&app).contains(&format!("Activity 1–35 of {changes}")));
    assert_eq!(
        app.tabs.activity.list.rows[0].event.as_ref().map(|e| e.id),
        Some(count(&conn, "SELECT max(id) FROM stage_event", &[]))
    );
    press(&mut app, KeyCode::Char('/'));
    for c in "m17".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    // The events of the methods it matches, and those methods' being added.
    let m17 = count(
        &conn,
        "SELECT count(*) FROM stage_event e JOIN adoption a ON a.id = e.adoption_id JOIN method m ON m.id = a.method_id
         WHERE lower(m.short_name) LIKE '%m17%' OR lower(m.name) LIKE '%m17%'",
        &[],
    ) as usize
        + count(
            &conn,
            "SELECT count(*) FROM method WHERE lower(short_name) LIKE '%m17%' OR lower(name) LIKE '%m17%'",
            &[],
        ) as usize;
    assert_eq!(app.tabs.activity.list.total, m17.min(1000));
    assert_eq!(app.tabs.activity.list.capped, m17 > 1000);

    // The busiest method's detail: every adoption's current stage, and its history.
    press(&mut app, KeyCode::Esc);
    go_to(&mut app, Tab::Methods);
    press(&mut app, KeyCode::Enter);
    let Some(Detail::Method { detail, .. }) = &app.detail else {
        panic!("a method detail");
    };
    let id = detail.method.id;
    assert_eq!(
        detail.current.len() as i64,
        count(
            &conn,
            "SELECT count(*) FROM adoption WHERE method_id = ?1 AND stage IS NOT NULL",
            &[&id]
        )
    );
    let events = count(
        &conn,
        "SELECT count(*) FROM stage_event e JOIN adoption a ON a.id = e.adoption_id WHERE a.method_id = ?1",
        &[&id],
    );
    assert_eq!(detail.history.len() as i64, events.min(500));
    assert!(screen(&app).contains(&format!("Units ({})", detail.current.len())));
}
