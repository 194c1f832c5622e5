//! The operation's parameters as the conformance tools meet them: the value the runner sends
//! for each (its documented example), and whether the values a request carries pass their
//! schemas (the mock and the proxy ask the same question here).
//!
//! Values are written and read by `contract_runtime::params`, the one writer and parser of
//! OpenAPI's styles. What a parser returns has string leaves (the wire has no types); a value
//! passes when it, or the same value with each leaf that spells a number or boolean read as
//! one (`10` → 10), passes the schema. A parameter declared with JSON `content` carries JSON
//! text, which is parsed first.

use contract_model::Spec;
use contract_model::ir::params::{Location, ParamIr, Style as IrStyle};
use contract_model::spec::child;
use contract_model::spec::validators::CompiledSchema;
use contract_runtime::params::{self as wire, Format, Kind, Style};
use http::HeaderMap;
use serde_json::Value;

/// One parameter with its compiled schema.
pub struct ParamContract {
    pub ir: ParamIr,
    pub schema: CompiledSchema,
    pub kind: Kind,
    /// Marked `x-pii` (on the parameter or its schema): its value is never shown.
    pub pii: bool,
}

/// A parameter a request got wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamProblem {
    pub name: String,
    pub location: Location,
    /// `required`, or the schema keyword the value breaks (`enum`, `pattern`, ...).
    pub keyword: String,
    pub message: String,
}

impl ParamProblem {
    /// `/query/lang`, `/headers/x-trace`, `/cookies/session`, `/path/id`.
    pub fn pointer(&self) -> String {
        let section = match self.location {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "headers",
            Location::Cookie => "cookies",
        };
        let name = match self.location {
            Location::Header => self.name.to_ascii_lowercase(),
            _ => self.name.clone(),
        };
        child(&format!("/{section}"), &[&name])
    }
}

/// How `p` is written, in the runtime's terms.
pub fn format(p: &ParamIr) -> Format {
    let style = match p.style {
        IrStyle::Form => Style::Form,
        IrStyle::Simple => Style::Simple,
        IrStyle::Label => Style::Label,
        IrStyle::Matrix => Style::Matrix,
        IrStyle::SpaceDelimited => Style::SpaceDelimited,
        IrStyle::PipeDelimited => Style::PipeDelimited,
        IrStyle::DeepObject => Style::DeepObject,
    };
    Format::new(style, p.explode, p.allow_reserved)
}

impl ParamContract {
    pub fn new(spec: &Spec, ir: ParamIr, schema: CompiledSchema) -> ParamContract {
        let schema_value = spec.at(&ir.schema_pointer);
        let kind = match (ir.json, schema_value) {
            (true, _) | (_, None) => Kind::Scalar,
            (false, Some(s)) => Kind::of_schema(s),
        };
        let marked =
            |v: Option<&Value>| v.and_then(|v| v.get("x-pii")).and_then(Value::as_bool) == Some(true);
        let pii = marked(spec.at(&ir.pointer)) || marked(schema_value);
        ParamContract {
            ir,
            schema,
            kind,
            pii,
        }
    }

    /// Whether a value read from the wire passes the schema (see the module docs).
    pub fn accepts(&self, wire: &Value) -> bool {
        if self.ir.json {
            return wire
                .as_str()
                .and_then(|t| serde_json::from_str::<Value>(t).ok())
                .is_some_and(|v| self.schema.is_valid(&v));
        }
        self.schema.is_valid(wire) || self.schema.is_valid(&typed(wire))
    }

    /// The first rule `wire` breaks, as a problem (values are not quoted: they may be
    /// personal data).
    fn problem(&self, wire: &Value) -> Option<ParamProblem> {
        if self.accepts(wire) {
            return None;
        }
        let keyword = self
            .schema
            .errors(&typed(wire))
            .into_iter()
            .next()
            .map(|e| e.keyword)
            .unwrap_or_else(|| "type".to_string());
        Some(ParamProblem {
            name: self.ir.name.clone(),
            location: self.ir.location,
            keyword: keyword.clone(),
            message: format!(
                "{} parameter `{}` does not match its schema ({keyword})",
                self.ir.location.as_str(),
                self.ir.name
            ),
        })
    }

