//! What the package installs beside the binary: a manual page for spridning and every
//! subcommand, and completions for bash, zsh and fish, made from the command line's own
//! definition (`spridning::cli::assets`).

use clap::CommandFactory;
use spridning::cli::Cli;

/// `spridning`, `spridning-user`, `spridning-user-key-add`, …: every command and subcommand.
fn page_names(cmd: &clap::Command, prefix: &str, out: &mut Vec<String>) {
    let name = if prefix.is_empty() {
        cmd.get_name().to_string()
    } else {
        format!("{prefix}-{}", cmd.get_name())
    };
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        page_names(sub, &name, out);
    }
    out.push(name);
}

#[test]
fn every_command_has_a_manual_page_and_the_shells_complete_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("assets");
    let files = spridning::cli::assets::write_assets(&out).unwrap();
    let mut wanted = Vec::new();
    page_names(&Cli::command(), "", &mut wanted);
    assert!(wanted.len() > 30, "{wanted:?}");
    for name in &wanted {
        let page = out.join("man").join(format!("{name}.1"));
        let text = std::fs::read_to_string(&page).unwrap_or_else(|e| panic!("{name}.1: {e}"));
        assert!(
            text.contains(&format!(".TH {name} 1")),
            "{name}.1 is a manual page"
        );
        assert!(text.contains(".SH SYNOPSIS"), "{name}.1 has a synopsis");
    }
    let pages = files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "1"))
        .count();
    assert_eq!(pages, wanted.len(), "a page per command, no more");
    // The manual page of the keys' command says what sshd needs.
    let keys = std::fs::read_to_string(out.join("man/spridning-authorized-keys.1")).unwrap();
    assert!(keys.contains("AuthorizedKeysCommand"), "{keys}");
    // bash loads its completion and completes spridning with it.
    let bash = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source {} && complete -p spridning",
            out.join("completions/spridning.bash").display()
        ))
        .output()
        .unwrap();
    assert!(bash.status.success(), "{bash:?}");
    assert!(String::from_utf8_lossy(&bash.stdout).contains("-F _spridning spridning"));
    for (file, needle) in [
        ("_spridning", "#compdef spridning"),
        ("spridning.fish", "complete -c spridning"),
    ] {
        let text = std::fs::read_to_string(out.join("completions").join(file)).unwrap();
        assert!(text.contains(needle), "{file}");
        assert!(
            text.contains("authorized-keys"),
            "{file} knows the subcommands"
        );
    }
    // Nothing is replaced: a folder with something in it is refused.
    let again = spridning::cli::assets::write_assets(&out)
        .unwrap_err()
        .to_string();
    assert!(again.contains("is not empty"), "{again}");
}
