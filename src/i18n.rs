//! Languages of the user interface.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    /// From `LC_ALL`, `LC_MESSAGES` or `LANG`: Swedish when it starts with `sv`, else English.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if v.starts_with("sv") {
                    Lang::Sv
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }
}

impl Lang {
    /// The Swedish or English text. Both stand side by side at the call site, so a screen's
    /// text is read in one place.
    pub fn pick(self, sv: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// Phrases of the store's and the domain's messages (which are English, for scripts and logs)
/// and how the Swedish interface says them. Longer phrases come first.
const SWEDISH: &[(&str, &str)] = &[
    (
        "(use YYYY-MM-DD, or YYYY-MM for a month)",
        "(skriv ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM för en månad)",
    ),
    ("(use YYYY-MM-DD)", "(skriv ÅÅÅÅ-MM-DD)"),
    (
        "was changed by someone else meanwhile; reload and try again",
        "ändrades av någon annan under tiden; läs om och försök igen",
    ),
    (
        "is a member for other units and cannot record for",
        "är medlem för andra enheter och kan inte registrera för",
    ),
    (
        "is already the name or short name of method",
        "är redan namn eller kortnamn på metoden",
    ),
    (
        "is already the code or name of unit",
        "är redan kod eller namn på enheten",
    ),
    (
        "must be 2–4 letters or digits",
        "ska vara 2–4 bokstäver eller siffror",
    ),
    (
        "stayed locked by another process for",
        "var låst av en annan process i",
    ),
    (
        "nothing was saved, try again",
        "inget sparades, försök igen",
    ),
    (
        "a retraction needs a reason",
        "en återkallelse behöver ett skäl",
    ),
    ("is already retracted", "är redan återkallad"),
    (
        "holds only invisible or control characters",
        "innehåller bara osynliga tecken eller styrtecken",
    ),
    (
        "contains a space; a login is one word",
        "innehåller mellanslag; ett inloggningsnamn är ett ord",
    ),
    ("ask its owner for write access", "be ägaren om skrivrätt"),
    ("is read-only for you", "är skrivskyddad för dig"),
    ("reading still works", "läsning fungerar ändå"),
    ("would make a circle", "skulle bilda en cirkel"),
    ("is in the future", "ligger i framtiden"),
    ("did not exist on", "fanns inte den"),
    ("it existed until", "den fanns till och med"),
    ("it exists from", "den finns från och med"),
    ("it existed", "den fanns"),
    ("use its successor", "använd efterträdaren"),
    ("characters, at most", "tecken, högst"),
    ("is too long", "är för lång"),
    ("method name is empty", "metoden behöver ett namn"),
    ("unit name is empty", "enheten behöver ett namn"),
    ("unknown method", "okänd metod"),
    ("unknown unit", "okänd enhet"),
    ("ambiguous method", "tvetydig metod"),
    ("ambiguous unit", "tvetydig enhet"),
    ("did you mean:", "menar du:"),
    (": matches", ": passar"),
    ("no method given", "ingen metod angiven"),
    ("no unit given", "ingen enhet angiven"),
    ("invalid date", "ogiltigt datum"),
    ("unit code", "enhetskoden"),
];

/// Words that begin a message, replaced only there, so that a name inside the message (which
/// may contain any word) is never changed.
const SWEDISH_START: &[(&str, &str)] = &[
    ("unit ", "enhet "),
    ("method ", "metod "),
    ("date ", "datum "),
];

/// A message from the store or the domain, as the interface's language says it.
pub fn localize(message: &str, lang: Lang) -> String {
    match lang {
        Lang::En => message.to_string(),
        Lang::Sv => {
            let start = SWEDISH_START
                .iter()
                .find_map(|(en, sv)| message.strip_prefix(en).map(|rest| format!("{sv}{rest}")))
                .unwrap_or_else(|| message.to_string());
            SWEDISH.iter().fold(start, |m, (en, sv)| m.replace(en, sv))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_messages_read_as_swedish() {
        assert_eq!(
            localize("unknown unit 'XYZ' (did you mean: KH?)", Lang::Sv),
            "okänd enhet 'XYZ' (menar du: KH?)"
        );
        assert_eq!(
            localize(
                "unit VA (Vantör) did not exist on 2024-01-01: it existed until 2006-12-31; use its successor EAV",
                Lang::Sv
            ),
            "enhet VA (Vantör) fanns inte den 2024-01-01: den fanns till och med 2006-12-31; använd efterträdaren EAV"
        );
        assert_eq!(
            localize(
                "invalid date '2019-02-30' (use YYYY-MM-DD, or YYYY-MM for a month)",
                Lang::Sv
            ),
            "ogiltigt datum '2019-02-30' (skriv ÅÅÅÅ-MM-DD, eller ÅÅÅÅ-MM för en månad)"
        );
        assert_eq!(
            localize("unknown unit 'XYZ'", Lang::En),
            "unknown unit 'XYZ'"
        );
        assert_eq!(
            localize("unknown method 'Stöd method 3'", Lang::Sv),
            "okänd metod 'Stöd method 3'",
            "names inside a message stay as they are"
        );
    }
}
