//! The load harness: does one small server carry many people at once? It starts N real
//! terminal apps (`spridning --db COPY`), each in a pseudo-terminal of 120×40 as sshd would
//! give it, parks a quarter of them on each of Methods, Matrix, Spread and Activity, and
//! lets W writers commit one stage event a second each through the library (as other
//! people's apps would) for S seconds. Then it says what that cost and how it felt.
//!
//! ```sh
//! cargo build --release                      # the binary measured: target/release/spridning
//! cargo bench --bench scale -- ends          # once, to build target/scale/l.db (L, 10⁶ events)
//! cargo run --release --example load -- --sessions 300 --writers 4 --seconds 60
//! cargo run --release --example load -- --sessions 300 --writers 0 --seconds 60   # idle cost
//! cargo run --release --example load -- --sessions 60 --writers 4 --bin old/spridning  # A/B
//! ```
//!
//! Options: `--sessions N` (default 20), `--writers W` (4), `--seconds S` (30), `--db PATH`
//! (`target/scale/l.db`; `--generate` builds L there when it is missing), `--bin PATH`
//! (`target/release/spridning`, or `LOAD_BIN`), `--watch K` (Activity sessions whose screens
//! are parsed for the live delay; default all of them), `--parallel P` (sessions starting at
//! once, 8), `--settle SECS` (quiet time after the last session is parked, 5), `--grace SECS`
//! (time after the interval for the last writes to reach the screens, 5), and two guards
//! for the machine: `--min-free-mb M` (1024) and `--limit SECS` (the whole run; default
//! 120 + N/4 + settle + S + grace). Past either, a watchdog thread SIGKILLs every session
//! and writer at once and the run stops with an error: an overloaded app can take the
//! machine with it (threads piling up, gigabytes of memory).
//!
//! The register is never touched: SQLite's online backup copies it (read-only, consistent
//! even while it is written) into a temporary folder, and every session, writer and check
//! works on that copy, which goes with the folder. The writers are registered there as
//! coordinators `loadw1`, `loadw2`, …; the sessions run as the copy's owner (a coordinator).
//!
//! The sessions start `--parallel` at a time; each is sent its tab's keys (Tab twice for
//! Matrix, three times for Spread, Shift-Tab once for Activity) one at a time, and counts as
//! parked when its tab bar marks that tab. After the last is parked and `--settle` seconds
//! have passed, the measured interval of S seconds begins. Every pty is drained all along by
//! a thread of its own, so no session blocks on its output while the harness gets the CPU.
//!
//! The writers are processes, this example run again (`--writer-child K`, hidden), each in
//! a session of its own as a person's app over SSH would be: with the kernel's autogroups
//! every session gets its fair share of the CPU, so writer threads inside the harness would
//! share one 1/(N+1) slice with its N pty threads and look far slower than an app. A writer
//! opens its connection once, says it is ready, and starts on the harness's word.
//!
//! The figures, each beside the issue's target (300 idle TUIs and 4 writers against L on a
//! 2-core machine) where there is one:
//!
//! - **CPU, sessions + writers**: the CPU time every session and writer process used in the
//!   interval (`utime + stime` from `/proc/PID/stat`, all its threads; each over the time
//!   between its own two readings), as % of one core; target ≤ 150 %. Also per session
//!   (mean, max), per tab (with the CPU time per commit, idle cost included), and the
//!   machine's busy time from `/proc/stat` (every process: the harness, a compiler someone
//!   runs) as a cross-check; "others" is the machine less the sessions, the writers and the
//!   harness. A machine near 200 % means the processes wanted more than they got.
//! - **Harness**: the harness process (`/proc/self/stat`): the threads draining the ptys and
//!   parsing the watched screens with `vt100`, and its measuring.
//! - **Write**: each `Store::record_stage` from call to return (the commit included), on one
//!   connection per writer, to a random method and unit of the whole register and a random
//!   stage; median, p95, p99, max. A refusal by spridning's rules is counted apart from a
//!   failed write (locked, busy, any other error); a write still under way when the run
//!   ends counts as unfinished, with its time so far among the samples (a floor). Writes are
//!   due at fixed times (writer k at k/W of every second); a writer that falls behind
//!   catches up at once, and the dues it could not start before the end are said too.
//!   Target p99 ≤ 200 ms, no failed write.
//! - **Live delay**: per (write, watching session), from the commit's return to the first
//!   screen output that shows the write's note (`load-000123`, unique) on an Activity session
//!   (newest first), by the wall clock the processes share; p50, p95, p99, max, and how many
//!   pairs never showed, within the interval plus `--grace`. A screen that falls so far
//!   behind that a write has scrolled below its 40 rows before it is drawn counts as never
//!   shown. Only the watched sessions' output is parsed (the rest is drained and thrown
//!   away); target p95 ≤ 1 s.
//! - **RSS**: `VmRSS` of each session at the end of the interval: mean, max, total, per tab,
//!   and the highest peak (`VmHWM`).
//! - **Output**: bytes each session wrote to its terminal during the interval, per second (how
//!   often and how much it redraws).
//!
//! With `--writers 0` nothing is written: the figures are the idle cost of untouched TUIs.
//! Every session and writer is ended at the end (a session by SIGHUP, as a dropped SSH
//! connection, SIGKILL after 3 s), and on Ctrl-C, an error or a guard too.
//!
//! Known limits: the harness and the sessions share the two cores, so its own parsing and a
//! compiler running beside it weigh on the figures (see the harness and "others" rows); when
//! the machine is overloaded the harness's threads get their share late like everyone else,
//! so its pty reading, and with it the live delay and the sessions' output, lag too (the
//! figures then say "overloaded" rather than how much). The writers use this tree's library,
//! so a `--bin` older than the tree's schema would refuse the copy they have opened.

#[path = "../tests/common/terminal_env.rs"]
mod terminal_env;

use std::collections::HashMap;
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use spridning::domain::{EventDate, NewEvent, Problem, Stage};
use spridning::scale::Rng;
use spridning::store::Store;

const ROWS: u16 = 40;
const COLS: u16 = 120;
/// The writes' notes: this and a six-digit number, unique in a run.
const NOTE: &str = "load-";
/// The longest one session may take from launch to its tab.
const START_LIMIT: Duration = Duration::from_secs(120);

