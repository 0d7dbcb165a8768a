//! Model: the site as an immutable value (pages, sections, URLs, metrics, assets, theme),
//! built from what `load` read and checked for consistency ([`checks`]). No I/O: uses the
//! settings, front matter, metrics, slugs and theme modules to read what `load` handed over.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::{Diagnostics, Pos};
use crate::frontmatter::{self, PageMeta, SectionMeta, SortBy};
use crate::load::{Asset, HeadPrint, Loaded, SourceFile};
use crate::metrics;
use crate::slug::slugify;
use crate::theme::{self, Theme};
use checks::{check_metric_links, check_urls};

mod checks;
pub mod editions;

pub use editions::{Editions, build_all};

/// A Markdown page: one programme or article.
#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the site root: `content/program/laxhjalpen.md`.
    pub source: PathBuf,
    /// Relative to `content/`, with `/`: `program/laxhjalpen.md`.
    pub rel: String,
    pub meta: PageMeta,
    /// Relative to the site root, ending in `/`: `program/laxhjalpen/`.
    pub url: String,
    /// The file's head when loaded; the body is read when the page renders.
    pub head: HeadPrint,
    pub body_start: Pos,
    /// Index into [`Site::sections`].
    pub section: usize,
    /// The language of its text when that is not the edition's: a page without a
    /// translation published in the default language (`untranslated: publish`).
    pub lang: Option<crate::i18n::Lang>,
}

/// A folder under `content/` (the home page is the root section).
#[derive(Debug, Clone)]
pub struct Section {
    /// The `_index.md`, when there is one.
    pub source: Option<PathBuf>,
    /// Relative to `content/`: "" for the root, `program` for `content/program/`.
    pub dir: String,
    pub meta: SectionMeta,
    /// "" for the root, `program/`.
    pub url: String,
    pub head: HeadPrint,
    pub body_start: Pos,
    /// Pages in display order (indexes into [`Site::pages`]).
    pub pages: Vec<usize>,
    /// Sub-sections in display order.
    pub subsections: Vec<usize>,
    pub parent: Option<usize>,
}

impl Section {
    /// The title to show: the front matter's, else the folder name, else the site's.
    pub fn title<'a>(&'a self, config: &'a Config) -> &'a str {
        match (&self.meta.title, self.dir.rsplit('/').next()) {
            (Some(t), _) => t,
            (None, Some(name)) if !name.is_empty() => name,
            _ => &config.title,
        }
    }
}

/// The whole site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub pages: Vec<Page>,
    /// `sections[0]` is the root (the home page).
    pub sections: Vec<Section>,
    /// Shared, so the templates' `metric()` function needs no copy.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
    pub assets: Vec<Asset>,
    /// The raster images among the assets, with their sizes.
    pub images: crate::images::Table,
    pub theme: Theme,
    /// Pages by their path under `content/`, so links resolve in constant time.
    by_rel: HashMap<String, usize>,
    /// Asset paths under `content/`, with `/`.
    asset_rels: HashSet<String>,
    /// Pages that exist but are not published, by path under `content/`.
    pub unpublished: HashMap<String, Unpublished>,
    /// Whether a page or a metric names a GRI disclosure, and a page a goal.
    gri_named: bool,
    sdg_named: bool,
    /// Which edition this is (0: the default language's, published at the root).
    pub edition: usize,
    /// Every edition's pages, for a site with `languages:`; `None` for one language.
    pub editions: Option<std::sync::Arc<Editions>>,
    /// In an edition in another language, the metrics as the default language shows
    /// them: for the pages published there untranslated.
    pub default_metrics: Option<std::sync::Arc<crate::metrics::Metrics>>,
    /// The frozen editions of earlier years, published as they are under `<year>/`.
    pub archive: std::sync::Arc<[crate::archive::Frozen]>,
    /// Whether the site keeps earlier years (it has an `archive/` folder): this year's
    /// edition then also has its permanent address under `<report_year>/`.
    pub archiving: bool,
}

/// Why a page that exists is not in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unpublished {
    Draft,
    /// Its front matter has errors, or it is not UTF-8 text (reported on their own).
    Invalid,
}

impl Site {
    /// The folder this edition is published in, within the site's: empty for the
    /// default language's edition, `en/` for English.
    pub fn folder(&self) -> String {
        match self.edition {
            0 => String::new(),
            _ => format!("{}/", self.config.lang.code()),
        }
    }

