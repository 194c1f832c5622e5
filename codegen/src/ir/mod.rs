//! Stage 3: the intermediate representation. Everything the emitters need, resolved
//! (`$ref`s followed, names decided, samples attached), and nothing about Rust syntax.
//!
//! - [`operations`]: operations, parameters, request bodies, responses and their examples.

pub mod operations;

pub use operations::{
    Api, DocRef, ExampleIr, HeaderIr, OperationIr, PathParamIr, RequestIr, ResponseExampleIr, ResponseIr,
    ServerIr, build,
};
