//! The matrix: methods × units, the current stage (or the stage as of a date) per cell.
//! Screens ask for the cells of the visible window only.

use crate::domain::{CellStage, MethodLabel, StageCounts};
use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params_from_iter};

use super::units::{UNIT_ORDER, UNIT_SELECT, unit_row};
use super::{Moment, Store, id_list};
use crate::domain::{Method, Noun, Problem, Stage, Unit};

/// Which units are matrix columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixColumns {
    /// Units that existed on the day.
    ValidOn(NaiveDate),
    /// Every unit, historical ones too.
    All,
}

/// A cell's stage with its age: since when (as stored: a day or a month), when last heard,
/// and whether that makes it stale at the moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellAge {
    pub stage: Stage,
    pub since: String,
    pub heard: NaiveDate,
    pub stale: bool,
}

/// Which side the counts of `matrix_counts` are per.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountPer {
    Method,
    Unit,
}

/// A whole matrix, for the command line and exports.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub units: Vec<Unit>,
    pub rows: Vec<(Method, Vec<Option<CellStage>>)>,
}

impl Store {
    /// The matrix's methods under the filter's words (name or short name) and area, in
    /// Swedish name order: (id, label, name). An area no method has is an error with the
    /// nearest areas.
    pub fn matrix_methods(&self, words: &str, area: Option<&str>) -> Result<Vec<MethodLabel>> {
        // Only what the filter looks at (not every method's texts).
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, coalesce(short_name, name), name, area FROM method ORDER BY label_key, id",
        )?;
        let methods = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<(i64, String, String, String)>>>()?;
        if let Some(area) = area
            && !methods.iter().any(|m| m.3.to_lowercase().contains(area))
        {
            return Err(Problem::Unknown {
                what: Noun::Area,
                wanted: area.to_string(),
                near: crate::domain::suggest::nearest(area, methods.iter().map(|m| m.3.clone()), 3),
            }
            .into());
        }
        Ok(methods
            .into_iter()
            .filter(|(_, label, name, a)| {
                area.is_none_or(|wanted| a.to_lowercase().contains(wanted))
                    && (words.is_empty()
                        || name.to_lowercase().contains(words)
                        || label.to_lowercase().contains(words))
            })
            .map(|(id, label, name, _)| MethodLabel { id, label, name })
            .collect())
    }

    /// The matrix's columns in a region (those whose region contains `region`); a region no
    /// unit has is an error with the nearest regions.
    pub fn matrix_units_in(
        &self,
        columns: MatrixColumns,
        region: Option<&str>,
    ) -> Result<Vec<Unit>> {
        let units = self.matrix_units(columns)?;
        let Some(region) = region else {
            return Ok(units);
        };
        let of = |u: &Unit| u.region.as_deref().unwrap_or("").to_lowercase();
        if !units.iter().any(|u| of(u).contains(region)) {
            let all = self.units()?;
            return Err(Problem::Unknown {
                what: Noun::Region,
                wanted: region.to_string(),
                near: crate::domain::suggest::nearest(
                    region,
                    all.iter().filter_map(|u| u.region.clone()),
                    3,
                ),
            }
            .into());
        }
        Ok(units
            .into_iter()
            .filter(|u| of(u).contains(region))
            .collect())
    }

    /// How many cells of `methods` (None: every method) × `units` stand at each stage at the
    /// moment, per method or per unit. Today it reads the adoption rows' current stages; on
    /// another day each cell's stage then.
    /// Their `stale` counts only in current only (where the stale stages are left out).
    pub fn matrix_counts(
        &self,
        per: CountPer,
        methods: Option<&[i64]>,
        units: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<i64, StageCounts>> {
        let mut out: HashMap<i64, StageCounts> = HashMap::new();
        if units.is_empty() || methods.is_some_and(<[i64]>::is_empty) {
            return Ok(out);
        }
        // Ids only, spelled into the statement, so SQLite can drive through the method or
        // unit index.
        let only_methods = methods
            .map(|ids| format!(" AND a.method_id IN ({})", id_list(ids)))
            .unwrap_or_default();
        let group = match per {
            CountPer::Method => "a.method_id",
            CountPer::Unit => "a.unit_id",
        };
        // The totals show how many are in use; their age matters only when stale stages are
        // left out (current only). Otherwise no event is joined: where an adoption's current
        // stage took effect by the day it is its stage then (`stage_sql`), and the history is
        // read only for the others (at L, sorting a year back by spread counts 200 000).
        let sql = if moment.is_current() {
            // Today: the adoption rows' own stages, grouped along the method's or the unit's
            // index (no sort); their age only when current only leaves the stale out.
            let stale = if moment.current_only {
                "coalesce(sum(a.heard < ?3), 0)"
            } else {
                "0"
            };
            // Per method over most of the units (the title slide, the Matrix's column of
            // totals): a check of each adoption's unit costs as much as the count itself
            // (at L 30 of 65 ms), so count every unit along the method index and take away
            // the few units left out, found through the unit index.
            let left_out = (per == CountPer::Method)
                .then(|| self.units_left_out(units))
                .transpose()?
                .filter(|left_out| left_out.len() < units.len());
            if let Some(left_out) = left_out {
                let take_away = if left_out.is_empty() {
                    String::new()
                } else {
                    format!(
                        " UNION ALL
                         SELECT a.method_id, a.stage, -count(*), -{stale} FROM adoption a
                         WHERE a.unit_id IN ({}){only_methods} AND a.stage IS NOT NULL
                         GROUP BY a.method_id, a.stage",
                        id_list(&left_out)
                    )
                };
                format!(
                    "SELECT key, stage, sum(n), sum(stale) FROM (
                         SELECT a.method_id AS key, a.stage AS stage, count(*) AS n,
                                {stale} AS stale
                         FROM adoption a INDEXED BY adoption_by_method
                         WHERE a.stage IS NOT NULL{only_methods}
                           AND ?1 IS NOT NULL AND ?2 IS NULL AND ?3 IS NOT NULL
                         GROUP BY a.method_id, a.stage{take_away})
                     GROUP BY key, stage HAVING sum(n) > 0"
                )
            } else {
                format!(
                    "SELECT {group}, a.stage, count(*), {stale} FROM adoption a
                 WHERE a.unit_id IN ({}){only_methods} AND a.stage IS NOT NULL
                   AND ?1 IS NOT NULL AND ?2 IS NULL AND ?3 IS NOT NULL
                 GROUP BY {group}, a.stage",
                    id_list(units)
                )
            }
        } else if !moment.current_only {
            format!(
                "SELECT key, stage_then, count(*), 0 FROM (
                     SELECT {group} AS key, ({}) AS stage_then FROM adoption a
                     WHERE a.unit_id IN ({}){only_methods} AND ?3 IS NOT NULL)
                 WHERE stage_then IS NOT NULL GROUP BY key, stage_then",
                moment.stage_sql("a", "?1", "?2"),
                id_list(units)
            )
        } else {
            format!(
                "SELECT {group}, e.stage, count(*), coalesce(sum({} < ?3), 0) FROM adoption a
                 JOIN stage_event e ON e.id = {}
                 WHERE a.unit_id IN ({}){only_methods}
                 GROUP BY {group}, e.stage",
                moment.heard_then_sql("a", "e", "?1", "?2"),
                moment.event_id_sql("a", "?1", "?2"),
                id_list(units)
            )
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(moment.stage_params()), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Stage>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (key, stage, n, stale) = row?;
            let counts = out.entry(key).or_default();
            counts.add(stage, n as u32, stale as u32, moment.current_only);
        }
        Ok(out)
    }

    /// The units not in `units`, by id.
    fn units_left_out(&self, units: &[i64]) -> Result<Vec<i64>> {
        let wanted: std::collections::HashSet<i64> = units.iter().copied().collect();
        let mut stmt = self.conn.prepare_cached("SELECT id FROM unit")?;
        let all = stmt.query_map([], |r| r.get::<_, i64>(0))?;
        let mut out = Vec::new();
        for id in all {
            let id = id?;
            if !wanted.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// One cell's own stage at the moment, the date it took effect, as stored (a day or a
    /// month), and the day it was last heard (`stages::heard`).
    pub fn cell_since(&self, method: i64, unit: i64, moment: &Moment) -> Result<Option<CellAge>> {
        let sql = format!(
            "SELECT e.stage, e.effective, {} FROM adoption a JOIN stage_event e ON e.id = ({})
             WHERE a.method_id = ?1 AND a.unit_id = ?4 AND ?2 IS NOT NULL
               AND (?3 IS NULL OR ?3 IS NOT NULL) AND ?5 IS NOT NULL",
            super::stages::heard("e", Some("?2"), moment.known_at.is_some().then_some("?3")),
            moment.event_sql("a.id")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let found = stmt
            .query_row(moment.cell_params(method, unit), |r| {
                Ok((
                    r.get::<_, Stage>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .optional()?;
        Ok(found.and_then(|(stage, since, heard)| {
            let heard: NaiveDate = heard.parse().ok()?;
            Some(CellAge {
                stage,
                since,
                heard,
                stale: moment.is_stale(heard),
            })
        }))
    }

    /// The day each cell of `method_ids` was last heard at `moment` (`matrix --last-heard`).
    pub fn matrix_heard(
        &self,
        method_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), String>> {
        let mut out = HashMap::new();
        for chunk in method_ids.chunks(500) {
            let sql = format!(
                "SELECT method_id, unit_id, heard FROM (
                   SELECT a.method_id, a.unit_id, ({}) AS heard
                   FROM adoption a WHERE a.method_id IN ({}) AND ?3 IS NOT NULL)
                 WHERE heard IS NOT NULL",
                moment.heard_sql("a", "?1", "?2"),
                id_list(chunk)
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(moment.stage_params()), |r| {
                Ok(((r.get(0)?, r.get(1)?), r.get::<_, String>(2)?))
            })?;
            for row in rows {
                let (key, heard) = row?;
                out.insert(key, heard);
            }
        }
        Ok(out)
    }

    /// The units that are the Matrix's columns.
    pub fn matrix_units(&self, columns: MatrixColumns) -> Result<Vec<Unit>> {
        let units = self.units_ordered()?;
        Ok(match columns {
            MatrixColumns::All => units,
            MatrixColumns::ValidOn(day) => units.into_iter().filter(|u| u.valid_on(day)).collect(),
        })
    }

    fn units_ordered(&self) -> Result<Vec<Unit>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!("{UNIT_SELECT} {UNIT_ORDER}"))?;
        let rows = stmt.query_map([], unit_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Stages of the cells for the given methods at `moment` (without the stale ones in
    /// "current only").
    pub fn matrix_cells(
        &self,
        method_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), CellStage>> {
        let mut cells = HashMap::new();
        self.each_cell(method_ids, moment, |key, cell| {
            cells.insert(key, cell);
        })?;
        Ok(cells)
    }

    /// Hands each cell with a stage of the given methods at `moment` to `found`, as
    /// (method, unit) and its stage (without the stale ones in "current only").
    fn each_cell(
        &self,
        method_ids: &[i64],
        moment: &Moment,
        mut found: impl FnMut((i64, i64), CellStage),
    ) -> Result<()> {
        for chunk in method_ids.chunks(500) {
            let sql = if moment.is_current() {
                // Today: the adoption rows' own stages, read from the index by method (which
                // holds them); joining each to its event read a page of history per cell.
                format!(
                    "SELECT a.method_id, a.unit_id, a.stage, a.heard < ?3 FROM adoption a
                     WHERE a.method_id IN ({}) AND a.stage IS NOT NULL
                       AND ?1 IS NOT NULL AND ?2 IS NULL",
                    id_list(chunk)
                )
            } else {
                format!(
                    "SELECT a.method_id, a.unit_id, e.stage, {} < ?3 FROM adoption a
                     JOIN stage_event e ON e.id = {}
                     WHERE a.method_id IN ({}) AND (?2 IS NULL OR ?2 IS NOT NULL)
                       AND ?1 IS NOT NULL",
                    moment.heard_then_sql("a", "e", "?1", "?2"),
                    moment.event_id_sql("a", "?1", "?2"),
                    id_list(chunk)
                )
            };
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(params_from_iter(moment.stage_params()), |r| {
                Ok((
                    (r.get(0)?, r.get(1)?),
                    CellStage {
                        stage: r.get(2)?,
                        stale: r.get::<_, Option<bool>>(3)?.unwrap_or(false),
                    },
                ))
            })?;
            for row in rows {
                let (key, cell) = row?;
                if !(moment.current_only && cell.stale) {
                    found(key, cell);
                }
            }
        }
        Ok(())
    }

    /// The stages of one window of the matrix at `moment`: the visible methods × visible
    /// units, looked up cell by cell through the (method, unit) index.
    pub fn matrix_window(
        &self,
        method_ids: &[i64],
        unit_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), CellStage>> {
        let mut cells = HashMap::new();
        let mut stmt = self.conn.prepare_cached(&moment.cell_sql())?;
        for &m in method_ids {
            for &u in unit_ids {
                if let Some(cell) = stmt
                    .query_row(moment.cell_params(m, u), |r| {
                        Ok(CellStage {
                            stage: r.get(0)?,
                            stale: r.get::<_, Option<bool>>(1)?.unwrap_or(false),
                        })
                    })
                    .optional()?
                    && !(moment.current_only && cell.stale)
                {
                    cells.insert((m, u), cell);
                }
            }
        }
        Ok(cells)
    }

    /// The whole matrix for the command line: every method, the units that count at
    /// `moment` (valid on its day, or all), the stage then.
    pub fn matrix(&self, moment: &Moment) -> Result<Matrix> {
        let units = self.matrix_units(if moment.all_units {
            MatrixColumns::All
        } else {
            MatrixColumns::ValidOn(moment.day)
        })?;
        // In the order of the labels the rows show (the short name where there is one).
        let mut methods = self.methods()?;
        methods.sort_by_cached_key(|m| super::sort_key(m.label()));
        let ids: Vec<i64> = methods.iter().map(|m| m.id).collect();
        // Each cell put in its place as it is read (not a map of a million cells, looked up).
        let row_of: HashMap<i64, usize> = ids.iter().enumerate().map(|(i, &m)| (m, i)).collect();
        let column_of: HashMap<i64, usize> =
            units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let mut grid: Vec<Vec<Option<CellStage>>> = vec![vec![None; units.len()]; ids.len()];
        self.each_cell(&ids, moment, |(m, u), cell| {
            if let (Some(&r), Some(&c)) = (row_of.get(&m), column_of.get(&u)) {
                grid[r][c] = Some(cell);
            }
        })?;
        let rows = methods.into_iter().zip(grid).collect();
        Ok(Matrix { units, rows })
    }
}

/// A cell of a rolled-up matrix: the unit's own stage, or — where it has no event of its own
/// for the method — the furthest stage its predecessors had (through every reorganisation),
/// marked as theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolledCell {
    pub stage: Stage,
    /// Whether that stage is stale (for a predecessor's: last heard before the fresh months
    /// of the day shown, like the unit's own).
    pub stale: bool,
    /// Empty for the unit's own stage; else the predecessors whose stage it is, with theirs.
    pub from: Predecessors,
}

/// The predecessors a rolled-up cell's stage is taken from (code, their stage); empty for a
/// unit's own stage. One pointer wide, nothing allocated when empty: a report's matrix holds
/// a million cells (at L a `Vec` here was 32 MB of the workbook's memory; this is 16).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[allow(
    clippy::box_collection,
    reason = "a thin pointer: the list is rare and the cells are many"
)]
pub struct Predecessors(Option<Box<Vec<(String, Stage)>>>);

impl std::ops::Deref for Predecessors {
    type Target = [(String, Stage)];

    fn deref(&self) -> &[(String, Stage)] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl FromIterator<(String, Stage)> for Predecessors {
    fn from_iter<I: IntoIterator<Item = (String, Stage)>>(iter: I) -> Predecessors {
        let all: Vec<(String, Stage)> = iter.into_iter().collect();
        Predecessors((!all.is_empty()).then(|| Box::new(all)))
    }
}

impl RolledCell {
    /// Whether the stage is a predecessor's (rolled up), not the unit's own.
    pub fn inherited(&self) -> bool {
        !self.from.is_empty()
    }
}

/// Per (method, unit): the predecessors' codes and their stages.
type Inherited = HashMap<(i64, i64), Vec<(String, CellStage)>>;

/// A whole rolled-up matrix, for the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct RolledMatrix {
    pub units: Vec<Unit>,
    pub rows: Vec<(Method, Vec<Option<RolledCell>>)>,
}

impl Store {
    /// The stages that units `roots` took over from their predecessors (through every
    /// reorganisation), for methods `method_ids` (all methods when empty): each predecessor's
    /// stage on its last day, or at `moment` if that is earlier. One query over the
    /// predecessors' adoptions.
    fn inherited(&self, method_ids: &[i64], roots: &[i64], moment: &Moment) -> Result<Inherited> {
        let mut out = Inherited::new();
        if roots.is_empty() {
            return Ok(out);
        }
        let methods = if method_ids.is_empty() {
            String::new()
        } else {
            format!(" AND a.method_id IN ({})", id_list(method_ids))
        };
        let stage = moment.stage_sql_until("a", "p", "?1", "?2");
        let stale = moment.stale_sql_until("a", "p", "?1", "?2", "?3");
        let sql = format!(
            "WITH RECURSIVE chain(root, id, depth) AS (
                 SELECT id, id, 0 FROM unit WHERE id IN ({roots})
                 UNION SELECT c.root, l.predecessor_id, c.depth + 1 FROM unit_lineage l
                 JOIN chain c ON l.successor_id = c.id WHERE c.depth < 50)
             SELECT root, method_id, code, stage, stale FROM (
                 SELECT DISTINCT c.root, a.method_id, p.code, p.sort_key, ({stage}) AS stage,
                        ({stale}) AS stale
                 FROM chain c JOIN unit p ON p.id = c.id JOIN adoption a ON a.unit_id = p.id
                 WHERE c.id <> c.root{methods})
             WHERE stage IS NOT NULL ORDER BY sort_key",
            roots = id_list(roots)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(moment.stage_params()), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                CellStage {
                    stage: r.get(3)?,
                    stale: r.get::<_, Option<bool>>(4)?.unwrap_or(false),
                },
            ))
        })?;
        for row in rows {
            let (root, method, code, cell) = row?;
            if !(moment.current_only && cell.stale) {
                out.entry((method, root)).or_default().push((code, cell));
            }
        }
        Ok(out)
    }

    /// The rolled-up cells of one window: for each visible unit, its own stage at `moment`,
    /// else its predecessors' furthest stage (see `inherited`).
    pub fn matrix_window_rolled(
        &self,
        method_ids: &[i64],
        unit_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), RolledCell>> {
        let own = self.matrix_window(method_ids, unit_ids, moment)?;
        self.matrix_window_rolled_over(own, method_ids, unit_ids, moment)
    }

    /// `matrix_window_rolled` over the window's own cells already read (`matrix_window` at
    /// the same moment), so a screen that shows both reads them once.
    pub fn matrix_window_rolled_over(
        &self,
        own: HashMap<(i64, i64), CellStage>,
        method_ids: &[i64],
        unit_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), RolledCell>> {
        let inherited = self.inherited(method_ids, unit_ids, moment)?;
        Ok(roll(own, inherited))
    }

    /// The rolled-up cells of whole rows: `method_ids` × `unit_ids`, read by method (its
    /// adoptions) rather than cell by cell — for a few methods over many units.
    pub fn matrix_rows_rolled(
        &self,
        method_ids: &[i64],
        unit_ids: &[i64],
        moment: &Moment,
    ) -> Result<HashMap<(i64, i64), RolledCell>> {
        let wanted: std::collections::HashSet<i64> = unit_ids.iter().copied().collect();
        let own = self
            .matrix_cells(method_ids, moment)?
            .into_iter()
            .filter(|((_, u), _)| wanted.contains(u))
            .collect();
        let inherited = self.inherited(method_ids, unit_ids, moment)?;
        Ok(roll(own, inherited))
    }

    /// The whole rolled-up matrix for the command line (see `matrix`).
    pub fn matrix_rolled(&self, moment: &Moment) -> Result<RolledMatrix> {
        let m = self.matrix(moment)?;
        let unit_ids: Vec<i64> = m.units.iter().map(|u| u.id).collect();
        let mut own = HashMap::new();
        for (method, stages) in &m.rows {
            for (u, s) in m.units.iter().zip(stages) {
                if let Some(s) = s {
                    own.insert((method.id, u.id), *s);
                }
            }
        }
        let cells = roll(own, self.inherited(&[], &unit_ids, moment)?);
        let rows = m
            .rows
            .into_iter()
            .map(|(method, _)| {
                let row = m
                    .units
                    .iter()
                    .map(|u| cells.get(&(method.id, u.id)).cloned())
                    .collect();
                (method, row)
            })
            .collect();
        Ok(RolledMatrix {
            units: m.units,
            rows,
        })
    }
}

