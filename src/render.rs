//! Render: turns the model into the output files. Markdown and shortcodes become HTML,
//! Tera templates wrap it, and every internal link is made relative to the page it is on.
//! Pages render in parallel. Each finished file goes to a [`Sink`] (the write stage's
//! staging folder, or memory for `check`), so a large site is never held whole; a page's
//! text comes from [`Bodies`] as the page renders. Nothing here opens a file itself.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::frontmatter::At;
use crate::i18n::{self, Texts};
use crate::links::{SiteLinks, href, percent_encode_path, root_prefix};
use crate::load::{Bodies, HeadPrint};
use crate::markdown::{self, TocEntry};
use crate::model::{Page, Section, Site};
use crate::shortcode;
use crate::suggest::did_you_mean;
use crate::theme::Theme;
use crate::{chart, figures, report};

/// Where finished files go, from several threads at once. A file that cannot be stored is
/// the sink's to report (the write stage fails the build at its commit).
pub trait Sink: Sync {
    /// `rel` is relative to the output folder.
    fn put(&self, rel: &Path, bytes: Vec<u8>);
}

/// A sink that keeps every file in memory, for `hallbar check` and tests.
#[derive(Debug, Default)]
pub struct Collect(Mutex<BTreeMap<PathBuf, Vec<u8>>>);

impl Collect {
    /// The files so far, leaving the sink empty.
    pub fn take(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl Sink for Collect {
    fn put(&self, rel: &Path, bytes: Vec<u8>) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(rel.to_path_buf(), bytes);
    }
}

/// What rendering made, beyond the files it handed to the sink.
#[derive(Debug, Default)]
pub struct Output {
    /// Every output file, by path relative to the output folder.
    pub paths: BTreeSet<PathBuf>,
    pub pages: usize,
    /// What each Markdown file's text links to and contains, for `hallbar check` (only
    /// collected when asked for).
    pub facts: Vec<(PathBuf, markdown::Facts)>,
    /// The loaded templates, kept for rendering one page again after an edit.
    pub templates: Option<Tera>,
    /// For each page (in model order), the metrics it shows.
    pub uses: Uses,
}

/// For each page, the metrics it shows (through shortcodes, charts and its key figures)
/// by their place in id order: what `serve` needs to re-render only the pages that an
/// edit of metric values touches. About 50 bytes a page.
pub type Uses = Vec<Box<[u32]>>;

/// What to render with, besides the model.
pub struct With<'a> {
    pub bodies: &'a Bodies,
    pub sink: &'a dyn Sink,
    /// Keep the facts `hallbar check` needs.
    pub facts: bool,
}

/// How many pages of a section the navigation lists, so it stays small on large sites.
pub const NAV_PAGES_PER_SECTION: usize = 12;

/// Marks the page a template error happened on, so repeats can be folded into one line.
const WHILE_RENDERING: &str = " (while rendering ";

/// The largest report whose print page holds every page's full text.
const PRINT_PAGES_MAX: usize = 250;

/// Renders page `index` alone, for a rebuild after an edit of its text. Only correct when
/// nothing but that page's body changed and the print page does not hold full texts
/// (see [`incremental_ok`]); `None` on any problem (its front matter changed too, say), so
/// the caller builds everything.
pub fn render_one(
    site: &Site,
    tera: &Tera,
    bodies: &Bodies,
    index: usize,
) -> Option<(PathBuf, Vec<u8>, Box<[u32]>)> {
    let r = Renderer::new(site, tera, bodies);
    let p = site.pages.get(index)?;
    let page = r.page(p).ok()?;
    let uses = uses(site, &p.meta.key_metrics, &page.used);
    Some((index_file(&p.url), page.html.into_bytes(), uses))
}

/// The metrics a rendered page or section shows (its text's and its key figures), by
/// place in id order.
fn uses(site: &Site, key_metrics: &[At<String>], used: &Used) -> Box<[u32]> {
    let listed = key_metrics.iter().map(|k| k.value.as_str());
    let mut places: Vec<u32> = used
        .iter()
        .map(String::as_str)
        .chain(listed)
        .filter_map(|id| site.metrics.position(id))
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    places.sort_unstable();
    places.dedup();
    places.into_boxed_slice()
}

/// Whether the theme's templates can show metrics of their own choosing (through
/// `metric()` or `metrics`), so that no page's metrics are known from its text alone.
pub fn theme_shows_any_metric(site: &Site) -> bool {
    site.theme
        .templates
        .values()
        .any(|t| mentions(&t.source, "metrics") || calls(&t.source, "metric"))
}

/// Output files, by path relative to the output folder.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// After an edit of metric values alone (same ids, same pages; see
/// [`crate::metrics::Metrics::with_file_read_again`]): renders the pages in `pages`, which
/// show changed metrics, and everything that shows the metrics of many pages: section
/// listings, the generated pages and the open data. `None` on any problem, so that the
/// caller builds everything and reports it.
pub fn render_for_metrics(site: &Site, bodies: &Bodies, pages: &[usize]) -> Option<(Files, Tera)> {
    let mut diags = Diagnostics::default();
    let tera = templates(site, &mut diags)?;
    let r = Renderer::new(site, &tera, bodies);
    let rendered: Vec<Option<(PathBuf, String)>> = pages
        .par_iter()
        .map(|&i| {
            let p = site.pages.get(i)?;
            Some((index_file(&p.url), r.page(p).ok()?.html))
        })
        .chain(
            site.sections
                .par_iter()
                .enumerate()
                .map(|(i, s)| Some((index_file(&s.url), r.section(i, s).ok()?.html))),
        )
        .collect();
    let mut files: Files = rendered
        .into_iter()
        .map(|f| f.map(|(path, html)| (path, html.into_bytes())))
        .collect::<Option<_>>()?;
    let collect = Collect::default();
    let with = With {
        bodies,
        sink: &collect,
        facts: false,
    };
    let mut out = Output::default();
    shared_files(&r, &with, &mut out, &mut diags);
    if diags.has_errors() {
        return None;
    }
    files.extend(collect.take());
    Some((files, tera))
}

