//! The operation IR: one [`OperationIr`] per operation of the spec, with its parameters,
//! request body, responses and examples, every `$ref` resolved.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::media::{self, BodyKind, MediaChoice, Side};
use super::responses::{FallbackResponseIr, StatusKey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::model::{Example, MediaType, RefOr};
use crate::spec::replay::ReplayPlan;
use crate::spec::{Spec, child};

use super::params::ParamIr;
pub use super::params::template_names;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<ServerIr>,
    pub operations: Vec<OperationIr>,
    /// SHA-256 of the spec file, for provenance headers.
    pub spec_sha256: String,
    /// What was skipped or adjusted while reading the operations (ignored header parameters,
    /// renamed methods), located; printed by `check` and `generate`.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerIr {
    pub url: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationIr {
    /// The `operationId`, e.g. `resendOrderPaymentLink`; when the spec gives none, the
    /// derived [`name`](Self::name).
    pub id: String,
    /// The `operationId` as the spec writes it, when it has one.
    pub operation_id: Option<String>,
    /// The snake_case method name, unique among the operations (see [`super::operation_names`]).
    pub name: String,
    /// Where the operation object lives in the spec.
    pub pointer: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/api/v1/connect/orders/resend/{orderUuid}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// `x-resource`: the kind of resource the path names (`orders`), which keys fixtures.
    pub resource: Option<String>,
    /// The path parameters (also in [`params`](Self::params)), in declaration order.
    pub path_params: Vec<PathParamIr>,
    /// Every parameter (path, query, header, cookie), merged (see [`super::params`]).
    pub params: Vec<ParamIr>,
    pub request: Option<RequestIr>,
    /// Ordered by status code.
    pub responses: Vec<ResponseIr>,
    /// Responses under a range (`4XX`) or `default`, ranges first (see [`super::responses`]).
    pub fallbacks: Vec<FallbackResponseIr>,
}

impl OperationIr {
    pub fn response(&self, status: u16) -> Option<&ResponseIr> {
        self.responses.iter().find(|r| r.status == status)
    }

    /// The schemas a contract validates for this operation (request body, path and other
    /// parameters, response bodies), by pointer; repeats possible.
    pub fn validated_schemas(&self) -> impl Iterator<Item = &str> {
        let request = self.request.iter().map(|r| r.schema_pointer.as_str());
        let path = self.path_params.iter().map(|p| p.schema_pointer.as_str());
        let params = self.params.iter().map(|p| p.schema_pointer.as_str());
        let responses = self.responses.iter().filter_map(|r| r.schema_pointer.as_deref());
        request.chain(path).chain(params).chain(responses)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathParamIr {
    pub name: String,
    pub description: Option<String>,
    /// Pointer of the parameter's schema (the `$ref` target when it is a plain reference).
    pub schema_pointer: String,
    pub example: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestIr {
    /// The chosen media type as written (see [`super::media`]).
    pub content_type: String,
    pub media: MediaChoice,
    pub required: bool,
    pub description: Option<String>,
    pub schema_pointer: String,
    pub examples: Vec<ExampleIr>,
}

impl RequestIr {
    pub fn example(&self, name: &str) -> Option<&ExampleIr> {
        self.examples.iter().find(|e| e.name == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleIr {
    pub name: String,
    pub pointer: String,
    pub summary: Option<String>,
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseIr {
    pub status: u16,
    pub pointer: String,
    pub description: String,
    /// Set when the response is not in the vendor's docs: why it was added.
    pub inferred: Option<String>,
    pub content_type: Option<String>,
    /// The body's schema; `None` when there is no body, or it is not JSON.
    pub schema_pointer: Option<String>,
    /// The chosen media type; `None` when the response has no body.
    pub media: Option<MediaChoice>,
    pub headers: Vec<HeaderIr>,
    pub examples: Vec<ResponseExampleIr>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HeaderIr {
    /// Lower-case header name.
    pub name: String,
    pub description: Option<String>,
    pub schema_pointer: Option<String>,
    pub inferred: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseExampleIr {
    pub name: String,
    pub pointer: String,
    pub summary: Option<String>,
    pub value: Value,
    pub replay: Option<ReplayPlan>,
    /// Where in the vendor's docs the sample comes from.
    pub docs: Vec<DocRef>,
    pub inferred: Option<String>,
    pub corrected: Option<String>,
}

/// `x-docs` entry: a doc page and a line range.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocRef {
    pub page: String,
    pub lines: String,
}

/// Builds the operation IR, collecting every problem rather than stopping at the first.
pub fn build(spec: &Spec) -> Result<Api, Diagnostics> {
    let mut diags = Vec::new();
    let mut warnings = Vec::new();
    let mut operations = Vec::new();
    for (path, item) in &spec.api.paths {
        let item_ptr = child("/paths", &[path]);
        for (method, op) in item.operations() {
            let op_ptr = child(&item_ptr, &[method]);
            match operation(spec, path, (item, &item_ptr), op, method, &op_ptr, &mut warnings) {
                Ok(op) => operations.push(op),
                Err(mut d) => diags.append(&mut d.0),
            }
        }
    }
    // operationIds name generated methods and cases: they must be unique.
    for (i, op) in operations.iter().enumerate() {
        if op.operation_id.is_some() && operations[..i].iter().any(|o| o.operation_id == op.operation_id) {
            diags.push(
                spec.diag(
                    &child(&op.pointer, &["operationId"]),
                    format!("duplicate operationId `{}`", op.id),
                )
                .hint("give every operation its own operationId"),
            );
        }
    }
    super::operation_names::deduplicate(spec, &mut operations, &mut warnings);
    if !(spec.api.openapi.starts_with("3.1.") || spec.api.openapi.starts_with("3.0.")) {
        diags.push(
            spec.diag(
                "/openapi",
                format!("unsupported OpenAPI version `{}`", spec.api.openapi),
            )
            .hint("this generator reads OpenAPI 3.0.x and 3.1.x"),
        );
    }
    Diagnostics(diags).into_result()?;
    Ok(Api {
        title: spec.api.info.title.clone(),
        version: spec.api.info.version.clone(),
        description: spec.api.info.description.clone(),
        servers: spec
            .api
            .servers
            .iter()
            .map(|s| ServerIr {
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        operations,
        spec_sha256: spec.sha256.clone(),
        warnings,
    })
}

fn operation(
    spec: &Spec,
    path: &str,
    (item, item_ptr): (&crate::spec::model::PathItem, &str),
    op: &crate::spec::model::Operation,
    method: &str,
    op_ptr: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<OperationIr, Diagnostics> {
    let mut diags = Vec::new();
    let name = super::operation_names::base_name(op.operation_id.as_deref(), method, path);
    let id = op.operation_id.clone().unwrap_or_else(|| name.clone());
    let params = super::params::collect(spec, path, (item, item_ptr), (op, op_ptr), &mut diags, warnings);
    let path_params = params
        .iter()
        .filter(|p| p.location == super::params::Location::Path)
        .map(|p| PathParamIr {
            name: p.name.clone(),
            description: p.description.clone(),
            schema_pointer: p.schema_pointer.clone(),
            example: p.example.clone(),
        })
        .collect();

    let request = match &op.request_body {
        None => None,
        Some(rb) => {
            let at = child(op_ptr, &["requestBody"]);
            match spec.deref(rb, &at, |c, n| c.request_bodies.get(n)) {
                Err(d) => {
                    diags.push(d);
                    None
                }
                Ok((body, ptr)) => match request_body(spec, body, &ptr) {
                    Ok(r) => r,
                    Err(mut d) => {
                        diags.append(&mut d.0);
                        None
                    }
                },
            }
        }
    };

    let mut responses = Vec::new();
    let mut fallbacks = Vec::new();
    for (code, r) in &op.responses {
        let at = child(op_ptr, &["responses", code]);
        let key = match StatusKey::parse(spec, code, &at) {
            Ok(key) => key,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        match (key, response(spec, key.representative(), r, &at)) {
            (StatusKey::Code(_), Ok(resp)) => responses.push(resp),
            (key, Ok(response)) => fallbacks.push(FallbackResponseIr { key, response }),
            (_, Err(mut d)) => diags.append(&mut d.0),
        }
    }
    responses.sort_by_key(|r| r.status);
    fallbacks.sort_by_key(|f| f.key);
    if responses.is_empty() && fallbacks.is_empty() && op.responses.is_empty() {
        diags.push(
            spec.diag(op_ptr, "operation has no responses")
                .hint("document at least the success response"),
        );
    }

    Diagnostics(diags).into_result()?;
    Ok(OperationIr {
        id,
        operation_id: op.operation_id.clone(),
        name,
        pointer: op_ptr.to_string(),
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        tags: op.tags.clone(),
        resource: op
            .ext
            .get("x-resource")
            .and_then(Value::as_str)
            .map(str::to_string),
        path_params,
        params,
        request,
        responses,
        fallbacks,
    })
}

fn response(
    spec: &Spec,
    status: u16,
    r: &RefOr<crate::spec::model::Response>,
    at: &str,
) -> Result<ResponseIr, Diagnostics> {
    let (resp, ptr) = spec.deref(r, at, |c, n| c.responses.get(n))?;
    let mut diags = Vec::new();
    let mut headers = Vec::new();
    for (name, h) in &resp.headers {
        let h_at = child(&ptr, &["headers", name]);
        match spec.deref(h, &h_at, |c, n| c.headers.get(n)) {
            Ok((header, h_ptr)) => {
                let schema_pointer = match &header.schema {
                    Some(s) => match schema_target(spec, s, &child(&h_ptr, &["schema"])) {
                        Ok(p) => Some(p),
                        Err(d) => {
                            diags.push(d);
                            None
                        }
                    },
                    None => None,
                };
                headers.push(HeaderIr {
                    name: name.to_ascii_lowercase(),
                    description: header.description.clone(),
                    schema_pointer,
                    inferred: inferred(&header.ext),
                });
            }
            Err(d) => diags.push(d),
        }
    }
    let chosen = match media::choose(spec, &resp.content, &ptr, Side::Response) {
        Ok(chosen) => chosen.media,
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let (media, schema_pointer, examples) = match chosen {
        None => (None, None, Vec::new()),
        // Not JSON: the body is kept as text or bytes, and its schema and examples are not read.
        Some((_, choice)) if choice.kind != BodyKind::Json => (Some(choice), None, Vec::new()),
        Some((media, choice)) => {
            let media_ptr = choice.pointer.clone();
            {
                // A JSON body without a schema is any JSON value.
                let schema = match &media.schema {
                    None => None,
                    Some(_) => match media_schema(spec, media, &media_ptr) {
                        Ok(s) => Some(s),
                        Err(d) => {
                            diags.push(d);
                            None
                        }
                    },
                };
                let exs = match examples(spec, media, &media_ptr) {
                    Ok(e) => e,
                    Err(mut d) => {
                        diags.append(&mut d.0);
                        Vec::new()
                    }
                };
                let mut out = Vec::new();
                for (e, ext) in exs {
                    let replay = match ext.get("x-replay") {
                        None => None,
                        Some(v) => match serde_path_to_error::deserialize::<_, ReplayPlan>(v) {
                            Ok(p) => Some(p),
                            Err(err) => {
                                let inner = crate::spec::model::path_to_pointer(err.path());
                                let p = format!("{}/x-replay{inner}", e.pointer);
                                diags.push(
                                    spec.diag(&p, format!("invalid x-replay: {}", err.into_inner()))
                                        .hint("see the x-replay format in codegen/src/spec/replay.rs"),
                                );
                                None
                            }
                        },
                    };
                    let docs = match ext.get("x-docs") {
                        None => Vec::new(),
                        Some(v) => match serde_json::from_value::<Vec<DocRef>>(v.clone()) {
                            Ok(d) => d,
                            Err(err) => {
                                diags.push(
                                    spec.diag(
                                        &format!("{}/x-docs", e.pointer),
                                        format!("invalid x-docs: {err}"),
                                    )
                                    .hint("write a list of `{page: FILE.md, lines: A-B}`"),
                                );
                                Vec::new()
                            }
                        },
                    };
                    out.push(ResponseExampleIr {
                        name: e.name,
                        pointer: e.pointer,
                        summary: e.summary,
                        value: e.value,
                        replay,
                        docs,
                        inferred: inferred(&ext),
                        corrected: ext.get("x-corrected").and_then(Value::as_str).map(str::to_string),
                    });
                }
                (Some(choice), schema, out)
            }
        }
    };
    Diagnostics(diags).into_result()?;
    Ok(ResponseIr {
        status,
        pointer: ptr.clone(),
        description: resp.description.clone(),
        inferred: inferred(&resp.ext),
        content_type: media.as_ref().map(|m| m.media_type.clone()),
        schema_pointer,
        media,
        headers,
        examples,
    })
}

fn inferred(ext: &crate::spec::model::Extensions) -> Option<String> {
    ext.get("x-inferred").map(|v| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// A request body: the entry of its content map the client sends (see [`super::media`]).
/// JSON and form bodies need a schema (their Rust type is read from it); for the others the
/// schema is optional, and without one the Media Type Object stands in (it constrains nothing).
fn request_body(
    spec: &Spec,
    body: &crate::spec::model::RequestBody,
    ptr: &str,
) -> Result<Option<RequestIr>, Diagnostics> {
    let Some((media, choice)) = media::choose(spec, &body.content, ptr, Side::Request)?.media else {
        return Err(spec
            .diag(&child(ptr, &["content"]), "the request body lists no media type")
            .hint("add `content: {application/json: {schema: ...}}`")
            .into());
    };
    let schema_pointer = match (&media.schema, choice.kind.typed()) {
        (None, false) => choice.pointer.clone(),
        _ => media_schema(spec, media, &choice.pointer)?,
    };
    let examples = if choice.kind == BodyKind::Json {
        examples(spec, media, &choice.pointer)?
    } else {
        Vec::new()
    };
    Ok(Some(RequestIr {
        content_type: choice.media_type.clone(),
        media: choice,
        required: body.required,
        description: body.description.clone(),
        schema_pointer,
        examples: examples.into_iter().map(|(e, _)| e).collect(),
    }))
}

fn media_schema(spec: &Spec, media: &MediaType, media_ptr: &str) -> Result<String, Diagnostic> {
    match &media.schema {
        Some(s) => schema_target(spec, s, &child(media_ptr, &["schema"])),
        None => Err(spec
            .diag(media_ptr, "content has no schema")
            .hint("add `schema: {$ref: '#/components/schemas/...'}`, or `schema: {}` for any value")),
    }
}

/// The pointer of a schema: its `$ref` target when it is nothing but a reference, else itself.
pub fn schema_target(spec: &Spec, schema: &Value, at: &str) -> Result<String, Diagnostic> {
    match schema.as_object() {
        Some(obj) if obj.len() == 1 && obj.contains_key("$ref") => {
            let r = obj["$ref"]
                .as_str()
                .ok_or_else(|| spec.diag(at, "`$ref` must be a string"))?;
            spec.ref_pointer(r, &child(at, &["$ref"]))
        }
        Some(_) | None if schema.is_object() || schema.is_boolean() => Ok(at.to_string()),
        _ => Err(spec.diag(at, "a schema must be an object or a boolean")),
    }
}

/// The named examples of a media type (resolved), with their extensions.
fn examples(
    spec: &Spec,
    media: &MediaType,
    media_ptr: &str,
) -> Result<Vec<(ExampleIr, crate::spec::model::Extensions)>, Diagnostics> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    if media.example.is_some() {
        diags.push(
            spec.diag(&child(media_ptr, &["example"]), "unnamed `example`")
                .hint("use `examples:` with a name per sample, so cases and tests can refer to it"),
        );
    }
    for (name, ex) in &media.examples {
        let at = child(media_ptr, &["examples", name]);
        match spec.deref(ex, &at, |c, n| c.examples.get(n)) {
            Ok((
                Example {
                    summary,
                    value: Some(value),
                    ext,
                    ..
                },
                ptr,
            )) => out.push((
                ExampleIr {
                    name: name.clone(),
                    pointer: ptr,
                    summary: summary.clone(),
                    value: value.clone(),
                },
                ext.clone(),
            )),
            Ok((_, ptr)) => diags.push(
                spec.diag(&ptr, format!("example `{name}` has no inline `value`"))
                    .hint("`externalValue` is not supported: put the sample inline"),
            ),
            Err(d) => diags.push(d),
        }
    }
    Diagnostics(diags).into_result()?;
    Ok(out)
}
