//! Hostile input and faults: every case an adversarial pass found, kept as a named test. Each
//! runs the real binary and asserts the one-line answer and that nothing was destroyed or
//! stored dirty (the database's bytes and export unchanged, or the event count as expected).

#![allow(
    unsafe_code,
    reason = "the hostile cases call the OS directly: mkfifo, rlimits before exec, chown"
)]

mod common;

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::process::Output;

use common::{Sandbox, one_line_failure, stdout_of};
use serde_json::{Value, json};
use spridning::domain::text::is_forbidden;

/// Every file name in the sandbox folder, sorted.
fn files(sb: &Sandbox) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The sandbox's files apart from the database and SQLite's files beside it.
fn other_files(sb: &Sandbox) -> Vec<String> {
    files(sb)
        .into_iter()
        .filter(|f| !f.starts_with("db.db"))
        .collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// No character the cleaning rule forbids (line breaks aside) anywhere in `text`.
fn assert_clean(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|&c| c != '\n' && is_forbidden(c)) {
        panic!("{what} holds U+{:04X}: {text:?}", c as u32);
    }
}

/// Every string in a JSON value is clean; JSON's own escapes (`\u001b`) count as the
/// character they stand for, since `jq -r` prints them raw.
fn assert_json_clean(what: &str, v: &Value) {
    match v {
        Value::String(s) => assert_clean(what, s),
        Value::Array(a) => a.iter().for_each(|x| assert_json_clean(what, x)),
        Value::Object(o) => o.iter().for_each(|(k, x)| {
            assert_clean(what, k);
            assert_json_clean(what, x)
        }),
        _ => {}
    }
}

// --- files the app writes -------------------------------------------------------------------

#[test]
fn export_out_onto_the_database_itself_is_refused() {
    let sb = Sandbox::sample();
    let before = sb.state();
    for target in ["db.db", "./db.db", "../$DIR/db.db"] {
        let dir_name = sb.dir.path().file_name().unwrap().to_string_lossy();
        let target = target.replace("$DIR", &dir_name);
        let out = sb.spr(&["export", "--format", "json", "--out", &target, "--force"]);
        one_line_failure(&out, &["is the open database"]);
    }
    assert!(sb.state() == before, "the database changed");
    assert!(other_files(&sb).is_empty(), "{:?}", files(&sb));
}

#[test]
fn export_out_onto_a_link_to_the_database_or_its_companions_is_refused() {
    let sb = Sandbox::sample();
    std::os::unix::fs::symlink(sb.db(), sb.path("link.json")).unwrap();
    std::fs::hard_link(sb.db(), sb.path("hard.json")).unwrap();
    let before = sb.state();
    for target in [
        "link.json",
        "hard.json",
        "db.db-wal",
        "db.db-shm",
        "db.db-journal",
    ] {
        let out = sb.spr(&["export", "--out", target, "--force"]);
        one_line_failure(&out, &[target, "is the open database"]);
    }
    assert!(sb.state() == before, "the database changed");
    assert!(!sb.path("db.db-journal").exists());
}

#[test]
fn export_out_onto_a_device_or_a_pipe_is_refused_and_the_device_stays() {
    let sb = Sandbox::sample();
    std::os::unix::fs::symlink("/dev/null", sb.path("null")).unwrap();
    let fifo = std::ffi::CString::new(sb.path("pipe").as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o600) }, 0);
    for target in ["./null", "/dev/null", "pipe"] {
        for force in [false, true] {
            let mut args = vec!["export", "--out", target];
            if force {
                args.push("--force");
            }
            one_line_failure(&sb.spr(&args), &["not a regular file"]);
        }
    }
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert!(
        std::fs::symlink_metadata(sb.path("pipe"))
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let sb = Sandbox::sample();
    sb.write("report.md", "my own notes");
    one_line_failure(
        &sb.spr(&["export", "--format", "md", "--out", "report.md"]),
        &["report.md already exists", "--force"],
    );
    assert_eq!(
        std::fs::read_to_string(sb.path("report.md")).unwrap(),
        "my own notes"
    );
    stdout_of(sb.spr(&["export", "--format", "md", "--out", "report.md", "--force"]));
    let report = std::fs::read_to_string(sb.path("report.md")).unwrap();
    assert!(report.starts_with("# spridning"), "{report}");
    assert_eq!(other_files(&sb), ["report.md"]);
}

