//! The workshop slides as a room sees them: every slide kind (title, method, the film at two
//! years, stalled pilots) at 80×24 and 200×60, in the dark and the light theme. Each snapshot
//! holds the screen's text and the colour pairs it uses with their contrast ratios, and every
//! pair drawn is checked against WCAG AA (4.5:1). Live changes are checked to be marked.

mod common;

use std::collections::BTreeSet;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use spridning::app::App;
use spridning::domain::Stage;
use spridning::i18n::Lang;
use spridning::store::Store;
use spridning::ui::theme::{Scheme, Theme, contrast};
use spridning::ui::{self};

struct Deck {
    dir: tempfile::TempDir,
    app: App,
    terminal: Terminal<TestBackend>,
}

/// The sample register's deck of three methods, as of 2025-06-30.
fn deck(width: u16, height: u16) -> Deck {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sample.db");
    std::fs::copy(spridning::sample::pristine(), &db).unwrap();
    let mut store = Store::open(&db, "tester").unwrap();
    store.grant_owner();
    let mut app = App::new(store, Lang::Sv, (width, height)).unwrap();
    app.present(&common::readme_deck(false)).unwrap();
    Deck {
        dir,
        app,
        terminal: Terminal::new(TestBackend::new(width, height)).unwrap(),
    }
}

impl Deck {
    fn press(&mut self, keys: &[KeyCode]) -> &mut Self {
        for k in keys {
            self.app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
        }
        self
    }

    fn draw(&mut self, scheme: Scheme) -> Buffer {
        let theme = Theme {
            color: true,
            scheme,
            ..Theme::default()
        };
        let app = &self.app;
        self.terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
        self.terminal.backend().buffer().clone()
    }

    fn text(&mut self) -> String {
        self.draw(Scheme::Dark);
        self.terminal.backend().to_string()
    }
}

fn rgb(c: Color) -> Option<(u8, u8, u8)> {
    match c {
        Color::Rgb(r, g, b) => Some((r, g, b)),
        _ => None,
    }
}

/// Every (text colour, background) pair of the cells that show something, with its ratio;
/// fails on a pair below 4.5:1 or a cell that is not drawn in the palette's colours.
fn colour_pairs(buffer: &Buffer) -> String {
    let mut pairs = BTreeSet::new();
    for cell in &buffer.content {
        if cell.symbol().trim().is_empty() {
            continue;
        }
        let (Some(fg), Some(bg)) = (rgb(cell.fg), rgb(cell.bg)) else {
            panic!(
                "'{}' is drawn in {:?} on {:?}, not the palette's colours",
                cell.symbol(),
                cell.fg,
                cell.bg
            );
        };
        let ratio = contrast(fg, bg);
        assert!(
            ratio >= 4.5,
            "'{}' in {fg:?} on {bg:?}: contrast {ratio:.2} is below 4.5",
            cell.symbol()
        );
        pairs.insert(format!(
            "#{:02X}{:02X}{:02X} on #{:02X}{:02X}{:02X}: {ratio:.2}",
            fg.0, fg.1, fg.2, bg.0, bg.1, bg.2
        ));
    }
    pairs.into_iter().collect::<Vec<_>>().join("\n")
}

/// The screen's text and its colour pairs, for a snapshot.
fn slide(d: &mut Deck, scheme: Scheme) -> String {
    let buffer = d.draw(scheme);
    let text = {
        let theme = Theme {
            color: true,
            scheme,
            ..Theme::default()
        };
        let app = &d.app;
        d.terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
        d.terminal.backend().to_string()
    };
    ascii_check(d);
    format!("{text}\ncolours:\n{}", colour_pairs(&buffer))
}

