//! The files beside the pages: open data (metrics.json, .csv, .xlsx), robots.txt,
//! sitemap.xml, the smaller versions of the content's images, and the theme's and the
//! content's own files copied as they are. Uses the model, the report and images modules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{Output, With};
use crate::diag::{Diagnostics, Pos};
use crate::html::{escape, percent_encode_path};
use crate::model::Site;
use crate::report;

/// The open data: every metric as JSON, as CSV and as an Excel workbook. A workbook that
/// cannot be made (nothing in a checked site should stop it) is an error.
pub(super) fn open_data(site: &Site, diags: &mut Diagnostics) -> Vec<(PathBuf, Vec<u8>)> {
    // The workbook takes longest; the two text files are made beside it.
    let (xlsx, (json, csv)) = rayon::join(
        || report::metrics_xlsx(site),
        || rayon::join(|| report::metrics_json(site), || report::metrics_csv(site)),
    );
    let mut files = vec![
        (PathBuf::from(report::METRICS_JSON), json.into_bytes()),
        (PathBuf::from(report::METRICS_CSV), csv.into_bytes()),
    ];
    match xlsx {
        Ok(bytes) => files.push((PathBuf::from(report::METRICS_XLSX), bytes)),
        Err(e) => diags.error(
            Path::new("content"),
            Pos::START,
            format!("could not make {}: {e}", report::METRICS_XLSX),
        ),
    }
    files
}

/// robots.txt, and sitemap.xml when the site has a `base_url`.
/// An edition in another language has none of its own: the site's are at its root and
/// list every edition.
pub(super) fn crawler_files(site: &Site) -> Vec<(PathBuf, Vec<u8>)> {
    if site.edition > 0 {
        return Vec::new();
    }
    let mut files = vec![(PathBuf::from("robots.txt"), robots(site).into_bytes())];
    if let Some(sitemap) = sitemap(site) {
        files.push((PathBuf::from("sitemap.xml"), sitemap.into_bytes()));
    }
    files
}

/// The smaller versions of the content's images, beside them (see `crate::images`); the
/// ones made afresh are kept for the cache.
pub(super) fn image_versions(site: &Site, out: &mut Output, with: &With, diags: &mut Diagnostics) {
    let (made, errors) = crate::images::make(&site.assets, &site.images, with.images);
    for e in errors {
        diags.push(e);
    }
    for (path, bytes) in made.files {
        out.put(with, path, bytes);
    }
    out.fresh_images = made.fresh;
}

/// The theme's static files and the content's images and other files.
pub(super) fn copied_files(site: &Site, out: &mut Output, with: &With, diags: &mut Diagnostics) {
    for (path, bytes) in &site.theme.statics {
        // The built-in search page's script, on a site without search.
        if !site.config.search && crate::theme::is_builtin_search_script(path, bytes) {
            continue;
        }
        let origin = Path::new("themes")
            .join(&site.config.theme)
            .join("static")
            .join(path);
        add_file(out, with, path, bytes, &origin, diags);
    }
    for asset in &site.assets {
        let origin = Path::new("content").join(&asset.rel);
        add_file(out, with, &asset.rel, &asset.bytes, &origin, diags);
    }
}

/// The frozen editions of earlier years, byte for byte under `<year>/`; the site's own
/// files must leave those folders to them. Only the default language's edition has them.
pub(super) fn archived(site: &Site, out: &mut Output, with: &With, diags: &mut Diagnostics) {
    // An edition being frozen links to the frozen years but does not hold them.
    if site.edition > 0 || site.config.frozen.is_some() {
        return;
    }
    for f in site.archive.iter() {
        let folder = PathBuf::from(f.year.to_string());
        if let Some(own) = out.paths.iter().find(|p| p.starts_with(&folder)) {
            diags.error(
                &Path::new(crate::archive::FOLDER).join(&folder),
                Pos::START,
                format!(
                    "the site makes {} itself, but {year}/ is where the frozen {year} edition is published; rename the page or folder that leads there",
                    own.to_string_lossy().replace('\\', "/"),
                    year = f.year
                ),
            );
            continue;
        }
        for (rel, bytes) in &f.files {
            out.put(with, folder.join(rel), bytes.clone());
        }
    }
}

