//! Stockholm's regions as people name and order them: innerstaden, söderort, västerort, any
//! other region by name, and last the central administrations and partners (units without a
//! region shown as a district's). The method slide and the web report group units this way.

use crate::i18n::Lang;

/// Where a region comes in a list (its stored name; `None`: central units and partners).
pub fn order(region: Option<&str>) -> (u8, String) {
    match region {
        Some("innerstad") => (0, String::new()),
        Some("söderort") => (1, String::new()),
        Some("västerort") => (2, String::new()),
        Some(other) => (3, other.to_string()),
        None => (4, String::new()),
    }
}

/// A region's heading as people say it.
pub fn name(region: Option<&str>, lang: Lang) -> String {
    match region {
        Some("innerstad") => lang.pick("Innerstaden", "Inner city").into(),
        Some("söderort") => lang.pick("Söderort", "Söderort (south)").into(),
        Some("västerort") => lang.pick("Västerort", "Västerort (west)").into(),
        Some(other) => {
            let mut c = other.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
        None => lang
            .pick(
                "Centrala förvaltningar och partner",
                "Central administrations and partners",
            )
            .into(),
    }
}

/// Items grouped by region, the groups in `order` and each group's items as they came.
pub fn group<T>(
    items: impl IntoIterator<Item = (Option<String>, T)>,
) -> Vec<(Option<String>, Vec<T>)> {
    let mut groups: Vec<(Option<String>, Vec<T>)> = Vec::new();
    for (region, item) in items {
        match groups.iter_mut().find(|g| g.0 == region) {
            Some(g) => g.1.push(item),
            None => groups.push((region, vec![item])),
        }
    }
    groups.sort_by_key(|g| order(g.0.as_deref()));
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_come_in_the_usual_order_with_central_units_last() {
        let items = [
            (None, "SLF"),
            (Some("västerort".to_string()), "RK"),
            (Some("innerstad".to_string()), "NI"),
            (Some("söderort".to_string()), "FA"),
            (Some("innerstad".to_string()), "SÖ"),
        ];
        let groups = group(items);
        let order: Vec<(Option<&str>, Vec<&str>)> = groups
            .iter()
            .map(|(r, u)| (r.as_deref(), u.clone()))
            .collect();
        assert_eq!(
            order,
            vec![
                (Some("innerstad"), vec!["NI", "SÖ"]),
                (Some("söderort"), vec!["FA"]),
                (Some("västerort"), vec!["RK"]),
                (None, vec!["SLF"]),
            ]
        );
        assert_eq!(name(Some("norrort"), Lang::En), "Norrort");
    }
}
