//! Charts: report metrics drawn at build time as inline SVG (bars or lines by year, with
//! targets), described in words and repeated as a data table; no JavaScript, and colours
//! only through CSS classes. Pure functions, no I/O: uses `i18n` for every number shown.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::i18n::{ChartWords, Lang, chart_words, format_number, with_unit};
use crate::metrics::Years;

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

pub struct Chart {
    /// `<figure class="chart">` holding a `<figcaption>` (the title), the inline `<svg>`,
    /// then a `<details>` with the same figures as a real data table.
    pub html: String,
}

// Geometry, in viewBox units. The SVG scales to its container's width, so at a 320 px
// screen one unit is about 0.7 px; text stays readable there.
const WIDTH: f64 = 400.0;
const FONT: f64 = 15.0;
/// A generous average advance of one character, to place and wrap text without measuring.
const CHAR_W: f64 = 0.64 * FONT;
const LINE_H: f64 = FONT + 4.0;
const PAD: f64 = 4.0;
const PLOT_H: f64 = 200.0;
const RIGHT_MARGIN: f64 = 20.0;
const SWATCH: f64 = 30.0;
const LEGEND_GAP: f64 = 16.0;
const MAX_LEGEND_LINES: usize = 3;
const MAX_BAR: f64 = 36.0;
const POINT_R: f64 = 4.0;
/// Target rings are larger than value points, so that both show when they coincide.
const TARGET_R: f64 = 6.0;
/// Bars of zero or tiny values still show a stub, so that they differ from a missing year.
const MIN_BAR_H: f64 = 2.5;
const COLOURS: usize = 6;
/// At most this many intervals between y ticks (so at most six ticks).
const MAX_INTERVALS: i64 = 5;

/// Draws `series` by year. `id` is unique within the page; element ids are built from it
/// (`chart-{id}-title`, `chart-{id}-desc`, `chart-{id}-caption`).
pub fn render(id: &str, title: &str, series: &[Series], kind: Kind, lang: Lang) -> Chart {
    let id = clean_id(id);
    let grid = Grid::new(series);
    let words = chart_words(lang);
    let svg = svg(&id, title, series, &grid, kind, lang, &words);
    let table = table(&id, title, series, &grid, lang, &words);
    let html = format!(
        "<figure class=\"chart\" id=\"chart-{id}\">\n<figcaption>{}</figcaption>\n{svg}{table}</figure>\n",
        esc(title)
    );
    Chart { html }
}

/// The series' values and targets lined up on the x axis: every year any of them has.
struct Grid {
    years: Vec<i32>,
    values: Vec<Vec<Option<f64>>>,
    targets: Vec<Vec<Option<f64>>>,
}