    /// Reads a path parameter from the text its template expression matched, by its style.
    pub fn check_path(&self, raw: &str) -> Option<ParamProblem> {
        let value = wire::parse_path(&self.ir.name, format(&self.ir), self.kind, raw)
            .unwrap_or_else(|| Value::String(raw.to_string()));
        self.problem(&value)
    }
}

/// Leaves that spell a number or boolean, read as one.
fn typed(v: &Value) -> Value {
    match v {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(n @ (Value::Number(_) | Value::Bool(_))) => n,
            _ => v.clone(),
        },
        Value::Array(items) => Value::Array(items.iter().map(typed).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), typed(v))).collect()),
        other => other.clone(),
    }
}

/// The values a request carries for the query, header and cookie parameters of `params`
/// (`None` where it carries none), read by their styles.
fn read_all<'p>(
    params: &'p [ParamContract],
    query: Option<&str>,
    headers: &HeaderMap,
) -> Vec<(&'p ParamContract, Option<Value>)> {
    let names = |loc: Location| -> Vec<&str> {
        params
            .iter()
            .filter(|p| p.ir.location == loc)
            .map(|p| p.ir.name.as_str())
            .collect()
    };
    let (query_names, cookie_names) = (names(Location::Query), names(Location::Cookie));
    let cookies = joined(headers, "cookie", "; ");
    let mut out = Vec::new();
    for p in params {
        let f = format(&p.ir);
        let others = |all: &[&str]| -> Vec<String> {
            all.iter()
                .filter(|n| **n != p.ir.name)
                .map(|n| n.to_string())
                .collect()
        };
        let value = match p.ir.location {
            Location::Path => continue,
            Location::Query => {
                let others = others(&query_names);
                let others: Vec<&str> = others.iter().map(String::as_str).collect();
                query.and_then(|q| wire::parse_query(&p.ir.name, f, p.kind, q, &others))
            }
            Location::Cookie => {
                let others = others(&cookie_names);
                let others: Vec<&str> = others.iter().map(String::as_str).collect();
                cookies
                    .as_deref()
                    .and_then(|c| wire::parse_cookie(&p.ir.name, f, p.kind, c, &others))
            }
            Location::Header => joined(headers, &p.ir.name, ",").map(|t| wire::parse_header(f, p.kind, &t)),
        };
        out.push((p, value));
    }
    out
}

/// Every query, header and cookie parameter of `params` that `query` (without `?`) and
/// `headers` get wrong: a required one missing, or a value its schema refuses.
pub fn check(params: &[ParamContract], query: Option<&str>, headers: &HeaderMap) -> Vec<ParamProblem> {
    let mut out = Vec::new();
    for (p, value) in read_all(params, query, headers) {
        match value {
            None if p.ir.required => out.push(ParamProblem {
                name: p.ir.name.clone(),
                location: p.ir.location,
                keyword: "required".to_string(),
                message: format!(
                    "required {} parameter `{}` is missing",
                    p.ir.location.as_str(),
                    p.ir.name
                ),
            }),
            None => {}
            Some(v) => out.extend(p.problem(&v)),
        }
    }
    out
}

