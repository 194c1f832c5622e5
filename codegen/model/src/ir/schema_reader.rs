//! Reads JSON Schema values of the spec into the type IR ([`super::types`]).
//!
//! What each construct becomes:
//!
//! - `type` (one, `[T, "null"]`, or several: an untagged enum), 3.0 `nullable: true` (also in
//!   3.1 documents, as real ones write it), `anyOf`/`oneOf` with a `{type: "null"}` branch:
//!   `Option<T>` where null is allowed.
//! - Formats: `int32`/`int64`/`uint32`/`uint64` (an integer with `minimum >= 0` is unsigned),
//!   `float`/`double` (`f64`), `date-time`, `date`, `uuid` (typed, see [`StringFormat`]);
//!   `email` is checked on request strings; every other format is an annotation (a string).
//! - Objects: properties, `required`, `additionalProperties` (`false`: closed; a schema: a map,
//!   or a map field beside the properties), `allOf` merged ([`super::all_of`]).
//! - `enum` of strings or integers (closed on requests, open on responses), `const`.
//! - `oneOf`/`anyOf`: branches that only say which nullable properties are set (a request
//!   choice with one constructor per branch), a `discriminator` (the tag names the branch),
//!   or an untagged enum tried in order.
//! - `$ref` to a schema: its own named type, recursion through a `Box`.
//!
//! Validation keywords the types do not state (numeric bounds, array sizes) are accepted and
//! left to the server. A rule the types cannot state (`not`, `if`/`then`, `patternProperties`,
//! a `discriminator` that cannot pick a branch) is a located warning, and the value is read as
//! loosely as needed (at worst `serde_json::Value`): the types then accept every valid value. A
//! schema is refused, located, only when no Rust type could be right.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::names::{NameSet, pascal, snake};
use super::types::*;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::{Spec, child};

/// Keywords that only document, or that the generator reads elsewhere.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "examples",
    "example",
    "$comment",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "externalDocs",
    "xml",
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$defs",
    "definitions",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "discriminator",
    "nullable",
];
/// Assertions the types do not state; the server checks them.
const UNCHECKED: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "minContains",
    "maxContains",
];
/// Keywords with a meaning the reader represents.
const STRUCTURAL: &[&str] = &[
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "anyOf",
    "oneOf",
    "allOf",
    "pattern",
    "format",
    "minLength",
    "maxLength",
];
/// Names the generated code uses unqualified (prelude items, its own helpers): a schema
/// with one of these names gets a `Schema` suffix.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "String",
    "Option",
    "Result",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "ConstraintError",
    "Redacted",
];
/// String formats the client checks itself (request side).
const CHECKED_FORMATS: &[&str] = &["email"];

/// What a schema reads as at one place: a type, and whether `null` is also allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub ty: TypeRef,
    pub nullable: bool,
    /// `const`: the one value allowed.
    pub constant: Option<Value>,
}

impl Shape {
    fn of(ty: TypeRef) -> Shape {
        Shape {
            ty,
            nullable: false,
            constant: None,
        }
    }
}

/// Reads schemas into a [`TypeSpace`], collecting every problem.
pub struct Reader<'a> {
    spec: &'a Spec,
    space: TypeSpace,
    diags: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    /// Component pointers already read, and what they read as.
    components: IndexMap<String, Option<Shape>>,
    /// The Rust name of every `#/components/schemas/*`, decided up front in spec order, so a
    /// component's name never depends on which operation reaches it first.
    component_names: IndexMap<String, String>,
    type_names: NameSet,
    in_progress: Vec<String>,
    /// Components referred to while being read: `(pointer, name, where)`; each must become
    /// the named type `name`.
    recursive: Vec<(String, String, String)>,
    /// How many schemas deep the reader is: bounded, so no input exhausts the stack.
    depth: usize,
}

/// Deeper than any schema the YAML depth limit lets through; only a cycle the reader cannot
/// end (e.g. combinators merged with themselves) gets here.
const MAX_DEPTH: usize = 96;

