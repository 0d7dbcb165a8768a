//! What every area of the test suite shares: where the fixtures are, running the real
//! `hallbar` binary, scratch folders, golden comparisons ([`golden`]) and the preview
//! server ([`preview`]).

pub mod golden;
pub mod preview;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;

/// The repository: the bundled report, `themes/default/`, `tests/fixtures/`.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture site, by `area/case`: `fixture("build/minimal-site")` is
/// `tests/fixtures/build/minimal-site/`.
pub fn fixture(name: &str) -> PathBuf {
    let path = repo().join("tests/fixtures").join(name);
    assert!(path.is_dir(), "no fixture {}", path.display());
    path
}

/// A fresh, empty scratch folder, `name` unique in the whole suite. All tests share one
/// binary and run at once, so a name used twice would let two tests trample each other:
/// that panics instead.
pub fn scratch(name: &str) -> PathBuf {
    static TAKEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let fresh = TAKEN
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name.to_string());
    assert!(
        fresh,
        "the scratch folder `{name}` is used twice in the suite"
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the real binary to the end.
pub fn hallbar(args: &[&str]) -> Output {
    hallbar_command().args(args).output().expect("run hallbar")
}

/// The real binary, to be given arguments and started.
pub fn hallbar_command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_hallbar"))
}

/// `hallbar build --root ROOT --output OUT EXTRA...`
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Output {
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

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn stderr(o: &Output) -> String {
    text(&o.stderr)
}

/// [`tree`] of a folder that a server may be changing: `None` when a file or folder went
/// away while it was read (the search index is replaced after the pages), to read again.
pub fn tree_while_changing(dir: &Path) -> Option<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).ok()? {
            let path = entry.ok()?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .ok()?
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, fs::read(&path).ok()?);
            }
        }
    }
    Some(files)
}

/// Every file under `dir`, by relative path with `/`.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    tree_while_changing(dir).unwrap_or_else(|| panic!("{} could not be read whole", dir.display()))
}

/// Copies a folder, leaving out anything named `expected*` (a fixture's golden files).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let p = entry.unwrap().path();
        let name = p.file_name().unwrap();
        if name.to_string_lossy().starts_with("expected") {
            continue;
        }
        if p.is_dir() {
            copy_dir(&p, &to.join(name));
        } else {
            fs::copy(&p, to.join(name)).unwrap();
        }
    }
}

/// Copies a fixture (without its expected output) to `to`, so a test can edit it.
pub fn copy_fixture(name: &str, to: &Path) {
    copy_dir(&fixture(name), to);
}

/// A fixture copied into a fresh scratch folder of its own: the site's root.
pub fn site(fixture_name: &str, scratch_name: &str) -> PathBuf {
    let dir = scratch(scratch_name);
    copy_fixture(fixture_name, &dir);
    dir
}
