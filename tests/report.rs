//! The Excel report read back with an independent reader (calamine), as the person who opens
//! it sees it: sheet names, cell values, å/ä/ö intact, numbers as numbers.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Sandbox, one_line_failure};

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    range
        .get((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[test]
fn the_workbook_holds_the_matrix_the_history_the_units_and_what_it_shows() {
    let sb = Sandbox::sample();
    sb.ok(&[
        "--lang", "sv", "report", "--format", "xlsx", "--out", "r.xlsx",
    ]);
    let mut book: Xlsx<_> = open_workbook(sb.path("r.xlsx")).expect("an xlsx file");
    assert_eq!(
        book.sheet_names(),
        [
            "Matris",
            "Spridning",
            "Diagram",
            "Utan besked",
            "Historik",
            "Enheter",
            "Om rapporten"
        ]
    );
    // The spread as numbers Excel can sort and chart: the solution-focused way of working is
    // in use in one unit (Skärholmen).
    let sp = book.worksheet_range("Spridning").unwrap();
    assert_eq!(cell(&sp, 0, 3), "i bruk");
    let afso_row = (1..sp.height())
        .find(|&r| cell(&sp, r, 0) == "Lösningsfokuserat arbetssätt")
        .expect("its figures");
    assert_eq!(sp.get((afso_row, 3)), Some(&Data::Float(1.0)));
    assert!(matches!(sp.get((afso_row, 4)), Some(Data::Float(f)) if *f > 0.0 && *f <= 1.0));
    // A method without a short name is named once; one with a short name has both.
    assert_eq!(cell(&sp, afso_row, 1), "");
    let asi = (1..sp.height())
        .find(|&r| cell(&sp, r, 0) == "ASI")
        .expect("ASI's figures");
    assert_eq!(cell(&sp, asi, 1), "Addiction Severity Index");
    // Below the methods, the units' figures; then the curves the Diagram draws, a year a row.
    assert!(
        (1..sp.height()).any(|r| cell(&sp, r, 0) == "FA"),
        "the units' block"
    );
    let curves = (0..sp.height())
        .find(|&r| cell(&sp, r, 0) == "år")
        .expect("the curves' table");
    assert!(matches!(sp.get((curves + 1, 0)), Some(Data::Float(y)) if *y >= 2000.0));
    // The matrix: methods × the units of today, a stage's glyph and word per cell.
    let m = book.worksheet_range("Matris").unwrap();
    assert_eq!(cell(&m, 1, 0), "Metod");
    let header: Vec<String> = (0..m.width()).map(|c| cell(&m, 1, c)).collect();
    assert!(header.contains(&"EAV".to_string()) && !header.contains(&"EA".to_string()));
    let sh = header.iter().position(|h| h == "SH").unwrap();
    let afso = (0..m.height())
        .find(|&r| cell(&m, r, 0) == "Lösningsfokuserat arbetssätt")
        .expect("its row");
    // Implemented in 2007 and not heard from since: marked stale.
    assert_eq!(cell(&m, afso, sh), "● Ordinarie verksamhet°");
    assert_eq!(
        cell(&m, 0, 3),
        "◐ Pilot",
        "the legend row, above the header"
    );
    // The filter starts at the header: sorting or filtering never touches the legend.
    let mut zipped = zip::ZipArchive::new(std::fs::File::open(sb.path("r.xlsx")).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zipped.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    let filter = xml
        .split("<autoFilter ref=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("an autofilter");
    assert!(filter.starts_with("A2:"), "the filter covers {filter}");
    // Every event, ids as numbers; å, ä and ö as typed.
    let h = book.worksheet_range("Historik").unwrap();
    assert_eq!(cell(&h, 0, 0), "id");
    assert!(
        matches!(h.get((1, 0)), Some(Data::Float(_))),
        "{:?}",
        h.get((1, 0))
    );
    let events = sb.json(&["history", "--format", "json"]);
    assert_eq!(h.height() - 1, events.as_array().unwrap().len());
    let u = book.worksheet_range("Enheter").unwrap();
    let names: Vec<String> = (1..u.height()).map(|r| cell(&u, r, 1)).collect();
    assert!(
        names.contains(&"Enskede-Årsta-Vantör".to_string()),
        "{names:?}"
    );
    let jarva = (1..u.height()).find(|&r| cell(&u, r, 0) == "JÄ").unwrap();
    assert_eq!(
        cell(&u, jarva, 6),
        "RK, ST",
        "Järva took over from Rinkeby-Kista and Spånga-Tensta"
    );
    let about = book.worksheet_range("Om rapporten").unwrap();
    let said = |key: &str| {
        (0..about.height())
            .find(|&r| cell(&about, r, 0) == key)
            .map(|r| cell(&about, r, 1))
            .unwrap_or_else(|| panic!("no {key} on Om rapporten"))
    };
    assert_eq!(said("Titel"), "Metodspridning i Stockholms stad");
    assert_eq!(said("Från databasen"), "db.db");
    assert_eq!(said("Metoder"), "alla");
    // What every stage means and every figure counts, in plain Swedish for a manager: no
    // stage codes, no command-line syntax, the register's months written in.
    assert_eq!(
        said("● Ordinarie verksamhet"),
        "metoden används i det ordinarie arbetet"
    );
    for (name, text) in
        spridning::report::words::figures_in_words(spridning::i18n::Lang::Sv, 24, 18)
    {
        assert_eq!(said(name), text);
    }
    for r in 0..about.height() {
        let text = cell(&about, r, 1);
        assert!(!text.contains("--") && !text.contains('`'), "{text}");
        assert!(
            !text.contains("implemented") && !text.contains("exploring"),
            "{text}"
        );
    }
    assert!(said("stannat").contains("18 månader"));
    // The history is an Excel table with filters over exactly its rows.
    book.load_tables().unwrap();
    let tables: Vec<String> = book
        .table_names_in_sheet("Historik")
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(tables.len(), 1);
    let table = book.table_by_name(&tables[0]).unwrap();
    assert_eq!(table.columns()[1], "datum");
    assert_eq!(table.data().height(), events.as_array().unwrap().len());
}

/// `--methods` and `--area` choose the rows, the figures and the history; unknown names are
/// one line with the nearest, and a method outside the area is refused.
#[test]
fn a_report_of_some_methods() {
    let sb = Sandbox::sample();
    sb.ok(&[
        "--lang",
        "sv",
        "report",
        "--methods",
        "FUEL,ASI",
        "--out",
        "two.xlsx",
    ]);
    let mut book: Xlsx<_> = open_workbook(sb.path("two.xlsx")).unwrap();
    let m = book.worksheet_range("Matris").unwrap();
    assert_eq!(
        (cell(&m, 2, 0), cell(&m, 3, 0)),
        ("FUEL".into(), "ASI".into())
    );
    assert_eq!(m.height(), 4, "legend, header and the two methods");
    let h = book.worksheet_range("Historik").unwrap();
    let methods: std::collections::BTreeSet<String> =
        (1..h.height()).map(|r| cell(&h, r, 2)).collect();
    assert_eq!(methods.into_iter().collect::<Vec<_>>(), ["ASI", "FUEL"]);
    let about = book.worksheet_range("Om rapporten").unwrap();
    assert!((0..about.height()).any(|r| cell(&about, r, 1) == "FUEL, ASI"));
    // An area: its methods only.
    sb.ok(&["report", "--area", "socialmedicin", "--out", "area.xlsx"]);
    let mut book: Xlsx<_> = open_workbook(sb.path("area.xlsx")).unwrap();
    let m = book.worksheet_range("Matrix").unwrap();
    let all = sb.json(&["methods", "--format", "json"]);
    let in_area = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["area"] == "socialmedicin")
        .count();
    assert!(in_area > 0);
    assert_eq!(m.height(), 2 + in_area);
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["report", "--methods", "FUELL", "--out", "x.xlsx"]),
        &["FUELL", "FUEL"],
    );
    one_line_failure(
        &sb.spr(&["report", "--area", "socialmedicn", "--out", "x.xlsx"]),
        &["socialmedicn", "socialmedicin"],
    );
    one_line_failure(
        &sb.spr(&[
            "report",
            "--area",
            "socialmedicin",
            "--methods",
            "FUEL",
            "--out",
            "x.xlsx",
        ]),
        &["FUEL", "socialmedicin"],
    );
    assert!(sb.state() == before);
    assert!(!sb.path("x.xlsx").exists());
}

#[test]
fn a_report_as_of_a_day_in_english_and_bad_input() {
    let sb = Sandbox::sample();
    sb.ok(&[
        "--lang",
        "en",
        "report",
        "--as-of",
        "2005-01-01",
        "--roll-up",
        "--out",
        "old.xlsx",
    ]);
    let mut book: Xlsx<_> = open_workbook(sb.path("old.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[0], "Matrix");
    assert_eq!(book.sheet_names()[1], "Spread");
    let m = book.worksheet_range("Matrix").unwrap();
    let header: Vec<String> = (0..m.width()).map(|c| cell(&m, 1, c)).collect();
    assert!(
        header.contains(&"KI".to_string()),
        "the units of 2005: {header:?}"
    );
    let about = book.worksheet_range("About this report").unwrap();
    assert_eq!(cell(&about, 1, 0), "As of");
    assert_eq!(cell(&about, 1, 1), "2005-01-01");
    // No file asked for, the database itself, an existing file: one line, nothing written.
    let before = sb.state();
    one_line_failure(&sb.spr(&["report"]), &["--out"]);
    one_line_failure(
        &sb.spr(&["report", "--out", "db.db", "--force"]),
        &["db.db"],
    );
    one_line_failure(
        &sb.spr(&["report", "--out", "old.xlsx"]),
        &["old.xlsx", "--force"],
    );
    one_line_failure(
        &sb.spr(&["report", "--as-of", "2099-01-01", "--out", "f.xlsx"]),
        &["2099-01-01"],
    );
    // A folder, a folder that is not there, a device: refused before anything is written.
    std::fs::create_dir(sb.path("folder")).unwrap();
    one_line_failure(&sb.spr(&["report", "--out", "folder"]), &["folder"]);
    one_line_failure(
        &sb.spr(&["report", "--format", "html", "--out", "missing/f.html"]),
        &["missing"],
    );
    one_line_failure(
        &sb.spr(&["report", "--out", "/dev/null", "--force"]),
        &["/dev/null"],
    );
    assert!(sb.state() == before);
    assert!(!sb.path("f.xlsx").exists());
}

/// CSV as rows of fields.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The entries of the workbook at `path`, by name, as text.
fn xml_parts(path: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    let mut zipped = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let names: Vec<String> = zipped
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.to_string())
        .collect();
    names
        .into_iter()
        .filter(|n| n.ends_with(".xml"))
        .map(|n| {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut zipped.by_name(&n).unwrap(), &mut text).unwrap();
            (n, text)
        })
        .collect()
}

/// The attribute `name` of the first `<tag …>` in `xml`.
fn attribute<'a>(xml: &'a str, tag: &str, name: &str) -> Option<&'a str> {
    let element = xml.split(&format!("<{tag} ")).nth(1)?.split('>').next()?;
    element
        .split(&format!("{name}=\""))
        .nth(1)?
        .split('"')
        .next()
}

