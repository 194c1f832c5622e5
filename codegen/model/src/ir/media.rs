//! Media types: which entry of a `content` map the client uses, and how its body travels.
//!
//! Media types are parsed with the `mime` crate (parameters such as `charset` and `+json`
//! suffixes included), never compared as strings. Each parsed type falls into one
//! [`BodyKind`]; when a `content` map lists several, the client uses one, by this rule:
//!
//! `text/*` is a `String` when its charset is UTF-8 (or unnamed, or US-ASCII); text in
//! another charset is bytes, so nothing is mis-decoded.
//!
//! - requests: JSON, then `application/x-www-form-urlencoded`, then `multipart/form-data`,
//!   then text, then raw bytes (the server accepts each, so any choice is correct);
//! - responses: JSON, then text, then raw bytes; the request's `Accept` header lists every
//!   listed type of the chosen kind (each decodes the same way), see [`accept_list`].
//!
//! Media types of no known kind (`application/xml`, `application/pdf`...) are raw bytes: the
//! caller sends or reads them as they are, which cannot be wrong. The entries not chosen are
//! skipped with a located warning. Refused, located: a key that is not a media type, and a
//! request media type with a wildcard (the client would have to invent a `Content-Type`).

use indexmap::IndexMap;
use mime::Mime;
use serde::Serialize;

use crate::diagnostics::Diagnostic;
use crate::spec::model::MediaType;
use crate::spec::{Spec, child};

/// How a body is encoded on the wire, and so which Rust type carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum BodyKind {
    /// `application/json`, with parameters or a `+json` suffix: the schema's type, as JSON.
    Json,
    /// `application/x-www-form-urlencoded` request bodies: the schema's type, form-encoded.
    Form,
    /// `multipart/form-data` request bodies: parts built by the caller (text and files).
    Multipart,
    /// `text/*`: a `String`.
    Text,
    /// Anything else (`application/octet-stream`, `image/*`, ...): bytes as they are.
    Binary,
}

impl BodyKind {
    /// Whether the body's type is read from its schema.
    pub fn typed(self) -> bool {
        matches!(self, BodyKind::Json | BodyKind::Form)
    }
}

/// Which side of an exchange a `content` map describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Request,
    Response,
}

/// The kind of a media type, or why it is not one.
pub fn classify(media_type: &str) -> Result<(BodyKind, Mime), String> {
    let m: Mime = media_type
        .parse()
        .map_err(|e| format!("`{media_type}` is not a media type: {e}"))?;
    let kind = if m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON) {
        BodyKind::Json
    } else if m.essence_str() == mime::APPLICATION_WWW_FORM_URLENCODED.essence_str() {
        BodyKind::Form
    } else if m.essence_str() == mime::MULTIPART_FORM_DATA.essence_str() {
        BodyKind::Multipart
    } else if m.type_() == mime::TEXT
        && m.get_param(mime::CHARSET)
            .is_none_or(|c| c == mime::UTF_8 || c.as_str().eq_ignore_ascii_case("us-ascii"))
    {
        // Rust strings are UTF-8: text in another charset travels as bytes.
        BodyKind::Text
    } else {
        BodyKind::Binary
    };
    Ok((kind, m))
}

/// The entry of a content map the client uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MediaChoice {
    /// The media type as the spec writes it (sent as `Content-Type` for requests).
    pub media_type: String,
    pub kind: BodyKind,
    /// Pointer of the Media Type Object.
    pub pointer: String,
    /// Every media type of the map with the chosen kind, in spec order: responses of any of
    /// them decode alike.
    pub same_kind: Vec<String>,
}

/// What [`choose`] picked from a content map.
pub struct Chosen<'a> {
    /// The entry the client uses; `None` for an empty map.
    pub media: Option<(&'a MediaType, MediaChoice)>,
    /// A located warning for each entry skipped.
    pub skipped: Vec<Diagnostic>,
}

