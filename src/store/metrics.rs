//! Spread metrics: how far each method has spread, and each unit taken up, at a moment. Every
//! definition is here once, beside its computation, and in the README's "What the numbers
//! mean". All of them read the same history: a unit's events for a method that are in effect
//! by the day (a month counts as its first day) and not retracted, as known at the moment's
//! time; over the units valid on the day (or all units); with roll-up, a unit with no events
//! of its own for a method takes its predecessors' (through every reorganisation).

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::{Months, NaiveDate};
use rusqlite::params;

use super::{Moment, Store};
use crate::domain::{EventDate, Stage};

/// Per (method, unit): stages with their days (confirmations, in day order).
type ByAdoption = HashMap<(i64, i64), Vec<(Stage, NaiveDate)>>;

/// How one unit stands with one method at the moment, from its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub method_id: i64,
    pub unit_id: i64,
    /// The stage at the moment (its latest event) and since when.
    pub stage: Stage,
    pub since: NaiveDate,
    /// Whether that stage's event is dated by month (`2003-01`, `since` its first day): the
    /// work lists then show the month, not a day no source gave.
    pub since_by_month: bool,
    /// The first day it was at pilot or beyond (pilot, implemented, sustained).
    pub first_pilot: Option<NaiveDate>,
    /// The first day it was implemented or sustained.
    pub first_in_use: Option<NaiveDate>,
    /// Paused or discontinued after it was first in use.
    pub lapsed_since_in_use: bool,
    /// The day the register last heard that the stage holds (`stages::heard`: its event or
    /// a later confirmation of it, by the moment's day).
    pub heard: NaiveDate,
    /// Every day the register heard from this unit about this method by the moment's day
    /// (its events and confirmations), in order: what the adoption curve reads.
    pub heard_days: Vec<NaiveDate>,
}

impl Standing {
    /// Folds one adoption's events (in effect order) and its confirmations (in day order)
    /// into its standing.
    fn from_events(
        (method_id, unit_id): (i64, i64),
        events: &[(Stage, NaiveDate)],
        confirmations: &[(Stage, NaiveDate)],
        last_by_month: bool,
    ) -> Option<Standing> {
        let (last_stage, last_since) = *events.last()?;
        // The latest confirmation of the current stage on or after its event.
        let heard = confirmations
            .iter()
            .filter(|(stage, day)| *stage == last_stage && *day >= last_since)
            .map(|(_, day)| *day)
            .max()
            .map_or(last_since, |c| c.max(last_since));
        let mut heard_days: Vec<NaiveDate> = events
            .iter()
            .chain(confirmations)
            .map(|(_, day)| *day)
            .collect();
        heard_days.sort_unstable();
        heard_days.dedup();
        let mut s = Standing {
            method_id,
            unit_id,
            stage: last_stage,
            since: last_since,
            since_by_month: last_by_month,
            first_pilot: None,
            first_in_use: None,
            lapsed_since_in_use: false,
            heard,
            heard_days,
        };
        for &(stage, day) in events {
            if stage.reached() && s.first_pilot.is_none() {
                s.first_pilot = Some(day);
            }
            if stage.in_use() && s.first_in_use.is_none() {
                s.first_in_use = Some(day);
            }
            if s.first_in_use.is_some() && stage.stopped() {
                s.lapsed_since_in_use = true;
            }
        }
        Some(s)
    }

    /// A unit without history of its own takes its predecessors': reached if any reached, the
    /// earliest first dates, the furthest current stage (as the rolled-up matrix shows).
    fn from_predecessors(method_id: i64, unit_id: i64, theirs: &[&Standing]) -> Option<Standing> {
        let furthest = theirs
            .iter()
            .max_by_key(|s| (s.stage.progress(), s.heard))?;
        let mut heard_days: Vec<NaiveDate> = theirs
            .iter()
            .flat_map(|s| s.heard_days.iter().copied())
            .collect();
        heard_days.sort_unstable();
        heard_days.dedup();
        Some(Standing {
            method_id,
            unit_id,
            stage: furthest.stage,
            since: furthest.since,
            since_by_month: furthest.since_by_month,
            first_pilot: theirs.iter().filter_map(|s| s.first_pilot).min(),
            first_in_use: theirs.iter().filter_map(|s| s.first_in_use).min(),
            lapsed_since_in_use: furthest.lapsed_since_in_use,
            heard: furthest.heard,
            heard_days,
        })
    }

    /// Stale: last heard before the moment's fresh months (see `Moment::is_stale`).
    pub fn stale(&self, moment: &Moment) -> bool {
        moment.is_stale(self.heard)
    }

    /// Not heard from: stale, at a stage that says the work goes on (exploring through
    /// sustained; paused and discontinued say it stopped).
    pub fn not_heard_from(&self, moment: &Moment) -> bool {
        self.stale(moment) && !self.stage.stopped()
    }

    /// Whether the register had heard from the unit about the method in the `months`
    /// months up to `day` (both ends included): the adoption curve's "known" on a day.
    fn heard_within(&self, day: NaiveDate, months: u32) -> bool {
        let from = day
            .checked_sub_months(Months::new(months))
            .unwrap_or(NaiveDate::MIN);
        let at = self.heard_days.partition_point(|d| *d < from);
        self.heard_days.get(at).is_some_and(|d| *d <= day)
    }

    /// Stalled: at preparing or pilot, with no later event, for more than `months` months,
    /// and fresh (heard from within the fresh months: a confirmation that it still stands).
    /// A pilot not heard from is *not heard from*, not stalled.
    pub fn stalled(&self, moment: &Moment, months: u32) -> bool {
        matches!(self.stage, Stage::Preparing | Stage::Pilot)
            && !self.stale(moment)
            && self
                .since
                .checked_add_months(Months::new(months))
                .is_some_and(|limit| limit < moment.day)
    }

