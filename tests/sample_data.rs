//! The committed `sample.db` is exactly what `data/sample.json` builds, and the sample holds
//! what the seed documents describe: Stockholm's districts through both reorganisations and
//! the methods whose spread the documents record.

use std::path::PathBuf;

use chrono::NaiveDate;
use spridning::store::{ExportData, Store};
use tempfile::TempDir;

const SAMPLE_DB: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample.db");
const SAMPLE_JSON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.json");

/// The export of a copy of the committed `sample.db` (the original is never opened). A
/// `sample.db` someone has recorded in (the README's first command opens it) is told apart
/// from a stale one, and the committed file is then read from git (`git show
/// HEAD:sample.db`), so the tests need no skipping. Only without git (an unpacked archive)
/// is the test skipped, with a loud line saying how to get the committed file back (under
/// `CI=true` it fails instead). The other tests read a fresh build of `data/sample.json`.
fn committed() -> Option<ExportData> {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sample.db");
    std::fs::copy(SAMPLE_DB, &copy).expect("copy sample.db");
    let data = Store::open(&copy, "test").unwrap().export().unwrap();
    let Some(edit) = local_edit(&data) else {
        return Some(data);
    };
    let from_git = std::process::Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "show", "HEAD:sample.db"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success() && !o.stdout.is_empty());
    if let Some(blob) = from_git {
        let copy = dir.path().join("committed.db");
        std::fs::write(&copy, blob.stdout).expect("write the committed sample.db");
        return Some(Store::open(&copy, "test").unwrap().export().unwrap());
    }
    let say = format!(
        "sample.db was changed on this machine ({edit}) and git cannot give the committed \
         one; these tests read the sample as committed: restore sample.db from the release \
         (copy it first to keep your changes)"
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{say}");
    }
    // Past the test harness's capture, so a plain `cargo test` shows it.
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {say}");
    None
}

/// Something only a person using the app could have done to the sample: a user, an event
/// or a retraction by someone other than the sample's builder, a method or unit they edited.
fn local_edit(data: &ExportData) -> Option<String> {
    let sample = spridning::sample::SAMPLE_USER;
    if let Some(u) = data.users.first() {
        return Some(format!("a user '{}' was added", u.login));
    }
    for e in &data.events {
        if e.recorded_by.as_deref() != Some(sample) {
            return Some(format!(
                "an event of {} in {} was recorded by {}",
                e.method,
                e.unit,
                e.recorded_by.as_deref().unwrap_or("someone")
            ));
        }
        if e.retraction.is_some() {
            return Some(format!(
                "an event of {} in {} was retracted",
                e.method, e.unit
            ));
        }
    }
    for m in &data.methods {
        for by in [&m.stamps.created_by, &m.stamps.updated_by]
            .into_iter()
            .flatten()
        {
            if by != sample {
                return Some(format!("the method {} was edited by {by}", m.label()));
            }
        }
    }
    None
}

/// The export of a database freshly built from `data/sample.json`.
fn built() -> (TempDir, PathBuf, ExportData) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("built.db");
    spridning::sample::build(PathBuf::from(SAMPLE_JSON).as_path(), &db).expect("build the sample");
    let data = Store::open(&db, "test").unwrap().export().unwrap();
    (dir, db, data)
}

/// Names the first record that differs, instead of printing two whole databases.
fn first_difference(a: &ExportData, b: &ExportData) -> Option<String> {
    fn diff<T: PartialEq + std::fmt::Debug>(what: &str, a: &[T], b: &[T]) -> Option<String> {
        if let Some(i) = (0..a.len().min(b.len())).find(|&i| a[i] != b[i]) {
            return Some(format!("{what}[{i}]:\n  {:?}\n  {:?}", a[i], b[i]));
        }
        (a.len() != b.len()).then(|| format!("{what}: {} vs {} records", a.len(), b.len()))
    }
    diff("units", &a.units, &b.units)
        .or_else(|| diff("methods", &a.methods, &b.methods))
        .or_else(|| diff("events", &a.events, &b.events))
        .or_else(|| diff("users", &a.users, &b.users))
        .or_else(|| (a != b).then(|| "the headers differ".to_string()))
}

