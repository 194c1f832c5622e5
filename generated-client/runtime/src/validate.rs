//! Strings with rules. A generated newtype is a [`Validated`] string whose rules type says
//! what its schema requires ([`StringRules`]: lengths, a pattern, the email shape) and
//! whether it is personal data ([`Personal`]: redacted in `Debug`, no `Display`).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::OnceLock;

/// A value broke a rule of its schema. The message names the type and the rule, never the
/// value (which may be personal data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConstraintError {
    type_name: &'static str,
    rule: String,
}

impl ConstraintError {
    /// The Rust type whose rule was broken.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The broken rule, as the schema states it (e.g. `pattern ^[0-9]+$`).
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}: the value breaks the rule {}",
            self.type_name, self.rule
        )
    }
}

impl std::error::Error for ConstraintError {}

/// Stands in for a secret or personal data in `Debug` output: prints `<redacted>`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The compiled pattern of a [`StringRules`], built on first use.
pub struct PatternCache(OnceLock<Option<regress::Regex>>);

impl PatternCache {
    /// An empty cache.
    pub const fn new() -> Self {
        PatternCache(OnceLock::new())
    }
}

impl Default for PatternCache {
    fn default() -> Self {
        PatternCache::new()
    }
}

/// What a string must satisfy, as its schema states it. Generated code declares one `static`
/// per type:
///
/// ```
/// use contract_runtime::{PatternCache, StringRules};
/// static ID: StringRules = StringRules {
///     min_length: None,
///     max_length: Some(12),
///     pattern: Some("^A[0-9]+$"),
///     email: false,
///     description: None,
///     compiled: PatternCache::new(),
/// };
/// assert!(ID.check("Id", "A12").is_ok());
/// assert_eq!(ID.check("Id", "B12").unwrap_err().rule(), "pattern ^A[0-9]+$");
/// ```
pub struct StringRules {
    /// `minLength`, in characters (Unicode scalar values, as JSON Schema counts).
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `pattern`: an ECMA-262 regular expression, searched anywhere in the value (JSON
    /// Schema semantics; anchor it to match the whole value).
    pub pattern: Option<&'static str>,
    /// `format: email`: one `@` with text on both sides, a dot inside the domain, no
    /// whitespace. The server is the final judge.
    pub email: bool,
    /// The schema's description, repeated in the JSON Schema this type reports.
    pub description: Option<&'static str>,
    /// The compiled pattern, filled on first use ([`PatternCache::new`]).
    pub compiled: PatternCache,
}

impl StringRules {
    /// Checks `value` against every rule; `type_name` names the type in the error.
    pub fn check(&self, type_name: &'static str, value: &str) -> Result<(), ConstraintError> {
        let broken = |rule: String| Err(ConstraintError { type_name, rule });
        let chars = value.chars().count() as u64;
        if let Some(min) = self.min_length.filter(|m| chars < *m) {
            return broken(format!("minLength {min}"));
        }
        if let Some(max) = self.max_length.filter(|m| chars > *m) {
            return broken(format!("maxLength {max}"));
        }
        if let Some(p) = self.pattern {
            // A pattern that does not compile matches nothing (the generator refuses such
            // patterns, so this is a last line of defence, not a panic).
            let re = self.compiled.0.get_or_init(|| regress::Regex::new(p).ok());
            if re.as_ref().is_none_or(|re| re.find(value).is_none()) {
                return broken(format!("pattern {p}"));
            }
        }
        if self.email && !email_shaped(value) {
            return broken("format email".to_string());
        }
        Ok(())
    }

    /// The JSON Schema of strings that satisfy these rules.
    pub fn json_schema(&self) -> schemars::Schema {
        let mut map = serde_json::Map::new();
        map.insert("type".into(), "string".into());
        if let Some(m) = self.min_length {
            map.insert("minLength".into(), m.into());
        }
        if let Some(m) = self.max_length {
            map.insert("maxLength".into(), m.into());
        }
        if let Some(p) = self.pattern {
            map.insert("pattern".into(), p.into());
        }
        if self.email {
            map.insert("format".into(), "email".into());
        }
        if let Some(d) = self.description {
            map.insert("description".into(), d.into());
        }
        schemars::Schema::from(map)
    }
}

/// Whether `s` has the shape of an email address (see [`StringRules::email`]).
fn email_shaped(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Whether a [`Validated`] type holds personal data: [`Public`] or [`Personal`].
pub trait Privacy {
    /// `Debug` prints `<redacted>` instead of the value.
    const REDACT: bool;
}

/// Not personal data: `Debug` and `Display` show the value.
pub enum Public {}

/// Personal data (`x-pii` in the spec): `Debug` prints `<redacted>` and there is no
/// `Display`; read it with `as_str()` when you mean to.
pub enum Personal {}

impl Privacy for Public {
    const REDACT: bool = false;
}

impl Privacy for Personal {
    const REDACT: bool = true;
}

/// The rules of one [`Validated`] type, implemented by an empty generated type.
pub trait Rules: 'static {
    /// The Rust type's name, for errors and the JSON Schema's name.
    const NAME: &'static str;
    /// [`Public`] or [`Personal`].
    type Privacy: Privacy;
    /// What values must satisfy.
    fn rules() -> &'static StringRules;
}

/// A string that satisfies the rules `R`: checked when built ([`new`](Validated::new),
/// `TryFrom`, `FromStr`) and when deserialized, so an invalid value cannot exist.
pub struct Validated<R> {
    value: String,
    rules: PhantomData<fn() -> R>,
}

impl<R: Rules> Validated<R> {
    /// Checks the value against every rule of the schema.
    pub fn new(value: impl Into<String>) -> Result<Self, ConstraintError> {
        let value = value.into();
        R::rules().check(R::NAME, &value)?;
        Ok(Validated {
            value,
            rules: PhantomData,
        })
    }

