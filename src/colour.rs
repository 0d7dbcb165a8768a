//! Colours: parsing `#rrggbb`, WCAG 2.1 relative luminance and contrast ratio, a lighter
//! tint of the accent for dark mode, and a chart palette derived from the accent. Pure
//! functions; uses nothing from the crate.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#0a6b50` or `#0b5` (case-insensitive).
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.trim().strip_prefix('#')?;
        // `from_str_radix` takes a sign (`#+a+b+c`): only hex digits are a colour.
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => {
                let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
                Some(Rgb(byte(0)?, byte(2)?, byte(4)?))
            }
            _ => None,
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// WCAG 2.1 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// `self` mixed with white: 0.0 is `self`, 1.0 is white.
    pub fn tint(self, amount: f64) -> Rgb {
        let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * amount).round() as u8;
        Rgb(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// The WCAG contrast ratio of two colours, from 1 to 21.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// The least tint of `accent` that reaches `ratio` against `background`, for dark mode.
pub fn tint_for(accent: Rgb, background: Rgb, ratio: f64) -> Rgb {
    (0..=100)
        .map(|i| accent.tint(f64::from(i) / 100.0))
        .find(|c| contrast(*c, background) >= ratio)
        .unwrap_or(Rgb(255, 255, 255))
}

/// Hue, saturation and lightness (hue in degrees, the others from 0 to 1).
fn to_hsl(c: Rgb) -> (f64, f64, f64) {
    let [r, g, b] = [c.0, c.1, c.2].map(|v| f64::from(v) / 255.0);
    let (max, min) = (r.max(g).max(b), r.min(g).min(b));
    let l = (max + min) / 2.0;
    let d = max - min;
    if d == 0.0 {
        return (0.0, 0.0, l);
    }
    let s = d / (1.0 - (2.0 * l - 1.0).abs());
    let h = if max == r {
        60.0 * ((g - b) / d).rem_euclid(6.0)
    } else if max == g {
        60.0 * ((b - r) / d + 2.0)
    } else {
        60.0 * ((r - g) / d + 4.0)
    };
    (h, s, l)
}

fn from_hsl(h: f64, s: f64, l: f64) -> Rgb {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let x = c * (1.0 - ((h / 60.0).rem_euclid(2.0) - 1.0).abs());
    let m = l - c / 2.0;
    let (r, g, b) = match (h.rem_euclid(360.0) / 60.0) as u8 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    Rgb(byte(r), byte(g), byte(b))
}

/// Hue turns from the accent for the chart series after the first: far apart first, so
/// that two or three series differ most.
const PALETTE_TURNS: [f64; 5] = [180.0, 90.0, 270.0, 45.0, 225.0];

/// Six chart colours from `accent`, each at least 3:1 against every colour of
/// `backgrounds` (WCAG 1.4.11 for graphics): the accent itself (made lighter or darker
/// only if it must), then colours at other hues with the accent's saturation, their
/// lightness moved away from the backgrounds until they reach the ratio.
pub fn palette(accent: Rgb, backgrounds: &[Rgb]) -> [Rgb; 6] {
    let (h, s, l) = to_hsl(accent);
    let s = s.clamp(0.45, 0.85);
    let dark_ground = backgrounds.iter().all(|b| b.luminance() < 0.2);
    let reach = |hue: f64, start: f64| -> Rgb {
        let ok = |c: Rgb| backgrounds.iter().all(|b| contrast(c, *b) >= 3.0);
        (0..=100)
            .map(|i| {
                let step = f64::from(i) / 100.0;
                let l = if dark_ground {
                    start + (1.0 - start) * step
                } else {
                    start * (1.0 - step)
                };
                from_hsl(hue, s, l)
            })
            .find(|c| ok(*c))
            .unwrap_or(if dark_ground {
                Rgb(255, 255, 255)
            } else {
                Rgb(0, 0, 0)
            })
    };
    let first = if backgrounds.iter().all(|b| contrast(accent, *b) >= 3.0) {
        accent
    } else {
        reach(h, l)
    };
    let mut out = [first; 6];
    for (slot, turn) in out.iter_mut().skip(1).zip(PALETTE_TURNS) {
        *slot = reach(h + turn, l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Rgb::parse("#0a6b50"), Some(Rgb(10, 107, 80)));
        assert_eq!(Rgb::parse("#FFF"), Some(Rgb(255, 255, 255)));
        assert_eq!(Rgb::parse("0a6b50"), None);
        assert_eq!(Rgb::parse("#12345"), None);
        assert_eq!(Rgb(10, 107, 80).hex(), "#0a6b50");
    }

    #[test]
    fn contrast_matches_wcag() {
        let white = Rgb(255, 255, 255);
        let black = Rgb(0, 0, 0);
        assert!((contrast(white, black) - 21.0).abs() < 1e-9);
        assert!((contrast(Rgb(0x76, 0x76, 0x76), white) - 4.54).abs() < 0.01);
    }

    #[test]
    fn a_sign_is_not_a_hex_digit() {
        assert_eq!(Rgb::parse("#+a+b+c"), None);
        assert_eq!(Rgb::parse("#+ab"), None);
    }

    #[test]
    fn hsl_round_trips() {
        for c in [
            Rgb(10, 107, 80),
            Rgb(122, 31, 61),
            Rgb(255, 255, 255),
            Rgb(0, 0, 0),
        ] {
            let (h, s, l) = to_hsl(c);
            let back = from_hsl(h, s, l);
            let near = |a: u8, b: u8| a.abs_diff(b) <= 1;
            assert!(
                near(back.0, c.0) && near(back.1, c.1) && near(back.2, c.2),
                "{c:?} {back:?}"
            );
        }
    }

    #[test]
    fn every_palette_colour_stands_out_in_light_and_dark() {
        let light = [Rgb(0xff, 0xff, 0xff), Rgb(0xf3, 0xf6, 0xf4)];
        let dark = [Rgb(0x12, 0x16, 0x14), Rgb(0x1c, 0x23, 0x20)];
        for accent in [
            "#7a1f3d", "#0a6b50", "#1f5fbf", "#b4540a", "#444444", "#ffd700",
        ] {
            let a = Rgb::parse(accent).unwrap();
            for grounds in [&light[..], &dark[..]] {
                let p = palette(a, grounds);
                for c in p {
                    for g in grounds {
                        assert!(
                            contrast(c, *g) >= 3.0,
                            "{accent}: {} on {}",
                            c.hex(),
                            g.hex()
                        );
                    }
                }
                let distinct: std::collections::BTreeSet<_> = p.iter().map(|c| c.hex()).collect();
                assert_eq!(distinct.len(), 6, "{accent}: {p:?}");
            }
        }
    }

    #[test]
    fn tint_reaches_the_ratio() {
        let dark = Rgb(0x12, 0x16, 0x14);
        let t = tint_for(Rgb(10, 107, 80), dark, 4.5);
        assert!(contrast(t, dark) >= 4.5);
        assert!(contrast(Rgb(10, 107, 80).tint(0.0), dark) < 4.5);
    }
}
