//! The mock's answers, taken from the spec's response examples and serialized once.
//!
//! Which example answers which request is read from its `x-replay` plan:
//! - a plan with `auth` → a request without valid credentials;
//! - a plan with a literal `body` or `samples` → an invalid payload (its error details are
//!   replaced by the ones for the actual request);
//! - any other plan → a resource in the plan's `state`, whatever its name: the first example
//!   of each state answers for it (`missing`, when no example declares it, gets an inferred
//!   404).
//!
//! Example values are serialized as they are (serde_json keeps their key order), so every
//! field the plan marks `exact` is byte-for-byte the documented one.
//!
//! Statuses the spec does not document (404 for an unknown route, 405, 408, 413) reuse the
//! documented failure envelope of the first failure example: its fields are the ones the
//! spec's `x-error-envelope` names by role (see [`ErrorEnvelope`]), filled with the status,
//! its standard reason phrase, that phrase in lower camel case as the message
//! (`Payload Too Large` → `payloadTooLarge`), `true` and `null`. These bodies are inferred.

use bytes::Bytes;
use contract_model::spec::replay::ResourceState;
use http::StatusCode;
use serde_json::{Map, Value};

use crate::contract::{Contract, OperationContract};
use crate::markers::ErrorEnvelope;

/// A ready-to-send JSON answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Bytes,
}

impl Answer {
    fn new(status: u16, value: &Value) -> Answer {
        Answer {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            body: Bytes::from(serde_json::to_vec(value).unwrap_or_default()),
        }
    }
}

/// The invalid-payload example, whose detail field is filled per request.
#[derive(Debug, Clone)]
pub struct InvalidTemplate {
    pub status: StatusCode,
    template: Map<String, Value>,
    /// The key of the detail field, found by shape (the field whose documented value is a
    /// list or a map).
    errors_key: Option<String>,
}

impl InvalidTemplate {
    pub fn render(&self, errors: Value) -> Answer {
        let mut v = self.template.clone();
        if let Some(k) = &self.errors_key {
            v.insert(k.clone(), errors);
        }
        Answer {
            status: self.status,
            body: Bytes::from(serde_json::to_vec(&Value::Object(v)).unwrap_or_default()),
        }
    }
}

/// Where the fields of the documented failure envelope are, found by their values.
#[derive(Debug, Clone, Default)]
pub struct EnvelopeShape {
    template: Map<String, Value>,
    status_key: Option<String>,
    reason_key: Option<String>,
    message_key: Option<String>,
    flag_key: Option<String>,
    detail_key: Option<String>,
}

impl EnvelopeShape {
    /// The envelope of a documented failure example: its fields by the roles the spec's
    /// `x-error-envelope` names (the status field must hold the example's status), else by
    /// shape alone: the number equal to the status, the boolean, the detail (null, list or
    /// map); without the marker no string is rewritten, since nothing says which one is the
    /// message.
    fn from_example(marked: Option<&ErrorEnvelope>, status: u16, value: &Value) -> Option<EnvelopeShape> {
        let obj = value.as_object()?;
        let has = |k: &Option<String>| k.clone().filter(|k| obj.contains_key(k));
        if let Some(m) = marked {
            let status_key = has(&m.status)?;
            if obj[&status_key].as_u64() != Some(u64::from(status)) {
                return None;
            }
            return Some(EnvelopeShape {
                template: obj.clone(),
                status_key: Some(status_key),
                reason_key: has(&m.reason),
                message_key: has(&m.message),
                flag_key: has(&m.flag),
                detail_key: has(&m.detail),
            });
        }
        let key = |pred: &dyn Fn(&Value) -> bool| obj.iter().find(|(_, v)| pred(v)).map(|(k, _)| k.clone());
        let status_key = key(&|v| v.as_u64() == Some(u64::from(status)))?;
        let detail_key = obj
            .iter()
            .find(|(k, v)| (v.is_null() || v.is_array() || v.is_object()) && **k != status_key)
            .map(|(k, _)| k.clone());
        Some(EnvelopeShape {
            template: obj.clone(),
            status_key: Some(status_key),
            reason_key: None,
            message_key: None,
            flag_key: key(&|v| v.is_boolean()),
            detail_key,
        })
    }