/// Own stages, and where there is none, the furthest stage among the predecessors' (a fresh
/// one before a stale one of the same stage).
fn roll(
    own: HashMap<(i64, i64), CellStage>,
    inherited: Inherited,
) -> HashMap<(i64, i64), RolledCell> {
    let mut cells: HashMap<(i64, i64), RolledCell> = inherited
        .into_iter()
        .filter(|(k, _)| !own.contains_key(k))
        .filter_map(|(k, from)| {
            let furthest = from
                .iter()
                .map(|(_, c)| *c)
                .max_by_key(|c| (c.stage.progress(), !c.stale))?;
            Some((
                k,
                RolledCell {
                    stage: furthest.stage,
                    stale: furthest.stale,
                    from: from.into_iter().map(|(code, c)| (code, c.stage)).collect(),
                },
            ))
        })
        .collect();
    cells.extend(own.into_iter().map(|(k, c)| {
        (
            k,
            RolledCell {
                stage: c.stage,
                stale: c.stale,
                from: Predecessors::default(),
            },
        )
    }));
    cells
}

/// Per (method, unit): days as stored (a day or a month) with the stage, in order.
type Dated = HashMap<(i64, i64), Vec<(String, Stage)>>;

/// A few methods' whole history, read once, so the film can show any year from memory with
/// the rules the rolled-up matrix applies in SQL (the latest event in effect by the day, by
/// effective date as stored, then recording order; a unit without its own stage takes its
/// predecessors' furthest, each on its last day or the day shown if earlier).
#[derive(Debug, Clone, Default)]
pub struct FilmHistory {
    /// Per (method, unit): its events that count at the moment, in effect order: the
    /// effective date as stored (a month sorts before its days) and the stage.
    events: Dated,
    /// Per (method, unit): its confirmations that count at the moment (not retracted as
    /// known then), in effect order: the day and the stage confirmed.
    confirmations: Dated,
    /// Per unit: the units it took over from, through every reorganisation, in unit order:
    /// (id, code, last day).
    ancestors: HashMap<i64, Vec<(i64, String, Option<String>)>>,
    /// The moment's fresh months, and whether stale stages are left out.
    fresh_months: u32,
    current_only: bool,
}

