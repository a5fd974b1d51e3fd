//! The workshop presentation: slides that fill the screen for a room to read (`P` from any
//! tab, or `spridning --present`). Its state and behaviour live here; `ui::deck` draws it.
//!
//! The deck is a title slide, one slide per chosen method (by spread, or as given), the film
//! (the chosen methods × the districts of the day, rolled up, year by year) and the stalled
//! pilots. It changes nothing in the register: no edit key is active while it is open. When
//! someone records a stage meanwhile, the open slide is read again and what changed is
//! marked for `MARK_FOR`.

use crate::domain::{MethodLabel, StageCounts};
use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::{Datelike, NaiveDate};

use crate::domain::{Method, Stage, Unit};
use crate::store::{
    CountPer, CurvePoint, FilmHistory, LiveChange, MatrixColumns, MetricsScope, Moment, RolledCell,
    Stalled, Store,
};

/// How long a change made during the workshop stays marked.
pub const MARK_FOR: Duration = Duration::from_secs(20);
/// How long the film shows each year while it plays.
pub const YEAR_EVERY: Duration = Duration::from_secs(1);

/// Something read from the store, with the register's state (`Store::generation`) it was
/// read in.
type Kept<T> = ((i64, u64), T);

/// The film's history, for the methods and districts it shows.
type KeptFilm = Kept<(Vec<i64>, Vec<i64>, FilmHistory)>;

/// What the deck shows: from `P` (the app's day, every method) or the command line.
#[derive(Debug, Clone, Default)]
pub struct DeckOptions {
    /// Methods by name or short name, in the order to show them; empty: all, by spread.
    pub methods: Vec<String>,
    /// Only methods of this area.
    pub area: Option<String>,
    pub day: Option<NaiveDate>,
    /// Started with `--present`: Esc ends the program instead of returning to a tab.
    pub from_command_line: bool,
}

/// One slide of the deck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlideKind {
    Title,
    /// The method at this place in the deck's order.
    Method(usize),
    Film,
    Stalled,
}

/// A method of the deck: (id, label, name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckMethod {
    pub id: i64,
    pub label: String,
    pub name: String,
}

/// The title slide's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct TitlePage {
    pub methods: usize,
    pub districts: usize,
    /// Methods implemented or sustained in at least one unit valid on the day.
    pub in_use_somewhere: usize,
}

/// A group of units on a method slide: a region's districts, or the central units.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitGroup {
    /// The region as stored (innerstad, söderort, västerort); `None`: central units and
    /// partners.
    pub region: Option<String>,
    pub units: Vec<(Unit, Option<RolledCell>)>,
}

/// A method's slide: its units by region and its adoption curve, on the deck's day.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodPage {
    pub method: Method,
    /// Districts valid on the day where the method is implemented or sustained (rolled up),
    /// and the districts valid on the day.
    pub in_use: usize,
    /// Of those, the ones not heard from in the fresh months.
    pub in_use_stale: usize,
    pub districts: usize,
    pub groups: Vec<UnitGroup>,
    pub curve: Vec<CurvePoint>,
}

/// What changed in a year of the film: a method reached a stage in these units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearChange {
    pub method: String,
    pub stage: Stage,
    pub units: Vec<String>,
}

/// The film: the grid of methods × districts in one year, and the events of that year.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmPage {
    pub year: i32,
    /// The day the year shows: its last day, or the deck's day in the deck's year.
    pub day: NaiveDate,
    pub columns: Vec<Unit>,
    pub rows: Vec<(DeckMethod, Vec<Option<RolledCell>>)>,
    /// Chosen methods not shown (beyond what the screen holds), and districts not shown.
    pub more: usize,
    pub more_columns: usize,
    pub changes: Vec<YearChange>,
}

/// What the open slide shows, read from the store when it opens or the register changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    Title(TitlePage),
    Method(Box<MethodPage>),
    Film(Box<FilmPage>),
    /// The longest-stalled (as many as a screen holds) and how many there are.
    /// The stalled pilots and how many in all; with `true`, none was heard from lately and
    /// the rows are the stages not heard from instead (whom to ask), oldest word first.
    Stalled(Vec<Stalled>, usize, bool),
}

/// The film: which year it shows and whether it plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Film {
    pub first: i32,
    pub last: i32,
    pub year: i32,
    pub playing: bool,
}

