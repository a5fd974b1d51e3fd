//! The web report parsed as a browser would (scraper, html5ever): self-contained (no URL in
//! any attribute, no script), tables with real headers, every stage cell with its word, and a
//! method, unit, note and source holding HTML and script fragments shown as text.

mod common;

use common::{Sandbox, one_line_failure};
use scraper::{ElementRef, Html, Selector};
use serde_json::{Value, json};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a selector")
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>()
}

const METHOD: &str = "<script>alert('m')</script> Metod";
const SHORT: &str = "\"><svg onload=1>";
const UNIT: &str = "<style>body{display:none}</style>Enhet";
const NOTE: &str = "<script>alert(2)</script> \"><img src=x onerror=alert(3)>";
const SOURCE: &str = "<iframe src=//evil.example></iframe> http://evil.example/";
const DESCRIPTION: &str = "<b>fet</b> & <a href=\"http://evil.example/\">länk</a>";

/// The sample with a method, a unit and an event whose texts are HTML and script fragments
/// (imported, as a hostile export would be).
fn hostile() -> Sandbox {
    let sample = Sandbox::sample();
    let mut data = sample.json(&["export", "--format", "json"]);
    let push = |data: &mut Value, key: &str, v: Value| {
        data[key].as_array_mut().expect("a list").push(v);
    };
    push(
        &mut data,
        "methods",
        json!({"name": METHOD, "short_name": SHORT, "kind": "intervention", "area": "missbruk",
               "description": DESCRIPTION, "target_group": null, "origin": null,
               "evidence": null, "evidence_link": "http://evil.example/x", "contact": null}),
    );
    push(
        &mut data,
        "units",
        json!({"code": "XY", "name": UNIT, "kind": "district", "region": "söderort",
               "valid_from": "1999-01-01", "valid_to": null, "successor": null}),
    );
    push(
        &mut data,
        "events",
        json!({"method": METHOD, "unit": "XY", "stage": "pilot", "date": "2020-01",
               "note": NOTE, "source": SOURCE, "recorded_by": "sample",
               "recorded_at": "2026-01-01T12:00:00Z", "retracted": false, "retraction": null}),
    );
    let sb = Sandbox::init();
    sb.write("hostile.json", &data.to_string());
    sb.ok(&["import", "hostile.json"]);
    sb
}

