//! The numbers of a metric as written: its values and targets by year, and `decimals:`,
//! each checked where it is written, so that one bad number is one error about it alone.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::Years;
use crate::diag::Diagnostics;
use crate::yaml::{self, Block};

/// What a year whose value was refused holds. The build fails on the refusal itself, so
/// the stand-in is never shown; it is a number every use can show (in words too, with
/// its change), so that no use of the year is an error of its own.
pub const REFUSED: f64 = 0.0;

/// A value as written: a number, or the text written where a number goes (`61,5`,
/// `13 440`), so that one such value is an error about it alone and the file's other
/// metrics are still read.
#[derive(Debug)]
pub enum Number {
    Ok(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Number, E> {
                Ok(Number::Ok(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Number, E> {
                Ok(Number::Ok(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Number, E> {
                Ok(Number::Ok(v as f64))
            }
            fn visit_str<E>(self, v: &str) -> Result<Number, E> {
                Ok(Number::Text(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Number, E> {
                Ok(Number::Text(v.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Number, E> {
                Ok(Number::Text(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// `decimals:`, a whole number from 0 to 6.
pub fn decimals(block: Block, d: Spanned<i64>, diags: &mut Diagnostics) -> Option<u8> {
    let n = u8::try_from(d.value).ok().filter(|n| *n <= 6);
    if n.is_none() {
        diags.push(block.error(
            &d.referenced,
            format!(
                "decimals must be a whole number from 0 to 6, not {}",
                d.value
            ),
        ));
    }
    n
}

pub fn years(
    block: Block,
    id: &str,
    what: &str,
    raw: BTreeMap<i64, Spanned<Number>>,
    broken: bool,
    diags: &mut Diagnostics,
) -> Years {
    let mut out = Vec::new();
    for (year, value) in raw {
        let y = i32::try_from(year)
            .ok()
            .filter(|y| (1900..=2100).contains(y));
        let value = match value.value {
            Number::Ok(v) => Spanned {
                value: v,
                referenced: value.referenced,
                defined: value.defined,
            },
            Number::Text(text) => {
                // In a broken entry, an empty value is one whose mistake is reported.
                if !(broken && text.is_empty()) {
                    diags.push(block.error(&value.referenced, yaml::not_a_number(&text, false)));
                }
                // The year stays, so that showing it is no second error.
                if let Some(y) = y {
                    out.push((y, REFUSED));
                }
                continue;
            }
        };
        match y {
            None => diags.push(block.error(
                &value.referenced,
                format!("{year} in the {what} of `{id}` is not a year from 1900 to 2100"),
            )),
            Some(_) if !value.value.is_finite() || value.value.abs() >= 1e15 => diags.push(block.error(
                &value.referenced,
                format!("{year} in the {what} of `{id}` is not a number a report can show; write a number such as 17 or 99.5 (at most 15 digits)"),
            )),
            Some(y) => out.push((y, value.value)),
        }
    }
    out.into_iter().collect()
}