#[test]
fn an_unrelated_partial_file_is_never_touched() {
    let sb = Sandbox::sample();
    sb.write("report.partial", "somebody's work");
    sb.write(".report.json.partial", "somebody else's");
    stdout_of(sb.spr(&["export", "--out", "report.json"]));
    assert_eq!(
        std::fs::read_to_string(sb.path("report.partial")).unwrap(),
        "somebody's work"
    );
    assert_eq!(
        std::fs::read_to_string(sb.path(".report.json.partial")).unwrap(),
        "somebody else's"
    );
    assert_eq!(
        other_files(&sb),
        [".report.json.partial", "report.json", "report.partial"]
    );
}

#[test]
fn out_onto_a_folder_is_refused_and_leaves_nothing() {
    let sb = Sandbox::sample();
    std::fs::create_dir(sb.path("adir.json")).unwrap();
    for force in [false, true] {
        let mut args = vec!["export", "--out", "adir.json"];
        if force {
            args.push("--force");
        }
        one_line_failure(&sb.spr(&args), &["adir.json is a folder"]);
    }
    one_line_failure(
        &sb.spr(&["export", "--out", "no/such/folder/x.json"]),
        &["folder does not exist"],
    );
    assert_eq!(other_files(&sb), ["adir.json"]);
    assert_eq!(std::fs::read_dir(sb.path("adir.json")).unwrap().count(), 0);
}

#[test]
fn out_dash_is_standard_output() {
    let sb = Sandbox::sample();
    let to_stdout = sb.ok(&["matrix", "--format", "csv"]);
    assert_eq!(
        sb.ok(&["matrix", "--format", "csv", "--out", "-"]),
        to_stdout
    );
    assert!(other_files(&sb).is_empty());
}

#[test]
fn matrix_out_follows_the_same_rules_and_writes_the_same_text() {
    let sb = Sandbox::sample();
    let text = sb.ok(&["matrix", "--format", "md"]);
    stdout_of(sb.spr(&["matrix", "--format", "md", "--out", "m.md"]));
    assert_eq!(std::fs::read_to_string(sb.path("m.md")).unwrap(), text);
    one_line_failure(&sb.spr(&["matrix", "--out", "m.md"]), &["--force"]);
    one_line_failure(
        &sb.spr(&["matrix", "--out", "db.db", "--force"]),
        &["is the open database"],
    );
}

#[test]
fn a_write_cut_short_leaves_neither_the_file_nor_a_temporary_one() {
    // A file-size limit makes every write past 64 KiB fail (EFBIG), as a full disk would.
    use std::os::unix::process::CommandExt;
    let sb = Sandbox::sample();
    let limited = |args: &[&str]| {
        let mut c = sb.command();
        c.arg("--db").arg("db.db").args(args);
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            c.pre_exec(|| {
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let lim = libc::rlimit {
                    rlim_cur: 64 * 1024,
                    rlim_max: 64 * 1024,
                };
                libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
                Ok(())
            });
        }
        c.output().unwrap()
    };
    let before = sb.state();
    let out = limited(&["backup", "copy.db"]);
    one_line_failure(&out, &["copy.db"]);
    let out = limited(&["export", "--format", "json", "--out", "all.json"]);
    one_line_failure(&out, &["all.json"]);
    assert!(other_files(&sb).is_empty(), "{:?}", files(&sb));
    assert!(sb.state() == before);
    // Without the limit both succeed.
    stdout_of(sb.spr(&["backup", "copy.db"]));
    stdout_of(sb.spr(&["export", "--out", "all.json"]));
    assert_eq!(other_files(&sb), ["all.json", "copy.db"]);
}

