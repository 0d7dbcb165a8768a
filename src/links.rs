//! Links: turns link destinations written in Markdown (`laxhjalpen.md#resultat`,
//! `bild.jpg`, from the root of `content/` `@/program/laxhjalpen.md`, and generated pages
//! `@/key-figures`) into URLs relative to the page they appear on, or says why it cannot.
//! Pure: answers from the model and the generated pages' names in `report`, implementing
//! markdown's [`Links`]; uses the URL helpers and the did-you-mean hints.

use crate::images;
use crate::markdown::{Links, Picture, Resolved};
use crate::model::{Site, Unpublished};
use crate::report::{self, Generated};

use crate::html::percent_encode_path;

/// `../` once per folder level of `url`.
pub fn root_prefix(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// A link from a page with `root` prefix to the root-relative `target`.
pub fn href(root: &str, target: &str) -> String {
    let s = format!("{root}{target}");
    if s.is_empty() { "./".to_string() } else { s }
}

/// Resolves Markdown link destinations against the site's pages and files.
pub struct SiteLinks<'a> {
    pub site: &'a Site,
    /// The Markdown file and its folder, relative to `content/`.
    pub self_rel: String,
    pub from_dir: String,
    /// The output file of the page being rendered, for same-page `#fragment` links.
    pub self_file: String,
    /// From the page's URL back to the site root.
    pub root: String,
    /// The page that shows a metric's key-figures table (a part of the key-figures page
    /// on a large site), relative to the site root, for `@/nyckeltal#metric-ID`.
    pub key_figure_url: &'a (dyn Fn(&crate::metrics::Metric) -> String + Sync),
}

fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Joins `rel` onto `dir` and folds `.` and `..`; `None` when it leaves `content/`.
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A link `@/name` that names no generated page and no file or folder of `content/`.
fn unknown_generated(link: &Inside) -> String {
    let names = Generated::ALL.into_iter().flat_map(Generated::names);
    let hint = match crate::suggest::closest(&link.target, names) {
        Some(near) => format!("did you mean `{ROOT}{near}`?"),
        None => {
            let all: Vec<String> = Generated::ALL
                .iter()
                .map(|g| format!("`{ROOT}{}`", g.names()[0]))
                .collect();
            format!("the generated pages are {}", all.join(", "))
        }
    };
    format!(
        "link to `{}`, but there is no generated page `{}` and no file content/{}; {hint}",
        link.path, link.target, link.target
    )
}

/// `; did you mean …? names must match in upper and lower case`, for a link `written`
/// to the path that is `right` (relative to `content/`) in other case.
fn case_hint(written: &str, right: &str) -> String {
    format!(
        "; did you mean `{}`? names must match in upper and lower case",
        respell(written, right)
    )
}

/// The path `written` with the names after its last `.` or `..` spelt as the ends of
/// `right`, the same path in other case: `../Program/A.md` → `../program/a.md`.
fn respell(written: &str, right: &str) -> String {
    let parts: Vec<&str> = written.split('/').collect();
    let keep = parts
        .iter()
        .enumerate()
        .rposition(|(i, p)| matches!(*p, "" | "." | "..") || (i == 0 && *p == "@"))
        .map_or(0, |i| i + 1);
    let names: Vec<&str> = right.split('/').collect();
    let tail = &names[names.len().saturating_sub(parts.len() - keep)..];
    let tail = tail.iter().map(|n| {
        if written.contains('%') {
            percent_encode_path(n)
        } else {
            n.to_string()
        }
    });
    parts[..keep]
        .iter()
        .map(|p| p.to_string())
        .chain(tail)
        .collect::<Vec<_>>()
        .join("/")
}

