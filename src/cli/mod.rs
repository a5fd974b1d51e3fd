//! The command line: `spridning [--db PATH] [--as LOGIN] [--lang sv|en] [COMMAND]`. Without a
//! command it opens the terminal app. Subcommands print plain text for scripts and exit
//! non-zero with a one-line reason on bad input, leaving the database unchanged.
//!
//! Here: the global options (`Cli`), the list of subcommands (`Command`), who is acting and
//! on which database. Each subcommand is a file of `command/` with its options and its
//! `run`; `args` holds the option groups several share, `output` the plain formats.

#![warn(missing_docs)]

pub mod args;
pub mod assets;
pub mod command;
mod options;
pub mod output;

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::i18n::Lang;
use crate::identity::{os_login, owns};
use crate::store::Store;

/// The help's heading for the options every command takes.
const GLOBAL: &str = "Global options (for every command)";
/// The help's heading for the terminal app's own options.
const APP: &str = "The terminal app (without a command)";

/// The global options, and the subcommand if one is given.
#[derive(Debug, Parser)]
#[command(
    name = "spridning",
    version,
    about = "Track how working methods spread between the districts of Stockholm's social services",
    long_about = "Track how working methods spread between the districts of Stockholm's social services.\n\nWithout a command the terminal app opens on the database (Tab moves between tabs, ? lists the keys, q quits). With a command, spridning prints plain text for people and scripts.",
    after_help = "Examples:\n  spridning --db sample.db                      open the app\n  spridning --db sample.db matrix --as-of 2005-01-01\n  spridning --db sample.db --present --methods ASI,FUEL"
)]
pub struct Cli {
    /// The database file (default: $SPRIDNING_DB, else ./spridning.db).
    #[arg(long, global = true, value_name = "PATH", help_heading = GLOBAL)]
    pub db: Option<PathBuf>,
    /// Act as LOGIN (for an SSH forced command; only the database file's owner may use it).
    #[arg(long = "as", global = true, value_name = "LOGIN", help_heading = GLOBAL)]
    pub as_login: Option<String>,
    /// CSV for Swedish Excel: semicolons, CRLF and a byte-order mark. Offered in the help of
    /// the commands that write CSV (their --format), refused elsewhere; global so that
    /// `spridning --excel history …` works as well as `history --excel`.
    #[arg(long, global = true, hide = true)]
    pub excel: bool,
    /// Language of the terminal app, of `show` and `activity`, and of `report` (default
    /// from LANG).
    #[arg(long, global = true, value_enum, help_heading = GLOBAL)]
    pub lang: Option<LangArg>,
    /// Open the workshop presentation instead of the tabs (Esc ends it; `?` lists its keys).
    #[arg(long, help_heading = APP)]
    pub present: bool,
    /// The presentation's methods, in this order (names or short names, comma-separated;
    /// default: every method, by spread).
    #[arg(
        long,
        value_delimiter = ',',
        requires = "present",
        value_name = "NAMES",
        help_heading = APP
    )]
    pub methods: Vec<String>,
    /// Only the presentation's methods of this area (e.g. socialmedicin).
    #[arg(long, requires = "present", value_name = "AREA", help_heading = APP)]
    pub area: Option<String>,
    /// The day the presentation shows (YYYY-MM-DD or YYYY-MM; default: today).
    #[arg(long = "as-of", requires = "present", value_name = "DATE", help_heading = APP)]
    pub present_as_of: Option<String>,
    /// Colours for a dark or a light background (light suits projectors); default: the
    /// terminal's own background where it says, else dark (also SPRIDNING_THEME).
    #[arg(long, value_enum, env = "SPRIDNING_THEME", help_heading = APP)]
    pub theme: Option<ThemeArg>,
    /// Frames, marks and stage glyphs in plain ASCII, for terminals and fonts without them
    /// (also SPRIDNING_ASCII=1, and on its own when the locale is not UTF-8).
    #[arg(long, help_heading = APP)]
    pub ascii: bool,
    /// For screen readers and magnifiers: the terminal cursor follows the selection, frames
    /// are spaces, stages are written in words (also SPRIDNING_A11Y=1).
    #[arg(long, help_heading = APP)]
    pub a11y: bool,
    /// The subcommand; without one the terminal app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The slides' colours.
