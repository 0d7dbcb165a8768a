//! Write: syncs the output folder with the rendered files. Files arrive one by one while
//! the site renders ([`Staging`] is render's sink); each one whose bytes differ from what
//! the output folder holds goes into a staging folder beside it, so nothing in the output
//! folder changes until everything has rendered. [`Staging::commit`] then checks that
//! every file can take its place (so that a failure leaves the old tree), records the new
//! files in the manifest (so that a build killed from then on leaves no orphans for the
//! next one), moves the changed files into place (each by a rename, so a server never
//! serves half a file) and only then removes files of an earlier build that are gone;
//! files hallbar did not write are never touched. Dropping a `Staging` without committing removes the staging folder.
//! [`cache`] keeps what a build made for the next one (image versions) in the site's
//! cache folder. Uses the file system and nothing else of the build.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diag::Fatal;
use crate::render::Sink;

/// The list of files the last build wrote, kept in the output folder.
pub const MANIFEST: &str = ".hallbar-manifest";

/// What a sync did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

/// An output folder being built: changed files wait in a staging folder beside it.
#[derive(Debug)]
pub struct Staging {
    out_dir: PathBuf,
    stage: PathBuf,
    /// What the last build wrote, from its manifest.
    previous: BTreeSet<PathBuf>,
    /// The output folder does not exist yet: the staging folder becomes it by one rename.
    fresh: bool,
    staged: Mutex<Vec<PathBuf>>,
    unchanged: AtomicUsize,
    /// Folders made in the staging folder, so each is made once.
    folders: Mutex<HashSet<PathBuf>>,
    /// The first write that failed; the build stops with it at commit.
    failed: Mutex<Option<Fatal>>,
    done: bool,
}

impl Staging {
    /// Refuses a non-empty output folder that hallbar did not make, before any work.
    pub fn begin(out_dir: &Path) -> Result<Staging, Fatal> {
        let previous = previous_files(out_dir)?;
        let beside = staging_folder(out_dir)?;
        clear_leftovers(&beside);
        clear_leftovers(&out_dir.join(STAGE_INSIDE));
        let (stage, fresh) = match make_stage(&beside) {
            Ok(()) => (mine(&beside), !out_dir.exists()),
            // A folder whose parent cannot be written to (a web server's document root,
            // say): the staging folder goes inside it, hidden.
            Err(_) => {
                let inside = out_dir.join(STAGE_INSIDE);
                fs::create_dir_all(out_dir).map_err(Fatal::io("create the folder", out_dir))?;
                make_stage(&inside).map_err(Fatal::io("create the folder", &mine(&inside)))?;
                (mine(&inside), false)
            }
        };
        Ok(Staging {
            fresh,
            out_dir: out_dir.to_path_buf(),
            stage,
            previous,
            staged: Mutex::default(),
            unchanged: AtomicUsize::new(0),
            folders: Mutex::default(),
            failed: Mutex::default(),
            done: false,
        })
    }

    fn stage_one(&self, rel: &Path, bytes: &[u8]) -> Result<(), Fatal> {
        if !self.fresh && fs::read(self.out_dir.join(rel)).is_ok_and(|old| old == bytes) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        if let Some(folder) = rel.parent().filter(|f| !f.as_os_str().is_empty()) {
            let new = lock(&self.folders).insert(folder.to_path_buf());
            if new {
                let path = self.stage.join(folder);
                fs::create_dir_all(&path).map_err(Fatal::io("create the folder", &path))?;
            }
        }
        let path = self.stage.join(rel);
        fs::write(&path, bytes).map_err(Fatal::io("write", &path))?;
        lock(&self.staged).push(rel.to_path_buf());
        Ok(())
    }

    /// The files of the earlier build under `folder`, for a build that leaves them as they
    /// are (`serve` makes the search index after the pages).
    pub fn earlier_under(&self, folder: &Path) -> Vec<PathBuf> {
        self.previous
            .iter()
            .filter(|p| p.starts_with(folder))
            .cloned()
            .collect()
    }