/// The latest change made during the workshop, for the line at the foot of every slide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ticker {
    pub method: String,
    pub unit: String,
    pub stage: Stage,
    pub retracted: bool,
    pub at: String,
}

/// The workshop presentation: its slides, the page each shows, and the film's year.
pub struct Deck {
    pub title: String,
    pub moment: Moment,
    pub methods: Vec<DeckMethod>,
    pub slide: usize,
    /// Digits typed to jump to a slide (Enter jumps).
    pub typed: String,
    pub film: Film,
    pub page: Page,
    /// (method, unit) → when it changed during the workshop.
    marks: HashMap<(i64, i64), Instant>,
    /// Pages read so far, per (slide, film year), for the register's state they were read
    /// in: stepping back and forth reads nothing again until someone commits.
    pages: HashMap<(usize, i32), Kept<Page>>,
    pub ticker: Option<(Instant, Ticker)>,
    last_change: i64,
    last_year_step: Instant,
    pub from_command_line: bool,
    /// The terminal's size: the film reads only the rows and columns it can show.
    size: (u16, u16),
    /// Every method of the register is in the deck (no `--methods`, no `--area`).
    all_methods: bool,
    /// The units valid on the deck's day, for the register's state they were read in.
    units: std::cell::RefCell<Option<Kept<Vec<Unit>>>>,
    /// The stages counted per method when the deck chose its methods by spread, for the
    /// register's state they were counted in: the title slide's "in use somewhere" then
    /// needs no second count.
    counts: Option<Kept<HashMap<i64, StageCounts>>>,
    /// The film's methods' history, read once: a year step is then worked out in memory.
    film_history: std::cell::RefCell<Option<KeptFilm>>,
}

