//! Read-only views of the spec's schemas, for the comparisons (`docs-diff`, `diff`): `$ref`
//! resolution, the types and formats a schema allows, its properties and how each is required.
//! Every walk is bounded, so a reference cycle or absurd nesting cannot hang or overflow.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use crate::docs::Requirement;
use crate::spec::child;
use crate::spec::resolve::Resolver;

/// The most `$ref` hops or nested combinator levels followed.
pub const MAX_HOPS: usize = crate::spec::resolve::MAX_HOPS;

/// The schema at `pointer`, with `$ref`s followed: its own pointer and value. `None` when a
/// reference dangles, loops or chains too far.
pub fn resolve<'a>(doc: &'a Value, pointer: &str) -> Option<(String, &'a Value)> {
    Resolver::new(doc).follow(pointer).ok()
}

/// The branches of `anyOf`, `oneOf` and `allOf`, as pointers.
pub fn branches(schema: &Value, at: &str, keyword: &str) -> Vec<String> {
    schema
        .get(keyword)
        .and_then(Value::as_array)
        .map(|a| (0..a.len()).map(|i| format!("{at}/{keyword}/{i}")).collect())
        .unwrap_or_default()
}

/// The JSON types a schema names, through `$ref`s and combinators. Empty = not constrained.
pub fn types(doc: &Value, pointer: &str) -> BTreeSet<String> {
    collect(doc, pointer, &|s| match s.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        _ => Vec::new(),
    })
}

/// The `format`s a schema names, through `$ref`s and combinators.
pub fn formats(doc: &Value, pointer: &str) -> BTreeSet<String> {
    collect(doc, pointer, &|s| {
        s.get("format")
            .and_then(Value::as_str)
            .map(str::to_string)
            .into_iter()
            .collect()
    })
}

fn collect(doc: &Value, pointer: &str, pick: &dyn Fn(&Value) -> Vec<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    collect_into(doc, pointer, 0, pick, &mut HashSet::new(), &mut out);
    out
}

/// `seen` keeps a schema reached twice (a `$ref` cycle through branches) from being walked
/// again, so every walk here is linear in the size of the spec.
fn collect_into(
    doc: &Value,
    pointer: &str,
    depth: usize,
    pick: &dyn Fn(&Value) -> Vec<String>,
    seen: &mut HashSet<String>,
    out: &mut BTreeSet<String>,
) {
    let Some((at, schema)) = enter(doc, pointer, depth, seen) else {
        return;
    };
    let own = pick(schema);
    if own.is_empty() {
        for kw in ["anyOf", "oneOf", "allOf"] {
            for b in branches(schema, &at, kw) {
                collect_into(doc, &b, depth + 1, pick, seen, out);
            }
        }
    }
    out.extend(own);
}

/// The resolved schema at `pointer`, unless the walk is too deep or has been there already.
fn enter<'a>(
    doc: &'a Value,
    pointer: &str,
    depth: usize,
    seen: &mut HashSet<String>,
) -> Option<(String, &'a Value)> {
    if depth > MAX_HOPS {
        return None;
    }
    let (at, schema) = resolve(doc, pointer)?;
    seen.insert(at.clone()).then_some((at, schema))
}

/// The properties a schema declares (its own and its `allOf` branches'), as (name, pointer).
pub fn properties(doc: &Value, pointer: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    props_into(doc, pointer, 0, &mut HashSet::new(), &mut out);
    out
}

fn props_into(
    doc: &Value,
    pointer: &str,
    depth: usize,
    seen: &mut HashSet<String>,
    out: &mut Vec<(String, String)>,
) {
    let Some((at, schema)) = enter(doc, pointer, depth, seen) else {
        return;
    };
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for name in props.keys() {
            if !out.iter().any(|(n, _)| n == name) {
                out.push((name.clone(), child(&at, &["properties", name])));
            }
        }
    }
    for b in branches(schema, &at, "allOf") {
        props_into(doc, &b, depth + 1, seen, out);
    }
}

/// How a schema requires `name`: in its `required` (or an `allOf` branch's) = required; only in
/// some `oneOf`/`anyOf` branches' = conditional; else optional. Returns the pointer that says so.
pub fn requirement(doc: &Value, pointer: &str, name: &str) -> (Requirement, String) {
    let Some((at, schema)) = resolve(doc, pointer) else {
        return (Requirement::Optional, pointer.to_string());
    };
    if required_in(doc, &at, name, 0, &mut HashSet::new()) {
        return (Requirement::Required, child(&at, &["required"]));
    }
    for kw in ["oneOf", "anyOf"] {
        let mut seen = HashSet::new();
        if branches(schema, &at, kw)
            .iter()
            .any(|b| required_in(doc, b, name, 0, &mut seen))
        {
            return (Requirement::Conditional, child(&at, &[kw]));
        }
    }
    (Requirement::Optional, child(&at, &["properties", name]))
}

fn required_in(doc: &Value, pointer: &str, name: &str, depth: usize, seen: &mut HashSet<String>) -> bool {
    let Some((at, schema)) = enter(doc, pointer, depth, seen) else {
        return false;
    };
    let own = schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
    own || branches(schema, &at, "allOf")
        .iter()
        .any(|b| required_in(doc, b, name, depth + 1, seen))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reference_cycles_through_branches_end() {
        let doc = json!({"s": {"A": {"anyOf": [{"$ref": "#/s/A"}, {"$ref": "#/s/A"}, {"type": "string"}],
                                     "allOf": [{"$ref": "#/s/A"}, {"$ref": "#/s/A"}]}}});
        assert_eq!(types(&doc, "/s/A"), BTreeSet::from(["string".to_string()]));
        assert_eq!(properties(&doc, "/s/A"), []);
        assert_eq!(requirement(&doc, "/s/A", "x").0, Requirement::Optional);
        assert_eq!(resolve(&json!({"a": {"$ref": "#/a"}}), "/a"), None);
    }
}
