//! Golden files: expected output stored beside a fixture, compared exactly.
//! `HALLBAR_BLESS=1 cargo test` rewrites them after a deliberate change; review the diff.

use std::fs;
use std::path::Path;

use super::{build, fixture, scratch, stderr, tree};

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

/// The output tree equals `expected/` beside the fixture, file for file and byte for byte.
pub fn assert_tree(actual: &Path, expected: &Path) {
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
