//! Languages of the user interface.

/// The language of the terminal app (the command line answers in English).
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
