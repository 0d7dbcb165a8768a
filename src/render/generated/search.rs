//! The search page, `sok/` (`search/` in English): the field, the announced count and the
//! results, which the theme's `search.js` fills from the Pagefind index in `pagefind/` at
//! the site's root; without JavaScript, links to the whole report instead.

use serde::Serialize;

use super::Generated;
use crate::links::href;
use crate::render::context::LinkCtx;
use crate::render::skeleton::Renderer;
use crate::report;

/// What the search page's template and script need.
#[derive(Serialize)]
struct SearchCtx {
    /// The index's script, relative to the page.
    bundle: String,
    /// The theme's script that runs the search.
    script: String,
    /// The sections' listings and the key figures, for a reader without JavaScript.
    listings: Vec<LinkCtx>,
    key_figures: String,
}

impl Renderer<'_> {
    pub(super) fn search_page(&self) -> Option<Generated> {
        let site = self.site;
        if !report::Generated::Search.made_for(site) {
            return None;
        }
        let u = report::urls(site.config.lang);
        let up = site.up_to_site();
        Some(
            self.generated_page(u.search, "search.html", self.texts.search, |ctx, root| {
                let listings = site.sections[0]
                    .subsections
                    .iter()
                    .map(|&i| &site.sections[i])
                    .map(|s| LinkCtx::plain(s.title(&site.config), href(root, &s.url)))
                    .collect();
                let search = SearchCtx {
                    bundle: format!("{root}{up}{}/pagefind.js", crate::search::FOLDER),
                    script: format!("{root}search.js"),
                    listings,
                    key_figures: href(root, u.key_figures),
                };
                ctx.insert("search_page", &search);
                ctx.insert("searchable", &false);
            }),
        )
    }
}
