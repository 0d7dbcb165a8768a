//! Charts: report metrics drawn at build time as inline SVG (bars or lines by year, with
//! targets), described in words and repeated as a data table; no JavaScript, and colours
//! only through CSS classes. Pure functions, no I/O: uses `i18n` for every number and word
//! shown, `metrics` for the data, and its own parts:
//!
//! - `geometry`: sizes in viewBox units and how coordinates are written;
//! - `grid`: the series lined up by year, each row's name and colour;
//! - `scale`: y ticks and the plot frame;
//! - `legend`: the legend's items, wrapping, placement and drawing;
//! - `table`: the figures in words and as a data table;
//! - `svg`: the drawing, using all of the above.
//!
//! This file holds the public API: `Kind`, `Series`, `Chart` and `render`.

mod geometry;
mod grid;
mod legend;
mod scale;
mod svg;
mod table;
#[cfg(test)]
mod testdata;

use crate::html::escape as esc;
use crate::i18n::{Lang, chart_words};
use crate::metrics::{Metric, Years};

use grid::Grid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bar,
    Line,
}

/// One metric to draw.
pub struct Series<'a> {
    /// E.g. "Deltagande familjer i En frisk generation".
    pub label: &'a str,
    /// E.g. "familjer", "%", or "".
    pub unit: &'a str,
    /// As in `i18n::format_number`.
    pub decimals: Option<u8>,
    /// Year -> value (finite; anything else is left out).
    pub values: &'a Years,
    /// Year -> target (may be empty).
    pub target: &'a Years,
}

impl<'a> From<&'a Metric> for Series<'a> {
    /// The one way to chart a metric: its label, unit, decimals, values and targets.
    fn from(m: &'a Metric) -> Self {
        Series {
            label: &m.label,
            unit: &m.unit,
            decimals: m.decimals,
            values: &m.values,
            target: &m.target,
        }
    }
}

pub struct Chart {
    /// `<figure class="chart">` holding a `<figcaption>` (the title), the inline `<svg>`,
    /// then a `<details>` with the same figures as a real data table.
    pub html: String,
}

/// Draws `series` by year. `id` is unique within the page; element ids are built from it
/// (`chart-{id}-title`, `chart-{id}-desc`, `chart-{id}-caption`).
pub fn render(id: &str, title: &str, series: &[Series], kind: Kind, lang: Lang) -> Chart {
    render_on_axis(id, title, series, kind, lang, None)
}

/// [`render`] with the unit of the y axis given: series of different units that count
/// the same kind of thing (families, children, adults: `personer`).
pub fn render_on_axis(
    id: &str,
    title: &str,
    series: &[Series],
    kind: Kind,
    lang: Lang,
    axis_unit: Option<&str>,
) -> Chart {
    let id = clean_id(id);
    let grid = Grid::new(series);
    let words = chart_words(lang);
    let head = svg::Head {
        id: &id,
        title,
        axis_unit,
    };
    let svg = svg::svg(&head, series, &grid, kind, lang, &words);
    let table = table::table(&id, title, series, &grid, lang, &words);
    let html = format!(
        "<figure class=\"chart\" id=\"chart-{id}\">\n<figcaption>{}</figcaption>\n{svg}{table}</figure>\n",
        esc(title)
    );
    Chart { html }
}

