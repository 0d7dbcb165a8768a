//! Markdown to HTML: pulldown-cmark with tables, footnotes, strikethrough and task lists;
//! shortcodes expanded in text (never in code); links and images rewritten from source
//! paths to output URLs; headings given ids, anchors and a table of contents.
//! Pure: uses the shortcodes, the diagnostics, the language's words and the HTML escape;
//! what a link points to is asked of the caller through [`Links`].

mod headings;
mod picture;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset, html};
use serde::Serialize;

use crate::diag::{Diagnostic, Diagnostics, Lines, Pos};
use crate::html::escape;
use crate::i18n::{self, Lang};
use crate::shortcode::{self, Piece};
use headings::{heading_number, headings};
pub use picture::Picture;

/// One heading of a page, for its table of contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub facts: Facts,
}

/// What `hallbar check` needs to know about a text beyond its HTML.
#[derive(Debug, Default, Clone)]
pub struct Facts {
    /// Internal links and images, with the output file they point to.
    pub links: Vec<LinkFact>,
    pub external: Vec<(Pos, String)>,
    pub images_without_alt: Vec<Pos>,
    /// Every Markdown heading: its level as written and where.
    pub headings: Vec<(u8, Pos)>,
}

/// An internal link as written, and where it leads in the output.
#[derive(Debug, Clone)]
pub struct LinkFact {
    pub pos: Pos,
    pub written: String,
    /// The output file, relative to the output folder: `program/x/index.html`.
    pub file: String,
    /// Without the `#`; empty when there is none.
    pub fragment: String,
}

/// Where a link leads.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The URL to put in the output, relative to the page.
    pub url: String,
    /// For links inside the site: the output file and fragment.
    pub target: Option<(String, String)>,
    pub external: bool,
    /// The language of the page it leads to, when that is not the page's own (a link
    /// from a translation to a page in the default language): `hreflang`.
    pub lang: Option<&'static str>,
}

impl Resolved {
    /// A destination left as written, leading nowhere the site knows.
    pub fn unchanged(dest: &str) -> Self {
        Resolved {
            url: dest.to_string(),
            target: None,
            external: false,
            lang: None,
        }
    }
}

/// Turns a link destination as written in the source into the URL to put in the output,
/// or says why it cannot.
pub trait Links {
    fn resolve(&self, dest: &str) -> Result<Resolved, String>;

    /// The smaller versions of the image at `dest`, when it has them.
    fn image(&self, _dest: &str) -> Option<Picture> {
        None
    }
}

/// Where the Markdown text sits, for messages.
pub struct Origin<'a> {
    pub path: &'a Path,
    /// The position of the first byte of the Markdown text in its file.
    pub start: Pos,
}

pub struct Context<'a> {
    pub origin: Origin<'a>,
    pub shortcodes: &'a shortcode::Env<'a>,
    pub links: &'a dyn Links,
    pub heading_link_label: &'a str,
    /// Put before every id this text creates, so several texts can share one page.
    pub id_prefix: &'a str,
    /// Levels to add to every heading (a text placed under an `h2` starts at `h3`).
    pub heading_offset: u8,
}

impl Context<'_> {
    /// The site language: the one the shortcodes write in.
    pub fn lang(&self) -> Lang {
        self.shortcodes.lang
    }

    /// The id of a heading with no text to make one from: `avsnitt`, `section`.
    fn heading_id_fallback(&self) -> &'static str {
        i18n::heading_id_fallback(self.lang())
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(source: &str, cx: &Context, diags: &mut Diagnostics) -> Rendered {
    let mut pass = Pass {
        lines: Lines::new(source, cx.origin.start),
        cx,
        events: Vec::new(),
        in_code_block: false,
        footnotes: Vec::new(),
        blocks: Vec::new(),
        facts: Facts::default(),
        image_alt: None,
        picture: None,
        images: 0,
        hreflang: None,
        link_as_html: false,
    };
    let parser = TextMergeWithOffset::new(Parser::new_ext(source, options()).into_offset_iter());
    for (event, range) in parser {
        pass.event(event, range, diags);
    }
    let events = unwrap_blocks(pass.events, &pass.blocks, cx.origin.path, diags);
    let (events, toc) = headings(events, cx);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        toc,
        facts: pass.facts,
    }
}

