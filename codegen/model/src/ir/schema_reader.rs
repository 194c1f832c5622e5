//! Reads JSON Schema values of the spec into the type IR ([`super::types`]).
//!
//! The reader understands a whitelist of keywords and idioms (objects, nullable values as
//! `type: [T, "null"]` or `anyOf: [X, {type: "null"}]`, string enums, `const`, constrained
//! strings, `$ref`s to `#/components/schemas/*`, `oneOf`/`anyOf` branches that only say which
//! nullable properties are set, and `oneOf` of different JSON types). Anything else is
//! refused with a diagnostic naming the JSON pointer and YAML line: a rule the generator does
//! not understand is never widened into a looser type.

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::names::{pascal, snake};
use super::types::*;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::spec::{Spec, child};

/// Keywords that only document.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "examples",
    "example",
    "$comment",
    "deprecated",
    // Skipped with a warning by the loader (`spec::fields`): `check` and `generate` agree.
    "xml",
    "externalDocs",
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
    "pattern",
    "format",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
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
/// String formats the client checks itself.
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
    /// Component pointers already read, and what they read as.
    components: IndexMap<String, Option<Shape>>,
    in_progress: Vec<String>,
}

impl<'a> Reader<'a> {
    pub fn new(spec: &'a Spec) -> Self {
        Reader {
            spec,
            space: TypeSpace::default(),
            diags: Vec::new(),
            components: IndexMap::new(),
            in_progress: Vec::new(),
        }
    }

    pub fn space(&self) -> &TypeSpace {
        &self.space
    }