/// `id` made safe for element ids: letters, digits, `-` and `_` kept, the rest `-`.
fn clean_id(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "x".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::fmt::Write as _;
    use std::path::Path;

    use testdata::{Data, cases, data};

    #[test]
    fn snapshots() {
        let bless = std::env::var_os("HALLBAR_BLESS").is_some();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/chart");
        let mut failed = Vec::new();
        for case in cases() {
            let html = case.html();
            let path = dir.join(format!("{}.html", case.name));
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &html).unwrap();
                continue;
            }
            match std::fs::read_to_string(&path) {
                Ok(expected) if expected == html => {}
                Ok(_) => failed.push(format!("{} differs", path.display())),
                Err(e) => failed.push(format!("{}: {e}", path.display())),
            }
        }
        assert!(
            failed.is_empty(),
            "{}\n(run with HALLBAR_BLESS=1 to rewrite the snapshots, then review the diff)",
            failed.join("\n")
        );
    }

    #[test]
    fn years_lie_on_a_time_scale() {
        let case = cases()
            .into_iter()
            .find(|c| c.name == "uneven-years")
            .unwrap();
        let html = case.html();
        let x_of = |year: &str| -> f64 {
            let at = html.find(&format!(">{year}</text>")).unwrap();
            let tag = &html[html[..at].rfind("<text").unwrap()..at];
            let x = tag.split("x=\"").nth(1).unwrap().split('"').next().unwrap();
            x.parse().unwrap()
        };
        // 2023's label gives way to its neighbours; one year is half of 2022 → 2024.
        let step = (x_of("2024") - x_of("2022")) / 2.0;
        assert!(step > 0.0);
        assert!(
            ((x_of("2030") - x_of("2024")) / step - 6.0).abs() < 0.01,
            "{html}"
        );
    }

    #[test]
    fn ids_derive_from_the_id_and_are_unique() {
        let d = data("A", "", &[(2020, 1.0)]);
        let html = render("3", "T", &[d.series()], Kind::Bar, Lang::Sv).html;
        assert!(html.contains("aria-labelledby=\"chart-3-title chart-3-desc\""));
        let ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "chart-3",
                "chart-3-title",
                "chart-3-desc",
                "chart-3-caption"
            ]
        );
        assert!(
            render("a b\"", "T", &[d.series()], Kind::Bar, Lang::Sv)
                .html
                .contains("id=\"chart-a-b-\"")
        );
    }

    #[test]
    fn series_of_a_metric() {
        let m = Metric {
            id: "efg-familjer".into(),
            label: "Familjer".into(),
            unit: "familjer".into(),
            values: [(2019, 14.0), (2020, 17.0)].into_iter().collect(),
            target: [(2021, 20.0)].into_iter().collect(),
            program: None,
            source: None,
            decimals: Some(1),
            gri: Vec::new(),
            gri_omissions: Default::default(),
            note: None,
            translations: None,
            file: Path::new("content/m.yaml").into(),
            pos: crate::diag::Pos::START,
        };
        let d = Data {
            label: "Familjer",
            unit: "familjer",
            decimals: Some(1),
            values: m.values.clone(),
            target: m.target.clone(),
        };
        assert_eq!(
            render("m", "F", &[Series::from(&m)], Kind::Bar, Lang::Sv).html,
            render("m", "F", &[d.series()], Kind::Bar, Lang::Sv).html
        );
    }

    #[test]
    fn deterministic() {
        for case in cases() {
            assert_eq!(case.html(), case.html());
        }
    }

    /// The chart CSS for the theme, with sample colours, for the preview page.
    // The theme's own stylesheet, so the preview shows the charts as the site does.
    const PREVIEW_CSS: &str = include_str!("../../themes/default/static/style.css");

    /// With HALLBAR_CHART_PREVIEW=DIR, writes DIR/index.html: every case in one page, to
    /// validate (tests/checkers/html.sh DIR) and to look at.
    #[test]
    fn preview_page() {
        let mut body = String::new();
        for case in cases() {
            let html = case.html();
            if case.lang == Lang::En {
                let _ = write!(
                    body,
                    "<section lang=\"en\">\n<h2>{}</h2>\n{html}</section>\n",
                    case.name
                );
            } else {
                let _ = write!(body, "<h2>{}</h2>\n{html}", case.name);
            }
        }
        let page = format!(
            "<!doctype html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Diagram</title>\n<style>\n{PREVIEW_CSS}</style>\n</head>\n<body>\n<main>\n<h1>Diagram</h1>\n{body}</main>\n</body>\n</html>\n"
        );
        let mut ids = BTreeSet::new();
        for id in page
            .split(" id=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
        {
            assert!(ids.insert(id), "duplicate id {id}");
        }
        if let Some(dir) = std::env::var_os("HALLBAR_CHART_PREVIEW") {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(Path::new(&dir).join("index.html"), page).unwrap();
        }
    }
}
