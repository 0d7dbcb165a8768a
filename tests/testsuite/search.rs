use std::fs;

use crate::harness::{build, fixture, scratch, stderr, tree};

/// The languages of `pagefind/pagefind-entry.json` with the pages each holds, in order.
fn indexed_languages(out: &std::path::Path) -> Vec<(String, u64)> {
    let entry = fs::read_to_string(out.join("pagefind/pagefind-entry.json")).unwrap();
    let entry: serde_json::Value = serde_json::from_str(&entry).unwrap();
    let mut langs: Vec<(String, u64)> = entry["languages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(code, l)| (code.clone(), l["page_count"].as_u64().unwrap()))
        .collect();
    langs.sort();
    langs
}

/// Output HTML pages under `prefix` (and not under `except`) that mark their text for the
/// index.
fn marked_pages(out: &std::path::Path, prefix: &str, except: &str) -> u64 {
    tree(out)
        .iter()
        .filter(|(rel, _)| rel.ends_with(".html") && rel.starts_with(prefix))
        .filter(|(rel, _)| except.is_empty() || !rel.starts_with(except))
        .filter(|(_, bytes)| {
            String::from_utf8_lossy(bytes)
                .contains("<main id=\"main\" class=\"wrap\" tabindex=\"-1\" data-pagefind-body>")
        })
        .count() as u64
}

#[test]
fn every_edition_is_indexed_in_its_own_language() {
    let out = scratch("search-languages").join("public");
    let o = build(&fixture("build/two-languages"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sv = marked_pages(&out, "", "en/");
    let en = marked_pages(&out, "en/", "");
    assert!(sv > 5 && en > 5, "{sv} {en}");
    assert_eq!(
        indexed_languages(&out),
        [("en".to_string(), en), ("sv".to_string(), sv)]
    );
    // Each language's stemmer; none of Pagefind's own UIs, no worker, nothing for pages
    // without a language.
    let files: Vec<String> = tree(&out.join("pagefind")).into_keys().collect();
    for want in [
        "pagefind.js",
        "pagefind-entry.json",
        "wasm.sv.pagefind",
        "wasm.en.pagefind",
    ] {
        assert!(files.iter().any(|f| f == want), "{want} missing: {files:?}");
    }
    let own = |f: &String| {
        [
            "pagefind.js",
            "pagefind-entry.json",
            "wasm.sv.pagefind",
            "wasm.en.pagefind",
        ]
        .contains(&f.as_str())
            || f.ends_with(".pf_meta")
            || f.starts_with("index/")
            || f.starts_with("fragment/")
    };
    assert!(files.iter().all(own), "{files:?}");
    // One index at the site's root serves both editions; each has its own search page.
    assert!(!out.join("en/pagefind").exists());
    let sv_page = fs::read_to_string(out.join("sok/index.html")).unwrap();
    assert!(
        sv_page.contains("data-bundle=\"../pagefind/pagefind.js\""),
        "{sv_page}"
    );
    assert!(sv_page.contains("<label for=\"search-field\">Sök i rapporten</label>"));
    let en_page = fs::read_to_string(out.join("en/search/index.html")).unwrap();
    assert!(
        en_page.contains("data-bundle=\"../../pagefind/pagefind.js\""),
        "{en_page}"
    );
    assert!(en_page.contains("<label for=\"search-field\">Search the report</label>"));
    // The search page, the print edition and 404 are not in the index themselves.
    for page in [
        "sok/index.html",
        "utskrift/index.html",
        "404.html",
        "en/print/index.html",
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        assert!(!html.contains("data-pagefind-body"), "{page}");
    }
}

#[test]
fn the_index_of_a_site_in_two_languages_is_byte_identical_across_builds() {
    let dir = scratch("search-deterministic");
    let (a, b) = (dir.join("a"), dir.join("b"));
    for out in [&a, &b] {
        let o = build(&fixture("build/two-languages"), out, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (ta, tb) = (tree(&a.join("pagefind")), tree(&b.join("pagefind")));
    assert!(ta.len() > 10, "{:?}", ta.keys());
    assert!(ta == tb, "the two indexes differ");
}

#[test]
fn search_false_leaves_the_index_the_page_and_the_links_out() {
    let out = scratch("search-off").join("public");
    let o = build(&fixture("search/search-off"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let files = tree(&out);
    assert!(
        !files
            .keys()
            .any(|f| f.starts_with("pagefind/") || f.starts_with("sok/") || f == "search.js"),
        "{:?}",
        files.keys()
    );
    for (rel, bytes) in files.iter().filter(|(rel, _)| rel.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        assert!(
            !html.contains("data-pagefind")
                && !html.contains("sok/\"")
                && !html.contains("class=\"nav-search\""),
            "{rel}: {html}"
        );
    }
    // With search on, the same site has all three.
    let on = scratch("search-on");
    crate::harness::copy_fixture("search/search-off", &on);
    let yaml = fs::read_to_string(on.join("site.yaml")).unwrap();
    fs::write(on.join("site.yaml"), yaml.replace("search: false\n", "")).unwrap();
    let o = build(&on, &on.join("public"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(on.join("public/pagefind/pagefind.js").exists());
    assert!(on.join("public/sok/index.html").exists());
    let home = fs::read_to_string(on.join("public/index.html")).unwrap();
    assert!(home.contains("<a href=\"sok/\">"), "{home}");
}

#[test]
fn a_theme_that_marks_no_text_is_told_how_to() {
    let out = scratch("search-theme-without-mark").join("public");
    let o = build(&fixture("search/theme-without-the-mark"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        "themes/plain/templates/base.html:1:1: warning: search is on, but no page marks its text to search, so the search page finds nothing: put `data-pagefind-body` on the element that holds each page's text (the built-in base.html has it on <main>, as `<main{% if searchable %} data-pagefind-body{% endif %}>`); or set `search: false` in site.yaml\n"
    );
}

/// What `hallbar serve` answers for the search index's entry, once it answers 200.
fn served_entry(p: &crate::harness::preview::Preview, unlike: &str) -> String {
    let start = std::time::Instant::now();
    loop {
        let r = p.get("/pagefind/pagefind-entry.json");
        if r.status == 200 && r.body != unlike {
            return r.body;
        }
        assert!(
            start.elapsed() < crate::harness::preview::DEADLINE,
            "the served index never came (last: {} {})",
            r.status,
            r.body
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn serve_makes_the_index_after_the_pages_and_again_after_each_edit() {
    let root = crate::harness::site("build/minimal-site", "search-serve");
    let p = crate::harness::preview::Preview::start(&root);
    assert!(
        p.get("/sok/")
            .body
            .contains("<label for=\"search-field\">Sök i rapporten</label>")
    );
    let first = served_entry(&p, "");
    // The index follows an edit of a page's text, and of metric values (rebuilt in part).
    fs::write(
        root.join("content/program/halsa.md"),
        "---\ntitle: Hälsa\nweight: 1\n---\n\nEtt nytt ord: sommarjobben.\n",
    )
    .unwrap();
    let second = served_entry(&p, &first);
    assert_ne!(first, second);
    crate::harness::preview::assert_settles_to_clean_build(&p, "search-text");
}

#[test]
fn serve_keeps_the_open_data_and_the_index_of_edits_that_follow_each_other() {
    let root = scratch("search-serve-edits");
    let dir = root.join("content/program");
    fs::create_dir_all(&dir).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    let yaml = |v: u32| {
        format!(
            "n:\n  label: Deltagare\n  unit: st\n  values: {{2019: 1, 2020: {v}}}\n  program: program/sida-000.md\n"
        )
    };
    fs::write(dir.join("nyckeltal.yaml"), yaml(2)).unwrap();
    // More pages than the print page holds: each kind of edit is rebuilt in part.
    for i in 0..260 {
        fs::write(
            dir.join(format!("sida-{i:03}.md")),
            format!("---\ntitle: Sida {i}\nweight: {i}\n---\n\nText {i} med {{{{ metric(id=\"n\") }}}}.\n"),
        )
        .unwrap();
    }
    let p = crate::harness::preview::Preview::start(&root);
    let first = served_entry(&p, "");
    // A metric edit leaves the open data and the index for later; a page's text edited
    // while that work waits or runs must neither lose it nor be lost.
    fs::write(dir.join("nyckeltal.yaml"), yaml(4321)).unwrap();
    let line = p.next_line();
    assert!(line.contains(": rebuilt "), "{line}");
    std::thread::sleep(std::time::Duration::from_millis(1050));
    fs::write(
        dir.join("sida-007.md"),
        "---\ntitle: Sida 7\nweight: 7\n---\n\nNy text om sommarjobben.\n",
    )
    .unwrap();
    let line = p.next_line();
    assert!(line.contains(": rebuilt 1 page in "), "{line}");
    assert!(
        p.get("/data/metrics.json")
            .body
            .contains("\"2020\": 4321.0")
    );
    assert_ne!(served_entry(&p, &first), first);
    crate::harness::preview::assert_settles_to_clean_build(&p, "search-edits");
}
