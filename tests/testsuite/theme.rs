use std::fs;

use crate::harness::{build, fixture, scratch};

#[test]
fn a_site_theme_overrides_single_files() {
    let out = scratch("theme-override").join("public");
    assert!(
        build(&fixture("theme/theme-override"), &out, &[])
            .status
            .success()
    );
    let page = fs::read_to_string(out.join("sida/index.html")).unwrap();
    assert!(page.contains("<p class=\"own-theme\">Sida</p>"), "{page}");
    // Templates reach the metrics: the metric() function and the metrics map.
    assert!(
        page.contains("<p class=\"from-template\">12\u{a0}500\u{a0}besök / 10\u{a0}000 / +2500, +25\u{a0}%</p>"),
        "{page}"
    );
    // base.html still comes from the built-in theme.
    assert!(page.contains("class=\"skip-link\""), "{page}");
    assert_eq!(
        fs::read_to_string(out.join("style.css")).unwrap(),
        "body { color: black; }\n"
    );
    assert!(out.join("favicon.svg").exists());
}
