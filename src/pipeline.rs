//! The build as one chain: load → model → render → write. `check` stops before writing.
//! Holds no state between calls, so `serve` and `watch` can call it again and again.

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
    pub timings: Vec<(&'static str, Duration)>,
    pub elapsed: Duration,
}

/// A site rendered in memory.
#[derive(Debug)]
pub struct Rendered {
    pub output: Output,
    /// The model it was rendered from, kept for rebuilding one page after an edit.
    pub site: Site,
    pub metrics: usize,
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Loads, models and renders the site in memory. Errors from every stage are collected.
pub fn render(req: &Request) -> Result<Rendered, Failure> {
    run(req, false)
}

/// `render` plus the checks of `hallbar check` (links, fragments, alt text, headings).
pub fn check(req: &Request) -> Result<Rendered, Failure> {
    run(req, true)
}

fn run(req: &Request, with_checks: bool) -> Result<Rendered, Failure> {
    let mut diags = Diagnostics::default();
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    let config_file = load::config_file(&req.root, &mut diags)?;
    let config = config::resolve(config_file.as_ref(), &req.overrides, &mut diags);
    let loaded = load::site(&req.root, &config.theme, &mut diags)?;
    lap("load", &mut timings);
    let site = model::build(config, loaded, Options { drafts: req.drafts }, &mut diags);
    lap("model", &mut timings);
    let output = render::render(&site, &mut diags);
    lap("render", &mut timings);
    if with_checks {
        crate::check::run(&site, &output, &mut diags);
        lap("check", &mut timings);
    }
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

/// Renders, then writes the output folder only when everything rendered.
pub fn build(req: &Request) -> Result<Summary, Failure> {
    build_keeping(req).map(|(summary, _)| summary)
}

/// What a good build leaves for rebuilding one page: the model and the loaded templates.
pub struct Kept {
    pub site: Site,
    templates: tera::Tera,
}

/// `build`, also handing back what [`rebuild_page`] needs.
pub fn build_keeping(req: &Request) -> Result<(Summary, Option<Kept>), Failure> {
    let start = Instant::now();
    refuse_output_inside_sources(req)?;
    let r = render(req)?;
    let written = Instant::now();
    write::sync(&req.output, &r.output.files)?;
    let mut timings = r.timings;
    timings.push(("write", written.elapsed()));
    let summary = Summary {
        pages: r.output.pages,
        metrics: r.metrics,
        warnings: r.warnings,
        timings,
        elapsed: start.elapsed(),
    };
    let kept = r.output.templates.map(|templates| Kept {
        site: r.site,
        templates,
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
    let site = &mut kept.site;
    if !render::incremental_ok(site) {
        return None;
    }
    let index = site.pages.iter().position(|p| p.source == rel)?;
    let file = load::markdown_file(&req.root, rel)?;
    let mut diags = Diagnostics::default();
    let Some(model::Parsed::Page(Some(meta), body, body_start)) = model::parse(&file, &mut diags)
    else {
        return None;
    };
    if meta != site.pages[index].meta || diags.has_errors() {
        return None;
    }
    let page = &mut site.pages[index];
    let old = std::mem::replace(&mut page.body, body);
    let old_start = std::mem::replace(&mut page.body_start, body_start);
    let Some((path, bytes)) = render::render_one(site, &kept.templates, index) else {
        let page = &mut site.pages[index];
        page.body = old;
        page.body_start = old_start;
        return None;
    };
    write::update(&req.output, &[(path, bytes)]).ok()?;
    Some(Summary {
        pages: 1,
        metrics: site.metrics.len(),
        warnings: Vec::new(),
        timings: Vec::new(),
        elapsed: start.elapsed(),
    })
}
