//! The pages hallbar makes from the whole site rather than from one text: key figures,
//! GRI index, global goals, print edition, accessibility statement and 404, one file each.
//! Each is the page skeleton with its own data. Uses the skeleton and the report module.

mod accessibility;
mod gri_index;
mod key_figures;
mod not_found;
mod previous;
mod print;
mod sdg;
mod search;

use std::path::PathBuf;

use tera::Context;

use super::context::GroupCtx;
use super::index_file;
use super::skeleton::Renderer;
use crate::diag::Diagnostics;
use crate::figures;
use crate::links::{href, root_prefix};
use crate::report;

/// A generated page's output file, or everything wrong with it.
pub(super) type Generated = (PathBuf, Result<String, Diagnostics>);

impl Renderer<'_> {
    /// Every generated page but 404.html, each handed to `emit` as soon as it is made: on
    /// a large site these pages are big. Of a split key-figures page, only the parts in
    /// `parts` (every part when `None`).
    pub(super) fn generated(
        &self,
        parts: Option<&std::collections::BTreeSet<usize>>,
        emit: &mut dyn FnMut(PathBuf, Result<String, Diagnostics>),
    ) {
        let mut emit = |(path, result): Generated| emit(path, result);
        self.key_figures(parts, &mut emit);
        if let Some(page) = self.gri_index() {
            emit(page);
        }
        emit(self.print());
        emit(self.accessibility());
        if let Some(page) = self.sdg() {
            emit(page);
        }
        if let Some(page) = self.previous_reports() {
            emit(page);
        }
        if let Some(page) = self.search_page() {
            emit(page);
        }
    }

    /// A generated page: the base context, a title, and the page's own data.
    fn generated_page(
        &self,
        url: &str,
        template: &str,
        title: &str,
        data: impl FnOnce(&mut Context, &str),
    ) -> Generated {
        let mut ctx = self.base_context(url);
        let root = root_prefix(url);
        ctx.insert("breadcrumbs", &self.breadcrumbs(&root, Some(0)));
        ctx.insert("title", title);
        ctx.insert("head", &self.head(Some(title), None, "website"));
        data(&mut ctx, &root);
        (
            index_file(url),
            self.finish(template, &ctx, url, Diagnostics::default()),
        )
    }

    /// The metrics of `groups` in tables, one per programme; `anchors` gives rows their
    /// ids (only on the key-figures pages, which other pages link to). Made into template
    /// values one group at a time: with a million metrics the tables are hundreds of
    /// megabytes, and must not be held twice.
    fn metric_groups(
        &self,
        root: &str,
        groups: Vec<report::Group<'_>>,
        anchors: bool,
    ) -> tera::Value {
        let groups: Vec<tera::Value> = groups
            .into_iter()
            .map(|(page, metrics)| {
                let title = page.map_or(self.texts.other_metrics, |p| p.meta.title.as_str());
                let group = GroupCtx {
                    title: title.to_string(),
                    url: page.map(|p| href(root, &p.url)),
                    table: figures::table(title, &metrics, self.site.config.lang, anchors),
                };
                tera::Value::from_serializable(&group)
            })
            .collect();
        tera::Value::from(groups)
    }
}
