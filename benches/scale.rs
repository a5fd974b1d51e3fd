//! `cargo bench --bench scale`: speed and memory at three sizes (S = sample.db, M, L), each
//! figure beside the same work done by the bare SQL query through rusqlite, with its target.
//! M and L are built with the scale generator into `target/scale/` when missing.
//!
//! Timings are medians (and p99 where many runs are taken) of wall time on whatever machine
//! runs this; the table says how many runs each figure took.

#![allow(unsafe_code, reason = "a child's peak memory is read with libc::wait4")]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};
use spridning::app::{App, Tab};
use spridning::domain::{EventDate, NewEvent, Stage};
use spridning::i18n::Lang;
use spridning::scale::{Spec, generate};
use spridning::store::Store;
use spridning::ui::{self, theme::Theme};

const BIN: &str = env!("CARGO_BIN_EXE_spridning");
const WIDTH: u16 = 120;
const HEIGHT: u16 = 40;

struct Row {
    figure: String,
    size: &'static str,
    median: Duration,
    p99: Option<Duration>,
    runs: usize,
    target: String,
    bare: Option<Duration>,
    note: String,
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let median = samples[samples.len() / 2];
    let p99 = samples[((samples.len() as f64 * 0.99).ceil() as usize)
        .saturating_sub(1)
        .min(samples.len() - 1)];
    (median, p99)
}

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Moves to `tab` the way a person does, with the Tab key, however many tabs there are.
fn go_to(app: &mut App, tab: Tab) {
    for _ in 0..=Tab::ALL.len() {
        if app.tab == tab && app.detail.is_none() {
            return;
        }
        app.handle_key(key(KeyCode::Tab));
    }
    panic!("{tab:?} is not reached with Tab");
}

fn open_app(db: &Path) -> App {
    let mut store = Store::open(db, "bench").expect("open");
    store.grant_owner();
    App::new(store, Lang::En, (WIDTH, HEIGHT)).expect("app")
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    let theme = Theme {
        color: true,
        ..Theme::default()
    };
    terminal.draw(|f| ui::draw(f, app, &theme)).expect("draw");
}

/// Keystroke → state change → frame drawn, `n` times; `keys` cycles.
fn keystrokes(app: &mut App, keys: &[KeyEvent], n: usize) -> Vec<Duration> {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
    draw(app, &mut terminal);
    (0..n)
        .map(|i| {
            time(|| {
                app.handle_key(keys[i % keys.len()]);
                draw(app, &mut terminal);
            })
            .1
        })
        .collect()
}

/// Runs a bare SQL statement `n` times, stepping through every row.
fn bare(db: &Path, sql: &str, params: &[&dyn rusqlite::ToSql], n: usize) -> Duration {
    let conn = rusqlite::Connection::open(db).expect("bare open");
    let mut stmt = conn.prepare(sql).expect("bare prepare");
    let samples = (0..n)
        .map(|_| {
            time(|| {
                let mut rows = stmt.query(params).expect("bare query");
                let mut k = 0;
                while let Ok(Some(_)) = rows.next() {
                    k += 1;
                }
                k
            })
            .1
        })
        .collect();
    stats(samples).0
}

/// The same SQL work a screen does, through plain rusqlite: `work` runs once per sample.
fn bare_work(db: &Path, n: usize, work: impl Fn(&rusqlite::Connection)) -> Duration {
    let conn = rusqlite::Connection::open(db).expect("bare open");
    work(&conn);
    stats((0..n).map(|_| time(|| work(&conn)).1).collect()).0
}

/// Runs one statement and reads every column of every row (as SQLite hands them out, with
/// no conversion into the app's types).
fn rows_of(conn: &rusqlite::Connection, sql: &str, params: &[&dyn rusqlite::ToSql]) -> usize {
    let mut stmt = conn.prepare_cached(sql).expect("prepare");
    let n = stmt.column_count();
    let mut rows = stmt.query(params).expect("query");
    let mut k = 0;
    while let Ok(Some(row)) = rows.next() {
        for i in 0..n {
            let _ = std::hint::black_box(row.get_ref(i));
        }
        k += 1;
    }
    k
}

/// The Methods table's SQL: count, window, and the stage counts of each visible row.
fn methods_sql(conn: &rusqlite::Connection, pattern: &str) {
    rows_of(
        conn,
        "SELECT count(*) FROM method WHERE search LIKE ?1",
        &[&pattern],
    );
    let mut stmt = conn
        .prepare_cached("SELECT id FROM method WHERE search LIKE ?1 ORDER BY sort_key, id LIMIT 35")
        .expect("prepare");
    let ids: Vec<i64> = stmt
        .query_map([pattern], |r| r.get(0))
        .expect("query")
        .filter_map(Result::ok)
        .collect();
    for id in ids {
        rows_of(
            conn,
            "SELECT stage, count(*), max(since) FROM adoption WHERE method_id = ?1 AND stage IS NOT NULL GROUP BY stage",
            &[&id],
        );
    }
}

/// A screen's SQL, run bare.
type BareSql = dyn Fn(&rusqlite::Connection);

/// The Activity list's SQL through plain rusqlite: the matches counted up to 1001, and the
/// newest screenful of them with their names.
fn activity_bare(conn: &rusqlite::Connection, condition: &str) {
    rows_of(
        conn,
        &format!("SELECT count(*) FROM (SELECT 1 FROM change c WHERE {condition} LIMIT 1001)"),
        &[],
    );
    rows_of(
        conn,
        &format!(
            "SELECT c.*, m.name, u.code FROM change c LEFT JOIN method m ON m.id = c.method_id
             LEFT JOIN unit u ON u.id = c.unit_id WHERE {condition} ORDER BY c.id DESC LIMIT 35"
        ),
        &[],
    );
}

fn working_copy(src: &Path, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-bench");
    std::fs::create_dir_all(&dir).expect("dir");
    let dst = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", dst.display()));
    }
    std::fs::copy(src, &dst).expect("copy");
    dst
}

fn ensure(spec: &Spec, name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/scale");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    if !path.exists() {
        eprintln!("building {} …", path.display());
        let tmp = dir.join(format!("{name}.building"));
        let _ = std::fs::remove_file(&tmp);
        // In a child process of its own: a child started later would otherwise inherit this
        // process's memory high-water mark (from the build) in its own peak-memory figure.
        let status = Command::new(std::env::current_exe().expect("this benchmark"))
            .args(["--generate", spec_name(spec)])
            .arg(&tmp)
            .status()
            .expect("run the generator");
        assert!(status.success(), "generating {name} failed");
        std::fs::rename(&tmp, &path).expect("rename");
    }
    path
}

/// Wall time, peak resident memory (kB) and success of a finished child, from wait4.
fn run_measured(cmd: &mut Command) -> (Duration, u64, bool) {
    let m = run_cpu(cmd);
    (m.wall, m.kb, m.ok)
}

/// What a child took: wall time, CPU time (user + system), peak resident memory (kB).
struct Taken {
    wall: Duration,
    cpu: Duration,
    kb: u64,
    ok: bool,
}

fn run_cpu(cmd: &mut Command) -> Taken {
    let start = Instant::now();
    let child = cmd.spawn().expect("spawn");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and we wait for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    std::mem::forget(child);
    let of = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Taken {
        wall,
        cpu: of(usage.ru_utime) + of(usage.ru_stime),
        kb: usage.ru_maxrss as u64,
        ok: status == 0,
    }
}

/// Figure 33: another person's commit, as an open session sees it at L: the change log read
/// since the last look, and the screen fetched again and drawn only when the change is on
/// it. Per tab, for a commit to a method and unit off screen (most commits, with hundreds
/// of people on one register) and for one on screen. Bare: the change log's rows since a
/// mark, the read every session makes per commit.
fn live(rows: &mut Vec<Row>, db: &Path, runs: usize) {
    let mut writer = Store::open(db, "bench-writer").expect("open");
    writer.grant_owner();
    let methods: Vec<i64> = writer
        .methods()
        .expect("methods")
        .iter()
        .map(|m| m.id)
        .collect();
    let units: Vec<i64> = writer
        .units()
        .expect("units")
        .iter()
        .filter(|u| u.valid_to.is_none())
        .map(|u| u.id)
        .collect();
    let mut turn = 0usize;
    let mut record = |writer: &mut Store, method_id: i64, unit_id: i64| {
        turn += 1;
        writer
            .record_stage(&NewEvent {
                method_id,
                unit_id,
                stage: if turn.is_multiple_of(2) {
                    Stage::Exploring
                } else {
                    Stage::Pilot
                },
                date: EventDate::today(),
                note: format!("live {turn}"),
                source: String::new(),
            })
            .expect("record");
    };
    let tabs: [(&str, Tab, &[KeyEvent]); 6] = [
        ("Methods", Tab::Methods, &[]),
        ("Units", Tab::Units, &[]),
        ("Matrix", Tab::Matrix, &[]),
        ("Spread", Tab::Spread, &[]),
        (
            "Spread sorted by reach",
            Tab::Spread,
            &[KeyEvent::new(KeyCode::Char('o'), KeyModifiers::NONE)],
        ),
        ("Activity", Tab::Activity, &[]),
    ];
    for (name, tab, keys) in tabs {
        let mut app = open_app(db);
        go_to(&mut app, tab);
        for k in keys {
            app.handle_key(*k);
        }
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
        draw(&app, &mut terminal);
        // What the screen shows: its first method and unit.
        let shown_method = match tab {
            Tab::Methods => app.tabs.methods.list.rows.first().map(|m| m.id),
            Tab::Matrix => app.tabs.matrix.methods.first().map(|m| m.id),
            Tab::Spread => app.tabs.spread.rows.rows.first().map(|m| m.id),
            _ => None,
        }
        .unwrap_or(methods[0]);
        let shown_unit = match tab {
            Tab::Units => app.tabs.units.list.rows.first().map(|u| u.id),
            Tab::Matrix => app.tabs.matrix.units.first().map(|u| u.id),
            _ => None,
        }
        .unwrap_or(units[0]);
        let off = (methods[methods.len() / 2 + 1], units[units.len() / 2 + 1]);
        for (place, (method_id, unit_id)) in [
            ("off screen", off),
            ("on screen", (shown_method, shown_unit)),
        ] {
            let fetched = app.fetches;
            let samples: Vec<Duration> = (0..runs)
                .map(|_| {
                    record(&mut writer, method_id, unit_id);
                    time(|| {
                        app.poll_now();
                        if app.tick() {
                            draw(&app, &mut terminal);
                        }
                    })
                    .1
                })
                .collect();
            let fetches = app.fetches - fetched;
            let (median, p99) = stats(samples);
            rows.push(Row {
                figure: format!("33 another's commit seen, {name}, {place}"),
                size: "L",
                median,
                p99: Some(p99),
                runs,
                target: "≤ 16 ms".into(),
                bare: Some(bare(
                    db,
                    "SELECT kind, method_id, unit_id FROM change WHERE id > (SELECT max(id) - 1 FROM change)",
                    &[],
                    runs,
                )),
                note: format!("the screen fetched {fetches} times in {runs}; bare: the log's new row"),
            });
        }
    }
}

