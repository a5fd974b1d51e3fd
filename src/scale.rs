//! A deterministic generator of large spridning databases, for the benchmark and the scale
//! tests (`cargo run --release --example gen_scale -- --out FILE --units N …`). It writes
//! through the store's own code: realistic Swedish names with å/ä/ö, stages that mostly move
//! forward and sometimes back or out, dates over 25 years, notes of realistic length.

use std::path::Path;

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};

use crate::domain::{EventDate, MethodKind, Stage};
use crate::store::{BulkEvent, MethodInput, Store, UnitInput};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub units: usize,
    pub methods: usize,
    pub adoptions: usize,
    pub events: usize,
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
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

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
    let builtin = store.units()?;
    if spec.units < builtin.len() {
        bail!(
            "at least {} units (Stockholm's own) are needed",
            builtin.len()
        );
    }
    if spec.adoptions > spec.methods * spec.units || spec.events < spec.adoptions {
        bail!("adoptions must fit methods × units, and events must be at least adoptions");
    }
    let mut rng = Rng::new(spec.seed);
    let extra: Vec<UnitInput> = (0..spec.units - builtin.len())
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
        .collect();
    store.add_units_bulk(&extra)?;
    // Every unit takes adoptions; its events fall within the years it existed.
    let first = NaiveDate::from_ymd_opt(2001, 1, 1).unwrap_or(NaiveDate::MIN);
    let last = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap_or(NaiveDate::MAX);
    let units: Vec<(i64, NaiveDate, NaiveDate)> = store
        .units()?
        .into_iter()
        .map(|u| {
            let from = u.valid_from.unwrap_or(first).max(first);
            let to = u.valid_to.unwrap_or(last).min(last);
            (u.id, from, to)
        })
        .collect();
    let methods: Vec<MethodInput> = (0..spec.methods)
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
            description: note(&mut rng),
            ..Default::default()
        })
        .collect();
    let method_ids = store.add_methods_bulk(&methods)?;
    // Adoption k: method k mod M, and for that method the (k / M)-th unit after an offset,
    // so every pair is distinct. Events are spread over adoptions, 1 to 2×mean each.
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
            let s = next_stage(&mut rng, stage);
            stage = Some(s);
            events.push(BulkEvent {
                method_id: method_ids[m],
                unit_id: unit,
                stage: s,
                // A month only where the whole month lies within the unit's years.
                date: if rng.below(5) == 0
                    && chrono::Datelike::day(&day) > 1
                    && from.year() < day.year()
                {
                    EventDate::Month {
                        year: chrono::Datelike::year(&day),
                        month: chrono::Datelike::month(&day),
                    }
                } else {
                    EventDate::Day(day)
                },
                note: note(&mut rng),
                recorded_at: format!("{}T12:00:00Z", day.format("%Y-%m-%d")),
                recorded_by: format!("user{}", rng.below(50)),
            });
            day = (day + chrono::Days::new(30 + rng.below(400) as u64)).min(to);
        }
    }
    store.add_events_bulk(events.into_iter())?;
    store.checkpoint()?;
    Ok(())
}
