//! `codegen generate`: write the generated client code.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::emit::generate_client;

/// Generate the typed Rust client from the spec and write it to a folder.
///
/// Runs every check of `codegen check` first; a spec with problems produces no output.
/// Writes `types.rs` (one Rust type per schema: validating newtypes, structs, enums, and
/// request types that cannot be built invalid) and `client.rs` (the async reqwest client:
/// one method per operation, one error enum per operation keyed by status code). Both start
/// with a provenance header naming the generator version and the spec's SHA-256; the same
/// spec always gives byte-identical files. The `frontpay-client` crate generates the same
/// code at build time; this command is for reviewing it or checking it in.
///
/// Exit 0 when the files were written, 1 when the spec has problems, 2 when the files
/// cannot be read or written.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The OpenAPI 3.1 spec to read.
    #[arg(long, default_value = super::DEFAULT_SPEC, value_name = "FILE")]
    pub spec: PathBuf,
    /// The folder to write `types.rs` and `client.rs` into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let spec = match super::load(&args.spec) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let files = match generate_client(&spec) {
        Ok(f) => f,
        Err(d) => return super::report(&d),
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("codegen: cannot create {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    for f in &files {
        let path = args.out.join(&f.name);
        if let Err(e) = std::fs::write(&path, &f.contents) {
            eprintln!("codegen: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("wrote {} ({} lines)", path.display(), f.contents.lines().count());
    }
    ExitCode::SUCCESS
}
