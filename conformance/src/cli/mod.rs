//! The `conformance` subcommands: argument parsing and output; the work is in the library.

pub mod check_har;
pub mod mock;
pub mod proxy;
pub mod run;
pub mod validate;
