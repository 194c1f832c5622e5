//! The embedded contract's validators, generated at build time from the spec (build.rs writes
//! one `#[jsonschema::validator]` per schema the contract validates). Specs loaded with
//! `--spec` compile theirs at run time; `tests/prebuilt_equivalence.rs` checks that both
//! kinds give the same verdicts and errors.

use contract_model::spec::validators::Prebuilt;

include!(concat!(env!("OUT_DIR"), "/prebuilt_validators.rs"));
