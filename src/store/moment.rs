//! The moment a screen or a command shows: stages as of a day, as the register knew them at
//! a time, over the units valid that day (or all units). One definition, used by every count:
//!
//! - **as of day D**: an adoption's stage is its latest event with effective date ≤ D (a month
//!   counts as its first day) that is not retracted;
//! - **known at T** (for audits): only events recorded by T count, and only retractions made
//!   by T take events out;
//! - **units**: those valid on D (valid_from ≤ D ≤ valid_to), unless all units are asked for.
//!
//! Today without known-at is the common case: it reads the current stage kept in the
//! `adoption` row, which is the same rule applied as each event is recorded.

use crate::domain::StageCounts;
use anyhow::Result;
use chrono::{DateTime, Local, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, params};

use super::stages::{heard, latest_event};
use crate::domain::{CurrentStage, Stage};

/// The day a screen or command shows, and what was known when (see the module notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub day: NaiveDate,
    /// What the register knew at this time; `None`: everything recorded so far.
    pub known_at: Option<DateTime<Utc>>,
    /// Count every unit, also those not valid on the day (the Matrix's `H`).
    pub all_units: bool,
    /// After how many months without word a stage is stale: the register's `fresh-months`
    /// setting (`Store::fresh_months`), or `--fresh-months` for one command.
    pub fresh_months: u32,
    /// Current only: leave stale stages out. Otherwise (last known, the default) every
    /// stage counts and the stale ones are marked.
    pub current_only: bool,
}

/// How many months a stage stays fresh when the register says nothing else.
pub const DEFAULT_FRESH_MONTHS: u32 = 24;

/// The most months `fresh-months` may be set to (50 years).
pub const MAX_FRESH_MONTHS: u32 = 600;

impl Default for Moment {
    fn default() -> Moment {
        Moment::today()
    }
}

impl Moment {
    /// Today, as the register knows it now.
    pub fn today() -> Moment {
        Moment::on(Local::now().date_naive())
    }

    /// A day, as the register knows it now.
    pub fn on(day: NaiveDate) -> Moment {
        Moment {
            day,
            known_at: None,
            all_units: false,
            fresh_months: DEFAULT_FRESH_MONTHS,
            current_only: false,
        }
    }