/// The harness's options (see the module notes).
#[derive(Parser, Debug)]
#[command(about = "Many spridning TUIs and a few writers against one register")]
struct Args {
    /// TUI sessions, a quarter on each of Methods, Matrix, Spread and Activity.
    #[arg(long, default_value_t = 20)]
    sessions: usize,
    /// Writers, each committing one stage event a second.
    #[arg(long, default_value_t = 4)]
    writers: usize,
    /// The measured interval, in seconds.
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// The register (copied, never written): default target/scale/l.db.
    #[arg(long)]
    db: Option<PathBuf>,
    /// The binary the sessions run: default target/release/spridning.
    #[arg(long, env = "LOAD_BIN")]
    bin: Option<PathBuf>,
    /// Activity sessions whose screens are parsed for the live delay (default: all).
    #[arg(long)]
    watch: Option<usize>,
    /// Sessions starting at once.
    #[arg(long, default_value_t = 8)]
    parallel: usize,
    /// Seconds of quiet after the last session is parked, before the interval.
    #[arg(long, default_value_t = 5)]
    settle: u64,
    /// Seconds after the interval for its last writes to reach the screens.
    #[arg(long, default_value_t = 5)]
    grace: u64,
    /// Stop (killing every session) when the machine has less memory available, in MB.
    #[arg(long, default_value_t = 1024)]
    min_free_mb: u64,
    /// Stop (killing every session) when the whole run takes longer, in seconds
    /// (default 120 + sessions/4 + settle + seconds + grace).
    #[arg(long)]
    limit: Option<u64>,
    /// Build L at --db when it is missing (minutes).
    #[arg(long)]
    generate: bool,
    /// Run as writer K (0-based) on the copy given by --db: the harness starts these.
    #[arg(long, hide = true)]
    writer_child: Option<usize>,
}

/// The tab a session is parked on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Park {
    Methods,
    Matrix,
    Spread,
    Activity,
}

impl Park {
    const ALL: [Park; 4] = [Park::Methods, Park::Matrix, Park::Spread, Park::Activity];

    /// Session `i`'s tab: in turn, so every batch of starts mixes them.
    fn of(i: usize) -> Park {
        Park::ALL[i % Park::ALL.len()]
    }

    fn title(self) -> &'static str {
        match self {
            Park::Methods => "Methods",
            Park::Matrix => "Matrix",
            Park::Spread => "Spread",
            Park::Activity => "Activity",
        }
    }

    /// The key that moves towards the tab from Methods, and how many times (the bar is
    /// Methods, Units, Matrix, Spread, Rounds, Activity; Shift-Tab wraps to the last).
    fn keys(self) -> (&'static str, usize) {
        match self {
            Park::Methods => ("", 0),
            Park::Matrix => ("\t", 2),
            Park::Spread => ("\t", 3),
            Park::Activity => ("\x1b[Z", 1),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Microseconds since the Unix epoch: the clock the writers and the harness share.
fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

// --- the sessions ---------------------------------------------------------------------

/// What a session's output thread keeps: the screen while it is looked at, the writes seen.
struct Screen {
    /// The screen as a terminal shows it; `None` once nobody looks (the output is then
    /// drained and thrown away).
    parser: Mutex<Option<vt100::Parser>>,
    /// Whether the screen is searched for the writes' notes after every chunk of output.
    watch: AtomicBool,
    /// Each write's number, and when its note first reached the screen (µs).
    seen: Mutex<HashMap<u64, u64>>,
    /// Bytes written to the terminal so far.
    bytes: AtomicU64,
}

/// How far a session has come from launch to its tab.
enum Start {
    Launched,
    /// Keys sent so far, and the tab bar after the last one.
    Moving {
        sent: usize,
        bar: String,
    },
    Parked,
}

/// One `spridning` in its pseudo-terminal.
struct Session {
    park: Park,
    pid: u32,
    child: Box<dyn Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    screen: Arc<Screen>,
    state: Start,
    launched: Instant,
    parked_after: Duration,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn spawn(bin: &Path, db: &Path, park: Park) -> Result<Session> {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| anyhow!("a pseudo-terminal: {e}"))?;
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(["--lang", "en", "--db"]);
        cmd.arg(db);
        // As term_bench and the pty tests: the app asks the terminal nothing.
        terminal_env::as_a_colour_terminal(&mut cmd);
        let launched = Instant::now();
        let child = pty
            .slave
            .spawn_command(cmd)
            .map_err(|e| anyhow!("{} does not start: {e}", bin.display()))?;
        drop(pty.slave);
        let pid = child.process_id().context("the session's process id")?;
        let reader = pty
            .master
            .try_clone_reader()
            .map_err(|e| anyhow!("the pty's reader: {e}"))?;
        let keys = pty
            .master
            .take_writer()
            .map_err(|e| anyhow!("the pty's writer: {e}"))?;
        let screen = Arc::new(Screen {
            parser: Mutex::new(Some(vt100::Parser::new(nz(ROWS), nz(COLS), 0))),
            watch: AtomicBool::new(false),
            seen: Mutex::new(HashMap::new()),
            bytes: AtomicU64::new(0),
        });
        let s = screen.clone();
        std::thread::Builder::new()
            .name(format!("pty {pid}"))
            .stack_size(256 * 1024)
            .spawn(move || drain(reader, &s))
            .context("a thread for the pty")?;
        Ok(Session {
            park,
            pid,
            child,
            keys,
            screen,
            state: Start::Launched,
            launched,
            parked_after: Duration::ZERO,
            _master: pty.master,
        })
    }

    fn contents(&self) -> String {
        lock(&self.screen.parser)
            .as_ref()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    fn send(&mut self, keys: &str) -> Result<()> {
        self.keys.write_all(keys.as_bytes())?;
        self.keys.flush()?;
        Ok(())
    }

    /// One step towards the session's tab: whether it is parked there.
    fn step(&mut self) -> Result<bool> {
        if let Some(status) = self.child.try_wait()? {
            bail!(
                "a session ended while starting ({status:?}):\n{}",
                self.contents()
            );
        }
        if self.launched.elapsed() > START_LIMIT {
            bail!(
                "a session did not reach {} within {START_LIMIT:?}:\n{}",
                self.park.title(),
                self.contents()
            );
        }
        let bar = self.contents().lines().next().unwrap_or("").to_string();
        let target = format!("▸{}", self.park.title());
        let (key, count) = self.park.keys();
        match &mut self.state {
            Start::Parked => return Ok(true),
            _ if bar.contains(&target) => {
                self.state = Start::Parked;
                self.parked_after = self.launched.elapsed();
                return Ok(true);
            }
            Start::Launched if bar.contains('▸') => {
                self.state = Start::Moving { sent: 1, bar };
                self.send(key)?;
            }
            Start::Moving { sent, bar: last } if *last != bar && *sent < count => {
                *sent += 1;
                *last = bar;
                self.send(key)?;
            }
            Start::Launched | Start::Moving { .. } => {}
        }
        Ok(false)
    }
}

/// Reads a session's output as long as there is any: into its screen while someone looks,
/// and the writes' notes found there after every chunk while it is watched.
fn drain(mut reader: Box<dyn Read + Send>, screen: &Screen) {
    let mut buf = vec![0u8; 65536];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // EIO: the session has ended and the terminal is gone.
            Err(_) => break,
        };
        let at = now_us();
        screen.bytes.fetch_add(n as u64, Ordering::Relaxed);
        let mut parser = lock(&screen.parser);
        let Some(p) = parser.as_mut() else {
            continue;
        };
        p.process(&buf[..n]);
        if screen.watch.load(Ordering::Relaxed) {
            let contents = p.screen().contents();
            drop(parser);
            let mut seen = lock(&screen.seen);
            for number in notes(&contents) {
                seen.entry(number).or_insert(at);
            }
        }
    }
}

