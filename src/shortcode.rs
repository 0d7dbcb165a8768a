//! Shortcodes: finds `{{ name(key=value, ...) }}` calls in Markdown text and evaluates them
//! against the site's metrics. Uses the metrics model and number formatting; no I/O.

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;

use crate::i18n::{self, Lang};
use crate::metrics::Metric;
use crate::suggest::did_you_mean;
use crate::{chart, figures};

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

/// Splits `text` into plain text and shortcode calls.
pub fn split(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest_from = 0;
    while let Some(found) = text[rest_from..].find("{{") {
        let start = rest_from + found;
        if start > rest_from {
            pieces.push(Piece::Text(&text[rest_from..start]));
        }
        let mut p = Parser {
            text,
            pos: start + 2,
        };
        match p.call(start) {
            Ok(call) => {
                rest_from = call.end;
                pieces.push(Piece::Call(call));
            }
            Err(e) => {
                // Skip past this call's closing braces, or to the end when there are none.
                rest_from = text[start + 2..]
                    .find("}}")
                    .map_or(text.len(), |i| start + 2 + i + 2);
                pieces.push(Piece::Bad(e));
            }
        }
    }
    if rest_from < text.len() {
        pieces.push(Piece::Text(&text[rest_from..]));
    }
    pieces
}

const SHAPE: &str = "write it as {{ metric(id=\"efg-familjer\") }}";

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.text[self.pos..].chars().next()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.text[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn ident(&mut self) -> Option<String> {
        let start = self.pos;
        while let Some(c) = self
            .peek()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        {
            self.pos += c.len_utf8();
        }
        (self.pos > start).then(|| self.text[start..self.pos].to_string())
    }

    fn expect(&mut self, s: &str, what: &str) -> Result<(), CallError> {
        self.skip_ws();
        if self.eat(s) {
            Ok(())
        } else {
            let found = match self.peek() {
                Some(c) => format!("`{c}`"),
                None => "the end of the text".to_string(),
            };
            Err(CallError::new(
                self.pos,
                format!("malformed shortcode: expected {what} but found {found}; {SHAPE}"),
            ))
        }
    }

    fn call(&mut self, start: usize) -> Result<Call, CallError> {
        self.skip_ws();
        let name = self.ident().ok_or_else(|| {
            CallError::new(
                self.pos,
                format!("malformed shortcode: expected a shortcode name after `{{{{`; {SHAPE}"),
            )
        })?;
        self.expect("(", "`(` after the shortcode name")?;
        let mut args: Vec<Arg> = Vec::new();
        self.skip_ws();
        if !self.eat(")") {
            loop {
                self.skip_ws();
                let offset = self.pos;
                let arg_name = self.ident().ok_or_else(|| {
                    CallError::new(
                        offset,
                        format!("malformed shortcode: expected an argument name; {SHAPE}"),
                    )
                })?;
                if args.iter().any(|a| a.name == arg_name) {
                    return Err(CallError::new(
                        offset,
                        format!("argument `{arg_name}` is given twice; keep one"),
                    ));
                }
                self.expect("=", &format!("`=` after `{arg_name}`"))?;
                self.skip_ws();
                let value = self.value(0)?;
                args.push(Arg {
                    name: arg_name,
                    value,
                    offset,
                });
                self.skip_ws();
                if self.eat(")") {
                    break;
                }
                self.expect(",", "`,` or `)` after an argument")?;
            }
        }
        self.expect("}}", "`}}` to close the shortcode")?;
        Ok(Call {
            name,
            args,
            start,
            end: self.pos,
        })
    }

    fn value(&mut self, depth: usize) -> Result<Value, CallError> {
        let at = self.pos;
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.pos += 1;
                self.string(q, at)
            }
            Some('[') if depth == 0 => {
                self.pos += 1;
                let mut items = Vec::new();
                self.skip_ws();
                if self.eat("]") {
                    return Ok(Value::List(items));
                }
                loop {
                    self.skip_ws();
                    items.push(self.value(depth + 1)?);
                    self.skip_ws();
                    if self.eat("]") {
                        return Ok(Value::List(items));
                    }
                    self.expect(",", "`,` or `]` in the list")?;
                }
            }
            _ => {
                let word_start = self.pos;
                while let Some(c) = self
                    .peek()
                    .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | '_'))
                {
                    self.pos += c.len_utf8();
                }
                let word = &self.text[word_start..self.pos];
                match word {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => word
                        .parse::<f64>()
                        .ok()
                        .filter(|n| n.is_finite() && word.starts_with(|c: char| c == '-' || c.is_ascii_digit()))
                        .map(Value::Num)
                        .ok_or_else(|| {
                            CallError::new(
                                at,
                                format!(
                                    "malformed shortcode: expected a value (\"text\", a number, true or false) but found `{word}`; put text in double quotes"
                                ),
                            )
                        }),
                }
            }
        }
    }

    fn string(&mut self, quote: char, at: usize) -> Result<Value, CallError> {
        let mut s = String::new();
        loop {
            match self.peek() {
                None | Some('\n') => {
                    return Err(CallError::new(
                        at,
                        format!(
                            "malformed shortcode: the text starting here has no closing {quote}"
                        ),
                    ));
                }
                Some('\\') => {
                    self.pos += 1;
                    if let Some(c) = self.peek() {
                        s.push(c);
                        self.pos += c.len_utf8();
                    }
                }
                Some(c) => {
                    self.pos += c.len_utf8();
                    if c == quote {
                        return Ok(Value::Str(s));
                    }
                    s.push(c);
                }
            }
        }
    }
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

