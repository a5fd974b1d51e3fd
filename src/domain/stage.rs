//! The fixed vocabulary of adoption stages. The database enforces the same list (table `stage`).

use super::problem::Problem;
use std::fmt;
use std::str::FromStr;

use crate::i18n::Lang;

/// Where an adoption stands. Ordered as an adoption usually moves; it can also move back or out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Exploring,
    Preparing,
    Pilot,
    Implemented,
    Sustained,
    Paused,
    Discontinued,
}

impl Stage {
    /// Every stage, in the order of the process.
    pub const ALL: [Stage; 7] = [
        Stage::Exploring,
        Stage::Preparing,
        Stage::Pilot,
        Stage::Implemented,
        Stage::Sustained,
        Stage::Paused,
        Stage::Discontinued,
    ];

    /// The code stored in the database and used on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Exploring => "exploring",
            Stage::Preparing => "preparing",
            Stage::Pilot => "pilot",
            Stage::Implemented => "implemented",
            Stage::Sustained => "sustained",
            Stage::Paused => "paused",
            Stage::Discontinued => "discontinued",
        }
    }

    /// The stage in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::Exploring, Lang::Sv) => "Utforskar",
            (Stage::Preparing, Lang::Sv) => "Förbereder",
            (Stage::Pilot, Lang::Sv) => "Pilot",
            (Stage::Implemented, Lang::Sv) => "Ordinarie verksamhet",
            (Stage::Sustained, Lang::Sv) => "Vidmakthållen",
            (Stage::Paused, Lang::Sv) => "Pausad",
            (Stage::Discontinued, Lang::Sv) => "Avslutad",
            (Stage::Exploring, Lang::En) => "Exploring",
            (Stage::Preparing, Lang::En) => "Preparing",
            (Stage::Pilot, Lang::En) => "Pilot",
            (Stage::Implemented, Lang::En) => "Implemented",
            (Stage::Sustained, Lang::En) => "Sustained",
            (Stage::Paused, Lang::En) => "Paused",
            (Stage::Discontinued, Lang::En) => "Discontinued",
        }
    }

    /// The letter that picks the stage in a form, distinct per language and a letter of
    /// its word there (shown underlined in the form, and in help): Pilot keeps `p` in both,
    /// as the stage recorded most; the others take their first letter still free.
    pub fn letter(self, lang: Lang) -> char {
        match (self, lang) {
            (Stage::Exploring, Lang::Sv) => 'u',
            (Stage::Preparing, Lang::Sv) => 'f',
            (Stage::Pilot, _) => 'p',
            (Stage::Implemented, Lang::Sv) => 'o',
            (Stage::Sustained, Lang::Sv) => 'v',
            (Stage::Paused, _) => 'a',
            (Stage::Discontinued, Lang::Sv) => 's',
            (Stage::Exploring, Lang::En) => 'e',
            (Stage::Preparing, Lang::En) => 'r',
            (Stage::Implemented, Lang::En) => 'i',
            (Stage::Sustained, Lang::En) => 's',
            (Stage::Discontinued, Lang::En) => 'd',
        }
    }

    /// What the stage means, in plain words for a reader of the reports (DESIGN.md's
    /// stages).
    pub fn meaning(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Stage::Exploring, Lang::Sv) => {
                "enheten överväger metoden: inventerar behov, gör studiebesök"
            }
            (Stage::Preparing, Lang::Sv) => {
                "enheten har bestämt sig och förbereder: utbildar personal, bygger upp arbetet"
            }
            (Stage::Pilot, Lang::Sv) => "metoden prövas i ett projekt eller i en del av enheten",
            (Stage::Implemented, Lang::Sv) => "metoden används i det ordinarie arbetet",
            (Stage::Sustained, Lang::Sv) => {
                "metoden används fortfarande ett år eller mer efter införandet, och det är kontrollerat"
            }
            (Stage::Paused, Lang::Sv) => {
                "arbetet har stannat tills vidare (till exempel pengar eller nyckelpersoner saknas)"
            }
            (Stage::Discontinued, Lang::Sv) => {
                "arbetet har upphört för gott, eller metoden valdes bort efter att ha prövats"
            }
            (Stage::Exploring, Lang::En) => {
                "the unit is considering the method: looking at needs, visiting others"
            }
            (Stage::Preparing, Lang::En) => {
                "the unit has decided and is getting ready: training staff, setting it up"
            }
            (Stage::Pilot, Lang::En) => "the method is tried in a project or a part of the unit",
            (Stage::Implemented, Lang::En) => "the method is used in the unit's ordinary work",
            (Stage::Sustained, Lang::En) => {
                "the method is still in use a year or more after it was introduced, and checked"
            }
            (Stage::Paused, Lang::En) => {
                "the work has stopped for now (for example no money, or key staff left)"
            }
            (Stage::Discontinued, Lang::En) => {
                "the work has stopped for good, or the method was turned down after a trial"
            }
        }
    }

    /// One-cell glyph, distinct per stage so the matrix reads without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Stage::Exploring => "?",
            Stage::Preparing => "○",
            Stage::Pilot => "◐",
            Stage::Implemented => "●",
            Stage::Sustained => "★",
            Stage::Paused => "‖",
            Stage::Discontinued => "×",
        }
    }

    /// In use: implemented or sustained. The one definition the Matrix's column, the
    /// figures ("in use"), the reports and the slides count by.
    pub fn in_use(self) -> bool {
        matches!(self, Stage::Implemented | Stage::Sustained)
    }

    /// Reached: a pilot, or beyond it and still going (what "reached" and the first pilot
    /// count).
    pub fn reached(self) -> bool {
        matches!(self, Stage::Pilot | Stage::Implemented | Stage::Sustained)
    }

    /// Stopped: paused or discontinued, the stages that say the work does not go on (a
    /// lapse after use; never "not heard from").
    pub fn stopped(self) -> bool {
        matches!(self, Stage::Paused | Stage::Discontinued)
    }

    /// How far along a stage is, for choosing the furthest among predecessors: the active
    /// stages by their order, then exploring and preparing, paused and discontinued last.
    pub fn progress(self) -> u8 {
        match self {
            Stage::Sustained => 7,
            Stage::Implemented => 6,
            Stage::Pilot => 5,
            Stage::Preparing => 4,
            Stage::Exploring => 3,
            Stage::Paused => 2,
            Stage::Discontinued => 1,
        }
    }

    /// The stage's place in `ALL` (and in a `StageCounts`).
    pub fn index(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Stage {
    type Err = Problem;

    /// Accepts the code or either language's label, case-insensitively.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The stored code, as every database row holds it: no allocation (a history read
        // parses a million of them).
        if let Some(stage) = Stage::ALL.into_iter().find(|stage| stage.code() == s) {
            return Ok(stage);
        }
        let wanted = s.trim().to_lowercase();
        Stage::ALL
            .into_iter()
            .find(|stage| {
                stage.code() == wanted
                    || stage.label(Lang::Sv).to_lowercase() == wanted
                    || stage.label(Lang::En).to_lowercase() == wanted
            })
            .ok_or_else(|| Problem::UnknownStage {
                value: s.to_string(),
                codes: Stage::ALL.iter().map(|s| s.code()).collect(),
            })
    }
}