/// Figure 32: `authorized-keys`, what sshd runs on every login with a key, as a whole
/// process on the L register with a person's key in it, for a registered key and for an
/// unknown one (the answer sshd waits for). Bare: the key's lookup in SQL.
fn authorized_keys(rows: &mut Vec<Row>, db: &Path, runs: usize) {
    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJGT4xpNGUaSCf1tA1Hs61sbt9Q8MaHRRaeYPuV0JUmJ bertil@laptop";
    let unit: String = rusqlite::Connection::open(db)
        .expect("open")
        .query_row("SELECT code FROM unit LIMIT 1", [], |r| r.get(0))
        .expect("a unit");
    let added = Command::new(BIN)
        .arg("--db")
        .arg(db)
        .args([
            "user", "add", "bertil", "--role", "member", "--unit", &unit, "--key", KEY,
        ])
        .output()
        .expect("user add");
    assert!(added.status.success(), "{added:?}");
    let account = spridning::identity::os_login();
    let body = KEY.split(' ').nth(1).expect("a body");
    let unknown = body.replace('J', "K");
    for (which, key) in [
        ("a registered key", body),
        ("an unknown key", unknown.as_str()),
    ] {
        let samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = run_cpu(
                    Command::new(BIN)
                        .arg("--db")
                        .arg(db)
                        .args(["authorized-keys", &account, "ssh-ed25519", key])
                        .stdout(std::process::Stdio::null()),
                );
                assert!(t.ok, "authorized-keys failed");
                t.wall
            })
            .collect();
        let (median, p99) = stats(samples);
        rows.push(Row {
            figure: format!("32 authorized-keys, {which} (process)"),
            size: "L",
            median,
            p99: Some(p99),
            runs,
            target: "≤ 50 ms".into(),
            bare: Some(bare(
                db,
                "SELECT login FROM user_key WHERE kind = 'ssh-ed25519' AND body = ?1",
                &[&key],
                runs,
            )),
            note: "a whole process, as sshd starts it; bare: the key's lookup".into(),
        });
    }
}

/// Whether a program is on the PATH (the side-by-side figures need `sqlite3`).
fn have(program: &str) -> bool {
    Command::new(program)
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Figures 29–31, whole processes at L, CPU time (user + system) beside the same work done by
/// the `sqlite3` shell, runs alternated so that both see the same machine:
/// 29 `import` of the L export against `sqlite3 .import` of its events as CSV (a table with
/// no index and no rule: the floor of loading the rows); 30 `matrix --format csv` against
/// the bare GROUP BY that gives each method's stages; 31 `report --format xlsx` (no bare).
/// Each row's median is CPU time; wall time and peak memory are in the note.
fn heavy(rows: &mut Vec<Row>, db: &Path, runs: usize) {
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-bench");
    std::fs::create_dir_all(&out_dir).expect("dir");
    let sqlite3 = have("sqlite3");
    if !sqlite3 {
        eprintln!("NOTE: sqlite3 is not installed: figures 29 and 30 have no bare column");
    }
    let json = out_dir.join("l-heavy.json");
    let csv = out_dir.join("l-heavy.csv");
    for (format, file) in [("json", &json), ("csv", &csv)] {
        let t = run_cpu(
            Command::new(BIN)
                .arg("--db")
                .arg(db)
                .args(["export", "--format", format, "--force", "--out"])
                .arg(file),
        );
        assert!(t.ok, "export --format {format} failed");
    }
    let fresh = |name: &str| {
        let path = out_dir.join(name);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        path
    };
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    let (mut wall, mut peak, mut bare_peak) = (Vec::new(), 0, 0);
    for _ in 0..runs {
        let target = fresh("l-heavy-import.db");
        let ok = Command::new(BIN)
            .arg("init")
            .arg(&target)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("init")
            .success();
        assert!(ok, "init failed");
        let t = run_cpu(
            Command::new(BIN)
                .arg("--db")
                .arg(&target)
                .arg("import")
                .arg(&json)
                .stdout(std::process::Stdio::null()),
        );
        assert!(t.ok, "import failed");
        ours.push(t.cpu);
        wall.push(t.wall);
        peak = peak.max(t.kb);
        if sqlite3 {
            let bare_db = fresh("l-heavy-sqlite3.db");
            let t = run_cpu(
                Command::new("sqlite3")
                    .arg(&bare_db)
                    .arg(format!(".import --csv {} events", csv.display())),
            );
            assert!(t.ok, "sqlite3 .import failed");
            theirs.push(t.cpu);
            bare_peak = bare_peak.max(t.kb);
        }
    }
    let (median, slowest) = stats(ours);
    rows.push(Row {
        figure: "29 import of the L export, CPU (process)".into(),
        size: "L",
        median,
        p99: Some(slowest),
        runs,
        target: "≤ 3× bare, ≤ 64 MB".into(),
        bare: (!theirs.is_empty()).then(|| stats(theirs).0),
        note: format!(
            "wall {}; peak {} MB (bare {} MB); bare: sqlite3 .import of its events as CSV; \
             p99 = the slowest run",
            ms(stats(wall).0),
            peak / 1024,
            bare_peak / 1024
        ),
    });
    // The matrix as CSV: the method's row of stages, one per unit, as a GROUP BY gives it.
    let group_by = "SELECT m.name, group_concat(u.code || '=' || a.stage, ';')
                    FROM adoption a JOIN method m ON m.id = a.method_id
                    JOIN unit u ON u.id = a.unit_id
                    WHERE a.stage IS NOT NULL GROUP BY a.method_id ORDER BY m.sort_key";
    let (mut ours, mut theirs, mut peak) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs.max(10) {
        let t = run_cpu(
            Command::new(BIN)
                .arg("--db")
                .arg(db)
                .args(["matrix", "--format", "csv"])
                .stdout(std::process::Stdio::null()),
        );
        assert!(t.ok, "matrix failed");
        ours.push(t.cpu);
        peak = peak.max(t.kb);
        if sqlite3 {
            let t = run_cpu(
                Command::new("sqlite3")
                    .args(["-readonly", "-csv"])
                    .arg(db)
                    .arg(group_by)
                    .stdout(std::process::Stdio::null()),
            );
            assert!(t.ok, "sqlite3 GROUP BY failed");
            theirs.push(t.cpu);
        }
    }
    let n = ours.len();
    let (median, p99) = stats(ours);
    rows.push(Row {
        figure: "30 matrix --format csv, CPU (process)".into(),
        size: "L",
        median,
        p99: Some(p99),
        runs: n,
        target: "≤ 1.5× bare".into(),
        bare: (!theirs.is_empty()).then(|| stats(theirs).0),
        note: format!(
            "peak {} MB; bare: sqlite3 -csv, each method's stages by one GROUP BY",
            peak / 1024
        ),
    });
    let file = out_dir.join("l-heavy.xlsx");
    let (mut cpu, mut wall, mut peak) = (Vec::new(), Vec::new(), 0);
    for _ in 0..runs {
        let t = run_cpu(
            Command::new(BIN)
                .arg("--db")
                .arg(db)
                .args([
                    "--lang", "sv", "report", "--format", "xlsx", "--force", "--out",
                ])
                .arg(&file)
                .stdout(std::process::Stdio::null()),
        );
        assert!(t.ok, "report --format xlsx failed");
        cpu.push(t.cpu);
        wall.push(t.wall);
        peak = peak.max(t.kb);
    }
    let (median, slowest) = stats(wall);
    rows.push(Row {
        figure: "31 report --format xlsx, every method, wall (process)".into(),
        size: "L",
        median,
        p99: Some(slowest),
        runs,
        target: "≤ 10 s, ≤ 64 MB".into(),
        bare: None,
        note: format!(
            "CPU {}; peak {} MB; {} MB file; p99 = the slowest run",
            ms(stats(cpu).0),
            peak / 1024,
            std::fs::metadata(&file)
                .map(|m| m.len() / 1_000_000)
                .unwrap_or(0)
        ),
    });
}

/// Bytes the real crossterm backend writes for one key after a first frame.
fn bytes_for(db: &Path, setup: &[KeyEvent], key_event: KeyEvent) -> usize {
    #[derive(Clone)]
    struct Counter(Arc<Mutex<usize>>);
    impl Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            *self.0.lock().expect("lock") += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let count = Arc::new(Mutex::new(0));
    let backend = CrosstermBackend::new(Counter(count.clone()));
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
        },
    )
    .expect("terminal");
    let mut app = open_app(db);
    let theme = Theme {
        color: true,
        ..Theme::default()
    };
    for k in setup {
        app.handle_key(*k);
    }
    terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draw");
    *count.lock().expect("lock") = 0;
    app.handle_key(key_event);
    terminal.draw(|f| ui::draw(f, &app, &theme)).expect("draw");
    *count.lock().expect("lock")
}