    /// The first day a stage must have been heard on to be fresh: the day `fresh_months`
    /// months before the moment's day (the end of a shorter month when that day has none).
    /// A stage last heard exactly `fresh_months` months before the day is fresh; one heard
    /// the day before that is stale.
    pub fn fresh_from(&self) -> NaiveDate {
        self.day
            .checked_sub_months(chrono::Months::new(self.fresh_months))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Whether a stage last heard on `heard` is stale at this moment.
    pub fn is_stale(&self, heard: NaiveDate) -> bool {
        heard < self.fresh_from()
    }

    /// `fresh_from` as the text the database compares with.
    pub(super) fn fresh_text(&self) -> String {
        self.fresh_from().format("%Y-%m-%d").to_string()
    }

    /// Whether the day is today.
    pub fn is_today(&self) -> bool {
        self.day == Local::now().date_naive()
    }

    /// Today with everything recorded: the adoption rows' current stages answer.
    pub(super) fn is_current(&self) -> bool {
        self.is_today() && self.known_at.is_none()
    }

    fn day_text(&self) -> String {
        self.day.format("%Y-%m-%d").to_string()
    }

    fn known_text(&self) -> Option<String> {
        self.known_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
    }

    /// The known-at time to compare recording and retraction times with: the time, or one
    /// after every time ("9999") when everything recorded counts.
    pub(super) fn known_bound(&self) -> String {
        self.known_text().unwrap_or_else(|| "9999".into())
    }

    /// SQL: the event that gives adoption `adoption` its stage at this moment (`?2` is the
    /// day and `?3` the known-at time in the statements below).
    pub(super) fn event_sql(&self, adoption: &str) -> String {
        latest_event(
            adoption,
            Some("?2"),
            self.known_at.is_some().then_some("?3"),
        )
    }

    /// SQL (a scalar subquery) for the stage of adoption row `a` at this moment, with the
    /// placeholders `day` and `known` (in that order, both always present; see
    /// `stage_params`).
    pub(super) fn stage_sql(&self, a: &str, day: &str, known: &str) -> String {
        if self.is_current() {
            // An expression, not a subquery: at L a subquery per adoption was most of the
            // cost of counting today's stages (the placeholders stay, as in the others).
            format!("CASE WHEN {day} IS NOT NULL AND {known} IS NULL THEN {a}.stage END")
        } else {
            self.stage_on(a, day, known)
        }
    }

    /// The stage of adoption `a` on the day the SQL expression `on` gives (a scalar
    /// subquery). Without known-at, the adoption row's current stage is also its stage on
    /// any day on or after the current stage took effect (it is the latest event not
    /// retracted; a month's text sorts just before its first day's): only adoptions whose
    /// current stage came later look into their history, which is most of the cost.
    fn stage_on(&self, a: &str, on: &str, known: &str) -> String {
        let event = latest_event(
            &format!("{a}.id"),
            Some(on),
            Some(&format!("coalesce({known}, '9999')")),
        );
        let past = format!("SELECT e.stage FROM stage_event e WHERE e.id = ({event})");
        if self.known_at.is_some() {
            past
        } else {
            format!("SELECT CASE WHEN {a}.since <= {on} THEN {a}.stage ELSE ({past}) END")
        }
    }

    /// SQL for the id of the event that gives adoption row `a` its stage at this moment
    /// (`day` and `known` as in `stage_sql`): the current event where it took effect by the
    /// day (without known-at), else the latest in the history. Read once per row, so a
    /// query joins the event and takes both its stage and its age from it.
    pub(super) fn event_id_sql(&self, a: &str, day: &str, known: &str) -> String {
        if self.is_current() {
            return format!("{a}.current_event_id");
        }
        let event = latest_event(
            &format!("{a}.id"),
            Some(day),
            Some(&format!("coalesce({known}, '9999')")),
        );
        if self.known_at.is_some() {
            format!("({event})")
        } else {
            format!("(CASE WHEN {a}.since <= {day} THEN {a}.current_event_id ELSE ({event}) END)")
        }
    }

    /// SQL for the day the stage of event `e` (joined by `event_id_sql` for adoption row
    /// `a`) was last heard by `day`, as known at `known`. Without known-at, where `e` is the
    /// current event and the adoption was last heard by the day anyway, that day is the
    /// adoption row's own (`a.heard`): no confirmations to read.
    pub(super) fn heard_then_sql(&self, a: &str, e: &str, day: &str, known: &str) -> String {
        if self.is_current() {
            return format!("{a}.heard");
        }
        let full = heard(e, Some(day), self.known_at.is_some().then_some(known));
        if self.known_at.is_some() {
            full
        } else {
            format!(
                "(CASE WHEN {e}.id = {a}.current_event_id AND {a}.heard <= {day} THEN {a}.heard
                       ELSE {full} END)"
            )
        }
    }

    /// SQL (a scalar subquery) for whether the stage of adoption row `a` at this moment is
    /// stale: last heard (`stages::heard`) before the day in the placeholder `fresh`
    /// (`fresh_text`). `day` and `known` as in `stage_sql`. NULL where there is no stage.
    pub(super) fn stale_sql(&self, a: &str, day: &str, known: &str, fresh: &str) -> String {
        if self.is_current() {
            return format!("SELECT {a}.heard < {fresh} WHERE {a}.stage IS NOT NULL");
        }
        self.stale_on(a, day, known, fresh)
    }

    /// `stale_sql` on the day the SQL expression `on` gives.
    fn stale_on(&self, a: &str, on: &str, known: &str, fresh: &str) -> String {
        format!(
            "SELECT heard_then < {fresh} FROM ({})",
            self.heard_on(a, on, known)
        )
    }

    /// SQL (a scalar subquery, column `heard_then`) for the day the stage of adoption row
    /// `a` at this moment was last heard (`stages::heard`); `day` and `known` as in
    /// `stage_sql`.
    pub(super) fn heard_sql(&self, a: &str, day: &str, known: &str) -> String {
        if self.is_current() {
            return format!(
                "SELECT {a}.heard AS heard_then WHERE {day} IS NOT NULL AND {known} IS NULL"
            );
        }
        self.heard_on(a, day, known)
    }

    fn heard_on(&self, a: &str, on: &str, known: &str) -> String {
        let event = latest_event(
            &format!("{a}.id"),
            Some(on),
            Some(&format!("coalesce({known}, '9999')")),
        );
        let heard = heard("e", Some(on), self.known_at.is_some().then_some(known));
        let id = if self.known_at.is_some() {
            format!("({event})")
        } else {
            format!("CASE WHEN {a}.since <= {on} THEN {a}.current_event_id ELSE ({event}) END")
        };
        format!("SELECT {heard} AS heard_then FROM stage_event e WHERE e.id = {id}")
    }

