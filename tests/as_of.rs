//! The state on a day and as it was known at a time, on the command line.

mod common;

use common::{Sandbox, one_line_failure};

/// The non-empty cells of `matrix --format csv` as (method, unit, stage).
fn cells(csv_text: &str) -> Vec<(String, String, String)> {
    let mut lines = csv_text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut out = Vec::new();
    for line in lines {
        let cols: Vec<&str> = line.split(',').collect();
        for (i, c) in cols.iter().enumerate().skip(1) {
            if !c.is_empty() {
                out.push((cols[0].to_string(), header[i].to_string(), c.to_string()));
            }
        }
    }
    out
}

fn known_sandbox() -> Sandbox {
    let sb = Sandbox::init();
    sb.write(
        "in.json",
        r#"{"spridning": 1,
            "methods": [{"name": "Metod", "short_name": "M", "kind": "intervention"}],
            "events": [
              {"method": "M", "unit": "FA", "stage": "pilot", "date": "2010-01-15",
               "recorded_at": "2010-02-01T12:00:00Z"},
              {"method": "M", "unit": "FA", "stage": "implemented", "date": "2012-03",
               "recorded_at": "2015-01-01T12:00:00Z"},
              {"method": "M", "unit": "KH", "stage": "implemented", "date": "2011-01-01",
               "recorded_at": "2011-01-02T12:00:00Z", "retracted": true,
               "retraction": {"reason": "fel enhet", "by": "anna", "at": "2014-06-01T12:00:00Z"}}
            ]}"#,
    );
    sb.ok(&["import", "in.json"]);
    sb
}

#[test]
fn as_of_takes_a_day_or_a_month_and_known_at_leaves_out_later_records() {
    let sb = known_sandbox();
    let matrix = |args: &[&str]| {
        let mut all = vec!["matrix", "--format", "csv"];
        all.extend_from_slice(args);
        cells(&sb.ok(&all))
    };
    let fa = |stage: &str| ("M".to_string(), "FA".to_string(), stage.to_string());
    let kh = |stage: &str| ("M".to_string(), "KH".to_string(), stage.to_string());
    assert_eq!(matrix(&["--as-of", "2013-01-01"]), [fa("implemented")]);
    // A month is its first day: March 2012 counts, February does not.
    assert_eq!(matrix(&["--as-of", "2012-03"]), [fa("implemented")]);
    // FA's pilot of 2010-01-15, not heard from since, is stale 24 months on.
    assert_eq!(matrix(&["--as-of", "2012-02"]), [fa("pilot°")]);
    // As known at the start of 2013: FA's implementation was recorded in 2015, and KH's
    // event was retracted only in 2014.
    let mut known = matrix(&[
        "--as-of",
        "2013-01-01",
        "--known-at",
        "2013-01-01T00:00:00Z",
    ]);
    known.sort();
    // KH's implementation of 2011-01-01 was heard exactly 24 months before: still fresh.
    assert_eq!(known, [fa("pilot°"), kh("implemented")]);
    // A day as known-at means its end: KH's retraction (noon that day) is known then, FA's
    // implementation (recorded 2015) is not.
    assert_eq!(
        matrix(&["--as-of", "2013-01-01", "--known-at", "2014-06-01"]),
        [fa("pilot°")]
    );
}

#[test]
fn a_future_as_of_and_a_malformed_known_at_are_refused_in_one_line() {
    let sb = known_sandbox();
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["matrix", "--as-of", "2999-01-01"]),
        &["2999-01-01 is in the future"],
    );
    one_line_failure(
        &sb.spr(&["matrix", "--as-of", "2013-02-30"]),
        &["invalid date '2013-02-30'"],
    );
    one_line_failure(
        &sb.spr(&["matrix", "--known-at", "igår"]),
        &["invalid --known-at 'igår'", "RFC 3339"],
    );
    assert!(sb.state() == before);
}

