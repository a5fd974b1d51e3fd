//! A deterministic generator of large spridning databases, for the benchmark and the scale
//! tests (`cargo run --release --example gen_scale -- --out FILE --units N …`). It writes
//! through the store's own code: realistic Swedish names with å/ä/ö, stages that mostly move
//! forward and sometimes back or out, dates over 25 years, notes of realistic length.
//!
//! Test support: built only with the `dev` feature (on for tests, benches and examples).

#![warn(missing_docs)]

use std::path::Path;

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};

use crate::domain::{EventDate, MethodKind, Stage};
use crate::store::{BulkEvent, MethodInput, Store, UnitInput};

/// The sizes of a generated database, and the seed that makes it the same every time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// Units, Stockholm's own included.
    pub units: usize,
    /// Methods.
    pub methods: usize,
    /// Distinct (method, unit) pairs with events; at most methods × units.
    pub adoptions: usize,
    /// Stage events, at least one per adoption.
    pub events: usize,
    /// The random generator's seed.
    pub seed: u64,
}

impl Spec {
    /// M: 100 units, 200 methods, 20 000 adoptions, 100 000 events.
    pub const M: Spec = Spec {
        units: 100,
        methods: 200,
        adoptions: 20_000,
        events: 100_000,
        seed: 7,
    };
    /// L: 1 000 units, 1 000 methods, 200 000 adoptions, 1 000 000 events.
    pub const L: Spec = Spec {
        units: 1_000,
        methods: 1_000,
        adoptions: 200_000,
        events: 1_000_000,
        seed: 7,
    };
}

/// SplitMix64: small, fast and the same on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const PLACES: &[&str] = &[
    "Åby", "Älvdal", "Öster", "Mälar", "Södra", "Norra", "Björk", "Ängs", "Sjö", "Skär", "Hög",
    "Lund", "Berg", "Vik", "Ås", "Näs", "Hammar", "Kvarn", "Torp", "Håll",
];
const SUFFIXES: &[&str] = &[
    "torp", "sund", "vik", "åsen", "dalen", "ängen", "höjden", "näs", "by", "holm",
];
const REGIONS: &[&str] = &["innerstad", "söderort", "västerort", "norrort", "länet"];
const METHOD_HEADS: &[&str] = &[
    "Kartläggning",
    "Samverkan",
    "Stöd",
    "Vägledning",
    "Rådgivning",
    "Uppföljning",
    "Motivation",
    "Bedömning",
    "Handledning",
    "Återgång",
    "Föräldrastöd",
    "Språkträning",
];
const METHOD_TAILS: &[&str] = &[
    "i försörjningsstöd",
    "för unga vuxna",
    "vid sjukskrivning",
    "med arbetsgivare",
    "för nyanlända",
    "i öppenvård",
    "för långtidsarbetslösa",
    "med vårdcentral",
    "i grupp",
    "för föräldrar",
    "med Försäkringskassan",
    "på mottagningen",
];
const AREAS: &[&str] = &[
    "försörjningsstöd",
    "arbetsmarknad",
    "socialmedicin",
    "barn och unga",
    "missbruk",
    "sfi",
    "integration",
    "socialpsykiatri",
    "boende",
    "äldre",
];
const NOTE_PARTS: &[&str] = &[
    "Enheten har beviljats utvecklingsmedel för en pilot under året.",
    "Två socialsekreterare har gått utbildningen och börjat använda metoden.",
    "Arbetet följs upp kvartalsvis av enhetschefen tillsammans med FoU-enheten.",
    "Metoden används nu i ordinarie verksamhet på mottagningsenheten.",
    "Projektet pausades när nyckelpersoner slutade; ny ansökan planeras.",
    "Studiebesök i grannstadsdelen gav underlag för beslut om införande.",
    "Samverkan med Arbetsförmedlingen och vårdcentralen har formaliserats.",
    "Uppföljningen visar att fler klienter gått vidare till arbete eller studier.",
    "Medel saknas för att fortsätta efter projekttidens slut.",
    "Brukarnas synpunkter har samlats in och metoden anpassats därefter.",
];

fn code(i: usize) -> String {
    // 2–4 uppercase letters, unique per i, avoiding Stockholm's own codes by a "Z" or "Q" lead.
    let letters = b"ABCDEFGHIJKLMNOPRSTUVXY";
    let n = letters.len();
    let lead = if i < n * n { 'Z' } else { 'Q' };
    let j = i % (n * n);
    format!("{lead}{}{}", letters[j / n] as char, letters[j % n] as char)
}