    /// The failure envelope for a status the spec does not document (see the module docs).
    pub fn answer(&self, status: StatusCode) -> Answer {
        let reason = status.canonical_reason().unwrap_or("Error");
        let mut v = self.template.clone();
        let mut set = |k: &Option<String>, value: Value| {
            if let Some(k) = k {
                v.insert(k.clone(), value);
            }
        };
        set(&self.status_key, Value::from(status.as_u16()));
        set(&self.reason_key, Value::from(reason));
        set(&self.message_key, Value::from(lower_camel(reason)));
        set(&self.flag_key, Value::Bool(true));
        set(&self.detail_key, Value::Null);
        Answer::new(status.as_u16(), &Value::Object(v))
    }
}

/// `Payload Too Large` → `payloadTooLarge`.
fn lower_camel(phrase: &str) -> String {
    let mut out = String::new();
    for (i, word) in phrase
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .enumerate()
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.push(first.to_ascii_lowercase());
            } else {
                out.push(first.to_ascii_uppercase());
            }
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

/// Every answer of one operation.
#[derive(Debug, Clone)]
pub struct OperationAnswers {
    /// The answer for a resource in each state (`missing` included).
    pub by_state: Vec<(ResourceState, Answer)>,
    pub unauthenticated: Answer,
    pub invalid: InvalidTemplate,
    /// For requests whose query, header or cookie parameters are wrong: 400 (422 when the
    /// operation documents 422 and not 400) in the documented failure envelope.
    pub bad_params: InvalidTemplate,
    /// For an operation without `x-resource` (no store to look in): the state every request
    /// with valid parameters is answered in, the first its plans declare.
    pub stateless: Option<ResourceState>,
}

impl OperationAnswers {
    pub fn for_state(&self, state: &str) -> Option<&Answer> {
        self.by_state
            .iter()
            .find(|(s, _)| s.as_str() == state)
            .map(|(_, a)| a)
    }
}

/// The documented failure envelope of the contract: the first failure example whose shape
/// can be read (see the module docs).
pub fn envelope_shape(contract: &Contract) -> EnvelopeShape {
    contract
        .operations
        .iter()
        .flat_map(|o| &o.ir.responses)
        .filter(|r| r.status >= 400)
        .flat_map(|r| r.examples.iter().map(move |e| (r.status, e)))
        .find_map(|(status, e)| {
            EnvelopeShape::from_example(contract.error_envelope.as_ref(), status, &e.value)
        })
        .unwrap_or_default()
}

pub fn operation_answers(op: &OperationContract, shape: &EnvelopeShape) -> OperationAnswers {
    let mut by_state: Vec<(ResourceState, Answer)> = Vec::new();
    let mut unauthenticated = None;
    let mut invalid = None;
    for response in &op.ir.responses {
        for example in &response.examples {
            let Some(plan) = &example.replay else { continue };
            if !plan.auth.is_empty() {
                unauthenticated.get_or_insert_with(|| Answer::new(response.status, &example.value));
            } else if plan.body.is_some() || plan.samples.is_some() {
                invalid.get_or_insert_with(|| {
                    let template = example.value.as_object().cloned().unwrap_or_default();
                    // The detail field is the one whose documented value is a list or map.
                    let errors_key = template
                        .iter()
                        .find(|(_, v)| v.is_array() || v.is_object())
                        .map(|(k, _)| k.clone());
                    InvalidTemplate {
                        status: StatusCode::from_u16(response.status).unwrap_or(StatusCode::BAD_REQUEST),
                        template,
                        errors_key,
                    }
                });
            } else if !by_state.iter().any(|(s, _)| *s == plan.state) {
                by_state.push((plan.state.clone(), Answer::new(response.status, &example.value)));
            }
        }
    }
    if !by_state.iter().any(|(s, _)| s.is_missing()) {
        by_state.push((ResourceState::missing(), shape.answer(StatusCode::NOT_FOUND)));
    }
    let stateless = match op.ir.resource {
        Some(_) => None,
        None => contract_model::cases::declared_states(&op.ir)
            .into_iter()
            .find(|s| !s.is_missing())
            .cloned(),
    };
    OperationAnswers {
        stateless,
        bad_params: bad_params(op, shape),
        by_state,
        unauthenticated: unauthenticated.unwrap_or_else(|| shape.answer(StatusCode::UNAUTHORIZED)),
        invalid: invalid.unwrap_or_else(|| {
            let a = shape.answer(StatusCode::UNPROCESSABLE_ENTITY);
            InvalidTemplate {
                status: a.status,
                template: serde_json::from_slice(&a.body).unwrap_or_default(),
                errors_key: shape.detail_key.clone(),
            }
        }),
    }
}

