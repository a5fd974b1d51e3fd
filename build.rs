//! Which tests need something this machine lacks, so that a plain `cargo test` counts them
//! as ignored (with the reason and the command that installs it) instead of passing them
//! silently: OpenSSH for the SSH test, LibreOffice and Chromium with poppler for the
//! readers' tests, root for the full-disk test (it mounts a small tmpfs).
//!
//! Under `CI=true` nothing is ignored: the tests run, and fail when what they need is
//! missing (`.ci/run` installs it first). The probes run again when `PATH` or `CI` change
//! or a program is installed (the program folders change).

use std::path::Path;

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(name).is_file()))
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.status.success() && String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    for dir in ["/usr/bin", "/usr/sbin", "/usr/local/bin"] {
        if Path::new(dir).is_dir() {
            println!("cargo::rerun-if-changed={dir}");
        }
    }
    let lacks = [
        (
            "lacks_openssh",
            !(Path::new("/usr/sbin/sshd").is_file() && on_path("ssh") && on_path("ssh-keygen")),
        ),
        ("lacks_libreoffice", !on_path("soffice")),
        (
            "lacks_chromium",
            !(on_path("chromium-headless-shell") && on_path("pdftotext") && on_path("pdfinfo")),
        ),
        ("lacks_root", !is_root()),
    ];
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    for (name, lacking) in lacks {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if lacking && !ci {
            println!("cargo::rustc-cfg={name}");
        }
    }
}
