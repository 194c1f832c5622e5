//! The client IR: the operation IR joined with the type IR. For each operation, the Rust types
//! of its path parameters, body and responses, and the name of each response's variant.
//!
//! Response variants are keyed by status code and named, in this order of preference, after
//! the response component (`#/components/responses/NotFound` → `NotFound`), after the body's
//! schema component without a `Response` suffix (`OrderConflictResponse` → `OrderConflict`),
//! or after the status's reason phrase (`417` → `ExpectationFailed`).
//!
//! Names the runtime and the generated code's fixed parts already use come from
//! [`contract_runtime::names`], where they are defined; a spec name that would take one gets a
//! suffix.

use serde::Serialize;
use serde_json::Value;

use super::media::{BodyKind, MediaChoice};
use super::names::{pascal, snake};
use super::operations::{Api, OperationIr, ResponseIr};
use super::params::{Location, Style};
use super::responses::StatusKey;
use super::schema_reader::Reader;
use super::types::{Direction, TypeRef, TypeSpace};
use crate::diagnostics::Diagnostics;
use crate::spec::{Spec, child};

use contract_runtime::names;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientIr {
    pub title: String,
    pub description: Option<String>,
    /// Server URLs; the first is the client's default base URL.
    pub servers: Vec<(String, Option<String>)>,
    pub spec_sha256: String,
    pub types: TypeSpace,
    pub operations: Vec<OperationTypes>,
    /// Every response header any operation documents, once each.
    pub headers: Vec<HeaderAccessor>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationTypes {
    pub id: String,
    /// The client method (snake_case of the operationId; `_operation` appended when the
    /// client uses the name itself).
    pub method_name: String,
    /// `ResendOrderPaymentLink`: prefix of the operation's error and success types.
    pub type_prefix: String,
    pub http_method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub params: Vec<ParamType>,
    pub body: Option<BodyType>,
    pub responses: Vec<ResponseType>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamType {
    /// The wire name.
    pub name: String,
    /// The Rust argument or setter name, unique in the operation (see [`super::params_rust`]).
    pub rust: String,
    pub description: Option<String>,
    pub ty: TypeRef,
    pub location: Location,
    pub required: bool,
    pub deprecated: bool,
    pub style: Style,
    pub explode: bool,
    pub allow_reserved: bool,
    /// Declared with `content`: sent as JSON text.
    pub json: bool,
    /// A string, string enum or integer (so a `simple` path parameter is one encoded
    /// segment, written without the runtime's style machinery).
    pub plain_text: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BodyType {
    /// The schema's type, for JSON and form bodies ([`BodyKind::typed`]).
    pub ty: Option<TypeRef>,
    pub kind: BodyKind,
    /// The media type sent as `Content-Type`.
    pub content_type: String,
    /// The parts of a multipart body, as its schema lists them.
    pub parts: Vec<super::media::PartDoc>,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseType {
    /// The status code, or the first code of a range (`400` for `4XX`), `0` for `default`.
    pub status: u16,
    pub key: StatusKey,
    /// Decoded as the method's `Ok` (see [`super::responses`] for ranges and `default`).
    pub success: bool,
    pub variant: String,
    pub description: String,
    /// How the body is decoded; `None` when the response has no body.
    pub kind: Option<BodyKind>,
    /// The media types decoded (the chosen one and those of its kind), when there is a body.
    pub media_types: Vec<String>,
    /// The JSON body's type (`Json` when the spec gives no schema); `None` for other kinds.
    pub body: Option<TypeRef>,
    /// Fields of the body worth naming in an error's message, as `(wire, rust)`: required,
    /// not personal, string enums (the server's documented codes, e.g.
    /// `orderStatusAlreadyPaid`).
    pub summary_fields: Vec<(String, String)>,
}

impl ResponseType {
    pub fn success(&self) -> bool {
        self.success
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderAccessor {
    /// Lower-case header name.
    pub name: String,
    pub method: String,
    pub description: Option<String>,
    pub kind: HeaderKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum HeaderKind {
    Unsigned,
    Signed,
    Text,
}

/// Reads the types of every operation. Request sides are read first, so a schema used on
/// both sides gets the stricter request-side type.
pub fn build(spec: &Spec, api: &Api) -> Result<ClientIr, Diagnostics> {
    let mut reader = Reader::new(spec);
    let mut params_of = Vec::new();
    let mut bodies = Vec::new();
    for op in &api.operations {
        let prefix = pascal(&op.name);
        let rust_names = super::params_rust::rust_names(op);
        let mut params = Vec::new();
        for (p, rust) in super::params_rust::ordered(op).into_iter().zip(rust_names) {
            let hint = if rust == snake(&p.name) {
                pascal(&p.name)
            } else {
                pascal(&rust)
            };
            if let Some(shape) =
                reader.read(&p.schema_pointer, &format!("{prefix}{hint}"), Direction::Request)
            {
                params.push(ParamType {
                    name: p.name.clone(),
                    rust,
                    description: p.description.clone(),
                    ty: shape.ty,
                    location: p.location,
                    required: p.required,
                    deprecated: p.deprecated,
                    style: p.style,
                    explode: p.explode,
                    allow_reserved: p.allow_reserved,
                    json: p.json,
                    plain_text: false,
                });
            }
        }
        params_of.push(params);
        let body = op.request.as_ref().and_then(|r| {
            let ty = if r.media.kind.typed() {
                Some(
                    reader
                        .read(&r.schema_pointer, &format!("{prefix}Body"), Direction::Request)?
                        .ty,
                )
            } else {
                None
            };
            let parts = match r.media.kind {
                BodyKind::Multipart => {
                    super::media::multipart_parts(spec, &r.schema_pointer, &r.media.pointer)
                }
                _ => Vec::new(),
            };
            Some(BodyType {
                ty,
                parts,
                kind: r.media.kind,
                content_type: r.media.media_type.clone(),
                required: r.required,
                description: r.description.clone(),
            })
        });
        bodies.push(body);
    }
    let mut operations = Vec::new();
    let mut diags = Vec::new();
    for ((op, params), body) in api.operations.iter().zip(params_of).zip(bodies) {
        let prefix = pascal(&op.name);
        let mut responses: Vec<ResponseType> = Vec::new();
        let keyed = op
            .responses
            .iter()
            .map(|r| (StatusKey::Code(r.status), r))
            .chain(op.fallbacks.iter().map(|f| (f.key, &f.response)));
        for (key, r) in keyed {
            let body = match (&r.media, &r.schema_pointer) {
                (Some(m), Some(p)) if m.kind == BodyKind::Json => {
                    let hint = match key {
                        StatusKey::Code(c) => format!("{prefix}{c}Response"),
                        _ => format!("{prefix}{}Response", key.class_name().unwrap_or_default()),
                    };
                    reader.read(p, &hint, Direction::Response).map(|s| s.ty)
                }
                (Some(m), None) if m.kind == BodyKind::Json => Some(TypeRef::Json),
                _ => None,
            };
            let mut variant = variant_name(key, r);
            if variant == names::OTHER_VARIANT || responses.iter().any(|o| o.variant == variant) {
                variant = match key {
                    StatusKey::Code(c) => format!("{variant}{c}"),
                    _ => format!("{variant}{}", key.class_name().unwrap_or_default()),
                };
            }
            responses.push(ResponseType {
                status: r.status,
                key,
                success: match key {
                    StatusKey::Code(c) => (200..300).contains(&c),
                    StatusKey::Range(class) => class == 2,
                    StatusKey::Default => false,
                },
                variant,
                description: r.description.clone(),
                kind: r.media.as_ref().map(|m: &MediaChoice| m.kind),
                media_types: r.media.as_ref().map(|m| m.same_kind.clone()).unwrap_or_default(),
                body,
                summary_fields: Vec::new(),
            });
        }
        // No 2xx documented: `default` is the success for 2xx statuses (module `responses`).
        if !responses.iter().any(ResponseType::success) {
            for r in responses.iter_mut().filter(|r| r.key == StatusKey::Default) {
                r.success = true;
            }
        }
        if !responses.iter().any(ResponseType::success) {
            diags.push(
                spec.diag(
                    &child(&op.pointer, &["responses"]),
                    format!("operation `{}` documents no 2xx response", op.id),
                )
                .hint("document the success response: it is the `Ok` type of the generated method"),
            );
        }
        operations.push(op_types(op, prefix, params, body, responses));
    }
    let headers = header_accessors(spec, api);
    let types = match reader.finish() {
        Ok(t) => t,
        Err(mut d) => {
            d.0.append(&mut diags);
            return Err(d);
        }
    };
    for t in types.types.values() {
        if names::taken(names::TYPES_ITEMS, &t.name) {
            diags.push(
                spec.diag(
                    &t.pointer,
                    format!(
                        "the schema's Rust type `{}` is a name the generated code uses",
                        t.name
                    ),
                )
                .hint("rename the schema"),
            );
        }
    }
    Diagnostics(std::mem::take(&mut diags)).into_result()?;
    for r in operations.iter_mut().flat_map(|o| &mut o.responses) {
        r.summary_fields = summary_fields(r.body.as_ref(), &types);
    }
    for p in operations.iter_mut().flat_map(|o| &mut o.params) {
        p.plain_text = !p.json && path_param_ok(&p.ty, &types);
    }
    for (op, op_ir) in operations.iter().zip(&api.operations) {
        if let (Some(b), Some(r)) = (&op.body, &op_ir.request)
            && b.kind == BodyKind::Form
            && !b
                .ty
                .as_ref()
                .is_some_and(|t| super::media::form_encodable(t, &types))
        {
            diags.push(
                spec.diag(
                    &r.schema_pointer,
                    "a form-encoded body must be an object of strings, numbers and booleans",
                )
                .hint(
                    "nested objects and arrays have no agreed form encoding: send JSON or multipart instead",
                ),
            );
        }
    }
    Diagnostics(diags).into_result()?;
    super::params_rust::unique_type_prefixes(&mut operations);
    Ok(ClientIr {
        title: api.title.clone(),
        description: api.description.clone(),
        servers: api
            .servers
            .iter()
            .map(|s| (s.url.clone(), s.description.clone()))
            .collect(),
        spec_sha256: api.spec_sha256.clone(),
        types,
        operations,
        headers,
    })
}

fn summary_fields(body: Option<&TypeRef>, types: &TypeSpace) -> Vec<(String, String)> {
    use super::types::TypeKind;
    let Some(TypeRef::Named(n)) = body else {
        return Vec::new();
    };
    let Some(TypeKind::Struct(s)) = types.get(n).map(|t| &t.kind) else {
        return Vec::new();
    };
    s.fields
        .iter()
        .filter(|f| !f.optional() && !f.pii)
        .filter(|f| match &f.ty {
            TypeRef::Named(e) => matches!(types.get(e).map(|t| &t.kind), Some(TypeKind::StringEnum(_))),
            _ => false,
        })
        .map(|f| (f.wire.clone(), f.rust.clone()))
        .collect()
}

fn op_types(
    op: &OperationIr,
    type_prefix: String,
    params: Vec<ParamType>,
    body: Option<BodyType>,
    responses: Vec<ResponseType>,
) -> OperationTypes {
    let mut method_name = op.name.clone();
    if names::taken(names::CLIENT_METHODS, &method_name) {
        method_name.push_str("_operation");
    }
    let mut type_prefix = type_prefix;
    if ["Error", "Success"]
        .iter()
        .any(|s| names::taken(names::CLIENT_ITEMS, &format!("{type_prefix}{s}")))
    {
        type_prefix.push_str("Operation");
    }
    OperationTypes {
        id: op.id.clone(),
        method_name,
        type_prefix,
        http_method: op.method.clone(),
        path: op.path.clone(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        params,
        body,
        responses,
    }
}

fn path_param_ok(ty: &TypeRef, types: &TypeSpace) -> bool {
    use super::types::TypeKind;
    match ty {
        TypeRef::String | TypeRef::Integer { .. } => true,
        TypeRef::Named(n) => matches!(
            types.get(n).map(|t| &t.kind),
            Some(TypeKind::Constrained(_)) | Some(TypeKind::StringEnum(_))
        ),
        _ => false,
    }
}

fn variant_name(key: StatusKey, r: &ResponseIr) -> String {
    let component = |ptr: &str, section: &str| {
        ptr.strip_prefix(section)
            .filter(|rest| !rest.contains('/'))
            .map(crate::spec::lines::unescape)
    };
    if let Some(name) = component(&r.pointer, "/components/responses/") {
        return pascal(&name);
    }
    // A range or `default` is named for what it covers, not for the shape of its body.
    if let Some(name) = key.class_name() {
        return name.to_string();
    }
    if let Some(name) = r
        .schema_pointer
        .as_deref()
        .and_then(|p| component(p, "/components/schemas/"))
    {
        let name = pascal(&name);
        match name.strip_suffix("Response") {
            Some(stem) if !stem.is_empty() => return stem.to_string(),
            _ => return name,
        }
    }
    reason_phrase(r.status)
}

/// The status's reason phrase (the `http` crate's), as a Rust variant name; `Status{code}`
/// for a code without one.
pub fn reason_phrase(status: u16) -> String {
    match http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
    {
        Some(phrase) => pascal(phrase),
        None => format!("Status{status}"),
    }
}

fn header_accessors(spec: &Spec, api: &Api) -> Vec<HeaderAccessor> {
    let mut out: Vec<HeaderAccessor> = Vec::new();
    for h in api
        .operations
        .iter()
        .flat_map(|o| o.responses.iter().chain(o.fallbacks.iter().map(|f| &f.response)))
        .flat_map(|r| &r.headers)
    {
        if out.iter().any(|o| o.name == h.name) {
            continue;
        }
        let schema = h.schema_pointer.as_deref().and_then(|p| spec.at(p));
        let kind = match schema.and_then(|s| s.get("type")).and_then(Value::as_str) {
            Some("integer") => {
                let min = schema.and_then(|s| s.get("minimum")).and_then(Value::as_f64);
                if min.is_some_and(|m| m >= 0.0) {
                    HeaderKind::Unsigned
                } else {
                    HeaderKind::Signed
                }
            }
            _ => HeaderKind::Text,
        };
        let mut method = snake(&h.name);
        if names::taken(names::RESPONSE_VALUE_METHODS, &method) {
            method.push_str("_header");
        }
        out.push(HeaderAccessor {
            name: h.name.clone(),
            method,
            description: h.description.clone(),
            kind,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::reason_phrase;

    #[test]
    fn reason_phrases_come_from_http() {
        assert_eq!(reason_phrase(417), "ExpectationFailed");
        assert_eq!(reason_phrase(510), "NotExtended");
        assert_eq!(reason_phrase(418), "IMATeapot");
        assert_eq!(reason_phrase(299), "Status299");
    }
}
