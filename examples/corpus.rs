//! Benchmark corpus: writes the same N-page report twice, as a hallbar site and as a Hugo
//! site with equivalent templates (a page, the full listing, a key-figures table), so the
//! two tools are measured on the same work. Deterministic for a given seed.
//!
//! cargo run --release --example corpus -- OUT_DIR PAGES [SEED]
//! writes OUT_DIR/hallbar/ and OUT_DIR/hugo/.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// xorshift64*: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "Mimer",
    "arbetar",
    "för",
    "gemenskap",
    "och",
    "trygghet",
    "i",
    "bostadsområdena",
    "med",
    "kommun",
    "föreningsliv",
    "andra",
    "organisationer",
    "att",
    "skapa",
    "möjligheter",
    "fler",
    "bostad",
    "hos",
    "oss",
    "socialt",
    "sammanhang",
    "betydelse",
    "lokalt",
    "hyresgäster",
    "samverkan",
    "sysselsättning",
    "barn",
    "familjer",
    "vuxna",
    "aktiviteter",
    "under",
    "året",
    "har",
    "ökat",
    "minskat",
    "trygghet",
    "hälsa",
    "skolan",
    "läxhjälp",
    "elever",
    "betyg",
    "framtidstro",
    "deltagare",
    "grupper",
    "kvartersvärdar",
    "skötseln",
    "av",
    "verksamheten",
    "en",
    "ett",
    "det",
    "som",
    "är",
    "var",
    "på",
    "till",
    "från",
    "Bäckby",
    "Västerås",
    "stad",
    "sponsring",
    "trösklar",
    "kostnad",
    "avstånd",
    "engagemang",
    "föräldrar",
    "kunskap",
    "ork",
    "vilja",
    "frukt",
    "grönsaker",
    "frukost",
    "stress",
    "nedstämdhet",
    "hälsotillstånd",
    "bostadsmarknaden",
    "segregation",
    "avtalet",
    "förutsättningar",
    "tillgång",
    "bostäder",
    "personer",
    "flyktingmottagande",
    "mål",
];

