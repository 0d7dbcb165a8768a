use std::collections::{BTreeMap, BTreeSet};
use std::fs;

use crate::harness::golden::assert_tree;
use crate::harness::{build, copy_fixture, fixture, scratch, stderr, tree};

#[test]
fn minimal_site_matches_expected_output() {
    let out = scratch("build-minimal").join("public");
    let o = build(&fixture("build/minimal-site"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.starts_with("built 10 pages, 4 metrics in "),
        "{stdout}"
    );
    assert_tree(&out, &fixture("build/minimal-site/expected"));
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = scratch("build-deterministic");
    let (a, b) = (dir.join("a"), dir.join("b"));
    assert!(
        build(&fixture("build/minimal-site"), &a, &[])
            .status
            .success()
    );
    assert!(
        build(&fixture("build/minimal-site"), &b, &[])
            .status
            .success()
    );
    assert_eq!(tree(&a), tree(&b));
}

#[test]
fn bom_and_crlf_build_like_any_file() {
    let out = scratch("build-bom").join("public");
    let o = build(&fixture("build/bom-and-crlf"), &out, &[]);
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
    let dir = scratch("build-drafts");
    let o = build(&fixture("build/drafts"), &dir.join("a"), &[]);
    assert!(o.status.success());
    assert_eq!(
        stderr(&o),
        "note: 1 draft left out (`draft: true`); `--drafts` includes it\n"
    );
    assert!(dir.join("a/klar/index.html").exists());
    assert!(!dir.join("a/utkast").exists());
    let o = build(&fixture("build/drafts"), &dir.join("b"), &["--drafts"]);
    assert!(o.status.success());
    assert_eq!(stderr(&o), "", "no note when drafts are built");
    assert!(dir.join("b/utkast/index.html").exists());
    // check names each draft it left out.
    let root = fixture("build/drafts");
    let o = crate::harness::hallbar(&["check", "--root", root.to_str().unwrap()]);
    let out = crate::harness::text(&o.stdout);
    assert!(
        out.contains("content/utkast.md:1:1: note: this page is a draft, left out of the site; `--drafts` includes it"),
        "{out}"
    );
}

#[test]
fn english_site_formats_numbers_the_english_way() {
    let out = scratch("build-english").join("public");
    assert!(
        build(&fixture("build/english-site"), &out, &[])
            .status
            .success()
    );
    let html = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("<html lang=\"en\">"));
    assert!(
        html.contains("<p>1,234.5\u{a0}SEK, 12%, -3, two\u{a0}groups.</p>"),
        "{html}"
    );
    assert!(html.contains("Skip to content"));
}

