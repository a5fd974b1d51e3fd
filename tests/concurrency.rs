//! Many people at once: concurrent writers each get their event in (no "locked", no "busy"),
//! a writer killed at any moment never costs an acknowledged event or leaves the database
//! unsound, and two editors of the same method cannot overwrite each other.

#![allow(unsafe_code, reason = "a process group is killed with libc::kill")]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::Value;
use spridning::store::{MethodInput, Store};

use common::{BIN, Sandbox};

const STAGES: [&str; 7] = [
    "exploring",
    "preparing",
    "pilot",
    "implemented",
    "sustained",
    "paused",
    "discontinued",
];

/// Units that exist from before 2021 until today, so any date in 2021–2024 is valid for them.
const UNITS: [&str; 9] = ["KH", "SOD", "EAV", "FA", "SN", "SH", "HAE", "HV", "BR"];

impl Sandbox {
    /// `spridning init db.db` plus an import of `methods` methods named "Metod k" / "Mk".
    fn with_methods(methods: usize) -> Sandbox {
        let sb = Sandbox::init();
        let list: Vec<Value> = (1..=methods)
            .map(|k| {
                serde_json::json!({
                    "name": format!("Metod {k}"),
                    "short_name": format!("M{k}"),
                    "kind": "intervention",
                })
            })
            .collect();
        let file = serde_json::json!({"spridning": 1, "methods": list});
        std::fs::write(sb.path("methods.json"), file.to_string()).expect("write methods.json");
        let out = sb.ok(&["import", "methods.json"]);
        assert!(
            out.contains(&format!("{methods} methods, 0 events")),
            "import: {out}"
        );
        sb
    }

    /// `history --format json`.
    fn history(&self) -> Vec<Value> {
        let text = self.ok(&["history", "--format", "json"]);
        match serde_json::from_str(&text) {
            Ok(Value::Array(events)) => events,
            other => panic!("history is not a JSON array: {other:?}\n{text}"),
        }
    }
}

fn note_of(event: &Value) -> String {
    event["note"]
        .as_str()
        .expect("note is a string")
        .to_string()
}

#[test]
fn eight_processes_recording_at_once_all_get_their_events_in() {
    const WORKERS: usize = 8;
    const EACH: usize = 200;
    let sb = Arc::new(Sandbox::with_methods(WORKERS));
    let start = Arc::new(Barrier::new(WORKERS));
    let started = Instant::now();
    let workers: Vec<_> = (1..=WORKERS)
        .map(|k| {
            let sb = Arc::clone(&sb);
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                let mut failures = Vec::new();
                for i in 0..EACH {
                    // Vary everything with the worker too, so the workers collide on the
                    // same tables but not always on the same adoption.
                    let unit = UNITS[(i + k) % UNITS.len()];
                    let stage = STAGES[(i * 3 + k) % STAGES.len()];
                    let date = format!("{}-{:02}-{:02}", 2021 + i % 4, 1 + i % 12, 1 + i % 28);
                    let note = format!("w{k} n{i}");
                    let method = format!("M{k}");
                    let out = sb.spr(&[
                        "adopt", "--method", &method, "--unit", unit, "--stage", stage, "--date",
                        &date, "--note", &note,
                    ]);
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    let stderr = String::from_utf8_lossy(&out.stderr);
                    if !out.status.success()
                        || !stderr.is_empty()
                        || !stdout.starts_with("recorded event ")
                    {
                        failures.push(format!(
                            "{note}: {} stdout {stdout:?} stderr {stderr:?}",
                            out.status
                        ));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("worker thread"))
        .collect();
    eprintln!(
        "{} adopts by {WORKERS} processes at once in {:?}",
        WORKERS * EACH,
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} of {} adopts failed, e.g.:\n{}",
        failures.len(),
        WORKERS * EACH,
        failures[..failures.len().min(10)].join("\n")
    );

    let events = sb.history();
    assert_eq!(events.len(), WORKERS * EACH);
    let notes: BTreeSet<String> = events.iter().map(note_of).collect();
    let expected: BTreeSet<String> = (1..=WORKERS)
        .flat_map(|k| (0..EACH).map(move |i| format!("w{k} n{i}")))
        .collect();
    assert_eq!(notes, expected);
    // Each event landed under its own worker's method and nowhere else.
    for e in &events {
        let note = note_of(e);
        let k = note[1..].split(' ').next().unwrap();
        assert_eq!(e["method"], format!("M{k}"), "{e}");
        assert_eq!(e["retracted"], false, "{e}");
    }
    let ids: BTreeSet<i64> = events.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), WORKERS * EACH, "event ids are not unique");
    sb.check_ok();
}