fn report(sb: &Sandbox, args: &[&str], file: &str) -> Html {
    let mut all = vec!["report", "--format", "html"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", file]);
    sb.ok(&all);
    let page = std::fs::read_to_string(sb.path(file)).expect("the page");
    Html::parse_document(&page)
}

#[test]
fn the_page_is_self_contained_and_shows_hostile_text_as_text() {
    let sb = hostile();
    let doc = report(&sb, &["--lang", "sv"], "r.html");
    let root = doc.root_element();
    assert_eq!(root.value().attr("lang"), Some("sv"));
    // Nothing fetched, nothing run: no URL in any attribute, no script, no event handler.
    for e in root.descendent_elements() {
        let name = e.value().name();
        assert!(
            ![
                "script", "img", "iframe", "a", "b", "link", "object", "embed"
            ]
            .contains(&name),
            "a <{name}> element from data"
        );
        for (attr, value) in e.value().attrs() {
            assert!(!attr.starts_with("on"), "an {attr} attribute on <{name}>");
            let v = value.to_lowercase();
            assert!(
                !v.contains("http") && !v.contains("//"),
                "<{name} {attr}=\"{value}\"> points somewhere"
            );
        }
    }
    let styles: Vec<String> = doc.select(&sel("style")).map(text).collect();
    assert_eq!(styles.len(), 1, "the page's own style only");
    for fetch in ["url(", "@import", "http", "@font-face"] {
        assert!(!styles[0].contains(fetch), "the style fetches: {fetch}");
    }
    // The hostile texts are there, as text.
    let all_text = text(root);
    for fragment in [METHOD, SHORT, UNIT, NOTE, SOURCE, DESCRIPTION] {
        assert!(
            all_text.contains(fragment),
            "{fragment:?} not shown as text"
        );
    }
    let matrix_rows: Vec<String> = doc
        .select(&sel("table.matrix tbody th[scope=row]"))
        .map(text)
        .collect();
    assert!(matrix_rows.contains(&SHORT.to_string()), "{matrix_rows:?}");
    let units: Vec<&str> = doc
        .select(&sel("table.matrix thead th[scope=col]"))
        .filter_map(|th| th.value().attr("title"))
        .collect();
    assert!(units.contains(&UNIT), "the unit's name as a title");
}

#[test]
fn every_table_has_headers_and_every_stage_cell_a_word() {
    let sb = Sandbox::sample();
    let doc = report(&sb, &["--lang", "en"], "r.html");
    let sections: Vec<&str> = doc
        .select(&sel("body > section"))
        .filter_map(|s| s.value().attr("id"))
        .collect();
    assert_eq!(
        sections,
        [
            "summary",
            "matrix",
            "methods",
            "figures",
            "stalled",
            "not-heard-from",
            "history",
            "about"
        ]
    );
    let tables: Vec<ElementRef> = doc.select(&sel("table")).collect();
    assert!(tables.len() > 50, "a table per method and more");
    for t in &tables {
        let heads: Vec<ElementRef> = t.select(&sel("thead th[scope=col]")).collect();
        assert!(!heads.is_empty(), "a table without column headers");
        for row in t.select(&sel("tbody tr")) {
            assert!(
                row.select(&sel("th[scope=row]")).next().is_some(),
                "a row without its header: {}",
                text(row)
            );
        }
    }
    let words = [
        ("exploring", "? Exploring"),
        ("preparing", "○ Preparing"),
        ("pilot", "◐ Pilot"),
        ("implemented", "● Implemented"),
        ("sustained", "★ Sustained"),
        ("paused", "‖ Paused"),
        ("discontinued", "× Discontinued"),
    ];
    let mut cells = 0;
    for td in doc.select(&sel("td[class^=s-]")) {
        let class = td.value().attr("class").unwrap_or_default();
        let (_, word) = words
            .iter()
            .find(|(code, _)| class == format!("s-{code}"))
            .unwrap_or_else(|| panic!("unknown stage class {class}"));
        assert!(text(td).contains(word), "{class}: {}", text(td));
        cells += 1;
    }
    assert!(cells > 100, "{cells} stage cells");
    // The matrix holds what `matrix --format csv` holds: the solution-focused way of working
    // implemented in Skärholmen.
    let head: Vec<String> = doc
        .select(&sel("table.matrix thead th"))
        .map(text)
        .collect();
    let sh = head.iter().position(|h| h == "SH").expect("SH's column");
    let afso = doc
        .select(&sel("table.matrix tbody tr"))
        .find(|r| {
            r.select(&sel("th")).next().map(text).as_deref() == Some("Lösningsfokuserat arbetssätt")
        })
        .expect("its row");
    let cell = afso.select(&sel("th, td")).nth(sh).map(text);
    // Not heard from in 24 months: marked stale.
    assert_eq!(cell.as_deref(), Some("● Implemented°"));
    // A curve per method that has one, drawn inline with a title for screen readers.
    let curves = doc.select(&sel("svg.curve title")).count();
    assert!(curves > 10, "{curves} curves");
}

/// A history longer than the page shows: the latest 10 000, a line saying how many more and
/// the command that writes them all; `--methods` keeps the page to those methods.
#[test]
fn a_long_history_shows_the_latest_and_says_how_to_get_all() {
    use spridning::scale::{Spec, generate};
    let sb = Sandbox::bare();
    let spec = Spec {
        units: 30,
        methods: 40,
        adoptions: 1_000,
        events: 12_000,
        seed: 5,
    };
    generate(&sb.db(), &spec).expect("a generated register");
    let doc = report(&sb, &["--lang", "en"], "big.html");
    let rows = doc.select(&sel("#history tbody tr")).count();
    assert_eq!(rows, 10_000);
    let said = doc
        .select(&sel("#history p strong"))
        .map(text)
        .next()
        .expect("the line");
    let total = sb
        .json(&["history", "--format", "json"])
        .as_array()
        .expect("events")
        .len();
    assert_eq!(
        said,
        format!(
            "Showing the latest 10000 of {total} events; {} more are not shown.",
            total - 10_000
        )
    );
    let command = doc
        .select(&sel("#history p code"))
        .map(text)
        .next()
        .expect("the command");
    assert!(command.contains("report --format xlsx"), "{command}");
    // Two methods: their rows only, in the order asked for.
    let methods: Vec<String> = sb
        .json(&["methods", "--format", "json"])
        .as_array()
        .expect("methods")
        .iter()
        .take(2)
        .filter_map(|m| m["name"].as_str().map(str::to_string))
        .collect();
    let asked = format!("{},{}", methods[1], methods[0]);
    let doc = report(&sb, &["--methods", &asked], "two.html");
    let rows: Vec<String> = doc
        .select(&sel("table.matrix tbody th"))
        .map(text)
        .collect();
    assert_eq!(rows.len(), 2);
    let shown: std::collections::BTreeSet<String> = doc
        .select(&sel("#history tbody td:nth-child(2)"))
        .map(text)
        .collect();
    assert!(shown.len() <= 2 && !shown.is_empty(), "{shown:?}");
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["report", "--format", "html", "--out", "db.db", "--force"]),
        &["db.db"],
    );
    assert!(sb.state() == before);
}