const SHORTCODES: [&str; 3] = ["metric", "chart", "key_figures"];

/// Runs one call. Errors carry the offset of the part that is wrong.
pub fn evaluate(call: &Call, env: &Env) -> Result<Output, CallError> {
    match call.name.as_str() {
        "metric" => metric(call, env),
        "chart" => chart(call, env),
        "key_figures" => key_figures(call, env),
        other => Err(CallError::new(
            call.start,
            format!(
                "unknown shortcode `{other}`{}",
                hint_or(
                    did_you_mean(other, SHORTCODES),
                    "; the shortcodes are metric, chart and key_figures"
                )
            ),
        )),
    }
}

fn hint_or(hint: String, fallback: &str) -> String {
    if hint.is_empty() {
        fallback.to_string()
    } else {
        hint
    }
}

/// The arguments of a call, checked against what the shortcode takes.
struct Args<'c> {
    call: &'c Call,
}

impl<'c> Args<'c> {
    fn new(call: &'c Call, known: &[&str]) -> Result<Self, CallError> {
        for arg in &call.args {
            if !known.contains(&arg.name.as_str()) {
                return Err(CallError::new(
                    arg.offset,
                    format!(
                        "unknown argument `{}` for {}{}",
                        arg.name,
                        call.name,
                        hint_or(
                            did_you_mean(&arg.name, known.iter().copied()),
                            &format!("; it takes {}", known.join(", "))
                        )
                    ),
                ));
            }
        }
        Ok(Args { call })
    }

    fn get(&self, name: &str) -> Option<&'c Arg> {
        self.call.args.iter().find(|a| a.name == name)
    }

    fn wrong(arg: &Arg, want: &str, example: &str) -> CallError {
        CallError::new(
            arg.offset,
            format!(
                "`{}` must be {want}, not {}; for example {example}",
                arg.name,
                arg.value.kind()
            ),
        )
    }

    fn string(&self, name: &str, example: &str) -> Result<Option<(&'c str, usize)>, CallError> {
        match self.get(name) {
            None => Ok(None),
            Some(Arg {
                value: Value::Str(s),
                offset,
                ..
            }) => Ok(Some((s.as_str(), *offset))),
            Some(a) => Err(Self::wrong(a, "text in quotes", example)),
        }
    }

    fn bool(&self, name: &str, default: bool) -> Result<bool, CallError> {
        match self.get(name) {
            None => Ok(default),
            Some(Arg {
                value: Value::Bool(b),
                ..
            }) => Ok(*b),
            Some(a) => Err(Self::wrong(
                a,
                "true or false",
                &format!("{name}={}", !default),
            )),
        }
    }

    fn strings(
        &self,
        name: &str,
        example: &str,
    ) -> Result<Option<(Vec<&'c str>, usize)>, CallError> {
        match self.get(name) {
            None => Ok(None),
            Some(
                a @ Arg {
                    value: Value::List(items),
                    offset,
                    ..
                },
            ) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::Str(s) => out.push(s.as_str()),
                        _ => return Err(Self::wrong(a, "a list of texts in quotes", example)),
                    }
                }
                Ok(Some((out, *offset)))
            }
            Some(a) => Err(Self::wrong(a, "a list", example)),
        }
    }
}

