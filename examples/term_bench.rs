//! The terminal benchmark: what a person waits for, through a real terminal. It drives the
//! release binary in a pseudo-terminal of 120×40 (as `tmux` would), writes a keystroke and
//! times until the screen shows the change, parsed by `vt100` as a terminal would draw it;
//! and it reads the program's peak memory (`VmHWM`) after each screen.
//!
//! ```sh
//! cargo build --release                      # the binary measured: target/release/spridning
//! cargo bench --bench scale -- ends          # once, to build target/scale/l.db (L)
//! cargo run --release --example term_bench   # or: … -- PATH/TO/DB RUNS
//! cargo run --release --example term_bench -- --peers L.csv 5   # csvlens and visidata
//! TERM_BENCH_BIN=old/spridning cargo run --release --example term_bench -- old-l.db 10
//! ```
//!
//! Each interaction runs `RUNS` times (default 10); the table gives the median and p99 (the
//! largest of fewer than 100 runs) and the highest peak RSS seen. The harness's own floor is
//! the first row: a key that changes one character of the screen (`/` opening the filter
//! on Methods, Esc closing it), which reads nothing.

#[path = "../tests/common/terminal_env.rs"]
mod terminal_env;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

const ROWS: u16 = 40;
const COLS: u16 = 120;
/// The longest any one step may take before the harness gives up.
const LIMIT: Duration = Duration::from_secs(60);

/// The screen as the terminal shows it, with a signal for every chunk of output.
struct Screen {
    parser: Mutex<vt100::Parser>,
    changed: Condvar,
}

/// The program running in the pseudo-terminal.
struct Term {
    child: Box<dyn Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Screen>,
    _master: Box<dyn MasterPty + Send>,
}

impl Term {
    /// spridning on `db` in English (the harness looks for the English titles).
    fn start(bin: &Path, db: &Path, args: &[&str]) -> Term {
        let mut all: Vec<std::ffi::OsString> = vec!["--lang".into(), "en".into(), "--db".into()];
        all.push(db.into());
        all.extend(args.iter().map(Into::into));
        Term::run(bin, &all)
    }

    /// Any program with its arguments (the peers: csvlens, visidata).
    fn run(program: &Path, args: &[std::ffi::OsString]) -> Term {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("a pseudo-terminal");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        terminal_env::as_a_colour_terminal(&mut cmd);
        let child = pty.slave.spawn_command(cmd).expect("the program starts");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("a reader");
        let writer = pty.master.take_writer().expect("a writer");
        let screen = Arc::new(Screen {
            parser: Mutex::new(vt100::Parser::new(nz(ROWS), nz(COLS), 0)),
            changed: Condvar::new(),
        });
        let s = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s.parser.lock().expect("screen").process(&buf[..n]);
                s.changed.notify_all();
            }
        });
        Term {
            child,
            writer,
            screen,
            _master: pty.master,
        }
    }

    fn contents(&self) -> String {
        self.screen
            .parser
            .lock()
            .expect("screen")
            .screen()
            .contents()
    }

    /// Waits until `done(screen)` holds; how long it took from `since`.
    fn until(&self, since: Instant, what: &str, done: &dyn Fn(&str) -> bool) -> Duration {
        let mut parser = self.screen.parser.lock().expect("screen");
        loop {
            if done(&parser.screen().contents()) {
                return since.elapsed();
            }
            if since.elapsed() > LIMIT {
                panic!(
                    "{what}: not on screen after {LIMIT:?}:\n{}",
                    parser.screen().contents()
                );
            }
            parser = self
                .screen
                .changed
                .wait_timeout(parser, Duration::from_millis(5))
                .expect("screen")
                .0;
        }
    }

    /// Writes `keys` and times until `done` holds.
    fn key(&mut self, keys: &str, what: &str, done: &dyn Fn(&str) -> bool) -> Duration {
        let start = Instant::now();
        self.writer.write_all(keys.as_bytes()).expect("keys");
        self.writer.flush().expect("keys");
        let took = self.until(start, what, done);
        // The rest of the frame, before the next key (not counted).
        self.quiet();
        took
    }

    /// Writes `keys`, waits for `done`, then for the screen to be still for 50 ms (steps
    /// not measured: the next key must not arrive inside this one's frame, or right after
    /// an Esc, which a terminal reads as Alt with the next key).
    fn settle(&mut self, keys: &str, done: &dyn Fn(&str) -> bool) {
        self.key(keys, keys, done);
    }

    /// Waits until nothing has been drawn for 50 ms.
    fn quiet(&self) {
        let mut last = self.contents();
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.contents();
            if now == last {
                return;
            }
            last = now;
        }
    }

    /// The program's peak resident memory so far, in MB.
    fn peak_mb(&self) -> u64 {
        let Some(pid) = self.child.process_id() else {
            return 0;
        };
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|kb| kb.parse::<u64>().ok())
            })
            .map_or(0, |kb| kb / 1024)
    }

    fn quit(self) {
        self.quit_with("\x1b\x1bq");
    }

    /// Writes `keys` (the program's own way out), then ends it whatever it does.
    fn quit_with(mut self, keys: &str) {
        let _ = self.writer.write_all(keys.as_bytes());
        let _ = self.writer.flush();
        std::thread::sleep(Duration::from_millis(100));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("not zero")
}

