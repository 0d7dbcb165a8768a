//! Front matter: splits a Markdown file into its YAML block and body, and reads the block
//! into validated page or section settings, with positions in the file. Pure: uses the
//! YAML reader and diagnostics.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::yaml::{self, Block};

/// A Markdown file cut in two.
#[derive(Debug)]
pub struct Split<'a> {
    /// The YAML text and the line of the file it starts on.
    pub yaml: Option<(&'a str, usize)>,
    pub body: &'a str,
    pub body_start: Pos,
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Finds the `---` block at the top of a file.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_line_end]) {
        return Ok(Split {
            yaml: None,
            body: text,
            body_start: Pos::START,
        });
    }
    let yaml_start = (first_line_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if is_fence(line) || line.trim_end() == "..." {
            let body_from = offset + line.len();
            return Ok(Split {
                yaml: Some((&text[yaml_start..offset], 2)),
                body: &text[body_from..],
                body_start: Pos::new(line_no + 1, 1),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error(
        path,
        Pos::START,
        "the front matter that starts here is never closed; add a line with only `---` after its last line",
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: Option<Spanned<String>>,
    summary: Option<String>,
    date: Option<Spanned<String>>,
    weight: Option<i64>,
    draft: Option<bool>,
    slug: Option<Spanned<String>>,
    template: Option<Spanned<String>>,
    sdg: Option<Vec<Spanned<i64>>>,
    gri: Option<Vec<Spanned<String>>>,
    gri_omissions: Option<crate::gri::RawOmissions>,
    partners: Option<Vec<String>>,
    area: Option<String>,
    key_metrics: Option<Vec<Spanned<String>>>,
    extra: Option<Spanned<serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    title: Option<Spanned<String>>,
    summary: Option<String>,
    weight: Option<i64>,
    sort_by: Option<Spanned<String>>,
    template: Option<Spanned<String>>,
    extra: Option<Spanned<serde_json::Value>>,
    slug: Option<Spanned<String>>,
}

/// A value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub pos: Pos,
}

/// A page's validated front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct PageMeta {
    pub title: String,
    pub summary: Option<String>,
    pub date: Option<String>,
    pub weight: i64,
    pub draft: bool,
    pub slug: Option<At<String>>,
    pub template: Option<At<String>>,
    pub sdg: Vec<u8>,
    pub gri: Vec<String>,
    /// What the page leaves out of the disclosures in `gri` (`gri_omissions:`).
    pub gri_omissions: crate::gri::Omissions,
    pub partners: Vec<String>,
    pub area: Option<String>,
    pub key_metrics: Vec<At<String>>,
    pub extra: serde_json::Value,
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Weight,
    Title,
    Date,
}

/// A section's validated front matter (`_index.md`).
#[derive(Debug, Clone, Default)]
pub struct SectionMeta {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub weight: i64,
    pub sort_by: SortBy,
    pub template: Option<At<String>>,
    pub extra: serde_json::Value,
    /// The section's name in URLs instead of its folder's (`slug: programmes` in an
    /// `_index.en.md`).
    pub slug: Option<At<String>>,
}

struct Reader<'a, 'd> {
    block: Block<'a>,
    diags: &'d mut Diagnostics,
}

impl Reader<'_, '_> {
    fn at<T>(&self, s: Spanned<T>) -> At<T> {
        At {
            pos: self.block.pos(&s.referenced),
            value: s.value,
        }
    }

    fn error(&mut self, loc: &Location, message: impl Into<String>) {
        self.diags.push(self.block.error(loc, message));
    }

    fn extra(&mut self, extra: Option<Spanned<serde_json::Value>>) -> serde_json::Value {
        match extra {
            Some(e) if e.value.is_object() => e.value,
            Some(e) => {
                self.error(&e.referenced, "`extra` must be a map of `key: value` lines");
                empty_map()
            }
            None => empty_map(),
        }
    }

    fn check_date(&mut self, date: Option<&Spanned<String>>) {
        if let Some(d) = date
            && !is_date(&d.value)
        {
            self.error(
                &d.referenced,
                format!(
                    "date `{}` is not a date; write it as YYYY-MM-DD, e.g. 2020-12-31",
                    d.value
                ),
            );
        }
    }

    /// The goals named, each checked to be one of the 17.
    fn sdg(&mut self, goals: Vec<Spanned<i64>>) -> Vec<u8> {
        let mut sdg = Vec::new();
        for n in goals {
            match u8::try_from(n.value).ok().filter(|g| (1..=17).contains(g)) {
                Some(g) => sdg.push(g),
                None => self.error(
                    &n.referenced,
                    format!("`{}` is not one of the UN's 17 sustainable development goals; use a number from 1 to 17", n.value),
                ),
            }
        }
        sdg
    }

    fn gri(&mut self, codes: Vec<Spanned<String>>) -> Vec<String> {
        gri_codes(self.block, codes, self.diags)
    }

    fn title(&mut self, title: Option<Spanned<String>>, required: bool) -> Option<String> {
        match title {
            Some(t) if !t.value.trim().is_empty() => Some(t.value.trim().to_string()),
            Some(t) => {
                self.error(
                    &t.referenced,
                    "the title is empty; write the page's title after `title:`",
                );
                None
            }
            None => {
                if required {
                    self.diags.push(Diagnostic::error(
                        self.block.path,
                        Pos::new(self.block.first_line, 1),
                        "missing front matter key `title`; add a line `title: ...`",
                    ));
                }
                None
            }
        }
    }
}

fn empty_map() -> serde_json::Value {
    serde_json::Value::Object(Default::default())
}

/// Where a file's front matter is, for messages.
fn block<'a>(path: &'a Path, first_line: usize) -> Block<'a> {
    Block {
        path,
        first_line,
        key_noun: "front matter key",
    }
}

