//! Rust names and order of an operation's parameters in the generated client.
//!
//! Arguments come in this order: path parameters as the template names them, then the other
//! required parameters as declared; optional ones follow (they become setters). Each gets
//! the snake_case of its wire name (`Idempotency-Key` → `idempotency_key`, `type` → `type_`);
//! one that is already taken in the operation (a path `id` and a query `id`, or a name the
//! generated method uses itself, such as `body`) gets its location appended
//! (`id_query`), then a number.

use super::client::OperationTypes;
use super::names::snake;
use super::operations::OperationIr;
use super::params::{Location, ParamIr, template_names};

/// Names the generated method body and request builder use for themselves.
const RESERVED: &[&str] = &[
    "body", "client", "send", "request", "response", "span", "url", "cookies",
];

/// The operation's parameters in argument order.
pub fn ordered(op: &OperationIr) -> Vec<&ParamIr> {
    let mut out: Vec<&ParamIr> = Vec::new();
    for name in template_names(&op.path) {
        if let Some(p) = op.params.iter().find(|p| {
            p.location == Location::Path && p.name == name && !out.iter().any(|o| std::ptr::eq(*o, *p))
        }) {
            out.push(p);
        }
    }
    let rest = |required: bool| {
        op.params
            .iter()
            .filter(move |p| p.location != Location::Path && p.required == required)
    };
    out.extend(rest(true));
    out.extend(rest(false));
    out
}

/// The Rust name of each parameter of [`ordered`], in that order.
pub fn rust_names(op: &OperationIr) -> Vec<String> {
    let mut taken: Vec<String> = RESERVED.iter().map(|s| s.to_string()).collect();
    let mut out = Vec::new();
    for p in ordered(op) {
        let base = snake(&p.name);
        let mut name = base.clone();
        if taken.contains(&name) {
            name = format!("{base}_{}", p.location.as_str());
        }
        let mut n = 1;
        let with_location = name.clone();
        while taken.contains(&name) {
            n += 1;
            name = format!("{with_location}_{n}");
        }
        taken.push(name.clone());
        out.push(name);
    }
    out
}

/// Type prefixes made unique (two operation names can give one Rust type name: `a_b` and
/// `ab` are both `Ab`): later ones get a number.
pub fn unique_type_prefixes(operations: &mut [OperationTypes]) {
    let mut taken: Vec<String> = Vec::new();
    for op in operations {
        let base = op.type_prefix.clone();
        let mut n = 1;
        while taken.contains(&op.type_prefix) {
            n += 1;
            op.type_prefix = format!("{base}{n}");
        }
        taken.push(op.type_prefix.clone());
    }
}
