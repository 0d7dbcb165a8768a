use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::*;
use crate::yaml;

#[test]
fn codes_sort_numerically() {
    let mut codes = vec!["413-1", "2-29", "305-4a", "305-10", "305-4"];
    codes.sort_by_key(|c| sort_key(c));
    assert_eq!(codes, vec!["2-29", "305-4", "305-4a", "305-10", "413-1"]);
}

#[test]
fn every_standard_has_its_disclosures_and_no_more() {
    let mut per_standard: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    for (code, _) in titles::ENGLISH {
        let (s, d, suffix) = sort_key(code);
        assert!(suffix.is_empty(), "{code}");
        assert_eq!(format!("{s}-{d}"), *code, "{code} is written as it sorts");
        per_standard.entry(s).or_default().push(d);
    }
    let expected: &[(u32, u32)] = &[
        (2, 30),
        (3, 3),
        (201, 4),
        (202, 2),
        (203, 2),
        (204, 1),
        (205, 3),
        (206, 1),
        (207, 4),
        (301, 3),
        (302, 5),
        (303, 5),
        (304, 4),
        (305, 7),
        (306, 5),
        (308, 2),
        (401, 3),
        (402, 1),
        (403, 10),
        (404, 3),
        (405, 2),
        (406, 1),
        (407, 1),
        (408, 1),
        (409, 1),
        (410, 1),
        (411, 1),
        (413, 2),
        (414, 2),
        (415, 1),
        (416, 2),
        (417, 3),
        (418, 1),
    ];
    let found: Vec<(u32, u32)> = per_standard
        .iter()
        .map(|(s, ds)| {
            let numbered: Vec<u32> = (1..=ds.len() as u32).collect();
            assert_eq!(
                *ds, numbered,
                "GRI {s}: disclosures 1… in order, none missing"
            );
            (*s, ds.len() as u32)
        })
        .collect();
    assert_eq!(found, expected);
    assert_eq!(titles::ENGLISH.len(), 117);
    let standards: Vec<u32> = titles::STANDARDS.iter().map(|(n, _)| *n).collect();
    assert_eq!(standards, per_standard.keys().copied().collect::<Vec<_>>());
}

#[test]
fn titles_are_clean_and_unique() {
    let mut seen = HashSet::new();
    for (code, t) in titles::ENGLISH.iter().chain(titles::SWEDISH) {
        assert!(seen.insert((*code, *t)), "{code} twice");
        assert_eq!(t.trim(), *t, "{code}");
        assert!(!t.ends_with('.') && !t.contains("  "), "{code}: {t}");
        assert!(t.starts_with(|c: char| c.is_uppercase()), "{code}: {t}");
    }
    for (code, _) in titles::SWEDISH {
        assert!(
            title(code, Lang::En).is_some(),
            "Swedish title for unknown {code}"
        );
    }
}

#[test]
fn titles_fall_back_to_english() {
    let en = title("413-1", Lang::En).unwrap();
    assert_eq!(
        en.text,
        "Operations with local community engagement, impact assessments, and development programs"
    );
    assert_eq!(en.lang, Lang::En);
    let sv = title("2-29", Lang::Sv).unwrap();
    assert_eq!(sv.text, "Approach to stakeholder engagement");
    assert_eq!(sv.lang, Lang::En);
    assert_eq!(title("102-1", Lang::Sv), None);
    assert_eq!(title("413-3", Lang::En), None);
}

#[test]
fn standards_are_named() {
    assert_eq!(standard("413-1"), "GRI 413: Local Communities 2016");
    assert_eq!(standard("2-29"), "GRI 2: General Disclosures 2021");
    assert_eq!(standard("306-3"), "GRI 306: Waste 2020");
    assert_eq!(standard("999-1"), "GRI 999");
}

#[derive(Deserialize)]
struct Doc {
    gri_omissions: Option<RawOmissions>,
}

fn run(text: &str, codes: &[&str]) -> (Vec<Omission>, Vec<String>) {
    let block = Block {
        path: Path::new("content/a.md"),
        first_line: 2,
        key_noun: "front matter key",
    };
    let mut diags = Diagnostics::default();
    let doc: Doc = match yaml::parse(text, block) {
        Ok(d) => d,
        Err(all) => return (Vec::new(), all.iter().map(ToString::to_string).collect()),
    };
    let codes: Vec<String> = codes.iter().map(ToString::to_string).collect();
    let found = omissions(block, doc.gri_omissions, &codes, &mut diags)
        .iter()
        .cloned()
        .collect();
    let messages = diags
        .into_sorted()
        .iter()
        .map(ToString::to_string)
        .collect();
    (found, messages)
}

#[test]
fn omissions_are_read() {
    let (found, errors) = run(
        "gri_omissions:\n  \"305-3\":\n    requirement: 305-3-c\n    reason: information-unavailable\n    explanation: Resorna räknas från 2021.\n  \"2-7\": {requirement: 2-7-b, reason: not-applicable, explanation: Inga tillfälligt anställda.}\n",
        &["2-7", "305-3"],
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        found,
        vec![
            Omission {
                code: "2-7".into(),
                requirement: "2-7-b".into(),
                reason: Reason::NotApplicable,
                explanation: "Inga tillfälligt anställda.".into(),
            },
            Omission {
                code: "305-3".into(),
                requirement: "305-3-c".into(),
                reason: Reason::InformationUnavailable,
                explanation: "Resorna räknas från 2021.".into(),
            },
        ]
    );
    assert_eq!(
        Reason::InformationUnavailable.shown(Lang::En),
        "Information unavailable/incomplete"
    );
}

#[test]
fn omission_errors_are_located() {
    let (found, errors) = run(
        "gri_omissions:\n  \"305-3\": {requirement: 305-3-c, reason: not-available}\n  \"2-7\": {requirement: x, reason: secret, explanation: y}\n  \"401-1\": {requirement: x, reason: not-applicable, explanation: y}\n",
        &["2-7", "305-3"],
    );
    assert!(found.is_empty());
    assert_eq!(
        errors,
        vec![
            "content/a.md:3:3: error: the omission for `305-3` has no `explanation`; add e.g. `explanation: Uppgifterna samlas in från och med nästa år.`",
            "content/a.md:3:43: error: `not-available` is not a reason for an omission; did you mean `not-applicable`?",
            "content/a.md:4:35: error: `secret` is not a reason for an omission; write one of not-applicable, legal-prohibitions, confidentiality-constraints, information-unavailable",
            "content/a.md:5:3: error: an omission for `401-1`, which `gri:` does not list; add \"401-1\" to `gri:`, so that the index knows where the disclosure is reported",
        ]
    );
}

#[test]
fn unknown_omission_keys_are_errors_with_a_hint() {
    let (_, errors) = run(
        "gri_omissions:\n  \"305-3\": {requirement: x, reason: not-applicable, explanaton: y}\n",
        &["305-3"],
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("content/a.md:3:")
            && errors[0].contains("`explanaton`; did you mean `explanation`?"),
        "{errors:?}"
    );
}
