//! Partial rebuilds for `serve` and `build --watch`: decides from the changed files
//! whether an edit can be rebuilt in part (one page's text; metric values alone), renders
//! and writes that part, and gives the warnings of the whole site as it now is, made by
//! the same function as a full build's ([`render::warnings`]). Whenever a part would not
//! give exactly what a full build gives (another kind of change, any error), it answers
//! `None` and the caller builds everything, which reports the errors. After a metric edit
//! the open data (every metric, in three files) is left [`Later`]: the pages are served
//! first. Uses load (to read the edited files), the model, render, write and the
//! pipeline's types.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::pipeline::{Kept, Request, Summary};
use crate::{load, render, report, search, write};

/// A partial rebuild done.
#[derive(Debug)]
pub struct Rebuilt {
    pub summary: Summary,
    pub kept: Kept,
    /// Whether the open data changed and is still to be made and written (see [`Later`]).
    pub open_data_changed: bool,
    /// Whether what the search index holds changed: it is made again [`Later`] too.
    pub search_changed: bool,
}

/// What a partial rebuild leaves to be made after the pages are served. The open data of
/// a site whose metric values changed: metrics.json, .csv and .xlsx hold every metric, and
/// on a large site take longer to make than all the pages a metric edit changes. And the
/// search index, which holds every page: made again from the records of the pages, the
/// changed ones taken anew. `serve` makes them after telling the browser to reload, and
/// holds requests for the open data until it is written (the search keeps answering from
/// the index before, which holds together until the new one replaces it whole).
#[derive(Debug, Clone)]
pub struct Later {
    site: Arc<Site>,
    open_data: bool,
    search: Option<Arc<search::Records>>,
}

/// The files of a [`Later`], by path relative to the output folder, or why they could not
/// be made; `None` for what it did not make.
#[derive(Debug, Default)]
pub struct Made {
    pub open_data: Option<Result<render::Files, String>>,
    /// The whole of `pagefind/`, which replaces what it held.
    pub search: Option<Result<render::Files, String>>,
}

impl Later {
    /// The open data of `kept` when `open_data`, and its search index when `search`.
    pub fn new(kept: &Kept, open_data: bool, search: bool) -> Later {
        Later {
            site: Arc::clone(&kept.site),
            open_data,
            search: (search && kept.site.config.search).then(|| Arc::clone(&kept.search)),
        }
    }

    /// Whether it makes the open data, and the search index.
    pub fn owes(&self) -> (bool, bool) {
        (self.open_data, self.search.is_some())
    }

    /// The open data's files, relative to the output folder, when it is to be made.
    pub fn held_paths(&self) -> Vec<PathBuf> {
        if !self.open_data {
            return Vec::new();
        }
        [
            report::METRICS_JSON,
            report::METRICS_CSV,
            report::METRICS_XLSX,
        ]
        .map(PathBuf::from)
        .to_vec()
    }

    /// Makes the files (in memory), each kind on its own: one that cannot be made does not
    /// keep the other from being written.
    pub fn make(&self) -> Made {
        let open_data = self.open_data.then(|| {
            render::open_data(&self.site).map_err(|d| {
                d.into_sorted()
                    .first()
                    .map_or_else(String::new, ToString::to_string)
            })
        });
        let search = self.search.as_deref().map(search::index);
        Made { open_data, search }
    }
}

/// Rebuilds what `changed` (paths relative to the site folder) touches, from what the last
/// good build kept. `None`: build everything (what was kept is then of no more use).
pub fn rebuild(req: &Request, kept: Kept, changed: &BTreeSet<PathBuf>) -> Option<Rebuilt> {
    let changed: Vec<&Path> = changed.iter().map(PathBuf::as_path).collect();
    let is_data = |p: &&Path| {
        p.starts_with("content")
            && p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
    };
    // The text behind a symbolic link shows on the page of the link as well as its own.
    if changed
        .iter()
        .any(|c| kept.links.iter().any(|l| c.starts_with(l)))
    {
        return None;
    }
    let start = Instant::now();
    let (written, open_data_changed) = match changed.as_slice() {
        [one]
            if one
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("md")) =>
        {
            (page_text(req, kept, one)?, false)
        }
        all if !all.is_empty() && all.iter().all(is_data) => (metric_values(req, kept, all)?, true),
        _ => return None,
    };
    let Written {
        pages,
        kept,
        search_changed,
    } = written;
    let summary = Summary {
        pages,
        metrics: kept.site.metrics.len(),
        drafts: crate::pipeline::drafts_left_out(&kept.site),
        warnings: warnings(&kept),
        timings: Vec::new(),
        elapsed: start.elapsed(),
    };
    Some(Rebuilt {
        summary,
        kept,
        open_data_changed,
        search_changed,
    })
}