#[test]
fn backup_never_writes_over_the_database_or_an_existing_file() {
    let sb = Sandbox::sample();
    let before = sb.state();
    one_line_failure(&sb.spr(&["backup", "db.db"]), &["is the open database"]);
    one_line_failure(
        &sb.spr(&["backup", "./db.db-wal"]),
        &["is the open database"],
    );
    sb.write("old.db", "keep me");
    one_line_failure(&sb.spr(&["backup", "old.db"]), &["old.db already exists"]);
    one_line_failure(&sb.spr(&["backup", "/dev/null"]), &["not a regular file"]);
    assert_eq!(
        std::fs::read_to_string(sb.path("old.db")).unwrap(),
        "keep me"
    );
    assert!(sb.state() == before);
    let said = sb.ok(&["backup", "new.db"]);
    assert!(said.starts_with("backed up to new.db"), "{said}");
    assert_eq!(other_files(&sb), ["new.db", "old.db"]);
    let copy = Sandbox::bare();
    std::fs::copy(sb.path("new.db"), copy.db()).unwrap();
    copy.check_ok();
}

// --- what import lets in --------------------------------------------------------------------

/// A small valid export: two methods, three events (one retracted), one user.
fn small_export() -> Value {
    json!({
        "spridning": 1,
        "units": [],
        "methods": [
            {"name": "Metod 1", "short_name": "M1", "kind": "intervention",
             "created_at": "2024-01-01T00:00:00Z", "created_by": "anna"},
            {"name": "Metod 2", "short_name": "M2", "kind": "instrument"}
        ],
        "events": [
            {"method": "M1", "unit": "FA", "stage": "pilot", "date": "2023-05",
             "note": "Första", "source": "Rapport", "recorded_by": "anna",
             "recorded_at": "2024-01-02T10:00:00Z", "retracted": false, "retraction": null},
            {"method": "M1", "unit": "FA", "stage": "implemented", "date": "2024-02",
             "recorded_by": "anna", "recorded_at": "2024-03-01T10:00:00Z",
             "retracted": true,
             "retraction": {"reason": "fel enhet", "by": "bo", "at": "2024-03-02T10:00:00Z"}},
            {"method": "M2", "unit": "KH", "stage": "exploring", "date": "2022-01-10",
             "recorded_by": "bo", "recorded_at": "2024-01-05T10:00:00Z"}
        ],
        "users": [{"login": "bo", "role": "member", "units": ["KH"]}]
    })
}

/// Imports `data` into a fresh `init` database; returns the sandbox and the output.
fn import(data: &Value) -> (Sandbox, Output, (Vec<u8>, String)) {
    let sb = Sandbox::init();
    sb.write("in.json", &serde_json::to_string_pretty(data).unwrap());
    let before = sb.state();
    let out = sb.spr(&["import", "in.json"]);
    (sb, out, before)
}

/// The import must fail with one line naming all of `needles`, and change nothing.
fn refused(data: &Value, needles: &[&str]) {
    let (sb, out, before) = import(data);
    one_line_failure(&out, needles);
    assert!(
        sb.state() == before,
        "a refused import changed the database"
    );
}

#[test]
fn the_small_export_imports_and_round_trips() {
    let (sb, out, _) = import(&small_export());
    assert_eq!(
        stdout_of(out).trim_end(),
        "imported 0 units, 2 methods, 3 events, 1 users"
    );
    sb.check_ok();
    let history = sb.json(&["history", "--format", "json"]);
    assert_eq!(history.as_array().unwrap().len(), 3);
}

/// Hostile text in each field that import used to store as it came.
const HOSTILE: &str = "a\u{1b}]0;pwn\u{7}b\u{9b}c\u{7f}d\u{202e}e\u{200b}f\u{ad}g\u{2028}h\u{e0041}i\u{180e}j\u{34f}k";

/// The same without line separators (which become a space, and a login is one word).
fn hostile_word() -> String {
    HOSTILE.replace('\u{2028}', "")
}

