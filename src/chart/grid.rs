//! The series lined up on the x axis (every year any of them has), and what each row is
//! called and coloured. Uses the module's `Series`, `metrics::Years` and the chart words.

use std::collections::BTreeSet;

use super::Series;
use crate::i18n::ChartWords;
use crate::metrics::Years;

/// The theme's series colours, `series-1` to `series-6`, used in turn.
const COLOURS: usize = 6;

/// The series' values and targets lined up on the x axis: every year any of them has.
pub(super) struct Grid {
    pub(super) years: Vec<i32>,
    pub(super) values: Vec<Vec<Option<f64>>>,
    pub(super) targets: Vec<Vec<Option<f64>>>,
}

impl Grid {
    pub(super) fn new(series: &[Series]) -> Grid {
        let finite = |m: &Years| -> Vec<(i32, f64)> {
            m.iter()
                .filter(|(_, v)| v.is_finite())
                .map(|(y, v)| (*y, *v))
                .collect()
        };
        let mut years = BTreeSet::new();
        for s in series {
            years.extend(finite(s.values).iter().map(|(y, _)| *y));
            years.extend(finite(s.target).iter().map(|(y, _)| *y));
        }
        let years: Vec<i32> = years.into_iter().collect();
        let line_up = |m: &Years| -> Vec<Option<f64>> {
            years
                .iter()
                .map(|y| m.get(y).copied().filter(|v| v.is_finite()))
                .collect()
        };
        let values = series.iter().map(|s| line_up(s.values)).collect();
        let targets = series.iter().map(|s| line_up(s.target)).collect();
        Grid {
            years,
            values,
            targets,
        }
    }

    pub(super) fn has_target(&self, i: usize) -> bool {
        self.targets[i].iter().any(Option::is_some)
    }

    /// Whether more than one series has targets (then each target mark takes its series'
    /// colour).
    pub(super) fn several_targets(&self) -> bool {
        (0..self.targets.len())
            .filter(|i| self.has_target(*i))
            .count()
            > 1
    }
}

/// The colour number of series `i`.
pub(super) fn colour(i: usize) -> usize {
    i % COLOURS + 1
}

/// Extra classes for a target mark: its series' colour when several series have targets.
pub(super) fn target_class(colour: Option<usize>) -> String {
    colour.map_or_else(String::new, |c| format!(" target-{c}"))
}

/// The row header and legend text for a series' targets.
pub(super) fn target_name(series: &[Series], i: usize, words: &ChartWords) -> String {
    if series.len() > 1 {
        format!("{}: {}", words.target, series[i].label)
    } else {
        words.target.to_string()
    }
}

#[cfg(test)]
mod tests {
    use crate::chart::testdata::data;
    use crate::chart::{Kind, render};
    use crate::i18n::Lang;

    #[test]
    fn missing_years_are_empty_cells_and_gaps() {
        let a = data("A", "", &[(2019, 1.0), (2021, 3.0)]);
        let b = data("B", "", &[(2020, 2.0)]);
        let series = [a.series(), b.series()];
        let html = render("m", "M", &series, Kind::Line, Lang::Sv).html;
        assert!(html.contains(
            "<tr><td></td><th scope=\"col\">2019</th><th scope=\"col\">2020</th><th scope=\"col\">2021</th></tr>"
        ));
        assert!(html.contains(
            "<tr><th scope=\"row\">A</th><td class=\"num\">1</td><td class=\"num\"></td><td class=\"num\">3</td></tr>"
        ));
        assert!(html.contains(
            "<tr><th scope=\"row\">B</th><td class=\"num\"></td><td class=\"num\">2</td><td class=\"num\"></td></tr>"
        ));
        // No year follows another in either series: points only, no lines.
        assert!(!html.contains("<polyline"));
        assert_eq!(html.matches("<circle class=\"point").count(), 3 + 2);
        let bars = render("m", "M", &series, Kind::Bar, Lang::Sv).html;
        assert_eq!(bars.matches("<rect class=\"bar").count(), 2 + 3);
    }
}
