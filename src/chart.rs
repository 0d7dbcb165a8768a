//! Charts: temporary stub until the SVG renderer lands.
use std::collections::BTreeMap;

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bar,
    Line,
}

pub struct Series<'a> {
    pub label: &'a str,
    pub unit: &'a str,
    pub decimals: Option<u8>,
    pub values: &'a BTreeMap<i32, f64>,
    pub target: &'a BTreeMap<i32, f64>,
}

pub struct Chart {
    pub html: String,
}

pub fn render(id: &str, title: &str, series: &[Series], kind: Kind, lang: Lang) -> Chart {
    let _ = (series, kind, lang);
    Chart {
        html: format!(
            "<figure class=\"chart\" id=\"chart-{id}\"><figcaption>{title}</figcaption></figure>"
        ),
    }
}
