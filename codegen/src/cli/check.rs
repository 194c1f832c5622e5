//! `codegen check`: run every spec check.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::spec::check::check;

/// Run every check on the spec: YAML syntax, OpenAPI structure, `$ref`s (sibling files
/// included), schemas, examples against their schemas, the client's types, and, for a spec
/// that uses `x-replay`, the replay plans and the samples/ corpus beside the spec.
///
/// A spec that passes generates. Findings that concern one output only say which.
///
/// Valid features the client skips (webhooks, callbacks, links, ...) are printed as warnings.
/// Exit 0 when the spec passes (warnings only), 1 when it has problems (each printed with file:line:column
/// and JSON pointer), 2 when the file cannot be read.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The OpenAPI 3.0 or 3.1 spec to check.
    #[arg(long, default_value = super::DEFAULT_SPEC, value_name = "FILE")]
    pub spec: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let spec = match super::load(&args.spec) {
        Ok(s) => s,
        Err(code) => return code,
    };
    super::warn(&spec.warnings);
    super::warn(&crate::ir::media::skipped(&spec));
    match check(&spec) {
        Ok(api) => {
            super::warn(&api.warnings);
            super::warn(&crate::emit::type_warnings(&spec));
            let examples: usize = api
                .operations
                .iter()
                .flat_map(|o| &o.responses)
                .map(|r| r.examples.len())
                .sum();
            let files = match spec.sources.files.len() {
                1 => String::new(),
                n => format!(", {n} files"),
            };
            let outputs = if crate::spec::check::derives_cases(&api) {
                "client, schemas and conformance cases (x-replay)"
            } else {
                "client and schemas (no x-replay: no conformance cases)"
            };
            println!(
                "{}: ok ({} operations, {} response examples{files}, sha256 {}): {outputs}",
                spec.file(),
                api.operations.len(),
                examples,
                &spec.sha256[..12]
            );
            ExitCode::SUCCESS
        }
        Err(d) => super::report(&d),
    }
}