/// Peak resident memory of the real app in a pseudo-terminal after visiting every tab.
fn tui_peak_kb(db: &Path) -> u64 {
    use portable_pty::{CommandBuilder, PtySize, native_pty_system};
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: HEIGHT,
            cols: WIDTH,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(BIN);
    cmd.arg("--db");
    cmd.arg(db);
    cmd.env("TERM", "xterm-256color");
    let mut child = pty.slave.spawn_command(cmd).expect("spawn");
    let mut reader = pty.master.try_clone_reader().expect("reader");
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while matches!(reader.read(&mut buf), Ok(n) if n > 0) {}
    });
    let mut writer = pty.master.take_writer().expect("writer");
    let pid = child.process_id().expect("pid");
    std::thread::sleep(Duration::from_millis(1500));
    for keys in [
        "\t", "\t", "\x1b[F", "\t", "\x1b[Z", "\x1b[Z", "\x1b[Z", "\r", "\x1b",
    ] {
        writer.write_all(keys.as_bytes()).expect("write");
        writer.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(700));
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    writer.write_all(b"q").expect("quit");
    let _ = child.wait();
    kb
}

fn interactive(rows: &mut Vec<Row>, size: &'static str, db: &Path, runs: usize) {
    let target = |ms: u64| {
        if size == "S" {
            "≤ 10 ms".to_string()
        } else {
            format!("≤ {ms} ms p99")
        }
    };
    // 1. Open the database and draw the first full frame.
    let samples: Vec<Duration> = (0..runs.min(30))
        .map(|_| {
            time(|| {
                let app = open_app(db);
                let mut terminal =
                    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
                draw(&app, &mut terminal);
            })
            .1
        })
        .collect();
    let n = samples.len();
    let (median, p99) = stats(samples);
    let bare_open = stats(
        (0..n)
            .map(|_| {
                time(|| {
                    let conn = rusqlite::Connection::open(db).expect("open");
                    conn.pragma_update(None, "foreign_keys", true)
                        .expect("pragma");
                    methods_sql(&conn, "%%");
                })
                .1
            })
            .collect(),
    )
    .0;
    rows.push(Row {
        figure: "1 open + first frame".into(),
        size,
        median,
        p99: Some(p99),
        runs: n,
        target: if size == "L" {
            "≤ 150 ms".into()
        } else {
            target(150)
        },
        bare: Some(bare_open),
        note: String::new(),
    });

    // 2. One keystroke of `/` filtering, in Methods and in Activity.
    let typed: Vec<KeyEvent> = "stöd"
        .chars()
        .map(|c| key(KeyCode::Char(c)))
        .chain((0..4).map(|_| key(KeyCode::Backspace)))
        .collect();
    let activity_sql = |conn: &rusqlite::Connection| {
        activity_bare(
            conn,
            "(c.method_id IN (SELECT id FROM method WHERE search LIKE '%stö%')
              OR c.unit_id IN (SELECT id FROM unit WHERE search LIKE '%stö%')
              OR c.login IN (SELECT login FROM recorder WHERE lower(login) LIKE '%stö%'))",
        )
    };
    let methods_filter = |conn: &rusqlite::Connection| methods_sql(conn, "%stö%");
    let table: [(Tab, &str, &BareSql); 2] = [
        (Tab::Methods, "2 filter keystroke, Methods", &methods_filter),
        (Tab::Activity, "2 filter keystroke, Activity", &activity_sql),
    ];
    for (tab, name, sql) in table {
        let mut app = open_app(db);
        go_to(&mut app, tab);
        app.handle_key(key(KeyCode::Char('/')));
        let (median, p99) = stats(keystrokes(&mut app, &typed, runs));
        rows.push(Row {
            figure: name.into(),
            size,
            median,
            p99: Some(p99),
            runs,
            target: target(16),
            bare: Some(bare_work(db, runs.min(50), |conn| sql(conn))),
            note: String::new(),
        });
    }

    // 3. Page down in the Matrix; jump to the far corner and back.
    let mut app = open_app(db);
    go_to(&mut app, Tab::Matrix);
    let (median, p99) = stats(keystrokes(&mut app, &[key(KeyCode::PageDown)], runs));
    // The matrix's SQL: the unit columns, the method count, a window of labels, and the
    // visible cells by the (method, unit) index.
    let bare_page = bare_work(db, runs.min(50), |conn| {
        rows_of(
            conn,
            "SELECT u.id, u.code, u.name, u.kind, u.region, u.valid_from, u.valid_to FROM unit u ORDER BY (u.kind <> 'district'), coalesce(u.region, ''), u.sort_key, u.id",
            &[],
        );
        rows_of(conn, "SELECT count(*) FROM method", &[]);
        let mut stmt = conn
            .prepare_cached("SELECT id FROM method ORDER BY sort_key, id LIMIT 34 OFFSET 0")
            .expect("prepare");
        let methods: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .expect("q")
            .filter_map(Result::ok)
            .collect();
        let mut stmt = conn.prepare_cached("SELECT id FROM unit ORDER BY (kind <> 'district'), coalesce(region, ''), sort_key, id LIMIT 18").expect("prepare");
        let units: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .expect("q")
            .filter_map(Result::ok)
            .collect();
        for m in &methods {
            for u in &units {
                rows_of(
                    conn,
                    "SELECT stage FROM adoption WHERE method_id = ?1 AND unit_id = ?2 AND stage IS NOT NULL",
                    &[m, u],
                );
            }
        }
    });
    rows.push(Row {
        figure: "3 matrix page down".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: target(16),
        bare: Some(bare_page),
        note: String::new(),
    });
    let (median, p99) = stats(keystrokes(
        &mut app,
        &[key(KeyCode::End), key(KeyCode::Home)],
        runs,
    ));
    rows.push(Row {
        figure: "3 matrix far corner".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: target(16),
        bare: Some(bare_page),
        note: "End, Home alternately".into(),
    });

    // 9. Step the day every screen shows a year back and forward (in the past, so the stage
    // of every visible adoption is found from its events), on Methods and on the Matrix.
    let past_counts = |conn: &rusqlite::Connection| {
        let mut stmt = conn
            .prepare_cached("SELECT id FROM method ORDER BY sort_key, id LIMIT 35")
            .expect("prepare");
        let methods: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .expect("q")
            .filter_map(Result::ok)
            .collect();
        for m in &methods {
            rows_of(
                conn,
                "SELECT e.stage, count(*), max(e.effective) FROM adoption a
                 JOIN unit u ON u.id = a.unit_id
                 JOIN stage_event e ON e.id = (
                     SELECT x.id FROM stage_event x WHERE x.adoption_id = a.id
                       AND x.effective <= '2020-06-01'
                       AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = x.id)
                     ORDER BY x.effective DESC, x.id DESC LIMIT 1)
                 WHERE a.method_id = ?1
                   AND (u.valid_from IS NULL OR u.valid_from <= '2020-06-01')
                   AND (u.valid_to IS NULL OR u.valid_to >= '2020-06-01')
                 GROUP BY e.stage",
                &[m],
            );
        }
    };
    let past_cells = |conn: &rusqlite::Connection| {
        let mut stmt = conn
            .prepare_cached("SELECT id FROM method ORDER BY sort_key, id LIMIT 34")
            .expect("prepare");
        let methods: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .expect("q")
            .filter_map(Result::ok)
            .collect();
        let mut stmt = conn.prepare_cached("SELECT id FROM unit ORDER BY (kind <> 'district'), coalesce(region, ''), sort_key, id LIMIT 18").expect("prepare");
        let units: Vec<i64> = stmt
            .query_map([], |r| r.get(0))
            .expect("q")
            .filter_map(Result::ok)
            .collect();
        for m in &methods {
            for u in &units {
                rows_of(
                    conn,
                    "SELECT e.stage FROM adoption a JOIN stage_event e ON e.id = (
                         SELECT x.id FROM stage_event x WHERE x.adoption_id = a.id
                           AND x.effective <= '2020-06-01'
                           AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = x.id)
                         ORDER BY x.effective DESC, x.id DESC LIMIT 1)
                     WHERE a.method_id = ?1 AND a.unit_id = ?2",
                    &[m, u],
                );
            }
        }
    };
    let as_of_table: [(Tab, &str, &BareSql); 2] = [
        (
            Tab::Methods,
            "9 as-of a year back/forward, Methods",
            &past_counts,
        ),
        (
            Tab::Matrix,
            "9 as-of a year back/forward, Matrix",
            &past_cells,
        ),
    ];
    for (tab, name, sql) in as_of_table {
        let mut app = open_app(db);
        go_to(&mut app, tab);
        for k in [key(KeyCode::Char('[')), key(KeyCode::Char('['))] {
            app.handle_key(k);
        }
        let steps = [key(KeyCode::Char('[')), key(KeyCode::Char(']'))];
        let (median, p99) = stats(keystrokes(&mut app, &steps, runs.min(60)));
        rows.push(Row {
            figure: name.into(),
            size,
            median,
            p99: Some(p99),
            runs: runs.min(60),
            target: if size == "S" {
                "≤ 10 ms".to_string()
            } else {
                "≤ 100 ms p99".to_string()
            },
            bare: Some(bare_work(db, runs.min(20), |conn| sql(conn))),
            note: "two and three years back".into(),
        });
    }

    // 10. Page down in the rolled-up Matrix (R): the visible cells, and for the visible units
    // their predecessors' stages through the lineage.
    let mut app = open_app(db);
    go_to(&mut app, Tab::Matrix);
    app.handle_key(key(KeyCode::Char('R')));
    let (median, p99) = stats(keystrokes(&mut app, &[key(KeyCode::PageDown)], runs));
    let bare_rolled = bare_work(db, runs.min(50), |conn| {
        rows_of(
            conn,
            "WITH RECURSIVE chain(root, id, depth) AS (
                 SELECT id, id, 0 FROM unit WHERE valid_to IS NULL
                 UNION SELECT c.root, l.predecessor_id, c.depth + 1 FROM unit_lineage l
                 JOIN chain c ON l.successor_id = c.id WHERE c.depth < 50)
             SELECT c.root, a.method_id, a.stage FROM chain c JOIN adoption a ON a.unit_id = c.id
             WHERE c.id <> c.root AND a.method_id IN (SELECT id FROM method ORDER BY sort_key LIMIT 34)",
            &[],
        );
    });
    rows.push(Row {
        figure: "10 rolled-up matrix page down".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: target(16),
        bare: Some(bare_page + bare_rolled),
        note: "R; bare: the page's SQL and the lineage query".into(),
    });

    // 11. The Spread tab's first frame (name order: the window's figures only), and a sort
    // by units in use (every method's figures).
    let samples: Vec<Duration> = (0..runs.min(30))
        .map(|_| {
            let mut app = open_app(db);
            let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
            // The tab before Spread: the Tab key timed arrives on Spread.
            go_to(&mut app, Tab::Spread.step(-1));
            time(|| {
                app.handle_key(key(KeyCode::Tab));
                draw(&app, &mut terminal);
            })
            .1
        })
        .collect();
    let n = samples.len();
    let (median, p99) = stats(samples);
    let bare_spread = bare_work(db, n.min(10), |conn| {
        rows_of(
            conn,
            "SELECT a.method_id, a.unit_id, e.stage, e.effective FROM adoption a
             JOIN stage_event e ON e.adoption_id = a.id
             WHERE a.method_id IN (SELECT id FROM method ORDER BY sort_key, id LIMIT 35)
               AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = e.id)
             ORDER BY a.id, e.effective, e.id",
            &[],
        );
    });
    rows.push(Row {
        figure: "11 Spread tab first frame".into(),
        size,
        median,
        p99: Some(p99),
        runs: n,
        target: if size == "S" {
            "≤ 10 ms".to_string()
        } else {
            "≤ 150 ms p99".to_string()
        },
        bare: Some(bare_spread),
        note: "name order".into(),
    });
    rows.push(spread_first_sort(size, db, runs.min(10), Duration::ZERO));

    // 12. The Activity filter for every kind of pattern: the keystroke that completes it
    // (state change, store queries and frame), the row count included. Selective: one
    // method's changes among a million; no match; a person; a period; a common word and a
    // person together (both match many, together fewer).
    let last_month = "2025-12";
    let patterns: [(&str, String, String); 6] = [
        (
            "selective (one method)",
            "m999 ".into(),
            "c.method_id IN (SELECT id FROM method WHERE search LIKE '%m999%')".into(),
        ),
        (
            "no match",
            "zzqx".into(),
            "c.method_id IN (SELECT id FROM method WHERE search LIKE '%zzqx%')
             OR c.unit_id IN (SELECT id FROM unit WHERE search LIKE '%zzqx%')
             OR c.login IN (SELECT login FROM recorder WHERE lower(login) LIKE '%zzqx%')"
                .into(),
        ),
        (
            "person (by:)",
            "by:user7 ".into(),
            "c.login = 'user7'".into(),
        ),
        (
            "period (since:)",
            format!("since:{last_month} "),
            format!("c.at >= '{last_month}'"),
        ),
        (
            "old period (until:)",
            "until:2001-02 ".into(),
            "c.at < '2001-03'".into(),
        ),
        (
            "common word + person",
            "stöd by:user7".into(),
            "(c.method_id IN (SELECT id FROM method WHERE search LIKE '%stöd%')
              OR c.unit_id IN (SELECT id FROM unit WHERE search LIKE '%stöd%'))
             AND c.login = 'user7'"
                .into(),
        ),
    ];
    for (name, pattern, condition) in patterns {
        let mut app = open_app(db);
        go_to(&mut app, Tab::Activity);
        app.handle_key(key(KeyCode::Char('/')));
        let chars: Vec<char> = pattern.chars().collect();
        let (last, before) = chars.split_last().expect("a pattern");
        for c in before {
            app.handle_key(key(KeyCode::Char(*c)));
        }
        // Typing the last character, then taking it back: only the first is measured.
        let samples = keystrokes(
            &mut app,
            &[key(KeyCode::Char(*last)), key(KeyCode::Backspace)],
            2 * runs,
        );
        let (median, p99) = stats(samples.into_iter().step_by(2).collect());
        rows.push(Row {
            figure: format!("12 Activity filter, {name}"),
            size,
            median,
            p99: Some(p99),
            runs,
            target: target(16),
            bare: Some(bare_work(db, runs.min(50), |conn| {
                activity_bare(conn, &condition)
            })),
            note: format!("`{}`", pattern.trim()),
        });
    }

    // 13. The Matrix for reviewing: the keystroke that completes a filter (an area and a
    // stage: every method's row is counted over every column), and `o` turning the sort by
    // spread on, today and a year back (every cell's stage then).
    let matrix_keys = |app: &mut App, before: &[KeyEvent], pattern: &str| {
        for k in before {
            app.handle_key(*k);
        }
        go_to(app, Tab::Matrix);
        app.handle_key(key(KeyCode::Char('f')));
        for c in pattern.chars() {
            app.handle_key(key(KeyCode::Char(c)));
        }
    };
    let mut app = open_app(db);
    matrix_keys(&mut app, &[], "område:socialmedicin steg:pilo");
    let (median, p99) = stats(
        keystrokes(
            &mut app,
            &[key(KeyCode::Char('t')), key(KeyCode::Backspace)],
            2 * runs,
        )
        .into_iter()
        .step_by(2)
        .collect(),
    );
    let units_today = "SELECT id FROM unit WHERE (valid_from IS NULL OR valid_from <= date('now')) AND (valid_to IS NULL OR valid_to >= date('now'))";
    let bare_filter = bare_work(db, runs.min(20), |conn| {
        rows_of(
            conn,
            &format!(
                "SELECT a.method_id, a.stage, count(*) FROM adoption a
                 WHERE a.unit_id IN ({units_today})
                   AND a.method_id IN (SELECT id FROM method WHERE area LIKE '%socialmedicin%')
                   AND a.stage IS NOT NULL GROUP BY 1, 2"
            ),
            &[],
        );
    });
    rows.push(Row {
        figure: "13 matrix filter keystroke (area: stage:)".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: target(16),
        bare: Some(bare_filter),
        note: "`område:socialmedicin steg:pilot`".into(),
    });
    for (label, before) in [
        ("today", vec![]),
        ("a year back", vec![key(KeyCode::Char('['))]),
    ] {
        let mut app = open_app(db);
        matrix_keys(&mut app, &before, "");
        app.handle_key(key(KeyCode::Enter));
        let n = if size == "L" { runs.min(10) } else { runs };
        let samples = keystrokes(&mut app, &[key(KeyCode::Char('o'))], 2 * n);
        let (median, p99) = stats(samples.into_iter().step_by(2).collect());
        let bare_sort = bare_work(db, n.min(10), |conn| {
            rows_of(
                conn,
                &format!(
                    "SELECT a.method_id, a.stage, count(*) FROM adoption a
                     WHERE a.unit_id IN ({units_today}) AND a.stage IS NOT NULL GROUP BY 1, 2"
                ),
                &[],
            );
        });
        rows.push(Row {
            figure: format!("13 matrix sort by spread, {label}"),
            size,
            median,
            p99: Some(p99),
            runs: n,
            target: String::new(),
            bare: Some(bare_sort),
            note: "every method's row over every column; bare: today's counts".into(),
        });
    }

    // 4. Open the method detail with the most adoptions.
    let conn = rusqlite::Connection::open(db).expect("open");
    let (busiest, label): (i64, String) = conn
        .query_row(
            "SELECT a.method_id, coalesce(m.short_name, m.name) FROM adoption a JOIN method m ON m.id = a.method_id GROUP BY a.method_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("busiest");
    // Find it as a person would (filter by its short name), then Enter opens it, Esc closes.
    let mut app = open_app(db);
    app.handle_key(key(KeyCode::Char('/')));
    for c in label.chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
    app.handle_key(key(KeyCode::Enter));
    let both = keystrokes(
        &mut app,
        &[key(KeyCode::Enter), key(KeyCode::Esc)],
        runs * 2,
    );
    let samples: Vec<Duration> = both.into_iter().step_by(2).collect();
    let (median, p99) = stats(samples);
    rows.push(Row {
        figure: "4 busiest method detail".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: target(16),
        // The detail's SQL: the method, every unit's current stage, the latest 500 events,
        // and its events for the per-year chart.
        bare: Some(bare_work(db, runs.min(50), |conn| {
            rows_of(conn, "SELECT * FROM method WHERE id = ?1", &[&busiest]);
            rows_of(conn, "SELECT u.code, u.name, a.stage, a.since, e.note FROM adoption a JOIN unit u ON u.id = a.unit_id LEFT JOIN stage_event e ON e.id = a.current_event_id WHERE a.method_id = ?1 AND a.stage IS NOT NULL ORDER BY (u.kind <> 'district'), u.region, u.sort_key", &[&busiest]);
            rows_of(conn, "SELECT e.id, e.stage, e.effective, e.note, e.source, m.name, u.code FROM stage_event e JOIN adoption a ON a.id = e.adoption_id JOIN method m ON m.id = a.method_id JOIN unit u ON u.id = a.unit_id LEFT JOIN retraction r ON r.event_id = e.id WHERE a.method_id = ?1 ORDER BY e.effective DESC, e.id DESC LIMIT 500", &[&busiest]);
            rows_of(conn, "SELECT a.id, e.effective, e.stage FROM stage_event e JOIN adoption a ON a.id = e.adoption_id WHERE a.method_id = ?1 AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = e.id) ORDER BY e.effective, e.id", &[&busiest]);
        })),
        note: label,
    });

    // 5. Record one stage event, commit included.
    let mut writer = {
        let mut s = Store::open(db, "bench").expect("open");
        s.grant_owner();
        s
    };
    let (unit_id, _) = writer.find_unit("KH").expect("KH");
    let samples: Vec<Duration> = (0..runs.min(100))
        .map(|i| {
            time(|| {
                writer
                    .record_stage(&NewEvent {
                        method_id: busiest,
                        unit_id,
                        stage: Stage::ALL[i % 7],
                        date: EventDate::today(),
                        note: "bench".into(),
                        source: String::new(),
                    })
                    .expect("record")
            })
            .1
        })
        .collect();
    let n = samples.len();
    let (median, p99) = stats(samples);
    let bare_insert = {
        let conn = rusqlite::Connection::open(db).expect("open");
        conn.pragma_update(None, "synchronous", "FULL")
            .expect("sync");
        let samples = (0..n)
            .map(|_| {
                time(|| {
                    conn.execute_batch(
                        "BEGIN IMMEDIATE;
                         INSERT INTO stage_event (adoption_id, stage, effective, note, source, recorded_at, recorded_by)
                           VALUES (1, 'pilot', '2024-01-01', 'bare', '', '2024-01-01T00:00:00Z', 'bench');
                         COMMIT;",
                    )
                    .expect("bare insert")
                })
                .1
            })
            .collect();
        stats(samples).0
    };
    rows.push(Row {
        figure: "5 record one event".into(),
        size,
        median,
        p99: Some(p99),
        runs: n,
        target: if size == "S" {
            "≤ 10 ms".into()
        } else {
            "≤ 5 ms median".into()
        },
        bare: Some(bare_insert),
        note: "commit with synchronous=FULL".into(),
    });
    let _ = writer;

    slides(rows, size, db, runs);
}

