//! What spec change would reconcile a drift: a short note and, where the change can be said
//! exactly, JSON Patch (RFC 6902) operations on the spec document.
//!
//! Operations name places with JSON pointers, so they apply to the YAML spec read as JSON
//! (`docs-diff --suggest FILE` writes them as a YAML list; any JSON Patch tool applies it to
//! the spec converted to JSON, or a user pastes each `value` at its pointer). Every value is
//! taken from the page (a sample, a field's type and requirement) or from the spec (a sibling
//! example's replay plan); nothing here knows the vendor's fields or messages.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::docs::{FieldRow, Requirement, Sample};
use crate::schema_view;
use crate::spec::child;

/// A reconciling change for one drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// What to do, in words (also what cannot be said as an operation).
    pub note: String,
    /// JSON Patch operations; empty when the change needs a person's judgement.
    pub ops: Vec<PatchOp>,
}

/// One RFC 6902 operation (`add`, `replace` or `remove`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PatchOp {
    pub op: &'static str,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PatchOp {
    fn add(path: String, value: Value) -> PatchOp {
        PatchOp {
            op: "add",
            path,
            value: Some(value),
        }
    }
    fn replace(path: String, value: Value) -> PatchOp {
        PatchOp {
            op: "replace",
            path,
            value: Some(value),
        }
    }
    fn remove(path: String) -> PatchOp {
        PatchOp {
            op: "remove",
            path,
            value: None,
        }
    }
}

/// The JSON type (and format) a page's type name stands for.
fn schema_for(page_type: &str, json_type: &str) -> Value {
    const JSON_TYPES: [&str; 6] = ["string", "integer", "number", "boolean", "array", "object"];
    if JSON_TYPES.contains(&json_type) {
        json!({ "type": json_type })
    } else {
        json!({ "type": "string", "format": page_type })
    }
}

/// A field the table lists and the request schema lacks: the property, and `required` when
/// the page says so.
pub fn new_field(doc: &Value, schema: &str, row: &FieldRow, json_type: &str) -> Fix {
    let mut ops = vec![PatchOp::add(
        child(schema, &["properties", &row.name]),
        schema_for(&row.ty, json_type),
    )];
    let mut note = format!(
        "add the property `{}` ({}, {}) to the request schema",
        row.name,
        row.ty,
        row.requirement.as_str()
    );
    match row.requirement {
        Requirement::Required => {
            let req = child(schema, &["required"]);
            if doc.pointer(&req).is_some_and(Value::is_array) {
                ops.push(PatchOp::add(format!("{req}/-"), json!(row.name)));
            } else {
                ops.push(PatchOp::add(req, json!([row.name])));
            }
            note.push_str(" and list it in `required`");
        }
        Requirement::Conditional => {
            note.push_str("; say when it is required (`oneOf` branches or `dependentRequired`) by hand")
        }
        Requirement::Optional => {}
    }
    Fix { note, ops }
}

/// Where a sample's examples live and what they look like.
pub struct Target<'a> {
    /// The (resolved) schema of the body.
    pub schema: Option<String>,
    /// The `examples` object of the media type.
    pub examples: Option<String>,
    /// An example beside it (the whole example object), whose replay plan a new example's
    /// starts from.
    pub sibling: Option<&'a Value>,
}

/// The example a sample was paired with.
pub struct Paired<'a> {
    pub pointer: &'a str,
    /// Pages its `x-docs` cites.
    pub pages: Vec<&'a str>,
}

/// The key of the envelope member that carries the message.
const MESSAGE: &str = "message";

/// A sample whose message no example has: the enum value and the example to add (or, when the
/// paired example documents this page only, its message to replace).
pub fn message(doc: &Value, target: &Target, page: &str, sample: &Sample, paired: Option<&Paired>) -> Fix {
    let Some(m) = sample.message() else {
        return Fix {
            note: "the sample has no message".into(),
            ops: Vec::new(),
        };
    };
    let mut ops = Vec::new();
    let mut notes = Vec::new();
    if let Some(schema) = &target.schema {
        match schema_view::resolve(doc, &child(schema, &["properties", MESSAGE])) {
            Some((at, v)) => match v.get("enum").and_then(Value::as_array) {
                Some(values) if values.iter().any(|x| x == m) => {}
                Some(_) => {
                    ops.push(PatchOp::add(format!("{at}/enum/-"), json!(m)));
                    notes.push(format!("add `{m}` to the message enum"));
                }
                None if v.get("const").is_some() => notes.push(format!(
                    "the message is a `const`: make it an enum that includes `{m}`"
                )),
                None => {}
            },
            None => notes.push("the body schema has no message property".to_string()),
        }
    }
    match paired {
        Some(p) if p.pages.iter().all(|q| *q == page) => {
            ops.push(PatchOp::replace(child(p.pointer, &["value", MESSAGE]), json!(m)));
            notes.push(format!(
                "set the example's message to `{m}` (drop the old value from the enum if no page uses it)"
            ));
        }
        _ => match &target.examples {
            Some(examples) => {
                let name = example_name(doc, examples, m);
                let sibling = paired.and_then(|p| doc.pointer(p.pointer)).or(target.sibling);
                ops.push(PatchOp::add(
                    child(examples, &[&name]),
                    new_example(page, sample, sibling),
                ));
                notes.push(format!("add the example `{name}` with the page's sample"));
                if sibling.is_some_and(|s| s.get("x-replay").is_some()) {
                    notes.push(
                        "its `x-replay` is its sibling's, with the members that differ matched by schema only (no replay state yields this answer yet)"
                            .into(),
                    );
                }
                if let Some(p) = paired
                    && let Some(i) = p.pages.iter().position(|q| *q == page)
                {
                    ops.push(PatchOp::remove(child(p.pointer, &["x-docs", &i.to_string()])));
                    notes.push("and stop citing this page in the old example's `x-docs`".into());
                }
            }
            None => notes.push("the response has no examples to add the sample to".into()),
        },
    }
    Fix {
        note: notes.join("; "),
        ops,
    }
}