    /// Reads the schema at `pointer`. `hint` names the Rust type if one is needed (a component
    /// reference uses the component's name instead). `None` means a diagnostic was recorded.
    pub fn read(&mut self, pointer: &str, hint: &str, dir: Direction) -> Option<Shape> {
        let is_component = pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|rest| !rest.is_empty() && !rest.contains('/'));
        if is_component {
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

    /// The type space, or every problem found.
    pub fn finish(self) -> Result<TypeSpace, Diagnostics> {
        Diagnostics(self.diags).into_result()?;
        Ok(self.space)
    }

    fn refuse<T>(&mut self, pointer: &str, message: impl Into<String>, hint: impl Into<String>) -> Option<T> {
        let d = self.spec.diag(pointer, message).hint(hint);
        self.diags.push(d);
        None
    }

    fn read_value(&mut self, schema: &Value, at: &str, hint: &str, dir: Direction) -> Option<Shape> {
        let obj = match schema {
            Value::Bool(true) => return Some(Shape::of(TypeRef::Json)),
            Value::Object(o) => o,
            _ => {
                return self.refuse(
                    at,
                    "this schema can never be satisfied or is not a schema",
                    "write a schema object here",
                );
            }
        };
        if let Some(r) = obj.get("$ref") {
            if let Some(k) = obj
                .keys()
                .find(|k| !(k.starts_with("x-") || *k == "$ref" || ANNOTATIONS.contains(&k.as_str())))
            {
                return self.refuse(
                    &child(at, &[k]),
                    format!("`{k}` beside `$ref` is not supported"),
                    "move the keyword into the referenced schema, or the reference into an `anyOf`",
                );
            }
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
            return self.read_component(&target, dir);
        }
        for k in obj.keys() {
            if k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()) || STRUCTURAL.contains(&k.as_str()) {
                continue;
            }
            let hint_text = match k.as_str() {
                "allOf" => "merge the members into one object schema",
                "if" | "then" | "else" | "dependentRequired" | "dependentSchemas" | "not" => {
                    "express the rule as `oneOf` branches that each list the `required` properties and narrow them to non-null types"
                }
                "default" => {
                    "remove `default`: the client sends what the caller sets, and the server applies its defaults"
                }
                _ => {
                    "remove the keyword, or express the rule with type, properties, required, enum, const, pattern, length, oneOf/anyOf"
                }
            };
            return self.refuse(
                &child(at, &[k]),
                format!("JSON Schema keyword `{k}` is not supported by the generator"),
                hint_text,
            );
        }

        let combinator = ["oneOf", "anyOf"].into_iter().find(|c| obj.contains_key(*c));
        if obj.contains_key("oneOf") && obj.contains_key("anyOf") {
            return self.refuse(at, "both `oneOf` and `anyOf` on one schema", "keep one of them");
        }
        // Nullable idiom: anyOf/oneOf of one schema and `{type: "null"}`.
        if let Some(c) = combinator
            && let Some(shape) = self.nullable_idiom(obj, at, c, hint, dir)
        {
            return shape;
        }

        let (types, type_nullable) = self.types(obj, at)?;
        if let Some(values) = obj.get("enum") {
            return self.string_enum(obj, values, at, hint, dir, type_nullable);
        }
        if let Some(c) = obj.get("const") {
            if dir == Direction::Request {
                return self.refuse(
                    &child(at, &["const"]),
                    "`const` in a request schema is not supported",
                    "use a one-value `enum` instead, which becomes a closed Rust enum",
                );
            }
            let ty = match (types.as_deref(), c) {
                (Some("integer"), _) | (None, Value::Number(_)) if c.is_i64() || c.is_u64() => {
                    TypeRef::Integer { unsigned: c.is_u64() }
                }
                (Some("number"), _) | (None, Value::Number(_)) => TypeRef::Number,
                (Some("string"), Value::String(_)) | (None, Value::String(_)) => TypeRef::String,
                (Some("boolean"), Value::Bool(_)) | (None, Value::Bool(_)) => TypeRef::Boolean,
                (_, Value::Null) => TypeRef::Null,
                _ => {
                    return self.refuse(
                        &child(at, &["const"]),
                        "`const` must be a scalar matching the schema's `type`",
                        "write e.g. `type: integer` with `const: 202`",
                    );
                }
            };
            return Some(Shape {
                ty,
                nullable: type_nullable,
                constant: Some(c.clone()),
            });
        }

        let is_object = types.as_deref() == Some("object")
            || (types.is_none()
                && (obj.contains_key("properties") || obj.contains_key("additionalProperties")));
        if combinator.is_some() && !obj.contains_key("properties") {
            if types.is_some() {
                return self.refuse(
                    at,
                    "`type` beside a `oneOf`/`anyOf` of other types cannot be represented exactly",
                    "put the type into each branch",
                );
            }
            return self.union(obj, at, combinator.unwrap_or("oneOf"), hint, dir);
        }
        let ty = match types.as_deref() {
            _ if is_object => self.object(obj, at, hint, dir, combinator)?,
            Some("string") => self.string(obj, at, hint, dir)?,
            Some("integer") => self.integer(obj, at, dir)?,
            Some("number") => self.number(obj, at, dir)?,
            Some("boolean") => self.no_rules(obj, at, &[], TypeRef::Boolean)?,
            Some("null") => self.no_rules(obj, at, &[], TypeRef::Null)?,
            Some("array") => self.array(obj, at, hint, dir)?,
            Some(other) => {
                return self.refuse(
                    &child(at, &["type"]),
                    format!("unknown type `{other}`"),
                    "use one of null, boolean, integer, number, string, array, object",
                );
            }
            None if combinator.is_some() => {
                return self.refuse(
                    at,
                    "`oneOf`/`anyOf` without properties",
                    "add `type: object` and `properties`",
                );
            }
            None => self.no_rules(obj, at, &[], TypeRef::Json)?,
        };
        Some(Shape {
            ty,
            nullable: type_nullable,
            constant: None,
        })
    }

    /// A component schema: read once, named after the component.
    fn read_component(&mut self, target: &str, dir: Direction) -> Option<Shape> {
        if let Some(done) = self.components.get(target) {
            return done.clone();
        }
        if self.in_progress.iter().any(|p| p == target) {
            return self.refuse(
                target,
                "recursive schema (it refers to itself through `$ref`)",
                "recursive types are not supported: break the cycle",
            );
        }
        let name = crate::spec::pointer::last(target).unwrap_or_default();
        self.in_progress.push(target.to_string());
        let shape = self.read_at(target, &pascal(&name), dir);
        self.in_progress.pop();
        self.components.insert(target.to_string(), shape.clone());
        shape
    }