#[allow(
    missing_docs,
    reason = "a variant's doc comment would be its help in --help"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeArg {
    Dark,
    Light,
}

/// The language of the app and of the words in `show`, `activity` and reports.
#[allow(
    missing_docs,
    reason = "a variant's doc comment would be its help in --help"
)]
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    Sv,
    En,
}

/// The subcommands; each one's options and what it does are in its file under `command/`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new database with the schema and Stockholm's units (no methods).
    Init(command::init::Init),
    /// Record one stage event for a method in a unit.
    Adopt(command::adopt::Adopt),
    /// Mark a mistaken stage event (or, with --confirmation, a confirmation) as retracted;
    /// it stays in the history.
    #[command(
        after_help = "Examples:\n  spridning retract 42 --reason \"fel enhet, ska vara Farsta\"\n  spridning retract --confirmation 7 --reason \"gällde en annan metod\""
    )]
    Retract(command::adopt::Retract),
    /// Say that a method's stage in a unit still holds on a day, without changing it (a
    /// member for their units, a coordinator for any): the stage is heard from again.
    #[command(
        after_help = "Examples:\n  spridning confirm --method ASI --unit Farsta\n  spridning confirm --method FUEL --unit FA --date 2026-11-30 --note \"enligt enhetschefen\""
    )]
    Confirm(command::confirm::Confirm),
    /// List methods. With --as-of, --known-at or --all: with how many units stood at each
    /// stage on the day, as the Methods tab counts them.
    Methods(command::lists::Methods),
    /// List units, historical ones too. With --as-of or --known-at: the units valid on the day
    /// (--all: every unit), with how many methods each had at each stage then.
    Units(command::lists::Units),
    /// Stage events and confirmations (column `kind`) in the order they took effect.
    History(command::history::History),
    /// Methods × units with the stage per cell.
    Matrix(command::matrix::Matrix),
    /// How far each method has spread (or, with --by unit, each unit taken up) on a day.
    #[command(
        after_help = "Example:\n  spridning metrics --as-of 2010-01-01 --roll-up --format csv\n\nThe README's \"What the numbers mean\" defines every column."
    )]
    Metrics(command::metrics::Metrics),
    /// Stalled pilots: units at preparing or pilot for more than N months, heard from
    /// within the fresh months, longest first; with --not-heard-from, the stages not heard
    /// from, oldest word first (whom to ask).
    Stalled(command::metrics::Stalled),
    /// Write everything: JSON (complete, for import), CSV (the history: events and
    /// confirmations) or Markdown (a report).
    Export(command::export::Export),
    /// Record that units merged or split on a day: the predecessors close the day before, the
    /// successors take over (new ones are created), and the lineage is kept.
    #[command(
        after_help = "Examples:\n  spridning reorganise --from RK,ST --into Järva --code JÄ --on 2023-07-01 --carry\n  spridning reorganise --from X --into \"Norra X\",\"Södra X\" --code NX,SX --on 2027-01-01"
    )]
    Reorganise(command::reorganise::Reorganise),
    /// Load a JSON export into a new database (all or nothing).
    #[command(
        after_help = "Example:\n  spridning init new.db && spridning --db new.db import export.json"
    )]
    Import(command::import::Import),
    /// Write a consistent copy of the database to DEST while others keep working.
    #[command(after_help = "Example:\n  spridning backup /srv/backup/spridning-2026-11-23.db")]
    Backup(command::backup::Backup),
    /// Put a backup back while others keep working (coordinators): the backup is checked
    /// first, the current state is kept beside the database, and the backup's content is
    /// written through the open database, which every open app sees at once.
    #[command(
        after_help = "Example:\n  spridning restore /srv/backup/spridning-2026-11-23.db\n\nNever copy a backup over a database in use, and never delete its -wal or -shm files."
    )]
    Restore(command::restore::Restore),
    /// Check the database: SQLite's integrity check and spridning's own rules.
    Check,
    /// A report to open without a terminal: an Excel workbook or a web page that prints, as
    /// of a day, in the language of --lang; written whole to --out.
    #[command(
        after_help = "Examples:\n  spridning --lang sv report --format xlsx --as-of 2010-01-01 --out spridning-2010.xlsx\n  spridning --lang sv report --format html --methods ASI,FUEL --out spridning.html"
    )]
    Report(command::report::Report),
    /// Show the register's title (the presentation's first slide), or set it (coordinators;
    /// "" returns to the default).
    #[command(after_help = "Example:\n  spridning title \"Metodspridning i Stockholms stad 2027\"")]
    Title(command::title::Title),
    /// Show the register's settings, or change one (coordinators): `fresh-months` (after
    /// how many months without word a stage is stale; default 24) and `title`.
    #[command(
        after_help = "Examples:\n  spridning setting\n  spridning setting fresh-months 12\n  spridning setting fresh-months \"\"   (back to 24)"
    )]
    Setting(command::confirm::Setting),
    /// Say what a detail view shows, in plain sentences: a method with its units' stages
    /// and its spread over time, or a unit with its methods' stages.
    #[command(
        subcommand,
        after_help = "Examples:\n  spridning show method ASI\n  spridning show unit Farsta --as-of 2010-01-01"
    )]
    Show(command::show::ShowCommand),
    /// The latest changes to the register, newest first, as the Activity tab lists them
    /// (stage events, confirmations, retractions, methods and units added or edited).
    #[command(
        after_help = "Example:\n  spridning activity --filter \"by:bertil since:2026-10-01\" --limit 20"
    )]
    Activity(command::activity::Activity),
    /// Inventory rounds (inventering): start one, answer it per unit and method, follow the
    /// status, close it and report what changed since the previous round.
    #[command(
        subcommand,
        after_help = "Examples:\n  spridning round start \"Inventering 2027\" --due 2027-03-31\n  spridning round answer --unit FA --method ASI --confirm\n  spridning round status --format csv"
    )]
    Round(command::round::RoundCommand),
    /// Manage users and roles, and the SSH keys they log in with.
    #[command(subcommand)]
    User(command::user::UserCommand),
    /// For sshd's AuthorizedKeysCommand: print the authorized_keys line (with the forced
    /// command that opens the app as the key's person) for a key registered here, else
    /// nothing. Read-only.
    #[command(
        after_help = "In sshd_config (the database owned by the account people log in to):\n  AuthorizedKeysCommand /usr/bin/spridning --db /srv/spridning/register.db authorized-keys %u %t %k\n  AuthorizedKeysCommandUser spridning"
    )]
    AuthorizedKeys(command::authorized_keys::AuthorizedKeys),
}