impl<'a> Reader<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        let mut type_names = NameSet::with_taken(contract_runtime::names::TYPES_ITEMS.iter().copied());
        let mut component_names = IndexMap::new();
        if let Some(schemas) = spec.at("/components/schemas").and_then(Value::as_object) {
            for key in schemas.keys() {
                let name = type_names.take(&type_name(key));
                component_names.insert(child("/components/schemas", &[key]), name);
            }
        }
        Reader {
            spec,
            space: TypeSpace::default(),
            diags: Vec::new(),
            warnings: Vec::new(),
            components: IndexMap::new(),
            component_names,
            type_names,
            in_progress: Vec::new(),
            recursive: Vec::new(),
            depth: 0,
        }
    }

    pub fn space(&self) -> &TypeSpace {
        &self.space
    }

    /// Reads the schema at `pointer`. `hint` names the Rust type if one is needed (a component
    /// reference uses the component's name instead). `None` means a diagnostic was recorded.
    pub fn read(&mut self, pointer: &str, hint: &str, dir: Direction) -> Option<Shape> {
        if self.component_names.contains_key(pointer) {
            return self.read_component(pointer, dir);
        }
        self.read_at(pointer, hint, dir)
    }

    fn read_at(&mut self, pointer: &str, hint: &str, dir: Direction) -> Option<Shape> {
        let Some(schema) = self.spec.at(pointer).cloned() else {
            self.diags.push(self.spec.diag(pointer, "no schema here"));
            return None;
        };
        self.read_value(&schema, pointer, hint, dir)
    }

    /// The type space (with the warnings), or every problem found.
    pub fn finish(mut self) -> Result<TypeSpace, Diagnostics> {
        for (pointer, name, at) in std::mem::take(&mut self.recursive) {
            let named = matches!(
                self.components.get(&pointer),
                Some(Some(Shape { ty: TypeRef::Named(n), .. })) if *n == name
            );
            if !named {
                self.refuse::<()>(
                    &at,
                    "this schema refers to itself, and only objects, enums and unions can (through a `Box`)",
                    "break the cycle with an object property or array items",
                );
            }
        }
        Diagnostics(self.diags).into_result()?;
        let mut warnings = Vec::new();
        for w in self.warnings {
            if !warnings.contains(&w) {
                warnings.push(w);
            }
        }
        self.space.warnings = warnings;
        Ok(self.space)
    }

    fn refuse<T>(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) -> Option<T> {
        let d = self.spec.diag(pointer, message).hint(hint);
        self.diags.push(d);
        None
    }

    fn warn(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) {
        let d = self.spec.diag(pointer, message).hint(hint).warning();
        self.warnings.push(d);
    }

    fn read_value(&mut self, schema: &Value, at: &str, hint: &str, dir: Direction) -> Option<Shape> {
        if self.depth >= MAX_DEPTH {
            return self.refuse(
                at,
                "the schema nests too deeply, or refers to itself through combinators the reader cannot merge",
                "refer to a named schema through a property or array items instead",
            );
        }
        self.depth += 1;
        let shape = self.read_schema(schema, at, hint, dir);
        self.depth -= 1;
        shape
    }

    fn read_schema(&mut self, schema: &Value, at: &str, hint: &str, dir: Direction) -> Option<Shape> {
        let obj = match schema {
            Value::Bool(true) => return Some(Shape::of(TypeRef::Json)),
            Value::Object(o) => o,
            Value::Bool(false) => {
                return self.refuse(
                    at,
                    "the schema `false` allows no value, so no Rust type fits",
                    "remove the property, or write the schema its values follow",
                );
            }
            _ => {
                return self.refuse(at, "this is not a schema", "write a schema object here");
            }
        };
        if let Some(r) = obj.get("$ref") {
            return self.reference(obj, r, at, dir);
        }
        if obj.contains_key("allOf") {
            return self.all_of(obj, at, hint, dir);
        }
        for k in obj.keys() {
            let known = k.starts_with("x-")
                || ANNOTATIONS.contains(&k.as_str())
                || STRUCTURAL.contains(&k.as_str())
                || UNCHECKED.contains(&k.as_str());
            if known {
                continue;
            }
            let message = match k.as_str() {
                "if" | "then" | "else" | "dependentRequired" | "dependentSchemas" | "not" => {
                    format!("`{k}` is a rule the generated types do not state: skipped")
                }
                "patternProperties"
                | "propertyNames"
                | "unevaluatedProperties"
                | "prefixItems"
                | "contains"
                | "unevaluatedItems" => {
                    format!("`{k}` is not represented in the generated types: skipped")
                }
                _ => format!("unknown keyword `{k}`: skipped"),
            };
            self.warn(
                &child(at, &[k]),
                message,
                "the types accept every valid value; the server checks the rule",
            );
        }

        let (types, mut nullable) = self.types(obj, at)?;
        if obj.get("nullable") == Some(&Value::Bool(true)) {
            nullable = true;
        }
        let combinator = ["oneOf", "anyOf"].into_iter().find(|c| obj.contains_key(*c));
        if obj.contains_key("oneOf") && obj.contains_key("anyOf") {
            self.warn(
                &child(at, &["anyOf"]),
                "`anyOf` beside `oneOf` is not represented: skipped",
                "the `oneOf` alone decides the type",
            );
        }
        if let Some(c) = combinator {
            let mut shape = self.combinator(obj, c, at, hint, dir)?;
            shape.nullable |= nullable;
            return Some(shape);
        }
        if types.len() > 1 {
            let mut shape = self.multi_type(obj, &types, at, hint, dir)?;
            shape.nullable |= nullable;
            return Some(shape);
        }
        let single = types.first().map(String::as_str);
        if let Some(values) = obj.get("enum") {
            let mut shape = self.enumeration(obj, values, single, at, hint, dir)?;
            shape.nullable |= nullable;
            return Some(shape);
        }
        if let Some(c) = obj.get("const") {
            let mut shape = self.constant(obj, c, single, at, hint, dir)?;
            shape.nullable |= nullable;
            return Some(shape);
        }
        if obj.contains_key("discriminator") && at.starts_with("/components/schemas/") {
            // A base schema whose discriminator maps to its subtypes stands for them.
            if let Some(shape) = self.polymorphic_base(obj, at, hint, dir) {
                let mut shape = shape?;
                shape.nullable |= nullable;
                return Some(shape);
            }
        }
        let inferred = match single {
            Some(t) => Some(t),
            None if obj.contains_key("properties") || obj.contains_key("additionalProperties") => {
                Some("object")
            }
            None if obj.contains_key("items") => Some("array"),
            None if obj.contains_key("pattern")
                || obj.contains_key("minLength")
                || obj.contains_key("maxLength")
                || obj.contains_key("format") =>
            {
                Some("string")
            }
            None => None,
        };
        let ty = match inferred {
            Some("object") => self.object(obj, at, hint, dir)?,
            Some("string") => self.string(obj, at, hint, dir)?,
            Some("integer") => integer(obj),
            Some("number") => TypeRef::Number,
            Some("boolean") => TypeRef::Boolean,
            Some("null") => {
                return Some(Shape {
                    ty: TypeRef::Null,
                    nullable,
                    constant: None,
                });
            }
            Some("array") => self.array(obj, at, hint, dir)?,
            Some(other) => {
                return self.refuse(
                    &child(at, &["type"]),
                    format!("unknown type `{other}`"),
                    "use one of null, boolean, integer, number, string, array, object",
                );
            }
            None => TypeRef::Json,
        };
        Some(Shape {
            ty,
            nullable,
            constant: None,
        })
    }

    /// `$ref`, with what may stand beside it: annotations (3.1), and `nullable: true` as real
    /// documents write it. Other siblings are skipped (the loader warns about them).
    fn reference(&mut self, obj: &Map<String, Value>, r: &Value, at: &str, dir: Direction) -> Option<Shape> {
        let Some(r) = r.as_str() else {
            return self.refuse(
                &child(at, &["$ref"]),
                "`$ref` must be a string",
                "write `$ref: '#/components/schemas/Name'`",
            );
        };
        let target = match self.spec.ref_pointer(r, &child(at, &["$ref"])) {
            Ok(t) => t,
            Err(d) => {
                self.diags.push(d);
                return None;
            }
        };
        let mut shape = self.read_component(&target, dir)?;
        if obj.get("nullable") == Some(&Value::Bool(true)) {
            shape.nullable = true;
        }
        Some(shape)
    }

    /// `allOf`: one part and annotations stands for that part (a reference keeps its type);
    /// otherwise the parts are merged into one schema.
    fn all_of(&mut self, obj: &Map<String, Value>, at: &str, hint: &str, dir: Direction) -> Option<Shape> {
        let parts = obj.get("allOf").and_then(Value::as_array);
        let only_docs = obj
            .keys()
            .all(|k| k == "allOf" || k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()));
        if let Some([single]) = parts.map(Vec::as_slice)
            && only_docs
        {
            let mut shape = self.read_value(single, &child(at, &["allOf", "0"]), hint, dir)?;
            if obj.get("nullable") == Some(&Value::Bool(true)) {
                shape.nullable = true;
            }
            return Some(shape);
        }
        if parts.is_none() {
            return self.refuse(
                &child(at, &["allOf"]),
                "`allOf` must be a list of schemas",
                "list the parts",
            );
        }
        let merged = super::all_of::merge(self.spec, obj, at, &mut self.warnings);
        self.read_value(&Value::Object(merged), at, hint, dir)
    }

    /// A component schema: read once, named after the component.
    fn read_component(&mut self, target: &str, dir: Direction) -> Option<Shape> {
        if let Some(done) = self.components.get(target) {
            return done.clone();
        }
        let name = match self.component_names.get(target) {
            Some(n) => n.clone(),
            None => self.pointer_type_name(target),
        };
        if self.in_progress.iter().any(|p| p == target) {
            // Recursion: the type being built refers to itself through a box.
            self.recursive
                .push((target.to_string(), name.clone(), target.to_string()));
            return Some(Shape::of(TypeRef::Boxed(Box::new(TypeRef::Named(name)))));
        }
        self.in_progress.push(target.to_string());
        let shape = self.read_at(target, &name, dir);
        self.in_progress.pop();
        self.components.insert(target.to_string(), shape.clone());
        shape
    }

    /// The `type` keyword: the non-null types it lists, and whether `null` is one of them.
    fn types(&mut self, obj: &Map<String, Value>, at: &str) -> Option<(Vec<String>, bool)> {
        match obj.get("type") {
            None => Some((Vec::new(), false)),
            Some(Value::String(t)) if t == "null" => Some((vec![t.clone()], false)),
            Some(Value::String(t)) => Some((vec![t.clone()], false)),
            Some(Value::Array(ts)) if ts.iter().all(Value::is_string) && !ts.is_empty() => {
                let names: Vec<String> = ts.iter().filter_map(Value::as_str).map(str::to_string).collect();
                let non_null: Vec<String> = names.iter().filter(|t| *t != "null").cloned().collect();
                let nullable = non_null.len() < names.len();
                if non_null.is_empty() {
                    return Some((vec!["null".to_string()], false));
                }
                Some((non_null, nullable))
            }
            Some(_) => self.refuse(
                &child(at, &["type"]),
                "`type` must be a string or a non-empty list of strings",
                "write e.g. `type: string`",
            ),
        }
    }

    /// A type name for a schema inside another (`#/components/schemas/Pet/properties/tag` →
    /// `PetTag`), named the way an inline schema at that place would be.
    fn pointer_type_name(&self, target: &str) -> String {
        let tokens: Vec<String> = target
            .split('/')
            .skip(1)
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .collect();
        let (mut name, rest) = match tokens.as_slice() {
            [c, s, schema, rest @ ..] if c == "components" && s == "schemas" => {
                let pointer = child("/components/schemas", &[schema]);
                let base = self
                    .component_names
                    .get(&pointer)
                    .cloned()
                    .unwrap_or_else(|| type_name(schema));
                (base, rest)
            }
            _ => (String::new(), &tokens[..]),
        };
        let mut after_keyword = false;
        for t in rest {
            match t.as_str() {
                "properties" | "$defs" | "definitions" | "patternProperties" => after_keyword = true,
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => after_keyword = false,
                "items" => name.push_str("Item"),
                "additionalProperties" => name.push_str("Value"),
                _ if after_keyword => {
                    name.push_str(&pascal(t));
                    after_keyword = false;
                }
                // Branch indexes and other keywords add nothing readable.
                _ => {}
            }
        }
        type_name(if name.is_empty() { "Value" } else { &name })
    }

    /// `type: [string, number, ...]`: an untagged enum with one variant per type.
    fn multi_type(
        &mut self,
        obj: &Map<String, Value>,
        types: &[String],
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Shape> {
        // Integer before number, so `7` reads as an integer.
        const ORDER: &[&str] = &["boolean", "integer", "number", "string", "array", "object"];
        let mut sorted: Vec<&String> = types.iter().collect();
        sorted.sort_by_key(|t| ORDER.iter().position(|o| o == t).unwrap_or(ORDER.len()));
        sorted.dedup();
        let mut names = NameSet::new();
        let mut variants = Vec::new();
        for t in sorted {
            let name = names.take(&pascal(t));
            let mut sub = obj.clone();
            sub.insert("type".into(), Value::String(t.clone()));
            sub.remove("nullable");
            let shape = self.read_value(&Value::Object(sub), at, &format!("{hint}{name}"), dir)?;
            variants.push(UnionVariant {
                name,
                docs: Docs::default(),
                json_type: JsonType::parse(t),
                ty: shape.ty,
                tags: Vec::new(),
                declares_tag: false,
            });
        }
        let union = UnionType {
            variants,
            discriminator: None,
            open: false,
        };
        let name = self.add(hint, at, obj, dir, TypeKind::Union(union));
        Some(Shape::of(TypeRef::Named(name)))
    }

    fn enumeration(
        &mut self,
        obj: &Map<String, Value>,
        values: &Value,
        single: Option<&str>,
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Shape> {
        let ptr = child(at, &["enum"]);
        let Some(values) = values.as_array().filter(|v| !v.is_empty()) else {
            return self.refuse(&ptr, "`enum` must be a non-empty list", "list the allowed values");
        };
        let nullable = values.iter().any(Value::is_null);
        let non_null: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
        if non_null.is_empty() {
            return Some(Shape {
                ty: TypeRef::Null,
                nullable: false,
                constant: None,
            });
        }
        let open = dir == Direction::Response;
        let kind = if non_null.iter().all(|v| v.is_string()) && matches!(single, None | Some("string")) {
            let mut names = NameSet::new();
            if open {
                names.take("Unknown");
            }
            let mut out: Vec<EnumValue> = Vec::new();
            for s in non_null.iter().filter_map(|v| v.as_str()) {
                if out.iter().any(|e| e.wire == s) {
                    continue;
                }
                out.push(EnumValue {
                    wire: s.to_string(),
                    variant: names.take(&pascal(s)),
                });
            }
            TypeKind::StringEnum(StringEnum { values: out, open })
        } else if non_null.iter().all(|v| v.is_i64())
            && matches!(single, None | Some("integer") | Some("number"))
        {
            let mut names = NameSet::new();
            if open {
                names.take("Unknown");
            }
            let mut out: Vec<IntegerValue> = Vec::new();
            for n in non_null.iter().filter_map(|v| v.as_i64()) {
                if out.iter().any(|e| e.wire == n) {
                    continue;
                }
                let spelled = if n < 0 {
                    format!("Minus{}", n.unsigned_abs())
                } else {
                    format!("V{n}")
                };
                out.push(IntegerValue {
                    wire: n,
                    variant: names.take(&spelled),
                });
            }
            TypeKind::IntegerEnum(IntegerEnum { values: out, open })
        } else {
            self.warn(
                &ptr,
                "an `enum` of other values than strings or integers is read as its base type",
                "the allowed values are listed in the docs, not in the type",
            );
            let mut sub = obj.clone();
            sub.remove("enum");
            let mut shape = self.read_value(&Value::Object(sub), at, hint, dir)?;
            shape.nullable |= nullable;
            return Some(shape);
        };
        let name = self.add(hint, at, obj, dir, kind);
        Some(Shape {
            ty: TypeRef::Named(name),
            nullable,
            constant: None,
        })
    }

    /// `const`: a one-value closed enum for a request string (so the value is always right);
    /// elsewhere the base type, documented with the value.
    fn constant(
        &mut self,
        obj: &Map<String, Value>,
        c: &Value,
        single: Option<&str>,
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Shape> {
        if dir == Direction::Request && c.is_string() && matches!(single, None | Some("string")) {
            let values = Value::Array(vec![c.clone()]);
            let mut sub = obj.clone();
            sub.remove("const");
            return self.enumeration(&sub, &values, single, at, hint, dir);
        }
        let ty = match (single, c) {
            (Some("integer") | None, Value::Number(n)) if n.is_i64() || n.is_u64() => TypeRef::Integer {
                unsigned: n.is_u64(),
                bits: 64,
            },
            (Some("integer"), _) => integer(obj),
            (Some("number") | None, Value::Number(_)) => TypeRef::Number,
            (Some("string") | None, Value::String(_)) => TypeRef::String,
            (Some("boolean") | None, Value::Bool(_)) => TypeRef::Boolean,
            (_, Value::Null) => TypeRef::Null,
            _ => {
                let mut sub = obj.clone();
                sub.remove("const");
                return self.read_value(&Value::Object(sub), at, hint, dir);
            }
        };
        Some(Shape {
            ty,
            nullable: false,
            constant: Some(c.clone()),
        })
    }

    fn string(&mut self, obj: &Map<String, Value>, at: &str, hint: &str, dir: Direction) -> Option<TypeRef> {
        let format = obj.get("format").and_then(Value::as_str);
        match format {
            Some("date-time") => return Some(TypeRef::Format(StringFormat::DateTime)),
            Some("date") => return Some(TypeRef::Format(StringFormat::Date)),
            Some("uuid") => return Some(TypeRef::Format(StringFormat::Uuid)),
            _ => {}
        }
        let mut rules = StringRules::default();
        for (k, slot) in [
            ("minLength", &mut rules.min_length),
            ("maxLength", &mut rules.max_length),
        ] {
            if let Some(v) = obj.get(k) {
                match v.as_u64() {
                    Some(n) => *slot = Some(n),
                    None => {
                        self.refuse::<()>(
                            &child(at, &[k]),
                            format!("`{k}` must be a non-negative integer"),
                            "write e.g. `minLength: 1`",
                        );
                        return None;
                    }
                }
            }
        }
        if let Some(p) = obj.get("pattern") {
            let Some(p) = p.as_str() else {
                self.refuse::<()>(
                    &child(at, &["pattern"]),
                    "`pattern` must be a string",
                    "quote the pattern",
                );
                return None;
            };
            if let Err(e) = regress::Regex::new(p) {
                self.refuse::<()>(
                    &child(at, &["pattern"]),
                    format!("`pattern` is not a valid ECMA-262 regular expression: {e}"),
                    "fix the pattern (JSON Schema patterns use ECMA-262 syntax)",
                );
                return None;
            }
            rules.pattern = Some(p.to_string());
        }
        // Other formats are annotations (JSON Schema 2020-12): the value is a string.
        if let Some(f) = format
            && CHECKED_FORMATS.contains(&f)
        {
            rules.format = Some(f.to_string());
        }
        if rules == StringRules::default() {
            return Some(TypeRef::String);
        }
        rules.examples = obj
            .get("examples")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default();
        Some(TypeRef::Named(self.add(
            hint,
            at,
            obj,
            dir,
            TypeKind::Constrained(rules),
        )))
    }

    fn array(&mut self, obj: &Map<String, Value>, at: &str, hint: &str, dir: Direction) -> Option<TypeRef> {
        let item = match obj.get("items") {
            None => TypeRef::Json,
            // 3.0-era tuple form: not represented.
            Some(Value::Array(_)) => {
                self.warn(
                    &child(at, &["items"]),
                    "a list of item schemas (a tuple) is read as a list of JSON values",
                    "use `prefixItems` (2020-12) or one item schema",
                );
                TypeRef::Json
            }
            Some(items) => {
                let shape = self.read_value(items, &child(at, &["items"]), &format!("{hint}Item"), dir)?;
                contained(shape)
            }
        };
        Some(TypeRef::Array(Box::new(item)))
    }

    fn object(&mut self, obj: &Map<String, Value>, at: &str, hint: &str, dir: Direction) -> Option<TypeRef> {
        let (fields, deny_unknown, additional) = match self.object_parts(obj, at, hint, dir)? {
            ObjectParts::Map(ty) => return Some(ty),
            ObjectParts::Fields {
                fields,
                deny_unknown,
                additional,
            } => (fields, deny_unknown, additional),
        };
        if fields.is_empty() && additional.is_none() {
            if self.component_names.contains_key(at) {
                return Some(TypeRef::Named(self.add(hint, at, obj, dir, TypeKind::FreeObject)));
            }
            return Some(TypeRef::Map(Box::new(TypeRef::Json)));
        }
        let additional = additional.map(|t| {
            let mut names = NameSet::with_taken(fields.iter().map(|f| f.rust.as_str()));
            (names.take("additional"), t)
        });
        let kind = TypeKind::Struct(StructType {
            fields,
            deny_unknown,
            additional,
        });
        Some(TypeRef::Named(self.add(hint, at, obj, dir, kind)))
    }

    /// An object's properties read as fields, or the map it is when it has none.
    fn object_parts(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<ObjectParts> {
        let props = match obj.get("properties") {
            None => Map::new(),
            Some(Value::Object(p)) => p.clone(),
            Some(_) => {
                return self.refuse(
                    &child(at, &["properties"]),
                    "`properties` must be a mapping",
                    "write `properties: {name: schema}`",
                );
            }
        };
        let required = self.string_list(obj.get("required"), &child(at, &["required"]))?;
        let mut deny_unknown = false;
        let mut additional = None;
        match obj.get("additionalProperties") {
            None | Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) => deny_unknown = true,
            Some(schema) => {
                let vat = child(at, &["additionalProperties"]);
                let shape = self.read_value(schema, &vat, &format!("{hint}Value"), dir)?;
                let value = contained(shape);
                if props.is_empty() {
                    return Some(ObjectParts::Map(TypeRef::Map(Box::new(value))));
                }
                additional = Some(value);
            }
        }
        for r in &required {
            if !props.contains_key(r) {
                self.warn(
                    &child(at, &["required"]),
                    format!("`{r}` is required but not declared in `properties`: not represented"),
                    format!("declare `{r}` under `properties`"),
                );
            }
        }
        let rust_names = field_names(props.keys().map(String::as_str));
        let mut fields = Vec::new();
        let mut ok = true;
        for ((key, schema), rust) in props.iter().zip(rust_names) {
            let fat = child(at, &["properties", key]);
            if schema == &Value::Bool(false) {
                // The property must be absent: nothing to carry.
                continue;
            }
            let shape = self.read_value(schema, &fat, &format!("{hint}{}", pascal(key)), dir);
            let Some(shape) = shape else {
                ok = false;
                continue;
            };
            let pii = schema.get("x-pii") == Some(&Value::Bool(true));
            // A server-written property is never the caller's to send, and a client-written
            // one never comes back: required only on its own side.
            let flag = |k: &str| schema.get(k) == Some(&Value::Bool(true));
            let other_side = match dir {
                Direction::Request => flag("readOnly"),
                Direction::Response => flag("writeOnly"),
            };
            fields.push(Field {
                wire: key.clone(),
                rust,
                ty: shape.ty,
                required: required.contains(key) && !other_side,
                nullable: shape.nullable,
                pii,
                docs: Docs::of(schema),
                constant: shape.constant,
            });
        }
        if !ok {
            return None;
        }
        Some(ObjectParts::Fields {
            fields,
            deny_unknown,
            additional,
        })
    }

    /// `oneOf`/`anyOf`, in the forms the reader knows (see the module docs).
    fn combinator(
        &mut self,
        obj: &Map<String, Value>,
        comb: &str,
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Shape> {
        let cat = child(at, &[comb]);
        let Some(branches) = obj.get(comb).and_then(Value::as_array).filter(|b| !b.is_empty()) else {
            return self.refuse(
                &cat,
                format!("`{comb}` must be a non-empty list"),
                "list the branches",
            );
        };
        let is_null = |v: &Value| {
            v.as_object().is_some_and(|o| {
                o.get("type") == Some(&Value::from("null"))
                    && o.keys().all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str()))
            })
        };
        let nullable = branches.iter().any(is_null);
        let kept: Vec<(usize, &Value)> = branches.iter().enumerate().filter(|(_, b)| !is_null(b)).collect();
        let has_props = obj.contains_key("properties");
        if !has_props && kept.len() == 1 {
            // `anyOf: [X, {type: null}]`: X, nullable.
            let (i, other) = kept[0];
            let mut base = obj.clone();
            base.remove(comb);
            let only_docs = base
                .keys()
                .all(|k| k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()) || k == "type");
            let mut shape = if only_docs {
                self.read_value(other, &format!("{cat}/{i}"), hint, dir)?
            } else {
                // Keywords beside the combinator apply to the branch too.
                let merged = serde_json::json!({ "allOf": [Value::Object(base), other.clone()] });
                self.read_value(&merged, at, hint, dir)?
            };
            shape.nullable |= nullable;
            return Some(shape);
        }
        if has_props {
            let branches_only_narrow = kept.iter().all(|(_, b)| is_narrowing(b));
            if branches_only_narrow && dir == Direction::Request {
                let ty = self.choice_object(obj, comb, at, hint, dir)?;
                return Some(Shape {
                    ty,
                    nullable,
                    constant: None,
                });
            }
            if branches_only_narrow {
                // A response is read as it comes: the properties, without the branch rule.
                let mut base = obj.clone();
                base.remove(comb);
                let mut shape = self.read_value(&Value::Object(base), at, hint, dir)?;
                shape.nullable |= nullable;
                return Some(shape);
            }
            // Each branch with the shared properties.
            let mut base = obj.clone();
            base.remove(comb);
            base.remove("discriminator");
            for k in ["title", "description", "nullable"] {
                base.remove(k);
            }
            let expanded: Vec<Value> = kept
                .iter()
                .map(|(_, b)| serde_json::json!({ "allOf": [Value::Object(base.clone()), (*b).clone()] }))
                .collect();
            let shape = self.union(obj, comb, &expanded, None, at, hint, dir)?;
            return Some(Shape { nullable, ..shape });
        }
        let kept_values: Vec<Value> = kept.iter().map(|(_, b)| (*b).clone()).collect();
        let indices: Vec<usize> = kept.iter().map(|(i, _)| *i).collect();
        let mut shape = self.union(obj, comb, &kept_values, Some(&indices), at, hint, dir)?;
        shape.nullable |= nullable;
        Some(shape)
    }

    /// The object of a request choice: its properties, and the branches over them.
    fn choice_object(
        &mut self,
        obj: &Map<String, Value>,
        comb: &str,
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<TypeRef> {
        let mut base = obj.clone();
        base.remove(comb);
        base.remove("additionalProperties");
        let ObjectParts::Fields { fields, .. } = self.object_parts(&base, at, hint, dir)? else {
            return None;
        };
        let deny_unknown = obj.get("additionalProperties") == Some(&Value::Bool(false));
        let choice = self.choice(obj, at, comb, fields, deny_unknown)?;
        Some(TypeRef::Named(self.add(
            hint,
            at,
            obj,
            dir,
            TypeKind::Choice(choice),
        )))
    }

    /// An object whose `oneOf`/`anyOf` branches only say which properties are set.
    fn choice(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        comb: &str,
        fields: Vec<Field>,
        deny_unknown: bool,
    ) -> Option<ChoiceType> {
        let cat = child(at, &[comb]);
        let branches = obj
            .get(comb)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for f in &fields {
            if f.required && f.nullable {
                self.refuse::<()>(
                    &child(at, &["properties", &f.wire]),
                    format!("`{}` is required but nullable beside `{comb}` branches: absent and null cannot be told apart", f.wire),
                    "drop it from `required`; the client always sends every property, null when unused",
                );
                return None;
            }
        }
        let mut out: Vec<Branch> = Vec::new();
        let mut constructors = NameSet::with_taken(["matched_branches"]);
        for f in &fields {
            constructors.take(&f.rust);
            constructors.take(&format!("with_{}", f.rust));
        }
        for (i, b) in branches.iter().enumerate() {
            let bat = format!("{cat}/{i}");
            let mut branch = self.branch(b, &bat, &fields, i)?;
            branch.constructor = constructors.take(&branch.constructor);
            out.push(branch);
        }
        let combinator = if comb == "oneOf" {
            Combinator::OneOf
        } else {
            Combinator::AnyOf
        };
        if combinator == Combinator::OneOf {
            for i in 0..out.len() {
                for j in i + 1..out.len() {
                    let disjoint = out[i].rules.iter().zip(&out[j].rules).any(|pair| {
                        matches!(
                            pair,
                            (FieldRule::Set, FieldRule::Unset) | (FieldRule::Unset, FieldRule::Set)
                        )
                    });
                    if !disjoint {
                        return self.refuse(
                            &cat,
                            format!(
                                "`oneOf` branches `{}` and `{}` overlap: one value can match both, so the rule is not a choice",
                                out[i].title, out[j].title
                            ),
                            "make each branch set a property the other leaves null, or use `anyOf`",
                        );
                    }
                }
            }
        }
        Some(ChoiceType {
            combinator,
            fields,
            branches: out,
            deny_unknown,
        })
    }

    fn branch(&mut self, b: &Value, bat: &str, fields: &[Field], index: usize) -> Option<Branch> {
        let bo = b.as_object().cloned().unwrap_or_default();
        let title = bo
            .get("title")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| format!("branch{}", index + 1));
        let required = self.string_list(bo.get("required"), &child(bat, &["required"]))?;
        let narrowed = bo
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut narrow: IndexMap<String, JsonType> = IndexMap::new();
        for (k, v) in &narrowed {
            let pat = child(bat, &["properties", k]);
            let Some(field) = fields.iter().find(|f| &f.wire == k) else {
                return self.refuse(
                    &pat,
                    format!("`{k}` is not a property of the object"),
                    "declare it in the object's `properties` first",
                );
            };
            let t = v.get("type").and_then(Value::as_str).and_then(JsonType::parse);
            let Some(t) = t else {
                return self.refuse(
                    &pat,
                    "a branch may only narrow a property with `{type: T}`",
                    "write `{type: 'null'}` or the property's own non-null type",
                );
            };
            let base = field.ty.json_type(&self.space);
            if t != JsonType::Null && base != Some(t) {
                return self.refuse(
                    &child(&pat, &["type"]),
                    format!("the branch narrows `{k}` to `{t:?}`, which is not the property's type"),
                    "a branch may narrow a property to its own non-null type or to null",
                );
            }
            if t == JsonType::Null && !field.optional() {
                return self.refuse(
                    &pat,
                    format!("`{k}` cannot be null: it is required and not nullable"),
                    "remove the narrowing",
                );
            }
            narrow.insert(k.clone(), t);
        }
        for r in &required {
            if !fields.iter().any(|f| &f.wire == r) {
                return self.refuse(
                    &child(bat, &["required"]),
                    format!("`{r}` is not a property of the object"),
                    "declare it in `properties`",
                );
            }
        }
        let mut rules = Vec::new();
        for f in fields {
            let req = required.contains(&f.wire);
            let rule = match (req, narrow.get(&f.wire)) {
                (true, Some(JsonType::Null)) => {
                    return self.refuse(
                        &child(bat, &["required"]),
                        format!(
                            "`{}` must be present and null: absent and null cannot be told apart",
                            f.wire
                        ),
                        "drop it from this branch's `required`",
                    );
                }
                (true, Some(_)) => FieldRule::Set,
                (true, None) if f.nullable => {
                    return self.refuse(
                        &child(bat, &["required"]),
                        format!("`{}` is required here but may still be null, so `required` does not say that it is set", f.wire),
                        format!("narrow it in the branch: `properties: {{{}: {{type: <its type>}}}}`", f.wire),
                    );
                }
                (true, None) => FieldRule::Set,
                (false, Some(JsonType::Null)) => FieldRule::Unset,
                // "Absent, or not null" is every value once absent and null are one.
                (false, _) if f.required && !f.nullable => FieldRule::Set,
                (false, _) => FieldRule::Free,
            };
            rules.push(rule);
        }
        Some(Branch {
            // `new_<branch>`: never the name of a getter, which is the property's name.
            constructor: snake(&format!("new_{title}")),
            title,
            docs: Docs {
                title: None,
                description: bo.get("description").and_then(Value::as_str).map(str::to_string),
            },
            rules,
        })
    }

    /// A base schema with `discriminator.mapping` and no branches of its own: the union of the
    /// mapped subtypes. `None` when the schema is not one.
    fn polymorphic_base(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Option<Shape>> {
        let mapping = obj.get("discriminator")?.get("mapping")?.as_object()?;
        let mut targets: Vec<Value> = Vec::new();
        for target in mapping.values() {
            let r = target.as_str()?;
            let r = if r.contains('#') || r.contains('/') {
                r.to_string()
            } else {
                format!("#/components/schemas/{r}")
            };
            let pointer = self.spec.ref_pointer(&r, at).ok()?;
            if pointer == at {
                return None;
            }
            let reference = serde_json::json!({ "$ref": r });
            if !targets.contains(&reference) {
                targets.push(reference);
            }
        }
        if targets.is_empty() {
            return None;
        }
        Some(self.union(obj, "oneOf", &targets, None, at, hint, dir))
    }

    /// `oneOf`/`anyOf` as an enum: tagged by the `discriminator` when it can pick every
    /// branch, else untagged (serde tries the variants in order).
    #[allow(clippy::too_many_arguments)]
    fn union(
        &mut self,
        obj: &Map<String, Value>,
        comb: &str,
        branches: &[Value],
        indices: Option<&[usize]>,
        at: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Shape> {
        let cat = child(at, &[comb]);
        let discriminator = obj
            .get("discriminator")
            .and_then(|d| d.get("propertyName"))
            .and_then(Value::as_str);
        let mapping: Vec<(String, String)> = obj
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .filter_map(|(tag, target)| {
                        let r = target.as_str()?;
                        let r = if r.contains('#') || r.contains('/') {
                            r.to_string()
                        } else {
                            format!("#/components/schemas/{r}")
                        };
                        Some((tag.clone(), self.spec.ref_pointer(&r, at).ok()?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let open = dir == Direction::Response && discriminator.is_some();
        let mut names = NameSet::new();
        if open {
            names.take("Unknown");
        }
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut tagged = discriminator.is_some();
        for (pos, b) in branches.iter().enumerate() {
            let i = indices.map_or(pos, |ix| ix[pos]);
            let bat = format!("{cat}/{i}");
            let target = b
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.spec.ref_pointer(r, &bat).ok());
            let base_name = if let Some(t) = b.get("title").and_then(Value::as_str) {
                pascal(t)
            } else if let Some(t) = &target {
                match self.component_names.get(t) {
                    Some(n) => n.clone(),
                    None => type_name(&crate::spec::pointer::last(t).unwrap_or_default()),
                }
            } else {
                String::new()
            };
            let shape = self.read_value(
                b,
                &bat,
                &format!(
                    "{hint}{}",
                    if base_name.is_empty() {
                        format!("Variant{}", pos + 1)
                    } else {
                        base_name.clone()
                    }
                ),
                dir,
            )?;
            // A variant keeps its box (an enum cannot hold itself); null rides in an Option.
            let ty = if shape.nullable && !matches!(shape.ty, TypeRef::Null | TypeRef::Json) {
                TypeRef::Nullable(Box::new(shape.ty))
            } else {
                shape.ty
            };
            let json_type = ty.json_type(&self.space);
            let name = if base_name.is_empty() {
                match (&ty, json_type) {
                    // `Vec<Extension>` reads better as `ExtensionList` than as `Array`.
                    (TypeRef::Array(item), _) => format!("{}List", self.label(item)),
                    (_, Some(t)) => format!("{t:?}"),
                    _ => format!("Variant{}", pos + 1),
                }
            } else {
                base_name
            };
            let name = names.take(&name);
            let mut tags = Vec::new();
            let mut declares_tag = false;
            if let Some(prop) = discriminator {
                if let Some(t) = &target {
                    tags = mapping
                        .iter()
                        .filter(|(_, p)| p == t)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        // Without a mapping entry, the component's own name is the tag.
                        tags.push(crate::spec::pointer::last(t).unwrap_or_default());
                    }
                }
                let object = match &ty {
                    TypeRef::Named(n) => match self.space.get(n).map(|t| &t.kind) {
                        Some(TypeKind::Struct(s)) => {
                            declares_tag = s.fields.iter().any(|f| f.wire == prop);
                            true
                        }
                        Some(TypeKind::FreeObject) => true,
                        _ => false,
                    },
                    TypeRef::Map(_) => true,
                    _ => false,
                };
                if tags.is_empty() || !object {
                    tagged = false;
                }
            }
            variants.push(UnionVariant {
                name,
                docs: Docs::of(b),
                json_type,
                ty,
                tags,
                declares_tag,
            });
        }
        if let Some(prop) = discriminator {
            let all_tags: Vec<&String> = variants.iter().flat_map(|v| &v.tags).collect();
            let mut unique = all_tags.clone();
            unique.sort();
            unique.dedup();
            if unique.len() != all_tags.len() {
                tagged = false;
            }
            if !tagged {
                self.warn(
                    &child(at, &["discriminator"]),
                    format!("the discriminator `{prop}` cannot pick every branch (a branch is not a referenced object, or two share a value): the branches are tried in order"),
                    "make every branch a `$ref` to an object schema, with one `mapping` value each",
                );
            }
        }
        let mut property = discriminator.filter(|_| tagged).map(str::to_string);
        if discriminator.is_none() {
            property = self.const_tag(&mut variants);
        }
        if property.is_none() {
            for v in &mut variants {
                v.tags.clear();
                v.declares_tag = false;
            }
            // Catch-alls last, so they do not hide the other branches.
            variants.sort_by_key(|v| {
                matches!(v.ty, TypeRef::Json) || v.json_type.is_none() && !matches!(v.ty, TypeRef::Named(_))
            });
        }
        let open =
            dir == Direction::Response && property.is_some() && !variants.iter().any(|v| v.name == "Unknown");
        let union = UnionType {
            variants,
            discriminator: property.map(|property| Discriminator { property }),
            open,
        };
        let name = self.add(hint, at, obj, dir, TypeKind::Union(union));
        Some(Shape::of(TypeRef::Named(name)))
    }

    /// Branches that are objects which all require one property with a constant string value
    /// (`const`, or a one-value enum), each their own: that property is the tag, as exact as a
    /// `discriminator`. Sets each variant's tag and returns the property.
    fn const_tag(&self, variants: &mut [UnionVariant]) -> Option<String> {
        let space = &self.space;
        let fields_of = |v: &UnionVariant| -> Option<&Vec<Field>> {
            match &v.ty {
                TypeRef::Named(n) => match &space.get(n)?.kind {
                    TypeKind::Struct(s) => Some(&s.fields),
                    _ => None,
                },
                _ => None,
            }
        };
        let tag_of = |f: &Field| -> Option<String> {
            if !f.required || f.nullable {
                return None;
            }
            if let Some(Value::String(s)) = &f.constant {
                return Some(s.clone());
            }
            match &f.ty {
                TypeRef::Named(n) => match &space.get(n)?.kind {
                    TypeKind::StringEnum(e) if !e.open && e.values.len() == 1 => {
                        Some(e.values[0].wire.clone())
                    }
                    _ => None,
                },
                _ => None,
            }
        };
        if variants.len() < 2 {
            return None;
        }
        let candidates: Vec<String> = fields_of(&variants[0])?
            .iter()
            .filter(|f| tag_of(f).is_some())
            .map(|f| f.wire.clone())
            .collect();
        for wire in candidates {
            let tags: Option<Vec<String>> = variants
                .iter()
                .map(|v| fields_of(v)?.iter().find(|f| f.wire == wire).and_then(tag_of))
                .collect();
            let Some(tags) = tags else { continue };
            let mut unique = tags.clone();
            unique.sort();
            unique.dedup();
            if unique.len() != tags.len() {
                continue;
            }
            for (v, tag) in variants.iter_mut().zip(tags) {
                v.tags = vec![tag];
                v.declares_tag = true;
            }
            return Some(wire);
        }
        None
    }

    /// A short name for what a type holds, for naming union variants.
    fn label(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Named(n) if self.component_names.values().any(|c| c == n) => n.clone(),
            TypeRef::Array(item) => format!("{}List", self.label(item)),
            TypeRef::Format(f) => format!("{f:?}"),
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => self.label(inner),
            other => match other.json_type(&self.space) {
                Some(t) => format!("{t:?}"),
                None => "Value".to_string(),
            },
        }
    }

    fn string_list(&mut self, v: Option<&Value>, at: &str) -> Option<Vec<String>> {
        match v {
            None => Some(Vec::new()),
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => Some(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            Some(_) => self.refuse(
                at,
                "must be a list of property names",
                "write e.g. `required: [email]`",
            ),
        }
    }

    /// Registers a named type under a unique name and returns the name. A component keeps
    /// the name decided for it up front.
    fn add(
        &mut self,
        hint: &str,
        at: &str,
        obj: &Map<String, Value>,
        dir: Direction,
        kind: TypeKind,
    ) -> String {
        let name = match self.component_names.get(at) {
            Some(n) if n == hint && !self.space.types.contains_key(n) => n.clone(),
            _ => self
                .type_names
                .take(&type_name(if hint.is_empty() { "Value" } else { hint })),
        };
        let schema = Value::Object(obj.clone());
        self.space.types.insert(
            name.clone(),
            NamedType {
                name: name.clone(),
                pointer: at.to_string(),
                docs: Docs::of(&schema),
                pii: obj.get("x-pii") == Some(&Value::Bool(true)),
                direction: dir,
                kind,
            },
        );
        name
    }
}

/// A Rust type name for a schema name: PascalCase, with a `Schema` suffix for names the
/// generated code uses unqualified.
fn type_name(s: &str) -> String {
    // An already PascalCase hint (built from parts) stays as it is.
    let p = if s.chars().all(|c| c.is_ascii_alphanumeric()) && s.starts_with(|c: char| c.is_ascii_uppercase())
    {
        s.to_string()
    } else {
        pascal(s)
    };
    if RESERVED_TYPE_NAMES.contains(&p.as_str()) {
        format!("{p}Schema")
    } else {
        p
    }
}

/// The Rust field names of properties: a property whose snake_case is its own name keeps it
/// first, so `foo_bar` stays `foo_bar` beside `fooBar` (`foo_bar_2`) whatever their order.
fn field_names<'k>(keys: impl Iterator<Item = &'k str> + Clone) -> Vec<String> {
    let mut names = NameSet::new();
    let exact: Vec<bool> = keys.clone().map(|k| snake(k) == k).collect();
    let mut out: Vec<Option<String>> = vec![None; exact.len()];
    for pass in [true, false] {
        for (i, k) in keys.clone().enumerate() {
            if exact[i] == pass {
                out[i] = Some(names.take(&snake(k)));
            }
        }
    }
    out.into_iter().map(Option::unwrap_or_default).collect()
}

/// An integer's Rust type: the width its `format` names (64 bits otherwise), unsigned when
/// the schema allows no negative value.
fn integer(obj: &Map<String, Value>) -> TypeRef {
    let format = obj.get("format").and_then(Value::as_str).unwrap_or("");
    let min = obj.get("minimum").and_then(Value::as_f64);
    // 3.1 `exclusiveMinimum: -1` allows 0 and up; 3.0 `exclusiveMinimum: true` sharpens `minimum`.
    let exclusive = obj.get("exclusiveMinimum").and_then(Value::as_f64);
    let non_negative = min.is_some_and(|m| m >= 0.0) || exclusive.is_some_and(|m| m >= -1.0);
    let unsigned = format.starts_with("uint") || non_negative;
    let bits = match format {
        "int8" | "int16" | "int32" | "uint8" | "uint16" | "uint32" => 32,
        _ => 64,
    };
    TypeRef::Integer { unsigned, bits }
}

/// A shape inside an array or map, where `null` is carried by the item type and a box is not
/// needed (the container already is one).
fn contained(shape: Shape) -> TypeRef {
    let ty = match shape.ty {
        TypeRef::Boxed(inner) => *inner,
        other => other,
    };
    if shape.nullable && ty != TypeRef::Null && ty != TypeRef::Json {
        TypeRef::Nullable(Box::new(ty))
    } else {
        ty
    }
}

/// Whether a `oneOf`/`anyOf` branch only lists `required` properties and narrows their types.
fn is_narrowing(b: &Value) -> bool {
    let Some(bo) = b.as_object() else {
        return false;
    };
    let keys_ok = bo.iter().all(|(k, v)| {
        k.starts_with("x-")
            || matches!(k.as_str(), "title" | "description" | "required" | "$comment")
            || (k == "type" && v == "object")
            || k == "properties"
    });
    let props_ok = bo
        .get("properties")
        .map(|p| {
            p.as_object().is_some_and(|p| {
                p.values().all(|v| {
                    v.as_object()
                        .is_some_and(|o| o.keys().all(|x| x == "type" || x == "description"))
                })
            })
        })
        .unwrap_or(true);
    keys_ok && props_ok && (bo.contains_key("required") || bo.contains_key("properties"))
}

/// What an object schema reads as before it is named.
enum ObjectParts {
    /// No properties, and a schema for the other keys: a map.
    Map(TypeRef),
    Fields {
        fields: Vec<Field>,
        deny_unknown: bool,
        additional: Option<TypeRef>,
    },
}
