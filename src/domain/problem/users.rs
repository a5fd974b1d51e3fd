//! Registering people: roles, their units, the last coordinator.

use crate::i18n::Lang;

/// What registering a person may not do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Users {
    UnknownRole {
        role: String,
    },
    MemberNeedsUnit {
        login: String,
    },
    /// A coordinator or viewer given units (`role` is its code).
    NoUnitsFor {
        login: String,
        role: String,
    },
    LastCoordinator {
        login: String,
    },
    UnknownUser {
        login: String,
    },
}

impl Users {
    /// The message in `lang`: one line.
    pub fn text(&self, lang: Lang) -> String {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        match self {
            Users::UnknownRole { role } => pick(
                format!("okänd roll '{role}' (välj coordinator, member eller viewer)"),
                format!("unknown role '{role}' (use coordinator, member or viewer)"),
            ),
            Users::MemberNeedsUnit { login } => pick(
                format!(
                    "{login} ska bli medlem: ange enheten (eller enheterna) hen registrerar för"
                ),
                format!("{login} is to be a member: name the unit (or units) they record for"),
            ),
            Users::NoUnitsFor { login, role } => pick(
                format!(
                    "{login} ska bli {}, som inte har egna enheter (en samordnare registrerar för alla enheter, en läsare för ingen); ge enheter bara till en medlem",
                    match role.as_str() {
                        "coordinator" => "samordnare",
                        _ => "läsare",
                    }
                ),
                format!(
                    "{login} is to be a {role}, who has no units of their own (a coordinator records for every unit, a viewer for none); give units only to a member"
                ),
            ),
            Users::LastCoordinator { login } => pick(
                format!("{login} är den sista samordnaren; registrera en annan samordnare först"),
                format!("{login} is the last coordinator; register another coordinator first"),
            ),
            Users::UnknownUser { login } => pick(
                format!("okänd användare '{login}'"),
                format!("unknown user '{login}'"),
            ),
        }
    }
}
