//! A metrics file read one metric at a time, for a file that cannot be read whole: each
//! top-level key (written in column 1) starts one metric's entry, each entry is read on
//! its own, on past its mistakes, so that only the broken entry's own errors are reported
//! and every metric, the broken one too, is defined.

use std::collections::HashMap;
use std::path::Path;

use serde_saphyr::Spanned;

use super::Raw;
use crate::diag::{Diagnostic, Pos};
use crate::yaml::{self, Block};

/// One metric's entry as read: its id and where it is written, what could be read of it,
/// the block it was read from, and whether it had mistakes.
pub struct Entry<'a> {
    pub id: String,
    pub pos: Pos,
    pub raw: Raw,
    pub block: Block<'a>,
    pub broken: bool,
}

/// The entries of `text`, in the order they are written, with their mistakes.
/// `whole` holds the errors of reading the file whole: they are given when reading the
/// entries one by one finds none (a key written twice is reported as a metric defined
/// twice instead).
pub fn one_by_one<'a>(
    path: &'a Path,
    text: &str,
    whole: Vec<Diagnostic>,
) -> (Vec<Entry<'a>>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    // The entries read so far, their broken keys blanked: anchors (`&v`) later ones use.
    let mut read_so_far: Vec<String> = Vec::new();
    for (first_line, part) in split(text) {
        let mut block = Block {
            path,
            first_line,
            key_noun: "metric key",
        };
        let (mut read, mut found, mut recovered) = read_part(&part, block);
        if !found.is_empty() && part.contains('*') {
            // It may use an anchor of an earlier entry: read it after those.
            let ((r, f, t), b) = read_after(&read_so_far, first_line, &part, path);
            if f.is_empty() {
                (read, found, block) = (r, f, b);
                recovered = t
                    .split('\n')
                    .skip(first_line - 1)
                    .collect::<Vec<_>>()
                    .join("\n");
            }
        }
        read_so_far.resize(first_line - 1, String::new());
        read_so_far.extend(recovered.split('\n').map(str::to_string));
        let broken = !found.is_empty();
        errors.extend(found);
        if read.is_empty() {
            // Nothing of it could be read: it is still a metric, known by its id.
            entries.push(Entry {
                id: id_written(&part),
                pos: Pos::new(first_line, 1),
                raw: Raw::default(),
                block,
                broken: true,
            });
        }
        for (id, raw) in read {
            entries.push(Entry {
                id: id.value,
                pos: block.pos(&id.referenced),
                raw: raw.value,
                block,
                broken,
            });
        }
    }
    let mut ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    let twice = ids.windows(2).any(|w| w[0] == w[1]);
    if errors.is_empty() && !twice {
        errors = whole;
    }
    (entries, errors)
}

/// What was read, the mistakes, and the text read with its broken keys blanked.
type Read = (
    Vec<(Spanned<String>, Spanned<Raw>)>,
    Vec<Diagnostic>,
    String,
);

/// One entry read on its own, on past its mistakes, in the order written.
fn read_part(part: &str, block: Block) -> Read {
    let (read, found, text) =
        yaml::read_on::<HashMap<Spanned<String>, Spanned<Raw>>>(part, block, yaml::MAX_PASSES);
    let mut read: Vec<_> = read.unwrap_or_default().into_iter().collect();
    read.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    (read, found, text)
}

/// The entry at `first_line` read after the entries before it as read (the lines of
/// neither blank, so that positions stay): for the anchors (`&v`) it uses.
fn read_after<'a>(
    before: &[String],
    first_line: usize,
    part: &str,
    path: &'a Path,
) -> (Read, Block<'a>) {
    let mut text: Vec<&str> = (0..first_line - 1)
        .map(|i| before.get(i).map_or("", String::as_str))
        .collect();
    text.push(part);
    let block = Block {
        path,
        first_line: 1,
        key_noun: "metric key",
    };
    let (mut read, found, all) = read_part(&text.join("\n"), block);
    read.retain(|(k, _)| k.referenced.line() >= first_line as u64);
    ((read, found, all), block)
}

/// The entries of `text`: the 1-based line each starts on and its lines, up to the next
/// line that starts in column 1 (comments and `---` excepted).
fn split(text: &str) -> Vec<(usize, String)> {
    let mut parts: Vec<(usize, String)> = Vec::new();
    let mut open = false;
    for (i, line) in text.split('\n').enumerate() {
        let starts = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && c != '#');
        let marker = matches!(line.trim_end(), "---" | "...");
        if marker {
            open = false;
        } else if starts {
            parts.push((i + 1, String::new()));
            open = true;
        }
        if open && let Some((_, part)) = parts.last_mut() {
            part.push_str(line);
            part.push('\n');
        }
    }
    parts
}

/// The id written at the start of an entry: the text before its first `:`, unquoted.
fn id_written(part: &str) -> String {
    let first = part.lines().next().unwrap_or("");
    let key = first.split(": ").next().unwrap_or(first);
    let key = key.trim().trim_end_matches(':').trim();
    key.trim_matches(|c| c == '"' || c == '\'').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_keys_in_column_one() {
        let text = "# Nyckeltal\na:\n  label: A\n\n# b\nb: {label: B}\n---\nc:\n";
        assert_eq!(
            split(text),
            vec![
                (2, "a:\n  label: A\n\n# b\n".to_string()),
                (6, "b: {label: B}\n".to_string()),
                (8, "c:\n\n".to_string()),
            ]
        );
        assert_eq!(id_written("\"andel\": 17\n"), "andel");
        assert_eq!(id_written("andel:\n  x: 1\n"), "andel");
    }
}
