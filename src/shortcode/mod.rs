//! Shortcodes: finds `{{ name(key=value, ...) }}` calls in Markdown text and evaluates them
//! against the site's metrics. The types shared by both steps live here; [`parse`] reads
//! calls out of text and [`eval`] runs them. Uses the metrics model, the key-figure
//! formatting and the chart renderer; no I/O.

mod eval;
mod parse;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use crate::figures;
use crate::i18n::Lang;
use crate::metrics::Metric;

pub use eval::evaluate;
pub use parse::split;

/// An argument value as written in a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    List(Vec<Value>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Value::Str(_) => "text",
            Value::Num(_) => "a number",
            Value::Bool(_) => "true or false",
            Value::List(_) => "a list",
        }
    }
}

/// One argument, with the byte offset of its name in the scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub name: String,
    pub value: Value,
    pub offset: usize,
}

/// A parsed call; `start..end` is its byte range in the scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<Arg>,
    pub start: usize,
    pub end: usize,
}

/// A problem at a byte offset of the scanned text.
#[derive(Debug, Clone, PartialEq)]
pub struct CallError {
    pub offset: usize,
    pub message: String,
    /// The message is to end with how to write a call, with a metric of the site, which
    /// the parser does not know: [`Env::message`] adds it.
    pub wants_example: bool,
}

impl CallError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        CallError {
            offset,
            message: message.into(),
            wants_example: false,
        }
    }
}

/// The values written in a call that may not parse: every text in quotes (to its end
/// when it is not closed) and every bare word right after a `=`.
fn written_values(call: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = call;
    while let Some(i) = rest.find(['"', '\'', '=']) {
        let c = rest.as_bytes()[i] as char;
        let after = &rest[i + 1..];
        let (value, next) = if c == '=' {
            let value = after.trim_start();
            let end = value
                .find(|c: char| !(c.is_alphanumeric() || "._-".contains(c)))
                .unwrap_or(value.len());
            (&value[..end], &value[end..])
        } else {
            let end = after.find(c).unwrap_or(after.len());
            (&after[..end], after.get(end + 1..).unwrap_or(""))
        };
        if !value.is_empty() {
            out.push(value);
        }
        rest = next;
    }
    out
}

/// Stands for a metric id in examples on a site without metrics.
const NO_ID: &str = "…";
const NO_ID_HINT: &str = ", where … is the id of a metric defined in a .yaml file under content/";

/// What a text is made of: plain runs and calls (or calls that could not be read).
#[derive(Debug, PartialEq)]
pub enum Piece<'a> {
    Text(&'a str),
    Call(Call),
    Bad(CallError),
}

/// The result of a call: text to be escaped, or a block of HTML that must stand in a
/// paragraph of its own.
#[derive(Debug, PartialEq)]
pub enum Output {
    Text(String),
    Block(String),
}

/// Everything a shortcode may look at, and what the calls on one page used.
pub struct Env<'a> {
    pub metrics: &'a crate::metrics::Metrics,
    pub lang: Lang,
    /// Metric ids the calls on this page used.
    pub used: RefCell<BTreeSet<String>>,
    /// How many charts this page has, for unique element ids.
    pub charts: Cell<usize>,
    /// Metric ids the text's charts show, so the page does not chart them again.
    pub charted: RefCell<BTreeSet<String>>,
    /// Put before chart ids, so several texts can share one page.
    pub id_prefix: String,
}

impl<'a> Env<'a> {
    pub fn new(metrics: &'a crate::metrics::Metrics, lang: Lang) -> Self {
        Env {
            metrics,
            lang,
            used: RefCell::new(BTreeSet::new()),
            charts: Cell::new(0),
            charted: RefCell::new(BTreeSet::new()),
            id_prefix: String::new(),
        }
    }