#[test]
fn hostile_text_in_every_imported_field_is_cleaned_and_never_written_back() {
    let word = hostile_word();
    let mut data = small_export();
    let e = &mut data["events"];
    e[0]["recorded_by"] = json!(format!("an{word}"));
    e[0]["note"] = json!(HOSTILE);
    e[0]["source"] = json!(HOSTILE);
    e[1]["retraction"]["reason"] = json!(HOSTILE);
    e[1]["retraction"]["by"] = json!(format!("bo{word}"));
    let m = &mut data["methods"];
    m[0]["created_by"] = json!(format!("anna{word}"));
    m[0]["description"] = json!(HOSTILE);
    m[1]["contact"] = json!(HOSTILE);
    data["users"][0]["login"] = json!(format!("bo{word}"));
    let (sb, out, _) = import(&data);
    stdout_of(out);
    sb.check_ok();
    let export = sb.ok(&["export", "--format", "json"]);
    assert_json_clean("export", &serde_json::from_str(&export).unwrap());
    assert_clean("export bytes", &export);
    for args in [
        &["history", "--format", "json"][..],
        &["history", "--format", "csv"],
        &["history"],
        &["methods", "--format", "json"],
        &["user", "list"],
        &["export", "--format", "md"],
        &["export", "--format", "csv"],
    ] {
        assert_clean(&format!("{args:?}"), &sb.ok(args));
    }
}

#[test]
fn a_megabyte_string_in_any_field_is_refused_naming_the_record() {
    let huge = "x".repeat(1 << 20);
    for (path, record) in [
        ("/events/0/recorded_by", "events[0]"),
        ("/events/1/retraction/reason", "events[1]"),
        ("/events/1/retraction/by", "events[1]"),
        ("/methods/0/created_by", "methods[0]"),
        ("/users/0/login", "users[0]"),
        ("/events/0/note", "events[0]"),
    ] {
        let mut data = small_export();
        *data.pointer_mut(path).unwrap() = json!(huge);
        refused(&data, &[record, "too long"]);
    }
}

#[test]
fn timestamps_must_be_rfc3339_in_utc() {
    for (path, bad, record) in [
        ("/events/0/recorded_at", "igår", "events[0]"),
        (
            "/events/0/recorded_at",
            "2024-01-02T10:00:00+01:00",
            "events[0]",
        ),
        (
            "/events/1/retraction/at",
            "2024-13-02T10:00:00Z",
            "events[1]",
        ),
        ("/methods/0/created_at", "\u{1b}[2J", "methods[0]"),
    ] {
        let mut data = small_export();
        *data.pointer_mut(path).unwrap() = json!(bad);
        refused(&data, &[record, "RFC 3339"]);
    }
}

#[test]
fn logins_and_reasons_may_not_be_blank_and_retractions_must_agree() {
    for (path, value, needles) in [
        (
            "/events/0/recorded_by",
            json!("   "),
            &["events[0]", "recorded_by is empty"][..],
        ),
        (
            "/events/0/recorded_by",
            json!("\u{200b}"),
            &["events[0]", "recorded_by"],
        ),
        (
            "/users/0/login",
            json!(" "),
            &["users[0]", "login is empty"],
        ),
        ("/users/0/login", json!("bo bo"), &["users[0]", "one word"]),
        (
            "/methods/0/created_by",
            json!(""),
            &["methods[0]", "created_by is empty"],
        ),
        (
            "/events/1/retraction/reason",
            json!("  "),
            &["events[1]", "needs a reason"],
        ),
        (
            "/events/1/retracted",
            json!(false),
            &["events[1]", "\"retraction\""],
        ),
        (
            "/events/0/retracted",
            json!(true),
            &["events[0]", "no \"retraction\""],
        ),
    ] {
        let mut data = small_export();
        *data.pointer_mut(path).unwrap() = value;
        refused(&data, needles);
    }
}

#[test]
fn a_unit_name_may_not_be_another_units_code() {
    let mut data = small_export();
    data["units"] = json!([
        {"code": "KH", "name": "FA", "kind": "district", "region": null,
         "valid_from": null, "valid_to": null, "successor": null}
    ]);
    refused(
        &data,
        &["units[0]", "'FA' is already the code or name of unit FA"],
    );
}

