//! Stage 2: check the spec. Everything that must hold before any code or case is derived:
//! references resolve, schemas compile, every example validates against its schema, every
//! `x-replay` plan is consistent, and the sample corpus beside the spec gets the verdicts its
//! folder promises. All problems are collected, each with file, line and JSON pointer.
//!
//! `check` passing means `generate` generates: the client's type IR is built here too.
//! Conformance-only rules (every response example carries `x-replay`, the `samples/` folder
//! beside the spec gets its verdicts) apply only to a document that derives conformance
//! cases, which it says by using `x-replay` at all ([`derives_cases`]); their findings say
//! they concern the conformance cases.

use std::path::Path;

use serde_json::Value;

use super::files::{MAX_SAMPLE_BYTES, read_regular};
use super::replay::ReplayPlan;
use super::validators::{CompiledSchema, SchemaRegistry};
use super::{Spec, child};
use crate::diagnostics::{Diagnostic, Diagnostics, Output};
use crate::ir::{self, Api, OperationIr, ResponseIr};

/// Runs every check, the sample corpus beside the spec included, and returns the operation
/// IR of a spec that passed them all. The client's type IR is built too, so a spec that
/// passes `check` generates.
pub fn check(spec: &Spec) -> Result<Api, Diagnostics> {
    run(spec, true)
}

/// Every check on the document itself, without reading the samples folder (for a spec
/// embedded in a binary, which has no folder beside it) and without building the client
/// (`diff` compares documents, whatever client they make).
pub fn check_document(spec: &Spec) -> Result<Api, Diagnostics> {
    run(spec, false)
}

/// `full`: the samples folder is read and the client's types are built (`check`); else the
/// document alone is checked (`check_document`).
fn run(spec: &Spec, full: bool) -> Result<Api, Diagnostics> {
    let with_samples = full;
    let samples = if with_samples { spec.samples_dir() } else { None };
    let mut diags = Vec::new();
    check_refs(spec, &spec.doc, "", &mut diags);
    check_cycles(spec, &mut diags);
    Diagnostics(std::mem::take(&mut diags)).into_result()?;

    let mut api = ir::build(spec)?;
    let registry = SchemaRegistry::new(spec)?;
    let cases = derives_cases(&api);
    let samples = samples.filter(|_| cases);

    for (name, _) in &spec.api.components.schemas {
        if let Err(d) = registry.compile(spec, &child("/components/schemas", &[name])) {
            diags.push(d);
        }
    }
    for op in &api.operations {
        check_operation(
            spec,
            &registry,
            op,
            samples.as_deref(),
            with_samples,
            cases,
            &mut diags,
        );
    }

    // A shared schema's problem is found by each schema that reaches it: report it once.
    let mut seen = std::collections::HashSet::new();
    diags.retain(|d| seen.insert(d.to_string()));
    let (warnings, errors): (Vec<_>, Vec<_>) = diags.into_iter().partition(Diagnostic::is_warning);
    Diagnostics(errors).into_result()?;
    api.warnings.extend(warnings);
    // What `generate` builds from here on must not fail where `check` passed (run last: the
    // problems above would be found again on the way).
    if full && let Err(d) = ir::client::build(spec, &api) {
        d.into_result()?;
    }
    Ok(api)
}

/// Whether the document derives conformance cases: it does when any response example
/// carries an `x-replay` plan. Then every response example needs one, and the `samples/`
/// folder beside the spec is checked.
pub fn derives_cases(api: &Api) -> bool {
    api.operations
        .iter()
        .flat_map(|o| &o.responses)
        .flat_map(|r| &r.examples)
        .any(|e| e.replay.is_some())
}

/// Every `$ref` anywhere in the document must point at something.
fn check_refs(spec: &Spec, value: &Value, at: &str, diags: &mut Vec<Diagnostic>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = child(at, &[k]);
                if k == "$ref" {
                    match v.as_str() {
                        Some(r) => {
                            if let Err(d) = spec.ref_pointer(r, &p) {
                                diags.push(d);
                            }
                        }
                        None => diags.push(spec.diag(&p, "`$ref` must be a string")),
                    }
                } else if !k.starts_with("x-") {
                    check_refs(spec, v, &p, diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_refs(spec, v, &format!("{at}/{i}"), diags);
            }
        }
        _ => {}
    }
}

/// Schema cycles no value can end (see [`super::resolve::Resolver::cycles`]): a validator
/// would accept anything there, and a generated type would be infinite.
fn check_cycles(spec: &Spec, diags: &mut Vec<Diagnostic>) {
    for cycle in spec.resolver().cycles() {
        diags.push(
            spec.diag(
                cycle.at(),
                format!("schema cycle that no value can end: {}", cycle.describe()),
            )
            .hint("recursion must pass through an optional property, an array's items or a `null` option; make one link of the cycle one of those"),
        );
    }
}

