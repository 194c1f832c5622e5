//! The server a run talks to: its base URL, its token (never printed), its fixtures, where
//! live messages may go, and the addresses its host name was checked at.
//!
//! "Is this target on this machine?" is decided on the addresses the host resolves to (every
//! one must be loopback), never on the name; the run's client then connects only to those
//! addresses, so a second lookup cannot send it elsewhere.

use std::net::{SocketAddr, ToSocketAddrs};

use contract_model::spec::replay::ResourceState;
use indexmap::IndexMap;

use crate::contract::Contract;
use crate::profile::{DeliverTo, Profile};

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
    /// The addresses the host resolved to when the target was checked (see [`Target::resolve`]);
    /// the run connects to these only. Empty until resolved.
    pub addrs: Vec<SocketAddr>,
}

/// Looks up the addresses of a host. Injectable, so tests can map a name without `/etc/hosts`.
pub trait Resolve: Send + Sync {
    fn resolve(&self, host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>>;
}

/// The system's resolver (`getaddrinfo`).
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
        Ok((host, port).to_socket_addrs()?.collect())
    }
}

impl<F> Resolve for F
where
    F: Fn(&str, u16) -> std::io::Result<Vec<SocketAddr>> + Send + Sync,
{
    fn resolve(&self, host: &str, port: u16) -> std::io::Result<Vec<SocketAddr>> {
        self(host, port)
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("base_url", &self.base_url)
            .field("token", &"<redacted>")
            .field("token_env", &self.token_env)
            .field("fixtures", &self.fixtures)
            .field("deliver_to", &self.deliver_to)
            .field("addrs", &self.addrs)
            .finish()
    }
}

impl Target {
    pub fn new(base_url: impl Into<String>, token: impl Into<String>) -> Target {
        Target {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            token: token.into(),
            // The embedded contract's variable; a profile or the CLI may name another.
            token_env: Contract::embedded().token_env.clone(),
            fixtures: IndexMap::new(),
            deliver_to: None,
            addrs: Vec::new(),
        }
    }

    /// A target from a profile, the token already read from `token_env`.
    pub fn from_profile(p: &Profile, token: String) -> Target {
        Target {
            token_env: p.token_env().to_string(),
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

    /// True when every address the host resolved to is on this machine (127.0.0.0/8, ::1):
    /// no real customer can be messaged there. False before [`Target::resolve`] for a name.
    pub fn is_loopback(&self) -> bool {
        !self.addrs.is_empty() && self.addrs.iter().all(|a| a.ip().to_canonical().is_loopback())
    }

    /// The host name to pin to [`Target::addrs`] in the HTTP client (`None` for an IP literal,
    /// which needs no lookup).
    pub fn host_name(&self) -> Option<String> {
        let u = url::Url::parse(&self.base_url).ok()?;
        match u.host()? {
            url::Host::Domain(d) => Some(d.to_string()),
            _ => None,
        }
    }

    /// Resolves the host once and records its addresses; an IP literal is its own address.
    pub fn resolve(&mut self, resolver: &dyn Resolve) -> Result<(), String> {
        let u = url::Url::parse(&self.base_url).map_err(|e| format!("{}: not a URL ({e})", self.base_url))?;
        let port = u
            .port_or_known_default()
            .ok_or_else(|| format!("{}: no port", self.base_url))?;
        self.addrs = match u.host() {
            Some(url::Host::Ipv4(ip)) => vec![SocketAddr::from((ip, port))],
            Some(url::Host::Ipv6(ip)) => vec![SocketAddr::from((ip, port))],
            Some(url::Host::Domain(d)) => {
                let addrs = resolver
                    .resolve(d, port)
                    .map_err(|e| format!("cannot resolve {d}: {e}"))?;
                if addrs.is_empty() {
                    return Err(format!("cannot resolve {d}: no address"));
                }
                addrs
            }
            None => return Err(format!("{}: no host", self.base_url)),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolved(url: &str, addrs: &[&str]) -> Target {
        let addrs: Vec<SocketAddr> = addrs.iter().map(|a| a.parse().unwrap()).collect();
        let mut t = Target::new(url, "t");
        t.resolve(&move |_: &str, _: u16| Ok(addrs.clone())).unwrap();
        t
    }

    #[test]
    fn loopback_is_decided_on_addresses() {
        for (u, a) in [
            ("http://127.0.0.1:8080", &[][..]),
            ("http://127.3.4.5", &[]),
            ("http://[::1]:9", &[]),
            ("http://localhost:1/x", &["127.0.0.1:1", "[::1]:1"]),
            ("http://api.example:1", &["[::ffff:127.0.0.1]:1"]),
        ] {
            assert!(resolved(u, a).is_loopback(), "{u}");
        }
        for (u, a) in [
            ("https://demo-api.frontpayment.no", &["192.0.2.7:443"][..]),
            ("http://10.0.0.1", &[]),
            ("http://api.localhost:1", &["10.0.0.1:1"]),
            ("http://api.localhost:1", &["127.0.0.1:1", "10.0.0.1:1"]),
        ] {
            assert!(!resolved(u, a).is_loopback(), "{u} {a:?}");
        }
        // Unresolved names are never taken for loopback.
        assert!(!Target::new("http://localhost:1", "t").is_loopback());
        let mut t = Target::new("http://nowhere.example:1", "t");
        assert!(t.resolve(&|_: &str, _: u16| Ok(vec![])).is_err());
    }

    #[test]
    fn wrong_token_differs() {
        let t = Target::new("http://x", "conformance-wrong-token");
        assert_ne!(t.wrong_token(), t.token);
    }
}