/// The warnings of the site as it now is: those of loading and modelling it (which a
/// partial rebuild does not redo), and those of its rendered pages.
pub fn warnings(kept: &Kept) -> Vec<Diagnostic> {
    kept.model_warnings
        .iter()
        .cloned()
        .chain(render::warnings(&kept.site, &kept.shown))
        .collect::<Diagnostics>()
        .into_sorted()
}

/// After an edit of one page's text (front matter unchanged), renders and writes that
/// page alone; on a large site that is what makes the preview instant. Only where no
/// other output shows page texts: the print page holds them up to
/// [`render::PRINT_PAGES_MAX`] pages. Returns the number of pages written.
fn page_text(req: &Request, kept: Kept, rel: &Path) -> Option<Written> {
    let site = &kept.site;
    if site.pages.len() <= render::PRINT_PAGES_MAX {
        return None;
    }
    let index = site.pages.iter().position(|p| p.source == rel)?;
    // Fails when the front matter changed: the model no longer describes the page.
    let bodies = load::Bodies::new(&req.root);
    let parts = render::pages(site, &kept.templates, &bodies, &[index], false).ok()?;
    write_parts(req, kept, parts, Vec::new())
}

/// After an edit of metric values in metrics files (the same ids for the same pages),
/// renders and writes the pages that show a changed metric, the section listings and the
/// generated pages, from a model with the new metrics. Not when the theme shows metrics
/// of its own choosing, nor when the files now give any message or change which
/// generated pages there are (GRI codes in metrics decide whether there is a GRI index,
/// which every page links to).
fn metric_values(req: &Request, kept: Kept, changed: &[&Path]) -> Option<Written> {
    if render::theme_shows_any_metric(&kept.site) {
        return None;
    }
    let mut metrics = (*kept.site.metrics).clone();
    let mut touched = Vec::new();
    for rel in changed {
        let file = load::data_file(&req.root, rel)?;
        let mut diags = Diagnostics::default();
        let list = crate::metrics::read_file(&file, kept.site.config.lang, &mut diags);
        if !diags.is_empty() {
            return None;
        }
        let (again, places) = metrics.with_file_read_again(rel, list)?;
        metrics = again;
        touched.extend(places);
    }
    touched.sort_unstable();
    let pages: Vec<usize> = (0..kept.site.pages.len())
        .filter(|&i| {
            kept.shown
                .get(i)
                .is_none_or(|s| s.uses.iter().any(|p| touched.binary_search(p).is_ok()))
        })
        .collect();
    let generated = report::pages(&kept.site);
    let site = Arc::unwrap_or_clone(kept.site).with_metrics(Arc::new(metrics));
    let mut kept = Kept {
        site: Arc::new(site),
        ..kept
    };
    if report::pages(&kept.site) != generated {
        return None;
    }
    let site = &*kept.site;
    // The parts of a split key-figures page that show a changed metric.
    let parts: BTreeSet<usize> = touched
        .iter()
        .filter_map(|&t| kept.key_figure_parts.get(t as usize))
        .map(|&n| n as usize)
        .collect();
    // The templates' metric() and `metrics` hold the metrics they were made with.
    kept.templates = render::load_templates(site, &mut Diagnostics::default())?;
    let bodies = load::Bodies::new(&req.root);
    let again = render::Again {
        key_figure_parts: Some(&parts),
        open_data: false,
    };
    let (parts, shared) = rayon::join(
        || render::pages(site, &kept.templates, &bodies, &pages, true),
        || render::shared(site, &kept.templates, &bodies, again),
    );
    write_parts(req, kept, parts.ok()?, shared.ok()?)
}

/// What a partial rebuild wrote.
struct Written {
    pages: usize,
    kept: Kept,
    search_changed: bool,
}

/// Writes rendered pages and other files, and records what the pages now show and what
/// the search index is to hold of them.
fn write_parts(
    req: &Request,
    mut kept: Kept,
    parts: Vec<render::Part>,
    mut files: render::Files,
) -> Option<Written> {
    for part in parts {
        *kept.shown.get_mut(part.place)? = part.shown;
        files.push((part.path, part.bytes));
    }
    write::update(&req.output, &files).ok()?;
    let pages = files
        .iter()
        .filter(|(p, _)| p.ends_with("index.html"))
        .count();
    let search_changed = kept.site.config.search && {
        let records = Arc::make_mut(&mut kept.search);
        let mut changed = false;
        for (path, bytes) in &files {
            let record = search::record(path, bytes);
            if records.get(path) != record.as_ref() {
                changed = true;
                match record {
                    Some(r) => records.insert(path.clone(), r),
                    None => records.remove(path),
                };
            }
        }
        changed
    };
    Some(Written {
        pages,
        kept,
        search_changed,
    })
}
