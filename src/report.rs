//! The report's generated parts: where the generated pages live and the names links give
//! them (`@/key-figures`), the key-figures groups, the GRI content index, the page of UN
//! sustainable development goals, and the open-data downloads (JSON, CSV and, in
//! [`xlsx`], an Excel workbook).
//! Pure functions of the model (goal names from `i18n`); `render` puts them into pages.

mod xlsx;

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::colour::{Rgb, contrast};
use crate::gri;
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
    pub previous: &'static str,
    pub search: &'static str,
}

pub fn urls(lang: Lang) -> Urls {
    match lang {
        Lang::Sv => Urls {
            key_figures: "nyckeltal/",
            gri_index: "gri-index/",
            sdg: "globala-malen/",
            print: "utskrift/",
            accessibility: "tillganglighet/",
            previous: "tidigare-rapporter/",
            search: "sok/",
        },
        Lang::En => Urls {
            key_figures: "key-figures/",
            gri_index: "gri-index/",
            sdg: "global-goals/",
            print: "print/",
            accessibility: "accessibility/",
            previous: "previous-reports/",
            search: "search/",
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
    /// The list of this year's and the frozen earlier editions.
    Previous,
    /// The search page (unless `search: false`).
    Search,
}

impl Generated {
    pub const ALL: [Generated; 7] = [
        Generated::KeyFigures,
        Generated::GriIndex,
        Generated::Sdg,
        Generated::Print,
        Generated::Accessibility,
        Generated::Previous,
        Generated::Search,
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
            Generated::Previous => urls.previous,
            Generated::Search => urls.search,
        }
    }

    /// Whether `site` has this page (the GRI index and the goals page only when something
    /// names a disclosure or a goal).
    pub fn made_for(self, site: &Site) -> bool {
        match self {
            Generated::GriIndex => site.names_gri(),
            Generated::Sdg => site.names_sdg(),
            // Once there is an earlier year to list.
            Generated::Previous => !site.archive.is_empty() && site.config.frozen.is_none(),
            Generated::Search => site.config.search,
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
                Generated::Previous => t.previous_reports,
                Generated::Search => t.search,
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
pub fn metric_groups(site: &Site) -> Vec<Group<'_>> {
    let mut by_program: BTreeMap<&str, Vec<&Metric>> = BTreeMap::new();
    let mut other = Vec::new();
    for m in site.metrics.values() {
        match m.program.as_ref().and_then(|(p, _)| site.page_by_rel(p)) {
            Some(p) => by_program.entry(p.rel.as_str()).or_default().push(m),
            None => other.push(m),
        }
    }
    let mut groups: Vec<Group<'_>> = site
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

/// The most programmes one key-figures page holds. A site with more has a key-figures page
/// that lists parts of this many programmes each (`nyckeltal/1/`, `nyckeltal/2/`, ...):
/// a page of every metric of 10,000 programmes would be 30 MB, too large to read, and
/// rewritten whenever one value changes.
pub const KEY_FIGURE_GROUPS_MAX: usize = 50;

/// A group of metrics: the programme they belong to (`None`: no programme), and them.
pub type Group<'a> = (Option<&'a Page>, Vec<&'a Metric>);

/// The groups of [`metric_groups`] as the key-figures pages show them: all on one page,
/// or in parts of [`KEY_FIGURE_GROUPS_MAX`].
pub fn key_figure_parts(site: &Site) -> Vec<Vec<Group<'_>>> {
    let groups = metric_groups(site);
    if groups.len() <= KEY_FIGURE_GROUPS_MAX {
        return vec![groups];
    }
    let mut parts = Vec::with_capacity(groups.len().div_ceil(KEY_FIGURE_GROUPS_MAX));
    let mut groups = groups.into_iter().peekable();
    while groups.peek().is_some() {
        parts.push(groups.by_ref().take(KEY_FIGURE_GROUPS_MAX).collect());
    }
    parts
}

/// The URL of part `n` (from 1) of a split key-figures page.
pub fn key_figure_part_url(lang: Lang, n: usize) -> String {
    format!("{}{n}/", urls(lang).key_figures)
}

/// Which key-figures page shows each metric: the page itself, or one of its parts.
pub struct KeyFigurePlaces<'a> {
    /// The part number (from 1) of each programme's metrics; empty when not split.
    part_of: HashMap<&'a str, usize>,
    /// The part of the metrics without a programme.
    other: usize,
    lang: Lang,
}

impl<'a> KeyFigurePlaces<'a> {
    pub fn of(site: &'a Site) -> Self {
        let mut part_of = HashMap::new();
        let mut other = 0;
        let parts = key_figure_parts(site);
        if parts.len() > 1 {
            for (n, part) in (1..).zip(&parts) {
                for (page, _) in part {
                    match page {
                        Some(p) => {
                            part_of.insert(p.rel.as_str(), n);
                        }
                        None => other = n,
                    }
                }
            }
        }
        KeyFigurePlaces {
            part_of,
            other,
            lang: site.config.lang,
        }
    }

    /// The part that shows `m` (0 when the page is not split).
    pub fn part(&self, site: &Site, m: &Metric) -> usize {
        if self.part_of.is_empty() {
            return 0;
        }
        m.program
            .as_ref()
            .and_then(|(p, _)| site.page_by_rel(p))
            .and_then(|p| self.part_of.get(p.rel.as_str()).copied())
            .unwrap_or(self.other)
    }

    /// The URL of the page that shows `m`, relative to the site root.
    pub fn url(&self, site: &Site, m: &Metric) -> String {
        match self.part(site, m) {
            0 => urls(self.lang).key_figures.to_string(),
            n => key_figure_part_url(self.lang, n),
        }
    }
}

/// The part of the key-figures page that shows each metric, in id order (see
/// [`KeyFigurePlaces::part`]).
pub fn key_figure_part_of_each(site: &Site) -> std::sync::Arc<[u32]> {
    let places = KeyFigurePlaces::of(site);
    site.metrics
        .values()
        .map(|m| u32::try_from(places.part(site, m)).unwrap_or(u32::MAX))
        .collect()
}

/// One place a GRI disclosure is reported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Location {
    pub title: String,
    /// Relative to the site root, with an optional `#fragment`.
    pub url: String,
}

/// A requirement left out, as the content index shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OmissionRow {
    pub requirement: String,
    pub reason: &'static str,
    pub explanation: String,
}