    /// A metric id of this site for an example: the one nearest to a value written in
    /// the call `written`, else the first; `None` when the site has no metrics.
    fn example_id(&self, written: &str) -> Option<&'a str> {
        let ids = || self.metrics.keys().map(String::as_str);
        written_values(written)
            .into_iter()
            .filter_map(|w| crate::suggest::closest_with_distance(w, ids()))
            .min()
            .map(|(_, id)| id)
            .or_else(|| ids().next())
    }

    /// `{{ metric(id="…") }}` with an id of this site (see [`Env::example_id`]), or a
    /// placeholder and where metrics come from.
    pub fn example_call(&self, written: &str) -> String {
        let id = self.example_id(written).unwrap_or(NO_ID);
        format!("{{{{ metric(id=\"{id}\") }}}}{}", self.placeholder_hint())
    }

    /// `id="…"` with the first id of this site; see [`Env::placeholder_hint`].
    fn example_arg(&self) -> String {
        format!("id=\"{}\"", self.example_id("").unwrap_or(NO_ID))
    }

    /// `ids=["a", "b"]` with the first two ids of this site; see [`Env::placeholder_hint`].
    fn example_ids(&self) -> String {
        let mut ids: Vec<String> = self
            .metrics
            .keys()
            .take(2)
            .map(|id| format!("\"{id}\""))
            .collect();
        if ids.is_empty() {
            ids = vec![format!("\"{NO_ID}\""); 2];
        }
        format!("ids=[{}]", ids.join(", "))
    }

    /// `program="…"` with a programme that metrics of this site belong to.
    fn example_program(&self) -> String {
        let program = self.metrics.values().find_map(|m| m.program.as_ref());
        let program = program.map_or("program/….md", |(p, _)| p.as_str());
        format!("program=\"{program}\"")
    }

    /// What the `…` of an example stands for, on a site without metrics; else nothing.
    fn placeholder_hint(&self) -> &'static str {
        if self.metrics.keys().next().is_none() {
            NO_ID_HINT
        } else {
            ""
        }
    }

    /// The message of `e`, found in the call written as `written`.
    pub fn message(&self, e: CallError, written: &str) -> String {
        if e.wants_example {
            format!("{}; write it as {}", e.message, self.example_call(written))
        } else {
            e.message
        }
    }

    /// The metric `id`, noted as used by this page.
    fn metric(&self, id: &str, at: usize) -> Result<&'a Metric, CallError> {
        let m =
            figures::find_metric(self.metrics, id).map_err(|e| CallError::new(at, e.message))?;
        self.used.borrow_mut().insert(id.to_string());
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_values_written_in_a_broken_call() {
        assert_eq!(
            written_values(r#"{{ metric(id="lekplatsr" year=2020, ids=['a', "b }}"#),
            ["lekplatsr", "2020", "a", "b }}"]
        );
        assert_eq!(written_values("{{ metric(id=parkr) }}"), ["parkr"]);
        assert!(written_values("{{ oops }}").is_empty());
    }

    #[test]
    fn examples_name_a_metric_of_the_site() {
        let file = crate::load::SourceFile {
            path: "content/m.yaml".into(),
            text: "parker:\n  label: P\n  unit: st\n  values: {2020: 1}\nlekplatser:\n  label: L\n  unit: st\n  values: {2020: 1}\n".into(),
        };
        let mut diags = crate::diag::Diagnostics::default();
        let metrics = crate::metrics::read(&[file], crate::i18n::Lang::Sv, &mut diags);
        assert!(diags.is_empty());
        let env = Env::new(&metrics, Lang::Sv);
        let nearest = env.example_call(r#"{{ metric(id="parkr" }}"#);
        assert_eq!(nearest, r#"{{ metric(id="parker") }}"#);
        // Nothing near: the first by id.
        let first = env.example_call("{{ metric(id=) }}");
        assert_eq!(first, r#"{{ metric(id="lekplatser") }}"#);
        assert_eq!(env.example_ids(), r#"ids=["lekplatser", "parker"]"#);
        let none = crate::metrics::Metrics::default();
        let env = Env::new(&none, Lang::Sv);
        assert!(
            env.example_call("").contains(r#"id="…""#),
            "{}",
            env.example_call("")
        );
        assert!(env.example_call("").contains(".yaml file under content/"));
    }
}
