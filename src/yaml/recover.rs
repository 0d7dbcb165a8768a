//! Reading on past a mistake: the `key: value` entry where the reader stopped is blanked
//! out (spaces, so every other line and column stays where it was) and the text is read
//! again, so that the keys written after it are read too.

/// `text` without the block entry that holds `line`:`col` (1-based): the nearest key at
/// or above it that starts before it, and the lines below indented deeper than that key.
/// `None` when no such entry is found or it is already blank.
pub fn without_entry(text: &str, line: usize, col: usize) -> Option<String> {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let at = line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let (k, key_col) = (0..=at).rev().find_map(|i| {
        let c = key_column(&lines[i])?;
        (c < col || (i == at && c == col)).then_some((i, c))
    })?;
    let alone = lines[k + 1..]
        .iter()
        .find_map(|l| indent(l))
        .is_none_or(|n| n < key_col);
    match value_column(&lines[k], key_col) {
        // Only the value is broken: the key stays, with no value, so that what reads it
        // knows it was written (a year whose value is refused is still a year).
        Some(v) if k == at && alone && v <= col => {
            blank_from(&mut lines[k], v);
            return Some(lines.join("\n"));
        }
        _ => blank_from(&mut lines[k], key_col),
    }
    for l in lines.iter_mut().skip(k + 1) {
        match indent(l) {
            // Blank lines and comments inside the entry go with it; they are blank after.
            None => blank_from(l, 1),
            Some(n) if n >= key_col => blank_from(l, 1),
            Some(_) => break,
        }
    }
    Some(lines.join("\n"))
}

/// `text` without the entries of the keys written at `at` (1-based line and column).
pub fn without_keys(text: &str, at: &[(usize, usize)]) -> Option<String> {
    let mut out: Option<String> = None;
    // From the last to the first: blanking one never moves those above it.
    for &(line, col) in at.iter().rev() {
        let current = out.as_deref().unwrap_or(text);
        if let Some(t) = without_entry(current, line, col) {
            out = Some(t);
        }
    }
    out
}

/// Spaces before the first character that is not a space; `None` for a blank line or a
/// comment.
fn indent(line: &str) -> Option<usize> {
    let n = line.chars().take_while(|c| *c == ' ').count();
    let rest = line[n..].trim_end();
    (!rest.is_empty() && !rest.starts_with('#')).then_some(n)
}

/// The 1-based column where the key of a line starts, after the spaces and `- ` of a list
/// item; `None` for a blank line or a comment.
fn key_column(line: &str) -> Option<usize> {
    let mut col = indent(line)? + 1;
    let mut rest = line.trim_start_matches(' ');
    while let Some(r) = rest.strip_prefix('-').filter(|r| r.starts_with(' ')) {
        let spaces = r.chars().take_while(|c| *c == ' ').count();
        col += 1 + spaces;
        rest = &r[spaces..];
    }
    (!rest.trim().is_empty() && !rest.starts_with('#')).then_some(col)
}

/// Where the value of the `key: value` line starts, for a key at `key_col`.
fn value_column(line: &str, key_col: usize) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    let colon = (key_col - 1..chars.len())
        .find(|&i| chars[i] == ':' && chars.get(i + 1).is_some_and(|c| *c == ' '))?;
    let start = (colon + 1..chars.len()).find(|&i| chars[i] != ' ')?;
    Some(start + 1)
}

/// `line` with spaces from the 1-based character column `col` to its end.
fn blank_from(line: &mut String, col: usize) {
    let keep: String = line.chars().take(col - 1).collect();
    let blanks = line.chars().count().saturating_sub(col - 1);
    *line = keep + &" ".repeat(blanks);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_the_entry_and_what_is_indented_under_it() {
        let text = "a:\n  unit: %\n  values:\n    2020: 1\nb: 2\n";
        assert_eq!(
            without_entry(text, 2, 9).unwrap(),
            "a:\n  unit:  \n  values:\n    2020: 1\nb: 2\n"
        );
        assert_eq!(
            without_entry(text, 3, 3).unwrap(),
            "a:\n  unit: %\n         \n           \nb: 2\n"
        );
    }

    #[test]
    fn keeps_the_dash_of_a_list_item_and_its_other_keys() {
        let text = "l:\n  - x: [\n    y: 1\n";
        assert_eq!(
            without_entry(text, 2, 5).unwrap(),
            "l:\n  -     \n    y: 1\n"
        );
    }

    #[test]
    fn blanks_many_keys_from_the_last() {
        let text = "a: 1\nb:\n  c: 2\n";
        assert_eq!(
            without_keys(text, &[(1, 1), (3, 3)]).unwrap(),
            "    \nb:\n      \n"
        );
        assert_eq!(without_entry("   \n", 1, 2), None);
    }
}