/// A row of the GRI content index. `standard_lang` and `title_lang` are `Some("en")`
/// when that text is English on a site of another language (templates set `lang`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GriRow {
    pub standard: String,
    pub standard_lang: Option<&'static str>,
    pub code: String,
    pub title: String,
    pub title_lang: Option<&'static str>,
    pub locations: Vec<Location>,
    pub omissions: Vec<OmissionRow>,
}

/// Every GRI disclosure that a page or a metric names, sorted by code, with where it is
/// reported and what is omitted.
pub fn gri_rows(site: &Site) -> Vec<GriRow> {
    let lang = site.config.lang;
    let foreign = |l: Lang| (l != lang).then_some(l.code());
    let mut rows: BTreeMap<(u32, u32, String), GriRow> = BTreeMap::new();
    let mut add = |codes: &[String], omitted: &gri::Omissions, loc: Location| {
        for code in codes {
            let title = gri::title(code, lang);
            let row = rows.entry(gri::sort_key(code)).or_insert_with(|| GriRow {
                standard: gri::standard(code),
                standard_lang: foreign(Lang::En),
                code: code.to_string(),
                title: title.map_or("", |t| t.text).to_string(),
                title_lang: title.and_then(|t| foreign(t.lang)),
                locations: Vec::new(),
                omissions: Vec::new(),
            });
            if !row.locations.contains(&loc) {
                row.locations.push(loc.clone());
            }
            for o in omitted.iter().filter(|o| o.code == *code) {
                row.omissions.push(OmissionRow {
                    requirement: o.requirement.clone(),
                    reason: o.reason.shown(lang),
                    explanation: o.explanation.clone(),
                });
            }
        }
    };
    for s in &site.sections {
        for &i in &s.pages {
            let p = &site.pages[i];
            let loc = Location {
                title: p.meta.title.clone(),
                url: p.url.clone(),
            };
            add(&p.meta.gri, &p.meta.gri_omissions, loc);
        }
    }
    // Made when the first metric naming a disclosure needs it: most sites have none.
    let mut places = None;
    for m in site.metrics.values() {
        if m.gri.is_empty() {
            continue;
        }
        let places = places.get_or_insert_with(|| KeyFigurePlaces::of(site));
        let loc = Location {
            title: m.label.clone(),
            url: format!("{}#metric-{}", places.url(site, m), m.id),
        };
        add(&m.gri, &m.gri_omissions, loc);
    }
    rows.into_values().collect()
}

