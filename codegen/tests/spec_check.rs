//! The project's spec passes every check, and the checks catch what they promise to.

use codegen::Spec;
use codegen::spec::check::check;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");

#[test]
fn project_spec_passes_every_check() {
    let spec = Spec::load(SPEC).unwrap_or_else(|d| panic!("{d}"));
    let api = check(&spec).unwrap_or_else(|d| panic!("{d}"));
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["resendOrderPaymentLink", "resendReservationPaymentLink"]);
}