    /// Sustained: in use for at least 12 months (from its first implementation) and not
    /// paused or discontinued since.
    pub fn sustained(&self, day: NaiveDate) -> bool {
        self.stage.in_use()
            && !self.lapsed_since_in_use
            && self
                .first_in_use
                .and_then(|d| d.checked_add_months(Months::new(12)))
                .is_some_and(|limit| limit <= day)
    }

    /// Months from the first pilot (or beyond) to the first implementation.
    fn months_to_use(&self) -> Option<f64> {
        let (from, to) = (self.first_pilot?, self.first_in_use?);
        Some((to - from).num_days() as f64 / (365.25 / 12.0))
    }
}

/// The spread of one method (or the uptake in one unit: the same figures the other way).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub id: i64,
    /// Short name or code, and the full name.
    pub label: String,
    pub name: String,
    /// Units reached: at pilot or beyond at some time by the day.
    pub reached: u32,
    /// In use: implemented or sustained on the day.
    pub in_use: u32,
    /// In use as a share of the districts valid on the day (for a unit: of all methods).
    pub share: f64,
    /// The first day any unit was at pilot or beyond.
    pub first_pilot: Option<NaiveDate>,
    /// The median of the months from a unit's first pilot to its first implementation, over
    /// the units that got there; and how many units are at pilot or beyond without getting
    /// there yet (not discontinued).
    pub median_months: Option<f64>,
    pub on_the_way: u32,
    /// At preparing, fresh.
    pub preparing: u32,
    /// At preparing or pilot for more than the stalled limit without a later event, fresh.
    pub stalled: u32,
    /// Stale, at exploring through sustained: whom to ask.
    pub not_heard_from: u32,
    /// In use for 12 months or more and not paused or discontinued since.
    pub sustained: u32,
    pub paused: u32,
    pub discontinued: u32,
}

/// What the metrics read and count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsScope {
    pub moment: Moment,
    pub roll_up: bool,
    /// Months at preparing or pilot after which a unit counts as stalled.
    pub stalled_after: u32,
}

impl MetricsScope {
    /// The figures on the moment's day, with the defaults (no roll-up, `STALLED_AFTER`).
    pub fn new(moment: Moment) -> MetricsScope {
        MetricsScope {
            moment,
            roll_up: false,
            stalled_after: STALLED_AFTER,
        }
    }
}

/// Months at preparing or pilot after which a stage counts as stalled, unless a command
/// is given another number (`--stalled-after`): what the app's screens and slides use.
pub const STALLED_AFTER: u32 = 18;

/// A stalled pilot, for the coordinator's work list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stalled {
    pub method: String,
    pub unit: String,
    pub stage: Stage,
    pub since: NaiveDate,
    /// Whether the stage's event is dated by month (shown `2003-01`).
    pub since_by_month: bool,
    /// Months at the stage (stalled), or since last heard (not heard from).
    pub months: u32,
    /// When it was last heard.
    pub heard: NaiveDate,
}

impl Stalled {
    /// Since when, as people read it: the month for a stage dated by month.
    pub fn since_shown(&self) -> String {
        if self.since_by_month {
            self.since.format("%Y-%m").to_string()
        } else {
            self.since.to_string()
        }
    }

    /// When last heard, as people read it (`domain::age::heard_shown`): the month where it
    /// is the month of the stage's own event.
    pub fn heard_shown(&self) -> String {
        let heard = self.heard.to_string();
        crate::domain::age::heard_shown(&self.since_shown(), &heard).to_string()
    }
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

impl Store {
    /// Every unit's standing with every method at the scope's moment, for the units that
    /// count then (with roll-up, their predecessors' history where they have none).
    pub fn standings(&self, scope: &MetricsScope) -> Result<Vec<Standing>> {
        self.standings_of(scope, None)
    }

    /// `standings` for some methods only (and, with roll-up, what their units took over).
    fn standings_of(&self, scope: &MetricsScope, methods: Option<&[i64]>) -> Result<Vec<Standing>> {
        let m = &scope.moment;
        if m.is_current() && !scope.roll_up {
            // Today, each unit its own: the adoption rows as they are kept, of the units
            // that count (no map by method and unit, nothing cloned: the first sort of
            // Spread at L).
            let counted = self.counted_units(m)?;
            let mut kept = self.kept_standings(&super::only_methods(methods))?;
            kept.retain(|s| counted.contains(&s.unit_id));
            return Ok(kept);
        }
        let own = self.own_standings(m, methods, false)?;
        self.counted_standings(&own, scope)
    }

    /// `standings_of` with every day each unit was heard from (what the curves read).
    fn standings_with_days(
        &self,
        scope: &MetricsScope,
        methods: Option<&[i64]>,
    ) -> Result<Vec<Standing>> {
        let own = self.own_standings(&scope.moment, methods, true)?;
        self.counted_standings(&own, scope)
    }

