//! Render: turns the model into the output files. Markdown and shortcodes become HTML,
//! Tera templates wrap it, and every internal link is made relative to the page it is on.
//! Pages render in parallel. Each finished file goes to a [`Sink`] (the write stage's
//! staging folder, or the collector of ids that `check` uses), so a large site is never
//! held whole; a page's text comes from [`Bodies`] as the page renders. Nothing here
//! opens a file itself.
//!
//! This file only coordinates: [`render`] for the whole site, and [`pages`], [`sections`]
//! and [`shared`] for the parts that a partial rebuild (`crate::rebuild`) asks for. The
//! page skeleton is in `skeleton`, programme and section pages in `pages`, the generated
//! pages in `generated/`, the files beside them in `site_files`, Tera in `templates`.

mod checks;
mod context;
mod generated;
mod pages;
mod sink;
mod site_files;
mod skeleton;
mod templates;

use std::collections::BTreeSet;
use std::path::PathBuf;

use rayon::prelude::*;

pub use checks::{metric_warnings, warnings};
pub use sink::{Collect, Prefixed, Sink};
pub use site_files::year_pages;
pub use templates::{load as load_templates, theme_shows_any_metric};

use crate::diag::{Diagnostic, Diagnostics};
use crate::frontmatter::At;
use crate::load::{Bodies, ImageCache};
use crate::markdown;
use crate::model::Site;
use skeleton::Renderer;

/// How many pages of a section the navigation lists, so it stays small on large sites.
pub const NAV_PAGES_PER_SECTION: usize = 12;

/// How many cards of a section the home page shows; the section's own page lists all.
pub const HOME_CARDS_MAX: usize = 48;

/// Marks the page a template error happened on, so repeats can be folded into one line.
const WHILE_RENDERING: &str = " (while rendering ";

/// The largest report whose print page holds every page's full text.
pub const PRINT_PAGES_MAX: usize = 250;

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
    pub templates: Option<tera::Tera>,
    /// What each page and then each section (in model order) shows and warns about.
    pub shown: Vec<Shown>,
    /// Image versions made afresh, by cache name, for the write stage to keep.
    pub fresh_images: Vec<(String, Vec<u8>)>,
}

impl Output {
    /// Hands a file to the sink and lists it.
    fn put(&mut self, with: &With, path: PathBuf, bytes: Vec<u8>) {
        with.sink.put(&path, bytes);
        self.paths.insert(path);
    }
}

/// What one rendered page or section leaves for the site's warnings: the metrics it shows
/// (by place in id order; through shortcodes, charts and its key figures) and the
/// warnings its text gave. What `serve` needs to rebuild part of a site and still warn
/// as a full build would. About 50 bytes a page.
#[derive(Debug, Clone, Default)]
pub struct Shown {
    pub uses: Box<[u32]>,
    pub warnings: Vec<Diagnostic>,
}

/// What to render with, besides the model.
pub struct With<'a> {
    pub bodies: &'a Bodies,
    /// The image versions earlier builds made.
    pub images: &'a ImageCache,
    pub sink: &'a dyn Sink,
    /// Keep the facts `hallbar check` needs.
    pub facts: bool,
}

/// Output files, by path relative to the output folder.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Metric ids the pages used, through shortcodes or `key_metrics`.
type Used = BTreeSet<String>;

/// A page rendered, or everything wrong with it; and, either way, what its text showed
/// and the facts `check` needs, as far as they could be found (so that `check` reports
/// its own findings beside a page's errors).
struct PageOut {
    html: Result<String, Diagnostics>,
    used: Used,
    source: PathBuf,
    /// `None` when the text could not even be read.
    facts: Option<markdown::Facts>,
    warnings: Vec<Diagnostic>,
}

/// A page or a section, by its place in the model.
#[derive(Debug, Clone, Copy)]
enum Item {
    Page(usize),
    Section(usize),
}