/// The numbers of the writes whose notes a screen shows.
fn notes(screen: &str) -> impl Iterator<Item = u64> + '_ {
    screen.match_indices(NOTE).filter_map(|(i, _)| {
        let digits = screen.get(i + NOTE.len()..i + NOTE.len() + 6)?;
        if digits.bytes().all(|b| b.is_ascii_digit()) {
            digits.parse().ok()
        } else {
            None
        }
    })
}

fn nz(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN)
}

/// Every session; ended when dropped, whatever happened.
struct Fleet {
    sessions: Vec<Session>,
    watchdog: Arc<Watchdog>,
}

impl Fleet {
    fn push(&mut self, session: Session) {
        lock(&self.watchdog.pids).push(session.pid);
        self.sessions.push(session);
    }

    /// Ends every session: SIGHUP to all (as a dropped SSH connection), then SIGKILL for any
    /// still there after 3 s; each is waited for. How many needed the SIGKILL.
    fn end(&mut self) -> usize {
        // Out of the watchdog's hands before any is reaped (a reaped pid may be reused).
        let mine: Vec<u32> = self.sessions.iter().map(|s| s.pid).collect();
        lock(&self.watchdog.pids).retain(|p| !mine.contains(p));
        for s in &mut self.sessions {
            // The killer of a child sends SIGHUP only, without waiting.
            let _ = s.child.clone_killer().kill();
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut left: Vec<Session> = std::mem::take(&mut self.sessions);
        while !left.is_empty() && Instant::now() < deadline {
            left.retain_mut(|s| !matches!(s.child.try_wait(), Ok(Some(_)) | Err(_)));
            std::thread::sleep(Duration::from_millis(20));
        }
        let killed = left.len();
        for mut s in left {
            let _ = s.child.kill();
            let _ = s.child.wait();
        }
        killed
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        if !self.sessions.is_empty() {
            self.end();
        }
    }
}

// --- the guards -----------------------------------------------------------------------

/// Stops the run, in a thread of its own, when the machine runs low on memory or the run
/// takes too long: it SIGKILLs every session and writer at once (the harness's other
/// threads may be starving) and tells the harness, which then ends as on Ctrl-C.
struct Watchdog {
    stop: Arc<AtomicBool>,
    /// The sessions' and writers' processes while they run (taken out before reaping).
    pids: Mutex<Vec<u32>>,
    /// Why the watchdog stopped the run.
    reason: Mutex<Option<String>>,
    /// Set when the harness is done with its processes.
    done: AtomicBool,
}

impl Watchdog {
    fn watch(&self, limit: Duration, min_free_mb: u64, temp: &Path) {
        let began = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(200));
            if self.done.load(Ordering::Relaxed) {
                return;
            }
            let why = if began.elapsed() > limit {
                format!(
                    "the run took longer than its limit of {} s (--limit)",
                    limit.as_secs()
                )
            } else {
                match mem_available_mb() {
                    Some(free) if free < min_free_mb => {
                        let pids = lock(&self.pids).clone();
                        let rss: Vec<u64> = pids
                            .iter()
                            .filter_map(|p| status_kb(*p, "VmRSS:"))
                            .collect();
                        format!(
                            "only {free} MB of memory left (--min-free-mb {min_free_mb}); the \
                             sessions held {} MB (the largest {} MB)",
                            rss.iter().sum::<u64>() / 1024,
                            rss.iter().max().copied().unwrap_or(0) / 1024
                        )
                    }
                    _ => continue,
                }
            };
            eprintln!("stopping: {why}");
            *lock(&self.reason) = Some(why);
            self.stop.store(true, Ordering::Relaxed);
            for pid in lock(&self.pids).iter() {
                sigkill(*pid);
            }
            // The harness ends as on Ctrl-C; should it be stuck, it is ended here.
            let stopped = Instant::now();
            while stopped.elapsed() < Duration::from_secs(60) {
                std::thread::sleep(Duration::from_millis(200));
                if self.done.load(Ordering::Relaxed) {
                    return;
                }
            }
            let _ = std::fs::remove_dir_all(temp);
            eprintln!("the harness did not end within a minute of the stop: ended here");
            std::process::exit(3);
        }
    }
}

#[allow(unsafe_code, reason = "a session is killed with libc::kill")]
fn sigkill(pid: u32) {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) only sends a signal, to a child not yet reaped (`Watchdog::pids`).
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

/// Ctrl-C (SIGINT, SIGTERM, SIGHUP) or the watchdog: the harness's waits end in an error.
struct Guard {
    stop: Arc<AtomicBool>,
    watchdog: Arc<Watchdog>,
}

impl Guard {
    fn check(&self) -> Result<()> {
        if self.stop.load(Ordering::Relaxed) {
            match lock(&self.watchdog.reason).as_ref() {
                Some(why) => bail!("stopped: {why}"),
                None => bail!("interrupted"),
            }
        }
        Ok(())
    }

    /// Sleeps `d`, checking every 50 ms.
    fn nap(&self, d: Duration) -> Result<()> {
        let until = Instant::now() + d;
        loop {
            self.check()?;
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50).min(left));
        }
    }
}

// --- what /proc says ------------------------------------------------------------------

/// Clock ticks a second, the unit of `/proc/*/stat` and `/proc/stat`.
#[allow(
    unsafe_code,
    reason = "sysconf has no safe binding among the dependencies"
)]
fn clock_ticks() -> f64 {
    // SAFETY: sysconf reads a constant of the system and has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as f64 } else { 100.0 }
}

