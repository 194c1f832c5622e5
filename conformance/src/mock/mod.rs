//! The embedded, stateful mock server.
//!
//! It serves the operations of the contract in its [`MockConfig`] (the embedded one unless a
//! test names another): routes, validation and answers all come from it (see [`answers`] and
//! [`payload`]). It keeps a store of resources in fixed states ([`fixtures`]) and records every
//! link it "sends", one per `x-destination` channel a request names, in a bounded outbox
//! ([`outbox`]).
//!
//! Order of checks (first match answers):
//!
//! | check | status |
//! |---|---|
//! | unknown route / wrong method | 404 / 405 with `Allow` |
//! | body over [`BODY_LIMIT`] (or not received within [`BODY_TIMEOUT`] s) | 413 (408); the rest of a refused body is read and discarded first (at most [`DRAIN_LIMIT`] within [`DRAIN_TIME`]) so clients that write before reading see the 413 |
//! | missing or wrong bearer token | 401 |
//! | query, header or cookie parameter missing (required) or refused by its schema | 400 (422 when only that is documented), per-parameter messages in the envelope's detail |
//! | content type, JSON syntax, request schema | 417, per-field messages in `errors` |
//! | identifier unknown (or not a valid identifier) | the `missing` example, else 404 |
//! | resource in a state the spec declares | that state's example (a success also records one outbox entry per channel) |
//!
//! Admin routes (the mock's bearer token required, else 401): `GET /__mock/outbox`
//! (`{capacity, dropped, deliveries}`), `DELETE /__mock/outbox` (204), `GET /__mock/fixtures`
//! (resource → state → id).

pub mod answers;
mod drain;
pub mod fixtures;
pub mod outbox;
pub mod payload;
mod server;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use contract_model::spec::replay::ResourceState;
use indexmap::IndexMap;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::contract::Contract;
pub use drain::{DRAIN_LIMIT, DRAIN_TIME};
pub use fixtures::{Fixtures, default_fixtures};
pub use server::{FIXTURES_PATH, OUTBOX_PATH};

/// The token the mock accepts when neither `--token` nor the token variable (the spec's
/// `x-token-env`, or the profile's `token_env`) is set.
pub const DEFAULT_TOKEN: &str = "mock-token";
/// The outbox keeps this many deliveries unless configured otherwise.
pub const DEFAULT_OUTBOX_CAPACITY: usize = 1000;
/// Largest request body accepted, in bytes (64 KiB); larger ones get 413.
pub const BODY_LIMIT: usize = 64 * 1024;
/// Seconds a client has to send its whole body before it gets 408.
pub const BODY_TIMEOUT: u64 = 10;
/// Default time a client has to send a request's headers, and the longest a connection stays
/// open idle between requests; then the mock closes it.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone)]
pub struct MockConfig {
    /// What the mock serves: the embedded contract unless a test or `--spec` names another.
    pub contract: &'static Contract,
    pub addr: SocketAddr,
    pub token: String,
    /// Resource kind → state → identifier (the `fixtures:` section of a profile).
    pub fixtures: IndexMap<String, IndexMap<ResourceState, String>>,
    /// Most deliveries the outbox keeps; older ones are dropped and counted.
    pub outbox_capacity: usize,
    /// Time allowed for a request's headers, and for an idle connection (see
    /// [`DEFAULT_HEADER_TIMEOUT`]).
    pub header_timeout: Duration,
}

impl std::fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockConfig")
            .field("contract", &self.contract.spec.file())
            .field("addr", &self.addr)
            .field("token", &"<redacted>")
            .field("fixtures", &self.fixtures)
            .field("outbox_capacity", &self.outbox_capacity)
            .field("header_timeout", &self.header_timeout)
            .finish()
    }
}

impl MockConfig {
    /// Loopback on a free port, the default token, the default fixtures and outbox size.
    pub fn from_contract_defaults() -> MockConfig {
        MockConfig::for_contract(Contract::embedded())
    }

    /// The defaults for another contract (its own fixtures).
    pub fn for_contract(contract: &'static Contract) -> MockConfig {
        MockConfig {
            contract,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            token: DEFAULT_TOKEN.to_string(),
            fixtures: default_fixtures(contract),
            outbox_capacity: DEFAULT_OUTBOX_CAPACITY,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
        }
    }

    /// Problems that would make the mock serve something other than what was asked: fixture
    /// states the contract has no answer for, clashing identifiers, an empty token.
    pub fn problems(&self) -> Vec<String> {
        let mut out = fixtures::check(self.contract, &self.fixtures);
        if self.token.is_empty() {
            out.push("the token is empty".to_string());
        }
        out
    }
}

/// A running mock; dropping it does not stop it, call [`MockHandle::shutdown`].
pub struct MockHandle {
    pub url: String,
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl MockHandle {
    /// Stops accepting connections and lets in-flight requests finish (for at most 5 s).
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(5), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}

/// The mock's routes as an axum router (for embedding, and for tests that wrap it in a
/// fault-injecting layer to build deliberately broken servers).
///
/// Fixture entries that [`MockConfig::problems`] reports are left out of the store;
/// [`start`] refuses such a config instead.
pub fn app(config: &MockConfig) -> axum::Router {
    let mock = Arc::new(server::Mock::new(config));
    axum::Router::new().fallback(server::handle).with_state(mock)
}

/// Starts the mock in the background on the current tokio runtime.
pub async fn start(config: MockConfig) -> anyhow::Result<MockHandle> {
    let problems = config.problems();
    if !problems.is_empty() {
        anyhow::bail!("cannot serve these fixtures:\n  {}", problems.join("\n  "));
    }
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    let mock = Arc::new(server::Mock::new(&config));
    let (stop, stopped) = oneshot::channel::<()>();
    let header_timeout = config.header_timeout;
    let stop_when = async move {
        // A dropped handle leaves the server running (see `MockHandle`).
        if stopped.await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let task = tokio::spawn(crate::listen::serve(
        listener,
        header_timeout,
        stop_when,
        move || {
            let mock = mock.clone();
            move |req: http::Request<hyper::body::Incoming>| {
                let mock = mock.clone();
                async move { server::respond(&mock, req.map(axum::body::Body::new)).await }
            }
        },
    ));
    Ok(MockHandle {
        url: format!("http://{addr}"),
        addr,
        stop,
        task,
    })
}
