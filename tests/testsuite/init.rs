use std::fs;

use crate::harness::{hallbar, scratch, text};

#[test]
fn init_then_build_then_check_on_a_fresh_folder() {
    let dir = scratch("init-fresh").join("min-rapport");
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
    let dir = scratch("init-new");
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
