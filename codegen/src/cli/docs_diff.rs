//! `codegen docs-diff`: what changed on the vendor's doc pages, against the spec.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::Spec;
use crate::docs::Page;
use crate::drift::{self, Errata};
use crate::spec::check::check;

/// Compare doc pages (markdown or its plain-text export) with the spec: endpoint, field table,
/// statuses, samples and their messages. Differences recorded in ERRATA.md are shown as known.
///
/// Exit 0 when every difference is known, 1 when there is unknown drift, 2 when the spec, the
/// errata or a page cannot be read.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The OpenAPI 3.1 spec to compare with.
    #[arg(long, default_value = super::DEFAULT_SPEC, value_name = "FILE")]
    pub spec: PathBuf,
    /// The errata listing known differences [default: ERRATA.md beside the spec].
    #[arg(long, value_name = "FILE")]
    pub errata: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The doc pages.
    #[arg(required = true, value_name = "DOC.md")]
    pub pages: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: Args) -> ExitCode {
    let spec = match Spec::load(&args.spec) {
        Ok(s) => s,
        Err(d) => {
            super::report(&d);
            return ExitCode::from(2);
        }
    };
    let api = match check(&spec) {
        Ok(a) => a,
        Err(d) => {
            super::report(&d);
            eprintln!("codegen: the spec does not pass `codegen check`; fix it before comparing");
            return ExitCode::from(2);
        }
    };
    let errata_path = args.errata.clone().unwrap_or_else(|| {
        spec.path
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("ERRATA.md")
    });
    let errata = if args.errata.is_none() && !errata_path.exists() {
        eprintln!(
            "codegen: no {} found: every difference counts as drift",
            errata_path.display()
        );
        Errata::default()
    } else {
        match Errata::load(&errata_path) {
            Ok(e) => e,
            Err(d) => {
                super::report(&d);
                return ExitCode::from(2);
            }
        }
    };
    let mut pages = Vec::new();
    for p in &args.pages {
        match Page::load(p) {
            Ok(page) => pages.push(page),
            Err(d) => {
                super::report(&d.into());
                return ExitCode::from(2);
            }
        }
    }
    let report = drift::compare(&spec, &api, &errata, &pages);
    match args.format {
        Format::Human => print!("{}", report.render()),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("codegen: cannot write the report: {e}");
                return ExitCode::from(2);
            }
        },
    }
    if report.unknown() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