/// Lenient percent-decoding of a link as written: a malformed escape is kept as it is
/// and invalid UTF-8 replaced (unlike the strict [`crate::html::percent_decode`], which
/// refuses both).
fn percent_decode_lenient(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Links for SiteLinks<'_> {
    /// An image in `content/` with smaller versions: their URLs from this page.
    fn image(&self, dest: &str) -> Option<Picture> {
        if dest.starts_with(['#', '/']) || has_scheme(dest) {
            return None;
        }
        let path = dest.split(['#', '?']).next().unwrap_or(dest);
        let (dir, from_root) = match path.strip_prefix(ROOT) {
            Some(rest) => ("", rest),
            None => (self.from_dir.as_str(), path),
        };
        let target = join(dir, &percent_decode_lenient(from_root))?;
        let info = self.site.images.get(&target)?;
        let url = |rel: &str| format!("{}{}", self.root, percent_encode_path(rel));
        let (mut own, mut webp) = (Vec::new(), Vec::new());
        for v in images::versions(&target, info) {
            let list = if v.format == info.format {
                &mut own
            } else {
                &mut webp
            };
            list.push((url(&v.rel), v.width));
        }
        let &(ref src, width) = own.last()?;
        Some(Picture {
            src: src.clone(),
            width,
            height: images::height_at(info, width),
            own,
            webp,
        })
    }

    fn resolve(&self, dest: &str) -> Result<Resolved, String> {
        if let Some(fragment) = dest.strip_prefix('#') {
            return Ok(Resolved {
                url: dest.to_string(),
                target: Some((self.self_file.clone(), percent_decode_lenient(fragment))),
                external: false,
                lang: None,
            });
        }
        if dest.is_empty() {
            return Ok(Resolved::unchanged(dest));
        }
        if dest.starts_with("//") || has_scheme(dest) {
            return Ok(Resolved {
                external: true,
                ..Resolved::unchanged(dest)
            });
        }
        if dest.starts_with('/') {
            return Err(format!(
                "link `{dest}` starts with /, which breaks when the report is published in a sub-folder; write the path from this file instead, e.g. `../program/laxhjalpen.md`"
            ));
        }
        let (path, fragment) = match dest.find(['#', '?']) {
            Some(i) => dest.split_at(i),
            None => (dest, ""),
        };
        let (dir, from_root) = match path.strip_prefix(ROOT) {
            Some(rest) => ("", rest),
            None => (self.from_dir.as_str(), path),
        };
        let Some(target) = join(dir, &percent_decode_lenient(from_root)) else {
            return Err(format!("link `{dest}` points outside the content/ folder"));
        };
        let link = Inside {
            dest,
            path,
            fragment,
            target,
            from_root: from_root.len() < path.len(),
        };
        if link.from_root
            && let Some(generated) = Generated::by_name(&link.target)
        {
            return self.to_generated(&link, generated);
        }
        if link.target.to_ascii_lowercase().ends_with(".md") {
            self.to_markdown(link)
        } else {
            self.to_file(link)
        }
    }
}

/// What starts a link written from the root of `content/`, or to a generated page.
const ROOT: &str = "@/";

/// A relative link inside `content/`, taken apart.
struct Inside<'d> {
    /// As written.
    dest: &'d str,
    /// Before the `#` or `?`, as written.
    path: &'d str,
    /// From the `#` or `?` on; empty when there is none.
    fragment: &'d str,
    /// The file it names, relative to `content/`, decoded.
    target: String,
    /// Written from the root of `content/`, after `@/`.
    from_root: bool,
}

