//! Which tests need something this machine lacks, so that a plain `cargo test` counts them
//! as ignored (with the reason and the command that installs it) instead of passing them
//! silently: OpenSSH for the SSH test, LibreOffice and Chromium with poppler for the
//! readers' tests, root for the full-disk test (it mounts a small tmpfs), and the Debian
//! package for the README's set-up test.
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

/// Whether `.ci/package` has built the Debian package (`target/debian/spridning_*.deb`), which
/// the README's set-up test installs. The folder is made when missing so that cargo can
/// watch it: a package built later runs this script again.
fn has_package() -> bool {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
        std::path::PathBuf::from,
    );
    let debian = target.join("debian");
    let _ = std::fs::create_dir_all(&debian);
    println!("cargo::rerun-if-changed={}", debian.display());
    std::env::var_os("SPRIDNING_DEB").is_some()
        || std::fs::read_dir(&debian).is_ok_and(|entries| {
            entries.filter_map(Result::ok).any(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.starts_with("spridning_") && name.ends_with(".deb")
            })
        })
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=CI");
    println!("cargo::rerun-if-env-changed=PATH");
    println!("cargo::rerun-if-env-changed=SPRIDNING_DEB");
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
        ("lacks_package", !has_package()),
    ];
    let ci = std::env::var("CI").is_ok_and(|v| v == "true");
    for (name, lacking) in lacks {
        println!("cargo::rustc-check-cfg=cfg({name})");
        if lacking && !ci {
            println!("cargo::rustc-cfg={name}");
        }
    }
}
