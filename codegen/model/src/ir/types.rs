//! The type IR: a Rust-shaped model of the JSON Schemas the operations use, read by
//! [`super::schema_reader`]. A rule of a schema is either represented here, or reported by the
//! reader (a warning where the types still accept every valid value, else a refusal).

use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

/// Which side of the wire a type is read for. Request types are closed: enums list the
/// allowed values, a string `const` is a one-value enum, choices have one constructor per
/// branch. Response types are decoded as documented, with deliberate tolerance where a server
/// may say more than its docs: enum values and union tags not listed are kept (`Unknown`),
/// `const` values are read as their base type. Numeric bounds are not enforced on either side.
/// Strings with a pattern or length are validating newtypes on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    Request,
    Response,
}

/// All named types, in the order the operations first reach them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TypeSpace {
    pub types: IndexMap<String, NamedType>,
    /// What the reader skipped or read more loosely than the schema says, each located: the
    /// generated types are still right for every valid value.
    #[serde(skip)]
    pub warnings: Vec<crate::diagnostics::Diagnostic>,
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
    /// An integer enum; open on the response side like [`TypeKind::StringEnum`].
    IntegerEnum(IntegerEnum),
    /// A `oneOf`/`anyOf` (or a list of `type`s): an enum, one variant per branch.
    Union(UnionType),
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
    /// `additionalProperties: {schema}` beside `properties`: the other keys, kept in a map
    /// field (named `additional`, unless a property takes that name).
    pub additional: Option<(String, TypeRef)>,
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
pub struct IntegerEnum {
    pub values: Vec<IntegerValue>,
    /// Response side: unknown values decode to `Unknown(i64)`.
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntegerValue {
    pub wire: i64,
    pub variant: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionType {
    /// In the order serde tries them when there is no discriminator.
    pub variants: Vec<UnionVariant>,
    /// How a value names its branch, when the schema says so.
    pub discriminator: Option<Discriminator>,
    /// Response side with a discriminator: an unknown tag is kept as `Unknown(Value)`.
    pub open: bool,
}

/// `discriminator: {propertyName, mapping}`: the property whose value names the branch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Discriminator {
    pub property: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    pub name: String,
    pub docs: Docs,
    /// The JSON type of the branch, when it has one.
    pub json_type: Option<JsonType>,
    pub ty: TypeRef,
    /// The discriminator values that select this branch (empty without a discriminator).
    pub tags: Vec<String>,
    /// Whether the branch's own type declares the discriminator property (else it is added
    /// when writing and removed before reading).
    pub declares_tag: bool,
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
    /// `bits` is 32 or 64 (`format: int32`/`int64`...; 64 when no format says otherwise).
    Integer {
        unsigned: bool,
        bits: u8,
    },
    /// Every `number` (`float` included: an `f64` holds any `f32` exactly).
    Number,
    /// A string whose `format` has a Rust type.
    Format(StringFormat),
    Boolean,
    /// `type: "null"`: the unit type.
    Null,
    /// Any JSON value.
    Json,
    Array(Box<TypeRef>),
    /// An object of values of one type (`additionalProperties: {schema}`).
    Map(Box<TypeRef>),
    /// A value that may be `null` where the null cannot go on a field (array items, map
    /// values): `Option<T>`.
    Nullable(Box<TypeRef>),
    /// A reference back to a type that contains it (a recursive schema): `Box<T>`.
    Boxed(Box<TypeRef>),
}

/// String formats with a Rust type of their own (see the runtime crate's docs for the
/// choice). Other formats (`uri`, `email`, `byte`, `time`...) are strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StringFormat {
    /// `date-time`: `chrono::DateTime<FixedOffset>` (RFC 3339).
    DateTime,
    /// `date`: `chrono::NaiveDate` (RFC 3339 full-date).
    Date,
    /// `uuid`: `uuid::Uuid`.
    Uuid,
}

impl TypeRef {
    /// The JSON type of the values of this type, when it is one (named types are looked up).
    pub fn json_type(&self, space: &TypeSpace) -> Option<JsonType> {
        Some(match self {
            TypeRef::Named(n) => match &space.get(n)?.kind {
                TypeKind::Constrained(_) | TypeKind::StringEnum(_) => JsonType::String,
                TypeKind::IntegerEnum(_) => JsonType::Integer,
                TypeKind::Struct(_) | TypeKind::Choice(_) | TypeKind::FreeObject => JsonType::Object,
                TypeKind::Union(_) => return None,
            },
            TypeRef::Format(_) => JsonType::String,
            TypeRef::Nullable(_) => return None,
            TypeRef::Boxed(inner) => return inner.json_type(space),
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
