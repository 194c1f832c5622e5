//! The conformance suite as tests: one `#[test]` per generated case (build.rs writes them from
//! the spec), run against the embedded mock, or against `CONFORMANCE_PROFILE` when set.

include!(concat!(env!("OUT_DIR"), "/case_tests.rs"));
