//! The conformance toolkit for the frontpay contract.
//!
//! - [`contract`]: the spec embedded at build time, with compiled validators.
//! - [`markers`]: what the spec's `x-` markers say (channels, token variable, rate limits).
//! - [`profile`]: the YAML target profile shared by the runner and the mock.
//! - [`mock`]: the embedded, stateful mock server.
//! - [`params`]: query, header, cookie and path parameters: examples to send, checks.
//! - [`cases`]: the case table generated from the spec at build time.
//! - [`runner`]: replays the cases against a target; [`report`] renders the outcome.
//! - [`validate`]: checks one JSON document against the contract.
//! - [`proxy`]: the validating proxy and the checks it runs on each exchange; [`har`]
//!   records and reads HAR files of that traffic.
//! - [`cli`]: the `conformance` subcommands.

pub mod cases;
pub mod cli;
pub mod contract;
pub mod excerpt;
pub mod har;
pub mod listen;
pub mod markers;
pub mod mock;
pub mod params;
pub mod prebuilt;
pub mod profile;
pub mod proxy;
pub mod report;
pub mod runner;
pub mod validate;
