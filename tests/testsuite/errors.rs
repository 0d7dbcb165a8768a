use std::fs;

use crate::harness::golden::assert_error_case;
use crate::harness::{build, fixture, hallbar, scratch, stderr};

macro_rules! error_cases {
    ($($test:ident => $fixture:literal),* $(,)?) => {
        $(#[test] fn $test() { assert_error_case($fixture); })*
    };
}

error_cases! {
    unknown_front_matter_key_suggests_the_english_key => "errors/unknown-front-matter-key",
    unknown_metric_id_suggests_the_closest => "errors/unknown-metric-id",
    unknown_metric_year_lists_the_years => "errors/unknown-metric-year",
    link_to_a_missing_page_is_an_error_at_the_link => "errors/link-to-missing-page",
    unclosed_front_matter => "errors/unclosed-front-matter",
    malformed_shortcode_points_at_the_bad_value => "errors/malformed-shortcode",
    duplicate_metric_id_names_both_places => "errors/duplicate-metric-id",
    metric_program_must_exist => "errors/metric-program-missing",
    file_not_utf8_points_at_the_first_bad_byte => "errors/file-not-utf8",
    yaml_syntax_error_is_located_in_the_file => "errors/yaml-syntax-in-front-matter",
    unknown_setting_in_site_yaml => "errors/unknown-setting",
    page_without_title => "errors/missing-title",
    absolute_link_is_refused => "errors/absolute-link",
    decimal_comma_in_yaml_gets_a_hint => "errors/metric-value-not-a-number",
    every_error_of_every_file_is_reported => "errors/errors-in-many-files",
    a_chart_must_stand_alone_in_its_paragraph => "errors/chart-beside-text",
    key_figures_for_a_program_without_metrics => "errors/key-figures-unknown-program",
    an_accent_without_contrast_states_the_ratio => "errors/accent-too-light",
    two_folders_at_one_address => "errors/folders-differing-in-case",
    a_file_where_a_page_needs_a_folder => "errors/file-where-a-folder-goes",
    a_link_to_a_draft_says_so => "errors/link-to-a-draft",
    a_page_with_errors_causes_no_errors_in_pages_linking_to_it => "errors/link-to-a-page-with-errors",
    a_template_error_points_into_the_template => "errors/template-unknown-filter",
    a_template_error_on_every_page_is_one_line => "errors/template-error-on-every-page",
    control_characters_in_a_message_are_written_out => "errors/control-characters-in-a-message",
    a_chart_of_different_units_needs_a_named_axis => "errors/chart-of-mixed-units",
    a_logo_and_headline_figures_must_exist => "errors/logo-and-headline-that-do-not-exist",
}

#[test]
fn hostile_input_gives_errors_not_panics() {
    let dir = scratch("errors-hostile");
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
    let out = scratch("errors-unused").join("public");
    let o = build(&fixture("errors/unused-metric-warning"), &out, &[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stderr(&o),
        "content/nyckeltal.yaml:4:1: warning: metric `oanvand` is not used by any page, table or chart; show it with {{ metric(id=\"oanvand\") }} or list it in a page's key_metrics\n"
    );
    assert!(out.join("index.html").exists());
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_site_is_refused_and_not_published() {
    let dir = scratch("errors-symlink-out");
    let root = dir.join("site");
    let c = root.join("content");
    fs::create_dir_all(c.join("inside")).unwrap();
    fs::write(c.join("_index.md"), "---\ntitle: Start\n---\n").unwrap();
    fs::write(dir.join("secret.md"), "---\ntitle: Hemligt\n---\nHEMLIGT\n").unwrap();
    fs::write(
        root.join("shared.md"),
        "---\ntitle: Delad\n---\nDelad text\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.join("secret.md"), c.join("secret.md")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", c.join("host.txt")).unwrap();
    fs::create_dir_all(dir.join("elsewhere")).unwrap();
    fs::write(dir.join("elsewhere/data.yaml"), "x: 1\n").unwrap();
    std::os::unix::fs::symlink(dir.join("elsewhere"), c.join("up")).unwrap();
    // A link that stays inside the site folder is fine; one to a hidden file of it is not.
    std::os::unix::fs::symlink(root.join("shared.md"), c.join("inside/shared.md")).unwrap();
    fs::write(root.join(".env"), "TOKEN=hemligt\n").unwrap();
    std::os::unix::fs::symlink(root.join(".env"), c.join("env.txt")).unwrap();
    // A theme folder that is itself a link out of the site.
    fs::create_dir_all(dir.join("theme/static")).unwrap();
    fs::write(dir.join("theme/static/s.txt"), "HEMLIGT").unwrap();
    fs::create_dir_all(root.join("themes")).unwrap();
    std::os::unix::fs::symlink(dir.join("theme"), root.join("themes/egen")).unwrap();
    fs::write(root.join("site.yaml"), "theme: egen\n").unwrap();
    let out = dir.join("public");
    let o = build(&root, &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    for link in [
        "content/host.txt",
        "content/secret.md",
        "content/up",
        "content/env.txt",
    ] {
        assert!(
            err.contains(&format!("{link}:1:1: error: this is a symbolic link to ")),
            "{link}: {err}"
        );
    }
    assert!(err.contains("outside the site folder"), "{err}");
    assert!(
        err.contains(".env, a hidden file or folder of the site"),
        "{err}"
    );
    assert!(
        err.contains("themes/egen/static:1:1: error: this folder is a symbolic link to "),
        "{err}"
    );
    assert!(err.contains("the site has 5 errors"), "{err}");
    assert!(!out.exists());
    fs::remove_file(c.join("host.txt")).unwrap();
    fs::remove_file(c.join("secret.md")).unwrap();
    fs::remove_file(c.join("up")).unwrap();
    fs::remove_file(c.join("env.txt")).unwrap();
    fs::remove_file(root.join("themes/egen")).unwrap();
    fs::remove_file(root.join("site.yaml")).unwrap();
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("inside/shared/index.html").is_file());
}

// Issue 12: links, suggestions and generated pages.
error_cases! {
    a_link_to_a_page_whose_front_matter_is_never_closed_adds_no_error => "errors/link-to-a-page-never-closed",
    a_link_to_a_page_that_is_not_utf8_adds_no_error => "errors/link-to-a-page-not-utf8",
    a_malformed_shortcode_suggests_the_nearest_metric_of_the_site => "errors/malformed-shortcode-suggests-this-sites-metric",
    a_malformed_shortcode_on_a_site_without_metrics_says_where_metrics_are => "errors/malformed-shortcode-on-a-site-without-metrics",
    a_name_in_the_wrong_case_gets_the_right_one => "errors/link-in-the-wrong-case",
    a_link_to_an_unknown_generated_page_suggests_one => "errors/link-to-an-unknown-generated-page",
    a_link_to_a_generated_page_the_site_does_not_have_says_why => "errors/link-to-a-generated-page-the-site-lacks",
}

// Issue 12: every YAML problem is reported once, where it is, with what to write instead.
error_cases! {
    every_unknown_setting_is_reported_in_one_run => "errors/unknown-settings-all-reported",
    every_unknown_front_matter_key_is_reported_in_one_run => "errors/unknown-front-matter-keys-all-reported",
    a_value_starting_with_percent_is_to_be_quoted => "errors/value-starting-with-percent",
    a_value_with_a_colon_is_to_be_quoted => "errors/colon-in-a-value",
    a_list_is_written_in_brackets => "errors/list-without-brackets",
    a_number_is_written_without_spaces => "errors/number-with-a-space",
    one_bad_value_leaves_the_other_metrics_defined => "errors/decimal-comma-in-one-metric",
}

#[test]
fn a_metrics_file_of_40000_metrics_builds() {
    let dir = scratch("errors-40000-metrics");
    let root = dir.join("site");
    let c = root.join("content");
    fs::create_dir_all(&c).unwrap();
    fs::write(c.join("_index.md"), "---\ntitle: Start\n---\n").unwrap();
    let mut yaml = String::new();
    for i in 0..40_000 {
        yaml.push_str(&format!(
            "m{i}:\n  label: Mått {i}\n  unit: st\n  values:\n    2023: {i}\n    2024: {}\n",
            i + 1
        ));
    }
    fs::write(c.join("nyckeltal.yaml"), yaml).unwrap();
    let o = build(&root, &dir.join("out"), &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{}", &err[..err.len().min(2000)]);
    assert!(!err.contains("error"), "{}", &err[..err.len().min(2000)]);
}

#[test]
fn an_alias_bomb_is_refused_in_plain_words() {
    let dir = scratch("errors-alias-bomb");
    let c = dir.join("site/content");
    fs::create_dir_all(&c).unwrap();
    let mut fm = String::from(
        "---\ntitle: Bomb\nextra:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        fm.push_str(&format!(
            "  {name}: &{name} [{}]\n",
            vec![format!("*{prev}"); 9].join(", ")
        ));
    }
    fm.push_str("---\nText.\n");
    fs::write(c.join("bomb.md"), fm).unwrap();
    let o = build(&dir.join("site"), &dir.join("out"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "content/bomb.md:8:10: error: this file repeats anchors (`*a`) so much that it would expand to more than 10000 values; write the values out\nerror: the site has 1 error; nothing was written\n"
    );
}

// One mistake in a metrics file or in site.yaml is one error, and every mistake of the
// kind that can be read past is reported in one run.
error_cases! {
    a_syntax_error_in_one_metric_leaves_the_others_defined => "errors/syntax-error-in-one-metric",
    an_unknown_key_in_one_metric_leaves_the_others_defined => "errors/unknown-key-in-one-metric",
    a_wrong_type_in_one_metric_leaves_the_others_defined => "errors/wrong-type-in-one-metric",
    unknown_keys_in_many_mappings_are_all_reported_in_one_run => "errors/unknown-keys-in-many-mappings-all-reported",
    a_use_of_a_refused_value_in_words_is_no_error_of_its_own => "errors/words-on-a-refused-value",
}