/// One walk over a text's Markdown events: expands shortcodes, rewrites links, numbers
/// footnotes and notes what `hallbar check` needs, collecting the events to write.
struct Pass<'s, 'c> {
    lines: Lines<'s>,
    cx: &'c Context<'c>,
    events: Vec<Event<'s>>,
    in_code_block: bool,
    footnotes: Vec<String>,
    /// Where block shortcodes (charts, tables) were put, to lift them out of their paragraph.
    blocks: Vec<(usize, Pos)>,
    facts: Facts,
    /// The image being read, with its alt text so far.
    image_alt: Option<(Pos, String)>,
    /// The image being read, when it has smaller versions: where its events start, its
    /// versions and title.
    picture: Option<(usize, Picture, String)>,
    /// How many images the text has shown so far.
    images: usize,
    /// The language of the last link rewritten, when not the page's own.
    hreflang: Option<&'static str>,
    /// Whether the link open now was written out as HTML (for its `hreflang`).
    link_as_html: bool,
}

impl<'s> Pass<'s, '_> {
    fn event(&mut self, event: Event<'s>, range: Range<usize>, diags: &mut Diagnostics) {
        if let (Some((_, alt)), Event::Text(t) | Event::Code(t)) = (&mut self.image_alt, &event) {
            alt.push_str(t);
        }
        let cx = self.cx;
        match event {
            Event::Start(Tag::CodeBlock(_)) => {
                self.in_code_block = true;
                self.events.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.events.push(event);
            }
            Event::Text(text) if !self.in_code_block && text.contains("{{") => {
                let (lines, events, blocks) = (&self.lines, &mut self.events, &mut self.blocks);
                expand(&text, lines, range, cx, diags, events, blocks);
            }
            Event::Html(raw) | Event::InlineHtml(raw)
                if !self.in_code_block && raw.contains("{{") =>
            {
                self.raw_html(&raw, range, diags);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.rewrite(&dest_url, range, diags);
                match self.hreflang.take() {
                    Some(lang) => {
                        let title = if title.is_empty() {
                            String::new()
                        } else {
                            format!(" title=\"{}\"", crate::html::escape(&title))
                        };
                        self.link_as_html = true;
                        self.events.push(Event::InlineHtml(CowStr::from(format!(
                            "<a href=\"{}\"{title} hreflang=\"{lang}\">",
                            crate::html::escape(&dest_url)
                        ))));
                    }
                    None => self.events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })),
                }
            }
            Event::End(TagEnd::Link) if self.link_as_html => {
                self.link_as_html = false;
                self.events
                    .push(Event::InlineHtml(CowStr::Borrowed("</a>")));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                self.image_alt = Some((self.lines.pos(range.start), String::new()));
                if let Some(p) = cx.links.image(&dest_url) {
                    self.picture = Some((self.events.len(), p, title.to_string()));
                }
                let dest_url = self.rewrite(&dest_url, range, diags);
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => self.end_image(event),
            Event::Start(Tag::Heading { level, .. }) => {
                let at = self.lines.pos(range.start);
                self.facts.headings.push((heading_number(level), at));
                self.events.push(event);
            }
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::Start(Tag::FootnoteDefinition(label)) => self.footnote_definition(&label),
            Event::End(TagEnd::FootnoteDefinition) => {
                self.events.push(Event::Html(CowStr::from("</div>\n")));
            }
            other => self.events.push(other),
        }
    }

    /// The end of an image: its alt text checked, and the image with smaller versions
    /// written as a whole in place of its events.
    fn end_image(&mut self, event: Event<'s>) {
        let alt = self
            .image_alt
            .take()
            .map_or_else(String::new, |(pos, alt)| {
                if alt.trim().is_empty() {
                    self.facts.images_without_alt.push(pos);
                }
                alt
            });
        self.images += 1;
        match self.picture.take() {
            Some((start, p, title)) => {
                self.events.truncate(start);
                let html = picture::html(&p, &alt, &title, self.images == 1);
                self.events.push(Event::InlineHtml(CowStr::from(html)));
            }
            None => self.events.push(event),
        }
    }

    /// Raw HTML written in the Markdown: shortcodes work there too, their text escaped
    /// (the writer controls the structure, so blocks are not lifted out).
    fn raw_html(&mut self, raw: &str, range: Range<usize>, diags: &mut Diagnostics) {
        let mut parts = Vec::new();
        expand(
            raw,
            &self.lines,
            range,
            self.cx,
            diags,
            &mut parts,
            &mut Vec::new(),
        );
        let mut out = String::with_capacity(raw.len());
        for part in parts {
            match part {
                Event::Text(t) => out.push_str(&escape(&t)),
                Event::Html(h) => out.push_str(&h),
                _ => {}
            }
        }
        self.events.push(Event::Html(CowStr::from(out)));
    }

    fn rewrite(
        &mut self,
        dest: &CowStr<'s>,
        range: Range<usize>,
        diags: &mut Diagnostics,
    ) -> CowStr<'s> {
        let (url, lang) = rewrite(dest, &self.lines, range, self.cx, diags, &mut self.facts);
        self.hreflang = lang;
        url
    }

    /// Numbered in the order first met; only the first reference gets the id the
    /// footnote links back to.
    fn footnote_reference(&mut self, label: &str) {
        let first = !self.footnotes.iter().any(|l| l == label);
        let n = footnote_number(&mut self.footnotes, label);
        let id = format!("{}{n}", self.cx.id_prefix);
        let back = if first {
            format!(" id=\"fnref-{id}\"")
        } else {
            String::new()
        };
        self.events.push(Event::InlineHtml(CowStr::from(format!(
            "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\"{back}>{n}</a></sup>"
        ))));
    }

    fn footnote_definition(&mut self, label: &str) {
        let n = footnote_number(&mut self.footnotes, label);
        let id = format!("{}{n}", self.cx.id_prefix);
        self.events.push(Event::Html(CowStr::from(format!(
            "<div class=\"footnote\" id=\"fn-{id}\"><span class=\"footnote-label\">{n}</span>\n"
        ))));
    }
}