    /// Today's standing of every adoption (of the methods in `only`, an SQL condition) as
    /// its row keeps it: stage, since, last heard and milestones (`stages::milestones`),
    /// without reading an event. The same as folding its events (a test holds them equal).
    fn kept_standings(&self, only: &str) -> Result<Vec<Standing>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.method_id, a.unit_id, a.stage, a.since, a.heard, a.first_pilot,
                    a.first_in_use, a.lapsed
             FROM adoption a WHERE a.current_event_id IS NOT NULL{only}"
        ))?;
        let mut rows = stmt.query([])?;
        let mut all = Vec::new();
        // Days read in place (no string allocated) by `EventDate`'s parser: chrono's format
        // parser was a fifth of the first sort of Spread at L.
        let date = |r: &rusqlite::Row, i: usize| -> rusqlite::Result<Option<EventDate>> {
            Ok(r.get_ref(i)?
                .as_str_or_null()?
                .and_then(|t| t.parse::<EventDate>().ok()))
        };
        let day = |r: &rusqlite::Row, i: usize| -> rusqlite::Result<Option<NaiveDate>> {
            Ok(date(r, i)?.map(EventDate::first_day))
        };
        while let Some(r) = rows.next()? {
            let (method_id, unit_id): (i64, i64) = (r.get(0)?, r.get(1)?);
            let Some(since_date) = date(r, 3)? else {
                continue;
            };
            let since = since_date.first_day();
            all.push(Standing {
                method_id,
                unit_id,
                stage: r.get(2)?,
                since,
                since_by_month: matches!(since_date, EventDate::Month { .. }),
                first_pilot: day(r, 5)?,
                first_in_use: day(r, 6)?,
                lapsed_since_in_use: r.get(7)?,
                heard: day(r, 4)?.unwrap_or(since),
                heard_days: Vec::new(),
            });
        }
        Ok(all)
    }

    /// Every adoption's standing at the moment from its own events (every unit, no roll-up),
    /// by (method, unit): one reading of the history. With `days`, every day each was heard
    /// from (the curves); without, today, when each stage was last heard is the adoption
    /// row's own (`a.heard`, kept as confirmations come), so no confirmation is read.
    pub(super) fn own_standings(
        &self,
        m: &Moment,
        methods: Option<&[i64]>,
        days: bool,
    ) -> Result<HashMap<(i64, i64), Standing>> {
        let day = m.day.format("%Y-%m-%d").to_string();
        let known = m.known_bound();
        let only = super::only_methods(methods);
        if !days && m.is_current() {
            return Ok(self
                .kept_standings(&only)?
                .into_iter()
                .map(|s| ((s.method_id, s.unit_id), s))
                .collect());
        }
        let confirmations = self.confirmations_by_adoption(&day, &known, &only)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.method_id, a.unit_id, e.stage, e.effective FROM adoption a
             JOIN stage_event e ON e.adoption_id = a.id
             WHERE e.effective <= ?1 AND e.recorded_at <= ?2{only}
               AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.event_id = e.id
                               AND r.retracted_at <= ?2)
             ORDER BY a.id, e.effective, e.id"
        ))?;
        let mut rows = stmt.query(params![day, known])?;
        let mut all: HashMap<(i64, i64), Standing> = HashMap::new();
        let mut current: Option<(i64, i64)> = None;
        let mut events: Vec<(Stage, NaiveDate)> = Vec::new();
        // Whether the latest event read (the current stage's, in effect order) is by month.
        let mut last_by_month = false;
        let mut flush =
            |key: Option<(i64, i64)>, events: &mut Vec<(Stage, NaiveDate)>, last_by_month: bool| {
                if let Some((method, unit)) = key
                    && let Some(s) = Standing::from_events(
                        (method, unit),
                        events,
                        confirmations
                            .get(&(method, unit))
                            .map_or(&[], Vec::as_slice),
                        last_by_month,
                    )
                {
                    all.insert((method, unit), s);
                }
                events.clear();
            };
        while let Some(r) = rows.next()? {
            let key = (r.get::<_, i64>(0)?, r.get::<_, i64>(1)?);
            if current != Some(key) {
                flush(current, &mut events, last_by_month);
                current = Some(key);
            }
            let effective: String = r.get(3)?;
            let Ok(date) = effective.parse::<EventDate>() else {
                continue;
            };
            last_by_month = matches!(date, EventDate::Month { .. });
            events.push((r.get(2)?, date.first_day()));
        }
        flush(current, &mut events, last_by_month);
        Ok(all)
    }

    /// The confirmations in effect by `day` (text) as known at `known`, not retracted then,
    /// per (method, unit), in day order: what `own_standings` folds in.
    fn confirmations_by_adoption(&self, day: &str, known: &str, only: &str) -> Result<ByAdoption> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.method_id, a.unit_id, c.stage, c.effective FROM adoption a
             JOIN confirmation c ON c.adoption_id = a.id
             WHERE c.effective <= ?1 AND c.recorded_at <= ?2{only}
               AND NOT EXISTS (SELECT 1 FROM confirmation_retraction r
                               WHERE r.confirmation_id = c.id AND r.retracted_at <= ?2)
             ORDER BY a.id, c.effective, c.id"
        ))?;
        let mut rows = stmt.query(params![day, known])?;
        let mut out = ByAdoption::new();
        while let Some(r) = rows.next()? {
            let Ok(date) = r.get::<_, String>(3)?.parse::<NaiveDate>() else {
                continue;
            };
            out.entry((r.get(0)?, r.get(1)?))
                .or_default()
                .push((r.get(2)?, date));
        }
        Ok(out)
    }

    /// The units whose standings count at the moment: those valid on its day (every unit
    /// with `all_units`).
    fn counted_units(&self, m: &Moment) -> Result<std::collections::HashSet<i64>> {
        Ok(self
            .units()?
            .iter()
            .filter(|u| m.all_units || u.valid_on(m.day))
            .map(|u| u.id)
            .collect())
    }

    /// Of `own_standings`, those of the units the scope counts, and with roll-up, for a unit
    /// without history of its own for a method, its predecessors'.
    fn counted_standings(
        &self,
        all: &HashMap<(i64, i64), Standing>,
        scope: &MetricsScope,
    ) -> Result<Vec<Standing>> {
        let m = &scope.moment;
        // The units that count, and with roll-up, who each took over from.
        let counted = self.counted_units(m)?;
        let mut out: Vec<Standing> = all
            .values()
            .filter(|s| counted.contains(&s.unit_id))
            .cloned()
            .collect();
        if scope.roll_up {
            let methods: std::collections::BTreeSet<i64> = all.keys().map(|k| k.0).collect();
            for &unit in counted.iter() {
                let ancestors = self.ancestor_ids(unit)?;
                if ancestors.is_empty() {
                    continue;
                }
                for &method in &methods {
                    if all.contains_key(&(method, unit)) {
                        continue;
                    }
                    let theirs: Vec<&Standing> = ancestors
                        .iter()
                        .filter_map(|a| all.get(&(method, *a)))
                        .collect();
                    if let Some(s) = Standing::from_predecessors(method, unit, &theirs) {
                        out.push(s);
                    }
                }
            }
        }
        Ok(out)
    }

    /// Today's standings at `stages` (an SQL list of stage codes), from the adoption rows
    /// alone (only stage, since and heard are filled in: what `stalled` reads), over the
    /// units that count today.
    fn current_standings(
        &self,
        scope: &MetricsScope,
        only: Option<&[i64]>,
        stages: &str,
    ) -> Result<Vec<Standing>> {
        let only = super::only_methods(only);
        let units = if scope.moment.all_units {
            " AND ?1 IS NOT NULL"
        } else {
            " AND (u.valid_from IS NULL OR u.valid_from <= ?1)
              AND (u.valid_to IS NULL OR u.valid_to >= ?1)"
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT a.method_id, a.unit_id, a.stage, a.since, a.heard FROM adoption a
             JOIN unit u ON u.id = a.unit_id
             WHERE a.stage IN ({stages}){only}{units}"
        ))?;
        let day = scope.moment.day.format("%Y-%m-%d").to_string();
        let rows = stmt.query_map([day], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Stage>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (method_id, unit_id, stage, since, heard) = row?;
            let Ok(since_date) = since.parse::<EventDate>() else {
                continue;
            };
            let since = since_date.first_day();
            let heard = heard
                .and_then(|h| h.parse::<NaiveDate>().ok())
                .unwrap_or(since);
            out.push(Standing {
                method_id,
                unit_id,
                stage,
                since,
                since_by_month: matches!(since_date, EventDate::Month { .. }),
                first_pilot: None,
                first_in_use: None,
                lapsed_since_in_use: false,
                heard,
                heard_days: Vec::new(),
            });
        }
        Ok(out)
    }

    /// The ids of the units a unit took over from, through every reorganisation.
    fn ancestor_ids(&self, unit_id: i64) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE chain(id, depth) AS (
                 SELECT ?1, 0
                 UNION SELECT l.predecessor_id, c.depth + 1 FROM unit_lineage l
                 JOIN chain c ON l.successor_id = c.id WHERE c.depth < 50)
             SELECT DISTINCT id FROM chain WHERE id <> ?1",
        )?;
        let rows = stmt.query_map([unit_id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// `method_metrics`, computed in a thread of its own on a read-only connection of its
    /// own: the Spread tab starts it when it opens, so that a first sort by a figure finds
    /// every method's figures ready (at L they take 150 ms, longer than the sort may).
    pub fn method_metrics_in_background(&self, scope: &MetricsScope) -> Background<Vec<Metrics>> {
        let (path, user, scope) = (self.path.clone(), self.user.clone(), *scope);
        let (tx, result) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let figures = (|| -> Result<Vec<Metrics>> {
                let reader = Store {
                    conn: super::reader_connection(&path)?,
                    path,
                    user,
                    owner: false,
                    writes: 0,
                    upgrade_notes: Vec::new(),
                };
                reader.method_metrics(&scope)
            })();
            // The tab may have gone on without them: nobody to tell is no error.
            let _ = tx.send(figures.map_err(|e| format!("{e:#}")));
        });
        Background { result }
    }

    /// Every method's spread at the scope's moment, in Swedish name order.
    pub fn method_metrics(&self, scope: &MetricsScope) -> Result<Vec<Metrics>> {
        self.method_metrics_of(scope, None)
    }

    /// The spread of some methods (`None`: all), in Swedish name order: a screen asks for its
    /// window only.
    pub fn method_metrics_of(
        &self,
        scope: &MetricsScope,
        only: Option<&[i64]>,
    ) -> Result<Vec<Metrics>> {
        let standings = self.standings_of(scope, only)?;
        self.method_metrics_from(&standings, scope, only)
    }

    fn method_metrics_from(
        &self,
        standings: &[Standing],
        scope: &MetricsScope,
        only: Option<&[i64]>,
    ) -> Result<Vec<Metrics>> {
        let day = scope.moment.day;
        let districts = self
            .units()?
            .iter()
            .filter(|u| {
                u.kind == crate::domain::UnitKind::District
                    && (scope.moment.all_units || u.valid_on(day))
            })
            .map(|u| u.id)
            .collect::<std::collections::HashSet<i64>>();
        let mut by_method: BTreeMap<i64, Vec<&Standing>> = BTreeMap::new();
        for s in standings {
            by_method.entry(s.method_id).or_default().push(s);
        }
        let methods = self.methods()?;
        Ok(methods
            .iter()
            .filter(|m| only.is_none_or(|ids| ids.contains(&m.id)))
            .map(|m| {
                let mine = by_method.get(&m.id).map(Vec::as_slice).unwrap_or(&[]);
                let m_ = &scope.moment;
                let in_use_districts = mine
                    .iter()
                    .filter(|s| s.stage.in_use() && districts.contains(&s.unit_id))
                    .filter(|s| !(m_.current_only && s.stale(m_)))
                    .count();
                let mut out = metrics(m.id, (m.label(), &m.name), mine, scope);
                out.share = ratio(in_use_districts, districts.len());
                out
            })
            .collect())
    }

    /// Every unit's uptake at the scope's moment: the same figures, over its methods.
    pub fn unit_metrics(&self, scope: &MetricsScope) -> Result<Vec<Metrics>> {
        let standings = self.standings(scope)?;
        self.unit_metrics_from(&standings, scope, self.methods()?.len())
    }

    /// Units' figures over `methods` methods (the share's denominator).
    fn unit_metrics_from(
        &self,
        standings: &[Standing],
        scope: &MetricsScope,
        methods: usize,
    ) -> Result<Vec<Metrics>> {
        let mut by_unit: BTreeMap<i64, Vec<&Standing>> = BTreeMap::new();
        for s in standings {
            by_unit.entry(s.unit_id).or_default().push(s);
        }
        let day = scope.moment.day;
        Ok(self
            .units()?
            .iter()
            .filter(|u| scope.moment.all_units || u.valid_on(day))
            .map(|u| {
                let mine = by_unit.get(&u.id).map(Vec::as_slice).unwrap_or(&[]);
                let mut out = metrics(u.id, (&u.code, &u.name), mine, scope);
                out.share = ratio(out.in_use as usize, methods);
                out
            })
            .collect())
    }

    /// The stalled pilots at the scope's moment: method, unit, stage, since, months.
    pub fn stalled(&self, scope: &MetricsScope) -> Result<Vec<Stalled>> {
        self.stalled_of(scope, None)
    }

    /// The longest-stalled `limit` of `stalled_of`, and how many there are in all (counted up
    /// to `STALLED_COUNT_CAP`; more reads as that many). Today without roll-up it reads, per
    /// stage, the oldest stalled adoption rows in `since` order and stops once the page is
    /// full and the month count changes (so ties are ordered as `stalled_of` orders them);
    /// otherwise it takes the head of `stalled_of`.
    pub fn stalled_top(
        &self,
        scope: &MetricsScope,
        only: Option<&[i64]>,
        limit: usize,
    ) -> Result<(Vec<Stalled>, usize)> {
        self.stalled_top_walking(scope, only, limit, STALLED_READ_WHOLE)
    }

    /// `stalled_top`, reading a stage's stalled rows from the fresh end (through
    /// `adoption_by_stage_heard`, ordering them all) when it has fewer than `read_whole`, and
    /// otherwise walking its rows from the oldest `since` (through `adoption_by_stage`),
    /// skipping stale ones, until the page is full. A stalled row is both old and fresh: the
    /// walk from the old end is short when many old rows are fresh (a register confirmed in
    /// rounds), the read from the fresh end when few rows are both (a register nobody has
    /// confirmed lately, like the sample). Tests force each way (0: always the walk).
    pub(crate) fn stalled_top_walking(
        &self,
        scope: &MetricsScope,
        only: Option<&[i64]>,
        limit: usize,
        read_whole: usize,
    ) -> Result<(Vec<Stalled>, usize)> {
        let day = scope.moment.day;
        if !scope.moment.is_current() || scope.roll_up {
            let mut all = self.stalled_of(scope, only)?;
            let total = all.len();
            all.truncate(limit);
            return Ok((all, total));
        }
        let Some(cutoff) = day.checked_sub_months(Months::new(scope.stalled_after)) else {
            return Ok((Vec::new(), 0));
        };
        let only = super::only_methods(only);
        let units = if scope.moment.all_units {
            " AND ?1 IS NOT NULL"
        } else {
            " AND (u.valid_from IS NULL OR u.valid_from <= ?1)
              AND (u.valid_to IS NULL OR u.valid_to >= ?1)"
        };
        let day_text = day.format("%Y-%m-%d").to_string();
        let cutoff_text = cutoff.format("%Y-%m-%d").to_string();
        let fresh_text = scope.moment.fresh_from().format("%Y-%m-%d").to_string();
        // `since + N months < day`, as text: a month ('2005-01') counts as its first day.
        let from = |index: &str, stage: &str, method: &str| {
            format!(
                "FROM adoption a INDEXED BY {index} JOIN unit u ON u.id = a.unit_id{method}
                 WHERE a.stage = '{stage}' AND a.since < ?2 AND a.heard >= ?3
                   AND (length(a.since) > 7 OR a.since || '-01' < ?2){only}{units}"
            )
        };
        let mut total = 0;
        let mut out: Vec<Stalled> = Vec::new();
        for stage in ["preparing", "pilot"] {
            // The stage's stalled rows, counted up to the cap (or `read_whole`, if more):
            // `adoption_by_stage_heard` alone holds every column the count asks about, and
            // the walk over the stage's fresh rows ends at the cap.
            let cap = STALLED_COUNT_CAP.max(read_whole);
            let counted: i64 = self.conn.query_row(
                &format!(
                    "SELECT count(*) FROM (SELECT 1 {} LIMIT {cap})",
                    from("adoption_by_stage_heard", stage, "")
                ),
                [&day_text, &cutoff_text, &fresh_text],
                |r| r.get(0),
            )?;
            let counted = counted as usize;
            total += counted;
            let index = if counted < read_whole {
                "adoption_by_stage_heard"
            } else {
                "adoption_by_stage"
            };
            let from = from(index, stage, " JOIN method m ON m.id = a.method_id");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT coalesce(m.short_name, m.name), u.code, a.stage, a.since, a.heard {from}
                 ORDER BY a.since"
            ))?;
            let mut rows = stmt.query([&day_text, &cutoff_text, &fresh_text])?;
            let mut taken = 0;
            let mut last_months = None;
            while let Some(r) = rows.next()? {
                let Ok(since_date) = r.get::<_, String>(3)?.parse::<EventDate>() else {
                    continue;
                };
                let since = since_date.first_day();
                let months = months_between(since, day);
                if taken >= limit && last_months != Some(months) {
                    break;
                }
                // The strict rule, as `Standing::stalled` applies it.
                if since
                    .checked_add_months(Months::new(scope.stalled_after))
                    .is_some_and(|limit| limit < day)
                {
                    out.push(Stalled {
                        method: r.get(0)?,
                        unit: r.get(1)?,
                        stage: r.get(2)?,
                        since,
                        since_by_month: matches!(since_date, EventDate::Month { .. }),
                        months,
                        heard: r
                            .get::<_, Option<String>>(4)?
                            .and_then(|h| h.parse().ok())
                            .unwrap_or(since),
                    });
                    taken += 1;
                    last_months = Some(months);
                }
            }
        }
        // Longest first; then by method and unit in natural order (M2 before M10).
        out.sort_by(|a, b| {
            b.months
                .cmp(&a.months)
                .then_with(|| super::natural_cmp(&a.method, &b.method))
                .then_with(|| super::natural_cmp(&a.unit, &b.unit))
        });
        out.truncate(limit);
        Ok((out, total.min(STALLED_COUNT_CAP)))
    }

    /// `stalled` for some methods only (`None`: all).
    pub fn stalled_of(&self, scope: &MetricsScope, only: Option<&[i64]>) -> Result<Vec<Stalled>> {
        let m = scope.moment;
        let mut out = self.listed(scope, only, "'preparing', 'pilot'", |s| {
            s.stalled(&m, scope.stalled_after)
                .then(|| months_between(s.since, m.day))
        })?;
        // Longest first; then by method and unit in natural order (M2 before M10).
        out.sort_by(|a, b| {
            b.months
                .cmp(&a.months)
                .then_with(|| super::natural_cmp(&a.method, &b.method))
                .then_with(|| super::natural_cmp(&a.unit, &b.unit))
        });
        Ok(out)
    }

    /// The stages not heard from at the scope's moment (stale, exploring through
    /// sustained), oldest word first: the coordinator's list of whom to ask. `months` is the
    /// months since they were last heard.
    pub fn not_heard_from(
        &self,
        scope: &MetricsScope,
        only: Option<&[i64]>,
    ) -> Result<Vec<Stalled>> {
        let m = scope.moment;
        let mut out = self.listed(
            scope,
            only,
            "'exploring', 'preparing', 'pilot', 'implemented', 'sustained'",
            |s| s.not_heard_from(&m).then(|| months_between(s.heard, m.day)),
        )?;
        out.sort_by(|a, b| {
            a.heard
                .cmp(&b.heard)
                .then_with(|| super::natural_cmp(&a.method, &b.method))
                .then_with(|| super::natural_cmp(&a.unit, &b.unit))
        });
        Ok(out)
    }

    /// The standings at `stages` that `months` keeps (with the months it says), as rows of
    /// a work list. Today, without roll-up, each adoption row's current stage, since-date and
    /// heard-day are the standing's (the same rule, kept as events are recorded): no history
    /// to read.
    fn listed(
        &self,
        scope: &MetricsScope,
        only: Option<&[i64]>,
        stages: &str,
        months: impl Fn(&Standing) -> Option<u32>,
    ) -> Result<Vec<Stalled>> {
        let methods: HashMap<i64, String> = self
            .methods()?
            .into_iter()
            .map(|m| (m.id, m.label().to_string()))
            .collect();
        let units: HashMap<i64, String> =
            self.units()?.into_iter().map(|u| (u.id, u.code)).collect();
        let standings = if scope.moment.is_current() && !scope.roll_up {
            self.current_standings(scope, only, stages)?
        } else {
            self.standings_of(scope, only)?
        };
        Ok(standings
            .into_iter()
            .filter_map(|s| {
                let months = months(&s)?;
                Some(Stalled {
                    method: methods.get(&s.method_id).cloned().unwrap_or_default(),
                    unit: units.get(&s.unit_id).cloned().unwrap_or_default(),
                    stage: s.stage,
                    since: s.since,
                    since_by_month: s.since_by_month,
                    months,
                    heard: s.heard,
                })
            })
            .collect())
    }
}