#[test]
fn sample_db_is_what_data_sample_json_builds() {
    let original = std::fs::read(SAMPLE_DB).unwrap();
    let (_dir, db, fresh) = built();
    let Some(committed) = committed() else {
        return;
    };
    if let Some(d) = first_difference(&fresh, &committed) {
        panic!(
            "sample.db is not what data/sample.json builds: rebuild it with \
             `cargo run --example build_sample`\n{d}"
        );
    }
    // Built twice, the sample is the same: it depends neither on who builds it nor when.
    let (_dir2, _, again) = built();
    assert_eq!(first_difference(&fresh, &again), None);
    // The build leaves a complete file (no write-ahead log needed beside it).
    assert!(db.is_file());
    assert!(!PathBuf::from(format!("{}-wal", db.display())).exists());
    assert_eq!(
        std::fs::read(SAMPLE_DB).unwrap(),
        original,
        "a test changed sample.db"
    );
}

#[test]
fn a_sample_someone_recorded_in_is_told_apart_from_a_stale_one() {
    // What the README's first command followed by a recorded stage leaves behind.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("sample.db");
    std::fs::copy(spridning::sample::pristine(), &copy).unwrap();
    let clean = Store::open(&copy, "test").unwrap().export().unwrap();
    assert_eq!(
        local_edit(&clean),
        None,
        "the committed sample has no local edits"
    );
    let mut store = Store::open(&copy, "maria").unwrap();
    store.grant_owner();
    let (asi, _) = store.find_method("ASI").unwrap();
    let (fa, _) = store.find_unit("FA").unwrap();
    store
        .record_stage(&spridning::domain::NewEvent {
            method_id: asi,
            unit_id: fa,
            stage: spridning::domain::Stage::Pilot,
            date: "2024-03".parse().unwrap(),
            note: String::new(),
            source: String::new(),
        })
        .unwrap();
    let edited = store.export().unwrap();
    let said = local_edit(&edited).expect("a local edit");
    assert!(said.contains("recorded by maria"), "{said}");
}

#[test]
fn the_sample_names_no_real_user() {
    let Some(data) = committed() else {
        return;
    };
    assert!(data.users.is_empty(), "{:?}", data.users);
    for e in &data.events {
        assert_eq!(
            e.recorded_by.as_deref(),
            Some(spridning::sample::SAMPLE_USER)
        );
    }
}

#[test]
fn the_sample_holds_the_methods_from_the_seed_documents() {
    let Some(data) = committed() else {
        return;
    };
    assert!(
        data.methods.len() >= 20,
        "only {} methods",
        data.methods.len()
    );
    let has = |pred: &dyn Fn(&str, Option<&str>) -> bool| {
        data.methods
            .iter()
            .any(|m| pred(&m.name, m.short_name.as_deref()))
    };
    let named = |wanted: &str| {
        let wanted = wanted.to_lowercase();
        has(&|name, short| {
            name.to_lowercase() == wanted || short.is_some_and(|s| s.to_lowercase() == wanted)
        })
    };
    for wanted in [
        "ASI",
        "Ibility",
        "OPERA",
        "Fördjupningen",
        "Mobiliseringsmetoden",
    ] {
        assert!(named(wanted), "no method {wanted}");
    }
    assert!(
        has(&|name, _| name.to_lowercase().contains("case management")),
        "no case management method"
    );
    assert!(
        has(&|name, _| name.to_lowercase().contains("konsultläkare")),
        "no consultant physicians"
    );
    // A method's kind is one of the three by its type (`MethodKind`, read from its code).
    for m in &data.methods {
        assert!(!m.description.is_empty(), "{} has no description", m.name);
        assert!(!m.area.is_empty(), "{} has no area", m.name);
    }
}

/// `NNN_<16 hex digits>.txt ` — a seed file's name, then where in it.
fn names_a_seed_file(source: &str) -> bool {
    let b = source.as_bytes();
    b.len() > 25
        && b[..3].iter().all(u8::is_ascii_digit)
        && b[3] == b'_'
        && b[4..20]
            .iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
        && &b[20..25] == b".txt "
}

#[test]
fn seed_file_pattern_is_strict() {
    assert!(names_a_seed_file("001_6b207ed5c5c2315e.txt 2.3.6"));
    for bad in [
        "001_6b207ed5c5c2315e.txt",
        "01_6b207ed5c5c2315e.txt 2",
        "001_6B207ED5C5C2315E.txt 2",
        "001_6b207ed5c5c2315.txt 2",
        "001-6b207ed5c5c2315e.txt 2",
        "001_6b207ed5c5c2315e.pdf 2",
        "rapport 2003",
    ] {
        assert!(!names_a_seed_file(bad), "{bad}");
    }
}

