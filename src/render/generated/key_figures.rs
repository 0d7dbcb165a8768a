//! The key-figures page: every metric in tables by programme, with the open-data downloads.
//! On a site of more than [`report::KEY_FIGURE_GROUPS_MAX`] programmes the page lists parts
//! and each part is a page of its own (see [`report::key_figure_parts`]).

use std::collections::BTreeSet;

use super::Generated;
use crate::i18n;
use crate::links::href;
use crate::render::context::LinkCtx;
use crate::render::skeleton::Renderer;
use crate::report::{self, Group};

impl Renderer<'_> {
    /// The key-figures page and, when it is split, those of its parts in `only` (every
    /// part when `None`).
    pub(super) fn key_figures(
        &self,
        only: Option<&BTreeSet<usize>>,
        emit: &mut dyn FnMut(Generated),
    ) {
        let lang = self.site.config.lang;
        let u = report::urls(lang);
        let parts = report::key_figure_parts(self.site);
        if parts.len() <= 1 {
            let groups = parts.into_iter().next().unwrap_or_default();
            emit(self.key_figures_page(u.key_figures, self.texts.key_figures, groups, None, &[]));
            return;
        }
        let count = parts.len();
        let listed: Vec<(String, String)> = (1..)
            .zip(&parts)
            .map(|(n, part)| {
                let other = self.texts.other_metrics;
                let (first, last) = (title(part.first(), other), title(part.last(), other));
                let span = i18n::key_figure_part_span(n, first, last, lang);
                (report::key_figure_part_url(lang, n), span)
            })
            .collect();
        emit(self.key_figures_page(
            u.key_figures,
            self.texts.key_figures,
            Vec::new(),
            None,
            &listed,
        ));
        for (n, part) in (1..).zip(parts) {
            if only.is_some_and(|o| !o.contains(&n)) {
                continue;
            }
            let url = report::key_figure_part_url(lang, n);
            let title = i18n::key_figure_part_title(n, count, lang);
            emit(self.key_figures_page(&url, &title, part, Some(u.key_figures), &[]));
        }
    }

    /// One key-figures page: `groups` in tables, links to `parts`, and the downloads; `up`
    /// is the URL of the page listing the parts, on a part.
    fn key_figures_page(
        &self,
        url: &str,
        title: &str,
        groups: Vec<Group<'_>>,
        up: Option<&str>,
        parts: &[(String, String)],
    ) -> Generated {
        self.generated_page(url, "key_figures.html", title, |ctx, root| {
            ctx.insert_value("groups", self.metric_groups(root, groups, true));
            ctx.insert(
                "up",
                &up.map(|up| LinkCtx::plain(self.texts.all_key_figures, href(root, up))),
            );
            let parts: Vec<LinkCtx> = parts
                .iter()
                .map(|(u, t)| LinkCtx::plain(t, href(root, u)))
                .collect();
            ctx.insert("parts", &parts);
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
        })
    }
}

/// The title of a group's table: its programme's, or `other` for metrics without one.
fn title<'a>(group: Option<&Group<'a>>, other: &'a str) -> &'a str {
    group.map_or("", |(page, _)| {
        page.map_or(other, |p| p.meta.title.as_str())
    })
}
