//! The conformance cases, generated at build time from the spec's `x-replay` plans and the
//! `spec/samples/invalid/` folder (see `codegen::emit::cases`). None is written by hand.

pub use contract_model::spec::replay::ResourceState;

/// What a case sends as its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A named request example: a valid request (its destinations may be replaced by the
    /// profile's `deliver_to`).
    Example(&'static str),
    /// The plan's literal body, invalid on purpose.
    Literal,
    /// A file of `spec/samples/invalid/` (its name without `.json`).
    Sample(&'static str),
}

/// Which credentials a case sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAuth {
    /// The target's token.
    Token,
    /// No `Authorization` header.
    None,
    /// A bearer token that is not the target's.
    Wrong,
}

/// One replay of a documented sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Case {
    /// Stable id, e.g. `resendOrderPaymentLink/orderStatusAlreadyPaid`.
    pub id: &'static str,
    pub operation: &'static str,
    pub method: &'static str,
    /// Path template, e.g. `/api/v1/connect/orders/resend/{orderUuid}`.
    pub path: &'static str,
    /// `x-resource` of the operation: the fixture section.
    pub resource: Option<&'static str>,
    /// The fixture whose identifier goes in the path.
    pub fixture: ResourceState,
    pub source: Source,
    /// The JSON text sent, before any `deliver_to` substitution.
    pub body: &'static str,
    pub auth: CaseAuth,
    /// The documented status.
    pub status: u16,
    /// Other statuses that also pass.
    pub also_accept: &'static [u16],
    /// The response example reproduced.
    pub example: &'static str,
    /// The example's value, as JSON.
    pub expected: &'static str,
    /// Pointers of fields that must equal the example.
    pub exact: &'static [&'static str],
}

impl Case {
    /// True when the body is a request example (so the request is valid).
    pub fn is_valid_request(&self) -> bool {
        matches!(self.source, Source::Example(_))
    }
}

include!(concat!(env!("OUT_DIR"), "/cases.rs"));

/// The case with this id.
pub fn find(id: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_generated_from_the_embedded_spec() {
        let contract = crate::contract::Contract::embedded();
        for op in &contract.operations {
            assert!(
                CASES.iter().any(|c| c.operation == op.ir.id),
                "no case for {}",
                op.ir.id
            );
        }
        for c in CASES {
            let op = contract
                .operation(c.operation)
                .expect("case names a known operation");
            assert!(
                op.response_schema(c.status).is_some(),
                "{}: no schema for {}",
                c.id,
                c.status
            );
            let body: serde_json::Value = serde_json::from_str(c.body).expect("bodies are JSON");
            if let Some(req) = &op.request {
                assert_eq!(req.is_valid(&body), c.is_valid_request(), "{}", c.id);
            }
        }
    }
}