/// The slide drawn again in ASCII (`--ascii`), as text; fails on a character above U+007E
/// that is not a letter of data text.
fn ascii_check(d: &mut Deck) -> String {
    let theme = Theme {
        color: true,
        ascii: true,
        ..Theme::default()
    };
    let app = &d.app;
    d.terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
    let buffer = d.terminal.backend().buffer().clone();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            assert!(
                symbol.chars().all(|c| c.is_ascii() || c.is_alphanumeric()),
                "{symbol:?} at ({x}, {y}) in ASCII mode"
            );
            line.push_str(symbol);
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// The title slide (its big letters) and the film in ASCII.
#[test]
fn slides_in_ascii() {
    let mut d = deck(80, 24);
    insta::assert_snapshot!("ascii_title", ascii_check(&mut d));
    d.press(&[End, Left]);
    insta::assert_snapshot!("ascii_film", ascii_check(&mut d));
}

use KeyCode::{Char, End, Enter, Esc, Home, Left, PageDown, Right};

/// Each slide kind: the keys that lead to it from the title.
const SLIDES: [(&str, &[KeyCode]); 5] = [
    ("title", &[]),
    ("method", &[Right]),
    ("film_last_year", &[End, Left]),
    ("film_2005", &[Char('5'), Enter]),
    ("stalled", &[End]),
];

fn snapshot_every_slide(width: u16, height: u16) {
    for scheme in [Scheme::Dark, Scheme::Light] {
        for (name, keys) in SLIDES {
            let mut d = deck(width, height);
            d.press(keys);
            if name == "film_2005" {
                let year = d.app.deck.as_ref().unwrap().film.year;
                d.press(&vec![Left; (year - 2005).max(0) as usize]);
            }
            let theme = match scheme {
                Scheme::Dark => "dark",
                Scheme::Light => "light",
            };
            insta::assert_snapshot!(
                format!("{name}_{width}x{height}_{theme}"),
                slide(&mut d, scheme)
            );
        }
    }
}

#[test]
fn every_slide_at_80x24_in_both_themes() {
    snapshot_every_slide(80, 24);
}

#[test]
fn every_slide_at_200x60_in_both_themes() {
    snapshot_every_slide(200, 60);
}

#[test]
fn every_text_colour_of_both_themes_meets_wcag_aa() {
    // The formula itself, on known values: black on white is 21:1; #777777 on white just
    // misses AA (4.48:1).
    assert!((contrast((0, 0, 0), (255, 255, 255)) - 21.0).abs() < 1e-9);
    assert!((contrast((0x77, 0x77, 0x77), (255, 255, 255)) - 4.48).abs() < 0.01);
    let mut table = String::new();
    for scheme in [Scheme::Dark, Scheme::Light] {
        for (name, fg, bg) in scheme.pairs() {
            let ratio = contrast(fg, bg);
            table.push_str(&format!("{scheme:?} {name}: {ratio:.2}\n"));
            assert!(ratio >= 4.5, "{scheme:?} {name}: {ratio:.2} is below 4.5");
        }
    }
    insta::assert_snapshot!(table);
}

#[test]
fn the_deck_steps_jumps_and_plays_the_film_within_its_years() {
    let mut d = deck(100, 30);
    let len = d.app.deck.as_ref().unwrap().slide_count();
    assert_eq!(len, 6, "title, three methods, the film, stalled");
    d.press(&[Right, Char(' '), PageDown]);
    assert_eq!(d.app.deck.as_ref().unwrap().slide, 3);
    d.press(&[Home]);
    assert!(d.text().contains("Metodspridning i Stockholms stad"));
    d.press(&[Char('3'), Enter]);
    assert_eq!(d.app.deck.as_ref().unwrap().slide, 2);
    assert!(d.text().contains("FUEL"));
    // The film: ← steps back a year while paused, → forward; at the first year ← leaves it.
    d.press(&[Char('5'), Enter]);
    let film = d.app.deck.as_ref().unwrap().film;
    assert_eq!(film.year, 2025);
    d.press(&[Left, Left]);
    assert_eq!(d.app.deck.as_ref().unwrap().film.year, 2023);
    assert!(d.text().contains("Det här hände 2023"));
    d.press(&[Right]);
    assert_eq!(d.app.deck.as_ref().unwrap().film.year, 2024);
    // Leaving and coming back keeps the year; f plays from the first year when the film
    // stands at its last.
    d.press(&[End, Left]);
    assert_eq!(d.app.deck.as_ref().unwrap().film.year, 2024);
    d.press(&[Right, Char('f')]);
    let film = d.app.deck.as_ref().unwrap().film;
    assert!(film.playing);
    assert_eq!(film.year, film.first);
    d.press(&[Char('f')]);
    assert!(!d.app.deck.as_ref().unwrap().film.playing);
    // No edit key does anything: s, n, e, x are not keys of the deck.
    d.press(&[Char('s'), Char('n'), Char('e'), Char('x')]);
    assert!(d.app.form.is_none() && d.app.popup.is_none());
    // ? lists the deck's keys; Esc closes help, then leaves the deck for the tabs.
    d.press(&[Char('?')]);
    let help = d.text();
    assert!(help.contains("nästa bild"), "{help}");
    assert!(!help.contains("registrera steg"), "{help}");
    d.press(&[Esc, Esc]);
    assert!(d.app.deck.is_none());
}

#[test]
fn a_stage_recorded_meanwhile_is_marked_on_the_open_slide() {
    let mut d = deck(100, 30);
    d.press(&[Right]);
    assert!(!d.text().contains("✱"));
    // Someone in the room records a stage for ASI in Farsta, through their own connection.
    let db = d.dir.path().join("sample.db");
    let mut other = Store::open(&db, "member").unwrap();
    other.grant_owner();
    let asi = other.find_method("ASI").unwrap().0;
    let farsta = other.find_unit("Farsta").unwrap().0;
    other
        .record_stage(&spridning::domain::NewEvent {
            method_id: asi,
            unit_id: farsta,
            stage: Stage::Pilot,
            date: "2025-06".parse().unwrap(),
            note: String::new(),
            source: String::new(),
        })
        .unwrap();
    d.app.poll_now();
    let screen = d.text();
    let line = screen
        .lines()
        .find(|l| l.contains("Farsta"))
        .expect("Farsta on the slide");
    assert!(line.contains("✱"), "{line}");
    assert!(line.contains("Pilot"), "{line}");
    assert!(
        screen.contains("✱") && screen.contains("ASI · Farsta"),
        "{screen}"
    );
}
