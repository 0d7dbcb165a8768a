//! Frozen editions of earlier years (`archive/<year>/`): what one holds, its manifest (every
//! file with its size and CRC-32, written when it was frozen) and whether its files still
//! match it. A frozen edition is published as it is, byte for byte; these checks only say
//! what was edited by hand. Pure: gets the files from `load`; freezing is
//! `crate::pipeline::archive`, a build into the year's folder.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::{Diagnostic, Pos};

/// The folder of the site that holds the frozen editions, one folder per year.
pub const FOLDER: &str = "archive";

/// The manifest in each year's folder; not published.
pub const MANIFEST: &str = ".hallbar-archive";

/// What a manifest says was frozen: (size, CRC-32) by path in the year's folder.
pub type Listing = BTreeMap<String, (u64, u32)>;

/// One frozen year, as read from `archive/<year>/`.
#[derive(Debug, Clone, PartialEq)]
pub struct Frozen {
    pub year: i64,
    /// The report's title, from the manifest (the year alone when there is none).
    pub title: String,
    /// Its title in the other languages it was published in, by language code.
    pub titles: BTreeMap<String, String>,
    /// Every file but the manifests, by path in the year's folder with `/`, sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
    /// What was frozen, by path: (size, CRC-32). `None`: no manifest could be read.
    pub manifest: Option<Listing>,
}

impl Frozen {
    /// Whether the year has the file `path` (in its folder, with `/`).
    pub fn has(&self, path: &str) -> bool {
        self.files
            .binary_search_by(|(p, _)| p.as_str().cmp(path))
            .is_ok()
    }
}

/// The manifest of a year frozen with `files`; `titles` are its titles in the other
/// languages it was published in (code, title).
pub fn manifest_text(
    year: i64,
    title: &str,
    titles: &[(&str, &str)],
    files: &[(String, Vec<u8>)],
) -> String {
    let mut s = format!(
        "# hallbar: the {year} edition as it was frozen; `hallbar archive --verify` compares the files with it\nyear: {year}\ntitle: {}\n",
        title.replace('\n', " ")
    );
    for (code, t) in titles {
        s.push_str(&format!("title.{code}: {}\n", t.replace('\n', " ")));
    }
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, bytes) in sorted {
        s.push_str(&format!(
            "{:08x} {} {path}\n",
            crc32fast::hash(bytes),
            bytes.len()
        ));
    }
    s
}

/// What a manifest says: the title, the titles in other languages, and the files.
pub struct Manifest {
    pub title: String,
    pub titles: BTreeMap<String, String>,
    pub files: Listing,
}

/// A manifest as written; `None` when it is not one.
pub fn parse_manifest(text: &str) -> Option<Manifest> {
    let mut title = None;
    let mut titles = BTreeMap::new();
    let mut files = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if let Some(t) = line.strip_prefix("title: ") {
            title = Some(t.to_string());
        } else if let Some((code, t)) = line
            .strip_prefix("title.")
            .and_then(|rest| rest.split_once(": "))
        {
            titles.insert(code.to_string(), t.to_string());
        } else if !line.starts_with("year: ") {
            let mut parts = line.splitn(3, ' ');
            let crc = u32::from_str_radix(parts.next()?, 16).ok()?;
            let size = parts.next()?.parse().ok()?;
            files.insert(parts.next()?.to_string(), (size, crc));
        }
    }
    Some(Manifest {
        title: title?,
        titles,
        files,
    })
}

/// How a frozen year's files differ from its manifest, as warnings at each file: a file
/// edited, added or removed since it was frozen, or a year without a manifest.
pub fn differences(frozen: &[Frozen]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for f in frozen {
        let folder = PathBuf::from(FOLDER).join(f.year.to_string());
        let Some(manifest) = &f.manifest else {
            found.push(Diagnostic::warning(
                folder.join(MANIFEST),
                Pos::START,
                format!(
                    "the frozen {0} edition has no manifest, so edits to it cannot be found; it is published as it is (`hallbar archive` writes one when it freezes a year)",
                    f.year
                ),
            ));
            continue;
        };
        let mut seen = std::collections::BTreeSet::new();
        for (path, bytes) in &f.files {
            seen.insert(path.as_str());
            let now = (bytes.len() as u64, crc32fast::hash(bytes));
            let why = match manifest.get(path) {
                Some(&was) if was == now => continue,
                Some(_) => "was edited after the edition was frozen",
                None => "was added after the edition was frozen",
            };
            found.push(frozen_warning(folder.join(path), f.year, why));
        }
        for path in manifest.keys().filter(|p| !seen.contains(p.as_str())) {
            found.push(frozen_warning(
                folder.join(path),
                f.year,
                "was removed after the edition was frozen",
            ));
        }
    }
    found
}

fn frozen_warning(path: PathBuf, year: i64, why: &str) -> Diagnostic {
    Diagnostic::warning(
        path,
        Pos::START,
        format!(
            "this file of the frozen {year} edition {why}; it is published as it is now (to undo it, restore it from version control)"
        ),
    )
    .with_code("archive-edited")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_and_finds_each_edit() {
        let files = vec![
            ("index.html".to_string(), b"<p>2023</p>".to_vec()),
            ("style.css".to_string(), b"p{}".to_vec()),
        ];
        let text = manifest_text(2023, "Rapport 2023", &[("en", "Report 2023")], &files);
        let m = parse_manifest(&text).unwrap();
        assert_eq!(m.title, "Rapport 2023");
        assert_eq!(m.titles["en"], "Report 2023");
        let mut f = Frozen {
            year: 2023,
            title: m.title,
            titles: m.titles,
            files,
            manifest: Some(m.files),
        };
        assert!(differences(std::slice::from_ref(&f)).is_empty());
        f.files[0].1 = b"<p>2024</p>".to_vec();
        f.files.remove(1);
        f.files.push(("new.html".to_string(), Vec::new()));
        let found: Vec<String> = differences(&[f]).iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found[0].starts_with(
            "archive/2023/index.html:1:1: warning: this file of the frozen 2023 edition was edited"
        ));
        assert!(found[1].contains("new.html") && found[1].contains("was added"));
        assert!(found[2].contains("style.css") && found[2].contains("was removed"));
    }
}
