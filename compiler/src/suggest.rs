//! "Did you mean ...?" suggestions.

/// The candidate closest to `name`, if one is close enough to be a likely typo.
pub fn closest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| {
            // Case-insensitive equality is the strongest hint (`pgtable` for `pgTable`).
            let score = if c.to_lowercase() == lower {
                1.0
            } else {
                strsim::jaro_winkler(&lower, &c.to_lowercase())
            };
            (score, c)
        })
        .filter(|(score, c)| {
            *score >= 0.85 || strsim::damerau_levenshtein(name, c) <= (name.len() / 4).max(1)
        })
        // Ties go to the name that sorts last, whatever order the candidates come in.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_typos_not_strangers() {
        let names = ["pgTable", "pgEnum", "varchar", "integer"];
        assert_eq!(super::closest("pgTabel", names), Some("pgTable"));
        assert_eq!(super::closest("varchr", names), Some("varchar"));
        assert_eq!(super::closest("completelyDifferent", names), None);
    }
}