/// Whether one page's body can be rendered alone: no other output shows page bodies.
pub fn incremental_ok(site: &Site) -> bool {
    site.pages.len() > PRINT_PAGES_MAX
}

/// What a rendered page leaves behind once its file is in the sink: the facts for
/// `check`, when asked for, and the metrics it shows.
type Done = Result<(Option<(PathBuf, markdown::Facts)>, Box<[u32]>), Diagnostics>;

pub fn render(site: &Site, with: &With, diags: &mut Diagnostics) -> Output {
    let mut out = Output::default();
    let Some(tera) = templates(site, diags) else {
        return out;
    };
    let r = Renderer::new(site, &tera, with.bodies);
    let hand_over = |path: PathBuf, key_metrics: &[At<String>], result: PageResult| {
        let done = result.map(|out| {
            with.sink.put(&path, out.html.into_bytes());
            let uses = uses(site, key_metrics, &out.used);
            (with.facts.then_some((out.source, out.facts)), uses)
        });
        (path, done)
    };
    let rendered: Vec<(PathBuf, Done)> = site
        .pages
        .par_iter()
        .map(|p| hand_over(index_file(&p.url), &p.meta.key_metrics, r.page(p)))
        .chain(
            site.sections
                .par_iter()
                .enumerate()
                .map(|(i, s)| hand_over(index_file(&s.url), &[], r.section(i, s))),
        )
        .collect();
    // Which metrics something shows, by place in id order.
    let mut shown = vec![false; site.metrics.len()];
    let page_count = site.pages.len();
    for (n, (path, done)) in rendered.into_iter().enumerate() {
        match done {
            Ok((facts, uses)) => {
                out.pages += 1;
                out.paths.insert(path);
                out.facts.extend(facts);
                for &place in &uses {
                    if let Some(flag) = shown.get_mut(place as usize) {
                        *flag = true;
                    }
                }
                if n < page_count {
                    out.uses.push(uses);
                }
            }
            Err(d) => diags.extend(d),
        }
    }
    // A page that failed to render has not told what it uses; warn only about whole builds.
    if !diags.has_errors() {
        warn_unused_metrics(site, &shown, diags);
    }
    check_generated_urls(site, diags);
    shared_files(&r, with, &mut out, diags);
    put(
        &mut out,
        with,
        PathBuf::from("robots.txt"),
        robots(site).into_bytes(),
    );
    if let Some(sitemap) = sitemap(site) {
        put(
            &mut out,
            with,
            PathBuf::from("sitemap.xml"),
            sitemap.into_bytes(),
        );
    }
    for (path, bytes) in &site.theme.statics {
        let origin = Path::new("themes")
            .join(&site.config.theme)
            .join("static")
            .join(path);
        add_file(&mut out, with, path, bytes, &origin, diags);
    }
    for asset in &site.assets {
        let origin = Path::new("content").join(&asset.rel);
        add_file(&mut out, with, &asset.rel, &asset.bytes, &origin, diags);
    }
    check_file_clashes(&out, diags);
    diags.fold_repeats(WHILE_RENDERING);
    out.templates = Some(tera);
    out
}

/// The files that show what many pages or metrics hold: the generated pages, the open
/// data and 404.html.
fn shared_files(r: &Renderer, with: &With, out: &mut Output, diags: &mut Diagnostics) {
    let site = r.site;
    r.generated(&mut |path, result| match result {
        Ok(html) => {
            out.pages += 1;
            put(out, with, path, html.into_bytes());
        }
        Err(d) => diags.extend(d),
    });
    let json = report::metrics_json(site).into_bytes();
    put(out, with, PathBuf::from(report::METRICS_JSON), json);
    let csv = report::metrics_csv(site).into_bytes();
    put(out, with, PathBuf::from(report::METRICS_CSV), csv);
    match r.not_found() {
        Ok(html) => put(out, with, PathBuf::from("404.html"), html.into_bytes()),
        Err(d) => diags.extend(d),
    }
}

/// Hands a generated file to the sink and lists it.
fn put(out: &mut Output, with: &With, path: PathBuf, bytes: Vec<u8>) {
    with.sink.put(&path, bytes);
    out.paths.insert(path);
}

