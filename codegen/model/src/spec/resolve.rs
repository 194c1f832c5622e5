//! `$ref` resolution: the one place that turns a reference into what it names, follows chains
//! of references (bounded, cycles refused), and finds reference cycles no value can end.
//!
//! A reference names a file (relative to the referring file; none: the same document) and a
//! JSON pointer inside it ([`Reference::parse`]). References to sibling files are joined into
//! one document when the spec is loaded ([`super::sources`]), so after loading every reference
//! is local and [`Resolver`] works on that one document: callers go through
//! [`Resolver::target`] and [`Resolver::follow`] only.

use std::collections::HashMap;

use serde_json::Value;

use super::pointer;

/// The most `$ref` hops followed in one chain.
pub const MAX_HOPS: usize = 32;

/// Where a reference leads: a JSON pointer into the (one) document.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    pub pointer: String,
}

/// A reference split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The file, relative to the referring one and percent-decoded; `None`: the same document.
    pub file: Option<String>,
    /// The JSON pointer inside that file (`""`: the whole file).
    pub pointer: String,
}

impl Reference {
    /// Splits `reference` (`other.yaml#/a/b`, `#/a/b`, `schema.json`). URLs (any scheme:
    /// `http:`, `https:`, `file:`...), absolute paths and plain-name fragments are refused:
    /// the generator reads only files beside the spec, never the network.
    pub fn parse(reference: &str) -> Result<Reference, RefError> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if !fragment.is_empty() && !fragment.starts_with('/') {
            return Err(RefError::Anchor(reference.to_string()));
        }
        let scheme = path.split_once(':').map(|(s, _)| s);
        if scheme.is_some_and(|s| {
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }) {
            return Err(RefError::Url(reference.to_string()));
        }
        if path.starts_with(['/', '\\']) {
            return Err(RefError::Absolute(reference.to_string()));
        }
        let file = (!path.is_empty()).then(|| decode(path));
        Ok(Reference {
            file,
            pointer: decode(fragment),
        })
    }
}

/// A fragment or path is percent-encoded (RFC 3986, RFC 6901 §6); plain text decodes to itself.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(|p| p.into_owned())
        .unwrap_or_else(|_| text.to_string())
}

/// A JSON pointer written as a reference to the same document (`#/a%20b`).
pub fn local(pointer: &str) -> String {
    const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'[')
        .add(b'\\')
        .add(b']')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    format!("#{}", percent_encoding::utf8_percent_encode(pointer, FRAGMENT))
}

/// Why a reference does not lead anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    /// `$ref` holds something other than a string.
    NotAString,
    /// A reference to another document where only local ones can be (the loader joins files).
    External(String),
    /// A URL: the generator never touches the network.
    Url(String),
    /// An absolute path: references are relative to the referring file.
    Absolute(String),
    /// A plain-name fragment (`#name`, an `$anchor`).
    Anchor(String),
    /// A local reference to nothing.
    Dangling { reference: String, pointer: String },
    /// The pointer a walk starts from names nothing.
    Missing(String),
    /// A chain of references that comes back to where it was: the pointers, in order, the
    /// first repeated at the end.
    Cycle(Vec<String>),
    /// A chain longer than [`MAX_HOPS`].
    TooManyHops,
}

impl RefError {
    pub fn message(&self) -> String {
        match self {
            RefError::NotAString => "`$ref` must be a string".into(),
            RefError::External(r) => format!("external reference `{r}` is not supported here"),
            RefError::Url(r) => {
                format!("reference `{r}` is a URL: refused, the generator never reads the network")
            }
            RefError::Absolute(r) => format!("reference `{r}` is an absolute path: refused"),
            RefError::Anchor(r) => format!(
                "reference `{r}` names an anchor: only JSON pointer fragments (`#/...`) are supported"
            ),
            RefError::Dangling { reference, pointer } => {
                format!("dangling reference `{reference}`: nothing at {pointer}")
            }
            RefError::Missing(p) => format!("nothing at {p}"),
            RefError::Cycle(path) => format!("reference cycle: {}", path.join(" → ")),
            RefError::TooManyHops => format!("reference chain longer than {MAX_HOPS} `$ref` hops"),
        }
    }