    /// Puts the staged files in place; `files` is every file of the new build.
    pub fn commit(mut self, files: &BTreeSet<PathBuf>) -> Result<Report, Fatal> {
        if let Some(e) = lock(&self.failed).take() {
            return Err(e);
        }
        let staged = std::mem::take(&mut *lock(&self.staged));
        let mut report = Report {
            written: staged.len(),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            removed: 0,
        };
        let manifest = manifest_text(files);
        if self.fresh {
            let path = self.stage.join(MANIFEST);
            fs::write(&path, manifest).map_err(Fatal::io("write", &path))?;
            fs::rename(&self.stage, &self.out_dir)
                .map_err(Fatal::io("move the staging folder to", &self.out_dir))?;
            self.done = true;
            return Ok(report);
        }
        let stale: Vec<&PathBuf> = self
            .previous
            .iter()
            .filter(|r| !files.contains(*r))
            .collect();
        // Whatever could stop a rename is found before the first one, so that a failure
        // leaves the old tree.
        preflight(&self.out_dir, &staged, &stale)?;
        // Files about to be added are recorded first: should the build be killed from here
        // on, the next build knows them as its own and removes what it does not make.
        self.record_intent(files)?;
        let manifest_path = self.out_dir.join(MANIFEST);
        // A stale file that stands where a new folder goes, or a stale file inside a folder
        // that a new file replaces, must go before the renames; the others after them.
        let (blocking, later): (Vec<&PathBuf>, Vec<&PathBuf>) =
            stale.into_iter().partition(|old| {
                staged
                    .iter()
                    .any(|new| new.starts_with(old) || old.starts_with(new))
            });
        report.removed += self.remove(&blocking)?;
        let mut made = HashSet::new();
        for rel in &staged {
            let to = self.out_dir.join(rel);
            if let Some(folder) = to.parent()
                && made.insert(folder.to_path_buf())
            {
                fs::create_dir_all(folder).map_err(Fatal::io("create the folder", folder))?;
            }
            move_file(&self.stage.join(rel), &to)?;
        }
        report.removed += self.remove(&later)?;
        if fs::read_to_string(&manifest_path).ok().as_deref() != Some(manifest.as_str()) {
            fs::write(&manifest_path, manifest).map_err(Fatal::io("write", &manifest_path))?;
        }
        Ok(report)
    }

    /// Lists the files of the earlier build and of this one in the manifest, before any
    /// is moved into place.
    fn record_intent(&self, files: &BTreeSet<PathBuf>) -> Result<(), Fatal> {
        let intent: BTreeSet<PathBuf> = self.previous.union(files).cloned().collect();
        let path = self.out_dir.join(MANIFEST);
        // Through a temporary file: a kill while writing must not leave half a manifest.
        let tmp = temporary_beside(&path);
        fs::write(&tmp, manifest_text(&intent)).map_err(Fatal::io("write", &tmp))?;
        fs::rename(&tmp, &path).map_err(Fatal::io("replace", &path))
    }

    /// Removes files of an earlier build (and folders they leave empty); how many.
    fn remove(&self, stale: &[&PathBuf]) -> Result<usize, Fatal> {
        let mut removed = 0;
        for rel in stale {
            let path = self.out_dir.join(rel);
            match fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Fatal::io("remove", &path)(e)),
            }
            remove_empty_parents(&self.out_dir, &path);
        }
        Ok(removed)
    }
}

/// Checks that every staged file can take its place and every stale file can go: its
/// folder can be written to, and nothing of another kind stands in the way (a folder
/// where a file goes, a file hallbar did not write where a folder goes).
fn preflight(out_dir: &Path, staged: &[PathBuf], stale: &[&PathBuf]) -> Result<(), Fatal> {
    let stale: HashSet<&Path> = stale.iter().map(|p| p.as_path()).collect();
    let mut folders = HashSet::new();
    // Folders already looked at, with all their parents.
    let mut seen: HashSet<&Path> = HashSet::new();
    for rel in staged {
        let to = out_dir.join(rel);
        if to.is_dir() && !holds_only(out_dir, &to, &stale) {
            return Err(Fatal::Refused(format!(
                "cannot put the file {} in place: a folder of that name is in the way; remove it, or build into an empty folder",
                to.display()
            )));
        }
        for folder in rel
            .ancestors()
            .skip(1)
            .filter(|f| !f.as_os_str().is_empty())
        {
            if !seen.insert(folder) {
                break;
            }
            let path = out_dir.join(folder);
            if path.is_file() && !stale.contains(folder) {
                return Err(Fatal::Refused(format!(
                    "cannot make the folder {}: a file of that name is in the way; remove it, or build into an empty folder",
                    path.display()
                )));
            }
        }
        if let Some(folder) = to.parent() {
            folders.insert(nearest_existing(folder));
        }
    }
    for rel in &stale {
        if let Some(folder) = out_dir.join(rel).parent() {
            folders.insert(nearest_existing(folder));
        }
    }
    for folder in folders {
        writable(&folder)?;
    }
    Ok(())
}

