//! Key figures: year-over-year change, targets and how the latest value stands against
//! them, sources and notes, and key-figure tables, computed from metrics and written in
//! the site language. Used by the shortcodes, the key-figures page and the templates, so
//! a figure is formatted the same way everywhere; [`metric_value`] is the one formatter
//! behind the `metric()` shortcode and template function. Pure: uses the metrics model,
//! i18n, the HTML escape and the did-you-mean hints.

use crate::html::escape;
use crate::i18n::{self, FigureWords, Lang};
use crate::metrics::{Metric, Metrics};
use crate::suggest::did_you_mean;

mod table;

pub use table::{table, table_with_id};

/// A value with its unit: `17 familjer`, `99,5 %`.
pub fn value(m: &Metric, v: f64, lang: Lang) -> String {
    i18n::with_unit(&i18n::format_number(v, m.decimals, lang), &m.unit, lang)
}

/// A value as HTML, escaped, with the number and the first word of its unit in one
/// `figure-nowrap` span: `119,6 kWh/m²` never parts (the unit may break only at its own
/// spaces, as in `2 gånger | i veckan`). The number and unit are joined by a no-break
/// space already ([`i18n::with_unit`]).
pub fn value_html(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let (head, tail) = text.split_once(' ').unwrap_or((text, ""));
    let mut h = format!("<span class=\"figure-nowrap\">{}</span>", escape(head));
    if !tail.is_empty() {
        h.push(' ');
        h.push_str(&escape(tail));
    }
    h
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

/// The decimals of `v` as written (`72.5` has one), at most 6.
fn written_decimals(v: f64) -> u8 {
    let s = format!("{}", v.abs());
    s.split_once('.')
        .map_or(0, |(_, frac)| u8::try_from(frac.len().min(6)).unwrap_or(6))
}

/// The change from the year before `year`: `+3, +21 %`; for a metric in `%`, in
/// percentage points and without the relative change: `−1,3 procentenheter`. `None`
/// when that year has no value. The difference has the decimals of the metric, else as
/// many as the two values have (so 73.8 → 72.5 is −1,3, not −1,2999…).
pub fn change(m: &Metric, year: i32, lang: Lang) -> Option<String> {
    let now = *m.values.get(&year)?;
    let before = *m.values.get(&(year - 1))?;
    let diff = now - before;
    let decimals = m
        .decimals
        .unwrap_or_else(|| written_decimals(now).max(written_decimals(before)));
    let abs = signed(diff, Some(decimals), lang);
    if m.unit == "%" {
        let w = i18n::figure_words(lang);
        let digits = abs.trim_start_matches(['+', '-', '\u{2212}']);
        let words = if digits == "1" { w.point } else { w.points };
        return Some(i18n::with_unit(&abs, words, lang));
    }
    if before == 0.0 {
        return Some(abs);
    }
    let pct = diff / before.abs() * 100.0;
    let pct = i18n::with_unit(&signed(pct, Some(0), lang), "%", lang);
    Some(format!("{abs}, {pct}"))
}

/// How the latest value stands against a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// At or beyond the straight path from the first value to the target.
    OnTrack,
    /// Short of that path, or of the target once its year has come.
    Behind,
    /// At or beyond the target itself.
    Reached,
}

impl Progress {
    pub fn word(self, w: &FigureWords) -> &'static str {
        match self {
            Progress::OnTrack => w.on_track,
            Progress::Behind => w.behind,
            Progress::Reached => w.reached,
        }
    }
}

/// How the latest value stands against the target `goal` for `year`. The path runs in a
/// straight line from the first year with a value to the target; the direction (up or
/// down) is that of the target from the first value. Reached: the latest value is at or
/// beyond the target. Otherwise behind when the target year has come (or is not after
/// the first year), else on track when the latest value is at or beyond the path in
/// its year. A target equal to the first value is reached while the latest value equals
/// it. `None` without values.
pub fn progress(m: &Metric, year: i32, goal: f64) -> Option<Progress> {
    let (first_year, first) = m.values.iter().next().map(|(y, v)| (*y, *v))?;
    let (last_year, last) = m.latest()?;
    if !(first.is_finite() && last.is_finite() && goal.is_finite()) {
        return None;
    }
    // Differences below this are rounding, not progress.
    let slack = 1e-9 * goal.abs().max(first.abs()).max(1.0);
    let up = goal > first;
    let beyond = |v: f64, mark: f64| {
        if up {
            v >= mark - slack
        } else {
            v <= mark + slack
        }
    };
    if (goal - first).abs() <= slack {
        let same = (last - goal).abs() <= slack;
        return Some(if same {
            Progress::Reached
        } else {
            Progress::Behind
        });
    }
    if beyond(last, goal) {
        return Some(Progress::Reached);
    }
    if last_year >= year || year <= first_year {
        return Some(Progress::Behind);
    }
    let share = f64::from(last_year - first_year) / f64::from(year - first_year);
    let path = first + (goal - first) * share;
    Some(if beyond(last, path) {
        Progress::OnTrack
    } else {
        Progress::Behind
    })
}

