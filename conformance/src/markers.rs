//! What the suite needs to know about an API beyond plain OpenAPI, read from the spec's `x-`
//! markers (the README's "The contract" lists them). Each function reads one marker; the
//! [`Contract`](crate::contract::Contract) calls them once and carries the results, so the
//! mock, the runner and the CLI never name a field or header of a particular API.

use contract_model::diagnostics::Diagnostic;
use contract_model::spec::{Spec, pointer};
use serde_json::Value;

/// A way a request sends something to someone: the marked request properties whose values,
/// joined in `part` order, make the destination (`x-destination: {channel, part}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    pub name: String,
    /// The request properties that together name the destination, in `part` order.
    pub fields: Vec<String>,
}

impl Channel {
    /// The destination `body` names on this channel: every part a string, joined.
    pub fn destination(&self, body: &Value) -> Option<String> {
        let parts: Option<Vec<&str>> = self.fields.iter().map(|f| body.get(f)?.as_str()).collect();
        parts.map(|p| p.concat())
    }

    /// Whether `body` names this channel at all (any part is a string).
    pub fn is_named(&self, body: &Value) -> bool {
        self.fields
            .iter()
            .any(|f| body.get(f).is_some_and(Value::is_string))
    }
}

/// The channels of the request body schema at `schema_pointer`, in first-field order.
pub fn destinations(spec: &Spec, schema_pointer: &str) -> Result<Vec<Channel>, Diagnostic> {
    let resolver = spec.resolver();
    let Ok((at, schema)) = resolver.follow(schema_pointer) else {
        return Ok(Vec::new());
    };
    let Some(Value::Object(props)) = schema.get("properties") else {
        return Ok(Vec::new());
    };
    // (channel, [(part, field)]) in the order channels first appear.
    let mut found: Vec<(String, Vec<(u64, String)>)> = Vec::new();
    for (field, prop) in props {
        let Some(marker) = prop.get("x-destination") else {
            continue;
        };
        let here = pointer::child(&at, &["properties", field, "x-destination"]);
        let bad = || {
            spec.diag(
                &here,
                "`x-destination` must be `{channel: NAME}` or `{channel: NAME, part: N}` (N from 1)",
            )
        };
        let name = marker
            .get("channel")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .ok_or_else(bad)?;
        let part = match marker.get("part") {
            None => 1,
            Some(p) => p.as_u64().filter(|p| *p >= 1).ok_or_else(bad)?,
        };
        if marker
            .as_object()
            .is_some_and(|m| m.keys().any(|k| k != "channel" && k != "part"))
        {
            return Err(bad());
        }
        let entry = match found.iter_mut().find(|(n, _)| n == name) {
            Some(e) => e,
            None => {
                found.push((name.to_string(), Vec::new()));
                found.last_mut().expect("just pushed")
            }
        };
        if entry.1.iter().any(|(p, _)| *p == part) {
            return Err(spec.diag(
                &here,
                format!("channel `{name}` has two properties marked part {part}"),
            ));
        }
        entry.1.push((part, field.clone()));
    }
    Ok(found
        .into_iter()
        .map(|(name, mut parts)| {
            parts.sort();
            Channel {
                name,
                fields: parts.into_iter().map(|(_, f)| f).collect(),
            }
        })
        .collect())
}

/// Used when the spec's bearer scheme declares no `x-token-env`.
pub const FALLBACK_TOKEN_ENV: &str = "API_TOKEN";

/// The environment variable holding the bearer token: `x-token-env` on the first security
/// scheme that declares one.
pub fn token_env(spec: &Spec) -> Result<String, Diagnostic> {
    let Some(Value::Object(schemes)) = spec.at("/components/securitySchemes") else {
        return Ok(FALLBACK_TOKEN_ENV.to_string());
    };
    for (name, scheme) in schemes {
        if let Some(v) = scheme.get("x-token-env") {
            let here = pointer::child("/components/securitySchemes", &[name, "x-token-env"]);
            return v
                .as_str()
                .filter(|s| !s.is_empty() && !s.contains('='))
                .map(str::to_string)
                .ok_or_else(|| spec.diag(&here, "`x-token-env` must name an environment variable"));
        }
    }
    Ok(FALLBACK_TOKEN_ENV.to_string())
}

/// The rate-limit headers a server reports its budget in (`x-rate-limit: remaining` and
/// `x-rate-limit: limit` on response header definitions), and the budget to assume when the
/// limit header is absent (the limit header's `example`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    /// Lower-case header names.
    pub remaining: String,
    pub limit: Option<String>,
    pub default_budget: u64,
}

