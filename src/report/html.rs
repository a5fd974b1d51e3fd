//! The web report (`spridning report --format html`): one self-contained page for people who
//! will not open a terminal. Written through maud, which escapes every value it is given, so
//! a note holding `<script>` is shown as text. Inline CSS and inline SVG only: no script, no
//! font, no URL of any kind, so it opens the same from a mail attachment as from a share.
//!
//! Sections, each starting a new page in print (A4 landscape, table headers repeated on every
//! page) but the matrix, which starts under the summary on page 1: summary figures; the
//! matrix (headers sticky on screen); per method its curve and its units by region (a
//! method's block never split); the figures per method and per unit; stalled pilots; stages
//! not heard from; the history of the methods shown; and what the report is and what every
//! figure counts.
//!
//! The page stays useful at any register size: without `--full` (`ReportScope::full`) each
//! large section keeps to its cap — the `METHODS_SHOWN` methods with a stage in the most
//! units (matrix rows, methods' blocks, figures per method), the `UNITS_SHOWN` units where
//! those have the most stages (matrix columns, figures per unit), the `LIST_ROWS_SHOWN`
//! longest stalled pilots and oldest stages not heard from, the latest `HISTORY_SHOWN`
//! events — and says in a line what it left out, how many, and the command that writes it
//! all (`--full`, with the same day, methods and language; `--methods` and `--area` choose
//! other methods). The sample is shown whole; at L the page is about 2 MB instead of 66.
//! With `--full` everything is written but the history past `HISTORY_LIMIT` events, which
//! the line leaves to the workbook.

use std::io::Write;

use anyhow::Result;
use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::{
    ReportData, ReportScope, cell_text, figure_headings, fill, known_text, stage_text, svg,
};
use crate::domain::region;
use crate::domain::text::printable;
use crate::domain::{EventDate, EventRow, Method, Stage, Unit};
use crate::i18n::Lang;
use crate::store::{Metrics, RolledCell, Store};

/// The matrix, the methods' sections and the figures per method show at most this many
/// methods (without `--full`): those with a stage in the most units, in their order. The
/// sample's 77 fit whole; at L (1 000 methods) the matrix alone was 20 MB and Chromium did
/// not print the page in seven minutes. A hundred rows is more than a board reads anyway;
/// `--methods` and `--area` choose others.
pub const METHODS_SHOWN: usize = 100;

/// The matrix's columns and the figures per unit show at most this many units (without
/// `--full`): those where the methods shown have the most stages, in their order. The
/// sample's 29 (with `--all`) fit whole; at L (1 000 units) each matrix row was 21 kB, and
/// a table that wide is read by no one (printed, A4 landscape holds about 20 columns).
pub const UNITS_SHOWN: usize = 30;

/// The stalled pilots and the stages not heard from show at most this many rows each
/// (without `--full`), the longest and the oldest first. The sample's 114 stages not heard
/// from (with `--all`) fit whole; at L they were 151 281 rows, 27 MB.
pub const LIST_ROWS_SHOWN: usize = 300;

/// The history shows at most this many events, the latest (without `--full`). The sample's
/// 157 fit whole; at L 10 000 events were 4.6 MB, nearly the page's 5 MB by themselves.
pub const HISTORY_SHOWN: usize = 1_000;

/// With `--full` the history shows at most this many events, the latest: at L a million
/// events would be a page of some 450 MB no browser opens. The workbook holds them all, and
/// the line says so.
pub const HISTORY_LIMIT: usize = 10_000;

/// A method's units without a stage are named up to this many, then counted.
const UNNAMED_AFTER: usize = 30;

