//! The files beside the pages: open data (metrics.json, .csv, .xlsx), robots.txt,
//! sitemap.xml, the smaller versions of the content's images, and the theme's and the
//! content's own files copied as they are. Uses the model, the report and images modules.

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
    if site.edition > 0 {
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

/// The sitemap of a site in several languages: every page of every edition, each with
/// its versions in the other languages (`xhtml:link rel="alternate"`).
fn sitemap_of_editions(base: &str, editions: &crate::model::Editions) -> String {
    let mut groups = editions.all();
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
        return Some(sitemap_of_editions(base, editions));
    }
    let parts = report::key_figure_parts(site).len();
    let part_urls: Vec<String> = (1..=parts)
        .filter(|_| parts > 1)
        .map(|n| report::key_figure_part_url(site.config.lang, n))
        .collect();
    let mut urls: Vec<&str> = site
        .sections
        .iter()
        .map(|s| s.url.as_str())
        .chain(site.pages.iter().map(|p| p.url.as_str()))
        .chain(report::pages(site).into_iter().map(|(u, _)| u))
        .chain(part_urls.iter().map(String::as_str))
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
