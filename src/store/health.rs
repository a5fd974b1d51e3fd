//! Keeping the database sound: `check` (SQLite's integrity check plus the app's own
//! invariants) and `backup` (a consistent copy while others keep working).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::Store;
use super::stages::check_event_date;
use crate::domain::EventDate;

impl Store {
    /// Everything wrong with the database, one line each; empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut rows = |sql: &str, what: &dyn Fn(Vec<String>) -> String| -> Result<()> {
            let mut stmt = self.conn.prepare(sql)?;
            let n = stmt.column_count();
            let found = stmt.query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                            rusqlite::types::Value::Text(t) => t,
                            rusqlite::types::Value::Integer(i) => i.to_string(),
                            rusqlite::types::Value::Null => "NULL".into(),
                            other => format!("{other:?}"),
                        })
                    })
                    .collect::<rusqlite::Result<Vec<String>>>()
            })?;
            for row in found {
                problems.push(what(row?));
            }
            Ok(())
        };
        rows("PRAGMA integrity_check", &|r| {
            if r[0] == "ok" {
                String::new()
            } else {
                format!("integrity: {}", r[0])
            }
        })?;
        rows("PRAGMA foreign_key_check", &|r| {
            format!(
                "foreign key: {} row {} refers to a missing {}",
                r[0], r[1], r[2]
            )
        })?;
        rows(
            "SELECT a.id, coalesce(a.stage, 'none'), coalesce(e.stage, 'none') FROM adoption a
             LEFT JOIN stage_event e ON e.id = (
                 SELECT x.id FROM stage_event x WHERE x.adoption_id = a.id
                   AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = x.id)
                 ORDER BY x.effective DESC, x.id DESC LIMIT 1)
             WHERE a.current_event_id IS NOT e.id OR a.stage IS NOT e.stage OR a.since IS NOT e.effective",
            &|r| format!("adoption {}: current stage {} but its latest event says {}", r[0], r[1], r[2]),
        )?;
        rows(
            "SELECT a.id FROM adoption a WHERE NOT EXISTS (SELECT 1 FROM stage_event e WHERE e.adoption_id = a.id)",
            &|r| format!("adoption {} has no events", r[0]),
        )?;
        rows(
            "SELECT value, (SELECT count(*) FROM stage_event) FROM counter
             WHERE name = 'events' AND value <> (SELECT count(*) FROM stage_event)",
            &|r| {
                format!(
                    "the event counter says {} but there are {} events",
                    r[0], r[1]
                )
            },
        )?;
        rows(
            "SELECT u.code FROM unit u JOIN unit s ON s.id = u.successor_id WHERE s.id = u.id",
            &|r| format!("unit {} is its own successor", r[0]),
        )?;
        problems.retain(|p| !p.is_empty());

        // Rules that are simpler to state in Rust than in SQL.
        let units: HashMap<String, crate::domain::Unit> = self
            .units()?
            .into_iter()
            .map(|u| (u.code.clone(), u))
            .collect();
        let mut names: HashMap<String, String> = HashMap::new();
        for m in self.methods()? {
            for key in [Some(&m.name), m.short_name.as_ref()].into_iter().flatten() {
                if let Some(other) = names.insert(key.to_lowercase(), m.name.clone())
                    && other != m.name
                {
                    problems.push(format!(
                        "method name '{key}' is used by '{other}' and '{}'",
                        m.name
                    ));
                }
            }
            let texts = [
                Some(&m.name),
                m.short_name.as_ref(),
                Some(&m.kind),
                Some(&m.area),
                Some(&m.description),
                m.target_group.as_ref(),
                m.origin.as_ref(),
                m.evidence.as_ref(),
                m.evidence_link.as_ref(),
                m.contact.as_ref(),
            ];
            if texts.into_iter().flatten().any(|t| has_control(t)) {
                problems.push(format!(
                    "method '{}' holds control characters",
                    m.name.escape_debug()
                ));
            }
        }
        for u in units.values() {
            let texts = [
                Some(&u.code),
                Some(&u.name),
                Some(&u.kind),
                u.region.as_ref(),
            ];
            if texts.into_iter().flatten().any(|t| has_control(t)) {
                problems.push(format!(
                    "unit {} holds control characters",
                    u.code.escape_debug()
                ));
            }
        }
        for e in self.history(&Default::default())? {
            match e.date.parse::<EventDate>() {
                Err(_) => problems.push(format!(
                    "event {} has an impossible date '{}'",
                    e.id,
                    e.date.escape_debug()
                )),
                Ok(date) => {
                    if let Some(unit) = units.get(&e.unit)
                        && let Err(why) = check_event_date(unit, date)
                    {
                        problems.push(format!("event {}: {why}", e.id));
                    }
                }
            }
            if has_control(&e.note) || has_control(&e.source) || has_control(&e.recorded_by) {
                problems.push(format!("event {} holds control characters", e.id));
            }
        }
        Ok(problems)
    }

    /// Writes a consistent copy of the database to `dest` (a new file) while others keep
    /// reading and writing. Returns the number of events in the copy.
    pub fn backup(&self, dest: &Path) -> Result<usize> {
        if dest.exists() {
            bail!(
                "{} already exists; backup writes a new file",
                dest.display()
            );
        }
        let target = dest
            .to_str()
            .with_context(|| format!("{} is not a valid UTF-8 path", dest.display()))?;
        self.conn
            .execute("VACUUM INTO ?1", [target])
            .with_context(|| format!("cannot write {}", dest.display()))?;
        let copy = Store::open(dest, &self.user)?;
        let problems = copy.check()?;
        if let Some(p) = problems.first() {
            bail!("the copy at {} is not sound: {p}", dest.display());
        }
        Ok(copy.history(&Default::default())?.len())
    }
}

/// Control or invisible characters except line breaks: never stored by spridning itself.
fn has_control(s: &str) -> bool {
    crate::domain::text::clean_text(s) != s.trim() || s.contains('\t')
}
