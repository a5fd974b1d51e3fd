//! The README tells the truth: its key table is the key map, and its two set-up commands are
//! the ones this project uses.

use spridning::app::keymap::markdown_table;
use spridning::i18n::Lang;

const README: &str = include_str!("../README.md");

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
