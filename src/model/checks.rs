//! The model's checks of consistency across files: no two pages at one address, and the
//! pages and metrics that name each other exist.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Page, Section};
use crate::diag::{Diagnostics, Pos};
use crate::suggest::did_you_mean;

/// Two pages (or a page and a section) must not end up at the same address.
pub(super) fn check_urls(pages: &[Page], sections: &[Section], diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, String> = HashMap::new();
    for s in sections {
        let name = s.source.as_ref().map_or_else(
            || format!("the folder content/{}", s.dir),
            |p| p.to_string_lossy().replace('\\', "/"),
        );
        if let Some(other) = seen.get(s.url.as_str()) {
            let at = s
                .source
                .clone()
                .unwrap_or_else(|| Path::new("content").join(&s.dir));
            diags.error(
                &at,
                Pos::START,
                format!(
                    "{name} would be published at {} like {other}; give the folders names that differ in more than capitals or accents",
                    s.url
                ),
            );
        } else {
            seen.insert(&s.url, name);
        }
    }
    for p in pages {
        if let Some(other) = seen.get(p.url.as_str()) {
            let pos = p.meta.slug.as_ref().map_or(Pos::START, |s| s.pos);
            diags.error(
                &p.source,
                pos,
                format!(
                    "this page would be published at {} like {other}; give it another file name or `slug`",
                    p.url
                ),
            );
        } else {
            seen.insert(&p.url, p.source.to_string_lossy().replace('\\', "/"));
        }
    }
}

pub(super) fn check_metric_links(
    metrics: &crate::metrics::Metrics,
    pages: &[Page],
    all_page_rels: &HashSet<String>,
    diags: &mut Diagnostics,
) {
    for m in metrics.values() {
        if let Some((program, pos)) = &m.program
            && !all_page_rels.contains(program)
        {
            diags.error(
                &m.file,
                *pos,
                format!(
                    "metric `{}` belongs to program `{program}`, but there is no content/{program}{}",
                    m.id,
                    did_you_mean(program, all_page_rels.iter().map(String::as_str))
                ),
            );
        }
    }
    check_key_metrics(metrics, pages, diags);
}

/// Every metric a page lists in `key_metrics` exists.
pub(super) fn check_key_metrics(
    metrics: &crate::metrics::Metrics,
    pages: &[Page],
    diags: &mut Diagnostics,
) {
    for p in pages {
        for id in &p.meta.key_metrics {
            if !metrics.contains_key(&id.value) {
                diags.error(
                    &p.source,
                    id.pos,
                    format!(
                        "unknown metric `{}` in key_metrics{}",
                        id.value,
                        did_you_mean(&id.value, metrics.keys().map(String::as_str))
                    ),
                );
            }
        }
    }
}