/// A file cannot stand where another output needs a folder (`program/halsa` beside the
/// page `program/halsa/index.html`); found here so that nothing is written.
fn check_file_clashes(out: &Output, diags: &mut Diagnostics) {
    for path in &out.paths {
        for folder in path.ancestors().skip(1) {
            if !folder.as_os_str().is_empty() && out.paths.contains(folder) {
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

/// Metric ids the pages used, through shortcodes or `key_metrics`.
type Used = BTreeSet<String>;

/// A rendered page, or everything wrong with it.
type PageResult = Result<PageOut, Diagnostics>;

/// A rendered page, the metrics its text used and the facts `check` needs.
struct PageOut {
    html: String,
    used: Used,
    source: PathBuf,
    facts: markdown::Facts,
}

/// A metric that nothing shows is probably a typo or left over: say so, do not fail.
fn warn_unused_metrics(site: &Site, shown: &[bool], diags: &mut Diagnostics) {
    for (m, &shown) in site.metrics.values().zip(shown) {
        if !shown {
            diags.push(crate::diag::Diagnostic::warning(
                &*m.file,
                m.pos,
                format!(
                    "metric `{}` is not used by any page, table or chart; show it with {{{{ metric(id=\"{}\") }}}} or list it in a page's key_metrics",
                    m.id, m.id
                ),
            ).with_code("unused-metric"));
        }
    }
}

/// The generated pages take fixed addresses; a content page there would be overwritten.
fn check_generated_urls(site: &Site, diags: &mut Diagnostics) {
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

/// A theme's or the content's own file, unless a generated file has its place.
fn add_file(
    out: &mut Output,
    with: &With,
    path: &Path,
    bytes: &[u8],
    origin: &Path,
    diags: &mut Diagnostics,
) {
    if out.paths.contains(path) {
        diags.error(
            origin,
            Pos::START,
            format!(
                "this file would overwrite the generated {}; rename or move it",
                path.to_string_lossy().replace('\\', "/")
            ),
        );
    } else {
        put(out, with, path.to_path_buf(), bytes.to_vec());
    }
}

/// `program/x/` → `program/x/index.html`.
fn index_file(url: &str) -> PathBuf {
    PathBuf::from(format!("{url}index.html"))
}

/// Loads the theme's templates into Tera; every template problem becomes a diagnostic.
/// What templates see of a metric (`metrics.efg_familjer` does not work for ids with `-`;
/// write `metrics["efg-familjer"]`).
#[derive(Serialize)]
struct MetricCtx {
    id: String,
    label: String,
    unit: String,
    /// The latest value with its unit, formatted for the site language.
    value: String,
    year: Option<i32>,
    change: Option<String>,
    target: Option<String>,
    program: Option<String>,
    source: Option<String>,
    note: Option<String>,
}

fn metric_contexts(site: &Site) -> BTreeMap<String, MetricCtx> {
    let lang = site.config.lang;
    site.metrics
        .values()
        .map(|m| {
            let latest = m.latest();
            (
                m.id.clone(),
                MetricCtx {
                    id: m.id.clone(),
                    label: m.label.clone(),
                    unit: m.unit.clone(),
                    value: latest
                        .map(|(_, v)| figures::value(m, v, lang))
                        .unwrap_or_default(),
                    year: latest.map(|(y, _)| y),
                    change: latest.and_then(|(y, _)| figures::change(m, y, lang)),
                    target: figures::target(m, lang),
                    program: m.program.as_ref().map(|(p, _)| p.clone()),
                    source: m.source.clone(),
                    note: m.note.clone(),
                },
            )
        })
        .collect()
}

/// `{{ metric(id="efg-familjer", year=2019, unit=false) }}` for templates.
fn register_metric_function(tera: &mut Tera, site: &Site) {
    let metrics = site.metrics.clone();
    let lang = site.config.lang;
    tera.register_function(
        "metric",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let id = kwargs.must_get::<&str>("id")?;
            let m = metrics.get(id).ok_or_else(|| {
                tera::Error::message(format!(
                    "unknown metric `{id}`{}",
                    did_you_mean(id, metrics.keys().map(String::as_str))
                ))
            })?;
            let value = match kwargs.get::<i64>("year")? {
                None => m.latest().map(|(_, v)| v),
                Some(y) => i32::try_from(y)
                    .ok()
                    .and_then(|y| m.values.get(&y).copied()),
            }
            .ok_or_else(|| {
                tera::Error::message(format!(
                    "metric `{id}` has no such year; it has {}",
                    m.years_list()
                ))
            })?;
            Ok(if kwargs.get::<bool>("unit")?.unwrap_or(true) {
                figures::value(m, value, lang)
            } else {
                i18n::format_number(value, m.decimals, lang)
            })
        },
    );
}

/// Whether a template's text has `name` as a word of its own: `metrics` in
/// `{%- for m in metrics-%}`, not in `key_metrics` or the class name `metrics-table`.
fn mentions(source: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    // A hyphen joins words only between letters or digits (a class name); beside a
    // brace or a percent sign it is Tera's whitespace control.
    let joined = |hyphen: Option<char>, beyond: Option<char>| {
        hyphen.is_some_and(word) || (hyphen == Some('-') && beyond.is_some_and(word))
    };
    source.match_indices(name).any(|(i, m)| {
        let mut before = source[..i].chars().rev();
        let mut after = source[i + m.len()..].chars();
        !joined(before.next(), before.next()) && !joined(after.next(), after.next())
    })
}

/// Whether a template calls the function `name`.
fn calls(source: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    source.match_indices(name).any(|(i, m)| {
        !source[..i].chars().next_back().is_some_and(word)
            && source[i + m.len()..].trim_start().starts_with('(')
    })
}

fn templates(site: &Site, diags: &mut Diagnostics) -> Option<Tera> {
    let theme = &site.theme;
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_metric_function(&mut tera, site);
    // Every metric as a template value costs about 700 bytes each; only a theme that uses
    // `metrics` pays for it.
    if theme
        .templates
        .values()
        .any(|t| mentions(&t.source, "metrics"))
    {
        tera.global_context()
            .insert("metrics", &metric_contexts(site));
    }
    let batch = theme
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), t.source.as_str()));
    match tera.add_raw_templates(batch) {
        Ok(()) => Some(tera),
        Err(e) => {
            // Tera stops at the first syntax error; parse each template alone to find all.
            let mut found = false;
            for (name, t) in &theme.templates {
                let mut alone = Tera::new();
                register_metric_function(&mut alone, site);
                if let Err(e) = alone.add_raw_template(name, &t.source)
                    && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
                {
                    diags.push(template_error(theme, &e));
                    found = true;
                }
            }
            if !found {
                diags.push(template_error(theme, &e));
            }
            None
        }
    }
}

/// A Tera error as a diagnostic at the template's line and column.
fn template_error(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let path_of = |name: &str| {
        theme
            .templates
            .get(name)
            .map_or_else(|| PathBuf::from("themes").join(name), |t| t.path.clone())
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::error(
                path_of(r.filename()),
                Pos::new(span.start_line, span.start_col + 1),
                format!("template: {}", r.message()),
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            path_of(current),
            Pos::START,
            format!("template extends `{parent}`, which the theme does not have"),
        ),
        _ => {
            // Tera's report still names the place: ` --> page.html:3:12`.
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            let place = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("--> "))
                .and_then(|loc| {
                    let mut parts = loc.rsplitn(3, ':');
                    let col = parts.next()?.parse().ok()?;
                    let line = parts.next()?.parse().ok()?;
                    Some((parts.next()?.to_string(), Pos::new(line, col)))
                });
            match place {
                Some((name, pos)) => {
                    Diagnostic::error(path_of(&name), pos, format!("template: {first}"))
                }
                None => Diagnostic::error(
                    PathBuf::from("themes"),
                    Pos::START,
                    format!("template: {first}"),
                ),
            }
        }
    }
}

