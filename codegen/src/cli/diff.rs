//! `codegen diff`: the changes between two versions of the contract.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::Spec;
use crate::spec::check::check_document;
use crate::spec_diff;

pub use super::docs_diff::Format;

/// List the changes from OLD_SPEC to NEW_SPEC and classify each as breaking or not for users
/// of the generated client (a removed operation or field, a new required field, a narrowed
/// request type, a new enum value in a response, ...).
///
/// Exit 0 when nothing is breaking, 1 when something is, 2 when a spec cannot be read or does
/// not pass `codegen check` (without the samples folder: an old version taken from git has none).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The contract as it was.
    #[arg(value_name = "OLD_SPEC")]
    pub old: PathBuf,
    /// The contract as it is now.
    #[arg(value_name = "NEW_SPEC")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

fn load(path: &std::path::Path) -> Result<(Spec, crate::ir::Api), ExitCode> {
    let spec = Spec::load(path).map_err(|d| {
        super::report(&d);
        ExitCode::from(2)
    })?;
    match check_document(&spec) {
        Ok(api) => Ok((spec, api)),
        Err(d) => {
            super::report(&d);
            eprintln!("codegen: {} does not pass `codegen check`", path.display());
            Err(ExitCode::from(2))
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let (old, old_api) = match load(&args.old) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let (new, new_api) = match load(&args.new) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let changes = spec_diff::diff(&old, &old_api, &new, &new_api);
    if args.format == Format::Json {
        match serde_json::to_string_pretty(&changes) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("codegen: cannot write the report: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", spec_diff::render(&changes, &old, &new));
    }
    if changes.iter().any(|c| c.breaking) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
