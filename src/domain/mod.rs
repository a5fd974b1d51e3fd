//! The domain: plain types and rules with no I/O — stages, dates, units, methods, events,
//! and the cleaning of text that comes from people or files.

pub mod activity_filter;
pub mod age;
pub mod date;
pub mod matrix_filter;
pub mod model;
pub mod problem;
pub mod region;
pub mod rules;
pub mod ssh_key;
pub mod stage;
pub mod suggest;
pub mod text;

pub use activity_filter::ActivityFilter;
pub use date::EventDate;
pub use matrix_filter::MatrixFilter;
pub use model::*;
pub use problem::{Deed, Noun, Problem};
pub use stage::{CellStage, Stage, StageCounts};
