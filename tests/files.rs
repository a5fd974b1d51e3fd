//! Files an operator handles: every file written from the database is no wider than the
//! database file; a 250-byte output name works; a full disk or a file-size limit is said
//! about the file the person gave; and no CSV the app writes holds a cell a spreadsheet
//! would run as a formula.

#![allow(
    unsafe_code,
    reason = "umask and rlimits are set in the child before exec (pre_exec)"
)]

mod common;

use std::collections::BTreeSet;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::process::Output;

use common::{Sandbox, one_line_failure, stdout_of};
use serde_json::json;

/// Runs `spridning --db db.db ARGS` under `umask`.
fn with_umask(sb: &Sandbox, umask: libc::mode_t, args: &[&str]) -> Output {
    let mut c = sb.command();
    c.arg("--db").arg("db.db").args(args);
    // SAFETY: umask is async-signal-safe and only sets the child's mask.
    unsafe {
        c.pre_exec(move || {
            libc::umask(umask);
            Ok(())
        });
    }
    c.output().expect("run spridning")
}

fn mode(sb: &Sandbox, name: &str) -> u32 {
    std::fs::metadata(sb.path(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .permissions()
        .mode()
        & 0o777
}

/// Every kind of file written from the database, under `umask`; returns their names.
fn write_every_kind(sb: &Sandbox, umask: libc::mode_t) -> Vec<&'static str> {
    let runs: [(&str, &[&str]); 6] = [
        ("backup.db", &["backup", "backup.db"]),
        ("all.json", &["export", "--out", "all.json"]),
        (
            "all.csv",
            &["export", "--format", "csv", "--out", "all.csv"],
        ),
        (
            "matrix.csv",
            &["matrix", "--format", "csv", "--out", "matrix.csv"],
        ),
        ("report.xlsx", &["report", "--out", "report.xlsx"]),
        (
            "report.html",
            &["report", "--format", "html", "--out", "report.html"],
        ),
    ];
    for (_, args) in &runs {
        stdout_of(with_umask(sb, umask, args));
    }
    runs.iter().map(|(name, _)| *name).collect()
}

#[test]
fn every_file_from_a_0600_database_is_0600_under_umask_022() {
    let sb = Sandbox::sample();
    std::fs::set_permissions(sb.db(), std::fs::Permissions::from_mode(0o600)).unwrap();
    for name in write_every_kind(&sb, 0o022) {
        assert_eq!(mode(&sb, name), 0o600, "{name} is {:o}", mode(&sb, name));
    }
    // A world-readable file replaced with --force is narrowed to the database's bits.
    sb.write("old.json", "old");
    std::fs::set_permissions(sb.path("old.json"), std::fs::Permissions::from_mode(0o644)).unwrap();
    stdout_of(with_umask(
        &sb,
        0o022,
        &["export", "--out", "old.json", "--force"],
    ));
    assert_eq!(mode(&sb, "old.json"), 0o600);
    // The copy a restore keeps, too.
    let said = stdout_of(with_umask(&sb, 0o022, &["restore", "backup.db"]));
    let kept = said.rsplit(' ').next().unwrap().trim();
    assert_eq!(mode(&sb, kept), 0o600, "{kept}");
    // The backup opens and is sound.
    let out = sb.run(&["--db", "backup.db", "check"]);
    assert!(stdout_of(out).starts_with("ok:"));
}

#[test]
fn a_0640_database_gives_files_of_at_most_0640_and_the_umask_narrows_them() {
    let sb = Sandbox::sample();
    std::fs::set_permissions(sb.db(), std::fs::Permissions::from_mode(0o640)).unwrap();
    for name in write_every_kind(&sb, 0o022) {
        assert_eq!(mode(&sb, name), 0o640, "{name} is {:o}", mode(&sb, name));
        std::fs::remove_file(sb.path(name)).unwrap();
    }
    for name in write_every_kind(&sb, 0o077) {
        assert_eq!(mode(&sb, name), 0o600, "{name} is {:o}", mode(&sb, name));
    }
    // An existing narrower file keeps its own bits.
    std::fs::set_permissions(sb.path("all.json"), std::fs::Permissions::from_mode(0o400)).unwrap();
    stdout_of(with_umask(
        &sb,
        0o022,
        &["export", "--out", "all.json", "--force"],
    ));
    assert_eq!(mode(&sb, "all.json"), 0o400);
}

/// 250 bytes: `x` and 83 three-byte letters.
fn long_name(ext: &str) -> String {
    let name = format!("{}{ext}", "€".repeat((250 - ext.len()) / 3));
    let name = format!("{}{name}", "x".repeat(250 - name.len()));
    assert_eq!(name.len(), 250);
    name
}

#[test]
fn an_output_name_of_250_bytes_works_for_export_and_backup() {
    let sb = Sandbox::sample();
    let (json_name, db_name) = (long_name(".json"), long_name(".db"));
    stdout_of(sb.spr(&["export", "--out", &json_name]));
    let said = sb.ok(&["backup", &db_name]);
    assert!(
        said.starts_with(&format!("backed up to {db_name} (")),
        "{said}"
    );
    assert_eq!(
        std::fs::read_to_string(sb.path(&json_name)).unwrap(),
        sb.ok(&["export"])
    );
    let out = sb.run(&["--db", &db_name, "check"]);
    assert!(stdout_of(out).starts_with("ok:"));
    let mut names: Vec<String> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("db.db"))
        .collect();
    names.sort();
    let mut wanted = vec![json_name, db_name];
    wanted.sort();
    assert_eq!(names, wanted);
}

