//! The Activity list: every change to the register (stage events, retractions, methods and
//! units added or edited), newest first, narrowed by the `/` filter (see
//! `domain::activity_filter`). It reads the `change` log that triggers keep (schema 6).
//!
//! Every filter is answered without walking a million rows when it matches few of them. A
//! filter is planned once per screen refresh: each of its parts (the words, `by:`, the dates)
//! is a condition on the log, and each has an index. The part that matches fewest rows
//! (counted through its index, up to `DRIVE_BELOW`) drives: its rows are fetched through the
//! index and sorted, and the other parts are tested on them. When every part matches many
//! rows, matches are dense, and walking the log from the newest finds a screenful at once.

use std::sync::{Arc, Mutex};

use anyhow::Result;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params_from_iter};

use super::bulk::SetAside;
use super::stages::{EVENT_SELECT, event_row};
use super::{Store, like_pattern};
use crate::domain::{ActivityFilter, Change, ChangeKind, Stage};

/// An exact count of a filter's changes, made on a read-only connection of its own in a
/// thread of its own: the list shows at once, and the count follows (the title says
/// "counting…" until then). Dropped (the filter changed, the app quit), it interrupts the
/// count.
pub struct Counting {
    result: std::sync::mpsc::Receiver<Result<usize, String>>,
    /// The count's connection, to interrupt it, once the thread has opened it; and whether
    /// the count was dropped before that (the thread then does not start it).
    stop: Arc<Mutex<Stop>>,
}

#[derive(Default)]
struct Stop {
    handle: Option<rusqlite::InterruptHandle>,
    dropped: bool,
}

/// How long after the filter its exact count begins (see `count_activity`).
const COUNT_AFTER: std::time::Duration = std::time::Duration::from_millis(30);

impl Counting {
    /// The count, when it is done.
    pub fn done(&self) -> Option<Result<usize>> {
        use std::sync::mpsc::TryRecvError;
        match self.result.try_recv() {
            Ok(counted) => Some(counted.map_err(anyhow::Error::msg)),
            Err(TryRecvError::Empty) => None,
            // internal: the counting thread ended without a word (it always sends one).
            Err(TryRecvError::Disconnected) => Some(Err(anyhow::anyhow!("the count stopped"))),
        }
    }

    /// A count known already.
    fn known(n: usize) -> Counting {
        let (tx, result) = std::sync::mpsc::channel();
        let _ = tx.send(Ok(n));
        Counting {
            result,
            stop: Arc::default(),
        }
    }
}

impl Drop for Counting {
    fn drop(&mut self) {
        if let Ok(mut stop) = self.stop.lock() {
            stop.dropped = true;
            if let Some(handle) = &stop.handle {
                handle.interrupt();
            }
        }
    }
}

/// A part matching fewer rows than this drives the query through its index.
const DRIVE_BELOW: usize = 5000;

/// An SQL condition on the change log `c` with the values of its `?` placeholders.
type Condition = (String, Vec<Value>);