#[test]
fn the_sample_holds_dated_sourced_events_from_1998_to_2019() {
    let Some(data) = committed() else {
        return;
    };
    assert!(data.events.len() >= 50, "only {} events", data.events.len());
    for (i, e) in data.events.iter().enumerate() {
        let year: i32 = e.date[..4].parse().unwrap();
        assert!(
            (1998..=2019).contains(&year),
            "events[{i}] dated {}",
            e.date
        );
        assert!(
            names_a_seed_file(&e.source),
            "events[{i}] source {:?}",
            e.source
        );
        assert!(!e.note.trim().is_empty(), "events[{i}] has no note");
        assert!(!e.retracted, "events[{i}] is retracted");
    }
    let first = data.events.iter().map(|e| e.date.as_str()).min().unwrap();
    let last = data.events.iter().map(|e| e.date.as_str()).max().unwrap();
    // Simba's work since 1998 (001, 002) is the one event before the 2002 grants.
    assert!(first.starts_with("1998"), "first event {first}");
    assert!(last < "2020", "last event {last}");
    // Events before 2007 are recorded for the districts of the time, not their successors.
    for e in data.events.iter().filter(|e| e.date.as_str() < "2007") {
        assert!(
            !["SOD", "EAV", "HL", "RK", "HAE"].contains(&e.unit.as_str()),
            "{} / {} {}",
            e.method,
            e.unit,
            e.date
        );
    }
    // Every method in the sample has at least one event.
    for m in &data.methods {
        assert!(
            data.events.iter().any(|e| e.method == m.name),
            "no events for {}",
            m.name
        );
    }
}

/// Activity lists changes in the order they were recorded (newest first), and the sample's
/// `recorded_at` is the day each fact's document was issued; so `data/sample.json` keeps its
/// events in the order their documents came out, and Activity reads the sample as the
/// documents told it. An event added at the end with an older document would show above
/// the 2018 ones.
#[test]
fn activity_shows_the_sample_in_the_order_its_facts_became_known() {
    let (_dir, db, data) = built();
    let known: Vec<&str> = data
        .events
        .iter()
        .map(|e| e.recorded_at.as_deref().unwrap_or(""))
        .collect();
    if let Some(i) = (1..known.len()).find(|&i| known[i - 1] > known[i]) {
        panic!(
            "events[{i}] of data/sample.json ({} in {}) was known at {}, before events[{}] \
             ({}); keep the events in the order of recorded_at",
            data.events[i].method,
            data.events[i].unit,
            known[i],
            i - 1,
            known[i - 1]
        );
    }
    let store = Store::open(&db, "test").unwrap();
    let plan = store.activity_plan("").unwrap();
    let changes = store.activity(&plan, 0, 100_000).unwrap();
    let stages: Vec<&str> = changes
        .iter()
        .filter(|c| c.kind == spridning::domain::ChangeKind::Event)
        .map(|c| c.at.as_str())
        .collect();
    assert_eq!(
        stages.len(),
        data.events.len(),
        "every event is in Activity"
    );
    assert!(
        stages.windows(2).all(|w| w[0] >= w[1]),
        "Activity lists a fact known earlier above one known later"
    );
    assert_eq!(stages.first().copied(), known.last().copied());
}

/// The README's count of the sample ("From them: 83 methods and 160 stage events") is the
/// sample's.
#[test]
fn the_readme_counts_the_sample_as_it_is() {
    let (_dir, _db, data) = built();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let said = format!(
        "From them: {} methods and {} stage events.",
        data.methods.len(),
        data.events.len()
    );
    assert!(
        readme
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .contains(&said),
        "README should say {said:?}"
    );
}

