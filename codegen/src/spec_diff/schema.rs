//! Schema comparison for `codegen diff`, general over JSON Schema: both sides are walked with
//! `$ref`s resolved, and every change is classified by the direction data flows.
//!
//! The rule: a request schema that accepts less, or a response schema that can produce more,
//! breaks users of the generated client. So a narrowed type, a new constraint or a removed
//! enum value breaks requests; a widened type, a new enum value (exhaustive matches) or a
//! property that became optional breaks responses. Removing a property or an enum value breaks
//! both (generated code names them). A change whose direction cannot be told (a different
//! `pattern` or `format`) counts as breaking on the side where it can hurt: both.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::{Change, Diff};
use crate::schema_view::{self, MAX_HOPS};
use crate::spec::child;

/// Which way data flows through a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flow {
    /// The client sends it: accepting less is breaking.
    Request,
    /// The client receives it: producing more is breaking.
    Response,
}

impl Flow {
    fn name(self) -> &'static str {
        match self {
            Flow::Request => "request",
            Flow::Response => "response",
        }
    }
}

/// Keywords whose value bounds the instance from below (bigger = stricter) or above.
const LOWER: [&str; 6] = [
    "minLength",
    "minimum",
    "exclusiveMinimum",
    "minItems",
    "minProperties",
    "minContains",
];
const UPPER: [&str; 6] = [
    "maxLength",
    "maximum",
    "exclusiveMaximum",
    "maxItems",
    "maxProperties",
    "maxContains",
];
/// Keywords compared by equality; a different value has no known direction.
const OPAQUE: [&str; 4] = ["pattern", "format", "multipleOf", "contentMediaType"];

pub struct SchemaDiff<'a, 'd> {
    pub diff: &'d mut Diff<'a>,
    seen: HashSet<(String, String, Flow)>,
}

impl<'a, 'd> SchemaDiff<'a, 'd> {
    pub fn new(diff: &'d mut Diff<'a>) -> Self {
        SchemaDiff {
            diff,
            seen: HashSet::new(),
        }
    }

    /// Compares the schemas at two pointers (old spec, new spec).
    pub fn compare(&mut self, old: &str, new: &str, flow: Flow) {
        self.walk(old, new, flow, 0);
    }

    fn push(&mut self, at: &str, breaking: bool, kind: &str, detail: String) {
        self.diff.push(Change::new(at, breaking, kind, detail));
    }

    fn walk(&mut self, old: &str, new: &str, flow: Flow, depth: usize) {
        if depth > MAX_HOPS * 2 {
            return;
        }
        let (Some((op, o)), Some((np, n))) = (
            schema_view::resolve(&self.diff.old.doc, old),
            schema_view::resolve(&self.diff.new.doc, new),
        ) else {
            return;
        };
        // A schema shared by several places is compared once per direction (and a recursive
        // schema terminates).
        if !self.seen.insert((op.clone(), np.clone(), flow)) {
            return;
        }
        let (o, n) = (o.clone(), n.clone());
        if let (Value::Bool(a), Value::Bool(b)) = (&o, &n) {
            if a != b {
                let shrinks = *a && !*b;
                self.push(
                    &np,
                    shrinks == (flow == Flow::Request),
                    "schema",
                    format!("`{a}` became `{b}`"),
                );
            }
            return;
        }
        let f = flow.name();
        self.types(&np, &o, &n, flow);
        self.values(&np, &o, &n, flow);
        for kw in LOWER.iter().chain(UPPER.iter()) {
            let (a, b) = (
                o.get(*kw).and_then(Value::as_f64),
                n.get(*kw).and_then(Value::as_f64),
            );
            let stricter = match (a, b) {
                (None, None) => continue,
                (Some(a), Some(b)) if a == b => continue,
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => (b > a) == LOWER.contains(kw),
            };
            let (breaking, how) = if stricter {
                (flow == Flow::Request, "stricter")
            } else {
                (flow == Flow::Response, "looser")
            };
            self.push(
                &child(&np, &[kw]),
                breaking,
                "constraint",
                format!("{f}: `{kw}` {} → {} ({how})", show(o.get(*kw)), show(n.get(*kw))),
            );
        }
        for kw in OPAQUE {
            let (a, b) = (o.get(kw), n.get(kw));
            if a == b {
                continue;
            }
            let breaking = match (a, b) {
                (None, Some(_)) => flow == Flow::Request,
                (Some(_), None) => flow == Flow::Response,
                _ => true,
            };
            self.push(
                &child(&np, &[kw]),
                breaking,
                "constraint",
                format!("{f}: `{kw}` {} → {}", show(a), show(b)),
            );
        }
        self.properties(&op, &np, &o, &n, flow, depth);
        for kw in [
            "items",
            "additionalProperties",
            "contains",
            "propertyNames",
            "not",
        ] {
            match (o.get(kw), n.get(kw)) {
                (Some(a), Some(b)) if a.is_object() && b.is_object() => {
                    self.walk(&child(&op, &[kw]), &child(&np, &[kw]), flow, depth + 1);
                }
                (a, b) if a != b => {
                    // Added or removed outright (or `false` ↔ a schema): judge by `false` = nothing.
                    let narrows = matches!(b, Some(Value::Bool(false))) || (a.is_none() && b.is_some());
                    let breaking = if narrows {
                        flow == Flow::Request
                    } else {
                        flow == Flow::Response
                    };
                    self.push(
                        &child(&np, &[kw]),
                        breaking,
                        "constraint",
                        format!("{f}: `{kw}` {} → {}", show(a), show(b)),
                    );
                }
                _ => {}
            }
        }
        for kw in ["oneOf", "anyOf", "allOf", "prefixItems"] {
            self.branches(&op, &np, &o, &n, kw, flow, depth);
        }
    }