    /// From this edition's root to the site's root: nothing, or `../` for an edition in
    /// another language.
    pub fn up_to_site(&self) -> &'static str {
        if self.edition == 0 { "" } else { "../" }
    }

    /// From this edition's root to the output folder's root, where the latest report and
    /// the frozen years are: [`Site::up_to_site`], and `../` more in an edition being
    /// frozen (it is published under its year).
    pub fn up_to_output(&self) -> String {
        let frozen = if self.config.frozen.is_some() {
            "../"
        } else {
            ""
        };
        format!("{}{frozen}", self.up_to_site())
    }

    pub fn page_by_rel(&self, rel: &str) -> Option<&Page> {
        self.by_rel.get(rel).map(|&i| &self.pages[i])
    }

    pub fn has_asset(&self, rel: &str) -> bool {
        self.asset_rels.contains(rel)
    }

    /// The file under `content/` named `rel` in other upper and lower case, if there is
    /// one: it would be found on a laptop and not on the web server.
    pub fn asset_in_other_case(&self, rel: &str) -> Option<&str> {
        let lower = rel.to_lowercase();
        self.asset_rels
            .iter()
            .map(String::as_str)
            .filter(|a| a.to_lowercase() == lower)
            .min()
    }

    /// The page named `rel` in other upper and lower case, as [`Site::asset_in_other_case`].
    pub fn page_in_other_case(&self, rel: &str) -> Option<&Page> {
        let lower = rel.to_lowercase();
        self.pages
            .iter()
            .filter(|p| p.rel.to_lowercase() == lower)
            .min_by(|a, b| a.rel.cmp(&b.rel))
    }

    /// Whether a page or a metric names a GRI disclosure: the site then has a GRI index.
    pub fn names_gri(&self) -> bool {
        self.gri_named
    }

    /// Whether a page names a sustainable development goal: the site then has a page of
    /// goals.
    pub fn names_sdg(&self) -> bool {
        self.sdg_named
    }

    /// The same site with other metrics (an edit of metric values alone, which changes
    /// no page, URL or id): a new model, not a change to this one.
    pub fn with_metrics(self, metrics: std::sync::Arc<crate::metrics::Metrics>) -> Site {
        let gri_named = names_gri(&self.pages, &metrics);
        Site {
            metrics,
            gri_named,
            ..self
        }
    }
}

fn names_gri(pages: &[Page], metrics: &crate::metrics::Metrics) -> bool {
    pages.iter().any(|p| !p.meta.gri.is_empty()) || metrics.values().any(|m| !m.gri.is_empty())
}

/// Options that change what the model holds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options {
    pub drafts: bool,
}

/// Builds the site; every problem found is added to `diags`.
pub fn build(config: Config, loaded: Loaded, opts: Options, diags: &mut Diagnostics) -> Site {
    let shared = Shared::read(
        &config,
        loaded.theme.as_ref(),
        &loaded.data,
        loaded.assets,
        diags,
    )
    .with_archive(loaded.archive);
    drop(loaded.data);
    assemble(
        config,
        &loaded.markdown,
        &loaded.unreadable,
        shared,
        opts,
        None,
        diags,
    )
}

/// What every edition of a site shares: the metrics as read, the files copied from
/// `content/` and the theme.
#[derive(Clone)]
pub(crate) struct Shared {
    pub(crate) metrics: std::sync::Arc<metrics::Metrics>,
    assets: Vec<Asset>,
    theme: Theme,
    archive: std::sync::Arc<[crate::archive::Frozen]>,
    archiving: bool,
}

impl Shared {
    fn read(
        config: &Config,
        theme: Option<&crate::load::ThemeFiles>,
        data: &[SourceFile],
        assets: Vec<Asset>,
        diags: &mut Diagnostics,
    ) -> Shared {
        check_theme_folder(config, theme.is_some(), diags);
        Shared {
            theme: theme::assemble(theme),
            metrics: std::sync::Arc::new(metrics::read(data, config.lang, diags)),
            assets,
            archive: std::sync::Arc::from(Vec::new()),
            archiving: false,
        }
    }

    fn with_archive(self, archive: Option<Vec<crate::archive::Frozen>>) -> Shared {
        Shared {
            archiving: archive.is_some(),
            archive: std::sync::Arc::from(archive.unwrap_or_default()),
            ..self
        }
    }
}