#[test]
fn the_sample_has_stockholms_districts_through_every_reorganisation() {
    let Some(data) = committed() else {
        return;
    };
    let unit = |code: &str| {
        data.units
            .iter()
            .find(|u| u.code == code)
            .unwrap_or_else(|| panic!("no unit {code}"))
    };
    let day = |s: &str| s.parse::<NaiveDate>().unwrap();
    let districts_on = |d: &str| {
        let mut codes: Vec<&str> = data
            .units
            .iter()
            .filter(|u| u.kind == spridning::domain::UnitKind::District && u.valid_on(day(d)))
            .map(|u| u.code.as_str())
            .collect();
        codes.sort_unstable();
        codes
    };

    let mut until_2006 = vec![
        "KS", "MG", "KH", "NM", "OM", "EA", "VA", "FA", "SN", "HA", "LH", "AL", "SH", "RI", "KI",
        "ST", "HV", "BR",
    ];
    until_2006.sort_unstable();
    assert_eq!(districts_on("2006-12-31"), until_2006);
    assert_eq!(districts_on("2002-01-01"), until_2006);
    assert!(districts_on("1998-12-31").is_empty());
    for code in &until_2006 {
        assert_eq!(unit(code).valid_from, Some(day("1999-01-01")), "{code}");
    }
    assert_eq!(districts_on("2007-01-01").len(), 14);
    assert_eq!(districts_on("2020-06-30").len(), 14);
    assert_eq!(districts_on("2020-07-01").len(), 13);
    assert_eq!(districts_on("2023-06-30").len(), 13);
    assert_eq!(districts_on("2023-07-01").len(), 11);

    for (old, new, end) in [
        ("KS", "SOD", "2006-12-31"),
        ("MG", "SOD", "2006-12-31"),
        ("EA", "EAV", "2006-12-31"),
        ("VA", "EAV", "2006-12-31"),
        ("HA", "HL", "2006-12-31"),
        ("LH", "HL", "2006-12-31"),
        ("RI", "RK", "2006-12-31"),
        ("KI", "RK", "2006-12-31"),
        ("HL", "HAE", "2020-06-30"),
        ("AL", "HAE", "2020-06-30"),
        ("RK", "JÄ", "2023-06-30"),
        ("ST", "JÄ", "2023-06-30"),
        ("NM", "NI", "2023-06-30"),
        ("OM", "NI", "2023-06-30"),
    ] {
        let u = unit(old);
        assert_eq!(u.valid_to, Some(day(end)), "{old} ends");
        assert_eq!(u.successor.as_deref(), Some(new), "{old} is succeeded by");
        let s = unit(new);
        assert_eq!(
            s.valid_from,
            day(end).succ_opt(),
            "{new} starts the next day"
        );
    }
    for (code, name) in [
        ("SOD", "Södermalm"),
        ("EAV", "Enskede-Årsta-Vantör"),
        ("HL", "Hägersten-Liljeholmen"),
        ("RK", "Rinkeby-Kista"),
        ("HAE", "Hägersten-Älvsjö"),
        ("JÄ", "Järva"),
        ("NI", "Norra innerstaden"),
        ("VA", "Vantör"),
        ("AL", "Älvsjö"),
    ] {
        assert_eq!(unit(code).name, name);
    }
    for code in ["SOD", "EAV", "HAE", "JÄ", "NI"] {
        assert_eq!(unit(code).valid_to, None, "{code} still exists");
    }
}

/// The README's rules, held on every event: a 2004 date from the 2005-04-05 report only where
/// the note says the text places it there; the Vantör report's events on Enskede-Årsta-Vantör
/// say the source calls it Vantör; and `recorded_at` is the first cited document's issue day
/// at noon UTC. (The stages that need the source's words are held to the source by
/// `every_decided_stage_quotes_its_source` below.)
#[test]
fn every_sample_event_follows_the_readmes_rules() {
    let Some(data) = committed() else {
        return;
    };
    let issued = [
        ("000_76131aebfb3c2843.txt", "2005-03-15"),
        ("001_6b207ed5c5c2315e.txt", "2004-02-26"),
        ("002_bba62dfd8094aca5.txt", "2005-04-05"),
        ("003_a1934652be9279e2.txt", "2018-12-11"),
        ("004_283a0a0599a6ae09.txt", "2007-05-05"),
    ];
    assert!(data.events.len() > 150, "{} events", data.events.len());
    for e in &data.events {
        let what = format!("{} · {} {} {}", e.method, e.unit, e.stage, e.date);
        let note = e.note.to_lowercase();
        let (doc, day) = issued
            .iter()
            .find(|(doc, _)| e.source.starts_with(doc))
            .unwrap_or_else(|| panic!("{what}: source {} names no document", e.source));
        assert_eq!(
            e.recorded_at.as_deref(),
            Some(format!("{day}T12:00:00Z").as_str()),
            "{what}: recorded_at is the day {doc} was issued"
        );
        if doc.starts_with("002") && e.date.starts_with("2004") {
            assert!(note.contains("2004"), "{what}: why 2004 and not 2005-04");
        }
        if e.unit == "EAV" && doc.starts_with("004") {
            assert!(
                note.contains("vantör"),
                "{what}: the source calls it Vantör"
            );
        }
    }
}

