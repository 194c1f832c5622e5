//! The embedded, stateful mock server (see issue 4). Not built yet: this module fixes the
//! interface the runner and the CLI use.

use std::net::SocketAddr;

use codegen::spec::replay::ResourceState;
use indexmap::IndexMap;

/// The token the mock accepts when neither `--token` nor `FRONTPAYMENT_TOKEN` is set.
pub const DEFAULT_TOKEN: &str = "mock-token";

#[derive(Debug, Clone)]
pub struct MockConfig {
    pub addr: SocketAddr,
    pub token: String,
    /// Resource kind → state → identifier (the `fixtures:` section of a profile).
    pub fixtures: IndexMap<String, IndexMap<ResourceState, String>>,
    /// Most deliveries the outbox keeps; older ones are dropped and counted.
    pub outbox_capacity: usize,
}

/// A running mock; dropping it does not stop it, call [`MockHandle::shutdown`].
pub struct MockHandle {
    pub url: String,
}

impl MockHandle {
    pub async fn shutdown(self) {}
}

/// The mock's routes as an axum router (for embedding, and for tests that wrap it in a
/// fault-injecting layer to build deliberately broken servers).
pub fn app(_config: &MockConfig) -> axum::Router {
    axum::Router::new()
}

/// Starts the mock in the background on the current tokio runtime.
pub async fn start(_config: MockConfig) -> anyhow::Result<MockHandle> {
    anyhow::bail!("the mock server is not built yet")
}