/// Runs `spridning --db db.db ARGS` under a 64 KiB file-size limit (`ulimit -f`).
fn limited(sb: &Sandbox, args: &[&str]) -> Output {
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
    c.output().expect("run spridning")
}

#[test]
fn a_file_size_limit_is_said_about_the_file_given_never_the_temporary_one() {
    let sb = Sandbox::sample();
    let before = sb.state();
    let long = long_name(".db");
    for (args, file) in [
        (vec!["backup", "copy.db"], "copy.db"),
        (vec!["backup", long.as_str()], long.as_str()),
        (vec!["export", "--out", "all.json"], "all.json"),
        (
            vec!["export", "--format", "csv", "--out", "all.csv"],
            "all.csv",
        ),
        (vec!["report", "--out", "r.xlsx"], "r.xlsx"),
    ] {
        let line = one_line_failure(
            &limited(&sb, &args),
            &[&format!("cannot write {file}: "), "file-size limit"],
        );
        assert!(
            !line.contains(".partial") && !line.contains("spridning-"),
            "{line}"
        );
        assert!(!line.contains("Error code"), "{line}");
    }
    let left: Vec<String> = std::fs::read_dir(sb.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("db.db"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(sb.state() == before);
}

/// A 64 KiB tmpfs mounted on `dir` for as long as it lives.
struct SmallDisk {
    dir: std::path::PathBuf,
}

impl SmallDisk {
    /// Mounts it (with `options` besides the size), or says why it cannot (not root, no
    /// mount in this container).
    fn mount(dir: std::path::PathBuf, options: &str) -> Result<SmallDisk, String> {
        std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
        let out = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size=64k{options}"), "tmpfs"])
            .arg(&dir)
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        Ok(SmallDisk { dir })
    }

    fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.dir).status();
    }
}

