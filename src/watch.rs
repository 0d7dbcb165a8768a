//! Watch: rebuilds the site whenever `site.yaml`, `content/` or `themes/` change, and
//! publishes each result (the build number and its errors) to whoever listens (the preview
//! server). Watches folders, not files, so editors that save by renaming are seen too. An
//! edit of one page's text, or of metric values alone, re-renders only what shows it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, mpsc};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::diag::{Failure, Fatal};
use crate::load::is_ignored;
use crate::messages;
use crate::pipeline::{self, Kept, Request};

/// Prints a line to stdout; a closed stdout (the terminal went away) must not stop the loop.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// Prints a line to stderr, ignoring a closed stderr.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub(crate) use say;

/// The outcome of the latest build.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// Goes up by one with every build, good or bad.
    pub generation: u64,
    /// The errors of the latest build, one line each; empty when it succeeded.
    pub errors: Vec<String>,
    /// Output files (relative to the output folder) that the latest build is still making:
    /// the open data after a metric edit (see [`crate::rebuild::Later`]).
    pub pending: Vec<PathBuf>,
}

/// The latest status, and a way to wait for the next one.
#[derive(Debug, Default)]
pub struct Shared {
    status: Mutex<Status>,
    changed: Condvar,
}

impl Shared {
    pub fn status(&self) -> Status {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    fn publish(&self, errors: Vec<String>) {
        if let Ok(mut s) = self.status.lock() {
            s.generation += 1;
            s.errors = errors;
        }
        self.changed.notify_all();
    }

    fn set_pending(&self, pending: Vec<PathBuf>) {
        if let Ok(mut s) = self.status.lock() {
            s.pending = pending;
        }
        self.changed.notify_all();
    }

    /// Waits while `rel` (relative to the output folder) is still being made, at most
    /// `timeout`: a request for it then gets the current file, never the one before.
    pub fn wait_until_written(&self, rel: &Path, timeout: Duration) {
        if let Ok(guard) = self.status.lock() {
            let _ = self
                .changed
                .wait_timeout_while(guard, timeout, |s| s.pending.iter().any(|p| p == rel));
        }
    }

    /// Waits until the generation differs from `seen`, or `timeout` passes.
    pub fn wait_for_change(&self, seen: u64, timeout: Duration) -> u64 {
        let Ok(guard) = self.status.lock() else {
            return seen;
        };
        match self
            .changed
            .wait_timeout_while(guard, timeout, |s| s.generation == seen)
        {
            Ok((s, _)) => s.generation,
            Err(_) => seen,
        }
    }
}

/// How long after the last save the open data of a metric edit is made: while an author
/// saves again and again, it would be made for nothing, on a core the next rebuild needs.
const OPEN_DATA_AFTER: Duration = Duration::from_millis(1000);

/// The work rebuilds leave for after their pages are served ([`crate::rebuild::Later`]: the
/// open data of a metric edit, the search index): made on a thread of its own, one job at a
/// time, the next waiting for the saves to pause, and written by the watch loop (which
/// alone writes). Requests for the open data wait meanwhile ([`Shared::wait_until_written`]).
#[derive(Default)]
struct Jobs {
    running: Option<Running>,
    next: Option<(crate::rebuild::Later, Instant)>,
}

/// A job making its files.
struct Running {
    thread: std::thread::JoinHandle<crate::rebuild::Made>,
    held: Vec<PathBuf>,
    /// False once a full build wrote newer files than the job makes: they are dropped.
    write: bool,
}

impl Jobs {
    /// Work for after the pages, newer than (and standing for) any still waiting.
    fn add(&mut self, later: crate::rebuild::Later, shared: &Shared) {
        self.next = Some((later, Instant::now() + OPEN_DATA_AFTER));
        self.publish_held(shared);
    }

    /// The work of a full build: its own search index (when it left it for later).
    fn add_search_of(&mut self, kept: Option<&Kept>, shared: &Shared) {
        if let Some(kept) = kept.filter(|k| k.search_owed) {
            self.add(crate::rebuild::Later::new(kept, false, true), shared);
        }
    }

    /// Takes away the work still waiting (it holds the model a rebuild is about to take
    /// over); what it owed, the open data and the search index, for the rebuild's own job.
    fn take_waiting(&mut self, shared: &Shared) -> (bool, bool) {
        let owed = self.next.take().map_or((false, false), |(l, _)| l.owes());
        self.publish_held(shared);
        owed
    }

    /// A full build wrote everything newer than the running job makes.
    fn outdated(&mut self, shared: &Shared) {
        if let Some(r) = &mut self.running {
            r.write = false;
            r.held.clear();
        }
        self.publish_held(shared);
    }

    fn busy(&self) -> bool {
        self.running.is_some() || self.next.is_some()
    }

