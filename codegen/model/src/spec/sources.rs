//! The files a document is made of: the spec and the sibling files its `$ref`s name, joined
//! into one document as it is loaded, so that every later stage sees one document whose
//! references are all local.
//!
//! A reference to another file (`./schemas.yaml#/Pet`, `../schemas/x.json#/$defs/y`, a whole
//! JSON Schema file) is resolved against the referring file. An object that has a
//! `components` section (schemas, responses, parameters, ...) is added there once, under a
//! unique name, and every reference to it is rewritten to that name: recursion across files
//! stays recursion, and the cycle checks see it. A root `components` entry that is only a
//! reference to another file takes that file's content in place, keeping its name. A path
//! item, which has no such section, is written in place (its own `$ref`, local or not).
//!
//! Only relative paths are read (URLs and absolute paths are refused, located: nothing is
//! fetched), each file once, as a regular file (a symbolic link is refused, so a reference
//! cannot be redirected elsewhere through one) of at most [`MAX_FILE_BYTES`], YAML or JSON,
//! nested at most [`super::yaml::MAX_DEPTH`] deep; at most [`MAX_FILES`] files. Paths are
//! joined lexically (`a/../b` is `b`). `$ref`s inside `x-` extensions and examples are data
//! and never followed. A diagnostic about a joined node names its own file, line and pointer
//! ([`Sources::locate`]).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::fields::{Kind, RefSite, ref_sites};
use super::lines::{LineIndex, Position};
use super::pointer::{self, child};
use super::resolve::{self, MAX_HOPS, RefError, Reference};
use super::yaml;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// The largest sibling file read: 8 MiB.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The most files one document may be made of (the spec included).
pub const MAX_FILES: usize = 1000;
/// The most path items written in place from references, all files together.
pub const MAX_INLINED: usize = 10_000;

/// How a file is read: given its (joined) path, its text or why not.
pub type Reader<'a> = &'a dyn Fn(&Path) -> Result<String, String>;

/// The reader of files on disk: regular files of at most [`MAX_FILE_BYTES`].
pub fn read_from_disk(path: &Path) -> Result<String, String> {
    super::files::read_regular(path, MAX_FILE_BYTES)
}

/// One file of the document.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The root as given; a sibling joined to the folder of the file that names it.
    pub path: PathBuf,
    pub doc: Value,
    pub lines: LineIndex,
    /// SHA-256 of its bytes.
    pub sha256: [u8; 32],
}

/// Where part of the joined document came from: the node at `local` (and everything under
/// it) is the node at `pointer` of file `file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub local: String,
    pub file: usize,
    pub pointer: String,
}

/// The files of a document (the root first) and where each joined node came from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    pub origins: Vec<Origin>,
}

