use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::harness::preview::{DEADLINE, Events, Preview, assert_settles_to_clean_build, request};
use crate::harness::{build, copy_dir, hallbar_command, scratch, site, stderr, tree};

#[test]
fn routing_and_traversal_table() {
    let root = site("build/minimal-site", "serve-routing");
    let secret = root.join("secret.txt");
    fs::write(&secret, "outside the output").unwrap();
    let p = Preview::start(&root);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, root.join("public/leak.txt")).unwrap();
    let cases: &[(&str, &str, u16)] = &[
        ("GET", "/", 200),
        ("HEAD", "/", 200),
        ("GET", "/program/", 200),
        ("GET", "/program/halsa/", 200),
        ("GET", "/program", 301),
        ("GET", "/style.css", 200),
        ("GET", "/nope/", 404),
        ("POST", "/", 405),
        ("PUT", "/", 405),
        ("DELETE", "/index.html", 405),
        ("GET", "/../secret.txt", 400),
        ("GET", "/%2e%2e/secret.txt", 400),
        ("GET", "/program/%2e%2e/%2e%2e/secret.txt", 400),
        ("GET", "/%2e%2e%2fsecret.txt", 400),
        ("GET", "/..%5csecret.txt", 400),
        ("GET", "/program\\..\\..\\secret.txt", 400),
        ("GET", "/%00", 400),
        ("GET", "/index.html%00.png", 400),
        ("GET", "/%zz", 400),
        ("GET", "/%c0%ae%c0%ae/secret.txt", 400),
        ("GET", "//etc/passwd", 404),
        ("GET", "/leak.txt", 404),
    ];
    for (method, path, want) in cases {
        let r = request(p.addr, method, path);
        assert_eq!(r.status, *want, "{method} {path}: {r:?}");
        assert!(
            !r.body.contains("outside the output"),
            "{method} {path} leaked"
        );
    }
    let r = p.get("/program?x=1");
    assert_eq!(r.headers["location"], "/program/?x=1");
    // Never a redirect to another host.
    let r = p.get("//program");
    assert_eq!(r.status, 301);
    assert_eq!(r.headers["location"], "/program/");
    let r = p.get("/nope/");
    assert!(r.body.contains("Sidan finns inte"), "404 page: {}", r.body);
    for (path, ctype) in [
        ("/", "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/program/bild.png", "image/png"),
        ("/sitemap.xml", "application/xml"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let r = p.get(path);
        assert_eq!(r.headers["content-type"], ctype, "{path}");
        assert_eq!(r.headers["cache-control"], "no-store", "{path}");
    }
    let head = request(p.addr, "HEAD", "/");
    assert!(head.body.is_empty());
}

#[test]
fn the_reload_script_is_only_in_served_pages() {
    let root = site("build/minimal-site", "serve-script");
    let p = Preview::start(&root);
    assert!(p.get("/").body.contains("/__hallbar/events"));
    let on_disk = fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(!on_disk.contains("__hallbar"));
}

fn served_text(p: &Preview, path: &str) -> String {
    p.get(path).body
}

