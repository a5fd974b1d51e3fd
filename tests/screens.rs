//! Every screen as a person sees it: the real app state drawn on a `TestBackend` at 80×24
//! (and a tiny size), compared with reviewed snapshots. Keys are pressed as a person would,
//! and a tab is reached by name (`go_to`), never by counting Tab presses. Each snapshot holds
//! what is below the tab bar (`body`); the tab bar has one snapshot of its own (`tab_bar`),
//! so a new tab changes that one and no other.

mod common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use spridning::app::{App, Tab};
use spridning::i18n::Lang;
use spridning::store::Store;
use spridning::ui::{
    self,
    theme::{Scheme, Theme, contrast},
};

struct Session {
    _dir: tempfile::TempDir,
    app: App,
    terminal: Terminal<TestBackend>,
}

fn open(lang: Lang, width: u16, height: u16) -> Session {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sample.db");
    std::fs::copy(spridning::sample::pristine(), &db).unwrap();
    let mut store = Store::open(&db, "tester").unwrap();
    // As the file's owner, a coordinator: every key is offered.
    store.grant_owner();
    let mut app = App::new(store, lang, (width, height)).unwrap();
    app.tz = chrono::FixedOffset::east_opt(0).unwrap();
    let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    Session {
        _dir: dir,
        app,
        terminal,
    }
}

impl Session {
    fn press(&mut self, keys: &[KeyCode]) -> &mut Self {
        for k in keys {
            self.app.handle_key(KeyEvent::new(*k, KeyModifiers::NONE));
        }
        self
    }

    /// Moves to `tab` the way a person does, with the Tab key, however many tabs there are.
    fn go_to(&mut self, tab: Tab) -> &mut Self {
        for _ in 0..=Tab::ALL.len() {
            if self.app.tab == tab && self.app.detail.is_none() {
                return self;
            }
            self.press(&[TabKey]);
        }
        panic!("{tab:?} is not reached with Tab");
    }

    fn ctrl(&mut self, c: char) -> &mut Self {
        self.app
            .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        self
    }

    /// Keeps only the rows matching `filter` (`/`, the text, Enter): a test that acts on a
    /// method says which, rather than relying on the sample's order.
    fn only(&mut self, filter: &str) -> &mut Self {
        self.press(&[KeyCode::Char('/')])
            .typed(filter)
            .press(&[KeyCode::Enter])
    }

    fn typed(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            self.app
                .handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        self
    }

    /// What this screen shows: everything below the tab bar (the body, and the status line
    /// with its hints and messages). The tab bar, the one line that names every tab, has its
    /// own snapshot (`tab_bar`), so a new tab changes that snapshot and no other.
    fn body(&mut self) -> String {
        below_tab_bar(&self.screen())
    }

    /// The whole screen, tab bar and all. Every screen is drawn again in ASCII (`--ascii`)
    /// and checked there: the same cells wherever the screen has ASCII, and nothing above
    /// U+007E but the letters of data text.
    fn screen(&mut self) -> String {
        let theme = Theme {
            color: true,
            ..Theme::default()
        };
        let app = &self.app;
        self.terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
        let drawn = self.terminal.backend().buffer().clone();
        for scheme in [Scheme::Dark, Scheme::Light] {
            colour_pairs(&self.coloured(scheme));
        }
        let ascii = self.ascii();
        for (at, (cell, plain)) in drawn.content.iter().zip(&ascii.content).enumerate() {
            let (x, y) = (at as u16 % drawn.area.width, at as u16 / drawn.area.width);
            if cell.symbol().is_ascii() {
                assert_eq!(cell.symbol(), plain.symbol(), "ASCII at ({x}, {y}) changed");
            }
            assert!(
                plain
                    .symbol()
                    .chars()
                    .all(|c| c.is_ascii() || c.is_alphanumeric() || c == '\u{301}'),
                "{:?} at ({x}, {y}) in ASCII mode",
                plain.symbol()
            );
        }
        self.terminal.backend().to_string()
    }

    /// The screen drawn with `theme`, on a terminal of the same size.
    fn drawn_with(&mut self, theme: Theme) -> ratatui::buffer::Buffer {
        let area = self.terminal.backend().buffer().area;
        let mut terminal = Terminal::new(TestBackend::new(area.width, area.height)).unwrap();
        let app = &self.app;
        terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
        terminal.backend().buffer().clone()
    }

    /// The screen in a palette.
    fn coloured(&mut self, scheme: Scheme) -> ratatui::buffer::Buffer {
        self.drawn_with(Theme {
            color: true,
            scheme,
            ..Theme::default()
        })
    }

    /// The screen as `--ascii` draws it.
    fn ascii(&mut self) -> ratatui::buffer::Buffer {
        self.drawn_with(Theme {
            color: true,
            ascii: true,
            ..Theme::default()
        })
    }

    /// The screen in ASCII, as text.
    fn ascii_text(&mut self) -> String {
        text_of(&self.ascii())
    }
}

