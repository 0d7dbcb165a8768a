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
        page.contains("<p class=\"from-template\">12\u{a0}500\u{a0}besök / 10\u{a0}000 / +2500, +25\u{a0}% / 15\u{a0}000\u{a0}besök</p>"),
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

#[test]
fn chart_colours_follow_a_site_accent() {
    let root = crate::harness::site("build/minimal-site", "theme-burgundy");
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        format!("{yaml}accent: \"#7a1f3d\"\n"),
    )
    .unwrap();
    let out = root.join("public");
    let o = crate::harness::build(&root, &out, &[]);
    assert!(o.status.success(), "{}", crate::harness::stderr(&o));
    let html = std::fs::read_to_string(out.join("program/laxhjalp-pa-backby/index.html")).unwrap();
    let css = html
        .split("<style>")
        .nth(1)
        .and_then(|s| s.split("</style>").next())
        .unwrap_or("");
    assert!(
        css.contains("--accent:#7a1f3d;--chart-1:#7a1f3d;--chart-2:#"),
        "{css}"
    );
    assert!(
        css.contains("@media (prefers-color-scheme: dark){:root{--accent:#"),
        "{css}"
    );
    assert_eq!(
        css.matches("--chart-6:").count(),
        2,
        "light and dark: {css}"
    );
}

#[test]
fn a_logo_in_the_header_and_headline_figures_on_the_home_page() {
    let root = crate::harness::site("build/minimal-site", "theme-logo");
    std::fs::create_dir_all(root.join("content/bilder")).unwrap();
    std::fs::write(
        root.join("content/bilder/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>",
    )
    .unwrap();
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        format!("{yaml}logo: bilder/logo.svg\nheadline: [andel, familjer]\n"),
    )
    .unwrap();
    let out = root.join("public");
    let o = crate::harness::build(&root, &out, &[]);
    assert!(o.status.success(), "{}", crate::harness::stderr(&o));
    let page = std::fs::read_to_string(out.join("program/halsa/index.html")).unwrap();
    assert!(
        page.contains(
            "<img class=\"brand-logo\" src=\"../../bilder/logo.svg\" alt=\"Testbolaget\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("<link rel=\"icon\" href=\"../../bilder/logo.svg\">"),
        "{page}"
    );
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let band = home
        .split("<section class=\"headline\"")
        .nth(1)
        .unwrap_or("");
    let band = band.split("</section>").next().unwrap_or("");
    assert!(
        band.contains("<h2 id=\"headline-title\">Nyckeltal i korthet</h2>"),
        "{band}"
    );
    let andel = band.find("Andel nöjda").expect("andel in the band");
    let familjer = band.find("Familjer, 2020").expect("familjer in the band");
    assert!(andel < familjer, "in the order headline gives: {band}");
}

#[test]
fn a_metric_shown_only_in_the_headline_band_is_not_unused() {
    let root = crate::harness::site("build/minimal-site", "theme-headline-only");
    let yaml = std::fs::read_to_string(root.join("content/metrics.yaml")).unwrap();
    std::fs::write(
        root.join("content/metrics.yaml"),
        format!("{yaml}solo:\n  label: Solo\n  unit: st\n  values: {{2020: 5}}\n"),
    )
    .unwrap();
    let site_yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        format!("{site_yaml}headline: [solo]\n"),
    )
    .unwrap();
    let o = crate::harness::build(&root, &root.join("public"), &[]);
    assert!(o.status.success(), "{}", crate::harness::stderr(&o));
    let err = crate::harness::stderr(&o);
    assert!(!err.contains("`solo` is not used"), "{err}");
}
