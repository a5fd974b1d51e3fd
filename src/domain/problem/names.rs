//! Names: unknown, ambiguous or missing.

use super::*;

impl Problem {
    pub(super) fn names_text(&self, lang: Lang) -> Option<String> {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        Some(match self {
            Problem::Unknown { what, wanted, near } => {
                let w = what.word(lang);
                let first = pick(
                    format!("okänd {w} {}", quoted(wanted, lang)),
                    format!("unknown {w} {}", quoted(wanted, lang)),
                );
                if near.is_empty() {
                    first
                } else {
                    let mean = lang.pick("menar du", "did you mean");
                    format!("{first} ({mean}: {}?)", near.join(", "))
                }
            }
            Problem::Ambiguous {
                what,
                wanted,
                matches,
            } => {
                let w = what.word(lang);
                pick(
                    format!(
                        "tvetydig {w} {}: passar {}",
                        quoted(wanted, lang),
                        matches.join(", ")
                    ),
                    format!(
                        "ambiguous {w} {}: matches {}",
                        quoted(wanted, lang),
                        matches.join(", ")
                    ),
                )
            }
            Problem::NothingGiven { what } => {
                let w = what.word(lang);
                pick(format!("ingen {w} angiven"), format!("no {w} given"))
            }
            _ => return None,
        })
    }
}