impl Grid {
    fn new(series: &[Series]) -> Grid {
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

    fn has_target(&self, i: usize) -> bool {
        self.targets[i].iter().any(Option::is_some)
    }
}

/// A value with its unit, as the series writes it.
fn amount(v: f64, s: &Series, lang: Lang) -> String {
    with_unit(&format_number(v, s.decimals, lang), s.unit, lang)
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

/// Coordinates with one decimal, never "-0.0".
fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

use crate::markdown::escape as esc;

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

fn colour(i: usize) -> usize {
    i % COLOURS + 1
}

/// The row header and legend text for a series' targets.
fn target_name(series: &[Series], i: usize, words: &ChartWords) -> String {
    if series.len() > 1 {
        format!("{}: {}", words.target, series[i].label)
    } else {
        words.target.to_string()
    }
}

/// Every value in words: "Deltagande familjer: 14 familjer år 2019, 17 familjer år 2020;
/// mål 20 familjer år 2021."
fn describe(series: &[Series], grid: &Grid, lang: Lang, words: &ChartWords) -> String {
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

/// Greedy word wrap to `max_chars` a line; more than `max_lines` lines end in "…".
fn wrap(text: &str, max_chars: usize, max_lines: usize) -> Vec<String> {
    let (max_chars, max_lines) = (max_chars.max(2), max_lines.max(1));
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: Vec<char> = word.chars().collect();
        loop {
            let used = line.chars().count();
            let sep = usize::from(used > 0);
            if used + sep + word.len() <= max_chars {
                if sep == 1 {
                    line.push(' ');
                }
                line.extend(word.iter());
                break;
            }
            if used > 0 {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word longer than a whole line is cut.
            let rest = word.split_off(max_chars);
            lines.push(word.iter().collect());
            word = rest;
            if word.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        let last = &mut lines[max_lines - 1];
        let mut kept: Vec<char> = last.chars().collect();
        kept.truncate(max_chars - 1);
        while kept.last() == Some(&' ') {
            kept.pop();
        }
        *last = kept.into_iter().chain(['…']).collect();
    }
    lines
}

enum Swatch {
    Bar(usize),
    Line(usize),
    /// Targets, in the series' colour when several series have targets.
    Target(Option<usize>),
}

struct Item {
    swatch: Swatch,
    lines: Vec<String>,
}

/// The legend's items: each series, then its targets, labels wrapped to the width.
fn legend_items(series: &[Series], grid: &Grid, kind: Kind, words: &ChartWords) -> Vec<Item> {
    let max_chars = ((WIDTH - 2.0 * PAD - SWATCH - 6.0) / CHAR_W).floor() as usize;
    let several_targets = (0..series.len()).filter(|i| grid.has_target(*i)).count() > 1;
    let mut items = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let swatch = match kind {
            Kind::Bar => Swatch::Bar(colour(i)),
            Kind::Line => Swatch::Line(colour(i)),
        };
        items.push(Item {
            swatch,
            lines: wrap(s.label, max_chars, MAX_LEGEND_LINES),
        });
        if grid.has_target(i) {
            items.push(Item {
                swatch: Swatch::Target(several_targets.then(|| colour(i))),
                lines: wrap(&target_name(series, i, words), max_chars, MAX_LEGEND_LINES),
            });
        }
    }
    items
}

/// Legend items placed in rows from the top: (x, row top, item), and the legend's bottom.
fn place_legend(items: Vec<Item>) -> (Vec<(f64, f64, Item)>, f64) {
    let mut placed = Vec::new();
    let (mut x, mut top, mut row_lines) = (PAD, PAD, 0usize);
    for item in items {
        let chars = item
            .lines
            .iter()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        let w = SWATCH + 6.0 + chars as f64 * CHAR_W;
        let multi = item.lines.len() > 1;
        if row_lines > 0 && (multi || x + w > WIDTH - PAD) {
            top += row_lines as f64 * LINE_H + 4.0;
            x = PAD;
            row_lines = 0;
        }
        row_lines = row_lines.max(item.lines.len());
        placed.push((x, top, item));
        // A wrapped item fills its rows.
        x = if multi { WIDTH } else { x + w + LEGEND_GAP };
    }
    (placed, top + row_lines as f64 * LINE_H)
}

fn draw_legend(out: &mut String, placed: &[(f64, f64, Item)], kind: Kind) {
    for &(x, row_top, ref item) in placed {
        let m = n(row_top + LINE_H / 2.0);
        match item.swatch {
            Swatch::Bar(c) => {
                let _ = writeln!(
                    out,
                    "<rect class=\"bar series-{c}\" x=\"{}\" y=\"{}\" width=\"14.0\" height=\"14.0\"/>",
                    n(x + SWATCH / 2.0 - 7.0),
                    n(row_top + LINE_H / 2.0 - 7.0)
                );
            }
            Swatch::Line(c) => {
                let _ = writeln!(
                    out,
                    "<line class=\"line series-{c}\" x1=\"{}\" y1=\"{m}\" x2=\"{}\" y2=\"{m}\"/>\n<circle class=\"point series-{c}\" cx=\"{}\" cy=\"{m}\" r=\"{}\"/>",
                    n(x + 2.0),
                    n(x + SWATCH - 2.0),
                    n(x + SWATCH / 2.0),
                    n(POINT_R),
                );
            }
            Swatch::Target(c) => {
                // Bars: dashes. Lines: a ring, then dashes (a ring in the middle would hide
                // the gaps).
                let class = target_class(c);
                let from = match kind {
                    Kind::Bar => x,
                    Kind::Line => x + 2.0 * TARGET_R + 2.0,
                };
                let _ = writeln!(
                    out,
                    "<line class=\"target{class}\" x1=\"{}\" y1=\"{m}\" x2=\"{}\" y2=\"{m}\"/>",
                    n(from),
                    n(x + SWATCH),
                );
                if kind == Kind::Line {
                    let _ = writeln!(
                        out,
                        "<circle class=\"target-point{class}\" cx=\"{}\" cy=\"{m}\" r=\"{}\"/>",
                        n(x + TARGET_R + 1.0),
                        n(TARGET_R)
                    );
                }
            }
        }
        for (k, line) in item.lines.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text x=\"{}\" y=\"{}\">{}</text>",
                n(x + SWATCH + 6.0),
                n(row_top + k as f64 * LINE_H + FONT),
                esc(line)
            );
        }
    }
}

/// The plot area and its scales.
struct Frame {
    left: f64,
    right: f64,
    bottom: f64,
    /// The y range: the first and last tick.
    lo: f64,
    hi: f64,
    /// The width of one year.
    slot: f64,
}

impl Frame {
    /// The middle of year number `i`.
    fn x(&self, i: usize) -> f64 {
        self.left + (i as f64 + 0.5) * self.slot
    }