/// `stalled_top` counts at most this many (a slide says "… and 1000 more" at most).
pub const STALLED_COUNT_CAP: usize = 1000;

/// Below this many stalled rows of a stage, `stalled_top` reads them all from the fresh end
/// and orders them (the whole call takes about 5 ms for L's 1 206 in two stages); from this
/// many, it walks from the old end, where so many fresh old rows fill a page soon. The count
/// that decides is the capped count the slide shows anyway.
const STALLED_READ_WHOLE: usize = STALLED_COUNT_CAP;

/// One year of a method's adoption curve: what was *known* at the end of the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurvePoint {
    pub year: i32,
    /// Units that had been at pilot or beyond by the end of the year (or by the day shown,
    /// in its year), ceased units included, counted only while the register had heard from
    /// them about the method (an event or a confirmation) in the fresh months up to then: a
    /// stage is not carried forward for ever, so the line falls when units go unheard.
    pub reached: u32,
    /// Units that had been implemented or sustained by then, heard from in the same way.
    pub in_use: u32,
}

impl Store {
    /// A method's adoption curve up to the moment's day: per year from the first pilot, the
    /// cumulative units at pilot or beyond and at implemented or beyond. It reads the same
    /// standings as the metrics, over every unit that ever had the method (a unit that merged
    /// away still counts for what it reached); empty while no unit has piloted it.
    pub fn adoption_curve(&self, method_id: i64, moment: &Moment) -> Result<Vec<CurvePoint>> {
        Ok(self
            .adoption_curves(Some(&[method_id]), moment)?
            .remove(&method_id)
            .unwrap_or_default())
    }

