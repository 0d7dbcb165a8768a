//! Running shortcode calls: checks each call's arguments against what it takes and
//! produces its output (`metric`, `chart`, `key_figures`). Uses the metrics model, the
//! key-figure formatting, the chart renderer and the site language's words.

use std::collections::BTreeSet;

use super::{Arg, Call, CallError, Env, Output, Value};
use crate::i18n;
use crate::metrics::Metric;
use crate::suggest::did_you_mean;
use crate::{chart, figures};

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

    /// A year: a whole number, with where it was written.
    fn year(&self, name: &str) -> Result<Option<(i64, usize)>, CallError> {
        match self.get(name) {
            None => Ok(None),
            Some(Arg {
                value: Value::Num(n),
                offset,
                ..
            }) if n.fract() == 0.0 => Ok(Some((*n as i64, *offset))),
            Some(a) => {
                let example = if name == "target" { 2030 } else { 2020 };
                Err(Self::wrong(
                    a,
                    "a whole number",
                    &format!("{name}={example}"),
                ))
            }
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
    let args = Args::new(call, &["id", "year", "target", "unit", "words", "change"])?;
    let example = format!("{}{}", env.example_arg(), env.placeholder_hint());
    let (id, id_at) = args.string("id", &example)?.ok_or_else(|| {
        CallError::new(
            call.start,
            format!("metric needs an id: write {}", env.example_call("")),
        )
    })?;
    let m = env.metric(id, id_at)?;
    let show = figures::Show {
        unit: args.bool("unit", true)?,
        words: args.bool("words", false)?,
        change: args.bool("change", false)?,
    };
    let year = args.year("year")?;
    let target = args.year("target")?;
    let (pick, at) = match (year, target) {
        (Some(_), Some((_, at))) => {
            return Err(CallError::new(
                at,
                "give either `year` (a value) or `target` (a target), not both",
            ));
        }
        (Some((y, at)), None) => (figures::Pick::Year(y), at),
        (None, Some((y, at))) => (figures::Pick::Target(y), at),
        (None, None) => (figures::Pick::Latest, id_at),
    };
    figures::metric_text(m, pick, show, env.lang)
        .map(Output::Text)
        .map_err(|e| {
            let mut message = e.message;
            let at = match e.about {
                figures::Faulty::Id => id_at,
                figures::Faulty::Year | figures::Faulty::Target => at,
                figures::Faulty::Words => call.start,
            };
            if let figures::Pick::Year(y) = pick
                && i32::try_from(y).is_ok_and(|y| m.target.get(&y).is_some())
            {
                message.push_str(&format!(
                    "; {y} is a target year: write target={y} to show the target"
                ));
            }
            CallError::new(at, message)
        })
}

/// The metrics named by `id="…"` or `ids=[…]`.
fn chosen<'e>(call: &Call, args: &Args, env: &Env<'e>) -> Result<Vec<&'e Metric>, CallError> {
    let hint = env.placeholder_hint();
    let single = args.string("id", &format!("{}{hint}", env.example_arg()))?;
    let many = args.strings("ids", &format!("{}{hint}", env.example_ids()))?;
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
                    "{} needs metrics: write {} or {}{hint}",
                    call.name,
                    env.example_arg(),
                    env.example_ids()
                ),
            ));
        }
    };
    ids.into_iter().map(|(id, at)| env.metric(id, at)).collect()
}

fn chart(call: &Call, env: &Env) -> Result<Output, CallError> {
    let args = Args::new(call, &["id", "ids", "kind", "title", "unit"])?;
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
    let axis_unit = args.string("unit", "unit=\"personer\"")?.map(|(u, _)| u);
    let units: BTreeSet<&str> = metrics.iter().map(|m| m.unit.as_str()).collect();
    if units.len() > 1 && axis_unit.is_none() {
        let list: Vec<String> = units.iter().map(|u| format!("`{u}`")).collect();
        return Err(CallError::new(
            call.start,
            format!(
                "these metrics have different units ({}), and a chart has one axis; chart them one by one, or, if they count the same kind of thing, name the axis with unit=\"…\" (e.g. unit=\"personer\")",
                list.join(", ")
            ),
        ));
    }
    env.charted
        .borrow_mut()
        .extend(metrics.iter().map(|m| m.id.clone()));
    let series: Vec<chart::Series> = metrics.iter().map(|&m| chart::Series::from(m)).collect();
    let n = env.charts.get() + 1;
    env.charts.set(n);
    let id = format!("{}{n}", env.id_prefix);
    Ok(Output::Block(
        chart::render_on_axis(&id, &title, &series, kind, env.lang, axis_unit).html,
    ))
}

fn key_figures(call: &Call, env: &Env) -> Result<Output, CallError> {
    let args = Args::new(call, &["id", "ids", "program", "caption"])?;
    let metrics = match args.string("program", &env.example_program())? {
        Some((program, at)) => {
            if args.get("id").is_some() || args.get("ids").is_some() {
                return Err(CallError::new(
                    at,
                    "give either `program` or `ids`, not both",
                ));
            }
            let belongs = |m: &&Metric, to: &dyn Fn(&str) -> bool| {
                m.program.as_ref().is_some_and(|(p, _)| to(p))
            };
            let mut list: Vec<&Metric> = env
                .metrics
                .values()
                .filter(|m| belongs(m, &|p| p == program))
                .collect();
            if list.is_empty() {
                // In an edition, its metrics belong to the translations (`x.en.md`); a
                // call copied from the page it translates names the original.
                let original =
                    |p: &str| crate::model::editions::default_rel(p, env.lang) == program;
                list = env
                    .metrics
                    .values()
                    .filter(|m| belongs(m, &original))
                    .collect();
            }
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
    // Charts and tables count together: either gives the page a unique id.
    let n = env.charts.get() + 1;
    env.charts.set(n);
    let id = format!("figures-{}{n}", env.id_prefix);
    Ok(Output::Block(figures::table_with_id(
        &caption, &metrics, env.lang, false, &id,
    )))
}
