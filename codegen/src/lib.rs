//! The contract generator: emitters and the `codegen` command line, on top of the contract
//! model (the `contract-model` crate: load → check → IR).
//!
//! - [`emit`]: Rust code (types, client, conformance cases) built with `quote` and formatted
//!   with `prettyplease`, so the same spec always gives byte-identical output.
//! - [`export`]: standalone JSON Schema documents for other stacks.
//! - [`docs`], [`drift`]: the vendor's doc pages read and compared with the spec (`docs-diff`).
//! - [`spec_diff`]: two versions of a spec compared for breaking changes (`diff`).
//! - [`cli`]: the subcommands.
//!
//! # The client pipeline
//!
//! [`spec::check::check`] → [`ir::build`] (operations) → [`ir::client::build`] (types) → the
//! emitters [`emit::types`] and [`emit::client`] → [`emit::generate_client`] returns the
//! formatted files with their provenance headers. `codegen generate` writes them; the
//! `frontpay-client` crate's build script includes them.
//!
//! This crate is a build-dependency of generated clients, never a runtime one.

pub mod cli;
pub mod docs;
pub mod drift;
pub mod emit;
pub mod export;
pub mod schema_view;
pub mod spec_diff;

// The contract model, re-exported so that `codegen::spec`, `codegen::ir` and
// `codegen::diagnostics` name the same items as `contract_model::…`.
pub use contract_model::{Diagnostic, Diagnostics, Spec, diagnostics, ir, spec};

/// The generator's version, written into every provenance header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
