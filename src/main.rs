//! hallbar: a static-site generator for sustainability reports. This file is the command
//! line only: it parses arguments, runs the pipeline, prints messages and sets the exit code.

mod archive;
mod chart;
mod check;
mod colour;
mod config;
mod diag;
mod figures;
mod frontmatter;
mod gri;
mod html;
mod i18n;
mod images;
mod links;
mod load;
mod markdown;
mod messages;
mod metrics;
mod model;
mod pipeline;
mod rebuild;
mod render;
mod report;
mod scaffold;
mod search;
mod serve;
mod shortcode;
mod slug;
mod suggest;
mod theme;
mod watch;
mod write;
mod yaml;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diag::Failure;
use crate::pipeline::Request;

/// Transparent huge pages off for this process. mimalloc asks the kernel for them, and then
/// every first touch of its memory faults in and zeroes 2 MB: on a 10,000-page build with
/// search (whose index grows page by page) that was more than half of the time, 47–51 s
/// against 21 s without, and the peak memory 3 % higher; without search 6.3–7.1 s against
/// 5.8–6.2 s. A build is a short batch that touches its memory once, which is the case
/// huge pages do not help. (mimalloc's `MIMALLOC_ALLOW_THP=0` does the same, read from the
/// environment only.)
fn huge_pages_off() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours; a
    // kernel without it answers EINVAL, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc rather than the system's allocator: a build allocates and frees millions of
/// small strings and template values, and on glibc `malloc`/`free` were a sixth of a
/// 10,000-page build and a third of rebuilding a large listing after a metric edit.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "hallbar",
    version,
    about = "Publishes a sustainability report: Markdown programmes and YAML metrics to a static website"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    ///
    /// Example: hallbar build --root min-rapport --base-url https://www.mimer.nu/hallbarhet/
    Build(BuildArgs),
    /// Preview the site: build, serve it locally, rebuild and reload on every save.
    ///
    /// Example: hallbar serve --root min-rapport --port 1111
    Serve(ServeArgs),
    /// Find every problem in the site before publishing; writes nothing.
    ///
    /// Everything that would stop a build, and more: links and #fragments, images
    /// without alt text, skipped heading levels, pages without a summary or a way in.
    /// External links are listed, never fetched.
    ///
    /// Example: hallbar check --root min-rapport --format json
    Check(CheckArgs),
    /// Freeze this year's report into archive/<report_year>/, to stay online unchanged.
    ///
    /// Builds the site as `build` does, each page saying which year's report it is and
    /// linking to the latest, into archive/2023/ (say) with a manifest of its files.
    /// Commit the folder; every later build publishes it under 2023/ byte for byte.
    ///
    /// Example: hallbar archive --root min-rapport
    Archive(ArchiveArgs),
    /// Create a complete, working report in a new or empty folder.
    ///
    /// Example: hallbar init min-rapport
    Init {
        /// The folder to create the site in [default: the current folder]
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new page with every front matter key filled in or explained.
    ///
    /// Example: hallbar new program "Läxhjälp på Bäckby"
    New(NewArgs),
}

#[derive(Args)]
struct SiteArgs {
    /// The site folder (with site.yaml and content/).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// The site's public address, for sitemap.xml and canonical links (overrides site.yaml).
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
}

#[derive(Args)]
struct ArchiveArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Freeze nothing: report each file of the frozen editions that differs from what was
    /// frozen (exit 1 if any does).
    #[arg(long)]
    verify: bool,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// text: one line per finding; json: one JSON object per line (for editors and CI).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    strict: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Kind {
    /// A programme page, in content/program/ unless --section says otherwise.
    Program,
    /// A page at the top of content/ unless --section says otherwise.
    Page,
}

#[derive(Args)]
struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    kind: Kind,
    /// The page's title; the file is named after it (Läxhjälp på Bäckby → laxhjalp-pa-backby.md).
    title: String,
    /// The folder under content/ [default: program for a programme, none for a page]
    #[arg(long)]
    section: Option<String>,
    /// The site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: ROOT/public]
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Keep running and rebuild on every change to site.yaml, content/ or themes/.
    #[arg(long)]
    watch: bool,
    /// Print how long each stage took (load, model, render, write).
    #[arg(long)]
    timings: bool,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: ROOT/public]
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// The port to listen on (the next free one is taken when it is in use; 0: any).
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on; 0.0.0.0 makes the preview reachable from the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
}

fn request(site: SiteArgs, output: Option<PathBuf>) -> Request {
    let output = output.unwrap_or_else(|| site.root.join("public"));
    Request {
        root: site.root,
        output,
        overrides: config::Overrides {
            base_url: site.base_url,
            frozen: false,
        },
        drafts: site.drafts,
    }
}