/// The database path: `--db`, else `$SPRIDNING_DB`, else `./spridning.db`.
pub fn database_path(cli: &Cli) -> PathBuf {
    cli.db
        .clone()
        .or_else(|| {
            std::env::var_os("SPRIDNING_DB")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        })
        .unwrap_or_else(|| PathBuf::from("spridning.db"))
}

/// The login to act as. `--as` is honoured only for the owner of the database file (the
/// service account of an SSH forced-command setup), so nobody with a shell can pose as another.
pub fn acting_login(cli: &Cli, db: &Path) -> Result<String> {
    let me = os_login();
    let Some(wanted) = &cli.as_login else {
        return Ok(me);
    };
    let wanted = crate::domain::text::clean_line(wanted);
    if wanted.is_empty() {
        bail!("--as needs a login");
    }
    // A missing file is left to `Store::open`, which says how to create one.
    if std::fs::metadata(db).is_ok() && !owns(db) {
        bail!(
            "--as is only for the account that owns {}; you are {me}",
            db.display()
        );
    }
    Ok(wanted)
}

/// The language: `--lang`, else from `LANG`.
pub fn lang(cli: &Cli) -> Lang {
    match cli.lang {
        Some(LangArg::Sv) => Lang::Sv,
        Some(LangArg::En) => Lang::En,
        None => Lang::from_env(),
    }
}

/// The subcommands that write no CSV, where `--excel` does nothing and is refused.
/// Decision: `--excel` stays a global option, so `spridning --excel history …` keeps
/// working; its help says where it acts.
const NO_CSV: [&str; 13] = [
    "init",
    "adopt",
    "retract",
    "confirm",
    "reorganise",
    "import",
    "backup",
    "restore",
    "report",
    "title",
    "setting",
    "show",
    "user",
];