/// The app on `db` with the presentation open (`P`: every method, by spread, as of today).
fn open_deck(db: &Path) -> App {
    let mut app = open_app(db);
    app.handle_key(key(KeyCode::Char('P')));
    assert!(app.deck.is_some(), "P opens the presentation");
    app
}

/// Figure 15's step onto the stalled pilots (End), a fresh deck each run, on any register:
/// plain L, whose old stages are nearly all stale, and L plus a million confirmations,
/// whose stages are nearly all fresh, are its two ends. Bare: the first page's rows as one
/// query, with the index SQLite chooses.
fn onto_stalled(size: &'static str, db: &Path, runs: usize) -> Row {
    let samples: Vec<Duration> = (0..runs)
        .map(|_| keystrokes(&mut open_deck(db), &[key(KeyCode::End)], 1)[0])
        .collect();
    let (median, p99) = stats(samples);
    let fresh: i64 = rusqlite::Connection::open(db)
        .expect("open")
        .query_row(
            "SELECT count(*) FROM adoption WHERE stage IN ('preparing', 'pilot')
               AND since < date('now', '-18 months') AND heard >= date('now', '-24 months')",
            [],
            |r| r.get(0),
        )
        .expect("count");
    Row {
        figure: "15 slide step onto the stalled pilots, first time".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: "≤ 16 ms p99".into(),
        bare: Some(bare(
            db,
            "SELECT coalesce(m.short_name, m.name), u.code, a.stage, a.since, a.heard
             FROM adoption a JOIN unit u ON u.id = a.unit_id JOIN method m ON m.id = a.method_id
             WHERE a.stage IN ('preparing', 'pilot') AND a.since < date('now', '-18 months')
               AND a.heard >= date('now', '-24 months')
             ORDER BY a.since LIMIT 40",
            &[],
            runs,
        )),
        note: format!("End; a fresh deck each run; {fresh} stalled in all"),
    }
}