/// Reads a page's front matter; `None` when it has errors (they are in `diags`).
pub fn page(path: &Path, split: &Split, diags: &mut Diagnostics) -> Option<PageMeta> {
    let (raw, block) = raw_page(path, split, diags)?;
    let errors_before = diags.len();
    let mut r = Reader { block, diags };
    let title = r.title(raw.title, true);
    r.check_date(raw.date.as_ref());
    let sdg = r.sdg(raw.sdg.unwrap_or_default());
    let gri = r.gri(raw.gri.unwrap_or_default());
    let gri_omissions = crate::gri::omissions(block, raw.gri_omissions, &gri, r.diags);
    let extra = r.extra(raw.extra);
    let meta = PageMeta {
        title: title?,
        summary: raw.summary,
        date: raw.date.map(|d| d.value),
        weight: raw.weight.unwrap_or(0),
        draft: raw.draft.unwrap_or(false),
        slug: raw.slug.map(|s| r.at(s)),
        template: raw.template.map(|t| r.at(t)),
        sdg,
        gri,
        gri_omissions,
        partners: raw.partners.unwrap_or_default(),
        area: raw.area,
        // Not collected in place: the parsed list is twice the size of the kept one.
        key_metrics: raw
            .key_metrics
            .unwrap_or_default()
            .iter()
            .map(|k| r.at(k.clone()))
            .collect(),
        extra,
    };
    (diags.len() == errors_before).then_some(meta)
}

/// A page's front matter as written, and where it is; `None` when it is missing, empty
/// or not valid YAML for a page (the error is in `diags`).
fn raw_page<'a>(
    path: &'a Path,
    split: &Split,
    diags: &mut Diagnostics,
) -> Option<(RawPage, Block<'a>)> {
    let Some((text, first_line)) = split.yaml else {
        diags.error(
            path,
            Pos::START,
            "this page has no front matter; start the file with a line `---`, then `title: ...`, then `---`",
        );
        return None;
    };
    let block = block(path, first_line);
    if text.trim().is_empty() {
        diags.error(
            path,
            Pos::new(first_line, 1),
            "missing front matter key `title`; add a line `title: ...`",
        );
        return None;
    }
    match yaml::parse(text, block) {
        Ok(raw) => Some((raw, block)),
        Err(all) => {
            diags.extend(all.into_iter().collect());
            None
        }
    }
}

