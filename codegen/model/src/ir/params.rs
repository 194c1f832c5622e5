//! The parameters of an operation: path, query, header and cookie, with how each is written
//! (`style`, `explode`, `allowReserved`), every `$ref` resolved.
//!
//! - Path-level `parameters` come first; an operation-level one with the same name and
//!   location replaces it.
//! - Defaults are OpenAPI's: `simple` for path and header, `form` for query and cookie;
//!   `explode` is true for `form` only. A style the location does not allow is refused.
//! - A parameter declared with `content` (one media type) instead of `schema` is written as
//!   JSON text for a JSON media type, as the value's text for `text/*`; others are refused.
//! - Header parameters named `Accept`, `Content-Type` or `Authorization` are ignored (OpenAPI
//!   says so: the client sets them), with a warning.
//! - Path templates may be written RFC 6570 style (`{param*}`, `{.param}`, `{;param}`): the
//!   operator and modifiers are dropped and the bare name is matched with the parameter; how
//!   the value is written comes from the parameter's `style` and `explode`.

use serde::Serialize;
use serde_json::Value;

use super::operations::schema_target;
use crate::diagnostics::Diagnostic;
use crate::spec::model::{Operation, Parameter, PathItem};
use crate::spec::{Spec, child};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

impl Location {
    fn parse(s: &str) -> Option<Location> {
        Some(match s {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        }
    }

    fn default_style(self) -> Style {
        match self {
            Location::Path | Location::Header => Style::Simple,
            Location::Query | Location::Cookie => Style::Form,
        }
    }

    fn allows(self, style: Style) -> bool {
        use Style::*;
        match self {
            Location::Path => matches!(style, Simple | Label | Matrix),
            Location::Query => matches!(style, Form | SpaceDelimited | PipeDelimited | DeepObject),
            Location::Header => style == Simple,
            Location::Cookie => style == Form,
        }
    }
}

/// OpenAPI's `style` values (the runtime's `contract_runtime::params::Style` has the same
/// variants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

impl Style {
    fn parse(s: &str) -> Option<Style> {
        Some(match s {
            "form" => Style::Form,
            "simple" => Style::Simple,
            "label" => Style::Label,
            "matrix" => Style::Matrix,
            "spaceDelimited" => Style::SpaceDelimited,
            "pipeDelimited" => Style::PipeDelimited,
            "deepObject" => Style::DeepObject,
            _ => return None,
        })
    }

