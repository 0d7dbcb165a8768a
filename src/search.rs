//! Search: the Pagefind index of the site, in `pagefind/` at its root. A page is in it
//! when its template marks the element holding its text `data-pagefind-body` (the default
//! theme does on every page but the print edition, the lists of reports, 404 and the search
//! page); elements inside marked `data-pagefind-ignore` (listings, contents) are left out.
//! [`record`] takes a rendered page's text, title and language; [`index`] hands the
//! records to Pagefind in path order, which builds one index per language (stemmed for
//! Swedish and English) and the small WASM runtime the browser searches with. The same
//! pages give the same bytes. Uses pagefind and tokio; reads and writes nothing itself.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

/// The folder of the index in the output, at the site's root.
pub const FOLDER: &str = "pagefind";

/// The attribute on the element whose text is searched; a page without it is not indexed.
pub const MARK: &str = "data-pagefind-body";

/// Marks an element inside the searched one whose text is not searched.
const IGNORE: &str = "data-pagefind-ignore";

/// The most pages a site may have for its search index to be built: Pagefind holds the
/// whole index in memory while it builds it (about 250 KB a page of 2,000 words), and
/// looks each added page up among those before it.
pub const PAGES_MAX: usize = 20_000;

/// A site of more than [`PAGES_MAX`] text files is built without search; the warning.
pub fn too_many_pages(pages: usize) -> Option<crate::diag::Diagnostic> {
    (pages > PAGES_MAX).then(|| {
        crate::diag::Diagnostic::warning(
            "site.yaml",
            crate::diag::Pos::START,
            format!(
                "search is left out: the site has {pages} pages, and its search index would take gigabytes of memory to build (search works up to {PAGES_MAX} pages); set `search: false` to leave it out without this warning"
            ),
        )
    })
}

/// One page as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// From the site's root: `/program/x/` (Pagefind puts the site's own address before it
    /// in the browser, so that results work under any sub-path).
    pub url: String,
    pub lang: String,
    pub title: String,
    pub text: String,
}

/// The records of a site, by the output path of their page.
pub type Records = BTreeMap<PathBuf, Record>;

/// The record of a rendered file: `None` unless it is an HTML page that marks its text.
pub fn record(rel: &Path, bytes: &[u8]) -> Option<Record> {
    if rel.extension().is_none_or(|e| e != "html") {
        return None;
    }
    let html = std::str::from_utf8(bytes).ok()?;
    let (open, start) = marked_element(html)?;
    let name = tag_name(&html[open + 1..]);
    let (text, title) = text_of(&html[start..], name);
    let path = rel.to_string_lossy().replace('\\', "/");
    let url = format!("/{}", path.strip_suffix("index.html").unwrap_or(&path));
    let title = title
        .or_else(|| between(html, "<title>", "</title>").map(|t| decode(t).into_owned()))
        .unwrap_or_else(|| url.clone());
    Some(Record {
        url,
        lang: between(html, "<html lang=\"", "\"")
            .unwrap_or("unknown")
            .to_string(),
        title,
        text,
    })
}

/// The element in `<body>` that carries [`MARK`] as an attribute (not in a text or an
/// attribute's value): where its start tag begins and ends.
fn marked_element(html: &str) -> Option<(usize, usize)> {
    let body = html.find("<body")?;
    let mut from = body;
    while let Some(at) = html[from..].find(MARK).map(|i| from + i) {
        from = at + MARK.len();
        let open = html[..at].rfind('<')?;
        if open < body || html[open..at].contains('>') {
            continue;
        }
        let end = open + html[open..].find('>')?;
        if has_attribute(&html[open..=end], MARK) {
            return Some((open, end + 1));
        }
    }
    None
}

/// Whether the tag `tag` (`<div class="x" data-y>`) has the attribute `name`, as an
/// attribute: after white space, before `=`, white space, `/` or `>`. Tera escapes `"`
/// and `>` in values, so a quoted value cannot end the tag or hold one.
fn has_attribute(tag: &str, name: &str) -> bool {
    let mut in_value = false;
    let bytes = tag.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            in_value = !in_value;
        } else if !in_value
            && b.is_ascii_whitespace()
            && tag[i + 1..].starts_with(name)
            && matches!(
                bytes.get(i + 1 + name.len()),
                Some(b'=' | b'>' | b'/') | Some(b' ' | b'\t' | b'\n' | b'\r')
            )
        {
            return true;
        }
    }
    false
}

/// The text of `a` up to `b` after it.
fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let from = s.find(a)? + a.len();
    let len = s[from..].find(b)?;
    Some(&s[from..from + len])
}

/// The name of the tag `s` starts with (after its `<` or `</`), lower case as hallbar
/// writes it.
fn tag_name(s: &str) -> &str {
    let end = s
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(s.len());
    &s[..end]
}

/// Elements that may stand inside a word: no space is put where they start or end.
/// (`sup` is not one: a footnote's number must not join the word before it.)
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "time", "u", "var", "wbr",
];