    fn types(&mut self, at: &str, o: &Value, n: &Value, flow: Flow) {
        let (a, b) = (type_set(o), type_set(n));
        if a == b {
            return;
        }
        let f = flow.name();
        let covers = |set: &BTreeSet<String>, t: &String| {
            set.contains(t) || (t == "integer" && set.contains("number"))
        };
        let (a, b) = (a.unwrap_or_default(), b.unwrap_or_default());
        // An absent `type` allows every type.
        let removed: Vec<&String> = if b.is_empty() {
            Vec::new()
        } else {
            a.iter().filter(|t| !covers(&b, t)).collect()
        };
        let added: Vec<&String> = if a.is_empty() {
            Vec::new()
        } else {
            b.iter().filter(|t| !covers(&a, t)).collect()
        };
        let narrowed = !removed.is_empty() || (a.is_empty() && !b.is_empty());
        let widened = !added.is_empty() || (b.is_empty() && !a.is_empty());
        let list = |s: &BTreeSet<String>| {
            if s.is_empty() {
                "any".to_string()
            } else {
                s.iter().cloned().collect::<Vec<_>>().join("|")
            }
        };
        let detail = format!("{f}: type {} → {}", list(&a), list(&b));
        if narrowed {
            self.push(
                &child(at, &["type"]),
                flow == Flow::Request,
                "type-narrowed",
                detail.clone(),
            );
        }
        if widened {
            self.push(
                &child(at, &["type"]),
                flow == Flow::Response,
                "type-widened",
                detail,
            );
        }
    }

    /// `enum` and `const`: the allowed values.
    fn values(&mut self, at: &str, o: &Value, n: &Value, flow: Flow) {
        let (a, b) = (allowed(o), allowed(n));
        if a == b {
            return;
        }
        let f = flow.name();
        let kw = if n.get("enum").is_some() || o.get("enum").is_some() {
            "enum"
        } else {
            "const"
        };
        match (a, b) {
            (Some(a), Some(b)) => {
                for v in b.iter().filter(|v| !a.contains(v)) {
                    let why = if flow == Flow::Response {
                        " (breaks exhaustive matches)"
                    } else {
                        ""
                    };
                    self.push(
                        &child(at, &[kw]),
                        flow == Flow::Response,
                        "enum-value-added",
                        format!("{f}: value {v} added{why}"),
                    );
                }
                for v in a.iter().filter(|v| !b.contains(v)) {
                    self.push(
                        &child(at, &[kw]),
                        true,
                        "enum-value-removed",
                        format!("{f}: value {v} removed"),
                    );
                }
            }
            (None, Some(b)) => self.push(
                &child(at, &[kw]),
                flow == Flow::Request,
                "constraint",
                format!("{f}: now limited to {}", b.join(", ")),
            ),
            (Some(a), None) => self.push(
                at,
                flow == Flow::Response,
                "constraint",
                format!("{f}: no longer limited to {}", a.join(", ")),
            ),
            (None, None) => {}
        }
    }

