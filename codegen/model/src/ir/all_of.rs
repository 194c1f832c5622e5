//! `allOf` merged into one schema: the properties and `required` of every part (references
//! followed, nested `allOf`s merged first), the other keywords of the first part that states
//! them. What a merge cannot keep is reported as a located warning:
//!
//! - `if`/`then`/`else`, `not` and `dependent*` rules inside a part (the types stay right for
//!   every valid value; the conditional rule is the server's to check);
//! - a keyword two parts state differently (the first one is kept);
//! - a second `oneOf`/`anyOf`.
//!
//! A part's `additionalProperties: false`, `discriminator` and annotations are not carried:
//! in a part they speak about the part alone (its own subtypes, its own documentation).

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::spec::{Spec, child};

/// Keywords of a part that are not carried into the merge.
const PART_ONLY: &[&str] = &[
    "title",
    "description",
    "examples",
    "example",
    "$comment",
    "discriminator",
    "nullable",
    "$id",
    "$schema",
    "$anchor",
    "$defs",
    "definitions",
    "deprecated",
];

/// Conditional rules the types cannot state: skipped with a warning.
const CONDITIONAL: &[&str] = &[
    "if",
    "then",
    "else",
    "not",
    "dependentRequired",
    "dependentSchemas",
];

/// How deep `$ref` and nested `allOf` chains are followed before giving up (cycles are
/// refused earlier by `check`; this only bounds the work).
const MAX_DEPTH: usize = 32;

/// `obj` (which has `allOf`) as one schema without `allOf`.
pub fn merge(
    spec: &Spec,
    obj: &Map<String, Value>,
    at: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Map<String, Value> {
    let mut out: Map<String, Value> = obj.clone();
    out.remove("allOf");
    merge_parts(spec, obj, at, &mut out, warnings, &mut vec![at.to_string()]);
    out
}

fn merge_parts(
    spec: &Spec,
    obj: &Map<String, Value>,
    at: &str,
    out: &mut Map<String, Value>,
    warnings: &mut Vec<Diagnostic>,
    chain: &mut Vec<String>,
) {
    let Some(parts) = obj.get("allOf").and_then(Value::as_array) else {
        return;
    };
    for (i, part) in parts.iter().enumerate() {
        let pat = child(at, &["allOf", &i.to_string()]);
        let Some((part, part_at)) = resolve(spec, part, &pat) else {
            warnings.push(
                spec.diag(
                    &pat,
                    "an `allOf` part that is not a schema object (or a reference to one) is skipped",
                )
                .warning(),
            );
            continue;
        };
        // A part already being merged (a cycle `check` refuses) adds nothing new.
        if chain.contains(&part_at) || chain.len() >= MAX_DEPTH {
            continue;
        }
        if part.contains_key("allOf") {
            let mut nested = part.clone();
            nested.remove("allOf");
            chain.push(part_at.clone());
            merge_parts(spec, &part, &part_at, &mut nested, warnings, chain);
            chain.pop();
            merge_one(spec, &nested, &part_at, out, warnings);
        } else {
            merge_one(spec, &part, &part_at, out, warnings);
        }
    }
}

/// The part's schema object and where it lives, `$ref`s followed.
fn resolve(spec: &Spec, part: &Value, at: &str) -> Option<(Map<String, Value>, String)> {
    let mut value = part.clone();
    let mut at = at.to_string();
    for _ in 0..MAX_DEPTH {
        let obj = value.as_object()?;
        let Some(r) = obj.get("$ref").and_then(Value::as_str) else {
            return Some((obj.clone(), at));
        };
        let target = spec.ref_pointer(r, &child(&at, &["$ref"])).ok()?;
        value = spec.at(&target)?.clone();
        at = target;
    }
    None
}

fn merge_one(
    spec: &Spec,
    part: &Map<String, Value>,
    at: &str,
    out: &mut Map<String, Value>,
    warnings: &mut Vec<Diagnostic>,
) {
    for (k, v) in part {
        let k = k.as_str();
        if PART_ONLY.contains(&k) || k.starts_with("x-") {
            continue;
        }
        if CONDITIONAL.contains(&k) {
            warnings.push(
                spec.diag(
                    &child(at, &[k]),
                    format!(
                        "`{k}` inside `allOf` is a conditional rule the generated types do not state: skipped"
                    ),
                )
                .hint("the types accept every valid value; the server checks the rule")
                .warning(),
            );
            continue;
        }
        match k {
            "properties" => {
                let Some(props) = v.as_object() else { continue };
                let target = out
                    .entry("properties")
                    .or_insert_with(|| Value::Object(Map::new()));
                let Some(target) = target.as_object_mut() else {
                    continue;
                };
                for (name, schema) in props {
                    // A property read where it is written keeps one type for every schema
                    // that merges it (and diagnostics point there).
                    let home = child(at, &["properties", name]);
                    let schema = &if at.starts_with('/') && spec.at(&home) == Some(schema) {
                        serde_json::json!({ "$ref": format!("#{home}") })
                    } else {
                        schema.clone()
                    };
                    match target.get(name) {
                        None => {
                            target.insert(name.clone(), schema.clone());
                        }
                        Some(old) if old == schema => {}
                        // Both rules apply to the one property.
                        Some(old) => {
                            let both = serde_json::json!({ "allOf": [old.clone(), schema.clone()] });
                            target.insert(name.clone(), both);
                        }
                    }
                }
            }
            "required" => {
                let Some(names) = v.as_array() else { continue };
                let target = out.entry("required").or_insert_with(|| Value::Array(Vec::new()));
                if let Some(list) = target.as_array_mut() {
                    for n in names {
                        if !list.contains(n) {
                            list.push(n.clone());
                        }
                    }
                }
            }
            // Another part's `false` would forbid the properties this part adds.
            "additionalProperties" if v == &Value::Bool(false) => {}
            "oneOf" | "anyOf" if out.contains_key("oneOf") || out.contains_key("anyOf") => {
                warnings.push(
                    spec.diag(
                        &child(at, &[k]),
                        "a second `oneOf`/`anyOf` in one `allOf` is not represented: skipped",
                    )
                    .warning(),
                );
            }
            _ => match out.get(k) {
                None => {
                    out.insert(k.to_string(), v.clone());
                }
                Some(old) if old == v => {}
                Some(_) => warnings.push(
                    spec.diag(
                        &child(at, &[k]),
                        format!("`{k}` differs between `allOf` parts: the first part's is kept"),
                    )
                    .warning(),
                ),
            },
        }
    }
}