/// `utime + stime` of a `/proc/…/stat` file, in clock ticks.
fn cpu_ticks(stat: &str) -> Option<u64> {
    let text = std::fs::read_to_string(stat).ok()?;
    // The name, in parentheses, may hold spaces; the fields after it start at the state (3).
    let rest = text.get(text.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// The machine's busy clock ticks (all CPUs, every process) from `/proc/stat`.
fn machine_busy() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    let line = text.lines().find(|l| l.starts_with("cpu "))?;
    let v: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest is within user)
    Some(v.iter().take(8).sum::<u64>() - v.get(3)? - v.get(4)?)
}

/// A field of a process's `/proc/PID/status` in kB (`VmRSS:`, `VmHWM:`).
fn status_kb(pid: u32, field: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find(|l| l.starts_with(field))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

/// `MemAvailable` of the machine, in MB.
fn mem_available_mb() -> Option<u64> {
    let kb: u64 = std::fs::read_to_string("/proc/meminfo")
        .ok()?
        .lines()
        .find(|l| l.starts_with("MemAvailable:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024)
}

/// CPU clock ticks and when they were read: with hundreds of processes, and a busy
/// machine, a snapshot takes a while, so each figure keeps its own moment.
#[derive(Clone, Copy)]
struct Ticks {
    ticks: u64,
    at: Instant,
}

impl Ticks {
    fn of(stat: &str) -> Ticks {
        let ticks = cpu_ticks(stat).unwrap_or(0);
        Ticks {
            ticks,
            at: Instant::now(),
        }
    }

    fn machine() -> Ticks {
        let ticks = machine_busy().unwrap_or(0);
        Ticks {
            ticks,
            at: Instant::now(),
        }
    }

    /// % of one core from `self` to `later`.
    fn pct(self, later: Ticks) -> f64 {
        let secs = (later.at - self.at).as_secs_f64().max(0.001);
        later.ticks.saturating_sub(self.ticks) as f64 / clock_ticks() / secs * 100.0
    }
}

/// CPU of every session and writer (by position), the harness and the machine, and each
/// session's output so far.
struct Snapshot {
    at: Instant,
    sessions: Vec<Ticks>,
    writers: Vec<Ticks>,
    harness: Ticks,
    machine: Ticks,
    bytes: Vec<u64>,
}

impl Snapshot {
    fn take(fleet: &Fleet, writers: &WriterFleet) -> Snapshot {
        let at = Instant::now();
        let machine = Ticks::machine();
        let sessions = fleet
            .sessions
            .iter()
            .map(|s| Ticks::of(&format!("/proc/{}/stat", s.pid)))
            .collect();
        let writers = writers
            .procs
            .iter()
            .map(|w| Ticks::of(&format!("/proc/{}/stat", w.id())))
            .collect();
        Snapshot {
            at,
            sessions,
            writers,
            harness: Ticks::of("/proc/self/stat"),
            machine,
            bytes: fleet
                .sessions
                .iter()
                .map(|s| s.screen.bytes.load(Ordering::Relaxed))
                .collect(),
        }
    }
}

// --- the writers ----------------------------------------------------------------------

/// How a write ended.
enum Outcome {
    Committed,
    /// Refused by spridning's rules (a future date, a unit closed): not a failure.
    Refused(String),
    /// Locked, busy or any other error.
    Failed(String),
}

struct WriteRecord {
    number: u64,
    took: Duration,
    /// When the call returned (the commit done), in µs of the shared clock.
    done: u64,
    outcome: Outcome,
}

/// What the writers have said so far (each writer's lines are read by a thread of the
/// harness, so a writer stuck in a write is never waited for).
#[derive(Default)]
struct Said {
    records: Mutex<Vec<WriteRecord>>,
    /// Writes under way: their numbers and when they began (µs).
    under_way: Mutex<HashMap<u64, u64>>,
    /// Writes due before the end that a writer, behind, could not start.
    missed: AtomicUsize,
    /// A writer that could not open the register, or another error outside a write.
    errors: Mutex<Vec<String>>,
    ready: AtomicUsize,
    /// Writers whose output has ended.
    finished: AtomicUsize,
}

/// Reads one writer's lines (see `writer_main`) into what the writers have said.
fn listen(out: impl Read, said: &Said) {
    for line in std::io::BufReader::new(out).lines() {
        let Ok(line) = line else {
            break;
        };
        let fields: Vec<&str> = line.splitn(6, ' ').collect();
        let num = |i: usize| fields.get(i).and_then(|n| n.parse::<u64>().ok());
        match fields.first().copied() {
            Some("ready") => {
                said.ready.fetch_add(1, Ordering::Relaxed);
            }
            Some("B") => {
                if let (Some(number), Some(began)) = (num(1), num(2)) {
                    lock(&said.under_way).insert(number, began);
                }
            }
            Some("W") => {
                let (Some(number), Some(took), Some(done)) = (num(1), num(2), num(3)) else {
                    continue;
                };
                let message = fields.get(5).copied().unwrap_or("").to_string();
                let outcome = match fields.get(4).copied() {
                    Some("C") => Outcome::Committed,
                    Some("R") => Outcome::Refused(message),
                    _ => Outcome::Failed(message),
                };
                let mut records = lock(&said.records);
                lock(&said.under_way).remove(&number);
                records.push(WriteRecord {
                    number,
                    took: Duration::from_micros(took),
                    done,
                    outcome,
                });
            }
            Some("M") => {
                let missed = num(1).unwrap_or(0);
                said.missed.fetch_add(missed as usize, Ordering::Relaxed);
            }
            Some("E") => lock(&said.errors).push(line.get(2..).unwrap_or("").to_string()),
            _ => {}
        }
    }
    said.finished.fetch_add(1, Ordering::Relaxed);
}

/// The writer processes; ended when dropped, whatever happened.
struct WriterFleet {
    procs: Vec<std::process::Child>,
    said: Arc<Said>,
    watchdog: Arc<Watchdog>,
}

impl WriterFleet {
    /// Starts `writers` writers on `db`, each in a session of its own, and a thread reading
    /// each one's lines.
    fn start(
        writers: usize,
        seconds: u64,
        db: &Path,
        watchdog: &Arc<Watchdog>,
    ) -> Result<WriterFleet> {
        let exe = std::env::current_exe().context("the harness's own path")?;
        let mut fleet = WriterFleet {
            procs: Vec::new(),
            said: Arc::new(Said::default()),
            watchdog: watchdog.clone(),
        };
        for k in 0..writers {
            let mut child = spawn_writer(&exe, (k, writers, seconds), db)?;
            lock(&watchdog.pids).push(child.id());
            let out = child.stdout.take().context("a writer's output")?;
            let said = fleet.said.clone();
            std::thread::Builder::new()
                .name(format!("writer {}", k + 1))
                .spawn(move || listen(out, &said))?;
            fleet.procs.push(child);
        }
        Ok(fleet)
    }

    /// Tells every writer to begin.
    fn go(&mut self) -> Result<()> {
        for p in &mut self.procs {
            if let Some(stdin) = p.stdin.as_mut() {
                stdin.write_all(b"go\n")?;
                stdin.flush()?;
            }
        }
        Ok(())
    }

    fn end(&mut self) {
        let mine: Vec<u32> = self.procs.iter().map(std::process::Child::id).collect();
        lock(&self.watchdog.pids).retain(|p| !mine.contains(p));
        for mut p in self.procs.drain(..) {
            if !matches!(p.try_wait(), Ok(Some(_))) {
                let _ = p.kill();
            }
            let _ = p.wait();
        }
    }
}

impl Drop for WriterFleet {
    fn drop(&mut self) {
        self.end();
    }
}

#[allow(
    unsafe_code,
    reason = "a writer gets a session of its own with libc::setsid"
)]
fn spawn_writer(
    exe: &Path,
    (k, of, seconds): (usize, usize, u64),
    db: &Path,
) -> Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    let mut cmd = std::process::Command::new(exe);
    cmd.arg("--writer-child")
        .arg(k.to_string())
        .arg("--writers")
        .arg(of.to_string())
        .arg("--seconds")
        .arg(seconds.to_string())
        .arg("--db")
        .arg(db)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    // SAFETY: setsid is async-signal-safe, and the closure touches nothing else.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() == -1 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(())
            }
        });
    }
    cmd.spawn().context("a writer process")
}

