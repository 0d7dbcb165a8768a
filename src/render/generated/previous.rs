//! The list of reports, `tidigare-rapporter/`: this year's and each frozen earlier year's.

use super::Generated;
use crate::render::skeleton::Renderer;
use crate::report;

/// One report in the list of this year's and earlier years'.
#[derive(serde::Serialize)]
struct EditionCtx<'a> {
    title: &'a str,
    year: Option<i64>,
    url: String,
    current: bool,
}

impl Renderer<'_> {
    /// The list of reports, newest first: this one (at the site's root) and each frozen
    /// year (under `<year>/`, in this edition's language where the year has it).
    pub(super) fn previous_reports(&self) -> Option<Generated> {
        let site = self.site;
        if !report::Generated::Previous.made_for(site) {
            return None;
        }
        let u = report::urls(site.config.lang);
        let (up, prefix) = (site.up_to_site(), site.folder());
        Some(self.generated_page(
            u.previous,
            "previous_reports.html",
            self.texts.previous_reports,
            |ctx, root| {
                let mut editions = vec![EditionCtx {
                    title: &site.config.title,
                    year: site.config.report_year,
                    url: crate::links::href(root, ""),
                    current: true,
                }];
                // This edition's home page, which a frozen year has when it has the edition.
                let own = format!("{prefix}index.html");
                for f in site.archive.iter().rev() {
                    let lang = if f.has(&own) { prefix.as_str() } else { "" };
                    let title = match site.edition {
                        0 => None,
                        _ => f.titles.get(site.config.lang.code()),
                    };
                    editions.push(EditionCtx {
                        title: title.unwrap_or(&f.title),
                        year: Some(f.year),
                        url: format!("{root}{up}{}/{lang}", f.year),
                        current: false,
                    });
                }
                ctx.insert("editions", &editions);
                ctx.insert("searchable", &false);
            },
        ))
    }
}