/// The values of the query, header and cookie parameters marked `x-pii` that a request
/// carries, as read and percent-encoded (as a URL carries them): never to be shown.
pub fn personal_values(params: &[ParamContract], query: Option<&str>, headers: &HeaderMap) -> Vec<String> {
    fn leaves(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) if !s.is_empty() => {
                out.push(s.clone());
                out.push(contract_runtime::encode::path(s).to_string());
            }
            Value::Array(items) => items.iter().for_each(|i| leaves(i, out)),
            Value::Object(map) => map.values().for_each(|i| leaves(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (_, value) in read_all(params, query, headers)
        .into_iter()
        .filter(|(p, _)| p.pii)
    {
        if let Some(v) = value {
            leaves(&v, &mut out);
        }
    }
    out
}

/// Every value of header `name`, joined (`None` when there is none, or one is not text).
fn joined(headers: &HeaderMap, name: &str, sep: &str) -> Option<String> {
    let values: Vec<&str> = headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().ok())
        .collect::<Option<_>>()?;
    (!values.is_empty()).then(|| values.join(sep))
}

/// The value the runner sends for `p`: its `example`, else the first of its `examples`,
/// else its schema's `examples`, `example`, `enum` or `default`.
pub fn example(spec: &Spec, p: &ParamIr) -> Option<Value> {
    if let Some(v) = &p.example {
        return Some(v.clone());
    }
    let from_param = spec
        .at(&p.pointer)
        .and_then(|o| o.get("examples")?.as_object()?.keys().next())
        .and_then(|key| {
            let (_, example) = spec
                .resolver()
                .follow(&child(&p.pointer, &["examples", key]))
                .ok()?;
            example.get("value")
        });
    let schema = spec.at(&p.schema_pointer);
    from_param
        .or_else(|| schema?.get("examples").and_then(|e| e.as_array()?.first()))
        .or_else(|| schema?.get("example"))
        .or_else(|| schema?.get("enum").and_then(|e| e.as_array()?.first()))
        .or_else(|| schema?.get("default"))
        .cloned()
}

/// A query, header or cookie parameter written for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Query text to append (`name=value`, already encoded, may hold several `&`).
    pub query: Vec<String>,
    /// Headers, the `Cookie` header included: (name, value, personal data).
    pub headers: Vec<(String, String, bool)>,
}