/// What the writers need of the register.
struct Register {
    methods: Vec<i64>,
    units: Vec<i64>,
    events: i64,
}

impl Register {
    /// Registers the writers' logins as coordinators.
    fn enrol(db: &Path, writers: usize) -> Result<()> {
        let mut admin = Store::open(db, "load")?;
        admin.grant_owner();
        for k in 1..=writers {
            admin.add_user(&format!("loadw{k}"), "coordinator", &[])?;
        }
        Ok(())
    }

    /// The methods, the units that exist today, and the events.
    fn read(db: &Path) -> Result<Register> {
        let conn =
            rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let ids = |sql: &str| -> Result<Vec<i64>> {
            let mut stmt = conn.prepare(sql)?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        };
        let methods = ids("SELECT id FROM method")?;
        let units = ids(
            "SELECT id FROM unit WHERE (valid_from IS NULL OR valid_from <= date('now'))
             AND (valid_to IS NULL OR valid_to >= date('now'))",
        )?;
        let events = conn.query_row("SELECT count(*) FROM stage_event", [], |r| r.get(0))?;
        if methods.is_empty() || units.is_empty() {
            bail!("the register has no methods or no units of today to write to");
        }
        Ok(Register {
            methods,
            units,
            events,
        })
    }
}

/// Writer K (`--writer-child K`): opens its connection, says `ready`, waits for `go` on its
/// input, then commits one stage event a second (at K/W of each second) for the interval,
/// saying each write on its output: `B number began` before it, `W number took done kind
/// message` after it (µs; kind C committed, R refused by the rules, F failed), then `M
/// missed` (dues it could not start before the end), or `E message` for any other error.
fn writer_main(args: &Args, k: usize) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let db = args.db.clone().context("a writer needs --db")?;
    let login = format!("loadw{}", k + 1);
    let opened = Register::read(&db).and_then(|r| Ok((r, Store::open(&db, &login)?)));
    let (register, mut store) = match opened {
        Ok(both) => both,
        Err(e) => {
            writeln!(out, "E {login}: {}", one_line(&format!("{e:#}")))?;
            return Ok(());
        }
    };
    writeln!(out, "ready")?;
    out.flush()?;
    let mut word = String::new();
    std::io::stdin().read_line(&mut word)?;
    if word.trim() != "go" {
        return Ok(());
    }
    let t0 = Instant::now();
    let of = args.writers.max(1);
    let mut rng = Rng::new(0x10AD + k as u64);
    let offset = Duration::from_secs_f64(k as f64 / of as f64);
    let end = t0 + Duration::from_secs(args.seconds);
    let mut missed = 0;
    for second in 0u64.. {
        let due = t0 + offset + Duration::from_secs(second);
        if due >= end {
            break;
        }
        if Instant::now() >= end {
            missed += 1;
            continue;
        }
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            std::thread::sleep(wait);
        }
        // Unique in the run: writer k's i-th write is 1 + k + W·i.
        let number = 1 + k as u64 + of as u64 * second;
        let event = NewEvent {
            method_id: register.methods[rng.below(register.methods.len())],
            unit_id: register.units[rng.below(register.units.len())],
            stage: Stage::ALL[rng.below(Stage::ALL.len())],
            date: EventDate::today(),
            note: format!("{NOTE}{number:06}"),
            source: String::new(),
        };
        writeln!(out, "B {number} {}", now_us())?;
        out.flush()?;
        let began = Instant::now();
        let result = store.record_stage(&event);
        let took = began.elapsed();
        let done = now_us();
        let (kind, message) = match result {
            Ok(_) => ("C", String::new()),
            Err(e) => {
                let problem = e.chain().find_map(|c| c.downcast_ref::<Problem>());
                let kind = match problem {
                    Some(Problem::Locked { .. }) | None => "F",
                    Some(_) => "R",
                };
                (kind, one_line(&format!("{e:#}")))
            }
        };
        writeln!(
            out,
            "W {number} {} {done} {kind} {message}",
            took.as_micros()
        )?;
        out.flush()?;
    }
    writeln!(out, "M {missed}")?;
    out.flush()?;
    Ok(())
}

fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

// --- setting up -----------------------------------------------------------------------

/// Copies the register with SQLite's online backup: read-only on the source, and a
/// consistent copy even while someone writes it (its `-wal` included).
fn copy_register(source: &Path, dest: &Path) -> Result<()> {
    let conn = rusqlite::Connection::open_with_flags(
        source,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("cannot open {}", source.display()))?;
    conn.backup(rusqlite::MAIN_DB, dest, None)
        .with_context(|| format!("cannot copy {} to {}", source.display(), dest.display()))?;
    Ok(())
}