/// Whether the folder `dir` holds files of `stale` and nothing else (no other file, no
/// empty folder), so that it is gone once they are removed before the renames.
fn holds_only(out_dir: &Path, dir: &Path, stale: &HashSet<&Path>) -> bool {
    let is_stale = |p: &Path| p.strip_prefix(out_dir).is_ok_and(|rel| stale.contains(rel));
    let not_empty = |p: &Path| fs::read_dir(p).is_ok_and(|mut d| d.next().is_some());
    walkdir::WalkDir::new(dir).into_iter().all(|e| {
        e.is_ok_and(|e| {
            if e.file_type().is_dir() {
                not_empty(e.path())
            } else {
                is_stale(e.path())
            }
        })
    })
}

/// `path`, or the nearest of its parents that exists.
fn nearest_existing(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|p| p.as_os_str().is_empty() || p.exists())
        .unwrap_or(path)
        .to_path_buf()
}

/// Refuses a folder that no one may write to (files cannot be added to or removed from
/// it). One look at its permissions: probing every folder would cost a large site seconds.
fn writable(folder: &Path) -> Result<(), Fatal> {
    let meta = fs::metadata(folder).map_err(Fatal::io("read the folder", folder))?;
    if meta.permissions().readonly() {
        return Err(Fatal::Refused(format!(
            "cannot write into the folder {}: it is read-only, so nothing was changed; make it writable (chmod u+w) and build again",
            folder.display()
        )));
    }
    Ok(())
}

impl Sink for Staging {
    fn put(&self, rel: &Path, bytes: Vec<u8>) {
        if let Err(e) = self.stage_one(rel, &bytes) {
            lock(&self.failed).get_or_insert(e);
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_dir_all(&self.stage);
        }
    }
}

/// The staging folder inside the output folder, when it cannot be beside it.
const STAGE_INSIDE: &str = ".hallbar-staging";

/// This process's staging folder of the kind `base` names: two builds into one output
/// folder at once (`hallbar serve` running, and a `hallbar build`) each have their own.
fn mine(base: &Path) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(format!("-{}", std::process::id()));
    PathBuf::from(name)
}

/// An empty staging folder for this process beside `base`'s name.
fn make_stage(base: &Path) -> std::io::Result<()> {
    let stage = mine(base);
    if let Some(parent) = stage.parent() {
        fs::create_dir_all(parent)?;
    }
    match fs::remove_dir_all(&stage) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    fs::create_dir(&stage)
}

/// Removes staging folders that builds which were killed left (on Linux, where it can
/// tell that their process is gone; elsewhere they stay, hidden, until removed by hand).
fn clear_leftovers(base: &Path) {
    let (Some(dir), Some(name)) = (base.parent(), base.file_name()) else {
        return;
    };
    let prefix = format!("{}-", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    }) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let gone = cfg!(target_os = "linux") && !Path::new("/proc").join(pid.to_string()).exists();
        if gone {
            let _ = fs::remove_dir_all(dir.join(&file_name));
        }
    }
}

/// Moves a staged file into place by a rename. When the output folder is on another file
/// system (a mounted volume), the file is copied next to its place and renamed there, so
/// that a server still never sees half of it.
fn move_file(from: &Path, to: &Path) -> Result<(), Fatal> {
    match fs::rename(from, to) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => {
            let tmp = temporary_beside(to);
            fs::copy(from, &tmp).map_err(Fatal::io("write", &tmp))?;
            fs::rename(&tmp, to).map_err(Fatal::io("replace", to))?;
            let _ = fs::remove_file(from);
            Ok(())
        }
        Err(e) => Err(Fatal::io("replace", to)(e)),
    }
}

