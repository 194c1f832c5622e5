//! The conformance cases of a contract, derived from its `x-replay` plans and the
//! `samples/invalid/` folder beside it: for each response example, one case per request
//! example it names (or its literal body), one per credential mode in `auth`, and one per
//! file of `samples/invalid/` when it says `samples: invalid`. Nothing is written by hand.
//!
//! The conformance crate derives them at run time from whatever contract it is given;
//! `codegen::emit::cases` turns the same list into one `#[test]` per case at build time.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Api, OperationIr};
use crate::spec::replay::{Auth, ResourceState};

/// A request body file of `samples/invalid/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleFile {
    /// File name without `.json`, e.g. `all-null`.
    pub stem: String,
    /// The file's text, sent as is.
    pub text: String,
}

/// Reads `samples/invalid/*.json` (sorted by name) as text. A file that is not JSON is
/// refused with its line and column: the case would test nothing.
pub fn read_invalid_samples(samples_dir: &Path) -> Result<Vec<SampleFile>, Diagnostics> {
    let dir = samples_dir.join("invalid");
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for (path, parsed) in crate::spec::check::read_samples(&dir) {
        if let Err(d) = parsed {
            diags.push(d);
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string();
        match crate::spec::check::read_sample(&path) {
            Ok(text) => out.push(SampleFile { stem, text }),
            Err(d) => diags.push(d),
        }
    }
    Diagnostics(diags).into_result()?;
    Ok(out)
}

/// What a case sends as its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodySource {
    /// A named request example of the operation (a valid request).
    Example(String),
    /// The plan's literal `body` (invalid on purpose).
    Literal,
    /// A file of `samples/invalid/` (its stem).
    Sample(String),
    /// Nothing: the operation takes no request body.
    Empty,
}

/// Which credentials a case sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAuth {
    Token,
    None,
    Wrong,
}

/// One case, as derived from the IR.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseSpec {
    pub id: String,
    pub operation: String,
    pub method: String,
    pub path: String,
    pub resource: Option<String>,
    /// The fixture whose identifier goes in the path.
    pub fixture: ResourceState,
    pub source: BodySource,
    /// The exact JSON text sent.
    pub body: String,
    pub auth: CaseAuth,
    pub status: u16,
    pub also_accept: Vec<u16>,
    /// The response example this case reproduces.
    pub example: String,
    /// The example's value as compact JSON.
    pub expected: String,
    /// JSON pointers of the fields that must equal the example.
    pub exact: Vec<String>,
}

/// Derives every case. Problems (a plan naming an unknown request example, `samples: invalid`
/// with no samples) are diagnostics, though `codegen check` already refuses such specs.
pub fn derive(api: &Api, invalid: &[SampleFile]) -> Result<Vec<CaseSpec>, Diagnostics> {
    derive_with(api, Some(invalid))
}