/// A drawn buffer as plain text, each line without its trailing spaces.
fn text_of(buffer: &ratatui::buffer::Buffer) -> String {
    (0..buffer.area.height)
        .map(|y| {
            let line: String = (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect();
            format!("{}\n", line.trim_end())
        })
        .collect()
}

/// Every (text colour, background) pair of the cells that show something, with its ratio;
/// fails on a pair below 4.5:1 (WCAG AA) or a cell not drawn in the palette's colours.
fn colour_pairs(buffer: &ratatui::buffer::Buffer) -> String {
    use ratatui::style::Color;
    let mut pairs = std::collections::BTreeSet::new();
    for (at, cell) in buffer.content.iter().enumerate() {
        if cell.symbol().trim().is_empty() {
            continue;
        }
        let (x, y) = (at as u16 % buffer.area.width, at as u16 / buffer.area.width);
        let (Color::Rgb(r, g, b), Color::Rgb(br, bg, bb)) = (cell.fg, cell.bg) else {
            panic!(
                "'{}' at ({x}, {y}) is drawn in {:?} on {:?}, not the palette's colours",
                cell.symbol(),
                cell.fg,
                cell.bg
            );
        };
        let ratio = contrast((r, g, b), (br, bg, bb));
        assert!(
            ratio >= 4.5,
            "'{}' at ({x}, {y}): contrast {ratio:.2} is below 4.5",
            cell.symbol()
        );
        pairs.insert(format!(
            "#{r:02X}{g:02X}{b:02X} on #{br:02X}{bg:02X}{bb:02X}: {ratio:.2}"
        ));
    }
    pairs.into_iter().collect::<Vec<_>>().join("\n")
}

/// A drawn screen without its first line, the tab bar.
fn below_tab_bar(screen: &str) -> String {
    screen.lines().skip(1).map(|l| format!("{l}\n")).collect()
}

use KeyCode::{Backspace, Char, Down, Enter, Esc, Right, Tab as TabKey};

#[test]
fn methods_tab() {
    insta::assert_snapshot!(open(Lang::Sv, 80, 24).body());
}

#[test]
fn methods_tab_in_english() {
    insta::assert_snapshot!(open(Lang::En, 80, 24).body());
}

/// The tab bar, the one line that names every tab (so the one snapshot a new tab changes): on
/// each tab, in English, on a narrow terminal (the other tabs cut to three letters), and on a
/// day in the past (the day takes the name's place).
#[test]
fn tab_bar() {
    let bar = |s: &mut Session| s.screen().lines().next().unwrap_or_default().to_string();
    let mut lines = Vec::new();
    for (lang, width) in [(Lang::Sv, 80), (Lang::En, 80), (Lang::Sv, 60)] {
        let mut s = open(lang, width, 24);
        for &tab in Tab::ALL {
            s.go_to(tab);
            lines.push(format!("{lang:?} {width} {tab:?}: {}", bar(&mut s)));
        }
    }
    for width in [80, 60] {
        let mut s = open(Lang::Sv, width, 24);
        s.go_to(Tab::Matrix)
            .press(&[Char('@')])
            .typed("2005-01-01")
            .press(&[Enter]);
        lines.push(format!("Sv {width} Matrix 2005-01-01: {}", bar(&mut s)));
    }
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn methods_filtered_as_you_type() {
    let mut s = open(Lang::Sv, 80, 24);
    s.press(&[Char('/')]).typed("kart");
    let screen = s.screen();
    assert!(screen.contains("/kart"), "the filter is shown while typing");
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn units_tab() {
    insta::assert_snapshot!(open(Lang::Sv, 80, 24).go_to(Tab::Units).body());
}

#[test]
fn matrix_tab() {
    insta::assert_snapshot!(open(Lang::Sv, 80, 24).go_to(Tab::Matrix).body());
}

#[test]
fn matrix_with_historical_units_scrolled_right() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Matrix).press(&[Char('H')]);
    for _ in 0..14 {
        s.press(&[Right]);
    }
    insta::assert_snapshot!(s.body());
}

#[test]
fn activity_tab() {
    insta::assert_snapshot!(open(Lang::Sv, 80, 24).go_to(Tab::Activity).body());
}

#[test]
fn method_detail() {
    // Konsultläkare: several units, a chart and a long history.
    let mut s = open(Lang::Sv, 80, 24);
    s.press(&[Char('/')])
        .typed("konsult")
        .press(&[Enter, Enter]);
    insta::assert_snapshot!(s.body());
}

#[test]
fn method_detail_scrolled_to_history() {
    let mut s = open(Lang::En, 80, 24);
    s.press(&[Char('/')])
        .typed("konsult")
        .press(&[Enter, Enter]);
    // Past the adoption curve, which runs to this year.
    for _ in 0..42 {
        s.press(&[Down]);
    }
    insta::assert_snapshot!(s.body());
}

/// Konsultläkare's detail as of the end of 2019 (so the curve's years stay put), scrolled
/// `down` lines.
fn konsult_as_of(lang: Lang, (width, height): (u16, u16), day: &str, down: usize) -> String {
    let mut s = open(lang, width, height);
    s.press(&[Char('@')]).typed(day).press(&[Enter]);
    s.press(&[Char('/')])
        .typed("konsult")
        .press(&[Enter, Enter]);
    for _ in 0..down {
        s.press(&[Down]);
    }
    s.screen()
}

#[test]
fn method_detail_with_its_curve() {
    let screen = konsult_as_of(Lang::En, (80, 24), "2019-12-31", 20);
    // Four units reached pilot or beyond (the first in 2002), one was implemented
    // (Skärholmen; Vantör's agreement of 2007 is a pilot); none has been heard from since
    // 2007, so by 2019 the curve has fallen to nothing: what is known, not what was said.
    assert!(screen.contains("• pilot or beyond: 0"), "{screen}");
    assert!(screen.contains("█ implemented or beyond: 0"), "{screen}");
    assert!(screen.contains("4 of 4 stages not heard from"), "{screen}");
    assert!(
        screen.contains("2002") && screen.contains("2019"),
        "{screen}"
    );
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn minimum_method_detail_with_its_curve() {
    let screen = konsult_as_of(Lang::Sv, (60, 12), "2019-12-31", 25);
    assert!(!screen.contains("för liten"), "{screen}");
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn history_marks_what_came_after_the_day_shown() {
    // As of 2005: Enskede-Årsta-Vantör's implementation (2007) is listed, marked as later;
    // Skärholmen's of 2004 is not.
    let screen = konsult_as_of(Lang::En, (80, 24), "2005-01-01", 34);
    let line = |needle: &str| {
        screen
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no {needle} in {screen}"))
            .to_string()
    };
    assert!(
        line("2007-05-04 EAV").contains("[after 2005-01-01]"),
        "{screen}"
    );
    assert!(!line("2004-11    SH").contains("[after"), "{screen}");
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn unit_detail() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Units)
        .press(&[Char('/')])
        .typed("vantör")
        .press(&[Enter, Enter]);
    insta::assert_snapshot!(s.body());
}

#[test]
fn record_stage_form_with_a_wrong_date() {
    let mut s = open(Lang::Sv, 80, 24);
    // From the matrix both unit and method are filled in, and the stage has the focus.
    s.go_to(Tab::Matrix)
        .press(&[Down, Char('s'), Right, TabKey]);
    for _ in 0..10 {
        s.press(&[KeyCode::Backspace]);
    }
    s.typed("2019-02-30").ctrl('s');
    let screen = s.screen();
    assert!(
        screen.contains("ogiltigt datum '2019-02-30'"),
        "the error stands at the field, in Swedish"
    );
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn record_stage_form_asks_before_dropping_text() {
    let mut s = open(Lang::En, 80, 24);
    s.press(&[Char('s')]).typed("KH").press(&[Esc]);
    let screen = s.screen();
    insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2}", "[today]")]}, {
        insta::assert_snapshot!(below_tab_bar(&screen));
    });
}