    pub fn hint(&self) -> &'static str {
        match self {
            RefError::NotAString => "write `$ref: '#/components/schemas/Name'`",
            RefError::External(_) => "refer with `#/components/...`",
            RefError::Url(_) | RefError::Absolute(_) => {
                "save the referenced document beside the spec and refer to it by a relative path (`./schemas.yaml#/Name`)"
            }
            RefError::Anchor(_) => "write the pointer to the target, e.g. `#/$defs/Name`",
            RefError::Dangling { .. } | RefError::Missing(_) => {
                "check the component name and its section (schemas, responses, requestBodies, headers, ...)"
            }
            RefError::Cycle(_) | RefError::TooManyHops => {
                "make one reference of the chain point at the item itself"
            }
        }
    }
}

/// A link of a cycle: the pointer where the link is written (a `$ref`, an `allOf` member, a
/// required property...) and the schema it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub via: String,
    pub to: String,
}

/// A cycle of schemas no value can end, rotated to start at its smallest `via`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    pub links: Vec<Link>,
}

impl Cycle {
    /// Where to report it: the link written first (smallest pointer).
    pub fn at(&self) -> &str {
        &self.links[0].via
    }

    /// `A → B → A`, as schema pointers.
    pub fn describe(&self) -> String {
        let mut names: Vec<&str> = Vec::with_capacity(self.links.len() + 1);
        if let Some(last) = self.links.last() {
            names.push(&last.to);
        }
        names.extend(self.links.iter().map(|l| l.to.as_str()));
        names.join(" → ")
    }
}

/// Resolves references inside one document.
#[derive(Debug, Clone, Copy)]
pub struct Resolver<'a> {
    doc: &'a Value,
}

