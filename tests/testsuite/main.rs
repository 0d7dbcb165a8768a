//! The one integration-test binary: the real `hallbar` on fixture sites, one module per
//! area. Fixtures live in `tests/fixtures/<area>/<case>/`; expected output beside each
//! (`expected/`, `expected-stderr.txt`, `expected-check.*`), rewritten by
//! `HALLBAR_BLESS=1 cargo test` after a deliberate change.

mod harness;

/// `hallbar archive`: frozen editions of earlier years, published byte for byte.
mod archive;

/// `hallbar build` of good sites: the output tree, formats, drafts, open data.
mod build;
/// `hallbar check`: every finding, as text and as JSON lines.
mod check;
/// What a build refuses or warns about: exact lines, exit codes, no panics.
mod errors;
/// `hallbar init` and `hallbar new`.
mod init;
/// Editions in other languages: URLs, hreflang, the switch, per-edition numbers and notes.
mod languages;
/// The output folder: what is refused, kept, removed, left as it was.
mod output;
/// Search: the Pagefind index in every language, and `search: false`.
mod search;
/// `hallbar serve`: HTTP, live reload, rebuilds that equal a clean build.
mod serve;
/// `hallbar serve` under hostile or careless clients: long heads, idle connections, large
/// files, other host names.
mod serve_hardening;
/// A site's own theme over the built-in one.
mod theme;
