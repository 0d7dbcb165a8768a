//! YAML through serde-saphyr, with every error turned into a diagnostic located in the
//! file (not in the YAML block) and worded for people who are not developers: the
//! parser's messages say what to write instead, every unknown key of a mapping is
//! reported at once, and the reading budget grows with the file while anchors stay
//! bounded (alias bombs). Uses only diagnostics and the did-you-mean hints.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::options::NonFiniteFloatPolicy;
use serde_saphyr::{Budget, DefaultMessageFormatter, Error, Location, MessageFormatter, Options};

use crate::diag::{Diagnostic, Pos};
use crate::suggest::did_you_mean;

mod keys;
mod messages;
mod recover;

pub use messages::not_a_number;

/// Where a YAML text sits in its file: the 1-based line of its first line.
#[derive(Debug, Clone, Copy)]
pub struct Block<'a> {
    pub path: &'a Path,
    pub first_line: usize,
    /// What the keys are called in messages: "front matter key", "setting", "metric key".
    pub key_noun: &'a str,
}

impl Block<'_> {
    /// A position in the file from a location in the YAML text.
    pub fn pos(&self, loc: &Location) -> Pos {
        if *loc == Location::UNKNOWN {
            return Pos::new(self.first_line, 1);
        }
        let line = usize::try_from(loc.line()).unwrap_or(1);
        let col = usize::try_from(loc.column()).unwrap_or(1);
        Pos::new(line + self.first_line - 1, col)
    }

    pub fn error(&self, loc: &Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.path, self.pos(loc), message)
    }
}

/// How many values anchors (`&a` … `*a`) may add to a file by repeating other values. Far
/// more than a report repeats; far less than an alias bomb expands to.
pub const MAX_REPEATED: usize = 10_000;

/// The reader's settings for `text`. The budget of nodes and events grows with the
/// file, so that a file of any size a person writes is read (every value takes at least
/// two bytes, `1,`), while what anchors add on top stays bounded by [`MAX_REPEATED`].
fn options(text: &str) -> Options {
    let mut o = Options::default();
    o.with_snippet = false;
    o.strict_booleans = true;
    // `.nan` and `.inf` reach the readers of numbers that also take text (metric values),
    // which refuse them with their own message.
    o.non_finite_float_policy = NonFiniteFloatPolicy::PassThrough;
    o.alias_limits.max_total_replayed_events = MAX_REPEATED;
    let mut budget = Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len() + MAX_REPEATED);
    budget.max_events = budget.max_events.max(2 * (text.len() + MAX_REPEATED) + 16);
    o.budget = Some(budget);
    o
}

/// Parses `text` as `T`. Each mistake becomes a diagnostic, all in one run: every
/// unknown key of every mapping, or else the one error that stopped the reading (with
/// the unknown keys written after it).
pub fn parse<T: DeserializeOwned>(text: &str, block: Block) -> Result<T, Vec<Diagnostic>> {
    match read_on(text, block, MAX_PASSES) {
        (Some(t), errors, _) if errors.is_empty() => Ok(t),
        (_, errors, _) => Err(errors),
    }
}

/// [`parse`] stopping at the first mistake: for a large file read again in parts when
/// it has one.
pub fn parse_once<T: DeserializeOwned>(text: &str, block: Block) -> Result<T, Vec<Diagnostic>> {
    match read_on(text, block, 1) {
        (Some(t), errors, _) if errors.is_empty() => Ok(t),
        (_, errors, _) => Err(errors),
    }
}

/// How many times a text is read again past a mistake; a text with more mistakes shows
/// the rest in the next run.
pub const MAX_PASSES: usize = 64;

/// Reads `text` as `T`, and past each mistake: the entry where the reading stopped is
/// blanked out and the text read again. Gives what was read without the broken entries
/// (`None` when even that could not be read), the mistakes (all of the first reading,
/// then only unknown keys, since a later problem may come from an entry blanked out) and
/// the text last read, with the broken entries blanked.
pub fn read_on<T: DeserializeOwned>(
    text: &str,
    block: Block,
    passes: usize,
) -> (Option<T>, Vec<Diagnostic>, String) {
    let mut errors = Vec::new();
    let mut current = text.to_string();
    for pass in 0..passes {
        let e = match serde_saphyr::from_str_with_options::<T>(&current, options(&current)) {
            Ok(t) => return (Some(t), errors, current),
            Err(e) => e,
        };
        let (found, next) = problem(e.without_snippet(), &current, block);
        errors.extend(
            found
                .into_iter()
                .filter(|d| pass == 0 || d.code == "unknown-key"),
        );
        match next {
            Some(t) => current = t,
            None => break,
        }
    }
    (None, errors, current)
}

