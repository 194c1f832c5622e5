//! `codegen schemas`: export the request and response body schemas as standalone documents.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::export::{self, REGENERATE};
use crate::spec::check::check;

/// Write one standalone JSON Schema 2020-12 document per request and response body schema,
/// plus index.json (operation → request file, status → response file).
///
/// Each document has `$id` `https://frontpay-contract.local/schemas/<file>`, keeps titles and
/// descriptions, and bundles every `$ref` into its own `$defs`. With --check nothing is
/// written: exit 1 if the folder differs from what the spec gives. Exit 2 when a file cannot
/// be read or written.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The OpenAPI 3.0 or 3.1 document to export from.
    #[arg(long, default_value = super::DEFAULT_SPEC, value_name = "FILE")]
    pub spec: PathBuf,
    /// The folder to write (its other *.json files are removed).
    #[arg(long, default_value = "spec/schemas", value_name = "DIR")]
    pub out: PathBuf,
    /// Only compare the folder with the export; exit 1 when it is stale.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: Args) -> ExitCode {
    let spec = match super::load(&args.spec) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let files = match check(&spec).and_then(|api| export::export(&spec, &api)) {
        Ok(f) => f,
        Err(d) => return super::report(&d),
    };
    let out = args.out.display();
    if args.check {
        return match export::stale(&args.out, &files) {
            Ok(s) if s.is_empty() => {
                println!("{out}: up to date ({} files)", files.len());
                ExitCode::SUCCESS
            }
            Ok(s) => {
                for problem in &s {
                    eprintln!("{out}/{problem}");
                }
                eprintln!("{out} is stale against {}: run `{REGENERATE}`", spec.file());
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("codegen: cannot read {out}: {e}");
                ExitCode::from(2)
            }
        };
    }
    match export::write(&args.out, &files) {
        Ok(()) => {
            println!("{out}: wrote {} files", files.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("codegen: cannot write {out}: {e}");
            ExitCode::from(2)
        }
    }
}