/// The tab bar's line (the first) marks the tab shown with `▸`.
fn on_tab(screen: &str, title: &str) -> bool {
    screen
        .lines()
        .next()
        .is_some_and(|l| l.contains(&format!("▸{title}")))
}

fn go_to(term: &mut Term, title: &str) {
    for _ in 0..10 {
        if on_tab(&term.contents(), title) {
            return;
        }
        let before = term.contents().lines().next().unwrap_or("").to_string();
        term.settle("\t", &|s| !s.starts_with(&before));
        if std::env::var("TERM_BENCH_DEBUG").is_ok() {
            eprintln!("{}", term.contents().lines().next().unwrap_or(""));
        }
    }
    panic!("the tab {title} was not reached:\n{}", term.contents());
}

/// `runs` fresh processes of `args`, each timed from launch until `done`; with the highest
/// peak RSS seen (read a moment after, when the screen is whole).
fn launches(
    (bin, db): (&Path, &Path),
    args: &[&str],
    runs: usize,
    done: &dyn Fn(&str) -> bool,
) -> (Vec<Duration>, u64) {
    let mut samples = Vec::new();
    let mut peak = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let term = Term::start(bin, db, args);
        samples.push(term.until(start, "launch", done));
        term.quiet();
        peak = peak.max(term.peak_mb());
        term.quit();
    }
    (samples, peak)
}

/// End and Home alternately on the screen shown, `runs` times: End is timed.
fn end_and_home(term: &mut Term, runs: usize) -> Vec<Duration> {
    let top = term.contents();
    (0..runs)
        .map(|_| {
            let took = term.key("\x1b[F", "End", &|s| s != top);
            term.settle("\x1b[H", &|s| s == top);
            took
        })
        .collect()
}

struct Figure {
    name: String,
    samples: Vec<Duration>,
    peak_mb: u64,
    note: String,
}

