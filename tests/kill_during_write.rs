//! `kill -9` at random moments while `spridning backup DEST` and
//! `spridning export --format json --out DEST` write a file of a few MB. After every kill,
//! DEST is absent or complete (a backup that passes `check` and holds the same data, an
//! export equal to a full one), nothing but the writer's own temporary leftovers
//! (`.DEST.spridning-XXXXXX.partial` and its `-journal`, `-wal`, `-shm`) is left beside it,
//! and the next run to a new DEST succeeds and removes those leftovers.

mod common;

use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Sandbox, stdout_of};
use spridning::scale::{Rng, Spec, generate};

/// A few MB: writing it takes long enough to be killed in the middle, even in a release build.
const SPEC: Spec = Spec {
    units: 40,
    methods: 60,
    adoptions: 2_000,
    events: 12_000,
    seed: 23,
};

const ROUNDS: u64 = 10;

/// The database, its companions, and the destination: all a clean folder holds.
const DB_FILES: [&str; 3] = ["db.db", "db.db-wal", "db.db-shm"];

#[derive(Debug, Clone, Copy)]
enum Writer {
    Backup,
    Export,
}

impl Writer {
    fn dest(self) -> &'static str {
        match self {
            Writer::Backup => "copy.db",
            Writer::Export => "out.json",
        }
    }

    fn command(self, sb: &Sandbox) -> Command {
        let mut c = sb.command();
        c.args(["--db", "db.db"]);
        match self {
            Writer::Backup => c.args(["backup", self.dest()]),
            Writer::Export => c.args(["export", "--format", "json", "--out", self.dest()]),
        };
        c
    }
}

/// Whether `name` is a temporary file of a write to `dest`: `.DEST.spridning-XXXXXX.partial`
/// (six letters or digits), maybe with a SQLite companion suffix.
fn is_leftover(name: &str, dest: &str) -> bool {
    let Some(rest) = name.strip_prefix(&format!(".{dest}.spridning-")) else {
        return false;
    };
    let rest = ["-journal", "-wal", "-shm"]
        .iter()
        .find_map(|c| rest.strip_suffix(c))
        .unwrap_or(rest);
    rest.strip_suffix(".partial")
        .is_some_and(|r| r.len() == 6 && r.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// DEST is whole: a backup passes `check` and exports exactly what the database does; an
/// export parses as JSON and is byte for byte a full export.
fn assert_complete(sb: &Sandbox, writer: Writer, full_export: &str, when: &str) {
    let dest = sb.path(writer.dest());
    match writer {
        Writer::Backup => {
            let out = sb.run(&["--db", writer.dest(), "check"]);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && text.starts_with("ok:"),
                "{when}: the backup fails check: {text}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let copy = stdout_of(sb.run(&["--db", writer.dest(), "export", "--format", "json"]));
            assert!(
                copy == full_export,
                "{when}: the backup does not hold what the database holds"
            );
        }
        Writer::Export => {
            let text = std::fs::read_to_string(&dest)
                .unwrap_or_else(|e| panic!("{when}: read {}: {e}", dest.display()));
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap_or_else(|e| panic!("{when}: the export is not JSON: {e}"));
            assert!(
                text == full_export,
                "{when}: the export ({} bytes) is not a full export ({} bytes)",
                text.len(),
                full_export.len()
            );
        }
    }
}

/// Removes DEST (and what `check` on a backup may have left beside it).
fn remove_dest(sb: &Sandbox, writer: Writer) {
    std::fs::remove_file(sb.path(writer.dest())).expect("remove DEST");
    for suffix in ["-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(sb.path(&format!("{}{suffix}", writer.dest())));
    }
}

/// A run that must succeed, with nothing but the database files and DEST left after it.
fn full_run(sb: &Sandbox, writer: Writer, full_export: &str, when: &str) -> Duration {
    let started = Instant::now();
    let out = writer.command(sb).output().expect("run spridning");
    let took = started.elapsed();
    stdout_of(out);
    let left: Vec<String> = names(sb.dir.path())
        .into_iter()
        .filter(|n| !DB_FILES.contains(&n.as_str()) && n != writer.dest())
        .collect();
    assert!(
        left.is_empty(),
        "{when}: after a full run the folder still holds {left:?}"
    );
    assert_complete(sb, writer, full_export, when);
    remove_dest(sb, writer);
    took
}

fn kill_at_random_moments(writer: Writer, seed: u64) {
    let started = Instant::now();
    let sb = Sandbox::bare();
    generate(&sb.db(), &SPEC).expect("generate the database");
    let generated = started.elapsed();
    let size = std::fs::metadata(sb.db()).unwrap().len();
    let full_export = sb.ok(&["export", "--format", "json"]);
    let dest = writer.dest();

    // How long one whole run takes; the kills fall anywhere within it.
    let mut full = full_run(&sb, writer, &full_export, "the first run");
    full = full.max(full_run(&sb, writer, &full_export, "the second run"));

    let mut rng = Rng::new(seed);
    let (mut killed, mut absent, mut whole, mut with_leftovers) = (0, 0, 0, 0);
    for round in 0..ROUNDS {
        // Round r kills in the r-th tenth of a run, at a random point of it.
        let micros = full.as_micros() as u64;
        let delay = Duration::from_micros(
            micros * round / ROUNDS + rng.below((micros / ROUNDS).max(1) as usize) as u64,
        );
        let when = format!("{writer:?} round {round} (kill after {delay:?} of {full:?})");
        let mut child = writer
            .command(&sb)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start spridning");
        std::thread::sleep(delay);
        // SIGKILL; if the run has just ended, the signal finds a zombie and does nothing.
        child.kill().expect("kill -9");
        let out = child.wait_with_output().expect("wait for spridning");
        if out.status.signal() == Some(libc::SIGKILL) {
            killed += 1;
        } else {
            assert!(
                out.status.success() && out.stderr.is_empty(),
                "{when}: a run that was not killed failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
        }

        let files = names(sb.dir.path());
        let strange: Vec<&String> = files
            .iter()
            .filter(|n| !DB_FILES.contains(&n.as_str()) && *n != dest && !is_leftover(n, dest))
            .collect();
        assert!(strange.is_empty(), "{when}: unexpected files {strange:?}");
        if files.iter().any(|n| is_leftover(n, dest)) {
            with_leftovers += 1;
        }
        if sb.path(dest).exists() {
            whole += 1;
            assert_complete(&sb, writer, &full_export, &when);
            remove_dest(&sb, writer);
        } else {
            assert!(
                out.status.signal() == Some(libc::SIGKILL),
                "{when}: a finished run left no {dest}"
            );
            absent += 1;
        }

        // The next run, to a DEST that does not exist, cleans up after the killed one.
        full_run(&sb, writer, &full_export, &format!("{when}, the next run"));
    }
    sb.check_ok();
    eprintln!(
        "{writer:?}: {size} bytes generated in {generated:?}; a run takes {full:?}; \
         {killed} of {ROUNDS} runs killed, {absent} left no {dest}, {whole} a whole one, \
         {with_leftovers} left temporary files; {:?} in all",
        started.elapsed()
    );
    assert!(
        absent > 0 && with_leftovers > 0,
        "no kill fell in the middle of a write ({absent} absent, {with_leftovers} with leftovers)"
    );
}

#[test]
fn backup_killed_at_random_moments_leaves_a_whole_copy_or_none() {
    kill_at_random_moments(Writer::Backup, 0x6b69_6c6c);
}

#[test]
fn export_killed_at_random_moments_leaves_a_whole_file_or_none() {
    kill_at_random_moments(Writer::Export, 0x6578_706f);
}
