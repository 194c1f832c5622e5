//! The conformance cases: derived from a contract's `x-replay` plans and its
//! `samples/invalid/` folder by [`contract_model::cases::derive`], never by hand. The embedded
//! contract's cases are the build-time suite (`tests/suite.rs`, one `#[test]` each, generated
//! by `build.rs` with the same function); `--spec FILE` derives another contract's at run time.

pub use contract_model::cases::{BodySource as Source, CaseAuth, CaseSpec as Case, SampleFile};
pub use contract_model::spec::replay::ResourceState;

include!(concat!(env!("OUT_DIR"), "/invalid_samples.rs"));

/// The embedded spec's `samples/invalid/` files, as build.rs read them.
pub fn embedded_samples() -> Vec<SampleFile> {
    INVALID_SAMPLES
        .iter()
        .map(|(stem, text)| SampleFile {
            stem: stem.to_string(),
            text: text.to_string(),
        })
        .collect()
}

/// The embedded contract's cases.
pub fn embedded() -> &'static [Case] {
    &crate::contract::Contract::embedded().cases
}

/// The embedded contract's case with this id.
pub fn find(id: &str) -> Option<&'static Case> {
    embedded().iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_are_derived_from_the_embedded_spec() {
        let contract = crate::contract::Contract::embedded();
        for op in &contract.operations {
            assert!(
                embedded().iter().any(|c| c.operation == op.ir.id),
                "no case for {}",
                op.ir.id
            );
        }
        for c in embedded() {
            let op = contract
                .operation(&c.operation)
                .expect("case names a known operation");
            assert!(
                op.response_schema(c.status).is_some(),
                "{}: no schema for {}",
                c.id,
                c.status
            );
            let body: serde_json::Value = serde_json::from_str(&c.body).expect("bodies are JSON");
            if let Some(req) = &op.request {
                assert_eq!(req.is_valid(&body), c.is_valid_request(), "{}", c.id);
            }
        }
    }

    /// The build-time suite (one `#[test]` per case) and the run-time table agree.
    #[test]
    fn the_generated_tests_name_every_case() {
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        let tests = squeeze(include_str!(concat!(env!("OUT_DIR"), "/case_tests.rs")));
        assert_eq!(tests.matches("check_case(").count(), embedded().len());
        for c in embedded() {
            let call = squeeze(&format!("check_case({:?}", c.id));
            assert!(tests.contains(&call), "{}", c.id);
        }
    }
}
