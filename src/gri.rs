//! The GRI Standards as the content index needs them: each disclosure's title (the table
//! is in `gri/titles.rs`), the standard it belongs to, the order of codes, and the
//! omissions a page or a metric states under `gri_omissions:`, read and checked with
//! located errors. A leaf: uses the YAML block positions, diagnostics, did-you-mean and
//! the site language; front matter, metrics and the report use it.

mod titles;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;

use crate::diag::Diagnostics;
use crate::i18n::Lang;
use crate::suggest::did_you_mean;
use crate::yaml::Block;

/// A title and the language it is written in (English where no Swedish one is shipped).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Title {
    pub text: &'static str,
    pub lang: Lang,
}

/// How codes sort: by standard, then disclosure number, then any letter (`305-4a`).
pub fn sort_key(code: &str) -> (u32, u32, String) {
    let (std, rest) = code.split_once('-').unwrap_or((code, ""));
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let suffix: String = rest.chars().skip_while(char::is_ascii_digit).collect();
    (
        std.parse().unwrap_or(0),
        digits.parse().unwrap_or(0),
        suffix,
    )
}

/// The title of disclosure `code` in `lang`, or in English when there is no established
/// translation; `None` for a code that is no disclosure of the Standards in force.
pub fn title(code: &str, lang: Lang) -> Option<Title> {
    let find = |table: &[(&str, &'static str)]| {
        table
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(_, text)| text)
    };
    let english = find(titles::ENGLISH)?;
    match lang {
        Lang::Sv => Some(find(titles::SWEDISH).map_or(
            Title {
                text: english,
                lang: Lang::En,
            },
            |text| Title {
                text,
                lang: Lang::Sv,
            },
        )),
        Lang::En => Some(Title {
            text: english,
            lang: Lang::En,
        }),
    }
}

/// The GRI Standard a disclosure belongs to: `413-1` → `GRI 413: Local Communities 2016`
/// (its name is English in every language; `GRI 999` for a number that is none).
pub fn standard(code: &str) -> String {
    let n = sort_key(code).0;
    match titles::STANDARDS.iter().find(|(s, _)| *s == n) {
        Some((_, name)) => format!("GRI {n}: {name}"),
        None => format!("GRI {n}"),
    }
}

/// Why a requirement is omitted: the four reasons of GRI 1, Table 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    NotApplicable,
    LegalProhibitions,
    ConfidentialityConstraints,
    InformationUnavailable,
}

impl Reason {
    /// The words written in YAML, in GRI 1's order.
    pub const NAMES: [&'static str; 4] = [
        "not-applicable",
        "legal-prohibitions",
        "confidentiality-constraints",
        "information-unavailable",
    ];
    const ALL: [Reason; 4] = [
        Reason::NotApplicable,
        Reason::LegalProhibitions,
        Reason::ConfidentialityConstraints,
        Reason::InformationUnavailable,
    ];

    pub fn parse(s: &str) -> Option<Reason> {
        let i = Reason::NAMES.iter().position(|n| *n == s.trim())?;
        Some(Reason::ALL[i])
    }

    /// The reason as the content index shows it.
    pub fn shown(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Reason::NotApplicable, Lang::En) => "Not applicable",
            (Reason::LegalProhibitions, Lang::En) => "Legal prohibitions",
            (Reason::ConfidentialityConstraints, Lang::En) => "Confidentiality constraints",
            (Reason::InformationUnavailable, Lang::En) => "Information unavailable/incomplete",
            (Reason::NotApplicable, Lang::Sv) => "Ej tillämplig",
            (Reason::LegalProhibitions, Lang::Sv) => "Rättsliga hinder",
            (Reason::ConfidentialityConstraints, Lang::Sv) => "Sekretesskäl",
            (Reason::InformationUnavailable, Lang::Sv) => {
                "Uppgifterna saknas eller är ofullständiga"
            }
        }
    }
}

/// A requirement of a disclosure that a page or metric does not report, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Omission {
    pub code: String,
    /// Which requirement(s) are omitted, as written: `305-3-c`.
    pub requirement: String,
    pub reason: Reason,
    pub explanation: String,
}

/// The omissions of one page or metric. Most have none and a site may have a million
/// metrics, so this is one pointer wide (a `Vec` is three).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Omissions(Option<Box<Many>>);