#[test]
fn roll_up_folds_predecessors_stages_into_the_units_that_took_over() {
    let sb = Sandbox::init();
    sb.write(
        "in.json",
        r#"{"spridning": 1,
            "methods": [
              {"name": "Metod A", "short_name": "MA", "kind": "intervention"},
              {"name": "Metod B", "short_name": "MB", "kind": "intervention"}],
            "events": [
              {"method": "MA", "unit": "KI", "stage": "pilot", "date": "2004-01"},
              {"method": "MA", "unit": "RI", "stage": "implemented", "date": "2005-01"},
              {"method": "MB", "unit": "ST", "stage": "preparing", "date": "2010-01"},
              {"method": "MB", "unit": "JÄ", "stage": "exploring", "date": "2024-01"}
            ]}"#,
    );
    sb.ok(&["import", "in.json"]);
    let row = |csv_text: &str, method: &str, unit: &str| -> String {
        let mut lines = csv_text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = header.iter().position(|h| *h == unit).unwrap();
        let line = lines
            .find(|l| l.starts_with(&format!("{method},")))
            .unwrap();
        line.split(',').nth(col).unwrap().to_string()
    };
    let plain = sb.ok(&["matrix", "--format", "csv"]);
    assert_eq!(
        row(&plain, "MA", "JÄ"),
        "",
        "without roll-up Järva has nothing of its own"
    );
    let rolled = sb.ok(&["matrix", "--format", "csv", "--roll-up"]);
    // Kista (pilot) and Rinkeby (implemented) → Rinkeby-Kista (2007) → Järva (2023): the
    // furthest stage, marked as taken from predecessors.
    // Not heard from in 24 months: marked stale.
    assert_eq!(row(&rolled, "MA", "JÄ"), "(implemented)°");
    // Järva's own event wins over its predecessors'.
    assert_eq!(row(&rolled, "MB", "JÄ"), "exploring°");
    // In 2010 Rinkeby-Kista took MA over from Kista and Rinkeby.
    let then = sb.ok(&[
        "matrix",
        "--format",
        "csv",
        "--roll-up",
        "--as-of",
        "2010-06-01",
    ]);
    // Rinkeby's implementation of 2005 had not been heard from in 24 months by 2010.
    assert_eq!(row(&then, "MA", "RK"), "(implemented)°");
    assert_eq!(row(&then, "MB", "ST"), "preparing");
    // In 2004 only Kista's pilot existed, and it was Kista's own.
    let early = sb.ok(&[
        "matrix",
        "--format",
        "csv",
        "--roll-up",
        "--as-of",
        "2004-06-01",
    ]);
    assert_eq!(row(&early, "MA", "KI"), "pilot");
}