    fn y(&self, v: f64) -> f64 {
        self.bottom - (v - self.lo) / (self.hi - self.lo) * PLOT_H
    }
}

fn svg(
    id: &str,
    title: &str,
    series: &[Series],
    grid: &Grid,
    kind: Kind,
    lang: Lang,
    words: &ChartWords,
) -> String {
    // The y scale, from every value and target, always including zero.
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
    let (tick_values, tick_decimals) = ticks(lo, hi, max_decimals);
    let tick_labels: Vec<String> = tick_values
        .iter()
        .map(|t| format_number(*t, Some(tick_decimals), lang))
        .collect();

    let (placed, legend_bottom) = place_legend(legend_items(series, grid, kind, words));
    // The unit above the y axis, when all series share one.
    let unit = series
        .first()
        .map(|s| s.unit)
        .filter(|u| !u.is_empty() && series.iter().all(|s| s.unit == *u));
    let unit_baseline = legend_bottom + 6.0 + FONT;
    let top = if unit.is_some() {
        unit_baseline + 16.0
    } else {
        legend_bottom + 16.0
    };
    let label_chars = tick_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1);
    let left = PAD + label_chars as f64 * CHAR_W + 8.0;
    let right = WIDTH - RIGHT_MARGIN;
    let frame = Frame {
        left,
        right,
        bottom: top + PLOT_H,
        lo: tick_values[0],
        hi: tick_values[tick_values.len() - 1],
        slot: (right - left) / grid.years.len().max(1) as f64,
    };
    let height = (frame.bottom + 16.0 + FONT).ceil();

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" font-size=\"{FONT}\" role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\">"
    );
    let _ = writeln!(out, "<title id=\"chart-{id}-title\">{}</title>", esc(title));
    let _ = writeln!(
        out,
        "<desc id=\"chart-{id}-desc\">{}</desc>",
        esc(&describe(series, grid, lang, words))
    );
    draw_legend(&mut out, &placed, kind);
    if let Some(unit) = unit {
        let _ = writeln!(
            out,
            "<text class=\"tick-label\" x=\"{}\" y=\"{}\">{}</text>",
            n(PAD),
            n(unit_baseline),
            esc(unit)
        );
    }
    draw_y_axis(&mut out, &frame, &tick_values, &tick_labels);
    draw_years(&mut out, &frame, &grid.years);
    let several_targets = (0..series.len()).filter(|i| grid.has_target(*i)).count() > 1;
    let target_classes: Vec<String> = (0..series.len())
        .map(|i| target_class(several_targets.then(|| colour(i))))
        .collect();
    match kind {
        Kind::Bar => draw_bars(&mut out, &frame, grid, &target_classes),
        Kind::Line => draw_lines(&mut out, &frame, grid, &target_classes),
    }
    out.push_str("</svg>\n");
    out
}

/// Grid lines and tick labels (zero gets the axis line, drawn over the data later).
fn draw_y_axis(out: &mut String, frame: &Frame, values: &[f64], labels: &[String]) {
    for (t, label) in values.iter().zip(labels) {
        let ty = frame.y(*t);
        if *t != 0.0 {
            let _ = writeln!(
                out,
                "<line class=\"grid\" x1=\"{}\" y1=\"{v}\" x2=\"{}\" y2=\"{v}\"/>",
                n(frame.left),
                n(frame.right),
                v = n(ty)
            );
        }
        let _ = writeln!(
            out,
            "<text class=\"tick-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            n(frame.left - 8.0),
            n(ty + 0.35 * FONT),
            esc(label)
        );
    }
}

