//! The accessibility statement, from `accessibility:` in site.yaml.

use super::Generated;
use crate::render::skeleton::Renderer;
use crate::report;

impl Renderer<'_> {
    pub(super) fn accessibility(&self) -> Generated {
        let config = &self.site.config;
        let u = report::urls(config.lang);
        self.generated_page(
            u.accessibility,
            "accessibility.html",
            self.texts.accessibility,
            |ctx, _| {
                ctx.insert("statement", &config.accessibility);
                ctx.insert(
                    "organisation",
                    config.organisation.as_deref().unwrap_or(&config.title),
                );
            },
        )
    }
}
