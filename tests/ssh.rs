//! End to end over a real OpenSSH login, as the README's deployment describes it: a forced
//! command in `authorized_keys` (`command="spridning --db … --as alice",restrict,pty`), a
//! member typing into the app through `ssh -tt`, the screen read back through vt100.
//!
//! Needs `/usr/sbin/sshd`, `ssh` and `ssh-keygen`; `.ci/run` installs openssh-server and
//! openssh-client when they are missing. Only 127.0.0.1 is used, and nothing outside a
//! temporary directory is touched except sshd's privilege separation directory `/run/sshd`.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use portable_pty::CommandBuilder;

use common::{BIN, Tty};

const SSHD: &str = "/usr/sbin/sshd";
const INSTALL_HINT: &str = "`.ci/run` installs openssh-server and openssh-client when missing \
     (apt-get install openssh-server openssh-client)";

/// A program on PATH, or a panic saying how CI gets it: never a silent skip.
fn require_on_path(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not on PATH; {INSTALL_HINT}"))
}

/// Stops sshd however the test ends.
struct Sshd {
    child: std::process::Child,
    log: PathBuf,
}

impl Sshd {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a command to completion; panics with its output if it fails.
fn run(cmd: &mut Command) -> String {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn spridning(db: &Path, args: &[&str]) -> String {
    run(Command::new(BIN).arg("--db").arg(db).args(args))
}

/// `cmd` (an `ssh`) in a pseudo-terminal; a failing step also shows what sshd logged.
fn over_ssh(cmd: CommandBuilder, sshd: &Sshd) -> Tty {
    let log = sshd.log.clone();
    Tty::spawn(cmd).with_context(move || {
        format!(
            "\nsshd says:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        )
    })
}

/// A new register `name` in `dir` with one method, ASI.
fn register_with_asi(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    run(Command::new(BIN).arg("init").arg(&db));
    let methods = dir.join("methods.json");
    std::fs::write(
        &methods,
        r#"{"spridning": 1, "methods": [{"name": "Addiction Severity Index", "short_name": "ASI", "kind": "instrument"}]}"#,
    )
    .unwrap();
    spridning(&db, &["import", methods.to_str().unwrap()]);
    db
}

fn keygen(ssh_keygen: &Path, file: &Path) {
    run(Command::new(ssh_keygen)
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "spridning-test",
            "-f",
        ])
        .arg(file));
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Whether an SSH server answers at `addr`: its banner read, ours sent, so that sshd logs no
/// error about the probe.
fn answers(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let mut banner = [0u8; 4];
    if stream.read_exact(&mut banner).is_err() || &banner != b"SSH-" {
        return false;
    }
    let _ = stream.write_all(b"SSH-2.0-spridning_probe\r\n");
    true
}

fn start_sshd(dir: &Path, port: u16, login: &str) -> Sshd {
    let keys = format!("AuthorizedKeysFile {}/authorized_keys\n", dir.display());
    start_sshd_with(dir, port, login, &keys)
}

/// sshd with `keys` saying where it finds the keys (a file, or a command).
fn start_sshd_with(dir: &Path, port: u16, login: &str, keys: &str) -> Sshd {
    let config = dir.join("sshd_config");
    let text = format!(
        "ListenAddress 127.0.0.1\n\
         Port {port}\n\
         HostKey {dir}/host_key\n\
         PidFile {dir}/sshd.pid\n\
         {keys}\
         StrictModes no\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         UsePAM no\n\
         PermitRootLogin forced-commands-only\n\
         PubkeyAuthentication yes\n\
         AllowUsers {login}\n\
         LogLevel ERROR\n\
         PermitUserEnvironment no\n\
         AcceptEnv LANG LC_*\n",
        dir = dir.display()
    );
    std::fs::write(&config, text).unwrap();
    let mut cmd = Command::new(SSHD);
    cmd.args(["-D", "-e", "-f"]).arg(&config);
    launch(cmd, dir, port)
}

/// Starts `cmd` (an sshd in the foreground, logging to stderr) and waits until it answers on
/// 127.0.0.1 at `port`; its log is `dir/sshd.log`.
fn launch(mut cmd: Command, dir: &Path, port: u16) -> Sshd {
    // Privilege separation directory; sshd refuses to start without it.
    if let Err(e) = std::fs::create_dir_all("/run/sshd") {
        panic!("cannot create /run/sshd, which sshd needs: {e}");
    }
    let log = dir.join("sshd.log");
    let child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {SSHD}: {e}"));
    let mut sshd = Sshd { child, log };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if answers(addr) {
            return sshd;
        }
        if let Ok(Some(status)) = sshd.child.try_wait() {
            panic!("sshd exited ({status}) before listening:\n{}", sshd.log());
        }
        if Instant::now() > deadline {
            panic!("sshd did not listen on {addr} within 10 s:\n{}", sshd.log());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
#[cfg_attr(
    lacks_openssh,
    ignore = "OpenSSH is missing on this machine (apt-get install openssh-server openssh-client)"
)]
fn a_member_records_a_stage_over_an_ssh_forced_command() {
    // A newcomer's `cargo test` on a machine without OpenSSH still passes, saying so loudly;
    // under CI (which installs it) a missing OpenSSH is a failure, never a silent skip.
    let present = Path::new(SSHD).is_file()
        && ["ssh", "ssh-keygen"].iter().all(|p| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .any(|dir| dir.join(p).is_file())
        });
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "OpenSSH is missing; {INSTALL_HINT}"
        );
        eprintln!("SKIPPED: OpenSSH is missing on this machine; {INSTALL_HINT}");
        return;
    }
    let ssh = require_on_path("ssh");
    let ssh_keygen = require_on_path("ssh-keygen");

    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // As root in CI (allowed only with a forced command), else as whoever runs the tests.
    let login = spridning::identity::os_login();

    // The database belongs to this process, so the forced command's `--as` is honoured.
    let db = register_with_asi(dir, "db.db");
    spridning(
        &db,
        &["user", "add", "alice", "--role", "member", "--unit", "FA"],
    );

    keygen(&ssh_keygen, &dir.join("host_key"));
    let client_key = dir.join("client_key");
    keygen(&ssh_keygen, &client_key);
    let pubkey = std::fs::read_to_string(dir.join("client_key.pub")).unwrap();
    std::fs::write(
        dir.join("authorized_keys"),
        format!(
            "command=\"\\\"{BIN}\\\" --db \\\"{}\\\" --as alice --lang en\",restrict,pty {}\n",
            db.display(),
            pubkey.trim()
        ),
    )
    .unwrap();

    let port = free_port();
    let sshd = start_sshd(dir, port, &login);

    let connect = || ssh_command(&ssh, &client_key, port, &login);
    let cmd = connect();
    let mut tty = over_ssh(cmd, &sshd);

    // A member lands on their own unit.
    tty.wait_for("FA – Farsta");
    tty.wait_for("alice");
    tty.send("s");
    tty.wait_for("Record a stage");
    tty.send("ASI"); // the focus is on Method, the unit is filled in
    tty.wait_for("→ Addiction Severity Index");
    tty.send("\t"); // to Stage
    tty.send("\x1b[C"); // → Preparing
    tty.wait_for("◀ ○ Preparing ▶");
    tty.send("\t\t"); // past Date (today) to Note
    tty.send("Screening over SSH begun");
    tty.send("\x13"); // Ctrl-S
    tty.wait_for("Saved.");
    tty.send("q");
    let status = tty.wait_exit();
    assert!(
        status.success(),
        "ssh exit status {status:?}; sshd says:\n{}",
        sshd.log()
    );
    drop(tty);

    // A coordinator opens an inventory round; the member, back over SSH, lands on her
    // unit's checklist and confirms everything as it stands.
    spridning(
        &db,
        &["round", "start", "Inventering 2099", "--due", "2099-03-31"],
    );
    let mut tty = over_ssh(connect(), &sshd);
    tty.wait_for("Inventering 2099 · Farsta · 0 of 1 answered");
    tty.send("A");
    tty.wait_for("Confirm 1 unanswered stages of FA?");
    tty.send("y");
    tty.wait_for("1 of 1 answered");
    tty.send("q");
    assert!(tty.wait_exit().success(), "sshd says:\n{}", sshd.log());
    drop(tty);
    drop(sshd);
    let status: serde_json::Value =
        serde_json::from_str(&spridning(&db, &["round", "status", "--format", "json"])).unwrap();
    let fa = status
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"] == "FA")
        .unwrap();
    assert_eq!(
        (fa["answered"].as_u64(), fa["total"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(fa["last_by"], "alice");

    let history: Vec<serde_json::Value> =
        serde_json::from_str(&spridning(&db, &["history", "--format", "json"])).unwrap();
    let events: Vec<&serde_json::Value> = history.iter().filter(|e| e["kind"] == "event").collect();
    assert_eq!(events.len(), 1, "exactly one event: {history:#?}");
    // And her confirmation of it, from the round.
    assert_eq!(history.len(), 2, "{history:#?}");
    assert_eq!(history[1]["kind"], "confirmation");
    assert_eq!(history[1]["recorded_by"], "alice");
    let e = &events[0];
    assert_eq!(e["method"], "ASI");
    assert_eq!(e["unit"], "FA");
    assert_eq!(e["stage"], "preparing");
    assert_eq!(e["note"], "Screening over SSH begun");
    assert_eq!(
        e["recorded_by"], "alice",
        "the forced --as login, not {login}"
    );
    assert_eq!(e["retracted"], false);
}

/// A member on their unit over SSH records ASI at Preparing with `note` (`s`, the method, one
/// stage on, past the date to the note, Ctrl-S), then quits; the session must end cleanly.
fn records_asi_preparing(mut tty: Tty, note: &str, sshd: &Sshd) {
    tty.send("s");
    tty.wait_for("Record a stage");
    tty.send("ASI");
    tty.wait_for("→ Addiction Severity Index");
    tty.send("\t\x1b[C");
    tty.wait_for("◀ ○ Preparing ▶");
    tty.send(&format!("\t\t{note}\x13"));
    tty.wait_for("Saved.");
    tty.send("q");
    assert!(tty.wait_exit().success(), "sshd says:\n{}", sshd.log());
}

/// `ssh` to `login@127.0.0.1` at `port` with `key`, in a pseudo-terminal.
fn ssh_command(ssh: &Path, key: &Path, port: u16, login: &str) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(ssh);
    cmd.arg("-tt");
    cmd.arg("-F");
    cmd.arg("/dev/null");
    cmd.arg("-i");
    cmd.arg(key);
    cmd.args(["-p", &port.to_string()]);
    for option in [
        "StrictHostKeyChecking=no",
        "UserKnownHostsFile=/dev/null",
        "BatchMode=yes",
        "IdentitiesOnly=yes",
        "LogLevel=ERROR",
        "SendEnv=LANG LC_*",
    ] {
        cmd.args(["-o", option]);
    }
    cmd.arg(format!("{login}@127.0.0.1"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env_remove("SSH_AUTH_SOCK");
    cmd
}

/// Whether sshd lets `key` in (a plain `ssh … true`, no terminal).
fn logs_in(ssh: &Path, key: &Path, port: u16, login: &str) -> (bool, String) {
    let out = Command::new(ssh)
        .args(["-F", "/dev/null", "-T", "-i"])
        .arg(key)
        .args(["-p", &port.to_string()])
        .args([
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
        ])
        .arg(format!("{login}@127.0.0.1"))
        .arg("true")
        .env_remove("SSH_AUTH_SOCK")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    (!said.contains("Permission denied"), said)
}

/// People log in with keys kept in the register: sshd has no `authorized_keys` file and asks
/// `spridning authorized-keys` instead. A member logs in with her key and records; a key not
/// in the register is refused; a key removed in the app is refused at the next login; a key
/// given to a second person is refused at `key add`. sshd runs the command only from a path
/// root owns and nobody else may write, so the test needs root (CI runs as root).
#[test]
#[cfg_attr(
    any(lacks_openssh, lacks_root),
    ignore = "needs OpenSSH (apt-get install openssh-server openssh-client) and root"
)]
fn people_log_in_with_keys_kept_in_the_register() {
    let ssh = require_on_path("ssh");
    let ssh_keygen = require_on_path("ssh-keygen");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let login = spridning::identity::os_login();
    // sshd's AuthorizedKeysCommand: a copy of the binary in a folder only root may write.
    let safe = tempfile::Builder::new()
        .prefix("spridning-keys-")
        .tempdir_in("/run")
        .unwrap();
    let bin = safe.path().join("spridning");
    std::fs::copy(BIN, &bin).unwrap();
    std::fs::set_permissions(&bin, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();

    let db = register_with_asi(dir, "register.db");
    keygen(&ssh_keygen, &dir.join("host_key"));
    let alice_key = dir.join("alice");
    keygen(&ssh_keygen, &alice_key);
    let stranger_key = dir.join("stranger");
    keygen(&ssh_keygen, &stranger_key);
    let alice_pub = std::fs::read_to_string(dir.join("alice.pub")).unwrap();
    let said = spridning(
        &db,
        &[
            "user",
            "add",
            "alice",
            "--role",
            "member",
            "--unit",
            "FA",
            "--key",
            alice_pub.trim(),
        ],
    );
    assert!(said.contains("with the key SHA256:"), "{said}");
    // The same key for a second person is refused, and nothing is added.
    spridning(&db, &["user", "add", "bo", "--role", "viewer"]);
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["user", "key", "add", "bo", alice_pub.trim()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is already alice's"), "{err}");
    assert!(!spridning(&db, &["user", "key", "list"]).contains("bo "));

    let port = free_port();
    let keys = format!(
        "AuthorizedKeysFile none\n\
         AuthorizedKeysCommand {} --db {} authorized-keys %u %t %k\n\
         AuthorizedKeysCommandUser {login}\n",
        bin.display(),
        db.display()
    );
    let sshd = start_sshd_with(dir, port, &login, &keys);
    assert!(!dir.join("authorized_keys").exists());

    // Alice logs in with her key and records a stage.
    let mut tty = over_ssh(ssh_command(&ssh, &alice_key, port, &login), &sshd);
    tty.wait_for("FA – Farsta");
    tty.wait_for("alice");
    records_asi_preparing(tty, "Logged in with a key from the register", &sshd);
    let history = spridning(&db, &["history", "--format", "json"]);
    assert!(
        history.contains("\"recorded_by\":\"alice\"")
            || history.contains("\"recorded_by\": \"alice\""),
        "{history}"
    );

    // A key the register does not hold is refused.
    let (let_in, said) = logs_in(&ssh, &stranger_key, port, &login);
    assert!(!let_in, "a stranger's key was let in: {said}");
    // Alice's key, removed in the app, is refused at her next login.
    let fingerprint = spridning(&db, &["user", "key", "list", "alice"])
        .split_whitespace()
        .find(|w| w.starts_with("SHA256:"))
        .unwrap()
        .to_string();
    let removed = spridning(&db, &["user", "key", "remove", "alice", &fingerprint]);
    assert!(removed.contains(&fingerprint), "{removed}");
    let (let_in, said) = logs_in(&ssh, &alice_key, port, &login);
    assert!(
        !let_in,
        "a removed key was let in: {said}\nsshd says:\n{}",
        sshd.log()
    );
}

/// The package the set-up installs: `$SPRIDNING_DEB`, else the newest
/// `target/debian/spridning_*.deb` (`.ci/package` builds it; `.ci/run` runs that first).
fn built_package() -> PathBuf {
    if let Some(deb) = std::env::var_os("SPRIDNING_DEB") {
        return PathBuf::from(deb);
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/debian");
    let mut debs: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name().is_some_and(|n| {
                        let n = n.to_string_lossy();
                        n.starts_with("spridning_") && n.ends_with(".deb")
                    })
                })
                .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
                .collect()
        })
        .unwrap_or_default();
    debs.sort();
    debs.pop()
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("no package in {}: run .ci/package first", dir.display()))
}