/// One target of a metric: its year, its value with the unit, and how the latest value
/// stands against it.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub year: i32,
    pub value: String,
    pub progress: Option<Progress>,
}

impl Target {
    /// `20 familjer (2021) – I fas`.
    pub fn text(&self, lang: Lang) -> String {
        let w = i18n::figure_words(lang);
        match self.progress {
            Some(p) => format!("{} ({}) – {}", self.value, self.year, p.word(&w)),
            None => format!("{} ({})", self.value, self.year),
        }
    }

    /// [`Target::text`] as HTML: the value kept on one line (a narrow cell may break
    /// before the year and before the status, never inside the figure).
    pub fn html(&self, lang: Lang) -> String {
        let w = i18n::figure_words(lang);
        let mut h = format!(
            "<span class=\"figure-nowrap\">{}</span> ({})",
            escape(&self.value),
            self.year
        );
        if let Some(p) = self.progress {
            h.push_str(&format!(
                " – <span class=\"figure-status\">{}</span>",
                p.word(&w)
            ));
        }
        h
    }
}

/// Every target of `m`, in year order.
pub fn targets(m: &Metric, lang: Lang) -> Vec<Target> {
    m.target
        .iter()
        .map(|(&year, &goal)| Target {
            year,
            value: value(m, goal, lang),
            progress: progress(m, year, goal),
        })
        .collect()
}

/// Every target with the progress towards it, for templates:
/// `115 kWh/m² (2025) – I fas; 100 kWh/m² (2030) – I fas`.
pub fn target(m: &Metric, lang: Lang) -> Option<String> {
    let all: Vec<String> = targets(m, lang).iter().map(|t| t.text(lang)).collect();
    (!all.is_empty()).then(|| all.join("; "))
}

/// A metric's source and note as one note: `Källa: Enkät. Räknat per hushåll.`
pub fn note(m: &Metric, lang: Lang) -> Option<String> {
    let w = i18n::figure_words(lang);
    let trimmed = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let parts: Vec<String> = [
        trimmed(&m.source).map(|s| format!("{}: {s}", w.source)),
        trimmed(&m.note),
    ]
    .into_iter()
    .flatten()
    .map(|s| {
        if s.ends_with(['.', '!', '?']) {
            s
        } else {
            format!("{s}.")
        }
    })
    .collect();
    (!parts.is_empty()).then(|| parts.join(" "))
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

/// Which number of a metric a `metric()` call shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The latest year's value.
    Latest,
    /// The value of a year.
    Year(i64),
    /// The target for a year.
    Target(i64),
}

/// The part of a `metric()` call a [`MetricValueError`] is about, so that a caller which
/// knows where each part was written (the shortcode) can point at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Faulty {
    /// The metric id: no such metric, or it has no values at all.
    Id,
    /// The year asked for has no value.
    Year,
    /// The target year asked for has no target, or a target was asked for with its change.
    Target,
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

/// One metric's value as the `metric()` shortcode and template function show it: the
/// value or target `pick` names, formatted in `lang` as `show` says.
pub fn metric_value(
    metrics: &Metrics,
    id: &str,
    pick: Pick,
    show: Show,
    lang: Lang,
) -> Result<String, MetricValueError> {
    metric_text(find_metric(metrics, id)?, pick, show, lang)
}

