//! Tera set-up for a theme: loads its templates (every syntax error located in the
//! template's file), registers the template function `metric()` and, when a template
//! names it, the `metrics` map. Uses the model and the figure formatters; no I/O.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;
use tera::Tera;

use crate::diag::{Diagnostic, Diagnostics, Pos};
use crate::figures;
use crate::model::Site;
use crate::theme::Theme;

/// What templates see of a metric (`metrics.efg_familjer` does not work for ids with `-`;
/// write `metrics["efg-familjer"]`).
#[derive(Serialize)]
struct MetricCtx {
    id: String,
    label: String,
    unit: String,
    /// The latest value with its unit, formatted for the site language.
    value: String,
    year: Option<i32>,
    change: Option<String>,
    target: Option<String>,
    program: Option<String>,
    source: Option<String>,
    note: Option<String>,
}

fn metric_contexts(site: &Site) -> BTreeMap<String, MetricCtx> {
    let lang = site.config.lang;
    site.metrics
        .values()
        .map(|m| {
            let latest = m.latest();
            (
                m.id.clone(),
                MetricCtx {
                    id: m.id.clone(),
                    label: m.label.clone(),
                    unit: m.unit.clone(),
                    value: latest
                        .map(|(_, v)| figures::value(m, v, lang))
                        .unwrap_or_default(),
                    year: latest.map(|(y, _)| y),
                    change: latest.and_then(|(y, _)| figures::change(m, y, lang)),
                    target: figures::target(m, lang),
                    program: m.program.as_ref().map(|(p, _)| p.clone()),
                    source: m.source.clone(),
                    note: m.note.clone(),
                },
            )
        })
        .collect()
}

/// `{{ metric(id="efg-familjer", year=2019, unit=false) }}` or `target=2030` for templates:
/// the value the shortcode of the same name gives, with the same messages.
fn register_metric_function(tera: &mut Tera, site: &Site) {
    let metrics = site.metrics.clone();
    let lang = site.config.lang;
    tera.register_function(
        "metric",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let show = figures::Show {
                unit: kwargs.get::<bool>("unit")?.unwrap_or(true),
                ..Default::default()
            };
            let id = kwargs.must_get::<&str>("id")?;
            let pick = match (kwargs.get::<i64>("year")?, kwargs.get::<i64>("target")?) {
                (Some(_), Some(_)) => {
                    return Err(tera::Error::message(
                        "give either `year` (a value) or `target` (a target), not both",
                    ));
                }
                (Some(y), None) => figures::Pick::Year(y),
                (None, Some(y)) => figures::Pick::Target(y),
                (None, None) => figures::Pick::Latest,
            };
            figures::metric_value(&metrics, id, pick, show, lang)
                .map_err(|e| tera::Error::message(e.message))
        },
    );
}

/// Whether a template's text has `name` as a word of its own: `metrics` in
/// `{%- for m in metrics-%}`, not in `key_metrics` or the class name `metrics-table`.
fn mentions(source: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    // A hyphen joins words only between letters or digits (a class name); beside a
    // brace or a percent sign it is Tera's whitespace control.
    let joined = |hyphen: Option<char>, beyond: Option<char>| {
        hyphen.is_some_and(word) || (hyphen == Some('-') && beyond.is_some_and(word))
    };
    source.match_indices(name).any(|(i, m)| {
        let mut before = source[..i].chars().rev();
        let mut after = source[i + m.len()..].chars();
        !joined(before.next(), before.next()) && !joined(after.next(), after.next())
    })
}

/// Whether a template calls the function `name`.
fn calls(source: &str, name: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    source.match_indices(name).any(|(i, m)| {
        !source[..i].chars().next_back().is_some_and(word)
            && source[i + m.len()..].trim_start().starts_with('(')
    })
}

/// Loads the theme's templates into Tera; every template problem becomes a diagnostic.
pub fn load(site: &Site, diags: &mut Diagnostics) -> Option<Tera> {
    let theme = &site.theme;
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_metric_function(&mut tera, site);
    // Every metric as a template value costs about 700 bytes each; only a theme that uses
    // `metrics` pays for it.
    if theme
        .templates
        .values()
        .any(|t| mentions(&t.source, "metrics"))
    {
        tera.global_context()
            .insert("metrics", &metric_contexts(site));
    }
    let batch = theme
        .templates
        .iter()
        .map(|(name, t)| (name.as_str(), t.source.as_str()));
    match tera.add_raw_templates(batch) {
        Ok(()) => Some(tera),
        Err(e) => {
            // Tera stops at the first syntax error; parse each template alone to find all.
            let mut found = false;
            for (name, t) in &theme.templates {
                let mut alone = Tera::new();
                register_metric_function(&mut alone, site);
                if let Err(e) = alone.add_raw_template(name, &t.source)
                    && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
                {
                    diags.push(template_error(theme, &e));
                    found = true;
                }
            }
            if !found {
                diags.push(template_error(theme, &e));
            }
            None
        }
    }
}

/// A Tera error as a diagnostic at the template's line and column.
pub fn template_error(theme: &Theme, e: &tera::Error) -> Diagnostic {
    let path_of = |name: &str| {
        theme
            .templates
            .get(name)
            .map_or_else(|| PathBuf::from("themes").join(name), |t| t.path.clone())
    };
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let span = r.span();
            Diagnostic::error(
                path_of(r.filename()),
                Pos::new(span.start_line, span.start_col + 1),
                format!("template: {}", r.message()),
            )
        }
        tera::ErrorKind::MissingParent { current, parent } => Diagnostic::error(
            path_of(current),
            Pos::START,
            format!("template extends `{parent}`, which the theme does not have"),
        ),
        _ => {
            // Tera's report still names the place: ` --> page.html:3:12`.
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            let place = text
                .lines()
                .find_map(|l| l.trim().strip_prefix("--> "))
                .and_then(|loc| {
                    let mut parts = loc.rsplitn(3, ':');
                    let col = parts.next()?.parse().ok()?;
                    let line = parts.next()?.parse().ok()?;
                    Some((parts.next()?.to_string(), Pos::new(line, col)))
                });
            match place {
                Some((name, pos)) => {
                    Diagnostic::error(path_of(&name), pos, format!("template: {first}"))
                }
                None => Diagnostic::error(
                    PathBuf::from("themes"),
                    Pos::START,
                    format!("template: {first}"),
                ),
            }
        }
    }
}

/// Whether the theme's templates can show metrics of their own choosing (through
/// `metric()` or `metrics`), so that no page's metrics are known from its text alone.
pub fn theme_shows_any_metric(site: &Site) -> bool {
    site.theme
        .templates
        .values()
        .any(|t| mentions(&t.source, "metrics") || calls(&t.source, "metric"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_names_metrics_only_as_a_word_of_its_own() {
        let m = |s| mentions(s, "metrics");
        assert!(m(r#"{{ metrics["a"].label }}"#));
        assert!(m("{% for id, m in metrics %}"));
        assert!(!m("{{ p.key_metrics[0].value }}"));
        assert!(!m("{{ metrics_note }} {{ all_metrics }}"));
        assert!(!m(r#"<table class="metrics-table">"#));
        assert!(!m(r#"<table class="key-metrics">"#));
        assert!(m("{% for id, m in metrics-%}"));
        assert!(m("{{-metrics | length }}"));
        assert!(calls(r#"{{ metric(id="a") }}"#, "metric"));
        assert!(calls(r#"{{ metric (id="a") }}"#, "metric"));
        assert!(!calls(r#"<section class="metric-group">"#, "metric"));
    }
}
