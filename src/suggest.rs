//! "Did you mean" hints: the closest known name to a misspelt one. Pure functions; uses
//! nothing from the crate.

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `wrong`, when it is close enough to be a likely typo.
pub fn closest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    closest_with_distance(wrong, candidates).map(|(_, c)| c)
}

/// [`closest`], with its distance from `wrong`, to choose among several misspellings.
pub fn closest_with_distance<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<(usize, &'a str)> {
    let wrong_lower = wrong.to_lowercase();
    let limit = (wrong.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min()
}

/// Swedish words a writer may use for a key, and the key they mean.
const SWEDISH: &[(&str, &str)] = &[
    ("titel", "title"),
    ("rubrik", "title"),
    ("sammanfattning", "summary"),
    ("ingress", "summary"),
    ("datum", "date"),
    ("vikt", "weight"),
    ("ordning", "weight"),
    ("utkast", "draft"),
    ("mall", "template"),
    ("sortering", "sort_by"),
    ("globala_mal", "sdg"),
    ("globala_mål", "sdg"),
    ("partner", "partners"),
    ("samarbetspartner", "partners"),
    ("område", "area"),
    ("omrade", "area"),
    ("nyckeltal", "key_metrics"),
    ("etikett", "label"),
    ("namn", "label"),
    ("enhet", "unit"),
    ("värden", "values"),
    ("varden", "values"),
    ("mål", "target"),
    ("mal", "target"),
    ("källa", "source"),
    ("kalla", "source"),
    ("decimaler", "decimals"),
    ("anteckning", "note"),
    ("kommentar", "note"),
    ("språk", "language"),
    ("sprak", "language"),
    ("beskrivning", "description"),
    ("organisation", "organisation"),
    ("organization", "organisation"),
    ("år", "report_year"),
    ("tema", "theme"),
];

/// `; did you mean `x`?` or nothing. Knows common typos and the Swedish names of keys.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let lower = wrong.to_lowercase();
    let translated = SWEDISH
        .iter()
        .find(|(sv, key)| *sv == lower && candidates.contains(key))
        .map(|(_, key)| *key);
    translated
        .or_else(|| closest(wrong, candidates.iter().copied()))
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        let keys = ["title", "summary", "date", "weight"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("sumary", keys), Some("summary"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(did_you_mean("wieght", keys), "; did you mean `weight`?");
        assert_eq!(
            did_you_mean("sammanfattning", keys),
            "; did you mean `summary`?"
        );
        assert_eq!(did_you_mean("enhet", keys), "");
    }
}
