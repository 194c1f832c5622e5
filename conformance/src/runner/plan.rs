//! Turns a generated [`Case`] into a concrete request for one target: the fixture id in the
//! path, the body (with `deliver_to` destinations for valid requests), the credentials, and the
//! deliveries the mock's outbox should then show. A case that cannot be planned is skipped,
//! with the reason.

use contract_model::spec::replay::ResourceState;
use serde_json::Value;

use super::destinations;
use super::target::Target;
use crate::cases::{Case, CaseAuth};
use crate::contract::Contract;

/// A request ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub method: String,
    pub url: String,
    pub body: String,
    pub auth: AuthHeader,
    /// The fixture identifier in the path.
    pub resource_id: String,
    /// `(channel, to)` the request names (valid requests only).
    pub deliveries: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthHeader {
    /// The target's token (shown as `$VAR` in reproductions).
    Token,
    None,
    /// A literal wrong token, safe to print.
    Wrong(String),
}

/// Plans `case` for `target`, or says why it is skipped.
pub fn plan(case: &Case, target: &Target, contract: &Contract) -> Result<Planned, String> {
    let Some(resource) = case.resource else {
        return Err(format!(
            "operation `{}` has no x-resource, so no fixture names its path",
            case.operation
        ));
    };
    let id = fixture_id(target, contract, case, resource)?;
    let op = contract
        .operation(case.operation)
        .ok_or_else(|| format!("operation `{}` is not in the embedded contract", case.operation))?;
    let path = op.path_for(&[id.as_str()]);
    let mut body: Value =
        serde_json::from_str(case.body).map_err(|e| format!("the generated body is not JSON: {e}"))?;
    let mut deliveries = Vec::new();
    if case.is_valid_request() {
        if let Some(to) = &target.deliver_to {
            destinations::redirect(&op.destinations, &mut body, to)?;
        }
        deliveries = destinations::named(&op.destinations, &body);
    }
    // Invalid samples go out byte for byte; valid ones may have been rewritten above.
    let body_text = if case.is_valid_request() {
        serde_json::to_string(&body).unwrap_or_default()
    } else {
        case.body.trim().to_string()
    };
    Ok(Planned {
        method: case.method.to_string(),
        url: format!("{}{}", target.base_url.trim_end_matches('/'), path),
        body: body_text,
        auth: match case.auth {
            CaseAuth::Token => AuthHeader::Token,
            CaseAuth::None => AuthHeader::None,
            CaseAuth::Wrong => AuthHeader::Wrong(target.wrong_token()),
        },
        resource_id: id,
        deliveries,
    })
}

fn fixture_id(target: &Target, contract: &Contract, case: &Case, resource: &str) -> Result<String, String> {
    if let Some(id) = target.fixtures.get(resource).and_then(|m| m.get(&case.fixture)) {
        return Ok(id.clone());
    }
    if case.fixture == ResourceState::Missing {
        return missing_id(target, contract, case, resource);
    }
    Err(format!(
        "no `{}` fixture for {resource} (set fixtures.{resource}.{} in the profile)",
        case.fixture.as_str(),
        case.fixture.as_str()
    ))
}

/// An identifier no fixture uses that still passes the path parameter's schema, so the
/// server answers "not found" rather than "invalid".
fn missing_id(target: &Target, contract: &Contract, case: &Case, resource: &str) -> Result<String, String> {
    let op = contract.operation(case.operation).ok_or("unknown operation")?;
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
    Err(format!(
        "no `missing` fixture for {resource}, and no free identifier matches the path parameter's schema"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::CASES;

    #[test]
    fn a_missing_id_is_generated_when_the_profile_names_none() {
        let contract = Contract::embedded();
        let case = CASES
            .iter()
            .find(|c| c.fixture == ResourceState::Missing)
            .unwrap();
        let mut target = Target::new("http://127.0.0.1:1", "t");
        let p = plan(case, &target, contract).unwrap();
        let op = contract.operation(case.operation).unwrap();
        assert!(op.path_params[0].is_valid(&Value::String(p.resource_id.clone())));
        // It avoids every identifier the profile does name.
        target
            .fixtures
            .entry(case.resource.unwrap().to_string())
            .or_default()
            .insert(ResourceState::Open, p.resource_id.clone());
        assert_ne!(plan(case, &target, contract).unwrap().resource_id, p.resource_id);
        // Other states are skipped with the key to set.
        let paid = CASES.iter().find(|c| c.fixture == ResourceState::Paid).unwrap();
        assert!(
            plan(paid, &target, contract)
                .unwrap_err()
                .contains("fixtures.orders.paid")
        );
    }
}