    /// `anyOf: [X, {type: "null"}]` (either order). `None` when the schema is not this idiom.
    fn nullable_idiom(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        comb: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Option<Shape>> {
        let branches = obj.get(comb)?.as_array()?;
        let only_docs = obj
            .keys()
            .all(|k| k == comb || k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()));
        if branches.len() != 2 || !only_docs {
            return None;
        }
        let is_null = |v: &Value| {
            v.as_object()
                .is_some_and(|o| o.get("type") == Some(&Value::from("null")) && o.len() == 1)
        };
        let (i, other) = match (is_null(&branches[0]), is_null(&branches[1])) {
            (true, false) => (1, &branches[1]),
            (false, true) => (0, &branches[0]),
            _ => return None,
        };
        let shape = self.read_value(other, &format!("{at}/{comb}/{i}"), hint, dir);
        Some(shape.map(|mut s| {
            s.nullable = true;
            s
        }))
    }

    /// The `type` keyword: `(Some(type), nullable)`, `(None, false)` when absent.
    fn types(&mut self, obj: &Map<String, Value>, at: &str) -> Option<(Option<String>, bool)> {
        match obj.get("type") {
            None => Some((None, false)),
            Some(Value::String(t)) => Some((Some(t.clone()), false)),
            Some(Value::Array(ts)) => {
                let names: Vec<&str> = ts.iter().filter_map(Value::as_str).collect();
                let non_null: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
                if names.len() != ts.len() || non_null.len() != 1 || names.len() > 2 {
                    self.refuse::<()>(
                        &child(at, &["type"]),
                        "a list of types other than `[T, \"null\"]` cannot be represented exactly",
                        "use `oneOf` with one titled branch per type",
                    );
                    return None;
                }
                Some((Some(non_null[0].to_string()), names.len() == 2))
            }
            Some(_) => {
                self.refuse::<()>(
                    &child(at, &["type"]),
                    "`type` must be a string or a list of strings",
                    "write e.g. `type: string`",
                );
                None
            }
        }
    }

    /// Refuses any keyword of `obj` that only makes sense for other types.
    fn no_rules(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        allowed: &[&str],
        ty: TypeRef,
    ) -> Option<TypeRef> {
        for k in obj.keys() {
            if STRUCTURAL.contains(&k.as_str()) && k != "type" && !allowed.contains(&k.as_str()) {
                return self.refuse(
                    &child(at, &[k]),
                    format!("`{k}` does not apply to this schema's type"),
                    "remove it, or fix the schema's `type`",
                );
            }
        }
        Some(ty)
    }

    fn string_enum(
        &mut self,
        obj: &Map<String, Value>,
        values: &Value,
        at: &str,
        hint: &str,
        dir: Direction,
        type_nullable: bool,
    ) -> Option<Shape> {
        let ptr = child(at, &["enum"]);
        let Some(values) = values.as_array().filter(|v| !v.is_empty()) else {
            return self.refuse(&ptr, "`enum` must be a non-empty list", "list the allowed values");
        };
        if obj
            .get("type")
            .is_some_and(|t| t != "string" && t != &serde_json::json!(["string", "null"]))
        {
            return self.refuse(
                &ptr,
                "only string enums are supported",
                "use `type: string` with string values",
            );
        }
        for k in [
            "pattern",
            "format",
            "minLength",
            "maxLength",
            "const",
            "properties",
            "items",
        ] {
            if obj.contains_key(k) {
                return self.refuse(
                    &child(at, &[k]),
                    format!("`{k}` beside `enum` is not supported"),
                    "the enum alone lists the allowed values",
                );
            }
        }
        let mut nullable = type_nullable;
        let mut out: Vec<EnumValue> = Vec::new();
        for v in values {
            match v {
                Value::Null => nullable = true,
                Value::String(s) => {
                    let variant = pascal(s);
                    if out.iter().any(|e| e.variant == variant)
                        || (dir == Direction::Response && variant == "Unknown")
                    {
                        return self.refuse(
                            &ptr,
                            format!(
                                "enum value `{s}` gives the Rust variant `{variant}`, which is already taken"
                            ),
                            "rename one of the values",
                        );
                    }
                    out.push(EnumValue {
                        wire: s.clone(),
                        variant,
                    });
                }
                _ => return self.refuse(&ptr, "only string enum values are supported", "quote the value"),
            }
        }
        let name = self.add(
            hint,
            at,
            obj,
            dir,
            TypeKind::StringEnum(StringEnum {
                values: out,
                open: dir == Direction::Response,
            }),
        );
        Some(Shape {
            ty: TypeRef::Named(name),
            nullable,
            constant: None,
        })
    }

