//! The frontpay contract generator.
//!
//! Data flows through visible stages, one module each:
//!
//! 1. [`spec`]: load the YAML (file, line index, SHA-256) and the typed OpenAPI envelope;
//!    [`spec::check`] runs every check on it.
//! 2. [`ir`]: the intermediate representation of operations, types, responses and samples.
//! 3. [`emit`]: Rust code (types, client, conformance cases) built with `quote` and formatted
//!    with `prettyplease`, so the same spec always gives byte-identical output.
//!
//! Every problem in the input is a [`diagnostics::Diagnostic`] naming file, line and JSON
//! pointer; no input makes the generator panic.

pub mod cli;
pub mod diagnostics;
pub mod docs;
pub mod drift;
pub mod emit;
pub mod export;
pub mod ir;
pub mod schema_view;
pub mod spec;
pub mod spec_diff;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use spec::Spec;

/// The generator's version, written into every provenance header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