#[test]
#[cfg_attr(lacks_root, ignore = "mounting a small tmpfs needs root")]
fn a_full_disk_is_said_as_such_about_the_file_given() {
    let sb = Sandbox::sample();
    let disk = match SmallDisk::mount(sb.path("small"), "") {
        Ok(d) => d,
        Err(why) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("cannot mount a small tmpfs under CI=true: {why}")
        }
        Err(why) => {
            eprintln!("SKIPPED: cannot mount a small tmpfs (needs root): {why}");
            return;
        }
    };
    // 60 KB of the 64 taken: every file below needs more than is left.
    std::fs::write(disk.dir.join("filler"), vec![0u8; 60_000]).unwrap();
    let before = sb.state();
    for (args, file) in [
        (vec!["backup", "small/copy.db"], "small/copy.db"),
        (vec!["export", "--out", "small/all.json"], "small/all.json"),
        (
            vec!["export", "--format", "csv", "--out", "small/all.csv"],
            "small/all.csv",
        ),
        (
            vec!["matrix", "--all", "--format", "md", "--out", "small/m.md"],
            "small/m.md",
        ),
        (vec!["report", "--out", "small/r.xlsx"], "small/r.xlsx"),
        (
            vec!["report", "--format", "html", "--out", "small/r.html"],
            "small/r.html",
        ),
    ] {
        let line = one_line_failure(
            &sb.spr(&args),
            &[&format!("the disk holding {file} is full")],
        );
        assert!(
            !line.contains(".partial") && !line.contains("Error code"),
            "{line}"
        );
        assert_eq!(disk.names(), ["filler"], "{args:?} left files");
    }
    assert!(sb.state() == before);
    // A database on the full disk: its writes are refused in the same words.
    std::fs::remove_file(disk.dir.join("filler")).unwrap();
    let out = sb.run(&["init", "small/live.db"]);
    one_line_failure(&out, &["the disk holding small/live.db is full"]);
    assert!(disk.names().is_empty(), "{:?}", disk.names());
    // A read-only file system with room to spare is not called full.
    let ro = SmallDisk::mount(sb.path("ro"), ",ro").expect("mounted once already");
    for (args, file) in [
        (vec!["backup", "ro/copy.db"], "ro/copy.db"),
        (vec!["export", "--out", "ro/all.json"], "ro/all.json"),
    ] {
        let line = one_line_failure(
            &sb.spr(&args),
            &[&format!("cannot write {file}: Read-only file system")],
        );
        assert!(
            !line.contains("full") && !line.contains(".partial"),
            "{line}"
        );
    }
    assert!(ro.names().is_empty());
}

// --- CSV that opens as a formula ----------------------------------------------------------

const NOTE: &str = "=HYPERLINK(\"http://evil\",\"klick\")";
const SOURCE: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const REASON: &str = "-2+3+cmd|' /C calc'!A0";
const METHOD: &str = "=cmd|' /C calc'!A0";
const SHORT: &str = "@SUM(1+1)";
const PLAIN_METHOD: &str = "+46 8 508 000 00";
const AREA: &str = "-area";
const UNIT: &str = "=1+1 enhet";
const REGION: &str = "+region";

/// A database whose every kind of text begins like a formula.
fn hostile() -> Sandbox {
    let sb = Sandbox::init();
    let data = json!({
        "spridning": 1,
        "units": [
            {"code": "XQ", "name": UNIT, "kind": "district", "region": REGION,
             "valid_from": "2000-01-01"}
        ],
        "methods": [
            {"name": METHOD, "short_name": SHORT, "kind": "intervention", "area": AREA},
            {"name": PLAIN_METHOD, "kind": "instrument", "area": AREA}
        ],
        "events": [
            {"method": SHORT, "unit": "XQ", "stage": "pilot", "date": "2020-01",
             "note": NOTE, "source": SOURCE, "recorded_by": "anna",
             "recorded_at": "2020-02-01T10:00:00Z"},
            {"method": PLAIN_METHOD, "unit": "FA", "stage": "pilot", "date": "2020-03",
             "note": NOTE, "source": SOURCE, "recorded_by": "anna",
             "recorded_at": "2020-04-01T10:00:00Z"},
            {"method": PLAIN_METHOD, "unit": "FA", "stage": "implemented", "date": "2021-01",
             "note": SOURCE, "source": NOTE, "recorded_by": "anna",
             "recorded_at": "2021-02-01T10:00:00Z", "retracted": true,
             "retraction": {"reason": REASON, "by": "bo", "at": "2021-03-01T10:00:00Z"}}
        ]
    });
    sb.write("hostile.json", &data.to_string());
    sb.ok(&["import", "hostile.json"]);
    sb.ok(&["retract", "2", &format!("--reason={REASON}")]);
    sb
}