/// A stage as a screen shows it: the stage, and whether it is stale (last heard before the
/// register's fresh months: shown marked, or left out in "current only").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellStage {
    pub stage: Stage,
    pub stale: bool,
}

impl CellStage {
    /// A stage heard from within the fresh months.
    pub fn fresh(stage: Stage) -> CellStage {
        CellStage {
            stage,
            stale: false,
        }
    }
}

/// How many (units or methods) stand at each stage, and how many of those stages are stale
/// (not heard from in the register's fresh months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StageCounts {
    by_stage: [u32; 7],
    /// Of the stages counted, those last heard before the fresh months; in "current only"
    /// the stages left out for it.
    pub stale: u32,
}

impl StageCounts {
    /// The counts in the stages' order.
    pub fn values(&self) -> impl Iterator<Item = u32> + '_ {
        self.by_stage.iter().copied()
    }

    /// Counts `n` stages at `stage`, `stale` of them stale; in "current only"
    /// (`leave_out_stale`) the stale ones are counted as left out, not at their stage.
    pub fn add(&mut self, stage: Stage, n: u32, stale: u32, leave_out_stale: bool) {
        self.by_stage[stage.index()] += if leave_out_stale { n - stale } else { n };
        self.stale += stale;
    }

    /// How many stages in all.
    pub fn total(&self) -> u32 {
        self.by_stage.iter().sum()
    }

    /// How many are in use (`Stage::in_use`).
    pub fn in_use(&self) -> u32 {
        Stage::ALL
            .iter()
            .filter(|s| s.in_use())
            .map(|s| self[*s])
            .sum()
    }
}

impl std::ops::Index<Stage> for StageCounts {
    type Output = u32;

    fn index(&self, stage: Stage) -> &u32 {
        &self.by_stage[stage.index()]
    }
}

impl std::ops::IndexMut<Stage> for StageCounts {
    fn index_mut(&mut self, stage: Stage) -> &mut u32 {
        &mut self.by_stage[stage.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_parse_back() {
        for stage in Stage::ALL {
            assert_eq!(stage.code().parse::<Stage>(), Ok(stage));
            assert_eq!(stage.label(Lang::Sv).parse::<Stage>(), Ok(stage));
            assert_eq!(
                stage.label(Lang::En).to_uppercase().parse::<Stage>(),
                Ok(stage)
            );
        }
    }

    #[test]
    fn unknown_stage_names_the_value() {
        let err = "piloting".parse::<Stage>().unwrap_err().to_string();
        assert!(err.contains("'piloting'"), "{err}");
    }

    #[test]
    fn every_stage_has_a_letter_of_its_own_from_its_word_in_both_languages() {
        for lang in [Lang::Sv, Lang::En] {
            let mut letters: Vec<char> = Stage::ALL.iter().map(|s| s.letter(lang)).collect();
            for s in Stage::ALL {
                assert!(
                    s.label(lang).to_lowercase().contains(s.letter(lang)),
                    "{s:?} {lang:?}"
                );
            }
            letters.sort_unstable();
            letters.dedup();
            assert_eq!(letters.len(), Stage::ALL.len(), "{lang:?}");
        }
    }

    #[test]
    fn glyphs_are_distinct() {
        let mut glyphs: Vec<&str> = Stage::ALL.iter().map(|s| s.glyph()).collect();
        glyphs.sort();
        glyphs.dedup();
        assert_eq!(glyphs.len(), Stage::ALL.len());
    }
}
