//! Building `sample.db` from its reviewable source `data/sample.json` (read out of the seed
//! documents). The same path as `spridning init` + `spridning import`, but with no
//! coordinator registered, so the file does not depend on who built it.

use std::path::Path;

use anyhow::{Context, Result};

use crate::store::{ExportData, Store};

/// The login that the sample database's own writes are recorded under.
pub const SAMPLE_USER: &str = "sample";

pub fn build(source: &Path, db: &Path) -> Result<()> {
    let text = std::fs::read_to_string(source)
        .with_context(|| format!("cannot read {}", source.display()))?;
    let mut data: ExportData =
        serde_json::from_str(&text).with_context(|| format!("{}", source.display()))?;
    // Methods the file gives no time for are stamped with its latest recording time, not the
    // clock, so the sample does not depend on when it was built either.
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
    let mut store = Store::create(db, SAMPLE_USER, None)?;
    store
        .import(&data)
        .with_context(|| format!("{}", source.display()))?;
    store.checkpoint()?;
    Ok(())
}