    /// The adoption curves of some methods (`None`: all) from one reading of the history;
    /// a method no unit has piloted has none.
    pub fn adoption_curves(
        &self,
        only: Option<&[i64]>,
        moment: &Moment,
    ) -> Result<HashMap<i64, Vec<CurvePoint>>> {
        let scope = MetricsScope::new(Moment {
            all_units: true,
            ..*moment
        });
        Ok(curves(&self.standings_with_days(&scope, only)?, moment))
    }

    /// A report's figures — per method and per unit, over some methods (`None`: all) — and
    /// the methods' adoption curves, from one reading of the history (the curves count every
    /// unit's own events, the figures the units the moment counts, rolled up if asked). Equal to `method_metrics`, `unit_metrics` and `adoption_curves` (tested).
    pub fn figures_and_curves(
        &self,
        scope: &MetricsScope,
        only: Option<&[i64]>,
    ) -> Result<Figures> {
        let mut own = self.own_standings(&scope.moment, only, true)?;
        let curves = curves(own.values(), &scope.moment);
        // The figures read no days heard: they go before the standings are counted (at L a
        // copy of every standing with its days was a fifth of the workbook's memory).
        for s in own.values_mut() {
            s.heard_days = Vec::new();
        }
        let standings = self.counted_standings(&own, scope)?;
        drop(own);
        let methods = match only {
            Some(ids) => ids.len(),
            None => self.methods()?.len(),
        };
        Ok(Figures {
            methods: self.method_metrics_from(&standings, scope, only)?,
            units: self.unit_metrics_from(&standings, scope, methods)?,
            curves,
        })
    }
}

