//! The YAML parser's own messages, translated into what to write instead, using the line
//! the error is on: a value that needs quotes, a list written without brackets, a number
//! with a space or a decimal comma.

/// What to say for the parser message `msg`, about `line` at `col` (1-based characters).
pub fn plain(msg: &str, line: &str, col: u64) -> String {
    let col = usize::try_from(col).unwrap_or(1).max(1);
    let value = value_at(line, col);
    if msg == "invalid floating point" {
        return not_a_number(&value, false);
    }
    if msg.starts_with("invalid i") || msg.starts_with("invalid u") {
        return not_a_number(&value, true);
    }
    if let Some(c) = msg.strip_prefix("unexpected character: `") {
        let c = c.trim_end_matches('\'');
        return needs_quotes(&format!("`{c}` cannot start a value"), line);
    }
    if msg == "mapping values are not allowed in this context" {
        return match key_end(line) {
            Some(end) if col > end => {
                needs_quotes("a `: ` inside a value looks like a new key", line)
            }
            _ => "this line is indented more than the line above; start each key in the same column as the keys beside it".to_string(),
        };
    }
    if msg.contains("block sequence entries are not allowed") {
        return needs_quotes("`- ` cannot start a value", line);
    }
    if msg.starts_with("while scanning a block scalar") {
        return needs_quotes("`|` and `>` cannot start a value", line);
    }
    if msg == "alias references unknown anchor" {
        return needs_quotes("`*` cannot start a value", line);
    }
    if msg == "expected sequence start" {
        return list(line);
    }
    if msg == "expected string scalar" {
        return needs_quotes("expected text here, not a list or a map", line);
    }
    if msg == "recursion limit exceeded" {
        return "the lists or maps here are nested too deep; is a [ or { left open?".to_string();
    }
    if msg.contains("placement") || msg.contains("unclosed") {
        return format!("{msg}; is a [, {{ or quote left open on this line or the one above?");
    }
    if msg.contains("tabs disallowed") || msg.contains("found a tab") {
        return "a tab is used for indenting; YAML needs spaces".to_string();
    }
    if msg == "expected mapping start" {
        return "expected `key: value` lines here, not a list or a single value".to_string();
    }
    msg.to_string()
}

/// The message for `text`, written where a number goes; `whole` when it must be a whole
/// number (a year, a weight).
pub fn not_a_number(text: &str, whole: bool) -> String {
    let text = text.trim();
    let digits_and = |sep: &[char]| {
        text.chars().any(|c| c.is_ascii_digit())
            && text.chars().any(|c| sep.contains(&c))
            && text
                .chars()
                .all(|c| c.is_ascii_digit() || sep.contains(&c) || c == '-')
    };
    if digits_and(&[' ', '\u{a0}', '\u{202f}']) {
        let joined: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        return format!("expected a number here; write numbers without spaces: {joined}");
    }
    if whole {
        return format!(
            "expected a whole number here, not `{}`; write it in digits, e.g. 2",
            super::clean(text)
        );
    }
    if digits_and(&[',']) {
        return "expected a number here; write decimals with a point, e.g. 99.5 (the site shows 99,5)".to_string();
    }
    format!(
        "expected a number here, not `{}`; write a number such as 17 or 99.5",
        super::clean(text)
    )
}

/// Where the key of a `key: value` line ends (1-based column of its `:`).
fn key_end(line: &str) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    (0..chars.len())
        .find(|&i| chars[i] == ':' && chars.get(i + 1).is_none_or(|c| *c == ' '))
        .map(|i| i + 1)
}

/// The key and the value of a `key: value` line, as written.
fn key_value(line: &str) -> Option<(String, String)> {
    let end = key_end(line)?;
    let key: String = line.chars().take(end - 1).collect();
    let value: String = line.chars().skip(end).collect();
    let value = match value.find(" #") {
        Some(i) => &value[..i],
        None => &value,
    };
    let key = key.trim().trim_start_matches("- ").trim().to_string();
    let value = value.trim().to_string();
    (!key.is_empty() && !value.is_empty()).then_some((key, value))
}

/// `what`, and the line written with its value in quotes.
fn needs_quotes(what: &str, line: &str) -> String {
    match key_value(line) {
        Some((key, value)) => {
            let value = value.replace('\\', "\\\\").replace('"', "\\\"");
            format!(
                "{what}; put the value in quotes: `{}: \"{}\"`",
                super::clean(&key),
                super::clean(&value)
            )
        }
        None => format!("{what}; put the value in quotes"),
    }
}

/// A list written without brackets.
fn list(line: &str) -> String {
    match key_value(line) {
        Some((key, value)) => format!(
            "`{0}` is a list; write it in brackets: `{0}: [{1}]`",
            super::clean(&key),
            super::clean(&value)
        ),
        None => "expected a list here; write it in brackets: `[a, b]`".to_string(),
    }
}

/// The value written at `col` on `line`: to the end of the line, or of the item in a
/// `[...]` or `{...}`, without a comment.
fn value_at(line: &str, col: usize) -> String {
    let before: String = line.chars().take(col - 1).collect();
    let in_flow = before.contains('[') || before.contains('{');
    let rest: String = line.chars().skip(col - 1).collect();
    let rest = match rest.find(" #") {
        Some(i) => &rest[..i],
        None => &rest,
    };
    let rest = if in_flow {
        rest.split([',', ']', '}']).next().unwrap_or("")
    } else {
        rest
    };
    rest.trim().to_string()
}
