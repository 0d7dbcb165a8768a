use std::fs;

use crate::harness::golden::expect_file;
use crate::harness::{build, fixture, hallbar, repo, scratch, stderr, text};

#[test]
fn check_finds_every_planted_problem_in_place() {
    let root = fixture("check/check-finds-planted-problems");
    let o = hallbar(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    expect_file(&root.join("expected-check.txt"), &text(&o.stdout));
    assert_eq!(text(&o.stderr), "check: 4 errors, 2 warnings, 1 note\n");
    assert!(!root.join("public").exists(), "check writes nothing");
}

#[test]
fn check_speaks_json_lines_for_editors() {
    let root = fixture("check/check-finds-planted-problems");
    let o = hallbar(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    expect_file(&root.join("expected-check.jsonl"), &out);
    for line in out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["path", "line", "column", "severity", "code", "message"] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
    }
    assert!(o.stderr.is_empty());
}

#[test]
fn strict_fails_on_warnings() {
    let root = fixture("errors/unused-metric-warning");
    let root = root.to_str().unwrap();
    assert_eq!(hallbar(&["check", "--root", root]).status.code(), Some(0));
    assert_eq!(
        hallbar(&["check", "--root", root, "--strict"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn the_bundled_report_is_clean() {
    let o = hallbar(&["check", "--root", repo().to_str().unwrap(), "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert_eq!(text(&o.stdout), "");
}

#[test]
fn a_page_nothing_leads_to_is_a_warning() {
    let dir = scratch("check-unreachable");
    let c = dir.join("content");
    fs::create_dir_all(&c).unwrap();
    fs::write(c.join("_index.md"), "---\ntitle: Start\n---\n").unwrap();
    for i in 0..13 {
        fs::write(
            c.join(format!("sida-{i:02}.md")),
            format!("---\ntitle: Sida {i:02}\n---\n"),
        )
        .unwrap();
    }
    let o = hallbar(&["check", "--root", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        text(&o.stdout),
        "content/sida-12.md:1:1: warning: no listing or link leads to this page; link to it from another page, or move it into a section folder\n"
    );
}

#[test]
fn check_reads_the_whole_text_of_a_draft_that_no_build_reads() {
    let root = scratch("check-draft-text");
    for entry in ["content/_index.md", "content/utkast.md"] {
        let from = fixture("build/drafts").join(entry);
        fs::create_dir_all(root.join(entry).parent().unwrap()).unwrap();
        fs::copy(from, root.join(entry)).unwrap();
    }
    // Far past the front matter, which is all a build reads of a draft.
    let mut draft = fs::read(root.join("content/utkast.md")).unwrap();
    draft.extend("rad\n".repeat(2000).bytes());
    draft.extend(b"\xff\n");
    fs::write(root.join("content/utkast.md"), draft).unwrap();
    let out = root.join("public");
    let built = build(&root, &out, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    let o = hallbar(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stdout).contains(
            "content/utkast.md:2005:1: error: this file is not UTF-8 text; save it with the encoding UTF-8"
        ),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn check_reports_its_findings_beside_a_build_error() {
    // One build error (a link to a missing image in program/b.md) and four findings of
    // check's own elsewhere: a broken fragment, an image without alt text, a skipped
    // heading level and an unused metric; and one in the page with the error (a skipped
    // heading level), which is checked too.
    let root = fixture("check/findings-beside-a-build-error");
    let o = hallbar(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    expect_file(&root.join("expected-check.txt"), &text(&o.stdout));
    assert_eq!(text(&o.stdout).lines().count(), 6);
}

#[test]
fn a_thousand_unused_metrics_are_summarised_by_build_and_listed_by_check() {
    let root = scratch("check-warning-flood").join("site");
    fs::create_dir_all(root.join("content")).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    let yaml: String = (1..=1000)
        .map(|i| format!("m{i}:\n  label: M {i}\n  values: {{2020: {i}}}\n"))
        .collect();
    fs::write(root.join("content/nyckeltal.yaml"), yaml).unwrap();
    let o = build(&root, &root.join("public"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert_eq!(
        lines[3],
        "warning: and 997 more like these (unused-metric); `hallbar check` lists them all"
    );
    let o = hallbar(&["check", "--root", root.to_str().unwrap()]);
    let out = text(&o.stdout);
    assert_eq!(
        out.lines()
            .filter(|l| l.contains(": warning: metric `m"))
            .count(),
        1000
    );
    assert_eq!(text(&o.stderr), "check: 0 errors, 1000 warnings, 0 notes\n");
}