/// Prints why a build stopped and returns the exit code: 1 for site errors, 2 otherwise.
fn report(failure: Failure) -> ExitCode {
    match failure {
        Failure::Site(diags) => {
            for line in messages::folded(&diags) {
                eprintln!("{line}");
            }
            eprintln!(
                "error: {}; nothing was written",
                messages::has_errors(&diags)
            );
            ExitCode::from(1)
        }
        Failure::Fatal(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// `serve`: bind first (so a busy port is reported at once), build, then serve and watch.
fn serve(args: ServeArgs) -> ExitCode {
    use std::sync::Arc;
    let req = request(args.site, args.output);
    let (server, addr) = match serve::bind(args.bind, args.port) {
        Ok(s) => s,
        Err(e) => return report(Failure::Fatal(e)),
    };
    if !args.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: anyone on your network can see the preview",
            args.bind
        );
    }
    let server = Arc::new(server);
    let shared = Arc::new(watch::Shared::default());
    let stop = stop_on_signal();
    let ready = || {
        let (server, shared, out) = (server.clone(), shared.clone(), req.output.clone());
        std::thread::spawn(move || serve::run(server, out, shared));
        watch::say!("serving http://{addr}/ (press Ctrl-C to stop)");
    };
    let result = watch::run(&req, &shared, &stop, ready);
    server.unblock();
    match result {
        Ok(()) => {
            watch::say!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => report(Failure::Fatal(e)),
    }
}

/// A flag that Ctrl-C or SIGTERM sets, so the watch loop can end cleanly.
fn stop_on_signal() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::Relaxed)) {
        eprintln!("warning: Ctrl-C will stop hallbar abruptly: {e}");
    }
    stop
}

/// `check`: every finding, sorted, as text or JSON lines; exit 1 on errors (or warnings
/// with --strict).
fn check(args: CheckArgs) -> ExitCode {
    let req = request(args.site, None);
    let findings = match pipeline::check(&req) {
        Ok(r) => r.warnings,
        Err(Failure::Site(all)) => all,
        Err(f) => return report(f),
    };
    for d in &findings {
        // A closed pipe (`hallbar check | head`) is not an error of the site.
        match args.format {
            Format::Text => watch::say!("{d}"),
            Format::Json => watch::say!("{}", d.to_json()),
        }
    }
    let count = |s| findings.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, notes) = (
        count(diag::Severity::Error),
        count(diag::Severity::Warning),
        count(diag::Severity::Note),
    );
    if args.format == Format::Text {
        eprintln!(
            "check: {}, {}, {}",
            messages::count(errors, "error", "errors"),
            messages::count(warnings, "warning", "warnings"),
            messages::count(notes, "note", "notes")
        );
    }
    if errors > 0 || (args.strict && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `archive`: freeze the current edition, or with --verify compare the frozen ones with
/// their manifests.
fn archive(args: ArchiveArgs) -> ExitCode {
    let root = args.site.root.clone();
    if args.verify {
        return match pipeline::verify_archive(&root) {
            Ok(found) => {
                for d in &found {
                    eprintln!("{d}");
                }
                if found.is_empty() {
                    if root.join(archive::FOLDER).is_dir() {
                        println!("archive: every frozen edition is as it was frozen");
                    } else {
                        println!("archive: the site has no archive/ folder, so nothing to verify");
                    }
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                }
            }
            Err(f) => report(f),
        };
    }
    let req = request(args.site, None);
    match pipeline::archive(&req) {
        Ok((summary, folder)) => {
            for line in messages::folded(&summary.warnings) {
                eprintln!("{line}");
            }
            println!(
                "froze {} pages into {}/; commit that folder: every build publishes it as it is",
                summary.pages,
                folder.to_string_lossy().replace('\\', "/")
            );
            ExitCode::SUCCESS
        }
        Err(f) => report(f),
    }
}

/// `build --watch`: build, then rebuild on every change until Ctrl-C.
fn build_watching(args: BuildArgs) -> ExitCode {
    let req = request(args.site, args.output);
    let shared = watch::Shared::default();
    let stop = stop_on_signal();
    match watch::run(&req, &shared, &stop, || {
        println!("watching for changes (press Ctrl-C to stop)")
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report(Failure::Fatal(e)),
    }
}

/// `build`: one build, its warnings, and a line saying what was built.
fn build(args: BuildArgs) -> ExitCode {
    let req = request(args.site, args.output);
    match pipeline::build(&req) {
        Ok(s) => {
            if args.timings {
                let parts: Vec<String> = s.timings.iter().map(ToString::to_string).collect();
                eprintln!("timings: {}", parts.join(", "));
            }
            for line in messages::folded(&s.warnings) {
                eprintln!("{line}");
            }
            if let Some(note) = messages::drafts(s.drafts) {
                eprintln!("{note}");
            }
            println!(
                "{}",
                messages::built(s.pages, s.metrics, s.elapsed.as_millis())
            );
            ExitCode::SUCCESS
        }
        Err(f) => report(f),
    }
}

/// `init`: a working example site in `dir`.
fn init(dir: PathBuf) -> ExitCode {
    match scaffold::init(&dir) {
        Ok(files) => {
            for f in &files {
                println!("created {}", f.display());
            }
            println!(
                "next: hallbar build --root {0}  (or hallbar serve --root {0})",
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => report(Failure::Fatal(e)),
    }
}

/// `new`: one page with every front matter key filled in or explained.
fn new(args: NewArgs) -> ExitCode {
    let section = args.section.unwrap_or_else(|| match args.kind {
        Kind::Program => "program".to_string(),
        Kind::Page => String::new(),
    });
    match scaffold::new_page(&args.root, &section, &args.title) {
        Ok(path) => {
            println!("created {}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => report(Failure::Fatal(e)),
    }
}

fn main() -> ExitCode {
    huge_pages_off();
    match Cli::parse().command {
        Command::Serve(args) => serve(args),
        Command::Build(args) if args.watch => build_watching(args),
        Command::Build(args) => build(args),
        Command::Check(args) => check(args),
        Command::Archive(args) => archive(args),
        Command::Init { dir } => init(dir),
        Command::New(args) => new(args),
    }
}
