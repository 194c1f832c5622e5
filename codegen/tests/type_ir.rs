//! The type IR derives the Rust shapes from the schemas: choices from `oneOf`/`anyOf`
//! required-sets, unions from branches of different JSON types, open response enums and
//! closed request enums, and response variants keyed by status.

use codegen::Spec;
use codegen::ir::client::{ClientIr, build};
use codegen::ir::types::{Combinator, FieldRule, TypeKind, TypeRef};
use codegen::spec::check::check;

const MAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
const SHIPPING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/specs/shipping.openapi.yaml"
);

fn ir(path: &str) -> ClientIr {
    let spec = Spec::load(path).unwrap();
    let api = check(&spec).unwrap_or_else(|d| panic!("{d}"));
    build(&spec, &api).unwrap_or_else(|d| panic!("{d}"))
}

/// A choice's combinator, its branches (constructor, rules) and its properties.
type ChoiceSummary = (Combinator, Vec<(String, Vec<FieldRule>)>, Vec<String>);

fn rules(ir: &ClientIr, name: &str) -> ChoiceSummary {
    match &ir.types.get(name).unwrap().kind {
        TypeKind::Choice(c) => (
            c.combinator,
            c.branches
                .iter()
                .map(|b| (b.constructor.clone(), b.rules.clone()))
                .collect(),
            c.fields.iter().map(|f| f.wire.clone()).collect(),
        ),
        other => panic!("{name} is {other:?}"),
    }
}

#[test]
fn one_of_required_sets_become_constructors() {
    use FieldRule::*;
    let (comb, branches, fields) = rules(&ir(MAIN), "ResendRequest");
    assert_eq!(comb, Combinator::OneOf);
    assert_eq!(fields, ["countryCode", "msisdn", "email"]);
    assert_eq!(
        branches,
        [
            ("new_email".to_string(), vec![Unset, Unset, Set]),
            ("new_sms".to_string(), vec![Set, Set, Unset]),
            ("new_sms_and_email".to_string(), vec![Set, Set, Set]),
        ]
    );
}

#[test]
fn any_of_required_sets_leave_unmentioned_properties_free() {
    use FieldRule::*;
    let (comb, branches, fields) = rules(&ir(SHIPPING), "Recipient");
    assert_eq!(comb, Combinator::AnyOf);
    assert_eq!(fields, ["name", "phone", "email"]);
    assert_eq!(
        branches,
        [
            ("new_by_phone".to_string(), vec![Free, Set, Free]),
            ("new_by_email".to_string(), vec![Free, Free, Set])
        ]
    );
}

#[test]
fn branches_of_different_json_types_become_a_union() {
    let ir = ir(MAIN);
    let TypeKind::Union(u) = &ir.types.get("ErrorDetails").unwrap().kind else {
        panic!()
    };
    assert_eq!(u.discriminator, None);
    let vs = &u.variants;
    let names: Vec<&str> = vs.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["ByField", "List"]);
    assert_eq!(
        vs[0].ty,
        TypeRef::Map(Box::new(TypeRef::Array(Box::new(TypeRef::String))))
    );
    assert_eq!(vs[1].ty, TypeRef::Array(Box::new(TypeRef::Json)));
}

#[test]
fn response_enums_are_open_and_request_enums_closed() {
    let ir = ir(SHIPPING);
    let open = |n: &str| match &ir.types.get(n).unwrap().kind {
        TypeKind::StringEnum(e) => e.open,
        other => panic!("{n} is {other:?}"),
    };
    assert!(!open("NewShipmentSpeed"));
    assert!(!open("Carrier"));
    assert!(open("ShipmentState"));
    assert!(open("EventKind"));
    assert!(open("CreateShipment422ResponseProblemsItemReason"));
}

#[test]
fn response_variants_are_keyed_by_status() {
    let variants = |ir: &ClientIr, op: &str| -> Vec<(u16, String)> {
        let op = ir.operations.iter().find(|o| o.id == op).unwrap();
        op.responses
            .iter()
            .map(|r| (r.status, r.variant.clone()))
            .collect()
    };
    let main = ir(MAIN);
    let want: Vec<(u16, String)> = [
        (202, "ResendAccepted"),
        (400, "OrderConflict"),
        (401, "Unauthenticated"),
        (404, "NotFound"),
        (417, "PayloadInvalid"),
        (510, "ExecutionFailed"),
    ]
    .map(|(s, v)| (s, v.to_string()))
    .to_vec();
    assert_eq!(variants(&main, "resendOrderPaymentLink"), want);
    let shipping = ir(SHIPPING);
    assert_eq!(
        variants(&shipping, "cancelShipment"),
        [
            (200, "Shipment".to_string()),
            (204, "NoContent".to_string()),
            (409, "Delivered".to_string())
        ]
    );
    // The reason phrase is the `http` crate's (RFC 7231's name for 422).
    assert_eq!(
        variants(&shipping, "createShipment")[1],
        (422, "UnprocessableEntity".to_string())
    );
    let cancel = shipping
        .operations
        .iter()
        .find(|o| o.id == "cancelShipment")
        .unwrap();
    assert_eq!(cancel.responses[1].body, None, "204 has no body");
}

#[test]
fn personal_data_is_marked_from_x_pii() {
    let ir = ir(MAIN);
    assert!(ir.types.get("Msisdn").unwrap().pii);
    assert!(ir.types.get("EmailAddress").unwrap().pii);
    assert!(!ir.types.get("CountryCode").unwrap().pii);
    let TypeKind::Choice(c) = &ir.types.get("ResendRequest").unwrap().kind else {
        panic!()
    };
    let pii: Vec<bool> = c.fields.iter().map(|f| f.pii).collect();
    assert_eq!(pii, [false, true, true]);
}
