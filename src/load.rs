//! Load: the only code that reads the site folder (`site.yaml`, `content/`, `themes/`).
//! It turns files into text and bytes in memory and hands them on; it interprets nothing
//! beyond what it needs to know which theme to read and where a Markdown file's front
//! matter ends. Of a Markdown file it keeps only that head: the body is read again when
//! the page renders ([`Bodies`]), so a site of 100,000 pages is never in memory at once.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Fatal, Pos};

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
    /// Markdown files, each cut after its front matter (see [`Bodies`]).
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
    // Read in parallel, kept in the walk's order.
    let kinds: Vec<(Kind, PathBuf, PathBuf)> = walk(root, &content, diags)
        .into_iter()
        .map(|(abs, rel)| (kind(&abs), abs, rel))
        .collect();
    let read: Vec<Result<(Option<Read>, Diagnostics), Fatal>> = kinds
        .par_iter()
        .map(|(kind, abs, rel)| {
            let mut d = Diagnostics::default();
            let read = match kind {
                Kind::Markdown => read_text(root, abs, &mut d)?.map(|f| Read::Markdown(head(f))),
                Kind::Data => read_text(root, abs, &mut d)?.map(Read::Data),
                Kind::Asset => {
                    let bytes = fs::read(abs).map_err(Fatal::io("read", abs))?;
                    let rel = rel.strip_prefix("content").unwrap_or(rel).to_path_buf();
                    Some(Read::Asset(Asset { rel, bytes }))
                }
            };
            Ok((read, d))
        })
        .collect();
    for result in read {
        let (read, d) = result?;
        diags.extend(d);
        match read {
            Some(Read::Markdown(f)) => loaded.markdown.push(f),
            Some(Read::Data(f)) => loaded.data.push(f),
            Some(Read::Asset(a)) => loaded.assets.push(a),
            None => {}
        }
    }
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        loaded.theme = Some(theme_files(root, &theme_dir, diags)?);
    }
    Ok(loaded)
}

enum Kind {
    Markdown,
    Data,
    Asset,
}

fn kind(path: &Path) -> Kind {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "md" => Kind::Markdown,
        "yaml" | "yml" => Kind::Data,
        _ => Kind::Asset,
    }
}

enum Read {
    Markdown(SourceFile),
    Data(SourceFile),
    Asset(Asset),
}

/// Cuts a Markdown file after its front matter. A file whose front matter is not closed
/// is kept whole, so that the model reports it.
fn head(mut file: SourceFile) -> SourceFile {
    if let Ok(split) = crate::frontmatter::split(&file.path, &file.text) {
        let cut = file.text.len() - split.body.len();
        file.text.truncate(cut);
        file.text.shrink_to_fit();
    }
    file
}

/// What a Markdown file's head was when it was loaded. A body read later belongs to the
/// page only if the file still starts with the same head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HeadPrint {
    len: usize,
    hash: u64,
}

impl HeadPrint {
    pub fn of(head: &str) -> Self {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        head.hash(&mut h);
        HeadPrint {
            len: head.len(),
            hash: h.finish(),
        }
    }
}

/// Reads the bodies of Markdown files when rendering asks for them.
#[derive(Debug, Clone)]
pub struct Bodies {
    root: PathBuf,
}

impl Bodies {
    pub fn new(root: &Path) -> Self {
        Bodies {
            root: root.to_path_buf(),
        }
    }

    /// The body of `source` (relative to the site root), whose head was `print` when the
    /// site was loaded. The file may have been saved since: a new body is fine, a new
    /// front matter means the model no longer describes it, and the build must run again.
    pub fn body(&self, source: &Path, print: HeadPrint) -> Result<String, Diagnostic> {
        let mut diags = Diagnostics::default();
        let again = |why: String| {
            Diagnostic::error(
                source,
                Pos::START,
                format!("{why} while the site was being built; build again"),
            )
        };
        let file = read_text(&self.root, &self.root.join(source), &mut diags)
            .map_err(|e| again(format!("this file could not be read ({e})")))?
            .ok_or_else(|| again("this file stopped being UTF-8 text".to_string()))?;
        let mut text = file.text;
        if !text.is_char_boundary(print.len) || HeadPrint::of(&text[..print.len]) != print {
            return Err(again("the front matter of this file changed".to_string()));
        }
        text.drain(..print.len);
        Ok(text)
    }
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
    fn a_body_is_read_again_only_under_the_same_front_matter() {
        let root = std::env::temp_dir().join(format!("hallbar-bodies-{}", std::process::id()));
        fs::create_dir_all(root.join("content")).unwrap();
        let rel = Path::new("content/a.md");
        fs::write(root.join(rel), "---\r\ntitle: A\r\n---\r\nFirst text\r\n").unwrap();
        let mut diags = Diagnostics::default();
        let loaded = site(&root, "default", &mut diags).unwrap();
        assert_eq!(loaded.markdown[0].text, "---\ntitle: A\n---\n");
        let print = HeadPrint::of(&loaded.markdown[0].text);
        let bodies = Bodies::new(&root);
        assert_eq!(bodies.body(rel, print).unwrap(), "First text\n");
        fs::write(root.join(rel), "---\ntitle: A\n---\nSaved again\n").unwrap();
        assert_eq!(bodies.body(rel, print).unwrap(), "Saved again\n");
        fs::write(root.join(rel), "---\ntitle: B\n---\nSaved again\n").unwrap();
        let e = bodies.body(rel, print).unwrap_err();
        assert_eq!(
            e.to_string(),
            "content/a.md:1:1: error: the front matter of this file changed while the site was being built; build again"
        );
        fs::remove_file(root.join(rel)).unwrap();
        assert!(bodies.body(rel, print).is_err());
        fs::remove_dir_all(&root).unwrap();
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
