//! The page skeleton every output page shares: the base context (site, navigation,
//! footer links, `<head>`, accent), breadcrumbs, figure cards, a text's Markdown with its
//! shortcodes and links, and the last step through Tera. Pages, sections and generated
//! pages are built on it. Uses the model, Markdown, shortcodes and links; no I/O of its own
//! (page texts come from [`Bodies`]).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use tera::{Context, Tera};

use super::context::{
    AlternateCtx, CardCtx, FigureCtx, FrozenCtx, HeadCtx, LanguageCtx, LinkCtx, SiteCtx,
};
use super::templates::template_error;
use super::{NAV_PAGES_PER_SECTION, PageOut, Used, WHILE_RENDERING};
use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::figures;
use crate::frontmatter::At;
use crate::html::percent_encode_path;
use crate::i18n::{self, Texts};
use crate::links::{SiteLinks, href, root_prefix};
use crate::load::{Bodies, HeadPrint};
use crate::markdown;
use crate::model::{Page, Site};
use crate::report;
use crate::shortcode;
use crate::suggest::did_you_mean;

/// The default theme's accent, for which its chart palette was made.
const THEME_ACCENT: crate::colour::Rgb = crate::colour::Rgb(0x0a, 0x6b, 0x50);

/// Renders pages of one site with one set of loaded templates.
pub(super) struct Renderer<'a> {
    pub(super) site: &'a Site,
    tera: &'a Tera,
    bodies: &'a Bodies,
    pub(super) texts: Texts,
    /// The generated pages, worked out once (it looks at every page).
    report_pages: Vec<(&'static str, &'static str)>,
    /// Which part of the key-figures page shows each metric, worked out the first time
    /// a link names a metric there (it looks at every programme).
    key_figure_places: OnceLock<report::KeyFigurePlaces<'a>>,
}

/// A text page (a programme page or a section) as the skeleton needs it.
pub(super) struct Text<'s> {
    /// The Markdown file, or where it would be (a section without `_index.md`).
    pub(super) source: PathBuf,
    /// Whether there is a file to read the text from.
    pub(super) has_file: bool,
    pub(super) head: HeadPrint,
    pub(super) body_start: Pos,
    pub(super) url: &'s str,
    pub(super) template: Option<&'s At<String>>,
    pub(super) default_template: &'static str,
    pub(super) title: &'s str,
    pub(super) summary: Option<&'s str>,
    pub(super) og_type: &'static str,
    /// The section whose trail of links leads here.
    pub(super) breadcrumbs: Option<usize>,
}

impl<'a> Renderer<'a> {
    pub(super) fn new(site: &'a Site, tera: &'a Tera, bodies: &'a Bodies) -> Self {
        Renderer {
            site,
            tera,
            bodies,
            texts: i18n::texts(site.config.lang),
            report_pages: report::pages(site),
            key_figure_places: OnceLock::new(),
        }
    }

    /// The text of a page or section after its front matter.
    pub(super) fn body(
        &self,
        source: Option<&Path>,
        head: HeadPrint,
    ) -> Result<String, Diagnostic> {
        match source {
            Some(source) => self.bodies.body(source, head),
            None => Ok(String::new()),
        }
    }

    pub(super) fn base_context(&self, url: &str) -> Context {
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
                logo: site
                    .config
                    .logo
                    .as_ref()
                    .map(|l| href(&root, &percent_encode_path(&l.value))),
                logo_icon: site.config.logo.as_ref().is_some_and(|l| {
                    let l = l.value.to_ascii_lowercase();
                    l.ends_with(".svg") || l.ends_with(".png")
                }),
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
        ctx.insert("frozen", &self.frozen(&root));
        // The list of earlier years' reports, for the home page to link to.
        let previous = report::Generated::Previous.made_for(site).then(|| {
            let u = report::urls(site.config.lang);
            LinkCtx::plain(self.texts.previous_reports, href(&root, u.previous))
        });
        ctx.insert("previous_reports", &previous);
        // The header's link to the search page, and whether this page's text is searched
        // (generated pages that only list others, or hold every text, say not).
        let search = report::Generated::Search.made_for(site).then(|| {
            let u = report::urls(site.config.lang);
            LinkCtx {
                current: url == u.search,
                ..LinkCtx::plain(self.texts.search, href(&root, u.search))
            }
        });
        ctx.insert("searchable", &search.is_some());
        ctx.insert("search", &search);
        let (alternates, languages) = self.languages(&root, url);
        ctx.insert("alternates", &alternates);
        ctx.insert("languages", &languages);
        ctx
    }