/// The shell blocks of the README's "Running on a shared server" marked
/// `<!-- setup: run -->`, in order.
fn readme_setup_blocks() -> Vec<String> {
    let readme = include_str!("../README.md");
    let start = readme
        .find("\n## Running on a shared server")
        .expect("the README has a section \"Running on a shared server\"");
    let section = &readme[start + 1..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut blocks = Vec::new();
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "<!-- setup: run -->" {
            continue;
        }
        assert_eq!(
            lines.next().map(str::trim),
            Some("```sh"),
            "a `<!-- setup: run -->` mark is followed by a ```sh block"
        );
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        blocks.push(block.join("\n"));
    }
    blocks
}

/// What the set-up test puts on this machine, and takes away again however the test ends.
/// It refuses to touch a spridning installed for real (one it did not make).
struct Installed;

const SETUP_MARK: &str = "/run/spridning-setup-test";

impl Installed {
    fn begin() -> Installed {
        let ours = Path::new(SETUP_MARK).exists();
        let there = Path::new("/var/lib/spridning").exists()
            || Command::new("id")
                .arg("spridning")
                .output()
                .is_ok_and(|o| o.status.success());
        assert!(
            ours || !there,
            "this machine has a spridning of its own (/var/lib/spridning or the account \
             spridning); the set-up test installs and removes the package and will not touch it"
        );
        Installed::clean();
        std::fs::write(
            SETUP_MARK,
            "the README set-up test (tests/ssh.rs) is installing\n",
        )
        .unwrap();
        Installed
    }