fn note(rng: &mut Rng) -> String {
    let parts = 1 + rng.below(3);
    (0..parts)
        .map(|_| rng.pick(NOTE_PARTS))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The next stage of an adoption: mostly forward, sometimes back to paused, sometimes out.
fn next_stage(rng: &mut Rng, current: Option<Stage>) -> Stage {
    let roll = rng.below(100);
    match current {
        None => [Stage::Exploring, Stage::Preparing, Stage::Pilot][rng.below(3)],
        Some(Stage::Discontinued) => Stage::Exploring,
        Some(Stage::Paused) if roll < 60 => Stage::Pilot,
        Some(_) if roll < 8 => Stage::Paused,
        Some(_) if roll < 12 => Stage::Discontinued,
        Some(s) => match s {
            Stage::Exploring => Stage::Preparing,
            Stage::Preparing => Stage::Pilot,
            Stage::Pilot => Stage::Implemented,
            Stage::Implemented | Stage::Sustained => Stage::Sustained,
            Stage::Paused => Stage::Discontinued,
            Stage::Discontinued => Stage::Exploring,
        },
    }
}

/// Writes a new database at `path` with `spec`'s sizes (units include Stockholm's own).
pub fn generate(path: &Path, spec: &Spec) -> Result<()> {
    let mut store = Store::create(path, "generator", None)?;
    let builtin = store.units()?.len();
    if spec.units < builtin {
        bail!("at least {builtin} units (Stockholm's own) are needed");
    }
    if spec.adoptions > spec.methods * spec.units || spec.events < spec.adoptions {
        bail!("adoptions must fit methods × units, and events must be at least adoptions");
    }
    let mut rng = Rng::new(spec.seed);
    store.add_units_bulk(&extra_units(&mut rng, spec.units - builtin))?;
    let units = unit_spans(&store)?;
    let method_ids = store.add_methods_bulk(&methods(&mut rng, spec.methods))?;
    let events = events(&mut rng, spec, &units, &method_ids);
    store.add_events_bulk(events.into_iter())?;
    store.checkpoint()?;
    Ok(())
}

/// `n` units besides Stockholm's, every 17th a partner, the rest districts.
fn extra_units(rng: &mut Rng, n: usize) -> Vec<UnitInput> {
    (0..n)
        .map(|i| UnitInput {
            code: code(i),
            name: format!("{}{} {}", rng.pick(PLACES), rng.pick(SUFFIXES), i + 1),
            kind: if i % 17 == 0 {
                crate::domain::UnitKind::Partner
            } else {
                crate::domain::UnitKind::District
            },
            region: Some(rng.pick(REGIONS).to_string()),
            valid_from: None,
            valid_to: None,
            successor: None,
            ..UnitInput::default()
        })
        .collect()
}

/// Every unit with the first and last day of its years within 2001–2025: its events fall
/// within them.
fn unit_spans(store: &Store) -> Result<Vec<(i64, NaiveDate, NaiveDate)>> {
    let first = NaiveDate::from_ymd_opt(2001, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or(NaiveDate::MAX);
    Ok(store
        .units()?
        .into_iter()
        .map(|u| {
            let from = u.valid_from.unwrap_or(first).max(first);
            let to = u.valid_to.unwrap_or(last).min(last);
            (u.id, from, to)
        })
        .collect())
}

/// `n` methods with Swedish names, short names `M1`, `M2`, … and a description.
fn methods(rng: &mut Rng, n: usize) -> Vec<MethodInput> {
    (0..n)
        .map(|i| MethodInput {
            name: format!(
                "{} {} {}",
                rng.pick(METHOD_HEADS),
                rng.pick(METHOD_TAILS),
                i + 1
            ),
            short_name: Some(format!("M{}", i + 1)),
            kind: MethodKind::ALL[i % 3],
            area: rng.pick(AREAS).to_string(),
            description: note(rng),
            ..Default::default()
        })
        .collect()
}

/// The events. Adoption k: method k mod M, and for that method the (k / M)-th unit after an
/// offset, so every pair is distinct. Events are spread over adoptions, 1 to 2×mean each.
fn events(
    rng: &mut Rng,
    spec: &Spec,
    units: &[(i64, NaiveDate, NaiveDate)],
    method_ids: &[i64],
) -> Vec<BulkEvent> {
    let per = spec.events / spec.adoptions;
    let mut remaining = spec.events;
    let mut events = Vec::with_capacity(spec.events);
    for k in 0..spec.adoptions {
        let m = k % method_ids.len();
        let offset = (m * 7919) % units.len();
        let (unit, from, to) = units[(offset + k / method_ids.len()) % units.len()];
        let left = spec.adoptions - k - 1;
        let count = if left == 0 {
            remaining
        } else {
            (1 + rng.below(2 * per)).min(remaining - left).max(1)
        };
        remaining -= count;
        let span = (to - from).num_days().max(1) as usize;
        let mut day = from + chrono::Days::new(rng.below(span) as u64);
        let mut stage = None;
        for _ in 0..count {
            let s = next_stage(rng, stage);
            stage = Some(s);
            events.push(BulkEvent {
                method_id: method_ids[m],
                unit_id: unit,
                stage: s,
                date: event_date(rng, day, from),
                note: note(rng),
                recorded_at: format!("{}T12:00:00Z", day.format("%Y-%m-%d")),
                recorded_by: format!("user{}", rng.below(50)),
            });
            day = (day + chrono::Days::new(30 + rng.below(400) as u64)).min(to);
        }
    }
    events
}

/// An event's date: now and then only its month, where the whole month lies within the
/// unit's years (which begin on `from`).
fn event_date(rng: &mut Rng, day: NaiveDate, from: NaiveDate) -> EventDate {
    if rng.below(5) == 0 && day.day() > 1 && from.year() < day.year() {
        EventDate::Month {
            year: day.year(),
            month: day.month(),
        }
    } else {
        EventDate::Day(day)
    }
}
