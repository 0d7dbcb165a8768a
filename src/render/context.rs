//! What templates are given: the context types of pages, sections, cards, figures and
//! links, serialised into Tera's context. Plain data; uses only the Markdown module's
//! table of contents type.

use serde::Serialize;

use crate::markdown::TocEntry;

#[derive(Serialize)]
pub(super) struct SiteCtx<'a> {
    pub(super) title: &'a str,
    pub(super) organisation: Option<&'a str>,
    pub(super) description: Option<&'a str>,
    pub(super) report_year: Option<i64>,
    pub(super) base_url: Option<&'a str>,
    pub(super) extra: &'a serde_json::Value,
    /// The logo's address from this page, and whether it can serve as the page icon.
    pub(super) logo: Option<String>,
    pub(super) logo_icon: bool,
}

#[derive(Serialize)]
pub(super) struct LanguageCtx {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) href: String,
    pub(super) current: bool,
    /// Set when the page has no version in this language: the link leads to that
    /// edition's home page, and this says so, in that language.
    pub(super) note: Option<&'static str>,
}

/// The note on each page of an edition being frozen.
#[derive(Serialize)]
pub(super) struct FrozenCtx {
    pub(super) note: String,
    /// The site's root from this page: the latest report, whichever year it is.
    pub(super) latest: String,
    pub(super) latest_text: &'static str,
}

/// A `<link rel="alternate" hreflang>` of a page: one per language it is in, and
/// `x-default`.
#[derive(Debug, Clone, Serialize)]
pub(super) struct AlternateCtx {
    pub(super) hreflang: &'static str,
    pub(super) href: String,
}

#[derive(Debug, Clone, Serialize)]
pub(super) struct LinkCtx {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) current: bool,
    pub(super) children: Vec<LinkCtx>,
    /// The language of the title, when not the page's (a page published untranslated).
    pub(super) lang: Option<&'static str>,
}

impl LinkCtx {
    pub(super) fn plain(title: &str, url: String) -> Self {
        LinkCtx {
            title: title.to_string(),
            url,
            current: false,
            children: Vec::new(),
            lang: None,
        }
    }
}

/// What goes in `<head>`: the document title, description and Open Graph tags.
#[derive(Serialize)]
pub(super) struct HeadCtx {
    pub(super) title: String,
    pub(super) og_title: String,
    pub(super) description: Option<String>,
    pub(super) og_type: &'static str,
    pub(super) locale: &'static str,
}

/// A programme as the print page shows it.
#[derive(Serialize)]
pub(super) struct PrintCtx<'a> {
    pub(super) id: String,
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) content: String,
    pub(super) key_metrics: Vec<FigureCtx>,
}

/// A programme's metrics on the key-figures page.
#[derive(Serialize)]
pub(super) struct GroupCtx {
    pub(super) title: String,
    pub(super) url: Option<String>,
    /// The key-figure table (HTML).
    pub(super) table: String,
}

#[derive(Serialize)]
pub(super) struct FigureCtx {
    pub(super) id: String,
    pub(super) label: String,
    /// The latest value with its unit, formatted for the site language.
    pub(super) value: String,
    pub(super) year: i32,
    pub(super) unit: String,
    /// The change from the year before: `+3, +21 %`.
    pub(super) change: Option<String>,
    /// The value as HTML, its number and unit kept on one line.
    pub(super) value_html: String,
    /// Every target, as HTML: `Mål: 20 familjer (2021) – <span …>I fas</span>`.
    pub(super) targets: Vec<String>,
    /// The source and note: `Källa: Enkät. Räknat per hushåll.`
    pub(super) note: Option<String>,
}

#[derive(Serialize)]
pub(super) struct CardCtx {
    pub(super) title: String,
    pub(super) summary: Option<String>,
    pub(super) url: String,
    pub(super) date: Option<String>,
    pub(super) key_metrics: Vec<FigureCtx>,
    /// The language of the title and summary, when not the page's.
    pub(super) lang: Option<&'static str>,
}

#[derive(Serialize)]
pub(super) struct PageCtx<'a> {
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) date: Option<&'a str>,
    pub(super) content: String,
    pub(super) toc: Vec<TocEntry>,
    pub(super) sdg: &'a [u8],
    pub(super) gri: &'a [String],
    pub(super) partners: &'a [String],
    pub(super) area: Option<&'a str>,
    pub(super) key_metrics: Vec<FigureCtx>,
    /// Charts of the key metrics that have more than one year (inline SVG).
    pub(super) charts: Vec<String>,
    pub(super) extra: &'a serde_json::Value,
    pub(super) url: String,
    /// The language of the text, when not the edition's (`lang="sv"`).
    pub(super) lang: Option<&'static str>,
    /// For such a page: "Only in Swedish" in its language and the edition's.
    pub(super) only_in: Vec<TextIn>,
}

/// A short text and its language, for a `lang` attribute.
#[derive(Serialize)]
pub(super) struct TextIn {
    pub(super) text: &'static str,
    pub(super) lang: &'static str,
}

#[derive(Serialize)]
pub(super) struct SectionCtx<'a> {
    pub(super) title: &'a str,
    pub(super) summary: Option<&'a str>,
    pub(super) content: String,
    pub(super) toc: Vec<TocEntry>,
    pub(super) pages: Vec<CardCtx>,
    pub(super) subsections: Vec<CardCtx>,
    pub(super) extra: &'a serde_json::Value,
    pub(super) url: String,
    /// On the home page, when it shows only the first of the section's pages: the text
    /// of the link to the section ("Alla 1 200 sidor i Program").
    pub(super) more: Option<String>,
}
