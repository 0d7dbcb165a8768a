//! Load: the only code that reads the site folder (`site.yaml`, `content/`, `themes/`,
//! and the image versions earlier builds kept in `.hallbar-cache/`, see [`ImageCache`]).
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
    /// Markdown files that are not UTF-8 text, relative to the site root. They exist (a
    /// link to one is not to a missing page); the diagnostic that says where is reported.
    pub unreadable: Vec<PathBuf>,
    /// `None` when the site has no `themes/<name>/` folder for its theme.
    pub theme: Option<ThemeFiles>,
    /// Where the symbolic links in `content/` and `themes/` lead, relative to the site
    /// folder (always inside it): a watcher must watch these too.
    pub links: Vec<PathBuf>,
    /// The frozen editions of earlier years (see [`archive`]); `None` without an
    /// `archive/` folder.
    pub archive: Option<Vec<crate::archive::Frozen>>,
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
    let kinds: Vec<(Kind, PathBuf, PathBuf)> = walk(root, &content, &mut loaded.links, diags)
        .into_iter()
        .map(|(abs, rel)| (kind(&abs), abs, rel))
        .collect();
    let read: Vec<Result<(Option<Read>, Diagnostics), Fatal>> = kinds
        .par_iter()
        .map(|(kind, abs, rel)| {
            let mut d = Diagnostics::default();
            let read = match kind {
                Kind::Markdown => Some(match read_head(root, abs, &mut d)? {
                    Some(file) => Read::Markdown(file),
                    None => Read::Unreadable(rel.clone()),
                }),
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
            Some(Read::Unreadable(rel)) => loaded.unreadable.push(rel),
            None => {}
        }
    }
    let theme_dir = root.join("themes").join(theme);
    if theme_dir.is_dir() {
        loaded.theme = Some(theme_files(root, &theme_dir, &mut loaded.links, diags)?);
    }
    Ok(loaded)
}

/// Reads the frozen editions under `archive/` (see [`crate::archive`]): every folder
/// named by a year, with all its files. `None`: the site has no `archive/` folder.
pub fn archive(root: &Path) -> Result<Option<Vec<crate::archive::Frozen>>, Fatal> {
    use crate::archive::{FOLDER, Frozen, MANIFEST, parse_manifest};
    let dir = root.join(FOLDER);
    if !dir.is_dir() {
        return Ok(None);
    }
    let entries = fs::read_dir(&dir).map_err(Fatal::io("read the folder", &dir))?;
    let mut years = Vec::new();
    for entry in entries {
        let entry = entry.map_err(Fatal::io("read the folder", &dir))?;
        let name = entry.file_name();
        let year = name
            .to_str()
            .filter(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<i64>().ok());
        if let Some(year) = year
            && entry.path().is_dir()
        {
            years.push((year, entry.path()));
        }
    }
    years.sort();
    let mut frozen = Vec::with_capacity(years.len());
    for (year, folder) in years {
        let mut files = Vec::new();
        let mut manifest = None;
        for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
            let entry = entry
                .map_err(|e| Fatal::io("read the folder", &folder)(std::io::Error::other(e)))?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&folder).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            let bytes = fs::read(entry.path()).map_err(Fatal::io("read", entry.path()))?;
            match rel.as_str() {
                MANIFEST => manifest = Some(bytes),
                crate::write::MANIFEST => {}
                _ => files.push((rel, bytes)),
            }
        }
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let parsed = manifest
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| parse_manifest(&t));
        let (title, titles, manifest) = match parsed {
            Some(m) => (m.title, m.titles, Some(m.files)),
            None => (year.to_string(), Default::default(), None),
        };
        frozen.push(Frozen {
            year,
            title,
            titles,
            files,
            manifest,
        });
    }
    Ok(Some(frozen))
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
    /// A Markdown file that is not UTF-8 text.
    Unreadable(PathBuf),
}