#[test]
fn new_method_form() {
    insta::assert_snapshot!(open(Lang::Sv, 80, 24).press(&[Char('n')]).body());
}

#[test]
fn edit_unit_form() {
    insta::assert_snapshot!(
        open(Lang::En, 80, 24)
            .go_to(Tab::Units)
            .press(&[Down, Char('e')])
            .body()
    );
}

#[test]
fn reorganise_form_and_what_it_did() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Units).press(&[Char('o')]);
    let form = s.screen();
    insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2}", "[today]")]}, {
        insta::assert_snapshot!("reorganise_form", below_tab_bar(&form));
    });
    s.typed("FA, SN")
        .press(&[TabKey])
        .typed("Farsta-Skarpnäck")
        .press(&[TabKey])
        .typed("FS")
        .press(&[TabKey, TabKey]);
    for _ in 0..10 {
        s.press(&[Backspace]);
    }
    s.typed("2024-01-01");
    s.ctrl('s');
    insta::assert_snapshot!("reorganise_report", s.body());
    // Every line of the report is shown (a long one wraps; none is lost).
    let lines = report_lines(&s);
    let body = s.body();
    for line in &lines {
        let start: String = line.trim().chars().take(20).collect();
        assert!(body.contains(&start), "{start} is shown:\n{body}");
    }
    // In a shorter terminal ↓ scrolls and End shows the last line.
    let mut s = open(Lang::Sv, 80, 16);
    s.go_to(Tab::Units).press(&[Char('o')]);
    s.typed("FA, SN")
        .press(&[TabKey])
        .typed("Farsta-Skarpnäck")
        .press(&[TabKey])
        .typed("FS")
        .press(&[TabKey, TabKey]);
    s.ctrl('u').typed("2024-01-01").ctrl('s');
    let last: String = report_lines(&s)
        .last()
        .unwrap()
        .trim()
        .chars()
        .take(30)
        .collect();
    let top = s.body();
    assert!(
        !top.contains(&last),
        "the last line is below the fold: {last}"
    );
    s.press(&[Down]);
    assert_ne!(s.body(), top, "↓ scrolls");
    s.press(&[KeyCode::End]);
    assert!(s.body().contains(&last), "End shows {last}:\n{}", s.body());
}

/// The lines of the report popup that is open.
fn report_lines(s: &Session) -> Vec<String> {
    match &s.app.popup {
        Some(spridning::app::Popup::Report { lines, .. }) => lines.clone(),
        _ => panic!("the report is open"),
    }
}

#[test]
fn matrix_as_of_2005() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Matrix)
        .press(&[Char('@')])
        .typed("2005-01-01")
        .press(&[Enter]);
    let screen = s.screen();
    assert!(screen.contains("enheter som fanns 2005-01-01"), "{screen}");
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn minimum_matrix_as_of_2005() {
    let mut s = open(Lang::En, 60, 12);
    s.go_to(Tab::Matrix)
        .press(&[Char('@')])
        .typed("2005-01-01")
        .press(&[Enter]);
    insta::assert_snapshot!(s.body());
}

#[test]
fn matrix_rolled_up() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Matrix).press(&[Char('R')]);
    let screen = s.screen();
    assert!(screen.contains("med föregångarnas historik"), "{screen}");
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn minimum_matrix_rolled_up() {
    let mut s = open(Lang::En, 60, 12);
    s.go_to(Tab::Matrix).press(&[Char('R')]);
    insta::assert_snapshot!(s.body());
}

#[test]
fn spread_tab() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Spread)
        .press(&[Char('@')])
        .typed("2020-01-01")
        .press(&[Enter]);
    insta::assert_snapshot!(s.body());
}

#[test]
fn spread_sorted_by_units_in_use() {
    let mut s = open(Lang::En, 80, 24);
    s.go_to(Tab::Spread)
        .press(&[Char('@')])
        .typed("2020-01-01")
        .press(&[Enter, Char('o'), Char('o')]);
    let screen = s.screen();
    assert!(screen.contains("In use▼"), "{screen}");
    insta::assert_snapshot!(below_tab_bar(&screen));
}

/// The Spread tab's stalled pilots on `day` (80×24, Swedish).
fn stalled_on(day: &str) -> Session {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Spread)
        .press(&[Char('v'), Char('v'), Char('@')])
        .typed(day)
        .press(&[Enter]);
    s
}

#[test]
fn stalled_pilots() {
    // On a fixed day, so the months do not grow with the calendar: at the end of 2005 the
    // pilots of 2004 had stood for more than 18 months and been heard from within 24.
    insta::assert_snapshot!(stalled_on("2005-12-31").body());
}

