//! 404.html: served for any missing address, at any depth.

use crate::diag::Diagnostics;
use crate::render::context::LinkCtx;
use crate::render::skeleton::Renderer;

impl Renderer<'_> {
    /// 404.html is served for any missing address, at any depth, so it links to the
    /// site by its absolute address when there is one and carries its own styles.
    pub(in crate::render) fn not_found(&self) -> Result<String, Diagnostics> {
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
            if crate::report::Generated::Search.made_for(self.site) {
                let u = crate::report::urls(self.site.config.lang);
                let link = LinkCtx::plain(self.texts.search, format!("{base}{}", u.search));
                ctx.insert("search", &link);
            }
        }
        ctx.insert("searchable", &false);
        ctx.insert("breadcrumbs", &Vec::<LinkCtx>::new());
        // It stands for no page, at any depth: no versions in other languages, and no
        // switch whose relative links would lead nowhere.
        ctx.insert("alternates", &Vec::<()>::new());
        ctx.insert("languages", &Vec::<()>::new());
        ctx.insert("frozen", &None::<()>);
        self.finish("404.html", &ctx, "404.html", Diagnostics::default())
    }
}
