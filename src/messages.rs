//! The lines `build`, `serve` and `check` print about a build, worded once: counts with
//! the right singular or plural, repeated warnings of one kind folded into a summary
//! line (`check` lists them all), and the note about drafts left out. Pure: formats
//! diagnostics and numbers; the callers print.

use std::collections::BTreeMap;

use crate::diag::Diagnostic;

/// `1 error`, `2 errors`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A kind of warning that turns up more often than this is shown by its first
/// [`FOLDED_SHOWN`] lines and a line that counts the rest.
const FOLD_AFTER: usize = 5;
const FOLDED_SHOWN: usize = 3;

/// The warnings (and notes) of a build as lines to print: all of them when few of each
/// kind, otherwise the first few of a kind and one line that counts the others and says
/// that `hallbar check` lists them. Errors are never folded: each is a mistake to mend.
pub fn folded(diags: &[Diagnostic]) -> Vec<String> {
    let mut of_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for d in diags.iter().filter(|d| !d.is_error()) {
        *of_kind.entry(d.code).or_default() += 1;
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut lines = Vec::new();
    for d in diags {
        let total = of_kind.get(d.code).copied().unwrap_or(0);
        let n = seen.entry(d.code).or_default();
        *n += 1;
        if d.is_error() || total <= FOLD_AFTER || *n <= FOLDED_SHOWN {
            lines.push(d.to_string());
        }
    }
    for (code, total) in of_kind {
        if total > FOLD_AFTER {
            let more = total - FOLDED_SHOWN;
            lines.push(format!(
                "warning: and {} like these ({code}); `hallbar check` lists them all",
                count(more, "more", "more")
            ));
        }
    }
    lines
}

/// `built 12 pages, 7 metrics in 14 ms`.
pub fn built(pages: usize, metrics: usize, millis: u128) -> String {
    format!(
        "built {}, {} in {millis} ms",
        count(pages, "page", "pages"),
        count(metrics, "metric", "metrics")
    )
}

/// The line after a failed build: `the site has 2 errors`.
pub fn has_errors(diags: &[Diagnostic]) -> String {
    let n = diags.iter().filter(|d| d.is_error()).count();
    format!("the site has {}", count(n, "error", "errors"))
}

/// Says that drafts were left out and how to see them; nothing when there are none.
pub fn drafts(n: usize) -> Option<String> {
    (n > 0).then(|| {
        format!(
            "note: {} left out (`draft: true`); `--drafts` includes {}",
            count(n, "draft", "drafts"),
            if n == 1 { "it" } else { "them" }
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Pos;

    fn unused(i: usize) -> Diagnostic {
        Diagnostic::warning(
            "content/m.yaml",
            Pos::new(i, 1),
            format!("metric `m{i}` unused"),
        )
        .with_code("unused-metric")
    }

    #[test]
    fn counts_say_one_and_many() {
        assert_eq!(count(1, "error", "errors"), "1 error");
        assert_eq!(count(0, "error", "errors"), "0 errors");
        assert_eq!(built(1, 1, 5), "built 1 page, 1 metric in 5 ms");
        assert_eq!(drafts(0), None);
        assert_eq!(
            drafts(1).as_deref(),
            Some("note: 1 draft left out (`draft: true`); `--drafts` includes it")
        );
    }

    #[test]
    fn many_warnings_of_a_kind_become_a_few_and_a_count() {
        let few: Vec<Diagnostic> = (1..=5).map(unused).collect();
        assert_eq!(folded(&few).len(), 5);
        let mut many: Vec<Diagnostic> = (1..=1000).map(unused).collect();
        many.push(Diagnostic::error("content/a.md", Pos::START, "bad"));
        let lines = folded(&many);
        assert_eq!(lines.len(), 3 + 1 + 1, "{lines:?}");
        assert!(lines[0].contains("`m1`"));
        assert_eq!(
            lines.last().map(String::as_str),
            Some(
                "warning: and 997 more like these (unused-metric); `hallbar check` lists them all"
            )
        );
    }
}
