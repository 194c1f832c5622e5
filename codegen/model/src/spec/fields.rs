//! The field lists of the OpenAPI 3.0.x and 3.1.x document model, walked over the raw document
//! before the typed parse.
//!
//! The walk reports every unknown field of the document at once (serde stops at the first), and
//! warns, located, about valid features the generator skips (`webhooks`, `callbacks`, `links`,
//! `xml`, `externalDocs`, extensions it does not read). Both versions' fields are accepted in
//! either version: real documents mix them, and neither changes what the client is.

use serde_json::Value;

use super::pointer::child;
use crate::diagnostics::Diagnostic;

/// The `x-` extensions this project reads; any other extension is skipped with a warning.
pub const OWN_EXTENSIONS: &[&str] = &[
    "x-replay",
    "x-docs",
    "x-corrected",
    "x-inferred",
    "x-resource",
    "x-pii",
    "x-destination",
    "x-token-env",
    "x-rate-limit",
    "x-error-envelope",
];

/// The objects of the document model whose fields are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    OpenApi,
    Info,
    Contact,
    License,
    Server,
    ServerVariable,
    Components,
    /// `paths`, `responses` and callbacks: maps whose keys are names, plus `x-` extensions.
    Paths,
    Responses,
    Callback,
    PathItem,
    Operation,
    ExternalDocs,
    Parameter,
    Header,
    RequestBody,
    MediaType,
    Encoding,
    Response,
    Example,
    Link,
    Tag,
    SecurityScheme,
    OAuthFlows,
    OAuthFlow,
    /// A Schema Object: its keywords are JSON Schema's, checked by the schema validator.
    Schema,
}

/// What a field holds.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// Anything (a scalar, free-form value or security requirement).
    Any,
    One(Kind),
    /// The object or a Reference Object.
    RefOr(Kind),
    List(Kind),
    RefOrList(Kind),
    /// A map from names to objects (component names, media types, header names...).
    Map(Kind),
    RefOrMap(Kind),
}

/// What the generator does with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Read,
    /// Valid, skipped, and skipping cannot make the client wrong: warn.
    Skip,
    /// Valid, only reachable through something refused or skipped elsewhere: no warning.
    Quiet,
}

use Kind as K;
use Shape as S;
use Use as U;

const PARAMETER_BODY: &[(&str, Shape, Use)] = &[
    ("description", S::Any, U::Read),
    ("required", S::Any, U::Read),
    ("deprecated", S::Any, U::Read),
    ("allowEmptyValue", S::Any, U::Read),
    ("style", S::Any, U::Read),
    ("explode", S::Any, U::Read),
    ("allowReserved", S::Any, U::Read),
    ("schema", S::One(K::Schema), U::Read),
    ("example", S::Any, U::Read),
    ("examples", S::RefOrMap(K::Example), U::Read),
    ("content", S::Map(K::MediaType), U::Read),
];

/// The fields of `kind`: its own, then those it shares with another object.
fn fields(kind: Kind) -> impl Iterator<Item = &'static (&'static str, Shape, Use)> {
    let shared: &[_] = match kind {
        // The Header Object is the Parameter Object without `name` and `in`.
        K::Parameter | K::Header => PARAMETER_BODY,
        _ => &[],
    };
    own_fields(kind).iter().chain(shared)
}

