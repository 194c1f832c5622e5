//! The server a run talks to: its base URL, its token (never printed), its fixtures and
//! where live messages may go.

use contract_model::spec::replay::ResourceState;
use indexmap::IndexMap;

use crate::profile::{DEFAULT_TOKEN_ENV, DeliverTo, Profile};

#[derive(Clone)]
pub struct Target {
    pub base_url: String,
    /// The bearer token. Never printed: reproductions show `$token_env`.
    pub token: String,
    /// The variable the token comes from, shown in `curl` reproductions.
    pub token_env: String,
    /// Resource kind → state → identifier.
    pub fixtures: IndexMap<String, IndexMap<ResourceState, String>>,
    pub deliver_to: Option<DeliverTo>,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("token_env", &self.token_env)
            .field("fixtures", &self.fixtures)
            .field("deliver_to", &self.deliver_to)
            .finish()
    }
}

impl Target {
    pub fn new(base_url: impl Into<String>, token: impl Into<String>) -> Target {
        Target {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            token: token.into(),
            token_env: DEFAULT_TOKEN_ENV.to_string(),
            fixtures: IndexMap::new(),
            deliver_to: None,
        }
    }

    /// A target from a profile, the token already read from `token_env`.
    pub fn from_profile(p: &Profile, token: String) -> Target {
        Target {
            token_env: p.token_env.clone(),
            fixtures: p.fixtures.clone(),
            deliver_to: p.deliver_to.clone(),
            ..Target::new(p.base_url.clone(), token)
        }
    }

    /// A bearer token that cannot be the real one (and so is safe to print).
    pub fn wrong_token(&self) -> String {
        let mut t = "conformance-wrong-token".to_string();
        while t == self.token {
            t.push('x');
        }
        t
    }

    /// True when the host is this machine (127.0.0.0/8, ::1, localhost): no real customer
    /// can be messaged there.
    pub fn is_loopback(&self) -> bool {
        is_loopback_url(&self.base_url)
    }
}

pub fn is_loopback_url(url: &str) -> bool {
    let Ok(u) = url::Url::parse(url) else { return false };
    match u.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_is_recognised() {
        for u in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://[::1]:9",
            "http://localhost:1/x",
        ] {
            assert!(is_loopback_url(u), "{u}");
        }
        for u in [
            "https://demo-api.frontpayment.no",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "nonsense",
        ] {
            assert!(!is_loopback_url(u), "{u}");
        }
    }

    #[test]
    fn wrong_token_differs() {
        let t = Target::new("http://x", "conformance-wrong-token");
        assert_ne!(t.wrong_token(), t.token);
    }
}
