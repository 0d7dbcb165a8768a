//! The report's generated parts: where the generated pages live and the names links give
//! them (`@/key-figures`), the key-figures groups, the GRI content index, the page of UN
//! sustainable development goals, and the open-data downloads (JSON, CSV and, in
//! [`xlsx`], an Excel workbook).
//! Pure functions of the model (goal names from `i18n`); `render` puts them into pages.

mod xlsx;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::i18n::{self, Lang};
use crate::metrics::Metric;
use crate::model::{Page, Site};

/// Where the generated pages live, relative to the site root.
pub struct Urls {
    pub key_figures: &'static str,
    pub gri_index: &'static str,
    pub sdg: &'static str,
    pub print: &'static str,
    pub accessibility: &'static str,
}

pub fn urls(lang: Lang) -> Urls {
    match lang {
        Lang::Sv => Urls {
            key_figures: "nyckeltal/",
            gri_index: "gri-index/",
            sdg: "globala-malen/",
            print: "utskrift/",
            accessibility: "tillganglighet/",
        },
        Lang::En => Urls {
            key_figures: "key-figures/",
            gri_index: "gri-index/",
            sdg: "global-goals/",
            print: "print/",
            accessibility: "accessibility/",
        },
    }
}

/// A generated page, as a Markdown link names it: `[nyckeltalen](@/key-figures)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generated {
    KeyFigures,
    GriIndex,
    Sdg,
    Print,
    Accessibility,
}

impl Generated {
    pub const ALL: [Generated; 5] = [
        Generated::KeyFigures,
        Generated::GriIndex,
        Generated::Sdg,
        Generated::Print,
        Generated::Accessibility,
    ];

    /// The names a link may give it after `@/`: the English URL name and the Swedish one.
    /// Both work on every site, whatever its language.
    pub fn names(self) -> [&'static str; 2] {
        let (en, sv) = (urls(Lang::En), urls(Lang::Sv));
        [self.url(&en), self.url(&sv)].map(|u| u.trim_end_matches('/'))
    }

    /// The page named `name` (without `@/`; a trailing `/` is allowed).
    pub fn by_name(name: &str) -> Option<Generated> {
        let name = name.strip_suffix('/').unwrap_or(name);
        Generated::ALL
            .into_iter()
            .find(|g| g.names().contains(&name))
    }

    /// Its URL among `urls`.
    pub fn url(self, urls: &Urls) -> &'static str {
        match self {
            Generated::KeyFigures => urls.key_figures,
            Generated::GriIndex => urls.gri_index,
            Generated::Sdg => urls.sdg,
            Generated::Print => urls.print,
            Generated::Accessibility => urls.accessibility,
        }
    }

    /// Whether `site` has this page (the GRI index and the goals page only when something
    /// names a disclosure or a goal).
    pub fn made_for(self, site: &Site) -> bool {
        match self {
            Generated::GriIndex => site.names_gri(),
            Generated::Sdg => site.names_sdg(),
            _ => true,
        }
    }
}

/// The generated pages this site has (the GRI index and the goals page only when some
/// page or metric names a disclosure or a goal), with their titles.
pub fn pages(site: &Site) -> Vec<(&'static str, &'static str)> {
    let u = urls(site.config.lang);
    let t = crate::i18n::texts(site.config.lang);
    Generated::ALL
        .into_iter()
        .filter(|g| g.made_for(site))
        .map(|g| {
            let title = match g {
                Generated::KeyFigures => t.key_figures,
                Generated::GriIndex => t.gri_index,
                Generated::Sdg => t.sdg_page,
                Generated::Print => t.print,
                Generated::Accessibility => t.accessibility,
            };
            (g.url(&u), title)
        })
        .collect()
}

pub const METRICS_JSON: &str = "data/metrics.json";
pub const METRICS_CSV: &str = "data/metrics.csv";
pub const METRICS_XLSX: &str = "data/metrics.xlsx";

pub use xlsx::{XLSX_ROWS_MAX, metrics_xlsx};

/// Metrics grouped by the programme they belong to, in the order of the programmes'
/// sections; metrics without a programme come last (`None`).
pub fn metric_groups(site: &Site) -> Vec<(Option<&Page>, Vec<&Metric>)> {
    let mut by_program: BTreeMap<&str, Vec<&Metric>> = BTreeMap::new();
    let mut other = Vec::new();
    for m in site.metrics.values() {
        match m.program.as_ref().and_then(|(p, _)| site.page_by_rel(p)) {
            Some(p) => by_program.entry(p.rel.as_str()).or_default().push(m),
            None => other.push(m),
        }
    }
    let mut groups: Vec<(Option<&Page>, Vec<&Metric>)> = site
        .sections
        .iter()
        .flat_map(|s| s.pages.iter().map(|&i| &site.pages[i]))
        .filter_map(|p| by_program.remove(p.rel.as_str()).map(|ms| (Some(p), ms)))
        .collect();
    if !other.is_empty() {
        groups.push((None, other));
    }
    groups
}