    /// In an edition being frozen: which year's report it is, and the link to the latest
    /// report, the site's root (the frozen edition is published under `<year>/`, and
    /// `en/` beneath that for an edition in another language).
    fn frozen(&self, root: &str) -> Option<FrozenCtx> {
        let year = self.site.config.frozen?;
        Some(FrozenCtx {
            note: i18n::frozen_note(year, self.site.config.lang),
            latest: format!("{root}{}", self.site.up_to_output()),
            latest_text: self.texts.latest_report,
        })
    }

    /// The page's versions in the site's other languages, for `<link rel="alternate">`
    /// and the language switch: empty for a site in one language. A language the page
    /// is not in gets a link to that edition's home page, which says so.
    fn languages(&self, root: &str, url: &str) -> (Vec<AlternateCtx>, Vec<LanguageCtx>) {
        let site = self.site;
        let Some(editions) = &site.editions else {
            return (Vec::new(), Vec::new());
        };
        let site_root = format!("{root}{}", site.up_to_site());
        let absolute = |u: &str| match &editions.base_url {
            Some(b) => format!("{b}{u}"),
            None => href(&site_root, u),
        };
        let versions = editions.versions(site.edition, url);
        let mut alternates = Vec::new();
        let mut languages = Vec::new();
        for (i, ((lang, prefix), version)) in editions.list.iter().zip(&versions).enumerate() {
            if let Some(v) = version {
                alternates.push(AlternateCtx {
                    hreflang: lang.code(),
                    href: absolute(v),
                });
            }
            languages.push(LanguageCtx {
                code: lang.code(),
                name: lang.name(),
                href: href(&site_root, version.as_deref().unwrap_or(prefix)),
                current: i == site.edition,
                note: version
                    .is_none()
                    .then(|| i18n::texts(*lang).untranslated_switch),
            });
        }
        if let Some(Some(v)) = versions.first()
            && !alternates.is_empty()
        {
            alternates.push(AlternateCtx {
                hreflang: "x-default",
                href: absolute(v),
            });
        }
        (alternates, languages)
    }

    /// Links to the generated pages, for the footer.
    pub(super) fn report_links(&self, root: &str, current: &str) -> Vec<LinkCtx> {
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
    pub(super) fn head(
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
            locale: site.lang.locale(),
        }
    }

    /// The accent colour from site.yaml, for light and dark mode.
    /// With an accent other than the theme's own green, the chart colours are derived
    /// from it too (the theme's palette was chosen for its green).
    pub(super) fn accent_css(&self) -> Option<String> {
        use crate::colour::{Rgb, palette};
        use crate::config::{DARK_BACKGROUNDS, LIGHT_BACKGROUNDS};
        let a = self.site.config.accent.as_ref()?;
        let charts = |accent: Rgb, grounds: &[Rgb]| -> String {
            if a.light == THEME_ACCENT {
                return String::new();
            }
            palette(accent, grounds)
                .iter()
                .enumerate()
                .map(|(i, c)| format!(";--chart-{}:{}", i + 1, c.hex()))
                .collect()
        };
        Some(format!(
            ":root{{--accent:{}{}}}@media (prefers-color-scheme: dark){{:root{{--accent:{}{}}}}}@media print{{:root{{--accent:#000}}}}",
            a.light.hex(),
            charts(a.light, &LIGHT_BACKGROUNDS),
            a.dark.hex(),
            charts(a.dark, &DARK_BACKGROUNDS),
        ))
    }

    pub(super) fn nav(&self, root: &str, current: &str) -> Vec<LinkCtx> {
        let site = self.site;
        let link = |title: &str, url: &str, children| LinkCtx {
            title: title.to_string(),
            url: href(root, url),
            current: url == current,
            children,
            lang: None,
        };
        let page_link = |p: &Page| LinkCtx {
            lang: p.lang.map(i18n::Lang::code),
            ..link(&p.meta.title, &p.url, Vec::new())
        };
        let mut items = vec![link(self.texts.home, "", Vec::new())];
        for &i in &site.sections[0].subsections {
            let s = &site.sections[i];
            let children = s
                .pages
                .iter()
                .take(NAV_PAGES_PER_SECTION)
                .map(|&p| page_link(&site.pages[p]))
                .collect();
            items.push(link(s.title(&site.config), &s.url, children));
        }
        for &p in site.sections[0].pages.iter().take(NAV_PAGES_PER_SECTION) {
            items.push(page_link(&site.pages[p]));
        }
        items
    }

    pub(super) fn breadcrumbs(&self, root: &str, mut section: Option<usize>) -> Vec<LinkCtx> {
        let mut crumbs = Vec::new();
        while let Some(i) = section {
            let s = &self.site.sections[i];
            let title = if i == 0 {
                self.texts.home
            } else {
                s.title(&self.site.config)
            };
            crumbs.push(LinkCtx::plain(title, href(root, &s.url)));
            section = s.parent;
        }
        crumbs.reverse();
        crumbs
    }

