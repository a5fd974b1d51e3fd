//! What the workshop presentation reads beyond the other screens' queries: the register's
//! title, the years the film runs over and the events of each year, and the stage changes
//! since a point in the change log (to mark them on the open slide).

use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use rusqlite::OptionalExtension;

use super::access::Gate;
use super::{Moment, Store, id_list};
use crate::domain::problem::Deed;
use crate::domain::{EventDate, Stage, rules};

/// The title slide's heading when the register has none of its own.
pub const DEFAULT_TITLE: &str = "Metodspridning i Stockholms stad";

/// One event of a year of the film.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearEvent {
    pub method_id: i64,
    pub unit_id: i64,
    /// The unit's name (of its time: a unit that has since merged keeps its own).
    pub unit_name: String,
    pub stage: Stage,
    pub effective: NaiveDate,
}

/// How many of the register's first events (by day) `first_event_year` reads before it
/// looks at each of the methods' adoptions instead.
const FIRST_EVENTS_READ: usize = 5_000;

impl Store {
    /// The title the register is shown under: its own, else `DEFAULT_TITLE`.
    pub fn title_shown(&self) -> Result<String> {
        Ok(self.title()?.unwrap_or_else(|| DEFAULT_TITLE.to_string()))
    }

    /// The register's own title, if one was set (`spridning title`).
    pub fn title(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM setting WHERE key = 'title'", [], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets the title (coordinators only); an empty text returns to the default. Returns the
    /// title now in force.
    pub fn set_title(&mut self, raw: &str) -> Result<String> {
        let blank = raw.trim().is_empty();
        let title = if blank {
            String::new()
        } else {
            rules::TITLE.clean(raw)?
        };
        self.write(Gate::Coordinator(Deed::SetTitle), |tx| {
            if blank {
                tx.execute("DELETE FROM setting WHERE key = 'title'", [])?;
            } else {
                tx.execute(
                    "INSERT INTO setting (key, value) VALUES ('title', ?1)
                     ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [&title],
                )?;
            }
            Ok(())
        })?;
        Ok(if blank {
            DEFAULT_TITLE.to_string()
        } else {
            title
        })
    }

    /// The first year any of `method_ids` has an event in effect (by the moment's day, not
    /// retracted as known then), for where the film starts.
    pub fn first_event_year(&self, method_ids: &[i64], moment: &Moment) -> Result<Option<i32>> {
        if method_ids.is_empty() {
            return Ok(None);
        }
        let known = moment.known_bound();
        let day = moment.day.format("%Y-%m-%d").to_string();
        let ids = id_list(method_ids);
        let in_effect = "e.effective <= ?1 AND e.recorded_at <= ?2
             AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = e.id
                             AND r.retracted_at <= ?2)";
        // The register's first events by day (an index): when the film's methods are most
        // of the register, as usual, their first event is among these. Being the first
        // matching one of the register's first events, it is their first of all.
        let early: Option<String> = self
            .conn
            .query_row(
                &format!(
                    "SELECT e.effective FROM
                       (SELECT id, adoption_id, effective, recorded_at
                        FROM stage_event INDEXED BY stage_event_by_effective
                        ORDER BY effective, id LIMIT {FIRST_EVENTS_READ}) e
                     JOIN adoption a ON a.id = e.adoption_id
                     WHERE a.method_id IN ({ids}) AND {in_effect}
                     ORDER BY e.effective, e.id LIMIT 1"
                ),
                [&day, &known],
                |r| r.get(0),
            )
            .optional()?;
        // Else each of their adoptions' first event (an index on adoption and day): as many
        // lookups as the methods have units.
        let first: Option<String> = match early {
            Some(e) => Some(e),
            None => self.conn.query_row(
                &format!(
                    "SELECT min((SELECT e.effective FROM stage_event e
                                 WHERE e.adoption_id = a.id AND {in_effect}
                                 ORDER BY e.effective, e.id LIMIT 1))
                     FROM adoption a WHERE a.method_id IN ({ids})"
                ),
                [&day, &known],
                |r| r.get(0),
            )?,
        };
        Ok(first
            .and_then(|e| e.parse::<EventDate>().ok())
            .map(|d| d.first_day().year()))
    }

    /// The events of `method_ids` in effect from `from` (None: the beginning) to `to`, both
    /// included, that are not retracted as known at the moment's time, in effect order. A
    /// month-dated event counts as its first day.
    pub fn events_between(
        &self,
        method_ids: &[i64],
        from: Option<NaiveDate>,
        to: NaiveDate,
        moment: &Moment,
    ) -> Result<Vec<YearEvent>> {
        if method_ids.is_empty() {
            return Ok(Vec::new());
        }
        let known = moment.known_bound();
        // Effective dates are 'YYYY-MM-DD' or 'YYYY-MM': text order is date order, and a
        // month sorts before its days, as its first day does.
        let from_text = from
            .map(|d| d.format("%Y-%m").to_string())
            .unwrap_or_default();
        let to = to.format("%Y-%m-%d").to_string();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.method_id, a.unit_id, e.stage, e.effective, u.name FROM adoption a
             JOIN stage_event e ON e.adoption_id = a.id JOIN unit u ON u.id = a.unit_id
             WHERE a.method_id IN ({}) AND e.effective >= ?1 AND e.effective <= ?2
               AND e.recorded_at <= ?3
               AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = e.id
                               AND r.retracted_at <= ?3)
             ORDER BY e.effective, e.id",
            id_list(method_ids)
        ))?;
        let rows = stmt.query_map([&from_text, &to, &known], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Stage>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (method_id, unit_id, stage, effective, unit_name) = row?;
            let Ok(date) = effective.parse::<EventDate>() else {
                continue;
            };
            let effective = date.first_day();
            // A full date in the `from` month but before its day is left out.
            if from.is_some_and(|from| effective < from) {
                continue;
            }
            out.push(YearEvent {
                method_id,
                unit_id,
                unit_name,
                stage,
                effective,
            });
        }
        Ok(out)
    }

    /// How many of `method_ids` are implemented or sustained in at least one of `unit_ids` at
    /// the moment (the title slide's third figure).
    pub fn methods_in_use(
        &self,
        method_ids: &[i64],
        unit_ids: &[i64],
        moment: &Moment,
    ) -> Result<usize> {
        if method_ids.is_empty() || unit_ids.is_empty() {
            return Ok(0);
        }
        let sql = format!(
            "SELECT count(DISTINCT method_id) FROM (
                 SELECT a.method_id, ({}) AS stage_then FROM adoption a
                 WHERE a.unit_id IN ({}) AND a.method_id IN ({}))
             WHERE stage_then IN ('implemented', 'sustained') AND ?3 IS NOT NULL",
            moment.stage_sql("a", "?1", "?2"),
            id_list(unit_ids),
            id_list(method_ids)
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let n: i64 = stmt.query_row(rusqlite::params_from_iter(moment.stage_params()), |r| {
            r.get(0)
        })?;
        Ok(n as usize)
    }

    /// The newest entry of the change log (0 when it is empty).
    pub fn last_change_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM change", [], |r| r.get(0))?)
    }

    /// The stages recorded or retracted after change `after`, and the newest change id: what
    /// the open slide marks as just changed.
    pub fn stage_changes_after(&self, after: i64) -> Result<(i64, Vec<LiveChange>)> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, kind, method_id, unit_id, stage FROM change WHERE id > ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([after], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<Stage>>(4)?,
            ))
        })?;
        let mut last = after;
        let mut changes = Vec::new();
        for row in rows {
            let (id, kind, method, unit, stage) = row?;
            last = last.max(id);
            if let (Some(method_id), Some(unit_id), Some(stage), "event" | "retraction") =
                (method, unit, stage, kind.as_str())
            {
                changes.push(LiveChange {
                    method_id,
                    unit_id,
                    stage,
                    retracted: kind == "retraction",
                });
            }
        }
        Ok((last, changes))
    }
}

/// A stage recorded (or retracted) by someone while the presentation is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveChange {
    pub method_id: i64,
    pub unit_id: i64,
    pub stage: Stage,
    pub retracted: bool,
}
