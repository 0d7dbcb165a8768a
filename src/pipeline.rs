//! The build as one chain: load → model → render → write. `check` stops before writing.
//! Each call starts afresh from the files; a good build hands back what it made ([`Kept`]:
//! the model, the loaded templates, what each page shows), which `crate::rebuild` uses to
//! rebuild only what one edit touches. Uses every stage; keeps nothing itself.

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
    /// Drafts left out of the site.
    pub drafts: usize,
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
    /// How many editions (languages) it was rendered in.
    pub editions: usize,
    pub metrics: usize,
    pub warnings: Vec<Diagnostic>,
    /// The warnings of loading and modelling the site alone.
    pub model_warnings: Vec<Diagnostic>,
    /// Where symbolic links in the site lead (see [`load::Loaded::links`]).
    pub links: Vec<PathBuf>,
    /// How long each stage took, in order.
    pub timings: Vec<Lap>,
}

/// Loads, models and renders the site without writing, with the checks of `hallbar check`
/// (links, fragments, alt text, headings). Errors from every stage are collected.
pub fn check(req: &Request) -> Result<Rendered, Failure> {
    // Each edition's ids on their own: its pages link to its own URLs.
    let sink_for = |_: &Site| crate::check::Ids::default();
    run(req, true, sink_for, |site, out, ids, diags| {
        crate::check::run(site, &out.facts, ids, diags);
        if site.edition == 0 {
            for d in crate::archive::differences(&site.archive) {
                diags.push(d);
            }
        }
        // A draft's text is read only once it is published; check reads it now.
        for (rel, why) in &site.unpublished {
            if *why == model::Unpublished::Draft {
                let path = Path::new("content").join(rel);
                load::text_problems(&req.root, &path, diags);
                diags.push(Diagnostic {
                    severity: crate::diag::Severity::Note,
                    ..Diagnostic::error(
                        path,
                        crate::diag::Pos::START,
                        "this page is a draft, left out of the site; `--drafts` includes it, and removing `draft: true` publishes it",
                    )
                    .with_code("draft")
                });
            }
        }
    })
}

/// How many pages are drafts left out of the site.
pub fn drafts_left_out(site: &Site) -> usize {
    site.unpublished
        .values()
        .filter(|u| **u == model::Unpublished::Draft)
        .count()
}

