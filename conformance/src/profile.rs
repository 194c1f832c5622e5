//! The target profile: a YAML file naming a server, where its token comes from, which
//! identifiers are in which state, and where live messages may be delivered.
//!
//! ```yaml
//! base_url: https://api.example.com
//! token_env: API_TOKEN             # optional (default: the spec's `x-token-env`); never the token itself
//! fixtures:                        # x-resource kind → state the spec declares → identifier
//!   shipments: {inTransit: SHP1, delivered: SHP2, missing: SHP9}
//! deliver_to: {phone: "+4740000000"}
//! ```
//!
//! `fixtures` keys are the operations' `x-resource` kinds and the states their `x-replay`
//! plans declare; `deliver_to` is keyed by the request properties the spec marks
//! `x-destination`.
//!
//! `conformance run` and `conformance mock` read the same file: the runner uses all of it; the
//! mock seeds its store from `fixtures` (never creating `missing` ids) and ignores the rest.
//! The key names are stable: other tooling writes these files.

use std::fmt;
use std::path::{Path, PathBuf};

use contract_model::spec::replay::ResourceState;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::contract::Contract;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub base_url: String,
    /// The variable holding the bearer token; [`Profile::parse`] fills in the contract's
    /// `x-token-env` when the file names none.
    #[serde(default)]
    pub token_env: Option<String>,
    /// Resource kind (`x-resource` of an operation) → state → identifier.
    #[serde(default)]
    pub fixtures: IndexMap<String, IndexMap<ResourceState, String>>,
    pub deliver_to: Option<DeliverTo>,
}

/// Where valid requests send messages when the target is a live server: request property
/// (one the spec marks `x-destination`) → the value to send in it.
pub type DeliverTo = IndexMap<String, String>;

/// A profile that cannot be used: names the file, the key and (when known) the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileError {
    pub file: PathBuf,
    /// Dotted path of the offending key, e.g. `fixtures.shipments.opne`; empty for the whole file.
    pub key: String,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "profile {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": `{}`", self.key)?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ProfileError {}

