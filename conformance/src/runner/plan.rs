//! Turns a generated [`Case`] into a concrete request for one target: the fixture id in the
//! path, the body (with `deliver_to` destinations for valid requests), the credentials, and the
//! deliveries the mock's outbox should then show. A case that cannot be planned is skipped,
//! with the reason.

use contract_model::ir::PathParamIr;
use contract_model::ir::params::Location;
use serde_json::Value;

use super::destinations;
use super::target::Target;
use crate::cases::{Case, CaseAuth, Source};
use crate::contract::{Contract, OperationContract};

/// A request ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub method: String,
    pub url: String,
    /// The media type of `body`; `None` when the operation takes no body (nothing is sent).
    pub content_type: Option<String>,
    pub body: String,
    pub auth: AuthHeader,
    /// The fixture identifier in the path (empty when the operation names no resource).
    pub resource_id: String,
    /// `(channel, to)` the request names (valid requests only).
    pub deliveries: Vec<(String, String)>,
    /// Header and cookie parameters: (name, value, personal data: never shown).
    pub headers: Vec<(String, String, bool)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthHeader {
    /// The target's token (shown as `$VAR` in reproductions).
    Token,
    None,
    /// A literal wrong token, safe to print.
    Wrong(String),
}

/// Plans `case` for `target`, or says why it is skipped. The first path parameter of an
/// operation with an `x-resource` is the fixture in the case's state; every other parameter
/// (path, query, header, cookie) gets its documented example (see [`crate::params::example`]),
/// written in its style.
pub fn plan(case: &Case, target: &Target, contract: &Contract) -> Result<Planned, String> {
    let op = contract
        .operation(&case.operation)
        .ok_or_else(|| format!("operation `{}` is not in the contract", case.operation))?;
    let mut values = Vec::with_capacity(op.ir.path_params.len());
    let mut id = String::new();
    for (i, param) in op.ir.path_params.iter().enumerate() {
        let value = match (i, case.resource.as_deref()) {
            (0, Some(resource)) => Value::String(fixture_id(target, contract, case, resource)?),
            (0, None) if case.fixture.is_missing() => Value::String(missing_id(target, op)?),
            _ => param_example(contract, op, param).ok_or_else(|| {
                format!(
                    "path parameter `{}` of `{}` has no documented example to send",
                    param.name, case.operation
                )
            })?,
        };
        if i == 0 {
            id = match &value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
        }
        values.push(value);
    }
    let mut path = op.path_for_values(&values);
    let examples: Vec<(String, Value)> = op
        .params
        .iter()
        .filter_map(|p| Some((p.ir.name.clone(), crate::params::example(&contract.spec, &p.ir)?)))
        .collect();
    let written = crate::params::write(&op.params, &examples)?;
    for q in &written.query {
        path.push(if path.contains('?') { '&' } else { '?' });
        path.push_str(q);
    }
    let mut deliveries = Vec::new();
    // Invalid samples go out byte for byte; valid ones may be rewritten for `deliver_to`.
    let body_text = match case.source {
        Source::Empty => String::new(),
        Source::Example(_) => {
            let mut body: Value = serde_json::from_str(&case.body)
                .map_err(|e| format!("the generated body is not JSON: {e}"))?;
            if let Some(to) = &target.deliver_to {
                destinations::redirect(&op.destinations, &mut body, to)?;
            }
            deliveries = destinations::named(&op.destinations, &body);
            serde_json::to_string(&body).unwrap_or_default()
        }
        Source::Literal | Source::Sample(_) => case.body.trim().to_string(),
    };
    let content_type = match (&case.source, &op.ir.request) {
        (Source::Empty, _) => None,
        (_, Some(r)) => Some(r.content_type.clone()),
        (_, None) => Some("application/json".to_string()),
    };
    Ok(Planned {
        method: case.method.to_string(),
        url: format!("{}{}", target.base_url.trim_end_matches('/'), path),
        content_type,
        body: body_text,
        auth: match case.auth {
            CaseAuth::Token => AuthHeader::Token,
            CaseAuth::None => AuthHeader::None,
            CaseAuth::Wrong => AuthHeader::Wrong(target.wrong_token()),
        },
        resource_id: id,
        deliveries,
        headers: written.headers,
    })
}

/// A path parameter's documented example (see [`crate::params::example`]).
fn param_example(contract: &Contract, op: &OperationContract, param: &PathParamIr) -> Option<Value> {
    let ir = op
        .params
        .iter()
        .find(|p| p.ir.location == Location::Path && p.ir.name == param.name)?;
    crate::params::example(&contract.spec, &ir.ir)
}

fn fixture_id(target: &Target, contract: &Contract, case: &Case, resource: &str) -> Result<String, String> {
    if let Some(id) = target.fixtures.get(resource).and_then(|m| m.get(&case.fixture)) {
        return Ok(id.clone());
    }
    if case.fixture.is_missing() {
        let op = contract.operation(&case.operation).ok_or("unknown operation")?;
        return missing_id(target, op).map_err(|e| format!("no `missing` fixture for {resource}, and {e}"));
    }
    Err(format!(
        "no `{state}` fixture for {resource} (set fixtures.{resource}.{state} in the profile)",
        state = case.fixture
    ))
}

/// An identifier no fixture uses that still passes the path parameter's schema, so the
/// server answers "not found" rather than "invalid".
fn missing_id(target: &Target, op: &OperationContract) -> Result<String, String> {
    let known: Vec<&String> = target.fixtures.values().flat_map(|m| m.values()).collect();
    let prefix: String = op
        .ir
        .path_params
        .first()
        .and_then(|p| p.example.as_ref())
        .and_then(Value::as_str)
        .map(|e| e.chars().take_while(|c| c.is_ascii_alphabetic()).collect())
        .unwrap_or_default();
    for n in 0..100u32 {
        let candidate = format!("{prefix}{:09}", 990_000_000 + n);
        let valid = op
            .path_params
            .first()
            .is_none_or(|s| s.is_valid(&Value::String(candidate.clone())));
        if valid && !known.contains(&&candidate) {
            return Ok(candidate);
        }
    }
    Err("no free identifier matches the path parameter's schema".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::ResourceState;

    #[test]
    fn a_missing_id_is_generated_when_the_profile_names_none() {
        let contract = Contract::embedded();
        let case = crate::cases::embedded()
            .iter()
            .find(|c| c.fixture.is_missing())
            .unwrap();
        let mut target = Target::new("http://127.0.0.1:1", "t");
        let p = plan(case, &target, contract).unwrap();
        let op = contract.operation(&case.operation).unwrap();
        assert!(op.path_params[0].is_valid(&Value::String(p.resource_id.clone())));
        // It avoids every identifier the profile does name.
        target
            .fixtures
            .entry(case.resource.clone().unwrap())
            .or_default()
            .insert(ResourceState::new("open").unwrap(), p.resource_id.clone());
        assert_ne!(plan(case, &target, contract).unwrap().resource_id, p.resource_id);
        // Other states are skipped with the key to set.
        let paid = crate::cases::embedded()
            .iter()
            .find(|c| c.fixture.as_str() == "paid" && c.resource.as_deref() == Some("orders"))
            .unwrap();
        assert!(
            plan(paid, &target, contract)
                .unwrap_err()
                .contains("fixtures.orders.paid")
        );
    }
}