/// A planned Activity filter: SQL conditions on the change log `c`, their parameters, and
/// the rows that drive the query when one part is selective.
#[derive(Debug, Clone)]
pub struct ActivityPlan {
    /// The filter matches nothing (a word nothing contains, a login nobody has).
    nothing: bool,
    /// No filter at all.
    everything: bool,
    /// Each part's condition with its parameters.
    conditions: Vec<Condition>,
    /// SQL giving the ids of the driving part's rows, with its own parameters.
    driver: Option<(String, Vec<Value>)>,
    /// Walking one index in the list's order instead of the whole log: the index, and the
    /// part it stands in for with its condition (one login, method or unit).
    stream: Option<(&'static str, usize, Condition)>,
    /// At least this many rows match (known from a part's index count when the filter is
    /// that part alone), so the count need not be walked.
    at_least: usize,
}

/// One part of a filter: its condition, and the SQL that lists its rows through an index
/// (none for a part that cannot be selective).
struct Part {
    condition: String,
    params: Vec<Value>,
    rows: Option<String>,
    /// Placeholders in `rows` (the first this many of `params`).
    row_params: usize,
    /// When the part is one login, method or unit: its index, which holds its rows in the
    /// list's order, and the equality that walks it.
    single: Option<(&'static str, String, Value)>,
    /// How to count its rows cheaply: statements whose counts add up to at least the part's
    /// (a union would first collect every row to drop duplicates), each with its parameter.
    counted_by: Vec<(&'static str, usize)>,
}

/// The `since:`/`until:` part, when given: changes made in the period (RFC 3339 times in
/// UTC sort as text, and a day's text is before all its times).
fn period_part(
    since: Option<chrono::NaiveDate>,
    before: Option<chrono::NaiveDate>,
) -> Option<Part> {
    if since.is_none() && before.is_none() {
        return None;
    }
    let day = |d: Option<chrono::NaiveDate>, or: &str| {
        Value::Text(d.map_or(or.to_string(), |d| d.format("%Y-%m-%d").to_string()))
    };
    Some(Part {
        condition: "(c.at >= ? AND c.at < ?)".into(),
        params: vec![day(since, ""), day(before, "9999")],
        rows: Some("SELECT id FROM change WHERE at >= ?1 AND at < ?2".into()),
        row_params: 2,
        single: None,
        counted_by: Vec::new(),
    })
}

fn json(values: &[impl serde::Serialize]) -> Value {
    Value::Text(serde_json::to_string(values).unwrap_or_else(|_| "[]".into()))
}

const CHANGE_SELECT: &str = "SELECT c.id, c.kind, c.at, c.login, c.fields, c.event_id,
        coalesce(m.short_name, m.name, ''), coalesce(m.name, ''), coalesce(u.code, ''),
        coalesce(u.name, ''), c.confirmation_id
     FROM change c
     LEFT JOIN method m ON m.id = c.method_id
     LEFT JOIN unit u ON u.id = c.unit_id";

/// A change, and the event or confirmation it is about (by id).
fn change_row(r: &Row) -> rusqlite::Result<(Change, About)> {
    let kind: String = r.get(1)?;
    let about = match (r.get::<_, Option<i64>>(5)?, r.get::<_, Option<i64>>(10)?) {
        (Some(id), _) => About::Event(id),
        (None, Some(id)) => About::Confirmation(id),
        (None, None) => About::Nothing,
    };
    Ok((
        Change {
            id: r.get(0)?,
            kind: ChangeKind::parse(&kind).unwrap_or(ChangeKind::Event),
            at: r.get(2)?,
            login: r.get(3)?,
            fields: r.get(4)?,
            method: r.get(6)?,
            method_name: r.get(7)?,
            unit: r.get(8)?,
            unit_name: r.get(9)?,
            event: None,
        },
        about,
    ))
}

/// What a change of the log is about.
enum About {
    Event(i64),
    Confirmation(i64),
    Nothing,
}

/// Runs a bulk `load` (in transaction `tx`: an import, the generator) and logs what it added
/// at its end, a statement per kind, instead of a trigger's insert per row; the change log's
/// indexes and bookkeeping triggers are set aside meanwhile (`SetAside`) and built again
/// after, one sort each instead of a million inserts at random places (at L: logging 2.8 s,
/// indexes 3.9 s; the import went from 61 s to 31–34 s). If anything fails, the
/// transaction's rollback brings the triggers' state and the indexes back.
///
/// `load` returns what it loaded and whether it wrote the log itself (an import of a file
/// that carries its change log); then nothing is added to it.
pub(super) fn bulk_logged<T>(
    tx: &rusqlite::Transaction,
    load: impl FnOnce() -> Result<(T, bool)>,
) -> Result<T> {
    let before: (i64, i64, i64, i64) = tx.query_row(
        "SELECT (SELECT coalesce(max(id), 0) FROM method), (SELECT coalesce(max(id), 0) FROM unit),
                (SELECT coalesce(max(id), 0) FROM stage_event),
                (SELECT coalesce(max(id), 0) FROM confirmation)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let aside = SetAside::begin(tx, &["change"])?;
    tx.execute("INSERT INTO change_paused (one) VALUES (1)", [])?;
    let (out, logged) = load()?;
    tx.execute("DELETE FROM change_paused", [])?;
    if logged {
        aside.restore(tx)?;
        return Ok(out);
    }
    // What the load added, in the order it was loaded: methods, units, events, then the
    // retractions (each statement reads its table in id order, so nothing is sorted).
    tx.execute(
        "INSERT INTO change (kind, at, login, method_id)
         SELECT 'method_added', created_at, created_by, id FROM method WHERE id > ?1 ORDER BY id",
        [before.0],
    )?;
    tx.execute(
        "INSERT INTO change (kind, at, login, unit_id)
         SELECT 'unit_added', created_at, created_by, id FROM unit WHERE id > ?1 ORDER BY id",
        [before.1],
    )?;
    tx.execute(
        "INSERT INTO change (kind, at, login, event_id, method_id, unit_id, stage)
         SELECT 'event', e.recorded_at, e.recorded_by, e.id, a.method_id, a.unit_id, e.stage
         FROM stage_event e JOIN adoption a ON a.id = e.adoption_id WHERE e.id > ?1
         ORDER BY e.id",
        [before.2],
    )?;
    tx.execute(
        "INSERT INTO change (kind, at, login, event_id, method_id, unit_id, stage)
         SELECT 'retraction', r.retracted_at, r.retracted_by, r.event_id, a.method_id,
                a.unit_id, e.stage
         FROM retraction r JOIN stage_event e ON e.id = r.event_id
         JOIN adoption a ON a.id = e.adoption_id WHERE r.event_id > ?1 ORDER BY r.event_id",
        [before.2],
    )?;
    tx.execute(
        "INSERT INTO change (kind, at, login, confirmation_id, method_id, unit_id, stage)
         SELECT 'confirmation', c.recorded_at, c.recorded_by, c.id, a.method_id, a.unit_id,
                c.stage
         FROM confirmation c JOIN adoption a ON a.id = c.adoption_id WHERE c.id > ?1
         ORDER BY c.id",
        [before.3],
    )?;
    tx.execute(
        "INSERT INTO change (kind, at, login, confirmation_id, method_id, unit_id, stage)
         SELECT 'confirmation_retraction', r.retracted_at, r.retracted_by, r.confirmation_id,
                a.method_id, a.unit_id, c.stage
         FROM confirmation_retraction r JOIN confirmation c ON c.id = r.confirmation_id
         JOIN adoption a ON a.id = c.adoption_id WHERE r.confirmation_id > ?1
         ORDER BY r.confirmation_id",
        [before.3],
    )?;
    aside.restore(tx)?;
    Ok(out)
}

/// Empties the change log, for an import that brings its own: the new database's log holds
/// only what `init` did, which the file's units supersede. The log is append-only, so its
/// guard is lifted for this one statement inside the import's transaction (a failed import
/// rolls all of it back). The count and the list of logins follow the log's new rows at the
/// end (`log_written`).
pub(super) fn replace_log(tx: &rusqlite::Transaction) -> Result<()> {
    let guard: String = tx.query_row(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'change_no_delete'",
        [],
        |r| r.get(0),
    )?;
    tx.execute_batch("DROP TRIGGER change_no_delete; DELETE FROM change;")?;
    tx.execute_batch(&guard)?;
    Ok(())
}

/// A row of an imported change log as it is read (`stage_change`): an event's or a
/// retraction's row names only its event; the others carry their own.
#[derive(Debug, Default)]
pub(super) struct StagedChange<'a> {
    pub kind: &'a str,
    pub event_id: Option<i64>,
    pub at: &'a str,
    pub login: &'a str,
    pub method_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub fields: &'a str,
    pub confirmation_id: Option<i64>,
}

/// An imported log is read into a temporary table first and written to the log in one
/// statement at its end (`write_staged`): a million rows each looking up their event cost
/// 9 s at L, one joined statement a few.
pub(super) fn start_staging(tx: &rusqlite::Transaction) -> Result<()> {
    tx.execute_batch(
        "CREATE TEMP TABLE change_in (
             pos INTEGER PRIMARY KEY, kind TEXT NOT NULL, event_id INTEGER, at TEXT,
             login TEXT, method_id INTEGER, unit_id INTEGER, fields TEXT NOT NULL,
             confirmation_id INTEGER)",
    )?;
    Ok(())
}

pub(super) fn stage_change(tx: &rusqlite::Transaction, c: &StagedChange) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO temp.change_in (kind, event_id, at, login, method_id, unit_id, fields,
                                     confirmation_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(rusqlite::params![
        c.kind,
        c.event_id,
        c.at,
        c.login,
        c.method_id,
        c.unit_id,
        c.fields,
        c.confirmation_id
    ])?;
    Ok(())
}

/// The staged rows into the log, in the file's order: an event's and a retraction's row
/// takes who, when, method, unit and stage from its event, as the triggers do.
pub(super) fn write_staged(tx: &rusqlite::Transaction) -> Result<()> {
    tx.execute_batch(
        "INSERT INTO change (kind, at, login, event_id, method_id, unit_id, stage, fields,
                             confirmation_id)
         SELECT i.kind,
                CASE i.kind WHEN 'event' THEN e.recorded_at
                            WHEN 'retraction' THEN r.retracted_at
                            WHEN 'confirmation' THEN k.recorded_at
                            WHEN 'confirmation_retraction' THEN kr.retracted_at ELSE i.at END,
                CASE i.kind WHEN 'event' THEN e.recorded_by
                            WHEN 'retraction' THEN r.retracted_by
                            WHEN 'confirmation' THEN k.recorded_by
                            WHEN 'confirmation_retraction' THEN kr.retracted_by
                            ELSE i.login END,
                i.event_id,
                coalesce(a.method_id, ka.method_id, i.method_id),
                coalesce(a.unit_id, ka.unit_id, i.unit_id),
                coalesce(e.stage, k.stage), i.fields, i.confirmation_id
         FROM temp.change_in i
         LEFT JOIN stage_event e ON e.id = i.event_id
         LEFT JOIN adoption a ON a.id = e.adoption_id
         LEFT JOIN retraction r ON r.event_id = i.event_id AND i.kind = 'retraction'
         LEFT JOIN confirmation k ON k.id = i.confirmation_id
         LEFT JOIN adoption ka ON ka.id = k.adoption_id
         LEFT JOIN confirmation_retraction kr
                ON kr.confirmation_id = i.confirmation_id AND i.kind = 'confirmation_retraction'
         ORDER BY i.pos;
         DROP TABLE temp.change_in;",
    )?;
    Ok(())
}

/// After a change log was written whole: every method and unit without its "added" row
/// gets one (a file may omit them), and the count and the logins follow the rows.
pub(super) fn log_written(tx: &rusqlite::Transaction) -> Result<()> {
    tx.execute_batch(
        "INSERT INTO change (kind, at, login, method_id)
         SELECT 'method_added', created_at, created_by, id FROM method
         WHERE id NOT IN (SELECT method_id FROM change WHERE kind = 'method_added'
                          AND method_id IS NOT NULL) ORDER BY id;
         INSERT INTO change (kind, at, login, unit_id)
         SELECT 'unit_added', created_at, created_by, id FROM unit
         WHERE id NOT IN (SELECT unit_id FROM change WHERE kind = 'unit_added'
                          AND unit_id IS NOT NULL) ORDER BY id;
         UPDATE counter SET value = (SELECT count(*) FROM change) WHERE name = 'changes';
         DELETE FROM recorder;
         INSERT OR IGNORE INTO recorder (login)
         SELECT login FROM change UNION SELECT recorded_by FROM stage_event;",
    )?;
    Ok(())
}

impl Store {
    /// The stage codes whose code or label (in either language) contains the text.
    fn stages_matching(text: &str) -> Vec<&'static str> {
        let f = text.trim().to_lowercase();
        Stage::ALL
            .iter()
            .filter(|s| {
                s.code().contains(&f)
                    || s.label(crate::i18n::Lang::Sv).to_lowercase().contains(&f)
                    || s.label(crate::i18n::Lang::En).to_lowercase().contains(&f)
            })
            .map(|s| s.code())
            .collect()
    }