    fn clean() {
        let quiet = |cmd: &mut Command| {
            let _ = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status();
        };
        quiet(Command::new("dpkg").args(["--purge", "spridning"]));
        quiet(Command::new("userdel").arg("spridning"));
        quiet(Command::new("groupdel").arg("spridning"));
        for dir in ["/var/lib/spridning", "/var/backups/spridning"] {
            let _ = std::fs::remove_dir_all(dir);
        }
        let _ = std::fs::remove_file("/etc/ssh/sshd_config.d/spridning.conf");
    }
}

impl Drop for Installed {
    fn drop(&mut self) {
        Installed::clean();
        let _ = std::fs::remove_file(SETUP_MARK);
    }
}

/// Runs `args` as the account spridning, as the README does (`runuser -u spridning --`).
fn as_service(args: &[&str]) -> std::process::Output {
    Command::new("runuser")
        .args(["-u", "spridning", "--", "/usr/bin/spridning"])
        .args(["--db", "/var/lib/spridning/register.db"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The README's set-up, as written: its marked shell blocks run in order, as root, on this
/// machine — the package installed with dpkg, the register made by the account spridning,
/// the coordinator and a member added with their keys, sshd's example put in place — then a
/// real sshd on 127.0.0.1 with this machine's own sshd_config (which includes the example)
/// and `UsePAM no` (the locked-account trap). The coordinator logs in and adds a method, the
/// member logs in and records a stage; an administrator who is not registered is told what
/// to do; the nightly unit's commands work. The keys are files next to the script
/// (`anna.pub`, `bertil.pub`), the port is the test's, and `systemctl` is a stand-in that
/// notes what it was asked (no systemd runs here).
#[test]
#[cfg_attr(
    any(lacks_openssh, lacks_root, lacks_package),
    ignore = "needs OpenSSH, root and the Debian package (run .ci/package, which builds it)"
)]
fn the_readme_set_up_works_as_written() {
    let ssh = require_on_path("ssh");
    let ssh_keygen = require_on_path("ssh-keygen");
    let deb = built_package();
    let blocks = readme_setup_blocks();
    assert!(blocks.len() >= 4, "the README's marked set-up: {blocks:#?}");

    let installed = Installed::begin();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::copy(&deb, dir.join(deb.file_name().unwrap())).unwrap();
    for person in ["anna", "bertil"] {
        keygen(&ssh_keygen, &dir.join(person));
    }
    let systemctl_log = dir.join("systemctl.log");
    let script = format!(
        "set -euo pipefail\n\
         systemctl() {{ echo \"$*\" >>'{}'; }}\n\
         {}\n",
        systemctl_log.display(),
        blocks.join("\n")
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(dir)
        .env(
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        )
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the README's set-up failed ({}):\n{script}\n--- stdout\n{}--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let asked = std::fs::read_to_string(&systemctl_log).unwrap_or_default();
    assert!(
        asked.lines().any(|l| l == "reload ssh"),
        "systemctl: {asked:?}"
    );

    // This machine's sshd_config, which includes the example the README put in place.
    keygen(&ssh_keygen, &dir.join("host_key"));
    let port = free_port();
    let mut cmd = Command::new(SSHD);
    cmd.args(["-D", "-e", "-f", "/etc/ssh/sshd_config", "-h"])
        .arg(dir.join("host_key"))
        .args([
            "-o",
            &format!("Port={port}"),
            "-o",
            "ListenAddress=127.0.0.1",
        ])
        .args(["-o", "UsePAM=no", "-o", "LogLevel=ERROR"])
        .arg("-o")
        .arg(format!("PidFile={}/sshd.pid", dir.display()));
    let sshd = launch(cmd, dir, port);

    // anna, the coordinator, adds the network's first method.
    let mut tty = over_ssh(
        ssh_command(&ssh, &dir.join("anna"), port, "spridning"),
        &sshd,
    );
    tty.wait_for("anna");
    tty.send("n");
    tty.wait_for("New method");
    tty.send("Addiction Severity Index\tASI\x13");
    tty.wait_for("Saved.");
    tty.send("q");
    assert!(tty.wait_exit().success(), "sshd says:\n{}", sshd.log());
    drop(tty);

    // bertil, a member of Farsta, records a stage.
    let mut tty = over_ssh(
        ssh_command(&ssh, &dir.join("bertil"), port, "spridning"),
        &sshd,
    );
    tty.wait_for("FA – Farsta");
    records_asi_preparing(tty, "Set up as the README says", &sshd);
    let history = as_service(&["history", "--format", "json"]);
    let history: Vec<serde_json::Value> = serde_json::from_slice(&history.stdout).unwrap();
    assert!(
        history.iter().any(|e| e["recorded_by"] == "bertil"
            && e["method"] == "ASI"
            && e["unit"] == "FA"
            && e["stage"] == "preparing"),
        "{history:#?}"
    );

    // root, not registered, is told to act as the account that owns the register.
    let out = Command::new("/usr/bin/spridning")
        .args([
            "--db",
            "/var/lib/spridning/register.db",
            "user",
            "add",
            "cecilia",
        ])
        .args(["--role", "viewer"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        said.contains("runuser -u spridning -- spridning --db /var/lib/spridning/register.db"),
        "{said}"
    );

    // The nightly units are valid as systemd reads them, and their commands work as systemd
    // would run them: a copy in the backup folder, then a check.
    let verify = Command::new(require_on_path("systemd-analyze"))
        .args(["verify", "/usr/lib/systemd/system/spridning-nightly.timer"])
        .arg("/usr/lib/systemd/system/spridning-nightly.service")
        .output()
        .unwrap();
    assert!(
        verify.status.success() && verify.stderr.is_empty(),
        "systemd-analyze verify: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let unit =
        std::fs::read_to_string("/usr/lib/systemd/system/spridning-nightly.service").unwrap();
    let defaults = std::fs::read_to_string("/etc/default/spridning").unwrap();
    let runs: Vec<&str> = unit
        .lines()
        .filter_map(|l| l.strip_prefix("ExecStart="))
        .collect();
    assert_eq!(runs.len(), 2, "{unit}");
    for line in runs {
        let out = Command::new("runuser")
            .args(["-u", "spridning", "--", "sh", "-c"])
            .arg(format!("set -a; . /etc/default/spridning; set +a; {line}"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{line} ({defaults}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let copies: Vec<_> = std::fs::read_dir("/var/backups/spridning")
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        copies.len() == 1 && copies[0].starts_with("register-"),
        "{copies:?}"
    );
    drop(sshd);
    drop(installed);
    assert!(!Path::new("/usr/bin/spridning").exists());
}
