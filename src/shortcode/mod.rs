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
}

impl CallError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        CallError {
            offset,
            message: message.into(),
        }
    }
}

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
            id_prefix: String::new(),
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
