//! spridning: where the spread of working methods between Stockholm's districts is recorded
//! and seen. A library with a thin binary: `domain` (plain types), `layout` (the screen's
//! geometry), `store` (SQLite, the only SQL), `app` (state and actions), `ui` (drawing),
//! `cli` (the command line), `tui` (the terminal loop), `report` (the workbook and the web
//! page), `output_file` (files written whole, and only where they may be), `identity` (who
//! is using it). Each layer uses only those before it: `ui` reads `app`, never the other
//! way round (`tests/layers.rs`); ARCHITECTURE.md says what each may import.
//!
//! With the `dev` feature (on for tests, benches and examples, see Cargo.toml) also the test
//! support: `sample` (the sample database built fresh) and `scale` (large generated ones).

pub mod app;
pub mod cli;
pub mod domain;
pub mod i18n;
pub mod identity;
pub mod layout;
pub mod locale;
pub mod output_file;
pub mod report;
#[cfg(any(test, feature = "dev"))]
pub mod sample;
#[cfg(any(test, feature = "dev"))]
pub mod scale;
pub mod store;
pub mod tui;
pub mod ui;