struct Renderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    bodies: &'a Bodies,
    texts: Texts,
    /// The generated pages, worked out once (it looks at every page).
    report_pages: Vec<(&'static str, &'static str)>,
}

#[derive(Serialize)]
struct SiteCtx<'a> {
    title: &'a str,
    organisation: Option<&'a str>,
    description: Option<&'a str>,
    report_year: Option<i64>,
    base_url: Option<&'a str>,
    extra: &'a serde_json::Value,
}

#[derive(Serialize)]
struct LinkCtx {
    title: String,
    url: String,
    current: bool,
    children: Vec<LinkCtx>,
}

impl LinkCtx {
    fn plain(title: &str, url: String) -> Self {
        LinkCtx {
            title: title.to_string(),
            url,
            current: false,
            children: Vec::new(),
        }
    }
}

/// What goes in `<head>`: the document title, description and Open Graph tags.
#[derive(Serialize)]
struct HeadCtx {
    title: String,
    og_title: String,
    description: Option<String>,
    og_type: &'static str,
    locale: &'static str,
}

/// A programme as the print page shows it.
#[derive(Serialize)]
struct PrintCtx<'a> {
    id: String,
    title: &'a str,
    summary: Option<&'a str>,
    content: String,
    key_metrics: Vec<FigureCtx>,
}

/// A programme's metrics on the key-figures page.
#[derive(Serialize)]
struct GroupCtx {
    title: String,
    url: Option<String>,
    /// The key-figure table (HTML).
    table: String,
}

#[derive(Serialize)]
struct FigureCtx {
    id: String,
    label: String,
    /// The latest value with its unit, formatted for the site language.
    value: String,
    year: i32,
    unit: String,
    /// The change from the year before: `+3, +21 %`.
    change: Option<String>,
}

#[derive(Serialize)]
struct CardCtx {
    title: String,
    summary: Option<String>,
    url: String,
    date: Option<String>,
    key_metrics: Vec<FigureCtx>,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    date: Option<&'a str>,
    content: String,
    toc: Vec<TocEntry>,
    sdg: &'a [u8],
    gri: &'a [String],
    partners: &'a [String],
    area: Option<&'a str>,
    key_metrics: Vec<FigureCtx>,
    /// Charts of the key metrics that have more than one year (inline SVG).
    charts: Vec<String>,
    extra: &'a serde_json::Value,
    url: String,
}