    fn ids_like<T: rusqlite::types::FromSql>(&self, sql: &str, pattern: &str) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let rows = stmt.query_map([pattern], |r| r.get::<_, T>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many rows `sql` gives, counted up to `cap`.
    fn count_up_to(&self, sql: &str, params: &[Value], cap: usize) -> Result<usize> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT count(*) FROM ({sql} LIMIT {})",
            cap.min(i64::MAX as usize)
        ))?;
        let n: i64 = stmt.query_row(params_from_iter(params), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Plans `filter` (see the module's comment). A malformed term is an error.
    pub fn activity_plan(&self, filter: &str) -> Result<ActivityPlan> {
        self.plan_activity(filter, DRIVE_BELOW)
    }

    /// `activity_plan` with the threshold under which a part drives (tests compare both
    /// ways of answering).
    pub(super) fn plan_activity(&self, filter: &str, drive_below: usize) -> Result<ActivityPlan> {
        let f = ActivityFilter::parse(filter)?;
        let mut plan = ActivityPlan {
            nothing: false,
            everything: f.is_empty(),
            conditions: Vec::new(),
            driver: None,
            stream: None,
            at_least: 0,
        };
        if plan.everything {
            return Ok(plan);
        }
        // Each part given: its conditions, or None when it matches nothing at all.
        let parts = [
            self.words_part(&f.text)?,
            self.by_part(f.by.as_deref())?,
            period_part(f.since, f.before).map(Some),
        ];
        let mut kept = Vec::new();
        for part in parts.into_iter().flatten() {
            let Some(part) = part else {
                plan.nothing = true;
                return Ok(plan);
            };
            kept.push(part);
        }
        self.choose_driver(&mut plan, &kept, drive_below)?;
        Ok(plan)
    }

    /// The words' part: changes of the methods, units or logins the words are in, or of the
    /// stages they name. None: no words; Some(None): nothing matches them.
    fn words_part(&self, text: &str) -> Result<Option<Option<Part>>> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let pattern = like_pattern(text);
        let methods: Vec<i64> = self.ids_like(
            "SELECT id FROM method WHERE search LIKE ?1 ESCAPE '\\'",
            &pattern,
        )?;
        let units: Vec<i64> = self.ids_like(
            "SELECT id FROM unit WHERE search LIKE ?1 ESCAPE '\\'",
            &pattern,
        )?;
        let logins: Vec<String> = self.ids_like(
            "SELECT login FROM recorder WHERE lower(login) LIKE ?1 ESCAPE '\\'",
            &pattern,
        )?;
        let stages = Self::stages_matching(text);
        if methods.is_empty() && units.is_empty() && logins.is_empty() && stages.is_empty() {
            return Ok(Some(None));
        }
        // A stage is a seventh of everything: no index needed, nor useful.
        let rows = stages.is_empty().then(|| {
            "SELECT id FROM change WHERE method_id IN (SELECT value FROM json_each(?1))
             UNION SELECT id FROM change WHERE unit_id IN (SELECT value FROM json_each(?2))
             UNION SELECT id FROM change WHERE login IN (SELECT value FROM json_each(?3))"
                .to_string()
        });
        let single = match (&methods[..], &units[..], &logins[..], stages.is_empty()) {
            ([m], [], [], true) => {
                Some(("change_by_method", "c.method_id = ?", Value::Integer(*m)))
            }
            ([], [u], [], true) => Some(("change_by_unit", "c.unit_id = ?", Value::Integer(*u))),
            ([], [], [l], true) => Some(("change_by_login", "c.login = ?", Value::Text(l.clone()))),
            _ => None,
        }
        .map(|(index, condition, value)| (index, condition.to_string(), value));
        // A list the words matched nothing of is a clause that is false without a look at
        // the row (its placeholder kept, so the parameters stay in place): a stage word
        // walking the whole log then tests one list per row, not four.
        let clause = |column: &str, empty: bool| {
            if empty {
                "(0 AND ? IS NULL)".to_string()
            } else {
                format!("{column} IN (SELECT value FROM json_each(?))")
            }
        };
        Ok(Some(Some(Part {
            condition: format!(
                "({} OR {} OR {} OR {})",
                clause("c.method_id", methods.is_empty()),
                clause("c.unit_id", units.is_empty()),
                clause("c.login", logins.is_empty()),
                clause("c.stage", stages.is_empty())
            ),
            params: vec![json(&methods), json(&units), json(&logins), json(&stages)],
            rows,
            row_params: 3,
            single,
            counted_by: vec![
                (
                    "SELECT 1 FROM change WHERE method_id IN (SELECT value FROM json_each(?1))",
                    0,
                ),
                (
                    "SELECT 1 FROM change WHERE unit_id IN (SELECT value FROM json_each(?1))",
                    1,
                ),
                (
                    "SELECT 1 FROM change WHERE login IN (SELECT value FROM json_each(?1))",
                    2,
                ),
            ],
        })))
    }

    /// The `by:` part: changes by the logins that contain the text (as `words_part`).
    fn by_part(&self, by: Option<&str>) -> Result<Option<Option<Part>>> {
        let Some(by) = by else {
            return Ok(None);
        };
        let logins: Vec<String> = self.ids_like(
            "SELECT login FROM recorder WHERE lower(login) LIKE ?1 ESCAPE '\\'",
            &like_pattern(by),
        )?;
        if logins.is_empty() {
            return Ok(Some(None));
        }
        let single = match &logins[..] {
            [one] => Some((
                "change_by_login",
                "c.login = ?".to_string(),
                Value::Text(one.clone()),
            )),
            _ => None,
        };
        Ok(Some(Some(Part {
            condition: "c.login IN (SELECT value FROM json_each(?))".into(),
            params: vec![json(&logins)],
            rows: Some(
                "SELECT id FROM change WHERE login IN (SELECT value FROM json_each(?1))".into(),
            ),
            row_params: 1,
            single,
            counted_by: Vec::new(),
        })))
    }

    /// Chooses how the plan reads: the most selective part with an index drives, if it is
    /// selective enough; else, with more than one part, the index of a part that is one
    /// login, method or unit is walked; else the log from the newest.
    fn choose_driver(
        &self,
        plan: &mut ActivityPlan,
        parts: &[Part],
        drive_below: usize,
    ) -> Result<()> {
        let alone = parts.len() == 1;
        let mut best: Option<(usize, String, Vec<Value>)> = None;
        for part in parts {
            plan.conditions
                .push((part.condition.clone(), part.params.clone()));
            let Some(rows) = &part.rows else {
                continue;
            };
            let row_params = part.params[..part.row_params].to_vec();
            let (n, surely) = self.part_size(part, rows, &row_params, drive_below)?;
            if n == 0 {
                plan.nothing = true;
                return Ok(());
            }
            if alone {
                plan.at_least = surely;
            }
            if best.as_ref().is_none_or(|b| n < b.0) {
                best = Some((n, rows.clone(), row_params));
            }
        }
        plan.driver = best
            .filter(|(n, _, _)| *n < drive_below)
            .map(|(_, rows, params)| (rows, params));
        // Every part matches many rows. With more than one part, together they may match
        // few, and walking the whole log would take long to find them: walk the index of a
        // part that is one login, method or unit instead (its rows only, in order).
        if plan.driver.is_none() && parts.len() > 1 {
            plan.stream = parts.iter().enumerate().find_map(|(i, p)| {
                p.single
                    .clone()
                    .map(|(index, condition, value)| (index, i, (condition, vec![value])))
            });
        }
        Ok(())
    }

    /// At most how many rows match a part (its statements' counts added up), and at least
    /// how many (the largest of them), counted up to the driving cap.
    fn part_size(
        &self,
        part: &Part,
        rows: &str,
        row_params: &[Value],
        drive_below: usize,
    ) -> Result<(usize, usize)> {
        let cap = drive_below.clamp(1, DRIVE_BELOW);
        if part.counted_by.is_empty() {
            let n = self.count_up_to(rows, row_params, cap)?;
            return Ok((n, n));
        }
        let (mut sum, mut largest) = (0, 0);
        for (sql, param) in &part.counted_by {
            let k = self.count_up_to(sql, &part.params[*param..=*param], cap)?;
            sum += k;
            largest = largest.max(k);
        }
        Ok((sum, largest))
    }

    /// The SQL of the planned rows (`select` of `c` and its joins), and its parameters: the
    /// driver's first, then the conditions', then `extra` (placeholders numbered from the
    /// next free one, returned).
    fn planned(&self, plan: &ActivityPlan, select: &str, extra: &str) -> (String, Vec<Value>) {
        let mut params: Vec<Value> = Vec::new();
        let mut sql = select.to_string();
        if let Some((rows, driver_params)) = &plan.driver {
            // The driver's rows first (CROSS JOIN keeps that order of the loops): the log
            // is only looked up by id for them.
            sql = sql.replacen(
                "FROM change c",
                &format!("FROM ({rows}) d CROSS JOIN change c ON c.id = d.id"),
                1,
            );
            params.extend(driver_params.iter().cloned());
        } else if let Some((index, _, _)) = &plan.stream {
            sql = sql.replacen(
                "FROM change c",
                &format!("FROM change c INDEXED BY {index}"),
                1,
            );
        } else if !plan.conditions.is_empty() {
            // Every part matches many rows: walk the log from the newest (an index on one
            // part would fetch and sort all of its rows first).
            sql = sql.replacen("FROM change c", "FROM change c NOT INDEXED", 1);
        }
        let mut conditions = Vec::new();
        for (i, part) in plan.conditions.iter().enumerate() {
            let (condition, values) = match &plan.stream {
                Some((_, at, instead)) if *at == i => instead,
                _ => part,
            };
            let mut values = values.iter();
            let mut numbered = String::new();
            for (k, piece) in condition.split('?').enumerate() {
                if k > 0 {
                    params.push(values.next().cloned().unwrap_or(Value::Null));
                    numbered.push_str(&format!("?{}", params.len()));
                }
                numbered.push_str(piece);
            }
            conditions.push(numbered);
        }
        if !extra.is_empty() {
            conditions.push(extra.replace("?N", &format!("?{}", params.len() + 1)));
        }
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        (sql, params)
    }

    /// One window of the changes matching the plan, newest first.
    pub fn activity(
        &self,
        plan: &ActivityPlan,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Change>> {
        self.activity_rows(plan, (offset, limit), true)
    }

    /// One window of the `total` changes matching the plan (an exact count), newest first.
    /// A window in the older half is read from the oldest end and turned round, so End (the
    /// oldest page of a million) costs what Home does, and a window costs at most half the
    /// matching rows: an offset is read past, row by row.
    pub fn activity_window(
        &self,
        plan: &ActivityPlan,
        (offset, limit): (usize, usize),
        total: usize,
    ) -> Result<Vec<Change>> {
        let end = (offset + limit).min(total);
        if offset >= total || offset <= total - end {
            return self.activity_rows(plan, (offset, limit), true);
        }
        let mut rows = self.activity_rows(plan, (total - end, end - offset), false)?;
        rows.reverse();
        Ok(rows)
    }

    /// A window of the matching changes, newest first when `newest_first`, else oldest.
    fn activity_rows(
        &self,
        plan: &ActivityPlan,
        (offset, limit): (usize, usize),
        newest_first: bool,
    ) -> Result<Vec<Change>> {
        if plan.nothing {
            return Ok(Vec::new());
        }
        let (mut sql, mut params) = self.planned(plan, CHANGE_SELECT, "");
        let n = params.len();
        sql.push_str(&format!(
            " ORDER BY c.id {} LIMIT ?{} OFFSET ?{}",
            if newest_first { "DESC" } else { "ASC" },
            n + 1,
            n + 2
        ));
        params.push(Value::Integer(limit as i64));
        params.push(Value::Integer(offset as i64));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params_from_iter(params), change_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut event = self
            .conn
            .prepare_cached(&format!("{EVENT_SELECT} WHERE e.id = ?1"))?;
        let mut confirmation = self.conn.prepare_cached(&format!(
            "{} WHERE c.id = ?1",
            super::confirmations::CONFIRMATION_SELECT
        ))?;
        rows.into_iter()
            .map(|(mut change, about)| {
                change.event = match about {
                    About::Event(id) => event.query_row([id], event_row).optional()?,
                    // A confirmation is shown as the event it resembles: its stage, its day,
                    // its note, who said it and its retraction (no source).
                    About::Confirmation(id) => confirmation
                        .query_row([id], super::confirmations::confirmation_row)
                        .optional()?
                        .map(super::confirmations::ConfirmationRow::into_event_row),
                    About::Nothing => None,
                };
                Ok(change)
            })
            .collect()
    }

    /// The number of changes matching the plan, counted up to `cap` (a screen shows
    /// "1000+"). Without a filter it is exact and instant (a counter kept by a trigger).
    pub fn activity_count(&self, plan: &ActivityPlan, cap: usize) -> Result<usize> {
        if plan.nothing {
            return Ok(0);
        }
        if plan.everything {
            return self.change_count();
        }
        if plan.at_least >= cap {
            return Ok(cap);
        }
        let (sql, params) = self.planned(plan, "SELECT 1 FROM change c", "");
        self.count_up_to(&sql, &params, cap)
    }

    /// Starts counting the changes matching the plan exactly, on a connection of its own
    /// (see `Counting`).
    pub fn count_activity(&self, plan: &ActivityPlan) -> Result<Counting> {
        if plan.nothing || plan.everything {
            return Ok(Counting::known(self.activity_count(plan, usize::MAX)?));
        }
        let (sql, params) = self.planned(plan, "SELECT 1 FROM change c", "");
        let path = self.path.clone();
        let stop: Arc<Mutex<Stop>> = Arc::default();
        let (tx, result) = std::sync::mpsc::channel();
        let theirs = stop.clone();
        // The connection is opened in the thread too: the keystroke waits for neither.
        std::thread::spawn(move || {
            let counted = (|| -> rusqlite::Result<Option<usize>> {
                // A moment's wait first: the keystroke's own rows are read and drawn without
                // the count beside them on a machine of two cores (in an A/B at L the filter
                // `stöd by:user7` took 14–21 ms with it, 10–11 ms without), and a filter
                // still being typed is dropped before its count begins.
                std::thread::sleep(COUNT_AFTER);
                if theirs.lock().map_or(true, |stop| stop.dropped) {
                    return Ok(None);
                }
                let conn = super::reader_connection(&path)?;
                match theirs.lock() {
                    Ok(mut stop) if !stop.dropped => {
                        stop.handle = Some(conn.get_interrupt_handle())
                    }
                    _ => return Ok(None),
                }
                let n: i64 = conn.query_row(
                    &format!("SELECT count(*) FROM ({sql})"),
                    params_from_iter(params),
                    |r| r.get(0),
                )?;
                Ok(Some(n as usize))
            })();
            match counted {
                Ok(Some(n)) => {
                    let _ = tx.send(Ok(n));
                }
                Ok(None) => {}
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                }
            }
        });
        Ok(Counting { result, stop })
    }

    /// Where change `id` stands in the list under the plan (None if it does not match):
    /// how many matching changes came after it.
    pub fn activity_position(&self, plan: &ActivityPlan, id: i64) -> Result<Option<usize>> {
        if plan.nothing {
            return Ok(None);
        }
        let (sql, mut params) = self.planned(plan, "SELECT 1 FROM change c", "c.id = ?N");
        params.push(Value::Integer(id));
        let matches: bool = self.conn.query_row(
            &format!("SELECT EXISTS ({sql})"),
            params_from_iter(params),
            |r| r.get(0),
        )?;
        if !matches {
            return Ok(None);
        }
        let (sql, mut params) = self.planned(plan, "SELECT 1 FROM change c", "c.id > ?N");
        params.push(Value::Integer(id));
        let n: i64 = self.conn.query_row(
            &format!("SELECT count(*) FROM ({sql})"),
            params_from_iter(params),
            |r| r.get(0),
        )?;
        Ok(Some(n as usize))
    }

    /// The number of changes in the log (a counter kept by a trigger).
    pub fn change_count(&self) -> Result<usize> {
        let n: Option<i64> = self
            .conn
            .query_row(
                "SELECT value FROM counter WHERE name = 'changes'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(n.unwrap_or(0) as usize)
    }

    /// The number of stage events (a counter kept by a trigger).
    pub fn event_count(&self) -> Result<usize> {
        let n: i64 =
            self.conn
                .query_row("SELECT value FROM counter WHERE name = 'events'", [], |r| {
                    r.get(0)
                })?;
        Ok(n as usize)
    }
}