#[test]
fn every_editor_save_pattern_reloads_with_the_new_text() {
    let root = site("build/minimal-site", "serve-editors");
    let p = Preview::start(&root);
    let mut ev = p.events();
    let page = root.join("content/program/halsa.md");
    let header = "---\ntitle: Hälsa\nweight: 1\n---\n\n";
    let url = "/program/halsa/";

    // In-place write.
    fs::write(&page, format!("{header}Version ett.\n")).unwrap();
    ev.reload();
    assert!(served_text(&p, url).contains("Version ett."));

    // vim: probe file 4913, backup by rename, write a new file, remove the backup.
    let dir = page.parent().unwrap();
    fs::write(dir.join("4913"), "").unwrap();
    fs::remove_file(dir.join("4913")).unwrap();
    fs::rename(&page, dir.join("halsa.md~")).unwrap();
    fs::write(&page, format!("{header}Version två.\n")).unwrap();
    fs::remove_file(dir.join("halsa.md~")).unwrap();
    ev.reload();
    assert!(served_text(&p, url).contains("Version två."));

    // Write a temporary file, then rename it over the page (VS Code, JetBrains).
    let tmp = dir.join(".halsa.md.tmp");
    fs::write(&tmp, format!("{header}Version tre.\n")).unwrap();
    fs::rename(&tmp, &page).unwrap();
    ev.reload();
    assert!(served_text(&p, url).contains("Version tre."));

    // Delete, then create.
    fs::remove_file(&page).unwrap();
    fs::write(&page, format!("{header}Version fyra.\n")).unwrap();
    ev.reload();
    let start = Instant::now();
    while !served_text(&p, url).contains("Version fyra.") {
        assert!(
            start.elapsed() < DEADLINE,
            "the deleted and recreated page never came back"
        );
        ev.reload();
    }

    // A metrics file edited: the figure in the prose changes.
    let metrics = root.join("content/metrics.yaml");
    let yaml = fs::read_to_string(&metrics)
        .unwrap()
        .replace("2020: 17", "2020: 21");
    fs::write(&metrics, yaml).unwrap();
    // (A reload event of the delete and create above may still be on its way.)
    let start = Instant::now();
    while !served_text(&p, "/").contains("21\u{a0}familjer") {
        assert!(start.elapsed() < DEADLINE, "the new figure never came");
        ev.reload();
    }

    // Editor scratch files alone never cause a page.
    assert_eq!(p.get("/program/4913/").status, 404);
}

#[test]
fn errors_show_an_overlay_until_the_next_good_build() {
    let root = site("build/minimal-site", "serve-overlay");
    let p = Preview::start(&root);
    let mut ev = p.events();
    let page = root.join("content/program/halsa.md");
    let good = fs::read_to_string(&page).unwrap();
    fs::write(&page, good.replace("weight: 1", "vikt: 1<script>")).unwrap();
    ev.reload();
    let body = p.get("/program/").body;
    assert!(body.contains("id=\"hallbar-errors\""), "{body}");
    assert!(body.contains("content/program/halsa.md:3:1: error: unknown front matter key `vikt`; did you mean `weight`?"), "{body}");
    // The last good build is still served under the overlay.
    assert!(body.contains("Läxhjälp på Bäckby"));
    fs::write(&page, good).unwrap();
    ev.reload();
    assert!(!p.get("/program/").body.contains("hallbar-errors"));
}

#[test]
fn the_server_starts_even_when_the_first_build_fails() {
    let root = site("errors/unknown-metric-id", "serve-first-fails");
    let p = Preview::start(&root);
    let r = p.get("/");
    assert_eq!(r.status, 404);
    assert!(
        r.body
            .contains("unknown metric `efg-famijer`; did you mean `efg-familjer`?"),
        "{}",
        r.body
    );
    let mut ev = p.events();
    let page = root.join("content/_index.md");
    let fixed = fs::read_to_string(&page)
        .unwrap()
        .replace("efg-famijer", "efg-familjer");
    fs::write(&page, fixed).unwrap();
    ev.reload();
    let r = p.get("/");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("17\u{a0}familjer"));
    assert!(!r.body.contains("hallbar-errors"));
}

#[test]
fn an_event_arrives_when_sent_not_when_a_buffer_fills() {
    let root = site("build/minimal-site", "serve-sse");
    let p = Preview::start(&root);
    let mut ev = p.events();
    for i in 0..3 {
        fs::write(
            root.join("content/program/halsa.md"),
            format!("---\ntitle: Hälsa {i}\n---\n"),
        )
        .unwrap();
        // Each small event must arrive on its own, long before any buffer would be full.
        ev.reload();
    }
}