impl<'a> Resolver<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Resolver { doc }
    }

    /// The target of a reference, which must exist.
    pub fn target(&self, reference: &str) -> Result<Target, RefError> {
        let Reference { file, pointer } = Reference::parse(reference)?;
        if file.is_some() {
            return Err(RefError::External(reference.to_string()));
        }
        if self.doc.pointer(&pointer).is_none() {
            return Err(RefError::Dangling {
                reference: reference.to_string(),
                pointer,
            });
        }
        Ok(Target { pointer })
    }

    /// The `$ref` a value holds, if it is an object with one.
    pub fn reference_of(value: &Value) -> Option<Result<&str, RefError>> {
        value.get("$ref").map(|r| r.as_str().ok_or(RefError::NotAString))
    }

    /// The value at `pointer` with every `$ref` followed: the pointer where it lives, and it.
    /// A value holding `$ref` is taken for its target (siblings of `$ref` are not merged).
    pub fn follow(&self, pointer: &str) -> Result<(String, &'a Value), RefError> {
        let mut at = pointer.to_string();
        let mut value = self
            .doc
            .pointer(pointer)
            .ok_or_else(|| RefError::Missing(pointer.to_string()))?;
        let mut seen = vec![at.clone()];
        while let Some(reference) = Self::reference_of(value) {
            let target = self.target(reference?)?;
            if seen.contains(&target.pointer) {
                seen.push(target.pointer);
                return Err(RefError::Cycle(seen));
            }
            if seen.len() > MAX_HOPS {
                return Err(RefError::TooManyHops);
            }
            value = self
                .doc
                .pointer(&target.pointer)
                .ok_or(RefError::Missing(target.pointer.clone()))?;
            at = target.pointer;
            seen.push(at.clone());
        }
        Ok((at, value))
    }

    /// Every schema cycle no value can end: one whose every link keeps the same value
    /// (`$ref`, `allOf`, `anyOf`, `oneOf`, `not`: a validator would loop without progress), or
    /// whose every link must be followed by every valid value (`$ref`, `allOf`, a required
    /// property of a schema that only allows objects: no finite value exists). Recursion through an optional
    /// property, an array's items or a map's values ends, and stays legal.
    ///
    /// Every such cycle holds a `$ref` (the other links lead deeper into the document), so
    /// the walk starts from each reference's target. It is iterative and visits each schema
    /// once: linear in the document, whatever its depth.
    pub fn cycles(&self) -> Vec<Cycle> {
        let mut starts = Vec::new();
        collect_targets(self, self.doc, &mut starts);
        let mut found: Vec<Cycle> = Vec::new();
        for kind in [Kind::SameValue, Kind::EveryValue] {
            let mut state: HashMap<String, Visit> = HashMap::new();
            for start in &starts {
                if !state.contains_key(start) {
                    self.walk(start.clone(), kind, &mut state, &mut found);
                }
            }
        }
        // A cycle of `$ref`s and `allOf`s is found by both walks.
        let mut unique: Vec<Cycle> = Vec::new();
        for c in found {
            if !unique.contains(&c) {
                unique.push(c);
            }
        }
        unique
    }

    fn walk(&self, start: String, kind: Kind, state: &mut HashMap<String, Visit>, found: &mut Vec<Cycle>) {
        struct Frame {
            node: String,
            entered_by: Option<String>,
            links: Vec<Link>,
            next: usize,
        }
        let frame = |node: String, entered_by: Option<String>| Frame {
            links: self.links(&node, kind),
            node,
            entered_by,
            next: 0,
        };
        state.insert(start.clone(), Visit::Open);
        let mut stack = vec![frame(start, None)];
        while let Some(top) = stack.last_mut() {
            let Some(link) = top.links.get(top.next).cloned() else {
                state.insert(top.node.clone(), Visit::Done);
                stack.pop();
                continue;
            };
            top.next += 1;
            match state.get(&link.to) {
                None => {
                    state.insert(link.to.clone(), Visit::Open);
                    stack.push(frame(link.to, Some(link.via)));
                }
                Some(Visit::Open) => {
                    let from = stack.iter().position(|f| f.node == link.to).unwrap_or(0);
                    let mut links: Vec<Link> = stack[from + 1..]
                        .iter()
                        .map(|f| Link {
                            via: f.entered_by.clone().unwrap_or_default(),
                            to: f.node.clone(),
                        })
                        .collect();
                    links.push(link);
                    let first = (0..links.len()).min_by_key(|&i| &links[i].via).unwrap_or(0);
                    links.rotate_left(first);
                    found.push(Cycle { links });
                }
                Some(Visit::Done) => {}
            }
        }
    }

    /// The links of one kind out of the schema at `node`. `$ref` and `allOf` are of both.
    fn links(&self, node: &str, kind: Kind) -> Vec<Link> {
        let mut out = Vec::new();
        let Some(Value::Object(schema)) = self.doc.pointer(node) else {
            return out;
        };
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str)
            && let Ok(target) = self.target(reference)
        {
            out.push(Link {
                via: pointer::child(node, &["$ref"]),
                to: target.pointer,
            });
        }
        let same_value = |p: String| Link {
            via: p.clone(),
            to: p,
        };
        let lists: &[&str] = match kind {
            Kind::SameValue => &["allOf", "anyOf", "oneOf"],
            Kind::EveryValue => &["allOf"],
        };
        for keyword in lists {
            if let Some(Value::Array(members)) = schema.get(*keyword) {
                out.extend((0..members.len()).map(|i| same_value(format!("{node}/{keyword}/{i}"))));
            }
        }
        if kind == Kind::SameValue {
            if schema.get("not").is_some_and(Value::is_object) {
                out.push(same_value(pointer::child(node, &["not"])));
            }
            return out;
        }
        let objects_only = match schema.get("type") {
            Some(Value::String(t)) => t == "object",
            Some(Value::Array(ts)) => ts.len() == 1 && ts[0] == "object",
            _ => false,
        };
        if objects_only
            && let (Some(Value::Array(required)), Some(Value::Object(props))) =
                (schema.get("required"), schema.get("properties"))
        {
            for name in required.iter().filter_map(Value::as_str) {
                if props.contains_key(name) {
                    out.push(same_value(pointer::child(node, &["properties", name])));
                }
            }
        }
        out
    }
}

/// Which links a walk follows: those that keep validating the same value, or those every
/// valid value must go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    SameValue,
    EveryValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Visit {
    Open,
    Done,
}