    pub(super) fn figures(&self, ids: impl Iterator<Item = String>) -> Vec<FigureCtx> {
        let lang = self.site.config.lang;
        ids.filter_map(|id| {
            let m = self.site.metrics.get(&id)?;
            let (year, value) = m.latest()?;
            let value = figures::value(m, value, lang);
            Some(FigureCtx {
                label: m.label.clone(),
                value_html: figures::value_html(&value),
                value,
                year,
                unit: m.unit.clone(),
                change: figures::change(m, year, lang),
                targets: figures::targets(m, lang)
                    .iter()
                    .map(|t| format!("{}: {}", i18n::figure_words(lang).target, t.html(lang)))
                    .collect(),
                note: figures::note(m, lang),
                id,
            })
        })
        .collect()
    }

    pub(super) fn card(&self, root: &str, p: &Page) -> CardCtx {
        CardCtx {
            title: p.meta.title.clone(),
            summary: p.meta.summary.clone(),
            url: href(root, &p.url),
            date: p.meta.date.clone(),
            key_metrics: self.figures(p.meta.key_metrics.iter().map(|k| k.value.clone())),
            lang: p.lang.map(i18n::Lang::code),
        }
    }

    pub(super) fn markdown(
        &self,
        source: &Path,
        body: &str,
        start: Pos,
        url: &str,
        id_prefix: &str,
        diags: &mut Diagnostics,
    ) -> (markdown::Rendered, Used, Used) {
        // Texts placed in a larger document (the print page) get prefixed ids and start
        // one heading level lower.
        let heading_offset = u8::from(!id_prefix.is_empty());
        let rel = source.strip_prefix("content").unwrap_or(source);
        let self_rel = rel.to_string_lossy().replace('\\', "/");
        // A page published untranslated (only in an edition in another language) shows
        // its figures as its own language does.
        let own = self.site.default_metrics.as_deref().and_then(|metrics| {
            let lang = self.site.page_by_rel(&self_rel)?.lang?;
            Some((metrics, lang))
        });
        let (metrics, lang, heading_link) = match own {
            Some((metrics, lang)) => (metrics, lang, i18n::texts(lang).heading_link),
            None => (
                &*self.site.metrics,
                self.site.config.lang,
                self.texts.heading_link,
            ),
        };
        let mut env = shortcode::Env::new(metrics, lang);
        env.id_prefix = id_prefix.to_string();
        let key_figure_url = |m: &crate::metrics::Metric| {
            self.key_figure_places
                .get_or_init(|| report::KeyFigurePlaces::of(self.site))
                .url(self.site, m)
        };
        let links = SiteLinks {
            key_figure_url: &key_figure_url,
            site: self.site,
            self_rel,
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
            heading_link_label: heading_link,
            id_prefix,
            heading_offset,
        };
        let rendered = markdown::render(body, &cx, diags);
        (rendered, env.used.take(), env.charted.take())
    }

    pub(super) fn template_name(
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
    pub(super) fn finish(
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

    /// The skeleton of a page or section: reads its text, renders the Markdown, fills the
    /// base context, lets `fill` add the page's own values (given the root prefix and the
    /// rendered text), and renders the template. Warnings found on the way stay with it.
    pub(super) fn text_page(
        &self,
        t: Text,
        fill: impl FnOnce(&mut Context, &str, markdown::Rendered, &Used),
    ) -> PageOut {
        let mut diags = Diagnostics::default();
        let template = self.template_name(t.template, t.default_template, &t.source, &mut diags);
        let body = match self.body(t.has_file.then_some(t.source.as_path()), t.head) {
            Ok(body) => body,
            Err(d) => {
                diags.push(d);
                return PageOut {
                    html: Err(diags),
                    used: Used::new(),
                    source: t.source,
                    facts: None,
                    warnings: Vec::new(),
                };
            }
        };
        let (mut md, used, charted) =
            self.markdown(&t.source, &body, t.body_start, t.url, "", &mut diags);
        drop(body);
        let facts = std::mem::take(&mut md.facts);
        let root = root_prefix(t.url);
        let mut ctx = self.base_context(t.url);
        ctx.insert("head", &self.head(Some(t.title), t.summary, t.og_type));
        ctx.insert("breadcrumbs", &self.breadcrumbs(&root, t.breadcrumbs));
        fill(&mut ctx, &root, md, &charted);
        let (html, warnings) = if diags.has_errors() {
            (Err(diags), Vec::new())
        } else {
            let what = t.source.to_string_lossy().replace('\\', "/");
            let html = self.finish(&template, &ctx, &what, Diagnostics::default());
            (html, diags.into_sorted())
        };
        PageOut {
            html,
            used,
            source: t.source,
            facts: Some(facts),
            warnings,
        }
    }
}