fn own_fields(kind: Kind) -> &'static [(&'static str, Shape, Use)] {
    match kind {
        K::OpenApi => &[
            ("openapi", S::Any, U::Read),
            ("info", S::One(K::Info), U::Read),
            ("jsonSchemaDialect", S::Any, U::Read),
            ("servers", S::List(K::Server), U::Read),
            ("paths", S::One(K::Paths), U::Read),
            ("webhooks", S::RefOrMap(K::PathItem), U::Skip),
            ("components", S::One(K::Components), U::Read),
            ("security", S::Any, U::Read),
            ("tags", S::List(K::Tag), U::Read),
            ("externalDocs", S::One(K::ExternalDocs), U::Skip),
        ],
        K::Info => &[
            ("title", S::Any, U::Read),
            ("summary", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("termsOfService", S::Any, U::Read),
            ("contact", S::One(K::Contact), U::Read),
            ("license", S::One(K::License), U::Read),
            ("version", S::Any, U::Read),
        ],
        K::Contact => &[
            ("name", S::Any, U::Read),
            ("url", S::Any, U::Read),
            ("email", S::Any, U::Read),
        ],
        K::License => &[
            ("name", S::Any, U::Read),
            ("identifier", S::Any, U::Read),
            ("url", S::Any, U::Read),
        ],
        K::Server => &[
            ("url", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("variables", S::Map(K::ServerVariable), U::Read),
        ],
        K::ServerVariable => &[
            ("enum", S::Any, U::Read),
            ("default", S::Any, U::Read),
            ("description", S::Any, U::Read),
        ],
        K::Components => &[
            ("schemas", S::Map(K::Schema), U::Read),
            ("responses", S::RefOrMap(K::Response), U::Read),
            ("parameters", S::RefOrMap(K::Parameter), U::Read),
            ("examples", S::RefOrMap(K::Example), U::Read),
            ("requestBodies", S::RefOrMap(K::RequestBody), U::Read),
            ("headers", S::RefOrMap(K::Header), U::Read),
            ("securitySchemes", S::RefOrMap(K::SecurityScheme), U::Read),
            ("links", S::RefOrMap(K::Link), U::Quiet),
            ("callbacks", S::RefOrMap(K::Callback), U::Quiet),
            ("pathItems", S::RefOrMap(K::PathItem), U::Quiet),
        ],
        K::Paths | K::Responses | K::Callback | K::Schema => &[],
        K::PathItem => &[
            ("$ref", S::Any, U::Read),
            ("summary", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("get", S::One(K::Operation), U::Read),
            ("put", S::One(K::Operation), U::Read),
            ("post", S::One(K::Operation), U::Read),
            ("delete", S::One(K::Operation), U::Read),
            ("options", S::One(K::Operation), U::Read),
            ("head", S::One(K::Operation), U::Read),
            ("patch", S::One(K::Operation), U::Read),
            ("trace", S::One(K::Operation), U::Read),
            ("servers", S::List(K::Server), U::Read),
            ("parameters", S::RefOrList(K::Parameter), U::Read),
        ],
        K::Operation => &[
            ("tags", S::Any, U::Read),
            ("summary", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("externalDocs", S::One(K::ExternalDocs), U::Skip),
            ("operationId", S::Any, U::Read),
            ("parameters", S::RefOrList(K::Parameter), U::Read),
            ("requestBody", S::RefOr(K::RequestBody), U::Read),
            ("responses", S::One(K::Responses), U::Read),
            ("callbacks", S::RefOrMap(K::Callback), U::Skip),
            ("deprecated", S::Any, U::Read),
            ("security", S::Any, U::Read),
            ("servers", S::List(K::Server), U::Read),
        ],
        K::ExternalDocs => &[("description", S::Any, U::Read), ("url", S::Any, U::Read)],
        K::Parameter => &[("name", S::Any, U::Read), ("in", S::Any, U::Read)],
        K::Header => &[],
        K::RequestBody => &[
            ("description", S::Any, U::Read),
            ("content", S::Map(K::MediaType), U::Read),
            ("required", S::Any, U::Read),
        ],
        K::MediaType => &[
            ("schema", S::One(K::Schema), U::Read),
            ("example", S::Any, U::Read),
            ("examples", S::RefOrMap(K::Example), U::Read),
            ("encoding", S::Map(K::Encoding), U::Read),
        ],
        K::Encoding => &[
            ("contentType", S::Any, U::Read),
            ("headers", S::RefOrMap(K::Header), U::Read),
            ("style", S::Any, U::Read),
            ("explode", S::Any, U::Read),
            ("allowReserved", S::Any, U::Read),
        ],
        K::Response => &[
            ("description", S::Any, U::Read),
            ("headers", S::RefOrMap(K::Header), U::Read),
            ("content", S::Map(K::MediaType), U::Read),
            ("links", S::RefOrMap(K::Link), U::Skip),
        ],
        K::Example => &[
            ("summary", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("value", S::Any, U::Read),
            ("externalValue", S::Any, U::Read),
        ],
        K::Link => &[
            ("operationRef", S::Any, U::Read),
            ("operationId", S::Any, U::Read),
            ("parameters", S::Any, U::Read),
            ("requestBody", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("server", S::One(K::Server), U::Read),
        ],
        K::Tag => &[
            ("name", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("externalDocs", S::One(K::ExternalDocs), U::Skip),
        ],
        K::SecurityScheme => &[
            ("type", S::Any, U::Read),
            ("description", S::Any, U::Read),
            ("name", S::Any, U::Read),
            ("in", S::Any, U::Read),
            ("scheme", S::Any, U::Read),
            ("bearerFormat", S::Any, U::Read),
            ("flows", S::One(K::OAuthFlows), U::Read),
            ("openIdConnectUrl", S::Any, U::Read),
        ],
        K::OAuthFlows => &[
            ("implicit", S::One(K::OAuthFlow), U::Read),
            ("password", S::One(K::OAuthFlow), U::Read),
            ("clientCredentials", S::One(K::OAuthFlow), U::Read),
            ("authorizationCode", S::One(K::OAuthFlow), U::Read),
        ],
        K::OAuthFlow => &[
            ("authorizationUrl", S::Any, U::Read),
            ("tokenUrl", S::Any, U::Read),
            ("refreshUrl", S::Any, U::Read),
            ("scopes", S::Any, U::Read),
        ],
    }
}

/// The fields a Reference Object may carry; other siblings are ignored by OpenAPI.
const REFERENCE_FIELDS: &[&str] = &["$ref", "summary", "description"];

/// Schema keywords whose value is one schema (this list and the two below are the one record
/// of where subschemas sit, for every walk over schemas).
pub const SCHEMA_ONE: &[&str] = &[
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "contentSchema",
];
/// Schema keywords whose value is a list of schemas.
pub const SCHEMA_LIST: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Schema keywords whose value maps names to schemas.
pub const SCHEMA_MAP: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// OpenAPI's additions to a Schema Object that the client does not generate.
const SCHEMA_SKIPPED: &[&str] = &["xml", "externalDocs"];

/// Walks the raw document. `diag` builds a located diagnostic at a pointer; the result holds
/// errors (unknown fields, refused constructs) and warnings (skipped features), in document order.
pub fn walk(doc: &Value, diag: &dyn Fn(&str, String) -> Diagnostic) -> Vec<Diagnostic> {
    let mut walker = Walker {
        diag,
        out: Vec::new(),
    };
    walker.object(doc, K::OpenApi, "", true);
    walker.out
}

struct Walker<'a> {
    diag: &'a dyn Fn(&str, String) -> Diagnostic,
    out: Vec<Diagnostic>,
}

impl Walker<'_> {
    fn warn(&mut self, at: &str, message: String) {
        let d = (self.diag)(at, message).warning();
        self.out.push(d);
    }

    fn error(&mut self, at: &str, message: String, hint: &str) {
        let d = (self.diag)(at, message).hint(hint);
        self.out.push(d);
    }

    /// An `x-` extension: read by this project or skipped with a warning.
    fn extension(&mut self, key: &str, at: &str, generated: bool) {
        if generated && !OWN_EXTENSIONS.contains(&key) {
            self.warn(
                at,
                format!("extension `{key}` is not read by the generator: skipped"),
            );
        }
    }

    fn shape(&mut self, value: &Value, shape: Shape, at: &str, generated: bool) {
        match shape {
            S::Any => {}
            S::One(kind) => self.object(value, kind, at, generated),
            S::RefOr(kind) => self.ref_or(value, kind, at, generated),
            S::List(kind) | S::RefOrList(kind) => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    let p = format!("{at}/{i}");
                    match shape {
                        S::List(_) => self.object(item, kind, &p, generated),
                        _ => self.ref_or(item, kind, &p, generated),
                    }
                }
            }
            S::Map(kind) | S::RefOrMap(kind) => {
                for (name, item) in value.as_object().into_iter().flatten() {
                    let p = child(at, &[name]);
                    match shape {
                        S::Map(_) => self.object(item, kind, &p, generated),
                        _ => self.ref_or(item, kind, &p, generated),
                    }
                }
            }
        }
    }

    fn ref_or(&mut self, value: &Value, kind: Kind, at: &str, generated: bool) {
        // A path item's own `$ref` is a field of the Path Item Object, not a Reference Object.
        let Some(map) = value
            .as_object()
            .filter(|m| m.contains_key("$ref") && kind != K::PathItem)
        else {
            return self.object(value, kind, at, generated);
        };
        for key in map.keys() {
            let p = child(at, &[key]);
            if key.starts_with("x-") {
                self.extension(key, &p, generated);
            } else if !REFERENCE_FIELDS.contains(&key.as_str()) && generated {
                self.warn(
                    &p,
                    format!("`{key}` next to a `$ref` is ignored (OpenAPI ignores a reference's siblings)"),
                );
            }
        }
    }

    fn object(&mut self, value: &Value, kind: Kind, at: &str, generated: bool) {
        let Some(map) = value.as_object() else {
            return; // a wrong type is reported by the typed parse
        };
        if kind == K::Schema {
            return self.schema(value, at, generated);
        }
        if kind == K::Info && !map.contains_key("version") {
            self.warn(
                at,
                "`info` has no `version`, which OpenAPI requires: the output carries an empty version"
                    .to_string(),
            );
        }
        for (key, v) in map {
            let p = child(at, &[key]);
            if key.starts_with("x-") {
                self.extension(key, &p, generated);
                continue;
            }
            match kind {
                K::Paths | K::Callback => self.object(v, K::PathItem, &p, generated),
                K::Responses => self.ref_or(v, K::Response, &p, generated),
                _ => {
                    match fields(kind).find(|(name, _, _)| name == key) {
                        Some(&(_, shape, usage)) => {
                            if usage == U::Skip && generated {
                                self.warn(
                                &p,
                                format!("`{key}` is valid OpenAPI but the client does not generate it: skipped"),
                            );
                            }
                            self.shape(v, shape, &p, generated && usage == U::Read);
                        }
                        None => self.error(
                            &p,
                            format!(
                                "not a valid OpenAPI document: unknown field `{key}` in {}",
                                name(kind)
                            ),
                            &format!("the fields of {} are {}", name(kind), list(kind)),
                        ),
                    }
                }
            }
        }
    }

    /// Schemas: JSON Schema keywords are checked elsewhere; only OpenAPI's skipped additions warn.
    fn schema(&mut self, value: &Value, at: &str, generated: bool) {
        let Some(map) = value.as_object() else {
            return;
        };
        for (key, v) in map {
            let p = child(at, &[key]);
            let key = key.as_str();
            if SCHEMA_SKIPPED.contains(&key) && generated {
                self.warn(
                    &p,
                    format!("`{key}` is valid OpenAPI but the client does not generate it: skipped"),
                );
            } else if SCHEMA_ONE.contains(&key) {
                self.schema(v, &p, generated);
            } else if SCHEMA_LIST.contains(&key) {
                for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                    self.schema(item, &format!("{p}/{i}"), generated);
                }
            } else if SCHEMA_MAP.contains(&key) {
                for (name, item) in v.as_object().into_iter().flatten() {
                    self.schema(item, &child(&p, &[name]), generated);
                }
            }
        }
    }
}

/// Where a reference sits, found by [`ref_sites`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefSite {
    /// The object holding `$ref` (or, for a discriminator mapping, the mapping entry).
    pub pointer: String,
    /// What the reference must lead to.
    pub kind: Kind,
    /// A `discriminator.mapping` value (a string that may be a reference), not a `$ref`.
    pub mapping: bool,
}

impl Kind {
    /// The `components` section that holds objects of this kind, if any.
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            K::Schema => "schemas",
            K::Response => "responses",
            K::Parameter => "parameters",
            K::Example => "examples",
            K::RequestBody => "requestBodies",
            K::Header => "headers",
            K::SecurityScheme => "securitySchemes",
            K::Link => "links",
            K::Callback => "callbacks",
            _ => return None,
        })
    }

    /// The kind of a whole OpenAPI document.
    pub fn document() -> Kind {
        K::OpenApi
    }
}

