//! What a package installs beside the binary, made from the command line's own definition so
//! it never drifts from `--help`: a manual page for `spridning` and one per subcommand
//! (`clap_mangen`: spridning(1), spridning-adopt(1), spridning-user-key-add(1), …) and shell
//! completions (`clap_complete`: bash, zsh, fish). `cargo run --example package_assets --
//! DIR` writes them; the Debian package's build takes them from there.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// Writes the manual pages into `dir/man` and the completions into `dir/completions`
/// (`spridning.bash`, `_spridning`, `spridning.fish`); returns the files written. `dir` must
/// not hold anything yet: nothing is replaced.
pub fn write_assets(dir: &Path) -> Result<Vec<PathBuf>> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!(
            "{} is not empty; the package's files are written into an empty folder",
            dir.display()
        );
    }
    let man = dir.join("man");
    let completions = dir.join("completions");
    for d in [&man, &completions] {
        std::fs::create_dir_all(d).with_context(|| format!("cannot create {}", d.display()))?;
    }
    clap_mangen::generate_to(Cli::command(), &man)
        .with_context(|| format!("cannot write the manual pages into {}", man.display()))?;
    let mut written: Vec<PathBuf> = std::fs::read_dir(&man)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish] {
        let mut cmd = Cli::command();
        let path = clap_complete::generate_to(shell, &mut cmd, "spridning", &completions)
            .with_context(|| format!("cannot write the {shell} completion"))?;
        written.push(path);
    }
    written.sort();
    Ok(written)
}
