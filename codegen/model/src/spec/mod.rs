//! Stage 1: load the spec. Reads the YAML, keeps the raw JSON value (what schemas are validated
//! against), the typed OpenAPI envelope, a line index for diagnostics, and the SHA-256 that
//! generated files carry as provenance.
//!
//! YAML is read with `yaml_serde` (imported as `serde_yaml`): the YAML organisation's maintained
//! fork of the archived `serde_yaml`, with the same API and line/column on syntax errors.
//! Positions of values (which `serde_yaml` does not expose) come from `saphyr-parser`'s event
//! marks, see [`lines`].

pub mod check;
pub mod email;
pub mod fields;
pub mod files;
pub mod lines;
pub mod lookahead;
pub mod model;
pub mod patterns;
pub mod pointer;
pub mod replay;
pub mod resolve;
pub mod sources;
pub mod validators;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use lines::{LineIndex, Position};
use model::{OpenApi, RefOr};
pub use pointer::child;
use resolve::{RefError, Resolver};

/// A loaded, parsed spec. Cheap to query; nothing here is validated beyond its shape
/// (see [`check`] for the checks).
#[derive(Debug, Clone)]
pub struct Spec {
    /// The path as given, used in every diagnostic.
    pub path: PathBuf,
    pub source: String,
    /// The whole document as JSON.
    pub doc: Value,
    /// The typed envelope.
    pub api: OpenApi,
    pub lines: LineIndex,
    /// Lower-case hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Valid features the generator skips, located (see [`fields`]).
    pub warnings: Vec<Diagnostic>,
    /// The files the document is made of and where each joined part came from (see
    /// [`sources`]); `doc` is the joined document.
    pub sources: sources::Sources,
}

impl Spec {
    /// Reads and parses a spec file.
    pub fn load(path: impl AsRef<Path>) -> Result<Spec, Diagnostics> {
        let path = path.as_ref();
        let source = read_bounded(path).map_err(|e| {
            Diagnostic::new(
                path.display().to_string(),
                "",
                format!("cannot read the spec: {e}"),
            )
            .hint("check the path given to --spec")
            .unreadable()
        })?;
        Spec::parse(path, source)
    }

    /// Parses spec text; `path` names the file in diagnostics, and the samples folder and the
    /// sibling files its `$ref`s name are found beside it (read from disk).
    pub fn parse(path: impl AsRef<Path>, source: String) -> Result<Spec, Diagnostics> {
        Spec::parse_with(path, source, &sources::read_from_disk)
    }

    /// [`Spec::parse`], with sibling files read by `read` (e.g. from memory).
    pub fn parse_with(
        path: impl AsRef<Path>,
        source: String,
        read: sources::Reader<'_>,
    ) -> Result<Spec, Diagnostics> {
        let path = path.as_ref().to_path_buf();
        let file = path.display().to_string();
        let deserializer = yaml::deserializer(&source).map_err(|e| {
            Diagnostic::new(&file, "", format!("not accepted as YAML: {e}"))
                .at(e.line, e.column)
                .hint("no contract needs this much nesting: look for unclosed brackets or generated input")
        })?;
        let lines = LineIndex::build(&source);
        let doc = Value::deserialize(deserializer).map_err(|e| {
            let mut d = Diagnostic::new(&file, "", format!("not valid YAML: {e}"));
            if let Some(loc) = e.location() {
                d = d.at(loc.line(), loc.column());
            }
            d.hint("fix the YAML syntax at that line (indentation, quotes, a missing colon)")
        })?;
        if !doc.is_object() {
            return Err(
                Diagnostic::new(&file, "", "the spec must be a YAML mapping (an OpenAPI document)")
                    .at(1, 1)
                    .into(),
            );
        }
        // Sibling files the document refers to, joined into it.
        let (doc, sources) = sources::join(&path, doc, lines.clone(), &source, read)?;
        // Every unknown field at once, and the skipped features, before the typed parse (which
        // would stop at the first problem).
        let locate = |pointer: &str, message: String| locate_in(&sources, pointer, message);
        let (warnings, errors): (Vec<_>, Vec<_>) = fields::walk(&doc, &locate)
            .into_iter()
            .partition(Diagnostic::is_warning);
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        let api: OpenApi = serde_path_to_error::deserialize(&doc).map_err(|e| {
            let outer = model::path_to_pointer(e.path());
            let (mut pointer, message) = model::split_error(outer, &e.into_inner().to_string());
            // Point at the unknown key itself, not at the object holding it.
            if let Some(key) = message
                .strip_prefix("unknown field `")
                .and_then(|m| m.split('`').next())
            {
                pointer = child(&pointer, &[key]);
            }
            locate(&pointer, format!("not a valid OpenAPI document: {message}"))
        })?;
        let sha256 = hex(&sources.sha256());
        Ok(Spec {
            path,
            source,
            doc,
            api,
            lines,
            sha256,
            warnings,
            sources,
        })
    }

