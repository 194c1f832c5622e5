//! Checks one recorded HTTP exchange against the contract: the proxy runs this on live
//! traffic, `check-har` on a recording. Every rule comes from the contract's operations and
//! compiled validators.
//!
//! A violation's pointer is a JSON pointer into the exchange seen as one document:
//! `/path/{name}` (a path parameter), `/body/...` (the request or response body, by side),
//! `/headers/{name}`, `/status`, or empty for the route itself.

use bytes::Bytes;
use contract_model::spec::lines::escape;
use contract_model::spec::validators::{CompiledSchema, SchemaError, SchemaRegistry};
use serde_json::{Value, json};

use super::redact::{REDACTED, Redactor, Secrets, is_credential_header};
use crate::contract::{Contract, OperationContract};
use crate::params::ParamProblem;
use contract_model::ir::params::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Request,
    Response,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// A body as far as it was read: the first bytes, and whether that is all of it.
#[derive(Debug, Clone, Default)]
pub struct Captured {
    pub bytes: Bytes,
    /// False when the body was longer than the bound and only its start was kept.
    pub complete: bool,
}

impl Captured {
    pub fn whole(bytes: impl Into<Bytes>) -> Captured {
        Captured {
            bytes: bytes.into(),
            complete: true,
        }
    }
}

/// One request and the answer to it.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// The request's headers as received (the proxy keeps hyper's map: no copy per exchange).
    pub request_headers: http::HeaderMap,
    pub request_body: Captured,
    pub status: u16,
    pub response_headers: http::HeaderMap,
    pub response_body: Captured,
}

impl Exchange {
    pub fn path(&self) -> &str {
        self.target.split(['?', '#']).next().unwrap_or_default()
    }

    /// The query string as sent (without `?`), if any.
    pub fn query(&self) -> Option<&str> {
        let q = self.target.split_once('?')?.1;
        Some(q.split('#').next().unwrap_or(q))
    }

    pub fn request_header(&self, name: impl http::header::AsHeaderName) -> Option<&str> {
        header(&self.request_headers, name)
    }

    pub fn response_header(&self, name: impl http::header::AsHeaderName) -> Option<&str> {
        header(&self.response_headers, name)
    }

    /// The token(s) this exchange carried: never shown anywhere.
    pub fn credentials(&self) -> Secrets {
        let mut s = Secrets::default();
        for (name, value) in &self.request_headers {
            if is_credential_header(name.as_str()) {
                s.add_authorization(&String::from_utf8_lossy(value.as_bytes()));
            }
        }
        s
    }
}

/// The first value of a header, if it is text (a value that is not is treated as absent).
fn header(headers: &http::HeaderMap, name: impl http::header::AsHeaderName) -> Option<&str> {
    headers.get(name)?.to_str().ok()
}

/// Headers from name/value pairs, as a recording or a test holds them (lines HTTP cannot
/// carry are left out; names are case-insensitive).
pub fn header_map<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for (name, value) in pairs {
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            headers.append(n, v);
        }
    }
    headers
}

/// One rule an exchange broke.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    pub side: Side,
    pub pointer: String,
    /// The rule broken: `undocumented route`, `status`, `content-type`, `body`, `header`,
    /// `schema/<keyword>` (`header/<keyword>` for response headers), or
    /// `<path|query|header|cookie>/<keyword>` for a parameter (`required` when it is missing).
    pub rule: String,
    /// What went wrong, in words (free of tokens and personal data).
    pub message: String,
    pub expected: Value,
    pub actual: Value,
}

/// The verdict on one exchange.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    /// The documented operation, or `None` for an undocumented route.
    pub operation: Option<String>,
    pub violations: Vec<Violation>,
    /// Parts that were not validated, and why (a body over the bound).
    pub unvalidated: Vec<String>,
}