#[test]
fn no_stalled_pilot_heard_from_says_why_and_where_to_look() {
    // By 2015 every sample stage had gone unheard for years: an empty list says why (a stage
    // not heard from is not stalled) and names the key to the stages not heard from.
    let body = stalled_on("2015-01-01").body();
    assert!(body.contains("inga"), "{body}");
    insta::assert_snapshot!(body);
}

#[test]
fn not_heard_from_oldest_first() {
    let mut s = open(Lang::En, 100, 24);
    s.go_to(Tab::Spread)
        .press(&[Char('v'), Char('v'), Char('v'), Char('@')])
        .typed("2020-01-01")
        .press(&[Enter]);
    insta::assert_snapshot!(s.body());
}

#[test]
fn minimum_spread_tab() {
    let mut s = open(Lang::En, 60, 12);
    s.go_to(Tab::Spread)
        .press(&[Char('@')])
        .typed("2020-01-01")
        .press(&[Enter]);
    insta::assert_snapshot!(s.body());
}

#[test]
fn help_screen() {
    insta::assert_snapshot!(open(Lang::Sv, 80, 24).press(&[Char('?')]).body());
}

#[test]
fn retract_dialog() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Activity)
        .press(&[Char('x')])
        .typed("fel enhet");
    insta::assert_snapshot!(s.body());
}

#[test]
fn terminal_too_small() {
    let mut s = open(Lang::Sv, 30, 8);
    let screen = s.screen();
    assert!(screen.contains("för liten"));
    insta::assert_snapshot!(screen);
}

#[test]
fn terminal_too_small_at_40x10_in_lines_that_fit_and_only_quit_works() {
    let mut s = open(Lang::En, 40, 10);
    let screen = s.screen();
    for line in [
        "The terminal is too small:",
        "at least 60×12, now 40×10.",
        "or q to quit.",
    ] {
        assert!(
            screen.contains(line),
            "{line:?} whole on one line:\n{screen}"
        );
    }
    // Keys do nothing behind the message: no help, no tab change, no form.
    s.press(&[Char('?'), TabKey, Char('s'), Char('n')]);
    assert!(s.app.popup.is_none() && s.app.form.is_none());
    assert_eq!(s.app.tab, Tab::Methods);
    assert_eq!(s.screen(), screen);
    s.press(&[Char('q')]);
    assert!(s.app.should_quit);
    insta::assert_snapshot!(screen);
}

#[test]
fn smallest_usable_size() {
    insta::assert_snapshot!(open(Lang::En, 60, 12).go_to(Tab::Matrix).body());
}

/// Every screen at the smallest size the app draws (60×12): still readable, nothing broken.
#[test]
fn every_screen_at_the_minimum_size() {
    let screens: &[(&str, Tab, &[KeyCode])] = &[
        ("methods", Tab::Methods, &[]),
        ("units", Tab::Units, &[]),
        ("matrix", Tab::Matrix, &[]),
        ("activity", Tab::Activity, &[]),
        ("method_detail", Tab::Methods, &[Enter]),
        ("unit_detail", Tab::Units, &[Enter]),
        ("new_unit_form", Tab::Units, &[Char('n')]),
        ("edit_method_form", Tab::Methods, &[Char('e')]),
        ("help", Tab::Methods, &[Char('?')]),
        ("retract", Tab::Activity, &[Char('x')]),
    ];
    for (name, tab, keys) in screens {
        let mut s = open(Lang::Sv, 60, 12);
        let screen = s.go_to(*tab).press(keys).screen();
        assert!(!screen.contains("för liten"), "{name} is drawn at 60×12");
        insta::assert_snapshot!(format!("minimum_{name}"), below_tab_bar(&screen));
    }
    let mut s = open(Lang::Sv, 80, 24);
    let record = s.press(&[Char('s')]).screen();
    insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2}", "[today]")]}, {
        insta::assert_snapshot!("record_stage_form", below_tab_bar(&record));
    });
}

/// The sample opened by `login`, after its owner registered `maja` as a member for Farsta.
fn open_as(login: &str, lang: Lang) -> Session {
    reopened_by_member(open(lang, 80, 24), "maja", login, lang)
}

/// The session's register with `member` registered for Farsta by its owner, opened again by
/// `login` (the member or another), at the session's size.
fn reopened_by_member(mut s: Session, member: &str, login: &str, lang: Lang) -> Session {
    let db = s._dir.path().join("sample.db");
    let mut owner = Store::open(&db, "owner").unwrap();
    owner.grant_owner();
    owner
        .add_user(member, "member", &["FA".to_string()])
        .unwrap();
    let size = s.app.size;
    let mut app = App::new(Store::open(&db, login).unwrap(), lang, size).unwrap();
    app.tz = chrono::FixedOffset::east_opt(0).unwrap();
    s.app = app;
    s
}

#[test]
fn a_member_opens_on_their_unit() {
    insta::assert_snapshot!(open_as("maja", Lang::Sv).body());
}

