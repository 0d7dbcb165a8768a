//! The build as one chain: load → model → render → write. `check` stops before writing.
//! Holds no state between calls, so `serve` and `watch` can call it again and again.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::config::{self, Overrides};
use crate::diag::{Diagnostic, Diagnostics, Failure};
use crate::model::{self, Options};
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
        warnings: diags.into_sorted(),
        timings,
    })
}

/// Renders, then writes the output folder only when everything rendered.
pub fn build(req: &Request) -> Result<Summary, Failure> {
    let start = Instant::now();
    let r = render(req)?;
    let written = Instant::now();
    write::sync(&req.output, &r.output.files)?;
    let mut timings = r.timings;
    timings.push(("write", written.elapsed()));
    Ok(Summary {
        pages: r.output.pages,
        metrics: r.metrics,
        warnings: r.warnings,
        timings,
        elapsed: start.elapsed(),
    })
}
