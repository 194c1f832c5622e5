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
//!
//! # YAML
//!
//! The spec is read with `yaml_serde`, imported under the name `serde_yaml`: the YAML
//! organisation's maintained fork of dtolnay's archived `serde_yaml`, with the same API (so
//! the code reads as plain serde + serde_yaml), syntax errors with line and column, and
//! regular releases. `serde_yml` was rejected (unsound, RustSec advisories), the other forks
//! are stale. Positions of values come from `saphyr-parser` events (see [`spec::lines`]).
//!
//! # The client pipeline
//!
//! [`spec::check::check`] → [`ir::build`] (operations) → [`ir::client::build`], which reads
//! the schemas with [`ir::schema_reader::Reader`] into the [`ir::types`] model → the
//! emitters [`emit::types`] and [`emit::client`] → [`emit::generate_client`] returns the
//! formatted files with their provenance headers. `codegen generate` writes them; the
//! `frontpay-client` crate's build script includes them.
//!
//! The type reader accepts a whitelist of keywords and idioms and refuses the rest with a
//! diagnostic and a hint, so a rule it does not understand is never widened into a looser
//! Rust type. Request types enforce every rule (validating newtypes, constructors per
//! `oneOf`/`anyOf` branch); response types are keyed by status code and keep values the
//! spec does not list.

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
