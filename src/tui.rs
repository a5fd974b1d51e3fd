//! The terminal loop (placeholder until the app lands).
use anyhow::Result;

pub fn run(_store: crate::store::Store, _lang: crate::i18n::Lang) -> Result<()> {
    anyhow::bail!("the terminal app is not built yet")
}