/// Picks the entry of `content` (under `owner`) the client uses, by the rule in the module
/// docs.
pub fn choose<'a>(
    spec: &Spec,
    content: &'a IndexMap<String, MediaType>,
    owner: &str,
    side: Side,
) -> Result<Chosen<'a>, Diagnostic> {
    let at = child(owner, &["content"]);
    let mut best: Option<(&MediaType, MediaChoice)> = None;
    let mut kinds = Vec::new();
    for (key, media) in content {
        let pointer = child(&at, &[key]);
        let (mut kind, parsed) = classify(key).map_err(|e| {
            spec.diag(&pointer, e)
                .hint("write a media type such as `application/json` or `text/plain; charset=utf-8`")
        })?;
        if side == Side::Response && matches!(kind, BodyKind::Form | BodyKind::Multipart) {
            // Not decoded by the client: kept as the bytes that came.
            kind = BodyKind::Binary;
        }
        if side == Side::Request && (parsed.type_() == mime::STAR || parsed.subtype() == mime::STAR) {
            if content.len() == 1 {
                return Err(spec
                    .diag(&pointer, format!("request media type `{key}` is a wildcard"))
                    .hint("name the exact media type the server accepts, e.g. `image/png`"));
            }
            continue;
        }
        kinds.push((key, kind));
        let choice = MediaChoice {
            media_type: key.clone(),
            kind,
            pointer,
            same_kind: Vec::new(),
        };
        if best.as_ref().is_none_or(|(_, b)| kind < b.kind) {
            best = Some((media, choice));
        }
    }
    if let Some((_, chosen)) = &mut best {
        chosen.same_kind = kinds
            .iter()
            .filter(|(_, k)| *k == chosen.kind)
            .map(|(m, _)| m.to_string())
            .collect();
    }
    let warnings = match &best {
        None => Vec::new(),
        Some((_, chosen)) => content
            .keys()
            .filter(|k| !chosen.same_kind.contains(k))
            .map(|k| {
                spec.diag(
                    &child(&at, &[k]),
                    format!(
                        "media type `{k}` is skipped: the client uses `{}` here",
                        chosen.media_type
                    ),
                )
                .hint(match side {
                    Side::Request => "the client sends one media type; the server accepts each listed",
                    Side::Response => {
                        "the client asks for the media type it uses in `Accept`, and decodes only that kind"
                    }
                })
                .warning()
            })
            .collect(),
    };
    Ok(Chosen {
        media: best,
        skipped: warnings,
    })
}

/// The warnings for every media type the client skips, over the whole document (the
/// generator prints them; refusals come from building the IR).
pub fn skipped(spec: &Spec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (path, item) in &spec.api.paths {
        let item_ptr = child("/paths", &[path]);
        for (method, op) in item.operations() {
            let op_ptr = child(&item_ptr, &[method]);
            if let Some(rb) = &op.request_body
                && let Ok((body, ptr)) = spec.deref(rb, &child(&op_ptr, &["requestBody"]), |c, n| {
                    c.request_bodies.get(n)
                })
                && let Ok(chosen) = choose(spec, &body.content, &ptr, Side::Request)
            {
                out.extend(chosen.skipped);
            }
            for (code, r) in &op.responses {
                if let Ok((resp, ptr)) = spec.deref(r, &child(&op_ptr, &["responses", code]), |c, n| {
                    c.responses.get(n)
                }) && let Ok(chosen) = choose(spec, &resp.content, &ptr, Side::Response)
                {
                    out.extend(chosen.skipped);
                }
            }
        }
    }
    // A component used by several operations is reported once.
    let mut seen = std::collections::HashSet::new();
    out.retain(|d| seen.insert(d.pointer.clone()));
    out
}

/// One part of a `multipart/form-data` body, as its schema describes it (for the docs of
/// the generated method: the caller builds the parts).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartDoc {
    pub name: String,
    pub required: bool,
    /// A file part (`format: binary`, or a `contentMediaType`/`contentEncoding`).
    pub file: bool,
    /// The part's media type from the `encoding` map, when given.
    pub content_type: Option<String>,
}