/// Reads a Markdown file as far as the end of its front matter, in growing chunks of
/// whole lines; the body is read when the page renders. A file without front matter has
/// an empty head; one whose front matter is never closed is read whole, so that the
/// model reports it.
fn read_head(
    root: &Path,
    abs: &Path,
    diags: &mut Diagnostics,
) -> Result<Option<SourceFile>, Fatal> {
    use std::io::Read;
    let rel = abs.strip_prefix(root).unwrap_or(abs).to_path_buf();
    let mut file = fs::File::open(abs).map_err(Fatal::io("read", abs))?;
    let mut bytes = Vec::new();
    let mut chunk: u64 = 4096;
    loop {
        let n = (&mut file)
            .take(chunk)
            .read_to_end(&mut bytes)
            .map_err(Fatal::io("read", abs))?;
        let end = n < chunk as usize;
        chunk *= 2;
        // Whole lines only: a line end is never part of a UTF-8 sequence.
        let upto = match bytes.iter().rposition(|&b| b == b'\n') {
            _ if end => bytes.len(),
            Some(i) => i + 1,
            None => continue,
        };
        let Some(text) = utf8(&rel, bytes[..upto].to_vec(), diags) else {
            return Ok(None);
        };
        let head = match crate::frontmatter::split(&rel, &text) {
            Ok(split) => Some(text.len() - split.body.len()),
            Err(_) if end => Some(text.len()),
            Err(_) => None,
        };
        if let Some(len) = head {
            let mut text = text;
            text.truncate(len);
            text.shrink_to_fit();
            return Ok(Some(SourceFile { path: rel, text }));
        }
    }
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
            .map_err(|e| again(format!("this file could not be read ({e})")))?;
        let Some(file) = file else {
            // Not UTF-8 after its front matter: the diagnostic says where.
            let located = diags.into_sorted().into_iter().next();
            return Err(located.unwrap_or_else(|| again("this file is not UTF-8".into())));
        };
        let mut text = file.text;
        // Where the front matter ends now (a file may have gained one), and what it is.
        let head_now = crate::frontmatter::split(source, &text)
            .map(|split| text.len() - split.body.len())
            .ok();
        if head_now != Some(print.len) || HeadPrint::of(&text[..print.len]) != print {
            return Err(again("the front matter of this file changed".to_string()));
        }
        text.drain(..print.len);
        Ok(text)
    }
}

/// The folder in the site where made files are kept between builds (see `crate::images`);
/// hidden, beside `content/`, so no build reads it as content.
pub const CACHE_DIR: &str = ".hallbar-cache";

/// Reads the image versions that earlier builds made, when rendering asks for them.
#[derive(Debug, Clone)]
pub struct ImageCache {
    dir: Option<PathBuf>,
}

impl ImageCache {
    /// The cache of the site at `root`.
    pub fn new(root: &Path) -> Self {
        ImageCache {
            dir: Some(images_cache_dir(root)),
        }
    }

    /// No cache: everything is made afresh.
    pub fn none() -> Self {
        ImageCache { dir: None }
    }

    /// The cached file `name`, if an earlier build left it (a file that cannot be read
    /// is made again).
    pub fn get(&self, name: &str) -> Option<Vec<u8>> {
        fs::read(self.dir.as_ref()?.join(name)).ok()
    }
}

/// Where the image versions are cached: `.hallbar-cache/images/` in the site folder.
pub fn images_cache_dir(root: &Path) -> PathBuf {
    root.join(CACHE_DIR).join("images")
}