/// What a manager forwards reads as written in the report's language: one decimal sign per
/// language ("0,0" in Swedish), the time it was made in words (not a raw timestamp), a
/// method without a short name named once in the figures, dates that never break at their
/// hyphen, and, rolled up, a caption that says what the parentheses mean.
#[test]
fn numbers_times_names_and_dates_read_as_the_language_writes_them() {
    let sb = Sandbox::sample();
    let sv = report(&sb, &["--lang", "sv"], "sv.html");
    let en = report(&sb, &["--lang", "en"], "en.html");
    let decimals = |page: &Html, sign: char| -> (usize, usize) {
        let mut right = 0;
        let mut wrong = 0;
        for td in page.select(&sel("td.num")) {
            let t = text(td);
            let Some((a, b)) = t.split_once(['.', ',']) else {
                continue;
            };
            if a.chars().all(|c| c.is_ascii_digit()) && b.len() == 1 && !a.is_empty() {
                if t.contains(sign) {
                    right += 1;
                } else {
                    wrong += 1;
                }
            }
        }
        (right, wrong)
    };
    let (right, wrong) = decimals(&sv, ',');
    assert!(
        right > 0 && wrong == 0,
        "Swedish: {right} with a comma, {wrong} with a point"
    );
    let (right, wrong) = decimals(&en, '.');
    assert!(
        right > 0 && wrong == 0,
        "English: {right} with a point, {wrong} with a comma"
    );

    let front = |page: &Html| text(page.select(&sel("header p")).next().expect("a front line"));
    let (sv_front, en_front) = (front(&sv), front(&en));
    for f in [&sv_front, &en_front] {
        assert!(!f.contains('T') || !f.contains('Z'), "a raw timestamp: {f}");
    }
    assert!(sv_front.contains(" kl. "), "{sv_front}");
    assert!(en_front.contains(" at "), "{en_front}");

    // No figure row says a name twice (label and name columns).
    let mut rows = 0;
    for tr in sv.select(&sel("table tbody tr")) {
        let (Some(th), Some(td)) = (tr.select(&sel("th")).next(), tr.select(&sel("td")).next())
        else {
            continue;
        };
        if !text(td).trim().is_empty() {
            assert_ne!(text(th), text(td), "a name said twice");
        }
        rows += 1;
    }
    assert!(rows > 20);

    let css = text(sv.select(&sel("style")).next().expect("a style"));
    assert!(
        css.contains("td.num, td.date, .nowrap { white-space: nowrap; }"),
        "{css}"
    );
    assert!(sv.select(&sel("span.nowrap")).count() > 0);

    let caption = |page: &Html| {
        text(
            page.select(&sel("table.matrix caption"))
                .next()
                .expect("a caption"),
        )
    };
    assert!(!caption(&sv).contains("parentes"));
    let rolled = report(&sb, &["--lang", "sv", "--roll-up"], "rolled.html");
    assert!(
        caption(&rolled).contains("inom parentes"),
        "{}",
        caption(&rolled)
    );
}
