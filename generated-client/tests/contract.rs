//! The Rust types and the spec cannot drift apart:
//! - every sample of `spec/samples/` gets the same verdict from the Rust types (deserializing)
//!   and from the schema schemars derives for them as from the spec;
//! - every value the public API can build serializes to JSON the spec's schema accepts.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use codegen::spec::check::read_samples;
use codegen::spec::validators::{CompiledSchema, SchemaRegistry};
use frontpay_client::types::*;
use proptest::prelude::*;
use serde_json::Value;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/samples");

/// The spec's validators for its component schemas, compiled once.
static SCHEMAS: LazyLock<BTreeMap<String, CompiledSchema>> = LazyLock::new(|| {
    let spec = codegen::Spec::load(SPEC).unwrap_or_else(|d| panic!("{d}"));
    let registry = SchemaRegistry::new(&spec).unwrap();
    spec.api
        .components
        .schemas
        .keys()
        .map(|name| {
            (
                name.clone(),
                registry
                    .compile(&spec, &format!("/components/schemas/{name}"))
                    .unwrap(),
            )
        })
        .collect()
});

fn spec_schema(name: &str) -> &'static CompiledSchema {
    &SCHEMAS[name]
}

fn samples(kind: &str) -> Vec<(String, Value)> {
    let out: Vec<(String, Value)> = read_samples(&Path::new(SAMPLES).join(kind))
        .into_iter()
        .map(|(p, v)| (p.display().to_string(), v.unwrap_or_else(|d| panic!("{d}"))))
        .collect();
    assert!(out.len() >= 5, "too few {kind} samples");
    out
}

#[test]
fn the_rust_type_gives_every_sample_its_verdict() {
    let schema = spec_schema("ResendRequest");
    for (name, v) in samples("valid") {
        let parsed: ResendRequest = serde_json::from_value(v.clone())
            .unwrap_or_else(|e| panic!("{name} is valid but was refused: {e}"));
        // What the client sends back is accepted by the spec, too.
        let again = serde_json::to_value(&parsed).unwrap();
        assert!(schema.is_valid(&again), "{name}: re-serialized as {again}");
        assert_eq!(serde_json::from_value::<ResendRequest>(again).unwrap(), parsed);
    }
    for (name, v) in samples("invalid") {
        assert!(
            serde_json::from_value::<ResendRequest>(v.clone()).is_err(),
            "{name} is invalid but was accepted: {v}"
        );
    }
}

#[test]
fn the_schema_schemars_derives_gives_every_sample_its_verdict() {
    let derived = serde_json::to_value(schemars::schema_for!(ResendRequest)).unwrap();
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&derived)
        .unwrap_or_else(|e| panic!("the derived schema does not compile: {e}\n{derived:#}"));
    for (name, v) in samples("valid") {
        assert!(
            validator.is_valid(&v),
            "{name} is valid but the derived schema refuses it:\n{derived:#}"
        );
    }
    for (name, v) in samples("invalid") {
        assert!(
            !validator.is_valid(&v),
            "{name} is invalid but the derived schema accepts it:\n{derived:#}"
        );
    }
}

#[test]
fn requests_are_written_with_every_channel_null_when_unused() {
    let body = ResendRequest::new_email(EmailAddress::new("example-email@email.com").unwrap());
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"countryCode":null,"msisdn":null,"email":"example-email@email.com"}"#
    );
}

#[test]
fn constraint_errors_name_the_rule_not_the_value() {
    let e = Msisdn::new("12ab").unwrap_err();
    assert_eq!(e.type_name(), "Msisdn");
    assert!(e.rule().starts_with("pattern"));
    assert!(!e.to_string().contains("12ab"), "{e}");
    assert!(CountryCode::new("47").is_err());
    assert!(OrderId::new("").is_err());
    assert!(OrderId::new("x".repeat(65)).is_err());
    assert!(EmailAddress::new("a@b").is_err());
    assert_eq!(OrderId::new("ODR123456789").unwrap().to_string(), "ODR123456789");
}

/// Strings shaped like the field, or anything at all: only what `new` accepts is used.
fn candidates(shape: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![
        3 => proptest::string::string_regex(shape).unwrap(),
        1 => any::<String>(),
    ]
}

proptest! {
    #[test]
    fn every_request_the_api_can_build_is_valid_for_the_spec(
        cc in candidates(r"\+[1-9][0-9]{0,3}"),
        msisdn in candidates(r"[0-9]{4,15}"),
        email in candidates(r"[a-z0-9_%+-]{1,12}(\.[a-z0-9]{1,5})?@[a-z0-9]{1,10}\.[a-z]{2,8}"),
        which in 0..3usize,
    ) {
        let schema = spec_schema("ResendRequest");
        let (cc, msisdn, email) = (CountryCode::new(cc), Msisdn::new(msisdn), EmailAddress::new(email));
        let body = match (which, cc, msisdn, email) {
            (0, _, _, Ok(e)) => ResendRequest::new_email(e),
            (1, Ok(c), Ok(m), _) => ResendRequest::new_sms(c, m),
            (2, Ok(c), Ok(m), Ok(e)) => ResendRequest::new_sms_and_email(c, m, e),
            _ => return Ok(()),
        };
        let json = serde_json::to_value(&body).unwrap();
        let errors = schema.errors(&json);
        prop_assert!(errors.is_empty(), "{json} refused: {errors:?}");
        prop_assert_eq!(serde_json::from_value::<ResendRequest>(json).unwrap(), body);
    }

    #[test]
    fn every_identifier_the_api_accepts_is_valid_for_the_spec(id in candidates(r"[A-Za-z0-9][A-Za-z0-9_-]{0,70}")) {
        for (name, accepted) in [
            ("OrderId", OrderId::new(id.clone()).map(|v| v.into_inner())),
            ("ReservationId", ReservationId::new(id.clone()).map(|v| v.into_inner())),
        ] {
            let schema = spec_schema(name);
            let value = Value::from(id.clone());
            // The newtype and the spec agree both ways.
            prop_assert_eq!(accepted.is_ok(), schema.is_valid(&value), "{} {:?}", name, id);
        }
    }
}

/// A JSON value for one channel property: absent, null, well-shaped, any text, or a number.
fn channel(shape: &'static str) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        proptest::string::string_regex(shape)
            .unwrap()
            .prop_map(|s| Some(Value::from(s))),
        any::<String>().prop_map(|s| Some(Value::from(s))),
        any::<i32>().prop_map(|n| Some(Value::from(n))),
    ]
}

proptest! {
    #[test]
    fn the_rust_type_and_the_spec_agree_on_any_payload(
        cc in channel(r"\+[1-9][0-9]{0,3}"),
        msisdn in channel(r"[0-9]{4,15}"),
        email in channel(r"[a-z0-9]{1,12}@[a-z0-9]{1,10}\.[a-z]{2,8}"),
        extra in proptest::option::of(any::<bool>()),
    ) {
        let mut object = serde_json::Map::new();
        for (key, value) in [("countryCode", cc), ("msisdn", msisdn), ("email", email)] {
            if let Some(v) = value {
                object.insert(key.to_string(), v);
            }
        }
        if let Some(b) = extra {
            object.insert("somethingElse".to_string(), Value::from(b));
        }
        let payload = Value::Object(object);
        let spec_says = spec_schema("ResendRequest").is_valid(&payload);
        let rust_says = serde_json::from_value::<ResendRequest>(payload.clone()).is_ok();
        prop_assert_eq!(rust_says, spec_says, "{}", payload);
    }
}
