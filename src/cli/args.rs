//! Option groups that several subcommands share: where a file goes (`--out`, `--force`), the
//! day and knowledge shown (`--as-of`, `--known-at`, `--all`, `--roll-up`) and a list's
//! format.

use std::path::PathBuf;

use clap::ValueEnum;

/// Where a command writes its file: standard output, or a file written whole (see
/// `output_file`).
#[derive(Debug, Clone, clap::Args)]
pub struct OutArgs {
    /// Write to FILE (whole or not at all) instead of standard output; `-` is standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace FILE if it exists (only a regular file, never the database).
    #[arg(long, requires = "out")]
    pub force: bool,
}

/// The day and knowledge a command shows.
#[derive(Debug, Clone, clap::Args)]
pub struct MomentArgs {
    /// As of this day (YYYY-MM-DD, or YYYY-MM for its first day; default: today).
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// As the register knew it at this time (RFC 3339, or a day: at its end, UTC).
    #[arg(long, value_name = "TIME")]
    pub known_at: Option<String>,
    /// Count every unit, also those not valid on the day.
    #[arg(long)]
    pub all: bool,
    /// A stage last heard more than N months before the day is stale (default: the
    /// register's `fresh-months` setting; 24 unless a coordinator changed it).
    #[arg(long, value_name = "N")]
    pub fresh_months: Option<String>,
    /// Current only: leave stale stages out, instead of showing them marked (last known).
    #[arg(long)]
    pub current_only: bool,
}

impl MomentArgs {
    /// Whether any of them was given.
    pub fn given(&self) -> bool {
        self.as_of.is_some()
            || self.known_at.is_some()
            || self.all
            || self.fresh_months.is_some()
            || self.current_only
    }
}

/// The moment, and whether predecessors' history is folded in.
#[derive(Debug, Clone, clap::Args)]
pub struct WhenArgs {
    /// The day and knowledge shown.
    #[command(flatten)]
    pub moment: MomentArgs,
    /// Give units without history of their own their predecessors'.
    #[arg(long)]
    pub roll_up: bool,
}

/// How a list is written: `table` (aligned, for people), `csv` or `json` (for scripts).
#[allow(
    missing_docs,
    reason = "a variant's doc comment would be its help in --help"
)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
}
