//! Stage 3: the intermediate representation. Everything the emitters need, resolved
//! (`$ref`s followed, names decided, samples attached), and nothing about Rust syntax.
//!
//! - [`operations`]: operations, parameters, request bodies, responses and their examples.
//! - [`types`]: the Rust-shaped type model of the schemas, read by [`schema_reader`].
//! - [`client`]: operations joined with their types (what the client emitter reads).
//! - [`names`]: Rust identifiers from spec names.
//! - [`params`]: path, query, header and cookie parameters; [`operation_names`]: method names.
//! - [`media`]: which media type of a body the client uses, and how it travels.
//! - [`responses`]: response keys (codes, `4XX` ranges, `default`) and which one decodes.

pub mod all_of;
pub mod client;
pub mod media;
pub mod names;
pub mod operation_names;
pub mod operations;
pub mod params;
pub mod params_rust;
pub mod responses;
pub mod schema_reader;
pub mod types;

pub use operations::{
    Api, DocRef, ExampleIr, HeaderIr, OperationIr, PathParamIr, RequestIr, ResponseExampleIr, ResponseIr,
    ServerIr, build,
};