/// Year labels, thinned from the latest year back so that they never touch.
fn draw_years(out: &mut String, frame: &Frame, years: &[i32]) {
    let chars = years.iter().map(|y| y.to_string().len()).max().unwrap_or(4);
    let every = ((chars as f64 * CHAR_W + 10.0) / frame.slot)
        .ceil()
        .max(1.0) as usize;
    for (i, year) in years.iter().enumerate() {
        if (years.len() - 1 - i).is_multiple_of(every) {
            let _ = writeln!(
                out,
                "<text class=\"tick-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
                n(frame.x(i)),
                n(frame.bottom + 8.0 + FONT)
            );
        }
    }
}

fn draw_axis(out: &mut String, frame: &Frame) {
    let _ = writeln!(
        out,
        "<line class=\"axis\" x1=\"{}\" y1=\"{z}\" x2=\"{}\" y2=\"{z}\"/>",
        n(frame.left),
        n(frame.right),
        z = n(frame.y(0.0))
    );
}

/// Bars grouped by year, then the zero line, then a short dashed line over each target.
fn draw_bars(out: &mut String, frame: &Frame, grid: &Grid, target_classes: &[String]) {
    let count = grid.values.len().max(1) as f64;
    let group = (frame.slot * 0.72).min(count * MAX_BAR);
    let bar = group / count;
    let gap = if count > 1.0 {
        (bar * 0.15).min(2.0)
    } else {
        0.0
    };
    let ext = (frame.slot * 0.12).min(4.0);
    let bar_x = |i: usize, j: usize| frame.x(i) - group / 2.0 + j as f64 * bar;
    let zero = frame.y(0.0);
    for (j, row) in grid.values.iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            let Some(v) = *v else { continue };
            let h = (frame.y(v) - zero).abs().max(MIN_BAR_H);
            let top = if v < 0.0 { zero } else { zero - h };
            let _ = writeln!(
                out,
                "<rect class=\"bar series-{}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                colour(j),
                n(bar_x(i, j) + gap / 2.0),
                n(top),
                n(bar - gap),
                n(h)
            );
        }
    }
    draw_axis(out, frame);
    for (j, row) in grid.targets.iter().enumerate() {
        for (i, t) in row.iter().enumerate() {
            let Some(t) = *t else { continue };
            let _ = writeln!(
                out,
                "<line class=\"target{}\" x1=\"{}\" y1=\"{v}\" x2=\"{}\" y2=\"{v}\"/>",
                target_classes[j],
                n(bar_x(i, j) - ext),
                n(bar_x(i, j) + bar + ext),
                v = n(frame.y(t))
            );
        }
    }
}

/// The zero line, dashed target lines, value lines (broken at missing years), then target
/// rings and value points on top.
fn draw_lines(out: &mut String, frame: &Frame, grid: &Grid, target_classes: &[String]) {
    draw_axis(out, frame);
    let polylines = |out: &mut String, row: &[Option<f64>], class: &str| {
        for run in runs(row).iter().filter(|run| run.len() > 1) {
            let points: Vec<String> = run
                .iter()
                .map(|(i, v)| format!("{},{}", n(frame.x(*i)), n(frame.y(*v))))
                .collect();
            let _ = writeln!(
                out,
                "<polyline class=\"{class}\" points=\"{}\"/>",
                points.join(" ")
            );
        }
    };
    let points = |out: &mut String, row: &[Option<f64>], class: &str, r: f64| {
        for (i, v) in row.iter().enumerate() {
            let Some(v) = *v else { continue };
            let _ = writeln!(
                out,
                "<circle class=\"{class}\" cx=\"{}\" cy=\"{}\" r=\"{}\"/>",
                n(frame.x(i)),
                n(frame.y(v)),
                n(r)
            );
        }
    };
    for (row, class) in grid.targets.iter().zip(target_classes) {
        polylines(out, row, &format!("target{class}"));
    }
    for (j, row) in grid.values.iter().enumerate() {
        polylines(out, row, &format!("line series-{}", colour(j)));
    }
    for (row, class) in grid.targets.iter().zip(target_classes) {
        points(out, row, &format!("target-point{class}"), TARGET_R);
    }
    for (j, row) in grid.values.iter().enumerate() {
        points(out, row, &format!("point series-{}", colour(j)), POINT_R);
    }
}

/// Extra classes for a target mark: its series' colour when several series have targets.
fn target_class(colour: Option<usize>) -> String {
    colour.map_or_else(String::new, |c| format!(" target-{c}"))
}