/// The model of one edition from its Markdown files. A translation (`translates`: its
/// language and the default edition) takes what its front matter leaves out of `sdg`,
/// `gri`, `key_metrics`, `weight` and `date` from the page it translates.
fn assemble(
    config: Config,
    markdown: &[SourceFile],
    unreadable: &[PathBuf],
    shared: Shared,
    opts: Options,
    translates: Option<(crate::i18n::Lang, &Site)>,
    diags: &mut Diagnostics,
) -> Site {
    let Shared {
        metrics,
        assets,
        theme,
        archive,
        archiving,
    } = shared;
    let Placed {
        mut sections,
        mut pages,
        all_page_rels,
        unpublished,
    } = place(
        markdown,
        unreadable,
        opts,
        translates.map(|(l, _)| l),
        diags,
    );
    section_slugs(&mut sections, &mut pages, diags);
    check_urls(&pages, &sections, diags);
    match translates {
        None => check_metric_links(&metrics, &pages, &all_page_rels, diags),
        // What a translation writes itself; what it takes from its page is checked there.
        Some(_) => checks::check_key_metrics(&metrics, &pages, diags),
    }
    if let Some((lang, first)) = translates {
        for p in &mut pages {
            let original = editions::default_rel(&p.rel, lang);
            if original == p.rel {
                p.lang = Some(first.config.lang);
            } else if let Some(original) = first.page_by_rel(&original) {
                inherit(&mut p.meta, &original.meta);
            }
        }
    }
    order(&mut sections, &pages);
    let by_rel = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.rel.clone(), i))
        .collect();
    let asset_rels = assets
        .iter()
        .map(|a| a.rel.to_string_lossy().replace('\\', "/"))
        .collect();
    Site {
        config,
        gri_named: names_gri(&pages, &metrics),
        sdg_named: pages.iter().any(|p| !p.meta.sdg.is_empty()),
        pages,
        sections,
        metrics,
        images: crate::images::Table::of(&assets),
        assets,
        theme,
        by_rel,
        asset_rels,
        unpublished,
        edition: 0,
        editions: None,
        default_metrics: translates.map(|(_, first)| std::sync::Arc::clone(&first.metrics)),
        archive,
        archiving,
    }
}

/// A section's `slug:` renames its folder in the URLs of the section, its sub-sections
/// and their pages (an English edition's names for Swedish folders).
fn section_slugs(sections: &mut [Section], pages: &mut [Page], diags: &mut Diagnostics) {
    if sections.iter().all(|s| s.meta.slug.is_none()) {
        return;
    }
    let old: Vec<String> = sections.iter().map(|s| s.url.clone()).collect();
    // A section's parent comes before it, so its new URL is known first.
    for i in 0..sections.len() {
        let Some(parent) = sections[i].parent else {
            if let (Some(slug), Some(source)) = (&sections[i].meta.slug, &sections[i].source) {
                diags.error(
                    source,
                    slug.pos,
                    "the home page has no name in its URL, so `slug` does nothing here; remove it",
                );
            }
            continue;
        };
        let own = old[i]
            .strip_prefix(old[parent].as_str())
            .unwrap_or(&old[i])
            .trim_end_matches('/')
            .to_string();
        let name = match (&sections[i].meta.slug, &sections[i].source) {
            (Some(s), Some(source)) => {
                let slug = slugify(&s.value);
                if slug.is_empty() {
                    diags.error(
                        source,
                        s.pos,
                        format!(
                            "slug `{}` has no letters or digits; write e.g. `slug: programmes`",
                            s.value
                        ),
                    );
                    own
                } else {
                    slug
                }
            }
            _ => own,
        };
        sections[i].url = format!("{}{name}/", sections[parent].url);
    }
    for p in pages {
        if let Some(tail) = p.url.strip_prefix(old[p.section].as_str()) {
            p.url = format!("{}{tail}", sections[p.section].url);
        }
    }
}

/// What a translation leaves out and the page it translates has, taken from that page.
fn inherit(meta: &mut PageMeta, original: &PageMeta) {
    if meta.sdg.is_empty() {
        meta.sdg.clone_from(&original.sdg);
    }
    if meta.gri.is_empty() {
        meta.gri.clone_from(&original.gri);
        meta.gri_omissions.clone_from(&original.gri_omissions);
    }
    if meta.key_metrics.is_empty() {
        meta.key_metrics.clone_from(&original.key_metrics);
    }
    if meta.weight == 0 {
        meta.weight = original.weight;
    }
    if meta.date.is_none() {
        meta.date.clone_from(&original.date);
    }
}