/// Enough file descriptors for the ptys (three each) and the harness.
fn raise_file_limit(sessions: usize) -> Result<()> {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE)?;
    let need = 4 * sessions as u64 + 256;
    if soft < need {
        setrlimit(Resource::RLIMIT_NOFILE, hard, hard)?;
        if hard < need {
            eprintln!("warning: {hard} open files at most; {need} may be needed");
        }
    }
    Ok(())
}

/// The tree's commit, with `+dirty` when files tracked have changed.
fn git_commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(c) => match git(&["status", "--porcelain", "--untracked-files=no"]) {
            Some(s) if !s.is_empty() => format!("{c}+dirty"),
            _ => c,
        },
        None => "unknown (not a git tree)".into(),
    }
}

/// The binary's identity: the start of its SHA-256 and when it was built.
fn binary_id(bin: &Path) -> String {
    use sha2::{Digest, Sha256};
    let hash = std::fs::read(bin).map(|b| Sha256::digest(&b)).ok();
    let hex = hash.map_or_else(String::new, |h| {
        h.iter().take(6).map(|b| format!("{b:02x}")).collect()
    });
    let built = std::fs::metadata(bin)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            chrono::DateTime::<chrono::Local>::from(t)
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    format!("sha256 {hex}…, built {built}")
}