/// The runs of consecutive years that have a value: (x index, value).
fn runs(row: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut runs: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut current = Vec::new();
    for (i, v) in row.iter().enumerate() {
        match v {
            Some(v) => current.push((i, *v)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The same figures as a real table, behind a disclosure. A wide table scrolls sideways in
/// its own box, which is focusable so that keyboard users can scroll it too.
fn table(
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
    use std::path::Path;

    fn map(pairs: &[(i32, f64)]) -> Years {
        pairs.iter().copied().collect()
    }

    /// A series' data, owned, to borrow `Series` from.
    struct Data {
        label: &'static str,
        unit: &'static str,
        decimals: Option<u8>,
        values: Years,
        target: Years,
    }

    fn data(label: &'static str, unit: &'static str, values: &[(i32, f64)]) -> Data {
        Data {
            label,
            unit,
            decimals: None,
            values: map(values),
            target: Years::default(),
        }
    }

    impl Data {
        fn target(mut self, target: &[(i32, f64)]) -> Data {
            self.target = map(target);
            self
        }
        fn decimals(mut self, d: u8) -> Data {
            self.decimals = Some(d);
            self
        }
        fn series(&self) -> Series<'_> {
            Series {
                label: self.label,
                unit: self.unit,
                decimals: self.decimals,
                values: &self.values,
                target: &self.target,
            }
        }
    }

    struct Case {
        name: &'static str,
        title: &'static str,
        kind: Kind,
        lang: Lang,
        data: Vec<Data>,
    }

    impl Case {
        fn html(&self) -> String {
            let series: Vec<Series> = self.data.iter().map(Data::series).collect();
            render(self.name, self.title, &series, self.kind, self.lang).html
        }
    }

    const FAMILJER: &str = "Deltagande familjer";

    fn cases() -> Vec<Case> {
        let case = |name, title, kind, lang, data| Case {
            name,
            title,
            kind,
            lang,
            data,
        };
        let many: Vec<(i32, f64)> = (0..15)
            .map(|i| (2010 + i, f64::from(40 + (i * 37) % 50)))
            .collect();
        vec![
            case(
                "one-year",
                FAMILJER,
                Kind::Bar,
                Lang::Sv,
                vec![data(FAMILJER, "familjer", &[(2023, 17.0)])],
            ),
            case(
                "many-years",
                "Andel elever med godkända betyg",
                Kind::Line,
                Lang::Sv,
                vec![data("Godkända betyg", "%", &many).target(&[(2024, 95.0)])],
            ),
            case(
                "missing-years",
                "Deltagare per år",
                Kind::Line,
                Lang::Sv,
                vec![
                    data("Barn", "personer", &[(2018, 30.0), (2019, 34.0), (2021, 41.0), (2022, 45.0)]),
                    data("Vuxna", "personer", &[(2019, 12.0), (2020, 15.0), (2022, 22.0)]),
                ],
            ),
            case(
                "zero",
                "Allvarliga arbetsplatsolyckor",
                Kind::Bar,
                Lang::Sv,
                vec![data("Olyckor", "st", &[(2021, 0.0), (2022, 0.0), (2023, 0.0)])],
            ),
            case(
                "negative",
                "Resultat efter finansiella poster",
                Kind::Bar,
                Lang::Sv,
                vec![
                    data("Resultat", "mnkr", &[(2020, -3.2), (2021, 1.5), (2022, 12.0), (2023, 7.25)])
                        .decimals(1),
                ],
            ),
            case(
                "huge-outlier",
                "Besökare på webbplatsen",
                Kind::Bar,
                Lang::Sv,
                vec![data(
                    "Besökare",
                    "besök",
                    &[(2020, 12.0), (2021, 15.0), (2022, 250_000.0), (2023, 9.0)],
                )],
            ),
            case(
                "long-swedish-label",
                "Andel deltagare som uppger förbättrad psykisk hälsa",
                Kind::Bar,
                Lang::Sv,
                vec![
                    data(
                        "Andel deltagare som efter avslutat program i samverkan med regionens folkhälsoenhet och kommunernas socialtjänst uppger förbättrad psykisk hälsa och ökad livskvalitet",
                        "%",
                        &[(2021, 61.5), (2022, 64.0), (2023, 70.25)],
                    )
                    .target(&[(2023, 75.0)]),
                ],
            ),
            case(
                "two-series-bar",
                "Deltagande i En frisk generation",
                Kind::Bar,
                Lang::Sv,
                vec![
                    data("Familjer", "personer", &[(2019, 14.0), (2020, 17.0), (2021, 19.0)])
                        .target(&[(2021, 20.0)]),
                    data("Barn & unga", "personer", &[(2019, 31.0), (2020, 40.0), (2021, 38.0)]),
                ],
            ),
            case(
                "line-with-target",
                FAMILJER,
                Kind::Line,
                Lang::Sv,
                vec![
                    data(FAMILJER, "familjer", &[(2019, 14.0), (2020, 17.0)])
                        .target(&[(2021, 20.0), (2022, 24.0)]),
                ],
            ),
            case(
                "english",
                "Participating families",
                Kind::Line,
                Lang::En,
                vec![
                    data("Families", "families", &[(2019, 1400.0), (2020, 1725.5), (2021, -12.0)])
                        .target(&[(2021, 2000.0)]),
                    data("New families (\"EFG+\")", "families", &[(2019, 310.0), (2020, 452.0)])
                        .target(&[(2020, 452.0), (2021, 600.0)]),
                ],
            ),
        ]
    }

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
    fn zero_line_when_values_go_negative() {
        let d = data("Resultat", "mnkr", &[(2020, -3.0), (2021, 12.0)]);
        let html = render("z", "R", &[d.series()], Kind::Bar, Lang::Sv).html;
        let axis = html.split("<line class=\"axis\"").nth(1).unwrap();
        let zero: f64 = num(axis, "y1");
        let grid_below = html
            .split("<line class=\"grid\"")
            .skip(1)
            .any(|g| num(g, "y1") > zero);
        assert!(
            grid_below,
            "the zero line should sit above the −5 grid line: {html}"
        );
        assert!(html.contains(">\u{2212}5</text>"));
        // The negative bar hangs from the zero line.
        let rects: Vec<&str> = html.split("<rect class=\"bar series-1\"").skip(2).collect();
        assert_eq!(num(rects[0], "y"), zero);
    }

    #[test]
    fn tick_labels_swedish() {
        let d = data("Saldo", "kr", &[(2020, -12_000.0), (2021, 48_000.0)]);
        let html = render("s", "Saldo", &[d.series()], Kind::Bar, Lang::Sv).html;
        assert!(html.contains(">\u{2212}20\u{a0}000</text>"), "{html}");
        assert!(html.contains(">40\u{a0}000</text>"), "{html}");
    }

    /// The value of attribute `name` in the tag text `tag`.
    fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[at..].split('"').next()
    }

    fn num(tag: &str, name: &str) -> f64 {
        attr(tag, name)
            .unwrap_or_else(|| panic!("no {name} in {tag}"))
            .parse()
            .unwrap_or_else(|_| panic!("{name} is not a number in {tag}"))
    }

    /// Estimated boxes of every `<text>`: (left, top, right, bottom).
    fn text_boxes(svg: &str) -> Vec<(f64, f64, f64, f64, String)> {
        let mut boxes = Vec::new();
        for part in svg.split("<text").skip(1) {
            let (tag, rest) = part.split_once('>').unwrap();
            let content = rest.split("</text>").next().unwrap();
            let chars = content
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .chars()
                .count() as f64;
            let (x, y) = (num(tag, "x"), num(tag, "y"));
            let w = chars * CHAR_W;
            let x0 = match attr(tag, "text-anchor") {
                Some("end") => x - w,
                Some("middle") => x - w / 2.0,
                _ => x,
            };
            boxes.push((
                x0,
                y - 0.8 * FONT,
                x0 + w,
                y + 0.25 * FONT,
                content.to_string(),
            ));
        }
        boxes
    }

    fn check_geometry(name: &str, html: &str) {
        let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
        assert!(
            !svg.contains("NaN") && !svg.contains("inf"),
            "{name}: {svg}"
        );
        let view: Vec<f64> = attr(svg, "viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        let (w, h) = (view[2], view[3]);
        let inside = |x: f64, y: f64, what: &str| {
            assert!(
                (0.0..=w).contains(&x) && (0.0..=h).contains(&y),
                "{name}: ({x}, {y}) outside 0 0 {w} {h} in {what}"
            );
        };
        for part in svg.split('<').skip(1) {
            let tag = part.split('>').next().unwrap();
            if tag.starts_with('/') {
                continue;
            }
            let element = tag.split([' ', '/']).next().unwrap();
            match element {
                "rect" => {
                    let (x, y) = (num(tag, "x"), num(tag, "y"));
                    let (rw, rh) = (num(tag, "width"), num(tag, "height"));
                    assert!(rw >= 0.0 && rh >= 0.0, "{name}: {tag}");
                    inside(x, y, tag);
                    inside(x + rw, y + rh, tag);
                }
                "line" => {
                    inside(num(tag, "x1"), num(tag, "y1"), tag);
                    inside(num(tag, "x2"), num(tag, "y2"), tag);
                }
                "circle" => {
                    let (x, y, r) = (num(tag, "cx"), num(tag, "cy"), num(tag, "r"));
                    inside(x - r, y - r, tag);
                    inside(x + r, y + r, tag);
                }
                "polyline" => {
                    for p in attr(tag, "points").unwrap().split(' ') {
                        let (x, y) = p.split_once(',').unwrap();
                        inside(x.parse().unwrap(), y.parse().unwrap(), tag);
                    }
                }
                "text" | "svg" | "title" | "desc" => {}
                other => panic!("{name}: unexpected element <{other}"),
            }
        }
        let boxes = text_boxes(svg);
        for (i, a) in boxes.iter().enumerate() {
            inside(a.0, a.1, &a.4);
            inside(a.2, a.3, &a.4);
            for b in &boxes[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{name}: text `{}` overlaps `{}`", a.4, b.4);
            }
        }
    }

    #[test]
    fn everything_inside_the_view_box_and_no_overlaps() {
        for case in cases() {
            check_geometry(case.name, &case.html());
        }
        // Many series (colours cycle), a wide range, a lone year in a line chart.
        let many: Vec<Data> = (0..8)
            .map(|i| {
                data(
                    "Serie",
                    "",
                    &[(2020, f64::from(i)), (2021, f64::from(-i * 1000))],
                )
            })
            .collect();
        let series: Vec<Series> = many.iter().map(Data::series).collect();
        for kind in [Kind::Bar, Kind::Line] {
            check_geometry("eight", &render("e", "Åtta", &series, kind, Lang::Sv).html);
        }
        let lone = data("En", "", &[(2020, 5.0)]).target(&[(2020, 7.0)]);
        check_geometry(
            "lone",
            &render("l", "En", &[lone.series()], Kind::Line, Lang::En).html,
        );
        check_geometry(
            "empty",
            &render("n", "Inget", &[], Kind::Bar, Lang::Sv).html,
        );
        let tiny = data("Liten", "", &[(2020, 1e-10), (2021, f64::NAN)]);
        for kind in [Kind::Bar, Kind::Line] {
            check_geometry(
                "tiny",
                &render("t", "T", &[tiny.series()], kind, Lang::Sv).html,
            );
        }
        let wide = data("Bred", "", &[(1990, 1e9), (2030, -1e9)]).target(&[(2010, 5.0)]);
        check_geometry(
            "wide",
            &render("w", "W", &[wide.series()], Kind::Bar, Lang::En).html,
        );
    }

    #[test]
    fn colours_only_through_classes() {
        for case in cases() {
            let html = case.html();
            let svg = &html[html.find("<svg").unwrap()..html.find("</svg>").unwrap()];
            for bad in [
                " fill=",
                " stroke=",
                " style=",
                "\"#",
                "rgb(",
                " xmlns",
                " width=\"100%\" height",
            ] {
                assert!(!svg.contains(bad), "{}: {bad}", case.name);
            }
            assert!(
                html.contains("class=\"bar series-1\"") || html.contains("class=\"line series-1\"")
            );
        }
    }

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
    fn legend_wraps_long_labels() {
        let lines = wrap(
            "Andel deltagare som efter avslutat program uppger förbättrad hälsa",
            20,
            3,
        );
        assert_eq!(
            lines,
            ["Andel deltagare som", "efter avslutat", "program uppger…"]
        );
        assert_eq!(wrap("Kort", 20, 3), ["Kort"]);
        assert_eq!(
            wrap("Hållbarhetsredovisningen", 10, 3),
            ["Hållbarhet", "sredovisni", "ngen"]
        );
        for l in wrap(&"ord ".repeat(100), 43, 3) {
            assert!(l.chars().count() <= 43);
        }
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