fn metric(call: &Call, env: &Env) -> Result<Output, CallError> {
    let args = Args::new(call, &["id", "year", "unit", "words", "change"])?;
    let (id, id_at) = args.string("id", "id=\"efg-familjer\"")?.ok_or_else(|| {
        CallError::new(
            call.start,
            "metric needs an id: write {{ metric(id=\"efg-familjer\") }}",
        )
    })?;
    let m = env.metric(id, id_at)?;
    let show = figures::Show {
        unit: args.bool("unit", true)?,
        words: args.bool("words", false)?,
        change: args.bool("change", false)?,
    };
    let (year, year_at) = match args.get("year") {
        None => (None, id_at),
        Some(
            a @ Arg {
                value: Value::Num(n),
                ..
            },
        ) if n.fract() == 0.0 => (Some(*n as i64), a.offset),
        Some(a) => return Err(Args::wrong(a, "a whole number", "year=2020")),
    };
    figures::metric_text(m, year, show, env.lang)
        .map(Output::Text)
        .map_err(|e| {
            let at = match e.about {
                figures::Faulty::Id => id_at,
                figures::Faulty::Year => year_at,
                figures::Faulty::Words => call.start,
            };
            CallError::new(at, e.message)
        })
}

/// The metrics named by `id="…"` or `ids=[…]`.
fn chosen<'e>(call: &Call, args: &Args, env: &Env<'e>) -> Result<Vec<&'e Metric>, CallError> {
    let single = args.string("id", "id=\"efg-familjer\"")?;
    let many = args.strings("ids", "ids=[\"efg-barn\", \"efg-vuxna\"]")?;
    let ids: Vec<(&str, usize)> = match (single, many) {
        (Some(one), None) => vec![one],
        (None, Some((list, at))) if !list.is_empty() => list.into_iter().map(|s| (s, at)).collect(),
        (None, Some((_, at))) => {
            return Err(CallError::new(
                at,
                "`ids` is empty; name at least one metric",
            ));
        }
        (Some(_), Some((_, at))) => {
            return Err(CallError::new(at, "give either `id` or `ids`, not both"));
        }
        (None, None) => {
            return Err(CallError::new(
                call.start,
                format!(
                    "{} needs metrics: write id=\"efg-familjer\" or ids=[\"efg-barn\", \"efg-vuxna\"]",
                    call.name
                ),
            ));
        }
    };
    ids.into_iter().map(|(id, at)| env.metric(id, at)).collect()
}

