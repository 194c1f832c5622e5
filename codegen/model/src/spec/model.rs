//! The OpenAPI 3.0.x / 3.1.x envelope, as typed serde structs.
//!
//! Only the envelope is typed: every Schema Object stays a raw `serde_json::Value`, which
//! `jsonschema` validates exactly and the IR reads keyword by keyword. Unknown fields are
//! rejected (a typo must not silently drop part of the contract); `x-` extensions are kept.
//! [`super::fields`] walks the same field lists over the raw document first, so every unknown
//! field is reported at once; parts the client skips (webhooks, callbacks, links) stay raw.

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Specification extensions (`x-…` keys). Any other unknown key is an error.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Extensions(pub IndexMap<String, Value>);

impl Extensions {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }
}

impl<'de> Deserialize<'de> for Extensions {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Extensions;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a map of x- extensions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extensions, A::Error> {
                let mut out = IndexMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !key.starts_with("x-") {
                        return Err(de::Error::custom(format!(
                            "unknown field `{key}` (only OpenAPI fields and `x-` extensions are allowed here)"
                        )));
                    }
                    out.insert(key, map.next_value()?);
                }
                Ok(Extensions(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Either a `$ref` to a component or the object itself.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum RefOr<T> {
    Ref(Reference),
    Item(T),
}

/// A Reference Object. Other siblings are ignored, as OpenAPI says (the loader warns about them).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reference {
    #[serde(rename = "$ref")]
    pub reference: String,
    pub summary: Option<String>,
    pub description: Option<String>,
}

/// Marks an error raised inside a buffered `RefOr` so the loader can rebuild the full pointer.
pub(crate) const NESTED: char = '\u{1}';

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for RefOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        if value.get("$ref").is_some() {
            return serde_path_to_error::deserialize::<_, Reference>(&value)
                .map(RefOr::Ref)
                .map_err(nested_error);
        }
        serde_path_to_error::deserialize::<_, T>(&value)
            .map(RefOr::Item)
            .map_err(nested_error)
    }
}

/// Re-raises an error from a buffered sub-document, carrying its path along in the message.
fn nested_error<E: de::Error>(e: serde_path_to_error::Error<serde_json::Error>) -> E {
    let pointer = path_to_pointer(e.path());
    let inner = e.into_inner().to_string();
    // The inner message may itself carry a nested path: join them.
    match inner.strip_prefix(NESTED) {
        Some(rest) => {
            let (deeper, msg) = rest.split_once(NESTED).unwrap_or(("", rest));
            E::custom(format!("{NESTED}{pointer}{deeper}{NESTED}{msg}"))
        }
        None => E::custom(format!("{NESTED}{pointer}{NESTED}{inner}")),
    }
}

