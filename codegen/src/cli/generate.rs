//! `codegen generate`: write the generated client code, as modules or as a whole crate.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::emit::generate_client;
use crate::emit::standalone::{RuntimeSource, generate_crate, valid_crate_name};

/// Generate the typed Rust client from the spec and write it to a folder.
///
/// Runs every check of `codegen check` first; a spec with problems produces no output.
/// Writes `types.rs` (one Rust type per schema: validated strings, structs, enums, and
/// request types that cannot be built invalid) and `client.rs` (the async client: one method
/// per operation, one error enum per operation keyed by status code), both on the
/// `contract-runtime` crate. Both start with a provenance header naming the generator
/// version and the spec's SHA-256; the same spec always gives byte-identical files.
///
/// With `--crate NAME` it writes a complete crate instead (`Cargo.toml`, `src/lib.rs`,
/// `src/types.rs`, `src/client.rs`, `README.md`) that builds with `cargo build` in that
/// folder. It depends on `contract-runtime` from this repository's checkout by default
/// (`--runtime-path`, `--runtime-version` or `--runtime-git` name it otherwise).
///
/// Exit 0 when the files were written, 1 when the spec has problems or an argument is
/// wrong, 2 when the files cannot be read or written.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The OpenAPI 3.0 or 3.1 spec to read.
    #[arg(long, default_value = super::DEFAULT_SPEC, value_name = "FILE")]
    pub spec: PathBuf,
    /// The folder to write into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write a complete crate with this name (else only `types.rs` and `client.rs`).
    #[arg(long = "crate", value_name = "NAME")]
    pub crate_name: Option<String>,
    /// With `--crate`: depend on the runtime crate in this folder.
    #[arg(long, value_name = "DIR", requires = "crate_name", group = "runtime")]
    pub runtime_path: Option<PathBuf>,
    /// With `--crate`: depend on this version of `contract-runtime` from the registry.
    #[arg(long, value_name = "VERSION", requires = "crate_name", group = "runtime")]
    pub runtime_version: Option<String>,
    /// With `--crate`: depend on `contract-runtime` from this git repository.
    #[arg(long, value_name = "URL", requires = "crate_name", group = "runtime")]
    pub runtime_git: Option<String>,
}

impl Args {
    fn runtime(&self) -> RuntimeSource {
        if let Some(v) = &self.runtime_version {
            RuntimeSource::Version(v.clone())
        } else if let Some(url) = &self.runtime_git {
            RuntimeSource::Git(url.clone())
        } else if let Some(p) = &self.runtime_path {
            RuntimeSource::Path(p.clone())
        } else {
            RuntimeSource::this_repository()
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    if let Some(name) = args.crate_name.as_deref().filter(|n| !valid_crate_name(n)) {
        eprintln!(
            "codegen: `{name}` cannot name a crate: use ASCII letters, digits, `-` and `_`, starting with a letter"
        );
        return ExitCode::from(1);
    }
    let spec = match super::load(&args.spec) {
        Ok(s) => s,
        Err(code) => return code,
    };
    super::warn(&spec.warnings);
    // Everything `check` says, warnings included (parameters ignored, methods renamed,
    // examples that do not match in a document without conformance cases).
    match crate::spec::check::check(&spec) {
        Ok(api) => super::warn(&api.warnings),
        Err(d) => return super::report(&d),
    }
    super::warn(&crate::ir::media::skipped(&spec));
    let files = match &args.crate_name {
        Some(name) => generate_crate(&spec, name, &args.runtime()),
        None => generate_client(&spec),
    };
    let files = match files {
        Ok(f) => f,
        Err(d) => return super::report(&d),
    };
    super::warn(&crate::emit::type_warnings(&spec));
    for f in &files {
        let path = args.out.join(&f.name);
        if let Some(dir) = path.parent()
            && let Err(e) = std::fs::create_dir_all(dir)
        {
            eprintln!("codegen: cannot create {}: {e}", dir.display());
            return ExitCode::from(2);
        }
        if let Err(e) = std::fs::write(&path, &f.contents) {
            eprintln!("codegen: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("wrote {} ({} lines)", path.display(), f.contents.lines().count());
    }
    ExitCode::SUCCESS
}