    /// The variant's name, as the runtime spells it.
    pub fn variant(self) -> &'static str {
        match self {
            Style::Form => "Form",
            Style::Simple => "Simple",
            Style::Label => "Label",
            Style::Matrix => "Matrix",
            Style::SpaceDelimited => "SpaceDelimited",
            Style::PipeDelimited => "PipeDelimited",
            Style::DeepObject => "DeepObject",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamIr {
    /// The wire name, as the spec writes it.
    pub name: String,
    pub location: Location,
    pub required: bool,
    pub deprecated: bool,
    pub description: Option<String>,
    pub style: Style,
    pub explode: bool,
    pub allow_reserved: bool,
    /// Pointer of the value's schema (the media type's schema for a `content` parameter).
    pub schema_pointer: String,
    /// Declared with `content`: written as JSON text.
    pub json: bool,
    pub example: Option<Value>,
    /// Where the (resolved) parameter object lives.
    pub pointer: String,
}

/// Headers OpenAPI says to ignore as parameters (lower-case).
const IGNORED_HEADERS: &[&str] = &["accept", "content-type", "authorization"];

/// The operation's parameters, merged and checked. Problems go to `diags`, skipped
/// parameters to `warnings`; what is returned is only what can be generated.
pub fn collect(
    spec: &Spec,
    path: &str,
    (item, item_ptr): (&PathItem, &str),
    (op, op_ptr): (&Operation, &str),
    diags: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<ParamIr> {
    let mut merged: Vec<(&Parameter, String)> = Vec::new();
    let lists = [
        (&item.parameters, child(item_ptr, &["parameters"])),
        (&op.parameters, child(op_ptr, &["parameters"])),
    ];
    for (list, list_ptr) in lists {
        for (i, p) in list.iter().enumerate() {
            match spec.deref(p, &format!("{list_ptr}/{i}"), |c, n| c.parameters.get(n)) {
                Ok((param, ptr)) => {
                    merged.retain(|(q, _)| !(q.name == param.name && q.location == param.location));
                    merged.push((param, ptr));
                }
                Err(d) => diags.push(d),
            }
        }
    }
    let names = template_names(path);
    // Path parameters declared, valid or not: a broken one is reported once, at itself.
    let declared: Vec<String> = merged
        .iter()
        .filter(|(p, _)| p.location == "path")
        .map(|(p, _)| p.name.clone())
        .collect();
    let mut out = Vec::new();
    for (p, ptr) in merged {
        if let Some(param) = one(spec, p, &ptr, &names, path, diags, warnings) {
            out.push(param);
        }
    }
    for name in names.iter().filter(|n| !declared.contains(n)) {
        diags.push(
            spec.diag(item_ptr, format!("`{{{name}}}` in the path has no parameter"))
                .hint(format!(
                    "declare `- {{name: {name}, in: path, required: true, schema: {{type: string}}}}`"
                )),
        );
    }
    out
}

fn one(
    spec: &Spec,
    p: &Parameter,
    ptr: &str,
    names: &[String],
    path: &str,
    diags: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Option<ParamIr> {
    let Some(location) = Location::parse(&p.location) else {
        diags.push(
            spec.diag(
                &child(ptr, &["in"]),
                format!(
                    "parameter location `{}` is not one of path, query, header, cookie",
                    p.location
                ),
            )
            .hint("write `in: path`, `query`, `header` or `cookie`"),
        );
        return None;
    };
    if location == Location::Header && IGNORED_HEADERS.contains(&p.name.to_ascii_lowercase().as_str()) {
        warnings.push(
            spec.diag(
                &child(ptr, &["name"]),
                format!(
                    "header parameter `{}` is ignored: OpenAPI says the client sets it",
                    p.name
                ),
            )
            .warning(),
        );
        return None;
    }
    if matches!(location, Location::Header | Location::Cookie) && !is_token(&p.name) {
        diags.push(
            spec.diag(
                &child(ptr, &["name"]),
                format!(
                    "`{}` cannot name a {}: HTTP allows letters, digits and !#$%&'*+-.^_`|~ only",
                    p.name,
                    location.as_str()
                ),
            )
            .hint("rename the parameter"),
        );
        return None;
    }
    let style = match p.style.as_deref() {
        None => location.default_style(),
        Some(s) => match Style::parse(s) {
            Some(style) if location.allows(style) => style,
            Some(_) => {
                diags.push(
                    spec.diag(
                        &child(ptr, &["style"]),
                        format!("style `{s}` is not allowed for {} parameters", location.as_str()),
                    )
                    .hint(allowed_hint(location)),
                );
                return None;
            }
            None => {
                diags.push(
                    spec.diag(&child(ptr, &["style"]), format!("unknown parameter style `{s}`"))
                        .hint(allowed_hint(location)),
                );
                return None;
            }
        },
    };
    let mut required = p.required;
    if location == Location::Path {
        if !names.contains(&p.name) {
            diags.push(spec.diag(
                &child(ptr, &["name"]),
                format!("path parameter `{}` does not appear in `{path}`", p.name),
            ));
            return None;
        }
        if !required {
            warnings.push(
                spec.diag(
                    ptr,
                    format!(
                        "path parameter `{}` is not marked `required: true`: it is required anyway",
                        p.name
                    ),
                )
                .warning(),
            );
            required = true;
        }
    }
    let (schema_pointer, json) = match (&p.schema, p.content.len()) {
        (Some(schema), 0) => (schema_target(spec, schema, &child(ptr, &["schema"])), false),
        (None, 1) => {
            let (media, m) = p.content.iter().next()?;
            let at = child(ptr, &["content", media]);
            // JSON content is sent as JSON text; text content as the value's own text.
            let json = is_json(media);
            if !json && !media.to_ascii_lowercase().starts_with("text/") {
                diags.push(
                    spec.diag(
                        &at,
                        format!(
                            "parameter `{}` has content `{media}`: only JSON and text content are generated",
                            p.name
                        ),
                    )
                    .hint(
                        "use `application/json` (the value is sent as JSON text), `text/plain` or a `schema`",
                    ),
                );
                return None;
            }
            match &m.schema {
                Some(schema) => (schema_target(spec, schema, &child(&at, &["schema"])), json),
                None => {
                    diags.push(spec.diag(&at, format!("parameter `{}` content has no schema", p.name)));
                    return None;
                }
            }
        }
        (None, 0) => {
            diags.push(
                spec.diag(ptr, format!("parameter `{}` has no schema", p.name))
                    .hint("add `schema: {type: string}`"),
            );
            return None;
        }
        _ => {
            diags.push(
                spec.diag(
                    ptr,
                    format!(
                        "parameter `{}` needs exactly one of `schema` and a one-entry `content`",
                        p.name
                    ),
                )
                .hint("OpenAPI allows `schema` or `content` (with one media type), not both"),
            );
            return None;
        }
    };
    let schema_pointer = match schema_pointer {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    Some(ParamIr {
        name: p.name.clone(),
        location,
        required,
        deprecated: p.deprecated,
        description: p.description.clone(),
        style,
        explode: p.explode.unwrap_or(style == Style::Form),
        allow_reserved: p.allow_reserved.unwrap_or(false),
        schema_pointer,
        json,
        example: p.example.clone(),
        pointer: ptr.to_string(),
    })
}

fn allowed_hint(location: Location) -> String {
    let list = match location {
        Location::Path => "simple, label, matrix",
        Location::Query => "form, spaceDelimited, pipeDelimited, deepObject",
        Location::Header => "simple",
        Location::Cookie => "form",
    };
    format!("{} parameters take: {list}", location.as_str())
}

/// An HTTP token (RFC 9110): what a header or cookie name may be.
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// `application/json`, with parameters or a `+json` suffix.
fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePart<'a> {
    Literal(&'a str),
    /// A `{...}` expression: the bare parameter name.
    Param(String),
}

/// The path template split into literal text and parameter expressions.
pub fn template_parts(path: &str) -> Vec<TemplatePart<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        if start > 0 {
            out.push(TemplatePart::Literal(&rest[..start]));
        }
        out.push(TemplatePart::Param(bare_name(&rest[start + 1..start + len])));
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        out.push(TemplatePart::Literal(rest));
    }
    out
}

/// The parameter names of a path template, in order.
pub fn template_names(path: &str) -> Vec<String> {
    template_parts(path)
        .into_iter()
        .filter_map(|p| match p {
            TemplatePart::Param(n) => Some(n),
            TemplatePart::Literal(_) => None,
        })
        .collect()
}

/// `param`, `param*`, `.param`, `;param*`, `+param:3` → `param` (RFC 6570 operator, explode
/// and prefix modifiers dropped).
fn bare_name(expr: &str) -> String {
    let expr = expr
        .strip_prefix(['+', '#', '.', '/', ';', '?', '&'])
        .unwrap_or(expr);
    let expr = expr.strip_suffix('*').unwrap_or(expr);
    match expr.rsplit_once(':') {
        Some((name, len)) if !len.is_empty() && len.bytes().all(|b| b.is_ascii_digit()) => name.to_string(),
        _ => expr.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_written_rfc6570_style_name_their_parameter() {
        assert_eq!(
            template_names("/a/{id}/{param*}/{.label}/{;m*}/{+r:3}/{1param}"),
            ["id", "param", "label", "m", "r", "1param"]
        );
        assert_eq!(
            template_parts("/x/{.p}.json"),
            [
                TemplatePart::Literal("/x/"),
                TemplatePart::Param("p".to_string()),
                TemplatePart::Literal(".json")
            ]
        );
        assert_eq!(template_parts("/plain"), [TemplatePart::Literal("/plain")]);
    }

    #[test]
    fn styles_per_location() {
        assert!(Location::Path.allows(Style::Matrix));
        assert!(!Location::Path.allows(Style::Form));
        assert!(Location::Query.allows(Style::DeepObject));
        assert!(!Location::Header.allows(Style::Form));
        assert!(!Location::Cookie.allows(Style::Simple));
        assert!(is_json("application/json; charset=utf-8"));
        assert!(is_json("application/problem+json"));
        assert!(!is_json("text/plain"));
        assert!(is_token("Idempotency-Key") && is_token("1-Starting-With-Number"));
        assert!(!is_token("X Trace") && !is_token("") && !is_token("a:b"));
    }
}
