//! The register's settings besides its title (`deck.rs`): after how many months without word
//! a stage counts as stale (`fresh-months`).

use anyhow::Result;
use rusqlite::OptionalExtension;

use super::Store;
use super::access::Gate;
use super::moment::{DEFAULT_FRESH_MONTHS, MAX_FRESH_MONTHS};
use crate::domain::{Deed, Problem};

/// Reads a `fresh-months` value as written by a person or a file: a whole number of months
/// from 1 to `MAX_FRESH_MONTHS`.
pub fn parse_fresh_months(raw: &str) -> Result<u32, Problem> {
    let value = raw.trim();
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=MAX_FRESH_MONTHS).contains(n) && !value.starts_with(['0', '+']))
        .ok_or_else(|| Problem::FreshMonths {
            value: crate::domain::text::printable(raw),
            max: MAX_FRESH_MONTHS,
        })
}

impl Store {
    /// After how many months without word a stage is stale: the register's setting, else
    /// `DEFAULT_FRESH_MONTHS`.
    pub fn fresh_months(&self) -> Result<u32> {
        let value: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM setting WHERE key = 'fresh-months'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(value
            .and_then(|v| parse_fresh_months(&v).ok())
            .unwrap_or(DEFAULT_FRESH_MONTHS))
    }

    /// Sets `fresh-months` (coordinators only); `None` returns to the default. Returns the
    /// value now in force.
    pub fn set_fresh_months(&mut self, months: Option<u32>) -> Result<u32> {
        if let Some(n) = months {
            parse_fresh_months(&n.to_string())?;
        }
        self.write(Gate::Coordinator(Deed::ChangeSetting), |tx| {
            match months {
                Some(n) => tx.execute(
                    "INSERT INTO setting (key, value) VALUES ('fresh-months', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [n.to_string()],
                )?,
                None => tx.execute("DELETE FROM setting WHERE key = 'fresh-months'", [])?,
            };
            Ok(())
        })?;
        Ok(months.unwrap_or(DEFAULT_FRESH_MONTHS))
    }
}