/// Where the passages the sample's decisive stages cite are kept: one file per seed document,
/// named as the document, holding per cited section a `## <section>` line and the section's
/// text copied verbatim from the document (OCR damage and all).
const SOURCES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sources");

/// The words a stage needs in its quote (README "Sample data"), compared after [`normalise`].
/// Implemented and sustained: ordinary operations.
const ORDINARY: &[&str] = &["ordinarie verksamhet", "ingår i ordinarie", "permanent"];
/// Paused: lack of money or staff.
const NO_MONEY_OR_STAFF: &[&str] = &[
    "bristande ekonomiska resurser",
    "saknas idag ekonomiska resurser",
    "saknas idag medel",
    "saknas medel",
    "brist på personal",
    "personalbrist",
];
/// Discontinued: the work stopped.
const STOPPED: &[&str] = &["lades ned", "upphörde", "avvecklades"];

/// Words that turn ordinary operations into their absence ("saknas idag medel för att inrymma
/// arbetsmetoden i ordinarie verksamhet"): an implemented or sustained quote has none.
const NEGATIONS: &[&str] = &["inte", "ej", "icke", "saknas", "ingen", "inga"];

/// A deciding quote is a sentence, or most of one: at least this many words, so that a note
/// cannot quote the bare phrase out of a sentence that says something else.
const MIN_WORDS: usize = 5;

/// The phrases a stage's deciding quote must carry, or `None` for a stage that needs none.
fn phrases_for(stage: &str) -> Option<(&'static [&'static str], &'static str)> {
    match stage {
        "implemented" | "sustained" => Some((ORDINARY, "words of ordinary operations")),
        "paused" => Some((NO_MONEY_OR_STAFF, "lack of money or staff")),
        "discontinued" => Some((STOPPED, "words saying the work stopped")),
        _ => None,
    }
}

/// Case, diacritics, spacing and OCR hyphenation folded away: lower case; å ä → a, ö → o,
/// é → e (and their kin); a hyphen at a line's end joins the word it split; any other
/// character but a letter, a digit or `&` (which OCR reads for ä) is a space; spaces collapse.
fn normalise(text: &str) -> Vec<char> {
    let mut joined = String::with_capacity(text.len());
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        match line.strip_suffix('-') {
            Some(head) if lines.peek().is_some() => joined.push_str(head),
            _ => {
                joined.push_str(line);
                joined.push(' ');
            }
        }
    }
    let mut out = Vec::with_capacity(joined.len());
    for c in joined.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ò' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            'í' | 'ì' => 'i',
            c if c.is_alphanumeric() || c == '&' => c,
            _ => ' ',
        };
        if c != ' ' || out.last().is_some_and(|&l| l != ' ') {
            out.push(c);
        }
    }
    if out.last() == Some(&' ') {
        out.pop();
    }
    out
}

/// The seed documents' OCR misreadings, as (what the word has, what the scan shows) after
/// [`normalise`]: å/ä read as é, d, i or &; ö as 6 or d; i and l as 1. Such a pair costs
/// nothing when a quote is matched against its passage.
const OCR_CONFUSIONS: &[(char, char)] = &[
    ('a', 'e'),
    ('a', 'd'),
    ('a', 'i'),
    ('a', '&'),
    ('o', '6'),
    ('o', 'd'),
    ('i', '1'),
    ('l', '1'),
];

/// The fewest edits (insertions, deletions, substitutions other than an OCR confusion) that
/// turn `quote` into some stretch of `passage`, both normalised.
fn edits_to_appear_in(quote: &[char], passage: &[char]) -> usize {
    let same = |q: char, p: char| q == p || OCR_CONFUSIONS.contains(&(q, p));
    // One row per character of the quote; a match may start anywhere in the passage.
    let mut row = vec![0usize; passage.len() + 1];
    for (i, &q) in quote.iter().enumerate() {
        let mut next = vec![i + 1; passage.len() + 1];
        for (j, &p) in passage.iter().enumerate() {
            next[j + 1] = (row[j] + usize::from(!same(q, p)))
                .min(row[j + 1] + 1)
                .min(next[j] + 1);
        }
        row = next;
    }
    row.into_iter().min().unwrap_or(0)
}