    fn string(&mut self, obj: &Map<String, Value>, at: &str, hint: &str, dir: Direction) -> Option<TypeRef> {
        self.no_rules(
            obj,
            at,
            &["pattern", "format", "minLength", "maxLength"],
            TypeRef::String,
        )?;
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
        if let Some(f) = obj.get("format") {
            match f.as_str() {
                Some(f) if CHECKED_FORMATS.contains(&f) => rules.format = Some(f.to_string()),
                // The response side only reads values; an unchecked format is an annotation there.
                Some(_) if dir == Direction::Response => {}
                _ => {
                    self.refuse::<()>(
                        &child(at, &["format"]),
                        format!("format {f} is not checked by the client"),
                        format!(
                            "use one of {} or state the rule as a `pattern`",
                            CHECKED_FORMATS.join(", ")
                        ),
                    );
                    return None;
                }
            }
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

    fn integer(&mut self, obj: &Map<String, Value>, at: &str, dir: Direction) -> Option<TypeRef> {
        self.no_rules(obj, at, &["minimum", "maximum"], TypeRef::Boolean)?;
        let min = obj.get("minimum");
        let unsigned = min.and_then(Value::as_f64).is_some_and(|m| m >= 0.0);
        if dir == Direction::Request {
            // Only `minimum: 0` has an exact Rust type (u64).
            let exact = min.is_none_or(|m| m.as_f64() == Some(0.0)) && !obj.contains_key("maximum");
            if !exact {
                let k = if obj.contains_key("maximum") {
                    "maximum"
                } else {
                    "minimum"
                };
                self.refuse::<()>(
                    &child(at, &[k]),
                    "integer bounds in a request schema are not supported (only `minimum: 0`)",
                    "remove the bound, or use `minimum: 0`",
                );
                return None;
            }
        }
        Some(TypeRef::Integer { unsigned })
    }

    fn number(&mut self, obj: &Map<String, Value>, at: &str, dir: Direction) -> Option<TypeRef> {
        self.no_rules(obj, at, &["minimum", "maximum"], TypeRef::Number)?;
        if dir == Direction::Request && (obj.contains_key("minimum") || obj.contains_key("maximum")) {
            self.refuse::<()>(
                at,
                "number bounds in a request schema are not supported",
                "remove the bounds",
            );
            return None;
        }
        Some(TypeRef::Number)
    }

    fn array(&mut self, obj: &Map<String, Value>, at: &str, hint: &str, dir: Direction) -> Option<TypeRef> {
        self.no_rules(obj, at, &["items"], TypeRef::Json)?;
        let item = match obj.get("items") {
            None => TypeRef::Json,
            Some(items) => {
                let shape = self.read_value(items, &child(at, &["items"]), &format!("{hint}Item"), dir)?;
                self.plain(shape, &child(at, &["items"]))?
            }
        };
        Some(TypeRef::Array(Box::new(item)))
    }

    /// A shape used where `null` and `const` cannot be carried (array items, map values).
    fn plain(&mut self, shape: Shape, at: &str) -> Option<TypeRef> {
        if shape.nullable || shape.constant.is_some() {
            return self.refuse(
                at,
                "nullable or `const` items are not supported here",
                "use a non-null item schema",
            );
        }
        Some(shape.ty)
    }

    fn object(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        hint: &str,
        dir: Direction,
        combinator: Option<&str>,
    ) -> Option<TypeRef> {
        self.no_rules(
            obj,
            at,
            &["properties", "required", "additionalProperties", "oneOf", "anyOf"],
            TypeRef::Json,
        )?;
        let props = match obj.get("properties") {
            None => Map::new(),
            Some(Value::Object(p)) => p.clone(),
            Some(_) => {
                self.refuse::<()>(
                    &child(at, &["properties"]),
                    "`properties` must be a mapping",
                    "write `properties: {name: schema}`",
                );
                return None;
            }
        };
        let required = self.string_list(obj.get("required"), &child(at, &["required"]))?;
        let mut deny_unknown = false;
        match obj.get("additionalProperties") {
            None | Some(Value::Bool(true)) => {}
            Some(Value::Bool(false)) => deny_unknown = true,
            Some(schema) if props.is_empty() && combinator.is_none() => {
                let vat = child(at, &["additionalProperties"]);
                let shape = self.read_value(schema, &vat, &format!("{hint}Value"), dir)?;
                let value = self.plain(shape, &vat)?;
                return Some(TypeRef::Map(Box::new(value)));
            }
            Some(_) => {
                self.refuse::<()>(
                    &child(at, &["additionalProperties"]),
                    "`additionalProperties` with a schema beside declared properties is not supported",
                    "declare every property, or use `additionalProperties: true`/`false`",
                );
                return None;
            }
        }
        for r in &required {
            if !props.contains_key(r) {
                self.refuse::<()>(
                    &child(at, &["required"]),
                    format!("`{r}` is required but not declared in `properties`"),
                    format!("declare `{r}` under `properties`"),
                );
                return None;
            }
        }
        if props.is_empty() && combinator.is_none() {
            if at.starts_with("/components/schemas/") && !hint.is_empty() {
                return Some(TypeRef::Named(self.add(hint, at, obj, dir, TypeKind::FreeObject)));
            }
            return Some(TypeRef::Map(Box::new(TypeRef::Json)));
        }
        let mut fields = Vec::new();
        let mut ok = true;
        for (key, schema) in &props {
            let fat = child(at, &["properties", key]);
            let shape = self.read_value(schema, &fat, &format!("{hint}{}", pascal(key)), dir);
            let Some(shape) = shape else {
                ok = false;
                continue;
            };
            let rust = snake(key);
            if fields.iter().any(|f: &Field| f.rust == rust) {
                self.refuse::<()>(
                    &fat,
                    format!("property `{key}` gives the Rust field `{rust}`, which is already taken"),
                    "rename one of the properties",
                );
                ok = false;
                continue;
            }
            let pii = schema.get("x-pii") == Some(&Value::Bool(true));
            fields.push(Field {
                wire: key.clone(),
                rust,
                ty: shape.ty,
                required: required.contains(key),
                nullable: shape.nullable,
                pii,
                docs: Docs::of(schema),
                constant: shape.constant,
            });
        }
        if !ok {
            return None;
        }
        let kind = match combinator {
            None => TypeKind::Struct(StructType { fields, deny_unknown }),
            Some(c) => TypeKind::Choice(self.choice(obj, at, c, fields, deny_unknown, dir)?),
        };
        Some(TypeRef::Named(self.add(hint, at, obj, dir, kind)))
    }

    /// An object whose `oneOf`/`anyOf` branches only say which properties are set.
    fn choice(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        comb: &str,
        fields: Vec<Field>,
        deny_unknown: bool,
        dir: Direction,
    ) -> Option<ChoiceType> {
        let cat = child(at, &[comb]);
        let Some(branches) = obj.get(comb).and_then(Value::as_array).filter(|b| !b.is_empty()) else {
            return self.refuse(
                &cat,
                format!("`{comb}` must be a non-empty list"),
                "list the branches",
            );
        };
        if dir == Direction::Response {
            self.refuse::<()>(
                &cat,
                format!("`{comb}` branches over properties are only generated for request bodies"),
                "describe the response with nullable properties, without branches",
            );
            return None;
        }
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
        for (i, b) in branches.iter().enumerate() {
            let bat = format!("{cat}/{i}");
            let branch = self.branch(b, &bat, &fields)?;
            if out.iter().any(|o| o.constructor == branch.constructor) {
                return self.refuse(
                    &child(&bat, &["title"]),
                    format!(
                        "branch title `{}` gives the constructor `{}`, which is already taken",
                        branch.title, branch.constructor
                    ),
                    "give every branch its own title",
                );
            }
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

    fn branch(&mut self, b: &Value, bat: &str, fields: &[Field]) -> Option<Branch> {
        let Some(bo) = b.as_object() else {
            return self.refuse(
                bat,
                "a branch must be an object schema",
                "write `{title: ..., required: [...]}`",
            );
        };
        for k in bo.keys() {
            let fine = k.starts_with("x-")
                || matches!(
                    k.as_str(),
                    "title" | "description" | "required" | "properties" | "$comment"
                )
                || (k == "type" && bo[k] == "object");
            if !fine {
                return self.refuse(
                    &child(bat, &[k]),
                    format!("`{k}` in a branch is not supported: a branch may only list `required` properties and narrow them"),
                    "keep `title`, `description`, `required` and `properties` with `{type: <the property's type>}` or `{type: 'null'}`",
                );
            }
        }
        let Some(title) = bo.get("title").and_then(Value::as_str) else {
            return self.refuse(
                bat,
                "the branch has no `title`",
                "add a `title` (e.g. `title: email`): it names the constructor",
            );
        };
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
            let t = v
                .as_object()
                .filter(|o| o.keys().all(|x| x == "type" || x == "description"))
                .and_then(|o| o.get("type"))
                .and_then(Value::as_str)
                .and_then(JsonType::parse);
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
            title: title.to_string(),
            // `new_<branch>`: never the name of a getter, which is the property's name.
            constructor: snake(&format!("new_{title}")),
            docs: Docs {
                title: None,
                description: bo.get("description").and_then(Value::as_str).map(str::to_string),
            },
            rules,
        })
    }

    /// `oneOf`/`anyOf` of branches with different JSON types.
    fn union(
        &mut self,
        obj: &Map<String, Value>,
        at: &str,
        comb: &str,
        hint: &str,
        dir: Direction,
    ) -> Option<Shape> {
        let cat = child(at, &[comb]);
        let Some(branches) = obj.get(comb).and_then(Value::as_array).filter(|b| b.len() >= 2) else {
            return self.refuse(
                &cat,
                format!("`{comb}` needs at least two branches"),
                "list the alternatives, or drop the combinator",
            );
        };
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            let bat = format!("{cat}/{i}");
            let Some(title) = b.get("title").and_then(Value::as_str) else {
                return self.refuse(
                    &bat,
                    "the branch has no `title`",
                    "add a `title`: it names the Rust variant",
                );
            };
            let name = pascal(title);
            let shape = self.read_value(b, &bat, &format!("{hint}{name}"), dir)?;
            let ty = self.plain(shape, &bat)?;
            let Some(json_type) = ty.json_type(&self.space) else {
                return self.refuse(
                    &bat,
                    "a branch must have one JSON type",
                    "give the branch a `type`",
                );
            };
            if let Some(o) = variants.iter().find(|v| {
                let numeric = |t: JsonType| matches!(t, JsonType::Integer | JsonType::Number);
                v.json_type == json_type || v.name == name || (numeric(v.json_type) && numeric(json_type))
            }) {
                return self.refuse(
                    &bat,
                    format!("branch `{title}` overlaps branch `{}` (same JSON type or name): a value could match both", o.name),
                    "branches of different JSON types are supported; for object branches, use one object with branches over `required`",
                );
            }
            variants.push(UnionVariant {
                name,
                docs: Docs::of(b),
                json_type,
                ty,
            });
        }
        let name = self.add(hint, at, obj, dir, TypeKind::Union(variants));
        Some(Shape::of(TypeRef::Named(name)))
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

    /// Registers a named type under a unique name and returns the name.
    fn add(
        &mut self,
        hint: &str,
        at: &str,
        obj: &Map<String, Value>,
        dir: Direction,
        kind: TypeKind,
    ) -> String {
        let base = match hint {
            "" => "Value".to_string(),
            h if RESERVED_TYPE_NAMES.contains(&h) => format!("{h}Schema"),
            h => h.to_string(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.space.types.contains_key(&name) {
            name = format!("{base}{n}");
            n += 1;
        }
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
