//! Where rendered files go: the [`Sink`] that the write stage's staging folder and
//! `check`'s id collector implement, and [`Collect`], a sink in memory. Uses only std.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where finished files go, from several threads at once. A file that cannot be stored is
/// the sink's to report (the write stage fails the build at its commit).
pub trait Sink: Sync {
    /// `rel` is relative to the output folder.
    fn put(&self, rel: &Path, bytes: Vec<u8>);
}

/// A sink that keeps every file in memory, for partial rebuilds and tests.
#[derive(Debug, Default)]
pub struct Collect(Mutex<BTreeMap<PathBuf, Vec<u8>>>);

impl Collect {
    /// The files so far, leaving the sink empty.
    pub fn take(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        std::mem::take(
            &mut *self
                .0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }
}

impl Sink for Collect {
    fn put(&self, rel: &Path, bytes: Vec<u8>) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(rel.to_path_buf(), bytes);
    }
}

/// A sink that puts every file under a folder of another sink: an edition in another
/// language goes under `en/`.
pub struct Prefixed<'a> {
    pub inner: &'a dyn Sink,
    /// `en/`, or empty for the default language's edition.
    pub prefix: PathBuf,
}

impl Sink for Prefixed<'_> {
    fn put(&self, rel: &Path, bytes: Vec<u8>) {
        self.inner.put(&self.prefix.join(rel), bytes);
    }
}
