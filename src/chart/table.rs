//! The figures in words (the SVG's description) and as a real data table. Uses `grid`,
//! `i18n` and the escape function.

use std::fmt::Write as _;

use super::Series;
use super::grid::{Grid, target_name};
use crate::html::escape as esc;
use crate::i18n::{ChartWords, Lang, format_number, with_unit};

/// A value with its unit, as the series writes it.
fn amount(v: f64, s: &Series, lang: Lang) -> String {
    with_unit(&format_number(v, s.decimals, lang), s.unit, lang)
}

/// Every value in words: "Deltagande familjer: 14 familjer år 2019, 17 familjer år 2020;
/// mål 20 familjer år 2021."
pub(super) fn describe(series: &[Series], grid: &Grid, lang: Lang, words: &ChartWords) -> String {
    if series.is_empty() {
        let mut s = words.no_values.to_string();
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        return s + ".";
    }
    let list = |row: &[Option<f64>], s: &Series| -> Vec<String> {
        row.iter()
            .zip(&grid.years)
            .filter_map(|(v, y)| v.map(|v| format!("{} {} {y}", amount(v, s, lang), words.in_year)))
            .collect()
    };
    let mut parts = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let values = list(&grid.values[i], s);
        let mut text = format!("{}: ", s.label);
        if values.is_empty() {
            text.push_str(words.no_values);
        } else {
            text.push_str(&values.join(", "));
        }
        let targets = list(&grid.targets[i], s);
        if !targets.is_empty() {
            let _ = write!(text, "; {} {}", words.target_lower, targets.join(", "));
        }
        text.push('.');
        parts.push(text);
    }
    parts.join(" ")
}

/// The same figures as a real table, behind a disclosure. A wide table scrolls sideways in
/// its own box, which is focusable so that keyboard users can scroll it too.
pub(super) fn table(
    id: &str,
    title: &str,
    series: &[Series],
    grid: &Grid,
    lang: Lang,
    words: &ChartWords,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<details>\n<summary>{}</summary>\n<div class=\"chart-scroll\" role=\"group\" tabindex=\"0\" aria-labelledby=\"chart-{id}-caption\">\n<table>\n<caption id=\"chart-{id}-caption\">{}</caption>",
        words.show_table,
        esc(title)
    );
    out.push_str("<thead>\n<tr><td></td>");
    for year in &grid.years {
        let _ = write!(out, "<th scope=\"col\">{year}</th>");
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    let row = |out: &mut String, head: &str, cells: &[Option<f64>], s: &Series| {
        let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(head));
        for v in cells {
            match v {
                Some(v) => {
                    let _ = write!(out, "<td class=\"num\">{}</td>", esc(&amount(*v, s, lang)));
                }
                None => out.push_str("<td class=\"num\"></td>"),
            }
        }
        out.push_str("</tr>\n");
    };
    for (i, s) in series.iter().enumerate() {
        row(&mut out, s.label, &grid.values[i], s);
        if grid.has_target(i) {
            row(
                &mut out,
                &target_name(series, i, words),
                &grid.targets[i],
                s,
            );
        }
    }
    out.push_str("</tbody>\n</table>\n</div>\n</details>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testdata::{FAMILJER, cases, data};
    use crate::chart::{Kind, render};

    #[test]
    fn desc_states_every_value() {
        for case in cases() {
            let html = case.html();
            let desc = html
                .split_once("-desc\">")
                .unwrap()
                .1
                .split("</desc>")
                .next()
                .unwrap();
            for d in &case.data {
                let s = d.series();
                assert!(desc.contains(&esc(d.label)), "{}: {desc}", case.name);
                for (y, v) in d.values.iter().chain(&d.target) {
                    let word = if case.lang == Lang::Sv { "år" } else { "in" };
                    let said = esc(&format!("{} {word} {y}", amount(*v, &s, case.lang)));
                    assert!(
                        desc.contains(&said),
                        "{}: `{said}` not in {desc}",
                        case.name
                    );
                }
            }
        }
    }

    #[test]
    fn desc_in_swedish_and_english() {
        let d = data(FAMILJER, "familjer", &[(2019, 14.0), (2020, 17.0)]).target(&[(2021, 20.0)]);
        let sv = render("a", "T", &[d.series()], Kind::Bar, Lang::Sv).html;
        assert!(sv.contains(
            "<desc id=\"chart-a-desc\">Deltagande familjer: 14\u{a0}familjer år 2019, 17\u{a0}familjer år 2020; mål 20\u{a0}familjer år 2021.</desc>"
        ));
        let d = data("Participating families", "families", &[(2019, 14.0)]).target(&[(2021, 20.0)]);
        let en = render("a", "T", &[d.series()], Kind::Bar, Lang::En).html;
        assert!(en.contains(
            "<desc id=\"chart-a-desc\">Participating families: 14\u{a0}families in 2019; target 20\u{a0}families in 2021.</desc>"
        ));
        assert!(en.contains("<summary>Show the figures as a table</summary>"));
    }

    #[test]
    fn table_has_targets_row_and_escapes() {
        let d = data("Barn & <unga>", "%", &[(2022, 99.5)]).target(&[(2025, 100.0)]);
        let html = render("t", "\"Mått\" & 'mål'", &[d.series()], Kind::Bar, Lang::Sv).html;
        assert!(html.contains(
            "<caption id=\"chart-t-caption\">&quot;Mått&quot; &amp; &#39;mål&#39;</caption>"
        ));
        assert!(html.contains(
            "<tr><th scope=\"row\">Barn &amp; &lt;unga&gt;</th><td class=\"num\">99,5\u{a0}%</td><td class=\"num\"></td></tr>"
        ));
        assert!(html.contains(
            "<tr><th scope=\"row\">Mål</th><td class=\"num\"></td><td class=\"num\">100\u{a0}%</td></tr>"
        ));
        assert!(!html.contains("<unga>"));
    }
}