/// One place a GRI disclosure is reported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Location {
    pub title: String,
    /// Relative to the site root, with an optional `#fragment`.
    pub url: String,
}

/// A row of the GRI content index.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GriRow {
    pub standard: String,
    pub code: String,
    pub title: String,
    pub locations: Vec<Location>,
}

fn gri_key(code: &str) -> (u32, u32, String) {
    let (std, rest) = code.split_once('-').unwrap_or((code, ""));
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let suffix: String = rest.chars().skip_while(char::is_ascii_digit).collect();
    (
        std.parse().unwrap_or(0),
        digits.parse().unwrap_or(0),
        suffix,
    )
}

/// Every GRI disclosure that a page or a metric names, sorted by code.
pub fn gri_rows(site: &Site) -> Vec<GriRow> {
    let mut rows: BTreeMap<(u32, u32, String), GriRow> = BTreeMap::new();
    let mut add = |code: &str, loc: Location| {
        let row = rows.entry(gri_key(code)).or_insert_with(|| GriRow {
            standard: gri_standard(code),
            code: code.to_string(),
            title: gri_disclosure(code).unwrap_or_default().to_string(),
            locations: Vec::new(),
        });
        if !row.locations.contains(&loc) {
            row.locations.push(loc);
        }
    };
    for s in &site.sections {
        for &i in &s.pages {
            let p = &site.pages[i];
            for code in &p.meta.gri {
                add(
                    code,
                    Location {
                        title: p.meta.title.clone(),
                        url: p.url.clone(),
                    },
                );
            }
        }
    }
    let kf = urls(site.config.lang).key_figures;
    for m in site.metrics.values() {
        for code in &m.gri {
            add(
                code,
                Location {
                    title: m.label.clone(),
                    url: format!("{kf}#metric-{}", m.id),
                },
            );
        }
    }
    rows.into_values().collect()
}

/// The GRI Standard a disclosure belongs to: `413-1` → `GRI 413: Local Communities 2016`.
pub fn gri_standard(code: &str) -> String {
    let n = gri_key(code).0;
    let name = match n {
        2 => "General Disclosures 2021",
        3 => "Material Topics 2021",
        201 => "Economic Performance 2016",
        202 => "Market Presence 2016",
        203 => "Indirect Economic Impacts 2016",
        204 => "Procurement Practices 2016",
        205 => "Anti-corruption 2016",
        206 => "Anti-competitive Behavior 2016",
        207 => "Tax 2019",
        301 => "Materials 2016",
        302 => "Energy 2016",
        303 => "Water and Effluents 2018",
        304 => "Biodiversity 2016",
        305 => "Emissions 2016",
        306 => "Waste 2020",
        308 => "Supplier Environmental Assessment 2016",
        401 => "Employment 2016",
        402 => "Labor/Management Relations 2016",
        403 => "Occupational Health and Safety 2018",
        404 => "Training and Education 2016",
        405 => "Diversity and Equal Opportunity 2016",
        406 => "Non-discrimination 2016",
        407 => "Freedom of Association and Collective Bargaining 2016",
        408 => "Child Labor 2016",
        409 => "Forced or Compulsory Labor 2016",
        410 => "Security Practices 2016",
        411 => "Rights of Indigenous Peoples 2016",
        413 => "Local Communities 2016",
        414 => "Supplier Social Assessment 2016",
        415 => "Public Policy 2016",
        416 => "Customer Health and Safety 2016",
        417 => "Marketing and Labeling 2016",
        418 => "Customer Privacy 2016",
        _ => return format!("GRI {n}"),
    };
    format!("GRI {n}: {name}")
}

/// The titles of the disclosures a housing company's social report names most.
fn gri_disclosure(code: &str) -> Option<&'static str> {
    Some(match code {
        "2-29" => "Approach to stakeholder engagement",
        "203-1" => "Infrastructure investments and services supported",
        "203-2" => "Significant indirect economic impacts",
        "401-1" => "New employee hires and employee turnover",
        "404-1" => "Average hours of training per year per employee",
        "405-1" => "Diversity of governance bodies and employees",
        "413-1" => {
            "Operations with local community engagement, impact assessments, and development programs"
        }
        "413-2" => {
            "Operations with significant actual and potential negative impacts on local communities"
        }
        _ => return None,
    })
}