impl Sources {
    /// The file and the pointer inside it of the joined document's `pointer`, with the
    /// position of the value (or of its nearest located ancestor).
    pub fn locate(&self, pointer: &str) -> (&Path, String, Option<Position>) {
        let origin = self
            .origins
            .iter()
            .filter(|o| {
                pointer == o.local
                    || pointer
                        .strip_prefix(o.local.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
            .max_by_key(|o| o.local.len());
        let (file, inner) = match origin {
            Some(o) => (o.file, format!("{}{}", o.pointer, &pointer[o.local.len()..])),
            None => (0, pointer.to_string()),
        };
        match self.files.get(file) {
            Some(f) => (&f.path, inner.clone(), f.lines.locate(&inner)),
            None => (Path::new(""), inner, None),
        }
    }

    /// Whether the document spans more than one file.
    pub fn is_multi_file(&self) -> bool {
        self.files.len() > 1
    }

    /// SHA-256 of the root's bytes followed by the digest of each sibling, in reading order:
    /// the provenance of output made from all of them.
    pub fn sha256(&self) -> [u8; 32] {
        let Some(root) = self.files.first() else {
            return [0; 32];
        };
        if !self.is_multi_file() {
            return root.sha256;
        }
        let mut h = Sha256::new();
        for f in &self.files {
            h.update(f.sha256);
        }
        h.finalize().into()
    }
}

/// Joins the files `doc` (the root, read from `path`) refers to into it. Returns the joined
/// document and its sources; every problem at once, each located in the file it is in.
pub fn join(
    path: &Path,
    doc: Value,
    lines: LineIndex,
    source: &str,
    read: Reader<'_>,
) -> Result<(Value, Sources), Diagnostics> {
    let root = SourceFile {
        path: path.to_path_buf(),
        doc,
        lines,
        sha256: Sha256::digest(source.as_bytes()).into(),
    };
    let mut j = Joiner {
        read,
        by_path: HashMap::from([(normalize(path), 0)]),
        failed: HashSet::new(),
        files: vec![root],
        grafted: HashMap::new(),
        taken: HashSet::new(),
        jobs: Vec::new(),
        origins: Vec::new(),
        inlining: Vec::new(),
        inlined: 0,
        errors: Vec::new(),
    };
    j.claim_root_components();
    let root_doc = j.files[0].doc.clone();
    let mut joined = j.import(root_doc, 0, "", "", Kind::document());
    // Grafting may add more jobs while it runs: a queue, not recursion (no stack depth).
    let mut done = 0;
    let mut results = Vec::new();
    while done < j.jobs.len() {
        let job = j.jobs[done].clone();
        done += 1;
        let value = j.files[job.file]
            .doc
            .pointer(&job.pointer)
            .cloned()
            .unwrap_or_default();
        let value = strip_resource_keywords(value, job.kind, job.file);
        let value = j.import(value, job.file, &job.pointer, &job.local, job.kind);
        results.push((job.local, value));
    }
    for (local, value) in results {
        if let Err(d) = place(&mut joined, &local, value) {
            j.errors.push(d);
        }
    }
    // In reading order: by file, then position.
    j.errors
        .sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    Diagnostics(j.errors).into_result()?;
    Ok((
        joined,
        Sources {
            files: j.files,
            origins: j.origins,
        },
    ))
}

/// A referenced object to copy into `components`: from `pointer` of `file`, to `local`.
#[derive(Debug, Clone)]
struct Job {
    file: usize,
    pointer: String,
    kind: Kind,
    local: String,
}

struct Joiner<'r> {
    read: Reader<'r>,
    by_path: HashMap<PathBuf, usize>,
    failed: HashSet<PathBuf>,
    files: Vec<SourceFile>,
    /// (file, pointer, section) → where it lives in the joined document.
    grafted: HashMap<(usize, String, &'static str), String>,
    /// (section, name) already used in `components`.
    taken: HashSet<(&'static str, String)>,
    jobs: Vec<Job>,
    origins: Vec<Origin>,
    /// The path items being written in place, innermost last (cycle detection).
    inlining: Vec<(usize, String)>,
    inlined: usize,
    errors: Vec<Diagnostic>,
}

impl Joiner<'_> {
    /// A diagnostic at `pointer` of file `file`, with its position.
    fn diag(&self, file: usize, pointer: &str, message: impl Into<String>) -> Diagnostic {
        let f = &self.files[file];
        let mut d = Diagnostic::new(f.path.display().to_string(), pointer, message);
        if let Some(pos) = f.lines.locate(pointer) {
            d = d.at(pos.line, pos.column);
        }
        d
    }

    /// Reserves the root's component names, and lets each root component that is only a
    /// reference to another file take that file's content under its own name.
    fn claim_root_components(&mut self) {
        let Some(components) = self.files[0].doc.get("components").and_then(Value::as_object) else {
            return;
        };
        let mut claims = Vec::new();
        for (section, entries) in components {
            let Some(entries) = entries.as_object() else {
                continue;
            };
            let Some(section) = SECTIONS.iter().find(|(s, _)| s == section) else {
                continue;
            };
            for (name, value) in entries {
                self.taken.insert((section.0, name.clone()));
                if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
                    claims.push((section.0, section.1, name.clone(), reference.to_string()));
                }
            }
        }
        for (section, kind, name, reference) in claims {
            let Ok(Reference {
                file: Some(rel),
                pointer,
            }) = Reference::parse(&reference)
            else {
                continue;
            };
            let at = child("/components", &[section, &name]);
            let Ok(file) = self.load(0, &rel, &format!("{at}/$ref")) else {
                continue;
            };
            let key = (file, pointer.clone(), section);
            if file == 0 || self.grafted.contains_key(&key) {
                continue;
            }
            self.grafted.insert(key, at.clone());
            self.queue(file, pointer, kind, at);
        }
    }

    fn queue(&mut self, file: usize, pointer: String, kind: Kind, local: String) {
        self.origins.push(Origin {
            local: local.clone(),
            file,
            pointer: pointer.clone(),
        });
        self.jobs.push(Job {
            file,
            pointer,
            kind,
            local,
        });
    }

    /// `value` (at `at` of file `file`, bound for `dest` of the joined document, an object of
    /// `kind`) with each reference made local to the joined document.
    fn import(&mut self, mut value: Value, file: usize, at: &str, dest: &str, kind: Kind) -> Value {
        for site in ref_sites(&value, kind) {
            self.rewrite(&mut value, &site, file, at, dest);
        }
        value
    }

    fn rewrite(&mut self, value: &mut Value, site: &RefSite, file: usize, at: &str, dest: &str) {
        let Some(node) = value.pointer_mut(&site.pointer) else {
            return;
        };
        let raw = if site.mapping {
            node.as_str()
        } else {
            node.get("$ref").and_then(Value::as_str)
        };
        // A `$ref` that is not a string is reported by the checks.
        let Some(raw) = raw.map(str::to_string) else {
            return;
        };
        if site.mapping && !looks_like_reference(&raw) {
            return; // a schema name
        }
        let written_at = if site.mapping {
            format!("{at}{}", site.pointer)
        } else {
            format!("{at}{}/$ref", site.pointer)
        };
        let here = format!("{dest}{}", site.pointer);
        let reference = match Reference::parse(&raw) {
            Ok(r) => r,
            Err(e) => return self.refuse(file, &written_at, &e),
        };
        let is_path_item = site.kind == Kind::PathItem && !site.mapping;
        if file == 0 && reference.file.is_none() && !is_path_item {
            return; // local to the root: already right (dangling ones are the checks')
        }
        let target = match &reference.file {
            None => file,
            Some(rel) => match self.load(file, rel, &written_at) {
                Ok(t) => t,
                Err(()) => return,
            },
        };
        if self.files[target].doc.pointer(&reference.pointer).is_none() {
            let e = RefError::Dangling {
                reference: raw,
                pointer: reference.pointer,
            };
            let d = self.diag(file, &written_at, e.message());
            let d = match target {
                0 => d.hint(e.hint()),
                _ => d.hint(format!(
                    "{} has no value at that JSON pointer",
                    self.files[target].path.display()
                )),
            };
            self.errors.push(d);
            return;
        }
        if is_path_item {
            let Some(Value::Object(item)) = self.inline(target, reference.pointer, file, &written_at, &here)
            else {
                return;
            };
            if let Some(obj) = node.as_object_mut() {
                obj.remove("$ref");
                for (k, v) in item {
                    obj.entry(k).or_insert(v);
                }
            }
            return;
        }
        let Some(section) = site.kind.section() else {
            let d = self.diag(
                file,
                &written_at,
                format!("a reference to another file is not supported here: `{raw}`"),
            );
            self.errors.push(d.hint("write the object here"));
            return;
        };
        let local = if target == 0 {
            reference.pointer
        } else {
            self.graft(target, reference.pointer, site.kind, section)
        };
        if local == here {
            return; // a root component taking its file's content in place
        }
        let rewritten = Value::String(resolve::local(&local));
        if site.mapping {
            *node = rewritten;
        } else if let Some(obj) = node.as_object_mut() {
            obj.insert("$ref".into(), rewritten);
        }
    }

    fn refuse(&mut self, file: usize, at: &str, e: &RefError) {
        let d = self.diag(file, at, e.message()).hint(e.hint());
        self.errors.push(d);
    }

    /// Where the object at `pointer` of file `target` lives in `components`, queued for
    /// copying there the first time.
    fn graft(&mut self, target: usize, pointer: String, kind: Kind, section: &'static str) -> String {
        let key = (target, pointer.clone(), section);
        if let Some(local) = self.grafted.get(&key) {
            return local.clone();
        }
        let name = self.unique_name(section, target, &pointer);
        let local = child("/components", &[section, &name]);
        self.grafted.insert(key, local.clone());
        self.queue(target, pointer, kind, local.clone());
        local
    }

    /// The path item at `pointer` of `target`, its references made local, for writing in
    /// place at `here` (the reference is at `written_at` of `file`).
    fn inline(
        &mut self,
        target: usize,
        pointer: String,
        file: usize,
        written_at: &str,
        here: &str,
    ) -> Option<Value> {
        let key = (target, pointer.clone());
        if self.inlining.contains(&key) || self.inlining.len() >= MAX_HOPS {
            let mut chain: Vec<String> = self
                .inlining
                .iter()
                .map(|(f, p)| format!("{}#{p}", self.files[*f].path.display()))
                .collect();
            chain.push(format!("{}#{pointer}", self.files[target].path.display()));
            let message = if self.inlining.contains(&key) {
                format!("path item reference cycle: {}", chain.join(" → "))
            } else {
                format!("path item references nested deeper than {MAX_HOPS}")
            };
            let d = self.diag(file, written_at, message);
            self.errors
                .push(d.hint("make one path item of the chain hold its operations itself"));
            return None;
        }
        self.inlined += 1;
        if self.inlined > MAX_INLINED {
            if self.inlined == MAX_INLINED + 1 {
                let d = self.diag(
                    file,
                    written_at,
                    format!("more than {MAX_INLINED} path item references to write in place"),
                );
                self.errors.push(d);
            }
            return None;
        }
        let value = self.files[target].doc.pointer(&pointer).cloned()?;
        self.origins.push(Origin {
            local: here.to_string(),
            file: target,
            pointer: pointer.clone(),
        });
        self.inlining.push(key);
        let value = self.import(value, target, &pointer, here, Kind::PathItem);
        self.inlining.pop();
        Some(value)
    }

    /// A `components` name for the object at `pointer` of file `file`: the pointer's last
    /// token, else the file's stem; prefixed with the stem, then numbered, when taken.
    fn unique_name(&mut self, section: &'static str, file: usize, pointer: &str) -> String {
        let stem = self.files[file]
            .path
            .file_stem()
            .map(|s| sanitize(&s.to_string_lossy()))
            .unwrap_or_default();
        let last = pointer::last(pointer).map(|t| sanitize(&t)).unwrap_or_default();
        let base = match (last.is_empty(), stem.is_empty()) {
            (false, _) => last,
            (true, false) => stem.clone(),
            (true, true) => "Unnamed".to_string(),
        };
        let mut candidates = vec![base.clone()];
        if !stem.is_empty() && stem != base {
            candidates.push(format!("{stem}_{base}"));
        }
        let name = candidates
            .into_iter()
            .chain((2..).map(|n| format!("{base}_{n}")))
            .find(|c| !self.taken.contains(&(section, c.clone())))
            .unwrap_or(base);
        self.taken.insert((section, name.clone()));
        name
    }

    /// The index of the file `rel` names, relative to file `from` (read on first use).
    /// `Err` when it cannot be read; the problem is reported once per file.
    fn load(&mut self, from: usize, rel: &str, written_at: &str) -> Result<usize, ()> {
        let base = self.files[from].path.parent().unwrap_or(Path::new(""));
        let path = normalize(&base.join(rel));
        if let Some(&i) = self.by_path.get(&path) {
            return Ok(i);
        }
        if !self.failed.insert(path.clone()) {
            return Err(());
        }
        let shown = path.display().to_string();
        let referrer = {
            let d = self.diag(from, written_at, "");
            let line = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            format!("referred to at {}{line} ({written_at})", d.file)
        };
        if self.files.len() >= MAX_FILES {
            let d = self.diag(
                from,
                written_at,
                format!("cannot read `{rel}`: the document already spans {MAX_FILES} files"),
            );
            self.errors.push(d);
            return Err(());
        }
        let text = match (self.read)(&path) {
            Ok(t) => t,
            Err(e) => {
                let d = self
                    .diag(from, written_at, format!("cannot read `{rel}` ({shown}): {e}"))
                    .hint(format!(
                        "references name files relative to the referring file: regular files (no symbolic links) of at most {} MiB",
                        MAX_FILE_BYTES / (1024 * 1024)
                    ));
                self.errors.push(d);
                return Err(());
            }
        };
        let deserializer = match yaml::deserializer(&text) {
            Ok(d) => d,
            Err(e) => {
                self.errors.push(
                    Diagnostic::new(&shown, "", format!("not accepted as YAML: {e}")).at(e.line, e.column),
                );
                return Err(());
            }
        };
        let doc = match Value::deserialize(deserializer) {
            Ok(v) => v,
            Err(e) => {
                let mut d =
                    Diagnostic::new(&shown, "", format!("not valid YAML or JSON: {e}")).hint(referrer);
                if let Some(loc) = e.location() {
                    d = d.at(loc.line(), loc.column());
                }
                self.errors.push(d);
                return Err(());
            }
        };
        self.files.push(SourceFile {
            path: path.clone(),
            lines: LineIndex::build(&text),
            sha256: Sha256::digest(text.as_bytes()).into(),
            doc,
        });
        let index = self.files.len() - 1;
        self.failed.remove(&path);
        self.by_path.insert(path, index);
        Ok(index)
    }
}

/// The `components` sections and the kind of object each holds.
const SECTIONS: &[(&str, Kind)] = &[
    ("schemas", Kind::Schema),
    ("responses", Kind::Response),
    ("parameters", Kind::Parameter),
    ("examples", Kind::Example),
    ("requestBodies", Kind::RequestBody),
    ("headers", Kind::Header),
    ("securitySchemes", Kind::SecurityScheme),
    ("links", Kind::Link),
    ("callbacks", Kind::Callback),
];

/// A schema copied from another file no longer sits in its own resource: its `$id` and
/// `$schema` would change how its (rewritten, local) references resolve, and its `$defs`
/// are copied on their own when something refers to them.
fn strip_resource_keywords(mut value: Value, kind: Kind, file: usize) -> Value {
    if kind == Kind::Schema
        && file != 0
        && let Some(obj) = value.as_object_mut()
    {
        for k in ["$id", "$schema", "$defs", "definitions"] {
            obj.remove(k);
        }
    }
    value
}

/// A discriminator mapping value names a schema (`Cat`) or is a reference (`./cat.yaml`,
/// `#/components/schemas/Cat`).
fn looks_like_reference(value: &str) -> bool {
    value.contains(['#', '/']) || [".yaml", ".yml", ".json"].iter().any(|ext| value.ends_with(ext))
}

/// Keeps the characters OpenAPI allows in component names (`A-Z a-z 0-9 . - _`).
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `a/./b/../c` → `a/c`, lexically (leading `..` kept).
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

/// Writes `value` at `local` (`/components/<section>/<name>`), creating the maps on the way.
fn place(doc: &mut Value, local: &str, value: Value) -> Result<(), Diagnostic> {
    let tokens = pointer::tokens(local);
    let mut at = doc;
    for (i, t) in tokens.iter().enumerate() {
        let Some(map) = at.as_object_mut() else {
            let prefix = child("", &tokens[..i].iter().map(String::as_str).collect::<Vec<_>>());
            return Err(Diagnostic::new(
                "",
                prefix,
                "not a mapping: cannot add the objects other files define",
            ));
        };
        if i + 1 == tokens.len() {
            map.insert(t.clone(), value);
            return Ok(());
        }
        at = map.entry(t.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn files(set: &'static [(&'static str, &'static str)]) -> impl Fn(&Path) -> Result<String, String> {
        move |p: &Path| {
            set.iter()
                .find(|(name, _)| Path::new(name) == p)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| "no such file".to_string())
        }
    }

    fn run(
        root: &str,
        set: &'static [(&'static str, &'static str)],
    ) -> Result<(Value, Sources), Diagnostics> {
        let doc: Value = serde_yaml::from_str(root).unwrap();
        let read = files(set);
        join(
            Path::new("api/root.yaml"),
            doc,
            LineIndex::build(root),
            root,
            &read,
        )
    }

    #[test]
    fn paths_join_lexically() {
        assert_eq!(normalize(Path::new("a/./b/../c.yaml")), PathBuf::from("a/c.yaml"));
        assert_eq!(normalize(Path::new("a/../../c.yaml")), PathBuf::from("../c.yaml"));
    }

    #[test]
    fn sibling_schemas_are_added_to_components_once_and_named() {
        let root = "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: ./s.yaml#/Pet\ncomponents:\n  schemas:\n    Other:\n      $ref: 's.yaml#/Pet'\n";
        let (doc, sources) = run(
            root,
            &[(
                "api/s.yaml",
                "Pet:\n  type: object\n  properties:\n    kid:\n      $ref: '#/Pet'\n    tag:\n      $ref: '#/Tag'\nTag:\n  type: string\n",
            )],
        )
        .unwrap();
        // The root component that only referred to the file takes its content.
        let schema = "/paths/~1a/get/responses/200/content/application~1json/schema/$ref";
        assert_eq!(doc.pointer(schema), Some(&json!("#/components/schemas/Other")));
        assert_eq!(
            doc.pointer("/components/schemas/Other/properties/kid/$ref"),
            Some(&json!("#/components/schemas/Other"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Other/properties/tag/$ref"),
            Some(&json!("#/components/schemas/Tag"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/Tag"),
            Some(&json!({"type": "string"}))
        );
        let (file, pointer, pos) = sources.locate("/components/schemas/Tag/type");
        assert_eq!(file, Path::new("api/s.yaml"));
        assert_eq!(pointer, "/Tag/type");
        assert_eq!(pos.map(|p| p.line), Some(9));
    }

    #[test]
    fn path_items_are_written_in_place_and_cycles_refused() {
        let root = "paths:\n  /a:\n    $ref: paths/a.yaml\n";
        let (doc, sources) = run(
            root,
            &[
                (
                    "api/paths/a.yaml",
                    "get:\n  responses:\n    '204':\n      $ref: ../responses.yaml#/Empty\n",
                ),
                ("api/responses.yaml", "Empty:\n  description: nothing\n"),
            ],
        )
        .unwrap();
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/204/$ref"),
            Some(&json!("#/components/responses/Empty"))
        );
        assert!(doc.pointer("/paths/~1a/$ref").is_none());
        assert_eq!(sources.locate("/paths/~1a/get").0, Path::new("api/paths/a.yaml"));

        let err = run(
            "paths:\n  /a:\n    $ref: a.yaml\n",
            &[("api/a.yaml", "$ref: b.yaml\n"), ("api/b.yaml", "$ref: a.yaml\n")],
        )
        .unwrap_err();
        let d = &err.0[0];
        assert_eq!(
            (d.file.as_str(), d.pointer.as_str(), d.line),
            ("api/b.yaml", "/$ref", Some(1))
        );
        assert!(d.message.contains("path item reference cycle"), "{d}");
    }

    #[test]
    fn urls_absolute_paths_and_missing_files_are_located() {
        let root = "components:\n  schemas:\n    A:\n      $ref: https://example.com/a.json\n    B:\n      $ref: /etc/b.yaml\n    C:\n      $ref: missing.yaml#/C\n    D:\n      $ref: file:///etc/d.yaml\n";
        let err = run(root, &[]).unwrap_err();
        let found: Vec<(String, Option<usize>)> = err.0.iter().map(|d| (d.pointer.clone(), d.line)).collect();
        assert_eq!(
            found,
            [
                ("/components/schemas/A/$ref".to_string(), Some(4)),
                ("/components/schemas/B/$ref".to_string(), Some(6)),
                ("/components/schemas/C/$ref".to_string(), Some(8)),
                ("/components/schemas/D/$ref".to_string(), Some(10)),
            ],
            "{err}"
        );
        assert!(err.0[0].message.contains("URL"), "{}", err.0[0]);
        assert!(err.0[1].message.contains("absolute path"), "{}", err.0[1]);
        assert!(err.0[2].message.contains("api/missing.yaml"), "{}", err.0[2]);
    }

    #[test]
    fn extensions_and_examples_are_not_followed() {
        let root = "paths:\n  /a:\n    get:\n      x-codeSamples:\n        - source:\n            $ref: ./get.cs\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              example:\n                $ref: not/a/file.yaml\n";
        let (doc, sources) = run(root, &[]).unwrap();
        assert!(!sources.is_multi_file());
        assert_eq!(
            doc.pointer("/paths/~1a/get/x-codeSamples/0/source/$ref"),
            Some(&json!("./get.cs"))
        );
    }

    #[test]
    fn json_schema_files_lose_their_resource_keywords() {
        let root = "components:\n  schemas:\n    Use:\n      $ref: ../schemas/item.json#/$defs/price\n";
        let (doc, _) = run(
            root,
            &[(
                "schemas/item.json",
                r##"{"$id": "https://x.test/item.json", "$schema": "https://json-schema.org/draft/2020-12/schema",
                    "$defs": {"price": {"type": "object", "properties": {"amount": {"$ref": "#/$defs/amount"}}},
                              "amount": {"type": "integer"}}}"##,
            )],
        )
        .unwrap();
        assert_eq!(
            doc.pointer("/components/schemas/Use/properties/amount/$ref"),
            Some(&json!("#/components/schemas/amount"))
        );
        assert_eq!(
            doc.pointer("/components/schemas/amount"),
            Some(&json!({"type": "integer"}))
        );
    }
}
