//! End-to-end tests: the real `hallbar` binary on the fixture sites under tests/fixtures/.
//!
//! Expected output lives beside each fixture: `expected/` (the whole output tree) or
//! `expected-stderr.txt` (the exact error lines). Run with `HALLBAR_BLESS=1` to rewrite
//! them after a deliberate change, then review the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A fresh, empty scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn hallbar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hallbar"))
        .args(args)
        .output()
        .expect("run hallbar")
}

fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    hallbar(&args)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir`, by relative path with `/`.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn blessing() -> bool {
    std::env::var_os("HALLBAR_BLESS").is_some()
}

/// The output tree equals `expected/` beside the fixture, file for file and byte for byte.
fn assert_tree(actual: &Path, expected: &Path) {
    if blessing() {
        let _ = fs::remove_dir_all(expected);
        for (rel, bytes) in tree(actual) {
            let p = expected.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
        return;
    }
    let (got, want) = (tree(actual), tree(expected));
    let got_names: Vec<_> = got.keys().collect();
    let want_names: Vec<_> = want.keys().collect();
    assert_eq!(
        got_names,
        want_names,
        "the output has other files than {}",
        expected.display()
    );
    for (rel, bytes) in &got {
        assert!(
            want[rel] == *bytes,
            "{rel} differs from {}:\n--- got ---\n{}",
            expected.join(rel).display(),
            String::from_utf8_lossy(bytes)
        );
    }
}

/// A site with one error: exit 1, exactly the expected lines, and nothing written.
fn assert_error_case(name: &str) {
    let root = fixture(name);
    let out = scratch(&format!("err-{name}")).join("public");
    let o = build(&root, &out, &[]);
    let expected_path = root.join("expected-stderr.txt");
    if blessing() {
        fs::write(&expected_path, stderr(&o)).unwrap();
    }
    let expected = fs::read_to_string(&expected_path).unwrap();
    assert_eq!(stderr(&o), expected, "stderr of {name}");
    assert_eq!(o.status.code(), Some(1), "exit status of {name}");
    assert!(
        !out.exists(),
        "{name}: a failed build must not write anything"
    );
}

macro_rules! error_cases {
    ($($test:ident => $fixture:literal),* $(,)?) => {
        $(#[test] fn $test() { assert_error_case($fixture); })*
    };
}

error_cases! {
    unknown_front_matter_key_suggests_the_english_key => "unknown-front-matter-key",
    unknown_metric_id_suggests_the_closest => "unknown-metric-id",
    unknown_metric_year_lists_the_years => "unknown-metric-year",
    link_to_a_missing_page_is_an_error_at_the_link => "link-to-missing-page",
    unclosed_front_matter => "unclosed-front-matter",
    malformed_shortcode_points_at_the_bad_value => "malformed-shortcode",
    duplicate_metric_id_names_both_places => "duplicate-metric-id",
    metric_program_must_exist => "metric-program-missing",
    file_not_utf8_points_at_the_first_bad_byte => "file-not-utf8",
    yaml_syntax_error_is_located_in_the_file => "yaml-syntax-in-front-matter",
    unknown_setting_in_site_yaml => "unknown-setting",
    page_without_title => "missing-title",
    absolute_link_is_refused => "absolute-link",
    decimal_comma_in_yaml_gets_a_hint => "metric-value-not-a-number",
    every_error_of_every_file_is_reported => "errors-in-many-files",
    a_chart_must_stand_alone_in_its_paragraph => "chart-beside-text",
    key_figures_for_a_program_without_metrics => "key-figures-unknown-program",
    an_accent_without_contrast_states_the_ratio => "accent-too-light",
    two_folders_at_one_address => "folders-differing-in-case",
    a_file_where_a_page_needs_a_folder => "file-where-a-folder-goes",
    a_link_to_a_draft_says_so => "link-to-a-draft",
    a_page_with_errors_causes_no_errors_in_pages_linking_to_it => "link-to-a-page-with-errors",
    a_template_error_points_into_the_template => "template-unknown-filter",
    a_template_error_on_every_page_is_one_line => "template-error-on-every-page",
}

#[test]
fn an_output_folder_inside_content_is_refused() {
    let dir = scratch("inside");
    let root = dir.join("site");
    copy_fixture("drafts", &root);
    let out = root.join("content/public");
    let o = build(&root, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is inside content/"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn minimal_site_matches_expected_output() {
    let out = scratch("minimal").join("public");
    let o = build(&fixture("minimal-site"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with("built 9 pages, 4 metrics in "),
        "{stdout}"
    );
    assert_tree(&out, &fixture("minimal-site/expected"));
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = scratch("deterministic");
    let (a, b) = (dir.join("a"), dir.join("b"));
    assert!(build(&fixture("minimal-site"), &a, &[]).status.success());
    assert!(build(&fixture("minimal-site"), &b, &[]).status.success());
    assert_eq!(tree(&a), tree(&b));
}

#[test]
fn bom_and_crlf_build_like_any_file() {
    let out = scratch("bom").join("public");
    let o = build(&fixture("bom-and-crlf"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        html.contains("<p>Totalt 12\u{a0}345\u{a0}st.</p>"),
        "{html}"
    );
    assert!(html.contains("content=\"BOM och CRLF\""), "{html}");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let dir = scratch("drafts");
    assert!(
        build(&fixture("drafts"), &dir.join("a"), &[])
            .status
            .success()
    );
    assert!(dir.join("a/klar/index.html").exists());
    assert!(!dir.join("a/utkast").exists());
    assert!(
        build(&fixture("drafts"), &dir.join("b"), &["--drafts"])
            .status
            .success()
    );
    assert!(dir.join("b/utkast/index.html").exists());
}

#[test]
fn english_site_formats_numbers_the_english_way() {
    let out = scratch("english").join("public");
    assert!(build(&fixture("english-site"), &out, &[]).status.success());
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<p>1,234.5\u{a0}SEK, 12%, -3, two\u{a0}groups.</p>"),
        "{html}"
    );
    assert!(html.contains("Skip to content"));
}

#[test]
fn a_site_theme_overrides_single_files() {
    let out = scratch("theme").join("public");
    assert!(
        build(&fixture("theme-override"), &out, &[])
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

#[test]
fn a_foreign_output_folder_is_refused() {
    let out = scratch("foreign");
    fs::write(out.join("precious.txt"), "not hallbar's").unwrap();
    let o = build(&fixture("drafts"), &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not empty and was not made by hallbar"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&out).len(), 1);
}

/// Copies a fixture into a scratch folder so a test can edit it.
fn copy_fixture(name: &str, to: &Path) {
    for (rel, bytes) in tree(&fixture(name)) {
        if rel.starts_with("expected") {
            continue;
        }
        let p = to.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }
}

#[test]
fn removed_pages_disappear_and_user_files_stay() {
    let dir = scratch("stale");
    let root = dir.join("site");
    copy_fixture("drafts", &root);
    let out = root.join("public");
    assert!(build(&root, &out, &[]).status.success());
    fs::write(out.join("google1234.html"), "verification").unwrap();
    fs::remove_file(root.join("content/klar.md")).unwrap();
    assert!(build(&root, &out, &[]).status.success());
    assert!(
        !out.join("klar").exists(),
        "the removed page's folder is gone"
    );
    assert_eq!(
        fs::read_to_string(out.join("google1234.html")).unwrap(),
        "verification"
    );
}

#[test]
fn a_failed_build_leaves_the_output_as_it_was() {
    let dir = scratch("failed");
    let root = dir.join("site");
    copy_fixture("drafts", &root);
    let out = root.join("public");
    assert!(build(&root, &out, &[]).status.success());
    let before = tree(&out);
    fs::write(
        root.join("content/klar.md"),
        "---\ntitle: Klar\n---\n{{ metric(id=\"x\") }}\n",
    )
    .unwrap();
    fs::write(root.join("content/ny.md"), "---\ntitle: Ny\n---\n").unwrap();
    let o = build(&root, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&out), before);
    // The files that did render waited beside the output folder, and are gone.
    let mut left: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["content", "public"]);
}

#[test]
fn base_url_adds_sitemap_and_canonical_links() {
    let out = scratch("sitemap").join("public");
    let o = build(
        &fixture("drafts"),
        &out,
        &["--base-url", "https://example.org/r"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/r/klar/</loc>"),
        "{sitemap}"
    );
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/r/sitemap.xml"));
    let page = fs::read_to_string(out.join("klar/index.html")).unwrap();
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/r/klar/\">"));
}

#[test]
fn hostile_input_gives_errors_not_panics() {
    let dir = scratch("hostile");
    let root = dir.join("site");
    let c = root.join("content");
    fs::create_dir_all(c.join("loop")).unwrap();
    fs::write(c.join("_index.md"), "---\ntitle: Start\n---\n").unwrap();
    fs::write(c.join("empty.md"), "").unwrap();
    fs::write(c.join("only-fence.md"), "---").unwrap();
    fs::write(c.join("fence-at-end.md"), "---\n").unwrap();
    fs::write(c.join("list.md"), "---\n- a\n- b\n---\n").unwrap();
    fs::write(c.join("braces.md"), "---\ntitle: B\n---\n{{ {{ }} }} {{").unwrap();
    fs::write(c.join("bomb.yaml"), "a: &a [1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n").unwrap();
    fs::write(c.join("deep.yaml"), "[".repeat(100_000)).unwrap();
    fs::write(c.join("binary.md"), [0u8, 159, 146, 150, 255]).unwrap();
    let big = format!(
        "---\ntitle: Stor\n---\n{}",
        "Ett stycke text om Bäckby. ".repeat(400_000)
    );
    fs::write(c.join("big.md"), big).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("..", c.join("loop/up")).unwrap();
    let o = build(&root, &dir.join("out"), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for expected in [
        "content/empty.md:1:1: error: this page has no front matter",
        "content/only-fence.md:1:1: error: the front matter that starts here is never closed",
        "content/list.md:2:1: error: expected `key: value` lines here",
        "content/binary.md:1:2: error: this file is not UTF-8 text",
        "content/bomb.yaml:",
        "content/deep.yaml:1:",
        "content/braces.md:4:",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    #[cfg(unix)]
    assert!(
        err.contains("content/loop/up:1:1: error: this folder links back"),
        "{err}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    let o = hallbar(&["build", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let o = hallbar(&["build", "--root", "/nonexistent/hallbar-site"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content: ") || stderr(&o).contains("content:1:1"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_unused_metric_is_a_warning_not_an_error() {
    let out = scratch("unused").join("public");
    let o = build(&fixture("unused-metric-warning"), &out, &[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        "content/nyckeltal.yaml:4:1: warning: metric `oanvand` is not used by any page, table or chart; show it with {{ metric(id=\"oanvand\") }} or list it in a page's key_metrics\n"
    );
    assert!(out.join("index.html").exists());
}

/// RFC 4180 fields of one CSV text (quotes, doubled quotes, CRLF).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[derive(serde::Deserialize)]
struct YamlMetric {
    values: BTreeMap<i64, f64>,
    #[serde(default)]
    target: BTreeMap<i64, f64>,
}

#[test]
fn open_data_has_the_same_numbers_as_the_yaml() {
    let out = scratch("opendata").join("public");
    assert!(build(&fixture("minimal-site"), &out, &[]).status.success());
    let yaml: BTreeMap<String, YamlMetric> = serde_saphyr::from_str(
        &fs::read_to_string(fixture("minimal-site/content/metrics.yaml")).unwrap(),
    )
    .unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("data/metrics.json")).unwrap()).unwrap();
    let metrics = json["metrics"].as_array().unwrap();
    assert_eq!(metrics.len(), yaml.len());
    for m in metrics {
        let y = &yaml[m["id"].as_str().unwrap()];
        for (year, v) in &y.values {
            assert_eq!(m["values"][year.to_string()].as_f64(), Some(*v));
        }
    }

    let csv = fs::read_to_string(out.join("data/metrics.csv")).unwrap();
    let csv = csv
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark for spreadsheets");
    let rows = parse_csv(csv);
    assert_eq!(
        rows[0],
        [
            "id", "label", "unit", "year", "value", "target", "program", "source"
        ]
    );
    let mut seen = 0;
    for row in &rows[1..] {
        let y = &yaml[&row[0]];
        let year: i64 = row[3].parse().unwrap();
        let value = (!row[4].is_empty()).then(|| row[4].parse::<f64>().unwrap());
        let target = (!row[5].is_empty()).then(|| row[5].parse::<f64>().unwrap());
        assert_eq!(value, y.values.get(&year).copied(), "{row:?}");
        assert_eq!(target, y.target.get(&year).copied(), "{row:?}");
        seen += 1;
    }
    let expected: usize = yaml
        .values()
        .map(|m| {
            m.values
                .keys()
                .chain(m.target.keys())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        })
        .sum();
    assert_eq!(seen, expected);
    assert!(
        rows.iter().any(|r| r[7] == "Enkät, \"hösten\""),
        "quoted field round-trips"
    );
}

#[test]
fn a_large_report_prints_a_contents_list_and_links_to_the_key_figures() {
    let dir = scratch("large-print");
    let root = dir.join("site");
    copy_fixture("drafts", &root);
    fs::write(
        root.join("content/nyckeltal.yaml"),
        "n:\n  label: N\n  unit: st\n  values: {2020: 2}\n",
    )
    .unwrap();
    for i in 0..251 {
        fs::write(
            root.join(format!("content/sida-{i:03}.md")),
            format!("---\ntitle: Sida {i}\nsummary: Om sida {i}.\n---\n\nText {i}, {{{{ metric(id=\"n\") }}}}.\n"),
        )
        .unwrap();
    }
    let out = dir.join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let print = fs::read_to_string(out.join("utskrift/index.html")).unwrap();
    assert!(
        print.contains("<a href=\"../sida-250/\">Sida 250</a>"),
        "{print}"
    );
    assert!(
        !print.contains("Text 250"),
        "no full texts beyond 250 pages"
    );
    assert!(
        !print.contains("<table"),
        "no metric tables beyond 250 pages"
    );
    assert!(
        print.contains(
            "<p><a href=\"../nyckeltal/\">Alla nyckeltal, i tabeller per program</a></p>"
        )
    );
    let key_figures = fs::read_to_string(out.join("nyckeltal/index.html")).unwrap();
    assert!(key_figures.contains("<table"));
}
