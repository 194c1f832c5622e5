//! `codegen diff OLD NEW`: the changes between two versions of the contract, each classified
//! as breaking or not for users of the generated client.
//!
//! Operations are paired by `operationId` (the name of the generated method). Then:
//!
//! - operation removed or renamed: breaking; added: not breaking.
//! - path parameters: one more or fewer is breaking (the method's signature); a new name is
//!   not; their schemas are compared as request data.
//! - query, header and cookie parameters: see [`params`].
//! - request body: added as required, removed, or made required: breaking; schemas compared as
//!   request data ([`schema`]).
//! - responses: a status removed or added is breaking (a variant of the generated response
//!   enum goes away, or exhaustive matches miss the new one); schemas compared as response
//!   data; a header removed is breaking, added is not.
//! - examples and servers: listed, never breaking (conformance cases follow the examples).
//!
//! Both specs must pass `codegen check` first.

pub mod params;
pub mod schema;

use serde::Serialize;
use serde_json::Value;

use crate::ir::{Api, OperationIr, ResponseIr};
use crate::spec::{Spec, child};
use schema::{Flow, SchemaDiff};

/// One change between the two specs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where: a JSON pointer into the new spec (into the old one for what was removed).
    pub pointer: String,
    /// Line of the pointer in the file its node comes from, and whether that is the old spec.
    pub line: Option<usize>,
    pub in_old: bool,
    pub breaking: bool,
    /// What kind of change (`operation-removed`, `property-added`, `enum-value-added`, ...).
    pub kind: String,
    pub detail: String,
}

impl Change {
    pub fn new(pointer: &str, breaking: bool, kind: &str, detail: String) -> Change {
        Change {
            pointer: pointer.to_string(),
            line: None,
            in_old: false,
            breaking,
            kind: kind.to_string(),
            detail,
        }
    }
}

/// The comparison in progress.
pub struct Diff<'a> {
    pub old: &'a Spec,
    pub new: &'a Spec,
    pub changes: Vec<Change>,
}

impl Diff<'_> {
    pub fn push(&mut self, mut c: Change) {
        if self
            .changes
            .iter()
            .any(|d| d.pointer == c.pointer && d.detail == c.detail)
        {
            return;
        }
        // What was removed has its line in the old spec only.
        c.in_old = self.new.doc.pointer(&c.pointer).is_none() && self.old.doc.pointer(&c.pointer).is_some();
        let spec = if c.in_old { self.old } else { self.new };
        // The line in the file the node comes from (a sibling file, for a multi-file spec).
        c.line = spec.sources.locate(&c.pointer).2.map(|p| p.line);
        self.changes.push(c);
    }
}

/// The changes from `old` to `new` (both checked).
pub fn diff(old: &Spec, old_api: &Api, new: &Spec, new_api: &Api) -> Vec<Change> {
    let mut d = Diff {
        old,
        new,
        changes: Vec::new(),
    };
    for o in &old_api.operations {
        match new_api.operations.iter().find(|n| n.id == o.id) {
            Some(n) => operation(&mut d, o, n),
            None => {
                let renamed = new_api.operations.iter().find(|n| {
                    n.method == o.method
                        && n.path == o.path
                        && !old_api.operations.iter().any(|x| x.id == n.id)
                });
                let detail = match renamed {
                    Some(n) => format!(
                        "operation `{}` renamed `{}` (the generated method's name)",
                        o.id, n.id
                    ),
                    None => format!("operation `{}` ({} {}) removed", o.id, o.method, o.path),
                };
                let at = renamed
                    .map(|n| child(&n.pointer, &["operationId"]))
                    .unwrap_or_else(|| o.pointer.clone());
                d.push(Change::new(&at, true, "operation-removed", detail));
            }
        }
    }
    for n in &new_api.operations {
        if !old_api.operations.iter().any(|o| o.id == n.id) {
            d.push(Change::new(
                &n.pointer,
                false,
                "operation-added",
                format!("operation `{}` ({} {}) added", n.id, n.method, n.path),
            ));
        }
    }
    servers(&mut d, old_api, new_api);
    d.changes
}

fn servers(d: &mut Diff, old: &Api, new: &Api) {
    for s in &old.servers {
        if !new.servers.iter().any(|n| n.url == s.url) {
            d.push(Change::new(
                "/servers",
                false,
                "server-removed",
                format!("server {} removed", s.url),
            ));
        }
    }
    for s in &new.servers {
        if !old.servers.iter().any(|o| o.url == s.url) {
            d.push(Change::new(
                "/servers",
                false,
                "server-added",
                format!("server {} added", s.url),
            ));
        }
    }
}