/// The diagnostics for the error `e` in `text`, and the text without the entries it is
/// about, to read on (`None` when it cannot be read on).
fn problem(e: &Error, text: &str, block: Block) -> (Vec<Diagnostic>, Option<String>) {
    if let Error::SerdeUnknownField {
        expected, location, ..
    } = e
        && let Some(all) = unknown_keys(text, block, location, expected)
    {
        let at: Vec<(usize, usize)> = all.iter().map(|(_, at)| *at).collect();
        let diags = all.into_iter().map(|(d, _)| d).collect();
        return (diags, recover::without_keys(text, &at));
    }
    let d = diagnostic(e, text, block);
    let next = match (original(e), e.location()) {
        (Error::SerdeMissingField { .. }, _) | (_, None) => None,
        (_, Some(l)) if l == Location::UNKNOWN => None,
        (_, Some(l)) => {
            let n = |v: u64| usize::try_from(v).unwrap_or(0);
            recover::without_entry(text, n(l.line()), n(l.column()))
        }
    };
    (vec![d], next)
}

/// Every unknown key of the mapping that holds the key at `at`, each with its hint and
/// its line and column in `text`.
fn unknown_keys(
    text: &str,
    block: Block,
    at: &Location,
    expected: &[&'static str],
) -> Option<Vec<(Diagnostic, (usize, usize))>> {
    let maps = keys::mappings(text, options(text))?;
    let same = |l: &Location| (l.line(), l.column()) == (at.line(), at.column());
    let keys = maps.iter().find(|m| m.iter().any(|(_, l)| same(l)))?;
    let n = |v: u64| usize::try_from(v).unwrap_or(0);
    let found: Vec<_> = keys
        .iter()
        .filter(|(k, _)| !expected.contains(&k.as_str()))
        .map(|(k, l)| {
            let d = unknown_key(k, expected, l, block);
            (d, (n(l.line()), n(l.column())))
        })
        .collect();
    (!found.is_empty()).then_some(found)
}

fn unknown_key(field: &str, expected: &[&str], loc: &Location, block: Block) -> Diagnostic {
    let hint = did_you_mean(field, expected.iter().copied());
    let hint = if hint.is_empty() {
        format!("; the known keys are {}", expected.join(", "))
    } else {
        hint
    };
    let message = format!("unknown {} `{}`{hint}", block.key_noun, clean(field));
    block.error(loc, message).with_code("unknown-key")
}

/// The error itself, without the snippet or the alias it came through.
fn original(e: &Error) -> &Error {
    match e {
        Error::WithSnippet { error, .. } | Error::AliasError { error, .. } => original(error),
        other => other,
    }
}

fn diagnostic(e: &Error, text: &str, block: Block) -> Diagnostic {
    let loc = e.location().unwrap_or(Location::UNKNOWN);
    let e = original(e);
    let message = match e {
        Error::SerdeUnknownField {
            field, expected, ..
        } => return unknown_key(field, expected, &loc, block),
        Error::SerdeMissingField { field, .. } => {
            let message = format!(
                "missing {} `{field}`; add a line `{field}: ...`",
                block.key_noun
            );
            return block.error(&loc, message).with_code("missing-key");
        }
        Error::DuplicateMappingKey { key, .. } => match key {
            Some(k) => format!("`{}` is written twice; keep one of them", clean(k)),
            None => "a key is written twice; keep one of them".to_string(),
        },
        Error::Eof { .. } => "this YAML ends too early; is something missing?".to_string(),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::Budget { .. } => match e {
            Error::Budget {
                breach: BudgetBreach::Depth { .. },
                ..
            } => "the lists or maps here are nested too deep; is a [ or { left open?".to_string(),
            _ => too_much_repetition(),
        },
        other => {
            let line = line_at(text, &loc);
            let msg = clean(&DefaultMessageFormatter.format_message(other));
            messages::plain(&msg, line, loc.column())
        }
    };
    block.error(&loc, message).with_code("yaml")
}

/// The message for a file that anchors would blow up (an alias bomb), or that is too big.
fn too_much_repetition() -> String {
    format!(
        "this file repeats anchors (`*a`) so much that it would expand to more than {MAX_REPEATED} values; write the values out"
    )
}

/// The line of `text` that `loc` is on.
fn line_at<'t>(text: &'t str, loc: &Location) -> &'t str {
    let n = usize::try_from(loc.line()).unwrap_or(0);
    text.lines().nth(n.saturating_sub(1)).unwrap_or("")
}

/// Control characters from the input are shown escaped, never sent to the terminal.
fn clean(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        summary: Option<String>,
    }

    fn err(text: &str) -> String {
        let block = Block {
            path: Path::new("content/a.md"),
            first_line: 2,
            key_noun: "front matter key",
        };
        parse::<T>(text, block).unwrap_err()[0].to_string()
    }

    #[test]
    fn unknown_key_gets_a_suggestion_at_its_line() {
        assert_eq!(
            err("title: x\nsammanfattning: y\n"),
            "content/a.md:3:1: error: unknown front matter key `sammanfattning`; did you mean `summary`?"
        );
    }

    #[test]
    fn other_errors_are_located_in_the_file() {
        assert_eq!(
            err("title: x\ntitle: y\n"),
            "content/a.md:3:1: error: `title` is written twice; keep one of them"
        );
        assert_eq!(
            err("summary: x\n"),
            "content/a.md:2:1: error: missing front matter key `title`; add a line `title: ...`"
        );
    }
}