/// A `theme:` other than the default needs its folder under themes/.
fn check_theme_folder(config: &Config, has_folder: bool, diags: &mut Diagnostics) {
    if !has_folder && config.theme != "default" {
        diags.error(
            Path::new("site.yaml"),
            config.theme_pos,
            format!(
                "theme `{0}` has no folder themes/{0}/; create it, or remove the `theme` setting to use the default theme",
                config.theme
            ),
        );
    }
}

/// The Markdown files put in their places: sections, published pages, and what is not
/// published and why.
struct Placed {
    sections: Vec<Section>,
    pages: Vec<Page>,
    /// Every page file, published or not.
    all_page_rels: HashSet<String>,
    unpublished: HashMap<String, Unpublished>,
}

/// Reads every Markdown file's front matter and places it as a section or a page; a file
/// that could not be read (`unreadable`, not UTF-8) or split is noted as invalid.
fn place(
    markdown: &[SourceFile],
    unreadable: &[PathBuf],
    opts: Options,
    lang: Option<crate::i18n::Lang>,
    diags: &mut Diagnostics,
) -> Placed {
    let mut placed = Placed {
        sections: vec![root_section()],
        pages: Vec::new(),
        all_page_rels: HashSet::new(),
        unpublished: HashMap::new(),
    };
    // Front matter parses in parallel; sections, URLs and order are settled afterwards, in
    // file order, so the result does not depend on the threads.
    let parsed: Vec<(Option<Parsed>, Diagnostics)> = markdown
        .par_iter()
        .map(|file| {
            let mut d = Diagnostics::default();
            (parse(file, lang, &mut d), d)
        })
        .collect();
    for (file, (parsed, d)) in markdown.iter().zip(parsed) {
        diags.extend(d);
        match parsed {
            Some(parsed) => placed.add(file, parsed, opts, lang, diags),
            None => placed.invalid(&file.path),
        }
    }
    for path in unreadable {
        placed.invalid(path);
    }
    placed
}

impl Placed {
    /// A Markdown file whose errors are reported on their own (not UTF-8, front matter
    /// never closed): it exists, so a link to it or a metric's `program:` naming it adds
    /// no error of its own.
    fn invalid(&mut self, path: &Path) {
        let rel = content_rel(path);
        if path.file_name().is_none_or(|n| n != "_index.md") {
            self.all_page_rels.insert(rel.clone());
        }
        self.unpublished.insert(rel, Unpublished::Invalid);
    }

    /// One file: a section's `_index.md` fills in its section; a page is published,
    /// or noted as invalid or a draft.
    fn add(
        &mut self,
        file: &SourceFile,
        parsed: Parsed,
        opts: Options,
        lang: Option<crate::i18n::Lang>,
        diags: &mut Diagnostics,
    ) {
        let rel = content_rel(&file.path);
        let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
        let section = section_for(&mut self.sections, dir);
        let (meta, head, body_start) = match parsed {
            Parsed::Section(meta, head, start) => {
                let s = &mut self.sections[section];
                s.meta = meta;
                s.source = Some(file.path.clone());
                s.head = head;
                s.body_start = start;
                return;
            }
            Parsed::Page(meta, head, start) => (meta, head, start),
        };
        self.all_page_rels.insert(rel.clone());
        let Some(meta) = meta else {
            self.unpublished.insert(rel, Unpublished::Invalid);
            return;
        };
        if meta.draft && !opts.drafts {
            self.unpublished.insert(rel, Unpublished::Draft);
            return;
        }
        let name = match lang {
            Some(l) => name
                .strip_suffix(&format!(".{}.md", l.code()))
                .map_or_else(|| name.to_string(), |stem| format!("{stem}.md")),
            None => name.to_string(),
        };
        let slug = page_slug(file, &name, &meta, diags);
        let url = format!("{}{slug}/", self.sections[section].url);
        self.pages.push(Page {
            source: file.path.clone(),
            rel,
            meta,
            url,
            head,
            body_start,
            section,
            lang: None,
        });
    }
}