#[test]
fn after_edits_settle_the_output_equals_a_clean_build() {
    let root = site("build/minimal-site", "serve-equal");
    let p = Preview::start(&root);
    let mut ev = p.events();
    let c = root.join("content");
    let steps: Vec<Box<dyn Fn()>> = vec![
        Box::new(|| {
            fs::write(
                c.join("program/ny.md"),
                "---\ntitle: Ny sida\nweight: 3\n---\nHej.\n",
            )
            .unwrap()
        }),
        Box::new(|| fs::write(c.join("tillfallig.md"), "---\ntitle: Tillfällig\n---\n").unwrap()),
        Box::new(|| fs::rename(c.join("program/ny.md"), c.join("program/omdopt.md")).unwrap()),
        Box::new(|| fs::remove_file(c.join("tillfallig.md")).unwrap()),
        Box::new(|| {
            let y = fs::read_to_string(c.join("metrics.yaml"))
                .unwrap()
                .replace("99.5", "98.25");
            fs::write(c.join("metrics.yaml"), y).unwrap()
        }),
        Box::new(|| {
            fs::create_dir_all(root.join("themes/default/templates")).unwrap();
            fs::write(
                root.join("themes/default/templates/page.html"),
                "{% extends \"base.html\" %}{% block content %}<p>egen</p>{{ page.content | safe }}{% endblock content %}",
            )
            .unwrap()
        }),
    ];
    for step in &steps {
        step();
        ev.reload();
    }
    let fresh = scratch("serve-equal-fresh").join("public");
    let o = build(&root, &fresh, &[]);
    assert!(o.status.success());
    let want = tree(&fresh);
    // Several batches of events may still be on their way; wait until they settle.
    let start = Instant::now();
    loop {
        // A folder the server is changing as it is read counts as not settled.
        let got = crate::harness::tree_while_changing(&p.root.join("public")).unwrap_or_default();
        if got == want {
            break;
        }
        if start.elapsed() > DEADLINE {
            let differ: Vec<_> = want
                .keys()
                .chain(got.keys())
                .filter(|k| got.get(*k) != want.get(*k))
                .collect();
            panic!("the served site differs from a clean build in {differ:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn holds_many_clients_and_open_streams_at_once() {
    let root = site("build/minimal-site", "serve-load");
    let p = Preview::start(&root);
    let streams: Vec<Events> = (0..20).map(|_| p.events()).collect();
    let start = Instant::now();
    let clients: Vec<_> = (0..100)
        .map(|i| {
            let addr = p.addr;
            std::thread::spawn(move || {
                let path = if i % 2 == 0 { "/" } else { "/style.css" };
                request(addr, "GET", path).status
            })
        })
        .collect();
    for c in clients {
        assert_eq!(c.join().unwrap(), 200);
    }
    assert!(start.elapsed() < DEADLINE);
    // A client that goes away mid-stream frees its thread; the rest still get events.
    let mut streams = streams.into_iter();
    let mut kept: Vec<Events> = streams.by_ref().take(10).collect();
    drop(streams);
    fs::write(
        root.join("content/program/halsa.md"),
        "---\ntitle: Hälsa igen\n---\n",
    )
    .unwrap();
    for ev in &mut kept {
        ev.reload();
    }
    assert_eq!(p.get("/").status, 200);
}

#[test]
fn a_busy_port_moves_to_the_next_free_one_and_says_so() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let root = site("build/minimal-site", "serve-busy");
    let mut child = hallbar_command()
        .args([
            "serve",
            "--port",
            &port.to_string(),
            "--root",
            root.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        first.starts_with(&format!("port {port} is in use; using port ")),
        "{first}"
    );
}

#[test]
fn two_hundred_files_at_once_like_a_git_checkout() {
    let root = site("build/minimal-site", "serve-checkout");
    let p = Preview::start(&root);
    let mut ev = p.events();
    let dir = root.join("content/arkiv");
    fs::create_dir_all(&dir).unwrap();
    for i in 0..200 {
        fs::write(
            dir.join(format!("sida-{i:03}.md")),
            format!("---\ntitle: Sida {i}\n---\nText {i}.\n"),
        )
        .unwrap();
    }
    ev.reload();
    assert_settles_to_clean_build(&p, "checkout");
    assert!(root.join("public/arkiv/sida-199/index.html").exists());
}

#[test]
fn renamed_and_deleted_folders_are_followed() {
    let root = site("build/minimal-site", "serve-folders");
    let p = Preview::start(&root);
    let mut ev = p.events();
    let c = root.join("content");
    fs::create_dir_all(c.join("nytt")).unwrap();
    fs::write(c.join("nytt/a.md"), "---\ntitle: A\n---\n").unwrap();
    ev.reload();
    fs::rename(c.join("nytt"), c.join("omdopt")).unwrap();
    ev.reload();
    fs::write(c.join("omdopt/b.md"), "---\ntitle: B\n---\n").unwrap();
    ev.reload();
    assert_settles_to_clean_build(&p, "folders-renamed");
    assert!(root.join("public/omdopt/b/index.html").exists());
    assert!(!root.join("public/nytt").exists());
    fs::remove_dir_all(c.join("omdopt")).unwrap();
    ev.reload();
    assert_settles_to_clean_build(&p, "folders-deleted");
    assert!(!root.join("public/omdopt").exists());
}

#[test]
fn on_a_large_site_an_edited_page_is_rebuilt_alone_and_still_equals_a_clean_build() {
    let root = scratch("serve-incremental");
    let dir = root.join("content/program");
    fs::create_dir_all(&dir).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    fs::write(
        root.join("content/nyckeltal.yaml"),
        "n:\n  label: N\n  unit: st\n  values: {2019: 1, 2020: 2}\n",
    )
    .unwrap();
    // More pages than the print page holds in full, so one page's text shows on one page.
    for i in 0..260 {
        fs::write(
            dir.join(format!("sida-{i:03}.md")),
            format!("---\ntitle: Sida {i}\nsummary: Om sida {i}.\nweight: {i}\n---\n\nText {i} med {{{{ metric(id=\"n\") }}}}.\n"),
        )
        .unwrap();
    }
    let p = Preview::start(&root);
    fs::write(
        dir.join("sida-007.md"),
        "---\ntitle: Sida 7\nsummary: Om sida 7.\nweight: 7\n---\n\nNy text på sidan sju.\n",
    )
    .unwrap();
    let line = p.next_line();
    assert!(line.contains(": rebuilt 1 page in "), "{line}");
    assert!(
        p.get("/program/sida-007/")
            .body
            .contains("Ny text på sidan sju.")
    );
    assert_settles_to_clean_build(&p, "incremental");
    // A change to the front matter rebuilds everything: the listing shows the new title.
    fs::write(
        dir.join("sida-007.md"),
        "---\ntitle: Sida sju\nsummary: Om sida 7.\nweight: 7\n---\n\nNy text.\n",
    )
    .unwrap();
    let line = p.next_line();
    assert!(line.contains(": built "), "{line}");
    assert!(p.get("/program/").body.contains("Sida sju"));
    assert_settles_to_clean_build(&p, "incremental-full");
}

#[test]
fn a_content_folder_replaced_by_a_rename_is_still_watched() {
    let root = site("build/minimal-site", "serve-replaced");
    let p = Preview::start(&root);
    let mut ev = p.events();
    copy_dir(&root.join("content"), &root.join("content-ny"));
    fs::rename(root.join("content"), root.join("content-gammal")).unwrap();
    fs::rename(root.join("content-ny"), root.join("content")).unwrap();
    ev.reload();
    fs::write(
        root.join("content/program/halsa.md"),
        "---\ntitle: Hälsa\nweight: 1\n---\n\nEfter bytet.\n",
    )
    .unwrap();
    let start = Instant::now();
    while !p.get("/program/halsa/").body.contains("Efter bytet.") {
        assert!(
            start.elapsed() < DEADLINE,
            "an edit in the new content/ was never seen"
        );
        ev.reload();
    }
}

#[test]
fn an_edit_of_metric_values_rebuilds_the_pages_that_show_them_and_equals_a_clean_build() {
    let root = scratch("serve-metrics");
    let dir = root.join("content/program");
    fs::create_dir_all(&dir).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    let yaml = |v: u32| {
        (0..30)
            .map(|i| format!("m{i}:\n  label: Mått {i}\n  unit: st\n  values: {{2019: {i}, 2020: {}}}\n  program: program/sida-{i:02}.md\n", if i == 7 { v } else { i + 1 }))
            .collect::<String>()
    };
    fs::write(dir.join("nyckeltal.yaml"), yaml(8)).unwrap();
    for i in 0..30 {
        fs::write(
            dir.join(format!("sida-{i:02}.md")),
            format!("---\ntitle: Sida {i}\nweight: {i}\nkey_metrics: [m{i}]\n---\n\nText med {{{{ metric(id=\"m{}\") }}}}.\n", (i + 1) % 30),
        )
        .unwrap();
    }
    let p = Preview::start(&root);
    // m7 is shown by sida-07 (key figure) and sida-06 (in its text); the listings, the
    // key-figures page, the print page and the open data show it too.
    fs::write(dir.join("nyckeltal.yaml"), yaml(12345)).unwrap();
    let line = p.next_line();
    assert!(line.contains(": rebuilt "), "{line}");
    let rebuilt: usize = line
        .split(": rebuilt ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(rebuilt < 12, "{line}");
    assert!(p.get("/program/sida-07/").body.contains("12\u{a0}345"));
    assert!(
        p.get("/program/sida-06/")
            .body
            .contains("Text med 12\u{a0}345\u{a0}st.")
    );
    assert!(p.get("/nyckeltal/").body.contains("12\u{a0}345"));
    // The open data is made after the pages are served; a request for it waits until it
    // is written, so it is never the file from before the edit.
    assert!(
        p.get("/data/metrics.json")
            .body
            .contains("\"2020\": 12345.0")
    );
    assert_settles_to_clean_build(&p, "metric-values");
    // The first GRI code in the report brings a GRI index, which every page links to.
    // (In place of its unit, so that no line moves.)
    let with_gri = yaml(12345).replace(
        "m3:\n  label: Mått 3\n  unit: st\n",
        "m3:\n  label: Mått 3\n  gri: [\"2-29\"]\n",
    );
    assert_ne!(with_gri, yaml(12345));
    fs::write(dir.join("nyckeltal.yaml"), with_gri).unwrap();
    let line = p.next_line();
    assert!(line.contains(": built "), "{line}");
    assert_settles_to_clean_build(&p, "metric-gri");
    fs::write(dir.join("nyckeltal.yaml"), yaml(12345)).unwrap();
    let line = p.next_line();
    assert!(line.contains(": built "), "{line}");
    assert_settles_to_clean_build(&p, "metric-no-gri");
    // A new id is more than new values: everything is built again.
    fs::write(
        dir.join("nyckeltal.yaml"),
        yaml(5) + "ny:\n  label: Ny\n  values: {2020: 1}\n",
    )
    .unwrap();
    let line = p.next_line();
    assert!(line.contains(": built "), "{line}");
    assert_settles_to_clean_build(&p, "metric-ids");
}

/// Does this line of `hallbar serve` end a build (good or bad)?
fn ends_a_build(line: &str) -> bool {
    line.contains(": built ") || line.contains(": rebuilt ") || line.contains(": the site has ")
}

/// The diagnostic lines of one severity (`path:line:column: warning: ...`), in order.
fn diagnostics<'a>(lines: impl IntoIterator<Item = &'a str>, severity: &str) -> Vec<String> {
    let tag = format!(": {severity}: ");
    lines
        .into_iter()
        .filter(|l| l.contains(&tag))
        .map(str::to_string)
        .collect()
}

/// Replaces a file the way many editors save: a new file renamed over it, so the watcher
/// never sees it half written. The new file starts outside content/, where no change counts.
fn save(root: &Path, path: &Path, text: &str) {
    let tmp = root.join(".save.tmp");
    fs::write(&tmp, text).unwrap();
    fs::rename(&tmp, path).unwrap();
}

#[test]
fn on_a_large_site_an_edited_page_gets_the_warnings_and_errors_of_a_clean_build() {
    let root = scratch("serve-one-page-diagnostics");
    let dir = root.join("content/program");
    fs::create_dir_all(&dir).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    fs::write(
        root.join("content/nyckeltal.yaml"),
        "n:\n  label: N\n  unit: st\n  values: {2019: 1, 2020: 2}\nm:\n  label: M\n  unit: st\n  values: {2019: 3, 2020: 4}\n",
    )
    .unwrap();
    // More pages than the print page holds in full, so one page's text shows on one page
    // and an edit of it rebuilds that page alone. Only sida-007 shows `m`, in its text.
    let front =
        |i: usize| format!("---\ntitle: Sida {i}\nsummary: Om sida {i}.\nweight: {i}\n---\n\n");
    for i in 0..260 {
        let extra = if i == 7 {
            " och {{ metric(id=\"m\") }}"
        } else {
            ""
        };
        fs::write(
            dir.join(format!("sida-{i:03}.md")),
            format!(
                "{}Text {i} med {{{{ metric(id=\"n\") }}}}{extra}.\n",
                front(i)
            ),
        )
        .unwrap();
    }
    let page = dir.join("sida-007.md");
    let p = Preview::start_with_stderr(&root);
    assert_eq!(
        diagnostics(p.first_build.iter().map(String::as_str), "warning"),
        Vec::<String>::new(),
        "the first build: every metric is shown"
    );
    let mut differences = Vec::new();
    let mut compare = |what: &str, step: &str, served: &[String], clean: &str| {
        let (serve, clean) = (
            diagnostics(served.iter().map(String::as_str), what),
            diagnostics(clean.lines(), what),
        );
        if serve != clean {
            differences.push(format!(
                "after {step}, serve printed other {what}s than a clean build:\n  serve:       {serve:?}\n  clean build: {clean:?}\n  (all that serve printed: {served:?})"
            ));
        }
    };

    // The page's text no longer shows `m`: a clean build warns that nothing shows it.
    save(&root, &page, &format!("{}Text 7 utan måttet.\n", front(7)));
    let served = p.lines_until(ends_a_build);
    let clean = build(
        &root,
        &scratch("serve-one-page-warning-clean").join("public"),
        &[],
    );
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    let clean = stderr(&clean);
    assert!(
        clean.contains("warning: metric `m` is not used by any page"),
        "the clean build must warn about `m`: {clean}"
    );
    let step = "an edit that leaves `m` unshown";
    compare("warning", step, &served, &clean);
    compare("error", step, &served, &clean);

    // The page's text shows an unknown metric: a clean build refuses the site.
    save(
        &root,
        &page,
        &format!("{}Text 7 med {{{{ metric(id=\"nope\") }}}}.\n", front(7)),
    );
    let served = p.lines_until(ends_a_build);
    let clean = build(
        &root,
        &scratch("serve-one-page-error-clean").join("public"),
        &[],
    );
    assert_eq!(clean.status.code(), Some(1), "{}", stderr(&clean));
    let clean = stderr(&clean);
    assert!(
        clean.contains(": error: unknown metric `nope`"),
        "the clean build must refuse `nope`: {clean}"
    );
    let step = "an edit that shows an unknown metric";
    compare("error", step, &served, &clean);
    compare("warning", step, &served, &clean);
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}

#[cfg(unix)]
#[test]
fn an_edit_behind_a_symbolic_link_rebuilds_the_page_of_the_link() {
    let root = scratch("serve-symlinked");
    let dir = root.join("content/program");
    fs::create_dir_all(&dir).unwrap();
    fs::create_dir_all(root.join("delat")).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    // More pages than the print page holds in full, so a one-page edit could be rebuilt alone.
    for i in 0..260 {
        fs::write(
            dir.join(format!("sida-{i:03}.md")),
            format!("---\ntitle: Sida {i}\nsummary: Om sida {i}.\nweight: {i}\n---\n\nText {i}.\n"),
        )
        .unwrap();
    }
    let text = |t: &str| format!("---\ntitle: Delad\nsummary: Delad sida.\n---\n\n{t}\n");
    fs::write(root.join("delat/delad.md"), text("Första texten.")).unwrap();
    std::os::unix::fs::symlink(root.join("delat/delad.md"), dir.join("delad.md")).unwrap();
    // A link to a page inside content/: an edit of sida-001.md shows on both pages.
    std::os::unix::fs::symlink(dir.join("sida-001.md"), dir.join("kopia.md")).unwrap();
    let p = Preview::start(&root);
    assert!(p.get("/program/delad/").body.contains("Första texten."));
    // Outside content/: watched because a link leads there.
    fs::write(root.join("delat/delad.md"), text("Andra texten.")).unwrap();
    let line = p.next_line();
    assert!(line.contains("changed delat/delad.md"), "{line}");
    assert!(p.get("/program/delad/").body.contains("Andra texten."));
    assert_settles_to_clean_build(&p, "symlinked-outside");
    fs::write(
        dir.join("sida-001.md"),
        "---\ntitle: Sida 1\nsummary: Om sida 1.\nweight: 1\n---\n\nNy text på sidan ett.\n",
    )
    .unwrap();
    let line = p.next_line();
    assert!(
        line.contains(": built "),
        "a full build, not one page: {line}"
    );
    assert!(
        p.get("/program/kopia/")
            .body
            .contains("Ny text på sidan ett.")
    );
    assert_settles_to_clean_build(&p, "symlinked-inside");
}

#[test]
fn a_metric_edit_on_a_split_key_figures_page_rebuilds_its_part() {
    let root = scratch("serve-metric-parts");
    let dir = root.join("content/program");
    fs::create_dir_all(&dir).unwrap();
    fs::write(root.join("content/_index.md"), "---\ntitle: Start\n---\n").unwrap();
    let yaml = |v: u32| {
        (0..55)
            .map(|i| format!("m{i}:\n  label: Mått {i}\n  unit: st\n  values: {{2019: {i}, 2020: {}}}\n  program: program/sida-{i:02}.md\n", if i == 52 { v } else { i + 1 }))
            .collect::<String>()
    };
    fs::write(dir.join("nyckeltal.yaml"), yaml(8)).unwrap();
    for i in 0..55 {
        fs::write(
            dir.join(format!("sida-{i:02}.md")),
            format!("---\ntitle: Sida {i}\nweight: {i}\nkey_metrics: [m{i}]\n---\n\nText.\n"),
        )
        .unwrap();
    }
    let p = Preview::start(&root);
    fs::write(dir.join("nyckeltal.yaml"), yaml(54321)).unwrap();
    let line = p.next_line();
    assert!(line.contains(": rebuilt "), "{line}");
    assert!(p.get("/nyckeltal/2/").body.contains("54\u{a0}321"));
    assert!(!p.get("/nyckeltal/1/").body.contains("54\u{a0}321"));
    assert!(p.get("/data/metrics.csv").body.contains("54321"));
    assert_settles_to_clean_build(&p, "metric-parts");
}