#[test]
fn metrics_and_stalled_on_the_command_line() {
    let sb = known_sandbox();
    let json = sb.json(&["metrics", "--as-of", "2013-01-01", "--format", "json"]);
    let m = &json.as_array().unwrap()[0];
    assert_eq!(m["label"], "M");
    assert_eq!(m["reached"], 1, "Farsta; Kungsholmen's event is retracted");
    assert_eq!(m["in_use"], 1);
    assert_eq!(m["first_pilot"], "2010-01-15");
    // Pilot 2010-01-15 → implemented 2012-03 (its first day): 776 days, 25.5 months.
    assert_eq!(m["median_months"], 25.5);
    let csv_text = sb.ok(&["metrics", "--format", "csv"]);
    assert!(csv_text.starts_with(
        "label,name,reached,in_use,share,first_pilot,median_months,on_the_way,preparing,stalled,not_heard_from,sustained,paused,discontinued\n"
    ));
    // Per unit, and only the methods of an area.
    let units = sb.json(&["metrics", "--by", "unit", "--format", "json"]);
    let fa = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["label"] == "FA")
        .unwrap();
    assert_eq!(fa["in_use"], 1);
    // An area no method has is refused, as `report` refuses it (issue 18).
    let out = sb.spr(&["metrics", "--area", "missbruk", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown area 'missbruk'"));
    // Stalled: Farsta's pilot, as of 2011-12-01 (22 months), not with a 24-month limit.
    let stalled = sb.json(&["stalled", "--as-of", "2011-12-01", "--format", "json"]);
    assert_eq!(stalled.as_array().unwrap().len(), 1);
    assert_eq!(stalled[0]["unit"], "FA");
    assert_eq!(stalled[0]["months"], 22);
    let later = sb.json(&[
        "stalled",
        "--as-of",
        "2011-12-01",
        "--months",
        "24",
        "--format",
        "json",
    ]);
    assert_eq!(later.as_array().unwrap().len(), 0);
    one_line_failure(
        &sb.spr(&["metrics", "--known-at", "2013-99-01"]),
        &["invalid --known-at"],
    );
}

#[test]
fn methods_and_units_count_stages_on_a_day_as_known_at_a_time() {
    let sb = known_sandbox();
    // Without a moment the lists are as they always were.
    assert!(
        sb.ok(&["methods", "--format", "csv"])
            .starts_with("short_name,name,kind,area\n")
    );
    let methods = sb.json(&["methods", "--as-of", "2011-06-01", "--format", "json"]);
    let m = &methods.as_array().unwrap()[0];
    assert_eq!(m["short_name"], "M");
    assert_eq!(m["as_of"], "2011-06-01");
    assert_eq!((&m["pilot"], &m["implemented"]), (&1.into(), &0.into()));
    // As known at the start of 2013: Kungsholmen's implementation was not yet retracted.
    let known = sb.json(&[
        "methods",
        "--as-of",
        "2013-01-01",
        "--known-at",
        "2013-01-01T00:00:00Z",
        "--format",
        "json",
    ]);
    assert_eq!(
        (&known[0]["pilot"], &known[0]["implemented"]),
        (&1.into(), &1.into())
    );
    // Units on a day: only those valid then, each with its own counts.
    let units = sb.ok(&["units", "--as-of", "2013-01-01", "--format", "csv"]);
    let codes: Vec<&str> = units
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert!(codes.contains(&"FA") && codes.contains(&"RK"), "{units}");
    assert!(!codes.contains(&"KI") && !codes.contains(&"JÄ"), "{units}");
    let fa = units.lines().find(|l| l.starts_with("FA,")).unwrap();
    // Implemented since 2012-03, heard then: fresh on 2013-01-01 (stale: 0).
    assert!(fa.ends_with(",0,0,0,1,0,0,0,0,2012-03"), "{fa}");
    // Four years on, not heard from since: stale 1; with --current-only, left out.
    let later = sb.ok(&["units", "--as-of", "2016-06-01", "--format", "csv"]);
    let fa = later.lines().find(|l| l.starts_with("FA,")).unwrap();
    assert!(fa.ends_with(",0,0,0,1,0,0,0,1,2012-03"), "{fa}");
    let current = sb.ok(&[
        "units",
        "--as-of",
        "2016-06-01",
        "--current-only",
        "--format",
        "csv",
    ]);
    let fa = current.lines().find(|l| l.starts_with("FA,")).unwrap();
    assert!(fa.ends_with(",0,0,0,0,0,0,0,1,2012-03"), "{fa}");
    // Every unit with --all; a month as the day; a future day and a bad time are refused.
    let all = sb.ok(&["units", "--all", "--as-of", "2013-01", "--format", "csv"]);
    assert!(all.lines().any(|l| l.starts_with("KI,")), "{all}");
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["units", "--as-of", "2999-01-01"]),
        &["2999-01-01 is in the future"],
    );
    one_line_failure(
        &sb.spr(&["methods", "--known-at", "2013-13-01T00:00:00Z"]),
        &["invalid --known-at"],
    );
    assert!(sb.state() == before);
}