/// The parsed command line; a mistyped subcommand is answered with the nearest one by
/// spelling (`metrcs`: metrics), as clap's own suggestions put a worse match first.
fn parse() -> Cli {
    use clap::FromArgMatches;
    let mut cmd = <Cli as clap::CommandFactory>::command();
    let matches = cmd.try_get_matches_from_mut(std::env::args_os());
    let parsed = matches.and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(e) if e.kind() == clap::error::ErrorKind::InvalidSubcommand => {
            let typed = e
                .get(clap::error::ContextKind::InvalidSubcommand)
                .map(|v| v.to_string())
                .unwrap_or_default();
            let names: Vec<String> = cmd
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            // A command the typed text begins (`hist`: history), else the nearest by
            // spelling within three edits.
            let nearest = names
                .iter()
                .filter(|n| typed.len() >= 2 && n.starts_with(typed.as_str()))
                .map(|n| (0, n))
                .min_by_key(|(_, n)| n.len())
                .or_else(|| {
                    names
                        .iter()
                        .map(|n| (strsim::damerau_levenshtein(&typed, n), n))
                        .filter(|(d, _)| *d <= 3)
                        .min()
                });
            match nearest {
                Some((_, name)) => eprintln!(
                    "error: unrecognized subcommand '{}'; did you mean '{name}'? (spridning --help lists them)",
                    crate::domain::text::printable(&typed)
                ),
                None => eprintln!(
                    "error: unrecognized subcommand '{}' (spridning --help lists them)",
                    crate::domain::text::printable(&typed)
                ),
            }
            std::process::exit(2)
        }
        Err(e) => e.exit(),
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = parse();
    match run(cli) {
        Ok(()) => 0,
        // A reader that stopped reading (`spridning matrix | head`) is not a failure.
        Err(e) if is_broken_pipe(&e) => 0,
        Err(e) => {
            let e = options::name_options(e);
            // One line, cleaned: the reason and its causes joined by ": ".
            let msg = crate::domain::text::clean_line(&format!("{e:#}"));
            eprintln!("spridning: {msg}");
            1
        }
    }
}

/// What `--present` asks for, checked before the terminal is taken over (a wrong date or an
/// unknown method is one line on stderr, as everywhere).
fn present_options(cli: &Cli, store: &Store) -> Result<Option<crate::app::DeckOptions>> {
    if !cli.present {
        return Ok(None);
    }
    let day = cli
        .present_as_of
        .as_deref()
        .map(command::parse_as_of)
        .transpose()?;
    let chosen = chosen_methods(store, &cli.methods, cli.area.as_deref())?;
    Ok(Some(crate::app::DeckOptions {
        methods: chosen.names,
        area: chosen.area,
        day,
        from_command_line: true,
    }))
}

/// The methods a presentation or report shows: `--methods` (names, in order) and `--area`.
pub(crate) struct Chosen {
    /// The names as given, trimmed.
    pub names: Vec<String>,
    /// The area, trimmed and in lower case.
    pub area: Option<String>,
    /// Their ids in order: the named methods, else the area's (by name); `None`: every method.
    pub ids: Option<Vec<i64>>,
}

/// Checks `--methods` and `--area` (an unknown name or area is one line naming the nearest;
/// a named method outside the area is refused rather than left out without a word).
pub(crate) fn chosen_methods(
    store: &Store,
    methods: &[String],
    area: Option<&str>,
) -> Result<Chosen> {
    let names: Vec<String> = methods
        .iter()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let mut ids = Vec::new();
    for m in &names {
        let (id, _) = store.find_method(m)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let area = area
        .map(|a| a.trim().to_lowercase())
        .filter(|a| !a.is_empty());
    let mut chosen = (!names.is_empty()).then_some(ids);
    if let Some(a) = &area {
        let in_area: Vec<i64> = store
            .matrix_methods("", Some(a))?
            .iter()
            .map(|m| m.id)
            .collect();
        match &chosen {
            Some(ids) => {
                for (id, m) in ids.iter().zip(&names) {
                    if !in_area.contains(id) {
                        let (_, label) = store.find_method(m)?;
                        bail!(
                            "{} is not a method of the area '{}'; leave out --area or the method",
                            crate::domain::text::clean_line(&label),
                            crate::domain::text::clean_line(a)
                        );
                    }
                }
            }
            None => chosen = Some(in_area),
        }
    }
    Ok(Chosen {
        names,
        area,
        ids: chosen,
    })
}

/// Whether the error is a closed pipe, also inside the JSON and CSV writers' own errors.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(BrokenPipe))
            || c.downcast_ref::<csv::Error>().is_some_and(
                |v| matches!(v.kind(), csv::ErrorKind::Io(io) if io.kind() == BrokenPipe),
            )
    })
}