#[test]
fn an_unregistered_login_is_told_how_to_get_access() {
    let mut s = open_as("ulla", Lang::En);
    let screen = s.press(&[Char('s')]).screen();
    assert!(screen.contains("Read only: ask a coordinator"));
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn a_draft_from_last_time_is_offered() {
    let mut s = open(Lang::Sv, 80, 24);
    s.only("ASI")
        .press(&[Char('s')])
        .typed("KH")
        .press(&[TabKey, TabKey, TabKey, TabKey])
        .typed("Påbörjat men inte sparat");
    s.app.keep_draft().unwrap();
    let db = s._dir.path().join("sample.db");
    let mut store = Store::open(&db, "tester").unwrap();
    store.grant_owner();
    let mut app = App::new(store, Lang::Sv, (80, 24)).unwrap();
    app.tz = chrono::FixedOffset::east_opt(0).unwrap();
    s.app = app;
    let screen = s.screen();
    assert!(screen.contains("Påbörjat men inte sparat"));
    // What the draft is about: the method, the unit and the stage in words.
    assert!(
        screen.contains("Metod: ASI") && screen.contains("Enhet: KH"),
        "{screen}"
    );
    assert!(screen.contains("Steg: ? Utforskar"), "{screen}");
    insta::with_settings!({filters => vec![(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "[saved at]"), (r"\d{4}-\d{2}-\d{2}", "[today]")]}, {
        insta::assert_snapshot!(below_tab_bar(&screen));
    });
}

#[test]
fn a_save_conflict_shows_original_theirs_and_mine() {
    let mut s = open(Lang::En, 80, 24);
    let db = s._dir.path().join("sample.db");
    s.press(&[Char('e')]);
    // Someone else saves the same method meanwhile.
    let mut other = Store::open(&db, "anna").unwrap();
    other.grant_owner();
    let m = other.method(s.app.tabs.methods.list.rows[0].id).unwrap();
    let version = m.version;
    let mut theirs = spridning::store::MethodInput::from(m);
    theirs.area = "socialmedicin".into();
    other
        .update_method(s.app.tabs.methods.list.rows[0].id, version, &theirs)
        .unwrap();
    // Mine: another area and a contact.
    let form = s.app.form.as_mut().unwrap();
    form.field_mut(spridning::app::form::FieldName::Area)
        .unwrap()
        .set_value("missbruk och beroende");
    form.field_mut(spridning::app::form::FieldName::Contact)
        .unwrap()
        .set_value("Enhetschef");
    let screen = s.ctrl('s').screen();
    assert!(screen.contains("someone else saved meanwhile"));
    insta::assert_snapshot!(below_tab_bar(&screen));
}

/// Text written into the database past spridning's cleaning (another tool, an old version):
/// no view lets a control, escape or bidi character through to the screen.
#[test]
fn escape_codes_and_bidi_never_reach_any_view() {
    const NASTY: &str = "'x' || char(27) || ']0;pwned' || char(7) || char(27) || '[2J' || char(155) || char(8238) || char(8203) || 'y'";
    for (tab, keys) in [
        (Tab::Methods, &[][..]),
        (Tab::Units, &[]),
        (Tab::Matrix, &[]),
        (Tab::Activity, &[]),
        (Tab::Methods, &[Enter]),
        (Tab::Units, &[Enter]),
        (Tab::Methods, &[Char('e')]),
        (Tab::Units, &[Char('e')]),
        (Tab::Activity, &[Char('x')]),
        (Tab::Activity, &[Char('s')]),
    ] {
        let mut s = open(Lang::En, 100, 30);
        let db = s._dir.path().join("sample.db");
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO stage_event (adoption_id, stage, effective, note, source, recorded_at, recorded_by)
               SELECT a.id, 'pilot', '2003-05', {NASTY}, {NASTY}, '2026-01-01T00:00:00Z', {NASTY}
               FROM adoption a WHERE a.method_id = (SELECT id FROM method ORDER BY label_key, id LIMIT 1) LIMIT 1;
             UPDATE adoption SET current_event_id = (SELECT max(id) FROM stage_event)
               WHERE id = (SELECT adoption_id FROM stage_event WHERE id = (SELECT max(id) FROM stage_event));
             UPDATE method SET name = {NASTY}, description = {NASTY}, area = {NASTY}
               WHERE id = (SELECT id FROM method ORDER BY label_key, id LIMIT 1);
             UPDATE unit SET name = {NASTY} WHERE code = 'KS';"
        ))
        .unwrap();
        let mut store = Store::open(&db, "tester").unwrap();
        store.grant_owner();
        s.app = App::new(store, Lang::En, (100, 30)).unwrap();
        let screen = s.go_to(tab).press(keys).screen();
        for bad in ['\x1b', '\x07', '\u{9b}', '\u{202e}', '\u{200b}'] {
            assert!(
                !screen.contains(bad),
                "{bad:?} reached the screen after {tab:?}, {keys:?}:\n{screen}"
            );
        }
        assert!(
            screen.contains("x]0;pwned[2Jy") || (tab == Tab::Matrix && keys.is_empty()),
            "the text itself shows after {tab:?}, {keys:?}:\n{screen}"
        );
    }
}

#[test]
fn matrix_filtered_by_area_and_sorted_by_spread() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Matrix)
        .press(&[Char('f')])
        .typed("område:socialmedicin")
        .press(&[Enter, Char('o')]);
    let screen = s.screen();
    // The method most in use comes first; the title names the filter and the order.
    assert!(
        screen.contains(" × 16 /område:socialmedicin (enheter som finns i dag, ▼ spridning)"),
        "{screen}"
    );
    let first = screen.lines().nth(3).unwrap_or("");
    assert!(first.contains("Konsultläkare"), "{screen}");
    insta::assert_snapshot!(below_tab_bar(&screen));
}

#[test]
fn matrix_filter_names_an_unknown_area_with_the_nearest() {
    let mut s = open(Lang::En, 80, 24);
    s.go_to(Tab::Matrix)
        .press(&[Char('/')])
        .typed("area:socialmedcin");
    let screen = s.screen();
    assert!(
        screen.contains("unknown area 'socialmedcin' (did you mean: socialmedicin"),
        "{screen}"
    );
}

#[test]
fn edit_method_form_shows_a_long_description_wrapped_from_its_start() {
    let mut s = open(Lang::Sv, 80, 24);
    s.only("ASI").press(&[Char('e')]);
    let screen = s.screen();
    // ASI's description begins "Kartläggningsintervju från missbrukarvården …" and is longer
    // than a line: it shows from its first word, on wrapped lines.
    let lines: Vec<&str> = screen.lines().collect();
    let first = lines
        .iter()
        .position(|l| l.contains("Kartläggningsintervju från"))
        .expect("the description from its start");
    assert!(
        lines[first + 1].contains("helhetsbild") || lines[first + 1].contains("klientens"),
        "the next words on the next line:\n{screen}"
    );
    insta::assert_snapshot!(below_tab_bar(&screen));
}

