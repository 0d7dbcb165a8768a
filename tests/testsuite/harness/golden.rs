//! Golden files: expected output stored beside a fixture, compared exactly.
//! `HALLBAR_BLESS=1 cargo test` rewrites them after a deliberate change; review the diff.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use super::{build, fixture, repo, scratch, stderr, tree};

pub fn blessing() -> bool {
    std::env::var_os("HALLBAR_BLESS").is_some()
}

/// `actual` equals the text of the file at `path`.
pub fn expect_file(path: &Path, actual: &str) {
    if blessing() {
        fs::write(path, actual).unwrap();
    }
    assert_eq!(
        actual,
        fs::read_to_string(path).unwrap(),
        "{}",
        path.display()
    );
}

/// The built-in theme's static files, by the path they are copied to in the output.
fn theme_statics() -> BTreeMap<String, Vec<u8>> {
    tree(&repo().join(THEME_STATIC))
}

const THEME_STATIC: &str = "themes/default/static";

/// What a golden file holds in place of a theme static file inlined whole (404.html
/// inlines style.css), so that editing the theme does not change golden files.
fn stand_in(rel: &str) -> Vec<u8> {
    format!("@@hallbar-test: inlined {THEME_STATIC}/{rel}@@").into_bytes()
}

/// Shorter static files are not looked for inside other files: too likely by chance.
const INLINED_MIN_LEN: usize = 64;

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(from.len()).position(|w| w == from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// The output tree equals `expected/` beside the fixture: the same file names, and every
/// file byte for byte. Files of the built-in theme copied verbatim (`style.css`,
/// `favicon.svg`) are not stored in `expected/`; the output must hold each of them, equal
/// byte for byte to the theme's own file in `themes/default/static/`. (An `expected/` that
/// stores its own copy of one, for a site with a theme of its own, is compared with that
/// copy.) A theme static file inlined into another file is stored as a stand-in and
/// compared as the theme's file. So a CSS edit changes no golden tree, and any other
/// difference, a missing file or an extra one still fails.
pub fn assert_tree(actual: &Path, expected: &Path) {
    let statics = theme_statics();
    let got = without_search_index(tree(actual));
    if blessing() {
        let _ = fs::remove_dir_all(expected);
        for (rel, bytes) in &got {
            if statics.get(rel) == Some(bytes) {
                continue;
            }
            let mut bytes = bytes.clone();
            for (name, content) in &statics {
                if content.len() >= INLINED_MIN_LEN {
                    bytes = replace_all(&bytes, content, &stand_in(name));
                }
            }
            let p = expected.join(rel);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, bytes).unwrap();
        }
        return;
    }
    let mut want: BTreeMap<String, (Vec<u8>, PathBuf)> = tree(expected)
        .into_iter()
        .map(|(rel, mut bytes)| {
            for (name, content) in &statics {
                bytes = replace_all(&bytes, &stand_in(name), content);
            }
            let path = expected.join(&rel);
            (rel, (bytes, path))
        })
        .collect();
    for (rel, bytes) in &statics {
        want.entry(rel.clone())
            .or_insert_with(|| (bytes.clone(), repo().join(THEME_STATIC).join(rel)));
    }
    let got_names: Vec<_> = got.keys().collect();
    let want_names: Vec<_> = want.keys().collect();
    assert_eq!(
        got_names,
        want_names,
        "the output has other files than {} and the theme's static files",
        expected.display()
    );
    for (rel, bytes) in &got {
        let (want_bytes, from) = &want[rel];
        assert!(
            want_bytes == bytes,
            "{rel} differs from {}:\n--- got ---\n{}",
            from.display(),
            String::from_utf8_lossy(bytes)
        );
    }
}

/// The search index's own files (Pagefind's runtime, index chunks and fragments, named by
/// their content) are not stored in golden trees: a Pagefind release would change them
/// all. Its entry, which names the languages and how many pages each holds, is; and where
/// there is one, the runtime and a language's WASM must be there too.
fn without_search_index(mut files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let has = |name: &str| {
        files
            .keys()
            .any(|k| k.starts_with("pagefind/") && k.ends_with(name))
    };
    if has("pagefind-entry.json") {
        assert!(
            has("pagefind.js") && has(".pagefind") && has(".pf_meta"),
            "the search index lacks its runtime, WASM or metadata"
        );
    }
    let kept = |k: &str| !k.starts_with("pagefind/") || k == "pagefind/pagefind-entry.json";
    files.retain(|k, _| kept(k));
    if let Some(manifest) = files.get_mut(".hallbar-manifest") {
        let text = String::from_utf8_lossy(manifest).into_owned();
        *manifest = text
            .lines()
            .filter(|l| kept(l))
            .flat_map(|l| [l, "\n"])
            .collect::<String>()
            .into_bytes();
    }
    files
}

/// A site with one error: exit 1, exactly the lines of `expected-stderr.txt`, and nothing
/// written.
pub fn assert_error_case(name: &str) {
    let root = fixture(name);
    let out = scratch(&format!("err-{}", name.replace('/', "-"))).join("public");
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