impl Store {
    /// Reads the lineage of `unit_ids` and the history of `method_ids` in those units and
    /// their predecessors (the events that count as known at the moment).
    pub fn film_history(
        &self,
        method_ids: &[i64],
        unit_ids: &[i64],
        moment: &Moment,
    ) -> Result<FilmHistory> {
        let mut history = FilmHistory {
            fresh_months: moment.fresh_months,
            current_only: moment.current_only,
            ..FilmHistory::default()
        };
        if method_ids.is_empty() || unit_ids.is_empty() {
            return Ok(history);
        }
        let known = moment.known_bound();
        let mut stmt = self.conn.prepare(&format!(
            "WITH RECURSIVE chain(root, id, depth) AS (
                 SELECT id, id, 0 FROM unit WHERE id IN ({})
                 UNION SELECT c.root, l.predecessor_id, c.depth + 1 FROM unit_lineage l
                 JOIN chain c ON l.successor_id = c.id WHERE c.depth < 50)
             SELECT DISTINCT c.root, p.id, p.code, p.valid_to, p.sort_key
             FROM chain c JOIN unit p ON p.id = c.id
             WHERE c.id <> c.root ORDER BY p.sort_key",
            id_list(unit_ids)
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                (
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ),
            ))
        })?;
        for row in rows {
            let (root, ancestor) = row?;
            let list = history.ancestors.entry(root).or_default();
            if !list.iter().any(|a| a.0 == ancestor.0) {
                list.push(ancestor);
            }
        }
        // Only the shown units' events and their predecessors'.
        let mut units: Vec<i64> = unit_ids.to_vec();
        units.extend(history.ancestors.values().flatten().map(|a| a.0));
        units.sort_unstable();
        units.dedup();
        // The events, and the confirmations, that count as known at the moment: the same
        // read of either table (its retractions by then leave a row out).
        let read = |table: &str, retraction: &str, key: &str| -> Result<Dated> {
            let mut stmt = self.conn.prepare(&format!(
                "SELECT a.method_id, a.unit_id, x.stage, x.effective FROM adoption a
                 JOIN {table} x ON x.adoption_id = a.id
                 WHERE a.method_id IN ({}) AND a.unit_id IN ({}) AND x.recorded_at <= ?1
                   AND NOT EXISTS (SELECT 1 FROM {retraction} r WHERE r.{key} = x.id
                                   AND r.retracted_at <= ?1)
                 ORDER BY a.method_id, a.unit_id, x.effective, x.id",
                id_list(method_ids),
                id_list(&units)
            ))?;
            let mut out = Dated::new();
            let mut rows = stmt.query([&known])?;
            while let Some(r) = rows.next()? {
                out.entry((r.get(0)?, r.get(1)?))
                    .or_default()
                    .push((r.get(3)?, r.get(2)?));
            }
            Ok(out)
        };
        history.events = read("stage_event", "retraction", "event_id")?;
        history.confirmations = read("confirmation", "confirmation_retraction", "confirmation_id")?;
        Ok(history)
    }
}

