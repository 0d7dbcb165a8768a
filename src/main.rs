//! hallbar: a static-site generator for sustainability reports. This file is the command
//! line only: it parses arguments, runs the pipeline, prints messages and sets the exit code.

mod config;
mod diag;
mod frontmatter;
mod i18n;
mod load;
mod markdown;
mod metrics;
mod model;
mod pipeline;
mod render;
mod shortcode;
mod slug;
mod suggest;
mod theme;
mod write;
mod yaml;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::diag::Failure;
use crate::pipeline::Request;

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
    /// Check the site for errors without writing anything.
    ///
    /// Example: hallbar check --root min-rapport
    Check(SiteArgs),
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
struct BuildArgs {
    #[command(flatten)]
    site: SiteArgs,
    /// Where to write the site [default: ROOT/public]
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
}

fn request(site: SiteArgs, output: Option<PathBuf>) -> Request {
    let output = output.unwrap_or_else(|| site.root.join("public"));
    Request {
        root: site.root,
        output,
        overrides: config::Overrides {
            base_url: site.base_url,
        },
        drafts: site.drafts,
    }
}

/// Prints why a build stopped and returns the exit code: 1 for site errors, 2 otherwise.
fn report(failure: Failure) -> ExitCode {
    match failure {
        Failure::Site(diags) => {
            for d in &diags {
                eprintln!("{d}");
            }
            let n = diags.len();
            eprintln!(
                "error: the site has {n} {}; nothing was written",
                if n == 1 { "error" } else { "errors" }
            );
            ExitCode::from(1)
        }
        Failure::Fatal(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let req = request(args.site, args.output);
            match pipeline::build(&req) {
                Ok(s) => {
                    println!(
                        "built {} {}, {} {} in {} ms",
                        s.pages,
                        if s.pages == 1 { "page" } else { "pages" },
                        s.metrics,
                        if s.metrics == 1 { "metric" } else { "metrics" },
                        s.elapsed.as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(f) => report(f),
            }
        }
        Command::Check(site) => {
            let req = request(site, None);
            match pipeline::render(&req) {
                Ok((out, metrics)) => {
                    println!("ok: {} pages, {metrics} metrics, no errors", out.pages);
                    ExitCode::SUCCESS
                }
                Err(f) => report(f),
            }
        }
    }
}