/// A rendered page or section, ready for the sink, or its errors.
struct Done {
    path: PathBuf,
    html: Result<String, Diagnostics>,
    shown: Shown,
    facts: Option<(PathBuf, markdown::Facts)>,
}

impl Renderer<'_> {
    fn item(&self, item: Item) -> Done {
        let site = self.site;
        let (url, key_metrics, result): (&str, &[At<String>], _) = match item {
            Item::Page(i) => {
                let p = &site.pages[i];
                (&p.url, &p.meta.key_metrics, self.page(p))
            }
            Item::Section(i) => {
                let s = &site.sections[i];
                (&s.url, &[], self.section(i, s))
            }
        };
        let mut out: PageOut = result;
        if let Item::Section(0) = item {
            // The home page's band of headline figures shows metrics too.
            out.used.extend(self.headline_ids());
        }
        Done {
            path: index_file(url),
            shown: Shown {
                uses: uses(site, key_metrics, &out.used),
                warnings: out.warnings,
            },
            html: out.html,
            facts: out.facts.map(|f| (out.source, f)),
        }
    }
}

/// Every page and then every section, in model order.
fn all_items(site: &Site) -> Vec<Item> {
    (0..site.pages.len())
        .map(Item::Page)
        .chain((0..site.sections.len()).map(Item::Section))
        .collect()
}

/// Renders the whole site into `with.sink`; every problem goes to `diags`.
pub fn render(site: &Site, with: &With, diags: &mut Diagnostics) -> Output {
    let mut out = Output::default();
    let Some(tera) = templates::load(site, diags) else {
        return out;
    };
    let r = Renderer::new(site, &tera, with.bodies);
    // The generated pages and the open data are made beside the pages, not after them:
    // on a large site they are a few large files that would otherwise keep one core busy
    // while the other waits.
    let (rendered, (shared, shared_diags)) = rayon::join(
        || {
            all_items(site)
                .into_par_iter()
                .map(|item| {
                    let mut done = r.item(item);
                    if let Ok(html) = &mut done.html {
                        with.sink.put(&done.path, std::mem::take(html).into_bytes());
                    }
                    done
                })
                .collect::<Vec<Done>>()
        },
        || {
            let mut shared = Output::default();
            let mut diags = Diagnostics::default();
            shared_files(&r, with, &mut shared, &mut diags, Again::ALL);
            (shared, diags)
        },
    );
    out.pages += shared.pages;
    out.paths.extend(shared.paths);
    for done in rendered {
        match done.html {
            Ok(_) => {
                out.pages += 1;
                out.paths.insert(done.path);
            }
            Err(d) => diags.extend(d),
        }
        if with.facts {
            out.facts.extend(done.facts);
        }
        out.shown.push(done.shown);
    }
    // A page that failed to render has told only part of what it shows: a build that
    // fails says nothing of unused metrics, but `check` reports them beside the errors.
    // In a site of several editions, the metrics' warnings come once, from all of them
    // (see `crate::pipeline`).
    if !diags.has_errors() || with.facts {
        let found = if site.editions.is_some() {
            checks::page_warnings(&out.shown)
        } else {
            warnings(site, &out.shown)
        };
        for w in found {
            diags.push(w);
        }
    }
    checks::generated_urls(site, diags);
    checks::settings(site, diags);
    diags.extend(shared_diags);
    for (path, bytes) in site_files::crawler_files(site) {
        out.put(with, path, bytes);
    }
    site_files::image_versions(site, &mut out, with, diags);
    site_files::copied_files(site, &mut out, with, diags);
    site_files::archived(site, &mut out, with, diags);
    checks::file_clashes(&out.paths, diags);
    diags.fold_repeats(WHILE_RENDERING);
    out.templates = Some(tera);
    out
}

