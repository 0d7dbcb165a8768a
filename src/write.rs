//! Write: syncs the output folder with the rendered files. Only files whose bytes changed
//! are written (each through a temporary file and a rename); files of an earlier build that
//! are gone from the site are removed; files hallbar did not write are never touched.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::diag::Fatal;

/// The list of files the last build wrote, kept in the output folder.
pub const MANIFEST: &str = ".hallbar-manifest";

/// What a sync did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

pub fn sync(out_dir: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<Report, Fatal> {
    let previous = previous_files(out_dir)?;
    fs::create_dir_all(out_dir).map_err(Fatal::io("create the folder", out_dir))?;
    let mut report = Report::default();
    // Folders first, each once; then the files, in parallel (most of a large build's
    // time here is the file system's).
    let folders: BTreeSet<&Path> = files.keys().filter_map(|rel| rel.parent()).collect();
    for folder in folders {
        let path = out_dir.join(folder);
        fs::create_dir_all(&path).map_err(Fatal::io("create the folder", &path))?;
    }
    let outcomes: Vec<Result<bool, Fatal>> = files
        .par_iter()
        .map(|(rel, bytes)| write_one(&out_dir.join(rel), bytes))
        .collect();
    for outcome in outcomes {
        if outcome? {
            report.written += 1;
        } else {
            report.unchanged += 1;
        }
    }
    for rel in previous.iter().filter(|r| !files.contains_key(*r)) {
        let path = out_dir.join(rel);
        match fs::remove_file(&path) {
            Ok(()) => report.removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Fatal::io("remove", &path)(e)),
        }
        remove_empty_parents(out_dir, &path);
    }
    let manifest: String = files
        .keys()
        .map(|p| format!("{}\n", p.to_string_lossy().replace('\\', "/")))
        .collect();
    let manifest_path = out_dir.join(MANIFEST);
    if fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
        fs::write(&manifest_path, manifest).map_err(Fatal::io("write", &manifest_path))?;
    }
    Ok(report)
}

/// Writes the given files only (the set of files is unchanged, so is the manifest).
pub fn update(out_dir: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<usize, Fatal> {
    let mut written = 0;
    for (rel, bytes) in files {
        if write_one(&out_dir.join(rel), bytes)? {
            written += 1;
        }
    }
    Ok(written)
}

/// Writes one file unless it already has these bytes; `Ok(true)` when it wrote. A file
/// that exists is replaced through a temporary file and a rename, so the preview server
/// never serves half of it.
fn write_one(path: &Path, bytes: &[u8]) -> Result<bool, Fatal> {
    match fs::read(path) {
        Ok(old) if old == bytes => Ok(false),
        Ok(_) => {
            let tmp = path.with_file_name(format!(
                ".{}.hallbar-tmp",
                path.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
            fs::write(&tmp, bytes).map_err(Fatal::io("write", &tmp))?;
            fs::rename(&tmp, path).map_err(Fatal::io("replace", path))?;
            Ok(true)
        }
        Err(_) => {
            fs::write(path, bytes).map_err(Fatal::io("write", path))?;
            Ok(true)
        }
    }
}

/// The files an earlier build wrote. A non-empty folder without a manifest is refused:
/// it holds someone else's files.
fn previous_files(out_dir: &Path) -> Result<BTreeSet<PathBuf>, Fatal> {
    let manifest = out_dir.join(MANIFEST);
    match fs::read_to_string(&manifest) {
        Ok(text) => Ok(text
            .lines()
            .map(PathBuf::from)
            .filter(|p| is_plain_relative(p))
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let occupied = match fs::read_dir(out_dir) {
                Ok(mut entries) => entries.next().is_some(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(Fatal::io("read the folder", out_dir)(e)),
            };
            if occupied {
                return Err(Fatal::Refused(format!(
                    "the output folder {} is not empty and was not made by hallbar, so nothing was written; choose another folder with --output, or empty it first",
                    out_dir.display()
                )));
            }
            Ok(BTreeSet::new())
        }
        Err(e) => Err(Fatal::io("read", &manifest)(e)),
    }
}

/// A manifest line may only name a file inside the output folder.
fn is_plain_relative(p: &Path) -> bool {
    !p.as_os_str().is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

fn remove_empty_parents(out_dir: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> BTreeMap<PathBuf, Vec<u8>> {
        list.iter()
            .map(|(p, c)| (PathBuf::from(p), c.as_bytes().to_vec()))
            .collect()
    }

    fn temp_dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("hallbar-write-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn writes_changes_removes_stale_and_keeps_foreign_files() {
        let out = temp_dir("sync");
        let r = sync(
            &out,
            &files(&[("a/index.html", "1"), ("b/index.html", "2")]),
        )
        .unwrap();
        assert_eq!(
            r,
            Report {
                written: 2,
                unchanged: 0,
                removed: 0
            }
        );
        fs::write(out.join("mine.txt"), "user file").unwrap();
        let r = sync(&out, &files(&[("a/index.html", "1b")])).unwrap();
        assert_eq!(
            r,
            Report {
                written: 1,
                unchanged: 0,
                removed: 1
            }
        );
        assert!(!out.join("b").exists());
        assert_eq!(
            fs::read_to_string(out.join("mine.txt")).unwrap(),
            "user file"
        );
        let r = sync(&out, &files(&[("a/index.html", "1b")])).unwrap();
        assert_eq!(
            r,
            Report {
                written: 0,
                unchanged: 1,
                removed: 0
            }
        );
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn refuses_a_foreign_folder() {
        let out = temp_dir("foreign");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("keep.txt"), "x").unwrap();
        assert!(matches!(
            sync(&out, &files(&[("a", "1")])),
            Err(Fatal::Refused(_))
        ));
        assert!(!out.join("a").exists());
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn manifest_cannot_point_outside() {
        assert!(!is_plain_relative(Path::new("../x")));
        assert!(!is_plain_relative(Path::new("/etc/passwd")));
        assert!(is_plain_relative(Path::new("a/b.html")));
    }
}
