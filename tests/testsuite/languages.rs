use std::fs;

use crate::harness::golden::expect_file;
use crate::harness::{build, fixture, hallbar, scratch, stderr, tree};

const SITE: &str = "build/two-languages";

fn read(out: &std::path::Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn built(name: &str) -> std::path::PathBuf {
    let out = scratch(name).join("public");
    let o = build(&fixture(SITE), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

#[test]
fn each_edition_has_its_own_url_layout() {
    let out = built("lang-layout");
    let files: Vec<String> = tree(&out).into_keys().collect();
    for want in [
        "index.html",
        "program/index.html",
        "program/laxhjalp-pa-raby/index.html",
        "program/trygghetsvandringar/index.html",
        "nyckeltal/index.html",
        "en/index.html",
        "en/programmes/index.html",
        // A translation's own slug.
        "en/programmes/homework-help-raby/index.html",
        // Each edition's generated pages and open data, under their English names.
        "en/key-figures/index.html",
        "en/global-goals/index.html",
        "en/print/index.html",
        "en/accessibility/index.html",
        "en/data/metrics.json",
        "en/data/metrics.csv",
        "en/data/metrics.xlsx",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(files.iter().any(|f| f == want), "no {want} in {files:?}");
    }
    // Untranslated pages are left out by default; crawler files are the site's, once.
    for absent in [
        "en/programmes/trygghetsvandringar/index.html",
        "en/programmes/laxhjalp-pa-raby/index.html",
        "en/sitemap.xml",
        "en/robots.txt",
    ] {
        assert!(!files.iter().any(|f| f == absent), "{absent} in {files:?}");
    }
    // The edition's home page and listings show only its own pages.
    for page in ["en/index.html", "en/programmes/index.html"] {
        let html = read(&out, page);
        assert!(html.contains("Homework help in Råby"), "{page}");
        assert!(!html.contains("Läxhjälp på Råby"), "{page}");
    }
    let home = read(&out, "program/index.html");
    assert!(home.contains("Trygghetsvandringar") && !home.contains("Homework help"));
}

#[test]
fn pages_link_to_their_translations_both_ways() {
    let out = built("lang-hreflang");
    let sv = read(&out, "program/laxhjalp-pa-raby/index.html");
    let en = read(&out, "en/programmes/homework-help-raby/index.html");
    let alternates = "<link rel=\"alternate\" hreflang=\"sv\" href=\"https://example.org/rapport/program/laxhjalp-pa-raby/\">\n\
<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/rapport/en/programmes/homework-help-raby/\">\n\
<link rel=\"alternate\" hreflang=\"x-default\" href=\"https://example.org/rapport/program/laxhjalp-pa-raby/\">\n";
    assert!(sv.contains(alternates), "{sv}");
    assert!(en.contains(alternates), "{en}");
    assert!(sv.contains("<html lang=\"sv\">") && en.contains("<html lang=\"en\">"));
    // The switch, to the same page in the other language.
    assert!(
        sv.contains("<a href=\"../../en/programmes/homework-help-raby/\" hreflang=\"en\" lang=\"en\">English</a>"),
        "{sv}"
    );
    assert!(
        en.contains(
            "<a href=\"../../../program/laxhjalp-pa-raby/\" hreflang=\"sv\" lang=\"sv\">Svenska</a>"
        ),
        "{en}"
    );
    assert!(en.contains("<span aria-current=\"true\">English</span>"));
    // No translation: the switch leads to the English home page and says so.
    let untranslated = read(&out, "program/trygghetsvandringar/index.html");
    assert!(
        untranslated.contains("<a href=\"../../en/\" hreflang=\"en\" lang=\"en\">English <span class=\"language-note\">– home page (this page is not in English)</span></a>"),
        "{untranslated}"
    );
    assert!(!untranslated.contains("hreflang=\"en\" href="));
    // A link from an English page to a Swedish file leads to the Swedish page.
    let en_home = read(&out, "en/index.html");
    assert!(
        en_home.contains(
            "<a href=\"../program/trygghetsvandringar/\" hreflang=\"sv\">safety walks</a>"
        ),
        "{en_home}"
    );
    // And from a Swedish page to an English file, the English page.
    assert!(
        untranslated.contains("<a href=\"../../en/programmes/homework-help-raby/\" hreflang=\"en\">text på engelska</a>"),
        "{untranslated}"
    );
    // Section files too, both ways.
    assert!(
        untranslated.contains("<a href=\"../../en/programmes/\" hreflang=\"en\">på engelska</a>"),
        "{untranslated}"
    );
    assert!(
        en_home.contains("<a href=\"../program/\" hreflang=\"sv\">programme list in Swedish</a>"),
        "{en_home}"
    );
    // 404.html stands for no page: no alternates and no switch (its links would break).
    for page in ["404.html", "en/404.html"] {
        let html = read(&out, page);
        assert!(
            !html.contains("hreflang") && !html.contains("language-switch"),
            "{page}"
        );
    }
    // Generated pages are alternates of each other.
    let kf = read(&out, "en/key-figures/index.html");
    assert!(kf.contains("hreflang=\"sv\" href=\"https://example.org/rapport/nyckeltal/\""));
    expect_file(
        &fixture(SITE).join("expected-sitemap.xml"),
        &read(&out, "sitemap.xml"),
    );
}

#[test]
fn numbers_and_metric_words_are_the_editions_own() {
    let out = built("lang-numbers");
    let sv = read(&out, "program/laxhjalp-pa-raby/index.html");
    let en = read(&out, "en/programmes/homework-help-raby/index.html");
    assert!(
        sv.contains(
            "Under året fick 1127\u{a0}elever läxhjälp. Energianvändningen var\n119,6\u{a0}kWh/m²."
        ),
        "{sv}"
    );
    assert!(en.contains("During the year 1,127\u{a0}pupils received homework help. Energy use was\n119.6\u{a0}kWh/m²."), "{en}");
    assert!(
        en.contains("<span class=\"figure-label\">Pupils who received homework help, 2024</span>")
    );
    assert!(sv.contains("<span class=\"figure-label\">Elever som fått läxhjälp, 2024</span>"));
    // Front matter the translation leaves out comes from the page it translates.
    assert!(
        en.contains("<span class=\"goal-name\">Quality education</span>"),
        "{en}"
    );
    let json = read(&out, "en/data/metrics.json");
    assert!(json.contains("Pupils who received homework help"), "{json}");
    assert!(!json.contains("Elever som fått"), "{json}");
    // The key figures group the metric under the English page.
    let kf = read(&out, "en/key-figures/index.html");
    assert!(kf.contains("Homework help in Råby"), "{kf}");
    // Source and note by language too.
    assert!(
        kf.contains("Mimer&#39;s attendance lists") || kf.contains("Mimer's attendance lists"),
        "{kf}"
    );
    let sv_kf = read(&out, "nyckeltal/index.html");
    assert!(sv_kf.contains("Mimers närvarolistor"), "{sv_kf}");
}

#[test]
fn untranslated_pages_and_labels_are_named() {
    // Exactly these notes: `vandringar` is shown only by the Swedish page that has no
    // translation, and is not called unused for that.
    let dir = scratch("lang-notes");
    let o = build(&fixture(SITE), &dir.join("public"), &[]);
    assert!(o.status.success());
    assert_eq!(
        stderr(&o),
        "content/metrics.yaml:7:1: note: metric `energi` has no English label (en); write `label: {sv: \"Energianvändning\", en: …}`\n\
content/program/trygghetsvandringar.md:1:1: note: no English translation (en); write content/program/trygghetsvandringar.en.md to add one\n"
    );
}

#[test]
fn untranslated_pages_can_be_published_in_the_default_language() {
    let dir = scratch("lang-publish");
    let site = dir.join("site");
    crate::harness::copy_dir(&fixture(SITE), &site);
    let yaml = fs::read_to_string(site.join("site.yaml")).unwrap();
    fs::write(
        site.join("site.yaml"),
        format!("{yaml}    untranslated: publish\n"),
    )
    .unwrap();
    let out = dir.join("public");
    let o = build(&site, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&out, "en/programmes/trygghetsvandringar/index.html");
    assert!(
        page.contains("<article class=\"page\" lang=\"sv\">"),
        "{page}"
    );
    assert!(
        page.contains("<p class=\"only-in\"><span lang=\"sv\">Endast på svenska</span> / <span lang=\"en\">Only in Swedish</span></p>"),
        "{page}"
    );
    // Listings and the sibling links mark its Swedish title and summary.
    let listing = read(&out, "en/programmes/index.html");
    assert!(
        listing.contains("<h2><a href=\"../programmes/trygghetsvandringar/\" lang=\"sv\">Trygghetsvandringar</a></h2>\n      <p lang=\"sv\">Hyresgäster"),
        "{listing}"
    );
    let sibling = read(&out, "en/programmes/homework-help-raby/index.html");
    assert!(
        sibling.contains(
            "<a href=\"../../programmes/trygghetsvandringar/\" lang=\"sv\">Trygghetsvandringar</a>"
        ),
        "{sibling}"
    );
    // Its figures are written the Swedish way, and its canonical address is the original's.
    assert!(
        page.contains("I området användes 119,6\u{a0}kWh/m²."),
        "{page}"
    );
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://example.org/rapport/program/trygghetsvandringar/\">"),
        "{page}"
    );
    // The English home page's link to the Swedish file now stays in the edition.
    let home = read(&out, "en/index.html");
    assert!(
        home.contains(
            "<a href=\"programmes/trygghetsvandringar/\" hreflang=\"sv\">safety walks</a>"
        ),
        "{home}"
    );
}

#[test]
fn check_finds_broken_fragments_in_translations() {
    let dir = scratch("lang-check");
    let site = dir.join("site");
    crate::harness::copy_dir(&fixture(SITE), &site);
    let page = site.join("content/program/laxhjalp-pa-raby.en.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("(#results)", "(#resultat)")).unwrap();
    let o = hallbar(&["check", "--root", site.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // `check` reports its findings on standard output.
    let err = crate::harness::text(&o.stdout);
    assert!(
        err.contains("content/program/laxhjalp-pa-raby.en.md:10:46: error: link `#resultat`"),
        "{err}"
    );
    assert!(err.contains("did you mean `results`?"), "{err}");
}

#[test]
fn a_site_in_one_language_has_no_editions() {
    let out = scratch("lang-one").join("public");
    let o = build(&fixture("build/minimal-site"), &out, &[]);
    assert!(o.status.success());
    let html = read(&out, "index.html");
    assert!(!html.contains("hreflang") && !html.contains("language-switch"));
    assert!(!out.join("en").exists());
}

#[test]
fn serve_rebuilds_every_edition_on_a_save() {
    use crate::harness::preview::{Preview, assert_settles_to_clean_build};
    let root = crate::harness::site(SITE, "lang-serve");
    let p = Preview::start(&root);
    let mut ev = p.events();
    let url = "/en/programmes/homework-help-raby/";
    assert!(p.get(url).body.contains("<h1>Homework help in Råby</h1>"));
    let page = root.join("content/program/laxhjalp-pa-raby.en.md");
    let text = fs::read_to_string(&page).unwrap();
    fs::write(&page, text.replace("in Råby", "in Råby, 2024")).unwrap();
    ev.reload();
    assert!(
        p.get(url)
            .body
            .contains("<h1>Homework help in Råby, 2024</h1>")
    );
    // A metric edit: both editions show the new value.
    let metrics = root.join("content/metrics.yaml");
    let text = fs::read_to_string(&metrics).unwrap();
    fs::write(&metrics, text.replace("2024: 1127", "2024: 1200")).unwrap();
    ev.reload();
    assert!(
        p.get(url)
            .body
            .contains("During the year 1,200\u{a0}pupils")
    );
    assert!(
        p.get("/program/laxhjalp-pa-raby/")
            .body
            .contains("Under året fick 1200\u{a0}elever")
    );
    assert_settles_to_clean_build(&p, "lang-serve-clean");
}

#[test]
fn mistakes_across_editions_are_named() {
    let dir = scratch("lang-mistakes");
    let site = dir.join("site");
    crate::harness::copy_dir(&fixture(SITE), &site);
    // A translation of no page: a typo in its name.
    fs::write(
        site.join("content/program/laxhjalp-pa-rby.en.md"),
        "---\ntitle: Typo\n---\n\nText.\n",
    )
    .unwrap();
    let o = build(&site, &dir.join("a"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("content/program/laxhjalp-pa-rby.en.md:1:1: warning: this translation has no page content/program/laxhjalp-pa-rby.md to translate, so it is only in the English edition; did you mean `program/laxhjalp-pa-raby.md`?"),
        "{}",
        stderr(&o)
    );
    // A folder of the default edition where the English edition is published.
    fs::create_dir_all(site.join("content/en")).unwrap();
    fs::write(site.join("content/en/_index.md"), "---\ntitle: En\n---\n").unwrap();
    let out = dir.join("b");
    let o = build(&site, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("site.yaml:1:1: error: en/index.html is made by both editions: the default language's edition must not use the folder en/, where the edition in `en` is published; rename content/en/ or the page or `slug` that leads there"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}
