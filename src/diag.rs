//! Diagnostics: user errors as data (`path:line:col: error: message`), collected across a
//! whole build, plus the fatal I/O error type. Uses nothing but std.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a finding is: errors stop the build, warnings are only reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Information only, such as the external links `hallbar check` lists.
    Note,
}

/// One problem in the user's site, located in a file (path relative to the site root).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    /// A short stable name of the kind of problem, for editors and CI (`--format json`).
    pub code: &'static str,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            line: pos.line,
            col: pos.col,
            severity: Severity::Error,
            code: "error",
            message: message.into(),
        }
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    pub fn severity_name(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }

    /// One JSON object on one line, for `--format json`.
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Line<'a> {
            path: String,
            line: usize,
            column: usize,
            severity: &'a str,
            code: &'a str,
            message: &'a str,
        }
        serde_json::to_string(&Line {
            path: self.path.to_string_lossy().replace('\\', "/"),
            line: self.line,
            column: self.col,
            severity: self.severity_name(),
            code: self.code,
            message: &self.message,
        })
        .unwrap_or_default()
    }
}

impl Diagnostic {
    pub fn warning(path: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            code: "warning",
            ..Diagnostic::error(path, pos, message)
        }
    }

    pub fn note(path: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            code: "note",
            ..Diagnostic::error(path, pos, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = self.severity_name();
        // Forward slashes on every platform, so messages and test expectations agree.
        let path = self.path.to_string_lossy().replace('\\', "/");
        write!(
            f,
            "{}:{}:{}: {kind}: {}",
            printable(&path),
            self.line,
            self.col,
            printable(&self.message)
        )
    }
}

/// `text` with control characters written out (`\n`, `\u{1b}`), so that a value or a file
/// name can neither break the one-line-per-problem format nor send commands to a terminal.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, col: 1 };

    pub fn new(line: usize, col: usize) -> Self {
        Pos {
            line: line.max(1),
            col: col.max(1),
        }
    }

    /// The position of byte `offset` in `text`, where `text` itself starts at `self`.
    pub fn advance(self, text: &str, offset: usize) -> Pos {
        let offset = floor_char_boundary(text, offset);
        let before = &text[..offset];
        match before.rfind('\n') {
            Some(nl) => Pos::new(
                self.line + before.matches('\n').count(),
                before[nl + 1..].chars().count() + 1,
            ),
            None => Pos::new(self.line, self.col + before.chars().count()),
        }
    }
}

/// Positions in one text, found by binary search over its line starts (a text with many
/// links or headings must not be scanned from its start for each), and over marks every
/// [`Lines::STEP`] bytes that count the characters since the line began (a single long
/// line with many errors must not be scanned from its start for each either).
pub struct Lines<'a> {
    pub text: &'a str,
    starts: Vec<usize>,
    /// (byte offset, characters from the start of its line to it), in order.
    marks: Vec<(usize, usize)>,
    origin: Pos,
}

impl<'a> Lines<'a> {
    const STEP: usize = 1024;

    /// `text` begins at `origin` in its file.
    pub fn new(text: &'a str, origin: Pos) -> Self {
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut marks = Vec::new();
        let mut chars = 0;
        let mut next = Self::STEP;
        for (i, c) in text.char_indices() {
            if i >= next {
                marks.push((i, chars));
                next = i + Self::STEP;
            }
            chars = if c == '\n' { 0 } else { chars + 1 };
        }
        Lines {
            text,
            starts,
            marks,
            origin,
        }
    }

