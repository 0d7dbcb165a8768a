//! Key figures: year-over-year change and key-figure tables, computed from metrics and
//! written in the site language. Used by the shortcodes, the key-figures page and the
//! templates, so a figure is formatted the same way everywhere; [`metric_value`] is the
//! one formatter behind the `metric()` shortcode and template function. Pure: uses the
//! metrics model, i18n, the HTML escape and the did-you-mean hints.

use std::collections::BTreeSet;

use crate::html::escape;
use crate::i18n::{self, Lang};
use crate::metrics::{Metric, Metrics};
use crate::suggest::did_you_mean;

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

/// How a `metric()` value is shown: with its unit, in words, with the change from the
/// year before. The default is the number with its unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Show {
    pub unit: bool,
    pub words: bool,
    pub change: bool,
}

impl Default for Show {
    fn default() -> Self {
        Show {
            unit: true,
            words: false,
            change: false,
        }
    }
}

/// The part of a `metric()` call a [`MetricValueError`] is about, so that a caller which
/// knows where each part was written (the shortcode) can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Faulty {
    /// The metric id: no such metric, or it has no values at all.
    Id,
    /// The year asked for has no value.
    Year,
    /// `words=true` for a number that has no word.
    Words,
}

/// Why a metric value cannot be shown: a message for the writer, and what it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricValueError {
    pub message: String,
    pub about: Faulty,
}

impl std::fmt::Display for MetricValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for MetricValueError {}

/// The metric `id`, or an error naming the closest id there is.
pub fn find_metric<'m>(metrics: &'m Metrics, id: &str) -> Result<&'m Metric, MetricValueError> {
    metrics.get(id).ok_or_else(|| {
        let hint = did_you_mean(id, metrics.keys().map(String::as_str));
        let hint = if hint.is_empty() {
            "; metrics are defined in the .yaml files under content/".to_string()
        } else {
            hint
        };
        MetricValueError {
            message: format!("unknown metric `{id}`{hint}"),
            about: Faulty::Id,
        }
    })
}

/// One metric's value as the `metric()` shortcode and template function show it: for
/// `year` (its latest year when `None`), formatted in `lang` as `show` says.
pub fn metric_value(
    metrics: &Metrics,
    id: &str,
    year: Option<i64>,
    show: Show,
    lang: Lang,
) -> Result<String, MetricValueError> {
    metric_text(find_metric(metrics, id)?, year, show, lang)
}

/// [`metric_value`] for a metric already found.
pub fn metric_text(
    m: &Metric,
    year: Option<i64>,
    show: Show,
    lang: Lang,
) -> Result<String, MetricValueError> {
    let (year, value) = pick_year(m, year)?;
    let number = if show.words {
        i18n::number_in_words(value, lang)
            .map(str::to_string)
            .ok_or_else(|| MetricValueError {
                message: format!(
                    "`words=true` spells whole numbers from 0 to 12, and metric `{}` is {}; remove `words=true`",
                    m.id,
                    i18n::format_number(value, m.decimals, lang)
                ),
                about: Faulty::Words,
            })?
    } else {
        i18n::format_number(value, m.decimals, lang)
    };
    let mut text = if show.unit {
        i18n::with_unit(&number, &m.unit, lang)
    } else {
        number
    };
    if show.change
        && let Some(change) = change(m, year, lang)
    {
        text.push_str(&format!(" ({change})"));
    }
    Ok(text)
}

/// The year and value shown: the one asked for, or the latest.
fn pick_year(m: &Metric, year: Option<i64>) -> Result<(i32, f64), MetricValueError> {
    match year {
        None => m.latest().ok_or_else(|| MetricValueError {
            message: format!("metric `{}` has no values", m.id),
            about: Faulty::Id,
        }),
        Some(y) => i32::try_from(y)
            .ok()
            .and_then(|y| m.values.get(&y).map(|v| (y, *v)))
            .ok_or_else(|| MetricValueError {
                message: format!(
                    "metric `{}` has no value for {y}; it has {}",
                    m.id,
                    m.years_list()
                ),
                about: Faulty::Year,
            }),
    }
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
            gri_omissions: Default::default(),
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
    fn metric_values_and_their_errors() {
        let all: Metrics = [metric(&[(2019, 14.0), (2020, 17.0)], "familjer")]
            .into_iter()
            .collect();
        let show = Show::default();
        let sv = |year, show| metric_value(&all, "efg-familjer", year, show, Lang::Sv);
        assert_eq!(sv(None, show).as_deref(), Ok("17\u{a0}familjer"));
        let bare = Show {
            unit: false,
            ..show
        };
        assert_eq!(sv(Some(2019), bare).as_deref(), Ok("14"));
        let changed = Show {
            change: true,
            ..show
        };
        assert_eq!(
            sv(None, changed).as_deref(),
            Ok("17\u{a0}familjer (+3, +21\u{a0}%)")
        );
        let e = sv(Some(2018), show).unwrap_err();
        assert_eq!(e.about, Faulty::Year);
        assert_eq!(
            e.message,
            "metric `efg-familjer` has no value for 2018; it has 2019, 2020"
        );
        let words = Show {
            words: true,
            ..show
        };
        assert_eq!(sv(None, words).unwrap_err().about, Faulty::Words);
        let e = metric_value(&all, "efg-famijer", None, show, Lang::Sv).unwrap_err();
        assert_eq!(e.about, Faulty::Id);
        assert_eq!(
            e.to_string(),
            "unknown metric `efg-famijer`; did you mean `efg-familjer`?"
        );
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
