//! Bundling: one schema of the spec, with every schema it reaches through `$ref`, as a
//! standalone JSON Schema 2020-12 document whose references all point into its own `$defs`.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostic;
use crate::spec::fields::{SCHEMA_LIST, SCHEMA_MAP, SCHEMA_ONE as ONE_SCHEMA};
use crate::spec::{Spec, pointer};

/// The dialect of every exported document.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// OpenAPI keywords that are not JSON Schema: dropped so that strict validators (ajv) accept
/// the document. Extensions (`x-...`) are dropped for the same reason.
const OPENAPI_ONLY: &[&str] = &["example", "discriminator", "xml", "externalDocs"];

/// Builds the standalone document for the schema at `root` (a JSON pointer into the spec).
/// `id` becomes the document's `$id`; `comment` its `$comment`.
pub fn bundle(spec: &Spec, root: &str, id: &str, comment: &str) -> Result<Value, Diagnostic> {
    let schema = spec
        .at(root)
        .ok_or_else(|| spec.diag(root, format!("no schema at {root}")))?;
    let mut state = Bundler {
        spec,
        root: root.to_string(),
        names: BTreeMap::new(),
        queue: Vec::new(),
        reserved: schema
            .get("$defs")
            .and_then(Value::as_object)
            .map(|d| d.keys().cloned().collect())
            .unwrap_or_default(),
    };
    let body = state.rewrite(schema, root)?;
    // Each reached component is rewritten once; rewriting may reach further components.
    let mut defs = BTreeMap::new();
    while let Some(pointer) = state.queue.pop() {
        let target = spec
            .at(&pointer)
            .ok_or_else(|| spec.diag(&pointer, format!("nothing at {pointer}")))?;
        let rewritten = state.rewrite(target, &pointer)?;
        defs.insert(state.names[&pointer].clone(), rewritten);
    }

    let mut doc = Map::new();
    doc.insert("$schema".into(), Value::from(DIALECT));
    doc.insert("$id".into(), Value::from(id));
    doc.insert("$comment".into(), Value::from(comment));
    let Value::Object(body) = body else {
        // A boolean schema: keep it under `allOf` so the document can carry `$id` and `$defs`.
        doc.insert("allOf".into(), Value::Array(vec![body]));
        return Ok(finish(doc, defs));
    };
    for (k, v) in body {
        if k == "$defs" {
            // The schema's own `$defs` are kept; references to them were rewritten as pointers
            // into the root (`#/$defs/...`), which is where they still are.
            if let Value::Object(own) = v {
                for (name, d) in own {
                    defs.entry(name).or_insert(d);
                }
            }
        } else {
            doc.insert(k, v);
        }
    }
    Ok(finish(doc, defs))
}

fn finish(mut doc: Map<String, Value>, defs: BTreeMap<String, Value>) -> Value {
    if !defs.is_empty() {
        doc.insert("$defs".into(), Value::Object(defs.into_iter().collect()));
    }
    Value::Object(doc)
}

struct Bundler<'a> {
    spec: &'a Spec,
    /// Pointer of the exported schema: references to it (or inside it) become `#...`.
    root: String,
    /// Pointer of each bundled component → its name under `$defs`.
    names: BTreeMap<String, String>,
    /// Components named but not rewritten yet.
    queue: Vec<String>,
    /// Names the exported schema's own `$defs` already use.
    reserved: Vec<String>,
}

impl Bundler<'_> {
    /// Copies a schema, dropping non-JSON-Schema keywords and rewriting `$ref`s.
    /// `at` is the schema's pointer in the spec (for diagnostics).
    fn rewrite(&mut self, schema: &Value, at: &str) -> Result<Value, Diagnostic> {
        let Value::Object(map) = schema else {
            return Ok(schema.clone());
        };
        let mut out = Map::new();
        for (key, value) in map {
            let here = pointer::child(at, &[key]);
            if key.starts_with("x-") || OPENAPI_ONLY.contains(&key.as_str()) {
                continue;
            }
            let copied = if key == "$ref" {
                let reference = value
                    .as_str()
                    .ok_or_else(|| self.spec.diag(&here, "`$ref` must be a string"))?;
                Value::from(self.reference(reference, &here)?)
            } else if ONE_SCHEMA.contains(&key.as_str()) {
                self.rewrite(value, &here)?
            } else if SCHEMA_LIST.contains(&key.as_str()) {
                match value {
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, s)| self.rewrite(s, &format!("{here}/{i}")))
                            .collect::<Result<_, _>>()?,
                    ),
                    other => other.clone(),
                }
            } else if SCHEMA_MAP.contains(&key.as_str()) {
                match value {
                    Value::Object(members) => {
                        let mut m = Map::new();
                        for (name, s) in members {
                            let p = pointer::child(&here, &[name]);
                            m.insert(name.clone(), self.rewrite(s, &p)?);
                        }
                        Value::Object(m)
                    }
                    other => other.clone(),
                }
            } else {
                // `enum`, `const`, `examples`, `default`, ...: data, copied verbatim.
                value.clone()
            };
            out.insert(key.clone(), copied);
        }
        Ok(Value::Object(out))
    }

    /// The bundled form of a reference found at `from`.
    fn reference(&mut self, reference: &str, from: &str) -> Result<String, Diagnostic> {
        let target = self.spec.ref_pointer(reference, from)?;
        if target == self.root {
            return Ok("#".into());
        }
        if let Some(rest) = target.strip_prefix(&format!("{}/", self.root)) {
            return Ok(format!("#/{rest}"));
        }
        // A reference into an already bundled component keeps its path below it.
        for (bundled, name) in &self.names {
            if let Some(rest) = target.strip_prefix(&format!("{bundled}/")) {
                return Ok(format!("#/$defs/{}/{rest}", pointer::escape(name)));
            }
        }
        let name = match self.names.get(&target) {
            Some(n) => n.clone(),
            None => {
                let name = self.fresh_name(&target);
                self.names.insert(target.clone(), name.clone());
                self.queue.push(target);
                name
            }
        };
        Ok(format!("#/$defs/{}", pointer::escape(&name)))
    }

    /// The component's own name (the pointer's last token), made unique among the `$defs`.
    fn fresh_name(&self, target: &str) -> String {
        let base = pointer::last(target)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "schema".into());
        let taken = |n: &str| self.reserved.iter().chain(self.names.values()).any(|v| v == n);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|i| format!("{base}_{i}"))
            .find(|n| !taken(n))
            .expect("an unused name exists")
    }
}