/// `a/index.html` → `a/.index.html.hallbar-tmp`.
fn temporary_beside(path: &Path) -> PathBuf {
    path.with_file_name(format!(
        ".{}.hallbar-tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ))
}

/// A lock whose holder panicked still guards plain data.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `public` → `.public.hallbar-staging` beside it: on the same file system, so files move
/// into place by a rename; hidden, and not inside the output folder a server shows.
fn staging_folder(out_dir: &Path) -> Result<PathBuf, Fatal> {
    let absolute = std::path::absolute(out_dir).map_err(Fatal::io("find the folder", out_dir))?;
    let absolute: PathBuf = absolute.components().collect();
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => {
            Ok(parent.join(format!(".{}.hallbar-staging", name.to_string_lossy())))
        }
        _ => Err(Fatal::Refused(format!(
            "the output folder {} is the root of the file system; choose another folder with --output",
            out_dir.display()
        ))),
    }
}

fn manifest_text(files: &BTreeSet<PathBuf>) -> String {
    files
        .iter()
        .map(|p| format!("{}\n", p.to_string_lossy().replace('\\', "/")))
        .collect()
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

/// Puts `files` in place of every file the last build wrote under `folder` (the search
/// index, whose file names change with its content), through a staging folder and the
/// manifest as a build does: no reader sees half of it, and nothing stale is left.
pub fn replace_under(
    out_dir: &Path,
    folder: &Path,
    files: Vec<(PathBuf, Vec<u8>)>,
) -> Result<Report, Fatal> {
    let mut all: BTreeSet<PathBuf> = previous_files(out_dir)?
        .into_iter()
        .filter(|p| !p.starts_with(folder))
        .collect();
    let staging = Staging::begin(out_dir)?;
    for (rel, bytes) in files {
        staging.put(&rel, bytes);
        all.insert(rel);
    }
    staging.commit(&all)
}

/// Keeps the files a build made afresh (image versions) in the cache folder `dir`, each
/// written whole to a temporary name before it takes its own, so a build killed halfway
/// leaves no half file for the next one to use.
pub fn cache(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), Fatal> {
    if files.is_empty() {
        return Ok(());
    }
    fs::create_dir_all(dir).map_err(Fatal::io("create", dir))?;
    for (name, bytes) in files {
        let path = dir.join(name);
        let tmp = temporary_beside(&path);
        fs::write(&tmp, bytes).map_err(Fatal::io("write", &tmp))?;
        fs::rename(&tmp, &path).map_err(Fatal::io("write", &path))?;
    }
    Ok(())
}

/// Writes one file unless it already has these bytes; `Ok(true)` when it wrote. A file
/// that exists is replaced through a temporary file and a rename, so the preview server
/// never serves half of it.
fn write_one(path: &Path, bytes: &[u8]) -> Result<bool, Fatal> {
    match fs::read(path) {
        Ok(old) if old == bytes => Ok(false),
        Ok(_) => {
            let tmp = temporary_beside(path);
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
                Ok(mut entries) => entries.any(|e| {
                    e.map_or(true, |e| {
                        !e.file_name().to_string_lossy().starts_with(STAGE_INSIDE)
                    })
                }),
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
    use std::collections::BTreeMap;

    fn sync(out: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<Report, Fatal> {
        let staging = Staging::begin(out)?;
        for (rel, bytes) in files {
            staging.put(rel, bytes.clone());
        }
        staging.commit(&files.keys().cloned().collect())
    }

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
    fn a_commit_that_cannot_finish_changes_nothing() {
        let out = temp_dir("preflight");
        let first = files(&[
            ("a/index.html", "1"),
            ("b/index.html", "2"),
            ("c/index.html", "3"),
        ]);
        sync(&out, &first).unwrap();
        let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
        // A folder that may not be written to, met after other files would have changed.
        set_readonly(&out.join("c"), true);
        let second = files(&[("a/index.html", "1b"), ("c/index.html", "3b")]);
        let e = sync(&out, &second).unwrap_err();
        set_readonly(&out.join("c"), false);
        assert!(e.to_string().contains("read-only"), "{e}");
        // A folder of the user's where a new file goes.
        fs::create_dir_all(out.join("d/index.html")).unwrap();
        let third = files(&[("a/index.html", "1b"), ("d/index.html", "4")]);
        let e = sync(&out, &third).unwrap_err();
        assert!(e.to_string().contains("a folder of that name"), "{e}");
        for (rel, bytes) in &first {
            assert_eq!(
                &fs::read(out.join(rel)).unwrap(),
                bytes,
                "{}",
                rel.display()
            );
        }
        assert_eq!(fs::read_to_string(out.join(MANIFEST)).unwrap(), manifest);
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn files_added_by_a_killed_commit_are_removed_by_the_next_build() {
        let out = temp_dir("killed");
        sync(&out, &files(&[("a/index.html", "1")])).unwrap();
        let staging = Staging::begin(&out).unwrap();
        staging.put(Path::new("new/index.html"), b"n".to_vec());
        let all: BTreeSet<PathBuf> = ["a/index.html", "new/index.html"].map(PathBuf::from).into();
        staging.record_intent(&all).unwrap();
        // Killed after moving the new page in, before the manifest was final.
        fs::create_dir_all(out.join("new")).unwrap();
        move_file(
            &staging.stage.join("new/index.html"),
            &out.join("new/index.html"),
        )
        .unwrap();
        drop(staging);
        sync(&out, &files(&[("a/index.html", "1")])).unwrap();
        assert!(!out.join("new").exists());
        fs::remove_dir_all(&out).unwrap();
    }

    fn set_readonly(path: &Path, readonly: bool) {
        let mut p = fs::metadata(path).unwrap().permissions();
        p.set_readonly(readonly);
        fs::set_permissions(path, p).unwrap();
    }

    #[test]
    fn nothing_changes_until_commit_and_an_abandoned_build_leaves_no_trace() {
        let out = temp_dir("abandon");
        sync(&out, &files(&[("a/index.html", "1")])).unwrap();
        let stage = mine(&staging_folder(&out).unwrap());
        let staging = Staging::begin(&out).unwrap();
        staging.put(Path::new("a/index.html"), b"2".to_vec());
        staging.put(Path::new("b/index.html"), b"3".to_vec());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "1");
        assert!(!out.join("b").exists());
        assert!(stage.join("b/index.html").is_file());
        drop(staging);
        assert!(!stage.exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "1");
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn two_builds_into_one_folder_stage_apart_and_a_dead_ones_leftovers_go() {
        let out = temp_dir("two");
        sync(&out, &files(&[("a/index.html", "1")])).unwrap();
        let beside = staging_folder(&out).unwrap();
        let dead = PathBuf::from(format!("{}-4294967295", beside.display()));
        fs::create_dir_all(&dead).unwrap();
        let first = Staging::begin(&out).unwrap();
        assert!(!dead.exists());
        first.put(Path::new("a/index.html"), b"2".to_vec());
        // Another process's build: its staging folder is its own.
        let other = PathBuf::from(format!("{}-1", beside.display()));
        fs::create_dir_all(&other).unwrap();
        let report = first
            .commit(&[PathBuf::from("a/index.html")].into())
            .unwrap();
        assert_eq!(report.written, 1);
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "2");
        assert!(other.exists(), "a live process's staging folder stays");
        fs::remove_dir_all(&other).unwrap();
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_file_gives_way_to_a_folder_of_its_name_and_back() {
        let out = temp_dir("clash");
        sync(&out, &files(&[("a", "file")])).unwrap();
        sync(&out, &files(&[("a/index.html", "page")])).unwrap();
        assert_eq!(
            fs::read_to_string(out.join("a/index.html")).unwrap(),
            "page"
        );
        sync(&out, &files(&[("a", "file again")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("a")).unwrap(), "file again");
        assert!(!mine(&staging_folder(&out).unwrap()).exists());
        fs::remove_dir_all(&out).unwrap();
    }

    #[test]
    fn a_staging_folder_left_inside_by_a_killed_build_is_not_someone_elses_file() {
        let out = temp_dir("left-inside");
        let dead = out.join(format!("{STAGE_INSIDE}-4294967295"));
        fs::create_dir_all(&dead).unwrap();
        fs::write(dead.join("half.html"), "x").unwrap();
        assert!(previous_files(&out).unwrap().is_empty());
        clear_leftovers(&out.join(STAGE_INSIDE));
        assert!(!dead.exists());
        fs::write(out.join("mine.txt"), "x").unwrap();
        assert!(matches!(previous_files(&out), Err(Fatal::Refused(_))));
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