/// The answer to wrong parameters: 400 (422 when the operation documents 422 and not 400) in
/// the documented failure envelope, its detail field naming each parameter with its problems.
fn bad_params(op: &OperationContract, shape: &EnvelopeShape) -> InvalidTemplate {
    let status = match (op.ir.response(400), op.ir.response(422)) {
        (None, Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::BAD_REQUEST,
    };
    let a = shape.answer(status);
    InvalidTemplate {
        status,
        template: serde_json::from_slice(&a.body).unwrap_or_default(),
        errors_key: shape.detail_key.clone(),
    }
}

/// The detail of a `bad_params` answer: parameter name → its problems.
pub fn param_errors(problems: &[crate::params::ParamProblem]) -> Value {
    let mut map = Map::new();
    for p in problems {
        if let Value::Array(list) = map
            .entry(p.name.clone())
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            list.push(Value::String(p.message.clone()));
        }
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undocumented_statuses_reuse_the_documented_envelope() {
        let c = Contract::embedded();
        let a = envelope_shape(c).answer(StatusCode::PAYLOAD_TOO_LARGE);
        let v: Value = serde_json::from_slice(&a.body).unwrap();
        let documented = &c.operations[0].ir.response(404).unwrap().examples[0].value;
        let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&v), keys(documented));
        assert!(v.as_object().unwrap().values().any(|x| x == 413));
        assert!(v.as_object().unwrap().values().any(|x| x == "payloadTooLarge"));
        assert_eq!(lower_camel("Method Not Allowed"), "methodNotAllowed");
    }

    /// The message field is the one `x-error-envelope` names; without the marker no string
    /// is rewritten (nothing says which one is the message), the status still is.
    #[test]
    fn the_message_field_comes_from_the_marker() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
        let source = crate::contract::SPEC_SOURCE;
        let marker = source
            .lines()
            .find(|l| l.starts_with("x-error-envelope:"))
            .unwrap();
        let renamed = source.replace(
            marker,
            &marker.replace("message: message", "message: status_message"),
        );
        let c = Contract::from_source(path, renamed).unwrap();
        let v: Value =
            serde_json::from_slice(&envelope_shape(&c).answer(StatusCode::PAYLOAD_TOO_LARGE).body).unwrap();
        let obj = v.as_object().unwrap();
        // The field now named as the message carries it; the one named as the reason is gone.
        assert!(obj.values().any(|x| x == "payloadTooLarge"));
        assert!(!obj.values().any(|x| x == "Payload Too Large"), "{v}");
        let unmarked = source.replace(marker, "");
        let c = Contract::from_source(path, unmarked).unwrap();
        let v: Value =
            serde_json::from_slice(&envelope_shape(&c).answer(StatusCode::PAYLOAD_TOO_LARGE).body).unwrap();
        assert!(v.as_object().unwrap().values().any(|x| x == 413));
        assert!(
            !v.as_object().unwrap().values().any(|x| x == "payloadTooLarge"),
            "{v}"
        );
    }

    #[test]
    fn every_operation_answers_every_example_state() {
        let c = Contract::embedded();
        let shape = envelope_shape(c);
        for op in &c.operations {
            let a = operation_answers(op, &shape);
            for r in &op.ir.responses {
                for e in &r.examples {
                    let plan = e.replay.as_ref().unwrap();
                    if plan.auth.is_empty() && plan.body.is_none() && plan.samples.is_none() {
                        let answer = a.for_state(plan.state.as_str()).unwrap();
                        assert_eq!(answer.status.as_u16(), r.status, "{}", e.name);
                    }
                }
            }
            assert_eq!(a.unauthenticated.status, 401);
            assert_eq!(a.invalid.status, 417);
        }
    }
}