fn run(cli: Cli) -> Result<()> {
    if cli.excel {
        let name = std::env::args()
            .skip(1)
            .find(|a| NO_CSV.contains(&a.as_str()));
        if cli.command.is_none() || name.is_some() {
            anyhow::bail!(
                "--excel acts only where CSV is written (methods, units, history, matrix, metrics, stalled, export, activity, round); {} writes none",
                name.as_deref().unwrap_or("the terminal app")
            );
        }
    }
    if let Some(Command::Init(init)) = &cli.command {
        return init.run();
    }
    // sshd asks before anyone is logged in: no acting login, nothing opened for writing.
    if let Some(Command::AuthorizedKeys(keys)) = &cli.command {
        return keys.run(&database_path(&cli));
    }
    let db = database_path(&cli);
    let login = acting_login(&cli, &db)?;
    let mut store = Store::open(&db, &login)?;
    // What an upgrade this process ran could not correct: said once, here (`check` goes on
    // reporting what is still not right).
    for note in store.upgrade_notes() {
        eprintln!(
            "spridning: upgraded {}, but {}",
            crate::domain::text::printable(&db.display().to_string()),
            crate::domain::text::clean_line(note)
        );
    }
    // The file's owner acting as themselves is a coordinator; with `--as` the named login's
    // own role applies.
    if cli.as_login.is_none() && owns(&db) {
        store.grant_owner();
    }
    let lang = lang(&cli);
    match cli.command {
        None => {
            let options = crate::tui::Options {
                scheme: cli.theme.map(|t| match t {
                    ThemeArg::Dark => crate::ui::theme::Scheme::Dark,
                    ThemeArg::Light => crate::ui::theme::Scheme::Light,
                }),
                ascii: cli.ascii,
                deck: present_options(&cli, &store)?,
                a11y: cli.a11y,
            };
            crate::tui::run(store, lang, options)
        }
        Some(command) => command::run(&mut store, command, (cli.excel, lang))
            .map_err(|e| store.explain(e))
            .map_err(|e| owner_hint(e, &db)),
    }
}

/// An unregistered person refused on a database another account owns (an administrator
/// setting up a server, say): the refusal names that account, which acts as a coordinator,
/// so the way forward is said rather than guessed.
fn owner_hint(e: anyhow::Error, db: &std::path::Path) -> anyhow::Error {
    let Some(crate::domain::Problem::Unregistered { login }) =
        e.downcast_ref::<crate::domain::Problem>()
    else {
        return e;
    };
    // Only for a person acting as themselves on someone else's file: behind `--as` (a forced
    // command, as the owner) the refusal's own advice is the right one.
    let me = crate::identity::os_login();
    match crate::identity::owner_login(db) {
        Some(owner) if owner != *login && *login == me => {
            let db = crate::domain::text::printable(&db.display().to_string());
            anyhow::anyhow!(
                "{login} is not registered in {db}; run spridning as {owner}, the account that \
                 owns it and acts as its coordinator (as root: `runuser -u {owner} -- \
                 spridning --db {db} …`), or ask a coordinator to register {login}"
            )
        }
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command and every option says what it is for in `--help`.
    #[test]
    fn every_command_and_option_has_a_description() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            let here = format!("{path} {}", cmd.get_name()).trim().to_string();
            if cmd.get_about().is_none() && !path.is_empty() {
                missing.push(format!("{here}: no description"));
            }
            for arg in cmd.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{here} {id}: no description"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_name() != "help" {
                    walk(sub, &here, missing);
                }
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "{}", missing.join("\n"));
    }

    #[test]
    fn help_says_that_without_a_command_the_app_opens() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Without a command"), "{help}");
    }
}
