//! Records: names taken, successors, events, edits that crossed.

use super::*;

impl Problem {
    pub(super) fn records_text(&self, lang: Lang) -> Option<String> {
        let sv = lang == Lang::Sv;
        let pick = |s: String, e: String| if sv { s } else { e };
        Some(match self {
            Problem::MethodNameTaken { wanted, owner } => pick(
                format!("'{wanted}' är redan namn eller kortnamn på metoden '{owner}'"),
                format!("'{wanted}' is already the name or short name of method '{owner}'"),
            ),
            Problem::UnitNameTaken { wanted, code, name } => pick(
                format!("'{wanted}' är redan kod eller namn på enheten {code} ({name})"),
                format!("'{wanted}' is already the code or name of unit {code} ({name})"),
            ),
            Problem::OwnSuccessor { code } => pick(
                format!("enhet {code} kan inte efterträda sig själv"),
                format!("unit {code} cannot be its own successor"),
            ),
            Problem::UnknownSuccessor { code } => pick(
                format!("okänd efterträdare '{code}'"),
                format!("unknown successor unit '{code}'"),
            ),
            Problem::SuccessorCircle {
                code,
                successor,
                circle,
            } => pick(
                format!(
                    "enhet {code}: efterträdaren {successor} skulle bilda en cirkel ({})",
                    circle.join(" → ")
                ),
                format!(
                    "unit {code}: successor {successor} would make a circle ({})",
                    circle.join(" → ")
                ),
            ),
            Problem::NoEvent { id } => pick(
                format!("ingen händelse med id {id}"),
                format!("no stage event with id {id}"),
            ),
            Problem::AlreadyRetracted { id } => pick(
                format!("händelse {id} är redan återkallad"),
                format!("stage event {id} is already retracted"),
            ),
            Problem::NeedsReason => pick(
                "en återkallelse behöver ett skäl".into(),
                "a retraction needs a reason".into(),
            ),
            Problem::NothingToConfirm { method, unit, date } => pick(
                format!(
                    "{method} har inget steg i {unit} {date} att bekräfta; registrera ett steg i stället"
                ),
                format!(
                    "{method} has no stage in {unit} on {date} to confirm; record a stage instead"
                ),
            ),
            Problem::NoConfirmation { id } => pick(
                format!("ingen bekräftelse {id}"),
                format!("no confirmation {id}"),
            ),
            Problem::ConfirmationRetracted { id } => pick(
                format!("bekräftelse {id} är redan återkallad"),
                format!("confirmation {id} is already retracted"),
            ),
            Problem::RoundOpen { name } => pick(
                format!("inventeringen '{name}' pågår redan; avsluta den först (round close)"),
                format!("round '{name}' is open already; close it first (round close)"),
            ),
            Problem::RoundNameTaken { name } => pick(
                format!("det finns redan en inventering som heter '{name}'"),
                format!("there is already a round called '{name}'"),
            ),
            Problem::NoOpenRound => pick(
                "ingen inventering pågår (round start)".into(),
                "no round is open (round start)".into(),
            ),
            Problem::NoRound { name, near } => {
                let near = if near.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({} {})",
                        lang.pick("menade du:", "did you mean:"),
                        near.join(", ")
                    )
                };
                pick(
                    format!("ingen inventering som heter '{name}'{near}"),
                    format!("no round called '{name}'{near}"),
                )
            }
            Problem::DuePassed { due } => pick(
                format!("sista dagen {due} har redan passerat"),
                format!("the due day {due} has passed"),
            ),
            Problem::NotInRound { unit, round } => pick(
                format!("inventeringen '{round}' frågar inte {unit}"),
                format!("round '{round}' does not ask {unit}"),
            ),
            Problem::NotAsked {
                method,
                unit,
                round,
            } => pick(
                format!("inventeringen '{round}' frågar inte {unit} om {method}"),
                format!("round '{round}' does not ask {unit} about {method}"),
            ),
            Problem::HasStage {
                method,
                unit,
                stage,
            } => pick(
                format!(
                    "{method} har steget {stage} i {unit}; svara att den inte längre används (--stage discontinued)"
                ),
                format!(
                    "{method} is at {stage} in {unit}; answer that it is no longer in use (--stage discontinued)"
                ),
            ),
            Problem::UnknownSetting { key } => pick(
                format!("okänd inställning '{key}' (kända: title, fresh-months)"),
                format!("unknown setting '{key}' (known: title, fresh-months)"),
            ),
            Problem::FreshMonths { value, max } => pick(
                format!(
                    "fresh-months ska vara ett helt antal månader från 1 till {max}, inte '{value}'"
                ),
                format!(
                    "fresh-months must be a whole number of months from 1 to {max}, not '{value}'"
                ),
            ),
            Problem::ChangedMeanwhile { what, name } => {
                let w = what.word(lang);
                pick(
                    format!(
                        "{w} {name} ändrades av någon annan under tiden; läs om och försök igen"
                    ),
                    format!(
                        "{w} {name} was changed by someone else meanwhile; reload and try again"
                    ),
                )
            }
            _ => return None,
        })
    }
}