fn theme_files(
    root: &Path,
    dir: &Path,
    links: &mut Vec<PathBuf>,
    diags: &mut Diagnostics,
) -> Result<ThemeFiles, Fatal> {
    let mut files = ThemeFiles::default();
    let templates = dir.join("templates");
    if templates.is_dir() {
        for (abs, _) in walk(root, &templates, links, diags) {
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
        for (abs, _) in walk(root, &statics, links, diags) {
            let bytes = fs::read(&abs).map_err(Fatal::io("read", &abs))?;
            let rel = abs.strip_prefix(&statics).unwrap_or(&abs).to_path_buf();
            files.statics.insert(rel, bytes);
        }
    }
    Ok(files)
}

/// Files under `dir`, sorted, as (absolute, relative to root). Follows symbolic links
/// that stay inside the site folder; one that leads out of it is refused, located (a link
/// to `/etc/shadow` in a pull request must not be published). A loop or an unreadable
/// entry becomes a diagnostic, not a crash. Where the links that stay inside lead goes
/// to `links`.
fn walk(
    root: &Path,
    dir: &Path,
    links: &mut Vec<PathBuf>,
    diags: &mut Diagnostics,
) -> Vec<(PathBuf, PathBuf)> {
    let site = fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // The folder itself (themes/<name>, content) may be a link, or lie under one.
    if let Ok(real) = fs::canonicalize(dir) {
        if let Some(why) = refused_target(&site, &real) {
            let rel = dir.strip_prefix(root).unwrap_or(dir);
            diags.error(
                rel,
                Pos::START,
                format!("this folder is a symbolic link to {}, {why}; hallbar publishes only files inside the site, so copy the files into the site instead of linking to them", real.display()),
            );
            return Vec::new();
        }
        if real != site.join(dir.strip_prefix(root).unwrap_or(dir)) {
            links.push(real.strip_prefix(&site).unwrap_or(&real).to_path_buf());
        }
    }
    let outside = std::cell::RefCell::new(Vec::new());
    let inside = std::cell::RefCell::new(Vec::new());
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_ignored(e.file_name()) {
                return false;
            }
            if !e.path_is_symlink() {
                return true;
            }
            let why = match fs::canonicalize(e.path()) {
                Ok(target) => match refused_target(&site, &target) {
                    None => {
                        let rel = target.strip_prefix(&site).unwrap_or(&target);
                        inside.borrow_mut().push(rel.to_path_buf());
                        return true;
                    }
                    Some(why) => why,
                },
                Err(_) => "outside the site folder",
            };
            outside.borrow_mut().push((e.path().to_path_buf(), why));
            false
        });
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let abs = e.into_path();
                let rel = abs.strip_prefix(root).unwrap_or(&abs).to_path_buf();
                out.push((abs, rel));
            }
            Ok(_) => {}
            Err(err) => walk_error(root, dir, &err, diags),
        }
    }
    links.extend(inside.into_inner());
    for (link, why) in outside.into_inner() {
        let rel = link.strip_prefix(root).unwrap_or(&link);
        let target = fs::read_link(&link).map_or_else(|_| "?".into(), |t| t.display().to_string());
        diags.error(
            rel,
            Pos::START,
            format!("this is a symbolic link to {target}, {why}; hallbar publishes only files inside the site, so copy the file into the site instead of linking to it"),
        );
    }
    out
}

/// Why a link's real target may not be published: outside the site folder, or a hidden
/// file or folder inside it (`.env`, `.git/`, `.hallbar-cache/`); `None` when it may.
fn refused_target(site: &Path, target: &Path) -> Option<&'static str> {
    let Ok(rel) = target.strip_prefix(site) else {
        return Some("outside the site folder");
    };
    rel.components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'))
        .then_some("a hidden file or folder of the site")
}

/// A folder entry that could not be walked, as a diagnostic.
fn walk_error(root: &Path, dir: &Path, err: &walkdir::Error, diags: &mut Diagnostics) {
    let at = err.path().unwrap_or(dir);
    let rel = at.strip_prefix(root).unwrap_or(at).to_path_buf();
    let why = if err.loop_ancestor().is_some() {
        "this folder links back to one of its own parents (a symbolic link loop); remove the link"
            .to_string()
    } else {
        format!(
            "cannot be read: {}",
            err.io_error()
                .map_or_else(|| err.to_string(), |e| e.to_string())
        )
    };
    diags.error(&rel, Pos::START, why);
}

