//! Editions in other languages (`languages:` in site.yaml): which Markdown files are
//! translations (`laxhjalpen.en.md` beside `laxhjalpen.md`), one model per edition, and
//! the table of which page of one edition is which page of another, for `hreflang`
//! links, the language switch and the sitemap. No I/O; uses the model's own building.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{Options, Page, Shared, Site, assemble};
use crate::config::{Config, Untranslated};
use crate::diag::{Diagnostics, Pos};
use crate::i18n::Lang;
use crate::load::{Loaded, SourceFile};
use crate::report;

/// Every edition's pages and sections by what they are a version of, so that each page
/// can link to itself in the other languages.
#[derive(Debug, Default)]
pub struct Editions {
    /// Each edition's language and the folder it is published in (`""`, `en/`); the
    /// default language's first.
    pub list: Vec<(Lang, String)>,
    /// Per edition: its URLs (relative to the edition) to the group they belong to.
    by_url: Vec<HashMap<String, usize>>,
    /// Each group: per edition, the URL of its version there, relative to that edition.
    groups: Vec<Vec<Option<String>>>,
    /// Every edition's pages by file (relative to `content/`): the edition and the URL
    /// relative to the site root, for a link from one edition to a page of another.
    files: HashMap<String, (usize, String)>,
    /// The default edition's `base_url`, for absolute `hreflang` links.
    pub base_url: Option<String>,
}

impl Editions {
    /// The versions of the page at `url` of edition `e`: per edition, its URL relative
    /// to the site root, if that edition has it.
    pub fn versions(&self, e: usize, url: &str) -> Vec<Option<String>> {
        let group = self.by_url.get(e).and_then(|m| m.get(url));
        self.list
            .iter()
            .enumerate()
            .map(|(i, (_, prefix))| {
                let g = group.and_then(|&g| self.groups.get(g))?;
                g.get(i)?.as_ref().map(|u| format!("{prefix}{u}"))
            })
            .collect()
    }

    /// Every group's versions, relative to the site root, for the sitemap.
    pub fn all(&self) -> Vec<Vec<(Lang, String)>> {
        self.groups
            .iter()
            .map(|g| {
                g.iter()
                    .zip(&self.list)
                    .filter_map(|(u, (lang, prefix))| {
                        u.as_ref().map(|u| (*lang, format!("{prefix}{u}")))
                    })
                    .collect()
            })
            .collect()
    }

    /// The page of the file `rel` (relative to `content/`) when it is in another edition
    /// than `e`: that edition's language and the page's URL from the site root.
    pub fn page_elsewhere(&self, e: usize, rel: &str) -> Option<(Lang, &str)> {
        let (edition, url) = self.files.get(rel).filter(|(edition, _)| *edition != e)?;
        let (lang, _) = self.list.get(*edition)?;
        Some((*lang, url.as_str()))
    }
}

/// The language of a translation (`x.en.md`, `_index.en.md`) among `langs`; `None` for
/// a file in the default language.
pub fn translation_lang(path: &Path, langs: &[Lang]) -> Option<Lang> {
    let name = path.file_name()?.to_str()?;
    let stem = name.strip_suffix(".md")?;
    let (_, code) = stem.rsplit_once('.')?;
    langs.iter().copied().find(|l| l.code() == code)
}

/// `program/x.en.md` → `program/x.md`.
pub fn default_rel(rel: &str, lang: Lang) -> String {
    match rel.strip_suffix(&format!(".{}.md", lang.code())) {
        Some(stem) => format!("{stem}.md"),
        None => rel.to_string(),
    }
}