/// Elements that never have an end tag.
const VOID: &[&str] = &[
    "area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
];

/// The text of the element named `name` whose content `html` starts with, up to its end
/// tag, without the elements marked [`IGNORE`], scripts and styles; and its first `h1`.
fn text_of(html: &str, name: &str) -> (String, Option<String>) {
    let mut text = String::with_capacity(html.len() / 2);
    let mut title: Option<String> = None;
    let mut in_h1: Option<usize> = None;
    let (mut depth, mut ignored) = (1usize, None::<(&str, usize)>);
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            if ignored.is_none() {
                text.push_str(&decode(rest));
            }
            break;
        };
        if ignored.is_none() {
            text.push_str(&decode(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[..=gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with("</");
        let tag_name = tag_name(tag.trim_start_matches('<').trim_start_matches('/'));
        if !closing && (tag_name == "script" || tag_name == "style") {
            let end = format!("</{tag_name}");
            rest = rest.find(&end).map_or("", |e| &rest[e..]);
            continue;
        }
        if !INLINE.contains(&tag_name) {
            text.push(' ');
        }
        let void = VOID.contains(&tag_name) || tag.ends_with("/>");
        if tag_name == name && !void {
            if closing {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            } else {
                depth += 1;
            }
        }
        match &mut ignored {
            Some((ignored_name, level)) if *ignored_name == tag_name && !void => {
                if closing {
                    *level -= 1;
                    if *level == 0 {
                        ignored = None;
                    }
                } else {
                    *level += 1;
                }
            }
            Some(_) => {}
            None if !closing && !void && has_attribute(tag, IGNORE) => {
                ignored = Some((tag_name, 1))
            }
            None if tag_name == "h1" && title.is_none() => {
                if closing {
                    if let Some(from) = in_h1.take() {
                        title = Some(text[from..].trim().to_string());
                    }
                } else {
                    in_h1 = Some(text.len());
                }
            }
            None => {}
        }
    }
    (squeeze(&text), title.map(|t| squeeze(&t)))
}

/// Runs of white space as one space, none at the ends; no-break spaces (inside numbers
/// and before units) stay.
fn squeeze(s: &str) -> String {
    s.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text with the character references hallbar and Tera write (`&amp;`, `&#39;`, `&nbsp;`,
/// numeric ones) as the characters they stand for.
fn decode(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // A reference is short: its `;` within the next 12 bytes (searched as bytes, since
        // 12 bytes may end inside a character).
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => {
                    let n = match name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => name.strip_prefix('#').and_then(|d| d.parse().ok()),
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// Output files, by path relative to the output folder.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Builds the index of `records` and hands back its files (`pagefind/…`), sorted: the
/// runtime `pagefind.js`, the entry listing the languages, each language's index and
/// fragments, and the WASM of the languages the site has. Pagefind's own UIs and its
/// web worker are left out (the theme has its own page, and searches without a worker).
pub fn index(records: &Records) -> Result<Files, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("could not start the search indexer ({e})"))?;
    let files = runtime.block_on(async {
        let config = PagefindServiceConfig::builder().build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        // Pagefind numbers pages in the order they are added: path order.
        for r in records.values() {
            let meta = BTreeMap::from([("title".to_string(), r.title.clone())]);
            index
                .add_custom_record(
                    r.url.clone(),
                    r.text.clone(),
                    r.lang.clone(),
                    Some(meta),
                    None,
                    None,
                )
                .await
                .map_err(|e| format!("{}: {e}", r.url))?;
        }
        index.get_files().await.map_err(|e| e.to_string())
    })?;
    let entry = files
        .iter()
        .find(|f| f.filename == Path::new("pagefind-entry.json"))
        .and_then(|f| serde_json::from_slice::<serde_json::Value>(&f.contents).ok());
    let wasm: Vec<String> = entry
        .as_ref()
        .and_then(|e| e.get("languages")?.as_object().cloned())
        .into_iter()
        .flatten()
        .filter_map(|(_, l)| Some(format!("wasm.{}.pagefind", l.get("wasm")?.as_str()?)))
        .collect();
    let mut files: Files = files
        .into_iter()
        .filter(|f| wanted(&f.filename, &wasm))
        .map(|f| (PathBuf::from(FOLDER).join(f.filename), f.contents))
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Whether a file of Pagefind's bundle is one the site uses.
fn wanted(name: &Path, wasm: &[String]) -> bool {
    let s = name.to_string_lossy();
    let first = name
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy());
    match first.as_deref() {
        Some("index" | "fragment" | "filter") if name.components().count() == 2 => true,
        _ => {
            s == "pagefind.js"
                || s == "pagefind-entry.json"
                || s.ends_with(".pf_meta")
                || wasm.iter().any(|w| *w == s)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"sv\">\n<head><title>T – Site</title></head><body><nav>Meny</nav><main id=\"main\" {MARK}>{body}</main><footer>Sidfot</footer></body></html>"
        )
    }

    #[test]
    fn a_record_holds_the_marked_text_without_what_is_ignored() {
        let html = page(
            "<article><h1>Läxhjälp <em>på</em> Råby</h1><p>Sommar<wbr>jobb &amp; 12&nbsp;345 elever</p><nav data-pagefind-ignore><ul><li>Innehåll</li></ul></nav><section class=\"x\" data-pagefind-ignore><section><p>Kort</p></section></section><p>Slut<br>rad</p><script>var x = '<p>';</script></article>",
        );
        let r = record(Path::new("program/x/index.html"), html.as_bytes()).unwrap();
        assert_eq!(r.url, "/program/x/");
        assert_eq!(r.lang, "sv");
        assert_eq!(r.title, "Läxhjälp på Råby");
        assert_eq!(
            r.text,
            "Läxhjälp på Råby Sommarjobb & 12\u{a0}345 elever Slut rad"
        );
    }

    #[test]
    fn the_mark_counts_only_as_an_attribute_in_the_body() {
        // In the title, a text or an attribute's value, the words are not the mark.
        let html = "<!DOCTYPE html>\n<html lang=\"sv\"><head><title>Om data-pagefind-body</title></head><body><nav title=\"data-pagefind-body\">Meny</nav><p>Skriv data-pagefind-body</p><main data-pagefind-body><h1>Rubrik</h1><div title=\"x data-pagefind-ignore\">Kvar</div><div class=\"a\" data-pagefind-ignore=\"\">Bort</div></main><footer>Sidfot</footer></body></html>";
        let r = record(Path::new("a/index.html"), html.as_bytes()).unwrap();
        assert_eq!(r.text, "Rubrik Kvar");
        let unmarked = "<html lang=\"sv\"><head><title>data-pagefind-body</title></head><body><p>data-pagefind-body</p></body></html>";
        assert_eq!(record(Path::new("b/index.html"), unmarked.as_bytes()), None);
    }

    #[test]
    fn only_marked_html_pages_are_recorded() {
        let plain = "<html lang=\"sv\"><body><main><h1>X</h1></main></body></html>";
        assert_eq!(record(Path::new("a/index.html"), plain.as_bytes()), None);
        let marked = page("<h1>X</h1>");
        assert_eq!(record(Path::new("a/style.css"), marked.as_bytes()), None);
        let r = record(Path::new("index.html"), marked.as_bytes()).unwrap();
        assert_eq!((r.url.as_str(), r.title.as_str()), ("/", "X"));
        // Without an h1, the page's <title>.
        let r = record(Path::new("b/index.html"), page("<p>y</p>").as_bytes()).unwrap();
        assert_eq!(r.title, "T – Site");
    }

    #[test]
    fn search_is_left_out_above_the_most_pages_it_can_index() {
        assert!(too_many_pages(PAGES_MAX).is_none());
        let d = too_many_pages(PAGES_MAX + 1).unwrap();
        assert!(d.message.contains("20001 pages"), "{}", d.message);
    }

    #[test]
    fn decodes_character_references() {
        // An ampersand before letters of more than one byte, and no `;` near it.
        assert_eq!(
            decode("Råby & Bäckby & Gottsunda"),
            "Råby & Bäckby & Gottsunda"
        );
        assert_eq!(decode("&åäöåäöåäö;"), "&åäöåäöåäö;");
        assert_eq!(
            decode("a &lt;b&gt; &#39;c&#x27; &quot;&amp;amp; & x;"),
            "a <b> 'c' \"&amp; & x;"
        );
    }

    #[test]
    fn the_same_records_give_the_same_index_with_only_the_files_it_needs() {
        let mut records = Records::new();
        for (i, (lang, word)) in [("sv", "sommarjobb"), ("en", "pupils"), ("sv", "läxhjälp")]
            .into_iter()
            .enumerate()
        {
            records.insert(
                PathBuf::from(format!("p{i}/index.html")),
                Record {
                    url: format!("/p{i}/"),
                    lang: lang.to_string(),
                    title: format!("Page {i}"),
                    text: format!("Text with {word} in it"),
                },
            );
        }
        let a = index(&records).unwrap();
        let b = index(&records).unwrap();
        assert_eq!(a, b);
        let names: Vec<String> = a
            .iter()
            .map(|(p, _)| p.to_string_lossy().into_owned())
            .collect();
        assert!(
            names.contains(&"pagefind/pagefind.js".to_string()),
            "{names:?}"
        );
        assert!(names.contains(&"pagefind/pagefind-entry.json".to_string()));
        assert!(names.contains(&"pagefind/wasm.sv.pagefind".to_string()));
        assert!(names.contains(&"pagefind/wasm.en.pagefind".to_string()));
        assert!(
            !names
                .iter()
                .any(|n| n.contains("-ui") || n.contains("worker") || n.contains("unknown")),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/sv_")));
        assert!(names.iter().any(|n| n.starts_with("pagefind/index/en_")));
    }
}