/// Something the store computes in a thread of its own (`method_metrics_in_background`).
pub struct Background<T> {
    result: std::sync::mpsc::Receiver<Result<T, String>>,
}

impl<T> Background<T> {
    /// The result, waiting for it if it is not there yet.
    pub fn wait(self) -> Result<T> {
        match self.result.recv() {
            Ok(done) => done.map_err(anyhow::Error::msg),
            // internal: the thread always sends before it ends.
            Err(_) => Err(anyhow::anyhow!("the figures stopped")),
        }
    }
}

/// A report's figures: per method, per unit, and each method's adoption curve by its id.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    pub methods: Vec<Metrics>,
    pub units: Vec<Metrics>,
    pub curves: HashMap<i64, Vec<CurvePoint>>,
}

/// Every method's curve from the standings of every unit (see `adoption_curve`).
fn curves<'a>(
    standings: impl IntoIterator<Item = &'a Standing>,
    moment: &Moment,
) -> HashMap<i64, Vec<CurvePoint>> {
    let mut by_method: HashMap<i64, Vec<&Standing>> = HashMap::new();
    for s in standings {
        by_method.entry(s.method_id).or_default().push(s);
    }
    by_method
        .into_iter()
        .filter_map(|(id, standings)| {
            let curve = curve(&standings, moment);
            (!curve.is_empty()).then_some((id, curve))
        })
        .collect()
}