/// The files that show what many pages or metrics hold: the generated pages, the open
/// data and 404.html. Which of them: see [`Again`].
fn shared_files(
    r: &Renderer,
    with: &With,
    out: &mut Output,
    diags: &mut Diagnostics,
    again: Again,
) {
    r.generated(again.key_figure_parts, &mut |path, result| match result {
        Ok(html) => {
            out.pages += 1;
            out.put(with, path, html.into_bytes());
        }
        Err(d) => diags.extend(d),
    });
    if again.open_data {
        for (path, bytes) in site_files::open_data(r.site, diags) {
            out.put(with, path, bytes);
        }
    }
    match r.not_found() {
        Ok(html) => out.put(with, PathBuf::from("404.html"), html.into_bytes()),
        Err(d) => diags.extend(d),
    }
}

/// Which of the shared files to make: every one in a full build; in a partial rebuild,
/// those a metric edit changes.
#[derive(Debug, Clone, Copy)]
pub struct Again<'a> {
    /// The parts of a split key-figures page (numbers from 1); `None`: all of them.
    pub key_figure_parts: Option<&'a BTreeSet<usize>>,
    /// metrics.json, .csv and .xlsx.
    pub open_data: bool,
}

impl Again<'_> {
    pub const ALL: Again<'static> = Again {
        key_figure_parts: None,
        open_data: true,
    };
}

/// A page or section rendered for a partial rebuild.
#[derive(Debug)]
pub struct Part {
    /// Its place in [`Output::shown`]: pages first, then sections.
    pub place: usize,
    pub path: PathBuf,
    pub bytes: Vec<u8>,
    pub shown: Shown,
}

/// Renders the pages at `pages` (places in the model) and, with `sections`, every section.
/// For a partial rebuild; a full build uses [`render`]. Fails with every problem found
/// (none when a place is not in the model).
pub fn pages(
    site: &Site,
    tera: &tera::Tera,
    bodies: &Bodies,
    pages: &[usize],
    sections: bool,
) -> Result<Vec<Part>, Diagnostics> {
    if pages.iter().any(|&i| i >= site.pages.len()) {
        return Err(Diagnostics::default());
    }
    let r = Renderer::new(site, tera, bodies);
    let section_count = if sections { site.sections.len() } else { 0 };
    let items: Vec<Item> = pages
        .iter()
        .map(|&i| Item::Page(i))
        .chain((0..section_count).map(Item::Section))
        .collect();
    let rendered: Vec<(Item, Done)> = items
        .into_par_iter()
        .map(|item| (item, r.item(item)))
        .collect();
    let mut parts = Vec::with_capacity(rendered.len());
    let mut diags = Diagnostics::default();
    let mut failed = false;
    for (item, done) in rendered {
        match done.html {
            Ok(html) => parts.push(Part {
                place: match item {
                    Item::Page(i) => i,
                    Item::Section(i) => site.pages.len() + i,
                },
                path: done.path,
                bytes: html.into_bytes(),
                shown: done.shown,
            }),
            Err(d) => {
                failed = true;
                diags.extend(d);
            }
        }
    }
    if failed {
        return Err(diags);
    }
    Ok(parts)
}

/// The generated pages, the open data and 404.html, as `again` says, into memory: for a
/// partial rebuild.
pub fn shared(
    site: &Site,
    tera: &tera::Tera,
    bodies: &Bodies,
    again: Again,
) -> Result<Files, Diagnostics> {
    let r = Renderer::new(site, tera, bodies);
    let collect = Collect::default();
    let with = With {
        bodies,
        images: &ImageCache::none(),
        sink: &collect,
        facts: false,
    };
    let mut diags = Diagnostics::default();
    shared_files(&r, &with, &mut Output::default(), &mut diags, again);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(collect.take().into_iter().collect())
}

/// metrics.json, .csv and .xlsx alone, into memory: what a metric edit in `serve` makes
/// after the pages are served (see `crate::rebuild`).
pub fn open_data(site: &Site) -> Result<Files, Diagnostics> {
    let mut diags = Diagnostics::default();
    let files = site_files::open_data(site, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(files)
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

/// `program/x/` → `program/x/index.html`.
fn index_file(url: &str) -> PathBuf {
    PathBuf::from(format!("{url}index.html"))
}
