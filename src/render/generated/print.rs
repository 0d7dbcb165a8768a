//! The print edition: the home text, every programme's full text and every key-figure
//! table on one page, or a list of pages beyond [`PRINT_PAGES_MAX`] pages.

use super::Generated;
use crate::diag::Diagnostics;
use crate::links::href;
use crate::render::PRINT_PAGES_MAX;
use crate::render::context::{LinkCtx, PrintCtx};
use crate::render::skeleton::Renderer;
use crate::report;

impl Renderer<'_> {
    pub(super) fn print(&self) -> Generated {
        let site = self.site;
        let u = report::urls(site.config.lang);
        self.generated_page(u.print, "print.html", self.texts.print, |ctx, root| {
            // Past a few hundred pages a single printed document stops being useful (and
            // would hold the whole site again): the print page then lists the pages.
            let whole = site.pages.len() <= PRINT_PAGES_MAX;
            let programmes = if whole {
                self.print_programmes(u.print)
            } else {
                Vec::new()
            };
            ctx.insert("programmes", &programmes);
            // It holds every page's text: a search would find it beside each page.
            ctx.insert("searchable", &false);
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
            ctx.insert("home_title", home.title(&site.config));
            ctx.insert("home_content", &self.print_home(u.print));
            // The tables of every metric go with the whole texts; a contents list
            // links to the key-figures page instead.
            let groups = if whole {
                self.metric_groups(root, report::metric_groups(self.site), false)
            } else {
                tera::Value::from(Vec::<tera::Value>::new())
            };
            ctx.insert_value("groups", groups);
            ctx.insert("key_figures_url", &href(root, u.key_figures));
        })
    }

    /// The home page's text, placed on the print page.
    fn print_home(&self, url: &str) -> String {
        let home = &self.site.sections[0];
        // Problems in the text are reported where the home page renders.
        let mut diags = Diagnostics::default();
        let source = home
            .source
            .clone()
            .unwrap_or_else(|| "content/_index.md".into());
        let body = self
            .body(home.source.as_deref(), home.head)
            .unwrap_or_default();
        let (md, _, _) = self.markdown(&source, &body, home.body_start, url, "start-", &mut diags);
        md.html
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
                let (md, _, _) =
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
}
