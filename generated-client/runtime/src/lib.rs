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
//! ([`serde`], [`serde_json`], [`schemars`], [`reqwest`], [`bytes`], [`tracing`], [`chrono`],
//! [`uuid`]), so a generated crate depends on this one only.
//!
//! # Types of schema values
//!
//! How generated types spell what a schema allows, decided once for every generated client:
//!
//! | schema | Rust |
//! |---|---|
//! | `integer` (`int64` or no format) / `int32` | `i64` / `i32`; `u64` / `u32` when `minimum >= 0` or `format: uint*` |
//! | `number` (`float`, `double` or none) | `f64`: it holds every `f32` exactly, so nothing a server sends is rounded |
//! | `string`, `format: date-time` | [`chrono::DateTime<chrono::FixedOffset>`] (RFC 3339; the offset is kept) |
//! | `string`, `format: date` | [`chrono::NaiveDate`] |
//! | `string`, `format: uuid` | [`uuid::Uuid`] |
//! | `string`, any other format (`uri`, `time`, `byte`, `binary`, `email` in a response, unknown ones) | `String`, kept as sent: formats are annotations in JSON Schema, and parsing a URI or base64 would change the text on a round trip |
//! | `string` with `pattern`, `minLength`, `maxLength` (or `format: email` in a request) | [`Validated`], checked when built and when decoded |
//! | nullable (`nullable: true`, `type: [T, "null"]`, a `null` branch) | `Option<T>` |
//! | `enum` of strings / integers | an enum; on the response side with an `Unknown` variant that keeps values the spec does not list |
//! | `oneOf`/`anyOf` with a `discriminator` | an enum chosen by the tag (`Unknown` keeps an unlisted tag on the response side) |
//! | `oneOf`/`anyOf` otherwise, several `type`s | an untagged enum: the first variant that reads the value wins |
//! | `additionalProperties: {schema}` | `BTreeMap<String, T>` (a `#[serde(flatten)]` field beside declared properties) |
//! | `{}`, `true`, anything the generator cannot state | [`serde_json::Value`] (the generator warns where it widened a rule) |
//!
//! `chrono` and `uuid` are the common, maintained crates for these values, each small, both
//! with `serde` and `schemars` support; a generated crate gets them through this crate.
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
#[cfg(feature = "params")]
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
pub use {bytes, chrono, reqwest, schemars, serde, serde_json, tracing, uuid};