/// One model per edition, the default language's first; a site without `languages:` has
/// one, exactly as [`super::build`] makes it.
pub fn build_all(
    config: Config,
    loaded: Loaded,
    opts: Options,
    diags: &mut Diagnostics,
) -> Vec<Site> {
    if config.editions.is_empty() {
        return vec![super::build(config, loaded, opts, diags)];
    }
    let langs: Vec<Lang> = config.editions.iter().map(|e| e.lang).collect();
    let mut own: Vec<Vec<SourceFile>> = vec![Vec::new(); langs.len()];
    let mut default_files = Vec::new();
    let Loaded {
        markdown,
        data,
        assets,
        unreadable,
        theme,
        links: _,
        archive,
    } = loaded;
    for f in markdown {
        match translation_lang(&f.path, &langs).and_then(|l| langs.iter().position(|x| *x == l)) {
            Some(i) => own[i].push(f),
            None => default_files.push(f),
        }
    }
    let shared = Shared::read(&config, theme.as_ref(), &data, assets, diags).with_archive(archive);
    drop(data);
    let editions = config.editions.clone();
    let first = assemble(
        config.clone(),
        &default_files,
        &unreadable,
        shared.clone(),
        opts,
        None,
        diags,
    );
    let by_path: HashMap<&Path, &SourceFile> = default_files
        .iter()
        .map(|f| (f.path.as_path(), f))
        .collect();
    let mut sites = Vec::with_capacity(editions.len() + 1);
    for (e, files) in editions.iter().zip(own) {
        let mut files = originals(&first, e.lang, files, diags);
        let translated: std::collections::HashSet<String> = files
            .iter()
            .map(|f| default_rel(&super::content_rel(&f.path), e.lang))
            .collect();
        let sections = first.sections.iter().filter_map(|s| s.source.as_ref());
        for source in sections {
            if !translated.contains(&super::content_rel(source)) {
                diags.push(untranslated(source, e.lang));
            }
        }
        for p in &first.pages {
            if !translated.contains(&p.rel) {
                diags.push(untranslated(&p.source, e.lang));
                if e.untranslated == Untranslated::Publish
                    && let Some(f) = by_path.get(p.source.as_path())
                {
                    files.push((*f).clone());
                }
            }
        }
        let metrics = edition_metrics(&first, e.lang, &files, diags);
        let shared = Shared {
            metrics: Arc::new(metrics),
            ..shared.clone()
        };
        let site = assemble(
            config.for_edition(e),
            &files,
            &[],
            shared,
            opts,
            Some((e.lang, &first)),
            diags,
        );
        sites.push(site);
    }
    sites.insert(0, first);
    for (i, s) in sites.iter_mut().enumerate() {
        s.edition = i;
    }
    let table = Arc::new(table(&sites));
    for s in &mut sites {
        s.editions = Some(Arc::clone(&table));
    }
    sites
}

/// The translations into `lang` whose page exists, and those whose page is a draft left
/// out (a translation of a draft is left out with it); a translation of no page is
/// published, with a warning (most likely its name has a typo).
fn originals(
    first: &Site,
    lang: Lang,
    files: Vec<SourceFile>,
    diags: &mut Diagnostics,
) -> Vec<SourceFile> {
    let is_index = |f: &SourceFile| {
        f.path
            .file_name()
            .is_some_and(|n| *n == *format!("_index.{}.md", lang.code()))
    };
    files
        .into_iter()
        .filter(|f| {
            if is_index(f) {
                return true;
            }
            let original = default_rel(&super::content_rel(&f.path), lang);
            if first.page_by_rel(&original).is_some() {
                return true;
            }
            match first.unpublished.get(&original) {
                Some(super::Unpublished::Draft) => false,
                Some(super::Unpublished::Invalid) => true,
                None => {
                    let hint = crate::suggest::did_you_mean(
                        &original,
                        first.pages.iter().map(|p| p.rel.as_str()),
                    );
                    diags.push(crate::diag::Diagnostic::warning(
                        &f.path,
                        Pos::START,
                        format!(
                            "this translation has no page content/{original} to translate, so it is only in the {} edition{hint}",
                            crate::i18n::language_name_in_english(lang)
                        ),
                    ));
                    true
                }
            }
        })
        .collect()
}

/// The note that the page or section at `source` has no translation into `lang`.
fn untranslated(source: &Path, lang: Lang) -> crate::diag::Diagnostic {
    crate::diag::Diagnostic::note(
        source,
        Pos::START,
        format!(
            "no {} translation ({}); write {} to add one",
            crate::i18n::language_name_in_english(lang),
            lang.code(),
            translation_path(source, lang)
        ),
    )
    .with_code("untranslated")
}

/// `content/program/x.md` → `content/program/x.en.md`.
fn translation_path(source: &Path, lang: Lang) -> String {
    let s = source.to_string_lossy().replace('\\', "/");
    match s.strip_suffix(".md") {
        Some(stem) => format!("{stem}.{}.md", lang.code()),
        None => s,
    }
}

