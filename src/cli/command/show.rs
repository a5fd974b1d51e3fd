//! `spridning show method …` and `show unit …`: what the detail views show, in plain
//! sentences. For people who ask by voice or read braille, and for scripts: every question
//! the screens answer has an answer here too.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use super::{Context, moment_of};
use crate::cli::args::MomentArgs;
use crate::domain::text::printable;
use crate::domain::{CurrentStage, Method, Stage, UnitKind};
use crate::i18n::Lang;
use crate::store::{CurvePoint, Moment, Store};

/// What `show` says.
#[derive(Debug, Subcommand)]
pub enum ShowCommand {
    /// A method: its description, its units' stages and its spread over time.
    Method {
        /// Name or short name (case-insensitive).
        name: String,
        /// The day and knowledge shown.
        #[command(flatten)]
        when: MomentArgs,
    },
    /// A unit: what it is, its lineage and its methods' stages.
    Unit {
        /// Code or name (case-insensitive).
        name: String,
        /// The day and knowledge shown.
        #[command(flatten)]
        when: MomentArgs,
    },
}

impl ShowCommand {
    /// Says the method or unit, in the language of `--lang`.
    pub fn run(self, ctx: &mut Context) -> Result<()> {
        match self {
            ShowCommand::Method { name, when } => method(
                ctx.store,
                &name,
                &moment_of(ctx.store, &when)?,
                ctx.lang,
                ctx.out,
            ),
            ShowCommand::Unit { name, when } => unit(
                ctx.store,
                &name,
                &moment_of(ctx.store, &when)?,
                ctx.lang,
                ctx.out,
            ),
        }
    }
}

/// "Farsta (FA): Pilot since 2004-01, last heard 2004-02-26, 22 years ago — not heard from
/// in 24 months."; "Kista (KI): Implemented since 2004-01, until 2006-12-31 (then RK)."
fn stage_sentence(c: &CurrentStage, moment: &Moment, lang: Lang) -> String {
    let who = if c.label == c.name {
        printable(&c.name)
    } else {
        format!("{} ({})", printable(&c.name), printable(&c.label))
    };
    let mut s = match c.heard.parse::<chrono::NaiveDate>() {
        Ok(heard) if c.until.is_none() => format!(
            "{who}: {}",
            crate::domain::age::age_sentence(c.stage, &c.since, heard, moment.day, lang)
        ),
        _ => format!(
            "{who}: {} {} {}",
            c.stage.label(lang),
            lang.pick("sedan", "since"),
            printable(&c.since)
        ),
    };
    if c.stale {
        s.push_str(&format!(
            " — {}",
            crate::domain::age::stale_words(moment.fresh_months, lang)
        ));
    }
    if let Some(until) = &c.until {
        s.push_str(&format!(
            ", {} {}",
            lang.pick("till", "until"),
            printable(until)
        ));
        if let Some(then) = &c.then {
            s.push_str(&format!(
                " ({} {})",
                lang.pick("sedan dess", "then"),
                printable(then)
            ));
        }
    }
    s.push('.');
    s
}

/// A field as "Label: text." when it has text.
fn field(out: &mut (impl Write + ?Sized), label: &str, text: Option<&str>) -> Result<()> {
    if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
        writeln!(out, "{label}: {}", printable(t))?;
    }
    Ok(())
}

/// A method: what it is, how many districts use it, its units' stages, its spread over
/// time and how many events its history holds.
fn method(
    store: &Store,
    wanted: &str,
    moment: &Moment,
    lang: Lang,
    out: &mut (impl Write + ?Sized),
) -> Result<()> {
    let (id, _) = store.find_method(wanted)?;
    let d = store.method_detail(id, moment)?;
    let m = &d.method;
    method_description(m, lang, out)?;
    writeln!(out)?;
    let (in_use, stale, districts) = districts_in_use(store, &d.current, moment)?;
    writeln!(
        out,
        "{} {}: {} {}.",
        lang.pick("Läget", "As of"),
        moment.day,
        lang.pick("i ordinarie verksamhet i", "in ordinary use in"),
        crate::domain::age::in_use_of(in_use, stale, districts, moment.fresh_months, lang)
    )?;
    if d.current.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick("Ingen enhet har ett steg.", "No unit has a stage.")
        )?;
    } else {
        writeln!(out, "{}", lang.pick("Enheter:", "Units:"))?;
        for c in &d.current {
            writeln!(out, "  {}", stage_sentence(c, moment, lang))?;
        }
    }
    curve(&d.curve, lang, out)?;
    writeln!(
        out,
        "{}: {} {} (`spridning history --method {}`).",
        lang.pick("Historik", "History"),
        d.history.len(),
        lang.pick("händelser", "events"),
        printable(m.label())
    )?;
    Ok(())
}

