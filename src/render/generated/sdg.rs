//! The page of global goals: each Sustainable Development Goal the pages name, as a tile
//! in its colour with the pages that work towards it. Only made when a page names a goal.

use super::Generated;
use crate::links::href;
use crate::render::skeleton::Renderer;
use crate::report;

impl Renderer<'_> {
    pub(super) fn sdg(&self) -> Option<Generated> {
        let goals = report::sdg_goals(self.site);
        if goals.is_empty() {
            return None;
        }
        let u = report::urls(self.site.config.lang);
        Some(
            self.generated_page(u.sdg, "sdg.html", self.texts.sdg_page, |ctx, root| {
                let goals: Vec<report::Goal> = goals
                    .into_iter()
                    .map(|mut g| {
                        g.url = href(root, &g.url);
                        for l in &mut g.pages {
                            l.url = href(root, &l.url);
                        }
                        g
                    })
                    .collect();
                ctx.insert("goals", &goals);
            }),
        )
    }
}