fn compile(
    spec: &Spec,
    registry: &SchemaRegistry,
    pointer: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<CompiledSchema> {
    registry.compile(spec, pointer).map_err(|d| diags.push(d)).ok()
}

/// Reports each rule an example breaks, at the example's own pointer. An example the
/// conformance cases replay must be right (an error); in a document that derives no cases an
/// example is documentation only, so a wrong one is a warning (real documents have them, and
/// the client does not read them).
fn validate_example(
    spec: &Spec,
    schema: &CompiledSchema,
    value: &Value,
    value_ptr: &str,
    what: &str,
    cases: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for e in schema.errors(value) {
        let d = spec
            .diag(
                &format!("{value_ptr}{}", e.instance_pointer),
                format!("{what} does not match its schema: {}", e.message),
            )
            .hint(format!(
                "the rule is at {}{}",
                schema.pointer,
                e.keyword_pointer
                    .strip_prefix(&schema.pointer)
                    .unwrap_or(&e.keyword_pointer)
            ));
        diags.push(if cases {
            d.concerns(Output::Conformance)
        } else {
            d.warning()
        });
    }
}

fn check_operation(
    spec: &Spec,
    registry: &SchemaRegistry,
    op: &OperationIr,
    samples: Option<&Path>,
    with_samples: bool,
    cases: bool,
    diags: &mut Vec<Diagnostic>,
) {
    for p in &op.path_params {
        let Some(schema) = compile(spec, registry, &p.schema_pointer, diags) else {
            continue;
        };
        if let Some(ex) = &p.example {
            validate_example(
                spec,
                &schema,
                ex,
                &op.pointer,
                &format!("the example of path parameter `{}`", p.name),
                cases,
                diags,
            );
        }
    }
    let request_schema = op
        .request
        .as_ref()
        .and_then(|r| compile(spec, registry, &r.schema_pointer, diags));
    if let (Some(req), Some(schema)) = (&op.request, &request_schema) {
        for ex in &req.examples {
            validate_example(
                spec,
                schema,
                &ex.value,
                &format!("{}/value", ex.pointer),
                &format!("request example `{}`", ex.name),
                cases,
                diags,
            );
        }
        if let Some(dir) = samples {
            let mut found = Vec::new();
            check_samples(dir, schema, &op.id, &mut found);
            diags.extend(found.into_iter().map(|d| d.concerns(Output::Conformance)));
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for resp in &op.responses {
        for h in &resp.headers {
            if let Some(p) = &h.schema_pointer {
                compile(spec, registry, p, diags);
            }
        }
        let Some(schema_ptr) = &resp.schema_pointer else {
            continue;
        };
        let Some(schema) = compile(spec, registry, schema_ptr, diags) else {
            continue;
        };
        for ex in &resp.examples {
            if cases && seen.contains(&ex.name.as_str()) {
                diags.push(
                    spec.diag(
                        &ex.pointer,
                        format!(
                            "example name `{}` is used twice in operation `{}`",
                            ex.name, op.id
                        ),
                    )
                    .hint("example names become case ids: make them unique per operation")
                    .concerns(Output::Conformance),
                );
            }
            seen.push(&ex.name);
            validate_example(
                spec,
                &schema,
                &ex.value,
                &format!("{}/value", ex.pointer),
                &format!("response example `{}`", ex.name),
                cases,
                diags,
            );
            match &ex.replay {
                None if !cases => {}
                None => diags.push(
                    spec.diag(&ex.pointer, format!("response example `{}` has no `x-replay`", ex.name))
                        .hint("the document derives conformance cases (it uses `x-replay`), so every response example says in which resource state and with which request it is the answer, e.g. `x-replay: {state: open, request: emailOnly, match: {...}}`")
                        .concerns(Output::Conformance),
                ),
                Some(plan) => {
                    let at = format!("{}/x-replay", ex.pointer);
                    let mut found = Vec::new();
                    check_replay(spec, op, resp, &ex.value, &at, plan, request_schema.as_ref(), &mut found);
                    diags.extend(found.into_iter().map(|d| d.concerns(Output::Conformance)));
                    if with_samples && plan.samples.is_some() && samples.is_none_or(|d| !d.join("invalid").is_dir()) {
                        diags.push(spec.diag(
                            &format!("{at}/samples"),
                            "x-replay replays `samples/invalid/`, but there is no such folder beside the spec",
                        ).concerns(Output::Conformance));
                    }
                }
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_replay(
    spec: &Spec,
    op: &OperationIr,
    resp: &ResponseIr,
    value: &Value,
    at: &str,
    plan: &ReplayPlan,
    request_schema: Option<&CompiledSchema>,
    diags: &mut Vec<Diagnostic>,
) {
    match (&plan.request, &plan.body, &op.request) {
        (Some(_), Some(_), _) => diags.push(
            spec.diag(at, "x-replay has both `request` and `body`")
                .hint("keep one"),
        ),
        (None, None, Some(_)) => diags.push(
            spec.diag(at, "x-replay names no request to send")
                .hint("add `request: <request example name>`, or `body:` with a literal invalid body"),
        ),
        (Some(_), _, None) | (_, Some(_), None) => {
            diags.push(spec.diag(at, format!("operation `{}` has no request body to send", op.id)))
        }
        _ => {}
    }
    if let (Some(req), Some(_)) = (&op.request, &plan.request) {
        for name in plan.request_names() {
            if req.example(name).is_none() {
                let known: Vec<&str> = req.examples.iter().map(|e| e.name.as_str()).collect();
                diags.push(
                    spec.diag(
                        &format!("{at}/request"),
                        format!("no request example named `{name}`"),
                    )
                    .hint(format!(
                        "request examples of `{}`: {}",
                        op.id,
                        known.join(", ")
                    )),
                );
            }
        }
    }
    if let (Some(body), Some(schema)) = (&plan.body, request_schema)
        && schema.is_valid(body)
    {
        diags.push(
                spec.diag(&format!("{at}/body"), "x-replay `body` is a valid request")
                    .hint("`body` is for payloads that break the request schema; name a request example with `request:` instead"),
            );
    }
    let unauth = plan.state.is_unauthenticated();
    if unauth == plan.auth.is_empty() {
        diags.push(
            spec.diag(
                at,
                "`auth` goes with `state: unauthenticated`, and that state needs it",
            )
            .hint("write `state: unauthenticated` with `auth: [none, wrong]`"),
        );
    }
    for s in &plan.also_accept {
        if *s == resp.status || !(400..=599).contains(s) {
            diags.push(spec.diag(
                &format!("{at}/alsoAccept"),
                format!("`alsoAccept` status {s} must be another 4xx or 5xx status"),
            ));
        }
    }
    match value.as_object() {
        Some(obj) => {
            for k in obj.keys() {
                if !plan.fields.contains_key(k) {
                    diags.push(
                        spec.diag(
                            &format!("{at}/match"),
                            format!("field `{k}` of the example has no match rule"),
                        )
                        .hint(format!("add `{k}: exact` or `{k}: schema`")),
                    );
                }
            }
            for k in plan.fields.keys() {
                if !obj.contains_key(k) {
                    diags.push(spec.diag(
                        &child(at, &["match", k]),
                        format!("`{k}` is not a field of the example"),
                    ));
                }
            }
        }
        None if !plan.fields.is_empty() => diags.push(spec.diag(
            &format!("{at}/match"),
            "`match` needs the example to be a JSON object",
        )),
        None => {}
    }
}

/// `samples/valid/*.json` must pass the request schema, `samples/invalid/*.json` must fail it.
fn check_samples(dir: &Path, schema: &CompiledSchema, op: &str, diags: &mut Vec<Diagnostic>) {
    for (folder, want_valid) in [("valid", true), ("invalid", false)] {
        for (path, loaded) in read_samples(&dir.join(folder)) {
            let file = path.display().to_string();
            match loaded {
                Err(d) => diags.push(d),
                Ok(value) => {
                    let errors = schema.errors(&value);
                    if want_valid && !errors.is_empty() {
                        let first = &errors[0];
                        diags.push(
                            Diagnostic::new(
                                &file,
                                &first.instance_pointer,
                                format!(
                                    "sample in valid/ is rejected by the request schema of `{op}`: {}",
                                    first.message
                                ),
                            )
                            .hint("fix the sample, or move it to invalid/ if it is meant to fail"),
                        );
                    } else if !want_valid && errors.is_empty() {
                        diags.push(
                            Diagnostic::new(&file, "", format!("sample in invalid/ is accepted by the request schema of `{op}`"))
                                .hint("the schema is missing the rule this sample's name describes, or the sample belongs in valid/"),
                        );
                    }
                }
            }
        }
    }
}

/// Reads every `*.json` file of a folder, sorted by name. Unreadable or malformed files come
/// back as diagnostics with their line and column; so do entries that are not regular files
/// (symlinks, FIFOs, devices) and files over [`MAX_SAMPLE_BYTES`], which are never read.
pub fn read_samples(dir: &Path) -> Vec<(std::path::PathBuf, Result<Value, Diagnostic>)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let v = read_sample(&p).and_then(|text| {
                serde_json::from_str::<Value>(&text).map_err(|e| {
                    Diagnostic::new(p.display().to_string(), "", format!("not valid JSON: {e}"))
                        .at(e.line(), e.column())
                })
            });
            (p, v)
        })
        .collect()
}

/// The text of one sample file: a regular file of at most [`MAX_SAMPLE_BYTES`].
pub fn read_sample(path: &Path) -> Result<String, Diagnostic> {
    read_regular(path, MAX_SAMPLE_BYTES).map_err(|e| {
        Diagnostic::new(path.display().to_string(), "", format!("cannot read sample: {e}"))
            .unreadable()
            .hint(format!(
                "samples are regular JSON files of at most {MAX_SAMPLE_BYTES} bytes"
            ))
    })
}