/// The metrics as the edition in `lang` shows them: their words in its language, and
/// `program:` naming the translation of the page, where there is one. A label with no
/// text in the language is noted.
fn edition_metrics(
    first: &Site,
    lang: Lang,
    files: &[SourceFile],
    diags: &mut Diagnostics,
) -> crate::metrics::Metrics {
    let translation: HashMap<String, String> = files
        .iter()
        .map(|f| {
            let rel = super::content_rel(&f.path);
            (default_rel(&rel, lang), rel)
        })
        .collect();
    for m in first.metrics.values() {
        let translated = m.translation(lang).is_some_and(|t| t.label.is_some());
        if !translated && !m.label.is_empty() {
            diags.push(
                crate::diag::Diagnostic::note(
                    m.file.to_path_buf(),
                    m.pos,
                    format!(
                        "metric `{}` has no {} label ({}); write `label: {{{}: \"{}\", {}: …}}`",
                        m.id,
                        crate::i18n::language_name_in_english(lang),
                        lang.code(),
                        first.config.lang.code(),
                        m.label.replace('"', "\\\""),
                        lang.code()
                    ),
                )
                .with_code("untranslated"),
            );
        }
    }
    first.metrics.map(|m| {
        let mut m = m.in_lang(lang);
        if let Some((p, pos)) = &m.program
            && let Some(t) = translation.get(p)
        {
            m.program = Some((t.clone(), *pos));
        }
        m
    })
}

/// Which page of each edition is which: pages by the default-language file they
/// translate, sections by folder, generated pages by kind.
fn table(sites: &[Site]) -> Editions {
    let mut t = Editions {
        list: sites.iter().map(|s| (s.config.lang, s.folder())).collect(),
        by_url: vec![HashMap::new(); sites.len()],
        ..Editions::default()
    };
    let mut keys: HashMap<String, usize> = HashMap::new();
    for (e, site) in sites.iter().enumerate() {
        let lang = site.config.lang;
        // `version`: the page is this edition's version of the group; otherwise (a page
        // published untranslated) it only links to the others.
        let mut add = |key: String, url: &str, version: bool, t: &mut Editions| {
            let g = *keys.entry(key).or_insert_with(|| {
                t.groups.push(vec![None; sites.len()]);
                t.groups.len() - 1
            });
            if let Some(slot) = t.groups.get_mut(g).and_then(|g| g.get_mut(e))
                && slot.is_none()
            {
                if version {
                    *slot = Some(url.to_string());
                }
                if let Some(m) = t.by_url.get_mut(e) {
                    m.insert(url.to_string(), g);
                }
            }
        };
        for s in &site.sections {
            add(format!("dir:{}", s.dir), &s.url, true, &mut t);
        }
        for p in &site.pages {
            // The default language's own pages are their own keys, `x.sv.md` too.
            let original = if e == 0 {
                p.rel.clone()
            } else {
                default_rel(&p.rel, lang)
            };
            let key = format!("page:{original}");
            add(key, &p.url, p.lang.is_none(), &mut t);
        }
        let u = report::urls(lang);
        for g in report::Generated::ALL
            .into_iter()
            .filter(|g| g.made_for(site))
        {
            add(format!("gen:{g:?}"), g.url(&u), true, &mut t);
        }
        let parts = report::key_figure_parts(site).len();
        for n in (1..=parts).filter(|_| parts > 1) {
            let url = report::key_figure_part_url(lang, n);
            add(format!("part:{n}"), &url, true, &mut t);
        }
    }
    if let Some(first) = sites.first() {
        t.base_url.clone_from(&first.config.base_url);
    }
    for (e, site) in sites.iter().enumerate() {
        let prefix = t.list.get(e).map_or("", |(_, p)| p.as_str());
        let own = site.pages.iter().filter(|p: &&Page| p.lang.is_none());
        let mut files: Vec<(String, (usize, String))> = own
            .map(|p| (p.rel.clone(), (e, format!("{prefix}{}", p.url))))
            .collect();
        for s in &site.sections {
            if let Some(source) = &s.source {
                let rel = super::content_rel(source);
                files.push((rel, (e, format!("{prefix}{}", s.url))));
            }
        }
        t.files.extend(files);
    }
    t
}