/// Every reference in `value` (an object of `kind`), with the kind it must lead to, in document
/// order. Follows the same field lists as [`walk`], skipped parts included; `x-` extensions and
/// free-form values (examples) are data, never followed.
pub fn ref_sites(value: &Value, kind: Kind) -> Vec<RefSite> {
    let mut out = Vec::new();
    sites_in(value, kind, "", &mut out);
    out
}

fn sites_in(value: &Value, kind: Kind, at: &str, out: &mut Vec<RefSite>) {
    let Some(map) = value.as_object() else { return };
    if map.contains_key("$ref") {
        out.push(RefSite {
            pointer: at.to_string(),
            kind,
            mapping: false,
        });
        // A Reference Object has nothing else to follow; a schema or path item may.
        if kind != K::Schema && kind != K::PathItem {
            return;
        }
    }
    if kind == K::Schema {
        for (key, v) in map {
            let p = child(at, &[key]);
            if SCHEMA_ONE.contains(&key.as_str()) {
                sites_in(v, K::Schema, &p, out);
            } else if SCHEMA_LIST.contains(&key.as_str()) {
                for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                    sites_in(item, K::Schema, &format!("{p}/{i}"), out);
                }
            } else if SCHEMA_MAP.contains(&key.as_str()) {
                for (name, item) in v.as_object().into_iter().flatten() {
                    sites_in(item, K::Schema, &child(&p, &[name]), out);
                }
            } else if key == "discriminator" {
                for (name, _) in v.get("mapping").and_then(Value::as_object).into_iter().flatten() {
                    out.push(RefSite {
                        pointer: child(&p, &["mapping", name]),
                        kind: K::Schema,
                        mapping: true,
                    });
                }
            }
        }
        return;
    }
    for (key, v) in map {
        if key.starts_with("x-") {
            continue;
        }
        let p = child(at, &[key]);
        match kind {
            K::Paths | K::Callback => sites_in(v, K::PathItem, &p, out),
            K::Responses => sites_in(v, K::Response, &p, out),
            _ => {
                let Some(&(_, shape, _)) = fields(kind).find(|(name, _, _)| name == key) else {
                    continue;
                };
                match shape {
                    S::Any => {}
                    S::One(k) | S::RefOr(k) => sites_in(v, k, &p, out),
                    S::List(k) | S::RefOrList(k) => {
                        for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                            sites_in(item, k, &format!("{p}/{i}"), out);
                        }
                    }
                    S::Map(k) | S::RefOrMap(k) => {
                        for (name, item) in v.as_object().into_iter().flatten() {
                            sites_in(item, k, &child(&p, &[name]), out);
                        }
                    }
                }
            }
        }
    }
}

