//! Finding a method or unit from what a person typed: a name, short name or code, matched
//! case-insensitively (also for å, ä, ö). Unknown and ambiguous names are errors that name
//! the value and suggest what exists.

use anyhow::Result;

use crate::domain::suggest::alike;
use crate::domain::text::clean_line;
use crate::domain::{Noun, Problem};
use rusqlite::Connection;

use super::Store;

/// A record to match what was typed against: (id, label, the texts it may be called by).
type Candidate = (i64, String, Vec<String>);

/// Matches `wanted` against (id, label, keys) candidates; `what` names the kind in messages.
fn pick(
    what: Noun,
    wanted: &str,
    candidates: Vec<(i64, String, Vec<String>)>,
) -> Result<(i64, String)> {
    // Cleaned as stored names are, so an invisible character typed or pasted along with a
    // name does not hide it.
    let wanted = clean_line(wanted);
    let key = wanted.to_lowercase();
    if key.is_empty() {
        return Err(Problem::NothingGiven { what }.into());
    }
    let exact: Vec<&(i64, String, Vec<String>)> = candidates
        .iter()
        .filter(|(_, _, keys)| keys.iter().any(|k| k.to_lowercase() == key))
        .collect();
    match exact.as_slice() {
        [(id, label, _)] => Ok((*id, label.clone())),
        [] => {
            let mut near: Vec<String> = candidates
                .iter()
                .filter(|(_, _, keys)| keys.iter().any(|k| k.to_lowercase().contains(&key)))
                .map(|(_, label, _)| label.clone())
                .take(3)
                .collect();
            // Nothing contains it: the names closest to it, for a typo ("Frasta" → FA).
            if near.is_empty() {
                let mut scored: Vec<(f64, &String)> = candidates
                    .iter()
                    .filter_map(|(_, label, keys)| alike(&key, keys).map(|s| (s, label)))
                    .collect();
                scored.sort_by(|a, b| b.0.total_cmp(&a.0));
                near = scored.into_iter().take(3).map(|(_, l)| l.clone()).collect();
            }
            Err(Problem::Unknown { what, wanted, near }.into())
        }
        many => Err(Problem::Ambiguous {
            what,
            wanted,
            matches: many.iter().map(|(_, l, _)| l.clone()).collect(),
        }
        .into()),
    }
}

/// What a person may mean by `typed` while typing it: candidates whose name, short name or
/// code begins with it, then those with a word that begins with it, then those containing
/// it, then the nearest by spelling (a typo) — at most `limit`, as (label, name).
fn complete(
    typed: &str,
    candidates: Vec<Candidate>,
    names: impl Fn(&Candidate) -> String,
    limit: usize,
) -> Vec<(String, String)> {
    let key = clean_line(typed).to_lowercase();
    if key.is_empty() {
        return Vec::new();
    }
    let rank = |keys: &[String]| -> Option<(u8, i64)> {
        let keys: Vec<String> = keys.iter().map(|k| k.to_lowercase()).collect();
        if keys.iter().any(|k| k.starts_with(&key)) {
            return Some((0, 0));
        }
        let word_start = |k: &String| {
            k.split(|c: char| !c.is_alphanumeric())
                .any(|w| w.starts_with(&key))
        };
        if keys.iter().any(word_start) {
            return Some((1, 0));
        }
        if keys.iter().any(|k| k.contains(&key)) {
            return Some((2, 0));
        }
        alike(&key, &keys).map(|best| (3, -((best * 1000.0) as i64)))
    };
    let mut ranked: Vec<((u8, i64), usize, &Candidate)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(order, c)| rank(&c.2).map(|r| (r, order, c)))
        .collect();
    ranked.sort_by_key(|(r, order, _)| (*r, *order));
    ranked
        .into_iter()
        .take(limit)
        .map(|(_, _, c)| (c.1.clone(), names(c)))
        .collect()
}

/// A unit by code or name, on any connection (also inside a transaction). Returns its id
/// and code.
pub(super) fn find_unit_in(conn: &Connection, wanted: &str) -> Result<(i64, String)> {
    let mut stmt = conn.prepare_cached("SELECT id, code, name FROM unit ORDER BY sort_key")?;
    let candidates = stmt
        .query_map([], |r| {
            let code: String = r.get(1)?;
            let name: String = r.get(2)?;
            Ok((r.get(0)?, code.clone(), vec![code, name]))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    pick(Noun::Unit, wanted, candidates)
}

impl Store {
    /// A method by name or short name. Returns its id and label.
    pub fn find_method(&self, wanted: &str) -> Result<(i64, String)> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, short_name FROM method ORDER BY sort_key")?;
        let candidates = stmt
            .query_map([], |r| {
                let name: String = r.get(1)?;
                let short: Option<String> = r.get(2)?;
                let label = short.clone().unwrap_or_else(|| name.clone());
                Ok((
                    r.get(0)?,
                    label,
                    [Some(name), short].into_iter().flatten().collect(),
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        pick(Noun::Method, wanted, candidates)
    }

    /// A unit by code or name. Returns its id and code.
    pub fn find_unit(&self, wanted: &str) -> Result<(i64, String)> {
        find_unit_in(&self.conn, wanted)
    }

    /// Units a person may mean while typing (see `complete`), those that exist today first:
    /// (code, name).
    pub fn unit_candidates(&self, typed: &str, limit: usize) -> Result<Vec<(String, String)>> {
        let today = chrono::Local::now().date_naive();
        let mut units = self.units()?;
        units.sort_by_key(|u| !u.valid_on(today));
        let candidates = units
            .iter()
            .map(|u| (u.id, u.code.clone(), vec![u.code.clone(), u.name.clone()]))
            .collect();
        Ok(complete(typed, candidates, |c| c.2[1].clone(), limit))
    }

    /// Methods a person may mean while typing (see `complete`): (label, name).
    pub fn method_candidates(&self, typed: &str, limit: usize) -> Result<Vec<(String, String)>> {
        let candidates = self
            .methods()?
            .into_iter()
            .map(|m| {
                let keys = [Some(m.name.clone()), m.short_name.clone()]
                    .into_iter()
                    .flatten()
                    .collect();
                (m.id, m.label().to_string(), keys)
            })
            .collect();
        Ok(complete(typed, candidates, |c| c.2[0].clone(), limit))
    }
}
