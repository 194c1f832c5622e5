//! Request bodies: content type, JSON syntax, the request schema, and the per-field messages
//! of a 417 answer.
//!
//! Messages come from the compiled schemas and from the schema data, never from a list of
//! field names written here:
//! - an error inside a field is reported under that field;
//! - a field that matches none of its `anyOf`/`oneOf` options is checked against each
//!   option: when its type fits an option, the message names that option's `title` and the
//!   first sentence of its `description` ("must be a valid country calling code: ...");
//!   otherwise it lists the options' titles;
//! - a body that matches none of the root `oneOf`/`anyOf` options (the ways to send) is
//!   checked against each option, and the closest ones (fewest errors) give the messages,
//!   naming the option's `title` ("The phone field is required to send by sms.");
//! - what belongs to no field (a body that is not an object, not JSON, or of the wrong
//!   content type) makes `errors` a list of messages instead of a map.

use contract_model::spec::pointer;
use contract_model::spec::validators::{CompiledSchema, SchemaError, SchemaRegistry};
use serde_json::{Map, Value};

use crate::contract::{Contract, OperationContract};

/// One option of a `oneOf`/`anyOf`, compiled on its own.
struct Choice {
    title: String,
    /// The first sentence of the option's description, if any.
    summary: Option<String>,
    required: Vec<String>,
    /// Properties this option allows only as `null` (or absent).
    null_only: Vec<String>,
    schema: CompiledSchema,
}

pub struct PayloadRules {
    content_type: String,
    /// The root options (the ways to send).
    root_choices: Vec<Choice>,
    /// Per property: its options, when it has any.
    field_choices: Vec<(String, Vec<Choice>)>,
}

/// Why a body was refused: the value of the answer's detail field.
pub type Rejection = Value;