/// The sample with a round open (due 2099-03-31, ASI named), Farsta having confirmed one
/// stage and changed another; today's date shown as TODAY-DATE so the snapshots keep.
fn with_round(lang: Lang, width: u16, height: u16) -> Session {
    use spridning::store::{Answering, NewRound};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sample.db");
    std::fs::copy(spridning::sample::pristine(), &db).unwrap();
    let mut store = Store::open(&db, "tester").unwrap();
    store.grant_owner();
    let asi = store.find_method("ASI").unwrap().0;
    store
        .start_round(&NewRound {
            name: "Inventering 2099".into(),
            due: "2099-03-31".parse().ok(),
            methods: vec![asi],
            ..NewRound::default()
        })
        .unwrap();
    let fa = store.find_unit("FA").unwrap().0;
    let fuel = store.find_method("FUEL").unwrap().0;
    let lihf = store.find_method("LIHF").unwrap().0;
    store
        .answer_round(
            fa,
            fuel,
            &Answering::Confirm {
                note: String::new(),
            },
        )
        .unwrap();
    store
        .answer_round(
            fa,
            lihf,
            &Answering::Stage {
                stage: spridning::domain::Stage::Implemented,
                date: None,
                note: "i ordinarie verksamhet".into(),
            },
        )
        .unwrap();
    let mut app = App::new(store, lang, (width, height)).unwrap();
    app.tz = chrono::FixedOffset::east_opt(0).unwrap();
    let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    Session {
        _dir: dir,
        app,
        terminal,
    }
}

fn dated(body: String) -> String {
    let today = chrono::Local::now().date_naive().to_string();
    // As wide as a date, so the columns stay where they are.
    body.replace(&today, "TODAY-DATE")
}

#[test]
fn rounds_progress_per_unit() {
    let mut s = with_round(Lang::En, 100, 24);
    s.go_to(Tab::Rounds);
    let body = dated(s.body());
    assert!(body.contains("Inventering 2099 (due 2099-03-31)"), "{body}");
    assert!(body.contains("2 / 7"), "Farsta: 2 of 7 answered\n{body}");
    insta::assert_snapshot!(body);
}

#[test]
fn rounds_checklist_of_a_unit() {
    let mut s = with_round(Lang::Sv, 100, 24);
    s.go_to(Tab::Rounds);
    while s
        .app
        .tabs
        .rounds
        .status
        .selected_row()
        .is_some_and(|p| p.code != "FA")
    {
        s.press(&[Down]);
    }
    s.press(&[Enter]);
    let body = dated(s.body());
    assert!(body.contains("Farsta"), "{body}");
    assert!(body.contains("2 av 7 besvarade"), "{body}");
    assert!(
        body.contains("✎ ändrat") && body.contains("✓ bekräftat"),
        "{body}"
    );
    insta::assert_snapshot!(body);
}

#[test]
fn a_coordinator_starts_and_closes_a_round_from_the_tab() {
    let mut s = open(Lang::En, 100, 24);
    s.go_to(Tab::Rounds);
    assert!(s.body().contains("No inventory round yet"));
    s.press(&[Char('n')])
        .typed("Inventering 2099")
        .press(&[TabKey])
        .typed("2099-03-31")
        .press(&[TabKey, TabKey])
        .typed("ASI");
    s.ctrl('s');
    let body = s.body();
    assert!(body.contains("Inventering 2099 (due 2099-03-31)"), "{body}");
    let round = s.app.tabs.rounds.round.clone().expect("an open round");
    assert_eq!(round.name, "Inventering 2099");
    assert!(round.closed_at.is_none());
    // A second one is refused at Ctrl-S, in the form.
    s.press(&[Char('n')])
        .typed("Igen")
        .press(&[TabKey])
        .typed("2099-04-01");
    s.ctrl('s');
    assert!(s.screen().contains("is open already"), "{}", s.screen());
    s.press(&[Esc, Char('y')]);
    // X, then yes: closed.
    s.press(&[Char('X')]);
    assert!(s.body().contains("Close Inventering 2099?"));
    s.press(&[Char('y')]);
    let body = s.body();
    assert!(body.contains("(closed "), "{body}");
    assert!(
        s.app
            .tabs
            .rounds
            .round
            .as_ref()
            .is_some_and(|r| r.closed_at.is_some())
    );
}

/// `--ascii` (and a locale not in UTF-8): the Matrix with its legend, a method's detail with
/// its curve, the form and help, with frames, glyphs and marks in ASCII and the same layout
/// (every other screen is drawn in ASCII and checked by `screen`).
#[test]
fn screens_in_ascii() {
    let mut s = open(Lang::Sv, 80, 24);
    s.go_to(Tab::Matrix);
    insta::assert_snapshot!("ascii_matrix", s.ascii_text());
    let mut s = open(Lang::En, 80, 24);
    s.only("Konsult").press(&[KeyCode::Enter]);
    insta::assert_snapshot!("ascii_method_detail", s.ascii_text());
    let mut s = open(Lang::En, 80, 24);
    s.press(&[Char('@')]).typed("2019-12-31").press(&[Enter]);
    s.only("konsult").press(&[Enter]);
    for _ in 0..20 {
        s.press(&[Down]);
    }
    insta::assert_snapshot!("ascii_method_detail_with_curve", s.ascii_text());
    let mut s = open(Lang::En, 80, 24);
    s.press(&[KeyCode::Char('?')]);
    insta::assert_snapshot!("ascii_help", s.ascii_text());
}

