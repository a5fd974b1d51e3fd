//! Rebuilds `sample.db` from `data/sample.json`: `cargo run --example build_sample`.

use std::path::Path;

fn main() -> anyhow::Result<()> {
    let db = Path::new("sample.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("sample.db{suffix}"));
    }
    spridning::sample::build(Path::new("data/sample.json"), db)?;
    println!("built sample.db from data/sample.json");
    Ok(())
}
