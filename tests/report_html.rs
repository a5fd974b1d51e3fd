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
fn a_method_in_use_on_a_stale_word_says_so_in_its_headline() {
    let sb = Sandbox::sample();
    let headline = |day: &str| -> String {
        let doc = report(
            &sb,
            &["--lang", "en", "--as-of", day],
            &format!("r{day}.html"),
        );
        doc.select(&sel("article.method"))
            .find(|a| text(*a).contains("Konsultläkare"))
            .and_then(|a| a.select(&sel("p strong")).next())
            .map(text)
            .expect("the physicians' block and its headline")
    };
    assert_eq!(
        headline("2005-06-30"),
        "In ordinary use in 1 of 18 districts."
    );
    assert_eq!(
        headline("2010-01-01"),
        "In ordinary use in 1 of 14 districts (1 not heard from in 24 months)."
    );
}

/// The about section says what the figures count in the workbook's plain words, with the
/// register's months written in: no options, no backticks, no stage codes.
#[test]
fn the_about_section_speaks_plain_words_with_the_registers_months() {
    let sb = Sandbox::sample();
    sb.ok(&["setting", "fresh-months", "12"]);
    let doc = report(&sb, &["--lang", "en"], "about.html");
    let about = doc
        .select(&sel("section#about"))
        .next()
        .map(text)
        .expect("the about section");
    for (name, words) in
        spridning::report::words::figures_in_words(spridning::i18n::Lang::En, 12, 18)
    {
        assert!(
            about.contains(name) && about.contains(&words),
            "{name}: {about}"
        );
    }
    assert!(about.contains("in the last 12 months"), "{about}");
    for code in ["--", "`", "fresh-months", "H months", "stalled-after"] {
        assert!(!about.contains(code), "{code} in {about}");
    }
    let stalled = doc
        .select(&sel("section#stalled p.muted"))
        .next()
        .map(text)
        .expect("the stalled caption");
    assert!(stalled.contains("more than 18 months"), "{stalled}");
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

/// A history longer than the page shows: the latest 1 000, a line saying how many more, the
/// command that writes the latest 10 000 on the page and the one that writes them all;
/// `--full` shows the latest 10 000 and names the workbook; `--methods` keeps the page to
/// those methods.
#[test]
fn a_long_history_shows_the_latest_and_says_how_to_get_all() {
    use spridning::report::html::{HISTORY_LIMIT, HISTORY_SHOWN};
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
    let total = sb
        .json(&["history", "--format", "json"])
        .as_array()
        .expect("events")
        .len();
    assert!(total > HISTORY_LIMIT, "{total} events");
    let line = |doc: &Html| {
        doc.select(&sel("#history p strong"))
            .map(text)
            .next()
            .expect("the line")
    };
    let commands =
        |doc: &Html| -> Vec<String> { doc.select(&sel("#history p code")).map(text).collect() };
    let workbook = "spridning --db db.db report --format xlsx --out history.xlsx";
    let doc = report(&sb, &["--lang", "en"], "big.html");
    assert_eq!(doc.select(&sel("#history tbody tr")).count(), HISTORY_SHOWN);
    assert_eq!(
        line(&doc),
        format!(
            "Showing the latest {HISTORY_SHOWN} of {total} events; {} more are not shown.",
            total - HISTORY_SHOWN
        )
    );
    let said = text(doc.select(&sel("#history p")).nth(1).expect("the line"));
    assert!(
        said.ends_with(&format!(
            "The latest {HISTORY_LIMIT} on the page: spridning --db db.db --lang en report --full --out report-full.html; all of them, in an Excel file: {workbook}"
        )),
        "{said}"
    );
    assert_eq!(commands(&doc).len(), 2);
    let doc = report(&sb, &["--lang", "en", "--full"], "full.html");
    assert_eq!(doc.select(&sel("#history tbody tr")).count(), HISTORY_LIMIT);
    assert_eq!(
        line(&doc),
        format!(
            "Showing the latest {HISTORY_LIMIT} of {total} events; {} more are not shown.",
            total - HISTORY_LIMIT
        )
    );
    assert_eq!(commands(&doc), [workbook]);
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

/// The words of a page's `p.left-out` lines, in order.
fn left_out_lines(doc: &Html, section: &str) -> Vec<String> {
    doc.select(&sel(&format!("#{section} p.left-out")))
        .map(text)
        .collect()
}

/// A register past every cap: by default each large section shows its cap (the methods in
/// the most units, the units where they have the most stages, the longest stalled pilots,
/// the oldest word, the latest events) with a line saying how many were left out and the
/// command that writes them all; that command, run, writes every one.
#[test]
fn a_large_register_is_capped_and_says_what_it_left_out() {
    use spridning::report::html::{HISTORY_SHOWN, LIST_ROWS_SHOWN, METHODS_SHOWN, UNITS_SHOWN};
    let started = std::time::Instant::now();
    let sb = common::register_over_the_report_caps();
    let page = report(&sb, &["--lang", "en"], "capped.html");
    let whole = report(&sb, &["--lang", "en", "--full"], "whole.html");

    // Everything there is, from the whole page, which leaves nothing out.
    assert!(whole.select(&sel("p.left-out")).next().is_none());
    let rows_of = |doc: &Html, table: &str| doc.select(&sel(&format!("{table} tbody tr"))).count();
    let units: Vec<String> = whole
        .select(&sel("table.matrix thead th[scope=col]"))
        .skip(1)
        .map(text)
        .collect();
    let methods = rows_of(&whole, "table.matrix");
    let stalled = sb
        .json(&["stalled", "--format", "json"])
        .as_array()
        .expect("a list")
        .len();
    let unheard = sb
        .json(&["stalled", "--not-heard-from", "--format", "json"])
        .as_array()
        .expect("a list")
        .len();
    let events = sb
        .json(&["history", "--format", "json"])
        .as_array()
        .expect("a list")
        .len();
    assert!(
        methods > METHODS_SHOWN && units.len() > UNITS_SHOWN,
        "{methods} × {}",
        units.len()
    );
    assert!(
        stalled > LIST_ROWS_SHOWN && unheard > LIST_ROWS_SHOWN,
        "{stalled}, {unheard}"
    );
    assert!(events > HISTORY_SHOWN, "{events} events");
    assert_eq!(whole.select(&sel("#methods article")).count(), methods);
    assert_eq!(
        rows_of(&whole, "#figures div.scroll:first-of-type table"),
        methods
    );
    assert_eq!(rows_of(&whole, "#stalled"), stalled);
    assert_eq!(rows_of(&whole, "#not-heard-from"), unheard);
    assert_eq!(rows_of(&whole, "#history"), events);

    // The default page: each section to its cap.
    let command = "spridning --db db.db --lang en report --full --out report-full.html";
    let methods_line = format!(
        "Showing {METHODS_SHOWN} of {methods} methods, those with a stage in the most units; {} more are not shown.",
        methods - METHODS_SHOWN
    );
    let units_line = format!(
        "Showing {UNITS_SHOWN} of {} units, those where the methods shown have the most stages; {} more are not shown.",
        units.len(),
        units.len() - UNITS_SHOWN
    );
    let choose = format!("Choose the methods with --methods or --area; all of it: {command}");
    assert_eq!(
        left_out_lines(&page, "matrix"),
        [format!("{methods_line} {units_line} {choose}")]
    );
    assert_eq!(
        left_out_lines(&page, "methods"),
        [format!("{methods_line} {choose}")]
    );
    assert_eq!(
        left_out_lines(&page, "figures"),
        [
            format!("{methods_line} {choose}"),
            format!("{units_line} All of it: {command}")
        ]
    );
    assert_eq!(
        left_out_lines(&page, "stalled"),
        [format!(
            "Showing {LIST_ROWS_SHOWN} of {stalled} stalled pilots, the longest; {} more are not shown. All of it: {command}",
            stalled - LIST_ROWS_SHOWN
        )]
    );
    assert_eq!(
        left_out_lines(&page, "not-heard-from"),
        [format!(
            "Showing {LIST_ROWS_SHOWN} of {unheard} stages, those heard from longest ago; {} more are not shown. All of it: {command}",
            unheard - LIST_ROWS_SHOWN
        )]
    );
    let history = text(
        page.select(&sel("#history p strong"))
            .next()
            .expect("the line"),
    );
    assert_eq!(
        history,
        format!(
            "Showing the latest {HISTORY_SHOWN} of {events} events; {} more are not shown.",
            events - HISTORY_SHOWN
        )
    );
    let codes: Vec<String> = page.select(&sel("#history p code")).map(text).collect();
    assert_eq!(codes, [command]);

    // The rows kept are the ones the line says.
    let head: Vec<String> = page
        .select(&sel("table.matrix thead th[scope=col]"))
        .skip(1)
        .map(text)
        .collect();
    assert_eq!(head.len(), UNITS_SHOWN);
    assert_eq!(rows_of(&page, "table.matrix"), METHODS_SHOWN);
    assert_eq!(page.select(&sel("#methods article")).count(), METHODS_SHOWN);
    assert_eq!(
        rows_of(&page, "#figures div.scroll:first-of-type table"),
        METHODS_SHOWN
    );
    assert_eq!(
        rows_of(&page, "#figures div.scroll:last-of-type table"),
        UNITS_SHOWN
    );
    assert_eq!(rows_of(&page, "#stalled"), LIST_ROWS_SHOWN);
    assert_eq!(rows_of(&page, "#not-heard-from"), LIST_ROWS_SHOWN);
    assert_eq!(rows_of(&page, "#history"), HISTORY_SHOWN);
    // The methods shown have a stage in at least as many units as any left out, and stay in
    // the matrix's order; so do the units.
    let stages: Vec<(String, usize)> = whole
        .select(&sel("table.matrix tbody tr"))
        .map(|tr| {
            let name = text(tr.select(&sel("th")).next().expect("a row header"));
            (name, tr.select(&sel("td[class^=s-]")).count())
        })
        .collect();
    let shown: Vec<String> = page
        .select(&sel("table.matrix tbody th"))
        .map(text)
        .collect();
    let fewest_shown = stages
        .iter()
        .filter(|(m, _)| shown.contains(m))
        .map(|(_, n)| *n)
        .min();
    let most_left_out = stages
        .iter()
        .filter(|(m, _)| !shown.contains(m))
        .map(|(_, n)| *n)
        .max();
    assert!(
        fewest_shown >= most_left_out,
        "{fewest_shown:?} < {most_left_out:?}"
    );
    let in_order: Vec<&String> = stages
        .iter()
        .map(|(m, _)| m)
        .filter(|m| shown.contains(m))
        .collect();
    assert_eq!(in_order, shown.iter().collect::<Vec<_>>());
    let in_order: Vec<&String> = units.iter().filter(|u| head.contains(u)).collect();
    assert_eq!(in_order, head.iter().collect::<Vec<_>>());
    // The longest stalled pilots: none left out stalled longer than the shortest shown.
    let months = |doc: &Html| -> Vec<u32> {
        doc.select(&sel("#stalled tbody td.num"))
            .map(|td| text(td).parse().expect("months"))
            .collect()
    };
    let (kept, all) = (months(&page), months(&whole));
    assert_eq!(kept[..], all[..LIST_ROWS_SHOWN]);

    // The command in the line writes the whole page.
    let words: Vec<&str> = command.split(' ').skip(1).collect();
    let run = sb.run(&words);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let again = Html::parse_document(
        &std::fs::read_to_string(sb.path("report-full.html")).expect("the whole page"),
    );
    assert!(again.select(&sel("p.left-out")).next().is_none());
    assert_eq!(rows_of(&again, "table.matrix"), methods);
    assert_eq!(rows_of(&again, "#history"), events);

    // In Swedish, with the day and the methods asked for in the command.
    let asked: Vec<String> = (1..=METHODS_SHOWN + 5)
        .map(|k| format!("Metod {k:03}"))
        .collect();
    let sv = report(
        &sb,
        &[
            "--lang",
            "sv",
            "--as-of",
            "2025-01-01",
            "--roll-up",
            "--methods",
            &asked.join(","),
        ],
        "sv.html",
    );
    let line = left_out_lines(&sv, "matrix").concat();
    assert!(
        line.starts_with(&format!(
            "Visar {METHODS_SHOWN} av {} metoder, de som har steg i flest enheter; 5 till finns inte med.",
            METHODS_SHOWN + 5
        )),
        "{line}"
    );
    assert!(
        line.contains(&format!(
            "Välj metoderna med --methods eller --area; allt: spridning --db db.db --lang sv report --full --as-of 2025-01-01 --roll-up --methods '{}' --out rapport-allt.html",
            asked.join(",")
        )),
        "{line}"
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

/// On paper a matrix wider than a page (here every unit, with --all) is printed in parts of
/// at most 12 units, each with the method column; the parts together hold exactly the
/// screen table's cells, in its order.
#[test]
fn a_matrix_wider_than_a_page_prints_in_parts_holding_the_same_cells() {
    let sb = Sandbox::sample();
    sb.ok(&["--lang", "sv", "report", "--all", "--out", "all.html"]);
    let page = Html::parse_document(&std::fs::read_to_string(sb.path("all.html")).unwrap());
    let rows = |table: ElementRef| -> Vec<Vec<String>> {
        table
            .select(&sel("tr"))
            .map(|tr| tr.select(&sel("th, td")).map(text).collect())
            .collect()
    };
    let screen = rows(
        page.select(&sel("table.matrix"))
            .next()
            .expect("the matrix"),
    );
    let parts: Vec<Vec<Vec<String>>> = page.select(&sel("table.matrix-part")).map(rows).collect();
    let units = screen[0].len() - 1;
    assert!(units > 12, "{units} units");
    assert_eq!(parts.len(), units.div_ceil(12));
    for (r, row) in screen.iter().enumerate() {
        let mut joined = vec![row[0].clone()];
        for part in &parts {
            assert!(part[r].len() <= 13, "at most 12 units a part");
            assert_eq!(part[r][0], row[0], "each part has the method column");
            joined.extend(part[r][1..].iter().cloned());
        }
        assert_eq!(&joined, row);
    }
}

/// A round's lists are capped like the others: a round in which every unit confirmed every
/// stage lists the first `LIST_ROWS_SHOWN` confirmations, says how many it left out and how
/// to get them all; `--full` lists every one.
#[test]
fn a_rounds_long_lists_are_capped_and_say_so() {
    use spridning::report::html::LIST_ROWS_SHOWN;
    let sb = common::register_over_the_report_caps();
    let due = (chrono::Local::now().date_naive() + chrono::Days::new(30)).to_string();
    sb.ok(&["round", "start", "Höst", "--due", &due]);
    let units = spridning::report::html::UNITS_SHOWN + 10;
    for j in 1..=units {
        sb.ok(&["round", "confirm-all", "--unit", &format!("E{j:02}")]);
    }
    sb.ok(&[
        "--lang", "en", "report", "--round", "Höst", "--out", "r.html",
    ]);
    sb.ok(&[
        "--lang", "en", "report", "--round", "Höst", "--full", "--out", "all.html",
    ]);
    let read = |f: &str| Html::parse_document(&std::fs::read_to_string(sb.path(f)).unwrap());
    let (page, all) = (read("r.html"), read("all.html"));
    let confirmations = |doc: &Html| -> usize {
        doc.select(&sel("#round table"))
            .next_back()
            .map_or(0, |t| t.select(&sel("tbody tr")).count())
    };
    let total = confirmations(&all);
    assert!(total > LIST_ROWS_SHOWN, "{total} confirmations");
    assert_eq!(confirmations(&page), LIST_ROWS_SHOWN);
    let lines = left_out_lines(&page, "round");
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(
        lines[0].contains(&format!("Showing {LIST_ROWS_SHOWN} of {total} rows"))
            && lines[0].contains("--full"),
        "{lines:?}"
    );
    assert!(left_out_lines(&all, "round").is_empty());
}