/// The tabs in both palettes: the colour pairs the Methods list, the Matrix and a form use,
/// each at AA contrast (every screen is checked by `screen`; this keeps the pairs reviewed).
#[test]
fn tabs_in_both_palettes() {
    for scheme in [Scheme::Dark, Scheme::Light] {
        let mut out = String::new();
        let mut s = open(Lang::Sv, 80, 24);
        out.push_str(&format!(
            "methods:\n{}\n",
            colour_pairs(&s.coloured(scheme))
        ));
        s.go_to(Tab::Matrix);
        out.push_str(&format!("matrix:\n{}\n", colour_pairs(&s.coloured(scheme))));
        let mut s = open(Lang::Sv, 80, 24);
        s.press(&[Char('n')]).typed("x");
        out.push_str(&format!("form:\n{}\n", colour_pairs(&s.coloured(scheme))));
        insta::assert_snapshot!(format!("tabs_{scheme:?}").to_lowercase(), out);
    }
}

/// The status line at 60, 80, 120 and 200 columns on every tab, in both languages: it ends
/// with a whole hint (key and all its words), and with `? help` whenever a hint is left out.
#[test]
fn the_status_line_never_ends_inside_a_word() {
    use spridning::app::action::Action;
    use spridning::app::keymap;
    let mut checked = 0;
    for lang in [Lang::Sv, Lang::En] {
        for width in [60, 80, 120, 200] {
            for tab in Tab::ALL {
                let mut s = open(lang, width, 24);
                s.go_to(*tab);
                let screen = s.screen();
                let status = screen
                    .lines()
                    .last()
                    .unwrap()
                    .trim_matches('"')
                    .trim_end()
                    .to_string();
                let app = &s.app;
                let hints = keymap::hints(&app.contexts(), lang, |a| app.can(a));
                let whole: Vec<String> = hints
                    .iter()
                    .map(|h| format!("{} {}", h.key, h.describe))
                    .collect();
                assert!(
                    whole.iter().any(|h| status.ends_with(h.as_str())),
                    "{width} columns, {tab:?}: {status:?}"
                );
                let shown = whole.iter().filter(|h| status.contains(h.as_str())).count();
                if shown < hints.len() {
                    let help = hints.iter().find(|h| h.action == Action::Help).unwrap();
                    assert!(
                        status.ends_with(&format!("{} {}", help.key, help.describe)),
                        "{width} columns, {tab:?}: a hint is left out, and not `? help` last: {status:?}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * 4 * Tab::ALL.len());
}

/// Anna, a member of Farsta, opens the app while `with_round`'s round is open (Swedish).
fn member_during_round(width: u16, height: u16) -> Session {
    reopened_by_member(
        with_round(Lang::Sv, width, height),
        "anna",
        "anna",
        Lang::Sv,
    )
}

/// A member opening the app during a round sees the round's progress on the status line
/// first; who they are follows, shortened at a word or left out, never cut inside one.
#[test]
fn a_rounds_progress_on_the_status_line_is_never_cut_inside_a_word() {
    for width in [60, 80, 100, 120] {
        let screen = member_during_round(width, 16).screen();
        let status = screen.lines().last().unwrap().trim_matches('"').trim_end();
        assert!(
            status.starts_with("Inventering 2099 · Farsta · 2 av 7 besvarade"),
            "{width}: {status:?}"
        );
        assert!(
            status.ends_with("● live") || status.ends_with("besvarade") || status.ends_with('…'),
            "{width} columns: {status:?}"
        );
    }
}

/// The `@` prompt names its own keys on the status line, not the filter's.
#[test]
fn the_day_prompt_names_its_own_keys() {
    let mut s = open(Lang::Sv, 80, 24);
    s.press(&[Char('@')]).typed("2005-0");
    let body = s.body();
    let status = body.lines().last().unwrap();
    assert!(
        status.contains("Enter visa dagen") && status.contains("Esc stäng, dagen som förut"),
        "{status}"
    );
    assert!(!status.contains("filtret"), "{status}");
    insta::assert_snapshot!(body);
}

impl Session {
    /// Draws with `--a11y`; the line under the terminal cursor and the cursor's column.
    fn a11y_cursor(&mut self) -> (String, u16) {
        let theme = Theme {
            color: true,
            a11y: true,
            ..Theme::default()
        };
        let app = &self.app;
        self.terminal.draw(|f| ui::draw(f, app, &theme)).unwrap();
        let backend = self.terminal.backend_mut();
        let at = ratatui::backend::Backend::get_cursor_position(backend).unwrap();
        let buffer = backend.buffer();
        let line: String = (0..buffer.area.width)
            .map(|x| buffer[(x, at.y)].symbol().to_string())
            .collect();
        (line, at.x)
    }
}

/// With `--a11y` the terminal cursor is where a screen reader should read: on a unit
/// detail's selected row, on a method detail's first line, on help's first line (not the
/// list behind), at a filter being typed, and on the field with the error after a failed
/// save; the Matrix's sentence says the stage and unit first.
#[test]
fn the_a11y_cursor_is_where_the_person_is() {
    // A unit's detail: the selected row (`j` moves it).
    let mut s = open(Lang::En, 80, 24);
    s.go_to(Tab::Units).only("Farsta").press(&[Enter]);
    let (first, _) = s.a11y_cursor();
    assert!(first.contains('▶'), "{first}");
    s.press(&[Char('j')]);
    let (second, _) = s.a11y_cursor();
    assert!(second.contains('▶') && second != first, "{second}");
    // Help: its first line, and it follows the scrolling.
    s.press(&[Esc]).press(&[Char('?')]);
    let (line, _) = s.a11y_cursor();
    assert!(line.contains("Browsing"), "{line}");
    s.press(&[Down]);
    let (line, _) = s.a11y_cursor();
    assert!(
        !line.contains("Browsing") && line.contains("quit"),
        "{line}"
    );
    // Typing a filter: the cursor after the text typed, on the frame's title.
    let mut s = open(Lang::En, 80, 24);
    s.press(&[Char('/')]).typed("asi");
    let (line, x) = s.a11y_cursor();
    let end = line.find("/asi").unwrap();
    assert_eq!(
        x as usize,
        line[..end].chars().count() + 4,
        "just after /asi: {line}"
    );
    // The Matrix: what changes first.
    let mut s = open(Lang::En, 80, 24);
    s.go_to(Tab::Matrix);
    let (line, _) = s.a11y_cursor();
    assert!(
        line.trim_start().starts_with("▶ No stage, Kungsholmen, "),
        "{line}"
    );
    // A failed save: the focus, and the cursor, on the field with the error.
    let mut s = open(Lang::En, 80, 24);
    s.only("ASI").press(&[Char('s')]).typed("Farsta");
    let form = s.app.form.as_ref().unwrap();
    let date = form
        .fields
        .iter()
        .position(|f| f.name == spridning::app::form::FieldName::Date)
        .unwrap();
    while s.app.form.as_ref().unwrap().focus != date {
        s.press(&[TabKey]);
    }
    s.ctrl('u').typed("2019-02-30").press(&[TabKey]);
    assert_ne!(s.app.form.as_ref().unwrap().focus, date);
    s.ctrl('s');
    assert_eq!(s.app.form.as_ref().unwrap().focus, date);
    let (line, _) = s.a11y_cursor();
    assert!(line.contains("2019-02-30"), "{line}");
    // An empty field's hint says it is empty, not a value.
    let mut s = open(Lang::En, 80, 24);
    s.only("ASI").press(&[Char('s')]);
    let (_, _) = s.a11y_cursor();
    let screen = s.terminal.backend().to_string();
    assert!(screen.contains("(empty: what happened"), "{screen}");
    // Spread: the selected row names each figure.
    let mut s = open(Lang::En, 100, 24);
    s.go_to(Tab::Spread);
    let (line, x) = s.a11y_cursor();
    assert!(
        line.contains("▶ 5:e steget: reached 1, in use 0, share in use 0%, first pilot 2005-03-01"),
        "{line}"
    );
    assert!(line.contains("share in use"), "{line}");
    assert_eq!(line.chars().nth(x as usize), Some('▶'), "{line}");
    // A slide: the cursor on its title.
    let mut s = open(Lang::En, 80, 24);
    s.press(&[Char('P')]);
    let (line, x) = s.a11y_cursor();
    assert!(!line.trim().is_empty(), "{line}");
    assert_ne!(line.chars().nth(x as usize), Some(' '), "{line}");
}

/// A slide of the README's deck (`--present --methods ASI,FUEL,"Konsultläkare …" --as-of
/// 2025-06-30`, 80×24) after `keys`, as plain text; the film is stepped back to 2005.
fn slide_text(keys: &[KeyCode]) -> String {
    let mut s = open(Lang::Sv, 80, 24);
    s.app.present(&common::readme_deck(true)).unwrap();
    s.press(keys);
    if let Some(deck) = s.app.deck.as_ref().filter(|_| keys.contains(&Enter)) {
        let back = (deck.film.year - 2005).max(0) as usize;
        s.press(&vec![KeyCode::Left; back]);
    }
    plain(&mut s)
}

/// The screen as plain text, each line without its trailing spaces (as the README shows it).
fn plain(s: &mut Session) -> String {
    s.screen();
    text_of(s.terminal.backend().buffer())
}

/// The README's screen captures are the app's screens: each block after a
/// `<!-- screen: NAME -->` line equals what the app draws for NAME, so the README cannot
/// drift. `README_SCREENS=write cargo test --test screens readme` rewrites the blocks.
#[test]
fn readme_screens_are_the_app_screens() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let mut readme = std::fs::read_to_string(path).unwrap();
    let day = |s: &mut Session, day: &str| {
        s.press(&[Char('@')]).ctrl('u').typed(day).press(&[Enter]);
    };
    let screens: Vec<(&str, String)> = vec![
        ("matrix_2005", {
            let mut s = open(Lang::Sv, 100, 28);
            day(&mut s, "2005-01-01");
            s.go_to(Tab::Matrix);
            plain(&mut s)
        }),
        ("spread_2010", {
            let mut s = open(Lang::Sv, 100, 28);
            day(&mut s, "2010-01-01");
            s.go_to(Tab::Spread);
            plain(&mut s)
        }),
        ("method_detail_2019", {
            let mut s = open(Lang::Sv, 100, 28);
            day(&mut s, "2019-12-31");
            s.only("konsult").press(&[Enter]);
            plain(&mut s)
        }),
        // A member of Farsta opens the app during a round: their unit's checklist. Shown as
        // on the day the README was written (a round due 2027-03-31, two answers that day).
        ("member_checklist", {
            let mut s = member_during_round(100, 16);
            let today = chrono::Local::now().date_naive().to_string();
            plain(&mut s)
                .replace(&today, "2026-12-03")
                .replace("2099", "2027")
        }),
        ("slide_method_2025", slide_text(&[Right])),
        ("slide_film_2005", slide_text(&[Char('5'), Enter])),
    ];
    let mut wrong = Vec::new();
    for (name, screen) in &screens {
        let marker = format!("<!-- screen: {name} -->\n```text\n");
        let Some(start) = readme.find(&marker).map(|i| i + marker.len()) else {
            panic!("README has no block marked {name}");
        };
        let end = start + readme[start..].find("```\n").unwrap();
        if readme[start..end] != **screen {
            wrong.push(*name);
            readme.replace_range(start..end, screen);
        }
    }
    if std::env::var("README_SCREENS").as_deref() == Ok("write") {
        std::fs::write(path, &readme).unwrap();
        return;
    }
    assert!(
        wrong.is_empty(),
        "README's screens {wrong:?} are not what the app draws; \
         `README_SCREENS=write cargo test --test screens readme` rewrites them"
    );
}

/// The new-person form (a coordinator's `u` on Units): login, role, units, SSH key.
#[test]
fn new_person_form() {
    let mut s = open(Lang::En, 80, 24);
    s.go_to(Tab::Units).press(&[Char('u')]).typed("bertil");
    insta::assert_snapshot!(s.body());
}