/// [`derive()`], where `None` says the spec has no `samples/` folder beside it (a copy read at
/// run time): plans' `samples: invalid` then add no case instead of being an error.
pub fn derive_with(api: &Api, invalid: Option<&[SampleFile]>) -> Result<Vec<CaseSpec>, Diagnostics> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for op in &api.operations {
        for resp in &op.responses {
            for ex in &resp.examples {
                let Some(plan) = &ex.replay else { continue };
                let expected = serde_json::to_string(&ex.value).unwrap_or_else(|_| "null".into());
                let mut bodies: Vec<(Option<String>, BodySource, String)> = Vec::new();
                let names = plan.request_names();
                for name in &names {
                    match op.request.as_ref().and_then(|r| r.example(name)) {
                        Some(req) => bodies.push((
                            (names.len() > 1).then(|| name.to_string()),
                            BodySource::Example(name.to_string()),
                            serde_json::to_string(&req.value).unwrap_or_else(|_| "null".into()),
                        )),
                        None => diags.push(
                            Diagnostic::new(
                                "<spec>",
                                format!("{}/x-replay/request", ex.pointer),
                                format!("no request example named `{name}`"),
                            )
                            .hint("name one of the operation's request-body examples"),
                        ),
                    }
                }
                if let Some(body) = &plan.body {
                    bodies.push((
                        None,
                        BodySource::Literal,
                        serde_json::to_string(body).unwrap_or_else(|_| "null".into()),
                    ));
                }
                if op.request.is_none() && bodies.is_empty() {
                    bodies.push((None, BodySource::Empty, String::new()));
                }
                let auths: Vec<(Option<&str>, CaseAuth)> = if plan.auth.is_empty() {
                    vec![(None, CaseAuth::Token)]
                } else {
                    plan.auth
                        .iter()
                        .map(|a| match a {
                            Auth::None => (Some("none"), CaseAuth::None),
                            Auth::Wrong => (Some("wrong"), CaseAuth::Wrong),
                        })
                        .collect()
                };
                let fixture = fixture_state(op, &plan.state);
                let case = |id: String, source: BodySource, body: String, auth: CaseAuth| CaseSpec {
                    id,
                    operation: op.id.clone(),
                    method: op.method.clone(),
                    path: op.path.clone(),
                    resource: op.resource.clone(),
                    fixture: fixture.clone(),
                    source,
                    body,
                    auth,
                    status: resp.status,
                    also_accept: plan.also_accept.clone(),
                    example: ex.name.clone(),
                    expected: expected.clone(),
                    exact: plan.exact_pointers(),
                };
                for (suffix, source, body) in &bodies {
                    for (auth_suffix, auth) in &auths {
                        let mut id = format!("{}/{}", op.id, ex.name);
                        for s in [suffix.as_deref(), *auth_suffix].into_iter().flatten() {
                            id.push('/');
                            id.push_str(s);
                        }
                        out.push(case(id, source.clone(), body.clone(), *auth));
                    }
                }
                if let (Some(_), Some(invalid)) = (&plan.samples, invalid) {
                    if invalid.is_empty() {
                        diags.push(Diagnostic::new(
                            "<spec>",
                            format!("{}/x-replay/samples", ex.pointer),
                            "`samples: invalid` but samples/invalid/ holds no file",
                        ));
                    }
                    for s in invalid {
                        out.push(case(
                            format!("{}/invalid/{}", op.id, s.stem),
                            BodySource::Sample(s.stem.clone()),
                            s.text.clone(),
                            CaseAuth::Token,
                        ));
                    }
                }
            }
        }
    }
    for (i, c) in out.iter().enumerate() {
        if out[..i].iter().any(|o| o.id == c.id) {
            diags.push(
                Diagnostic::new("<spec>", "", format!("two cases would share the id `{}`", c.id))
                    .hint("rename a response example or a sample file"),
            );
        }
    }
    Diagnostics(diags).into_result()?;
    Ok(out)
}

impl CaseSpec {
    /// True when the request is a documented one (a request example, or no body where the
    /// operation takes none), so it is valid.
    pub fn is_valid_request(&self) -> bool {
        matches!(self.source, BodySource::Example(_) | BodySource::Empty)
    }
}

/// The states `op`'s plans declare, in first-use order (`unauthenticated` is not a state a
/// resource is in, so it is left out; `missing` is kept).
pub fn declared_states(op: &OperationIr) -> Vec<&ResourceState> {
    let mut out: Vec<&ResourceState> = Vec::new();
    for ex in op.responses.iter().flat_map(|r| &r.examples) {
        if let Some(plan) = &ex.replay
            && !plan.state.is_unauthenticated()
            && !out.contains(&&plan.state)
        {
            out.push(&plan.state);
        }
    }
    out
}

/// The state of the resource a case in `state` is sent to: the state itself, except for
/// `unauthenticated`, which targets the resource in the operation's success state (the first
/// state whose documented answer is a 2xx) so that only the credentials can make it fail.
pub fn fixture_state(op: &OperationIr, state: &ResourceState) -> ResourceState {
    if !state.is_unauthenticated() {
        return state.clone();
    }
    op.responses
        .iter()
        .filter(|r| (200..300).contains(&r.status))
        .flat_map(|r| &r.examples)
        .filter_map(|e| e.replay.as_ref())
        .find(|p| p.auth.is_empty() && !p.state.is_unauthenticated())
        .map(|p| p.state.clone())
        .unwrap_or_else(ResourceState::missing)
}