#[derive(Serialize)]
struct SectionCtx<'a> {
    title: &'a str,
    summary: Option<&'a str>,
    content: String,
    toc: Vec<TocEntry>,
    pages: Vec<CardCtx>,
    subsections: Vec<CardCtx>,
    extra: &'a serde_json::Value,
    url: String,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, tera: &'a Tera, bodies: &'a Bodies) -> Self {
        Renderer {
            site,
            tera,
            bodies,
            texts: i18n::texts(site.config.lang),
            report_pages: report::pages(site),
        }
    }

    /// The text of a page or section after its front matter.
    fn body(&self, source: Option<&Path>, head: HeadPrint) -> Result<String, Diagnostic> {
        match source {
            Some(source) => self.bodies.body(source, head),
            None => Ok(String::new()),
        }
    }

    fn base_context(&self, url: &str) -> Context {
        let site = self.site;
        let root = root_prefix(url);
        let mut ctx = Context::new();
        ctx.insert("lang", site.config.lang.code());
        ctx.insert(
            "site",
            &SiteCtx {
                title: &site.config.title,
                organisation: site.config.organisation.as_deref(),
                description: site.config.description.as_deref(),
                report_year: site.config.report_year,
                base_url: site.config.base_url.as_deref(),
                extra: &site.config.extra,
            },
        );
        ctx.insert("t", &self.texts);
        ctx.insert("home_url", &href(&root, ""));
        ctx.insert("nav", &self.nav(&root, url));
        ctx.insert(
            "canonical",
            &site.config.base_url.as_ref().map(|b| format!("{b}{url}")),
        );
        ctx.insert("inline_css", &None::<String>);
        ctx.insert("root", &root);
        ctx.insert("report_links", &self.report_links(&root, url));
        ctx.insert("head", &self.head(None, None, "website"));
        ctx.insert("accent_css", &self.accent_css());
        ctx
    }

    /// Links to the generated pages, for the footer.
    fn report_links(&self, root: &str, current: &str) -> Vec<LinkCtx> {
        self.report_pages
            .iter()
            .copied()
            .map(|(u, title)| LinkCtx {
                current: u == current,
                ..LinkCtx::plain(title, href(root, u))
            })
            .collect()
    }

    /// `title – site title`, the description, and the Open Graph type.
    fn head(
        &self,
        title: Option<&str>,
        description: Option<&str>,
        og_type: &'static str,
    ) -> HeadCtx {
        let site = &self.site.config;
        let full = match title {
            Some(t) if t != site.title => format!("{t} – {}", site.title),
            _ => site.title.clone(),
        };
        HeadCtx {
            og_title: title.unwrap_or(&site.title).to_string(),
            title: full,
            description: description
                .or(site.description.as_deref())
                .map(str::to_string),
            og_type,
            locale: match site.lang {
                i18n::Lang::Sv => "sv_SE",
                i18n::Lang::En => "en_GB",
            },
        }
    }

    /// The accent colour from site.yaml, for light and dark mode.
    fn accent_css(&self) -> Option<String> {
        let a = self.site.config.accent.as_ref()?;
        Some(format!(
            ":root{{--accent:{}}}@media (prefers-color-scheme: dark){{:root{{--accent:{}}}}}@media print{{:root{{--accent:#000}}}}",
            a.light.hex(),
            a.dark.hex()
        ))
    }

    fn nav(&self, root: &str, current: &str) -> Vec<LinkCtx> {
        let site = self.site;
        let link = |title: &str, url: &str, children| LinkCtx {
            title: title.to_string(),
            url: href(root, url),
            current: url == current,
            children,
        };
        let mut items = vec![link(self.texts.home, "", Vec::new())];
        for &i in &site.sections[0].subsections {
            let s = &site.sections[i];
            let children = s
                .pages
                .iter()
                .take(NAV_PAGES_PER_SECTION)
                .map(|&p| {
                    let p = &site.pages[p];
                    link(&p.meta.title, &p.url, Vec::new())
                })
                .collect();
            items.push(link(s.title(&site.config), &s.url, children));
        }
        for &p in site.sections[0].pages.iter().take(NAV_PAGES_PER_SECTION) {
            let p = &site.pages[p];
            items.push(link(&p.meta.title, &p.url, Vec::new()));
        }
        items
    }

    fn breadcrumbs(&self, root: &str, mut section: Option<usize>) -> Vec<LinkCtx> {
        let mut crumbs = Vec::new();
        while let Some(i) = section {
            let s = &self.site.sections[i];
            let title = if i == 0 {
                self.texts.home
            } else {
                s.title(&self.site.config)
            };
            crumbs.push(LinkCtx {
                title: title.to_string(),
                url: href(root, &s.url),
                current: false,
                children: Vec::new(),
            });
            section = s.parent;
        }
        crumbs.reverse();
        crumbs
    }

    fn figures(&self, ids: impl Iterator<Item = String>) -> Vec<FigureCtx> {
        let lang = self.site.config.lang;
        ids.filter_map(|id| {
            let m = self.site.metrics.get(&id)?;
            let (year, value) = m.latest()?;
            let number = i18n::format_number(value, m.decimals, lang);
            Some(FigureCtx {
                label: m.label.clone(),
                value: i18n::with_unit(&number, &m.unit, lang),
                year,
                unit: m.unit.clone(),
                change: figures::change(m, year, lang),
                id,
            })
        })
        .collect()
    }

    fn card(&self, root: &str, p: &Page) -> CardCtx {
        CardCtx {
            title: p.meta.title.clone(),
            summary: p.meta.summary.clone(),
            url: href(root, &p.url),
            date: p.meta.date.clone(),
            key_metrics: self.figures(p.meta.key_metrics.iter().map(|k| k.value.clone())),
        }
    }

    fn markdown(
        &self,
        source: &Path,
        body: &str,
        start: Pos,
        url: &str,
        id_prefix: &str,
        diags: &mut Diagnostics,
    ) -> (markdown::Rendered, Used) {
        // Texts placed in a larger document (the print page) get prefixed ids and start
        // one heading level lower.
        let heading_offset = u8::from(!id_prefix.is_empty());
        let mut env = shortcode::Env::new(&self.site.metrics, self.site.config.lang);
        env.id_prefix = id_prefix.to_string();
        let rel = source.strip_prefix("content").unwrap_or(source);
        let links = SiteLinks {
            site: self.site,
            self_rel: rel.to_string_lossy().replace('\\', "/"),
            from_dir: rel
                .parent()
                .map(|d| d.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default(),
            root: root_prefix(url),
            self_file: format!("{url}index.html"),
        };
        let cx = markdown::Context {
            origin: markdown::Origin {
                path: source,
                start,
            },
            shortcodes: &env,
            links: &links,
            heading_link_label: self.texts.heading_link,
            id_prefix,
            heading_offset,
        };
        let rendered = markdown::render(body, &cx, diags);
        (rendered, env.used.take())
    }

    fn template_name(
        &self,
        chosen: Option<&At<String>>,
        default: &str,
        source: &Path,
        diags: &mut Diagnostics,
    ) -> String {
        match chosen {
            Some(t) if self.site.theme.templates.contains_key(&t.value) => t.value.clone(),
            Some(t) => {
                diags.error(
                    source,
                    t.pos,
                    format!(
                        "template `{}` is not in the theme{}",
                        t.value,
                        did_you_mean(
                            &t.value,
                            self.site.theme.templates.keys().map(String::as_str)
                        )
                    ),
                );
                default.to_string()
            }
            None => default.to_string(),
        }
    }

    /// Renders `template` for the page made from `what` (a source file or a generated page).
    fn finish(
        &self,
        template: &str,
        ctx: &Context,
        what: &str,
        mut diags: Diagnostics,
    ) -> Result<String, Diagnostics> {
        if diags.has_errors() {
            return Err(diags);
        }
        self.tera.render(template, ctx).map_err(|e| {
            let mut d = template_error(&self.site.theme, &e);
            d.message.push_str(&format!("{WHILE_RENDERING}{what})"));
            diags.push(d);
            diags
        })
    }

    fn page(&self, p: &Page) -> PageResult {
        let mut diags = Diagnostics::default();
        let template =
            self.template_name(p.meta.template.as_ref(), "page.html", &p.source, &mut diags);
        let body = match self.body(Some(&p.source), p.head) {
            Ok(body) => body,
            Err(d) => {
                diags.push(d);
                return Err(diags);
            }
        };
        let (mut md, used) = self.markdown(&p.source, &body, p.body_start, &p.url, "", &mut diags);
        drop(body);
        let facts = std::mem::take(&mut md.facts);
        let mut ctx = self.base_context(&p.url);
        ctx.insert(
            "head",
            &self.head(Some(&p.meta.title), p.meta.summary.as_deref(), "article"),
        );
        let root = root_prefix(&p.url);
        let siblings: Vec<LinkCtx> = self.site.sections[p.section]
            .pages
            .iter()
            .take(NAV_PAGES_PER_SECTION * 4)
            .map(|&i| {
                let sib = &self.site.pages[i];
                LinkCtx {
                    current: sib.url == p.url,
                    ..LinkCtx::plain(&sib.meta.title, href(&root, &sib.url))
                }
            })
            .collect();
        ctx.insert("siblings", &siblings);
        ctx.insert(
            "section_title",
            self.site.sections[p.section].title(&self.site.config),
        );
        ctx.insert("breadcrumbs", &self.breadcrumbs(&root, Some(p.section)));
        ctx.insert(
            "page",
            &PageCtx {
                title: &p.meta.title,
                summary: p.meta.summary.as_deref(),
                date: p.meta.date.as_deref(),
                content: md.html,
                toc: md.toc,
                sdg: &p.meta.sdg,
                gri: &p.meta.gri,
                partners: &p.meta.partners,
                area: p.meta.area.as_deref(),
                key_metrics: self.figures(p.meta.key_metrics.iter().map(|k| k.value.clone())),
                charts: self.key_metric_charts(p),
                extra: &p.meta.extra,
                url: href(&root, &p.url),
            },
        );
        let what = p.source.to_string_lossy().replace('\\', "/");
        self.finish(&template, &ctx, &what, diags)
            .map(|html| PageOut {
                html,
                used,
                source: p.source.clone(),
                facts,
            })
    }

    fn section(&self, index: usize, s: &Section) -> PageResult {
        let mut diags = Diagnostics::default();
        let source = s
            .source
            .clone()
            .unwrap_or_else(|| Path::new("content").join(&s.dir).join("_index.md"));
        let default = if index == 0 {
            "index.html"
        } else {
            "section.html"
        };
        let template = self.template_name(s.meta.template.as_ref(), default, &source, &mut diags);
        let body = match self.body(s.source.as_deref(), s.head) {
            Ok(body) => body,
            Err(d) => {
                diags.push(d);
                return Err(diags);
            }
        };
        let (mut md, used) = self.markdown(&source, &body, s.body_start, &s.url, "", &mut diags);
        drop(body);
        let facts = std::mem::take(&mut md.facts);
        let root = root_prefix(&s.url);
        let site = self.site;
        let mut ctx = self.base_context(&s.url);
        ctx.insert(
            "head",
            &self.head(
                Some(s.title(&site.config)),
                s.meta.summary.as_deref(),
                "website",
            ),
        );
        ctx.insert("breadcrumbs", &self.breadcrumbs(&root, s.parent));
        let cards = |sec: &Section| -> Vec<CardCtx> {
            sec.pages
                .iter()
                .map(|&i| self.card(&root, &site.pages[i]))
                .collect()
        };
        let subsection_cards: Vec<CardCtx> = s
            .subsections
            .iter()
            .map(|&i| {
                let sub = &site.sections[i];
                CardCtx {
                    title: sub.title(&site.config).to_string(),
                    summary: sub.meta.summary.clone(),
                    url: href(&root, &sub.url),
                    date: None,
                    key_metrics: Vec::new(),
                }
            })
            .collect();
        if index == 0 {
            let groups: Vec<SectionCtx> = s
                .subsections
                .iter()
                .map(|&i| {
                    let sub = &site.sections[i];
                    SectionCtx {
                        title: sub.title(&site.config),
                        summary: sub.meta.summary.as_deref(),
                        content: String::new(),
                        toc: Vec::new(),
                        pages: cards(sub),
                        subsections: Vec::new(),
                        extra: &sub.meta.extra,
                        url: href(&root, &sub.url),
                    }
                })
                .collect();
            ctx.insert("sections", &groups);
        }
        ctx.insert(
            "section",
            &SectionCtx {
                title: s.title(&site.config),
                summary: s.meta.summary.as_deref(),
                content: md.html,
                toc: md.toc,
                pages: cards(s),
                subsections: subsection_cards,
                extra: &s.meta.extra,
                url: href(&root, &s.url),
            },
        );
        let what = source.to_string_lossy().replace('\\', "/");
        self.finish(&template, &ctx, &what, diags)
            .map(|html| PageOut {
                html,
                used,
                source,
                facts,
            })
    }

    /// Charts of a page's key metrics, for those with figures for more than one year.
    fn key_metric_charts(&self, p: &Page) -> Vec<String> {
        p.meta
            .key_metrics
            .iter()
            .filter_map(|k| self.site.metrics.get(&k.value))
            .filter(|m| {
                m.values
                    .keys()
                    .chain(m.target.keys())
                    .collect::<BTreeSet<_>>()
                    .len()
                    > 1
            })
            .enumerate()
            .map(|(i, m)| {
                let series = [chart::Series {
                    label: &m.label,
                    unit: &m.unit,
                    decimals: m.decimals,
                    values: &m.values,
                    target: &m.target,
                }];
                chart::render(
                    &format!("key-{}", i + 1),
                    &m.label,
                    &series,
                    chart::Kind::Bar,
                    self.site.config.lang,
                )
                .html
            })
            .collect()
    }

    /// Every page of the report, rendered again for the print page: links relative to it,
    /// ids prefixed so that headings of different programmes cannot collide.
    fn print_programmes(&self, url: &str) -> Vec<PrintCtx<'_>> {
        let site = self.site;
        site.sections
            .iter()
            .flat_map(|s| s.pages.iter().map(|&i| &site.pages[i]))
            .enumerate()
            .map(|(n, p)| {
                let prefix = format!("p{}-", n + 1);
                // Problems in a text are reported where its own page renders.
                let mut diags = Diagnostics::default();
                let body = self.body(Some(&p.source), p.head).unwrap_or_default();
                let (md, _) =
                    self.markdown(&p.source, &body, p.body_start, url, &prefix, &mut diags);
                PrintCtx {
                    // Not the title's slug: a heading of the same name would take it too.
                    id: format!("p{}", n + 1),
                    title: &p.meta.title,
                    summary: p.meta.summary.as_deref(),
                    content: md.html,
                    key_metrics: self.figures(p.meta.key_metrics.iter().map(|k| k.value.clone())),
                }
            })
            .collect()
    }

    /// Every metric in tables grouped by programme; `anchors` gives rows their ids (only
    /// on the key-figures page, which other pages link to). Made into template values one
    /// group at a time: with a million metrics the tables are hundreds of megabytes, and
    /// must not be held twice.
    fn metric_groups(&self, root: &str, anchors: bool) -> tera::Value {
        let groups: Vec<tera::Value> = report::metric_groups(self.site)
            .into_iter()
            .map(|(page, metrics)| {
                let title = page.map_or(self.texts.other_metrics, |p| p.meta.title.as_str());
                let group = GroupCtx {
                    title: title.to_string(),
                    url: page.map(|p| href(root, &p.url)),
                    table: figures::table(title, &metrics, self.site.config.lang, anchors),
                };
                tera::Value::from_serializable(&group)
            })
            .collect();
        tera::Value::from(groups)
    }

    /// A generated page: the base context, a title, and the page's own data.
    fn generated_page(
        &self,
        url: &str,
        template: &str,
        title: &str,
        data: impl FnOnce(&mut Context, &str),
    ) -> (PathBuf, Result<String, Diagnostics>) {
        let mut ctx = self.base_context(url);
        let root = root_prefix(url);
        ctx.insert("breadcrumbs", &self.breadcrumbs(&root, Some(0)));
        ctx.insert("title", title);
        ctx.insert("head", &self.head(Some(title), None, "website"));
        data(&mut ctx, &root);
        (
            index_file(url),
            self.finish(template, &ctx, url, Diagnostics::default()),
        )
    }

    /// The key-figures page, the GRI content index and the page of global goals.
    fn generated(&self, emit: &mut dyn FnMut(PathBuf, Result<String, Diagnostics>)) {
        // Each page goes out as soon as it is made: on a large site these pages are big.
        let mut emit = |(path, result)| emit(path, result);
        let site = self.site;
        let lang = site.config.lang;
        let u = report::urls(lang);
        let t = &self.texts;
        emit(self.generated_page(
            u.key_figures,
            "key_figures.html",
            t.key_figures,
            |ctx, root| {
                ctx.insert_value("groups", self.metric_groups(root, true));
                ctx.insert(
                    "downloads",
                    &[
                        LinkCtx::plain(
                            "metrics.json (JSON)",
                            format!("{root}{}", report::METRICS_JSON),
                        ),
                        LinkCtx::plain(
                            "metrics.csv (CSV)",
                            format!("{root}{}", report::METRICS_CSV),
                        ),
                    ],
                );
            },
        ));
        let rows = report::gri_rows(site);
        if !rows.is_empty() {
            emit(
                self.generated_page(u.gri_index, "gri_index.html", t.gri_index, |ctx, root| {
                    let rows: Vec<report::GriRow> = rows
                        .into_iter()
                        .map(|mut r| {
                            for l in &mut r.locations {
                                l.url = href(root, &l.url);
                            }
                            r
                        })
                        .collect();
                    ctx.insert("rows", &rows);
                }),
            );
        }
        emit(
            self.generated_page(u.print, "print.html", t.print, |ctx, root| {
                // Past a few hundred pages a single printed document stops being useful (and
                // would hold the whole site again): the print page then lists the pages.
                let whole = site.pages.len() <= PRINT_PAGES_MAX;
                let programmes = if whole {
                    self.print_programmes(u.print)
                } else {
                    Vec::new()
                };
                ctx.insert("programmes", &programmes);
                let contents: Vec<LinkCtx> = if whole {
                    Vec::new()
                } else {
                    site.sections
                        .iter()
                        .flat_map(|s| s.pages.iter().map(|&i| &site.pages[i]))
                        .map(|p| LinkCtx::plain(&p.meta.title, href(root, &p.url)))
                        .collect()
                };
                ctx.insert("contents", &contents);
                let home = &site.sections[0];
                let mut diags = Diagnostics::default();
                let source = home
                    .source
                    .clone()
                    .unwrap_or_else(|| "content/_index.md".into());
                let body = self
                    .body(home.source.as_deref(), home.head)
                    .unwrap_or_default();
                let (md, _) = self.markdown(
                    &source,
                    &body,
                    home.body_start,
                    u.print,
                    "start-",
                    &mut diags,
                );
                ctx.insert("home_title", home.title(&site.config));
                ctx.insert("home_content", &md.html);
                // The tables of every metric go with the whole texts; a contents list
                // links to the key-figures page instead.
                let groups = if whole {
                    self.metric_groups(root, false)
                } else {
                    tera::Value::from(Vec::<tera::Value>::new())
                };
                ctx.insert_value("groups", groups);
                ctx.insert("key_figures_url", &href(root, u.key_figures));
            }),
        );
        emit(self.generated_page(
            u.accessibility,
            "accessibility.html",
            t.accessibility,
            |ctx, _| {
                ctx.insert("statement", &site.config.accessibility);
                ctx.insert(
                    "organisation",
                    site.config
                        .organisation
                        .as_deref()
                        .unwrap_or(&site.config.title),
                );
            },
        ));
        let goals = report::sdg_goals(site);
        if !goals.is_empty() {
            emit(
                self.generated_page(u.sdg, "sdg.html", t.sdg_page, |ctx, root| {
                    let goals: Vec<report::Goal> = goals
                        .into_iter()
                        .map(|mut g| {
                            for l in &mut g.pages {
                                l.url = href(root, &l.url);
                            }
                            g
                        })
                        .collect();
                    ctx.insert("goals", &goals);
                }),
            );
        }
    }

    /// 404.html is served for any missing address, at any depth, so it links to the
    /// site by its absolute address when there is one and carries its own styles.
    fn not_found(&self) -> Result<String, Diagnostics> {
        let mut ctx = self.base_context("");
        if let Some(base) = &self.site.config.base_url {
            ctx.insert("home_url", base);
            ctx.insert("nav", &self.nav(base, "\u{0}"));
        }
        ctx.insert("inline_css", &self.site.theme.stylesheet());
        ctx.insert("canonical", &None::<String>);
        ctx.insert(
            "head",
            &self.head(Some(self.texts.not_found_title), None, "website"),
        );
        if let Some(base) = &self.site.config.base_url {
            ctx.insert("report_links", &self.report_links(base, "\u{0}"));
        }
        ctx.insert("breadcrumbs", &Vec::<LinkCtx>::new());
        self.finish("404.html", &ctx, "404.html", Diagnostics::default())
    }
}

