//! Helpers shared by the integration tests: a `Sandbox` that runs the real binary in a
//! temporary directory, and a `Tty` that drives a program in a pseudo-terminal and reads the
//! screen back through a terminal emulator (vt100).

// Each test file compiles this module on its own and uses only some of it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};
use serde_json::Value;
use tempfile::TempDir;

pub mod terminal_env;

pub const BIN: &str = env!("CARGO_BIN_EXE_spridning");
/// The sample as `data/sample.json` builds it (not the committed `sample.db`, which someone
/// may have recorded in; `tests/sample_data.rs` holds the two equal).
pub fn sample_db() -> &'static std::path::Path {
    spridning::sample::pristine()
}

/// A temporary directory with one database in it, `db.db`.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    /// An empty temporary directory.
    pub fn bare() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A copy of the sample as `data/sample.json` builds it (`sample_db`; never the
    /// committed `sample.db`).
    pub fn sample() -> Sandbox {
        let sb = Sandbox::bare();
        std::fs::copy(sample_db(), sb.db()).expect("copy sample.db");
        sb
    }

    /// A database made by `spridning init`: Stockholm's units, no methods.
    pub fn init() -> Sandbox {
        let sb = Sandbox::bare();
        stdout_of(sb.run(&["init", "db.db"]));
        sb
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn db(&self) -> PathBuf {
        self.path("db.db")
    }

    /// The binary in the sandbox directory, with no `SPRIDNING_DB` from outside.
    pub fn command(&self) -> Command {
        let mut c = Command::new(BIN);
        c.current_dir(self.dir.path()).env_remove("SPRIDNING_DB");
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().expect("run spridning")
    }

    /// Runs a subcommand on `db.db`.
    pub fn spr(&self, args: &[&str]) -> Output {
        let mut all = vec!["--db", "db.db"];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// Runs a subcommand on `db.db` that must succeed; returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        stdout_of(self.spr(args))
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: {e}\n{text}"))
    }

    /// Everything that identifies the database's content: the file's bytes and its export.
    pub fn state(&self) -> (Vec<u8>, String) {
        let bytes = std::fs::read(self.db()).expect("read db");
        (bytes, self.ok(&["export", "--format", "json"]))
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).expect("write file");
        p
    }

    /// `spridning check` must pass: one line, `ok: …`.
    pub fn check_ok(&self) {
        let out = self.ok(&["check"]);
        assert_eq!(out.lines().count(), 1, "check: {out}");
        assert!(out.starts_with("ok:"), "check: {out}");
    }
}

/// Asserts a success with nothing on stderr; returns the standard output.
pub fn stdout_of(out: Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "failed ({}): {stderr}", out.status);
    assert!(stderr.is_empty(), "unexpected stderr: {stderr}");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// Asserts a failure with exactly one line on stderr that contains every needle; returns it.
pub fn one_line_failure(out: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8(out.stderr.clone()).expect("UTF-8 stderr");
    assert_eq!(out.status.code(), Some(1), "exit status; stderr: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "stdout on failure: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "not one line: {stderr:?}");
    assert!(lines[0].starts_with("spridning: "), "{stderr}");
    for needle in needles {
        assert!(lines[0].contains(needle), "{needle:?} not in {stderr:?}");
    }
    lines[0].to_string()
}

/// A program in a 100×30 pseudo-terminal, its output fed to a terminal emulator and kept raw.
pub struct Tty {
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Box<dyn Write + Send>,
    pub parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, escapes and all.
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
    /// The program's name, for failure messages.
    name: String,
    /// Set once the program's output has ended and been read to the last byte.
    ended: Arc<AtomicBool>,
    /// More to say when a step fails (another process's log, say).
    context: Box<dyn Fn() -> String>,
}

impl Tty {
    /// `spridning --db <db> <args>`, as a person starts it in a colour terminal.
    pub fn start(db: &Path, args: &[&str]) -> Tty {
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(args);
        terminal_env::as_a_colour_terminal(&mut cmd);
        Tty::spawn(cmd)
    }