impl SiteLinks<'_> {
    /// Where a link to the page or section at `url` leads (its `index.html`).
    fn to_page(&self, link: &Inside, url: &str) -> Resolved {
        Resolved {
            url: format!("{}{}", href(&self.root, url), link.fragment),
            target: Some((
                format!("{url}index.html"),
                percent_decode_lenient(link.fragment.trim_start_matches('#')),
            )),
            external: false,
            lang: None,
        }
    }

    /// A link to a Markdown file: a published page, a section's `_index.md`, or an error
    /// saying why not (a draft, or no such page, with the closest name).
    fn to_markdown(&self, link: Inside) -> Result<Resolved, String> {
        let (site, target, path) = (self.site, link.target.as_str(), link.path);
        if let Some(p) = site.page_by_rel(target) {
            return Ok(Resolved {
                lang: p.lang.map(crate::i18n::Lang::code),
                ..self.to_page(&link, &p.url)
            });
        }
        match site.unpublished.get(target) {
            // That page's own errors stop the build; do not add one here.
            Some(Unpublished::Invalid) => return Ok(Resolved::unchanged(link.dest)),
            Some(Unpublished::Draft) => {
                return Err(format!(
                    "link to `{path}`, a draft (draft: true) that is not published; remove the link, or publish the page"
                ));
            }
            None => {}
        }
        // A section's own `_index.md` (in an edition, `_index.en.md`).
        let own_index = match site.edition {
            0 => "_index.md".to_string(),
            _ => format!("_index.{}.md", site.config.lang.code()),
        };
        let own_dir = target
            .strip_suffix(own_index.as_str())
            .map(|d| d.trim_end_matches('/'));
        if let Some(s) = own_dir.and_then(|d| site.sections.iter().find(|s| s.dir == d)) {
            return Ok(self.to_page(&link, &s.url));
        }
        // A page or section of another edition: a translation's link to a page in the
        // default language, or the other way round.
        if let Some(editions) = &site.editions
            && let Some((lang, url)) = editions.page_elsewhere(site.edition, target)
        {
            return Ok(Resolved {
                url: format!("{}{}{url}{}", self.root, site.up_to_site(), link.fragment),
                target: None,
                external: false,
                lang: Some(lang.code()),
            });
        }
        let dir = target
            .strip_suffix("_index.md")
            .map(|d| d.trim_end_matches('/'));
        if let Some(s) = dir.and_then(|d| site.sections.iter().find(|s| s.dir == d)) {
            return Ok(self.to_page(&link, &s.url));
        }
        if let Some(p) = site.page_in_other_case(target) {
            return Err(format!(
                "link to `{path}`, but there is no page content/{target}{}",
                case_hint(path, &p.rel)
            ));
        }
        let known = site
            .pages
            .iter()
            .map(|p| p.rel.as_str())
            .filter(|rel| *rel != self.self_rel);
        let hint = match crate::suggest::closest(target, known) {
            Some(near) if link.from_root => format!("; did you mean `{ROOT}{near}`?"),
            Some(near) => {
                let prefix = format!("{}/", self.from_dir);
                let near = near.strip_prefix(prefix.as_str()).unwrap_or(near);
                format!("; did you mean `{near}`?")
            }
            None => String::new(),
        };
        Err(format!(
            "link to `{path}`, but there is no page content/{target}{hint}"
        ))
    }

    /// A link to anything else: a section's folder, or a file copied from `content/`.
    fn to_file(&self, link: Inside) -> Result<Resolved, String> {
        if let Some(s) = self.site.sections.iter().find(|s| s.dir == link.target) {
            return Ok(self.to_page(&link, &s.url));
        }
        let (path, fragment) = (link.path, link.fragment);
        if self.site.has_asset(&link.target) {
            return Ok(Resolved {
                url: format!(
                    "{}{}{fragment}",
                    self.root,
                    percent_encode_path(&link.target)
                ),
                target: Some((link.target, String::new())),
                external: false,
                lang: None,
            });
        }
        if let Some(right) = self.site.asset_in_other_case(&link.target) {
            return Err(format!(
                "link to `{path}`, but there is no file content/{}{}",
                link.target,
                case_hint(path, right)
            ));
        }
        if let Some(frozen) = self.to_archive(&link) {
            return frozen;
        }
        if link.from_root && !link.target.contains(['/', '.']) {
            return Err(unknown_generated(&link));
        }
        Err(format!(
            "link to `{path}`, but there is no file content/{}; check the name, or put the file there",
            link.target
        ))
    }

    /// A link into a frozen earlier year (`@/2023/program/x/`, `@/2023/`): to a page or a
    /// file it has, or why not. `None` when the link names no frozen year.
    fn to_archive(&self, link: &Inside) -> Option<Result<Resolved, String>> {
        let target = link.target.as_str();
        let (year, rest) = target.split_once('/').unwrap_or((target, ""));
        let f = self
            .site
            .archive
            .iter()
            .find(|f| f.year.to_string() == year)?;
        let page = match rest {
            "" => "index.html".to_string(),
            _ => format!("{rest}/index.html"),
        };
        let url = if f.has(&page) {
            page.trim_end_matches("index.html").to_string()
        } else if !rest.is_empty() && f.has(rest) {
            rest.to_string()
        } else {
            return Some(Err(format!(
                "link to `{}`, but the frozen {year} edition has no page or file `{rest}`; check the address in archive/{year}/",
                link.path
            )));
        };
        let up = self.site.up_to_output();
        Some(Ok(Resolved {
            url: format!(
                "{}{up}{year}/{}{}",
                self.root,
                percent_encode_path(&url),
                link.fragment
            ),
            target: None,
            external: false,
            lang: None,
        }))
    }

    /// A link to a generated page, or why this site does not have it.
    fn to_generated(&self, link: &Inside, page: Generated) -> Result<Resolved, String> {
        if page.made_for(self.site) {
            let metric = link
                .fragment
                .strip_prefix("#metric-")
                .filter(|_| page == Generated::KeyFigures)
                .and_then(|id| self.site.metrics.get(percent_decode_lenient(id).as_str()));
            if let Some(m) = metric {
                return Ok(self.to_page(link, &(self.key_figure_url)(m)));
            }
            let url = page.url(&report::urls(self.site.config.lang));
            return Ok(self.to_page(link, url));
        }
        // While freezing a year, the list of reports is the live site's, at its root.
        if page == Generated::Previous && self.site.config.frozen.is_some() {
            let url = page.url(&report::urls(self.site.config.lang));
            return Ok(Resolved {
                url: format!(
                    "{}{}{url}{}",
                    self.root,
                    self.site.up_to_output(),
                    link.fragment
                ),
                target: None,
                external: false,
                lang: None,
            });
        }
        let why = match page {
            Generated::Previous => {
                "this site has no list of earlier reports yet: it is made once archive/ holds a frozen year (`hallbar archive`); remove the link until then"
            }
            Generated::GriIndex => {
                "this site has no GRI index: it is made only when a page or a metric names a GRI disclosure (e.g. `gri: [\"413-1\"]`); name one, or remove the link"
            }
            _ => {
                "this site has no page of global goals: it is made only when a page names a goal (e.g. `sdg: [3]`); name one, or remove the link"
            }
        };
        Err(format!("link to `{}`, but {why}", link.path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls() {
        assert_eq!(root_prefix(""), "");
        assert_eq!(root_prefix("program/x/"), "../../");
        assert_eq!(href("", ""), "./");
        assert_eq!(href("../../", "program/"), "../../program/");
    }

    #[test]
    fn joins_paths() {
        assert_eq!(join("program", "x.md").as_deref(), Some("program/x.md"));
        assert_eq!(join("program", "../a/./b.md").as_deref(), Some("a/b.md"));
        assert_eq!(join("", "../x.md"), None);
    }

    #[test]
    fn respells_the_names_after_the_last_dots() {
        assert_eq!(
            respell("../Program/A.md", "program/a.md"),
            "../program/a.md"
        );
        assert_eq!(
            respell("Bilder/X.PNG", "program/bilder/x.png"),
            "bilder/x.png"
        );
        assert_eq!(
            respell("./Min%20Bild.PNG", "Min bild.png"),
            "./Min%20bild.png"
        );
        assert_eq!(respell("A.md", "a.md"), "a.md");
        assert_eq!(respell("@/Program/A.md", "program/a.md"), "@/program/a.md");
    }

    #[test]
    fn schemes_and_encoding() {
        assert!(has_scheme("https://x.se") && has_scheme("mailto:a@b.se"));
        assert!(!has_scheme("bild.jpg") && !has_scheme("a/b:c"));
        assert_eq!(
            percent_decode_lenient("Min%20rapport.pdf"),
            "Min rapport.pdf"
        );
    }
}
