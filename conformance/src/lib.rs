//! The conformance toolkit for the frontpay contract.
//!
//! - [`contract`]: the spec embedded at build time, with compiled validators.
//! - [`profile`]: the YAML target profile shared by the runner and the mock.
//! - [`mock`]: the embedded, stateful mock server.
//! - [`cli`]: the `conformance` subcommands.

pub mod cli;
pub mod contract;
pub mod mock;
pub mod profile;
pub mod validate;