/// Figures 15 and 16: the workshop presentation (`P`: every method, by spread, as of today).
/// A step onto a method slide not seen before (its districts rolled up and its curve), back
/// over seen ones, onto the film and the stalled pilots for the first time; and the film's
/// year step (the grid's cells as of the year's end and what happened that year).
fn slides(rows: &mut Vec<Row>, size: &'static str, db: &Path, runs: usize) {
    let target = |ms: u64| {
        if size == "S" {
            "≤ 10 ms".to_string()
        } else {
            format!("≤ {ms} ms p99")
        }
    };
    let conn = rusqlite::Connection::open(db).expect("open");
    let first: i64 = conn
        .query_row("SELECT id FROM method ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .expect("a method");
    let bare_method = bare_work(db, runs.min(50), |conn| {
        rows_of(
            conn,
            "SELECT a.unit_id, a.stage FROM adoption a WHERE a.method_id = ?1",
            &[&first],
        );
        rows_of(
            conn,
            "SELECT e.stage, e.effective FROM adoption a JOIN stage_event e ON e.adoption_id = a.id
             WHERE a.method_id = ?1 ORDER BY a.id, e.effective, e.id",
            &[&first],
        );
    });
    let n = runs.min(100);
    let mut app = open_deck(db);
    let forward = keystrokes(&mut app, &[key(KeyCode::Right)], n);
    let (median, p99) = stats(forward);
    rows.push(Row {
        figure: "15 slide step, a method slide not seen before".into(),
        size,
        median,
        p99: Some(p99),
        runs: n,
        target: target(16),
        bare: Some(bare_method),
        note: "→; bare: the method's adoptions and its events".into(),
    });
    let back = keystrokes(&mut app, &[key(KeyCode::Left)], n.min(30));
    let (median, p99) = stats(back);
    rows.push(Row {
        figure: "15 slide step, back over seen slides".into(),
        size,
        median,
        p99: Some(p99),
        runs: n.min(30),
        target: target(16),
        bare: None,
        note: "←: pages kept for the register's state".into(),
    });
    let fresh = runs.min(10);
    let mut stalled = Vec::new();
    let mut film = Vec::new();
    for _ in 0..fresh {
        let mut app = open_deck(db);
        let t = keystrokes(&mut app, &[key(KeyCode::End), key(KeyCode::Left)], 2);
        stalled.push(t[0]);
        film.push(t[1]);
    }
    for (label, samples) in [("the stalled pilots", stalled), ("the film", film)] {
        let (median, p99) = stats(samples);
        rows.push(Row {
            figure: format!("15 slide step onto {label}, first time"),
            size,
            median,
            p99: Some(p99),
            runs: fresh,
            target: target(16),
            bare: None,
            note: "End, then ←; a fresh deck each run".into(),
        });
    }
    // 16. The film a year back at a time, each year not seen before.
    let mut app = open_deck(db);
    app.handle_key(key(KeyCode::End));
    app.handle_key(key(KeyCode::Left));
    let years = n.min(20);
    let steps = keystrokes(&mut app, &[key(KeyCode::Left)], years);
    let (median, p99) = stats(steps);
    let units_today = "SELECT id FROM unit WHERE kind = 'district' AND (valid_from IS NULL OR valid_from <= date('now')) AND (valid_to IS NULL OR valid_to >= date('now'))";
    let bare_year = bare_work(db, runs.min(20), |conn| {
        rows_of(
            conn,
            &format!(
                "SELECT a.method_id, a.unit_id, a.stage FROM adoption a
                 WHERE a.method_id IN (SELECT id FROM method ORDER BY id LIMIT 40)
                   AND a.unit_id IN ({units_today}) AND a.since <= '2015-12-31'"
            ),
            &[],
        );
        rows_of(
            conn,
            "SELECT a.method_id, a.unit_id, e.stage FROM adoption a
             JOIN stage_event e ON e.adoption_id = a.id
             WHERE a.method_id IN (SELECT id FROM method ORDER BY id LIMIT 40)
               AND e.effective >= '2015-01' AND e.effective <= '2015-12-31'",
            &[],
        );
    });
    rows.push(Row {
        figure: "16 film, a year step".into(),
        size,
        median,
        p99: Some(p99),
        runs: years,
        target: target(50),
        bare: Some(bare_year),
        note: "←; 40 methods × the districts; bare: the grid's cells and the year's events".into(),
    });
}

fn processes(rows: &mut Vec<Row>, size: &'static str, db: &Path, runs: usize) {
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-bench");
    let json = out_dir.join(format!("{size}.json"));
    let mut matrix = Vec::new();
    let mut export = Vec::new();
    let mut export_kb = 0;
    for _ in 0..runs {
        let (t, _, ok) = run_measured(
            Command::new(BIN)
                .arg("--db")
                .arg(db)
                .args(["matrix", "--format", "csv"])
                .stdout(std::process::Stdio::null()),
        );
        assert!(ok, "matrix failed");
        matrix.push(t);
        let (t, kb, ok) = run_measured(
            Command::new(BIN)
                .arg("--db")
                .arg(db)
                .args(["export", "--format", "json", "--force", "--out"])
                .arg(&json),
        );
        assert!(ok, "export failed");
        export.push(t);
        export_kb = export_kb.max(kb);
    }
    let bare_matrix = bare(
        db,
        "SELECT a.method_id, a.unit_id, a.stage FROM adoption a WHERE a.stage IS NOT NULL",
        &[],
        runs,
    );
    let bare_export = bare(
        db,
        "SELECT e.*, m.name, u.code FROM stage_event e JOIN adoption a ON a.id = e.adoption_id JOIN method m ON m.id = a.method_id JOIN unit u ON u.id = a.unit_id ORDER BY e.id",
        &[],
        1,
    );
    // The spread figures and a past day's matrix, whole processes.
    for (figure, args) in [
        (
            "6 metrics --format csv (process)",
            &["metrics", "--format", "csv"][..],
        ),
        (
            "6 matrix --as-of 2010-01-01 --format csv (process)",
            &["matrix", "--as-of", "2010-01-01", "--format", "csv"][..],
        ),
        (
            "6 stalled --format csv (process)",
            &["stalled", "--format", "csv"][..],
        ),
    ] {
        let samples: Vec<Duration> = (0..runs)
            .map(|_| {
                let (t, _, ok) = run_measured(
                    Command::new(BIN)
                        .arg("--db")
                        .arg(db)
                        .args(args)
                        .stdout(std::process::Stdio::null()),
                );
                assert!(ok, "{figure} failed");
                t
            })
            .collect();
        rows.push(Row {
            figure: figure.into(),
            size,
            median: stats(samples).0,
            p99: None,
            runs,
            target: "≤ 2 s".into(),
            bare: None,
            note: String::new(),
        });
    }
    let (m, _) = stats(matrix);
    rows.push(Row {
        figure: "6 matrix --format csv (process)".into(),
        size,
        median: m,
        p99: None,
        runs,
        target: "≤ 2 s".into(),
        bare: Some(bare_matrix),
        note: String::new(),
    });
    let (e, _) = stats(export);
    rows.push(Row {
        figure: "6 export --format json (process)".into(),
        size,
        median: e,
        p99: None,
        runs,
        target: "≤ 10 s".into(),
        bare: Some(bare_export),
        note: format!(
            "{} MB file",
            std::fs::metadata(&json)
                .map(|m| m.len() / 1_000_000)
                .unwrap_or(0)
        ),
    });
    let fresh = out_dir.join(format!("{size}-import.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", fresh.display()));
    }
    let ok = Command::new(BIN)
        .arg("init")
        .arg(&fresh)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("init")
        .success();
    assert!(ok);
    let (t, kb, ok) = run_measured(
        Command::new(BIN)
            .arg("--db")
            .arg(&fresh)
            .arg("import")
            .arg(&json)
            .stdout(std::process::Stdio::null()),
    );
    assert!(ok, "import failed");
    rows.push(Row {
        figure: "6 import of that JSON (process)".into(),
        size,
        median: t,
        p99: None,
        runs: 1,
        target: "≤ 30 s".into(),
        bare: None,
        note: format!("peak {} MB", kb / 1024),
    });
    rows.push(Row {
        figure: "7 peak memory, export".into(),
        size,
        median: Duration::ZERO,
        p99: None,
        runs,
        target: "≤ 200 MB".into(),
        bare: None,
        note: format!("{} MB", export_kb / 1024),
    });
}