fn chart(call: &Call, env: &Env) -> Result<Output, CallError> {
    let args = Args::new(call, &["id", "ids", "kind", "title"])?;
    let metrics = chosen(call, &args, env)?;
    let kind = match args.string("kind", "kind=\"line\"")? {
        None | Some(("bar", _)) => chart::Kind::Bar,
        Some(("line", _)) => chart::Kind::Line,
        Some((other, at)) => {
            return Err(CallError::new(
                at,
                format!("unknown chart kind `{other}`; write kind=\"bar\" or kind=\"line\""),
            ));
        }
    };
    let title = match args.string("title", "title=\"Deltagare\"")? {
        Some((t, _)) => t.to_string(),
        None => metrics
            .iter()
            .map(|m| m.label.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let series: Vec<chart::Series> = metrics
        .iter()
        .map(|m| chart::Series {
            label: &m.label,
            unit: &m.unit,
            decimals: m.decimals,
            values: &m.values,
            target: &m.target,
        })
        .collect();
    let n = env.charts.get() + 1;
    env.charts.set(n);
    let id = format!("{}{n}", env.id_prefix);
    Ok(Output::Block(
        chart::render(&id, &title, &series, kind, env.lang).html,
    ))
}

fn key_figures(call: &Call, env: &Env) -> Result<Output, CallError> {
    let args = Args::new(call, &["id", "ids", "program", "caption"])?;
    let metrics = match args.string("program", "program=\"program/en-frisk-generation.md\"")? {
        Some((program, at)) => {
            if args.get("id").is_some() || args.get("ids").is_some() {
                return Err(CallError::new(
                    at,
                    "give either `program` or `ids`, not both",
                ));
            }
            let list: Vec<&Metric> = env
                .metrics
                .values()
                .filter(|m| m.program.as_ref().is_some_and(|(p, _)| p == program))
                .collect();
            if list.is_empty() {
                let programs: BTreeSet<&str> = env
                    .metrics
                    .values()
                    .filter_map(|m| m.program.as_ref().map(|(p, _)| p.as_str()))
                    .collect();
                return Err(CallError::new(
                    at,
                    format!(
                        "no metric belongs to program `{program}`{}",
                        hint_or(
                            did_you_mean(program, programs),
                            "; set `program:` on its metrics"
                        )
                    ),
                ));
            }
            for m in &list {
                env.used.borrow_mut().insert(m.id.clone());
            }
            list
        }
        None => chosen(call, &args, env)?,
    };
    let caption = match args.string("caption", "caption=\"Nyckeltal\"")? {
        Some((c, _)) => c.to_string(),
        None => i18n::texts(env.lang).key_figures.to_string(),
    };
    Ok(Output::Block(figures::table(
        &caption, &metrics, env.lang, false,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only_call(text: &str) -> Call {
        match split(text).into_iter().next() {
            Some(Piece::Call(c)) => c,
            other => panic!("not a call: {other:?}"),
        }
    }

    fn only_error(text: &str) -> CallError {
        split(text)
            .into_iter()
            .find_map(|p| match p {
                Piece::Bad(e) => Some(e),
                _ => None,
            })
            .expect("an error")
    }

    #[test]
    fn parses_a_call_with_every_value_kind() {
        let c = only_call(r#"{{ chart(id="a", year=2019, unit=false, ids=["x", 'y'], n=-0.5) }}"#);
        assert_eq!(c.name, "chart");
        let values: Vec<_> = c.args.iter().map(|a| a.value.clone()).collect();
        assert_eq!(
            values,
            vec![
                Value::Str("a".into()),
                Value::Num(2019.0),
                Value::Bool(false),
                Value::List(vec![Value::Str("x".into()), Value::Str("y".into())]),
                Value::Num(-0.5),
            ]
        );
    }

    #[test]
    fn splits_text_around_calls() {
        let pieces = split("totalt {{metric(id=\"a\")}} familjer");
        assert_eq!(pieces.len(), 3);
        assert_eq!(pieces[0], Piece::Text("totalt "));
        assert_eq!(pieces[2], Piece::Text(" familjer"));
    }

    #[test]
    fn reports_malformed_calls_at_the_offending_byte() {
        let e = only_error(r#"x {{ metric(id="a" }} y"#);
        assert_eq!(e.offset, 19);
        assert!(e.message.contains("expected `,` or `)`"), "{}", e.message);
        let e = only_error(r#"{{ metric(id=efg) }}"#);
        assert!(e.message.contains("double quotes"), "{}", e.message);
        let e = only_error(r#"{{ metric(id="a", id="b") }}"#);
        assert!(e.message.contains("given twice"), "{}", e.message);
        let e = only_error("{{ metric(id=\"a\") ");
        assert!(e.message.contains("`}}`"), "{}", e.message);
    }

    #[test]
    fn text_after_a_bad_call_is_kept() {
        let pieces = split("{{ oops }} after");
        assert!(matches!(pieces[0], Piece::Bad(_)));
        assert_eq!(pieces[1], Piece::Text(" after"));
    }
}