/// A small deterministic pseudo-random sequence (an LCG), so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low + 1)
    }
}

/// Whether any process of group `pgid` is still running (zombies left for an init that may
/// not reap them do not count: they hold no locks and write nothing).
fn group_alive(pgid: i32) -> bool {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return false;
    };
    for entry in entries.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 1..]) else {
            continue;
        };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        if fields.len() > 2 && fields[2] == pgid.to_string() && fields[0] != "Z" {
            return true;
        }
    }
    false
}

#[test]
fn a_writer_killed_at_random_moments_never_loses_an_acknowledged_event() {
    const ROUNDS: usize = 30;
    let sb = Sandbox::with_methods(2);
    // Records ack-$i for i = $1..$2, one process each, and prints ack-$i only after that
    // process committed and exited 0. A failure (not a kill) prints fail-$i.
    let script = r#"
        i=$1
        while [ "$i" -le "$2" ]; do
            case $((i % 7)) in
                0) s=exploring ;; 1) s=preparing ;; 2) s=pilot ;; 3) s=implemented ;;
                4) s=sustained ;; 5) s=paused ;; *) s=discontinued ;;
            esac
            case $((i % 3)) in 0) u=KH ;; 1) u=FA ;; *) u=Farsta ;; esac
            if "$BIN" --db db.db adopt --method M1 --unit "$u" --stage "$s" \
                --date 2022-0$((i % 9 + 1)) --note "ack-$i" >/dev/null; then
                echo "ack-$i"
            else
                echo "fail-$i"
            fi
            i=$((i + 1))
        done
    "#;
    let mut rng = Lcg(0x5350_5244);
    let mut acked: BTreeSet<u64> = BTreeSet::new();
    // Notes that may have committed without an ack: the one running when the group died.
    let mut maybe: BTreeSet<u64> = BTreeSet::new();
    let mut next = 1u64;
    let started = Instant::now();
    for round in 0..ROUNDS {
        let delay = rng.between(20, 400);
        let first = next;
        let mut shell = Command::new("sh");
        shell
            .current_dir(sb.dir.path())
            .env_remove("SPRIDNING_DB")
            .env("BIN", BIN)
            .args(["-c", script, "sh", &first.to_string(), "1000000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        let proc = shell.spawn().expect("start sh");
        let pgid = proc.id() as i32;
        std::thread::sleep(Duration::from_millis(delay));
        // SAFETY: kill(2) with a negative pid signals our own child's process group.
        let rc = unsafe { libc::kill(-pgid, libc::SIGKILL) };
        assert_eq!(rc, 0, "kill -9 the group");
        let out = proc.wait_with_output().expect("wait for sh");
        let deadline = Instant::now() + Duration::from_secs(10);
        while group_alive(pgid) {
            assert!(Instant::now() < deadline, "group {pgid} survived kill -9");
            std::thread::sleep(Duration::from_millis(5));
        }
        let stdout = String::from_utf8(out.stdout).expect("UTF-8 acks");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.is_empty(),
            "round {round}: an adopt reported an error: {stderr}"
        );
        let mut last = first - 1;
        for line in stdout.lines() {
            let n: u64 = line
                .strip_prefix("ack-")
                .unwrap_or_else(|| panic!("round {round}: not an ack: {line:?}\n{stdout}"))
                .parse()
                .unwrap_or_else(|_| panic!("round {round}: a cut ack {line:?}"));
            assert_eq!(n, last + 1, "round {round}: acks out of order");
            acked.insert(n);
            last = n;
        }
        // The adopt after the last ack may have run and committed; nothing after it did.
        maybe.insert(last + 1);
        next = last + 2;

        sb.check_ok();
        let events = sb.history();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for e in &events {
            *seen.entry(note_of(e)).or_default() += 1;
        }
        for (note, count) in &seen {
            assert_eq!(*count, 1, "round {round}: {note} recorded {count} times");
            let n: u64 = note
                .strip_prefix("ack-")
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("round {round}: unexpected note {note:?}"));
            assert!(
                acked.contains(&n) || maybe.contains(&n),
                "round {round}: {note} was never run"
            );
        }
        for n in &acked {
            assert!(
                seen.contains_key(&format!("ack-{n}")),
                "round {round}: acknowledged ack-{n} is missing (killed after {delay} ms)"
            );
        }
    }
    let events = sb.history();
    eprintln!(
        "{ROUNDS} kills, {} acks, {} events, in {:?}",
        acked.len(),
        events.len(),
        started.elapsed()
    );
    assert!(
        events.len() > ROUNDS,
        "only {} events recorded over {ROUNDS} rounds",
        events.len()
    );
    assert!(events.len() >= acked.len());
    assert!(events.len() <= acked.len() + maybe.len());
}