    /// The position of byte `offset` of the text in its file.
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = floor_char_boundary(self.text, offset);
        let i = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(i).copied().unwrap_or(0);
        // Count from the last mark on this line before `offset`, if there is one.
        let m = self.marks.partition_point(|&(at, _)| at <= offset);
        let (from, counted) = match m.checked_sub(1).and_then(|m| self.marks.get(m)) {
            Some(&(at, chars)) if at >= start => (at, chars),
            _ => (start, 0),
        };
        let chars = counted + self.text.get(from..offset).map_or(0, |s| s.chars().count());
        if i == 0 {
            Pos::new(self.origin.line, self.origin.col + chars)
        } else {
            Pos::new(self.origin.line + i, chars + 1)
        }
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut i = offset.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Every problem found so far. Stages push into it and go on, so one build reports all.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn error(&mut self, path: &Path, pos: Pos, message: impl Into<String>) {
        self.push(Diagnostic::error(path, pos, message));
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The warnings and notes so far (not the errors).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.items
            .iter()
            .filter(|d| !d.is_error())
            .cloned()
            .collect()
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Folds diagnostics that differ only after `marker` in their message (one template
    /// error on every page) into the first, which then counts the others.
    pub fn fold_repeats(&mut self, marker: &str) {
        let mut kept: Vec<Diagnostic> = Vec::with_capacity(self.items.len());
        let mut counts: Vec<usize> = Vec::new();
        for d in std::mem::take(&mut self.items) {
            let head = |m: &str| m.split(marker).next().unwrap_or("").to_string();
            let found = d.message.contains(marker).then(|| {
                kept.iter().position(|k| {
                    k.message.contains(marker)
                        && (&k.path, k.line, k.col) == (&d.path, d.line, d.col)
                        && head(&k.message) == head(&d.message)
                })
            });
            match found.flatten() {
                Some(i) => counts[i] += 1,
                None => {
                    kept.push(d);
                    counts.push(0);
                }
            }
        }
        for (d, n) in kept.iter_mut().zip(counts) {
            if n > 0 && d.message.ends_with(')') {
                d.message.pop();
                d.message.push_str(&format!(" and {n} more)"));
            }
        }
        self.items = kept;
    }

    /// Sorted by path, line and column, without repeats.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.col, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// A failure that is not the site's fault: reading or writing the disk, a refused output folder.
#[derive(Debug, thiserror::Error)]
pub enum Fatal {
    #[error("cannot {action} {}: {source}", printable(&.path.to_string_lossy()))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", printable(.0))]
    Refused(String),
}

impl Fatal {
    pub fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Fatal {
        let path = path.to_path_buf();
        move |source| Fatal::Io {
            action,
            path,
            source,
        }
    }
}

/// Why a build stopped.
#[derive(Debug)]
pub enum Failure {
    /// The site has errors; every one of them is here, sorted, with the warnings.
    Site(Vec<Diagnostic>),
    Fatal(Fatal),
}

impl From<Fatal> for Failure {
    fn from(f: Fatal) -> Self {
        Failure::Fatal(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_counts_lines_and_chars() {
        let text = "ab\nåäö x";
        assert_eq!(Pos::START.advance(text, 0), Pos::new(1, 1));
        assert_eq!(Pos::START.advance(text, 2), Pos::new(1, 3));
        // "åäö " is 7 bytes; the x is the 5th character of line 2.
        assert_eq!(Pos::START.advance(text, 3 + 7), Pos::new(2, 5));
        assert_eq!(Pos::new(10, 1).advance(text, 3), Pos::new(11, 1));
    }

    #[test]
    fn lines_agree_with_advance_on_long_lines_across_marks() {
        // Lines longer than a mark's step, with multi-byte characters on both sides of it.
        let text = format!("{}\n{}\nx", "åb".repeat(900), "cä€".repeat(700));
        let lines = Lines::new(&text, Pos::new(3, 5));
        for offset in (0..=text.len()).step_by(7).chain([text.len()]) {
            assert_eq!(
                lines.pos(offset),
                Pos::new(3, 5).advance(&text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn control_characters_are_written_out() {
        let d = Diagnostic::error(
            "content/a\nb.md",
            Pos::START,
            "unknown metric `\u{1b}]0;owned\u{7}`",
        );
        assert_eq!(
            d.to_string(),
            "content/a\\nb.md:1:1: error: unknown metric `\\u{1b}]0;owned\\u{7}`"
        );
        assert!(!d.to_json().contains('\u{1b}'));
        let f = Fatal::io("read", Path::new("a\tb"))(std::io::Error::other("gone"));
        assert_eq!(f.to_string(), "cannot read a\\tb: gone");
        assert_eq!(printable("Bäckby"), "Bäckby");
    }

    #[test]
    fn lines_agree_with_advance() {
        let text = "ab\nåäö x\n\nslut";
        let lines = Lines::new(text, Pos::new(4, 1));
        for offset in 0..=text.len() {
            assert_eq!(
                lines.pos(offset),
                Pos::new(4, 1).advance(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn display_is_one_line() {
        let d = Diagnostic::error("content/a.md", Pos::new(3, 7), "bad");
        assert_eq!(d.to_string(), "content/a.md:3:7: error: bad");
    }
}