/// A documented response header with its compiled schema.
struct HeaderRule {
    operation: usize,
    status: u16,
    name: String,
    /// `name` parsed once: a lookup by text parses it on every exchange.
    key: http::HeaderName,
    schema: CompiledSchema,
}

/// The contract as the proxy and `check-har` use it.
pub struct Checker<'c> {
    pub contract: &'c Contract,
    pub redactor: Redactor,
    headers: Vec<HeaderRule>,
}

impl<'c> Checker<'c> {
    pub fn new(contract: &'c Contract) -> anyhow::Result<Checker<'c>> {
        let registry = SchemaRegistry::new(&contract.spec).map_err(|d| anyhow::anyhow!("{d}"))?;
        let mut headers = Vec::new();
        for (i, op) in contract.operations.iter().enumerate() {
            for r in &op.ir.responses {
                for h in &r.headers {
                    if let Some(p) = &h.schema_pointer {
                        let schema = registry
                            .compile(&contract.spec, p)
                            .map_err(|d| anyhow::anyhow!("{d}"))?;
                        // A name HTTP cannot carry never matches a received header.
                        let Ok(key) = http::HeaderName::try_from(h.name.as_str()) else {
                            continue;
                        };
                        headers.push(HeaderRule {
                            operation: i,
                            status: r.status,
                            name: h.name.clone(),
                            key,
                            schema,
                        });
                    }
                }
            }
        }
        Ok(Checker {
            contract,
            redactor: Redactor::from_contract(contract),
            headers,
        })
    }

    pub fn check(&self, ex: &Exchange) -> Checked {
        let mut out = Checked::default();
        let path = ex.path();
        let Some((op, params)) = self.contract.route(&ex.method, path) else {
            let documented: Vec<Value> = self
                .contract
                .operations
                .iter()
                .map(|o| Value::String(format!("{} {}", o.ir.method.to_uppercase(), o.ir.path)))
                .collect();
            out.violations.push(Violation {
                side: Side::Request,
                pointer: String::new(),
                rule: "undocumented route".into(),
                message: format!("no documented operation serves {} {path}", ex.method),
                expected: Value::Array(documented),
                actual: Value::String(format!("{} {path}", ex.method)),
            });
            return self.scrubbed(ex, out);
        };
        out.operation = Some(op.ir.id.clone());
        self.check_request(op, &params, ex, &mut out);
        self.check_response(op, ex, &mut out);
        self.scrubbed(ex, out)
    }

    fn check_request(&self, op: &OperationContract, params: &[&str], ex: &Exchange, out: &mut Checked) {
        // Parameters are read and checked as the mock reads and checks them.
        let mut problems: Vec<(ParamProblem, Option<&str>)> = params
            .iter()
            .enumerate()
            .filter_map(|(i, raw)| Some((op.path_param_problem(i, raw)?, Some(*raw))))
            .collect();
        if op.params.iter().any(|p| p.ir.location != Location::Path) {
            problems.extend(
                op.param_problems(ex.query(), &ex.request_headers)
                    .into_iter()
                    .map(|p| (p, None)),
            );
        }
        for (problem, raw) in problems {
            let param = op
                .params
                .iter()
                .find(|p| p.ir.name == problem.name && p.ir.location == problem.location);
            let actual = match (raw, param.is_some_and(|p| p.pii)) {
                (_, true) => Value::String(REDACTED.into()),
                (Some(raw), false) => Value::String(raw.to_string()),
                (None, false) => Value::Null,
            };
            let expected = param.map_or(
                Value::Null,
                |p| json!({ "schema": format!("#{}", p.ir.schema_pointer) }),
            );
            out.violations.push(Violation {
                side: Side::Request,
                pointer: problem.pointer(),
                rule: format!("{}/{}", problem.location.as_str(), problem.keyword),
                message: problem.message,
                expected,
                actual,
            });
        }
        let Some(request) = &op.ir.request else {
            return;
        };
        let body = &ex.request_body;
        if body.bytes.is_empty() && body.complete {
            if request.required {
                out.violations.push(Violation {
                    side: Side::Request,
                    pointer: "/body".into(),
                    rule: "body".into(),
                    message: "the request body is required but empty".into(),
                    expected: Value::String(request.content_type.clone()),
                    actual: Value::Null,
                });
            }
            return;
        }
        content_type(
            Side::Request,
            &request.content_type,
            ex.request_header(http::header::CONTENT_TYPE),
            out,
        );
        if let Some(schema) = &op.request {
            self.check_body(Side::Request, schema, body, out);
        }
    }

    fn check_response(&self, op: &OperationContract, ex: &Exchange, out: &mut Checked) {
        let Some(resp) = op.ir.response(ex.status) else {
            out.violations.push(Violation {
                side: Side::Response,
                pointer: "/status".into(),
                rule: "status".into(),
                message: format!("status {} is not documented for {}", ex.status, op.ir.id),
                expected: Value::Array(op.ir.responses.iter().map(|r| json!(r.status)).collect()),
                actual: json!(ex.status),
            });
            return;
        };
        let op_index = self
            .contract
            .operations
            .iter()
            .position(|o| std::ptr::eq(o, op))
            .unwrap_or(usize::MAX);
        for rule in self
            .headers
            .iter()
            .filter(|h| h.operation == op_index && h.status == ex.status)
        {
            let Some(raw) = ex.response_header(&rule.key) else {
                continue;
            };
            // Header values are text; a number-typed schema sees the number.
            let instance = serde_json::from_str::<Value>(raw.trim())
                .ok()
                .filter(|v| v.is_number() || v.is_boolean())
                .unwrap_or_else(|| Value::String(raw.to_string()));
            let at = format!("/headers/{}", escape(&rule.name));
            for e in rule.schema.errors(&instance) {
                out.violations.push(self.schema_violation(
                    Side::Response,
                    &at,
                    "header",
                    &rule.schema,
                    &instance,
                    e,
                ));
            }
        }
        let Some(ct) = &resp.content_type else {
            return;
        };
        let body = &ex.response_body;
        if body.bytes.is_empty() && body.complete {
            out.violations.push(Violation {
                side: Side::Response,
                pointer: "/body".into(),
                rule: "body".into(),
                message: format!(
                    "status {} documents a {ct} body; the response had none",
                    ex.status
                ),
                expected: Value::String(ct.clone()),
                actual: Value::Null,
            });
            return;
        }
        content_type(
            Side::Response,
            ct,
            ex.response_header(http::header::CONTENT_TYPE),
            out,
        );
        if let Some(schema) = op.response_schema(ex.status) {
            self.check_body(Side::Response, schema, body, out);
        }
    }

    fn check_body(&self, side: Side, schema: &CompiledSchema, body: &Captured, out: &mut Checked) {
        if !body.complete {
            out.unvalidated.push(format!(
                "{} body over {} bytes: forwarded, not validated",
                side.as_str(),
                body.bytes.len()
            ));
            return;
        }
        let value: Value = match serde_json::from_slice(&body.bytes) {
            Ok(v) => v,
            Err(e) => {
                out.violations.push(Violation {
                    side,
                    pointer: "/body".into(),
                    rule: "body".into(),
                    message: format!("the {} body is not valid JSON: {e}", side.as_str()),
                    expected: Value::String("JSON".into()),
                    actual: Value::String(format!("{} bytes, not JSON", body.bytes.len())),
                });
                return;
            }
        };
        for e in schema.errors(&value) {
            // A recording holds `[redacted]` where personal data was: it cannot be checked.
            let redacted = self.redactor.is_pii_pointer(&e.instance_pointer)
                && value.pointer(&e.instance_pointer).and_then(Value::as_str) == Some(REDACTED);
            if !redacted {
                out.violations
                    .push(self.schema_violation(side, "/body", "", schema, &value, e));
            }
        }
    }

    /// A schema error as a violation: expected is the broken keyword's value in the spec,
    /// actual the instance there. Personal data is redacted from both and from the message.
    fn schema_violation(
        &self,
        side: Side,
        at: &str,
        prefix: &str,
        schema: &CompiledSchema,
        root: &Value,
        e: SchemaError,
    ) -> Violation {
        let original = root.pointer(&e.instance_pointer).cloned().unwrap_or(Value::Null);
        let mut actual = original.clone();
        let inside_pii = self.redactor.is_pii_pointer(&e.instance_pointer);
        let taken = self.redactor.body(&mut actual);
        let message = if inside_pii || !taken.is_empty() {
            // The validator quotes the value; say what failed without it.
            if inside_pii {
                actual = Value::String(REDACTED.into());
            }
            format!("the value breaks `{}` (personal data, not shown)", e.keyword)
        } else {
            e.message.clone()
        };
        // Keyword locations are usually absolute in the spec already (the validator starts at
        // a `$ref` to the schema); through another `$ref` they are evaluation paths.
        let keyword_at = if e.keyword_pointer.starts_with(&schema.pointer) {
            e.keyword_pointer.clone()
        } else {
            format!("{}{}", schema.pointer, e.keyword_pointer)
        };
        let expected = self
            .contract
            .spec
            .at(&keyword_at)
            .cloned()
            .map(|v| json!({ e.keyword.as_str(): v, "schema": format!("#{keyword_at}") }))
            .unwrap_or_else(|| json!({ "schema": format!("#{keyword_at}") }));
        let rule = if prefix.is_empty() {
            format!("schema/{}", e.keyword)
        } else {
            format!("{prefix}/{}", e.keyword)
        };
        Violation {
            side,
            pointer: format!("{at}{}", e.instance_pointer),
            rule,
            message,
            expected,
            actual,
        }
    }

    /// Scrubs the exchange's token and personal data from every violation.
    fn scrubbed(&self, ex: &Exchange, mut out: Checked) -> Checked {
        if out.violations.is_empty() {
            return out;
        }
        let secrets = self.secrets(ex);
        for v in &mut out.violations {
            v.message = secrets.scrub(&v.message);
            v.pointer = secrets.scrub(&v.pointer);
            secrets.scrub_value(&mut v.expected);
            secrets.scrub_value(&mut v.actual);
        }
        out
    }

    /// Everything of this exchange that must not be shown: its credentials and the values of
    /// its personal-data fields.
    pub fn secrets(&self, ex: &Exchange) -> Secrets {
        let mut s = ex.credentials();
        if let Some((op, _)) = self.contract.route(&ex.method, ex.path())
            && op.params.iter().any(|p| p.pii)
        {
            s.extend(crate::params::personal_values(
                &op.params,
                ex.query(),
                &ex.request_headers,
            ));
        }
        for body in [&ex.request_body, &ex.response_body] {
            if let Ok(mut v) = serde_json::from_slice::<Value>(&body.bytes) {
                s.extend(self.redactor.body(&mut v));
            }
        }
        s
    }
}

/// Compares the media type (without parameters) with the documented one.
fn content_type(side: Side, documented: &str, got: Option<&str>, out: &mut Checked) {
    let essence = got.map(|c| c.split(';').next().unwrap_or_default().trim());
    if essence.is_some_and(|e| e.eq_ignore_ascii_case(documented)) {
        return;
    }
    out.violations.push(Violation {
        side,
        pointer: "/headers/content-type".into(),
        rule: "content-type".into(),
        message: format!(
            "the {} content type must be {documented} (got {})",
            side.as_str(),
            got.map(|g| format!("`{g}`")).unwrap_or_else(|| "none".into())
        ),
        expected: Value::String(documented.to_string()),
        actual: got.map(|g| Value::String(g.to_string())).unwrap_or(Value::Null),
    });
}