/// A cell's Excel serial number when it is a date or a date-time.
fn date_of(d: &Data) -> Option<f64> {
    match d {
        Data::DateTime(x) => Some(x.as_f64()),
        _ => None,
    }
}

/// Days from Excel's day 0 (1899-12-30) to `day`: Excel's serial number of a date.
fn serial(day: &str) -> f64 {
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let zero = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
    (day - zero).num_days() as f64
}

/// A manager opens, sorts and prints the workbook: every sheet on A4 landscape fit to the
/// width, its header rows repeated, the title, day and pages in the page header and footer;
/// dates as dates (a month as the first of the month, shown yyyy-mm; times in UTC); the
/// chart on a sheet of its own with whole units on its axis, only methods with something to
/// show, each line its own dash; names in natural order; columns wide enough for the words.
#[test]
fn the_workbook_prints_sorts_and_reads_dates_as_dates() {
    let sb = Sandbox::init();
    sb.write(
        "in.json",
        r#"{"spridning": 1,
            "methods": [{"name": "Metod 10", "short_name": null, "kind": "intervention"},
                        {"name": "Metod 2", "short_name": null, "kind": "intervention"},
                        {"name": "Metod 1", "short_name": null, "kind": "intervention"}],
            "events": [
              {"method": "Metod 10", "unit": "FA", "stage": "implemented", "date": "2024-03",
               "recorded_at": "2025-01-02T10:30:00Z"},
              {"method": "Metod 10", "unit": "KH", "stage": "implemented", "date": "2025-06-01",
               "recorded_at": "2025-06-02T12:00:00Z"},
              {"method": "Metod 10", "unit": "SH", "stage": "implemented", "date": "2026-01-15",
               "recorded_at": "2026-01-16T08:00:00Z"},
              {"method": "Metod 2", "unit": "FA", "stage": "implemented", "date": "2026-02-01",
               "recorded_at": "2026-02-02T08:00:00Z"},
              {"method": "Metod 1", "unit": "FA", "stage": "exploring", "date": "2026-03-01",
               "recorded_at": "2026-03-02T08:00:00Z"}
            ]}"#,
    );
    sb.ok(&["import", "in.json"]);
    sb.ok(&[
        "--lang",
        "sv",
        "report",
        "--as-of",
        "2026-06-30",
        "--out",
        "r.xlsx",
    ]);
    let mut book: Xlsx<_> = open_workbook(sb.path("r.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[2], "Diagram", "the chart's own sheet");
    // Natural order: Metod 1, Metod 2, Metod 10.
    let m = book.worksheet_range("Matris").unwrap();
    let rows: Vec<String> = (2..m.height()).map(|r| cell(&m, r, 0)).collect();
    assert_eq!(rows, ["Metod 1", "Metod 2", "Metod 10"]);
    // Dates as dates: a day, a month (the first of the month), a time in UTC.
    let h = book.worksheet_range("Historik").unwrap();
    let row_of = |date: f64| {
        (1..h.height())
            .find(|&r| h.get((r, 1)).and_then(date_of) == Some(date))
            .unwrap_or_else(|| panic!("no event on day {date}"))
    };
    let month = row_of(serial("2024-03-01"));
    assert_eq!(cell(&h, month, 2), "Metod 10");
    let recorded = h.get((month, 8)).and_then(date_of).expect("a date-time");
    let half_past_ten = serial("2025-01-02") + 10.5 / 24.0;
    assert!((recorded - half_past_ten).abs() < 1e-6, "{recorded}");
    row_of(serial("2025-06-01"));
    let sp = book.worksheet_range("Spridning").unwrap();
    let first_pilot = (1..sp.height())
        .find(|&r| cell(&sp, r, 0) == "Metod 10")
        .and_then(|r| sp.get((r, 5)).and_then(date_of));
    assert_eq!(first_pilot, Some(serial("2024-03-01")));
    let units = book.worksheet_range("Enheter").unwrap();
    let eav = (1..units.height())
        .find(|&r| cell(&units, r, 0) == "EAV")
        .unwrap();
    assert!(
        units.get((eav, 4)).and_then(date_of).is_some(),
        "valid from"
    );

    let parts = xml_parts(&sb.path("r.xlsx"));
    // The month's format shows the month only.
    assert!(parts["xl/styles.xml"].contains("formatCode=\"yyyy-mm\""));
    // Every sheet: A4 (9) landscape, fit to one page wide, the title and the sheet in the
    // page header, the day and the page numbers in the footer.
    let sheets: Vec<&String> = parts
        .keys()
        .filter(|n| n.starts_with("xl/worksheets/sheet") || n.starts_with("xl/chartsheets/sheet"))
        .collect();
    assert_eq!(sheets.len(), 7, "{sheets:?}");
    for name in sheets {
        let xml = &parts[name];
        assert_eq!(
            attribute(xml, "pageSetup", "paperSize"),
            Some("9"),
            "{name}"
        );
        assert_eq!(
            attribute(xml, "pageSetup", "orientation"),
            Some("landscape"),
            "{name}"
        );
        assert!(
            xml.contains("Metodspridning i Stockholms stad&amp;R&amp;A"),
            "{name}"
        );
        assert!(
            xml.contains("Läget den 2026-06-30&amp;RSida &amp;P av &amp;N"),
            "{name}"
        );
        if name.starts_with("xl/worksheets") {
            assert_eq!(
                attribute(xml, "pageSetup", "fitToHeight"),
                Some("0"),
                "{name}"
            );
            assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{name}");
        }
    }
    // The header rows repeat on every printed page of every table.
    let workbook = &parts["xl/workbook.xml"];
    for repeated in [
        "Matris!$1:$2",
        "Spridning!$1:$1",
        "'Utan besked'!$1:$1",
        "Historik!$1:$1",
        "Enheter!$1:$1",
    ] {
        assert!(workbook.contains(repeated), "{repeated} in {workbook}");
    }
    // The chart: whole units on its axis, only the two methods in use, a dash each.
    let chart = &parts["xl/charts/chart1.xml"];
    assert_eq!(chart.matches("<c:ser>").count(), 2, "{chart}");
    assert!(chart.contains("<c:majorUnit val=\"1\"/>"), "{chart}");
    assert!(chart.contains("formatCode=\"0\""), "{chart}");
    // Each series' dash (none written: solid) and marker, all different.
    let looks: std::collections::BTreeSet<(&str, &str)> = chart
        .split("<c:ser>")
        .skip(1)
        .map(|series| {
            let value = |tag: &str| {
                series
                    .split(&format!("<{tag} val=\""))
                    .nth(1)
                    .and_then(|s| s.split('"').next())
                    .unwrap_or("solid")
            };
            (value("a:prstDash"), value("c:symbol"))
        })
        .collect();
    assert_eq!(looks.len(), 2, "{looks:?}");
    assert!(
        looks
            .iter()
            .map(|l| l.0)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            == 2
    );
    assert!(parts["xl/chartsheets/sheet1.xml"].contains("<drawing"));
    // The Matris legend's longest word fits its column ("● Ordinarie verksamhet": 22).
    let matrix = &parts["xl/worksheets/sheet1.xml"];
    let widths: Vec<f64> = matrix
        .split("<col ")
        .skip(1)
        .filter_map(|c| {
            attribute(&format!("<col {c}"), "col", "width")?
                .parse()
                .ok()
        })
        .collect();
    assert!(widths.len() > 4 && widths[4] >= 22.0, "{widths:?}");
}

/// `matrix` and `history` as one-sheet workbooks: the rows of their CSV, for a spreadsheet
/// without an import dialog; dates as dates; one line and no file for what a workbook
/// cannot be.
#[test]
fn matrix_and_history_as_one_sheet_workbooks_hold_what_their_csv_holds() {
    let sb = Sandbox::sample();
    sb.ok(&[
        "--lang",
        "sv",
        "matrix",
        "--format",
        "xlsx",
        "--roll-up",
        "--out",
        "m.xlsx",
    ]);
    let csv = csv_rows(&sb.ok(&["matrix", "--format", "csv", "--roll-up"]));
    let mut book: Xlsx<_> = open_workbook(sb.path("m.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Matris"]);
    let m = book.worksheet_range("Matris").unwrap();
    assert!(cell(&m, 0, 0).starts_with("Teckenförklaring"));
    let header: Vec<String> = (1..m.width()).map(|c| cell(&m, 1, c)).collect();
    assert_eq!(header, csv[0][1..]);
    assert_eq!(m.height() - 2, csv.len() - 1, "a row per method");
    for (r, row) in csv[1..].iter().enumerate() {
        assert_eq!(cell(&m, r + 2, 0), row[0]);
        for (c, code) in row[1..].iter().enumerate() {
            let word = cell(&m, r + 2, c + 1);
            assert_eq!(
                word.is_empty(),
                code.is_empty(),
                "{} {}",
                row[0],
                csv[0][c + 1]
            );
            assert_eq!(
                word.starts_with('('),
                code.starts_with('('),
                "{word} / {code}"
            );
        }
    }

    sb.ok(&[
        "--lang", "sv", "history", "--unit", "FA", "--format", "xlsx", "--out", "h.xlsx",
    ]);
    let csv = csv_rows(&sb.ok(&["history", "--unit", "FA", "--format", "csv"]));
    let ids: Vec<String> = csv[1..].iter().map(|row| row[0].clone()).collect();
    let mut book: Xlsx<_> = open_workbook(sb.path("h.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["Historik"]);
    let h = book.worksheet_range("Historik").unwrap();
    assert_eq!(cell(&h, 0, 11), "slag");
    let sheet_ids: Vec<String> = (1..h.height()).map(|r| cell(&h, r, 0)).collect();
    assert_eq!(sheet_ids, ids);
    assert!(
        (1..h.height()).all(|r| h.get((r, 1)).and_then(date_of).is_some()),
        "dates"
    );
    assert!((1..h.height()).all(|r| cell(&h, r, 3) == "FA"));

    // A workbook needs a file; --last-heard has no place in it: one line, nothing written.
    let before = sb.state();
    one_line_failure(&sb.spr(&["matrix", "--format", "xlsx"]), &["--out"]);
    one_line_failure(&sb.spr(&["history", "--format", "xlsx"]), &["--out"]);
    one_line_failure(
        &sb.spr(&[
            "matrix",
            "--format",
            "xlsx",
            "--last-heard",
            "--out",
            "x.xlsx",
        ]),
        &["--last-heard"],
    );
    one_line_failure(
        &sb.spr(&["history", "--format", "xlsx", "--out", "h.xlsx"]),
        &["h.xlsx", "--force"],
    );
    assert!(sb.state() == before);
    assert!(!sb.path("x.xlsx").exists());
}
