//! Who may do what.

use super::*;

impl Problem {
    pub(super) fn roles_text(&self, lang: Lang) -> Option<String> {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        Some(match self {
            Problem::Unregistered { login } => pick(
                format!(
                    "{login} är inte registrerad i databasen och kan bara läsa; be en samordnare köra `spridning user add {login} --role member --unit KOD`"
                ),
                format!(
                    "{login} is not registered in this database and can only read; ask a coordinator to run `spridning user add {login} --role member --unit CODE`"
                ),
            ),
            Problem::Viewer { login, deed } => {
                let d = deed.phrase(lang);
                pick(
                    format!(
                        "{login} har läsbehörighet och kan bara läsa; be en samordnare om en roll som får {d}"
                    ),
                    format!(
                        "{login} is a viewer and can only read; ask a coordinator for a role that may {d}"
                    ),
                )
            }
            Problem::Member { login, deed } => {
                let d = deed.phrase(lang);
                pick(
                    format!("{login} är medlem och kan inte {d}"),
                    format!("{login} is a member and cannot {d}"),
                )
            }
            Problem::OtherUnits {
                login,
                code,
                deed,
                theirs,
            } => {
                let theirs = theirs.join(", ");
                pick(
                    format!(
                        "{login} är medlem för andra enheter och kan inte {} för {code}; {login} registrerar för {theirs}",
                        deed.phrase(Lang::Sv)
                    ),
                    format!(
                        "{login} is a member for other units and cannot {} for {code}; {login} records for {theirs}",
                        deed.phrase(Lang::En)
                    ),
                )
            }
            _ => return None,
        })
    }
}
