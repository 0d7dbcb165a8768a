//! The build as one chain: load → model → render → write. `check` stops before writing.
//! Holds no state between calls, so `serve` and `watch` can call it again and again; what
//! a good build leaves ([`Kept`]) lets them rebuild only what one edit touches.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{self, Overrides};
use crate::diag::{Diagnostic, Diagnostics, Failure, Fatal};
use crate::model::{self, Options, Site};
use crate::render::{self, Output};
use crate::{load, write};

/// What to build.
#[derive(Debug, Clone)]
pub struct Request {
    pub root: PathBuf,
    pub output: PathBuf,
    pub overrides: Overrides,
    pub drafts: bool,
}

/// What a finished build made.
#[derive(Debug)]
pub struct Summary {
    pub pages: usize,
    pub metrics: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<Lap>,
    pub elapsed: Duration,
}

/// One stage of a build: how long it took and the process's peak memory after it.
#[derive(Debug, Clone, Copy)]
pub struct Lap {
    pub stage: &'static str,
    pub took: Duration,
    /// Peak resident memory so far, in KB (Linux only).
    pub peak_kb: Option<u64>,
}

impl std::fmt::Display for Lap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} ms", self.stage, self.took.as_millis())?;
        if let Some(kb) = self.peak_kb {
            write!(f, " (peak {} MB)", kb / 1024)?;
        }
        Ok(())
    }
}

impl Lap {
    fn new(stage: &'static str, took: Duration) -> Self {
        Lap {
            stage,
            took,
            peak_kb: peak_memory_kb(),
        }
    }
}

/// The process's peak resident memory (`VmHWM`), where the system tells it.
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}

/// A rendered site: its files are in the sink it was rendered to.
#[derive(Debug)]
pub struct Rendered {
    pub output: Output,
    /// The model it was rendered from, kept for rebuilding one page after an edit.
    pub site: Site,
    pub metrics: usize,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order.
    pub timings: Vec<Lap>,
}

/// Loads, models and renders the site without writing, with the checks of `hallbar check`
/// (links, fragments, alt text, headings). Errors from every stage are collected.
pub fn check(req: &Request) -> Result<Rendered, Failure> {
    let ids = crate::check::Ids::default();
    run(req, &ids, true, |site, out, diags| {
        crate::check::run(site, &out.facts, &ids, diags);
        // A draft's text is read only once it is published; check reads it now.
        for (rel, why) in &site.unpublished {
            if *why == model::Unpublished::Draft {
                load::text_problems(&req.root, &Path::new("content").join(rel), diags);
            }
        }
    })
}

/// Loads, models and renders the site into `sink`; `then` looks at the result before
/// errors are counted.
fn run(
    req: &Request,
    sink: &dyn render::Sink,
    facts: bool,
    then: impl FnOnce(&Site, &Output, &mut Diagnostics),
) -> Result<Rendered, Failure> {
    let mut diags = Diagnostics::default();
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<Lap>| {
        timings.push(Lap::new(name, clock.elapsed()));
        clock = Instant::now();
    };
    let config_file = load::config_file(&req.root, &mut diags)?;
    let config = config::resolve(config_file.as_ref(), &req.overrides, &mut diags);
    let loaded = load::site(&req.root, &config.theme, &mut diags)?;
    lap("load", &mut timings);
    let site = model::build(config, loaded, Options { drafts: req.drafts }, &mut diags);
    lap("model", &mut timings);
    let bodies = load::Bodies::new(&req.root);
    let with = render::With {
        bodies: &bodies,
        sink,
        facts,
    };
    let output = render::render(&site, &with, &mut diags);
    lap("render", &mut timings);
    then(&site, &output, &mut diags);
    if diags.has_errors() {
        return Err(Failure::Site(diags.into_sorted()));
    }
    Ok(Rendered {
        output,
        metrics: site.metrics.len(),
        site,
        warnings: diags.into_sorted(),
        timings,
    })
}

/// Renders into a staging folder, and puts the files in the output folder only when
/// everything rendered.
pub fn build(req: &Request) -> Result<Summary, Failure> {
    build_keeping(req).map(|(summary, _)| summary)
}

/// What a good build leaves for rebuilding part of the site: the model, the loaded
/// templates, and which metrics each page shows.
pub struct Kept {
    pub site: Site,
    templates: tera::Tera,
    uses: render::Uses,
}

