//! Where the command line says a problem in its own terms: the store's words are the same
//! for the terminal app's forms and the command line ("give it a code"), and here the
//! command line names the option that does it ("give its code with --code").

use crate::domain::Problem;
use crate::domain::problem::Reorganisation;

/// `e`, with the command line's option named where one answers it.
pub fn name_options(e: anyhow::Error) -> anyhow::Error {
    let said = match e.downcast_ref::<Problem>() {
        Some(Problem::Reorganisation(Reorganisation::NeedsCode { name })) => {
            format!("'{name}' is a new unit: give its code with --code")
        }
        Some(Problem::Reorganisation(Reorganisation::NeedsBoth)) => {
            "a reorganisation needs units --from and units --into".to_string()
        }
        _ => return e,
    };
    anyhow::anyhow!(said)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_unit_without_a_code_names_the_option() {
        let e = name_options(
            Problem::Reorganisation(Reorganisation::NeedsCode { name: "Ny".into() }).into(),
        );
        assert_eq!(
            e.to_string(),
            "'Ny' is a new unit: give its code with --code"
        );
        let other = name_options(Problem::NeedsReason.into());
        assert!(other.downcast_ref::<Problem>().is_some());
    }
}
