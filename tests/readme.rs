//! The README tells the truth: its key table is the key map, and its two set-up commands are
//! the ones this project uses. ARCHITECTURE.md names every module.

use spridning::app::keymap::markdown_table;
use spridning::i18n::Lang;

const README: &str = include_str!("../README.md");
const ARCHITECTURE: &str = include_str!("../ARCHITECTURE.md");

#[test]
fn readme_key_table_is_the_key_map() {
    let table = markdown_table(Lang::En);
    assert!(
        README.contains(&table),
        "README's key table is out of date; it should read:\n{table}"
    );
}

#[test]
fn readme_has_the_two_setup_commands() {
    assert!(README.contains("cargo run -- --db sample.db"));
    assert!(README.contains("cargo test"));
}

/// "What the numbers mean" is the list the reports print: every figure's row, word for word.
#[test]
fn readme_definitions_are_the_reports_definitions() {
    for d in spridning::store::DEFINITIONS {
        let row = format!("| {} | {} | {} |", d.en, d.sv, d.counts_en);
        assert!(
            README.contains(&row),
            "README's \"What the numbers mean\" lacks the row:\n{row}"
        );
    }
}

/// ARCHITECTURE.md names every top-level module and every module of the drawing (`src/ui/`),
/// so a new one cannot be left out of it silently.
#[test]
fn architecture_names_every_module() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut missing = Vec::new();
    for dir in ["src", "src/ui"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("a source folder") {
            let name = entry.expect("an entry").file_name();
            let name = name.to_string_lossy();
            let stem = name.strip_suffix(".rs").unwrap_or(&name);
            if matches!(stem, "mod" | "lib" | "main" | "tests") {
                continue;
            }
            // `deck.rs`, `deck/` or `deck` (in the layers' table) all name it.
            if !ARCHITECTURE.contains(&format!("`{stem}")) {
                missing.push(format!("{dir}/{name}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md does not name: {}",
        missing.join(", ")
    );
}