/// Figure 17: the reports, whole processes, of every method (the worst case: the most rows,
/// the whole history): time (median and the slowest of `runs`), peak memory and file size.
/// Bare: reading the history as the workbook does (every event with its names, in effect
/// order), the larger part of either report's reading.
fn reports(rows: &mut Vec<Row>, size: &'static str, db: &Path, runs: usize) {
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-bench");
    let _ = std::fs::create_dir_all(&out_dir);
    let bare_history = bare(
        db,
        "SELECT e.*, m.name, m.short_name, u.code, u.name, r.reason FROM stage_event e
         JOIN adoption a ON a.id = e.adoption_id JOIN method m ON m.id = a.method_id
         JOIN unit u ON u.id = a.unit_id LEFT JOIN retraction r ON r.event_id = e.id
         ORDER BY e.effective, e.id",
        &[],
        1,
    );
    let small = size == "S";
    // Today, and a past day rolled up (every unit's predecessors looked up: the slowest).
    let today: &[&str] = &[];
    let rolled: &[&str] = &["--as-of", "2010-01-01", "--roll-up"];
    let xlsx = if small {
        "< 1 s, ≤ 200 MB"
    } else {
        "≤ 20 s, ≤ 200 MB"
    };
    let html = if small { "< 1 s" } else { "≤ 5 s" };
    for (format, when, target) in [
        ("xlsx", today, xlsx),
        ("html", today, html),
        ("xlsx", rolled, xlsx),
        ("html", rolled, html),
    ] {
        let file = out_dir.join(format!("{size}-report.{format}"));
        let mut samples = Vec::new();
        let mut peak = 0;
        for _ in 0..runs {
            let (t, kb, ok) = run_measured(
                Command::new(BIN)
                    .arg("--db")
                    .arg(db)
                    .args(["--lang", "sv", "report", "--format", format])
                    .args(when)
                    .args(["--force", "--out"])
                    .arg(&file)
                    .stdout(std::process::Stdio::null()),
            );
            assert!(ok, "report --format {format} failed");
            samples.push(t);
            peak = peak.max(kb);
        }
        let (median, slowest) = stats(samples);
        rows.push(Row {
            figure: format!(
                "17 report --format {format}{}{}, every method (process)",
                if when.is_empty() { "" } else { " " },
                when.join(" ")
            ),
            size,
            median,
            p99: Some(slowest),
            runs,
            target: target.into(),
            bare: Some(bare_history),
            note: format!(
                "peak {} MB, {} MB file; p99 = the slowest run",
                peak / 1024,
                std::fs::metadata(&file)
                    .map(|m| m.len() / 1_000_000)
                    .unwrap_or(0)
            ),
        });
    }
}

/// Figure 14: `reorganise --carry` of two units with 1 000 methods each (half of them at the
/// same stage in both, carried over; half differing, listed to review): the whole process, on
/// a fresh copy each run.
fn reorganise_carry(rows: &mut Vec<Row>, runs: usize) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scale-bench");
    std::fs::create_dir_all(&dir).expect("dir");
    let base = dir.join("reorganise-base.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", base.display()));
    }
    let mut store = Store::create(&base, &spridning::identity::os_login(), None).expect("create");
    let methods: Vec<spridning::store::MethodInput> = (0..1000)
        .map(|i| spridning::store::MethodInput {
            name: format!("Metod {}", i + 1),
            short_name: Some(format!("M{}", i + 1)),
            kind: spridning::domain::MethodKind::Intervention,
            ..Default::default()
        })
        .collect();
    let ids = store.add_methods_bulk(&methods).expect("methods");
    let unit = |code: &str| store.find_unit(code).expect("unit").0;
    let (fa, sn) = (unit("FA"), unit("SN"));
    let day = EventDate::Day(chrono::NaiveDate::from_ymd_opt(2015, 3, 1).expect("day"));
    let events: Vec<spridning::store::BulkEvent> = ids
        .iter()
        .enumerate()
        .flat_map(|(i, &m)| {
            let here = Stage::ALL[i % 5];
            let there = if i % 2 == 0 {
                here
            } else {
                Stage::ALL[(i + 1) % 5]
            };
            [(fa, here), (sn, there)].map(|(u, stage)| spridning::store::BulkEvent {
                method_id: m,
                unit_id: u,
                stage,
                date: day,
                note: String::new(),
                recorded_at: "2015-03-01T12:00:00Z".into(),
                recorded_by: "bench".into(),
            })
        })
        .collect();
    store.add_events_bulk(events.into_iter()).expect("events");
    store.checkpoint().expect("checkpoint");
    drop(store);
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let db = working_copy(&base, "reorganise.db");
            let (t, _, ok) = run_measured(
                Command::new(BIN)
                    .arg("--db")
                    .arg(&db)
                    .args([
                        "reorganise",
                        "--from",
                        "FA,SN",
                        "--into",
                        "Farsta-Skarpnäck",
                        "--code",
                        "FSN",
                        "--on",
                        "2026-01-01",
                        "--carry",
                    ])
                    .stdout(std::process::Stdio::null()),
            );
            assert!(ok, "reorganise failed");
            t
        })
        .collect();
    let (median, p99) = stats(samples);
    rows.push(Row {
        figure: "14 reorganise --carry, 2 × 1000 methods (process)".into(),
        size: "–",
        median,
        p99: Some(p99),
        runs,
        target: "≤ 2 s".into(),
        bare: Some(bare(
            &base,
            "SELECT method_id, unit_id, stage FROM adoption WHERE unit_id IN (SELECT id FROM unit WHERE code IN ('FA', 'SN'))",
            &[],
            runs,
        )),
        note: "500 carried, 500 to review".into(),
    });
}