    /// Like `stale_sql`, for a unit `u` that may have ended (see `stage_sql_until`).
    pub(super) fn stale_sql_until(
        &self,
        a: &str,
        u: &str,
        day: &str,
        known: &str,
        fresh: &str,
    ) -> String {
        if self.is_current() {
            return self.stale_sql(a, day, known, fresh);
        }
        self.stale_on(
            a,
            &format!("min({day}, coalesce({u}.valid_to, {day}))"),
            known,
            fresh,
        )
    }

    /// Like `stage_sql`, for a unit `u` that may have ended: its stage on its last day, or
    /// at this moment if that is earlier.
    pub(super) fn stage_sql_until(&self, a: &str, u: &str, day: &str, known: &str) -> String {
        // Today, a unit's current stage is its stage on its last day too: no event of a
        // unit may fall after it ended (`check` holds this).
        if self.is_current() {
            return self.stage_sql(a, day, known);
        }
        self.stage_on(
            a,
            &format!("min({day}, coalesce({u}.valid_to, {day}))"),
            known,
        )
    }

    /// The values of `stage_sql`'s placeholders (and, third, `stale_sql`'s `fresh`).
    pub(super) fn stage_params(&self) -> Vec<rusqlite::types::Value> {
        vec![
            self.day_text().into(),
            self.known_text()
                .map_or(rusqlite::types::Value::Null, Into::into),
            self.fresh_text().into(),
        ]
    }

    /// SQL: the stage of the cell (method `?1`, unit `?4`) at this moment, and whether it is
    /// stale (`?5`: `fresh_text`).
    pub(super) fn cell_sql(&self) -> String {
        if self.is_current() {
            "SELECT stage, heard < ?5 FROM adoption WHERE method_id = ?1 AND unit_id = ?4
               AND stage IS NOT NULL AND ?2 IS NOT NULL AND ?3 IS NULL"
                .to_string()
        } else {
            format!(
                "SELECT e.stage, {} < ?5 FROM adoption a JOIN stage_event e ON e.id = {}
                 WHERE a.method_id = ?1 AND a.unit_id = ?4 AND (?3 IS NULL OR ?3 IS NOT NULL)",
                self.heard_then_sql("a", "e", "?2", "?3"),
                self.event_id_sql("a", "?2", "?3")
            )
        }
    }

    /// The parameters of `cell_sql`.
    pub(super) fn cell_params(
        &self,
        method: i64,
        unit: i64,
    ) -> (i64, String, Option<String>, i64, String) {
        (
            method,
            self.day_text(),
            self.known_text(),
            unit,
            self.fresh_text(),
        )
    }
}