    /// Any command, in a new pseudo-terminal.
    pub fn spawn(cmd: CommandBuilder) -> Tty {
        let name = cmd
            .get_argv()
            .first()
            .map(|program| {
                let path = Path::new(program);
                path.file_name()
                    .unwrap_or(path.as_os_str())
                    .to_string_lossy()
                    .into_owned()
            })
            .unwrap_or_default();
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let child = pty.slave.spawn_command(cmd).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let writer = pty.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(30), nz(100), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let ended = Arc::new(AtomicBool::new(false));
        let (p, r, e) = (parser.clone(), raw.clone(), ended.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().unwrap().process(&buf[..n]);
                r.lock().unwrap().extend_from_slice(&buf[..n]);
            }
            e.store(true, Ordering::SeqCst);
        });
        Tty {
            child,
            writer,
            parser,
            raw,
            master: pty.master,
            name,
            ended,
            context: Box::new(String::new),
        }
    }

    /// Adds `context()` to the message of every failed step.
    pub fn with_context(mut self, context: impl Fn() -> String + 'static) -> Tty {
        self.context = Box::new(context);
        self
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn wait_for(&mut self, text: &str) {
        self.wait_for_within(text, Duration::from_secs(10));
    }

    /// Waits until `text` is on the screen; fails at `limit`, or at once if the program has
    /// exited and all it wrote has been read without `text` appearing.
    pub fn wait_for_within(&mut self, text: &str, limit: Duration) {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            let ended = self.ended.load(Ordering::SeqCst);
            if self.screen().contains(text) {
                return;
            }
            if ended && let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "{} exited ({status:?}) before '{text}' appeared; the screen shows:\n{}{}",
                    self.name,
                    self.screen(),
                    (self.context)()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "'{text}' did not appear; the screen shows:\n{}{}",
            self.screen(),
            (self.context)()
        );
    }

    /// Keeps only the list's rows matching `filter` (`/`, the text, Enter): a test that wants
    /// a method on the first row says which, rather than relying on the sample's order.
    pub fn show_only(&mut self, filter: &str) {
        self.send("/");
        self.send(filter);
        self.send("\r");
        self.wait_for(&format!("/{filter}"));
    }

    /// Moves to the tab titled `title` the way a person does: Tab until the tab bar marks it
    /// (`▸`), however many tabs there are.
    pub fn go_to(&mut self, title: &str) {
        let wanted = format!("▸{title}");
        let tab_bar = |tty: &Tty| tty.screen().lines().next().unwrap_or("").to_string();
        for _ in 0..10 {
            let before = tab_bar(self);
            if before.contains(&wanted) {
                return;
            }
            self.send("\t");
            let deadline = Instant::now() + Duration::from_secs(10);
            while tab_bar(self) == before && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        panic!(
            "the tab {title} was not reached with Tab; the screen shows:\n{}{}",
            self.screen(),
            (self.context)()
        );
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Let each burst arrive as a person's typing would.
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!(
            "{} did not exit; the screen shows:\n{}{}",
            self.name,
            self.screen(),
            (self.context)()
        );
    }

    /// Whether the app left the alternate screen and showed the cursor again on its way out.
    pub fn restored(&self) -> bool {
        let raw = self.raw.lock().unwrap();
        let text = String::from_utf8_lossy(&raw);
        let leave = text.rfind("\x1b[?1049l");
        let enter = text.rfind("\x1b[?1049h");
        matches!((enter, leave), (Some(e), Some(l)) if l > e)
    }
}

impl Drop for Tty {
    /// After a failed step: Ctrl-C quits the app so it ends in order (over SSH, a killed
    /// client would leave sshd to drop the app unreaped); the program is killed if that does
    /// not do.
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        let _ = self.writer.write_all(b"\x03");
        let _ = self.writer.flush();
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

/// A register whose web report crosses every cap of its default page (`report::html`'s
/// `METHODS_SHOWN`, `UNITS_SHOWN`, `LIST_ROWS_SHOWN`, `HISTORY_SHOWN`), small enough to
/// build in a moment: Stockholm's units from `init` and `UNITS_SHOWN + 10` districts of its
/// own, `METHODS_SHOWN + 20` methods, each in 5 to 39 of its districts (so which are in the
/// most units matters), a third of the stages stalled pilots (20 months, heard from then), a
/// third not heard from since 2010, a third implemented half a year ago: some 2 300 events.
pub fn register_over_the_report_caps() -> Sandbox {
    use spridning::report::html::{METHODS_SHOWN, UNITS_SHOWN};
    let today = chrono::Local::now().date_naive();
    let months_ago = |n: u32| {
        today
            .checked_sub_months(chrono::Months::new(n))
            .expect("a day")
            .to_string()
    };
    let (stalled, fresh) = (months_ago(20), months_ago(6));
    let recorded = format!("{}T12:00:00Z", today.pred_opt().expect("yesterday"));
    let units = UNITS_SHOWN + 10;
    let methods = METHODS_SHOWN + 20;
    let regions = ["innerstad", "söderort", "västerort"];
    let unit_list: Vec<Value> = (1..=units)
        .map(|j| {
            serde_json::json!({"code": format!("E{j:02}"), "name": format!("Enhet {j:02}"),
                "kind": "district", "region": regions[j % 3], "valid_from": "1999-01-01",
                "valid_to": null, "successor": null})
        })
        .collect();
    let method_list: Vec<Value> = (1..=methods)
        .map(|k| {
            serde_json::json!({"name": format!("Metod {k:03}"), "short_name": null,
                "kind": "intervention", "area": "missbruk", "description": "",
                "target_group": null, "origin": null, "evidence": null,
                "evidence_link": null, "contact": null})
        })
        .collect();
    let mut events = Vec::new();
    for k in 1..=methods {
        for j in 1..=5 + (k * 7) % (units - 5) {
            let (stage, date) = match (k + j) % 3 {
                0 => ("pilot", stalled.as_str()),
                1 => ("implemented", "2010-01-01"),
                _ => ("implemented", fresh.as_str()),
            };
            events.push(serde_json::json!({"method": format!("Metod {k:03}"),
                "unit": format!("E{j:02}"), "stage": stage, "date": date, "note": "",
                "source": "", "recorded_by": "tester", "recorded_at": recorded,
                "retracted": false, "retraction": null}));
        }
    }
    let data = serde_json::json!({"spridning": 1, "units": unit_list,
        "methods": method_list, "events": events});
    let sb = Sandbox::init();
    sb.write("capped.json", &data.to_string());
    sb.ok(&["import", "capped.json"]);
    sb
}

/// The workshop deck the README shows and the slide tests draw: three methods of the
/// sample, as of 2025-06-30 (`spridning --present --methods ASI,FUEL,"Konsultläkare
/// (förtroendeläkare/socialläkare)" --as-of 2025-06-30`).
pub fn readme_deck(from_command_line: bool) -> spridning::app::DeckOptions {
    spridning::app::DeckOptions {
        methods: vec![
            "ASI".into(),
            "FUEL".into(),
            "Konsultläkare (förtroendeläkare/socialläkare)".into(),
        ],
        area: None,
        day: chrono::NaiveDate::from_ymd_opt(2025, 6, 30),
        from_command_line,
    }
}
