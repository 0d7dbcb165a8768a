//! The legend: an item for each series and for its targets, labels wrapped to the width,
//! placed in rows above the plot and drawn as SVG. Uses `geometry`, `grid`, the chart
//! words and the escape function.

use std::fmt::Write as _;

use super::geometry::{CHAR_W, FONT, LINE_H, PAD, POINT_R, TARGET_R, WIDTH, n};
use super::grid::{Grid, colour, target_class, target_name};
use super::{Kind, Series};
use crate::html::escape as esc;
use crate::i18n::ChartWords;

const SWATCH: f64 = 30.0;
const LEGEND_GAP: f64 = 16.0;
const MAX_LEGEND_LINES: usize = 3;

enum Swatch {
    Bar(usize),
    Line(usize),
    /// Targets, in the series' colour when several series have targets.
    Target(Option<usize>),
}

/// One legend entry: its swatch and its label, wrapped.
pub(super) struct Item {
    swatch: Swatch,
    lines: Vec<String>,
}

/// The legend's items: each series, then its targets, labels wrapped to the width.
pub(super) fn items(series: &[Series], grid: &Grid, kind: Kind, words: &ChartWords) -> Vec<Item> {
    let max_chars = ((WIDTH - 2.0 * PAD - SWATCH - 6.0) / CHAR_W).floor() as usize;
    let several_targets = grid.several_targets();
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
pub(super) fn place(items: Vec<Item>) -> (Vec<(f64, f64, Item)>, f64) {
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

/// Each placed item: its swatch, then its lines of text.
pub(super) fn draw(out: &mut String, placed: &[(f64, f64, Item)], kind: Kind) {
    for &(x, row_top, ref item) in placed {
        draw_swatch(out, x, row_top, &item.swatch, kind);
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

/// The swatch of an item whose row starts at `row_top`, at `x`.
fn draw_swatch(out: &mut String, x: f64, row_top: f64, swatch: &Swatch, kind: Kind) {
    let m = n(row_top + LINE_H / 2.0);
    match *swatch {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
