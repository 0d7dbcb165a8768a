//! Load: the only code that reads the site folder (`site.yaml`, `content/`, `themes/`).
//! It turns files into text and bytes in memory and hands them on; it interprets nothing
//! beyond what it needs to know which theme to read.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostics, Fatal, Pos};

/// A text file of the site, normalised: no byte-order mark, `\n` line endings.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, e.g. `content/program/laxhjalpen.md`.
    pub path: PathBuf,
    pub text: String,
}

/// A file under `content/` that is copied as it is (an image, a PDF).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Relative to `content/`.
    pub rel: PathBuf,
    pub bytes: Vec<u8>,
}

/// A theme folder's files: templates by name, static files by path under `static/`.
#[derive(Debug, Default, Clone)]
pub struct ThemeFiles {
    pub templates: BTreeMap<String, SourceFile>,
    pub statics: BTreeMap<PathBuf, Vec<u8>>,
}

/// Everything a build reads, in a stable order.
#[derive(Debug, Default)]
pub struct Loaded {
    pub markdown: Vec<SourceFile>,
    pub data: Vec<SourceFile>,
    pub assets: Vec<Asset>,
    /// `None` when the site has no `themes/<name>/` folder for its theme.
    pub theme: Option<ThemeFiles>,
}

/// Reads `site.yaml` only; the theme folder to read depends on it.
pub fn config_file(root: &Path, diags: &mut Diagnostics) -> Result<Option<SourceFile>, Fatal> {
    let path = root.join("site.yaml");
    if !path.is_file() {
        return Ok(None);
    }
    read_text(root, &path, diags)
}

/// Reads `content/` and `themes/<theme>/`.
pub fn site(root: &Path, theme: &str, diags: &mut Diagnostics) -> Result<Loaded, Fatal> {
    let mut loaded = Loaded::default();
    let content = root.join("content");
    if !content.is_dir() {
        diags.error(
            Path::new("content"),
            Pos::START,
            "the site has no content/ folder; create content/_index.md for the home page",
        );
        return Ok(loaded);
    }
    for (abs, rel) in walk(root, &content, diags) {
        let ext = abs.extension().and_then(|e| e.to_str()).unwrap_or("");
        match ext.to_ascii_lowercase().as_str() {
            "md" => loaded.markdown.extend(read_text(root, &abs, diags)?),
            "yaml" | "yml" => loaded.data.extend(read_text(root, &abs, diags)?),
            _ => {
                let bytes = fs::read(&abs).map_err(Fatal::io("read", &abs))?;
                let rel = rel.strip_prefix("content").unwrap_or(&rel).to_path_buf();
                loaded.assets.push(Asset { rel, bytes });
            }
        }
    }
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        loaded.theme = Some(theme_files(root, &theme_dir, diags)?);
    }
    Ok(loaded)
}

fn theme_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Result<ThemeFiles, Fatal> {
    let mut files = ThemeFiles::default();
    let templates = dir.join("templates");
    if templates.is_dir() {
        for (abs, _) in walk(root, &templates, diags) {
            let name = abs
                .strip_prefix(&templates)
                .unwrap_or(&abs)
                .to_string_lossy()
                .replace('\\', "/");
            if let Some(file) = read_text(root, &abs, diags)? {
                files.templates.insert(name, file);
            }
        }
    }
    let statics = dir.join("static");
    if statics.is_dir() {
        for (abs, _) in walk(root, &statics, diags) {
            let bytes = fs::read(&abs).map_err(Fatal::io("read", &abs))?;
            let rel = abs.strip_prefix(&statics).unwrap_or(&abs).to_path_buf();
            files.statics.insert(rel, bytes);
        }
    }
    Ok(files)
}

/// Files under `dir`, sorted, as (absolute, relative to root). Follows symbolic links;
/// a loop or an unreadable entry becomes a diagnostic, not a crash.
fn walk(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, PathBuf)> {
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let abs = e.into_path();
                let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
                out.push((abs, rel));
            }
            Ok(_) => {}
            Err(err) => {
                let at = err.path().unwrap_or(dir);
                let rel = at.strip_prefix(root).unwrap_or(at).to_path_buf();
                let why = if err.loop_ancestor().is_some() {
                    "this folder links back to one of its own parents (a symbolic link loop); remove the link".to_string()
                } else {
                    format!(
                        "cannot be read: {}",
                        err.io_error()
                            .map_or_else(|| err.to_string(), |e| e.to_string())
                    )
                };
                diags.error(&rel, Pos::START, why);
            }
        }
    }
    out
}

/// Reads one Markdown file again (`rel` relative to the site root), for a rebuild of one
/// page. `None` when it cannot be read as text (a full build then reports why).
pub fn markdown_file(root: &Path, rel: &Path) -> Option<SourceFile> {
    let mut diags = Diagnostics::default();
    read_text(root, &root.join(rel), &mut diags).ok().flatten()
}

/// Hidden files and the temporary and backup files editors leave next to the real ones.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name == "4913"
        || [".swp", ".swx", ".swo", ".tmp", ".bak", ".bck", ".orig"]
            .iter()
            .any(|ext| name.ends_with(ext))
}

/// Reads a UTF-8 text file; anything else is a diagnostic at the first bad byte.
fn read_text(
    root: &Path,
    abs: &Path,
    diags: &mut Diagnostics,
) -> Result<Option<SourceFile>, Fatal> {
    let bytes = fs::read(abs).map_err(Fatal::io("read", abs))?;
    let rel = abs.strip_prefix(root).unwrap_or(abs).to_path_buf();
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Some(SourceFile {
            path: rel,
            text: normalise(text),
        })),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let pos = Pos::START.advance(valid, valid.len());
            diags.error(
                &rel,
                pos,
                "this file is not UTF-8 text; save it with the encoding UTF-8",
            );
            Ok(None)
        }
    }
}

/// Drops a byte-order mark and turns CRLF and lone CR line endings into `\n`.
pub fn normalise(text: String) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_bom_and_crlf() {
        assert_eq!(normalise("\u{feff}a\r\nb\rc".into()), "a\nb\nc");
    }

    #[test]
    fn ignores_editor_files() {
        for name in [
            "4913",
            ".laxhjalpen.md.swp",
            "a.md~",
            "#a.md#",
            ".DS_Store",
            "a.md.bck",
        ] {
            assert!(is_ignored(std::ffi::OsStr::new(name)), "{name}");
        }
        assert!(!is_ignored(std::ffi::OsStr::new("laxhjalpen.md")));
    }
}