/// The parts a multipart body's schema lists (its top-level properties, `$ref`s followed).
pub fn multipart_parts(spec: &Spec, schema_pointer: &str, media_pointer: &str) -> Vec<PartDoc> {
    let resolve = |v: &'_ serde_json::Value| -> Option<serde_json::Value> {
        match v.get("$ref").and_then(serde_json::Value::as_str) {
            Some(r) => spec.at(&spec.ref_pointer(r, "").ok()?).cloned(),
            None => Some(v.clone()),
        }
    };
    let Some(schema) = spec.at(schema_pointer).and_then(resolve) else {
        return Vec::new();
    };
    let required: Vec<&str> = schema
        .get("required")
        .and_then(serde_json::Value::as_array)
        .map(|a| a.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    let encoding = spec.at(&child(media_pointer, &["encoding"]));
    let Some(props) = schema.get("properties").and_then(serde_json::Value::as_object) else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, prop)| {
            let prop = resolve(prop).unwrap_or_default();
            let is_file = |p: &serde_json::Value| {
                p.get("format").and_then(serde_json::Value::as_str) == Some("binary")
                    || p.get("contentMediaType").is_some()
                    || p.get("contentEncoding").is_some()
            };
            let file = is_file(&prop) || prop.get("items").is_some_and(is_file);
            PartDoc {
                name: name.clone(),
                required: required.contains(&name.as_str()),
                file,
                content_type: encoding
                    .and_then(|e| e.get(name))
                    .and_then(|e| e.get("contentType"))
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string),
            }
        })
        .collect()
}

/// Whether a form body's type can be form-encoded: an object whose fields are scalars
/// (strings, numbers, booleans, string enums, validated strings). Nested objects and arrays
/// have no one form encoding a server would agree on, and are refused.
pub fn form_encodable(ty: &super::types::TypeRef, types: &super::types::TypeSpace) -> bool {
    use super::types::{TypeKind, TypeRef};
    let scalar = |t: &TypeRef| match t {
        TypeRef::String | TypeRef::Integer { .. } | TypeRef::Number | TypeRef::Boolean => true,
        TypeRef::Named(n) => matches!(
            types.get(n).map(|t| &t.kind),
            Some(TypeKind::Constrained(_) | TypeKind::StringEnum(_))
        ),
        _ => false,
    };
    let TypeRef::Named(n) = ty else {
        return false;
    };
    match types.get(n).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().all(|f| scalar(&f.ty)),
        Some(TypeKind::Choice(c)) => c.fields.iter().all(|f| scalar(&f.ty)),
        _ => false,
    }
}

/// The `Accept` header of an operation: the response media types it decodes
/// ([`MediaChoice::same_kind`]), once each, in order; `None` when every one is JSON or there
/// is none (the client's default, `application/json`, then applies).
pub fn accept_list<'a>(chosen: impl IntoIterator<Item = (&'a str, BodyKind)>) -> Option<String> {
    let mut list: Vec<&str> = Vec::new();
    let mut all_json = true;
    for (media_type, kind) in chosen {
        all_json &= kind == BodyKind::Json;
        if !list.contains(&media_type) {
            list.push(media_type);
        }
    }
    (!all_json && !list.is_empty()).then(|| list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_with_parameters_and_suffixes_is_json() {
        for t in [
            "application/json",
            "application/json;charset=UTF-8",
            "application/json; charset=utf-8",
            "application/problem+json",
            "application/merge-patch+json",
            "Application/JSON",
        ] {
            assert_eq!(classify(t).unwrap().0, BodyKind::Json, "{t}");
        }
    }

    #[test]
    fn other_kinds() {
        assert_eq!(classify("text/plain").unwrap().0, BodyKind::Text);
        assert_eq!(classify("text/csv; charset=utf-8").unwrap().0, BodyKind::Text);
        assert_eq!(classify("text/plain; charset=UTF-8").unwrap().0, BodyKind::Text);
        assert_eq!(
            classify("text/plain; charset=iso-8859-1").unwrap().0,
            BodyKind::Binary
        );
        assert_eq!(classify("application/octet-stream").unwrap().0, BodyKind::Binary);
        assert_eq!(classify("image/*").unwrap().0, BodyKind::Binary);
        assert_eq!(classify("application/xml").unwrap().0, BodyKind::Binary);
        assert_eq!(
            classify("application/x-www-form-urlencoded").unwrap().0,
            BodyKind::Form
        );
        assert_eq!(classify("multipart/form-data").unwrap().0, BodyKind::Multipart);
        assert!(classify("json").is_err());
        assert!(classify("").is_err());
    }

    #[test]
    fn accept_lists_only_when_something_is_not_json() {
        assert_eq!(accept_list([("application/json", BodyKind::Json)]), None);
        assert_eq!(accept_list([]), None);
        assert_eq!(
            accept_list([
                ("text/plain", BodyKind::Text),
                ("application/problem+json", BodyKind::Json),
                ("text/plain", BodyKind::Text),
            ]),
            Some("text/plain, application/problem+json".to_string())
        );
    }
}