#[test]
fn base_url_adds_sitemap_and_canonical_links() {
    let out = scratch("build-sitemap").join("public");
    let o = build(
        &fixture("build/drafts"),
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
    let out = scratch("build-opendata").join("public");
    assert!(
        build(&fixture("build/minimal-site"), &out, &[])
            .status
            .success()
    );
    let yaml: BTreeMap<String, YamlMetric> = serde_saphyr::from_str(
        &fs::read_to_string(fixture("build/minimal-site").join("content/metrics.yaml")).unwrap(),
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
                .collect::<BTreeSet<_>>()
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
    let dir = scratch("build-large-print");
    let root = dir.join("site");
    copy_fixture("build/drafts", &root);
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

/// The `href`s of every `<a>` in `html`, in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn generated_pages_are_linked_with_at_slash_from_any_depth() {
    let out = scratch("build-links-generated").join("public");
    let o = build(&fixture("build/links-to-generated-pages"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let body = |rel: &str| {
        let html = fs::read_to_string(out.join(rel)).unwrap();
        let main = html.split("<main").nth(1).unwrap().to_string();
        main.split("</main>").next().unwrap().to_string()
    };
    let home = body("index.html");
    for href in [
        "nyckeltal/",
        "gri-index/",
        "globala-malen/",
        "utskrift/",
        "tillganglighet/",
    ] {
        assert!(hrefs(&home).contains(&href), "{href} in {home}");
    }
    let page = body("program/laxhjalp/index.html");
    for href in [
        "../../nyckeltal/#metric-familjer",
        "../../gri-index/",
        "../../globala-malen/",
        "../../utskrift/",
        "../../tillganglighet/",
        "../../",
        "../../program/djup/halsa/",
    ] {
        assert!(hrefs(&page).contains(&href), "{href} in {page}");
    }
    let deep = body("program/djup/halsa/index.html");
    assert!(hrefs(&deep).contains(&"../../../nyckeltal/"), "{deep}");
    assert!(!home.contains("@/") && !page.contains("@/") && !deep.contains("@/"));
}

// --- Figures: sources, notes, every target and its progress, percentage points (issue 13).

#[test]
fn key_figures_show_sources_notes_targets_and_progress_in_english() {
    let out = scratch("build-figures-en").join("public");
    let o = build(&fixture("build/figures-en"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<p>Energy use is 119.6\u{a0}kWh/m², down to 100\u{a0}kWh/m² by 2030.</p>"),
        "{home}"
    );
    let page = fs::read_to_string(out.join("programmes/homes/index.html")).unwrap();
    // A change of a percentage is in points, with no relative change.
    assert!(
        page.contains("<p>Satisfied tenants: 72.5% (-1.3\u{a0}percentage points).</p>"),
        "{page}"
    );
    // Every target, with its progress in words.
    assert!(page.contains(
        "<span class=\"figure-nowrap\">115\u{a0}kWh/m²</span> (2025) – <span class=\"figure-status\">On track</span><br><span class=\"figure-nowrap\">100\u{a0}kWh/m²</span> (2030) – <span class=\"figure-status\">On track</span>"
    ));
    assert!(page.contains("</span> (2023) – <span class=\"figure-status\">Behind</span>"));
    assert!(page.contains("</span> (2021) – <span class=\"figure-status\">Reached</span>"));
    // Sources and notes: numbered, each mark a link a screen reader reads as "note 1".
    assert!(page.contains(
        "Energy use<sup class=\"figure-mark\"><a href=\"#figures-1-note-1\"><span class=\"figure-sr\">note </span>1</a></sup>"
    ));
    assert!(page.contains(
        "<li id=\"figures-1-note-1\">Source: Energy declarations. Weather-corrected.</li>"
    ));
    assert!(page.contains("<li id=\"figures-1-note-2\">Source: Tenant survey.</li>"));
    assert!(
        !page.contains(" title="),
        "no information in title attributes"
    );
    // The programme's figures carry their targets and sources too.
    assert!(page.contains(
        "<span class=\"figure-target\">Target: <span class=\"figure-nowrap\">80%</span> (2023) – <span class=\"figure-status\">Behind</span></span> <span class=\"figure-note\">Source: Tenant survey.</span>"
    ));
    let key_figures = fs::read_to_string(out.join("key-figures/index.html")).unwrap();
    assert!(key_figures.contains("<a href=\"#notes-energy-note-1\">"));
    assert!(key_figures.contains("<li id=\"notes-energy-note-1\">"));
    let print = fs::read_to_string(out.join("print/index.html")).unwrap();
    assert!(print.contains("<li id=\"notes-energy-note-1\">"));
    assert!(print.contains("<li id=\"figures-p1-1-note-1\">"));
}

#[test]
fn a_target_that_is_not_there_is_a_located_error_listing_the_target_years() {
    let root = scratch("build-figures-target-errors").join("site");
    copy_fixture("build/figures-en", &root);
    fs::write(
        root.join("content/programmes/errors.md"),
        "---\ntitle: Errors\n---\n\n{{ metric(id=\"energy\", target=2031) }}\n\n{{ metric(id=\"energy\", year=2030) }}\n\n{{ metric(id=\"energy\", year=2021, target=2030) }}\n",
    )
    .unwrap();
    let o = build(&root, &root.join("public"), &[]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(
        e.contains("content/programmes/errors.md:5:24: error: metric `energy` has no target for 2031; its targets are for 2025, 2030"),
        "{e}"
    );
    assert!(
        e.contains("content/programmes/errors.md:7:24: error: metric `energy` has no value for 2030; it has 2019, 2020, 2021; 2030 is a target year: write target=2030 to show the target"),
        "{e}"
    );
    assert!(
        e.contains("content/programmes/errors.md:9:35: error: give either `year` (a value) or `target` (a target), not both"),
        "{e}"
    );
}

// --- GRI index and goal tiles (gri) ---

/// The inside of `<main>` of the page at `rel` under `out`.
fn main_of(out: &std::path::Path, rel: &str) -> String {
    let html = fs::read_to_string(out.join(rel)).unwrap();
    let main = html.split("<main").nth(1).unwrap().to_string();
    main.split("</main>").next().unwrap().to_string()
}

#[test]
fn gri_index_has_titles_omissions_and_the_statement_of_use() {
    let out = scratch("build-gri-index").join("public");
    let o = build(&fixture("build/gri-index"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stderr(&o), "", "no warnings");
    let gri = main_of(&out, "gri-index/index.html");
    assert!(gri.contains("<dd>Mimer har rapporterat enligt GRI Standards för perioden 2020-01-01–2020-12-31.</dd>"), "{gri}");
    // English titles on a Swedish site are marked as English, the cell and the standard.
    assert!(gri.contains("<td lang=\"en\">GRI 305: Emissions 2016</td>\n        <th scope=\"row\" lang=\"en\">305-3 <span class=\"disclosure-title\">Other indirect (Scope 3) GHG emissions</span></th>"), "{gri}");
    assert!(gri.contains("<td><p>305-3-a, 305-3-d</p></td>\n        <td><p>Uppgifterna saknas eller är ofullständiga</p></td>\n        <td><p>Tjänsteresor och inköpta varor räknas från och med 2021.</p></td>"), "{gri}");
    // A metric's omission, and a metric and a page reporting one disclosure.
    assert!(
        gri.contains("<td><p>302-3-c</p></td>\n        <td><p>Ej tillämplig</p></td>"),
        "{gri}"
    );
    assert!(gri.contains("<li><a href=\"../program/energi/\">Energi i bostäderna</a></li><li><a href=\"../nyckeltal/#metric-energi\">Energi per kvadratmeter</a></li>"), "{gri}");
    // A code of a withdrawn standard (GRI 102: 2016) is listed without a title.
    assert!(gri.contains("<th scope=\"row\">102-1</th>"), "{gri}");
    let codes: Vec<&str> = gri
        .split("<th scope=\"row\"")
        .skip(1)
        .filter_map(|r| r.split('>').nth(1)?.split([' ', '<']).next())
        .collect();
    assert_eq!(codes, ["2-29", "102-1", "302-1", "302-3", "305-3", "413-1"]);
}

#[test]
fn gri_index_of_an_english_site_needs_no_lang_marks() {
    let root = crate::harness::site("build/gri-index", "build-gri-index-en");
    let yaml = fs::read_to_string(root.join("site.yaml")).unwrap();
    fs::write(root.join("site.yaml"), format!("language: en\n{yaml}")).unwrap();
    let out = root.join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let gri = main_of(&out, "gri-index/index.html");
    assert!(!gri.contains("lang="), "{gri}");
    assert!(
        gri.contains("<th scope=\"col\">Requirement(s) omitted</th>"),
        "{gri}"
    );
    assert!(
        gri.contains("<td><p>Information unavailable/incomplete</p></td>"),
        "{gri}"
    );
    assert!(gri.contains("<dt>Statement of use</dt>"), "{gri}");
    let page = main_of(&out, "program/energi/index.html");
    assert!(
        page.contains("href=\"../../global-goals/#goal-7\""),
        "{page}"
    );
}

#[test]
fn goals_are_tiles_in_their_colours_linking_to_the_goals_page() {
    let out = scratch("build-gri-goals").join("public");
    let o = build(&fixture("build/gri-index"), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = main_of(&out, "program/energi/index.html");
    // Goal 7 is yellow: its text is dark; goal 13 is dark green: its text is white.
    assert!(page.contains("<a class=\"goal-tile\" href=\"../../globala-malen/#mal-7\" style=\"background-color:#fcc30b;color:#111111\"><span class=\"goal-number\"><span class=\"goal-word\">Mål</span> 7</span> <span class=\"goal-name\">Hållbar energi för alla</span></a>"), "{page}");
    assert!(
        page.contains(
            "href=\"../../globala-malen/#mal-13\" style=\"background-color:#3f7e44;color:#ffffff\""
        ),
        "{page}"
    );
    let goals = main_of(&out, "globala-malen/index.html");
    for id in ["mal-7", "mal-11", "mal-13", "mal-16"] {
        assert!(
            goals.contains(&format!("<li class=\"goal\" id=\"{id}\">")),
            "{id} in {goals}"
        );
    }
    assert!(
        goals.contains("<h2 class=\"goal-tile\" style=\"background-color:#fd9d24;color:#111111\">"),
        "{goals}"
    );
    // The home page's `@/globala-malen#mal-7` leads to the goal.
    assert!(main_of(&out, "index.html").contains("href=\"globala-malen/#mal-7\""));
}

#[test]
fn gri_omission_and_statement_errors_are_located() {
    crate::harness::golden::assert_error_case("build/gri-omission-errors");
}

/// One file inside the workbook `xlsx` (a zip), as text.
fn xlsx_part(xlsx: &[u8], name: &str) -> String {
    use std::io::Read as _;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The text between `open` and the next `close` in each place `open` is found.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Vec<&'a str> {
    text.split(open)
        .skip(1)
        .filter_map(|rest| rest.split(close).next())
        .collect()
}

/// The cells of a workbook's first sheet by reference (`B2`): `("s", text)` for a text,
/// `("n", number)` for a number. Enough of a reader for the workbook hallbar writes
/// (texts inline in their cells, numbers as numbers, nothing else).
fn xlsx_cells(xlsx: &[u8]) -> BTreeMap<String, (&'static str, String)> {
    let sheet = xlsx_part(xlsx, "xl/worksheets/sheet1.xml");
    let mut cells = BTreeMap::new();
    for cell in between(&sheet, "<c r=\"", "</c>") {
        let reference = cell.split('"').next().unwrap().to_string();
        let entry = if cell.contains("t=\"inlineStr\"") {
            ("s", between(cell, "<t>", "</t>")[0].replace("&quot;", "\""))
        } else {
            ("n", between(cell, "<v>", "</v>")[0].to_string())
        };
        cells.insert(reference, entry);
    }
    cells
}

#[test]
fn key_figures_are_an_excel_workbook_with_numbers_that_builds_the_same_twice() {
    let dir = scratch("build-xlsx");
    let (a, b) = (dir.join("a"), dir.join("b"));
    for out in [&a, &b] {
        let o = build(&fixture("build/minimal-site"), out, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let xlsx = fs::read(a.join("data/metrics.xlsx")).unwrap();
    assert_eq!(xlsx, fs::read(b.join("data/metrics.xlsx")).unwrap());
    let cells = xlsx_cells(&xlsx);
    let cell = |r: &str| cells[r].clone();
    // Headings: id, label, unit, the years, the target years, programme, source, note.
    let headings: Vec<String> = [
        "A1", "B1", "C1", "D1", "E1", "F1", "G1", "H1", "I1", "J1", "K1",
    ]
    .iter()
    .map(|r| cell(r).1)
    .collect();
    assert_eq!(
        headings,
        [
            "Id",
            "Nyckeltal",
            "Enhet",
            "2019",
            "2020",
            "Mål 2021",
            "Mål 2022",
            "Mål 2025",
            "Program",
            "Källa",
            "Kommentar"
        ]
    );
    // One row per metric in id order: andel, familjer, minus, stor.
    assert_eq!(cell("A3"), ("s", "familjer".to_string()));
    assert_eq!(cell("D3"), ("n", "14".to_string()));
    assert_eq!(cell("F3"), ("n", "20".to_string()));
    assert_eq!(cell("H3"), ("n", "30".to_string()));
    assert_eq!(cell("I3"), ("s", "Läxhjälp på Bäckby".to_string()));
    assert_eq!(cell("E4"), ("n", "-0.5".to_string()));
    assert_eq!(cell("J4"), ("s", "Enkät, \"hösten\"".to_string()));
    assert_eq!(cell("E5"), ("n", "1234567".to_string()));
    // Numbers show the metric's decimals, in the reader's own way of writing them.
    let styles = xlsx_part(&xlsx, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"#,##0.0\""), "{styles}");
    let core = xlsx_part(&xlsx, "docProps/core.xml");
    assert!(core.contains("<dc:title>Testrapport</dc:title>"), "{core}");
    assert!(
        core.contains(">1980-01-01T00:00:00Z</dcterms:created>"),
        "{core}"
    );
    let key_figures = fs::read_to_string(a.join("nyckeltal/index.html")).unwrap();
    assert!(
        key_figures.contains("href=\"../data/metrics.xlsx\" download>metrics.xlsx (Excel)</a>"),
        "{key_figures}"
    );
}

/// A photo-like JPEG of `w` × `h` (noise, so that it is large, as photos are) and a PNG.
fn write_images(dir: &std::path::Path, w: u32, h: u32) {
    let mut seed: u32 = 1;
    let photo = image::RgbImage::from_fn(w, h, |_, _| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let [a, b, c, _] = seed.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(photo)
        .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(
            &mut jpeg, 100,
        ))
        .unwrap();
    fs::write(dir.join("foto.jpg"), jpeg).unwrap();
    let drawing = image::RgbaImage::from_fn(600, 300, |x, y| {
        image::Rgba([(x % 256) as u8, (y % 256) as u8, 90, 200])
    });
    drawing.save(dir.join("ritning.png")).unwrap();
}

#[test]
fn images_get_smaller_versions_that_are_cached_and_the_same_every_build() {
    let dir = scratch("build-images");
    let root = dir.join("site");
    let content = root.join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("_index.md"),
        "---\ntitle: Start\n---\n![Foto av <gården>](foto.jpg)\n\n![Ritning](ritning.png \"Plan\")\n",
    )
    .unwrap();
    write_images(&content, 2000, 1000);
    let (a, b, c) = (dir.join("a"), dir.join("b"), dir.join("c"));
    let o = build(&root, &a, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = fs::read_to_string(a.join("index.html")).unwrap();
    assert!(html.contains(concat!(
        "<img src=\"foto-1600.jpg\" srcset=\"foto-480.jpg 480w, foto-960.jpg 960w, foto-1600.jpg 1600w\" sizes=\"(min-width: 42rem) 42rem, 100vw\" width=\"1600\" height=\"800\" alt=\"Foto av &lt;gården&gt;\" decoding=\"async\">",
        "</p>"
    )), "{html}");
    assert!(
        html.contains(
        "<picture><source type=\"image/webp\" srcset=\"ritning-480.webp 480w, ritning-600.webp 600w\" sizes=\"(min-width: 42rem) 42rem, 100vw\"><img src=\"ritning.png\" srcset=\"ritning-480.png 480w, ritning.png 600w\" sizes=\"(min-width: 42rem) 42rem, 100vw\" width=\"600\" height=\"300\" alt=\"Ritning\" title=\"Plan\" loading=\"lazy\" decoding=\"async\"></picture>"
        ),
        "{html}"
    );
    assert!(
        !a.join("foto-480.webp").exists(),
        "no lossless WebP of a photo"
    );
    let small = image::open(a.join("foto-480.jpg")).unwrap();
    assert_eq!((small.width(), small.height()), (480, 240));
    let small = image::open(a.join("ritning-480.png")).unwrap();
    assert_eq!((small.width(), small.height()), (480, 240));
    assert!(small.color().has_alpha());
    assert!(a.join("foto.jpg").is_file() && a.join("ritning-600.webp").is_file());
    // Kept in the site's cache, which no build publishes: 3 versions of the photo, 3 of
    // the drawing.
    let cache = root.join(".hallbar-cache/images");
    assert_eq!(fs::read_dir(&cache).unwrap().count(), 6);
    assert!(!tree(&a).keys().any(|k| k.contains("hallbar-cache")));
    // A rebuild takes the versions from the cache: it does not resize again.
    let cached = fs::read_dir(&cache)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-480.webp"))
        .unwrap();
    assert_eq!(
        fs::read(&cached).unwrap(),
        fs::read(a.join("ritning-480.webp")).unwrap()
    );
    fs::write(&cached, b"from the cache").unwrap();
    assert!(build(&root, &b, &[]).status.success());
    assert_eq!(tree(&b)["ritning-480.webp"], b"from the cache");
    // Made afresh, without the cache, every version is the same bytes as the first time.
    fs::remove_dir_all(root.join(".hallbar-cache")).unwrap();
    assert!(build(&root, &c, &[]).status.success());
    assert_eq!(tree(&a), tree(&c));
    // `check` says where the large photo is.
    let o = crate::harness::hallbar(&["check", "--root", root.to_str().unwrap()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("content/foto.jpg:1:1: warning: this image is "),
        "{out}"
    );
    assert!(!out.contains("ritning.png:1:1: warning"), "{out}");
}

/// A site of `n` programmes with one metric each (`m0`...; m51 names GRI 2-7), and a
/// base URL so that it has a sitemap.
fn large_site(name: &str, n: usize) -> std::path::PathBuf {
    let root = scratch(name);
    let dir = root.join("content/program");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        root.join("site.yaml"),
        "title: Stor rapport\nbase_url: https://example.org/r/\n",
    )
    .unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    fs::write(dir.join("_index.md"), "---\ntitle: Program\n---\n").unwrap();
    let yaml: String = (0..n)
        .map(|i| {
            let gri = if i == 51 { "  gri: [\"2-7\"]\n" } else { "" };
            format!("m{i}:\n  label: Mått {i}\n  unit: st\n  values: {{2019: {i}, 2020: {}}}\n  program: program/sida-{i:02}.md\n{gri}", i + 1)
        })
        .collect();
    fs::write(dir.join("nyckeltal.yaml"), yaml).unwrap();
    for i in 0..n {
        // The first page links the last metric where the key figures show it.
        let text = if i == 0 {
            format!("[Sista måttet](@/nyckeltal#metric-m{})", n - 1)
        } else {
            "Text.".to_string()
        };
        fs::write(
            dir.join(format!("sida-{i:02}.md")),
            format!("---\ntitle: Sida {i}\nweight: {i}\nkey_metrics: [m{i}]\n---\n\n{text}\n"),
        )
        .unwrap();
    }
    root
}

/// The `href` of the link to the last metric on the first page of a [`large_site`].
fn last_metric_link(out: &std::path::Path) -> String {
    let page = fs::read_to_string(out.join("program/sida-00/index.html")).unwrap();
    page.split("<a href=\"")
        .skip(1)
        .filter_map(|a| a.split_once("\">Sista måttet</a>"))
        .map(|(href, _)| href.to_string())
        .find(|href| !href.contains('"'))
        .unwrap_or_else(|| panic!("no link to the last metric in {page}"))
}

#[test]
fn a_large_site_splits_its_key_figures_and_shows_the_first_cards_at_home() {
    let root = large_site("large-site", 52);
    let out = root.join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |p: &str| fs::read_to_string(out.join(p)).unwrap();

    // The home page shows 48 of the 52 cards and links to the section for all of them.
    let home = read("index.html");
    assert_eq!(home.matches("<li class=\"card\">").count(), 48, "{home}");
    assert!(
        home.contains("<p class=\"more\"><a href=\"program/\">Alla 52 sidor i Program</a></p>"),
        "{home}"
    );
    assert_eq!(
        read("program/index.html")
            .matches("<li class=\"card\">")
            .count(),
        52
    );

    // The key-figures page lists two parts of at most 50 programmes and holds no table.
    let index = read("nyckeltal/index.html");
    assert!(
        index.contains("<li><a href=\"../nyckeltal/1/\">Del 1: Sida 0 – Sida 49</a></li>"),
        "{index}"
    );
    assert!(index.contains("<li><a href=\"../nyckeltal/2/\">Del 2: Sida 50 – Sida 51</a></li>"));
    assert!(!index.contains("<table"));
    let part1 = read("nyckeltal/1/index.html");
    assert!(part1.contains("<h1>Nyckeltal, del 1 av 2</h1>"), "{part1}");
    assert!(part1.contains("id=\"metric-m49\""));
    assert!(!part1.contains("id=\"metric-m50\""));
    assert!(part1.contains(
        "<p><a href=\"../../nyckeltal/\">Alla nyckeltal, i tabeller per program</a></p>"
    ));
    let part2 = read("nyckeltal/2/index.html");
    assert!(part2.contains("id=\"metric-m51\""));
    assert!(part2.contains("href=\"../../data/metrics.json\""));

    // The GRI index links the metric where its row is; the sitemap lists the parts.
    let gri = read("gri-index/index.html");
    assert!(gri.contains("href=\"../nyckeltal/2/#metric-m51\""), "{gri}");
    // So does a page's `@/nyckeltal#metric-m51`.
    assert_eq!(last_metric_link(&out), "../../nyckeltal/2/#metric-m51");
    let sitemap = read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/r/nyckeltal/2/</loc>"));

    // `check` finds every link and fragment of the split pages.
    let o = crate::harness::hallbar(&["check", "--root", root.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_site_of_fifty_programmes_keeps_one_key_figures_page() {
    let root = large_site("fifty-programmes", 50);
    let out = root.join("public");
    let o = build(&root, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let index = fs::read_to_string(out.join("nyckeltal/index.html")).unwrap();
    assert!(index.contains("id=\"metric-m49\""));
    assert!(!index.contains("class=\"parts\""));
    assert!(!out.join("nyckeltal/1").exists());
    assert_eq!(last_metric_link(&out), "../../nyckeltal/#metric-m49");
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains("<p class=\"more\"><a href=\"program/\">Alla 50 sidor i Program</a></p>")
    );
}