/// The cells of a CSV text (`excel`: semicolons, CRLF, a byte-order mark).
fn cells(text: &str, excel: bool) -> Vec<String> {
    let text = if excel {
        text.strip_prefix('\u{feff}').expect("a byte-order mark")
    } else {
        text
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if excel { b';' } else { b',' })
        .from_reader(text.as_bytes());
    let mut all = Vec::new();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("not CSV: {e}\n{text}"));
        all.extend(record.iter().map(str::to_string));
    }
    all
}

fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

#[test]
fn no_csv_the_app_writes_holds_a_cell_that_opens_as_a_formula() {
    let sb = hostile();
    let commands: Vec<Vec<&str>> = vec![
        vec!["history", "--format", "csv"],
        vec!["history", "--method", SHORT, "--format", "csv"],
        vec!["export", "--format", "csv"],
        vec!["matrix", "--format", "csv"],
        vec!["matrix", "--format", "csv", "--all", "--roll-up"],
        vec!["methods", "--format", "csv"],
        vec!["methods", "--format", "csv", "--all"],
        vec!["units", "--format", "csv"],
        vec!["units", "--format", "csv", "--all"],
        vec!["metrics", "--format", "csv"],
        vec!["metrics", "--by", "unit", "--format", "csv"],
        vec!["activity", "--format", "csv"],
        vec!["stalled", "--format", "csv", "--all"],
    ];
    let mut quoted = BTreeSet::new();
    let mut outputs = 0;
    for excel in [false, true] {
        for args in &commands {
            let mut all: Vec<&str> = if excel { vec!["--excel"] } else { vec![] };
            all.extend(args);
            let text = sb.ok(&all);
            for cell in cells(&text, excel) {
                assert!(!formula_like(&cell), "{all:?}: a formula cell {cell:?}");
                if let Some(original) = cell.strip_prefix('\'') {
                    assert!(
                        formula_like(original),
                        "{all:?}: {cell:?} quoted for nothing"
                    );
                    quoted.insert(original.to_string());
                }
            }
            outputs += 1;
        }
        // And the same through --out.
        let mut all: Vec<&str> = if excel { vec!["--excel"] } else { vec![] };
        all.extend(["export", "--format", "csv", "--out", "out.csv", "--force"]);
        sb.ok(&all);
        let text = std::fs::read_to_string(sb.path("out.csv")).unwrap();
        assert!(cells(&text, excel).iter().all(|c| !formula_like(c)));
        outputs += 1;
    }
    assert_eq!(outputs, 2 * commands.len() + 2);
    // What follows each quote is the text as it was stored.
    let originals: BTreeSet<String> = [
        NOTE,
        SOURCE,
        METHOD,
        SHORT,
        PLAIN_METHOD,
        AREA,
        UNIT,
        REGION,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(quoted, originals);
    // The retraction reason is in the history's last column, behind its word.
    let history = sb.ok(&["history", "--format", "csv"]);
    assert!(
        cells(&history, false).contains(&format!("retracted: {REASON}")),
        "{history}"
    );
    // JSON stays exact.
    let json = sb.ok(&["export"]);
    for text in [NOTE, SOURCE, REASON, METHOD, SHORT, UNIT, REGION] {
        let quoted = serde_json::to_string(text).unwrap();
        assert!(
            json.contains(&quoted),
            "{text} is not in the JSON export as it is"
        );
        assert!(!json.contains(&serde_json::to_string(&format!("'{text}")).unwrap()));
    }
}