/// A quote appears in a passage: exactly but for OCR confusions, plus one stray edit per 30
/// characters (a letter the scan doubled or dropped: "verksambhet", "jadmforelsegrupp").
fn appears_in(quote: &[char], passage: &[char]) -> bool {
    edits_to_appear_in(quote, passage) <= quote.len() / 30
}

/// The texts a note quotes, between “ ” or ” ” or " " (marks paired in order).
fn quotes(note: &str) -> Vec<&str> {
    let marks: Vec<(usize, char)> = note
        .char_indices()
        .filter(|(_, c)| matches!(c, '“' | '”' | '"'))
        .collect();
    marks
        .chunks_exact(2)
        .map(|pair| note[pair[0].0 + pair[0].1.len_utf8()..pair[1].0].trim())
        .filter(|q| !q.is_empty())
        .collect()
}

/// An event's source as (document file, what it cites in it): `"001_….txt 2.2.7, 2.3.8;
/// 002_….txt Uppdrag A"` gives two documents.
fn cited_documents(source: &str) -> Vec<(&str, String)> {
    let mut docs: Vec<(&str, String)> = Vec::new();
    for piece in source.split("; ") {
        if names_a_seed_file(piece) {
            let (doc, sections) = piece.split_at(24);
            docs.push((doc, sections.trim().to_string()));
        } else if let Some((_, sections)) = docs.last_mut() {
            sections.push_str("; ");
            sections.push_str(piece);
        }
    }
    docs
}

/// Whether `citation` names `section` whole: alone, or between commas and semicolons.
fn cites_section(citation: &str, section: &str) -> bool {
    citation.match_indices(section).any(|(at, _)| {
        let before = &citation[..at];
        let after = &citation[at + section.len()..];
        (before.is_empty() || before.ends_with(", ") || before.ends_with("; "))
            && (after.is_empty() || after.starts_with(',') || after.starts_with(';'))
    })
}

