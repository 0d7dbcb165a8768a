//! The y scale: round tick values and their labels, and the plot frame that turns years
//! and values into coordinates. Uses `geometry`, `grid` and `i18n::format_number`.

use super::Series;
use super::geometry::{CHAR_W, PAD, WIDTH};
use super::grid::Grid;
use crate::i18n::{Lang, format_number};

const PLOT_H: f64 = 200.0;
const RIGHT_MARGIN: f64 = 20.0;
/// At most this many intervals between y ticks (so at most six ticks).
const MAX_INTERVALS: i64 = 5;

/// The y axis' ticks: values and their labels in the site language.
pub(super) struct Ticks {
    pub(super) values: Vec<f64>,
    pub(super) labels: Vec<String>,
}

impl Ticks {
    /// Ticks covering every value and target, always including zero, with as many decimals
    /// as the figures show at most.
    pub(super) fn new(series: &[Series], grid: &Grid, lang: Lang) -> Ticks {
        let (lo, hi) = grid
            .values
            .iter()
            .chain(&grid.targets)
            .flatten()
            .flatten()
            .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
        let max_decimals = series
            .iter()
            .zip(grid.values.iter().zip(&grid.targets))
            .flat_map(|(s, (v, t))| {
                v.iter()
                    .chain(t)
                    .flatten()
                    .map(|x| shown_decimals(*x, s.decimals))
            })
            .max()
            .unwrap_or(0);
        let (values, decimals) = ticks(lo, hi, max_decimals);
        let labels = values
            .iter()
            .map(|t| format_number(*t, Some(decimals), lang))
            .collect();
        Ticks { values, labels }
    }
}

/// How many decimals the value shows (its own, capped at six, when the series sets none).
fn shown_decimals(v: f64, decimals: Option<u8>) -> u8 {
    decimals.unwrap_or_else(|| {
        let s = format!("{}", v.abs());
        s.split_once('.')
            .map_or(0, |(_, frac)| u8::try_from(frac.len().min(6)).unwrap_or(6))
    })
}

/// Round tick values covering `lo..=hi` (steps of 1, 2, 2.5 or 5 × 10^n, at most five
/// intervals) and the decimals to show them with, never more than `max_decimals` (so
/// whole-number metrics get whole-number ticks). An empty range gets the axis 0..1.
fn ticks(lo: f64, hi: f64, max_decimals: u8) -> (Vec<f64>, u8) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else {
        (lo.min(0.0), lo.max(0.0) + 1.0)
    };
    let span = hi - lo;
    if !span.is_finite() {
        return (vec![lo, hi], 0);
    }
    // Start one power of ten below the raw step, but not below what the decimals allow.
    let raw = (span / MAX_INTERVALS as f64).log10().floor() as i32 - 1;
    let mut exp = raw.max(-i32::from(max_decimals) - 1);
    for _ in 0..64 {
        for (mantissa, extra) in [(1.0, 0), (2.0, 0), (2.5, 1), (5.0, 0)] {
            let decimals = (extra - exp).max(0);
            if decimals > i32::from(max_decimals) {
                continue;
            }
            let step = mantissa * 10f64.powi(exp);
            let first = (lo / step + 1e-9).floor() as i64;
            // At least one interval, even when the range is tiny next to the step.
            let last = ((hi / step - 1e-9).ceil() as i64).max(first + 1);
            if last - first <= MAX_INTERVALS {
                let values = (first..=last).map(|k| k as f64 * step).collect();
                return (values, u8::try_from(decimals).unwrap_or(0));
            }
        }
        exp += 1;
    }
    (vec![lo, hi], 0)
}

/// How many calendar years `years` (sorted) spans, at least one.
fn span(years: &[i32]) -> usize {
    match (years.first(), years.last()) {
        (Some(&a), Some(&b)) => usize::try_from(b - a).unwrap_or(0) + 1,
        _ => 1,
    }
}

/// The plot area and its scales.
pub(super) struct Frame {
    pub(super) left: f64,
    pub(super) right: f64,
    pub(super) bottom: f64,
    /// The y range: the first and last tick.
    lo: f64,
    hi: f64,
    /// The width of one year.
    pub(super) slot: f64,
    /// The years of the grid, placed on a time scale: 2024 and 2030 lie six slots apart.
    years: Vec<i32>,
}