impl Deck {
    /// Opens the deck on its title slide: the methods chosen (looked up by name, with the
    /// nearest names when one is unknown) or every method of the area by spread.
    pub fn open(
        store: &Store,
        options: &DeckOptions,
        day: NaiveDate,
        size: (u16, u16),
    ) -> Result<Deck> {
        let moment = Moment {
            fresh_months: store.fresh_months()?,
            ..Moment::on(options.day.unwrap_or(day))
        };
        let area = options
            .area
            .as_deref()
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty());
        let in_area = store.matrix_methods("", area.as_deref())?;
        let mut counted = None;
        let methods: Vec<DeckMethod> = if options.methods.is_empty() {
            let (methods, counts) = by_spread(store, &in_area, &moment)?;
            counted = Some((store.generation()?, counts));
            methods
        } else {
            let mut chosen = Vec::new();
            for wanted in &options.methods {
                let (id, _) = store.find_method(wanted)?;
                if let Some(MethodLabel { id, label, name }) = in_area.iter().find(|m| m.id == id)
                    && !chosen.iter().any(|m: &DeckMethod| m.id == *id)
                {
                    chosen.push(DeckMethod {
                        id: *id,
                        label: label.clone(),
                        name: name.clone(),
                    });
                }
            }
            chosen
        };
        let ids: Vec<i64> = methods.iter().map(|m| m.id).collect();
        let last = moment.day.year();
        let first = store.first_event_year(&ids, &moment)?.unwrap_or(last);
        let mut deck = Deck {
            title: store.title_shown()?,
            moment,
            methods,
            slide: 0,
            typed: String::new(),
            film: Film {
                first,
                last,
                year: last,
                playing: false,
            },
            page: Page::Stalled(Vec::new(), 0, false),
            marks: HashMap::new(),
            pages: HashMap::new(),
            ticker: None,
            last_change: store.last_change_id()?,
            last_year_step: Instant::now(),
            from_command_line: options.from_command_line,
            size,
            all_methods: options.methods.is_empty() && area.is_none(),
            units: std::cell::RefCell::new(None),
            counts: counted,
            film_history: std::cell::RefCell::new(None),
        };
        deck.reload(store)?;
        Ok(deck)
    }

    /// Title, a slide per method, the film and the stalled pilots.
    pub fn slide_count(&self) -> usize {
        self.methods.len() + 3
    }

    /// What slide `slide` shows.
    pub fn kind(&self, slide: usize) -> SlideKind {
        match slide {
            0 => SlideKind::Title,
            n if n <= self.methods.len() => SlideKind::Method(n - 1),
            n if n == self.methods.len() + 1 => SlideKind::Film,
            _ => SlideKind::Stalled,
        }
    }

    /// What the current slide shows.
    pub fn current(&self) -> SlideKind {
        self.kind(self.slide)
    }

    /// Whether (method, unit) changed during the workshop, recently enough to mark.
    pub fn marked(&self, method: i64, unit: i64) -> bool {
        self.marks
            .get(&(method, unit))
            .is_some_and(|at| at.elapsed() < MARK_FOR)
    }

    /// The ticker while it is fresh.
    pub fn fresh_ticker(&self) -> Option<&Ticker> {
        self.ticker
            .as_ref()
            .filter(|(at, _)| at.elapsed() < MARK_FOR)
            .map(|(_, t)| t)
    }

    /// A new terminal size: pages are read again for it.
    pub fn resize(&mut self, store: &Store, size: (u16, u16)) -> Result<()> {
        if size != self.size {
            self.size = size;
            self.pages.clear();
            self.reload(store)?;
        }
        Ok(())
    }

    /// Goes to slide `n` (clamped), stopping the film when it is left.
    pub fn go(&mut self, store: &Store, n: usize) -> Result<()> {
        let n = n.min(self.slide_count() - 1);
        if n != self.slide {
            self.slide = n;
            self.film.playing = false;
            self.reload(store)?;
        }
        Ok(())
    }

    /// Shows another year of the film (clamped to its years).
    pub fn show_year(&mut self, store: &Store, year: i32) -> Result<()> {
        let year = year.clamp(self.film.first, self.film.last);
        if year != self.film.year {
            self.film.year = year;
            self.reload(store)?;
        }
        Ok(())
    }

    /// `f` on the film: plays from the first year (or from where it paused), or pauses.
    pub fn toggle_play(&mut self, store: &Store) -> Result<()> {
        if self.current() != SlideKind::Film {
            return Ok(());
        }
        if self.film.playing {
            self.film.playing = false;
            return Ok(());
        }
        self.film.playing = true;
        self.last_year_step = Instant::now();
        if self.film.year >= self.film.last {
            self.show_year(store, self.film.first)?;
        }
        Ok(())
    }

    /// Called often: steps a playing film a year a second; stops at the deck's year.
    pub fn tick(&mut self, store: &Store) -> Result<()> {
        if self.film.playing && self.last_year_step.elapsed() >= YEAR_EVERY {
            self.last_year_step = Instant::now();
            self.show_year(store, self.film.year + 1)?;
            if self.film.year >= self.film.last {
                self.film.playing = false;
            }
        }
        Ok(())
    }

    /// After another process's commit: marks the stages recorded since, and reads the open
    /// slide again.
    pub fn live(&mut self, store: &Store, clock: &str) -> Result<()> {
        let (last, changes) = store.stage_changes_after(self.last_change)?;
        self.last_change = last;
        let now = Instant::now();
        if let Some(latest) = changes.last() {
            self.ticker = Some((now, ticker(store, latest, clock)?));
        }
        for c in changes {
            self.marks.insert((c.method_id, c.unit_id), now);
        }
        self.marks.retain(|_, at| at.elapsed() < MARK_FOR);
        // The register's methods may have changed too: the figures and pages are read again.
        self.reload(store)
    }

    /// Reads what the open slide shows (or takes it from the pages read in this state of the
    /// register).
    pub fn reload(&mut self, store: &Store) -> Result<()> {
        let generation = store.generation()?;
        let key = match self.current() {
            SlideKind::Film => (self.slide, self.film.year),
            _ => (self.slide, 0),
        };
        if let Some((seen, page)) = self.pages.get(&key)
            && *seen == generation
        {
            self.page = page.clone();
            return Ok(());
        }
        let page = match self.current() {
            SlideKind::Title => Page::Title(self.title_page(store)?),
            SlideKind::Method(i) => Page::Method(Box::new(self.method_page(store, i)?)),
            SlideKind::Film => Page::Film(Box::new(self.film_page(store)?)),
            SlideKind::Stalled => {
                let (rows, total, not_heard) = self.stalled(store)?;
                Page::Stalled(rows, total, not_heard)
            }
        };
        self.pages.retain(|_, (seen, _)| *seen == generation);
        self.pages.insert(key, (generation, page.clone()));
        self.page = page;
        Ok(())
    }

    /// The units valid on the deck's day (read once per state of the register).
    fn units_on_day(&self, store: &Store) -> Result<Vec<Unit>> {
        let generation = store.generation()?;
        if let Some((seen, units)) = self.units.borrow().as_ref()
            && *seen == generation
        {
            return Ok(units.clone());
        }
        let units = store.matrix_units(MatrixColumns::ValidOn(self.moment.day))?;
        *self.units.borrow_mut() = Some((generation, units.clone()));
        Ok(units)
    }

    fn title_page(&self, store: &Store) -> Result<TitlePage> {
        let units = self.units_on_day(store)?;
        let unit_ids: Vec<i64> = units.iter().map(|u| u.id).collect();
        let ids: Vec<i64> = self.methods.iter().map(|m| m.id).collect();
        Ok(TitlePage {
            methods: self.methods.len(),
            districts: units
                .iter()
                .filter(|u| u.kind == crate::domain::UnitKind::District)
                .count(),
            in_use_somewhere: match &self.counts {
                Some((seen, counts)) if *seen == store.generation()? => ids
                    .iter()
                    .filter(|id| counts.get(id).is_some_and(|c| c.in_use() > 0))
                    .count(),
                _ => store.methods_in_use(&ids, &unit_ids, &self.moment)?,
            },
        })
    }

    fn method_page(&self, store: &Store, i: usize) -> Result<MethodPage> {
        let Some(m) = self.methods.get(i) else {
            anyhow::bail!("no method at slide {}", i + 1);
        };
        let method = store.method(m.id)?;
        let units = self.units_on_day(store)?;
        let unit_ids: Vec<i64> = units.iter().map(|u| u.id).collect();
        let cells = store.matrix_rows_rolled(&[m.id], &unit_ids, &self.moment)?;
        let (mut in_use, mut in_use_stale, mut districts) = (0, 0, 0);
        let mut kept = Vec::new();
        for u in units {
            let cell = cells.get(&(m.id, u.id)).cloned();
            let district = u.kind == crate::domain::UnitKind::District;
            if district {
                districts += 1;
                if let Some(c) = cell.as_ref().filter(|c| c.stage.in_use()) {
                    in_use += 1;
                    in_use_stale += usize::from(c.stale);
                }
            } else if cell.is_none() {
                // Central units and partners appear only where they have the method.
                continue;
            }
            let region = if district { u.region.clone() } else { None };
            kept.push((region, (u, cell)));
        }
        // Regions in their usual order, central units last.
        let groups = crate::domain::region::group(kept)
            .into_iter()
            .map(|(region, units)| UnitGroup { region, units })
            .collect();
        Ok(MethodPage {
            curve: store.adoption_curve(m.id, &self.moment)?,
            method,
            in_use,
            in_use_stale,
            districts,
            groups,
        })
    }

    /// The day a year of the film shows: its last day, or the deck's day in its own year.
    fn film_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.film.year, 12, 31)
            .unwrap_or(self.moment.day)
            .min(self.moment.day)
    }

    fn film_page(&self, store: &Store) -> Result<FilmPage> {
        let day = self.film_day();
        // Only what the screen can hold: today's districts (the deck's day), each with its
        // predecessors' history folded in, and the first methods.
        let (max_rows, max_columns) = crate::layout::film_window(self.size);
        let mut columns: Vec<Unit> = self
            .units_on_day(store)?
            .into_iter()
            .filter(|u| u.kind == crate::domain::UnitKind::District)
            .collect();
        let more_columns = columns.len().saturating_sub(max_columns);
        columns.truncate(max_columns);
        let unit_ids: Vec<i64> = columns.iter().map(|u| u.id).collect();
        let shown: Vec<&DeckMethod> = self.methods.iter().take(max_rows).collect();
        let ids: Vec<i64> = shown.iter().map(|m| m.id).collect();
        let cells = self.film_cells(store, &ids, &unit_ids, day)?;
        let rows = shown
            .iter()
            .map(|m| {
                let row = unit_ids
                    .iter()
                    .map(|u| cells.get(&(m.id, *u)).cloned())
                    .collect();
                ((*m).clone(), row)
            })
            .collect();
        Ok(FilmPage {
            year: self.film.year,
            day,
            columns,
            rows,
            more: self.methods.len().saturating_sub(shown.len()),
            more_columns,
            changes: self.year_changes(store, &ids, day)?,
        })
    }

    /// The film's cells on `day` for these methods and districts, worked out in memory from
    /// their history (read once per state of the register).
    fn film_cells(
        &self,
        store: &Store,
        ids: &[i64],
        unit_ids: &[i64],
        day: NaiveDate,
    ) -> Result<HashMap<(i64, i64), RolledCell>> {
        let generation = store.generation()?;
        let mut kept = self.film_history.borrow_mut();
        let current = matches!(&*kept, Some((seen, (m, u, _)))
            if *seen == generation && m == ids && u == unit_ids);
        if !current {
            let history = store.film_history(ids, unit_ids, &self.moment)?;
            *kept = Some((generation, (ids.to_vec(), unit_ids.to_vec(), history)));
        }
        Ok(kept
            .as_ref()
            .map(|(_, (_, _, h))| h.cells(ids, unit_ids, day))
            .unwrap_or_default())
    }

    /// What changed in the film's year up to `day`, for the methods on the grid: per method
    /// and stage, the units in the order they got there.
    fn year_changes(&self, store: &Store, ids: &[i64], day: NaiveDate) -> Result<Vec<YearChange>> {
        let from = NaiveDate::from_ymd_opt(self.film.year, 1, 1);
        let events = store.events_between(ids, from, day, &self.moment)?;
        let labels: HashMap<i64, &str> = self
            .methods
            .iter()
            .map(|m| (m.id, m.label.as_str()))
            .collect();
        let mut changes: Vec<YearChange> = Vec::new();
        for e in events {
            let method = labels.get(&e.method_id).copied().unwrap_or("").to_string();
            let unit = e.unit_name;
            match changes
                .iter_mut()
                .find(|c| c.method == method && c.stage == e.stage)
            {
                Some(c) if !c.units.contains(&unit) => c.units.push(unit),
                Some(_) => {}
                None => changes.push(YearChange {
                    method,
                    stage: e.stage,
                    units: vec![unit],
                }),
            }
        }
        Ok(changes)
    }

    /// The stalled pilots (fresh ones); when there are none, the stages not heard from, so
    /// the slide says whom to ask rather than that nothing is stuck.
    fn stalled(&self, store: &Store) -> Result<(Vec<Stalled>, usize, bool)> {
        let ids: Vec<i64> = self.methods.iter().map(|m| m.id).collect();
        let only = (!self.all_methods).then_some(ids.as_slice());
        let limit = usize::from(self.size.1).max(10);
        let scope = MetricsScope::new(self.moment);
        let (rows, total) = store.stalled_top(&scope, only, limit)?;
        if total > 0 {
            return Ok((rows, total, false));
        }
        let mut ask = store.not_heard_from(&scope, only)?;
        let total = ask.len();
        ask.truncate(limit);
        Ok((ask, total, true))
    }
}