/// The object's name as the OpenAPI specification writes it.
fn name(kind: Kind) -> String {
    let spaced: String = match kind {
        K::OpenApi => return "the OpenAPI Object".to_string(),
        K::OAuthFlows => "OAuth Flows".to_string(),
        K::OAuthFlow => "OAuth Flow".to_string(),
        _ => format!("{kind:?}")
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                (i > 0 && c.is_ascii_uppercase())
                    .then_some(' ')
                    .into_iter()
                    .chain([c])
            })
            .collect(),
    };
    let article = if spaced.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {spaced} Object")
}

fn list(kind: Kind) -> String {
    let names: Vec<String> = fields(kind).map(|(n, _, _)| format!("`{n}`")).collect();
    format!("{} and `x-` extensions", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(doc: Value) -> Vec<Diagnostic> {
        walk(&doc, &|at, message| Diagnostic::new("t.yaml", at, message))
    }

    #[test]
    fn inside_a_skipped_part_typos_are_errors_and_nothing_else_warns() {
        let found = run(json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "webhooks": {"ping": {
                "$ref": "#/components/pathItems/ping",
                "post": {"x-team": "a", "responses": {"200": {"descriptoin": "x"}}}
            }}
        }));
        let seen: Vec<(&str, bool)> = found
            .iter()
            .map(|d| (d.pointer.as_str(), d.is_warning()))
            .collect();
        assert_eq!(
            seen,
            [
                ("/webhooks", true),
                ("/webhooks/ping/post/responses/200/descriptoin", false)
            ],
            "{found:?}"
        );
        assert!(found[1].message.contains("in a Response Object"), "{}", found[1]);
    }

    #[test]
    fn reference_siblings_warn_and_path_item_refs_are_left_to_the_loader() {
        let found = run(json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/a": {"$ref": "#/x"},
                "/b": {"get": {"parameters": [{"$ref": "#/p", "required": true}], "responses": {}}}
            }
        }));
        let seen: Vec<(&str, bool)> = found
            .iter()
            .map(|d| (d.pointer.as_str(), d.is_warning()))
            .collect();
        assert_eq!(
            seen,
            [("/paths/~1b/get/parameters/0/required", true)],
            "{found:?}"
        );
    }

    #[test]
    fn objects_are_named_as_the_specification_does() {
        assert_eq!(name(K::Operation), "an Operation Object");
        assert_eq!(name(K::PathItem), "a Path Item Object");
        assert_eq!(name(K::OAuthFlows), "an OAuth Flows Object");
        assert_eq!(name(K::OpenApi), "the OpenAPI Object");
    }
}