/// Writes every query, header and cookie parameter that has a value in `values` (name →
/// value), in the order of `params`.
pub fn write(params: &[ParamContract], values: &[(String, Value)]) -> Result<Written, String> {
    let mut out = Written {
        query: Vec::new(),
        headers: Vec::new(),
    };
    let mut cookies = wire::Cookies::default();
    let mut cookie_pii = false;
    for p in params {
        let Some((_, value)) = values.iter().find(|(n, _)| *n == p.ir.name) else {
            continue;
        };
        let f = format(&p.ir);
        let json;
        let value = if p.ir.json {
            json = Value::String(wire::write_json(&p.ir.name, value).map_err(|e| e.to_string())?);
            &json
        } else {
            value
        };
        match p.ir.location {
            Location::Path => {}
            Location::Query => {
                let mut q = String::new();
                wire::write_query(&mut q, &p.ir.name, f, value).map_err(|e| e.to_string())?;
                if let Some(q) = q.strip_prefix('?') {
                    out.query.push(q.to_string());
                }
            }
            Location::Header => {
                if let Some(text) = wire::header_text(&p.ir.name, f, value).map_err(|e| e.to_string())? {
                    out.headers.push((p.ir.name.clone(), text, p.pii));
                }
            }
            Location::Cookie => {
                cookies.push(&p.ir.name, f, value).map_err(|e| e.to_string())?;
                cookie_pii |= p.pii;
            }
        }
    }
    if let Some(c) = cookies.header_value() {
        out.headers.push(("Cookie".to_string(), c, cookie_pii));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::Contract;

    const SPEC: &str = r#"openapi: 3.1.0
info: {title: styles, version: '1'}
paths:
  /items/{id}:
    get:
      operationId: getItem
      parameters:
        - {name: id, in: path, required: true, style: matrix, explode: true, schema: {type: array, items: {type: integer}}, example: [1, 2]}
        - {name: tags, in: query, style: pipeDelimited, schema: {type: array, items: {type: string, enum: [a, b]}}, example: [a, b]}
        - {name: filter, in: query, style: deepObject, schema: {type: object, properties: {min: {type: integer}}}, example: {min: 3}}
        - {name: X-Limit, in: header, required: true, schema: {type: integer, maximum: 10}, example: 5}
        - {name: sess, in: cookie, schema: {type: string, x-pii: true}, examples: {one: {$ref: '#/components/examples/Session'}}}
      responses:
        '200': {description: ok}
components:
  examples:
    Session: {value: abc}
"#;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (n, v) in pairs {
            h.append(
                http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn examples_are_written_in_their_style_and_read_back_by_the_checks() {
        let c = Contract::from_source("styles.yaml", SPEC.to_string()).unwrap_or_else(|d| panic!("{d}"));
        let op = &c.operations[0];
        let examples: Vec<(String, Value)> = op
            .params
            .iter()
            .filter_map(|p| Some((p.ir.name.clone(), example(&c.spec, &p.ir)?)))
            .collect();
        let path = op.path_for_values(&[examples[0].1.clone()]);
        assert_eq!(path, "/items/;id=1;id=2");
        assert!(op.path_param_valid(0, ";id=1;id=2"));
        assert!(!op.path_param_valid(0, ";id=1;id=x"));
        assert!(c.route("GET", &path).is_some());

        let w = write(&op.params, &examples).unwrap();
        assert_eq!(w.query, ["tags=a|b", "filter[min]=3"]);
        assert_eq!(
            w.headers,
            [
                ("X-Limit".to_string(), "5".to_string(), false),
                ("Cookie".to_string(), "sess=abc".to_string(), true)
            ]
        );
        let query = w.query.join("&");
        let sent = headers(&[("x-limit", "5"), ("cookie", "sess=abc")]);
        assert_eq!(op.param_problems(Some(&query), &sent), []);

        let keywords = |q: &str, h: &[(&str, &str)]| -> Vec<(String, String)> {
            op.param_problems(Some(q), &headers(h))
                .into_iter()
                .map(|p| (p.pointer(), p.keyword))
                .collect()
        };
        assert_eq!(
            keywords("tags=a|c&filter[min]=x", &[("X-Limit", "11")]),
            [
                ("/query/tags".to_string(), "enum".to_string()),
                ("/query/filter".to_string(), "type".to_string()),
                ("/headers/x-limit".to_string(), "maximum".to_string())
            ]
        );
        assert_eq!(
            keywords("", &[]),
            [("/headers/x-limit".to_string(), "required".to_string())]
        );
    }

    #[test]
    fn personal_data_parameters_are_secrets_of_the_exchange() {
        use crate::proxy::{Captured, Checker, Exchange};
        let c = Contract::from_source("styles.yaml", SPEC.to_string()).unwrap_or_else(|d| panic!("{d}"));
        let op = &c.operations[0];
        let sent = headers(&[("x-limit", "11"), ("cookie", "sess=personal%20secret-1")]);
        assert_eq!(
            personal_values(&op.params, Some("tags=a"), &sent),
            ["personal secret-1", "personal%20secret-1"]
        );
        let checker = Checker::new(&c).unwrap();
        let ex = Exchange {
            method: "GET".into(),
            target: "/items/;id=1?tags=a".into(),
            request_headers: crate::proxy::header_map([
                ("x-limit", "11"),
                ("cookie", "sess=personal%20secret-1"),
            ]),
            request_body: Captured::whole(""),
            status: 200,
            response_headers: http::HeaderMap::new(),
            response_body: Captured::whole(""),
        };
        let scrubbed = checker.secrets(&ex).scrub("Cookie: sess=personal%20secret-1");
        assert!(!scrubbed.contains("secret-1"), "{scrubbed}");
        let checked = checker.check(&ex);
        assert!(checked.violations.iter().any(|v| v.pointer == "/headers/x-limit"));
    }
}