/// The permanent address of this year's edition, `<report_year>/`: for each page of
/// every edition (`paths`, relative to the output folder), a small page there that leads
/// to it. Next year the frozen edition takes the folder, so links to it keep working.
/// None while that year is frozen already, for a site without `report_year`, and for a
/// site that keeps no earlier years (no `archive/` folder).
pub fn year_pages(
    first: &Site,
    paths: &BTreeSet<PathBuf>,
) -> Result<Vec<(PathBuf, Vec<u8>)>, crate::diag::Diagnostic> {
    let Some(year) = first.config.report_year.filter(|_| first.archiving) else {
        return Ok(Vec::new());
    };
    if first.config.frozen.is_some() || first.archive.iter().any(|f| f.year == year) {
        return Ok(Vec::new());
    }
    let folder = PathBuf::from(year.to_string());
    if let Some(own) = paths.iter().find(|p| p.starts_with(&folder)) {
        return Err(crate::diag::Diagnostic::error(
            "site.yaml",
            Pos::START,
            format!(
                "the site makes {} itself, but {year}/ is this year's permanent address (report_year: {year}), where the {year} edition will be frozen; rename the page or folder that leads there",
                own.to_string_lossy().replace('\\', "/")
            ),
        ));
    }
    // The list of reports is the live site's; a frozen year has none to take its place.
    let lists: Vec<String> = [crate::i18n::Lang::Sv, crate::i18n::Lang::En]
        .iter()
        .map(|l| format!("{}index.html", report::urls(*l).previous))
        .collect();
    let langs: Vec<(crate::i18n::Lang, String)> = match &first.editions {
        Some(e) => e.list.clone(),
        None => vec![(first.config.lang, String::new())],
    };
    let frozen: Vec<PathBuf> = first
        .archive
        .iter()
        .map(|f| PathBuf::from(f.year.to_string()))
        .collect();
    Ok(paths
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "index.html"))
        .filter(|p| !frozen.iter().any(|f| p.starts_with(f)))
        .map(|p| (p, p.to_string_lossy().replace('\\', "/")))
        .filter(|(_, rel)| !lists.iter().any(|l| rel.ends_with(l.as_str())))
        .map(|(p, rel)| {
            let lang = langs
                .iter()
                .rev()
                .find(|(_, prefix)| rel.starts_with(prefix.as_str()))
                .map_or(first.config.lang, |(l, _)| *l);
            let target = rel.strip_suffix("index.html").unwrap_or(&rel);
            let up = "../".repeat(rel.matches('/').count() + 1);
            let href = escape(&format!("{up}{}", percent_encode_path(target)));
            let canonical = first.config.base_url.as_ref().map_or(String::new(), |b| {
                format!(
                    "\n<link rel=\"canonical\" href=\"{}\">",
                    escape(&format!("{b}{}", percent_encode_path(target)))
                )
            });
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">{canonical}\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<main>\n<p><a href=\"{href}\">{text}</a></p>\n</main>\n</body>\n</html>\n",
                code = lang.code(),
                title = escape(&first.config.title),
                text = escape(&crate::i18n::year_page(year, lang)),
            );
            (folder.join(p), html.into_bytes())
        })
        .collect())
}

/// A theme's or the content's own file, unless a generated file has its place.
fn add_file(
    out: &mut Output,
    with: &With,
    path: &Path,
    bytes: &[u8],
    origin: &Path,
    diags: &mut Diagnostics,
) {
    if out.paths.contains(path) {
        diags.error(
            origin,
            Pos::START,
            format!(
                "this file would overwrite the generated {}; rename or move it",
                path.to_string_lossy().replace('\\', "/")
            ),
        );
    } else {
        out.put(with, path.to_path_buf(), bytes.to_vec());
    }
}