/// One method's curve from its standings (see `adoption_curve`).
fn curve(standings: &[&Standing], moment: &Moment) -> Vec<CurvePoint> {
    use chrono::Datelike;
    let day = moment.day;
    let first_year = |f: fn(&Standing) -> Option<NaiveDate>| {
        standings
            .iter()
            .filter_map(|s| f(s))
            .map(|d| d.year())
            .min()
    };
    let Some(from) = first_year(|s| s.first_pilot) else {
        return Vec::new();
    };
    // The end of the year, or the day shown in its year.
    let end = |year: i32| NaiveDate::from_ymd_opt(year, 12, 31).map_or(day, |d| d.min(day));
    let by = |year: i32, f: fn(&Standing) -> Option<NaiveDate>| {
        let end = end(year);
        standings
            .iter()
            .filter(|s| f(s).is_some_and(|d| d.year() <= year))
            .filter(|s| s.heard_within(end, moment.fresh_months))
            .count() as u32
    };
    (from..=day.year().max(from))
        .map(|year| CurvePoint {
            year,
            reached: by(year, |s| s.first_pilot),
            in_use: by(year, |s| s.first_in_use),
        })
        .collect()
}

/// Whole months from `from` to `to`.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    use chrono::Datelike;
    let whole = (to.year() - from.year()) * 12 + to.month() as i32
        - from.month() as i32
        - i32::from(to.day() < from.day());
    whole.max(0) as u32
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The figures over one method's (or unit's) standings. In current only, stale standings
/// count only as not heard from.
fn metrics(
    id: i64,
    (label, name): (&str, &str),
    mine: &[&Standing],
    scope: &MetricsScope,
) -> Metrics {
    let m = &scope.moment;
    let shown: Vec<&Standing> = mine
        .iter()
        .copied()
        .filter(|s| !(m.current_only && s.stale(m)))
        .collect();
    let count = |f: &dyn Fn(&Standing) -> bool| shown.iter().filter(|s| f(s)).count() as u32;
    Metrics {
        id,
        label: label.to_string(),
        name: name.to_string(),
        reached: count(&|s| s.first_pilot.is_some()),
        in_use: count(&|s| s.stage.in_use()),
        share: 0.0,
        first_pilot: shown.iter().filter_map(|s| s.first_pilot).min(),
        median_months: median(shown.iter().filter_map(|s| s.months_to_use()).collect()),
        on_the_way: count(&|s| {
            s.first_pilot.is_some() && s.first_in_use.is_none() && s.stage != Stage::Discontinued
        }),
        preparing: count(&|s| s.stage == Stage::Preparing && !s.stale(m)),
        stalled: count(&|s| s.stalled(m, scope.stalled_after)),
        not_heard_from: mine.iter().filter(|s| s.not_heard_from(m)).count() as u32,
        sustained: count(&|s| s.sustained(m.day)),
        paused: count(&|s| s.stage == Stage::Paused),
        discontinued: count(&|s| s.stage == Stage::Discontinued),
    }
}

