use std::fs;

use crate::harness::{build, copy_fixture, fixture, scratch, stderr, tree};

#[test]
fn an_output_folder_inside_content_is_refused() {
    let dir = scratch("output-inside");
    let root = dir.join("site");
    copy_fixture("build/drafts", &root);
    let out = root.join("content/public");
    let o = build(&root, &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is inside content/"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn a_foreign_output_folder_is_refused() {
    let out = scratch("output-foreign");
    fs::write(out.join("precious.txt"), "not hallbar's").unwrap();
    let o = build(&fixture("build/drafts"), &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not empty and was not made by hallbar"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&out).len(), 1);
}

#[test]
fn removed_pages_disappear_and_user_files_stay() {
    let dir = scratch("output-stale");
    let root = dir.join("site");
    copy_fixture("build/drafts", &root);
    let out = root.join("public");
    assert!(build(&root, &out, &[]).status.success());
    fs::write(out.join("google1234.html"), "verification").unwrap();
    fs::remove_file(root.join("content/klar.md")).unwrap();
    assert!(build(&root, &out, &[]).status.success());
    assert!(
        !out.join("klar").exists(),
        "the removed page's folder is gone"
    );
    assert_eq!(
        fs::read_to_string(out.join("google1234.html")).unwrap(),
        "verification"
    );
}

#[test]
fn a_failed_build_leaves_the_output_as_it_was() {
    let dir = scratch("output-failed");
    let root = dir.join("site");
    copy_fixture("build/drafts", &root);
    let out = root.join("public");
    assert!(build(&root, &out, &[]).status.success());
    let before = tree(&out);
    fs::write(
        root.join("content/klar.md"),
        "---\ntitle: Klar\n---\n{{ metric(id=\"x\") }}\n",
    )
    .unwrap();
    fs::write(root.join("content/ny.md"), "---\ntitle: Ny\n---\n").unwrap();
    let o = build(&root, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&out), before);
    // The files that did render waited beside the output folder, and are gone.
    let mut left: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["content", "public"]);
}