/// The budget assumed when neither the answer nor the spec says one.
const FALLBACK_BUDGET: u64 = 60;

/// The rate-limit headers named in any response of any operation, if the spec marks them.
pub fn rate_limit(spec: &Spec) -> Result<Option<RateLimit>, Diagnostic> {
    let resolver = spec.resolver();
    let (mut remaining, mut limit, mut budget) = (None, None, None);
    for (path, item) in spec
        .doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, _) in item.as_object().into_iter().flatten() {
            let responses = pointer::child("/paths", &[path, method, "responses"]);
            let Some(Value::Object(statuses)) = spec.at(&responses) else {
                continue;
            };
            for status in statuses.keys() {
                let Ok((at, response)) = resolver.follow(&pointer::child(&responses, &[status])) else {
                    continue;
                };
                for name in response
                    .get("headers")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(n, _)| n)
                {
                    let Ok((hat, header)) = resolver.follow(&pointer::child(&at, &["headers", name])) else {
                        continue;
                    };
                    let Some(marker) = header.get("x-rate-limit") else {
                        continue;
                    };
                    let name = name.to_ascii_lowercase();
                    match marker.as_str() {
                        Some("remaining") => remaining = Some(name),
                        Some("limit") => {
                            limit = Some(name);
                            if let Some(e) = header.get("example") {
                                let b = e.as_u64().filter(|b| *b >= 1).ok_or_else(|| {
                                    spec.diag(&pointer::child(&hat, &["example"]), "the limit header's `example` must be a positive integer: the budget assumed when it is absent")
                                })?;
                                budget = Some(b);
                            }
                        }
                        _ => {
                            return Err(spec.diag(
                                &pointer::child(&hat, &["x-rate-limit"]),
                                "`x-rate-limit` must be `remaining` or `limit`",
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(remaining.map(|remaining| RateLimit {
        remaining,
        limit,
        default_budget: budget.unwrap_or(FALLBACK_BUDGET),
    }))
}

/// The fields of the failure envelope, by what they carry (`x-error-envelope` at the root of
/// the spec: `{status: F, reason: F, message: F, flag: F, detail: F}`, every role optional).
/// The mock fills them for statuses the spec does not document (404 route, 405, 408, 413):
/// the status code, its reason phrase, that phrase as a lower-camel message, `true`, `null`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorEnvelope {
    pub status: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
    pub flag: Option<String>,
    pub detail: Option<String>,
}

/// The roles `x-error-envelope` may name.
const ENVELOPE_ROLES: [&str; 5] = ["status", "reason", "message", "flag", "detail"];

/// `x-error-envelope`, if the spec declares it.
pub fn error_envelope(spec: &Spec) -> Result<Option<ErrorEnvelope>, Diagnostic> {
    let Some(marker) = spec.at("/x-error-envelope") else {
        return Ok(None);
    };
    let bad = |why: String| {
        spec.diag("/x-error-envelope", why)
            .hint("write e.g. `x-error-envelope: {status: code, message: message}` with the roles status, reason, message, flag, detail")
    };
    let Some(map) = marker.as_object() else {
        return Err(bad("`x-error-envelope` must map roles to field names".into()));
    };
    let mut out = ErrorEnvelope::default();
    for (role, field) in map {
        let field = field
            .as_str()
            .filter(|f| !f.is_empty())
            .ok_or_else(|| bad(format!("role `{role}` must name a field")))?
            .to_string();
        let slot = match role.as_str() {
            "status" => &mut out.status,
            "reason" => &mut out.reason,
            "message" => &mut out.message,
            "flag" => &mut out.flag,
            "detail" => &mut out.detail,
            _ => {
                return Err(bad(format!(
                    "unknown role `{role}`; the roles are {}",
                    ENVELOPE_ROLES.join(", ")
                )));
            }
        };
        *slot = Some(field);
    }
    Ok(Some(out))
}

/// Where the mock's links point: a host under the reserved `.invalid` top-level domain
/// (RFC 2606), named after the spec's first server so a link shows which API it mimics, and
/// never resolves. `https://mock.invalid/` when the spec names no server.
pub fn link_base(spec: &Spec) -> String {
    let host = spec
        .at("/servers/0/url")
        .and_then(Value::as_str)
        .and_then(|u| url::Url::parse(u).ok())
        .and_then(|u| u.host_str().map(str::to_string))
        .filter(|h| h.parse::<std::net::IpAddr>().is_err() && !h.starts_with('['))
        .unwrap_or_else(|| "mock".to_string());
    format!("https://{host}.invalid/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> Spec {
        Spec::parse("t.yaml", yaml.to_string()).unwrap()
    }

    const BASE: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn channels_join_their_parts_in_order() {
        let s = spec(&format!(
            "{BASE}paths: {{}}\ncomponents:\n  schemas:\n    R:\n      type: object\n      properties:\n        \
             number: {{type: string, x-destination: {{channel: sms, part: 2}}}}\n        \
             mail: {{type: string, x-destination: {{channel: email}}}}\n        \
             prefix: {{type: string, x-destination: {{channel: sms, part: 1}}}}\n        other: {{type: string}}\n"
        ));
        let ch = destinations(&s, "/components/schemas/R").unwrap();
        assert_eq!(
            ch,
            [
                Channel {
                    name: "sms".into(),
                    fields: vec!["prefix".into(), "number".into()]
                },
                Channel {
                    name: "email".into(),
                    fields: vec!["mail".into()]
                },
            ]
        );
        let body = serde_json::json!({"prefix": "+1", "number": "555", "mail": null});
        assert_eq!(ch[0].destination(&body).as_deref(), Some("+1555"));
        assert_eq!(ch[1].destination(&body), None);
        assert!(!ch[1].is_named(&body));
    }

    #[test]
    fn a_bad_destination_marker_names_where() {
        let s = spec(&format!(
            "{BASE}paths: {{}}\ncomponents:\n  schemas:\n    R:\n      properties:\n        a: {{x-destination: {{channel: sms, part: 0}}}}\n"
        ));
        let e = destinations(&s, "/components/schemas/R").unwrap_err();
        assert_eq!(e.pointer, "/components/schemas/R/properties/a/x-destination");
        let s = spec(&format!(
            "{BASE}paths: {{}}\ncomponents:\n  schemas:\n    R:\n      properties:\n        a: {{x-destination: {{channel: x}}}}\n        b: {{x-destination: {{channel: x}}}}\n"
        ));
        assert!(
            destinations(&s, "/components/schemas/R")
                .unwrap_err()
                .message
                .contains("two properties")
        );
    }

    #[test]
    fn token_env_and_link_base_follow_the_spec() {
        let s = spec(&format!(
            "{BASE}servers: [{{url: 'https://api.example.com/v1'}}]\npaths: {{}}\ncomponents:\n  securitySchemes:\n    b: {{type: http, scheme: bearer, x-token-env: MY_TOKEN}}\n"
        ));
        assert_eq!(token_env(&s).unwrap(), "MY_TOKEN");
        assert_eq!(link_base(&s), "https://api.example.com.invalid/");
        let s = spec(&format!("{BASE}paths: {{}}\n"));
        assert_eq!(token_env(&s).unwrap(), FALLBACK_TOKEN_ENV);
        assert_eq!(link_base(&s), "https://mock.invalid/");
    }

    #[test]
    fn the_error_envelope_names_fields_by_role() {
        let s = spec(&format!(
            "{BASE}paths: {{}}\nx-error-envelope: {{status: code, message: text}}\n"
        ));
        let e = error_envelope(&s).unwrap().unwrap();
        assert_eq!(e.status.as_deref(), Some("code"));
        assert_eq!(e.message.as_deref(), Some("text"));
        assert_eq!(e.reason, None);
        let s = spec(&format!(
            "{BASE}paths: {{}}\nx-error-envelope: {{mesage: text}}\n"
        ));
        let d = error_envelope(&s).unwrap_err();
        assert_eq!(d.pointer, "/x-error-envelope");
        assert!(d.message.contains("mesage") && d.line.is_some(), "{d:?}");
        assert_eq!(
            error_envelope(&spec(&format!("{BASE}paths: {{}}\n"))).unwrap(),
            None
        );
    }

    #[test]
    fn rate_limit_headers_come_from_marked_definitions() {
        let s = spec(&format!(
            "{BASE}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          headers:\n            \
             Budget-Left: {{$ref: '#/components/headers/Left'}}\n            Budget: {{$ref: '#/components/headers/All'}}\n\
             components:\n  headers:\n    Left: {{schema: {{type: integer}}, x-rate-limit: remaining}}\n    \
             All: {{schema: {{type: integer}}, x-rate-limit: limit, example: 100}}\n"
        ));
        assert_eq!(
            rate_limit(&s).unwrap(),
            Some(RateLimit {
                remaining: "budget-left".into(),
                limit: Some("budget".into()),
                default_budget: 100
            })
        );
        let s = spec(&format!("{BASE}paths: {{}}\n"));
        assert_eq!(rate_limit(&s).unwrap(), None);
    }
}