    /// The file name used in diagnostics.
    pub fn file(&self) -> String {
        self.path.display().to_string()
    }

    /// A diagnostic at `pointer`, with its position filled in: in the file the node comes from
    /// (the spec or a sibling file), at its pointer there.
    pub fn diag(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        locate_in(&self.sources, pointer, message.into())
    }

    /// The value at a JSON pointer of the document.
    pub fn at(&self, pointer: &str) -> Option<&Value> {
        self.doc.pointer(pointer)
    }

    /// The document's reference resolver.
    pub fn resolver(&self) -> Resolver<'_> {
        Resolver::new(&self.doc)
    }

    /// A reference problem as a diagnostic at `from` (the `$ref`'s own pointer).
    pub fn ref_diag(&self, from: &str, error: &RefError) -> Diagnostic {
        self.diag(from, error.message()).hint(error.hint())
    }

    /// Resolves a `$ref` found at `from` to its JSON pointer (after loading, every reference
    /// is local: sibling files are joined into the document).
    pub fn ref_pointer(&self, reference: &str, from: &str) -> Result<String, Diagnostic> {
        self.resolver()
            .target(reference)
            .map(|t| t.pointer)
            .map_err(|e| self.ref_diag(from, &e))
    }

    /// Follows `RefOr` chains to the item, returning it with the pointer where it lives.
    /// `pointer` is where `item` itself sits in the document.
    pub fn deref<'a, T>(
        &'a self,
        item: &'a RefOr<T>,
        pointer: &str,
        section: impl Fn(&'a model::Components, &str) -> Option<&'a RefOr<T>>,
    ) -> Result<(&'a T, String), Diagnostic> {
        let mut current = item;
        let mut at = pointer.to_string();
        let mut seen = vec![at.clone()];
        loop {
            match current {
                RefOr::Item(t) => return Ok((t, at)),
                RefOr::Ref(r) => {
                    let from = child(&at, &["$ref"]);
                    let target = self.ref_pointer(&r.reference, &from)?;
                    let name = pointer::last(&target).unwrap_or_default();
                    current = section(&self.api.components, &name).ok_or_else(|| {
                        self.diag(
                            &from,
                            format!(
                                "`{}` does not point at a component of the right kind",
                                r.reference
                            ),
                        )
                    })?;
                    let repeated = seen.contains(&target);
                    seen.push(target.clone());
                    if repeated {
                        return Err(self.ref_diag(&from, &RefError::Cycle(seen)));
                    }
                    if seen.len() > resolve::MAX_HOPS + 1 {
                        return Err(self.ref_diag(pointer, &RefError::TooManyHops));
                    }
                    at = target;
                }
            }
        }
    }

    /// The folder of sample payloads beside the spec (`samples/`), if it exists.
    pub fn samples_dir(&self) -> Option<PathBuf> {
        let dir = self.path.parent().unwrap_or(Path::new(".")).join("samples");
        dir.is_dir().then_some(dir)
    }
}

/// The spec's text: at most [`sources::MAX_FILE_BYTES`], like each file it refers to (the spec
/// itself may be a symbolic link: the user named it).
fn read_bounded(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    file.take(sources::MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > sources::MAX_FILE_BYTES {
        return Err(format!(
            "larger than the limit of {} MiB",
            sources::MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    String::from_utf8(bytes).map_err(|e| format!("not UTF-8 text: {e}"))
}

/// A diagnostic at `pointer` of the joined document, named by its own file and pointer.
fn locate_in(sources: &sources::Sources, pointer: &str, message: String) -> Diagnostic {
    let (file, inner, pos) = sources.locate(pointer);
    let mut d = Diagnostic::new(file.display().to_string(), inner, message);
    if let Some(pos) = pos {
        d = d.at(pos.line, pos.column);
    }
    d
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