/// `build`, also handing back what [`rebuild_page`] needs.
pub fn build_keeping(req: &Request) -> Result<(Summary, Option<Kept>), Failure> {
    let start = Instant::now();
    refuse_output_inside_sources(req)?;
    let staging = write::Staging::begin(&req.output)?;
    let r = run(req, &staging, false, |_, _, _| {})?;
    let written = Instant::now();
    staging.commit(&r.output.paths)?;
    let mut timings = r.timings;
    timings.push(Lap::new("write", written.elapsed()));
    let summary = Summary {
        pages: r.output.pages,
        metrics: r.metrics,
        warnings: r.warnings,
        timings,
        elapsed: start.elapsed(),
    };
    let uses = r.output.uses;
    let kept = r.output.templates.map(|templates| Kept {
        site: r.site,
        templates,
        uses,
    });
    Ok((summary, kept))
}

/// An output folder inside content/ or themes/ would be read back as content next time.
fn refuse_output_inside_sources(req: &Request) -> Result<(), Fatal> {
    let absolute = |p: &Path| {
        std::path::absolute(p)
            .map(|a| a.components().collect::<PathBuf>())
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let output = absolute(&req.output);
    for folder in ["content", "themes"] {
        if output.starts_with(absolute(&req.root.join(folder))) {
            return Err(Fatal::Refused(format!(
                "the output folder {} is inside {folder}/, so the next build would read it back in; choose another --output",
                req.output.display()
            )));
        }
    }
    Ok(())
}

/// After an edit of one page's text (front matter unchanged), renders and writes that
/// page alone; on a large site that is what makes the preview instant. Returns `None`
/// whenever that would not give exactly what a full build writes; the caller builds all.
pub fn rebuild_page(req: &Request, kept: &mut Kept, rel: &Path) -> Option<Summary> {
    let start = Instant::now();
    let site = &kept.site;
    if !render::incremental_ok(site) {
        return None;
    }
    let index = site.pages.iter().position(|p| p.source == rel)?;
    // Fails when the front matter changed: the model no longer describes the page.
    let bodies = load::Bodies::new(&req.root);
    let (path, bytes, uses) = render::render_one(site, &kept.templates, &bodies, index)?;
    write::update(&req.output, &[(path, bytes)]).ok()?;
    *kept.uses.get_mut(index)? = uses;
    Some(Summary {
        pages: 1,
        metrics: site.metrics.len(),
        warnings: Vec::new(),
        timings: Vec::new(),
        elapsed: start.elapsed(),
    })
}

/// After an edit of metric values in metrics files (the same ids for the same pages),
/// renders and writes the pages that show a changed metric, the section listings and the
/// generated pages. Returns `None` whenever that would not give exactly what a full build
/// writes (another change, an error, a theme that shows metrics of its own choosing).
pub fn rebuild_metrics(req: &Request, kept: &mut Kept, changed: &[&Path]) -> Option<Summary> {
    let start = Instant::now();
    if render::theme_shows_any_metric(&kept.site) {
        return None;
    }
    let mut metrics = (*kept.site.metrics).clone();
    let mut touched = Vec::new();
    for rel in changed {
        let file = load::data_file(&req.root, rel)?;
        let mut diags = Diagnostics::default();
        let list = crate::metrics::read_file(&file, &mut diags);
        if diags.has_errors() {
            return None;
        }
        let (again, places) = metrics.with_file_read_again(rel, list)?;
        metrics = again;
        touched.extend(places);
    }
    touched.sort_unstable();
    let pages: Vec<usize> = (0..kept.site.pages.len())
        .filter(|&i| {
            kept.uses
                .get(i)
                .is_none_or(|u| u.iter().any(|p| touched.binary_search(p).is_ok()))
        })
        .collect();
    let generated = crate::report::pages(&kept.site);
    let old = std::mem::replace(&mut kept.site.metrics, std::sync::Arc::new(metrics));
    // GRI codes in metrics decide whether there is a GRI index, which every page links to.
    let same_pages = crate::report::pages(&kept.site) == generated;
    let bodies = load::Bodies::new(&req.root);
    let rendered = same_pages
        .then(|| render::render_for_metrics(&kept.site, &bodies, &pages))
        .flatten();
    let Some((files, templates)) = rendered else {
        kept.site.metrics = old;
        return None;
    };
    write::update(&req.output, &files).ok()?;
    kept.templates = templates;
    Some(Summary {
        pages: files
            .iter()
            .filter(|(p, _)| p.ends_with("index.html"))
            .count(),
        metrics: kept.site.metrics.len(),
        warnings: Vec::new(),
        timings: Vec::new(),
        elapsed: start.elapsed(),
    })
}
