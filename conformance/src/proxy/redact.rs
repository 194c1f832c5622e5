//! What never leaves the proxy: the bearer token and the values of the spec's `x-pii` fields.
//!
//! The personal-data fields are found in the spec (every property whose schema, or the schema
//! its `$ref` names, says `x-pii: true`), never listed here. Bodies are redacted field by field;
//! free text (validator messages, echoed bodies) is scrubbed of the exchange's secret values.

use std::collections::BTreeSet;

use contract_model::spec::lines::unescape;
use serde_json::Value;

use crate::contract::Contract;

/// What a redacted value is replaced with.
pub const REDACTED: &str = "[redacted]";

/// Shorter secrets are not scrubbed from free text (they would mangle it); their fields are
/// still redacted wherever they appear in a body.
const MIN_SCRUB_LEN: usize = 4;

#[derive(Debug, Clone, Default)]
pub struct Redactor {
    pii_fields: BTreeSet<String>,
}

impl Redactor {
    pub fn from_contract(contract: &Contract) -> Redactor {
        let mut pii_fields = BTreeSet::new();
        collect(contract, &contract.spec.doc, &mut pii_fields);
        Redactor { pii_fields }
    }

    pub fn pii_fields(&self) -> impl Iterator<Item = &str> {
        self.pii_fields.iter().map(String::as_str)
    }

    /// Replaces the (string or number) value of every personal-data field, at any depth, and returns the values
    /// taken out, to scrub them from free text too.
    pub fn body(&self, value: &mut Value) -> Vec<String> {
        let mut taken = Vec::new();
        self.walk(value, &mut taken);
        taken
    }

    fn walk(&self, value: &mut Value, taken: &mut Vec<String>) {
        match value {
            Value::Object(m) => {
                for (k, v) in m.iter_mut() {
                    // Only values: a field of the same name holding a structure (a
                    // validation report keyed by field) is walked into instead.
                    if self.pii_fields.contains(k) && (v.is_string() || v.is_number()) {
                        collect_leaves(v, taken);
                        *v = Value::String(REDACTED.into());
                    } else {
                        self.walk(v, taken);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|v| self.walk(v, taken)),
            _ => {}
        }
    }

    /// True when `pointer` (into a body) lies inside a personal-data field.
    pub fn is_pii_pointer(&self, pointer: &str) -> bool {
        pointer
            .split('/')
            .skip(1)
            .any(|seg| self.pii_fields.contains(&unescape(seg)))
    }
}

/// The secrets of one exchange: the token(s) it carried and the personal data it held.
#[derive(Debug, Clone, Default)]
pub struct Secrets(Vec<String>);

impl Secrets {
    pub fn add(&mut self, secret: impl Into<String>) {
        let s = secret.into();
        if s.len() >= MIN_SCRUB_LEN && !self.0.contains(&s) {
            // Longest first, so a secret containing another is replaced whole.
            let at = self
                .0
                .iter()
                .position(|x| x.len() < s.len())
                .unwrap_or(self.0.len());
            self.0.insert(at, s);
        }
    }

    pub fn extend(&mut self, secrets: impl IntoIterator<Item = String>) {
        for s in secrets {
            self.add(s);
        }
    }

    /// The credential of an `Authorization` header value (`Bearer abc` → `abc`, and the whole value).
    pub fn add_authorization(&mut self, value: &str) {
        let value = value.trim();
        if let Some((_, cred)) = value.split_once(' ') {
            self.add(cred.trim());
        }
        self.add(value);
    }

    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.0 {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), REDACTED);
            }
        }
        out
    }

    pub fn scrub_value(&self, value: &mut Value) {
        match value {
            Value::String(s) => {
                let t = self.scrub(s);
                if t != *s {
                    *s = t;
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|v| self.scrub_value(v)),
            Value::Object(m) => m.values_mut().for_each(|v| self.scrub_value(v)),
            _ => {}
        }
    }
}

/// The header carrying credentials; its value is never shown.
pub fn is_credential_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("proxy-authorization")
}

/// `Bearer abc` → `Bearer [redacted]`.
pub fn redact_credential(value: &str) -> String {
    match value.trim().split_once(' ') {
        Some((scheme, _)) => format!("{scheme} {REDACTED}"),
        None => REDACTED.to_string(),
    }
}

fn collect_leaves(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        _ => {}
    }
}

/// Every property name, anywhere in the spec, whose schema is marked `x-pii: true` (directly,
/// through its `$ref`, or through one of its `anyOf`/`oneOf`/`allOf` members).
fn collect(contract: &Contract, node: &Value, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                for (name, schema) in props {
                    if is_pii(contract, schema, 0) {
                        out.insert(name.clone());
                    }
                }
            }
            m.values().for_each(|v| collect(contract, v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| collect(contract, v, out)),
        _ => {}
    }
}

fn is_pii(contract: &Contract, schema: &Value, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    if schema.get("x-pii") == Some(&Value::Bool(true)) {
        return true;
    }
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| contract.spec.at(p))
        && is_pii(contract, target, depth + 1)
    {
        return true;
    }
    ["anyOf", "oneOf", "allOf"].iter().any(|k| {
        schema
            .get(k)
            .and_then(Value::as_array)
            .is_some_and(|l| l.iter().any(|s| is_pii(contract, s, depth + 1)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pii_fields_come_from_the_spec() {
        let r = Redactor::from_contract(Contract::embedded());
        let mut body = serde_json::json!({"a": {"b": 1}});
        assert!(r.body(&mut body).is_empty());
        // Every field the spec marks, and only those, is redacted.
        for f in r.pii_fields() {
            let mut v = serde_json::json!({ f: "secret-value", "other": "kept" });
            assert_eq!(r.body(&mut v), ["secret-value"]);
            assert_eq!(v[f], REDACTED);
            assert_eq!(v["other"], "kept");
        }
        assert!(r.pii_fields().count() >= 2);
    }

    #[test]
    fn secrets_are_scrubbed_longest_first() {
        let mut s = Secrets::default();
        s.add_authorization("Bearer s3cret-token");
        assert_eq!(s.scrub("got Bearer s3cret-token!"), "got [redacted]!");
        assert_eq!(s.scrub("echo s3cret-token"), "echo [redacted]");
        assert_eq!(redact_credential("Bearer abc"), "Bearer [redacted]");
    }
}
