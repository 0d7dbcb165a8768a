//! Programme pages and section pages (the home page is section 0): each is the page
//! skeleton plus its own values, such as sibling links, key figures and charts, or the
//! cards of a section's pages. Uses the skeleton, the model and the charts.

use std::collections::BTreeSet;

use super::context::{CardCtx, LinkCtx, PageCtx, SectionCtx, TextIn};
use super::skeleton::{Renderer, Text};
use super::{HOME_CARDS_MAX, PageOut};
use crate::links::href;
use crate::model::{Page, Section};
use crate::report;
use crate::{chart, i18n};

impl Renderer<'_> {
    pub(super) fn page(&self, p: &Page) -> PageOut {
        let text = Text {
            source: p.source.clone(),
            has_file: true,
            head: p.head,
            body_start: p.body_start,
            url: &p.url,
            template: p.meta.template.as_ref(),
            default_template: "page.html",
            title: &p.meta.title,
            summary: p.meta.summary.as_deref(),
            og_type: "article",
            breadcrumbs: Some(p.section),
        };
        let site = self.site;
        self.text_page(text, |ctx, root, md, charted| {
            let siblings: Vec<LinkCtx> = site.sections[p.section]
                .pages
                .iter()
                .take(super::NAV_PAGES_PER_SECTION * 4)
                .map(|&i| {
                    let sib = &site.pages[i];
                    LinkCtx {
                        current: sib.url == p.url,
                        lang: sib.lang.map(i18n::Lang::code),
                        ..LinkCtx::plain(&sib.meta.title, href(root, &sib.url))
                    }
                })
                .collect();
            ctx.insert("siblings", &siblings);
            // The same page in the frozen earlier years that have it, newest first.
            let (prefix, up) = (site.folder(), site.up_to_output());
            let earlier: Vec<LinkCtx> = site
                .archive
                .iter()
                .rev()
                .filter(|f| f.has(&format!("{prefix}{}index.html", p.url)))
                .map(|f| {
                    let url = format!("{root}{up}{}/{prefix}{}", f.year, p.url);
                    LinkCtx::plain(&f.year.to_string(), url)
                })
                .collect();
            ctx.insert("earlier", &earlier);
            // The goals the page names, as tiles linking to the goals page.
            let goals: Vec<report::Goal> = p
                .meta
                .sdg
                .iter()
                .map(|&n| {
                    let g = report::goal(n, site.config.lang);
                    report::Goal {
                        url: href(root, &g.url),
                        ..g
                    }
                })
                .collect();
            ctx.insert("goals", &goals);
            // A page published untranslated is a copy: its address is the original's.
            if p.lang.is_some()
                && let Some(editions) = &site.editions
                && let Some(base) = &editions.base_url
                && let Some((_, original)) = editions.page_elsewhere(site.edition, &p.rel)
            {
                ctx.insert("canonical", &format!("{base}{original}"));
            }
            ctx.insert(
                "section_title",
                site.sections[p.section].title(&site.config),
            );
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
                    charts: self.key_metric_charts(p, charted),
                    extra: &p.meta.extra,
                    url: href(root, &p.url),
                    lang: p.lang.map(i18n::Lang::code),
                    only_in: p
                        .lang
                        .map(|l| {
                            [l, site.config.lang].map(|shown| TextIn {
                                text: i18n::only_in(l, shown),
                                lang: shown.code(),
                            })
                        })
                        .into_iter()
                        .flatten()
                        .collect(),
                },
            );
        })
    }

    pub(super) fn section(&self, index: usize, s: &Section) -> PageOut {
        let site = self.site;
        let text = Text {
            source: s.source.clone().unwrap_or_else(|| {
                std::path::Path::new("content")
                    .join(&s.dir)
                    .join("_index.md")
            }),
            has_file: s.source.is_some(),
            head: s.head,
            body_start: s.body_start,
            url: &s.url,
            template: s.meta.template.as_ref(),
            default_template: if index == 0 {
                "index.html"
            } else {
                "section.html"
            },
            title: s.title(&site.config),
            summary: s.meta.summary.as_deref(),
            og_type: "website",
            breadcrumbs: s.parent,
        };
        self.text_page(text, |ctx, root, md, _| {
            if index == 0 {
                ctx.insert("sections", &self.section_groups(root, s));
                ctx.insert("headline", &self.figures(self.headline_ids().into_iter()));
            }
            ctx.insert(
                "section",
                &SectionCtx {
                    title: s.title(&site.config),
                    summary: s.meta.summary.as_deref(),
                    content: md.html,
                    toc: md.toc,
                    pages: self.cards(root, s),
                    subsections: self.subsection_cards(root, s),
                    extra: &s.meta.extra,
                    url: href(root, &s.url),
                    more: None,
                },
            );
        })
    }

    /// The home page's headline figures: those `headline:` in site.yaml names, or else
    /// the first key metric of each programme, four at most.
    pub(super) fn headline_ids(&self) -> Vec<String> {
        let config = &self.site.config;
        if !config.headline.is_empty() {
            return config.headline.iter().map(|h| h.value.clone()).collect();
        }
        let mut ids: Vec<String> = Vec::new();
        // In the order the listings show the programmes.
        let site = self.site;
        for p in site
            .sections
            .iter()
            .flat_map(|s| s.pages.iter().map(|&i| &site.pages[i]))
        {
            if let Some(k) = p.meta.key_metrics.first()
                && !ids.contains(&k.value)
                && self.site.metrics.get(&k.value).is_some()
            {
                ids.push(k.value.clone());
            }
            if ids.len() == 4 {
                break;
            }
        }
        ids
    }

    /// A card for each page of a section.
    fn cards(&self, root: &str, s: &Section) -> Vec<CardCtx> {
        use rayon::prelude::*;
        // A large section's listing is the slowest page to rebuild after a metric edit.
        s.pages
            .par_iter()
            .with_min_len(256)
            .map(|&i| self.card(root, &self.site.pages[i]))
            .collect()
    }

    /// A card for each subsection of a section.
    fn subsection_cards(&self, root: &str, s: &Section) -> Vec<CardCtx> {
        let site = self.site;
        s.subsections
            .iter()
            .map(|&i| {
                let sub = &site.sections[i];
                CardCtx {
                    title: sub.title(&site.config).to_string(),
                    summary: sub.meta.summary.clone(),
                    url: href(root, &sub.url),
                    date: None,
                    key_metrics: Vec::new(),
                    lang: None,
                }
            })
            .collect()
    }

    /// The home page's groups: each top-level section with the cards of its pages.
    /// A section of more than [`HOME_CARDS_MAX`] pages shows the first of them and links
    /// to its own page, which lists them all: the home page stays small on large sites.
    fn section_groups(&self, root: &str, home: &Section) -> Vec<SectionCtx<'_>> {
        let site = self.site;
        home.subsections
            .iter()
            .map(|&i| {
                let sub = &site.sections[i];
                let title = sub.title(&site.config);
                let shown = &sub.pages[..sub.pages.len().min(HOME_CARDS_MAX)];
                let more = (shown.len() < sub.pages.len())
                    .then(|| i18n::all_pages_in(sub.pages.len(), title, site.config.lang));
                SectionCtx {
                    title,
                    summary: sub.meta.summary.as_deref(),
                    content: String::new(),
                    toc: Vec::new(),
                    pages: shown
                        .iter()
                        .map(|&p| self.card(root, &site.pages[p]))
                        .collect(),
                    subsections: Vec::new(),
                    extra: &sub.meta.extra,
                    url: href(root, &sub.url),
                    more,
                }
            })
            .collect()
    }

    /// Charts of a page's key metrics, for those with figures for more than one year
    /// that the page's text does not chart already.
    fn key_metric_charts(&self, p: &Page, charted: &BTreeSet<String>) -> Vec<String> {
        p.meta
            .key_metrics
            .iter()
            .filter(|k| !charted.contains(&k.value))
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
                let series = [chart::Series::from(m)];
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
}
