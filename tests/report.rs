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
    // Below the methods, the units' figures; then the curves the chart draws, a year a row.
    assert!(
        (1..sp.height()).any(|r| cell(&sp, r, 0) == "FA"),
        "the units' block"
    );
    let curves = (0..sp.height())
        .find(|&r| cell(&sp, r, 0).starts_with("år ("))
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
    // What every figure counts, as the README says it (in Swedish here).
    for d in spridning::store::DEFINITIONS {
        assert_eq!(said(d.sv), d.counts_sv);
    }
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