    /// Writes a finished job's files; starts the waiting one when it is due and none runs.
    fn step(&mut self, output: &Path, shared: &Shared) {
        if self
            .running
            .as_ref()
            .is_some_and(|r| r.thread.is_finished())
            && let Some(r) = self.running.take()
        {
            let made = r.thread.join().unwrap_or_default();
            if r.write {
                write_made(made, output);
            }
            // Waiting requests are told only when a job ends (this runs at every turn of
            // the watch loop); what a starting job holds was told when it was added.
            self.publish_held(shared);
        }
        if self.running.is_none()
            && let Some((later, _)) = self.next.take_if(|(_, due)| Instant::now() >= *due)
        {
            let held = later.held_paths();
            self.running = Some(Running {
                thread: std::thread::spawn(move || later.make()),
                held,
                write: true,
            });
        }
    }

    /// At the end: waits for the running job and makes the waiting one, writing both.
    fn finish(mut self, output: &Path, shared: &Shared) {
        if let Some(r) = self.running.take() {
            let made = r.thread.join().unwrap_or_default();
            if r.write {
                write_made(made, output);
            }
        }
        if let Some((later, _)) = self.next.take() {
            write_made(later.make(), output);
        }
        self.publish_held(shared);
    }

    /// The open data's files that a running or waiting job is still to write.
    fn publish_held(&self, shared: &Shared) {
        let mut held: Vec<PathBuf> = self.running.iter().flat_map(|r| r.held.clone()).collect();
        if let Some((later, _)) = &self.next {
            held.extend(later.held_paths());
        }
        held.sort();
        held.dedup();
        shared.set_pending(held);
    }
}

/// Writes what a job made; what could not be made or written is reported (the next full
/// build makes it again).
fn write_made(made: crate::rebuild::Made, output: &Path) {
    match made.open_data {
        Some(Ok(files)) => {
            if let Err(e) = crate::write::update(output, &files) {
                tell!("error: the open data could not be written: {e}");
            }
        }
        Some(Err(e)) => {
            tell!("error: the open data could not be made ({e}); the next full build makes it")
        }
        None => {}
    }
    match made.search {
        Some(Ok(files)) => {
            if let Err(e) =
                crate::write::replace_under(output, Path::new(crate::search::FOLDER), files)
            {
                tell!("error: the search index could not be written: {e}");
            }
        }
        Some(Err(e)) => {
            tell!("error: the search index could not be made ({e}); the next full build makes it")
        }
        None => {}
    }
}

/// Builds once and publishes the result; prints one line about it.
/// Returns what a good build keeps, for rebuilding one page next time.
pub fn rebuild(req: &Request, shared: &Shared, cause: &str) -> Option<Kept> {
    let start = Instant::now();
    match pipeline::build_keeping(req, pipeline::SearchIndex::Later) {
        Ok((s, kept)) => {
            tell_warnings(&s);
            say!(
                "{cause}: {}",
                messages::built(s.pages, s.metrics, start.elapsed().as_millis())
            );
            shared.publish(Vec::new());
            kept
        }
        Err(Failure::Site(diags)) => {
            for line in messages::folded(&diags) {
                tell!("{line}");
            }
            let lines: Vec<String> = diags
                .iter()
                .filter(|d| d.is_error())
                .map(ToString::to_string)
                .collect();
            tell!(
                "{cause}: {}; still serving the last good build",
                messages::has_errors(&diags)
            );
            shared.publish(lines);
            None
        }
        Err(Failure::Fatal(e)) => {
            tell!("error: {e}");
            shared.publish(vec![format!("error: {e}")]);
            None
        }
    }
}

/// The warnings of a build, folded as `hallbar build` folds them, and the drafts left out.
fn tell_warnings(s: &pipeline::Summary) {
    for line in messages::folded(&s.warnings) {
        tell!("{line}");
    }
    if let Some(note) = messages::drafts(s.drafts) {
        tell!("{note}");
    }
}

/// What the site is built from: `site.yaml`, `content/`, `themes/`, and wherever their
/// symbolic links lead (paths relative to the site folder).
struct Sources {
    root: PathBuf,
    output: PathBuf,
    links: BTreeSet<PathBuf>,
}

impl Sources {
    /// Is this path one the site is built from (and not the output or an editor's
    /// scratch file)?
    fn contains(&self, path: &Path) -> bool {
        if path.starts_with(&self.output) {
            return false;
        }
        let Ok(rel) = path.strip_prefix(&self.root) else {
            return false;
        };
        let in_tree = rel.starts_with("content")
            || rel.starts_with("themes")
            || rel == Path::new("site.yaml")
            || self.links.iter().any(|l| rel.starts_with(l));
        in_tree && !rel.components().any(|c| is_ignored(c.as_os_str()))
    }
}

/// The source files that `events` changed. Reading a file (our own build does) is not a
/// change, nor is a change to access times.
fn collect_changes(
    sources: &Sources,
    events: &[notify_debouncer_full::DebouncedEvent],
    changed: &mut BTreeSet<PathBuf>,
) {
    use notify::EventKind;
    use notify::event::{MetadataKind, ModifyKind};
    for e in events {
        let is_change = !matches!(
            e.kind,
            EventKind::Access(_)
                | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
        );
        if is_change {
            changed.extend(
                e.paths
                    .iter()
                    .filter(|p| sources.contains(p))
                    .map(|p| p.strip_prefix(&sources.root).unwrap_or(p).to_path_buf()),
            );
        }
    }
}

/// The folders being watched. A folder replaced by another (moved away, a new one moved
/// in) keeps the old watch following the old folder, so [`Watches::renew`] watches it afresh.
struct Watches {
    root: PathBuf,
    watched: BTreeSet<PathBuf>,
}

/// The folders to watch recursively: `content/`, `themes/`, and where links lead outside
/// them (a linked file's folder, since editors replace files by renaming).
fn folders_to_watch(root: &Path, links: &BTreeSet<PathBuf>) -> BTreeSet<PathBuf> {
    let mut dirs: BTreeSet<PathBuf> = ["content", "themes"].map(|d| root.join(d)).into();
    for link in links {
        if link.starts_with("content") || link.starts_with("themes") {
            continue;
        }
        let target = root.join(link);
        if target.is_dir() {
            dirs.insert(target);
        } else if let Some(parent) = target.parent()
            && parent != root
        {
            dirs.insert(parent.to_path_buf());
        }
    }
    dirs
}

impl Watches {
    /// Watches `content/`, `themes/` and the targets of links where they exist, after
    /// dropping the watches of the folders in `renew`.
    fn renew<W: notify::Watcher, C: notify_debouncer_full::FileIdCache>(
        &mut self,
        debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
        renew: &BTreeSet<PathBuf>,
        links: &BTreeSet<PathBuf>,
    ) {
        for dir in renew {
            if self.watched.remove(dir) {
                let _ = debouncer.unwatch(dir);
            }
        }
        let wanted = folders_to_watch(&self.root, links);
        for gone in self
            .watched
            .difference(&wanted)
            .cloned()
            .collect::<Vec<_>>()
        {
            let _ = debouncer.unwatch(&gone);
            self.watched.remove(&gone);
        }
        for dir in wanted {
            if dir.is_dir() {
                if !self.watched.contains(&dir)
                    && debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
                {
                    self.watched.insert(dir);
                }
            } else {
                self.watched.remove(&dir);
            }
        }
    }
}

/// What the loop waits for next.
enum Next {
    Changed(BTreeSet<PathBuf>),
    Nothing,
    Closed,
}

/// Waits a little for events; the source files they changed. A burst (a git checkout)
/// arrives as several batches: what is already queued is taken too.
fn next_changes(
    rx: &mpsc::Receiver<DebounceEventResult>,
    sources: &Sources,
    wait: Duration,
) -> Next {
    let events = match rx.recv_timeout(wait) {
        Ok(Ok(events)) => events,
        Ok(Err(errors)) => {
            for e in errors {
                tell!("warning: watching: {e}");
            }
            return Next::Nothing;
        }
        Err(mpsc::RecvTimeoutError::Timeout) => return Next::Nothing,
        Err(mpsc::RecvTimeoutError::Disconnected) => return Next::Closed,
    };
    let mut changed = BTreeSet::new();
    collect_changes(sources, &events, &mut changed);
    while let Ok(Ok(more)) = rx.try_recv() {
        collect_changes(sources, &more, &mut changed);
    }
    if changed.is_empty() {
        Next::Nothing
    } else {
        Next::Changed(changed)
    }
}

/// `changed content/a.md` or `changed content/a.md and 3 more`.
fn cause(changed: &BTreeSet<PathBuf>) -> String {
    let first = changed
        .iter()
        .next()
        .map(|p| crate::diag::printable(&p.to_string_lossy()).into_owned())
        .unwrap_or_default();
    match changed.len() {
        1 => format!("changed {first}"),
        n => format!("changed {first} and {} more", n - 1),
    }
}

/// Watches and rebuilds until `stop` is set. The first build happens once the watches are
/// in place (so no save is missed), then `ready` is called.
pub fn run(
    req: &Request,
    shared: &Shared,
    stop: &AtomicBool,
    ready: impl FnOnce(),
) -> Result<(), Fatal> {
    let root = absolute(&req.root);
    let output = absolute(&req.output);
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let cannot_watch =
        |e: notify::Error| Fatal::Refused(format!("cannot watch {}: {e}", root.display()));
    let mut debouncer = new_debouncer(
        Duration::from_millis(25),
        Some(Duration::from_millis(10)),
        tx,
    )
    .map_err(cannot_watch)?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(cannot_watch)?;
    let mut watches = Watches {
        root: root.clone(),
        watched: BTreeSet::new(),
    };
    let mut sources = Sources {
        root: root.clone(),
        output,
        links: BTreeSet::new(),
    };
    watches.renew(&mut debouncer, &BTreeSet::new(), &sources.links);
    // What the last good build kept; `None` after a failed one, so that every build is
    // complete until the site is good again.
    let mut last_good = rebuild(req, shared, "start");
    let output_dir = req.output.clone();
    // The open data a metric edit left to be made after its pages were served, and the
    // search index every build leaves to be made after them.
    let mut jobs = Jobs::default();
    jobs.add_search_of(last_good.as_ref(), shared);
    ready();
    while !stop.load(Ordering::Relaxed) {
        // Where the site's links lead is known once a build has read it.
        if let Some(kept) = &last_good {
            let links: BTreeSet<PathBuf> = kept.links.iter().cloned().collect();
            if links != sources.links {
                watches.renew(&mut debouncer, &BTreeSet::new(), &links);
                sources.links = links;
            }
        }
        jobs.step(&output_dir, shared);
        let wait = if jobs.busy() { 10 } else { 200 };
        let changed = match next_changes(&rx, &sources, Duration::from_millis(wait)) {
            Next::Changed(changed) => changed,
            Next::Nothing => continue,
            Next::Closed => break,
        };
        let renew: BTreeSet<PathBuf> = changed
            .iter()
            .filter(|p| *p == Path::new("content") || *p == Path::new("themes"))
            .map(|p| root.join(p))
            .collect();
        watches.renew(&mut debouncer, &renew, &sources.links);
        let cause = cause(&changed);
        // A job that has not started holds the old model: let it go, so that the partial
        // rebuild can take the model over rather than copy it. The open data is then
        // still to be made, from the new model.
        let (open_data_owed, search_owed) = jobs.take_waiting(shared);
        // A partial rebuild takes what was kept; when it declines, the old model is gone
        // before the new one is made (two at once would double a large site's memory).
        if let Some(kept) = last_good.take()
            && let Some(done) = crate::rebuild::rebuild(req, kept, &changed)
        {
            tell_warnings(&done.summary);
            say!(
                "{cause}: rebuilt {} in {} ms",
                messages::count(done.summary.pages, "page", "pages"),
                done.summary.elapsed.as_millis()
            );
            // What the work that waited owed is this rebuild's to make, from its model. A
            // job still running is written when it ends, and this one after it.
            let open_data = done.open_data_changed || open_data_owed;
            let search = done.search_changed || search_owed;
            if open_data || search {
                jobs.add(
                    crate::rebuild::Later::new(&done.kept, open_data, search),
                    shared,
                );
            }
            shared.publish(Vec::new());
            last_good = Some(done.kept);
            continue;
        }
        last_good = rebuild(req, shared, &cause);
        // A good full build wrote the open data itself, newer than a job still running
        // makes, and leaves its search index to a job of its own. After a failed one, a
        // job still running is written when it ends; work that had not started is lost
        // with the model it held, and the next good build makes it.
        if last_good.is_some() {
            jobs.outdated(shared);
        }
        jobs.add_search_of(last_good.as_ref(), shared);
    }
    jobs.finish(&output_dir, shared);
    Ok(())
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_sources_trigger_a_rebuild() {
        let sources = Sources {
            root: PathBuf::from("/site"),
            output: PathBuf::from("/site/public"),
            links: BTreeSet::from([PathBuf::from("shared/texts")]),
        };
        let is_source = |p: &str| sources.contains(Path::new(p));
        assert!(is_source("/site/content/a.md"));
        assert!(is_source("/site/site.yaml"));
        assert!(is_source("/site/themes/default/templates/page.html"));
        assert!(is_source("/site/shared/texts/a.md"), "where a link leads");
        assert!(!is_source("/site/shared/other.md"));
        assert!(!is_source("/site/public/index.html"));
        assert!(!is_source("/site/content/.a.md.swp"));
        assert!(!is_source("/site/content/4913"));
        assert!(!is_source("/site/content/a.md~"));
        assert!(!is_source("/site/target/debug/x"));
    }

    #[test]
    fn waiting_sees_a_new_generation() {
        let shared = std::sync::Arc::new(Shared::default());
        let s2 = shared.clone();
        let t = std::thread::spawn(move || s2.wait_for_change(0, Duration::from_secs(5)));
        shared.publish(vec![]);
        assert_eq!(t.join().unwrap(), 1);
    }
}