/// The official colours of the 17 goals (UN SDG communications guidelines).
pub const GOAL_COLOURS: [Rgb; 17] = [
    Rgb(0xe5, 0x24, 0x3b),
    Rgb(0xdd, 0xa6, 0x3a),
    Rgb(0x4c, 0x9f, 0x38),
    Rgb(0xc5, 0x19, 0x2d),
    Rgb(0xff, 0x3a, 0x21),
    Rgb(0x26, 0xbd, 0xe2),
    Rgb(0xfc, 0xc3, 0x0b),
    Rgb(0xa2, 0x19, 0x42),
    Rgb(0xfd, 0x69, 0x25),
    Rgb(0xdd, 0x13, 0x67),
    Rgb(0xfd, 0x9d, 0x24),
    Rgb(0xbf, 0x8b, 0x2e),
    Rgb(0x3f, 0x7e, 0x44),
    Rgb(0x0a, 0x97, 0xd9),
    Rgb(0x56, 0xc0, 0x2b),
    Rgb(0x00, 0x68, 0x9d),
    Rgb(0x19, 0x48, 0x6a),
];

/// The text colour of a goal's tile: white where white reads on the goal's colour
/// (4.5:1, WCAG 2.1 AA), otherwise near-black. The tile is the same in dark mode.
pub fn goal_text_colour(goal: u8) -> Rgb {
    let bg = goal_colour(goal);
    let white = Rgb(0xff, 0xff, 0xff);
    if contrast(white, bg) >= 4.5 {
        white
    } else {
        Rgb(0x11, 0x11, 0x11)
    }
}

fn goal_colour(goal: u8) -> Rgb {
    usize::from(goal)
        .checked_sub(1)
        .and_then(|i| GOAL_COLOURS.get(i))
        .copied()
        .unwrap_or(Rgb(0x44, 0x44, 0x44))
}

/// A goal as a tile shows it, and the programmes that name it.
#[derive(Debug, Clone, Serialize)]
pub struct Goal {
    pub number: u8,
    pub name: &'static str,
    /// Its anchor on the goals page: `mal-4`, `goal-4`.
    pub id: String,
    /// The tile's colours, as a `style` attribute.
    pub style: String,
    /// The goal on the goals page, relative to the site root.
    pub url: String,
    pub pages: Vec<Location>,
}

/// Goal `n` without its pages.
pub fn goal(n: u8, lang: Lang) -> Goal {
    let id = format!("{}-{n}", crate::slug::slugify(i18n::texts(lang).goal));
    Goal {
        number: n,
        name: i18n::sdg_name(n, lang),
        url: format!("{}#{id}", urls(lang).sdg),
        id,
        style: format!(
            "background-color:{};color:{}",
            goal_colour(n).hex(),
            goal_text_colour(n).hex()
        ),
        pages: Vec::new(),
    }
}

/// The goals that at least one page names, in goal order, with those pages.
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
                pages,
                ..goal(n, site.config.lang)
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
    fn every_goal_tile_reads_in_light_and_dark_mode() {
        // The tile carries its own background and text colour in both colour schemes.
        for n in 1..=17u8 {
            let (bg, fg) = (goal_colour(n), goal_text_colour(n));
            let ratio = contrast(bg, fg);
            assert!(
                ratio >= 4.5,
                "goal {n}: {} on {} is {ratio:.2}:1",
                fg.hex(),
                bg.hex()
            );
        }
        assert_eq!(goal_text_colour(7), Rgb(0x11, 0x11, 0x11));
        assert_eq!(goal_text_colour(17), Rgb(0xff, 0xff, 0xff));
        let g = goal(4, Lang::Sv);
        assert_eq!(
            (g.id.as_str(), g.url.as_str()),
            ("mal-4", "globala-malen/#mal-4")
        );
        assert_eq!(g.style, "background-color:#c5192d;color:#ffffff");
        assert_eq!(goal(10, Lang::En).url, "global-goals/#goal-10");
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
