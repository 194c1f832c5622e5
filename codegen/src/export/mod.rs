//! Stage 3b: the spec's request and response body schemas as standalone JSON Schema 2020-12
//! documents, for teams that validate payloads in other languages.
//!
//! One file per schema (a component shared by several operations or statuses is written once,
//! under its component name) plus `index.json`, which maps each operation's request and each
//! response status to its file. Every document has `$id` = [`BASE_URI`] + its file name, keeps
//! titles and descriptions, and has all `$ref`s bundled into its own `$defs` ([`bundle`]).
//! Output is deterministic: the same spec always gives byte-identical files.

pub mod bundle;

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::Api;
use crate::spec::Spec;

/// The `$id` of each exported document is this prefix plus its file name. The host is not
/// resolvable on purpose: the documents are self-contained and nothing should fetch them.
pub const BASE_URI: &str = "https://frontpay-contract.local/schemas/";
/// The name of the index file.
pub const INDEX: &str = "index.json";
/// The command that regenerates the committed folder.
pub const REGENERATE: &str = "cargo run -p codegen -- schemas --out spec/schemas";

/// One exported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub name: String,
    pub contents: String,
}

/// Every file of the export (schemas sorted by name, then `index.json`).
pub fn export(spec: &Spec, api: &Api) -> Result<Vec<ExportFile>, Diagnostics> {
    let spec_name = spec
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.file());
    let mut schemas: Vec<(String, String)> = Vec::new(); // (file name, spec pointer)
    let mut diags = Vec::new();
    let mut add = |name: String, pointer: &str, diags: &mut Vec<Diagnostic>| -> String {
        match schemas.iter().find(|(n, _)| *n == name) {
            Some((_, p)) if p != pointer => diags.push(
                spec.diag(
                    pointer,
                    format!("two different schemas would both be exported as {name} (the other is {p})"),
                )
                .hint("give one of them another component name"),
            ),
            Some(_) => {}
            None => schemas.push((name.clone(), pointer.to_string())),
        }
        name
    };

    let mut operations = Map::new();
    for op in &api.operations {
        let mut entry = Map::new();
        entry.insert("method".into(), Value::from(op.method.as_str()));
        entry.insert("path".into(), Value::from(op.path.as_str()));
        if let Some(req) = &op.request {
            let name = file_name(&req.schema_pointer, || format!("{}.request", op.id));
            let name = add(name, &req.schema_pointer, &mut diags);
            entry.insert("request".into(), Value::from(name));
        }
        let mut responses = Map::new();
        for r in &op.responses {
            if let Some(p) = &r.schema_pointer {
                let name = file_name(p, || format!("{}.response.{}", op.id, r.status));
                let name = add(name, p, &mut diags);
                responses.insert(r.status.to_string(), Value::from(name));
            }
        }
        entry.insert("responses".into(), Value::Object(responses));
        operations.insert(op.id.clone(), Value::Object(entry));
    }
    Diagnostics(diags).into_result()?;

    schemas.sort();
    let mut files = Vec::new();
    let mut listing = Map::new();
    let mut diags = Vec::new();
    for (name, pointer) in &schemas {
        let comment = format!(
            "Generated from {spec_name}#{pointer} by `codegen schemas`. Do not edit; regenerate with `{REGENERATE}`."
        );
        match bundle::bundle(spec, pointer, &format!("{BASE_URI}{name}"), &comment) {
            Ok(doc) => {
                listing.insert(
                    name.clone(),
                    json!({
                        "$id": format!("{BASE_URI}{name}"),
                        "title": doc.get("title").cloned().unwrap_or(Value::Null),
                        "source": source_of(spec, &spec_name, pointer),
                    }),
                );
                files.push(ExportFile {
                    name: name.clone(),
                    contents: pretty(&doc),
                });
            }
            Err(d) => diags.push(d),
        }
    }
    Diagnostics(diags).into_result()?;

    let index = json!({
        "$comment": format!(
            "Generated from {spec_name} by `codegen schemas`. Do not edit; regenerate with `{REGENERATE}`. \
             Each schema's $id is baseUri + its file name."
        ),
        "title": api.title,
        "version": api.version,
        "dialect": bundle::DIALECT,
        "baseUri": BASE_URI,
        "operations": operations,
        "schemas": listing,
    });
    files.push(ExportFile {
        name: INDEX.into(),
        contents: pretty(&index),
    });
    Ok(files)
}

/// `X.json` for a component schema `/components/schemas/X`; otherwise the fallback name.
fn file_name(pointer: &str, fallback: impl FnOnce() -> String) -> String {
    let stem = pointer
        .strip_prefix("/components/schemas/")
        .filter(|n| !n.contains('/') && !n.contains('~') && safe(n))
        .map(str::to_string)
        .unwrap_or_else(fallback);
    format!("{stem}.json")
}

fn safe(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("a JSON value always serializes");
    s.push('\n');
    s
}

/// Writes the export into `dir` (created if needed) and removes `*.json` files it no longer
/// contains, so the folder is exactly the export.
pub fn write(dir: &Path, files: &[ExportFile]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    for f in files {
        std::fs::write(dir.join(&f.name), &f.contents)?;
    }
    for name in json_files(dir)? {
        if !files.iter().any(|f| f.name == name) {
            std::fs::remove_file(dir.join(name))?;
        }
    }
    Ok(())
}

/// How a folder differs from the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    Missing(String),
    Changed(String),
    /// A `*.json` file the export does not produce.
    Extra(String),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(n) => write!(f, "{n}: missing"),
            Stale::Changed(n) => write!(f, "{n}: differs from what the spec gives"),
            Stale::Extra(n) => write!(f, "{n}: not produced by the spec any more"),
        }
    }
}

/// Compares `dir` with the export; empty when the folder is up to date.
pub fn stale(dir: &Path, files: &[ExportFile]) -> std::io::Result<Vec<Stale>> {
    let mut out = Vec::new();
    for f in files {
        match std::fs::read_to_string(dir.join(&f.name)) {
            Ok(text) if text == f.contents => {}
            Ok(_) => out.push(Stale::Changed(f.name.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => out.push(Stale::Missing(f.name.clone())),
            Err(e) => return Err(e),
        }
    }
    let present = match json_files(dir) {
        Ok(p) => p,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    for name in present {
        if !files.iter().any(|f| f.name == name) {
            out.push(Stale::Extra(name));
        }
    }
    Ok(out)
}

fn json_files(dir: &Path) -> std::io::Result<Vec<String>> {
    let mut names: Vec<String> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    Ok(names)
}

/// Where an exported schema is written: `file#pointer`, naming the sibling file (relative to
/// the spec's folder) for a schema that comes from one.
fn source_of(spec: &Spec, spec_name: &str, pointer: &str) -> String {
    let (file, inner, _) = spec.sources.locate(pointer);
    if file == spec.path {
        return format!("{spec_name}#{inner}");
    }
    let folder = spec.path.parent().unwrap_or(std::path::Path::new(""));
    let shown = match file.strip_prefix(folder) {
        Ok(relative) => relative.to_string_lossy().into_owned(),
        Err(_) => file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    format!("{shown}#{inner}")
}