#[test]
fn a_database_where_a_unit_name_is_another_code_is_reported_by_check() {
    let sb = Sandbox::init();
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.execute("UPDATE unit SET name = 'FA' WHERE code = 'KH'", [])
        .unwrap();
    drop(conn);
    let out = sb.spr(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("unit KH: its name 'FA' is the code of unit FA"),
        "{text}"
    );
}

#[test]
fn successor_cycles_are_refused() {
    let mut data = small_export();
    data["units"] = json!([
        {"code": "KS", "name": "Kungsholmen-Söder", "kind": "district", "successor": "SOD"},
        {"code": "SOD", "name": "Södermalm", "kind": "district", "successor": "KS"}
    ]);
    refused(&data, &["units[1]", "circle", "SOD → KS → SOD"]);
}

#[test]
fn a_successor_is_never_dropped_silently() {
    // Zero-width characters inside codes are cleaned away on every side, so the successor
    // still names its unit.
    let mut data = small_export();
    data["units"] = json!([
        {"code": "N\u{200b}Y", "name": "Ny enhet", "kind": "district", "region": "söderort",
         "valid_from": "2020-01-01", "valid_to": null, "successor": null},
        {"code": "GA", "name": "Gammal enhet", "kind": "district", "region": "söderort",
         "valid_from": "2010-01-01", "valid_to": "2019-12-31", "successor": "N\u{200b}Y"}
    ]);
    let (sb, out, _) = import(&data);
    stdout_of(out);
    let units = sb.json(&["units", "--format", "json"]);
    let ga = units
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["code"] == "GA")
        .expect("GA imported");
    assert_eq!(ga["successor"], "NY");
    // A successor of only invisible characters is an error, not "no successor".
    let mut data = small_export();
    data["units"] = json!([
        {"code": "GA", "name": "Gammal enhet", "kind": "district", "successor": "\u{200b}"}
    ]);
    refused(&data, &["units[0]", "successor"]);
}

#[test]
fn unknown_keys_in_a_unit_are_refused() {
    let mut data = small_export();
    data["units"] = json!([{"code": "GA", "name": "Gammal", "kind": "district", "colour": "red"}]);
    refused(&data, &["unknown field `colour`"]);
}

#[test]
fn a_key_given_twice_is_refused_and_counts_are_what_was_stored() {
    let text = serde_json::to_string(&small_export()).unwrap();
    let twice = text.replacen(
        "\"users\":",
        "\"events\":[{\"method\":\"M2\",\"unit\":\"FA\",\"stage\":\"pilot\",\"date\":\"2020-01\"}],\"users\":",
        1,
    );
    assert!(twice.contains("\"events\":[{\"method\":\"M2\",\"unit\":\"FA\""));
    let sb = Sandbox::init();
    sb.write("twice.json", &twice);
    let before = sb.state();
    one_line_failure(
        &sb.spr(&["import", "twice.json"]),
        &["duplicate key \"events\""],
    );
    assert!(sb.state() == before);
    // Inside a record too.
    let dup_field = text.replacen(
        "\"stage\":\"pilot\"",
        "\"stage\":\"pilot\",\"stage\":\"paused\"",
        1,
    );
    sb.write("dup.json", &dup_field);
    one_line_failure(
        &sb.spr(&["import", "dup.json"]),
        &["duplicate field `stage`"],
    );
    assert!(sb.state() == before);
}

#[test]
fn a_file_with_a_byte_order_mark_is_read_normally() {
    let sb = Sandbox::init();
    let text = format!(
        "\u{feff}{}",
        serde_json::to_string(&small_export()).unwrap()
    );
    sb.write("bom.json", &text);
    assert!(
        sb.ok(&["import", "bom.json"])
            .starts_with("imported 0 units, 2 methods, 3 events")
    );
    sb.check_ok();
}

// --- what the app prints --------------------------------------------------------------------