    /// The value.
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The value, taken out.
    pub fn into_inner(self) -> String {
        self.value
    }
}

impl<R> Clone for Validated<R> {
    fn clone(&self) -> Self {
        Validated {
            value: self.value.clone(),
            rules: PhantomData,
        }
    }
}

impl<R> PartialEq for Validated<R> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<R> Eq for Validated<R> {}

impl<R> PartialOrd for Validated<R> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<R> Ord for Validated<R> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.value.cmp(&other.value)
    }
}

impl<R> Hash for Validated<R> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.value.hash(state)
    }
}

impl<R> AsRef<str> for Validated<R> {
    fn as_ref(&self) -> &str {
        &self.value
    }
}

impl<R: Rules> TryFrom<String> for Validated<R> {
    type Error = ConstraintError;
    fn try_from(value: String) -> Result<Self, ConstraintError> {
        Validated::new(value)
    }
}

impl<R: Rules> TryFrom<&str> for Validated<R> {
    type Error = ConstraintError;
    fn try_from(value: &str) -> Result<Self, ConstraintError> {
        Validated::new(value)
    }
}

impl<R: Rules> std::str::FromStr for Validated<R> {
    type Err = ConstraintError;
    fn from_str(value: &str) -> Result<Self, ConstraintError> {
        Validated::new(value)
    }
}

impl<R: Rules> fmt::Debug for Validated<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = f.debug_tuple(R::NAME);
        if <R::Privacy as Privacy>::REDACT {
            t.field(&Redacted);
        } else {
            t.field(&self.value);
        }
        t.finish()
    }
}

impl<R: Rules<Privacy = Public>> fmt::Display for Validated<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl<R> serde::Serialize for Validated<R> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.value)
    }
}

impl<'de, R: Rules> serde::Deserialize<'de> for Validated<R> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = String::deserialize(deserializer)?;
        Validated::new(value).map_err(serde::de::Error::custom)
    }
}

impl<R: Rules> schemars::JsonSchema for Validated<R> {
    fn schema_name() -> Cow<'static, str> {
        R::NAME.into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        R::rules().json_schema()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    enum CodeRules {}
    impl Rules for CodeRules {
        const NAME: &'static str = "Code";
        type Privacy = Public;
        fn rules() -> &'static StringRules {
            static RULES: StringRules = StringRules {
                min_length: Some(2),
                max_length: Some(4),
                pattern: Some("^[A-Z]+$"),
                email: false,
                description: Some("A code."),
                compiled: PatternCache::new(),
            };
            &RULES
        }
    }
    type Code = Validated<CodeRules>;

    enum MailRules {}
    impl Rules for MailRules {
        const NAME: &'static str = "Mail";
        type Privacy = Personal;
        fn rules() -> &'static StringRules {
            static RULES: StringRules = StringRules {
                min_length: None,
                max_length: None,
                pattern: None,
                email: true,
                description: None,
                compiled: PatternCache::new(),
            };
            &RULES
        }
    }
    type Mail = Validated<MailRules>;

    #[test]
    fn every_rule_is_checked_and_named() {
        assert_eq!(Code::new("AB").unwrap().as_str(), "AB");
        assert_eq!(Code::new("A").unwrap_err().rule(), "minLength 2");
        assert_eq!(Code::new("ABCDE").unwrap_err().rule(), "maxLength 4");
        assert_eq!(Code::new("ab").unwrap_err().rule(), "pattern ^[A-Z]+$");
        assert_eq!("ÅÅ".chars().count(), 2, "lengths count characters");
        assert_eq!(Code::new("ÅÅ").unwrap_err().rule(), "pattern ^[A-Z]+$");
        let e = Mail::new("no-at-sign").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid Mail: the value breaks the rule format email"
        );
        for bad in ["a@b", "@b.no", "a@.no", "a@b.", "a b@c.no"] {
            assert!(Mail::new(bad).is_err(), "{bad}");
        }
        assert!(Mail::new("kari@example.no").is_ok());
    }

    #[test]
    fn conversions_and_serde_check_too() {
        let c: Code = "XY".parse().unwrap();
        assert_eq!(Code::try_from("XY".to_string()).unwrap(), c);
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"XY\"");
        assert_eq!(serde_json::from_str::<Code>("\"XY\"").unwrap(), c);
        let e = serde_json::from_str::<Code>("\"x\"").unwrap_err().to_string();
        assert!(e.contains("invalid Code") && !e.contains("\"x\""), "{e}");
        assert_eq!(c.to_string(), "XY");
        assert_eq!(c.clone().into_inner(), "XY");
    }

    #[test]
    fn personal_data_is_redacted_in_debug() {
        let m = Mail::new("kari@example.no").unwrap();
        assert_eq!(format!("{m:?}"), "Mail(<redacted>)");
        assert_eq!(format!("{:?}", Code::new("AB").unwrap()), "Code(\"AB\")");
    }

    #[test]
    fn the_json_schema_states_the_rules() {
        let schema = serde_json::to_value(schemars::schema_for!(Code)).unwrap();
        assert_eq!(schema["pattern"], "^[A-Z]+$");
        assert_eq!(schema["minLength"], 2);
        assert_eq!(schema["maxLength"], 4);
        assert_eq!(schema["description"], "A code.");
        let schema = serde_json::to_value(schemars::schema_for!(Mail)).unwrap();
        assert_eq!(schema["format"], "email");
    }
}