impl PayloadRules {
    pub fn new(contract: &Contract, op: &OperationContract) -> Option<PayloadRules> {
        let request = op.ir.request.as_ref()?;
        let spec = &contract.spec;
        let registry = SchemaRegistry::new(spec).ok()?;
        let pointer = &request.schema_pointer;
        let schema = spec.at(pointer)?;
        let compile_choices = |at: &str, schema: &Value| -> Vec<Choice> {
            let (keyword, list) = match (schema.get("oneOf"), schema.get("anyOf")) {
                (Some(Value::Array(l)), _) => ("oneOf", l),
                (_, Some(Value::Array(l))) => ("anyOf", l),
                _ => return Vec::new(),
            };
            list.iter()
                .enumerate()
                .filter_map(|(i, branch)| {
                    let ptr = format!("{at}/{keyword}/{i}");
                    let compiled = registry.compile(spec, &ptr).ok()?;
                    let resolved = resolve(contract, &ptr, branch);
                    let title = resolved
                        .get("title")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .or_else(|| resolved.get("type").and_then(Value::as_str).map(str::to_string))
                        .unwrap_or_else(|| format!("option {}", i + 1));
                    let summary = resolved
                        .get("description")
                        .and_then(Value::as_str)
                        .map(first_sentence);
                    let required = resolved
                        .get("required")
                        .and_then(Value::as_array)
                        .map(|r| r.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
                        .unwrap_or_default();
                    let null_only = resolved
                        .get("properties")
                        .and_then(Value::as_object)
                        .map(|props| {
                            props
                                .iter()
                                .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("null"))
                                .map(|(k, _)| k.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    Some(Choice {
                        title,
                        summary,
                        required,
                        null_only,
                        schema: compiled,
                    })
                })
                .collect()
        };
        let root_choices = compile_choices(pointer, schema);
        let mut field_choices = Vec::new();
        if let Some(Value::Object(props)) = schema.get("properties") {
            for (name, prop) in props {
                let at = pointer::child(pointer, &["properties", name]);
                let choices = compile_choices(&at, prop);
                if !choices.is_empty() {
                    field_choices.push((name.clone(), choices));
                }
            }
        }
        Some(PayloadRules {
            content_type: request.content_type.clone(),
            root_choices,
            field_choices,
        })
    }

    /// Parses and validates a body, or says why it is refused.
    pub fn check(
        &self,
        schema: &CompiledSchema,
        content_type: Option<&[u8]>,
        body: &[u8],
    ) -> Result<Value, Rejection> {
        let ct_ok = content_type.is_some_and(|ct| {
            let essence = ct.split(|b| *b == b';').next().unwrap_or_default();
            essence
                .trim_ascii()
                .eq_ignore_ascii_case(self.content_type.as_bytes())
        });
        if !ct_ok {
            let got = content_type
                .map(|c| format!("`{}`", String::from_utf8_lossy(c)))
                .unwrap_or_else(|| "none".into());
            return Err(list(format!(
                "The Content-Type header must be {} (got {got}).",
                self.content_type
            )));
        }
        if body.trim_ascii().is_empty() {
            return Err(list("The request body is empty.".into()));
        }
        let value: Value = serde_json::from_slice(body)
            .map_err(|e| list(format!("The request body is not valid JSON: {e}.")))?;
        if schema.is_valid(&value) {
            return Ok(value);
        }
        Err(self.describe(&value, schema.errors(&value)))
    }

    fn describe(&self, value: &Value, errors: Vec<SchemaError>) -> Rejection {
        let mut fields = Fields::default();
        let mut loose = Vec::new();
        // When the body has the wrong type, the options it fails are noise.
        let wrong_type = errors
            .iter()
            .any(|e| e.instance_pointer.is_empty() && e.keyword == "type");
        for e in errors {
            if wrong_type && e.instance_pointer.is_empty() && e.keyword != "type" {
                continue;
            }
            match field_of(&e.instance_pointer) {
                Some(field) => {
                    let message = self.field_message(&field, value, &e);
                    fields.push(field, message);
                }
                None if value.is_object()
                    && matches!(e.keyword.as_str(), "oneOf" | "anyOf")
                    && !self.root_choices.is_empty() =>
                {
                    if !self.explain_root(value, &mut fields) {
                        loose.push(e.message);
                    }
                }
                None => loose.push(e.message),
            }
        }
        if loose.is_empty() && !fields.0.is_empty() {
            Value::Object(fields.0)
        } else {
            let mut all: Vec<Value> = loose.into_iter().map(|m| Value::String(sentence(&m))).collect();
            for (field, msgs) in fields.0 {
                for m in msgs.as_array().into_iter().flatten() {
                    all.push(Value::String(format!(
                        "{field}: {}",
                        m.as_str().unwrap_or_default()
                    )));
                }
            }
            Value::Array(all)
        }
    }

    /// Messages for a body that matches none (or several) of the root options.
    fn explain_root(&self, value: &Value, fields: &mut Fields) -> bool {
        let scored: Vec<(usize, &Choice, Vec<SchemaError>)> = self
            .root_choices
            .iter()
            .map(|c| {
                let errs = c.schema.errors(value);
                let missing = c.required.iter().filter(|f| is_absent(value, f)).count();
                // Absent (or null) required fields count once, through `missing`.
                let others = errs
                    .iter()
                    .filter(|e| e.keyword != "required")
                    .filter(|e| field_of(&e.instance_pointer).is_none_or(|f| !is_absent(value, &f)))
                    .count();
                let score = others + missing;
                (score, c, errs)
            })
            .collect();
        let Some(best) = scored.iter().map(|(s, _, _)| *s).min() else {
            return false;
        };
        if best == 0 {
            // Several options match: name the fields that make the body ambiguous.
            let matching: Vec<&str> = scored
                .iter()
                .filter(|(s, _, _)| *s == 0)
                .map(|(_, c, _)| c.title.as_str())
                .collect();
            for (_, c, _) in scored.iter().filter(|(s, _, _)| *s == 0) {
                for f in &c.required {
                    fields.push(
                        f.clone(),
                        format!("The body fits several ways to send ({}).", matching.join(", ")),
                    );
                }
            }
            return true;
        }
        for (_, c, errs) in scored.iter().filter(|(s, _, _)| *s == best) {
            for f in c.required.iter().filter(|f| is_absent(value, f)) {
                fields.push(
                    f.clone(),
                    format!("The {f} field is required to send by {}.", c.title),
                );
            }
            for e in errs {
                // Other field errors repeat what the field's own check says.
                if let Some(f) = field_of(&e.instance_pointer)
                    && !is_absent(value, &f)
                    && c.null_only.contains(&f)
                {
                    fields.push(
                        f.clone(),
                        format!("The {f} field must be left out or null to send by {}.", c.title),
                    );
                }
            }
        }
        true
    }

    fn field_message(&self, field: &str, value: &Value, e: &SchemaError) -> String {
        let choices = self
            .field_choices
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, c)| c.as_slice())
            .unwrap_or_default();
        let field_value = value.get(field).unwrap_or(&Value::Null);
        if choices.is_empty() || e.instance_pointer.matches('/').count() > 1 {
            return sentence(&e.message);
        }
        // Options whose type fits the value: the message names the one it comes closest to.
        let fitting = choices.iter().find(|c| {
            let errs = c.schema.errors(field_value);
            !errs.is_empty()
                && !errs
                    .iter()
                    .any(|e| e.keyword == "type" && e.instance_pointer.is_empty())
        });
        match fitting {
            Some(c) => match &c.summary {
                Some(s) => format!("The {field} field must be a valid {}: {s}", lower_first(&c.title)),
                None => format!("The {field} field must be a valid {}.", lower_first(&c.title)),
            },
            None => format!(
                "The {field} field must be one of: {}.",
                choices
                    .iter()
                    .map(|c| lower_first(&c.title))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// Field name → messages, in the order first reported, without repeats.
#[derive(Default)]
struct Fields(Map<String, Value>);

impl Fields {
    fn push(&mut self, field: String, message: String) {
        let list = self.0.entry(field).or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(v) = list
            && !v.iter().any(|m| m.as_str() == Some(message.as_str()))
        {
            v.push(Value::String(message));
        }
    }
}

fn list(message: String) -> Value {
    Value::Array(vec![Value::String(message)])
}

fn is_absent(value: &Value, field: &str) -> bool {
    value.get(field).is_none_or(Value::is_null)
}

/// The top-level field an instance pointer points into (`/tags/0` → `tags`).
fn field_of(instance: &str) -> Option<String> {
    pointer::tokens(instance).into_iter().next()
}

/// The schema at `at` with its `$ref`s followed, for titles and descriptions.
fn resolve<'a>(contract: &'a Contract, at: &str, schema: &'a Value) -> &'a Value {
    contract.spec.resolver().follow(at).map_or(schema, |(_, s)| s)
}

fn first_sentence(text: &str) -> String {
    let text = text.trim();
    let end = text.find(". ").map(|i| i + 1).unwrap_or(text.len());
    lower_first(&text[..end])
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A validator message as a sentence.
fn sentence(m: &str) -> String {
    if m.ends_with('.') {
        m.to_string()
    } else {
        format!("{m}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented invalid-payload example and the mock agree on which fields are wrong
    /// for the body its `x-replay` plan sends.
    #[test]
    fn the_documented_417_example_names_the_same_fields() {
        let c = Contract::embedded();
        for op in &c.operations {
            let rules = PayloadRules::new(c, op).unwrap();
            let schema = op.request.as_ref().unwrap();
            for r in &op.ir.responses {
                for e in &r.examples {
                    let plan = e.replay.as_ref().unwrap();
                    let Some(body) = &plan.body else { continue };
                    let raw = serde_json::to_vec(body).unwrap();
                    let got = rules.check(schema, Some(b"application/json"), &raw).unwrap_err();
                    let documented = e
                        .value
                        .as_object()
                        .unwrap()
                        .values()
                        .find_map(Value::as_object)
                        .unwrap();
                    let keys = |m: &Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
                    assert_eq!(keys(got.as_object().unwrap()), keys(documented), "{}", e.name);
                }
            }
        }
    }

    #[test]
    fn every_way_to_send_is_a_combination_of_marked_channels() {
        let c = Contract::embedded();
        let op = &c.operations[0];
        let rules = PayloadRules::new(c, op).unwrap();
        let names: Vec<_> = op.destinations.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.len(), 2, "{names:?}");
        let all: Vec<_> = rules.root_choices.iter().map(|c| c.title.as_str()).collect();
        // The `x-destination` markers agree with the schema's options.
        for choice in &rules.root_choices {
            let covered = op
                .destinations
                .iter()
                .filter(|ch| ch.fields.iter().all(|f| choice.required.contains(f)))
                .flat_map(|ch| ch.fields.iter())
                .count();
            assert_eq!(covered, choice.required.len(), "{all:?}");
        }
    }

    #[test]
    fn content_type_and_syntax_come_before_the_schema() {
        let c = Contract::embedded();
        let op = &c.operations[0];
        let rules = PayloadRules::new(c, op).unwrap();
        let schema = op.request.as_ref().unwrap();
        let valid = serde_json::to_vec(&op.ir.request.as_ref().unwrap().examples[0].value).unwrap();
        assert!(rules.check(schema, Some(b"application/json"), &valid).is_ok());
        assert!(
            rules
                .check(schema, Some(b"Application/JSON ; charset=utf-8"), &valid)
                .is_ok()
        );
        for ct in [None, Some(&b"text/plain"[..]), Some(&b"application/jsonx"[..])] {
            let e = rules.check(schema, ct, &valid).unwrap_err();
            assert!(
                e.as_array().unwrap()[0]
                    .as_str()
                    .unwrap()
                    .contains("Content-Type")
            );
        }
        let e = rules.check(schema, Some(b"application/json"), b"  ").unwrap_err();
        assert!(e.as_array().unwrap()[0].as_str().unwrap().contains("empty"));
        let e = rules.check(schema, Some(b"application/json"), b"{").unwrap_err();
        assert!(
            e.as_array().unwrap()[0]
                .as_str()
                .unwrap()
                .contains("not valid JSON")
        );
    }
}
