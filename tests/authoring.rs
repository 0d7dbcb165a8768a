//! `hallbar check`, `init` and `new`, end to end with the real binary. Expected findings
//! live beside the fixture (`expected-check.txt`, `expected-check.jsonl`);
//! `HALLBAR_BLESS=1` rewrites them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("authoring-{name}"));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn hallbar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn expect_file(path: &Path, actual: &str) {
    if std::env::var_os("HALLBAR_BLESS").is_some() {
        fs::write(path, actual).unwrap();
    }
    assert_eq!(
        actual,
        fs::read_to_string(path).unwrap(),
        "{}",
        path.display()
    );
}

#[test]
fn check_finds_every_planted_problem_in_place() {
    let root = fixture("check-finds-planted-problems");
    let o = hallbar(&["check", "--root", root.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    expect_file(&root.join("expected-check.txt"), &text(&o.stdout));
    assert_eq!(text(&o.stderr), "check: 4 errors, 2 warnings, 1 notes\n");
    assert!(!root.join("public").exists(), "check writes nothing");
}

#[test]
fn check_speaks_json_lines_for_editors() {
    let root = fixture("check-finds-planted-problems");
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
    let root = fixture("unused-metric-warning");
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
    let o = hallbar(&["check", "--root", env!("CARGO_MANIFEST_DIR"), "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert_eq!(text(&o.stdout), "");
}

#[test]
fn init_then_build_then_check_on_a_fresh_folder() {
    let dir = scratch("init").join("min-rapport");
    let d = dir.to_str().unwrap();
    let o = hallbar(&["init", d]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        !dir.join("themes").exists(),
        "the default theme is built in"
    );
    let o = hallbar(&["build", "--root", d]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let page = fs::read_to_string(dir.join("public/program/exempelprogram/index.html")).unwrap();
    assert!(
        page.contains("17\u{a0}deltagare (+5, +42\u{a0}%)"),
        "{page}"
    );
    let o = hallbar(&["check", "--root", d, "--strict"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    // Never over an existing site.
    let o = hallbar(&["init", d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("is not empty"));
}

#[test]
fn new_writes_every_key_and_refuses_to_overwrite() {
    let dir = scratch("new");
    let d = dir.to_str().unwrap();
    assert!(hallbar(&["init", d]).status.success());
    let o = hallbar(&["new", "program", "Läxhjälp på Bäckby", "--root", d]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let path = dir.join("content/program/laxhjalp-pa-backby.md");
    assert_eq!(text(&o.stdout), format!("created {}\n", path.display()));
    let page = fs::read_to_string(&path).unwrap();
    for key in [
        "title: \"Läxhjälp på Bäckby\"",
        "summary:",
        "# date:",
        "weight:",
        "draft: true",
        "# slug:",
        "# template:",
        "sdg:",
        "gri:",
        "partners:",
        "# area:",
        "key_metrics:",
        "# extra:",
    ] {
        assert!(page.contains(key), "`{key}` missing in\n{page}");
    }
    let before = fs::read(&path).unwrap();
    let o = hallbar(&["new", "program", "Läxhjälp på Bäckby", "--root", d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("already exists"));
    assert_eq!(fs::read(&path).unwrap(), before);
    // The new page is a draft: the site still builds, and builds with it under --drafts.
    assert!(hallbar(&["build", "--root", d]).status.success());
    assert!(
        hallbar(&["build", "--root", d, "--drafts"])
            .status
            .success()
    );
    assert!(
        dir.join("public/program/laxhjalp-pa-backby/index.html")
            .exists()
    );
}

#[test]
fn a_page_nothing_leads_to_is_a_warning() {
    let dir = scratch("unreachable");
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
    let root = scratch("draft-text");
    for entry in ["content/_index.md", "content/utkast.md"] {
        let from = fixture("drafts").join(entry);
        fs::create_dir_all(root.join(entry).parent().unwrap()).unwrap();
        fs::copy(from, root.join(entry)).unwrap();
    }
    // Far past the front matter, which is all a build reads of a draft.
    let mut draft = fs::read(root.join("content/utkast.md")).unwrap();
    draft.extend("rad\n".repeat(2000).bytes());
    draft.extend(b"\xff\n");
    fs::write(root.join("content/utkast.md"), draft).unwrap();
    let out = root.join("public");
    let built = hallbar(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    assert!(built.status.success(), "{}", text(&built.stderr));
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