impl FilmHistory {
    /// The stage of (method, unit) on `day` (as text, `YYYY-MM-DD`), stale if last heard
    /// (`stages::heard`, the same rule from memory) before `fresh_from`.
    fn stage(&self, method: i64, unit: i64, day: &str, fresh_from: &str) -> Option<CellStage> {
        let (effective, stage) = self
            .events
            .get(&(method, unit))?
            .iter()
            .rev()
            .find(|(effective, _)| effective.as_str() <= day)?;
        let own = if effective.len() == 7 {
            format!("{effective}-01")
        } else {
            effective.clone()
        };
        let confirmed = self
            .confirmations
            .get(&(method, unit))
            .into_iter()
            .flatten()
            .filter(|(on, s)| s == stage && on >= effective && on.as_str() <= day)
            .map(|(on, _)| on.as_str())
            .max();
        let heard = confirmed.map_or(own.as_str(), |c| c.max(own.as_str()));
        Some(CellStage {
            stage: *stage,
            stale: heard < fresh_from,
        })
    }

    /// The rolled-up cells of `method_ids` × `unit_ids` on `day`, as `matrix_window_rolled`
    /// gives them.
    pub fn cells(
        &self,
        method_ids: &[i64],
        unit_ids: &[i64],
        day: NaiveDate,
    ) -> HashMap<(i64, i64), RolledCell> {
        let fresh_from = day
            .checked_sub_months(chrono::Months::new(self.fresh_months))
            .unwrap_or(NaiveDate::MIN)
            .format("%Y-%m-%d")
            .to_string();
        let day = day.format("%Y-%m-%d").to_string();
        let mut own = HashMap::new();
        let mut inherited = Inherited::new();
        let shown = |c: &CellStage| !(self.current_only && c.stale);
        for &m in method_ids {
            for &u in unit_ids {
                if let Some(cell) = self.stage(m, u, &day, &fresh_from).filter(shown) {
                    own.insert((m, u), cell);
                }
                for (id, code, last) in self.ancestors.get(&u).into_iter().flatten() {
                    let until = match last {
                        Some(last) if last.as_str() < day.as_str() => last.as_str(),
                        _ => day.as_str(),
                    };
                    if let Some(cell) = self.stage(m, *id, until, &fresh_from).filter(shown) {
                        inherited
                            .entry((m, u))
                            .or_default()
                            .push((code.clone(), cell));
                    }
                }
            }
        }
        roll(own, inherited)
    }
}
