//! Problems only the whole rendered site shows: an output file where another needs a
//! folder, a page at a generated page's address, metrics that nothing shows and metrics
//! beyond what an Excel sheet holds. The last two are also how a partial rebuild gets
//! the same warnings as a full build. Uses the model and the report module's URLs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::Shown;
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::model::Site;
use crate::report;

/// A file cannot stand where another output needs a folder (`program/halsa` beside the
/// page `program/halsa/index.html`); found here so that nothing is written.
pub(super) fn file_clashes(paths: &BTreeSet<PathBuf>, diags: &mut Diagnostics) {
    for path in paths {
        for folder in path.ancestors().skip(1) {
            if !folder.as_os_str().is_empty() && paths.contains(folder) {
                diags.error(
                    &Path::new("content").join(folder),
                    Pos::START,
                    format!(
                        "this file would take the place of the folder that {} needs; rename the file",
                        path.to_string_lossy().replace('\\', "/")
                    ),
                );
            }
        }
    }
}

/// The generated pages take fixed addresses; a content page there would be overwritten.
pub(super) fn generated_urls(site: &Site, diags: &mut Diagnostics) {
    let u = report::urls(site.config.lang);
    for url in [u.key_figures, u.gri_index, u.sdg, u.print, u.accessibility] {
        if let Some(p) = site.pages.iter().find(|p| p.url == url) {
            diags.error(
                &p.source,
                Pos::START,
                format!("this page would be published at {url}, which hallbar uses for a generated page; give it another file name or `slug`"),
            );
        }
        if let Some(s) = site.sections.iter().find(|s| s.url == url) {
            diags.error(
                s.source.as_deref().unwrap_or(Path::new("content")),
                Pos::START,
                format!("the folder content/{} would be published at {url}, which hallbar uses for a generated page; rename the folder", s.dir),
            );
        }
    }
}

/// The images a logo may be: what a browser shows in an `<img>` (and as an icon, for the
/// first two).
pub(super) const LOGO_KINDS: [&str; 5] = ["svg", "png", "jpg", "jpeg", "webp"];

/// `logo:` and `headline:` in site.yaml name an image and metrics that must exist.
pub(super) fn settings(site: &Site, diags: &mut Diagnostics) {
    let file = Path::new("site.yaml");
    if let Some(logo) = &site.config.logo {
        let kind_ok = Path::new(&logo.value)
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| LOGO_KINDS.contains(&e.to_ascii_lowercase().as_str()));
        if !site.has_asset(&logo.value) {
            diags.error(
                file,
                logo.pos,
                format!("logo `{}` is not a file under content/; put the image in content/ (e.g. content/bilder/logo.svg) and write its path there: `logo: bilder/logo.svg`", logo.value),
            );
        } else if !kind_ok {
            diags.error(
                file,
                logo.pos,
                format!(
                    "logo `{}` is not an image a browser shows; use an SVG, PNG, JPEG or WebP file",
                    logo.value
                ),
            );
        }
    }
    for id in &site.config.headline {
        if site.metrics.get(&id.value).is_none() {
            diags.error(
                file,
                id.pos,
                format!(
                    "headline names the metric `{}`, which no metrics file defines{}",
                    id.value,
                    crate::suggest::did_you_mean(
                        &id.value,
                        site.metrics.keys().map(String::as_str)
                    )
                ),
            );
        }
    }
}

/// The warnings of a site whose every page and section rendered, from what each showed
/// and warned about: the one place both a full build and a partial rebuild get them.
pub fn warnings(site: &Site, shown: &[Shown]) -> Vec<Diagnostic> {
    let mut all = page_warnings(shown);
    all.extend(metric_warnings(site, shown));
    all
}

/// What the pages' texts warned about.
pub fn page_warnings(shown: &[Shown]) -> Vec<Diagnostic> {
    shown.iter().flat_map(|s| s.warnings.clone()).collect()
}

/// The metrics no page shows, and those beyond the workbook's rows. For a site in
/// several languages, `shown` holds every edition's pages (metrics are in the same
/// order in each): a metric shown in one edition is used.
pub fn metric_warnings(site: &Site, shown: &[Shown]) -> Vec<Diagnostic> {
    let mut flags = vec![false; site.metrics.len()];
    for &place in shown.iter().flat_map(|s| s.uses.iter()) {
        if let Some(flag) = flags.get_mut(place as usize) {
            *flag = true;
        }
    }
    let mut all: Vec<Diagnostic> = unused_metrics(site, &flags).collect();
    all.extend(beyond_workbook(site));
    all
}

/// Excel has room for about a million rows: the metrics after that are only in the JSON
/// and CSV files. Said at the first metric left out.
fn beyond_workbook(site: &Site) -> Option<Diagnostic> {
    let first = site.metrics.values().nth(report::XLSX_ROWS_MAX)?;
    let left_out = site.metrics.len() - report::XLSX_ROWS_MAX;
    Some(Diagnostic::warning(
        &*first.file,
        first.pos,
        format!(
            "{} holds the first {} metrics, as many as an Excel sheet has rows; this one and the {} after it are only in {} and {}",
            report::METRICS_XLSX,
            report::XLSX_ROWS_MAX,
            left_out - 1,
            report::METRICS_JSON,
            report::METRICS_CSV
        ),
    ))
}

/// A metric that nothing shows is probably a typo or left over: say so, do not fail.
fn unused_metrics<'a>(site: &'a Site, shown: &'a [bool]) -> impl Iterator<Item = Diagnostic> + 'a {
    site.metrics
        .values()
        .zip(shown)
        .filter(|(_, shown)| !**shown)
        .map(|(m, _)| {
            Diagnostic::warning(
                &*m.file,
                m.pos,
                format!(
                    "metric `{}` is not used by any page, table or chart; show it with {{{{ metric(id=\"{}\") }}}} or list it in a page's key_metrics",
                    m.id, m.id
                ),
            )
            .with_code("unused-metric")
        })
}