impl Frame {
    /// The plot area from `top` down, with room on its left for the widest tick label and
    /// a slot for each calendar year from the first of `years` to the last (years without
    /// figures keep their place, so uneven gaps look uneven).
    pub(super) fn new(top: f64, ticks: &Ticks, years: &[i32]) -> Frame {
        let label_chars = ticks
            .labels
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(1);
        let left = PAD + label_chars as f64 * CHAR_W + 8.0;
        let right = WIDTH - RIGHT_MARGIN;
        Frame {
            left,
            right,
            bottom: top + PLOT_H,
            lo: ticks.values[0],
            hi: ticks.values[ticks.values.len() - 1],
            slot: (right - left) / span(years) as f64,
            years: years.to_vec(),
        }
    }

    /// The middle of the grid's year number `i`.
    pub(super) fn x(&self, i: usize) -> f64 {
        let first = self.years.first().copied().unwrap_or(0);
        let year = self.years.get(i).copied().unwrap_or(first);
        self.left + (f64::from(year - first) + 0.5) * self.slot
    }

    /// The y coordinate of value `v`.
    pub(super) fn y(&self, v: f64) -> f64 {
        self.bottom - (v - self.lo) / (self.hi - self.lo) * PLOT_H
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::testdata::data;
    use crate::chart::{Kind, render};

    #[test]
    fn tick_values() {
        assert_eq!(ticks(0.0, 17.0, 0), (vec![0.0, 5.0, 10.0, 15.0, 20.0], 0));
        assert_eq!(ticks(-3.0, 12.0, 0), (vec![-5.0, 0.0, 5.0, 10.0, 15.0], 0));
        assert_eq!(ticks(0.0, 0.0, 0), (vec![0.0, 1.0], 0));
        assert_eq!(ticks(0.0, 0.0, 1).0.len(), 6);
        assert_eq!(
            ticks(0.0, 10.0, 0),
            (vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0], 0)
        );
        // 2.5 steps need a decimal: whole-number metrics skip them.
        assert_eq!(ticks(0.0, 12.0, 0), (vec![0.0, 5.0, 10.0, 15.0], 0));
        assert_eq!(
            ticks(0.0, 12.0, 1),
            (vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5], 1)
        );
        assert_eq!(
            ticks(0.0, 250_000.0, 0),
            (
                vec![0.0, 50_000.0, 100_000.0, 150_000.0, 200_000.0, 250_000.0],
                0
            )
        );
        let (t, d) = ticks(-0.3, 0.0, 2);
        let labels: Vec<String> = t
            .iter()
            .map(|v| format_number(*v, Some(d), Lang::Sv))
            .collect();
        assert_eq!(labels, ["\u{2212}0,3", "\u{2212}0,2", "\u{2212}0,1", "0,0"]);
        for (lo, hi, d) in [
            (0.0, 1e-6, 0),
            (-7.0, 3.0, 0),
            (0.0, 99.5, 1),
            (-1e9, 1e9, 0),
            (0.0, 0.37, 6),
        ] {
            let (t, _) = ticks(lo, hi, d);
            assert!(t.len() >= 2 && t.len() <= 6, "{lo}..{hi}: {t:?}");
            assert!(t[0] <= lo && t[t.len() - 1] >= hi, "{lo}..{hi}: {t:?}");
        }
    }

    #[test]
    fn extreme_ranges_still_give_ticks() {
        assert_eq!(ticks(0.0, 1e-300, 0), (vec![0.0, 1.0], 0));
        let (t, d) = ticks(0.0, 3e-7, 8);
        assert_eq!((t.len(), d), (4, 7));
        let (t, _) = ticks(-2.5e12, 0.0, 0);
        assert_eq!(t, [-2.5e12, -2e12, -1.5e12, -1e12, -5e11, 0.0]);
    }

    #[test]
    fn tick_labels_swedish() {
        let d = data("Saldo", "kr", &[(2020, -12_000.0), (2021, 48_000.0)]);
        let html = render("s", "Saldo", &[d.series()], Kind::Bar, Lang::Sv).html;
        assert!(html.contains(">\u{2212}20\u{a0}000</text>"), "{html}");
        assert!(html.contains(">40\u{a0}000</text>"), "{html}");
    }
}