/// [`metric_value`] for a metric already found, and any number of it `pick` names.
pub fn metric_text(
    m: &Metric,
    pick: Pick,
    show: Show,
    lang: Lang,
) -> Result<String, MetricValueError> {
    let (year, value) = match pick {
        Pick::Target(y) => pick_target(m, y, show)?,
        Pick::Latest => pick_year(m, None)?,
        Pick::Year(y) => pick_year(m, Some(y))?,
    };
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

/// The target for `year`; a target has no change from the year before.
fn pick_target(m: &Metric, year: i64, show: Show) -> Result<(i32, f64), MetricValueError> {
    let fault = |message: String| MetricValueError {
        message,
        about: Faulty::Target,
    };
    if show.change {
        return Err(fault(
            "`change=true` shows the change from the year before, and a target has none; remove `change=true`"
                .to_string(),
        ));
    }
    let found = i32::try_from(year)
        .ok()
        .and_then(|y| m.target.get(&y).map(|v| (y, *v)));
    found.ok_or_else(|| {
        let years: Vec<String> = m.target.keys().map(ToString::to_string).collect();
        fault(if years.is_empty() {
            format!(
                "metric `{}` has no target; add one to it, e.g. `target: {{{year}: 100}}`",
                m.id
            )
        } else {
            format!(
                "metric `{}` has no target for {year}; its targets are for {}",
                m.id,
                years.join(", ")
            )
        })
    })
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
            translations: None,
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
        let sv = |year: Option<i64>, show| {
            metric_value(
                &all,
                "efg-familjer",
                year.map_or(Pick::Latest, Pick::Year),
                show,
                Lang::Sv,
            )
        };
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
        let e = metric_value(&all, "efg-famijer", Pick::Latest, show, Lang::Sv).unwrap_err();
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
            "<tr id=\"metric-b\"><th scope=\"row\">Familjer</th><td><span class=\"figure-nowrap\">kr</span></td><td class=\"num\"></td>"
        ));
        assert!(t.contains("<span class=\"figure-nowrap\">20\u{a0}familjer</span> (2021)"));
        // No sources or notes: no list under the table.
        assert!(!t.contains("figure-notes"));
    }

    #[test]
    fn changes_of_percentages_are_in_points_with_the_decimals_written() {
        let m = metric(&[(2019, 73.8), (2020, 72.5)], "%");
        assert_eq!(
            change(&m, 2020, Lang::Sv).as_deref(),
            Some("\u{2212}1,3\u{a0}procentenheter")
        );
        assert_eq!(
            change(&m, 2020, Lang::En).as_deref(),
            Some("-1.3\u{a0}percentage points")
        );
        let m = metric(&[(2019, 72.0), (2020, 73.0)], "%");
        assert_eq!(
            change(&m, 2020, Lang::Sv).as_deref(),
            Some("+1\u{a0}procentenhet")
        );
        let m = metric(&[(2019, 73.8), (2020, 72.5)], "kWh/m²");
        assert_eq!(
            change(&m, 2020, Lang::Sv).as_deref(),
            Some("\u{2212}1,3, \u{2212}2\u{a0}%")
        );
    }

    fn with_targets(values: &[(i32, f64)], targets: &[(i32, f64)]) -> Metric {
        let mut m = metric(values, "kWh/m²");
        m.target = targets.iter().copied().collect();
        m
    }

    #[test]
    fn progress_follows_the_straight_path_to_each_target() {
        // Down from 124 to 115 in 2025: the path is at 122,5 in 2020.
        let m = with_targets(&[(2019, 124.0), (2020, 119.6)], &[(2025, 115.0)]);
        assert_eq!(progress(&m, 2025, 115.0), Some(Progress::OnTrack));
        let m = with_targets(&[(2019, 124.0), (2020, 123.0)], &[]);
        assert_eq!(progress(&m, 2025, 115.0), Some(Progress::Behind));
        assert_eq!(progress(&m, 2020, 123.0), Some(Progress::Reached));
        // Up: 14 to 20 in 2021, the path is at 17 in 2020, on it exactly.
        let m = with_targets(&[(2019, 14.0), (2020, 17.0)], &[]);
        assert_eq!(progress(&m, 2021, 20.0), Some(Progress::OnTrack));
        assert_eq!(progress(&m, 2021, 21.0), Some(Progress::Behind));
        // The target year has come and the target is not reached.
        assert_eq!(progress(&m, 2020, 18.0), Some(Progress::Behind));
        // A target equal to the first value: reached only while the value stays there.
        assert_eq!(progress(&m, 2021, 14.0), Some(Progress::Behind));
        let flat = with_targets(&[(2019, 0.0), (2020, 0.0)], &[]);
        assert_eq!(progress(&flat, 2021, 0.0), Some(Progress::Reached));
        assert_eq!(progress(&with_targets(&[], &[]), 2021, 1.0), None);
    }

    #[test]
    fn every_target_is_shown_with_its_progress() {
        let m = with_targets(
            &[(2019, 124.0), (2020, 119.6)],
            &[(2025, 115.0), (2030, 100.0)],
        );
        let all = targets(&m, Lang::Sv);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].text(Lang::Sv), "115\u{a0}kWh/m² (2025) – I fas");
        assert_eq!(
            all[1].html(Lang::Sv),
            "<span class=\"figure-nowrap\">100\u{a0}kWh/m²</span> (2030) – <span class=\"figure-status\">I fas</span>"
        );
        assert_eq!(
            target(&m, Lang::En).as_deref(),
            Some("115\u{a0}kWh/m² (2025) – On track; 100\u{a0}kWh/m² (2030) – On track")
        );
        let t = table("Energi", &[&m], Lang::Sv, false);
        assert!(t.contains("</span> (2025) – <span class=\"figure-status\">I fas</span><br>"));
    }

    #[test]
    fn a_target_can_be_shown_and_its_errors_list_the_target_years() {
        let m = with_targets(&[(2020, 119.6)], &[(2025, 115.0), (2030, 100.0)]);
        let show = Show::default();
        assert_eq!(
            metric_text(&m, Pick::Target(2030), show, Lang::Sv).as_deref(),
            Ok("100\u{a0}kWh/m²")
        );
        let e = metric_text(&m, Pick::Target(2031), show, Lang::Sv).unwrap_err();
        assert_eq!(e.about, Faulty::Target);
        assert_eq!(
            e.message,
            "metric `efg-familjer` has no target for 2031; its targets are for 2025, 2030"
        );
        let changed = Show {
            change: true,
            ..show
        };
        let e = metric_text(&m, Pick::Target(2030), changed, Lang::Sv).unwrap_err();
        assert!(e.message.contains("remove `change=true`"), "{e}");
        let none = with_targets(&[(2020, 1.0)], &[]);
        let e = metric_text(&none, Pick::Target(2030), show, Lang::Sv).unwrap_err();
        assert!(e.message.contains("has no target; add one"), "{e}");
    }

    #[test]
    fn sources_and_notes_are_numbered_table_notes_with_linked_marks() {
        let mut a = metric(&[(2020, 1.0)], "st");
        a.id = "a".into();
        a.source = Some("Enkät".into());
        a.note = Some("Räknat per hushåll".into());
        let mut b = metric(&[(2020, 2.0)], "st");
        b.id = "b".into();
        let mut c = metric(&[(2020, 3.0)], "st");
        c.id = "c".into();
        c.source = Some("Mimer.".into());
        let t = table_with_id("T", &[&a, &b, &c], Lang::Sv, false, "t1");
        assert!(t.contains(
            "Familjer<sup class=\"figure-mark\"><a href=\"#t1-note-1\"><span class=\"figure-sr\">not </span>1</a></sup></th>"
        ));
        assert!(t.contains("<a href=\"#t1-note-2\">"));
        assert!(t.contains("<li id=\"t1-note-1\">Källa: Enkät. Räknat per hushåll.</li>"));
        assert!(t.contains("<li id=\"t1-note-2\">Källa: Mimer.</li>"));
        assert_eq!(t.matches("figure-mark").count(), 2);
        // One note for every row: a line under the table, no marks.
        let mut d = c.clone();
        d.id = "d".into();
        let t = table("T", &[&c, &d], Lang::En, false);
        assert!(t.contains("<p class=\"figure-notes\">Source: Mimer.</p>"));
        assert!(!t.contains("figure-mark"));
    }

    #[test]
    fn value_html_keeps_the_number_with_its_unit() {
        assert_eq!(
            value_html("119,6\u{a0}kWh/m²"),
            "<span class=\"figure-nowrap\">119,6\u{a0}kWh/m²</span>"
        );
        assert_eq!(
            value_html("2\u{a0}gånger i <veckan>"),
            "<span class=\"figure-nowrap\">2\u{a0}gånger</span> i &lt;veckan&gt;"
        );
        assert_eq!(value_html(""), "");
    }
}
