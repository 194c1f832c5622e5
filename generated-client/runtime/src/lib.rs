//! The run-time part of clients generated from an OpenAPI contract by `codegen`.
//!
//! Generated code is short because everything that does not depend on the contract lives
//! here, written by hand and tested as Rust:
//!
//! - [`ClientBuilder`] and [`Client`]: base URL, bearer token (never printed), timeout per
//!   request, user agent; [`Client::send`] sends one request in a `tracing` span, once.
//! - [`RawResponse`] and [`ResponseValue`]: a response's status and headers with its body,
//!   raw or decoded.
//! - [`Error`]: the failures every operation shares (no response, a body that does not
//!   decode, a status the contract does not document), each keeping what arrived.
//! - [`encode`]: path segments and query strings, percent-encoded.
//! - [`call`]: why operations with optional parameters return a request builder to `.await`.
//! - [`params`]: path, query, header and cookie parameters in every OpenAPI `style`.
//! - [`body`]: request bodies as JSON, form, text, bytes or multipart ([`MultipartForm`]);
//!   [`RawResponse`] decodes JSON, text and bytes.
//! - [`Validated`] and [`StringRules`]: strings checked against their schema's rules
//!   (length, pattern, email shape) when built and when decoded.
//! - [`names`]: the names this crate and generated code reserve, read by the generator.
//!
//! Nothing here is about a particular API. The crates generated code needs are re-exported
//! ([`serde`], [`serde_json`], [`schemars`], [`reqwest`], [`bytes`], [`tracing`]), so a generated
//! crate depends on this one only.
//!
//! No call is ever retried: an operation may have effects on the server, and a request that
//! timed out or lost its connection may still have reached it.

pub mod encode;
pub mod names;

#[cfg(feature = "client")]
pub mod body;
#[cfg(feature = "client")]
pub mod call;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod error;
#[cfg(feature = "client")]
pub mod params;
#[cfg(feature = "client")]
mod response;
#[cfg(feature = "client")]
mod validate;

#[cfg(feature = "client")]
pub use {
    body::MultipartForm,
    call::BoxFuture,
    client::{BuildError, Client, ClientBuilder, DEFAULT_TIMEOUT},
    error::Error,
    response::{RawResponse, ResponseValue},
    validate::{
        ConstraintError, PatternCache, Personal, Privacy, Public, Redacted, Rules, StringRules, Validated,
    },
};

#[cfg(feature = "client")]
pub use {bytes, reqwest, schemars, serde, serde_json, tracing};