/// The method's name, kind and area, then each descriptive field that has text.
fn method_description(m: &Method, lang: Lang, out: &mut (impl Write + ?Sized)) -> Result<()> {
    match &m.short_name {
        Some(s) if s != &m.name => writeln!(out, "{} – {}", printable(s), printable(&m.name))?,
        _ => writeln!(out, "{}", printable(&m.name))?,
    }
    let kind = m.kind.label(lang);
    if m.area.trim().is_empty() {
        writeln!(out, "{kind}.")?;
    } else {
        writeln!(
            out,
            "{kind}, {} {}.",
            lang.pick("område", "area"),
            printable(&m.area)
        )?;
    }
    field(
        out,
        lang.pick("Beskrivning", "Description"),
        Some(&m.description),
    )?;
    field(
        out,
        lang.pick("Målgrupp", "Target group"),
        m.target_group.as_deref(),
    )?;
    field(out, lang.pick("Ursprung", "Origin"), m.origin.as_deref())?;
    field(out, lang.pick("Evidens", "Evidence"), m.evidence.as_deref())?;
    field(out, lang.pick("Länk", "Link"), m.evidence_link.as_deref())?;
    field(out, lang.pick("Kontakt", "Contact"), m.contact.as_deref())?;
    Ok(())
}

/// The districts valid on the day where the method is in use, and how many districts there
/// are.
fn districts_in_use(
    store: &Store,
    current: &[CurrentStage],
    moment: &Moment,
) -> Result<(usize, usize, usize)> {
    let districts = store
        .units()?
        .into_iter()
        .filter(|u| u.kind == UnitKind::District && u.valid_on(moment.day))
        .collect::<Vec<_>>();
    let in_use: Vec<&CurrentStage> = current
        .iter()
        .filter(|c| {
            c.until.is_none()
                && matches!(c.stage, Stage::Implemented | Stage::Sustained)
                && districts.iter().any(|u| u.code == c.label)
        })
        .collect();
    let stale = in_use.iter().filter(|c| c.stale).count();
    Ok((in_use.len(), stale, districts.len()))
}

/// The adoption curve: the years where a figure changed, and the last year.
fn curve(points: &[CurvePoint], lang: Lang, out: &mut (impl Write + ?Sized)) -> Result<()> {
    if points.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        lang.pick(
            "Spridning över tid (enheter vid årets slut, de med besked inom färskhetsmånaderna; år då något ändrades):",
            "Spread over time (units at each year's end, those heard from within the fresh months; the years it changed):"
        )
    )?;
    let mut last = None;
    for (i, p) in points.iter().enumerate() {
        let now = (p.reached, p.in_use);
        let final_year = i + 1 == points.len();
        if last == Some(now) && !final_year {
            continue;
        }
        last = Some(now);
        writeln!(
            out,
            "  {}: {} {}, {} {}.",
            p.year,
            p.reached,
            lang.pick("pilot eller längre", "pilot or beyond"),
            p.in_use,
            lang.pick("implementerad eller längre", "implemented or beyond")
        )?;
    }
    Ok(())
}

/// A unit: what it is, its lineage, its methods' stages and how many events its history
/// holds.
fn unit(
    store: &Store,
    wanted: &str,
    moment: &Moment,
    lang: Lang,
    out: &mut (impl Write + ?Sized),
) -> Result<()> {
    let (id, _) = store.find_unit(wanted)?;
    let d = store.unit_detail(id, moment)?;
    let u = &d.unit;
    let kind = u.kind.label(lang);
    let region = u
        .region
        .as_deref()
        .map(|r| format!(", {}", printable(r)))
        .unwrap_or_default();
    let valid = match (u.valid_from, u.valid_to) {
        (None, None) => String::new(),
        (from, to) => format!(
            ", {} {}–{}",
            lang.pick("giltig", "valid"),
            from.map(|d| d.to_string()).unwrap_or_default(),
            to.map(|d| d.to_string()).unwrap_or_default()
        ),
    };
    writeln!(
        out,
        "{} ({}): {kind}{region}{valid}.",
        printable(&u.name),
        printable(&u.code)
    )?;
    if !d.predecessors.is_empty() {
        writeln!(
            out,
            "{}: {}.",
            lang.pick("Tog över efter", "Took over from"),
            printable(&d.predecessors.join(", "))
        )?;
    }
    if let Some(s) = &u.successor {
        writeln!(
            out,
            "{}: {}.",
            lang.pick("Efterträddes av", "Succeeded by"),
            printable(s)
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{} {}: {} {}.",
        lang.pick("Läget", "As of"),
        moment.day,
        d.current.len(),
        lang.pick("metoder med ett steg", "methods with a stage")
    )?;
    for c in &d.current {
        writeln!(out, "  {}", stage_sentence(c, moment, lang))?;
    }
    writeln!(
        out,
        "{}: {} {} (`spridning history --unit {}`).",
        lang.pick("Historik", "History"),
        d.history.len(),
        lang.pick("händelser", "events"),
        printable(&u.code)
    )?;
    Ok(())
}