/// The pages of the frozen editions, by URL from the site's root (`2023/program/x/`).
fn frozen_pages(site: &Site) -> Vec<String> {
    site.archive
        .iter()
        .flat_map(|f| {
            f.files.iter().filter_map(move |(p, _)| {
                p.strip_suffix("index.html")
                    .map(|d| format!("{}/{d}", f.year))
            })
        })
        .collect()
}

/// The sitemap of a site in several languages: every page of every edition, each with
/// its versions in the other languages (`xhtml:link rel="alternate"`).
fn sitemap_of_editions(
    base: &str,
    editions: &crate::model::Editions,
    frozen: Vec<String>,
) -> String {
    let mut groups = editions.all();
    // Not the search pages: they hold no text of their own for a search engine.
    let search: Vec<String> = editions
        .list
        .iter()
        .map(|(lang, folder)| format!("{folder}{}", report::urls(*lang).search))
        .collect();
    groups.retain(|g| !g.iter().any(|(_, u)| search.contains(u)));
    for g in &mut groups {
        g.sort_by(|a, b| a.1.cmp(&b.1));
    }
    let mut rows: Vec<(String, String)> = Vec::new();
    let abs = |u: &str| escape(&format!("{base}{}", percent_encode_path(u)));
    for g in &groups {
        // The default language's version is also the `x-default`.
        let default = g
            .iter()
            .find(|(lang, _)| Some(*lang) == editions.list.first().map(|(l, _)| *l));
        let links: String = if g.len() > 1 {
            g.iter()
                .map(|(lang, u)| (lang.code(), u))
                .chain(default.map(|(_, u)| ("x-default", u)))
                .map(|(code, u)| {
                    format!(
                        "\n    <xhtml:link rel=\"alternate\" hreflang=\"{code}\" href=\"{}\"/>",
                        abs(u)
                    )
                })
                .collect()
        } else {
            String::new()
        };
        for (_, u) in g {
            rows.push((u.clone(), links.clone()));
        }
    }
    rows.extend(frozen.into_iter().map(|u| (u, String::new())));
    rows.sort();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (u, links) in rows {
        let end = if links.is_empty() { "" } else { "\n  " };
        s.push_str(&format!(
            "  <url><loc>{}</loc>{links}{end}</url>\n",
            abs(&u)
        ));
    }
    s.push_str("</urlset>\n");
    s
}

fn robots(site: &Site) -> String {
    let mut s = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        s.push_str(&format!("Sitemap: {base}sitemap.xml\n"));
    }
    s
}

fn sitemap(site: &Site) -> Option<String> {
    let base = site.config.base_url.as_ref()?;
    if let Some(editions) = &site.editions {
        return Some(sitemap_of_editions(base, editions, frozen_pages(site)));
    }
    let parts = report::key_figure_parts(site).len();
    let part_urls: Vec<String> = (1..=parts)
        .filter(|_| parts > 1)
        .map(|n| report::key_figure_part_url(site.config.lang, n))
        .collect();
    let frozen = frozen_pages(site);
    let search = report::urls(site.config.lang).search;
    let mut urls: Vec<&str> = site
        .sections
        .iter()
        .map(|s| s.url.as_str())
        .chain(site.pages.iter().map(|p| p.url.as_str()))
        .chain(
            report::pages(site)
                .into_iter()
                .map(|(u, _)| u)
                .filter(|u| *u != search),
        )
        .chain(part_urls.iter().map(String::as_str))
        .chain(frozen.iter().map(String::as_str))
        .collect();
    urls.sort_unstable();
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        s.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{base}{}", percent_encode_path(u)))
        ));
    }
    s.push_str("</urlset>\n");
    Some(s)
}