/// Loads, models and renders the site, each edition into the sink `sink_for` gives it;
/// `then` looks at each edition's result before errors are counted.
fn run<S: render::Sink>(
    req: &Request,
    facts: bool,
    sink_for: impl Fn(&Site) -> S,
    mut then: impl FnMut(&Site, &Output, &S, &mut Diagnostics),
) -> Result<Rendered, Failure> {
    let mut diags = Diagnostics::default();
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<Lap>| {
        timings.push(Lap::new(name, clock.elapsed()));
        clock = Instant::now();
    };
    let config_file = load::config_file(&req.root, &mut diags)?;
    let mut config = config::resolve(config_file.as_ref(), &req.overrides, &mut diags);
    let mut loaded = load::site(&req.root, &config.theme, &mut diags)?;
    if config.search
        && let Some(d) = crate::search::too_many_pages(loaded.markdown.len())
    {
        config.search = false;
        diags.push(d);
    }
    // An edition being frozen publishes none of the frozen years, but may link to them.
    loaded.archive = load::archive(&req.root)?;
    if let Some(d) = year_frozen_already(&config, loaded.archive.as_deref()) {
        diags.push(d);
    }
    let links = std::mem::take(&mut loaded.links);
    lap("load", &mut timings);
    let mut sites = model::build_all(config, loaded, Options { drafts: req.drafts }, &mut diags);
    lap("model", &mut timings);
    let model_warnings = diags.warnings();
    let bodies = load::Bodies::new(&req.root);
    let images = load::ImageCache::new(&req.root);
    let mut output = Output::default();
    // What every edition's pages show, for the metrics' warnings of a site in several.
    let mut shown = Vec::new();
    for site in &sites {
        let sink = sink_for(site);
        let with = render::With {
            bodies: &bodies,
            images: &images,
            sink: &sink,
            facts,
        };
        let out = render::render(site, &with, &mut diags);
        then(site, &out, &sink, &mut diags);
        if sites.len() > 1 {
            shown.extend(out.shown.iter().cloned());
        }
        if site.edition > 0 {
            clashes(&output, &out, site, &mut diags);
        }
        merge(
            &mut output,
            out,
            Path::new(&site.folder()),
            site.edition == 0,
        );
    }
    // This year's permanent address, `<report_year>/`, beside every edition's pages.
    if !facts && let Some(first) = sites.first() {
        let sink = sink_for(first);
        match render::year_pages(first, &output.paths) {
            Ok(pages) => {
                for (path, bytes) in pages {
                    render::Sink::put(&sink, &path, bytes);
                    output.paths.insert(path);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    if let Some(first) = sites.first().filter(|_| sites.len() > 1)
        && (!diags.has_errors() || facts)
    {
        diags.extend(render::metric_warnings(first, &shown).into_iter().collect());
    }
    lap("render", &mut timings);
    if diags.has_errors() {
        return Err(Failure::Site(diags.into_sorted()));
    }
    let editions = sites.len();
    let site = sites.swap_remove(0);
    Ok(Rendered {
        output,
        metrics: site.metrics.len(),
        site,
        editions,
        warnings: diags.into_sorted(),
        model_warnings,
        links,
        timings,
    })
}

/// A `report_year` that is frozen already: most likely the year was not moved on after
/// freezing (the root then shows that year again).
fn year_frozen_already(
    config: &config::Config,
    archive: Option<&[crate::archive::Frozen]>,
) -> Option<Diagnostic> {
    let year = config.report_year.filter(|_| config.frozen.is_none())?;
    archive?.iter().find(|f| f.year == year)?;
    Some(Diagnostic::warning(
        "site.yaml",
        crate::diag::Pos::START,
        format!(
            "report_year is {year}, which is frozen already in archive/{year}/; after freezing a year, set report_year to the next one (the root shows this year's report)"
        ),
    ))
}

/// The default language's edition must leave the folder of another edition (`en/`) to it:
/// a page, folder or file of its own there would be overwritten.
fn clashes(all: &Output, out: &Output, site: &Site, diags: &mut Diagnostics) {
    let folder = PathBuf::from(site.folder());
    let mut clash = out
        .paths
        .iter()
        .map(|p| folder.join(p))
        .filter(|p| all.paths.contains(p));
    if let Some(first) = clash.next() {
        let more = clash.count();
        let code = site.config.lang.code();
        diags.error(
            Path::new("site.yaml"),
            crate::diag::Pos::START,
            format!(
                "{} is made by both editions{}: the default language's edition must not use the folder {code}/, where the edition in `{code}` is published; rename content/{code}/ or the page or `slug` that leads there",
                first.display(),
                if more > 0 { format!(" (and {more} more files)") } else { String::new() },
            ),
        );
    }
}

/// Adds one edition's output (published under `folder`) to the site's; the first
/// edition's templates and what its pages show are kept for a partial rebuild.
fn merge(all: &mut Output, out: Output, folder: &Path, first: bool) {
    all.paths
        .extend(out.paths.into_iter().map(|p| folder.join(p)));
    all.pages += out.pages;
    all.facts.extend(out.facts);
    all.fresh_images.extend(out.fresh_images);
    if first {
        all.templates = out.templates;
        all.shown = out.shown;
    }
}

/// Renders into a staging folder, and puts the files in the output folder only when
/// everything rendered.
pub fn build(req: &Request) -> Result<Summary, Failure> {
    build_keeping(req, SearchIndex::Now).map(|(summary, _)| summary)
}

/// When a build makes the search index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchIndex {
    /// With the pages, into the same commit.
    Now,
    /// After them (`serve`): a site in one language keeps the index it had until
    /// [`crate::rebuild::Later`] replaces it, and [`Kept::search_owed`] says so.
    Later,
}

/// What a good build leaves for rebuilding part of the site (see `crate::rebuild`).
#[derive(Debug)]
pub struct Kept {
    pub site: std::sync::Arc<Site>,
    pub templates: tera::Tera,
    /// What each page and then each section shows and warns about.
    pub shown: Vec<render::Shown>,
    /// The warnings of loading and modelling the site.
    pub model_warnings: Vec<Diagnostic>,
    /// Where symbolic links in the site lead, relative to the site folder: files that
    /// are watched too, and whose edits are always rebuilt in full.
    pub links: Vec<PathBuf>,
    /// The part of the key-figures page that shows each metric (by place in id order; 0
    /// when the page is not split). An edit of metric values changes no part.
    pub key_figure_parts: std::sync::Arc<[u32]>,
    /// What the search index holds of each page, for making it again after a partial
    /// rebuild (empty with `search: false`).
    pub search: std::sync::Arc<crate::search::Records>,
    /// The build left the search index to be made after it ([`SearchIndex::Later`]).
    pub search_owed: bool,
}

/// `build`, also handing back what a partial rebuild needs.
pub fn build_keeping(req: &Request, when: SearchIndex) -> Result<(Summary, Option<Kept>), Failure> {
    let start = Instant::now();
    refuse_output_inside_sources(req)?;
    let staging = write::Staging::begin(&req.output)?;
    let records = std::sync::Mutex::default();
    let sink_for = |site: &Site| Recording {
        out: render::Prefixed {
            inner: &staging,
            prefix: PathBuf::from(site.folder()),
        },
        // Only a site with search has its pages read for their text.
        records: site.config.search.then_some(&records),
        frozen: site
            .archive
            .iter()
            .map(|f| PathBuf::from(f.year.to_string()))
            .collect(),
    };
    let mut r = run(req, false, sink_for, |_, _, _, _| {})?;
    let records = records
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut warnings = std::mem::take(&mut r.warnings);
    // Only a site in one language is rebuilt in part, and so can make its index later.
    let search_owed = r.site.config.search && when == SearchIndex::Later && r.editions == 1;
    if r.site.config.search && records.is_empty() {
        let base = r
            .site
            .theme
            .templates
            .get("base.html")
            .map(|t| t.path.clone());
        warnings.push(unmarked_theme(base));
    }
    if search_owed {
        r.output
            .paths
            .extend(staging.earlier_under(Path::new(crate::search::FOLDER)));
    } else if r.site.config.search {
        let indexed = Instant::now();
        for (path, bytes) in search_index(&records)? {
            render::Sink::put(&staging, &path, bytes);
            r.output.paths.insert(path);
        }
        r.timings.push(Lap::new("search", indexed.elapsed()));
    }
    let written = Instant::now();
    staging.commit(&r.output.paths)?;
    // The cache only saves time: a build whose cache cannot be written still succeeded.
    if let Err(e) = write::cache(&load::images_cache_dir(&req.root), &r.output.fresh_images) {
        warnings.push(Diagnostic::warning(
            load::CACHE_DIR,
            crate::diag::Pos::START,
            format!("the resized images could not be kept for the next build ({e}); it will resize them again"),
        ));
    }
    let mut timings = r.timings;
    timings.push(Lap::new("write", written.elapsed()));
    let summary = Summary {
        pages: r.output.pages,
        metrics: r.metrics,
        drafts: drafts_left_out(&r.site),
        warnings,
        timings,
        elapsed: start.elapsed(),
    };
    let shown = r.output.shown;
    // A partial rebuild knows one edition; a site in several languages is built whole.
    let templates = r.output.templates.filter(|_| r.editions == 1);
    let kept = templates.map(|templates| Kept {
        key_figure_parts: crate::report::key_figure_part_of_each(&r.site),
        search: std::sync::Arc::new(records),
        search_owed,
        site: std::sync::Arc::new(r.site),
        templates,
        shown,
        model_warnings: r.model_warnings,
        links: r.links,
    });
    Ok((summary, kept))
}

/// An edition's sink in a build: hands every file on under the edition's folder, and keeps
/// the search record of each page that has one (with search on).
struct Recording<'a> {
    out: render::Prefixed<'a>,
    records: Option<&'a std::sync::Mutex<crate::search::Records>>,
    /// The frozen years' folders: their pages are searched with the index frozen with
    /// them, and are not read for text.
    frozen: Vec<PathBuf>,
}

impl render::Sink for Recording<'_> {
    fn put(&self, rel: &Path, bytes: Vec<u8>) {
        if let Some(records) = self.records
            && !self.frozen.iter().any(|f| rel.starts_with(f))
        {
            let path = self.out.prefix.join(rel);
            if let Some(record) = crate::search::record(&path, &bytes) {
                records
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(path, record);
            }
        }
        self.out.put(rel, bytes);
    }
}

/// A theme whose pages mark no text to search: its search page would find nothing. At its
/// `base.html` (`base`), where the mark goes.
fn unmarked_theme(base: Option<PathBuf>) -> Diagnostic {
    Diagnostic::warning(
        base.unwrap_or_else(|| PathBuf::from("site.yaml")),
        crate::diag::Pos::START,
        format!(
            "search is on, but no page marks its text to search, so the search page finds nothing: put `{}` on the element that holds each page's text (the built-in base.html has it on <main>, as `<main{{% if searchable %}} {}{{% endif %}}>`); or set `search: false` in site.yaml",
            crate::search::MARK,
            crate::search::MARK
        ),
    )
}

/// The search index of `records`.
fn search_index(records: &crate::search::Records) -> Result<crate::search::Files, Fatal> {
    crate::search::index(records)
        .map_err(|e| Fatal::Refused(format!("the search index could not be built: {e}")))
}

/// `hallbar archive`: builds the site as `build` does, each page saying which year's
/// report it is, into `archive/<report_year>/`, and writes the manifest of what was frozen.
/// A year already frozen is refused: a frozen edition is never written again.
pub fn archive(req: &Request) -> Result<(Summary, PathBuf), Failure> {
    let mut diags = Diagnostics::default();
    let config_file = load::config_file(&req.root, &mut diags)?;
    let config = config::resolve(config_file.as_ref(), &req.overrides, &mut diags);
    let Some(year) = config.report_year else {
        return Err(Failure::Site(vec![Diagnostic::error(
            "site.yaml",
            crate::diag::Pos::START,
            "the edition to freeze is filed under its year, and site.yaml has no `report_year`; add e.g. `report_year: 2023`",
        )]));
    };
    if !(1000..=9999).contains(&year) {
        return Err(Failure::Site(vec![Diagnostic::error(
            "site.yaml",
            crate::diag::Pos::START,
            format!(
                "report_year {year} is not a year of four digits, which a frozen edition is filed under; write e.g. `report_year: 2023`"
            ),
        )]));
    }
    if req.drafts {
        return Err(Failure::Fatal(Fatal::Refused(
            "a frozen edition is published for good, so it cannot hold drafts; run `hallbar archive` without --drafts".to_string(),
        )));
    }
    let rel = Path::new(crate::archive::FOLDER).join(year.to_string());
    let folder = req.root.join(&rel);
    if folder.exists() {
        let rel = rel.to_string_lossy().replace('\\', "/");
        return Err(Failure::Fatal(Fatal::Refused(format!(
            "{rel}/ exists: the {year} edition is frozen already, and a frozen edition is never written again; to freeze {year} anew on purpose, remove the folder first (`git rm -r {rel}`) and run `hallbar archive` again"
        ))));
    }
    let frozen = Request {
        output: folder.clone(),
        overrides: Overrides {
            frozen: true,
            ..req.overrides.clone()
        },
        ..req.clone()
    };
    let summary = build(&frozen)?;
    let files = load::archive(&req.root)?
        .unwrap_or_default()
        .into_iter()
        .find(|f| f.year == year)
        .map(|f| f.files)
        .unwrap_or_default();
    // The build's own list of files: not part of the edition, and it would let a later
    // build into this folder think the folder its own.
    let built = folder.join(write::MANIFEST);
    std::fs::remove_file(&built).map_err(Fatal::io("remove", &built))?;
    let path = folder.join(crate::archive::MANIFEST);
    let others: Vec<(&str, String)> = config
        .editions
        .iter()
        .map(|e| (e.lang.code(), config.for_edition(e).title))
        .collect();
    let titles: Vec<(&str, &str)> = others.iter().map(|(c, t)| (*c, t.as_str())).collect();
    let text = crate::archive::manifest_text(year, &config.title, &titles, &files);
    std::fs::write(&path, text).map_err(Fatal::io("write", &path))?;
    Ok((summary, rel))
}

/// `hallbar archive --verify`: every file of the frozen editions that differs from what
/// was frozen, as warnings.
pub fn verify_archive(root: &Path) -> Result<Vec<Diagnostic>, Failure> {
    Ok(crate::archive::differences(
        &load::archive(root)?.unwrap_or_default(),
    ))
}

/// An output folder inside content/, themes/ or archive/ would be read back next time
/// (only `hallbar archive` writes into archive/). Compared as real paths, so that neither
/// `..` nor a symbolic link hides it.
fn refuse_output_inside_sources(req: &Request) -> Result<(), Fatal> {
    let output = real_path(&req.output);
    let archive = (!req.overrides.frozen).then_some(crate::archive::FOLDER);
    for folder in ["content", "themes"].into_iter().chain(archive) {
        if output.starts_with(real_path(&req.root.join(folder))) {
            return Err(Fatal::Refused(format!(
                "the output folder {} is inside {folder}/, so the next build would read it back in; choose another --output",
                req.output.display()
            )));
        }
    }
    Ok(())
}

/// Where `path` is or would be: its longest existing part with links resolved, then the
/// rest with `..` taken away.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    let mut real = loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            break real;
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last.as_os_str().to_owned());
                existing = parent;
            }
            // Nothing of it exists: take the path as it is written.
            _ => break existing.to_path_buf(),
        }
    };
    for part in rest.iter().rev() {
        match part.to_str() {
            Some("..") => {
                real.pop();
            }
            Some(".") => {}
            _ => real.push(part),
        }
    }
    real
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_inside_content_is_refused_through_dot_dot_and_links() {
        let root = std::env::temp_dir().join(format!("hallbar-guard-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::create_dir_all(root.join("s/x")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("content"), root.join("link")).unwrap();
        let req = |output: &str| Request {
            root: root.clone(),
            output: root.join(output),
            overrides: Overrides::default(),
            drafts: false,
        };
        for inside in [
            "content/out",
            "s/x/../../content/out",
            "nope/../content/out",
        ] {
            assert!(
                refuse_output_inside_sources(&req(inside)).is_err(),
                "{inside}"
            );
        }
        #[cfg(unix)]
        assert!(refuse_output_inside_sources(&req("link/out")).is_err());
        for fine in ["public", "s/x/../y", "contents"] {
            assert!(refuse_output_inside_sources(&req(fine)).is_ok(), "{fine}");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }
}
