//! Compiled JSON Schema validators for any schema in the spec.
//!
//! One place decides how the project validates payloads: draft 2020-12, format assertions on
//! (`format: email` with a fast path, [`super::email`]), `$ref`s resolved inside the spec only
//! (no network, no files), patterns as the Rust engines should see them ([`super::patterns`]).
//! The checks, the mock, the conformance runner and `conformance validate` all compile their
//! validators here; the embedded contract adds verdicts generated at build time ([`Prebuilt`]).

use std::sync::Arc;

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Value, json};

use super::Spec;
use super::patterns::Originals;
use crate::diagnostics::Diagnostic;

/// The base URI under which the whole spec document is registered.
pub const SPEC_URI: &str = "urn:frontpay:spec";

/// Characters a JSON pointer may keep in a URI fragment (RFC 3986 `pchar` and `/`).
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b':')
    .remove(b'@');

/// A JSON pointer as a URI fragment (paths hold `{`, `}` and other characters URIs escape).
fn fragment(pointer: &str) -> String {
    percent_encoding::utf8_percent_encode(pointer, FRAGMENT).to_string()
}

/// One rule a document broke.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SchemaError {
    /// JSON pointer into the validated document (empty for the whole document).
    pub instance_pointer: String,
    /// JSON pointer of the broken keyword, from the root of the validated schema.
    pub keyword_pointer: String,
    /// The keyword that failed (`required`, `pattern`, `oneOf`, ...).
    pub keyword: String,
    pub message: String,
}

/// A verdict generated at build time (`#[jsonschema::validator]`) for the schema at `pointer`
/// of one known spec. Only the verdict: error reports keep coming from the runtime validator,
/// because the generated `iter_errors` leaves out errors it deems redundant (a `type` error
/// beside a failing `enum` of the same schema), which would change `conformance validate`'s
/// report. The verdict is the hot path; errors are only collected for invalid documents.
#[derive(Clone, Copy)]
pub struct Prebuilt {
    pub pointer: &'static str,
    pub is_valid: fn(&Value) -> bool,
}

/// The spec registered once, from which validators for any schema pointer are built.
pub struct SchemaRegistry {
    registry: Registry<'static>,
    /// Patterns rewritten for the Rust engines → as the spec wrote them.
    originals: Arc<Originals>,
    /// Verdicts generated at build time for this very spec, used instead of the compiled ones.
    prebuilt: &'static [Prebuilt],
}

impl SchemaRegistry {
    pub fn new(spec: &Spec) -> Result<Self, Diagnostic> {
        let mut doc = spec.doc.clone();
        let mut originals = Originals::new();
        super::patterns::rewrite(&mut doc, &mut originals);
        let resource = Draft::Draft202012.create_resource(doc);
        let registry = Registry::new()
            .add(SPEC_URI, resource)
            .and_then(|b| b.prepare())
            .map_err(|e| spec.diag("", format!("cannot index the spec's schemas: {e}")))?;
        Ok(SchemaRegistry {
            registry,
            originals: Arc::new(originals),
            prebuilt: &[],
        })
    }

    /// Gives the validators [`Self::compile`] builds for the pointers `prebuilt` covers their
    /// verdict from there. Only for the spec the verdicts were generated from (the embedded
    /// contract); the caller vouches for that.
    pub fn with_prebuilt(mut self, prebuilt: &'static [Prebuilt]) -> Self {
        self.prebuilt = prebuilt;
        self
    }

    /// Compiles the schema found at `pointer` in the spec (for example
    /// `/components/schemas/ResendRequest`). Errors name the pointer and YAML line.
    pub fn compile(&self, spec: &Spec, pointer: &str) -> Result<CompiledSchema, Diagnostic> {
        if spec.at(pointer).is_none() {
            return Err(spec.diag(pointer, format!("no schema at {pointer}")));
        }
        let wrapper = wrapper(pointer);
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .with_keyword("pattern", super::lookahead::keyword(Arc::clone(&self.originals)))
            .with_format(super::email::FORMAT, super::email::is_valid)
            .with_registry(&self.registry)
            .build(&wrapper)
            .map_err(|e| {
                // The wrapper only refers into the registered spec, so the error's location is
                // already a pointer into the spec document (not relative to `pointer`).
                let inside = e.instance_path().as_str();
                let at = if !inside.is_empty() && spec.at(inside).is_some() {
                    inside
                } else {
                    pointer
                };
                spec.diag(at, format!("invalid schema: {e}"))
                    .hint("the schema must be valid JSON Schema 2020-12")
            })?;
        Ok(CompiledSchema {
            pointer: pointer.to_string(),
            validator,
            prebuilt: self
                .prebuilt
                .iter()
                .find(|p| p.pointer == pointer)
                .map(|p| p.is_valid),
        })
    }
}

/// The schema a validator for `pointer` is built from: a `$ref` into the registered spec.
/// Build-time validators start from the same document, so both report the same paths.
pub fn wrapper(pointer: &str) -> Value {
    json!({ "$ref": format!("{SPEC_URI}#{}", fragment(pointer)) })
}

/// A validator for one schema of the spec.
pub struct CompiledSchema {
    /// Where the schema lives in the spec.
    pub pointer: String,
    validator: Validator,
    /// The verdict generated at build time, when there is one ([`Prebuilt`]).
    prebuilt: Option<fn(&Value) -> bool>,
}

impl std::fmt::Debug for CompiledSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledSchema")
            .field("pointer", &self.pointer)
            .finish()
    }
}

impl CompiledSchema {
    pub fn is_valid(&self, instance: &Value) -> bool {
        match self.prebuilt {
            Some(is_valid) => is_valid(instance),
            None => self.validator.is_valid(instance),
        }
    }

    /// Whether the verdict was generated at build time (rather than compiled at load).
    pub fn is_prebuilt(&self) -> bool {
        self.prebuilt.is_some()
    }

    /// Every rule `instance` breaks, in the validator's order.
    pub fn errors(&self, instance: &Value) -> Vec<SchemaError> {
        // Most documents are valid: the verdict alone is far cheaper than collecting errors
        // (which evaluates every branch of an `anyOf`/`oneOf`).
        if self.is_valid(instance) {
            return Vec::new();
        }
        self.validator
            .iter_errors(instance)
            .map(|e| {
                // The wrapper adds one `$ref` hop in front of every keyword location.
                let keyword_pointer = e
                    .schema_path()
                    .as_str()
                    .strip_prefix("/$ref")
                    .unwrap_or(e.schema_path().as_str())
                    .to_string();
                let keyword = keyword_pointer.rsplit('/').next().unwrap_or("").to_string();
                // `pattern` errors name the pattern as the spec wrote it (spec::lookahead).
                SchemaError {
                    instance_pointer: e.instance_path().as_str().to_string(),
                    keyword_pointer,
                    keyword,
                    message: e.to_string(),
                }
            })
            .collect()
    }
}