/// Footnotes are numbered in the order they are first met.
fn footnote_number(seen: &mut Vec<String>, label: &str) -> usize {
    match seen.iter().position(|l| l == label) {
        Some(i) => i + 1,
        None => {
            seen.push(label.to_string());
            seen.len()
        }
    }
}

/// Replaces the shortcodes in one text event with their output.
fn expand<'a>(
    text: &str,
    lines: &Lines,
    range: Range<usize>,
    cx: &Context,
    diags: &mut Diagnostics,
    events: &mut Vec<Event<'a>>,
    blocks: &mut Vec<(usize, Pos)>,
) {
    let raw = lines.text.get(range.clone()).unwrap_or("");
    // The text may differ from the source (escapes, entities), so each call is located
    // by finding its own `{{` in the source slice, in order.
    let mut raw_from = 0;
    for piece in shortcode::split(text) {
        let (call_start, error) = match piece {
            Piece::Text(t) => {
                events.push(Event::Text(CowStr::from(t.to_string())));
                continue;
            }
            Piece::Call(call) => match shortcode::evaluate(&call, cx.shortcodes) {
                Ok(shortcode::Output::Text(t)) => {
                    next_open(raw, &mut raw_from);
                    events.push(Event::Text(CowStr::from(t)));
                    continue;
                }
                Ok(shortcode::Output::Block(html)) => {
                    let at = range.start + next_open(raw, &mut raw_from);
                    blocks.push((events.len(), lines.pos(at)));
                    events.push(Event::Html(CowStr::from(html)));
                    continue;
                }
                Err(e) => (call.start, e),
            },
            Piece::Bad(e) => (text[..e.offset].rfind("{{").unwrap_or(0), e),
        };
        let base = range.start + next_open(raw, &mut raw_from);
        let pos = lines.pos(base + error.offset.saturating_sub(call_start));
        let written = call_text(text, call_start);
        let message = cx.shortcodes.message(error, written);
        diags.push(Diagnostic::error(cx.origin.path, pos, message).with_code("shortcode"));
    }
}

/// The call that starts at `start` in `text`, up to its closing braces or the line end.
fn call_text(text: &str, start: usize) -> &str {
    let rest = text.get(start..).unwrap_or("");
    let end = rest.find("}}").map_or(rest.len(), |i| i + 2);
    let end = rest[..end].find('\n').unwrap_or(end);
    &rest[..end]
}

