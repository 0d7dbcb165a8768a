//! Key figures: year-over-year change and key-figure tables, computed from metrics and
//! written in the site language. Used by the shortcodes, the key-figures page and the
//! templates, so a figure is formatted the same way everywhere. Pure.

use std::collections::BTreeSet;

use crate::html::escape;
use crate::i18n::{self, Lang};
use crate::metrics::Metric;

/// A value with its unit: `17 familjer`, `99,5 %`.
pub fn value(m: &Metric, v: f64, lang: Lang) -> String {
    i18n::with_unit(&i18n::format_number(v, m.decimals, lang), &m.unit, lang)
}

/// A number with an explicit sign: `+3`, `−0,5`, `0`.
fn signed(v: f64, decimals: Option<u8>, lang: Lang) -> String {
    let s = i18n::format_number(v, decimals, lang);
    if v > 0.0 && s.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        format!("+{s}")
    } else {
        s
    }
}

/// The change from the year before `year`: `+3, +21 %`. `None` when that year has no value.
pub fn change(m: &Metric, year: i32, lang: Lang) -> Option<String> {
    let now = *m.values.get(&year)?;
    let before = *m.values.get(&(year - 1))?;
    let diff = now - before;
    let abs = signed(diff, m.decimals, lang);
    if before == 0.0 {
        return Some(abs);
    }
    let pct = diff / before.abs() * 100.0;
    let pct = i18n::with_unit(&signed(pct, Some(0), lang), "%", lang);
    Some(format!("{abs}, {pct}"))
}

/// The latest target: `20 familjer (2021)`.
pub fn target(m: &Metric, lang: Lang) -> Option<String> {
    let (year, v) = m.target.iter().next_back()?;
    Some(format!("{} ({year})", value(m, *v, lang)))
}

/// A key-figure table: label, unit, one column per year, the latest change, the target.
/// With `anchors`, each row has the id `metric-<id>` (only the key-figures page has them,
/// so a page showing several tables never repeats an id).
pub fn table(caption: &str, metrics: &[&Metric], lang: Lang, anchors: bool) -> String {
    let w = i18n::figure_words(lang);
    let years: BTreeSet<i32> = metrics
        .iter()
        .flat_map(|m| m.values.keys().copied())
        .collect();
    // A scrolling region must be reachable by keyboard, and named (WCAG 2.1.1, 4.1.2).
    let mut h = format!(
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\"><table class=\"key-figures\">\n",
        escape(caption)
    );
    h.push_str(&format!(
        "<caption>{}</caption>\n<thead><tr>",
        escape(caption)
    ));
    h.push_str(&format!(
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        w.metric, w.unit
    ));
    for y in &years {
        h.push_str(&format!("<th scope=\"col\" class=\"num\">{y}</th>"));
    }
    h.push_str(&format!(
        "<th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        w.change, w.target
    ));
    for m in metrics {
        let id = if anchors {
            format!(" id=\"metric-{}\"", escape(&m.id))
        } else {
            String::new()
        };
        h.push_str(&format!(
            "<tr{id}><th scope=\"row\">{}</th><td>{}</td>",
            escape(&m.label),
            escape(&m.unit)
        ));
        for y in &years {
            let cell = m
                .values
                .get(y)
                .map(|v| i18n::format_number(*v, m.decimals, lang))
                .unwrap_or_default();
            h.push_str(&format!("<td class=\"num\">{cell}</td>"));
        }
        let change = m
            .latest()
            .and_then(|(y, _)| change(m, y, lang))
            .unwrap_or_else(|| "–".to_string());
        let target = target(m, lang).unwrap_or_else(|| "–".to_string());
        h.push_str(&format!(
            "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            escape(&change),
            escape(&target)
        ));
    }
    h.push_str("</tbody>\n</table></div>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn metric(values: &[(i32, f64)], unit: &str) -> Metric {
        Metric {
            id: "efg-familjer".into(),
            label: "Familjer".into(),
            unit: unit.into(),
            values: values.iter().copied().collect(),
            target: [(2021, 20.0)].into_iter().collect(),
            program: None,
            source: None,
            decimals: None,
            gri: Vec::new(),
            note: None,
            file: std::path::Path::new("content/m.yaml").into(),
            pos: Pos::START,
        }
    }

    #[test]
    fn change_from_last_year() {
        let m = metric(&[(2019, 14.0), (2020, 17.0)], "familjer");
        assert_eq!(
            change(&m, 2020, Lang::Sv).as_deref(),
            Some("+3, +21\u{a0}%")
        );
        assert_eq!(change(&m, 2020, Lang::En).as_deref(), Some("+3, +21%"));
        assert_eq!(change(&m, 2019, Lang::Sv), None);
        let m = metric(&[(2019, 20.0), (2020, 17.0)], "familjer");
        assert_eq!(
            change(&m, 2020, Lang::Sv).as_deref(),
            Some("\u{2212}3, \u{2212}15\u{a0}%")
        );
        let m = metric(&[(2019, 0.0), (2020, 4.0)], "");
        assert_eq!(change(&m, 2020, Lang::Sv).as_deref(), Some("+4"));
    }

    #[test]
    fn table_has_caption_scopes_and_empty_cells() {
        let a = metric(&[(2019, 14.0), (2020, 17.0)], "familjer");
        let mut b = metric(&[(2020, 12345.0)], "kr");
        b.id = "b".into();
        let t = table("Nyckeltal", &[&a, &b], Lang::Sv, true);
        assert!(t.contains("<caption>Nyckeltal</caption>"));
        assert!(t.contains("<th scope=\"col\" class=\"num\">2019</th>"));
        assert!(t.contains("<th scope=\"row\">Familjer</th>"));
        assert!(t.contains("<td class=\"num\">12\u{a0}345</td>"));
        assert!(t.contains(
            "<tr id=\"metric-b\"><th scope=\"row\">Familjer</th><td>kr</td><td class=\"num\"></td>"
        ));
        assert!(t.contains("20\u{a0}familjer (2021)"));
    }
}
