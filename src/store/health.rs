//! Keeping the database sound: `check` (SQLite's integrity check plus the app's own
//! invariants) and `backup` (a consistent copy while others keep working).

use crate::domain::problem::{Database, Fault, Finding};
use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};

use rusqlite::types::ValueRef;

use super::stages::{check_event_date, latest_event};
use super::{Store, describe, explain};
use crate::domain::EventDate;
use crate::domain::rules::{self, Rule};
use crate::output_file::{Existing, Target};

/// What a backup wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupReport {
    pub events: usize,
    /// Problems `check` reports in the original, copied as they are.
    pub carried: usize,
}

impl Store {
    /// Everything wrong with the database, one line each in English (the command line's
    /// `check`); empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        Ok(self
            .findings()?
            .iter()
            .map(|f| f.text(crate::i18n::Lang::En))
            .collect())
    }

    /// Everything wrong with the database, as kinds (said in either language).
    pub fn findings(&self) -> Result<Vec<Finding>> {
        let mut problems = self.structural_problems()?;
        problems.extend(self.rule_problems()?);
        Ok(problems)
    }

    /// What SQLite itself finds: its integrity check and the foreign keys.
    pub(super) fn structural_problems(&self) -> Result<Vec<Finding>> {
        let mut problems = Vec::new();
        self.problem_rows(&mut problems, "PRAGMA integrity_check", &|r| {
            (r[0] != "ok").then(|| Finding::Integrity {
                detail: r[0].clone(),
            })
        })?;
        self.problem_rows(&mut problems, "PRAGMA foreign_key_check", &|r| {
            Some(Finding::ForeignKey {
                table: r[0].clone(),
                row: r[1].clone(),
                parent: r[2].clone(),
            })
        })?;
        Ok(problems)
    }

    /// One problem per row `sql` returns, worded by `what` from the row's values.
    fn problem_rows(
        &self,
        problems: &mut Vec<Finding>,
        sql: &str,
        what: &dyn Fn(Vec<String>) -> Option<Finding>,
    ) -> Result<()> {
        problem_rows_in(&self.conn, problems, sql, what)
    }

    /// spridning's own rules: current stages, events within their unit's time, every text
    /// field's rule, the unit namespace and successors.
    pub(super) fn rule_problems(&self) -> Result<Vec<Finding>> {
        let mut problems = Vec::new();
        self.problem_rows(
            &mut problems,
            &format!(
                "SELECT a.id, coalesce(a.stage, 'none'), coalesce(e.stage, 'none') FROM adoption a
                 LEFT JOIN stage_event e ON e.id = ({})
                 WHERE a.current_event_id IS NOT e.id OR a.stage IS NOT e.stage
                    OR a.since IS NOT e.effective OR a.heard IS NOT {}",
                latest_event("a.id", None, None),
                super::stages::heard("e", None, None)
            ),
            &|r| {
                Some(Finding::StaleAdoption {
                    id: r[0].clone(),
                    current: r[1].clone(),
                    latest: r[2].clone(),
                })
            },
        )?;
        let [first_pilot, first_in_use, lapsed] = super::stages::milestones("a.id");
        self.problem_rows(
            &mut problems,
            &format!(
                "SELECT a.id FROM adoption a
                 WHERE a.current_event_id IS NOT NULL
                   AND (a.first_pilot IS NOT {first_pilot} OR a.first_in_use IS NOT {first_in_use}
                        OR a.lapsed IS NOT {lapsed})"
            ),
            &|r| Some(Finding::StaleMilestones { id: r[0].clone() }),
        )?;
        self.problem_rows(
            &mut problems,
            "SELECT a.id FROM adoption a WHERE NOT EXISTS (SELECT 1 FROM stage_event e WHERE e.adoption_id = a.id)",
            &|r| Some(Finding::AdoptionWithoutEvents { id: r[0].clone() }),
        )?;
        self.problem_rows(
            &mut problems,
            "SELECT value, (SELECT count(*) FROM stage_event) FROM counter
             WHERE name = 'events' AND value <> (SELECT count(*) FROM stage_event)",
            &|r| {
                Some(Finding::EventCounter {
                    said: r[0].clone(),
                    counted: r[1].clone(),
                })
            },
        )?;
        self.problem_rows(
            &mut problems,
            "SELECT u.code FROM unit u JOIN unit s ON s.id = u.successor_id WHERE s.id = u.id",
            &|r| Some(Finding::OwnSuccessor { code: r[0].clone() }),
        )?;
        problems.extend(self.text_problems()?);
        problems.extend(self.unit_problems()?);
        problems.extend(self.lineage_problems()?);
        problems.extend(super::stockholm::unapplied(&self.conn)?);

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
                    problems.push(Finding::MethodNameTwice {
                        key: key.clone(),
                        first: other,
                        second: m.name.clone(),
                    });
                }
            }
        }
        self.for_each_history_event(&Default::default(), |e| {
            match e.date.parse::<EventDate>() {
                Err(_) => problems.push(Finding::ImpossibleDate {
                    event: e.id,
                    date: e.date.escape_debug().to_string(),
                }),
                Ok(date) => {
                    if let Some(unit) = units.get(&e.unit)
                        && let Err(why) = check_event_date(&self.conn, unit, date)
                    {
                        problems.push(Finding::EventDate {
                            event: e.id,
                            why: Box::new(why.downcast::<crate::domain::Problem>()?),
                        });
                    }
                }
            }
            Ok(())
        })?;
        Ok(problems)
    }

    /// Every text column of every table, held to its field's rule (`rules`): what another
    /// SQLite tool may have written is reported, one line per field.
    fn text_problems(&self) -> Result<Vec<Finding>> {
        let mut columns: Vec<(String, String)> = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT m.name, p.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND upper(p.type) = 'TEXT'
             ORDER BY m.name, p.cid",
        )?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            columns.push(row?);
        }
        let mut problems = Vec::new();
        for (table, column) in &columns {
            let rule = column_rule(table, column);
            let (key, label) = row_label(table);
            let sql = format!("SELECT {key}, \"{column}\" FROM \"{table}\" ORDER BY 1");
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let key = match r.get_ref(0)? {
                    ValueRef::Integer(i) => i.to_string(),
                    ValueRef::Text(t) if table == "method" => {
                        format!("'{}'", short(&String::from_utf8_lossy(t)))
                    }
                    ValueRef::Text(t) => short(&String::from_utf8_lossy(t)),
                    _ => "?".to_string(),
                };
                let fault = match r.get_ref(1)? {
                    ValueRef::Null | ValueRef::Integer(_) | ValueRef::Real(_) => continue,
                    ValueRef::Blob(_) => Fault::Binary,
                    ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                        Err(_) => Fault::NotUtf8,
                        Ok(text) => match rule.fault(text) {
                            Ok(()) => continue,
                            Err(fault) => fault,
                        },
                    },
                };
                problems.push(Finding::Field {
                    row: format!("{label} {key}"),
                    field: rule.field,
                    sv: rule.sv,
                    fault,
                });
            }
        }
        Ok(problems)
    }

    /// Unit codes and names share one namespace (so `--unit X` is never ambiguous), and a
    /// chain of successors never comes back to where it started.
    fn unit_problems(&self) -> Result<Vec<Finding>> {
        let units = self.units()?;
        let mut problems = Vec::new();
        let mut owner: HashMap<String, &str> = HashMap::new();
        for u in &units {
            owner.insert(u.code.to_lowercase(), &u.code);
        }
        for u in &units {
            if let Some(other) = owner.get(&u.name.to_lowercase())
                && *other != u.code
            {
                problems.push(Finding::NameIsCode {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    other: other.to_string(),
                });
            }
        }
        let mut by_name: HashMap<String, &str> = HashMap::new();
        for u in &units {
            if let Some(other) = by_name.insert(u.name.to_lowercase(), &u.code) {
                problems.push(Finding::NameTwice {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    other: other.to_string(),
                });
            }
        }
        let successor: HashMap<&str, &str> = units
            .iter()
            .filter_map(|u| u.successor.as_deref().map(|s| (u.code.as_str(), s)))
            .collect();
        for u in &units {
            if let Some(cycle) = successor_cycle(&successor, &u.code)
                && cycle.first() == Some(&u.code.as_str())
                && cycle.len() > 2
                && cycle.iter().all(|c| *c >= u.code.as_str())
            {
                problems.push(Finding::SuccessorCircle {
                    code: u.code.clone(),
                    circle: cycle.iter().map(|c| c.to_string()).collect(),
                });
            }
        }
        Ok(problems)
    }

    /// The lineage of reorganisations (see `lineage::problems`).
    fn lineage_problems(&self) -> Result<Vec<Finding>> {
        super::lineage::problems(&self.conn)
    }

    /// Writes a consistent copy of the database to `dest` (a new file) while others keep
    /// reading and writing. The copy is made beside `dest` under a temporary name, checked,
    /// and only then renamed to `dest`, so `dest` is a whole, sound copy or absent (see
    /// `output_file`). The copy must pass SQLite's own checks; problems of spridning's rules
    /// that the original has are carried over faithfully (a backup is most wanted when
    /// something is wrong) and counted in the result.
    pub fn backup(&self, dest: &Path) -> Result<BackupReport> {
        let target = Target::check(dest, Existing::Refuse, Some(&self.path))?;
        let pending = target.begin()?;
        let temp = pending.temp_path().to_path_buf();
        // Every fault of the copy is said about DEST, never about the temporary file.
        let report = self
            .copy_into(&temp, target.shown())
            .map_err(|e| pending.failed(e))?;
        pending.commit()?;
        Ok(report)
    }

    /// `VACUUM INTO` the new, empty file `temp`, then opens the copy and checks it
    /// (`shown` names it in messages).
    fn copy_into(&self, temp: &Path, shown: &str) -> Result<BackupReport> {
        let temp_text = temp
            .to_str()
            .with_context(|| format!("{shown} is not a valid UTF-8 path"))?;
        self.conn
            .execute("VACUUM INTO ?1", [temp_text])
            .map_err(|e| describe(e, temp))?;
        let copy = Store::open(temp, &self.user)?;
        if let Some(p) = copy
            .structural_problems()
            .map_err(|e| explain(e, temp))?
            .first()
        {
            return Err(Database::CopyNotSound {
                path: shown.to_string(),
                finding: Box::new(p.clone()),
            }
            .into());
        }
        let carried = copy.rule_problems().map_err(|e| explain(e, temp))?.len();
        copy.checkpoint()?;
        Ok(BackupReport {
            events: copy.event_count().map_err(|e| explain(e, temp))?,
            carried,
        })
    }
}

