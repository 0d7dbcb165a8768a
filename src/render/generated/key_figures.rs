//! The key-figures page: every metric in tables by programme, with the open-data downloads.

use super::Generated;
use crate::render::context::LinkCtx;
use crate::render::skeleton::Renderer;
use crate::report;

impl Renderer<'_> {
    pub(super) fn key_figures(&self) -> Generated {
        let u = report::urls(self.site.config.lang);
        self.generated_page(
            u.key_figures,
            "key_figures.html",
            self.texts.key_figures,
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
                        LinkCtx::plain(
                            "metrics.xlsx (Excel)",
                            format!("{root}{}", report::METRICS_XLSX),
                        ),
                    ],
                );
            },
        )
    }
}