/// The units that do not count at `moment` (not valid on the day), unless all units count:
/// a short list (the units that have ceased or not yet begun), fetched once per screen.
pub(super) fn units_outside(conn: &Connection, moment: &Moment) -> Result<Vec<i64>> {
    if moment.all_units {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare_cached("SELECT id FROM unit WHERE valid_from > ?1 OR valid_to < ?1 ORDER BY id")?;
    let rows = stmt.query_map([moment.day_text()], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Counts per stage at `moment` of the adoptions with `column` (`method_id` or `unit_id`) =
/// `id`, leaving out the units in `outside` (`units_outside`), and the latest date a counted
/// stage took effect.
pub(super) fn stage_counts(
    conn: &Connection,
    column: &str,
    id: i64,
    moment: &Moment,
    outside: &[i64],
) -> Result<(StageCounts, Option<String>)> {
    // The list is spelled into the statement (ids only), so the counts stay an index-only
    // read of (method_id, stage, since, unit_id).
    let skip = if outside.is_empty() {
        String::new()
    } else {
        format!(" AND a.unit_id NOT IN ({})", super::id_list(outside))
    };
    let sql = if moment.is_current() {
        format!(
            "SELECT a.stage, count(*), max(a.since), coalesce(sum(a.heard < ?4), 0) FROM adoption a
             WHERE a.{column} = ?1 AND a.stage IS NOT NULL AND ?2 IS NOT NULL AND ?3 IS NULL{skip}
             GROUP BY a.stage"
        )
    } else {
        // As in `stage_on`: without known-at, the current stage where it took effect by the
        // day, the history only for the adoptions whose current stage came later.
        let event = if moment.known_at.is_none() {
            format!(
                "CASE WHEN a.since <= ?2 THEN a.current_event_id ELSE ({}) END",
                moment.event_sql("a.id")
            )
        } else {
            format!("({})", moment.event_sql("a.id"))
        };
        format!(
            "SELECT e.stage, count(*), max(e.effective), coalesce(sum({} < ?4), 0)
             FROM adoption a JOIN stage_event e ON e.id = {event}
             WHERE a.{column} = ?1 AND coalesce(?3, '') IS NOT NULL{skip}
             GROUP BY e.stage",
            moment.heard_then_sql("a", "e", "?2", "?3")
        )
    };
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(
        params![
            id,
            moment.day_text(),
            moment.known_text(),
            moment.fresh_text()
        ],
        |r| {
            Ok((
                r.get::<_, Stage>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, i64>(3)?,
            ))
        },
    )?;
    let mut counts = StageCounts::default();
    let mut last: Option<String> = None;
    for row in rows {
        let (stage, n, since, stale) = row?;
        counts.add(stage, n as u32, stale as u32, moment.current_only);
        if since > last {
            last = since;
        }
    }
    Ok((counts, last))
}

/// Whose stages a detail view lists: a method's units, or a unit's methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The units of method `id`.
    UnitsOf,
    /// The methods of unit `id`.
    MethodsOf,
}

/// Every adoption's stage at `moment` (for the units that had started by the day), as a
/// detail view lists them. A unit that had ended by the day shows its stages on its last
/// day, with its end and the units that took over; those come last.
pub(super) fn current_at(
    conn: &Connection,
    side: Side,
    id: i64,
    moment: &Moment,
) -> Result<Vec<CurrentStage>> {
    let (column, label, name, order) = match side {
        Side::UnitsOf => (
            "method_id",
            "u.code",
            "u.name",
            "(u.kind <> 'district'), u.region, u.sort_key",
        ),
        Side::MethodsOf => (
            "unit_id",
            "coalesce(m.short_name, m.name)",
            "m.name",
            "(SELECT rank FROM stage WHERE code = e.stage) DESC, m.sort_key",
        ),
    };
    let on = "min(?2, coalesce(u.valid_to, ?2))";
    let heard_then = if moment.is_current() {
        "a.heard".to_string()
    } else {
        heard("e", Some(on), moment.known_at.is_some().then_some("?3"))
    };
    let (source, current) = if moment.is_current() {
        (
            "LEFT JOIN stage_event e ON e.id = a.current_event_id".to_string(),
            "a.stage IS NOT NULL AND ?3 IS NULL",
        )
    } else {
        (
            format!(
                "JOIN stage_event e ON e.id = ({})",
                latest_event("a.id", Some(on), moment.known_at.is_some().then_some("?3"))
            ),
            "coalesce(?3, '') IS NOT NULL",
        )
    };
    let sql = format!(
        "SELECT {label}, {name}, e.stage, e.effective, e.note,
                CASE WHEN u.valid_to < ?2 THEN u.valid_to END, {heard_then},
                (SELECT group_concat(code, ', ') FROM (
                    SELECT s.code FROM unit_lineage l JOIN unit s ON s.id = l.successor_id
                    WHERE l.predecessor_id = u.id ORDER BY s.sort_key))
         FROM adoption a JOIN unit u ON u.id = a.unit_id JOIN method m ON m.id = a.method_id
         {source}
         WHERE a.{column} = ?1 AND {current} AND e.id IS NOT NULL
           AND (u.valid_from IS NULL OR u.valid_from <= ?2)
         ORDER BY (u.valid_to IS NOT NULL AND u.valid_to < ?2), {order}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![id, moment.day_text(), moment.known_text()], |r| {
        let until: Option<String> = r.get(5)?;
        let heard: String = r.get::<_, Option<String>>(6)?.unwrap_or_default();
        let stale = until.is_none() && heard.parse::<NaiveDate>().is_ok_and(|d| moment.is_stale(d));
        Ok(CurrentStage {
            label: r.get(0)?,
            name: r.get(1)?,
            stage: r.get(2)?,
            since: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            heard,
            stale,
            note: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            until,
            then: r.get(7)?,
        })
    })?;
    let rows = rows.collect::<rusqlite::Result<Vec<CurrentStage>>>()?;
    Ok(if moment.current_only {
        rows.into_iter().filter(|s| !s.stale).collect()
    } else {
        rows
    })
}