fn operation(d: &mut Diff, o: &OperationIr, n: &OperationIr) {
    let id = &n.id;
    if o.method != n.method || o.path != n.path {
        d.push(Change::new(
            &n.pointer,
            false,
            "operation-moved",
            format!(
                "`{id}`: {} {} → {} {} (the generated client follows)",
                o.method, o.path, n.method, n.path
            ),
        ));
    }
    // Path parameters: by position, as the generated method takes them.
    if o.path_params.len() != n.path_params.len() {
        d.push(Change::new(
            &child(&n.pointer, &["parameters"]),
            true,
            "path-parameters",
            format!(
                "`{id}`: {} path parameter(s) → {}",
                o.path_params.len(),
                n.path_params.len()
            ),
        ));
    }
    for (a, b) in o.path_params.iter().zip(&n.path_params) {
        if a.name != b.name {
            d.push(Change::new(
                &child(&n.pointer, &["parameters"]),
                false,
                "path-parameter-renamed",
                format!("`{id}`: path parameter `{}` renamed `{}`", a.name, b.name),
            ));
        }
        SchemaDiff::new(d).compare(&a.schema_pointer, &b.schema_pointer, Flow::Request);
    }
    params::compare(d, o, n);
    match (&o.request, &n.request) {
        (None, Some(b)) => d.push(Change::new(
            &child(&n.pointer, &["requestBody"]),
            b.required,
            "request-body-added",
            format!(
                "`{id}`: request body added{}",
                if b.required { ", required" } else { ", optional" }
            ),
        )),
        (Some(_), None) => d.push(Change::new(
            &child(&o.pointer, &["requestBody"]),
            true,
            "request-body-removed",
            format!("`{id}`: request body removed"),
        )),
        (Some(a), Some(b)) => {
            if b.required && !a.required {
                d.push(Change::new(
                    &child(&n.pointer, &["requestBody"]),
                    true,
                    "now-required",
                    format!("`{id}`: the request body is now required"),
                ));
            }
            SchemaDiff::new(d).compare(&a.schema_pointer, &b.schema_pointer, Flow::Request);
            examples(
                d,
                id,
                &a.examples
                    .iter()
                    .map(|e| (&e.name, &e.value, &e.pointer))
                    .collect::<Vec<_>>(),
                &b.examples
                    .iter()
                    .map(|e| (&e.name, &e.value, &e.pointer))
                    .collect::<Vec<_>>(),
                &child(&n.pointer, &["requestBody"]),
            );
        }
        (None, None) => {}
    }
    for a in &o.responses {
        match n.response(a.status) {
            None => d.push(Change::new(
                &child(&o.pointer, &["responses", &a.status.to_string()]),
                true,
                "status-removed",
                format!("`{id}`: response {} removed", a.status),
            )),
            Some(b) => response(d, id, a, b),
        }
    }
    for b in &n.responses {
        if o.response(b.status).is_none() {
            d.push(Change::new(
                &child(&n.pointer, &["responses", &b.status.to_string()]),
                true,
                "status-added",
                format!(
                    "`{id}`: response {} added (a new variant: breaks exhaustive matches)",
                    b.status
                ),
            ));
        }
    }
}

fn response(d: &mut Diff, id: &str, a: &ResponseIr, b: &ResponseIr) {
    let status = a.status;
    match (&a.schema_pointer, &b.schema_pointer) {
        (Some(x), Some(y)) => SchemaDiff::new(d).compare(x, y, Flow::Response),
        (None, Some(_)) => d.push(Change::new(
            &b.pointer,
            true,
            "response-body-added",
            format!("`{id}`: response {status} now has a body"),
        )),
        (Some(_), None) => d.push(Change::new(
            &b.pointer,
            true,
            "response-body-removed",
            format!("`{id}`: response {status} no longer has a body"),
        )),
        (None, None) => {}
    }
    for h in &a.headers {
        match b.headers.iter().find(|x| x.name == h.name) {
            None => d.push(Change::new(
                &child(&b.pointer, &["headers"]),
                true,
                "header-removed",
                format!("`{id}`: response {status} header `{}` removed", h.name),
            )),
            Some(x) => {
                if let (Some(p), Some(q)) = (&h.schema_pointer, &x.schema_pointer) {
                    SchemaDiff::new(d).compare(p, q, Flow::Response);
                }
            }
        }
    }
    for x in &b.headers {
        if !a.headers.iter().any(|h| h.name == x.name) {
            d.push(Change::new(
                &child(&b.pointer, &["headers", &x.name]),
                false,
                "header-added",
                format!("`{id}`: response {status} header `{}` added", x.name),
            ));
        }
    }
    examples(d, id, &response_examples(a), &response_examples(b), &b.pointer);
}

fn response_examples(r: &ResponseIr) -> Vec<Example<'_>> {
    r.examples
        .iter()
        .map(|e| (&e.name, &e.value, &e.pointer))
        .collect()
}

type Example<'a> = (&'a String, &'a Value, &'a String);

fn examples(d: &mut Diff, id: &str, a: &[Example], b: &[Example], owner: &str) {
    for (name, value, _) in a {
        match b.iter().find(|(n, _, _)| n == name) {
            None => d.push(Change::new(
                owner,
                false,
                "example-removed",
                format!("`{id}`: example `{name}` removed"),
            )),
            Some((_, v, p)) if v != value => d.push(Change::new(
                &format!("{p}/value"),
                false,
                "example-changed",
                format!("`{id}`: example `{name}` changed"),
            )),
            Some(_) => {}
        }
    }
    for (name, _, p) in b {
        if !a.iter().any(|(n, _, _)| n == name) {
            d.push(Change::new(
                p,
                false,
                "example-added",
                format!("`{id}`: example `{name}` added"),
            ));
        }
    }
}

/// The human-readable list.
pub fn render(changes: &[Change], old: &Spec, new: &Spec) -> String {
    let mut out = String::new();
    for c in changes {
        let tag = if c.breaking {
            "BREAKING    "
        } else {
            "non-breaking"
        };
        let spec = if c.in_old { old } else { new };
        let (file, pointer, _) = spec.sources.locate(&c.pointer);
        let file = file.display().to_string();
        let at = match c.line {
            Some(l) => format!("{file}:{l}"),
            None => file,
        };
        out.push_str(&format!(
            "{tag}  {}: {}\n              {at} {pointer}\n",
            c.kind, c.detail
        ));
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    out.push_str(&format!("{} change(s), {breaking} breaking\n", changes.len()));
    out
}
