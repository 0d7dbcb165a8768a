//! Colours: parsing `#rrggbb`, WCAG 2.1 relative luminance and contrast ratio, and a
//! lighter tint of the accent for dark mode. Pure functions; uses nothing from the crate.

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#0a6b50` or `#0b5` (case-insensitive).
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.trim().strip_prefix('#')?;
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
    fn tint_reaches_the_ratio() {
        let dark = Rgb(0x12, 0x16, 0x14);
        let t = tint_for(Rgb(10, 107, 80), dark, 4.5);
        assert!(contrast(t, dark) >= 4.5);
        assert!(contrast(Rgb(10, 107, 80).tint(0.0), dark) < 4.5);
    }
}
