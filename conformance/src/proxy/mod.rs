//! The validating proxy: forwards every request unchanged to a target and checks each
//! exchange against the contract on the way back.
//!
//! - [`check`]: the checks on one exchange (shared with `check-har`);
//! - [`redact`]: what never leaves the proxy (the token, `x-pii` values);
//! - [`tally`]: the per-operation account that becomes the report;
//! - [`server`]: the forwarding itself: bounded body capture, timeouts, 502/504;
//! - [`upstream`]: one connection to the target per client connection.

pub mod check;
pub mod redact;
pub mod server;
pub mod tally;
pub mod upstream;

pub use check::{Captured, Checked, Checker, Exchange, Side, Violation, header_map};
pub use server::{ProxyConfig, ProxyHandle, start};
pub use tally::Tally;

/// The response header the proxy adds when an exchange broke the contract: the number of
/// violations. It is the proxy's own protocol, not part of the contract.
pub const VIOLATIONS_HEADER: &str = "x-contract-violations";
/// Bodies up to this many bytes are validated; longer ones are forwarded unvalidated.
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// Seconds the target has to answer (and the client to send its body).
pub const DEFAULT_TIMEOUT_SECS: u64 = 30;