/// L plus a million confirmations (five per adoption, 700 days apart from its stage's day,
/// never after today), and one unit with a stage for every method: built once into
/// `target/scale/l-confirmed.db`.
fn ensure_confirmed(l: &Path) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/scale");
    let path = dir.join("l-confirmed.db");
    if path.exists() {
        return path;
    }
    eprintln!("building {} …", path.display());
    let tmp = dir.join("l-confirmed.db.building");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    std::fs::copy(l, &tmp).expect("copy");
    {
        let mut store = Store::open(&tmp, "bench").expect("open");
        store.grant_owner();
        let n = store.add_confirmations_bulk(5, 700).expect("confirmations");
        eprintln!("  {n} confirmations");
        // The first district gets a stage for every method: a checklist of 1 000.
        let unit = store.units().expect("units")[0].id;
        let have: std::collections::HashSet<i64> = store
            .history(&spridning::store::HistoryFilter {
                method_id: None,
                unit_id: Some(unit),
            })
            .expect("history")
            .iter()
            .filter_map(|e| store.find_method(&e.method_name).ok().map(|m| m.0))
            .collect();
        let missing: Vec<i64> = store
            .methods()
            .expect("methods")
            .iter()
            .map(|m| m.id)
            .filter(|id| !have.contains(id))
            .collect();
        store
            .add_events_bulk(
                missing
                    .into_iter()
                    .map(|method_id| spridning::store::BulkEvent {
                        method_id,
                        unit_id: unit,
                        stage: Stage::Pilot,
                        date: EventDate::Day("2024-01-01".parse().expect("day")),
                        note: String::new(),
                        recorded_at: "2024-01-02T12:00:00Z".into(),
                        recorded_by: "bench".into(),
                    }),
            )
            .expect("events");
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
    }
    std::fs::rename(&tmp, &path).expect("rename");
    path
}

/// The age of every stage and inventory rounds at L plus a million confirmations: the stale
/// marks on a Matrix page, a step of the as-of day, a round's status for 1 000 units × 1 000
/// methods, a checklist page, and confirming everything for one unit.
fn ages_and_rounds(rows: &mut Vec<Row>, l: &Path, runs: usize) {
    let size = "L+C";
    let db = working_copy(&ensure_confirmed(l), "l-confirmed.db");
    let bare_cells = |conn: &rusqlite::Connection| {
        rows_of(
            conn,
            "SELECT a.stage, a.heard < date('now', '-24 months') FROM adoption a
             WHERE a.method_id IN (SELECT id FROM method ORDER BY label_key LIMIT 34)
               AND a.unit_id IN (SELECT id FROM unit ORDER BY sort_key LIMIT 20)",
            &[],
        );
    };
    // Stale marks on a Matrix page (the window's cells with their ages), page after page.
    let mut app = open_app(&db);
    go_to(&mut app, Tab::Matrix);
    let (median, p99) = stats(keystrokes(&mut app, &[key(KeyCode::PageDown)], runs));
    rows.push(Row {
        figure: "21 matrix page down, with stale marks".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: "≤ 16 ms p99".into(),
        bare: Some(bare_work(&db, runs.min(50), bare_cells)),
        note: "10⁶ confirmations".into(),
    });
    // A step of the as-of day: a year back and forward, on the Matrix and on Methods.
    for (tab, name) in [(Tab::Matrix, "Matrix"), (Tab::Methods, "Methods")] {
        let mut app = open_app(&db);
        go_to(&mut app, tab);
        let (median, p99) = stats(keystrokes(
            &mut app,
            &[key(KeyCode::Char('[')), key(KeyCode::Char(']'))],
            runs,
        ));
        rows.push(Row {
            figure: format!("22 as-of a year back/forward, {name}, with ages"),
            size,
            median,
            p99: Some(p99),
            runs,
            // As figure 9: a step re-reads every count on screen for another day.
            target: "≤ 100 ms p99".into(),
            bare: None,
            note: "10⁶ confirmations".into(),
        });
    }
    // The stalled pilots' slide where nearly every stage is fresh (plain L: nearly none).
    rows.push(onto_stalled(size, &db, runs.min(30)));
    // A round naming every method: 1 000 units × 1 000 methods = 10⁶ questions.
    let mut store = Store::open(&db, "bench").expect("open");
    store.grant_owner();
    let methods: Vec<i64> = store
        .methods()
        .expect("methods")
        .iter()
        .map(|m| m.id)
        .collect();
    let round = store
        .start_round(&spridning::store::NewRound {
            name: "Bench".into(),
            due: "2099-12-31".parse().ok(),
            methods,
            ..Default::default()
        })
        .expect("round");
    let samples: Vec<Duration> = (0..5)
        .map(|_| time(|| store.round_status(round).expect("status")).1)
        .collect();
    let (median, p99) = stats(samples);
    rows.push(Row {
        figure: "23 round status, 1000 units × 1000 methods".into(),
        size,
        median,
        p99: Some(p99),
        runs: 5,
        target: "≤ 1 s".into(),
        bare: None,
        note: format!(
            "{} questions",
            store
                .round_status(round)
                .expect("status")
                .iter()
                .map(|p| p.total)
                .sum::<u32>()
        ),
    });
    // A checklist page of 1 000 questions: moving down it.
    let unit = store.units().expect("units")[0].id;
    drop(store);
    let mut app = open_app(&db);
    go_to(&mut app, Tab::Rounds);
    while app
        .tabs
        .rounds
        .status
        .selected_row()
        .is_some_and(|p| p.unit_id != unit)
    {
        app.handle_key(key(KeyCode::Down));
    }
    app.handle_key(key(KeyCode::Enter));
    let questions = app.tabs.rounds.checklist.total;
    let (median, p99) = stats(keystrokes(&mut app, &[key(KeyCode::Down)], runs));
    rows.push(Row {
        figure: "24 checklist, a key down".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: "≤ 16 ms p99".into(),
        bare: None,
        note: format!("{questions} questions"),
    });
    drop(app);
    // Confirming everything for that unit, in one transaction.
    let mut store = Store::open(&db, "bench").expect("open");
    store.grant_owner();
    let (n, took) = time(|| store.confirm_all(unit).expect("confirm all"));
    rows.push(Row {
        figure: "25 confirm everything, one unit".into(),
        size,
        median: took,
        p99: None,
        runs: 1,
        target: "≤ 1 s".into(),
        bare: None,
        note: format!("{n} stages confirmed"),
    });
}

/// Figure 11's first sort of Spread by a figure (`o`), a fresh app each run: every
/// method's figures. Bare: today's adoption rows, which the figures are made of.
fn spread_first_sort(size: &'static str, db: &Path, n: usize, pause: Duration) -> Row {
    let samples: Vec<Duration> = (0..n)
        .map(|_| {
            let mut app = open_app(db);
            let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
            go_to(&mut app, Tab::Spread);
            // A person on the tab before the key: the figures are readied meanwhile.
            std::thread::sleep(pause);
            time(|| {
                app.handle_key(key(KeyCode::Char('o')));
                draw(&app, &mut terminal);
            })
            .1
        })
        .collect();
    let (median, p99) = stats(samples);
    Row {
        figure: if pause.is_zero() {
            "11 Spread sorted by a figure, at once".into()
        } else {
            format!(
                "11 Spread sorted by a figure, {} ms after the tab",
                pause.as_millis()
            )
        },
        size,
        median,
        p99: Some(p99),
        runs: n,
        target: "≤ 150 ms p99".into(),
        bare: Some(bare(
            db,
            "SELECT method_id, unit_id, stage, since, heard, first_pilot, first_in_use, lapsed
             FROM adoption",
            &[],
            n,
        )),
        note: "the first sort by a figure: every method's figures, readied in the background \
               since the tab opened"
            .into(),
    }
}

