//! Fixtures: which identifiers exist, and in which state.
//!
//! The default set is derived from the contract, so it follows the spec: for every resource
//! kind (`x-resource`), one identifier per state its operations' `x-replay` examples declare
//! (any name, except `missing`, which must never exist, and `unauthenticated`, which reuses the
//! success state's identifier).
//! Identifiers take the letter prefix of the path parameter's documented example
//! (`SHP000123` → `SHP`) and a fixed, zero-padded counter of the same width:
//! `SHP000001`, `SHP000002`, ... in the order the spec first uses each state.

use contract_model::spec::replay::ResourceState;
use indexmap::IndexMap;

use crate::contract::{Contract, OperationContract};

/// Resource kind → state → identifier (the shape of a profile's `fixtures:` section).
pub type Fixtures = IndexMap<String, IndexMap<ResourceState, String>>;

/// The states a default fixture is made for, in the order the operation's examples declare
/// them (every declared state but `missing`).
pub fn fixture_states(op: &OperationContract) -> Vec<ResourceState> {
    contract_model::cases::declared_states(&op.ir)
        .into_iter()
        .filter(|s| !s.is_missing())
        .cloned()
        .collect()
}

/// The default fixtures: deterministic identifiers, the same on every machine and every run.
/// The conformance runner uses the same function when it targets the embedded mock.
pub fn default_fixtures(contract: &Contract) -> Fixtures {
    let mut out = Fixtures::new();
    for resource in contract.resources() {
        let ops: Vec<&OperationContract> = contract
            .operations
            .iter()
            .filter(|o| o.ir.resource.as_deref() == Some(resource))
            .collect();
        let (prefix, width) = ops
            .iter()
            .find_map(|o| id_pattern(contract, o))
            .unwrap_or_else(|| (resource.to_ascii_uppercase(), 9));
        let mut states = IndexMap::new();
        let mut n = 0;
        for op in &ops {
            for state in fixture_states(op) {
                if !states.contains_key(&state) {
                    n += 1;
                    states.insert(state.clone(), format!("{prefix}{n:0width$}"));
                }
            }
        }
        out.insert(resource.to_string(), states);
    }
    out
}

/// Letter prefix and digit count of the first documented example of the operation's path
/// parameter (schema `examples`, else the parameter's `example`).
fn id_pattern(contract: &Contract, op: &OperationContract) -> Option<(String, usize)> {
    let param = op.ir.path_params.first()?;
    let from_schema = contract
        .spec
        .at(&param.schema_pointer)
        .and_then(|s| s.get("examples"))
        .and_then(|e| e.as_array())
        .and_then(|a| a.first())
        .and_then(|v| v.as_str());
    let example = from_schema.or_else(|| param.example.as_ref()?.as_str())?;
    let prefix: String = example.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
    let width = example.len() - prefix.len();
    (!prefix.is_empty()).then_some((prefix, width.max(1)))
}

/// Problems with a fixture set the mock cannot serve: a state no example of the resource's
/// operations answers, an identifier the path parameter schema refuses, a `missing` id that
/// is also seeded, or the same identifier named twice.
pub fn check(contract: &Contract, fixtures: &Fixtures) -> Vec<String> {
    let mut problems = Vec::new();
    let resources = contract.resources();
    for (resource, states) in fixtures {
        if !resources.contains(&resource.as_str()) {
            problems.push(format!(
                "fixtures.{resource}: unknown resource; the contract has: {}",
                resources.join(", ")
            ));
            continue;
        }
        let answered: Vec<ResourceState> = contract
            .operations
            .iter()
            .filter(|o| o.ir.resource.as_deref() == Some(resource.as_str()))
            .flat_map(fixture_states)
            .collect();
        for (state, id) in states {
            if state.is_missing() {
                continue;
            }
            let unreachable = contract
                .operations
                .iter()
                .filter(|o| o.ir.resource.as_deref() == Some(resource.as_str()))
                .filter_map(|o| o.path_params.first())
                .any(|schema| !schema.is_valid(&serde_json::Value::from(id.as_str())));
            if unreachable {
                problems.push(format!(
                    "fixtures.{resource}.{}: `{id}` is not a valid identifier for the contract, so no request could reach it",
                    state.as_str()
                ));
            }
            if !answered.contains(state) {
                problems.push(format!(
                    "fixtures.{resource}.{}: the contract documents no answer for {resource} in this state (it has: {})",
                    state.as_str(),
                    answered.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            let clash = states
                .iter()
                .find(|(s, other)| *s != state && *other == id && !s.is_missing());
            if let Some((other, _)) = clash
                && state < other
            {
                problems.push(format!(
                    "fixtures.{resource}: `{id}` is named for both {} and {}",
                    state.as_str(),
                    other.as_str()
                ));
            }
        }
        if let Some(missing) = states.get(ResourceState::MISSING)
            && let Some((s, _)) = states.iter().find(|(s, id)| !s.is_missing() && *id == missing)
        {
            problems.push(format!(
                "fixtures.{resource}.missing: `{missing}` is also the {} fixture, so it cannot be missing",
                s.as_str()
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_every_documented_state_with_valid_ids() {
        let c = Contract::embedded();
        let f = default_fixtures(c);
        assert_eq!(f.keys().collect::<Vec<_>>(), c.resources());
        for (resource, states) in &f {
            assert!(!states.contains_key(ResourceState::MISSING));
            // Every state the contract declares for the resource, but `missing`.
            let declared: Vec<&str> = c
                .states(resource)
                .into_iter()
                .filter(|s| *s != "missing")
                .collect();
            assert_eq!(
                states.keys().map(ResourceState::as_str).collect::<Vec<_>>(),
                declared
            );
            let op = c
                .operations
                .iter()
                .find(|o| o.ir.resource.as_deref() == Some(resource.as_str()))
                .unwrap();
            for id in states.values() {
                assert!(op.path_params[0].is_valid(&id.clone().into()), "{id}");
            }
        }
        assert_eq!(f, default_fixtures(c), "deterministic");
        assert!(check(c, &f).is_empty(), "{:?}", check(c, &f));
    }

    #[test]
    fn check_names_unanswerable_states_and_clashes() {
        let c = Contract::embedded();
        let mut f = default_fixtures(c);
        let (resource, states) = f.iter_mut().next().unwrap();
        let resource = resource.clone();
        let first = states[0].clone();
        states.insert(ResourceState::missing(), first);
        let problems = check(c, &f);
        assert!(
            problems
                .iter()
                .any(|p| p.starts_with(&format!("fixtures.{resource}.missing"))),
            "{problems:?}"
        );
    }
}