    fn properties(&mut self, op: &str, np: &str, o: &Value, n: &Value, flow: Flow, depth: usize) {
        let f = flow.name();
        let empty = serde_json::Map::new();
        let po = o.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let pn = n.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let (ro, rn) = (required(o), required(n));
        for (name, _) in po {
            if !pn.contains_key(name) {
                self.push(
                    &child(np, &["properties"]),
                    true,
                    "property-removed",
                    format!("{f}: property `{name}` removed"),
                );
            }
        }
        for (name, _) in pn {
            let at = child(np, &["properties", name]);
            if !po.contains_key(name) {
                let req = rn.contains(name);
                let breaking = flow == Flow::Request && req;
                let how = if req { "required" } else { "optional" };
                self.push(
                    &at,
                    breaking,
                    "property-added",
                    format!("{f}: property `{name}` added, {how}"),
                );
            } else {
                self.walk(&child(op, &["properties", name]), &at, flow, depth + 1);
            }
        }
        for name in rn.iter().filter(|r| !ro.contains(r)) {
            if po.contains_key(name) || !pn.contains_key(name) {
                self.push(
                    &child(np, &["required"]),
                    flow == Flow::Request,
                    "now-required",
                    format!("{f}: `{name}` is now required"),
                );
            }
        }
        for name in ro.iter().filter(|r| !rn.contains(r)) {
            if pn.contains_key(name) || !po.contains_key(name) {
                self.push(
                    &child(np, &["required"]),
                    flow == Flow::Response,
                    "now-optional",
                    format!("{f}: `{name}` is no longer required"),
                );
            }
        }
    }

    /// Branches of a combinator, paired by `title` when both sides have one, else by position.
    #[allow(clippy::too_many_arguments)]
    fn branches(&mut self, op: &str, np: &str, o: &Value, n: &Value, kw: &str, flow: Flow, depth: usize) {
        let (Some(a), Some(b)) = (
            o.get(kw).and_then(Value::as_array),
            n.get(kw).and_then(Value::as_array),
        ) else {
            let (a, b) = (o.get(kw), n.get(kw));
            if a.is_some() != b.is_some() {
                // Adding any combinator constrains the schema; removing one frees it.
                let narrows = b.is_some();
                let breaking = if narrows {
                    flow == Flow::Request
                } else {
                    flow == Flow::Response
                };
                let how = if b.is_some() { "added" } else { "removed" };
                self.push(
                    &child(np, &[kw]),
                    breaking,
                    "constraint",
                    format!("{}: `{kw}` {how}", flow.name()),
                );
            }
            return;
        };
        let title = |v: &Value| v.get("title").and_then(Value::as_str).map(str::to_string);
        let mut used = vec![false; b.len()];
        for (i, x) in a.iter().enumerate() {
            let j = match title(x) {
                Some(t) => b.iter().position(|y| title(y).as_deref() == Some(&t)),
                None => (i < b.len() && title(&b[i]).is_none()).then_some(i),
            };
            match j {
                Some(j) if !used[j] => {
                    used[j] = true;
                    self.walk(
                        &format!("{op}/{kw}/{i}"),
                        &format!("{np}/{kw}/{j}"),
                        flow,
                        depth + 1,
                    );
                }
                _ => {
                    // allOf: one requirement fewer (looser); oneOf/anyOf: one alternative fewer.
                    let breaking = if kw == "allOf" {
                        flow == Flow::Response
                    } else {
                        true
                    };
                    let name = title(x).map(|t| format!(" `{t}`")).unwrap_or_default();
                    self.push(
                        &child(np, &[kw]),
                        breaking,
                        "branch-removed",
                        format!("{}: `{kw}` branch{name} removed", flow.name()),
                    );
                }
            }
        }
        for (j, y) in b.iter().enumerate().filter(|(j, _)| !used[*j]) {
            let breaking = if kw == "allOf" {
                flow == Flow::Request
            } else {
                flow == Flow::Response
            };
            let name = title(y).map(|t| format!(" `{t}`")).unwrap_or_default();
            self.push(
                &format!("{np}/{kw}/{j}"),
                breaking,
                "branch-added",
                format!("{}: `{kw}` branch{name} added", flow.name()),
            );
        }
    }
}

fn show(v: Option<&Value>) -> String {
    v.map(Value::to_string).unwrap_or_else(|| "(none)".to_string())
}

/// The `type` keyword as a set; `None` when absent.
fn type_set(s: &Value) -> Option<BTreeSet<String>> {
    match s.get("type")? {
        Value::String(t) => Some(BTreeSet::from([t.clone()])),
        Value::Array(ts) => Some(ts.iter().filter_map(Value::as_str).map(str::to_string).collect()),
        _ => None,
    }
}

/// The values `enum`/`const` allow, as JSON text; `None` when unconstrained.
fn allowed(s: &Value) -> Option<Vec<String>> {
    if let Some(c) = s.get("const") {
        return Some(vec![c.to_string()]);
    }
    s.get("enum")
        .and_then(Value::as_array)
        .map(|vs| vs.iter().map(Value::to_string).collect())
}

fn required(s: &Value) -> Vec<String> {
    s.get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default()
}
