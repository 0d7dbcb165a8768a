//! Key-figure tables: a row per metric with its years, change and targets, and the
//! sources and notes of its metrics under it, numbered, with a linked mark on each row.

use std::collections::BTreeSet;

use super::{change, note, targets, value_html};
use crate::html::escape;
use crate::i18n::{self, FigureWords, Lang};
use crate::metrics::Metric;

/// [`table_with_id`] for tables of which no two share a metric, as those of the
/// key-figures and print pages: their notes are named after their first metric
/// (`notes-<id>-note-1`).
pub fn table(caption: &str, metrics: &[&Metric], lang: Lang, anchors: bool) -> String {
    let id = format!("notes-{}", metrics.first().map_or("", |m| m.id.as_str()));
    table_with_id(caption, metrics, lang, anchors, &id)
}

/// A key-figure table: label, unit, one column per year, the latest change and every
/// target with how the latest value stands against it. Under the table, the sources and
/// notes of its metrics, numbered, and a mark on each row that has one, a link to its
/// note; when every row has the same note, one line under the table and no marks.
/// With `anchors`, each row has the id `metric-<id>` (only the key-figures page has them,
/// so a page showing several tables never repeats an id). `id` is unique on the page and
/// names the notes: `<id>-note-1`.
pub fn table_with_id(
    caption: &str,
    metrics: &[&Metric],
    lang: Lang,
    anchors: bool,
    id: &str,
) -> String {
    let w = i18n::figure_words(lang);
    let years: BTreeSet<i32> = metrics
        .iter()
        .flat_map(|m| m.values.keys().copied())
        .collect();
    let notes = Notes::new(metrics, lang);
    // A scrolling region must be reachable by keyboard, and named (WCAG 2.1.1, 4.1.2).
    let mut h = format!(
        "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{}\"><table class=\"key-figures\">\n",
        escape(caption)
    );
    h.push_str(&format!(
        "<caption>{}</caption>\n<thead><tr>",
        escape(caption)
    ));
    h.push_str(&format!(
        "<th scope=\"col\">{}</th><th scope=\"col\">{}</th>",
        w.metric, w.unit
    ));
    for y in &years {
        h.push_str(&format!("<th scope=\"col\" class=\"num\">{y}</th>"));
    }
    h.push_str(&format!(
        "<th scope=\"col\" class=\"num\">{}</th><th scope=\"col\" class=\"num\">{}</th></tr></thead>\n<tbody>\n",
        w.change, w.target
    ));
    for (i, m) in metrics.iter().enumerate() {
        let row_id = anchors.then(|| format!("metric-{}", m.id));
        h.push_str(&row(m, &years, lang, row_id, &notes.mark(i, id, &w)));
    }
    h.push_str("</tbody>\n</table></div>\n");
    h.push_str(&notes.html(id, &w));
    h
}

/// One row of a key-figure table.
fn row(m: &Metric, years: &BTreeSet<i32>, lang: Lang, id: Option<String>, mark: &str) -> String {
    let id = id.map_or_else(String::new, |id| format!(" id=\"{}\"", escape(&id)));
    let mut h = format!(
        "<tr{id}><th scope=\"row\">{}{mark}</th><td>{}</td>",
        escape(&m.label),
        value_html(&m.unit)
    );
    for y in years {
        let cell = m
            .values
            .get(y)
            .map(|v| i18n::format_number(*v, m.decimals, lang))
            .unwrap_or_default();
        h.push_str(&format!("<td class=\"num\">{cell}</td>"));
    }
    let change = m
        .latest()
        .and_then(|(y, _)| change(m, y, lang))
        .map_or_else(|| "–".to_string(), |c| escape(&c));
    let targets: Vec<String> = targets(m, lang).iter().map(|t| t.html(lang)).collect();
    let targets = if targets.is_empty() {
        "–".to_string()
    } else {
        targets.join("<br>")
    };
    h.push_str(&format!(
        "<td class=\"num\">{change}</td><td class=\"num figure-targets\">{targets}</td></tr>\n"
    ));
    h
}

/// The notes of a table's rows: each different text once, numbered in row order.
struct Notes {
    texts: Vec<String>,
    /// Each row's note, by its place in `texts`.
    of_row: Vec<Option<usize>>,
    /// Every row has the one note: it goes under the table without marks.
    shared: bool,
}

impl Notes {
    fn new(metrics: &[&Metric], lang: Lang) -> Notes {
        let mut texts: Vec<String> = Vec::new();
        let of_row: Vec<Option<usize>> = metrics
            .iter()
            .map(|m| {
                let text = note(m, lang)?;
                Some(texts.iter().position(|t| *t == text).unwrap_or_else(|| {
                    texts.push(text);
                    texts.len() - 1
                }))
            })
            .collect();
        let shared = texts.len() == 1 && of_row.iter().all(Option::is_some);
        Notes {
            texts,
            of_row,
            shared,
        }
    }

    /// The mark after a row's label: a link to its note, read as "not 1".
    fn mark(&self, row: usize, id: &str, w: &FigureWords) -> String {
        match self.of_row.get(row).copied().flatten() {
            Some(n) if !self.shared => format!(
                "<sup class=\"figure-mark\"><a href=\"#{}-note-{}\"><span class=\"figure-sr\">{} </span>{}</a></sup>",
                escape(id),
                n + 1,
                w.note_mark,
                n + 1
            ),
            _ => String::new(),
        }
    }

    fn html(&self, id: &str, w: &FigureWords) -> String {
        if self.shared {
            return format!("<p class=\"figure-notes\">{}</p>\n", escape(&self.texts[0]));
        }
        if self.texts.is_empty() {
            return String::new();
        }
        let mut h = format!("<ol class=\"figure-notes\" aria-label=\"{}\">\n", w.notes);
        for (n, text) in self.texts.iter().enumerate() {
            h.push_str(&format!(
                "<li id=\"{}-note-{}\">{}</li>\n",
                escape(id),
                n + 1,
                escape(text)
            ));
        }
        h.push_str("</ol>\n");
        h
    }
}
