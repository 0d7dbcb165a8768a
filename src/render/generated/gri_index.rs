//! The GRI content index: the statement of use from `site.yaml`, then each disclosure the
//! pages and metrics name, with its title, where it is reported and what is omitted.
//! Only made when something names a GRI disclosure.

use super::Generated;
use crate::links::href;
use crate::render::skeleton::Renderer;
use crate::report;

impl Renderer<'_> {
    pub(super) fn gri_index(&self) -> Option<Generated> {
        let rows = report::gri_rows(self.site);
        if rows.is_empty() {
            return None;
        }
        let u = report::urls(self.site.config.lang);
        Some(self.generated_page(
            u.gri_index,
            "gri_index.html",
            self.texts.gri_index,
            |ctx, root| {
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
                ctx.insert("statement", &self.site.config.gri_statement);
                ctx.insert("gri_words", &crate::gri::words(self.site.config.lang));
                // GRI 1's name is English; on a Swedish site it is marked as such.
                let lang = self.site.config.lang;
                ctx.insert("english", &(lang != crate::i18n::Lang::En).then_some("en"));
            },
        ))
    }
}