/// An example key for a message: its letters and digits, numbered when taken.
fn example_name(doc: &Value, examples: &str, message: &str) -> String {
    let base: String = message.chars().filter(char::is_ascii_alphanumeric).collect();
    let base = if base.is_empty() {
        "example".to_string()
    } else {
        base
    };
    let taken = |n: &str| doc.pointer(&child(examples, &[n])).is_some();
    let mut name = base.clone();
    let mut k = 2;
    while taken(&name) {
        name = format!("{base}{k}");
        k += 1;
    }
    name
}

fn new_example(page: &str, sample: &Sample, sibling: Option<&Value>) -> Value {
    let mut e = Map::new();
    let m = sample.message().unwrap_or_default();
    e.insert("summary".into(), json!(format!("The `{m}` sample of {page}.")));
    e.insert(
        "x-docs".into(),
        json!([{ "page": page, "lines": format!("{}-{}", sample.start, sample.end) }]),
    );
    let value = sample.value.clone().unwrap_or(Value::Null);
    if let Some(sib) = sibling
        && let Some(replay) = sib.get("x-replay")
    {
        // The sibling's state answers with the sibling's body: where this sample differs, the
        // suite can only check the schema.
        let mut replay = replay.clone();
        if let Some(Value::Object(matches)) = replay.get_mut("match") {
            for (key, how) in matches.iter_mut() {
                if value.get(key) != sib.get("value").and_then(|v| v.get(key)) {
                    *how = json!("schema");
                }
            }
        }
        e.insert("value".into(), value);
        e.insert("x-replay".into(), replay);
    } else {
        e.insert("value".into(), value);
    }
    Value::Object(e)
}

/// `x-docs` lines that no longer cover the sample: the entry for this page, moved.
pub fn docs_lines(doc: &Value, example: &str, page: &str, sample: &Sample) -> Fix {
    let lines = format!("{}-{}", sample.start, sample.end);
    let docs = child(example, &["x-docs"]);
    let ops = entry_index(doc, &docs, page)
        .map(|i| {
            vec![PatchOp::replace(
                child(&docs, &[&i.to_string(), "lines"]),
                json!(lines),
            )]
        })
        .unwrap_or_default();
    Fix {
        note: format!("cite lines {lines} of {page} in the example's `x-docs`"),
        ops,
    }
}

/// An example that cites a sample the page no longer has.
pub fn sample_removed(doc: &Value, example: &str, page: &str) -> Fix {
    let docs = child(example, &["x-docs"]);
    let cited = doc.pointer(&docs).and_then(Value::as_array).map_or(0, Vec::len);
    match entry_index(doc, &docs, page) {
        Some(i) if cited > 1 => Fix {
            note: format!("stop citing {page} in the example's `x-docs`"),
            ops: vec![PatchOp::remove(child(&docs, &[&i.to_string()]))],
        },
        _ => Fix {
            note: "remove the example (and its enum value if nothing else uses it), or mark it `x-inferred` if the server still answers it".into(),
            ops: Vec::new(),
        },
    }
}

fn entry_index(doc: &Value, docs: &str, page: &str) -> Option<usize> {
    doc.pointer(docs)?
        .as_array()?
        .iter()
        .position(|d| d.get("page").and_then(Value::as_str) == Some(page))
}

/// The note for a drift with no exact change.
pub fn by_hand(kind: &str, subject: &str) -> Fix {
    Fix {
        note: format!(
            "edit the spec by hand, or, if it should differ on purpose, add `{kind} {subject}` to the `drift:` line of an ERRATA entry"
        ),
        ops: Vec::new(),
    }
}