fn sentence(rng: &mut Rng) -> String {
    let n = 8 + rng.below(13);
    let mut s = String::new();
    for i in 0..n {
        let w = rng.pick(WORDS);
        if i == 0 {
            let mut c = w.chars();
            if let Some(first) = c.next() {
                s.extend(first.to_uppercase());
                s.push_str(c.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

/// The body of one programme page, in either tool's shortcode syntax.
fn body(rng: &mut Rng, i: usize, pages: usize, hugo: bool) -> String {
    let words = 300 + rng.below(1200);
    let metric = |id: &str| {
        if hugo {
            format!("{{{{< metric id=\"{id}\" >}}}}")
        } else {
            format!("{{{{ metric(id=\"{id}\") }}}}")
        }
    };
    let link = |j: usize| {
        if hugo {
            format!("[program {j}]({{{{< ref \"program-{j:05}.md\" >}}}})")
        } else {
            format!("[program {j}](program-{j:05}.md)")
        }
    };
    let mut out = String::new();
    let mut written = 0;
    let mut section = 0;
    while written < words {
        section += 1;
        let _ = writeln!(out, "## Avsnitt {section}\n");
        for _ in 0..3 {
            let mut para = String::new();
            for _ in 0..(3 + rng.below(4)) {
                let s = sentence(rng);
                written += s.split(' ').count();
                para.push_str(&s);
                para.push(' ');
            }
            let _ = writeln!(
                out,
                "{para}Totalt {} under året, se {}.\n",
                metric(&format!("m{i:05}-{}", rng.below(10))),
                link(rng.below(pages))
            );
        }
        let _ = writeln!(
            out,
            "- {}\n- {}\n- {}\n",
            sentence(rng),
            sentence(rng),
            sentence(rng)
        );
    }
    let _ = writeln!(
        out,
        "| År | Värde |\n|----|------:|\n| 2019 | {} |\n| 2020 | {} |",
        rng.below(100),
        rng.below(100)
    );
    out
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).expect("create folder");
    }
    fs::write(path, text).expect("write file");
}

fn metrics_yaml(rng: &mut Rng, from: usize, to: usize, hallbar: bool) -> String {
    let mut y = String::new();
    for i in from..to {
        for k in 0..10 {
            let (a, b) = (rng.below(1000), rng.below(1000));
            let _ = writeln!(
                y,
                "m{i:05}-{k}:\n  label: Nyckeltal {k} för program {i}\n  unit: deltagare"
            );
            if hallbar {
                let _ = writeln!(
                    y,
                    "  values: {{2019: {a}, 2020: {b}}}\n  program: program/program-{i:05}.md"
                );
            } else {
                let _ = writeln!(
                    y,
                    "  latest: {b}\n  previous: {a}\n  program: program-{i:05}"
                );
            }
        }
    }
    y
}

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
locale = "sv"
title = "Hållbarhetsredovisning"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[taxonomies]
tag = "tags"
[markup.goldmark.renderer]
unsafe = true
"#;

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}<li><a href="{{ "nyckeltal/" | relURL }}">Nyckeltal</a></li></ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>Mimer</footer></body></html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1><p class="lead">{{ .Summary }}</p>
{{ $file := index hugo.Data.metrics .Params.metrics_file }}{{ range .Params.key_metrics }}{{ with index $file . }}<p>{{ .latest }} {{ .unit }} {{ .label }}</p>{{ end }}{{ end }}
{{ .TableOfContents }}{{ .Content }}</article>{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}
"#;

const HUGO_KEY_FIGURES: &str = r#"{{ define "main" }}<h1>Nyckeltal</h1><table><thead><tr><th>Nyckeltal</th><th>2019</th><th>2020</th></tr></thead><tbody>
{{ range $f, $file := hugo.Data.metrics }}{{ range $id, $m := $file }}<tr><th>{{ $m.label }}</th><td>{{ $m.previous }}</td><td>{{ $m.latest }} {{ $m.unit }}</td></tr>{{ end }}{{ end }}
</tbody></table>{{ end }}
"#;

const HUGO_METRIC: &str = r#"{{ with index (index hugo.Data.metrics .Page.Params.metrics_file) (.Get "id") }}{{ .latest }} {{ .unit }}{{ end }}"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: corpus OUT_DIR PAGES [SEED]");
        std::process::exit(2);
    }
    let out = Path::new(&args[1]);
    let pages: usize = args[2].parse().expect("PAGES must be a number");
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(2026);
    let (h, g) = (out.join("hallbar"), out.join("hugo"));

    write(
        &h.join("site.yaml"),
        // Hugo has no search: the comparison with it is like for like (bench/search.sh
        // measures search, against Hugo followed by the Pagefind CLI).
        "title: Hållbarhetsredovisning\norganisation: Mimer\nlanguage: sv\nreport_year: 2020\nsearch: false\n",
    );
    write(
        &h.join("content/_index.md"),
        "---\ntitle: Hållbarhetsredovisning\nsummary: Korpus för prestandamätning.\n---\n\nInledning.\n",
    );
    write(
        &h.join("content/program/_index.md"),
        "---\ntitle: Program\nsummary: Alla program.\n---\n",
    );
    write(&g.join("hugo.toml"), HUGO_CONFIG);
    write(
        &g.join("content/_index.md"),
        "---\ntitle: Hållbarhetsredovisning\n---\n\nInledning.\n",
    );
    write(
        &g.join("content/program/_index.md"),
        "---\ntitle: Program\n---\n",
    );
    write(
        &g.join("content/nyckeltal/_index.md"),
        "---\ntitle: Nyckeltal\nlayout: nyckeltal\n---\n",
    );
    write(&g.join("layouts/_default/baseof.html"), HUGO_BASEOF);
    write(&g.join("layouts/_default/single.html"), HUGO_SINGLE);
    write(&g.join("layouts/_default/list.html"), HUGO_LIST);
    write(&g.join("layouts/_default/nyckeltal.html"), HUGO_KEY_FIGURES);
    write(&g.join("layouts/shortcodes/metric.html"), HUGO_METRIC);
    write(
        &g.join("static/style.css"),
        "body { font-family: system-ui; }\n",
    );

    for chunk in (0..pages).step_by(100) {
        let to = (chunk + 100).min(pages);
        let mut rng = Rng(seed ^ (chunk as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        write(
            &h.join(format!("content/program/nyckeltal-{chunk:05}.yaml")),
            &metrics_yaml(&mut rng, chunk, to, true),
        );
        let mut rng = Rng(seed ^ (chunk as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        write(
            &g.join(format!("data/metrics/m{chunk:05}.yaml")),
            &metrics_yaml(&mut rng, chunk, to, false),
        );
    }

    for i in 0..pages {
        let mut rng = Rng(seed ^ (i as u64 + 7).wrapping_mul(0xd1b5_4a32_d192_ed03));
        let summary = sentence(&mut rng);
        let text_h = body(&mut Rng(rng.0), i, pages, false);
        let text_g = body(&mut Rng(rng.0), i, pages, true);
        let tag = rng.below(30);
        let keys = format!("m{i:05}-0, m{i:05}-1");
        // The other eight metrics appear in the text, so every metric is used in both sites.
        let rest = |hugo: bool| -> String {
            let refs: Vec<String> = (2..10)
                .map(|k| {
                    if hugo {
                        format!("{{{{< metric id=\"m{i:05}-{k}\" >}}}}")
                    } else {
                        format!("{{{{ metric(id=\"m{i:05}-{k}\") }}}}")
                    }
                })
                .collect();
            format!("\nÖvriga nyckeltal: {}.\n", refs.join(", "))
        };
        write(
            &h.join(format!("content/program/program-{i:05}.md")),
            &format!(
                "---\ntitle: Program {i}\nsummary: {summary}\nweight: {i}\nkey_metrics: [{keys}]\n---\n\n{text_h}{}",
                rest(false)
            ),
        );
        write(
            &g.join(format!("content/program/program-{i:05}.md")),
            &format!(
                "---\ntitle: Program {i}\nsummary: {summary}\nweight: {i}\nkey_metrics: [{keys}]\nmetrics_file: m{:05}\ntags: [tagg-{tag}]\n---\n\n{text_g}{}",
                i / 100 * 100,
                rest(true)
            ),
        );
    }
    println!("wrote {pages} pages to {} and {}", h.display(), g.display());
}