/// A chart or table cannot sit inside a paragraph (`<p><figure>` is not HTML): when it is
/// the paragraph's only content the paragraph is dropped; beside other text it is an error.
fn unwrap_blocks<'a>(
    events: Vec<Event<'a>>,
    blocks: &[(usize, Pos)],
    path: &Path,
    diags: &mut Diagnostics,
) -> Vec<Event<'a>> {
    let mut drop = vec![false; events.len()];
    for &(i, pos) in blocks {
        let before = i.checked_sub(1).and_then(|b| events.get(b));
        let after = events.get(i + 1);
        match (before, after) {
            (Some(Event::Start(Tag::Paragraph)), Some(Event::End(TagEnd::Paragraph))) => {
                drop[i - 1] = true;
                drop[i + 1] = true;
            }
            (Some(Event::Start(Tag::Item)), Some(Event::End(TagEnd::Item))) => {}
            _ => diags.error(
                path,
                pos,
                "a chart or key-figure table must stand alone in its own paragraph; put an empty line before and after it",
            ),
        }
    }
    events
        .into_iter()
        .zip(drop)
        .filter_map(|(e, d)| (!d).then_some(e))
        .collect()
}

/// The offset of the next `{{` in `raw` from `*from`, moving `*from` past it.
fn next_open(raw: &str, from: &mut usize) -> usize {
    let start = raw
        .get(*from..)
        .and_then(|r| r.find("{{"))
        .map_or(*from, |i| *from + i);
    *from = (start + 2).min(raw.len());
    start
}

