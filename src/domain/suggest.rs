//! "Did you mean": how alike what a person typed is to a name, said once for every place
//! that suggests (an unknown method, unit or area, and the form's completion).

/// How alike below which a name is not suggested.
const ALIKE: f64 = 0.6;

/// How alike `typed` is to `name` (0 to 1, case-insensitive): spelled against the whole
/// name, or against as much of it as was typed (a typo in what is typed so far).
pub fn likeness(typed: &str, name: &str) -> f64 {
    let (typed, name) = (typed.to_lowercase(), name.to_lowercase());
    let head: String = name.chars().take(typed.chars().count()).collect();
    strsim::normalized_damerau_levenshtein(&typed, &name)
        .max(strsim::normalized_damerau_levenshtein(&typed, &head))
}

/// How alike `typed` is to the likest of a record's names, if alike enough to suggest.
pub fn alike<'a>(typed: &str, names: impl IntoIterator<Item = &'a String>) -> Option<f64> {
    let best = names
        .into_iter()
        .map(|n| likeness(typed, n))
        .fold(0.0, f64::max);
    (best >= ALIKE).then_some(best)
}

/// The (at most `n`) names alike enough to `typed`, likest first, each once.
pub fn nearest(typed: &str, names: impl Iterator<Item = String>, n: usize) -> Vec<String> {
    let mut scored: Vec<(f64, String)> = names
        .filter_map(|name| alike(typed, [&name]).map(|score| (score, name)))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(n).map(|(_, name)| name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_is_suggested_and_a_stranger_is_not() {
        assert!(alike("frasta", [&"Farsta".to_string()]).is_some());
        assert!(alike("socialmedicn", [&"socialmedicin".to_string()]).is_some());
        assert!(alike("zzqx", [&"Farsta".to_string()]).is_none());
        assert_eq!(
            nearest(
                "socialmedicn",
                ["missbruk", "socialmedicin", "socialmedicin"]
                    .into_iter()
                    .map(String::from),
                3
            ),
            ["socialmedicin"]
        );
    }
}
