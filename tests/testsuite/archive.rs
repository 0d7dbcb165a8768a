use std::fs;

use crate::harness::{build, hallbar, scratch, site, stderr, text, tree};

fn archive(root: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["archive", "--root", root.to_str().unwrap()];
    args.extend_from_slice(extra);
    hallbar(&args)
}

fn set(root: &std::path::Path, file: &str, from: &str, to: &str) {
    let path = root.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from}");
    fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn a_frozen_year_is_published_byte_for_byte_after_the_site_changes() {
    let root = site("build/minimal-site", "archive-freeze");
    let o = archive(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        text(&o.stdout),
        "froze 10 pages into archive/2020/; commit that folder: every build publishes it as it is\n"
    );
    let frozen = root.join("archive/2020");
    // Next year: other figures, another accent, another year.
    set(
        &root,
        "site.yaml",
        "report_year: 2020",
        "report_year: 2021\naccent: \"#7a3b8f\"",
    );
    set(
        &root,
        "content/program/halsa.md",
        "Text om hälsa",
        "Se [förra året](@/2020/program/halsa/). Ny text om hälsa",
    );
    let out = scratch("archive-freeze-out").join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut want = tree(&frozen);
    want.remove(".hallbar-archive");
    want.remove(".hallbar-manifest");
    let got: std::collections::BTreeMap<String, Vec<u8>> = tree(&out)
        .into_iter()
        .filter_map(|(p, b)| p.strip_prefix("2020/").map(|p| (p.to_string(), b)))
        .collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    assert!(got == want, "2020/ differs from archive/2020/");
    // The root is this year's; the frozen pages say which year they are and lead to it.
    let root_page = fs::read_to_string(out.join("program/halsa/index.html")).unwrap();
    assert!(root_page.contains("Ny text om hälsa") && !root_page.contains("frozen-note"));
    assert!(
        root_page.contains("Hållbarhetsredovisning 2021"),
        "{root_page}"
    );
    // Links into the archive, written and generated.
    assert!(root_page.contains("<a href=\"../../2020/program/halsa/\">förra året</a>"));
    assert!(root_page.contains("<p class=\"earlier\" data-pagefind-ignore>Samma sida i tidigare rapporter: <a href=\"../../2020/program/halsa/\">2020</a></p>"), "{root_page}");
    let mut pages = 0;
    for (path, bytes) in &got {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        pages += 1;
        let html = String::from_utf8_lossy(bytes);
        let depth = path.matches('/').count();
        let latest = format!(
            "<p class=\"frozen-note\">Det här är rapporten för 2020, som den publicerades. <a href=\"{}../\">Till den senaste rapporten</a></p>",
            "../".repeat(depth)
        );
        assert!(html.contains(&latest), "{path}: {html}");
        assert!(
            !html.contains("Ny text") && !html.contains("class=\"earlier\""),
            "{path}"
        );
    }
    assert_eq!(pages, 10);
    // The frozen year searches its own pages with the index frozen with it; the latest
    // report's index holds this year's pages only.
    assert!(
        got.contains_key("pagefind/pagefind.js")
            && got.contains_key("pagefind/pagefind-entry.json")
    );
    let entry = fs::read_to_string(out.join("pagefind/pagefind-entry.json")).unwrap();
    assert!(entry.contains("\"page_count\":8"), "{entry}");
    // Canonical addresses of a frozen page are under its year.
    let halsa = String::from_utf8_lossy(&got["program/halsa/index.html"]).into_owned();
    assert!(halsa.contains(
        "<link rel=\"canonical\" href=\"https://example.org/rapport/2020/program/halsa/\">"
    ));
    // This year's permanent address: a page under 2021/ for each page, leading to it.
    let year_page = fs::read_to_string(out.join("2021/program/halsa/index.html")).unwrap();
    assert!(
        year_page
            .contains("<meta http-equiv=\"refresh\" content=\"0; url=../../../program/halsa/\">"),
        "{year_page}"
    );
    assert!(year_page.contains(
        "<a href=\"../../../program/halsa/\">Till den här sidan i rapporten för 2021</a>"
    ));
    assert!(!out.join("2021/2020").exists());
    // The list of reports, newest first, linked from the footer and the home page.
    let list = fs::read_to_string(out.join("tidigare-rapporter/index.html")).unwrap();
    assert!(
        list.contains("<li><a href=\"../\">Testrapport</a> (2021) – den här rapporten</li>\n    <li><a href=\"../2020/\">Testrapport</a> (2020)</li>"),
        "{list}"
    );
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(
        home.matches("<a href=\"tidigare-rapporter/\">Tidigare rapporter</a>")
            .count(),
        2
    );
    // The sitemap lists the frozen pages too.
    let sitemap = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/rapport/2020/program/halsa/</loc>"),
        "{sitemap}"
    );
    let o = archive(&root, &["--verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The next year can be frozen too; its link into 2020 still leads there from 2021/.
    let o = archive(&root, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let frozen_2021 =
        fs::read_to_string(root.join("archive/2021/program/halsa/index.html")).unwrap();
    assert!(
        frozen_2021.contains("<a href=\"../../../2020/program/halsa/\">förra året</a>"),
        "{frozen_2021}"
    );
    assert!(!root.join("archive/2021/.hallbar-manifest").exists());
    // And a build that still says 2021 is told so.
    let o = build(&root, &scratch("archive-freeze-again").join("public"), &[]);
    assert!(o.status.success());
    assert!(
        stderr(&o).contains(
            "site.yaml:1:1: warning: report_year is 2021, which is frozen already in archive/2021/"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_archive_folder_is_not_an_output_and_drafts_are_not_frozen() {
    let root = site("build/minimal-site", "archive-guards");
    let out = root.join("archive/x");
    let o = build(&root, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is inside archive/, so the next build would read it back in"),
        "{}",
        stderr(&o)
    );
    let o = archive(&root, &["--drafts"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot hold drafts"), "{}", stderr(&o));
    // A content folder named like this year stands where this year's address goes.
    assert!(archive(&root, &[]).status.success());
    set(&root, "site.yaml", "report_year: 2020", "report_year: 2021");
    fs::create_dir_all(root.join("content/2021")).unwrap();
    fs::write(root.join("content/2021/_index.md"), "---\ntitle: År\n---\n").unwrap();
    let o = build(&root, &scratch("archive-guards-out").join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error: the site makes 2021/index.html itself, but 2021/ is this year's permanent address"), "{}", stderr(&o));
}

#[test]
fn a_site_without_an_archive_folder_has_no_year_pages() {
    let out = scratch("archive-none").join("public");
    let o = build(&crate::harness::fixture("build/minimal-site"), &out, &[]);
    assert!(o.status.success());
    assert!(!out.join("2020").exists() && !out.join("tidigare-rapporter").exists());
}

#[test]
fn a_year_is_frozen_once() {
    let root = site("build/minimal-site", "archive-once");
    assert!(archive(&root, &[]).status.success());
    let before = tree(&root.join("archive/2020"));
    let o = archive(&root, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: archive/2020/ exists: the 2020 edition is frozen already, and a frozen edition is never written again; to freeze 2020 anew on purpose, remove the folder first (`git rm -r archive/2020`) and run `hallbar archive` again\n"
    );
    assert_eq!(tree(&root.join("archive/2020")), before);
}

#[test]
fn a_frozen_file_edited_by_hand_is_published_and_reported() {
    let root = site("build/minimal-site", "archive-edited");
    assert!(archive(&root, &[]).status.success());
    set(
        &root,
        "archive/2020/program/halsa/index.html",
        "Text om hälsa",
        "Rättad text om hälsa",
    );
    fs::write(root.join("archive/2020/extra.txt"), "x").unwrap();
    let o = archive(&root, &["--verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "archive/2020/extra.txt:1:1: warning: this file of the frozen 2020 edition was added after the edition was frozen; it is published as it is now (to undo it, restore it from version control)\n\
archive/2020/program/halsa/index.html:1:1: warning: this file of the frozen 2020 edition was edited after the edition was frozen; it is published as it is now (to undo it, restore it from version control)\n"
    );
    let check = hallbar(&["check", "--root", root.to_str().unwrap()]);
    assert!(text(&check.stdout).contains("archive/2020/program/halsa/index.html:1:1: warning: this file of the frozen 2020 edition was edited"));
    let out = scratch("archive-edited-out").join("public");
    assert!(build(&root, &out, &[]).status.success());
    let page = fs::read_to_string(out.join("2020/program/halsa/index.html")).unwrap();
    assert!(page.contains("Rättad text om hälsa"));
}

#[test]
fn freezing_needs_the_report_year() {
    let root = site("build/english-site", "archive-no-year");
    let o = archive(&root, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("site.yaml:1:1: error: the edition to freeze is filed under its year, and site.yaml has no `report_year`; add e.g. `report_year: 2023`\n"),
        "{}",
        stderr(&o)
    );
    assert!(!root.join("archive").exists());
}

#[test]
fn a_link_into_the_archive_must_lead_somewhere() {
    let root = site("build/minimal-site", "archive-link");
    assert!(archive(&root, &[]).status.success());
    set(
        &root,
        "content/program/halsa.md",
        "Text om hälsa",
        "[Fel](@/2020/program/finns-inte/). Text om hälsa",
    );
    let o = build(&root, &scratch("archive-link-out").join("public"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("error: link to `@/2020/program/finns-inte/`, but the frozen 2020 edition has no page or file `program/finns-inte`; check the address in archive/2020/"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_frozen_year_holds_every_language() {
    let root = site("build/two-languages", "archive-languages");
    assert!(archive(&root, &[]).status.success());
    let frozen = root.join("archive/2024");
    let en =
        fs::read_to_string(frozen.join("en/programmes/homework-help-raby/index.html")).unwrap();
    assert!(en.contains("<p class=\"frozen-note\">This is the report for 2024, as it was published. <a href=\"../../../../\">To the latest report</a></p>"), "{en}");
    set(&root, "site.yaml", "report_year: 2024", "report_year: 2025");
    let out = scratch("archive-languages-out").join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        fs::read(out.join("2024/en/programmes/homework-help-raby/index.html")).unwrap(),
        en.as_bytes()
    );
    // Each edition's list of reports leads to the frozen year in its own language.
    let list = fs::read_to_string(out.join("en/previous-reports/index.html")).unwrap();
    assert!(
        list.contains("<li><a href=\"../../2024/en/\">Sustainability report 2024</a> (2024)</li>"),
        "{list}"
    );
    // This year's address holds both languages.
    assert!(
        out.join("2025/en/programmes/homework-help-raby/index.html")
            .exists()
    );
    assert!(
        out.join("2025/program/laxhjalp-pa-raby/index.html")
            .exists()
    );
}

#[test]
fn serve_publishes_the_archive() {
    let root = site("build/minimal-site", "archive-serve");
    assert!(archive(&root, &[]).status.success());
    let p = crate::harness::preview::Preview::start(&root);
    let frozen = p.get("/2020/program/halsa/").body;
    assert!(frozen.contains("<p class=\"frozen-note\">"), "{frozen}");
    assert!(!p.get("/program/halsa/").body.contains("frozen-note"));
}