/// A link destination rewritten for the output, or left alone with an error reported.
fn rewrite<'a>(
    dest: &CowStr<'a>,
    lines: &Lines,
    range: Range<usize>,
    cx: &Context,
    diags: &mut Diagnostics,
    facts: &mut Facts,
) -> (CowStr<'a>, Option<&'static str>) {
    let raw = lines.text.get(range.clone()).unwrap_or("");
    let offset = raw
        .rfind(dest.as_ref())
        .filter(|_| !dest.is_empty())
        .map_or(range.start, |i| range.start + i);
    let pos = lines.pos(offset);
    match cx.links.resolve(dest) {
        // In a text sharing its page with others, its own ids carry a prefix; so must
        // links to them.
        Ok(_) if !cx.id_prefix.is_empty() && dest.starts_with('#') => (
            CowStr::from(format!("#{}{}", cx.id_prefix, &dest[1..])),
            None,
        ),
        Ok(r) => {
            if r.external {
                facts.external.push((pos, dest.to_string()));
            }
            if let Some((file, fragment)) = r.target {
                facts.links.push(LinkFact {
                    pos,
                    written: dest.to_string(),
                    file,
                    fragment,
                });
            }
            let url = if r.url == dest.as_ref() {
                dest.clone()
            } else {
                CowStr::from(r.url)
            };
            (url, r.lang)
        }
        Err(message) => {
            diags.push(Diagnostic::error(cx.origin.path, pos, message).with_code("broken-link"));
            (dest.clone(), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Same;
    impl Links for Same {
        fn resolve(&self, dest: &str) -> Result<Resolved, String> {
            if dest.contains("missing") {
                Err(format!("no page `{dest}`"))
            } else {
                Ok(Resolved::unchanged(&format!("../{dest}")))
            }
        }
    }

    fn run(src: &str) -> (Rendered, Vec<String>) {
        run_in(src, Lang::Sv)
    }

    fn run_in(src: &str, lang: Lang) -> (Rendered, Vec<String>) {
        run_with(src, lang, &crate::metrics::Metrics::default())
    }

    /// Renders `src` at line 5 of content/a.md with `metrics`; the HTML and the messages.
    fn run_with(
        src: &str,
        lang: Lang,
        metrics: &crate::metrics::Metrics,
    ) -> (Rendered, Vec<String>) {
        let env = shortcode::Env::new(metrics, lang);
        let cx = Context {
            origin: Origin {
                path: Path::new("content/a.md"),
                start: Pos::new(5, 1),
            },
            shortcodes: &env,
            links: &Same,
            heading_link_label: "Länk",
            id_prefix: "",
            heading_offset: 0,
        };
        let mut diags = Diagnostics::default();
        let r = render(src, &cx, &mut diags);
        let msgs = diags.into_sorted().iter().map(|d| d.to_string()).collect();
        (r, msgs)
    }

    #[test]
    fn headings_get_unique_ids_and_toc() {
        let (r, _) = run("## Var sker påverkan?\n\n## Var sker påverkan?\n");
        assert!(
            r.html.contains("<h2 id=\"var-sker-paverkan\">"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("<h2 id=\"var-sker-paverkan-1\">"),
            "{}",
            r.html
        );
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[0].title, "Var sker påverkan?");
    }

    #[test]
    fn headings_without_slug_text_get_the_language_word() {
        let (sv, _) = run_in("## 🎉\n\n## !!\n", Lang::Sv);
        assert!(sv.html.contains("<h2 id=\"avsnitt\">"), "{}", sv.html);
        assert!(sv.html.contains("<h2 id=\"avsnitt-1\">"), "{}", sv.html);
        let (en, _) = run_in("## 🎉\n", Lang::En);
        assert!(en.html.contains("<h2 id=\"section\">"), "{}", en.html);
    }

    #[test]
    fn shortcodes_in_code_are_left_alone() {
        let (r, errs) = run("`{{ metric(id=\"x\") }}`\n\n```\n{{ metric(id=\"x\") }}\n```\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(
            r.html.matches("{{ metric(id=\"x\") }}").count(),
            2,
            "{}",
            r.html
        );
    }

    #[test]
    fn shortcode_errors_point_into_the_file() {
        let (_, errs) = run("Text\n\nTotalt {{ metric(id=\"nope\") }} st.\n");
        assert_eq!(
            errs,
            vec![
                "content/a.md:7:18: error: unknown metric `nope`; metrics are defined in the .yaml files under content/"
            ]
        );
    }

    #[test]
    fn links_are_rewritten_and_bad_ones_reported() {
        let (r, errs) = run("[a](b.md#x) and\n[c](missing.md)\n");
        assert!(r.html.contains("href=\"../b.md#x\""), "{}", r.html);
        assert_eq!(errs, vec!["content/a.md:6:5: error: no page `missing.md`"]);
    }

    /// Random text made of the characters that matter to shortcodes, links and Markdown
    /// never panics, and every reported position lies inside the text.
    #[test]
    fn random_text_never_panics() {
        const PIECES: [&str; 24] = [
            "{{", "}}", "{", "}", "(", ")", "\"", "'", "\\", "=", ",", "[", "]", "metric", "id",
            "å", "ä", "\n", "\n\n", "`", "```", "](", "#", " ",
        ];
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..3000 {
            let mut text = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = (seed % 40) as usize;
            let mut x = seed;
            for _ in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                text.push_str(PIECES[(x % PIECES.len() as u64) as usize]);
            }
            let (_, errors) = run(&text);
            let lines = text.lines().count().max(1) + 5;
            for e in errors {
                let line: usize = e
                    .split(':')
                    .nth(1)
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(0);
                assert!(line >= 5 && line <= lines + 1, "{e} for {text:?}");
            }
        }
    }

    #[test]
    fn same_page_links_follow_the_id_prefix() {
        let metrics = crate::metrics::Metrics::default();
        let env = shortcode::Env::new(&metrics, Lang::Sv);
        let cx = Context {
            origin: Origin {
                path: Path::new("content/a.md"),
                start: Pos::START,
            },
            shortcodes: &env,
            links: &Same,
            heading_link_label: "Länk",
            id_prefix: "p2-",
            heading_offset: 1,
        };
        let mut diags = Diagnostics::default();
        let r = render("## Resultat\n\n[se ovan](#resultat)\n", &cx, &mut diags);
        assert!(r.html.contains("<h3 id=\"p2-resultat\">"), "{}", r.html);
        assert!(r.html.contains("href=\"#p2-resultat\""), "{}", r.html);
    }

    #[test]
    fn shortcodes_work_in_raw_html_and_are_escaped() {
        let metrics: crate::metrics::Metrics = [crate::metrics::Metric {
            id: "n".into(),
            label: "N".into(),
            unit: "<st>".into(),
            values: [(2020, 12345.0)].into_iter().collect(),
            target: Default::default(),
            program: None,
            source: None,
            decimals: None,
            gri: Vec::new(),
            gri_omissions: Default::default(),
            note: None,
            translations: None,
            file: Path::new("content/m.yaml").into(),
            pos: Pos::START,
        }]
        .into_iter()
        .collect();
        let (r, errs) = run_with(
            "<div class=\"x\">\n{{ metric(id=\"n\") }} och {{ metric(id=\"nej\") }}\n</div>\n",
            Lang::Sv,
            &metrics,
        );
        assert!(
            r.html.contains("12\u{a0}345\u{a0}&lt;st&gt; och"),
            "{}",
            r.html
        );
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(
            errs[0].starts_with("content/a.md:6:36: error: unknown metric `nej`"),
            "{errs:?}"
        );
    }
}
