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

/// Parses `text` as `T`. Each problem becomes a diagnostic: every unknown key of the
/// mapping where one is found, or else the one error that stopped the reading.
pub fn parse<T: DeserializeOwned>(text: &str, block: Block) -> Result<T, Vec<Diagnostic>> {
    serde_saphyr::from_str_with_options(text, options(text)).map_err(|e| {
        let e = e.without_snippet();
        if let Error::SerdeUnknownField {
            expected, location, ..
        } = e
            && let Some(all) = unknown_keys(text, block, location, expected)
        {
            return all;
        }
        vec![diagnostic(e, text, block)]
    })
}

/// Every unknown key of the mapping that holds the key at `at`, each with its hint.
fn unknown_keys(
    text: &str,
    block: Block,
    at: &Location,
    expected: &[&'static str],
) -> Option<Vec<Diagnostic>> {
    let maps = keys::mappings(text, options(text))?;
    let same = |l: &Location| (l.line(), l.column()) == (at.line(), at.column());
    let keys = maps.iter().find(|m| m.iter().any(|(_, l)| same(l)))?;
    let found: Vec<Diagnostic> = keys
        .iter()
        .filter(|(k, _)| !expected.contains(&k.as_str()))
        .map(|(k, l)| unknown_key(k, expected, l, block))
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
