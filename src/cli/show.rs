//! What the detail views and the Activity tab show, for the command line: `spridning show
//! method …` and `show unit …` in plain sentences, `spridning activity` as a table. For people
//! who ask by voice or read braille, and for scripts: every question the screens answer has
//! an answer here too.

use std::io::Write;

use anyhow::Result;

use super::ListFormat;
use super::output::{Table, write_json};
use crate::domain::text::printable;
use crate::domain::{Change, ChangeKind, CurrentStage, Stage};
use crate::i18n::Lang;
use crate::store::{Moment, Store};

/// "Kista (KI): Implemented since 2004-01, until 2006-12-31 (then RK)."
fn stage_sentence(c: &CurrentStage, lang: Lang) -> String {
    let who = if c.label == c.name {
        printable(&c.name)
    } else {
        format!("{} ({})", printable(&c.name), printable(&c.label))
    };
    let mut s = format!(
        "{who}: {} {} {}",
        c.stage.label(lang),
        lang.pick("sedan", "since"),
        printable(&c.since)
    );
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
fn field(out: &mut impl Write, label: &str, text: Option<&str>) -> Result<()> {
    if let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) {
        writeln!(out, "{label}: {}", printable(t))?;
    }
    Ok(())
}

pub fn method(
    store: &Store,
    wanted: &str,
    moment: &Moment,
    lang: Lang,
    out: &mut impl Write,
) -> Result<()> {
    let (id, _) = store.find_method(wanted)?;
    let d = store.method_detail(id, moment)?;
    let m = &d.method;
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
    writeln!(out)?;
    let districts = store
        .units()?
        .into_iter()
        .filter(|u| u.kind == crate::domain::UnitKind::District && u.valid_on(moment.day))
        .collect::<Vec<_>>();
    let in_use = d
        .current
        .iter()
        .filter(|c| {
            c.until.is_none()
                && matches!(c.stage, Stage::Implemented | Stage::Sustained)
                && districts.iter().any(|u| u.code == c.label)
        })
        .count();
    writeln!(
        out,
        "{} {}: {} {in_use} {} {} {}.",
        lang.pick("Läget", "As of"),
        moment.day,
        lang.pick("i ordinarie verksamhet i", "in ordinary use in"),
        lang.pick("av", "of"),
        districts.len(),
        lang.pick("stadsdelar", "districts")
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
            writeln!(out, "  {}", stage_sentence(c, lang))?;
        }
    }
    if !d.curve.is_empty() {
        writeln!(
            out,
            "{}",
            lang.pick(
                "Spridning över tid (enheter, sammanlagt vid årets slut; år då något ändrades):",
                "Spread over time (units, cumulative at each year's end; the years it changed):"
            )
        )?;
        // The years where a figure changed, and the last year.
        let mut last = None;
        for (i, p) in d.curve.iter().enumerate() {
            let now = (p.reached, p.in_use);
            let final_year = i + 1 == d.curve.len();
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
    }
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

pub fn unit(
    store: &Store,
    wanted: &str,
    moment: &Moment,
    lang: Lang,
    out: &mut impl Write,
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
        writeln!(out, "  {}", stage_sentence(c, lang))?;
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

const ACTIVITY_HEADER: [&str; 7] = ["id", "at", "by", "change", "method", "unit", "what"];

fn activity_row(c: &Change, lang: Lang) -> Vec<String> {
    let what = match (c.kind, &c.event) {
        (ChangeKind::Event, Some(e)) => format!("{} {}", e.stage.code(), e.date),
        (ChangeKind::Retraction, Some(e)) => format!(
            "{} {} {}: {}",
            e.stage.code(),
            e.date,
            lang.pick("återkallad", "retracted"),
            e.retraction
                .as_ref()
                .map(|r| r.reason.clone())
                .unwrap_or_default()
        ),
        _ => c.fields_in_words(lang),
    };
    vec![
        c.id.to_string(),
        c.at.clone(),
        c.login.clone(),
        c.kind.label(lang).to_string(),
        c.method.clone(),
        c.unit.clone(),
        what,
    ]
}

/// The latest changes under an Activity filter (the same terms as the tab's `/`), newest
/// first, at most `limit`.
pub fn activity(
    store: &Store,
    filter: &str,
    limit: usize,
    (format, excel, lang): (ListFormat, bool, Lang),
    out: &mut impl Write,
) -> Result<()> {
    let plan = store.activity_plan(filter)?;
    let rows: Vec<Vec<String>> = store
        .activity(&plan, 0, limit)?
        .iter()
        .map(|c| activity_row(c, lang))
        .collect();
    match format {
        ListFormat::Json => {
            let objects: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        ACTIVITY_HEADER
                            .iter()
                            .zip(r)
                            .map(|(k, v)| (k.to_string(), v.clone().into()))
                            .collect(),
                    )
                })
                .collect();
            write_json(out, &objects)
        }
        _ => {
            let mut t = Table::new(&ACTIVITY_HEADER);
            for r in rows {
                t.push(r);
            }
            if format == ListFormat::Csv {
                t.write_csv(out, excel)
            } else {
                t.write_aligned(out)
            }
        }
    }
}