/// Starts every session, `parallel` at a time, and waits until each shows its tab.
fn start_all(
    fleet: &mut Fleet,
    args: &Args,
    (bin, db): (&Path, &Path),
    guard: &Guard,
) -> Result<()> {
    let began = Instant::now();
    let mut starting: Vec<usize> = Vec::new();
    let mut last_said = Instant::now();
    while fleet.sessions.len() < args.sessions || !starting.is_empty() {
        guard.check().context("while starting the sessions")?;
        while starting.len() < args.parallel.max(1) && fleet.sessions.len() < args.sessions {
            let park = Park::of(fleet.sessions.len());
            fleet.push(Session::spawn(bin, db, park)?);
            starting.push(fleet.sessions.len() - 1);
        }
        let mut still = Vec::with_capacity(starting.len());
        for i in starting {
            if !fleet.sessions[i].step()? {
                still.push(i);
            }
        }
        starting = still;
        if last_said.elapsed() > Duration::from_secs(5) {
            last_said = Instant::now();
            eprintln!(
                "  started {} of {}, {} on their way ({:.0} s)",
                fleet.sessions.len() - starting.len(),
                args.sessions,
                starting.len(),
                began.elapsed().as_secs_f64()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

// --- figures --------------------------------------------------------------------------

/// The value at quantile `q` of sorted samples (nearest rank).
fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

fn yes(met: bool) -> &'static str {
    if met { "yes" } else { "NO" }
}

/// Mean and max of some values.
struct Summary {
    count: usize,
    mean: f64,
    max: f64,
    sum: f64,
}

fn summary(values: &[f64]) -> Summary {
    // (0.0 for none: an empty float sum is -0.0.)
    let sum = values.iter().fold(0.0, |a, b| a + b);
    Summary {
        count: values.len(),
        mean: if values.is_empty() {
            0.0
        } else {
            sum / values.len() as f64
        },
        max: values.iter().copied().fold(0.0, f64::max),
        sum,
    }
}

/// The values of the sessions on one tab.
fn on_tab(values: &[f64], park: Park) -> Vec<f64> {
    values
        .iter()
        .enumerate()
        .filter(|(i, _)| Park::of(*i) == park)
        .map(|(_, v)| *v)
        .collect()
}

/// What a run measured.
struct Measured {
    start_took: Duration,
    parked: Vec<Duration>,
    watched: usize,
    settle_cpu: f64,
    first: Snapshot,
    last: Snapshot,
    /// Each session's `VmRSS` and `VmHWM` at the end of the interval, in MB.
    rss: Vec<f64>,
    peak: Vec<f64>,
    records: Vec<WriteRecord>,
    /// The writes under way when the harness stopped waiting: how long so far.
    unfinished: Vec<Duration>,
    missed: usize,
    writer_errors: Vec<String>,
    /// Per watched session: each write's number and when its note first reached the screen.
    seen: Vec<HashMap<u64, u64>>,
    ended_early: usize,
    killed: usize,
    left_behind: usize,
}

/// Starts the sessions and the writers, settles, measures the interval, waits out the
/// grace, and ends every session and writer.
fn measure(args: &Args, (bin, db): (&Path, &Path), guard: &Guard) -> Result<Measured> {
    let mut fleet = Fleet {
        sessions: Vec::new(),
        watchdog: guard.watchdog.clone(),
    };
    let starting = Instant::now();
    eprintln!("starting {} sessions…", args.sessions);
    start_all(&mut fleet, args, (bin, db), guard)?;
    let start_took = starting.elapsed();
    let mut parked: Vec<Duration> = fleet.sessions.iter().map(|s| s.parked_after).collect();
    parked.sort();
    // The watched: the first K on Activity; nobody else's screen is parsed from now on.
    let mut watched = Vec::new();
    for (i, s) in fleet.sessions.iter().enumerate() {
        let mut parser = lock(&s.screen.parser);
        if s.park == Park::Activity && watched.len() < args.watch.unwrap_or(usize::MAX) {
            watched.push(i);
            s.screen.watch.store(true, Ordering::Relaxed);
        } else {
            *parser = None;
        }
    }
    eprintln!(
        "all {} parked in {:.1} s; settling {} s…",
        fleet.sessions.len(),
        start_took.as_secs_f64(),
        args.settle
    );
    // The writers open their connections meanwhile, then all begin at once.
    let mut writers = WriterFleet::start(args.writers, args.seconds, db, &guard.watchdog)?;
    let before_settle = Snapshot::take(&fleet, &writers);
    guard.nap(Duration::from_secs(args.settle))?;
    let waiting = Instant::now();
    while writers.said.ready.load(Ordering::Relaxed) < args.writers {
        if let Some(e) = lock(&writers.said.errors).first() {
            bail!("a writer could not begin: {e}");
        }
        if waiting.elapsed() > Duration::from_secs(60) {
            bail!("the writers were not ready within a minute");
        }
        guard.nap(Duration::from_millis(50))?;
    }
    let first = Snapshot::take(&fleet, &writers);
    writers.go()?;
    let settle_cpu: f64 = before_settle
        .sessions
        .iter()
        .zip(&first.sessions)
        .map(|(a, b)| a.pct(*b))
        .fold(0.0, |a, b| a + b);
    eprintln!("measuring {} s…", args.seconds);
    let measured = guard.nap(Duration::from_secs(args.seconds));
    let last = Snapshot::take(&fleet, &writers);
    let mb = |field: &str| -> Vec<f64> {
        fleet
            .sessions
            .iter()
            .map(|s| status_kb(s.pid, field).map_or(0.0, |kb| kb as f64 / 1024.0))
            .collect()
    };
    let (rss, peak) = (mb("VmRSS:"), mb("VmHWM:"));
    measured?;
    if args.writers > 0 {
        eprintln!(
            "waiting {} s for the last writes to reach the screens…",
            args.grace
        );
        guard.nap(Duration::from_secs(args.grace))?;
        // A writer still in its last write gets ten seconds more, then is left behind.
        let waiting = Instant::now();
        while writers.said.finished.load(Ordering::Relaxed) < args.writers
            && waiting.elapsed() < Duration::from_secs(10)
        {
            guard.nap(Duration::from_millis(100))?;
        }
    }
    let seen: Vec<HashMap<u64, u64>> = watched
        .iter()
        .map(|&i| lock(&fleet.sessions[i].screen.seen).clone())
        .collect();
    let ended_early = fleet
        .sessions
        .iter_mut()
        .map(|s| s.child.try_wait())
        .filter(|status| !matches!(status, Ok(None)))
        .count();
    let pids: Vec<u32> = fleet.sessions.iter().map(|s| s.pid).collect();
    let now = now_us();
    let unfinished = lock(&writers.said.under_way)
        .values()
        .map(|began| Duration::from_micros(now.saturating_sub(*began)))
        .collect();
    writers.end();
    let killed = fleet.end();
    let left_behind = pids
        .iter()
        .filter(|pid| Path::new(&format!("/proc/{pid}")).exists())
        .count();
    let records = std::mem::take(&mut *lock(&writers.said.records));
    Ok(Measured {
        start_took,
        parked,
        watched: watched.len(),
        settle_cpu,
        first,
        last,
        rss,
        peak,
        records,
        unfinished,
        missed: writers.said.missed.load(Ordering::Relaxed),
        writer_errors: lock(&writers.said.errors).clone(),
        seen,
        ended_early,
        killed,
        left_behind,
    })
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(k) = args.writer_child {
        return writer_main(&args, k);
    }
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let source = args
        .db
        .clone()
        .unwrap_or_else(|| root.join("target/scale/l.db"));
    let bin = args
        .bin
        .clone()
        .unwrap_or_else(|| root.join("target/release/spridning"));
    if !bin.is_file() {
        bail!(
            "no binary at {} (cargo build --release builds it; --bin or LOAD_BIN names another)",
            bin.display()
        );
    }
    if !source.exists() {
        if !args.generate {
            bail!(
                "no register at {}: `cargo bench --bench scale -- ends` builds L there (or \
                 `cargo run --release --example gen_scale`, see src/scale.rs), or run this \
                 again with --generate",
                source.display()
            );
        }
        eprintln!("building L at {} (minutes)…", source.display());
        if let Some(dir) = source.parent() {
            std::fs::create_dir_all(dir)?;
        }
        spridning::scale::generate(&source, &spridning::scale::Spec::L)?;
    }
    raise_file_limit(args.sessions)?;

    let dir = tempfile::Builder::new()
        .prefix("spridning-load-")
        .tempdir()
        .context("a temporary folder")?;
    let db = dir.path().join("load.db");
    let copying = Instant::now();
    copy_register(&source, &db)?;
    Register::enrol(&db, args.writers)?;
    let register = Register::read(&db)?;
    eprintln!(
        "copied {} ({} events) in {:.1} s",
        source.display(),
        register.events,
        copying.elapsed().as_secs_f64()
    );

    let watchdog = Arc::new(Watchdog {
        stop: stop.clone(),
        pids: Mutex::new(Vec::new()),
        reason: Mutex::new(None),
        done: AtomicBool::new(false),
    });
    let limit = Duration::from_secs(
        args.limit
            .unwrap_or(120 + args.sessions as u64 / 4 + args.settle + args.seconds + args.grace),
    );
    let (w, temp, min_free) = (watchdog.clone(), dir.path().to_path_buf(), args.min_free_mb);
    std::thread::Builder::new()
        .name("watchdog".into())
        .spawn(move || w.watch(limit, min_free, &temp))?;
    let guard = Guard { stop, watchdog };
    let measured = measure(&args, (&bin, &db), &guard);
    guard.watchdog.done.store(true, Ordering::Relaxed);
    let m = measured?;
    report(&args, (&source, &bin, &root), (&register, dir.path()), &m);
    Ok(())
}

/// The table, and the details under it.
#[allow(clippy::too_many_lines, reason = "one table, printed in order")]
fn report(
    args: &Args,
    (source, bin, root): (&Path, &Path, &Path),
    (register, copy): (&Register, &Path),
    m: &Measured,
) {
    let secs = (m.last.at - m.first.at).as_secs_f64();
    let session_cpu: Vec<f64> = m
        .first
        .sessions
        .iter()
        .zip(&m.last.sessions)
        .map(|(a, b)| a.pct(*b))
        .collect();
    let sessions_total: f64 = session_cpu.iter().fold(0.0, |a, b| a + b);
    let writer_cpu: f64 = m
        .first
        .writers
        .iter()
        .zip(&m.last.writers)
        .map(|(a, b)| a.pct(*b))
        .fold(0.0, |a, b| a + b);
    let harness = m.first.harness.pct(m.last.harness);
    let machine = m.first.machine.pct(m.last.machine);
    let bytes_per_s: Vec<f64> = m
        .first
        .bytes
        .iter()
        .zip(&m.last.bytes)
        .map(|(a, b)| b.saturating_sub(*a) as f64 / secs)
        .collect();

    let mut took: Vec<Duration> = m.records.iter().map(|w| w.took).collect();
    took.extend(&m.unfinished);
    took.sort();
    let committed: Vec<&WriteRecord> = m
        .records
        .iter()
        .filter(|w| matches!(w.outcome, Outcome::Committed))
        .collect();
    let refused: Vec<&str> = m
        .records
        .iter()
        .filter_map(|w| match &w.outcome {
            Outcome::Refused(e) => Some(e.as_str()),
            _ => None,
        })
        .collect();
    let mut failed: Vec<&str> = m
        .records
        .iter()
        .filter_map(|w| match &w.outcome {
            Outcome::Failed(e) => Some(e.as_str()),
            _ => None,
        })
        .collect();
    failed.extend(m.writer_errors.iter().map(String::as_str));
    let mut delays = Vec::new();
    let mut never = 0;
    for screen in &m.seen {
        for w in &committed {
            match screen.get(&w.number) {
                Some(at) => delays.push(Duration::from_micros(at.saturating_sub(w.done))),
                None => never += 1,
            }
        }
    }
    delays.sort();

    let tabs: Vec<String> = Park::ALL
        .iter()
        .map(|p| {
            let n = (0..args.sessions).filter(|i| Park::of(*i) == *p).count();
            format!("{n} {}", p.title())
        })
        .collect();
    println!();
    println!("spridning load harness");
    println!(
        "  sessions   {} ({}), 120×40, started {} at a time in {:.1} s (launch to tab: median {}, max {})",
        args.sessions,
        tabs.join(", "),
        args.parallel,
        m.start_took.as_secs_f64(),
        ms(quantile(&m.parked, 0.5)),
        ms(quantile(&m.parked, 1.0)),
    );
    println!(
        "  writers    {}, one stage event a second each, as coordinators loadw1…, each a process in a session of its own",
        args.writers
    );
    println!(
        "  interval   {secs:.1} s measured, after {} s settling (sessions' CPU then {:.1} % of a core); {} s grace for the live delay",
        args.settle, m.settle_cpu, args.grace
    );
    println!(
        "  register   {} ({} events, {} methods, {} units of today), a copy in {}",
        source.display(),
        register.events,
        register.methods.len(),
        register.units.len(),
        copy.display()
    );
    println!("  binary     {} ({})", bin.display(), binary_id(bin));
    println!("  tree       {} (the writers' library)", git_commit(root));
    println!(
        "  screens    {} Activity sessions parsed with vt100 for the live delay; the rest drained unparsed",
        m.watched
    );
    println!(
        "  machine    {} CPUs",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    println!();
    let app_total = sessions_total + writer_cpu;
    let p99 = quantile(&took, 0.99);
    let p95_delay = quantile(&delays, 0.95);
    let row = |name: &str, value: String, target: &str, met: &str| {
        println!("{name:<46} {value:>14}  {target:<10} {met}");
    };
    row("figure", "value".into(), "target", "met");
    println!("{}", "-".repeat(78));
    row(
        "CPU: sessions + writers, % of one core",
        format!("{app_total:.1} %"),
        "≤ 150 %",
        yes(app_total <= 150.0),
    );
    if args.writers > 0 {
        row(
            "write p99",
            ms(p99),
            "≤ 200 ms",
            yes(!took.is_empty() && p99 <= Duration::from_millis(200)),
        );
        if m.watched == 0 {
            row("live delay p95", "no Activity session".into(), "≤ 1 s", "-");
        } else {
            row(
                "live delay p95",
                ms(p95_delay),
                "≤ 1 s",
                yes(!delays.is_empty() && never == 0 && p95_delay <= Duration::from_secs(1)),
            );
        }
        let unfinished = if m.unfinished.is_empty() {
            String::new()
        } else {
            format!(" +{} unfinished", m.unfinished.len())
        };
        row(
            "failed writes",
            format!("{}{unfinished}", failed.len()),
            "0",
            yes(failed.is_empty() && m.unfinished.is_empty()),
        );
    }
    println!();
    println!("CPU in the interval (% of one core)");
    let all = summary(&session_cpu);
    println!(
        "  sessions, total                 {sessions_total:>8.1} %   per session mean {:.2} %, max {:.2} %",
        all.mean, all.max
    );
    for p in Park::ALL {
        let cpu = summary(&on_tab(&session_cpu, p));
        let bytes = summary(&on_tab(&bytes_per_s, p));
        let rss = summary(&on_tab(&m.rss, p));
        let per_commit = if committed.is_empty() {
            String::new()
        } else {
            format!(
                "; {:.0} ms CPU per commit each (idle included)",
                cpu.mean / 100.0 * secs * 1000.0 / committed.len() as f64
            )
        };
        println!(
            "    on {:<9} ({:>3})             {:>8.1} %   per session mean {:.2} %, max {:.2} %; output {:.0} B/s, RSS {:.0} MB each{per_commit}",
            p.title(),
            cpu.count,
            cpu.sum,
            cpu.mean,
            cpu.max,
            bytes.mean,
            rss.mean
        );
    }
    println!(
        "  writers                         {writer_cpu:>8.1} %   ({} processes)",
        m.first.writers.len()
    );
    println!(
        "  harness                         {harness:>8.1} %   (pty draining, vt100 parsing, measuring)"
    );
    println!("  machine, every process          {machine:>8.1} %   (/proc/stat)");
    println!(
        "  others                          {:>8.1} %   (machine − sessions − writers − harness)",
        machine - sessions_total - writer_cpu - harness
    );
    println!();
    let rss = summary(&m.rss);
    let peak = summary(&m.peak);
    println!(
        "RSS at the end: mean {:.1} MB, max {:.1} MB, total {:.0} MB; highest peak (VmHWM) {:.1} MB",
        rss.mean, rss.max, rss.sum, peak.max
    );
    if args.writers > 0 {
        println!();
        println!(
            "Writes: {} made, {} committed, {} refused by the rules, {} failed, {} unfinished at the end, {} due but not started (the writers behind)",
            m.records.len() + m.unfinished.len(),
            committed.len(),
            refused.len(),
            failed.len(),
            m.unfinished.len(),
            m.missed
        );
        println!(
            "  call to commit: median {}, p95 {}, p99 {}, max {}",
            ms(quantile(&took, 0.5)),
            ms(quantile(&took, 0.95)),
            ms(p99),
            ms(quantile(&took, 1.0))
        );
        for e in refused.iter().take(3) {
            println!("  refused: {e}");
        }
        for e in failed.iter().take(3) {
            println!("  failed: {e}");
        }
        println!(
            "Live delay (commit to the note on screen), {} writes × {} watched sessions = {} pairs:",
            committed.len(),
            m.watched,
            committed.len() * m.watched
        );
        println!(
            "  p50 {}, p95 {}, p99 {}, max {}; never shown {never}",
            ms(quantile(&delays, 0.5)),
            ms(p95_delay),
            ms(quantile(&delays, 0.99)),
            ms(quantile(&delays, 1.0))
        );
    }
    println!();
    println!(
        "Sessions ended: {} ({} needed SIGKILL; {} had ended by themselves before; {} left behind)",
        args.sessions, m.killed, m.ended_early, m.left_behind
    );
}