#[derive(Debug, Clone, PartialEq)]
struct Many(Vec<Omission>);

impl Omissions {
    pub fn iter(&self) -> std::slice::Iter<'_, Omission> {
        self.0.as_deref().map_or(&[][..], |m| m.0.as_slice()).iter()
    }
}

impl From<Vec<Omission>> for Omissions {
    fn from(all: Vec<Omission>) -> Self {
        Omissions((!all.is_empty()).then(|| Box::new(Many(all))))
    }
}

/// One omission as written under a code in `gri_omissions:`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOmission {
    requirement: Option<Spanned<String>>,
    reason: Option<Spanned<String>>,
    explanation: Option<Spanned<String>>,
}

/// `gri_omissions:` as written: disclosure code → omission.
pub type RawOmissions = HashMap<Spanned<String>, RawOmission>;

/// The omissions a page or metric states, each checked: its code must be one that
/// `gri:` names (`codes`, already checked), and it needs all three fields, with one of
/// the four reasons. Sorted by code; each problem is an error where it is written.
pub fn omissions(
    block: Block,
    raw: Option<RawOmissions>,
    codes: &[String],
    diags: &mut Diagnostics,
) -> Omissions {
    let mut raw: Vec<(Spanned<String>, RawOmission)> =
        raw.unwrap_or_default().into_iter().collect();
    raw.sort_by_key(|(code, _)| sort_key(&code.value));
    raw.into_iter()
        .filter_map(|(code, o)| omission(block, code, o, codes, diags))
        .collect::<Vec<_>>()
        .into()
}

fn omission(
    block: Block,
    code: Spanned<String>,
    raw: RawOmission,
    codes: &[String],
    diags: &mut Diagnostics,
) -> Option<Omission> {
    let name = code.value.trim().to_string();
    if !codes.contains(&name) {
        diags.push(block.error(
            &code.referenced,
            format!("an omission for `{name}`, which `gri:` does not list; add \"{name}\" to `gri:`, so that the index knows where the disclosure is reported"),
        ));
        return None;
    }
    let mut field = |value: Option<Spanned<String>>, key: &str, example: &str| match value
        .filter(|v| !v.value.trim().is_empty())
    {
        Some(v) => Some(v),
        None => {
            diags.push(block.error(
                &code.referenced,
                format!("the omission for `{name}` has no `{key}`; add e.g. `{key}: {example}`"),
            ));
            None
        }
    };
    let requirement = field(raw.requirement, "requirement", &format!("\"{name}-c\""));
    let reason = field(raw.reason, "reason", "information-unavailable");
    let explanation = field(
        raw.explanation,
        "explanation",
        "Uppgifterna samlas in från och med nästa år.",
    );
    let reason = reason.and_then(|r| {
        let parsed = Reason::parse(&r.value);
        if parsed.is_none() {
            let mut hint = did_you_mean(r.value.trim(), Reason::NAMES);
            if hint.is_empty() {
                hint = format!("; write one of {}", Reason::NAMES.join(", "));
            }
            diags.push(block.error(
                &r.referenced,
                format!("`{}` is not a reason for an omission{hint}", r.value.trim()),
            ));
        }
        parsed
    });
    Some(Omission {
        code: name,
        requirement: requirement?.value.trim().to_string(),
        reason: reason?,
        explanation: explanation?.value.trim().to_string(),
    })
}

/// The content index's own words, in the site language (the column headings it shares
/// with other pages are in `i18n::Texts`).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Words {
    pub requirement: &'static str,
    pub reason: &'static str,
    pub explanation: &'static str,
    pub statement: &'static str,
    pub gri_1: &'static str,
}

pub fn words(lang: Lang) -> Words {
    match lang {
        Lang::Sv => Words {
            requirement: "Utelämnade krav",
            reason: "Skäl",
            explanation: "Förklaring",
            statement: "Redovisning enligt GRI",
            gri_1: "Grundstandard",
        },
        Lang::En => Words {
            requirement: "Requirement(s) omitted",
            reason: "Reason",
            explanation: "Explanation",
            statement: "Statement of use",
            gri_1: "GRI 1 used",
        },
    }
}

#[cfg(test)]
mod tests;
