//! Scaffolding: the files `hallbar init` and `hallbar new` write, so nobody starts from
//! an empty page or guesses a front matter key. Never overwrites a file. Writes to the
//! file system; uses only slugs and the fatal error type.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::diag::Fatal;
use crate::slug::slugify;

const SITE_YAML: &str = r##"# Settings for the report. Every key is optional; remove the # to use one.

title: Hållbarhetsredovisning          # the report's name, shown in every page's header
organisation: Vår organisation          # who publishes it
# description: En mening om rapporten.  # for search engines when a page has no summary
language: sv                            # sv or en: number format and the theme's texts
# report_year: 2026
# base_url: https://www.example.se/hallbarhet/   # only for sitemap.xml and canonical links
# theme: default                        # a folder under themes/ (the default is built in)
# accent: "#0a6b50"                     # the accent colour; needs 4.5:1 contrast on white
# accent_dark: "#6fd3ae"                # the accent in dark mode
# logo: bilder/logo.svg                 # an image under content/, in the header and the print edition
# headline: [elever]                     # the metrics of the home page's band of headline figures
# gri:
#   statement: "Vi har rapporterat enligt GRI Standards för perioden 2024-01-01–2024-12-31."
# accessibility:                        # the accessibility statement (tillganglighet/)
#   status: partial                     # full, partial or none
#   method: self                        # self or external
#   assessed: 2026-01-31
#   contact: tillganglighet@example.se
#   gaps:
#     - Beskriv kända brister här, en per rad.
# extra:                                # your own values, for your own templates
#   key: value
"##;

const HOME: &str = r#"---
title: Hållbarhetsredovisning
summary: Så arbetar vi för ett hållbart samhälle.
---

Skriv rapportens inledning här. Varje program har en egen sida i mappen `program/`.
"#;

const SECTION: &str = r#"---
title: Program
summary: Våra sociala program.
sort_by: weight
---
"#;

const METRICS: &str = r#"# Nyckeltal: varje siffra i texterna kommer härifrån, genom {{ metric(id="...") }}.
# Skriv decimaler med punkt (99.5); webbplatsen visar dem med komma.

exempel-deltagare:
  label: Deltagare i exempelprogrammet
  unit: deltagare
  values:
    2025: 12
    2026: 17
  target:
    2027: 20
  program: program/exempelprogram.md
  source: Egen räkning
"#;

/// A page with every front matter key present and explained.
pub fn page_text(title: &str, body: &str) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"---
title: "{title}"                 # required: the page's heading
summary: ""                     # one sentence, shown on the cards and to search engines
# date: 2026-12-31              # YYYY-MM-DD
weight: 10                      # order within the section: low numbers first
draft: true                     # left out of the site until you remove this line or write false
# slug: kort-namn               # the page's address instead of the file name
# template: page.html
sdg: []                         # UN sustainable development goals, numbers 1 to 17, e.g. [3, 10]
gri: []                         # GRI disclosures, e.g. ["413-1"]
partners: []                    # e.g. [Västerås stad]
# area: Bäckby
key_metrics: []                 # metric ids from a .yaml file, shown as key figures
# extra: {{}}
---

{body}"#
    )
}

/// Creates `path` with `text`; refuses when it exists.
fn create(path: &Path, text: &str) -> Result<(), Fatal> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(Fatal::io("create the folder", parent))?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Fatal::Refused(format!(
                    "{} already exists; nothing was changed",
                    path.display()
                ))
            } else {
                Fatal::io("create", path)(e)
            }
        })?;
    f.write_all(text.as_bytes())
        .map_err(Fatal::io("write", path))
}

/// Writes a complete, working site into `dir`, which must be empty or not exist.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Fatal> {
    if let Ok(mut entries) = fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(Fatal::Refused(format!(
            "{} is not empty; run hallbar init in a new or empty folder",
            dir.display()
        )));
    }
    let programme = page_text(
        "Exempelprogram",
        "Beskriv programmet här. I år deltog {{ metric(id=\"exempel-deltagare\", change=true) }}.\n\n{{ chart(id=\"exempel-deltagare\") }}\n",
    )
    .replace("draft: true ", "draft: false")
    .replace("summary: \"\"", "summary: \"Ett exempel att skriva om.\"")
    .replace("key_metrics: []", "key_metrics: [exempel-deltagare]");
    let files = [
        ("site.yaml", SITE_YAML.to_string()),
        ("content/_index.md", HOME.to_string()),
        ("content/program/_index.md", SECTION.to_string()),
        ("content/program/exempelprogram.md", programme),
        ("content/program/nyckeltal.yaml", METRICS.to_string()),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        create(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

/// Writes a new page in `content/<section>/`, named after its title.
pub fn new_page(root: &Path, section: &str, title: &str) -> Result<PathBuf, Fatal> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Fatal::Refused(format!(
            "the title `{title}` has no letters or digits to name the file after"
        )));
    }
    let mut path = root.join("content");
    path.extend(section.split('/').filter(|s| !s.is_empty()));
    path.push(format!("{slug}.md"));
    create(&path, &page_text(title, "Skriv texten här.\n"))?;
    Ok(path)
}
