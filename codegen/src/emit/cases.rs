//! Emits the build-time conformance suite: one `#[test]` per case ([`emit_tests`], included by
//! `conformance/tests/suite.rs`) and the `samples/invalid/` files as text ([`emit_samples`],
//! so the binary runs from any directory). The cases themselves are derived by
//! [`contract_model::cases`] (re-exported here), the same function the runner uses at run time.

use quote::{format_ident, quote};

use super::{format_file, provenance_header};
use crate::diagnostics::Diagnostic;
use crate::ir::Api;
pub use contract_model::cases::*;

/// The sample files as `pub static INVALID_SAMPLES: &[(&str, &str)]` (stem, text).
pub fn emit_samples(api: &Api, samples: &[SampleFile], spec_name: &str) -> Result<String, Diagnostic> {
    let rows = samples.iter().map(|s| {
        let (stem, text) = (&s.stem, &s.text);
        quote!((#stem, #text))
    });
    let tokens = quote! {
        /// The files of `samples/invalid/` beside the spec: (name without `.json`, text).
        pub static INVALID_SAMPLES: &[(&str, &str)] = &[#(#rows),*];
    };
    let header = provenance_header("The invalid request samples", spec_name, &api.spec_sha256);
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
        let table = emit_samples(&api, &samples, "spec.yaml").unwrap();
        assert!(table.starts_with("// @generated"));
        for s in &samples {
            assert!(table.contains(&format!("\"{}\"", s.stem)), "{}", s.stem);
        }
        let tests = emit_tests(&api, &cases, "spec.yaml").unwrap();
        assert_eq!(tests.matches("#[test]").count(), cases.len());
    }
}
