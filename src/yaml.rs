//! YAML through serde-saphyr, with every error turned into a diagnostic located in the
//! file (not in the YAML block) and worded for people who are not developers. Uses only
//! diagnostics and the did-you-mean hints.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde_saphyr::{DefaultMessageFormatter, Error, Location, MessageFormatter, Options};

use crate::diag::{Diagnostic, Pos};
use crate::suggest::did_you_mean;

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

fn options() -> Options {
    let mut o = Options::default();
    o.with_snippet = false;
    o.strict_booleans = true;
    // Bound the work a hostile file can cause (alias bombs); real reports are far below.
    o.alias_limits.max_total_replayed_events = 10_000;
    o
}

/// Parses `text` as `T`. Unknown keys and other serde errors become one diagnostic.
pub fn parse<T: DeserializeOwned>(text: &str, block: Block) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options(text, options()).map_err(|e| diagnostic(&e, block))
}

fn diagnostic(e: &Error, block: Block) -> Diagnostic {
    let e = e.without_snippet();
    let loc = e.location().unwrap_or(Location::UNKNOWN);
    let message = match e {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = did_you_mean(field, expected.iter().copied());
            let hint = if hint.is_empty() {
                format!("; the known keys are {}", expected.join(", "))
            } else {
                hint
            };
            format!("unknown {} `{}`{hint}", block.key_noun, clean(field))
        }
        Error::SerdeMissingField { field, .. } => {
            format!(
                "missing {} `{field}`; add a line `{field}: ...`",
                block.key_noun
            )
        }
        Error::DuplicateMappingKey { key, .. } => match key {
            Some(k) => format!("`{}` is written twice; keep one of them", clean(k)),
            None => "a key is written twice; keep one of them".to_string(),
        },
        Error::Eof { .. } => "this YAML ends too early; is something missing?".to_string(),
        other => {
            let msg = clean(&DefaultMessageFormatter.format_message(other));
            if msg == "invalid floating point" {
                "expected a number here; write decimals with a point, e.g. 99.5 (the site shows 99,5)".to_string()
            } else if msg.starts_with("invalid i") || msg.starts_with("invalid u") {
                "expected a whole number here, e.g. 2020".to_string()
            } else if msg.contains("placement") || msg.contains("unclosed") {
                format!("{msg}; is a [, {{ or quote left open on this line or the one above?")
            } else if msg.contains("tabs disallowed") {
                "a tab is used for indenting; YAML needs spaces".to_string()
            } else if msg == "expected mapping start" {
                "expected `key: value` lines here, not a list or a single value".to_string()
            } else {
                msg
            }
        }
    };
    let code = match e {
        Error::SerdeUnknownField { .. } => "unknown-key",
        Error::SerdeMissingField { .. } => "missing-key",
        _ => "yaml",
    };
    block.error(&loc, message).with_code(code)
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
        parse::<T>(text, block).unwrap_err().to_string()
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