/// The methods of `in_area` by spread on the day: units in use (implemented or sustained)
/// among the units valid then, most first, then units at pilot, then by name — the order
/// of the Matrix's `o`; and the counts they were ordered by.
fn by_spread(
    store: &Store,
    in_area: &[MethodLabel],
    moment: &Moment,
) -> Result<(Vec<DeckMethod>, HashMap<i64, StageCounts>)> {
    let units = store.matrix_units(MatrixColumns::ValidOn(moment.day))?;
    let unit_ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let ids: Vec<i64> = in_area.iter().map(|m| m.id).collect();
    let counts = store.matrix_counts(CountPer::Method, Some(&ids), &unit_ids, moment)?;
    let mut out: Vec<(u32, u32, usize, DeckMethod)> = in_area
        .iter()
        .enumerate()
        .map(|(order, MethodLabel { id, label, name })| {
            let c = counts.get(id).copied().unwrap_or_default();
            (
                c.in_use(),
                c[Stage::Pilot],
                order,
                DeckMethod {
                    id: *id,
                    label: label.clone(),
                    name: name.clone(),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Ok((out.into_iter().map(|(_, _, _, m)| m).collect(), counts))
}

/// The foot line's words for a change: method label, unit name, the stage.
fn ticker(store: &Store, c: &LiveChange, clock: &str) -> Result<Ticker> {
    Ok(Ticker {
        method: store.method(c.method_id)?.label().to_string(),
        unit: store.unit(c.unit_id)?.name,
        stage: c.stage,
        retracted: c.retracted,
        at: clock.to_string(),
    })
}