/// A goal and the programmes that name it.
#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    pub number: u8,
    pub name: &'static str,
    pub pages: Vec<Location>,
}

/// The goals that at least one page names, in goal order.
pub fn sdg_goals(site: &Site) -> Vec<Goal> {
    (1..=17u8)
        .filter_map(|n| {
            let pages: Vec<Location> = site
                .sections
                .iter()
                .flat_map(|s| s.pages.iter().map(|&i| &site.pages[i]))
                .filter(|p| p.meta.sdg.contains(&n))
                .map(|p| Location {
                    title: p.meta.title.clone(),
                    url: p.url.clone(),
                })
                .collect();
            (!pages.is_empty()).then(|| Goal {
                number: n,
                name: i18n::sdg_name(n, site.config.lang),
                pages,
            })
        })
        .collect()
}

#[derive(Serialize)]
struct JsonMetric<'a> {
    id: &'a str,
    label: &'a str,
    unit: &'a str,
    values: ByYear<'a>,
    target: ByYear<'a>,
    program: Option<&'a str>,
    source: Option<&'a str>,
    decimals: Option<u8>,
    gri: &'a [String],
    note: Option<&'a str>,
}

/// Values as a JSON object keyed by year, written straight from the metric.
struct ByYear<'a>(&'a crate::metrics::Years);

impl Serialize for ByYear<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(y, v)| (y.to_string(), v)))
    }
}

/// Every metric, serialised one by one as the file is written (a site may have a million).
struct AllMetrics<'a>(&'a Site);

impl Serialize for AllMetrics<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.metrics.values().map(|m| JsonMetric {
            id: &m.id,
            label: &m.label,
            unit: &m.unit,
            values: ByYear(&m.values),
            target: ByYear(&m.target),
            program: m.program.as_ref().map(|(p, _)| p.as_str()),
            source: m.source.as_deref(),
            decimals: m.decimals,
            gri: &m.gri,
            note: m.note.as_deref(),
        }))
    }
}

#[derive(Serialize)]
struct JsonFile<'a> {
    title: &'a str,
    language: &'a str,
    metrics: AllMetrics<'a>,
}

/// Every metric with all its fields, sorted by id; keys in a fixed order.
pub fn metrics_json(site: &Site) -> String {
    let file = JsonFile {
        title: &site.config.title,
        language: site.config.lang.code(),
        metrics: AllMetrics(site),
    };
    let mut s = serde_json::to_string_pretty(&file).unwrap_or_default();
    s.push('\n');
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One row per metric and year (RFC 4180, CRLF, UTF-8 with a byte-order mark so that
/// spreadsheet programs show å, ä and ö). Numbers as in the YAML, with a decimal point.
pub fn metrics_csv(site: &Site) -> String {
    let mut s = String::from("\u{feff}id,label,unit,year,value,target,program,source\r\n");
    for m in site.metrics.values() {
        let years: std::collections::BTreeSet<i32> =
            m.values.keys().chain(m.target.keys()).copied().collect();
        for y in years {
            let num = |v: Option<&f64>| v.map(|v| v.to_string()).unwrap_or_default();
            let row = [
                csv_field(&m.id),
                csv_field(&m.label),
                csv_field(&m.unit),
                y.to_string(),
                num(m.values.get(&y)),
                num(m.target.get(&y)),
                csv_field(m.program.as_ref().map_or("", |(p, _)| p.as_str())),
                csv_field(m.source.as_deref().unwrap_or("")),
            ];
            s.push_str(&row.join(","));
            s.push_str("\r\n");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gri_codes_sort_numerically_and_have_standards() {
        let mut codes = vec!["413-1", "2-29", "305-4a", "305-10", "305-4"];
        codes.sort_by_key(|c| gri_key(c));
        assert_eq!(codes, vec!["2-29", "305-4", "305-4a", "305-10", "413-1"]);
        assert_eq!(gri_standard("413-1"), "GRI 413: Local Communities 2016");
        assert_eq!(gri_standard("999-1"), "GRI 999");
    }

    #[test]
    fn generated_pages_have_an_english_and_a_swedish_name() {
        assert_eq!(
            Generated::by_name("key-figures"),
            Some(Generated::KeyFigures)
        );
        assert_eq!(
            Generated::by_name("nyckeltal/"),
            Some(Generated::KeyFigures)
        );
        assert_eq!(Generated::by_name("globala-malen"), Some(Generated::Sdg));
        assert_eq!(Generated::GriIndex.names(), ["gri-index", "gri-index"]);
        assert_eq!(Generated::by_name("program"), None);
    }

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("säg \"hej\""), "\"säg \"\"hej\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
