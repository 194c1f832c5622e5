//! The type IR: a Rust-shaped model of the JSON Schemas the operations use, read by
//! [`super::schema_reader`]. Every rule of a schema the generator accepted is represented here
//! exactly; anything it could not represent was refused there with a diagnostic.

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

/// Which side of the wire a type is read for. Request types enforce every rule of the
/// schema or are refused. Response types are decoded as documented, with deliberate
/// tolerance where a server may say more than its docs: enum values not listed are kept
/// (`Unknown`), `const` values are read as their base type, numeric bounds and unchecked
/// string formats are not enforced. Strings with a pattern or length are validating newtypes
/// on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    Request,
    Response,
}

/// All named types, in the order the operations first reach them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TypeSpace {
    pub types: IndexMap<String, NamedType>,
}

impl TypeSpace {
    pub fn get(&self, name: &str) -> Option<&NamedType> {
        self.types.get(name)
    }
}

/// Documentation taken from `title`, `description` or `summary`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Docs {
    pub title: Option<String>,
    pub description: Option<String>,
}

impl Docs {
    pub fn of(schema: &Value) -> Docs {
        let s = |k: &str| schema.get(k).and_then(Value::as_str).map(str::to_string);
        Docs {
            title: s("title"),
            description: s("description"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.title.is_none() && self.description.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NamedType {
    /// The Rust type name (PascalCase).
    pub name: String,
    /// Where the schema lives in the spec.
    pub pointer: String,
    pub docs: Docs,
    /// `x-pii: true`: the value is redacted in `Debug`.
    pub pii: bool,
    pub direction: Direction,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    /// A string with rules (pattern, length, format): a validating newtype.
    Constrained(StringRules),
    /// An object with known properties.
    Struct(StructType),
    /// An object whose `oneOf`/`anyOf` branches only say which nullable properties are set:
    /// private fields and one constructor per branch.
    Choice(ChoiceType),
    /// A string enum. Closed on the request side; on the response side it also keeps values
    /// the spec does not list (`Unknown(String)`).
    StringEnum(StringEnum),
    /// A `oneOf`/`anyOf` whose branches have different JSON types: an enum, one variant each.
    Union(Vec<UnionVariant>),
    /// An object with no declared properties: any JSON object.
    FreeObject,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StringRules {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    /// An ECMA-262 pattern (JSON Schema semantics: unanchored search).
    pub pattern: Option<String>,
    /// A format the client checks (`email`).
    pub format: Option<String>,
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StructType {
    pub fields: Vec<Field>,
    /// `additionalProperties: false`: unknown keys are an error.
    pub deny_unknown: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    /// The JSON key.
    pub wire: String,
    /// The Rust field name (snake_case).
    pub rust: String,
    /// The value's type, without the `Option` that `required`/`nullable` add.
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub pii: bool,
    pub docs: Docs,
    /// `const`: the only value the spec allows (documented; response side only).
    pub constant: Option<Value>,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Combinator {
    /// Exactly one branch matches.
    OneOf,
    /// At least one branch matches.
    AnyOf,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceType {
    pub combinator: Combinator,
    /// Every property of the base object (each one nullable or optional).
    pub fields: Vec<Field>,
    pub branches: Vec<Branch>,
    pub deny_unknown: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Branch {
    /// The branch's `title`, as written (`smsAndEmail`).
    pub title: String,
    /// The constructor's name (`sms_and_email`).
    pub constructor: String,
    pub docs: Docs,
    /// One rule per field of the choice, in field order.
    pub rules: Vec<FieldRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FieldRule {
    /// Present and not null.
    Set,
    /// Null or absent.
    Unset,
    /// Not constrained by this branch.
    Free,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StringEnum {
    pub values: Vec<EnumValue>,
    /// Response side: unknown values decode to `Unknown(String)`.
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumValue {
    pub wire: String,
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub docs: Docs,
    pub json_type: JsonType,
    pub ty: TypeRef,
}

/// The JSON type of a value, as JSON Schema's `type` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JsonType {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl JsonType {
    pub fn parse(s: &str) -> Option<JsonType> {
        Some(match s {
            "null" => JsonType::Null,
            "boolean" => JsonType::Boolean,
            "integer" => JsonType::Integer,
            "number" => JsonType::Number,
            "string" => JsonType::String,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            _ => return None,
        })
    }
}

/// A reference to a type: a named one, or a built-in shape.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeRef {
    Named(String),
    String,
    Integer {
        unsigned: bool,
    },
    Number,
    Boolean,
    /// `type: "null"`: the unit type.
    Null,
    /// Any JSON value.
    Json,
    Array(Box<TypeRef>),
    /// An object of values of one type (`additionalProperties: {schema}`).
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// The JSON type of the values of this type, when it is one (named types are looked up).
    pub fn json_type(&self, space: &TypeSpace) -> Option<JsonType> {
        Some(match self {
            TypeRef::Named(n) => match &space.get(n)?.kind {
                TypeKind::Constrained(_) | TypeKind::StringEnum(_) => JsonType::String,
                TypeKind::Struct(_) | TypeKind::Choice(_) | TypeKind::FreeObject => JsonType::Object,
                TypeKind::Union(_) => return None,
            },
            TypeRef::String => JsonType::String,
            TypeRef::Integer { .. } => JsonType::Integer,
            TypeRef::Number => JsonType::Number,
            TypeRef::Boolean => JsonType::Boolean,
            TypeRef::Null => JsonType::Null,
            TypeRef::Json => return None,
            TypeRef::Array(_) => JsonType::Array,
            TypeRef::Map(_) => JsonType::Object,
        })
    }
}