/// The page's own style: readable on screen, sticky matrix headers, and a print stylesheet
/// for A4 landscape. Colours: text #1a1a1a on white (17.4:1), muted #595959 (7.0:1), the
/// stage fills of `super::fill` (each ≥ 7:1 with the text).
const CSS: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1a1a1a; background: #fff; margin: 1.5rem; line-height: 1.45; }
h1 { font-size: 1.8rem; margin: 0 0 .3rem; }
h2 { font-size: 1.4rem; margin: 1.5rem 0 .6rem; border-bottom: 2px solid #1a1a1a; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .3rem; }
.muted, figcaption, caption { color: #595959; }
caption { text-align: left; caption-side: top; padding: .2rem 0; }
.figures { display: flex; flex-wrap: wrap; gap: .8rem; padding: 0; list-style: none; }
.figures li { border: 1px solid #8c8c8c; border-radius: 4px; padding: .5rem .9rem; min-width: 9rem; }
.figures .n { display: block; font-size: 2rem; font-weight: 700; }
.legend { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; list-style: none; }
.legend li { padding: .1rem .5rem; border: 1px solid #bfbfbf; }
.scroll { overflow: auto; max-height: 85vh; border: 1px solid #bfbfbf; }
/* The matrix's parts for paper (a wide matrix), hidden on screen. */
.print-only { display: none; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border: 1px solid #bfbfbf; padding: .2rem .45rem; text-align: left; vertical-align: top; }
/* Numbers and dates never break (a date would wrap at its hyphen: "2003-/01-01"). */
td.num, td.date, .nowrap { white-space: nowrap; }
thead th { background: #f2f2f2; }
.matrix thead th { position: sticky; top: 0; z-index: 1; }
.matrix tbody th { position: sticky; left: 0; background: #fafafa; }
.matrix thead th:first-child { left: 0; z-index: 2; }
.matrix td { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.method { break-inside: avoid; margin-bottom: 1.5rem; }
.method-body { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure { margin: 0; }
.curve text { font-size: 11px; fill: #1a1a1a; }
.key-reached { color: #1f5fa8; } .key-in-use { color: #1a7f37; }
code { background: #f2f2f2; padding: 0 .2rem; }
dt { font-weight: 700; margin-top: .4rem; }
dd { margin-left: 1.2rem; }
/* A cap's line: what the page left out and the command that writes it all. */
.left-out { border-left: 4px solid #595959; padding-left: .6rem; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; font-size: 9pt; }
  /* Each section starts a page, but the matrix starts under the summary on page 1. */
  section { break-before: page; }
  section:first-of-type, section#matrix { break-before: auto; }
  .scroll { overflow: visible; max-height: none; border: 0; }
  .matrix thead th, .matrix tbody th { position: static; }
  .matrix td, .matrix-part td { white-space: normal; }
  .screen-only { display: none; }
  table.print-only { display: table; margin-bottom: 1rem; }
  .matrix-part + .matrix-part { break-before: page; }
  table { font-size: 7.5pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  td, th, .legend li { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Writes the page to `out`.
pub fn write_html(store: &Store, scope: &ReportScope, out: &mut dyn Write) -> Result<()> {
    let data = ReportData::read(store, scope)?;
    let limit = if scope.full {
        HISTORY_LIMIT
    } else {
        HISTORY_SHOWN
    };
    let (events, total) = store.latest_events(scope.methods.as_deref(), limit)?;
    let shown = Shown::of(&data, scope.full);
    let full = full_command(&data, scope, store.fresh_months()?);
    let lang = scope.lang;
    let page = html! {
        (DOCTYPE)
        html lang=(lang.pick("sv", "en")) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (data.title) " – " (scope.moment.day) }
                style { (PreEscaped(CSS)) }
            }
            body {
                header {
                    h1 { (data.title) }
                    p { (front_line(&data, scope)) }
                }
                (summary(&data, scope))
                (matrix(&data, &shown, &full, lang, scope.roll_up))
                section id="methods" {
                    h2 { (lang.pick("Metoderna", "The methods")) }
                    @if shown.methods.len() < data.rows.len() {
                        (left_out(&[methods_shown(shown.methods.len(), data.rows.len(), lang)], true, &full, lang))
                    }
                    @for &i in &shown.methods {
                        @let (method, cells) = &data.rows[i];
                        (method_article(&data, method, cells, data.curves.get(&method.id).map(Vec::as_slice).unwrap_or(&[]), lang))
                    }
                }
                (figures(&data, &shown, &full, lang))
                (stalled(&data, (shown.list_rows, scope.metrics().stalled_after), &full, lang))
                (not_heard_from(&data, shown.list_rows, &full, lang))
                @if let Some(report) = &data.round {
                    (round_section(report, (shown.list_rows, &full), lang))
                }
                (history(&events, total, &data, scope, &full))
                (about(&data, scope))
            }
        }
    };
    out.write_all(page.into_string().as_bytes())?;
    Ok(())
}

/// "As of 2026-11-23 · as known: everything recorded · predecessors' history not folded in".
fn front_line(data: &ReportData, scope: &ReportScope) -> String {
    let lang = scope.lang;
    format!(
        "{} {} · {}: {} · {} · {} {} {} {}",
        lang.pick("Läget den", "As of"),
        scope.moment.day,
        lang.pick("som det var känt", "as known at"),
        known_text(&scope.moment, lang),
        if scope.roll_up {
            lang.pick(
                "föregångarnas historik inräknad (i parentes)",
                "predecessors' history folded in (in parentheses)",
            )
        } else {
            lang.pick(
                "föregångarnas historik inte inräknad",
                "predecessors' history not folded in",
            )
        },
        lang.pick("gjord", "made"),
        made_in_words(&data.made_at, lang),
        lang.pick("av", "by"),
        printable(&data.made_by),
    )
}

/// What the page shows of the data: everything with `--full`, else each section to its cap.
struct Shown {
    /// The rows of `ReportData::rows` shown, in their order: the methods with a stage in the
    /// most units (the matrix's columns), at most `METHODS_SHOWN`.
    methods: Vec<usize>,
    /// The units of `ReportData::units` shown as the matrix's columns, in their order: those
    /// where the methods shown have the most stages, at most `UNITS_SHOWN`.
    units: Vec<usize>,
    /// The most rows of each work list (stalled pilots, stages not heard from).
    list_rows: usize,
}

impl Shown {
    fn of(data: &ReportData, full: bool) -> Shown {
        if full {
            return Shown {
                methods: (0..data.rows.len()).collect(),
                units: (0..data.units.len()).collect(),
                list_rows: usize::MAX,
            };
        }
        let stages = |cells: &[Option<RolledCell>]| cells.iter().filter(|c| c.is_some()).count();
        let methods = largest(
            data.rows.iter().map(|(_, cells)| stages(cells)),
            METHODS_SHOWN,
        );
        let mut per_unit = vec![0; data.units.len()];
        for &i in &methods {
            for (n, cell) in per_unit.iter_mut().zip(&data.rows[i].1) {
                *n += usize::from(cell.is_some());
            }
        }
        Shown {
            methods,
            units: largest(per_unit.into_iter(), UNITS_SHOWN),
            list_rows: LIST_ROWS_SHOWN,
        }
    }
}

/// The positions of the `n` largest counts (a tie: the earlier first), in their own order.
fn largest(counts: impl Iterator<Item = usize>, n: usize) -> Vec<usize> {
    let mut counts: Vec<(usize, usize)> = counts.enumerate().collect();
    if counts.len() > n {
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts.truncate(n);
    }
    let mut kept: Vec<usize> = counts.into_iter().map(|(i, _)| i).collect();
    kept.sort_unstable();
    kept
}

/// "Showing 100 of 1000 methods, those with a stage in the most units; 900 more are not
/// shown."
fn showing(shown: usize, total: usize, what: &str, lang: Lang) -> String {
    format!(
        "{} {shown} {} {total} {what}; {} {}",
        lang.pick("Visar", "Showing"),
        lang.pick("av", "of"),
        total - shown,
        lang.pick("till finns inte med.", "more are not shown."),
    )
}

/// The line of the methods' cap.
fn methods_shown(shown: usize, total: usize, lang: Lang) -> String {
    showing(
        shown,
        total,
        lang.pick(
            "metoder, de som har steg i flest enheter",
            "methods, those with a stage in the most units",
        ),
        lang,
    )
}

/// The line of the units' cap.
fn units_shown(shown: usize, total: usize, lang: Lang) -> String {
    showing(
        shown,
        total,
        lang.pick(
            "enheter, de där metoderna som visas har flest steg",
            "units, those where the methods shown have the most stages",
        ),
        lang,
    )
}

/// A cap's line: what is shown of how many and how many are left out (a sentence for each
/// cap), how to choose other methods (`choose`), and the command that writes all of it.
fn left_out(what: &[String], choose: bool, command: &str, lang: Lang) -> Markup {
    html! {
        p class="left-out" {
            @for sentence in what {
                strong { (sentence) } " "
            }
            @if choose {
                (lang.pick("Välj metoderna med", "Choose the methods with")) " "
                code { "--methods" } " " (lang.pick("eller", "or")) " " code { "--area" } "; "
                (lang.pick("allt:", "all of it:"))
            } @else {
                (lang.pick("Allt:", "All of it:"))
            }
            " " code { (command) }
        }
    }
}

/// A word as a shell reads it: as it is when it holds nothing the shell would read, else in
/// single quotes.
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_alphanumeric() || "-_.,:/+@%=".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// The command that writes this page with nothing left out: the same database, language,
/// day, knowledge, units, roll-up, methods and round, and `--full`.
fn full_command(data: &ReportData, scope: &ReportScope, fresh_months: u32) -> String {
    let moment = &scope.moment;
    let mut words: Vec<String> = vec![
        "spridning".into(),
        "--db".into(),
        shell_word(&data.database),
        "--lang".into(),
        scope.lang.pick("sv", "en").into(),
        "report".into(),
        "--full".into(),
    ];
    if !moment.is_today() {
        words.extend(["--as-of".into(), moment.day.to_string()]);
    }
    if let Some(at) = moment.known_at {
        let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        words.extend(["--known-at".into(), at]);
    }
    if moment.all_units {
        words.push("--all".into());
    }
    if moment.fresh_months != fresh_months {
        words.extend(["--fresh-months".into(), moment.fresh_months.to_string()]);
    }
    if moment.current_only {
        words.push("--current-only".into());
    }
    if scope.roll_up {
        words.push("--roll-up".into());
    }
    if scope.methods.is_some() {
        let labels: Vec<String> = data
            .rows
            .iter()
            .map(|(m, _)| printable(m.label()))
            .collect();
        words.extend(["--methods".into(), shell_word(&labels.join(","))]);
    }
    if let Some(round) = &scope.round {
        words.extend(["--round".into(), shell_word(&printable(round))]);
    }
    words.extend([
        "--out".into(),
        scope
            .lang
            .pick("rapport-allt.html", "report-full.html")
            .into(),
    ]);
    words.join(" ")
}

/// A number with one decimal, with the language's decimal sign (Swedish: a comma).
fn decimal(v: f64, lang: Lang) -> String {
    let s = format!("{v:.1}");
    match lang {
        Lang::Sv => s.replace('.', ","),
        Lang::En => s,
    }
}

/// When the report was made (stored as a UTC timestamp), in local time and words: "4
/// december 2026 kl. 14.05" / "4 December 2026 at 14:05". A timestamp that does not parse is
/// shown as it is.
pub(super) fn made_in_words(utc: &str, lang: Lang) -> String {
    use chrono::{Datelike, Timelike};
    let Ok(at) = chrono::DateTime::parse_from_rfc3339(utc) else {
        return printable(utc);
    };
    let at = at.with_timezone(&chrono::Local);
    const SV: [&str; 12] = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = at.month0() as usize;
    match lang {
        Lang::Sv => format!(
            "{} {} {} kl. {:02}.{:02}",
            at.day(),
            SV[month],
            at.year(),
            at.hour(),
            at.minute()
        ),
        Lang::En => format!(
            "{} {} {} at {:02}:{:02}",
            at.day(),
            EN[month],
            at.year(),
            at.hour(),
            at.minute()
        ),
    }
}

fn stage_cell(cell: Option<&RolledCell>, lang: Lang) -> Markup {
    match cell {
        Some(c) => html! {
            td class=(format!("s-{}", c.stage.code())) style=(style_of(c.stage)) { (cell_text(c, lang)) }
        },
        None => html! { td {} },
    }
}

fn style_of(stage: Stage) -> String {
    format!("background:#{:06x}", fill(stage))
}

fn legend(lang: Lang, fresh_months: u32) -> Markup {
    html! {
        ul class="legend" aria-label=(lang.pick("Stegen", "The stages")) {
            @for s in Stage::ALL {
                li style=(style_of(s)) { (stage_text(s, lang)) }
            }
            li { (crate::domain::age::STALE_MARK) " " (crate::domain::age::stale_words(fresh_months, lang)) }
        }
    }
}

fn summary(data: &ReportData, scope: &ReportScope) -> Markup {
    let lang = scope.lang;
    let districts = data
        .units
        .iter()
        .filter(|u| u.kind == crate::domain::UnitKind::District)
        .count();
    let in_use_somewhere = data.method_metrics.iter().filter(|m| m.in_use > 0).count();
    let in_use: u32 = data.method_metrics.iter().map(|m| m.in_use).sum();
    let figures: [(usize, &str); 5] = [
        (
            data.rows.len(),
            lang.pick("metoder i rapporten", "methods in the report"),
        ),
        (
            districts,
            lang.pick("stadsdelar på dagen", "districts on the day"),
        ),
        (
            in_use_somewhere,
            lang.pick(
                "metoder i ordinarie verksamhet någonstans",
                "methods implemented somewhere",
            ),
        ),
        (
            in_use as usize,
            lang.pick(
                "enheter × metoder i ordinarie verksamhet",
                "units × methods implemented",
            ),
        ),
        (
            data.stalled.len(),
            lang.pick("stannade piloter", "stalled pilots"),
        ),
    ];
    html! {
        section id="summary" {
            h2 { (lang.pick("Sammanfattning", "Summary")) }
            ul class="figures" {
                @for (n, what) in figures {
                    li { span class="n" { (n) } (what) }
                }
            }
            p class="muted" {
                (lang.pick(
                    "”I ordinarie verksamhet” räknar steget Ordinarie verksamhet och Vidmakthållen. Vad varje tal räknar står sist i rapporten.",
                    "\"Implemented\" counts the stages Implemented and Sustained. What each figure counts is at the end of the report.",
                ))
            }
        }
    }
}

fn matrix(data: &ReportData, shown: &Shown, full: &str, lang: Lang, roll_up: bool) -> Markup {
    let (methods, units) = (shown.methods.len(), shown.units.len());
    // As few parts as the page needs, as even as can be (14 units: 7 and 7, not 12 and 2).
    let per_part = units.div_ceil(units.div_ceil(PRINT_COLUMNS).max(1)).max(1);
    let parts: Vec<&[usize]> = shown.units.chunks(per_part).collect();
    let mut capped = Vec::new();
    if methods < data.rows.len() {
        capped.push(methods_shown(methods, data.rows.len(), lang));
    }
    if units < data.units.len() {
        capped.push(units_shown(units, data.units.len(), lang));
    }
    html! {
        section id="matrix" {
            h2 { (lang.pick("Matris: metoder × enheter", "Matrix: methods × units")) }
            @if !capped.is_empty() {
                (left_out(&capped, true, full, lang))
            }
            (legend(lang, data.fresh_months))
            div class=(if parts.len() > 1 { "scroll screen-only" } else { "scroll" }) {
                table class="matrix" {
                    caption {
                        (lang.pick(
                            "Varje metods steg i varje enhet på dagen; tom ruta: inget steg.",
                            "Each method's stage in each unit on the day; an empty cell: no stage.",
                        ))
                        @if roll_up {
                            " "
                            (lang.pick(
                                "Ett steg inom parentes är en föregångares: enheten har inget eget, och föregångarens historik är inräknad.",
                                "A stage in parentheses is a predecessor's: the unit has none of its own, and its predecessors' history is folded in.",
                            ))
                        }
                    }
                    (matrix_rows(data, &shown.methods, &shown.units, lang))
                }
            }
            // On paper, a matrix wider than a page is printed in parts of at most
            // `PRINT_COLUMNS` units, each with the method column, one after the other (on
            // screen the one table scrolls).
            @if parts.len() > 1 {
                @for (n, part) in parts.iter().enumerate() {
                    table class="matrix-part print-only" {
                        caption {
                            (lang.pick("Matrisen, del", "The matrix, part")) " " (n + 1) " "
                            (lang.pick("av", "of")) " " (parts.len()) ": "
                            (lang.pick("enheterna", "units")) " "
                            (data.units[part[0]].code) "–" (data.units[part[part.len() - 1]].code)
                        }
                        (matrix_rows(data, &shown.methods, part, lang))
                    }
                }
            }
        }
    }
}

/// A matrix table's header and rows: the methods at `methods` (rows of `data`) × the units
/// at `units`, as the screen's table and each printed part show them.
fn matrix_rows(data: &ReportData, methods: &[usize], units: &[usize], lang: Lang) -> Markup {
    html! {
        thead {
            tr {
                th scope="col" { (lang.pick("Metod", "Method")) }
                @for &u in units {
                    @let u = &data.units[u];
                    th scope="col" title=(u.name) { (u.code) }
                }
            }
        }
        tbody {
            @for &i in methods {
                @let (m, cells) = &data.rows[i];
                tr {
                    th scope="row" title=(m.name) { (m.label()) }
                    @for &u in units { (stage_cell(cells[u].as_ref(), lang)) }
                }
            }
        }
    }
}

/// Unit columns an A4 landscape page prints of the matrix beside its method column, each
/// cell's stage word whole ("verksamhet" at 7.5 pt is some 15 mm with its padding).
const PRINT_COLUMNS: usize = 12;

fn method_article(
    data: &ReportData,
    method: &Method,
    cells: &[Option<RolledCell>],
    curve: &[crate::store::CurvePoint],
    lang: Lang,
) -> Markup {
    let (in_use, stale, districts) = data.districts_in_use(cells);
    let in_use_of =
        crate::domain::age::in_use_of(in_use, stale, districts, data.fresh_months, lang);
    // The units by region: the districts, and central units only where they have a stage.
    let units = region::group(data.units.iter().zip(cells).filter_map(|(u, cell)| {
        let district = u.kind == crate::domain::UnitKind::District;
        (district || cell.is_some()).then(|| {
            (
                district.then(|| u.region.clone()).flatten(),
                (u, cell.as_ref()),
            )
        })
    }));
    let id = format!("m{}", method.id);
    let label = printable(method.label());
    html! {
        article class="method" id=(id) {
            h3 {
                (label)
                @if method.short_name.is_some() { " – " (method.name) }
            }
            @if !method.description.is_empty() { p { (method.description) } }
            p {
                strong {
                    (lang.pick("I ordinarie verksamhet i", "In ordinary use in")) " "
                    (in_use_of) "."
                }
            }
            div class="method-body" {
            @if let Some(chart) = svg::curve(curve, &label, &id, lang) {
                figure {
                    (chart)
                    figcaption {
                        span class="key-reached" { "- - - " }
                        (lang.pick("nådda (pilot eller längre)", "reached (pilot or beyond)"))
                        " · "
                        span class="key-in-use" { "——— " }
                        (lang.pick(
                            "i ordinarie verksamhet eller längre; vid varje års slut, enheterna med besked inom färskhetsmånaderna",
                            "implemented or beyond; at each year's end, the units heard from within the fresh months",
                        ))
                    }
                }
            }
            table {
                caption { (lang.pick("Enheterna efter region", "The units by region")) }
                thead {
                    tr {
                        th scope="col" { (lang.pick("Region", "Region")) }
                        th scope="col" { (lang.pick("Enheter med steg", "Units with a stage")) }
                        th scope="col" { (lang.pick("Stadsdelar utan steg", "Districts without a stage")) }
                    }
                }
                tbody {
                    @for (reg, units) in &units {
                        tr {
                            th scope="row" { (region::name(reg.as_deref(), lang)) }
                            td { (units_with_stage(units, lang)) }
                            td { (units_without(units)) }
                        }
                    }
                }
            }
            }
        }
    }
}

fn units_with_stage(units: &[(&Unit, Option<&RolledCell>)], lang: Lang) -> Markup {
    let with = units.iter().filter_map(|(u, c)| Some((u, (*c)?)));
    html! {
        @for (i, (u, c)) in with.enumerate() {
            @if i > 0 { ", " }
            span title=(u.name) { (u.code) } " " (cell_text(c, lang))
        }
    }
}

/// The districts without a stage: named, or counted when there are many.
fn units_without(units: &[(&Unit, Option<&RolledCell>)]) -> Markup {
    let without: Vec<&Unit> = units
        .iter()
        .filter(|(_, c)| c.is_none())
        .map(|(u, _)| *u)
        .collect();
    let n = without.len();
    html! {
        @if n <= UNNAMED_AFTER {
            @for (i, u) in without.iter().enumerate() {
                @if i > 0 { ", " }
                span title=(u.name) { (u.code) }
            }
        } @else {
            (n)
        }
    }
}

/// The figures' column headings (as the Spread sheet's).
fn figure_header(lang: Lang, first: &str) -> Markup {
    let headings = figure_headings(lang);
    html! {
        thead {
            tr {
                th scope="col" { (first) }
                th scope="col" { (lang.pick("namn", "name")) }
                @for h in headings { th scope="col" class="num" { (h) } }
            }
        }
    }
}

fn figure_rows(rows: &[Metrics], lang: Lang) -> Markup {
    html! {
        tbody {
            @for m in rows {
                tr {
                    th scope="row" { (m.label) }
                    // A method without a short name is labelled by its name: said once.
                    td { @if m.name != m.label { (m.name) } }
                    td class="num" { (m.reached) }
                    td class="num" { (m.in_use) }
                    td class="num" { (format!("{:.0} %", m.share * 100.0)) }
                    td class="num" { (m.first_pilot.map(|d| d.to_string()).unwrap_or_default()) }
                    td class="num" { (m.median_months.map(|v| decimal(v, lang)).unwrap_or_default()) }
                    td class="num" { (m.on_the_way) }
                    td class="num" { (m.preparing) }
                    td class="num" { (m.stalled) }
                    td class="num" { (m.not_heard_from) }
                    td class="num" { (m.sustained) }
                    td class="num" { (m.paused) }
                    td class="num" { (m.discontinued) }
                }
            }
        }
    }
}

/// The figures of the methods (or units) with these ids, or all of them when `all`.
fn shown_metrics(metrics: &[Metrics], ids: impl Iterator<Item = i64>, all: bool) -> Vec<Metrics> {
    let ids: std::collections::HashSet<i64> = ids.collect();
    metrics
        .iter()
        .filter(|m| all || ids.contains(&m.id))
        .cloned()
        .collect()
}

fn figures(data: &ReportData, shown: &Shown, full: &str, lang: Lang) -> Markup {
    // The methods and units of the matrix (all of them when it shows all).
    let methods = shown_metrics(
        &data.method_metrics,
        shown.methods.iter().map(|&i| data.rows[i].0.id),
        shown.methods.len() == data.rows.len(),
    );
    let units = shown_metrics(
        &data.unit_metrics,
        shown.units.iter().map(|&i| data.units[i].id),
        shown.units.len() == data.units.len(),
    );
    html! {
        section id="figures" {
            h2 { (lang.pick("Spridningen i tal", "The spread in figures")) }
            @if methods.len() < data.method_metrics.len() {
                (left_out(&[methods_shown(methods.len(), data.method_metrics.len(), lang)], true, full, lang))
            }
            div class="scroll" {
                table {
                    caption { (lang.pick("Per metod", "Per method")) }
                    (figure_header(lang, lang.pick("metod", "method")))
                    (figure_rows(&methods, lang))
                }
            }
            @if units.len() < data.unit_metrics.len() {
                (left_out(&[units_shown(units.len(), data.unit_metrics.len(), lang)], false, full, lang))
            }
            div class="scroll" {
                table {
                    caption {
                        (lang.pick(
                            "Per enhet (över metoderna i rapporten; andel: av dem)",
                            "Per unit (over the methods in the report; share: of them)",
                        ))
                    }
                    (figure_header(lang, lang.pick("enhet", "unit")))
                    (figure_rows(&units, lang))
                }
            }
        }
    }
}

fn stalled(data: &ReportData, (rows, months): (usize, u32), full: &str, lang: Lang) -> Markup {
    let shown = &data.stalled[..rows.min(data.stalled.len())];
    let caption = match lang {
        Lang::Sv => format!(
            "Enheter som förbereder eller har pilot sedan mer än {months} månader utan senare händelse och med färskt besked (bekräftat kvar), längst först."
        ),
        Lang::En => format!(
            "Units at preparing or pilot for more than {months} months with no later event, heard from within the fresh months (confirmed still there), longest first."
        ),
    };
    html! {
        section id="stalled" {
            h2 { (lang.pick("Stannade piloter", "Stalled pilots")) }
            p class="muted" { (caption) }
            @if shown.len() < data.stalled.len() {
                (left_out(&[showing(shown.len(), data.stalled.len(), lang.pick("stannade piloter, de längsta", "stalled pilots, the longest"), lang)], false, full, lang))
            }
            @if data.stalled.is_empty() {
                p { (lang.pick("Inga stannade piloter.", "No stalled pilots.")) }
            } @else {
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.pick("metod", "method")) }
                            th scope="col" { (lang.pick("enhet", "unit")) }
                            th scope="col" { (lang.pick("steg", "stage")) }
                            th scope="col" { (lang.pick("sedan", "since")) }
                            th scope="col" class="num" { (lang.pick("månader", "months")) }
                        }
                    }
                    tbody {
                        @for s in shown {
                            tr {
                                th scope="row" { (s.method) }
                                td { (s.unit) }
                                td class=(format!("s-{}", s.stage.code())) style=(style_of(s.stage)) { (stage_text(s.stage, lang)) }
                                td { (s.since_shown()) }
                                td class="num" { (s.months) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An inventory round's report: what changed since the previous round, and who did not
/// answer every question.
/// A round's report: each list (new stages, discontinued, confirmations, units that did not
/// answer) up to `rows` long, with a line for what it leaves out.
fn round_section(
    report: &crate::store::RoundReport,
    (rows, full): (usize, &str),
    lang: Lang,
) -> Markup {
    let since = super::round_since(report, lang);
    let limit = rows;
    let rows = super::round_sections(report, lang);
    let capped = |n: usize, what: &str| -> Option<Markup> {
        (n > limit).then(|| left_out(&[showing(limit, n, what, lang)], false, full, lang))
    };
    html! {
        section id="round" {
            h2 { (report.round.name) }
            p class="muted" { (lang.pick("Vad som ändrats", "What changed")) " " (since) "." }
            @for (title, list) in &rows {
                h3 { (title) " (" (list.len()) ")" }
                @if let Some(line) = capped(list.len(), lang.pick("rader, de första", "rows, the first")) { (line) }
                @if !list.is_empty() {
                    table {
                        thead {
                            tr {
                                th scope="col" { (lang.pick("metod", "method")) }
                                th scope="col" { (lang.pick("enhet", "unit")) }
                                th scope="col" { (lang.pick("steg", "stage")) }
                                th scope="col" { (lang.pick("datum", "date")) }
                                th scope="col" { (lang.pick("av", "by")) }
                            }
                        }
                        tbody {
                            @for l in list.iter().take(limit) {
                                tr {
                                    th scope="row" { (l.method) }
                                    td { (l.unit) }
                                    td class=(format!("s-{}", l.stage.code())) style=(style_of(l.stage)) { (stage_text(l.stage, lang)) }
                                    td class="date" { (l.date) }
                                    td { (l.by) }
                                }
                            }
                        }
                    }
                }
            }
            h3 {
                (lang.pick("Enheter som inte svarat på allt", "Units that did not answer every question"))
                " (" (report.unanswered.len()) ")"
            }
            @if let Some(line) = capped(report.unanswered.len(), lang.pick("enheter, de första", "units, the first")) { (line) }
            @if !report.unanswered.is_empty() {
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.pick("enhet", "unit")) }
                            th scope="col" class="num" { (lang.pick("besvarade", "answered")) }
                            th scope="col" class="num" { (lang.pick("frågor", "questions")) }
                        }
                    }
                    tbody {
                        @for p in report.unanswered.iter().take(limit) {
                            tr {
                                th scope="row" { (p.code) }
                                td class="num" { (p.answered) }
                                td class="num" { (p.total) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The stages not heard from in the fresh months, oldest word first: whom to ask.
fn not_heard_from(data: &ReportData, rows: usize, full: &str, lang: Lang) -> Markup {
    let shown = &data.not_heard_from[..rows.min(data.not_heard_from.len())];
    html! {
        section id="not-heard-from" {
            h2 { (lang.pick("Utan besked", "Not heard from")) }
            p class="muted" {
                (lang.pick(
                    "Steg (utforskar till och med vidmakthållen) som registret inte fått besked om inom färskhetsmånaderna, äldst besked först: vilka som behöver tillfrågas. Månader: sedan senaste besked.",
                    "Stages (exploring through sustained) the register has not heard from within the fresh months, oldest word first: whom to ask. Months: since last heard.",
                ))
            }
            @if shown.len() < data.not_heard_from.len() {
                (left_out(&[showing(shown.len(), data.not_heard_from.len(), lang.pick("steg, de med äldst besked", "stages, those heard from longest ago"), lang)], false, full, lang))
            }
            @if data.not_heard_from.is_empty() {
                p { (lang.pick("Alla steg har färskt besked.", "Every stage has been heard from.")) }
            } @else {
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.pick("metod", "method")) }
                            th scope="col" { (lang.pick("enhet", "unit")) }
                            th scope="col" { (lang.pick("steg", "stage")) }
                            th scope="col" { (lang.pick("sedan", "since")) }
                            th scope="col" { (lang.pick("senast hörd", "last heard")) }
                            th scope="col" class="num" { (lang.pick("månader", "months")) }
                        }
                    }
                    tbody {
                        @for s in shown {
                            tr {
                                th scope="row" { (s.method) }
                                td { (s.unit) }
                                td class=(format!("s-{}", s.stage.code())) style=(style_of(s.stage)) { (stage_text(s.stage, lang)) }
                                td { (s.since_shown()) }
                                td { (s.heard_shown()) }
                                td class="num" { (s.months) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The command that writes every event of the methods shown (the workbook's history).
fn all_events_command(data: &ReportData, scope: &ReportScope) -> String {
    let methods = match &scope.methods {
        Some(_) => {
            let labels: Vec<String> = data
                .rows
                .iter()
                .map(|(m, _)| printable(m.label()))
                .collect();
            format!(" --methods {}", shell_word(&labels.join(",")))
        }
        None => String::new(),
    };
    format!(
        "spridning --db {} report --format xlsx{methods} --out {}",
        shell_word(&data.database),
        scope.lang.pick("historik.xlsx", "history.xlsx")
    )
}

fn history(
    events: &[EventRow],
    total: usize,
    data: &ReportData,
    scope: &ReportScope,
    full: &str,
) -> Markup {
    let lang = scope.lang;
    let day = scope.moment.day;
    let after = |e: &EventRow| {
        e.date
            .parse::<EventDate>()
            .is_ok_and(|d| d.first_day() > day)
    };
    html! {
        section id="history" {
            h2 { (lang.pick("Historik", "History")) }
            p class="muted" {
                (lang.pick(
                    "De metodernas händelser, senaste först; också de som gäller efter dagen och de som återkallats.",
                    "The methods' events, latest first; also those in effect after the day and those retracted.",
                ))
            }
            @if total > events.len() {
                p {
                    strong {
                        (lang.pick("Visar de senaste", "Showing the latest")) " " (events.len()) " "
                        (lang.pick("av", "of")) " " (total) " " (lang.pick("händelser", "events")) "; "
                        (total - events.len()) " " (lang.pick("till finns inte med.", "more are not shown."))
                    }
                    @if scope.full {
                        " " (lang.pick("Alla, i en Excel-fil:", "All of them, in an Excel file:")) " "
                        code { (all_events_command(data, scope)) }
                    } @else if total <= HISTORY_LIMIT {
                        " " (lang.pick("Allt:", "All of it:")) " " code { (full) }
                    } @else {
                        " " (lang.pick("De senaste", "The latest")) " " (HISTORY_LIMIT) " "
                        (lang.pick("på sidan:", "on the page:")) " " code { (full) } "; "
                        (lang.pick("alla, i en Excel-fil:", "all of them, in an Excel file:")) " "
                        code { (all_events_command(data, scope)) }
                    }
                }
            }
            @if events.is_empty() {
                p { (lang.pick("Inga händelser.", "No events.")) }
            } @else {
                table {
                    thead {
                        tr {
                            th scope="col" { (lang.pick("datum", "date")) }
                            th scope="col" { (lang.pick("metod", "method")) }
                            th scope="col" { (lang.pick("enhet", "unit")) }
                            th scope="col" { (lang.pick("steg", "stage")) }
                            th scope="col" { (lang.pick("notering", "note")) }
                            th scope="col" { (lang.pick("källa", "source")) }
                            th scope="col" { (lang.pick("registrerad", "recorded")) }
                            th scope="col" { (lang.pick("återkallad", "retracted")) }
                        }
                    }
                    tbody {
                        @for e in events {
                            tr {
                                th scope="row" {
                                    span class="nowrap" { (e.date) }
                                    @if after(e) { " " span class="muted" { "(" (lang.pick("efter dagen", "after the day")) ")" } }
                                }
                                td title=(e.method_name) { (e.method) }
                                td title=(e.unit_name) { (e.unit) }
                                td class=(format!("s-{}", e.stage.code())) style=(style_of(e.stage)) { (stage_text(e.stage, lang)) }
                                td { (e.note) }
                                td { (e.source) }
                                td { span class="nowrap" { (e.recorded_at) } " " (e.recorded_by) }
                                td {
                                    @if let Some(r) = &e.retraction {
                                        (r.at) " " (r.by) ": " (r.reason)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn about(data: &ReportData, scope: &ReportScope) -> Markup {
    let lang = scope.lang;
    html! {
        section id="about" {
            h2 { (lang.pick("Om rapporten", "About this report")) }
            dl {
                dt { (lang.pick("Läget den", "As of")) }
                dd { (scope.moment.day) }
                dt { (lang.pick("Som det var känt", "As known at")) }
                dd { (known_text(&scope.moment, lang)) }
                dt { (lang.pick("Enheter", "Units")) }
                dd {
                    @if scope.moment.all_units {
                        (lang.pick("alla enheter, också de som inte fanns på dagen", "every unit, also those not valid on the day"))
                    } @else {
                        (lang.pick("enheterna som fanns på dagen", "the units valid on the day"))
                    }
                }
                dt { (lang.pick("Gjord", "Made")) }
                dd { (made_in_words(&data.made_at, lang)) " " (lang.pick("av", "by")) " " (data.made_by) " " (lang.pick("från", "from")) " " (data.database) }
                dt { (lang.pick("Stegen", "The stages")) }
                dd {
                    (super::words::stage_rule(lang))
                    (legend(lang, data.fresh_months))
                    dl {
                        @for s in Stage::ALL {
                            dt { (stage_text(s, lang)) }
                            dd { (s.meaning(lang)) }
                        }
                    }
                }
            }
            // The same plain words as the workbook's Om rapporten, with the register's own
            // months: a reader of the page never sees an option or a code.
            h3 { (lang.pick("Vad talen räknar", "What the figures count")) }
            dl {
                @for (name, text) in super::words::figures_in_words(lang, data.fresh_months, scope.metrics().stalled_after) {
                    dt { (name) }
                    dd { (text) }
                }
                dt { (lang.pick("Spridning över tid", "Spread over time")) }
                dd { (super::words::curve_in_words(lang, data.fresh_months)) }
            }
        }
    }
}