/// Reads a section's `_index.md` front matter; a file without one is a section with defaults.
pub fn section(path: &Path, split: &Split, diags: &mut Diagnostics) -> SectionMeta {
    let Some((text, first_line)) = split.yaml.filter(|(t, _)| !t.trim().is_empty()) else {
        return SectionMeta {
            extra: empty_map(),
            ..SectionMeta::default()
        };
    };
    let block = block(path, first_line);
    let raw: RawSection = match yaml::parse(text, block) {
        Ok(raw) => raw,
        Err(all) => {
            diags.extend(all.into_iter().collect());
            return SectionMeta {
                extra: empty_map(),
                ..SectionMeta::default()
            };
        }
    };
    let mut r = Reader { block, diags };
    let sort_by = match raw.sort_by {
        None => SortBy::Weight,
        Some(s) => match s.value.as_str() {
            "weight" => SortBy::Weight,
            "title" => SortBy::Title,
            "date" => SortBy::Date,
            other => {
                r.error(
                    &s.referenced,
                    format!("unknown sort_by `{other}`; write weight, title or date"),
                );
                SortBy::Weight
            }
        },
    };
    SectionMeta {
        title: r.title(raw.title, false),
        summary: raw.summary,
        weight: raw.weight.unwrap_or(0),
        sort_by,
        template: raw.template.map(|t| r.at(t)),
        extra: r.extra(raw.extra),
        slug: raw.slug.map(|t| r.at(t)),
    }
}

/// `YYYY-MM-DD` with a real month and day.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// A GRI disclosure code: `413-1`, `2-29`, `305-4a`.
/// The GRI disclosure codes a page or a metric names, each checked to look like one.
pub fn gri_codes(
    block: Block,
    codes: Vec<Spanned<String>>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut gri = Vec::new();
    for code in codes {
        if is_gri(&code.value) {
            gri.push(code.value);
        } else {
            diags.push(block.error(
                &code.referenced,
                format!(
                    "`{}` is not a GRI disclosure code; write it like \"413-1\" or \"2-29\"",
                    code.value
                ),
            ));
        }
    }
    gri
}

pub fn is_gri(s: &str) -> bool {
    let Some((standard, number)) = s.split_once('-') else {
        return false;
    };
    let number = number
        .strip_suffix(|c: char| c.is_ascii_lowercase())
        .unwrap_or(number);
    (1..=3).contains(&standard.len())
        && standard.bytes().all(|b| b.is_ascii_digit())
        && (1..=2).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("content/a.md")
    }

    #[test]
    fn splits_front_matter_and_body() {
        let s = split(p(), "---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(s.yaml, Some(("title: A\n", 2)));
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_start, Pos::new(4, 1));
    }

    #[test]
    fn no_front_matter_and_unclosed_block() {
        let s = split(p(), "# Hi\n").unwrap();
        assert!(s.yaml.is_none());
        let e = split(p(), "---\ntitle: A\n").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("content/a.md:1:1: error: the front matter")
        );
        let s = split(p(), "---").unwrap_err();
        assert_eq!(s.line, 1);
    }

    #[test]
    fn page_errors_are_at_their_file_line() {
        let text =
            "---\ntitle: A\nsdg: [3, 18]\ngri: [\"413-1\", \"41-x\"]\ndate: 2020-02-30\n---\n";
        let s = split(p(), text).unwrap();
        let mut d = Diagnostics::default();
        assert!(page(p(), &s, &mut d).is_none());
        let msgs: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(msgs.len(), 3, "{msgs:?}");
        assert!(
            msgs[0].starts_with("content/a.md:3:10: error: `18` is not one of"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].starts_with("content/a.md:4:16: error: `41-x`"),
            "{msgs:?}"
        );
        assert!(
            msgs[2].starts_with("content/a.md:5:7: error: date `2020-02-30`"),
            "{msgs:?}"
        );
    }

    #[test]
    fn dates_and_gri_codes() {
        assert!(is_date("2020-02-29"));
        assert!(!is_date("2021-02-29"));
        assert!(!is_date("2020-13-01"));
        assert!(is_gri("413-1") && is_gri("2-29") && is_gri("305-4a"));
        assert!(!is_gri("413") && !is_gri("4131-1") && !is_gri("a-1"));
    }
}
