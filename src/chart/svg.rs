//! The SVG drawing: the parts laid out from top to bottom, the title and description, the
//! axes, and the bars or lines with their targets. Uses `geometry`, `grid`, `scale`,
//! `legend`, `table` (for the description), `i18n` and the escape function.

use std::fmt::Write as _;

use super::geometry::{CHAR_W, FONT, PAD, POINT_R, TARGET_R, WIDTH, n};
use super::grid::{Grid, colour, target_class};
use super::scale::{Frame, Ticks};
use super::table::describe;
use super::{Kind, Series, legend};
use crate::html::escape as esc;
use crate::i18n::{ChartWords, Lang};

const MAX_BAR: f64 = 36.0;
/// Bars of zero or tiny values still show a stub, so that they differ from a missing year.
const MIN_BAR_H: f64 = 2.5;

/// What names a chart: its id, its title, and the unit of its y axis when the series do
/// not share one (the author said what they all count).
pub(super) struct Head<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) axis_unit: Option<&'a str>,
}

/// The chart as SVG: the legend at the top, the unit below it (when the series share one),
/// then the plot with its grid, tick labels, year labels and the bars or lines.
pub(super) fn svg(
    head: &Head,
    series: &[Series],
    grid: &Grid,
    kind: Kind,
    lang: Lang,
    words: &ChartWords,
) -> String {
    let (id, title) = (head.id, head.title);
    let ticks = Ticks::new(series, grid, lang);
    let (placed, legend_bottom) = legend::place(legend::items(series, grid, kind, words));
    let unit = head.axis_unit.or_else(|| shared_unit(series));
    let unit_baseline = legend_bottom + 6.0 + FONT;
    let top = if unit.is_some() {
        unit_baseline + 16.0
    } else {
        legend_bottom + 16.0
    };
    let frame = Frame::new(top, &ticks, &grid.years);
    let height = (frame.bottom + 16.0 + FONT).ceil();

    let mut out = String::new();
    let desc = describe(series, grid, lang, words);
    draw_head(&mut out, id, title, &desc, height);
    legend::draw(&mut out, &placed, kind);
    if let Some(unit) = unit {
        draw_unit(&mut out, unit, unit_baseline);
    }
    draw_y_axis(&mut out, &frame, &ticks.values, &ticks.labels);
    draw_years(&mut out, &frame, &grid.years);
    let target_classes = target_classes(grid);
    match kind {
        Kind::Bar => draw_bars(&mut out, &frame, grid, &target_classes),
        Kind::Line => draw_lines(&mut out, &frame, grid, &target_classes),
    }
    out.push_str("</svg>\n");
    out
}

/// The unit above the y axis, when all series share one.
fn shared_unit<'a>(series: &[Series<'a>]) -> Option<&'a str> {
    series
        .first()
        .map(|s| s.unit)
        .filter(|u| !u.is_empty() && series.iter().all(|s| s.unit == *u))
}

/// The `<svg>` start tag, sized to `height`, with the title and description it is
/// labelled by.
fn draw_head(out: &mut String, id: &str, title: &str, desc: &str, height: f64) {
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" font-size=\"{FONT}\" role=\"img\" aria-labelledby=\"chart-{id}-title chart-{id}-desc\">"
    );
    let _ = writeln!(out, "<title id=\"chart-{id}-title\">{}</title>", esc(title));
    let _ = writeln!(out, "<desc id=\"chart-{id}-desc\">{}</desc>", esc(desc));
}

/// The shared unit, above the tick labels.
fn draw_unit(out: &mut String, unit: &str, baseline: f64) {
    let _ = writeln!(
        out,
        "<text class=\"tick-label\" x=\"{}\" y=\"{}\">{}</text>",
        n(PAD),
        n(baseline),
        esc(unit)
    );
}

/// Each series' extra classes for its target marks.
fn target_classes(grid: &Grid) -> Vec<String> {
    let several_targets = grid.several_targets();
    (0..grid.targets.len())
        .map(|i| target_class(several_targets.then(|| colour(i))))
        .collect()
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
    let room = chars as f64 * CHAR_W + 10.0;
    let mut shown = vec![false; years.len()];
    let mut last_x = f64::INFINITY;
    for i in (0..years.len()).rev() {
        if last_x - frame.x(i) >= room {
            shown[i] = true;
            last_x = frame.x(i);
        }
    }
    for (i, year) in years.iter().enumerate() {
        if shown[i] {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::render;
    use crate::chart::testdata::{Data, cases, data};

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
}