/// The target of every resolvable `$ref` in the document, in document order (extensions
/// skipped, as the reference check does).
fn collect_targets(resolver: &Resolver, value: &Value, out: &mut Vec<String>) {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                for (k, v) in map.iter().rev() {
                    if k == "$ref" {
                        if let Some(Ok(t)) = v.as_str().map(|r| resolver.target(r)) {
                            out.push(t.pointer);
                        }
                    } else if !k.starts_with("x-") {
                        stack.push(v);
                    }
                }
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cycles(doc: Value) -> Vec<String> {
        Resolver::new(&doc)
            .cycles()
            .iter()
            .map(|c| format!("{} @ {}", c.describe(), c.at()))
            .collect()
    }

    #[test]
    fn follows_chains_and_refuses_loops() {
        let doc = json!({"s": {"A": {"$ref": "#/s/B"}, "B": {"$ref": "#/s/C"}, "C": {"type": "string"},
                               "L": {"$ref": "#/s/M"}, "M": {"$ref": "#/s/L"}, "a b": {"const": 1}}});
        let r = Resolver::new(&doc);
        assert_eq!(r.follow("/s/A").unwrap().0, "/s/C");
        assert_eq!(
            r.follow("/s/L"),
            Err(RefError::Cycle(vec!["/s/L".into(), "/s/M".into(), "/s/L".into()]))
        );
        assert_eq!(r.follow("/nothing"), Err(RefError::Missing("/nothing".into())));
        assert_eq!(r.target("#/s/a%20b").unwrap().pointer, "/s/a b");
        assert!(matches!(r.target("other.yaml#/s/A"), Err(RefError::External(_))));
        assert!(matches!(r.target("#/s/Z"), Err(RefError::Dangling { .. })));
    }

    #[test]
    fn a_long_chain_stops_at_the_hop_bound() {
        let mut s = serde_json::Map::new();
        for i in 0..=MAX_HOPS + 1 {
            s.insert(format!("N{i}"), json!({"$ref": format!("#/s/N{}", i + 1)}));
        }
        s.insert(format!("N{}", MAX_HOPS + 2), json!({}));
        let doc = json!({ "s": s });
        assert_eq!(Resolver::new(&doc).follow("/s/N0"), Err(RefError::TooManyHops));
    }

    #[test]
    fn finds_cycles_through_refs_allof_and_required_properties() {
        assert_eq!(
            cycles(json!({"s": {"A": {"$ref": "#/s/B"}, "B": {"$ref": "#/s/A"}}})),
            ["/s/A → /s/B → /s/A @ /s/A/$ref"]
        );
        assert_eq!(
            cycles(json!({"s": {"A": {"$ref": "#/s/A"}}})),
            ["/s/A → /s/A @ /s/A/$ref"]
        );
        assert_eq!(
            cycles(json!({"s": {"A": {"allOf": [{"$ref": "#/s/A"}]}}})),
            ["/s/A → /s/A/allOf/0 → /s/A @ /s/A/allOf/0"]
        );
        let required = json!({"s": {"A": {"type": "object", "required": ["b"],
            "properties": {"b": {"$ref": "#/s/B"}}},
            "B": {"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/s/A"}}}}});
        assert_eq!(cycles(required).len(), 1);
        let any_of_self = json!({"s": {"A": {"anyOf": [{"$ref": "#/s/A"}, {"type": "string"}]}}});
        assert_eq!(cycles(any_of_self).len(), 1);
    }

    #[test]
    fn recursion_through_optional_fields_arrays_and_null_is_legal() {
        let tree = json!({"s": {"Node": {"type": "object", "required": ["value"], "properties": {
            "value": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/s/Node"}},
            "parent": {"$ref": "#/s/Node"}}}}});
        assert!(cycles(tree).is_empty());
        let nullable = json!({"s": {"A": {"type": "object", "required": ["next"], "properties": {
            "next": {"type": ["object", "null"], "required": ["x"], "properties": {"x": {"$ref": "#/s/A"}}}}}}});
        assert!(cycles(nullable).is_empty());
        let nullable_any_of = json!({"s": {"A": {"type": "object", "required": ["next"], "properties": {
            "next": {"anyOf": [{"$ref": "#/s/A"}, {"type": "null"}]}}}}});
        assert!(cycles(nullable_any_of).is_empty());
    }
}
