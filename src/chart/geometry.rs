//! Sizes in viewBox units, shared by the legend, the scales and the drawing, and the one
//! way coordinates are written. Uses nothing.

// The SVG scales to its container's width, so at a 320 px screen one unit is about 0.7 px;
// text stays readable there.
pub(super) const WIDTH: f64 = 400.0;
pub(super) const FONT: f64 = 15.0;
/// A generous average advance of one character, to place and wrap text without measuring.
pub(super) const CHAR_W: f64 = 0.64 * FONT;
pub(super) const LINE_H: f64 = FONT + 4.0;
pub(super) const PAD: f64 = 4.0;
pub(super) const POINT_R: f64 = 4.0;
/// Target rings are larger than value points, so that both show when they coincide.
pub(super) const TARGET_R: f64 = 6.0;

/// Coordinates with one decimal, never "-0.0".
pub(super) fn n(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}
