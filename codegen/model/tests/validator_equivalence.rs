//! The project's validators (`SchemaRegistry`: patterns rewritten for the Rust engines, the
//! `pattern` keyword of `spec::lookahead`) give the same verdict as jsonschema run plainly on
//! the spec as written (default engine, patterns untouched), on every request sample and on
//! generated request bodies.

use std::path::{Path, PathBuf};

use contract_model::Spec;
use contract_model::spec::validators::{CompiledSchema, SchemaRegistry};
use jsonschema::{Draft, Registry, Validator};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

const REQUEST: &str = "/components/schemas/ResendRequest";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

struct Pair {
    ours: CompiledSchema,
    plain: Validator,
}

impl Pair {
    fn new() -> Pair {
        let spec = Spec::load(root().join("spec/frontpayment.openapi.yaml")).expect("spec loads");
        let ours = SchemaRegistry::new(&spec)
            .expect("registry")
            .compile(&spec, REQUEST)
            .expect("compiles");
        let registry = Registry::new()
            .add("urn:plain", Draft::Draft202012.create_resource(spec.doc.clone()))
            .and_then(|b| b.prepare())
            .expect("plain registry");
        let plain = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .with_registry(&registry)
            .build(&json!({ "$ref": format!("urn:plain#{REQUEST}") }))
            .expect("plain validator");
        Pair { ours, plain }
    }

    /// Both verdicts agree, and ours reports errors exactly when it says invalid.
    fn check(&self, body: &Value) -> bool {
        let plain = self.plain.is_valid(body);
        assert_eq!(self.ours.is_valid(body), plain, "{body}");
        assert_eq!(self.ours.errors(body).is_empty(), plain, "{body}");
        plain
    }
}

fn samples() -> Vec<Value> {
    let mut out = Vec::new();
    for dir in [
        "spec/samples/valid",
        "spec/samples/invalid",
        "conformance/tests/interop/requests/valid",
        "conformance/tests/interop/requests/invalid",
    ] {
        for e in std::fs::read_dir(root().join(dir)).expect("sample dir") {
            let text = std::fs::read_to_string(e.expect("entry").path()).expect("readable");
            out.push(serde_json::from_str(&text).expect("JSON sample"));
        }
    }
    out
}

#[test]
fn ours_and_plain_agree_on_every_sample() {
    let pair = Pair::new();
    let samples = samples();
    let valid = samples.iter().filter(|b| pair.check(b)).count();
    assert!(valid > 0 && valid < samples.len(), "{valid} of {}", samples.len());
}

/// Request bodies built key by key from the samples: each key absent, null, one of the values
/// the samples give it, or a generated string in the shapes the patterns and formats judge
/// (addresses with local parts around the 64-character limit, country codes, numbers, stray
/// newlines), or a wrong type.
fn bodies(seen: Vec<(String, Vec<Value>)>) -> impl Strategy<Value = Value> {
    let fields: Vec<_> = seen
        .into_iter()
        .map(|(key, values)| {
            let value = prop_oneof![
                1 => Just(None),
                1 => Just(Some(Value::Null)),
                4 => prop::sample::select(values).prop_map(Some),
                1 => "[a-z0-9._%+-]{58,68}@example\\.com".prop_map(|s| Some(Value::String(s))),
                1 => "[a-zA-Z0-9._%+-]{0,12}@[a-z0-9-]{0,8}(\\.[a-z0-9-]{0,6}){0,3}\n?"
                    .prop_map(|s| Some(Value::String(s))),
                1 => "[+]?[0-9]{0,17}\n?".prop_map(|s| Some(Value::String(s))),
                1 => any::<i64>().prop_map(|n| Some(json!(n))),
            ];
            (Just(key), value)
        })
        .collect();
    fields.prop_map(|pairs| {
        Value::Object(
            pairs
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?)))
                .collect::<Map<String, Value>>(),
        )
    })
}

#[test]
fn ours_and_plain_agree_on_generated_bodies() {
    let pair = Pair::new();
    let mut seen: Vec<(String, Vec<Value>)> = Vec::new();
    for body in samples() {
        for (k, v) in body.as_object().into_iter().flatten() {
            match seen.iter_mut().find(|(key, _)| key == k) {
                Some((_, values)) => values.push(v.clone()),
                None => seen.push((k.clone(), vec![v.clone()])),
            }
        }
    }
    seen.push(("unknownField".into(), vec![json!("x")]));
    let (valid, total) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let mut runner = TestRunner::new(Config::with_cases(3000));
    runner
        .run(&bodies(seen), |body| {
            total.set(total.get() + 1);
            valid.set(valid.get() + u32::from(pair.check(&body)));
            Ok(())
        })
        .unwrap();
    // Both verdicts occur, so agreement is not vacuous.
    let (valid, total) = (valid.get(), total.get());
    assert!(valid > 0 && valid < total, "{valid} valid of {total}");
}