#[test]
fn success_messages_never_echo_control_characters() {
    let sb = Sandbox::bare();
    let name = "ny\u{1b}]0;pwn\u{7}\u{ad}.db";
    let out = stdout_of(sb.run(&["init", name]));
    assert_clean("init", &out);
    let db = sb.path(name);
    let db = db.to_str().unwrap();
    for args in [
        vec!["--db", db, "check"],
        vec![
            "--db",
            db,
            "user",
            "add",
            "an\u{1b}[2Jna",
            "--role",
            "viewer",
        ],
        vec!["--db", db, "user", "remove", "an\u{1b}[2Jna"],
        vec!["--db", db, "backup", "kopia\u{1b}[31m\u{2028}.db"],
    ] {
        let out = stdout_of(sb.run(&args));
        assert_clean(&format!("{args:?}"), &out);
    }
}

#[test]
fn adopt_never_echoes_control_characters_from_the_database() {
    let sb = Sandbox::init();
    sb.write(
        "m.json",
        r#"{"spridning": 1, "methods": [{"name": "Metod", "kind": "intervention"}]}"#,
    );
    sb.ok(&["import", "m.json"]);
    let conn = rusqlite::Connection::open(sb.db()).unwrap();
    conn.execute(
        "UPDATE method SET short_name = 'M\u{1b}[2J\u{ad}' WHERE name = 'Metod'",
        [],
    )
    .unwrap();
    drop(conn);
    let out = sb.ok(&[
        "adopt", "--method", "Metod", "--unit", "FA", "--stage", "pilot", "--date", "2024-01",
    ]);
    assert_clean("adopt", &out);
    assert!(out.contains("M[2J in FA"), "{out}");
}

#[test]
fn invisible_format_characters_never_reach_any_output() {
    let sb = Sandbox::sample();
    let note = "a\u{ad}b\u{2028}c\u{2029}d\u{e0001}e\u{180e}f\u{34f}g";
    sb.ok(&[
        "adopt", "--method", "ASI", "--unit", "FA", "--stage", "pilot", "--note", note,
    ]);
    let history = sb.json(&["history", "--method", "ASI", "--format", "json"]);
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["note"], "ab\nc\nde f g".replace(' ', ""));
    for args in [
        &["history", "--format", "csv"][..],
        &["export", "--format", "json"],
        &["export", "--format", "md"],
    ] {
        assert_clean(&format!("{args:?}"), &sb.ok(args));
    }
}

// --- clear answers --------------------------------------------------------------------------

#[test]
fn usage_errors_follow_clap_with_exit_2() {
    let sb = Sandbox::sample();
    for args in [
        &["--db", "db.db", "matrix", "--format", "pdf"][..],
        &["--db", "db.db", "user", "add", "x", "--role", "admin"],
        &["--db", "db.db", "adopt", "--method"],
        &["--db", "db.db", "frobnicate"],
        &["--db", "db.db", "export", "--force"],
    ] {
        let out = sb.run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("Usage:") || stderr(&out).contains("--help"),
            "{args:?}"
        );
    }
}

/// Runs `args` on `db` as the user `nobody` when the tests run as root (root may write any
/// file), else as ourselves.
fn as_nobody(sb: &Sandbox, args: &[&str]) -> Output {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return sb.spr(args);
    }
    let bin = sb.path("spridning");
    std::fs::copy(common::BIN, &bin).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::process::Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(&bin)
        .arg("--db")
        .arg(sb.db())
        .args(args)
        .output()
        .expect("runuser (util-linux)")
}