/// Figures 26–28 (issue 21): the presentation's first slide, the far end of Activity, and a
/// filter's exact count, on `db` (L).
fn ends(rows: &mut Vec<Row>, size: &'static str, db: &Path, runs: usize) {
    // 26. `P` from the tabs to the first slide drawn: a fresh app each run (the deck reads
    // where the film starts when it opens). Bare: the register's first event by its day.
    let samples: Vec<Duration> = (0..runs.min(30))
        .map(|_| {
            let mut app = open_app(db);
            let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
            draw(&app, &mut terminal);
            time(|| {
                app.handle_key(key(KeyCode::Char('P')));
                draw(&app, &mut terminal);
            })
            .1
        })
        .collect();
    let n = samples.len();
    let (median, p99) = stats(samples);
    rows.push(Row {
        figure: "26 P, the first slide".into(),
        size,
        median,
        p99: Some(p99),
        runs: n,
        target: "≤ 100 ms p99".into(),
        bare: Some(bare(
            db,
            "SELECT min(effective) FROM stage_event",
            &[],
            runs.min(50),
        )),
        note: "from the tabs; bare: the first event's day".into(),
    });

    rows.push(spread_first_sort(size, db, runs.min(20), Duration::ZERO));
    rows.push(spread_first_sort(
        size,
        db,
        runs.min(20),
        Duration::from_millis(300),
    ));

    // 27. End and Home on Activity's million rows, alternately. Bare: the oldest page.
    let mut app = open_app(db);
    go_to(&mut app, Tab::Activity);
    let samples = keystrokes(&mut app, &[key(KeyCode::End), key(KeyCode::Home)], 2 * runs);
    let (median, p99) = stats(samples.into_iter().step_by(2).collect());
    rows.push(Row {
        figure: "27 Activity, End".into(),
        size,
        median,
        p99: Some(p99),
        runs,
        target: "≤ 16 ms p99".into(),
        bare: Some(bare(
            db,
            "SELECT * FROM change ORDER BY id LIMIT 35",
            &[],
            runs.min(50),
        )),
        note: "End, Home alternately; the older half read from the oldest end".into(),
    });

    // 28. A filter's exact count: from the keystroke that completes it to the count on
    // screen (the first rows come at once, the count from a thread of its own). Bare: the
    // count in SQL.
    let counted: [(&str, &str, &str); 3] = [
        (
            "common word + person",
            "stöd by:user7",
            "(c.method_id IN (SELECT id FROM method WHERE search LIKE '%stöd%')
              OR c.unit_id IN (SELECT id FROM unit WHERE search LIKE '%stöd%'))
             AND c.login = 'user7'",
        ),
        ("a stage (a seventh of all)", "pilot", "c.stage = 'pilot'"),
        (
            "a common word",
            "stöd",
            "c.method_id IN (SELECT id FROM method WHERE search LIKE '%stöd%')
             OR c.unit_id IN (SELECT id FROM unit WHERE search LIKE '%stöd%')",
        ),
    ];
    for (name, pattern, condition) in counted {
        let mut app = open_app(db);
        go_to(&mut app, Tab::Activity);
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("terminal");
        let n = runs.min(20);
        let mut first_rows = Vec::new();
        let samples: Vec<Duration> = (0..n)
            .map(|_| {
                app.handle_key(key(KeyCode::Char('/')));
                let chars: Vec<char> = pattern.chars().collect();
                let (last, before) = chars.split_last().expect("a pattern");
                for c in before {
                    app.handle_key(key(KeyCode::Char(*c)));
                }
                let start = Instant::now();
                app.handle_key(key(KeyCode::Char(*last)));
                draw(&app, &mut terminal);
                first_rows.push(start.elapsed());
                while app.busy() {
                    std::thread::sleep(Duration::from_millis(1));
                    app.tick();
                }
                draw(&app, &mut terminal);
                let took = start.elapsed();
                // Clear the filter for the next run.
                app.handle_key(key(KeyCode::Esc));
                took
            })
            .collect();
        let (median, p99) = stats(samples);
        let (first_median, _) = stats(first_rows);
        rows.push(Row {
            figure: format!("28 Activity exact count, {name}"),
            size,
            median,
            p99: Some(p99),
            runs: n,
            target: "≤ 250 ms p99".into(),
            bare: Some(bare_work(db, n, |conn| {
                let _: i64 = conn
                    .query_row(
                        &format!("SELECT count(*) FROM change c WHERE {condition}"),
                        [],
                        |r| r.get(0),
                    )
                    .expect("count");
            })),
            note: format!(
                "`{pattern}`; the first rows in {:.1} ms (median)",
                first_median.as_secs_f64() * 1000.0
            ),
        });
    }
}

/// A duration as the table writes it.
fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn print(rows: &[Row]) {
    println!("\n| figure | size | median | p99 | runs | target | bare SQL | ratio | note |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for r in rows {
        let (median, p99) = if r.median.is_zero() {
            (String::new(), String::new())
        } else {
            (ms(r.median), r.p99.map(ms).unwrap_or_default())
        };
        let (bare, ratio) = match r.bare {
            Some(b) if !b.is_zero() => (
                ms(b),
                format!("{:.1}×", r.median.as_secs_f64() / b.as_secs_f64()),
            ),
            _ => (String::new(), String::new()),
        };
        println!(
            "| {} | {} | {median} | {p99} | {} | {} | {bare} | {ratio} | {} |",
            r.figure, r.size, r.runs, r.target, r.note
        );
    }
}

/// The name of a size, as `--generate` takes it.
fn spec_name(spec: &Spec) -> &'static str {
    if *spec == Spec::L { "L" } else { "M" }
}

fn main() {
    // `--generate M|L PATH`: build one database and exit (run as a child by `ensure`).
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--generate") {
        let spec = if args.get(i + 1).map(String::as_str) == Some("L") {
            Spec::L
        } else {
            Spec::M
        };
        let path = PathBuf::from(args.get(i + 2).expect("--generate SIZE PATH"));
        generate(&path, &spec).expect("generate");
        return;
    }
    // `cargo bench` passes `--bench`; a name filter picks sizes: `cargo bench --bench scale -- S M`;
    // the word `slides` measures only the presentation (figures 15 and 16).
    let only_slides = std::env::args().any(|a| a == "slides");
    // The word `reports` measures only the reports (figure 17).
    let only_reports = std::env::args().any(|a| a == "reports");
    // The word `ages` measures only the age of stages and rounds (figures 21–25, at L).
    if std::env::args().any(|a| a == "ages") {
        let l = ensure(&Spec::L, "l.db");
        let mut rows = Vec::new();
        // Every interaction of figures 1–13 again, on L plus a million confirmations.
        let confirmed = working_copy(&ensure_confirmed(&l), "l-confirmed-interactive.db");
        interactive(&mut rows, "L+C", &confirmed, 60);
        ages_and_rounds(&mut rows, &l, 60);
        print(&rows);
        return;
    }
    // The word `heavy` measures only import, matrix CSV and the workbook at L against the
    // sqlite3 shell (figures 29–31).
    if std::env::args().any(|a| a == "heavy") {
        let l = ensure(&Spec::L, "l.db");
        let mut rows = Vec::new();
        heavy(&mut rows, &working_copy(&l, "l-heavy.db"), 3);
        print(&rows);
        return;
    }
    // The word `keys` measures only sshd's question (figure 32, at L).
    if std::env::args().any(|a| a == "keys") {
        let l = ensure(&Spec::L, "l.db");
        let mut rows = Vec::new();
        authorized_keys(&mut rows, &working_copy(&l, "l-keys.db"), 60);
        print(&rows);
        return;
    }
    // The word `live` measures only what another person's commit costs an open session
    // (figure 33, at L).
    if std::env::args().any(|a| a == "live") {
        let l = ensure(&Spec::L, "l.db");
        let mut rows = Vec::new();
        live(&mut rows, &working_copy(&l, "l-live.db"), 60);
        print(&rows);
        return;
    }
    // The word `stalled` measures only the step onto the stalled pilots' slide (figure 15)
    // at both ends: plain L (few fresh stages) and L plus a million confirmations (most).
    if std::env::args().any(|a| a == "stalled") {
        let l = ensure(&Spec::L, "l.db");
        let confirmed = ensure_confirmed(&l);
        let rows = vec![
            onto_stalled("L", &working_copy(&l, "l-stalled.db"), 30),
            onto_stalled(
                "L+C",
                &working_copy(&confirmed, "l-confirmed-stalled.db"),
                30,
            ),
        ];
        print(&rows);
        return;
    }
    // The word `ends` measures only the first slide, the end of Activity and exact counts
    // (figures 26–28, at L).
    if std::env::args().any(|a| a == "ends") {
        let l = ensure(&Spec::L, "l.db");
        let mut rows = Vec::new();
        ends(&mut rows, "L", &working_copy(&l, "l-ends.db"), 60);
        print(&rows);
        return;
    }
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--") && a != "slides" && a != "reports")
        .collect();
    let want = |s: &str| wanted.is_empty() || wanted.iter().any(|w| w == s);
    let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample.db");
    let mut rows = Vec::new();
    let mut sizes: Vec<(&'static str, PathBuf)> = Vec::new();
    if want("S") {
        sizes.push(("S", sample));
    }
    if want("M") {
        sizes.push(("M", ensure(&Spec::M, "m.db")));
    }
    if want("L") {
        sizes.push(("L", ensure(&Spec::L, "l.db")));
    }
    for (size, db) in &sizes {
        eprintln!("measuring {size} …");
        let work = working_copy(db, &format!("{size}.db"));
        if only_slides {
            slides(&mut rows, size, &work, if *size == "L" { 60 } else { 200 });
            continue;
        }
        if only_reports {
            reports(&mut rows, size, &work, if *size == "L" { 3 } else { 10 });
            continue;
        }
        interactive(&mut rows, size, &work, if *size == "L" { 60 } else { 200 });
        let work = working_copy(db, &format!("{size}.db"));
        processes(&mut rows, size, &work, 3);
        reports(&mut rows, size, &work, if *size == "L" { 3 } else { 10 });
        rows.push(Row {
            figure: "7 peak memory, TUI after every tab".into(),
            size,
            median: Duration::ZERO,
            p99: None,
            runs: 1,
            target: "≤ 200 MB".into(),
            bare: None,
            note: format!("{} MB", tui_peak_kb(&work) / 1024),
        });
        let down = bytes_for(&work, &[], key(KeyCode::Down));
        let tab = bytes_for(&work, &[], key(KeyCode::Tab));
        rows.push(Row {
            figure: "8 bytes to the terminal, cursor down".into(),
            size,
            median: Duration::ZERO,
            p99: None,
            runs: 1,
            target: "≤ 300 bytes".into(),
            bare: None,
            note: format!("{down} bytes"),
        });
        rows.push(Row {
            figure: "8 bytes to the terminal, tab switch".into(),
            size,
            median: Duration::ZERO,
            p99: None,
            runs: 1,
            target: String::new(),
            bare: None,
            note: format!("{tab} bytes"),
        });
    }
    if want("L") && !only_slides && !only_reports {
        reorganise_carry(&mut rows, 10);
        let l = ensure(&Spec::L, "l.db");
        ages_and_rounds(&mut rows, &l, 60);
        ends(&mut rows, "L", &working_copy(&l, "l-ends.db"), 60);
        heavy(&mut rows, &working_copy(&l, "l-heavy.db"), 3);
    }
    print(&rows);
}