/// One Markdown file's front matter, read on its own, with the print of its head and
/// the position where its body starts.
enum Parsed {
    Section(SectionMeta, HeadPrint, Pos),
    /// `None` when the front matter has errors (they are in the diagnostics).
    Page(Option<PageMeta>, HeadPrint, Pos),
}

/// `file` holds the head of a Markdown file (see [`crate::load::Bodies`]).
fn parse(
    file: &SourceFile,
    lang: Option<crate::i18n::Lang>,
    diags: &mut Diagnostics,
) -> Option<Parsed> {
    let split = frontmatter::split(&file.path, &file.text)
        .map_err(|d| diags.push(d))
        .ok()?;
    let head = HeadPrint::of(&file.text[..file.text.len() - split.body.len()]);
    if is_section_index(&file.path, lang) {
        let meta = frontmatter::section(&file.path, &split, diags);
        return Some(Parsed::Section(meta, head, split.body_start));
    }
    let meta = frontmatter::page(&file.path, &split, diags);
    Some(Parsed::Page(meta, head, split.body_start))
}

fn root_section() -> Section {
    Section {
        source: None,
        dir: String::new(),
        meta: SectionMeta {
            extra: serde_json::Value::Object(Default::default()),
            ..SectionMeta::default()
        },
        url: String::new(),
        head: HeadPrint::default(),
        body_start: Pos::START,
        pages: Vec::new(),
        subsections: Vec::new(),
        parent: None,
    }
}

/// `_index.md`, or in the edition in `lang`, `_index.<code>.md`.
fn is_section_index(path: &Path, lang: Option<crate::i18n::Lang>) -> bool {
    path.file_name().is_some_and(|n| {
        n == "_index.md" || lang.is_some_and(|l| *n == *format!("_index.{}.md", l.code()))
    })
}

/// `content/program/a.md` → `program/a.md`.
fn content_rel(path: &Path) -> String {
    let rel = path.strip_prefix("content").unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// The index of the section for `dir`, creating it and its parents as needed.
fn section_for(sections: &mut Vec<Section>, dir: &str) -> usize {
    if let Some(i) = sections.iter().position(|s| s.dir == dir) {
        return i;
    }
    let (parent_dir, name) = dir.rsplit_once('/').unwrap_or(("", dir));
    let parent = section_for(sections, parent_dir);
    let slug = slugify(name);
    let slug = if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    };
    let url = format!("{}{slug}/", sections[parent].url);
    sections.push(Section {
        dir: dir.to_string(),
        url,
        parent: Some(parent),
        ..root_section()
    });
    let index = sections.len() - 1;
    sections[parent].subsections.push(index);
    index
}

fn page_slug(file: &SourceFile, name: &str, meta: &PageMeta, diags: &mut Diagnostics) -> String {
    let stem = name.strip_suffix(".md").unwrap_or(name);
    if let Some(s) = &meta.slug {
        let slug = slugify(&s.value);
        if slug.is_empty() {
            diags.error(
                &file.path,
                s.pos,
                format!(
                    "slug `{}` has no letters or digits; write e.g. `slug: laxhjalpen`",
                    s.value
                ),
            );
        } else {
            return slug;
        }
    }
    let slug = slugify(stem);
    if slug.is_empty() {
        "page".to_string()
    } else {
        slug
    }
}

/// Puts pages and sub-sections in each section's display order.
fn order(sections: &mut [Section], pages: &[Page]) {
    for (i, p) in pages.iter().enumerate() {
        sections[p.section].pages.push(i);
    }
    let titles: Vec<String> = sections
        .iter()
        .map(|s| s.meta.title.clone().unwrap_or_else(|| s.dir.clone()))
        .collect();
    let weights: Vec<i64> = sections.iter().map(|s| s.meta.weight).collect();
    for s in sections.iter_mut() {
        let by = s.meta.sort_by;
        s.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            let key = match by {
                SortBy::Weight => a.meta.weight.cmp(&b.meta.weight),
                SortBy::Title => std::cmp::Ordering::Equal,
                // Newest first; undated pages last.
                SortBy::Date => b.meta.date.cmp(&a.meta.date),
            };
            key.then_with(|| a.meta.title.cmp(&b.meta.title))
                .then_with(|| a.rel.cmp(&b.rel))
        });
        s.subsections.sort_by(|&a, &b| {
            weights[a]
                .cmp(&weights[b])
                .then_with(|| titles[a].cmp(&titles[b]))
        });
    }
}