#[test]
fn writing_a_read_only_database_says_which_file_and_why() {
    let sb = Sandbox::sample();
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // nobody owns the file (so is its coordinator) but may not write it.
        let nobody = std::ffi::CString::new(sb.db().as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: a valid path; 65534 is nobody.
        assert_eq!(unsafe { libc::chown(nobody.as_ptr(), 65534, 65534) }, 0);
        std::fs::set_permissions(sb.dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    std::fs::set_permissions(sb.db(), std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(sb.db()).unwrap();
    let out = as_nobody(
        &sb,
        &[
            "adopt", "--method", "ASI", "--unit", "FA", "--stage", "pilot",
        ],
    );
    let line = one_line_failure(&out, &["db.db is read-only for you", "write access"]);
    assert!(!line.contains("Error code"), "{line}");
    assert_eq!(std::fs::read(sb.db()).unwrap(), before);
    // Reading still works.
    let out = as_nobody(&sb, &["methods"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn an_empty_file_is_named_as_such() {
    let sb = Sandbox::bare();
    sb.write("db.db", "");
    one_line_failure(
        &sb.spr(&["methods"]),
        &[
            "db.db is an empty file, not a spridning database",
            "spridning init",
        ],
    );
    assert_eq!(std::fs::metadata(sb.db()).unwrap().len(), 0);
}

#[test]
fn a_write_ahead_log_removed_while_in_use_is_explained() {
    let sb = Sandbox::sample();
    // Another program holds the database open, then its -wal file is deleted.
    let holder = rusqlite::Connection::open(sb.db()).unwrap();
    holder
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .unwrap();
    sb.ok(&[
        "adopt", "--method", "ASI", "--unit", "FA", "--stage", "pilot",
    ]);
    holder
        .query_row("SELECT count(*) FROM method", [], |r| r.get::<_, i64>(0))
        .unwrap();
    std::fs::remove_file(sb.path("db.db-wal")).unwrap();
    let out = sb.spr(&[
        "adopt", "--method", "ASI", "--unit", "FA", "--stage", "paused",
    ]);
    let line = one_line_failure(&out, &["write-ahead log", "db.db-wal", "spridning check"]);
    assert!(!line.contains("Error code"), "{line}");
    drop(holder);
}

#[test]
fn options_naming_a_unit_take_a_name_or_code_in_any_case() {
    let sb = Sandbox::sample();
    assert_eq!(
        sb.ok(&[
            "user", "add", "bertil", "--role", "member", "--unit", "Farsta", "--unit", "kh"
        ])
        .trim_end(),
        "bertil is member of Farsta (FA), Kungsholmen (KH)"
    );
    let list = sb.ok(&["user", "list"]);
    assert!(
        list.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["bertil", "member", "FA,KH"]),
        "{list}"
    );
    let before = sb.state();
    one_line_failure(
        &sb.spr(&[
            "user", "add", "cilla", "--role", "member", "--unit", "Frasta",
        ]),
        &["unknown unit 'Frasta'"],
    );
    assert!(sb.state() == before);
}

#[test]
fn refusals_read_as_sentences() {
    let sb = Sandbox::sample();
    sb.ok(&["user", "add", "maja", "--role", "member", "--unit", "FA"]);
    sb.ok(&["user", "add", "vera", "--role", "viewer"]);
    let before = sb.state();
    let out = sb.spr(&["--as", "maja", "user", "add", "x", "--role", "viewer"]);
    one_line_failure(&out, &["maja is a member and cannot manage users"]);
    sb.write("in.json", "{\"spridning\": 1}");
    let out = sb.spr(&["--as", "maja", "import", "in.json"]);
    one_line_failure(&out, &["maja is a member and cannot import"]);
    let out = sb.spr(&["--as", "vera", "import", "in.json"]);
    one_line_failure(&out, &["vera is a viewer and can only read", "may import"]);
    assert!(sb.state() == before);
}

#[test]
fn the_sample_exports_identically_after_the_stricter_import() {
    let sb = Sandbox::sample();
    let export = sb.ok(&["export", "--format", "json"]);
    let fresh = Sandbox::init();
    fresh.write("all.json", &export);
    fresh.ok(&["import", "all.json"]);
    let again = fresh.json(&["export", "--format", "json"]);
    let mut first: Value = serde_json::from_str(&export).unwrap();
    // The fresh database has its creator as an extra coordinator.
    first["users"] = again["users"].clone();
    assert!(first == again, "export → import → export differs");
}

#[test]
fn a_reader_that_stops_reading_ends_the_command_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let sb = Sandbox::sample();
    for args in [
        &["export", "--format", "json"][..],
        &["export", "--format", "csv"],
        &["history", "--format", "json"],
        &["history", "--format", "csv"],
        &["matrix"],
    ] {
        let mut child = sb
            .command()
            .arg("--db")
            .arg("db.db")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe is closed here, as `| head -c 10` does.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
}
