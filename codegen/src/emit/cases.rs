//! Emits the conformance case table from the operation IR and the sample folder.
//!
//! Every case comes from an `x-replay` plan (see [`crate::spec::replay`]): for each response
//! example, one case per request example it names (or its literal body), one per credential
//! mode in `auth`, and one per file of `samples/invalid/` when it says `samples: invalid`.
//! Nothing is written by hand. Two files are emitted:
//!
//! - [`emit_table`]: `static CASES: &[Case]`, included by `conformance/src/cases.rs`;
//! - [`emit_tests`]: one `#[test]` per case, included by `conformance/tests/suite.rs`.
//!
//! Sample files are embedded as text, so the binary runs from any directory.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{format_file, provenance_header};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::Api;
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
        match std::fs::read_to_string(&path) {
            Ok(text) => out.push(SampleFile { stem, text }),
            Err(e) => diags.push(
                Diagnostic::new(path.display().to_string(), "", format!("cannot read sample: {e}"))
                    .unreadable(),
            ),
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
}

/// Which credentials a case sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAuth {
    Token,
    None,
    Wrong,
}

/// One case, as derived from the IR (the emitted table is this list, as Rust).
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
                    bodies.push((None, BodySource::Literal, String::new()));
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
                let case = |id: String, source: BodySource, body: String, auth: CaseAuth| CaseSpec {
                    id,
                    operation: op.id.clone(),
                    method: op.method.clone(),
                    path: op.path.clone(),
                    resource: op.resource.clone(),
                    fixture: plan.state.fixture(),
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
                if plan.samples.is_some() {
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

fn state_tokens(s: ResourceState) -> TokenStream {
    let v = match s {
        ResourceState::Open => quote!(Open),
        ResourceState::Paid => quote!(Paid),
        ResourceState::Cancelled => quote!(Cancelled),
        ResourceState::Completed => quote!(Completed),
        ResourceState::Missing => quote!(Missing),
        ResourceState::Failing => quote!(Failing),
        ResourceState::Unauthenticated => quote!(Unauthenticated),
    };
    quote!(ResourceState::#v)
}

/// The case table: `pub static CASES: &[Case] = &[...];` using the `Case`, `Source`,
/// `CaseAuth` and `ResourceState` names in scope where the file is included.
pub fn emit_table(api: &Api, cases: &[CaseSpec], spec_name: &str) -> Result<String, Diagnostic> {
    let rows = cases.iter().map(|c| {
        let CaseSpec {
            id,
            operation,
            method,
            path,
            body,
            status,
            example,
            expected,
            ..
        } = c;
        let resource = match &c.resource {
            Some(r) => quote!(Some(#r)),
            None => quote!(None),
        };
        let fixture = state_tokens(c.fixture);
        let source = match &c.source {
            BodySource::Example(n) => quote!(Source::Example(#n)),
            BodySource::Literal => quote!(Source::Literal),
            BodySource::Sample(n) => quote!(Source::Sample(#n)),
        };
        let auth = match c.auth {
            CaseAuth::Token => quote!(CaseAuth::Token),
            CaseAuth::None => quote!(CaseAuth::None),
            CaseAuth::Wrong => quote!(CaseAuth::Wrong),
        };
        let also = &c.also_accept;
        let exact = &c.exact;
        quote! {
            Case {
                id: #id,
                operation: #operation,
                method: #method,
                path: #path,
                resource: #resource,
                fixture: #fixture,
                source: #source,
                body: #body,
                auth: #auth,
                status: #status,
                also_accept: &[#(#also),*],
                example: #example,
                expected: #expected,
                exact: &[#(#exact),*],
            }
        }
    });
    let tokens = quote! {
        /// Every conformance case, in spec order.
        pub static CASES: &[Case] = &[#(#rows),*];
    };
    let header = provenance_header("The conformance case table", spec_name, &api.spec_sha256);
    Ok(format!("{header}{}", format_file(tokens)?))
}

/// One `#[test]` per case, each calling `conformance::runner::testing::check_case(id)`.
pub fn emit_tests(api: &Api, cases: &[CaseSpec], spec_name: &str) -> Result<String, Diagnostic> {
    let mut used: Vec<String> = Vec::new();
    let tests = cases.iter().map(|c| {
        let base = test_name(&c.id);
        let mut name = base.clone();
        let mut n = 2;
        while used.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        used.push(name.clone());
        let ident = format_ident!("{}", name);
        let id = &c.id;
        let doc = format!(" `{id}`: expects {}.", c.status);
        quote! {
            #[doc = #doc]
            #[test]
            fn #ident() {
                conformance::runner::testing::check_case(#id);
            }
        }
    });
    let tokens = quote!(#(#tests)*);
    let header = provenance_header("One test per conformance case", spec_name, &api.spec_sha256);
    Ok(format!("{header}{}", format_file(tokens)?))
}

/// `resendOrderPaymentLink/invalid/all-null` → `resend_order_payment_link_invalid_all_null`.
pub fn test_name(id: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for ch in id.chars() {
        if ch.is_ascii_uppercase() {
            if prev_lower {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
            prev_lower = false;
        } else if ch.is_ascii_alphanumeric() {
            out.push(ch);
            prev_lower = true;
        } else {
            if !out.ends_with('_') && !out.is_empty() {
                out.push('_');
            }
            prev_lower = false;
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.starts_with(|c: char| c.is_ascii_digit()) || out.is_empty() {
        format!("case_{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_are_snake_case() {
        assert_eq!(
            test_name("resendOrderPaymentLink/invalid/all-null"),
            "resend_order_payment_link_invalid_all_null"
        );
        assert_eq!(
            test_name("a/resentOrderSuccessfully/smsOnly"),
            "a_resent_order_successfully_sms_only"
        );
        assert_eq!(test_name("9x"), "case_9x");
    }

    #[test]
    fn cases_cover_every_plan_of_the_project_spec() {
        let spec = crate::Spec::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../spec/frontpayment.openapi.yaml"
        ))
        .unwrap();
        let api = crate::spec::check::check(&spec).unwrap();
        let samples = read_invalid_samples(&spec.samples_dir().unwrap()).unwrap();
        let cases = derive(&api, &samples).unwrap();
        let ids: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
        for op in &api.operations {
            // Every response example with a plan yields at least one case of its operation.
            for r in &op.responses {
                for ex in r.examples.iter().filter(|e| e.replay.is_some()) {
                    let prefix = format!("{}/{}", op.id, ex.name);
                    assert!(ids.iter().any(|i| i.starts_with(&prefix)), "no case for {prefix}");
                }
            }
            for s in &samples {
                assert!(ids.contains(&format!("{}/invalid/{}", op.id, s.stem).as_str()));
            }
        }
        let table = emit_table(&api, &cases, "spec.yaml").unwrap();
        assert!(table.starts_with("// @generated"));
        let tests = emit_tests(&api, &cases, "spec.yaml").unwrap();
        assert_eq!(tests.matches("#[test]").count(), cases.len());
    }
}