/// One problem per row `sql` returns on `conn`, worded by `what` from the row's values.
pub(super) fn problem_rows_in(
    conn: &rusqlite::Connection,
    problems: &mut Vec<Finding>,
    sql: &str,
    what: &dyn Fn(Vec<String>) -> Option<Finding>,
) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
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
        problems.extend(what(row?));
    }
    Ok(())
}

/// Follows successors from `start`; when they come back to a unit already passed, the
/// path from that unit round to itself (`KS → SOD → KS`).
pub(super) fn successor_cycle<'a>(
    successor: &HashMap<&'a str, &'a str>,
    start: &'a str,
) -> Option<Vec<&'a str>> {
    let mut path = vec![start];
    let mut at = start;
    while let Some(&next) = successor.get(at) {
        if let Some(i) = path.iter().position(|p| *p == next) {
            let mut cycle = path[i..].to_vec();
            cycle.push(next);
            return Some(cycle);
        }
        path.push(next);
        at = next;
    }
    None
}

/// The rule a stored text column is held to (every column not named here: `ANY_TEXT`).
fn column_rule(table: &str, column: &str) -> &'static Rule {
    match (table, column) {
        ("method", "name") => &rules::METHOD_NAME,
        ("method", "short_name") => &rules::SHORT_NAME,
        ("method", "area") => &rules::AREA,
        ("method", "description") => &rules::DESCRIPTION,
        ("method", "target_group") => &rules::TARGET_GROUP,
        ("method", "origin") => &rules::ORIGIN,
        ("method", "evidence") => &rules::EVIDENCE,
        ("method", "evidence_link") => &rules::EVIDENCE_LINK,
        ("method", "contact") => &rules::CONTACT,
        ("unit", "code") => &rules::UNIT_CODE,
        ("unit", "name") => &rules::UNIT_NAME,
        ("unit", "region") => &rules::REGION,
        ("stage_event", "note") => &rules::NOTE,
        ("stage_event", "source") => &rules::SOURCE,
        ("stage_event", "recorded_by") => &rules::RECORDED_BY,
        ("stage_event", "recorded_at") => &rules::RECORDED_AT,
        ("retraction", "reason") => &rules::REASON,
        ("retraction", "retracted_by") => &rules::RETRACTED_BY,
        ("retraction", "retracted_at") => &rules::RETRACTED_AT,
        ("confirmation", "note") => &rules::NOTE,
        ("confirmation", "recorded_by") => &rules::RECORDED_BY,
        ("confirmation", "recorded_at") => &rules::RECORDED_AT,
        ("confirmation_retraction", "reason") => &rules::REASON,
        ("confirmation_retraction", "retracted_by") => &rules::RETRACTED_BY,
        ("confirmation_retraction", "retracted_at") => &rules::RETRACTED_AT,
        ("setting", "value") => &rules::TITLE,
        ("round", "name") => &rules::ROUND_NAME,
        ("round", "opened_at" | "closed_at") | ("round_answer", "answered_at") => {
            &rules::RECORDED_AT
        }
        ("round", "opened_by" | "closed_by") | ("round_answer", "answered_by") => {
            &rules::RECORDED_BY
        }
        ("change", "at") => &rules::CHANGED_AT,
        ("change", "login") => &rules::CHANGED_BY,
        ("user" | "user_unit" | "draft" | "recorder", "login") => &rules::LOGIN,
        ("user", "display_name") => &rules::DISPLAY_NAME,
        ("draft", "saved_at") => &rules::ANY_TEXT,
        (_, "created_by") => &rules::CREATED_BY,
        (_, "updated_by") => &rules::UPDATED_BY,
        (_, "created_at") => &rules::CREATED_AT,
        (_, "updated_at") => &rules::UPDATED_AT,
        _ => &rules::ANY_TEXT,
    }
}

/// How a row of `table` is named in a problem: the key column and a word for the record.
fn row_label(table: &str) -> (&'static str, &str) {
    match table {
        "method" => ("name", "method"),
        "unit" => ("code", "unit"),
        "stage_event" => ("id", "event"),
        "retraction" => ("event_id", "retraction of event"),
        "confirmation" => ("id", "confirmation"),
        "confirmation_retraction" => ("confirmation_id", "retraction of confirmation"),
        "user" | "user_unit" | "recorder" | "draft" => ("login", table),
        "stage" => ("code", table),
        "unit_lineage" => ("predecessor_id", "lineage of unit id"),
        "counter" => ("name", table),
        "change" => ("id", "change"),
        "setting" => ("key", "setting"),
        "round" => ("name", "round"),
        "round_answer" => ("id", "round answer"),
        other => ("rowid", other),
    }
}

/// A key for a message: printable and at most 40 characters.
fn short(s: &str) -> String {
    let p = crate::domain::text::printable(s);
    if p.chars().count() > 40 {
        p.chars().take(39).collect::<String>() + "…"
    } else {
        p
    }
}
