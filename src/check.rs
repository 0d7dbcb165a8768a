//! Check: what `hallbar check` finds beyond a build's own errors, looking at the rendered
//! site and the facts its texts left behind: fragments that lead nowhere, images without
//! alt text, skipped heading levels, pages without a summary or a way in, external links,
//! images of more than a megabyte.
//! Pure: works on the model and on the ids of the rendered pages, which [`Ids`] (a render
//! sink) keeps instead of the pages themselves.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diag::{Diagnostic, Diagnostics, Pos, Severity};
use crate::markdown::Facts;
use crate::model::Site;

/// Every `id="…"` in an HTML text.
fn ids(html: &str) -> BTreeSet<&str> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

/// The ids of every rendered HTML page, by its path in the output: all that the checks
/// need of the output, a small part of its size.
#[derive(Debug, Default)]
pub struct Ids(Mutex<BTreeMap<PathBuf, BTreeSet<String>>>);

impl Ids {
    fn take(&self) -> BTreeMap<PathBuf, BTreeSet<String>> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl crate::render::Sink for Ids {
    fn put(&self, rel: &Path, bytes: Vec<u8>) {
        if rel.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8_lossy(&bytes);
            let found = ids(&html).into_iter().map(str::to_string).collect();
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(rel.to_path_buf(), found);
        }
    }
}

/// `facts` are what each text left behind; `pages` the ids of the rendered pages.
pub fn run(site: &Site, facts: &[(PathBuf, Facts)], pages: &Ids, diags: &mut Diagnostics) {
    let pages = pages.take();
    let mut linked: BTreeSet<&str> = BTreeSet::new();
    for (source, facts) in facts {
        fragments(source, facts, &pages, diags);
        images(source, facts, diags);
        headings(source, facts, diags);
        for (pos, url) in &facts.external {
            diags.push(Diagnostic {
                severity: Severity::Note,
                ..Diagnostic::error(source, *pos, format!("external link {url} (not fetched)"))
                    .with_code("external-link")
            });
        }
        linked.extend(facts.links.iter().map(|l| l.file.as_str()));
    }
    summaries(site, diags);
    reachable(site, &linked, diags);
    large_images(site, diags);
}

/// An image of more than about a megabyte in `content/`: the pages show smaller
/// versions, but the file itself is published too, and is what a link to it loads.
fn large_images(site: &Site, diags: &mut Diagnostics) {
    for a in &site.assets {
        let rel = a.rel.to_string_lossy().replace('\\', "/");
        let is_image =
            crate::images::Format::of(&rel).is_some() || rel.to_ascii_lowercase().ends_with(".gif");
        if !is_image || a.bytes.len() <= crate::images::LARGE_BYTES {
            continue;
        }
        let mb = a.bytes.len() as f64 / (1024.0 * 1024.0);
        diags.push(
            Diagnostic::warning(
                Path::new("content").join(&a.rel),
                Pos::START,
                format!(
                    "this image is {mb:.1} MB; pages show smaller versions, but the file itself is published too and is what a link to it loads: save it at most 2400 px wide, as JPEG at quality 85 or so, to make it a few hundred KB"
                ),
            )
            .with_code("large-image"),
        );
    }
}

fn fragments(
    source: &Path,
    facts: &Facts,
    pages: &BTreeMap<PathBuf, BTreeSet<String>>,
    diags: &mut Diagnostics,
) {
    for link in facts.links.iter().filter(|l| !l.fragment.is_empty()) {
        let Some(ids) = pages.get(&PathBuf::from(&link.file)) else {
            continue;
        };
        if !ids.contains(link.fragment.as_str()) {
            let near = crate::suggest::did_you_mean(&link.fragment, ids.iter().map(String::as_str));
            diags.push(
                Diagnostic::error(
                    source,
                    link.pos,
                    format!(
                        "link `{}` leads to no heading or element with the id `{}`{near}",
                        link.written, link.fragment
                    ),
                )
                .with_code("broken-fragment"),
            );
        }
    }
}

fn images(source: &Path, facts: &Facts, diags: &mut Diagnostics) {
    for pos in &facts.images_without_alt {
        diags.push(
            Diagnostic::error(
                source,
                *pos,
                "this image has no alt text; describe it between the brackets, e.g. ![Barn som spelar fotboll på Bäckby](bild.jpg)",
            )
            .with_code("missing-alt"),
        );
    }
}

/// The page title is the page's `h1`, so Markdown headings start at `##` and go down one
/// level at a time.
fn headings(source: &Path, facts: &Facts, diags: &mut Diagnostics) {
    let mut previous = 1;
    for &(level, pos) in &facts.headings {
        if level == 1 {
            diags.push(
                Diagnostic::error(
                    source,
                    pos,
                    "the page title is already the page's top heading; write this one with ## (a second level)",
                )
                .with_code("heading-level"),
            );
        } else if level > previous + 1 {
            let want = "#".repeat(usize::from(previous + 1));
            diags.push(
                Diagnostic::error(
                    source,
                    pos,
                    format!(
                        "this heading jumps from level {previous} to level {level}; write it with {want} so none is skipped"
                    ),
                )
                .with_code("heading-level"),
            );
        }
        previous = level;
    }
}

fn summaries(site: &Site, diags: &mut Diagnostics) {
    for p in site.pages.iter().filter(|p| p.section != 0) {
        if p.meta
            .summary
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            diags.push(
                Diagnostic::warning(
                    &p.source,
                    Pos::new(2, 1),
                    "this programme has no summary; add `summary: ...` (one sentence for the cards and search engines)",
                )
                .with_code("missing-summary"),
            );
        }
    }
}

/// Pages in a section are listed on its page; pages at the top are in the navigation only
/// up to its limit. Anything else needs a link.
fn reachable(site: &Site, linked: &BTreeSet<&str>, diags: &mut Diagnostics) {
    let in_nav: BTreeSet<usize> = site.sections[0]
        .pages
        .iter()
        .take(crate::render::NAV_PAGES_PER_SECTION)
        .copied()
        .collect();
    for (i, p) in site.pages.iter().enumerate() {
        let file = format!("{}index.html", p.url);
        if p.section == 0 && !in_nav.contains(&i) && !linked.contains(file.as_str()) {
            diags.push(
                Diagnostic::warning(
                    &p.source,
                    Pos::START,
                    "no listing or link leads to this page; link to it from another page, or move it into a section folder",
                )
                .with_code("unreachable-page"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids() {
        let html = r#"<h2 id="resultat">R</h2><div class="x" id="fn-1"></div><p data-id="no">"#;
        assert_eq!(ids(html), BTreeSet::from(["resultat", "fn-1"]));
    }
}
