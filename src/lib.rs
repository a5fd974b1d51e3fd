//! spridning: where the spread of working methods between Stockholm's districts is recorded
//! and seen. A library with a thin binary: `domain` (plain types), `layout` (the screen's
//! geometry), `store` (SQLite, the only SQL), `app` (state and actions), `ui` (drawing),
//! `cli` (the command line), `tui` (the terminal loop), `output_file` (files written whole,
//! and only where they may be). Each layer uses only those before it in this list: `ui`
//! reads `app`, never the other way round (`tests/layers.rs`).

pub mod app;
pub mod cli;
pub mod domain;
pub mod i18n;
pub mod identity;
pub mod layout;
pub mod output_file;
pub mod report;
pub mod sample;
pub mod scale;
pub mod store;
pub mod tui;
pub mod ui;