fn robots(site: &Site) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        s.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    s
}

fn sitemap(site: &Site) -> Option<String> {
    let base = site.config.base_url.as_ref()?;
    let mut urls: Vec<&str> = site
        .sections
        .iter()
        .map(|s| s.url.as_str())
        .chain(site.pages.iter().map(|p| p.url.as_str()))
        .chain(report::pages(site).into_iter().map(|(u, _)| u))
        .collect();
    urls.sort_unstable();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            markdown::escape(&format!("{base}{}", percent_encode_path(u)))
        ));
    }
    s.push_str("</urlset>\n");
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_names_metrics_only_as_a_word_of_its_own() {
        let m = |s| mentions(s, "metrics");
        assert!(m(r#"{{ metrics["a"].label }}"#));
        assert!(m("{% for id, m in metrics %}"));
        assert!(!m("{{ p.key_metrics[0].value }}"));
        assert!(!m("{{ metrics_note }} {{ all_metrics }}"));
        assert!(!m(r#"<table class="metrics-table">"#));
        assert!(!m(r#"<table class="key-metrics">"#));
        assert!(m("{% for id, m in metrics-%}"));
        assert!(m("{{-metrics | length }}"));
        assert!(calls(r#"{{ metric(id="a") }}"#, "metric"));
        assert!(calls(r#"{{ metric (id="a") }}"#, "metric"));
        assert!(!calls(r#"<section class="metric-group">"#, "metric"));
    }
}