#[test]
fn two_editors_of_one_method_cannot_overwrite_each_other() {
    let sb = Sandbox::with_methods(8);
    let mut first = Store::open(&sb.db(), "first").expect("open as first");
    first.grant_owner();
    let mut second = Store::open(&sb.db(), "second").expect("open as second");
    second.grant_owner();

    let (id, label) = first.find_method("M1").expect("find M1");
    assert_eq!(label, "M1");
    assert_eq!(second.find_method("M1").unwrap().0, id);
    let read_by_first = first.method(id).expect("first reads M1");
    let read_by_second = second.method(id).expect("second reads M1");
    assert_eq!(read_by_first, read_by_second);
    let version = read_by_first.version;

    let mut mine = MethodInput::from(read_by_first.clone());
    mine.description = "Beskrivning från den första".into();
    first
        .update_method(id, version, &mine)
        .expect("the first save goes through");

    let mut theirs = MethodInput::from(read_by_second.clone());
    theirs.area = "socialmedicin".into();
    let err = second
        .update_method(id, version, &theirs)
        .expect_err("the second save, on the old version, must fail");
    let err = format!("{err:#}");
    assert!(err.contains("changed by someone else"), "{err}");

    // Both connections, and a third process, see the first's save and only that.
    for store in [&first, &second] {
        let now = store.method(id).unwrap();
        assert_eq!(now.description, "Beskrivning från den första");
        assert_eq!(now.area, read_by_first.area, "the second's area got in");
        assert_eq!(now.version, version + 1);
        assert_eq!(now.name, "Metod 1");
    }
    let listed = sb.ok(&["methods", "--format", "json"]);
    let listed: Value = serde_json::from_str(&listed).unwrap();
    let m1 = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["short_name"] == "M1")
        .unwrap_or_else(|| panic!("M1 not listed: {listed}"));
    assert_eq!(m1["description"], "Beskrivning från den första", "{m1}");
    assert_eq!(m1["area"], read_by_first.area.as_str(), "{m1}");

    // Reloading and saving again goes through, on top of the first's description.
    let reloaded = second.method(id).unwrap();
    let mut again = MethodInput::from(reloaded.clone());
    again.area = "socialmedicin".into();
    second.update_method(id, reloaded.version, &again).unwrap();
    let now = first.method(id).unwrap();
    assert_eq!(now.description, "Beskrivning från den första");
    assert_eq!(now.area, "socialmedicin");
    drop((first, second));
    sb.check_ok();
}
