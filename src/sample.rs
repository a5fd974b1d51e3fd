//! Building `sample.db` from its reviewable source `data/sample.json` (read out of the seed
//! documents). The same path as `spridning init` + `spridning import`, but with no
//! coordinator registered, so the file does not depend on who built it.
//!
//! Test support: built only with the `dev` feature (on for tests, benches and examples such
//! as `cargo run --example build_sample`).

#![warn(missing_docs)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use anyhow::{Context, Result};

use crate::store::{ExportData, Store};

/// The login that the sample database's own writes are recorded under.
pub const SAMPLE_USER: &str = "sample";

/// For tests: a database built from this checkout's `data/sample.json`, made once per content
/// and schema in the system's temporary folder and shared (tests copy it). Tests read this,
/// not the committed `sample.db`, so a `sample.db` someone has recorded in (the README's
/// first command opens it) does not change what the tests see; `tests/sample_data.rs` holds
/// the committed file equal to it.
///
/// # Panics
///
/// When the sample cannot be built or placed (it is for tests, which then fail).
pub fn pristine() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let json = root.join("data/sample.json");
        // FNV-1a of the sample's source and of the code that builds it (every file under
        // `src/`): a new sample, schema or import, a new file.
        let mut files = vec![json.clone()];
        let mut dirs = vec![root.join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("read src").flatten() {
                let p = entry.path();
                if p.is_dir() {
                    dirs.push(p);
                } else {
                    files.push(p);
                }
            }
        }
        files.sort();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for file in &files {
            for b in std::fs::read(file).expect("read a source file") {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
        // Named after the checkout too: another checkout's tests on the same machine (a CI
        // clone beside a working tree) keep their own build, and neither removes the
        // other's as "earlier code" while its tests copy it.
        let mut checkout: u64 = 0xcbf2_9ce4_8422_2325;
        for b in root.as_os_str().as_encoded_bytes() {
            checkout = (checkout ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        let prefix = format!("spridning-sample-{:08x}-", checkout as u32);
        let name = format!("{prefix}{hash:016x}.db");
        let path = std::env::temp_dir().join(&name);
        if !path.is_file() {
            // Builds of earlier code are removed (best effort).
            for old in std::fs::read_dir(std::env::temp_dir())
                .into_iter()
                .flatten()
                .flatten()
            {
                let n = old.file_name().to_string_lossy().into_owned();
                if n.starts_with(&prefix) && n.ends_with(".db") && n != name {
                    let _ = std::fs::remove_file(old.path());
                }
            }
            // Built beside it under a name of its own, then renamed: a test in another
            // process never sees half a file.
            let dir = tempfile::tempdir_in(std::env::temp_dir()).expect("a temporary folder");
            let fresh = dir.path().join("sample.db");
            build(&json, &fresh).expect("build the sample");
            if let Err(e) = std::fs::rename(&fresh, &path) {
                assert!(path.is_file(), "cannot place the built sample: {e}");
            }
        }
        path
    })
}

/// Builds the database `db` (a new file) from the export `source`: Stockholm's units as
/// `init` makes them, then the file imported, every stamp taken from the file's own times.
pub fn build(source: &Path, db: &Path) -> Result<()> {
    let text = std::fs::read_to_string(source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    let mut data: ExportData =
        serde_json::from_str(&text).with_context(|| format!("{}", source.display()))?;
    // Methods the file gives no time for are stamped with its latest recording time, not the
    // clock, so the sample does not depend on when it was built either (and so is everything
    // else the build stamps, below).
    let stamp = data
        .events
        .iter()
        .filter_map(|e| e.recorded_at.clone())
        .max();
    for m in data
        .methods
        .iter_mut()
        .filter(|m| m.stamps.created_at.is_none())
    {
        m.stamps.created_at = stamp.clone();
    }
    // Units made by `init` and the change log are stamped with the same time.
    let when = stamp
        .clone()
        .unwrap_or_else(|| "2000-01-01T00:00:00Z".to_string());
    crate::store::at_time(&when, || {
        let mut store = Store::create(db, SAMPLE_USER, None)?;
        store
            .import(&data)
            .with_context(|| format!("{}", source.display()))?;
        store.checkpoint()
    })
}