impl Profile {
    /// Reads and checks a profile against the contract: fixture sections are its `x-resource`
    /// kinds, `deliver_to` keys its `x-destination` properties.
    pub fn load(path: &Path, contract: &Contract) -> Result<Profile, ProfileError> {
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError {
            file: path.to_path_buf(),
            key: String::new(),
            line: None,
            message: format!("cannot read it: {e}"),
        })?;
        Profile::parse(path, &text, contract)
    }

    pub fn parse(path: &Path, text: &str, contract: &Contract) -> Result<Profile, ProfileError> {
        let resources = contract.resources();
        let err = |key: String, line: Option<usize>, message: String| ProfileError {
            file: path.to_path_buf(),
            key,
            line,
            message,
        };
        let de = contract_model::spec::yaml::deserializer(text)
            .map_err(|e| err(String::new(), Some(e.line), format!("{e} (column {})", e.column)))?;
        let mut profile: Profile = serde_path_to_error::deserialize(de).map_err(|e| {
            let key = e.path().to_string();
            let inner = e.into_inner();
            let line = inner.location().map(|l| l.line());
            // Unknown map keys show up as a trailing `?` segment: the message names them.
            let key = key.trim_end_matches(".?").trim_end_matches('?').to_string();
            let key = if key == "." { String::new() } else { key };
            err(key, line, inner.to_string())
        })?;
        let base = url::Url::parse(&profile.base_url)
            .map_err(|e| err("base_url".into(), None, format!("not a URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(err(
                "base_url".into(),
                None,
                "must be an http:// or https:// URL".into(),
            ));
        }
        for (resource, states) in &profile.fixtures {
            if !resources.contains(&resource.as_str()) {
                return Err(err(
                    format!("fixtures.{resource}"),
                    None,
                    format!("unknown resource; the contract has: {}", resources.join(", ")),
                ));
            }
            let declared = contract.states(resource);
            for (state, id) in states {
                if state.is_unauthenticated() {
                    return Err(err(
                        format!("fixtures.{resource}.unauthenticated"),
                        None,
                        "not a fixture: unauthenticated cases use the identifier of the operation's success state".into(),
                    ));
                }
                if !declared.contains(&state.as_str()) {
                    return Err(err(
                        format!("fixtures.{resource}.{state}"),
                        None,
                        format!(
                            "unknown state; the contract declares for {resource}: {}",
                            declared.join(", ")
                        ),
                    ));
                }
                if id.trim().is_empty() {
                    return Err(err(
                        format!("fixtures.{resource}.{}", state.as_str()),
                        None,
                        "empty identifier".into(),
                    ));
                }
            }
        }
        let fields = contract.destination_fields();
        for key in profile.deliver_to.iter().flat_map(|d| d.keys()) {
            if !fields.contains(&key.as_str()) {
                return Err(err(
                    format!("deliver_to.{key}"),
                    None,
                    format!(
                        "not a destination field; the contract's are: {}",
                        if fields.is_empty() {
                            "none".to_string()
                        } else {
                            fields.join(", ")
                        }
                    ),
                ));
            }
        }
        match &profile.token_env {
            Some(t) if t.is_empty() => {
                return Err(err(
                    "token_env".into(),
                    None,
                    "names no environment variable".into(),
                ));
            }
            Some(_) => {}
            None => profile.token_env = Some(contract.token_env.clone()),
        }
        Ok(profile)
    }

    /// The variable holding the bearer token (the contract's when the file names none).
    pub fn token_env(&self) -> &str {
        self.token_env.as_deref().unwrap_or_default()
    }

    /// The identifier of `resource` in `state`, if the profile names one.
    pub fn fixture(&self, resource: &str, state: &str) -> Option<&str> {
        self.fixtures.get(resource)?.get(state).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn res() -> &'static Contract {
        Contract::embedded()
    }

    #[test]
    fn full_profile_parses() {
        let p = Profile::parse(
            Path::new("p.yaml"),
            "base_url: https://demo-api.frontpayment.no\ntoken_env: T\nfixtures:\n  orders: {open: ODR1, missing: ODR9}\ndeliver_to: {email: qa@example.com}\n",
            res(),
        )
        .unwrap();
        assert_eq!(p.fixture("orders", "open"), Some("ODR1"));
        assert_eq!(p.fixture("orders", "paid"), None);
        assert_eq!(p.token_env(), "T");
    }

    #[test]
    fn errors_name_the_key() {
        let e = Profile::parse(
            Path::new("p.yaml"),
            "base_url: http://x\nfixtures:\n  orders: {opne: ODR1}\n",
            res(),
        )
        .unwrap_err();
        assert_eq!(e.key, "fixtures.orders.opne");
        // The message lists the states the contract declares for the resource.
        let declared = res().states("orders");
        assert!(
            declared.contains(&"open") && declared.contains(&"missing"),
            "{declared:?}"
        );
        assert!(e.message.contains(&declared.join(", ")), "{e}");
        let e = Profile::parse(
            Path::new("p.yaml"),
            "base_url: http://x\nfixtures:\n  orders: {'no state': ODR1}\n",
            res(),
        )
        .unwrap_err();
        assert!(e.message.contains("not a state name"), "{e}");
        let e = Profile::parse(Path::new("p.yaml"), "base_url: http://x\ntoken: abc\n", res()).unwrap_err();
        assert!(e.message.contains("unknown field `token`"), "{e}");
        let e = Profile::parse(
            Path::new("p.yaml"),
            "base_url: http://x\nfixtures: {invoices: {open: A}}\n",
            res(),
        )
        .unwrap_err();
        assert_eq!(e.key, "fixtures.invoices");
        let e = Profile::parse(Path::new("p.yaml"), "fixtures: {}\n", res()).unwrap_err();
        assert!(e.message.contains("base_url"), "{e}");
    }

    #[test]
    fn deliver_to_keys_are_the_contracts_destination_fields() {
        let ok = Profile::parse(
            Path::new("p.yaml"),
            "base_url: http://x\ndeliver_to: {email: qa@example.com, countryCode: '+47', msisdn: '40000000'}\n",
            res(),
        )
        .unwrap();
        assert_eq!(ok.deliver_to.unwrap()["countryCode"], "+47");
        // No `token_env`: the contract's `x-token-env`.
        assert_eq!(ok.token_env.as_deref(), Some(res().token_env.as_str()));
        let e = Profile::parse(
            Path::new("p.yaml"),
            "base_url: http://x\ndeliver_to: {country_code: '+47'}\n",
            res(),
        )
        .unwrap_err();
        assert_eq!(e.key, "deliver_to.country_code");
        assert!(e.message.contains("email") && e.message.contains("msisdn"), "{e}");
    }

    #[test]
    fn deep_nesting_is_refused_with_its_line() {
        for n in [40_000, 100_000] {
            let text = format!(
                "base_url: http://x
fixtures: {}{}
",
                "[".repeat(n),
                "]".repeat(n)
            );
            let e = Profile::parse(Path::new("p.yaml"), &text, res()).unwrap_err();
            assert_eq!(e.line, Some(2), "{e}");
            assert!(e.message.contains("nested deeper than"), "{e}");
        }
    }
}