/// A figure's name and what it counts, in both languages: the README's "What the numbers
/// mean" table and the reports' definitions are this list (a test holds the README to it).
#[derive(Debug, Clone, Copy)]
pub struct Definition {
    pub en: &'static str,
    pub sv: &'static str,
    pub counts_en: &'static str,
    pub counts_sv: &'static str,
}

impl Definition {
    /// The figure's name in `lang`.
    pub fn name(&self, lang: crate::i18n::Lang) -> &'static str {
        lang.pick(self.sv, self.en)
    }

    /// What the figure counts, in `lang`.
    pub fn counts(&self, lang: crate::i18n::Lang) -> &'static str {
        lang.pick(self.counts_sv, self.counts_en)
    }
}

const fn def(
    en: &'static str,
    sv: &'static str,
    counts_en: &'static str,
    counts_sv: &'static str,
) -> Definition {
    Definition {
        en,
        sv,
        counts_en,
        counts_sv,
    }
}

/// Every figure the screens, the command line and the reports show.
pub const DEFINITIONS: [Definition; 14] = [
    def(
        "reached",
        "nått",
        "units that were at pilot or beyond (pilot, implemented, sustained) at some time by the day",
        "enheter som någon gång fram till dagen var i pilot eller längre (pilot, ordinarie verksamhet, vidmakthållen)",
    ),
    def(
        "in use",
        "i bruk",
        "units at implemented or sustained on the day",
        "enheter i ordinarie verksamhet eller vidmakthållna på dagen",
    ),
    def(
        "share",
        "andel",
        "in use as a share of the districts valid on the day (for a unit: of all methods)",
        "i bruk som andel av stadsdelarna som finns på dagen (för en enhet: av alla metoder)",
    ),
    def(
        "first pilot",
        "första pilot",
        "the first day any unit was at pilot or beyond",
        "första dagen någon enhet var i pilot eller längre",
    ),
    def(
        "median months",
        "median månader",
        "over the units that got there, the months from a unit's first pilot (or beyond) to its first implementation (days ÷ 30.44; 0 when implemented at once)",
        "över enheterna som kom dit, månaderna från enhetens första pilot (eller längre) till dess första ordinarie verksamhet (dagar ÷ 30,44; 0 när den infördes direkt)",
    ),
    def(
        "on the way",
        "på väg",
        "units at pilot or beyond that have not been implemented and are not discontinued",
        "enheter i pilot eller längre som inte har infört metoden i ordinarie verksamhet och inte har avslutat den",
    ),
    def(
        "last heard",
        "senast hörd",
        "a stage's latest event or confirmation of it on or before the day (with `--known-at`: recorded by then and not retracted then; a month counts as its first day); the stage is stale (`°`) when that is more than H months before the day (`fresh-months`, default 24: a stage heard exactly H months before is still fresh)",
        "ett stegs senaste händelse eller bekräftelse av det till och med dagen (med `--known-at`: registrerad då och inte återkallad då; en månad räknas som sin första dag); steget saknar färskt besked (`°`) när det är mer än H månader före dagen (`fresh-months`, 24 om inget anges: ett steg hört exakt H månader före är fortfarande färskt)",
    ),
    def(
        "preparing",
        "förbereder",
        "units at preparing on the day, heard from within the fresh months",
        "enheter som förbereder på dagen, med besked inom färskhetsmånaderna",
    ),
    def(
        "stalled",
        "stannat",
        "units at preparing or pilot for more than N months (`--stalled-after`, default 18) with no later event, heard from within the fresh months (confirmed still there); a pilot not heard from is not heard from, not stalled",
        "enheter som förbereder eller har pilot sedan mer än N månader (`--stalled-after`, 18 om inget anges) utan senare händelse, med besked inom färskhetsmånaderna (bekräftat kvar); en pilot utan besked räknas som utan besked, inte som stannad",
    ),
    def(
        "not heard from",
        "utan besked",
        "units whose stage on the day (exploring through sustained; paused and discontinued say the work stopped) is stale: last heard more than H months before the day",
        "enheter vars steg på dagen (utforskar till och med vidmakthållen; pausad och avslutad säger att arbetet upphört) saknar färskt besked: senast hört mer än H månader före dagen",
    ),
    def(
        "sustained",
        "hållbart",
        "units in use for 12 months or more since their first implementation, and not paused or discontinued since",
        "enheter i bruk i 12 månader eller mer sedan första ordinarie verksamhet, och inte pausade eller avslutade sedan dess",
    ),
    def(
        "paused, discontinued",
        "pausad, avslutad",
        "units whose stage on the day is paused, or discontinued",
        "enheter vars steg på dagen är pausad, eller avslutad",
    ),
    def(
        "adoption curve",
        "spridning över tid",
        "in a method's detail, per year from its first pilot to the day shown: the units that had been at pilot or beyond (`•`), and at implemented or beyond (`█`), by the end of that year, each counted only while the register had heard from it about the method (an event or a confirmation) in the fresh months up to then — a stage is not carried forward for ever, so the line falls when units go unheard; units that have since ceased count for what they reached while they were heard from",
        "i en metods detaljvy, per år från första pilot till dagen som visas: enheterna som varit i pilot eller längre (`•`), och i ordinarie verksamhet eller längre (`█`), vid årets slut, var och en räknad bara så länge registret fått besked från den om metoden (en händelse eller en bekräftelse) under de senaste färskhetsmånaderna — ett steg förs inte vidare för alltid, så kurvan faller när enheter inte hörs av; enheter som sedan upphört räknas för det de nådde medan de hördes av",
    ),
    def(
        "in use (Matrix)",
        "i bruk (Matris)",
        "per method row: its units in use among the columns shown; per unit (the Σ row): its methods in use among the rows the filter keeps",
        "per metodrad: dess enheter i bruk bland kolumnerna som visas; per enhet (Σ-raden): dess metoder i bruk bland raderna filtret behåller",
    ),
];