/// The passages of one `data/sources` file: (section, text).
fn passages(file: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in file.lines() {
        if let Some(section) = line.strip_prefix("## ") {
            out.push((section.trim().to_string(), String::new()));
        } else if let Some((_, text)) = out.last_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    for (_, text) in &mut out {
        *text = text.trim_matches('\n').to_string();
    }
    out
}

/// The passages of `data/sources` an event's source cites: (where, text).
fn cited_passages(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (doc, citation) in cited_documents(source) {
        let Ok(file) = std::fs::read_to_string(format!("{SOURCES}/{doc}")) else {
            continue;
        };
        for (section, text) in passages(&file) {
            if cites_section(&citation, &section) {
                out.push((format!("{doc} {section}"), text));
            }
        }
    }
    out
}

/// Held to the source, not to the note: every implemented, sustained, paused or discontinued
/// event's note quotes the sentence that decides it, the quote is found in the passage its
/// source cites (copied under `data/sources`), and the quote carries the stage's words
/// (ordinary operations; lack of money or staff; the work stopped).
#[test]
fn every_decided_stage_quotes_its_source() {
    let (_dir, _db, data) = built();
    let mut checked: std::collections::BTreeMap<&str, usize> = Default::default();
    // An event's id is its place in data/sample.json's events, counted from 1 (the id the
    // sample build gives it; the export itself carries none).
    for (id, e) in (1..).zip(&data.events) {
        let Some((phrases, wanted)) = phrases_for(&e.stage) else {
            continue;
        };
        let what = format!(
            "event #{id} ({} · {} {} {}, source {})",
            e.method, e.unit, e.stage, e.date, e.source
        );
        let cited = cited_passages(&e.source);
        assert!(
            !cited.is_empty(),
            "{what}: no passage of its source in data/sources (copy the cited section there)\n\
             note: {}",
            e.note
        );
        let said = quotes(&e.note);
        assert!(
            !said.is_empty(),
            "{what}: the note quotes no sentence of the source; it needs the deciding one, with \
             {wanted}\nnote: {}",
            e.note
        );
        let mut found = Vec::new();
        let deciding = said.iter().any(|q| {
            let nq = normalise(q);
            let Some((at, _)) = cited.iter().find(|(_, t)| appears_in(&nq, &normalise(t))) else {
                return false;
            };
            found.push(format!("“{q}” (in {at})"));
            let padded: String = std::iter::once(' ').chain(nq).chain([' ']).collect();
            let has = |p: &&str| {
                let np: String = normalise(p).into_iter().collect();
                padded.contains(&format!(" {np}"))
            };
            let negated = matches!(e.stage.as_str(), "implemented" | "sustained")
                && NEGATIONS.iter().any(|n| padded.contains(&format!(" {n} ")));
            padded.split_whitespace().count() >= MIN_WORDS && !negated && phrases.iter().any(has)
        });
        assert!(
            deciding,
            "{what}: no quote of {MIN_WORDS} words or more both in the cited passage and with \
             {wanted} ({}{})\n\
             note: {}\nquotes found in the source: {}\nquotes not found there: {}",
            phrases.join(", "),
            if matches!(e.stage.as_str(), "implemented" | "sustained") {
                format!("; and none of: {}", NEGATIONS.join(", "))
            } else {
                String::new()
            },
            e.note,
            if found.is_empty() {
                "none".to_string()
            } else {
                found.join(", ")
            },
            {
                let missing: Vec<String> = said
                    .iter()
                    .filter(|q| !found.iter().any(|f| f.contains(*q)))
                    .map(|q| format!("“{q}”"))
                    .collect();
                if missing.is_empty() {
                    "none".to_string()
                } else {
                    missing.join(", ")
                }
            }
        );
        *checked.entry(e.stage.as_str()).or_default() += 1;
    }
    // The sample has no `discontinued` event since the third pass (the one it had rested on
    // words about another project); any that is added is checked like the others.
    for stage in ["implemented", "sustained", "paused"] {
        assert!(
            checked.contains_key(stage),
            "no {stage} event checked: {checked:?}"
        );
    }
}

#[test]
fn a_quote_is_matched_strictly_but_through_ocr_damage() {
    let scan = "Stadsdelsforvaltningens implementeringsplaner: Arbetsprocessen anvands inom \
                ordinarie\nverksambhet.\n Men stadsdelen har inte redovisat ndgra planer pa att \
                fortsitta med\nverksamheten utan héanvisar till bristande ekonomiska resurser. \
                re-\norientera 1 viss mén";
    let scan = normalise(scan);
    for quote in [
        "Arbetsprocessen används inom ordinarie verksamhet",
        "stadsdelen har inte redovisat några planer på att fortsätta med verksamheten utan \
         hänvisar till bristande ekonomiska resurser",
        "reorientera i viss mån",
    ] {
        assert!(appears_in(&normalise(quote), &scan), "{quote}");
    }
    for made_up in [
        "Arbetsprocessen är permanent inom ordinarie verksamhet",
        "Arbetsprocessen används inte inom ordinarie verksamhet",
        "stadsdelen har avslutat verksamheten på grund av bristande ekonomiska resurser",
    ] {
        assert!(!appears_in(&normalise(made_up), &scan), "{made_up}");
    }
    assert_eq!(
        quotes("Står ”en metod” och “två” samt \"tre\"."),
        ["en metod", "två", "tre"]
    );
    assert!(cites_section(
        "Uppdrag A, Under året genomförda seminarier och workshops",
        "Uppdrag A, Under året genomförda seminarier och workshops"
    ));
    assert!(cites_section("2.2.7, 2.3.8", "2.3.8"));
    assert!(!cites_section("2.1.10", "2.1.1"));
    assert_eq!(
        cited_documents("001_6b207ed5c5c2315e.txt 2.2.7, 2.3.8; 002_bba62dfd8094aca5.txt A; B"),
        [
            ("001_6b207ed5c5c2315e.txt", "2.2.7, 2.3.8".to_string()),
            ("002_bba62dfd8094aca5.txt", "A; B".to_string())
        ]
    );
}

/// With `SPRIDNING_SEEDS` naming the directory of the seed documents (they are not in this
/// repository), every passage under `data/sources` is checked to be the document's own text.
#[test]
fn the_copied_passages_are_verbatim_when_the_seeds_are_at_hand() {
    let Some(seeds) = std::env::var_os("SPRIDNING_SEEDS") else {
        return;
    };
    for entry in std::fs::read_dir(SOURCES).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let seed = std::fs::read_to_string(PathBuf::from(&seeds).join(&name))
            .unwrap_or_else(|e| panic!("seed {name}: {e}"));
        for (section, text) in passages(&std::fs::read_to_string(&path).unwrap()) {
            assert!(
                seed.contains(&text),
                "data/sources/{name} ## {section} is not verbatim"
            );
        }
    }
}