/// Converts a serde path into a JSON pointer.
pub(crate) fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&super::pointer::escape(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// Splits a deserialization error into (pointer, message), joining any nested path.
pub(crate) fn split_error(outer_pointer: String, message: &str) -> (String, String) {
    // serde_json appends " at line X column Y" for text input; for Value input it does not.
    if let Some(start) = message.find(NESTED) {
        let rest = &message[start + 1..];
        if let Some((deeper, msg)) = rest.split_once(NESTED) {
            return (format!("{outer_pointer}{deeper}"), msg.to_string());
        }
    }
    (outer_pointer, message.to_string())
}

/// A map of names (paths, status codes) that may also carry `x-` extensions, which the loader
/// has already warned about: the extensions are dropped here.
fn names_only<'de, D, T>(d: D) -> Result<IndexMap<String, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct V<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
        type Value = IndexMap<String, T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = IndexMap::new();
            while let Some(key) = map.next_key::<String>()? {
                if key.starts_with("x-") {
                    map.next_value::<de::IgnoredAny>()?;
                } else {
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(V(std::marker::PhantomData))
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OpenApi {
    pub openapi: String,
    pub info: Info,
    pub json_schema_dialect: Option<String>,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(default)]
    pub security: Vec<IndexMap<String, Vec<String>>>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    #[serde(default, deserialize_with = "names_only")]
    pub paths: IndexMap<String, PathItem>,
    #[serde(default)]
    pub components: Components,
    pub external_docs: Option<Value>,
    /// Skipped by the client (a warning says so).
    pub webhooks: Option<Value>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    pub title: String,
    /// Required by OpenAPI, missing in some real documents: it only labels output, so a missing
    /// one is a warning (see [`super::fields`]).
    #[serde(default)]
    pub version: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub terms_of_service: Option<String>,
    pub contact: Option<Value>,
    pub license: Option<Value>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    pub variables: Option<Value>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
    pub external_docs: Option<Value>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PathItem {
    /// Written in place by the loader (see [`super::sources`]): always `None` after loading.
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Vec<RefOr<Parameter>>,
    pub get: Option<Operation>,
    pub put: Option<Operation>,
    pub post: Option<Operation>,
    pub delete: Option<Operation>,
    pub patch: Option<Operation>,
    pub head: Option<Operation>,
    pub options: Option<Operation>,
    pub trace: Option<Operation>,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(flatten)]
    pub ext: Extensions,
}

impl PathItem {
    /// The operations of this path, with their lower-case method names, in a fixed order.
    pub fn operations(&self) -> Vec<(&'static str, &Operation)> {
        [
            ("get", &self.get),
            ("put", &self.put),
            ("post", &self.post),
            ("delete", &self.delete),
            ("patch", &self.patch),
            ("head", &self.head),
            ("options", &self.options),
            ("trace", &self.trace),
        ]
        .into_iter()
        .filter_map(|(m, op)| op.as_ref().map(|op| (m, op)))
        .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub operation_id: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub parameters: Vec<RefOr<Parameter>>,
    pub request_body: Option<RefOr<RequestBody>>,
    #[serde(default, deserialize_with = "names_only")]
    pub responses: IndexMap<String, RefOr<Response>>,
    pub security: Option<Vec<IndexMap<String, Vec<String>>>>,
    #[serde(default)]
    pub deprecated: bool,
    pub external_docs: Option<Value>,
    /// Skipped by the client (a warning says so).
    pub callbacks: Option<Value>,
    #[serde(default)]
    pub servers: Vec<Server>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub allow_empty_value: Option<bool>,
    pub style: Option<String>,
    pub explode: Option<bool>,
    pub allow_reserved: Option<bool>,
    pub schema: Option<Value>,
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: IndexMap<String, RefOr<Example>>,
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RequestBody {
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    pub content: IndexMap<String, MediaType>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct MediaType {
    pub schema: Option<Value>,
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: IndexMap<String, RefOr<Example>>,
    #[serde(default)]
    pub encoding: IndexMap<String, Value>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Response {
    pub description: String,
    #[serde(default)]
    pub headers: IndexMap<String, RefOr<Header>>,
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
    /// Skipped by the client (a warning says so).
    pub links: Option<Value>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub deprecated: bool,
    pub allow_empty_value: Option<bool>,
    pub style: Option<String>,
    pub explode: Option<bool>,
    pub allow_reserved: Option<bool>,
    pub schema: Option<Value>,
    pub example: Option<Value>,
    #[serde(default)]
    pub examples: IndexMap<String, RefOr<Example>>,
    #[serde(default)]
    pub content: IndexMap<String, MediaType>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Example {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub value: Option<Value>,
    pub external_value: Option<String>,
    #[serde(flatten)]
    pub ext: Extensions,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Components {
    #[serde(default)]
    pub schemas: IndexMap<String, Value>,
    #[serde(default)]
    pub responses: IndexMap<String, RefOr<Response>>,
    #[serde(default)]
    pub parameters: IndexMap<String, RefOr<Parameter>>,
    #[serde(default)]
    pub examples: IndexMap<String, RefOr<Example>>,
    #[serde(default)]
    pub request_bodies: IndexMap<String, RefOr<RequestBody>>,
    #[serde(default)]
    pub headers: IndexMap<String, RefOr<Header>>,
    #[serde(default)]
    pub security_schemes: IndexMap<String, Value>,
    #[serde(default)]
    pub path_items: IndexMap<String, Value>,
    #[serde(default)]
    pub links: IndexMap<String, Value>,
    #[serde(default)]
    pub callbacks: IndexMap<String, Value>,
    #[serde(flatten)]
    pub ext: Extensions,
}
