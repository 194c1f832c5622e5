//! The contract model: everything known about an OpenAPI contract, and nothing about what is
//! generated from it.
//!
//! Data flows through visible stages, one module each:
//!
//! 1. [`spec`]: load the YAML (file, line index, SHA-256) and the typed OpenAPI envelope;
//!    [`spec::check`] runs every check on it; [`spec::replay`] reads the conformance replay
//!    plans; [`spec::validators`] compiles the schemas into JSON Schema validators.
//!    [`spec::resolve`] is the one `$ref` resolver (chains bounded, cycles refused) and
//!    [`spec::pointer`] the one JSON-pointer escaper: every crate goes through them.
//! 2. [`ir`]: the intermediate representation of operations, types, responses and samples.
//! 3. [`cases`]: the conformance cases the `x-replay` plans describe.
//! 4. [`routes`]: the one route matcher (method + concrete path → operation), for mocks and
//!    runners.
//!
//! Emitters (the `codegen` crate), the mock and the conformance runner build on this crate;
//! it links no code generator (no `syn`, `quote` or `prettyplease`).
//!
//! Every problem in the input is a [`diagnostics::Diagnostic`] naming file, line and JSON
//! pointer; no input makes the loader panic.
//!
//! # YAML
//!
//! The spec is read with `yaml_serde`, imported under the name `serde_yaml`: the YAML
//! organisation's maintained fork of dtolnay's archived `serde_yaml`, with the same API (so
//! the code reads as plain serde + serde_yaml), syntax errors with line and column, and
//! regular releases. `serde_yml` was rejected (unsound, RustSec advisories), the other forks
//! are stale. Positions of values come from `saphyr-parser` events (see [`spec::lines`]).
//! Every YAML input (the spec, a conformance profile) goes through [`spec::yaml`], which
//! refuses nesting deeper than [`spec::yaml::MAX_DEPTH`] before the value parser, whose
//! scanner is quadratic in the depth, sees the text.
//!
//! # Types
//!
//! [`ir::client::build`] reads the schemas with [`ir::schema_reader::Reader`] into the
//! [`ir::types`] model: formats, nullability (3.0 and 3.1 spellings), `allOf` merges,
//! `oneOf`/`anyOf` (request choices, discriminated and untagged unions), string and integer
//! enums, maps, recursion. What the types cannot state but that cannot make them wrong
//! (conditional rules, numeric bounds) is a located warning in [`ir::types::TypeSpace::warnings`];
//! a schema no Rust type fits is refused, located. Request types are closed; response types
//! keep enum values and union tags the spec does not list. Every Rust name comes from
//! [`ir::names`].

pub mod cases;
pub mod diagnostics;
pub mod ir;
pub mod routes;
pub mod spec;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use spec::Spec;