/// Reads one metrics file again (`rel` relative to the site root), for a rebuild after
/// an edit of metric values. `None` when it cannot be read as text (a full build then
/// reports why).
pub fn data_file(root: &Path, rel: &Path) -> Option<SourceFile> {
    let mut diags = Diagnostics::default();
    read_text(root, &root.join(rel), &mut diags).ok().flatten()
}

/// Whether a whole text file is UTF-8, for `hallbar check` on drafts, whose text no build
/// reads: the problem, located, or nothing.
pub fn text_problems(root: &Path, rel: &Path, diags: &mut Diagnostics) {
    if let Err(e) = read_text(root, &root.join(rel), diags) {
        diags.error(rel, Pos::START, format!("this file cannot be read: {e}"));
    }
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
    Ok(utf8(&rel, bytes, diags).map(|text| SourceFile { path: rel, text }))
}

/// The bytes as normalised text, or a diagnostic at the first byte that is not UTF-8.
fn utf8(rel: &Path, bytes: Vec<u8>, diags: &mut Diagnostics) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(text) => Some(normalise(text)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let pos = Pos::START.advance(valid, valid.len());
            diags.error(
                rel,
                pos,
                "this file is not UTF-8 text; save it with the encoding UTF-8",
            );
            None
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
        // A file without front matter that gains one.
        fs::write(root.join(rel), "Bara text.\n").unwrap();
        let none = HeadPrint::of("");
        assert_eq!(bodies.body(rel, none).unwrap(), "Bara text.\n");
        fs::write(root.join(rel), "---\ntitle: Ny\n---\nBara text.\n").unwrap();
        assert!(bodies.body(rel, none).is_err());
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn only_the_head_is_read_before_rendering() {
        let root = std::env::temp_dir().join(format!("hallbar-heads-{}", std::process::id()));
        fs::create_dir_all(root.join("content")).unwrap();
        let long = format!(
            "---\r\nsummary: {}\r\n---\r\n{}",
            "å".repeat(5000),
            "ö\n".repeat(9000)
        );
        fs::write(root.join("content/lang.md"), &long).unwrap();
        fs::write(root.join("content/utan.md"), "Bara text.\n".repeat(1000)).unwrap();
        fs::write(root.join("content/oavslutad.md"), "---\ntitle: A\n").unwrap();
        let mut late = b"---\ntitle: A\n---\n".to_vec();
        late.extend("rad\n".repeat(3000).bytes());
        late.extend(b"\xff\n");
        fs::write(root.join("content/sen.md"), &late).unwrap();
        let mut diags = Diagnostics::default();
        let loaded = site(&root, "default", &mut diags).unwrap();
        assert!(!diags.has_errors(), "{:?}", diags.into_sorted());
        let heads: Vec<(&str, usize)> = loaded
            .markdown
            .iter()
            .map(|f| (f.path.file_name().unwrap().to_str().unwrap(), f.text.len()))
            .collect();
        // "---\n" + "summary: " + 5,000 å (2 bytes) + "\n---\n"
        assert_eq!(
            heads,
            [
                ("lang.md", 10_018),
                ("oavslutad.md", 13),
                ("sen.md", 17),
                ("utan.md", 0)
            ]
        );
        let bodies = Bodies::new(&root);
        let print = HeadPrint::of(&loaded.markdown[0].text);
        assert_eq!(
            bodies.body(Path::new("content/lang.md"), print).unwrap(),
            "ö\n".repeat(9000)
        );
        let print = HeadPrint::of(&loaded.markdown[2].text);
        assert_eq!(
            bodies
                .body(Path::new("content/sen.md"), print)
                .unwrap_err()
                .to_string(),
            "content/sen.md:3004:1: error: this file is not UTF-8 text; save it with the encoding UTF-8"
        );
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
