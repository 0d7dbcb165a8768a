//! Headings: gives every heading of a text a unique id (its slug, the `{#id}` written, or
//! the language's fallback word), a link to itself and a place in the table of contents.
//! Works on the Markdown events only; uses the slug rules and the HTML escape.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::{Context, TocEntry};
use crate::html::escape;
use crate::slug::slugify;

/// Gives every heading a unique id (its slug, or the `{#id}` written), a link to itself,
/// and collects the table of contents.
pub(super) fn headings<'a>(
    events: Vec<Event<'a>>,
    cx: &Context,
) -> (Vec<Event<'a>>, Vec<TocEntry>) {
    let mut out = Vec::with_capacity(events.len());
    let mut toc: Vec<TocEntry> = Vec::new();
    let mut ids = Ids::default();
    let mut iter = events.into_iter();
    while let Some(event) = iter.next() {
        let Event::Start(Tag::Heading {
            level, id, classes, ..
        }) = event
        else {
            out.push(event);
            continue;
        };
        let mut inner = Vec::new();
        let mut title = String::new();
        for e in iter.by_ref() {
            match &e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                _ => {}
            }
            inner.push(e);
        }
        let base = id
            .map(|i| i.to_string())
            .unwrap_or_else(|| slugify(&title))
            .trim()
            .to_string();
        let base = if base.is_empty() {
            cx.heading_id_fallback().to_string()
        } else {
            base
        };
        let unique = ids.claim(format!("{}{base}", cx.id_prefix));
        let level_num = (heading_number(level) + cx.heading_offset).min(6);
        let class = if classes.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = classes.iter().map(|c| escape(c)).collect();
            format!(" class=\"{}\"", names.join(" "))
        };
        out.push(Event::Html(CowStr::from(format!(
            "<h{level_num} id=\"{}\"{class}>",
            escape(&unique)
        ))));
        out.extend(inner);
        out.push(Event::Html(CowStr::from(format!(
            " <a class=\"heading-anchor\" href=\"#{}\" aria-label=\"{}: {}\">#</a></h{level_num}>\n",
            escape(&unique),
            escape(cx.heading_link_label),
            escape(title.trim())
        ))));
        toc.push(TocEntry {
            level: level_num,
            id: unique,
            title: title.trim().to_string(),
        });
    }
    (out, toc)
}

/// The ids taken on a page so far.
struct Ids {
    used: HashSet<String>,
    next_suffix: HashMap<String, usize>,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            // The theme's own ids on a page are taken too.
            used: ["main".to_string()].into_iter().collect(),
            next_suffix: HashMap::new(),
        }
    }
}

impl Ids {
    /// `base`, or `base-1`, `base-2`, … when it is taken; the result is taken from now on.
    fn claim(&mut self, base: String) -> String {
        let mut unique = base.clone();
        while self.used.contains(&unique) {
            let n = self.next_suffix.entry(base.clone()).or_insert(0);
            *n += 1;
            unique = format!("{base}-{n}");
        }
        self.used.insert(unique.clone());
        unique
    }
}

pub(super) fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}