fn stats(samples: &[Duration]) -> (Duration, Duration) {
    let mut s = samples.to_vec();
    s.sort();
    let median = s[s.len() / 2];
    let p99 = s[((s.len() as f64 * 0.99).ceil() as usize).saturating_sub(1)];
    (median, p99)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The label of the method with the most events (the busiest detail view), read once.
fn busiest(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("the database");
    conn.query_row(
        "SELECT coalesce(m.short_name, m.name) FROM method m
         JOIN (SELECT a.method_id AS id, count(*) AS n FROM adoption a
               JOIN stage_event e ON e.adoption_id = a.id GROUP BY a.method_id
               ORDER BY n DESC LIMIT 1) b ON b.id = m.id",
        [],
        |r| r.get(0),
    )
    .expect("a method with events")
}

/// The peers as the issue measured them, on the L export as CSV (`spridning export
/// --format csv`), each in the same pseudo-terminal: the first frame (the header row drawn),
/// the whole file read (its row count shown), and the last row (key to screen). A peer that
/// is not installed is named and skipped.
fn peers(csv: &Path, runs: usize) {
    let csv = &std::fs::canonicalize(csv).expect("the CSV file");
    // Records, not lines: a note may hold a line break.
    let rows = csv::Reader::from_path(csv)
        .expect("the CSV file")
        .records()
        .count();
    let total = rows.to_string();
    // (name, program, its arguments, the key to the last row: once per launch)
    let peers: [(&str, &str, Vec<&str>, &str); 2] = [
        ("csvlens", "csvlens", vec![], "G"),
        ("visidata", "vd", vec!["-f", "csv"], "gj"),
    ];
    println!(
        "| peer on the L CSV ({rows} rows, 120×40, through a pty) | median | p99 | runs | peak RSS |"
    );
    println!("|---|---|---|---|---|");
    for (name, program, extra, last) in peers {
        let Some(path) = which(program) else {
            println!("| {name}: not installed, skipped | | | | |");
            continue;
        };
        let mut args: Vec<std::ffi::OsString> = extra.iter().map(Into::into).collect();
        args.push(csv.into());
        let (mut frame, mut ready, mut end, mut peak) = (Vec::new(), Vec::new(), Vec::new(), 0);
        for _ in 0..runs {
            let start = Instant::now();
            let mut term = Term::run(&path, &args);
            frame.push(term.until(start, "first frame", &|s| s.contains("method")));
            ready.push(term.until(start, "all rows", &|s| s.contains(&total)));
            term.quiet();
            let top = term.contents();
            end.push(term.key(last, "last row", &|s| s != top));
            peak = peak.max(term.peak_mb());
            term.quit_with("q");
        }
        for (what, samples) in [
            ("first frame", frame),
            ("whole file read", ready),
            ("last row", end),
        ] {
            let (median, p99) = stats(&samples);
            println!(
                "| {name}: {what} | {} | {} | {} | {peak} MB |",
                ms(median),
                ms(p99),
                samples.len()
            );
        }
    }
}

/// A program on the PATH.
fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peers") {
        let csv = PathBuf::from(args.get(i + 1).expect("--peers CSV [RUNS]"));
        let runs = args.get(i + 2).and_then(|r| r.parse().ok()).unwrap_or(5);
        peers(&csv, runs);
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let source = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/scale/l.db"));
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(10);
    // Another build to compare (an A/B of old and new binaries): `TERM_BENCH_BIN=PATH`.
    let bin = std::env::var_os("TERM_BENCH_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/spridning"));
    assert!(
        bin.exists(),
        "build the release binary first: cargo build --release"
    );
    assert!(
        source.exists(),
        "no database at {} (cargo bench --bench scale -- ends builds L)",
        source.display()
    );
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("bench.db");
    std::fs::copy(&source, &db).expect("a working copy");
    let method = busiest(&db);
    let mut figures: Vec<Figure> = Vec::new();
    let mut add = |name: &str, samples: Vec<Duration>, peak_mb: u64, note: &str| {
        figures.push(Figure {
            name: name.to_string(),
            samples,
            peak_mb,
            note: note.to_string(),
        });
    };

    // The first frame: launch to the Methods list drawn with its count, a fresh process
    // each run.
    let (first, peak) = launches((&bin, &db), &[], runs, &|s| on_tab(s, "Methods"));
    add(
        "first frame (launch)",
        first,
        peak,
        "a fresh process each run",
    );

    // `--present`: launch to the first slide.
    let (present, peak) = launches((&bin, &db), &["--present"], runs, &|s| {
        !s.trim().is_empty() && !s.lines().next().unwrap_or("").contains('▸')
    });
    add(
        "--present, launch to the first slide",
        present,
        peak,
        "a fresh process each run",
    );

    let mut term = Term::start(&bin, &db, &[]);
    term.until(Instant::now(), "first frame", &|s| s.contains('▸'));
    let methods_tab = |s: &str| on_tab(s, "Methods");

    // The floor: `/` opens the filter (the title gains "/▏"), Esc closes it.
    let mut floor = Vec::new();
    for _ in 0..runs * 3 {
        floor.push(term.key("/", "floor", &|s| s.contains("/▏")));
        term.settle("\x1b", &|s| !s.contains("/▏"));
    }
    add(
        "floor: a key that changes one character",
        floor,
        term.peak_mb(),
        "`/` on Methods, nothing read",
    );

    // P: from the tabs to the first slide, and back with Esc.
    let mut slide = Vec::new();
    let mut film = Vec::new();
    for _ in 0..runs {
        slide.push(term.key("P", "P", &|s| !s.lines().next().unwrap_or("").contains('▸')));
        // The film, first time: End (the last slide), then ← onto the film.
        term.settle("\x1b[F", &|s| !s.is_empty());
        std::thread::sleep(Duration::from_millis(50));
        let before = term.contents();
        film.push(term.key("\x1b[D", "film", &|s| s != before));
        term.settle("\x1b", &methods_tab);
    }
    add("P, the first slide", slide, term.peak_mb(), "from Methods");
    add(
        "onto the film, first time",
        film,
        term.peak_mb(),
        "End, then ←",
    );

    // Activity: End (the oldest of a million) and Home, alternately.
    go_to(&mut term, "Activity");
    let end = end_and_home(&mut term, runs);
    add(
        "Activity, End",
        end,
        term.peak_mb(),
        "10⁶ rows; Home between",
    );

    // A filter of a word and a person: the keystroke that completes it, then its exact
    // count.
    let mut filter = Vec::new();
    let mut count = Vec::new();
    for _ in 0..runs {
        term.settle("/", &|s| s.contains("/▏") || s.contains("/["));
        for c in "stöd by:user".chars() {
            let typed: String = c.to_string();
            term.writer.write_all(typed.as_bytes()).expect("keys");
        }
        term.writer.flush().expect("keys");
        term.until(Instant::now(), "typing", &|s| s.contains("/stöd by:user▏"));
        let start = Instant::now();
        term.writer.write_all(b"7").expect("keys");
        term.writer.flush().expect("keys");
        filter.push(term.until(start, "filter", &|s| s.contains("/stöd by:user7▏")));
        count.push(term.until(start, "count", &|s| {
            s.contains("/stöd by:user7▏") && !s.contains("counting")
        }));
        term.settle("\x1b", &|s| !s.contains('▏'));
    }
    add(
        "Activity filter `stöd by:user7`",
        filter,
        term.peak_mb(),
        "the last keystroke to its rows",
    );
    add(
        "Activity filter, exact count on screen",
        count,
        term.peak_mb(),
        "the last keystroke to the count",
    );
    term.settle("\x1b", &|_| true);

    // Spread: the first sort by a figure, a fresh process each run (the sort is kept): as
    // soon as the tab is still, and after a person's 300 ms on it (the figures are readied
    // in the background since the tab opened).
    term.quit();
    for pause in [0, 300] {
        let mut sort = Vec::new();
        let mut peak = 0;
        for _ in 0..runs.min(5) {
            let mut term = Term::start(&bin, &db, &[]);
            term.until(Instant::now(), "first frame", &|s| s.contains('▸'));
            go_to(&mut term, "Spread");
            std::thread::sleep(Duration::from_millis(pause));
            sort.push(term.key("o", "sort", &|s| s.contains('▼')));
            peak = peak.max(term.peak_mb());
            term.quit();
        }
        add(
            &format!("Spread, the first sort by a figure, {pause} ms after the tab was still"),
            sort,
            peak,
            "a fresh process each run",
        );
    }

    // The Matrix: the far corner (End) and back (Home); a method's detail.
    let mut term = Term::start(&bin, &db, &[]);
    term.until(Instant::now(), "first frame", &|s| s.contains('▸'));
    go_to(&mut term, "Matrix");
    let corner = end_and_home(&mut term, runs);
    add(
        "Matrix, the far corner",
        corner,
        term.peak_mb(),
        "End, Home between",
    );
    // The busiest method's detail: found on Methods by its label, Enter opens it, Esc
    // closes it.
    term.settle("\x1b", &|_| true);
    go_to(&mut term, "Methods");
    term.settle("/", &|s| s.contains('▏'));
    term.writer.write_all(method.as_bytes()).expect("keys");
    term.settle("\r", &|s| {
        !s.contains('▏') && s.contains(&format!("/{method}"))
    });
    let list = term.contents();
    let mut detail = Vec::new();
    for _ in 0..runs {
        detail.push(term.key("\r", "detail", &|s| {
            s != list && !s.contains(&format!("/{method}"))
        }));
        term.settle("\x1b", &|s| s == list);
    }
    add(
        &format!("the busiest method's detail ({method})"),
        detail,
        term.peak_mb(),
        "Enter on Methods, Esc between",
    );
    term.quit();

    println!("| interaction (L, 120×40, through a pty) | median | p99 | runs | peak RSS | note |");
    println!("|---|---|---|---|---|---|");
    for f in &figures {
        let (median, p99) = stats(&f.samples);
        println!(
            "| {} | {} | {} | {} | {} MB | {} |",
            f.name,
            ms(median),
            ms(p99),
            f.samples.len(),
            f.peak_mb,
            f.note
        );
    }
}
