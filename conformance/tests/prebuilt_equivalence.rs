//! The embedded contract's verdicts generated at build time (`src/prebuilt.rs`) agree with the
//! validators compiled at run time from the same spec (`SchemaRegistry::compile`, what `--spec`
//! gets): the same verdict, and the same errors (instance pointer, keyword pointer, keyword,
//! message; reported when the generated verdict says invalid, and only then) on every sample
//! file, every example in the spec, and generated documents.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use conformance::contract::Contract;
use conformance::prebuilt::PREBUILT;
use contract_model::spec::validators::{CompiledSchema, SchemaRegistry};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// (prebuilt, runtime) for every generated validator.
fn pairs() -> Vec<(CompiledSchema, CompiledSchema)> {
    let contract = Contract::embedded();
    let spec = &contract.spec;
    let prebuilt = SchemaRegistry::new(spec)
        .expect("registry")
        .with_prebuilt(PREBUILT);
    let runtime = SchemaRegistry::new(spec).expect("registry");
    PREBUILT
        .iter()
        .map(|p| {
            let a = prebuilt.compile(spec, p.pointer).expect("prebuilt");
            let b = runtime.compile(spec, p.pointer).expect("compiles");
            assert!(a.is_prebuilt() && !b.is_prebuilt());
            (a, b)
        })
        .collect()
}

type ErrorSet = BTreeSet<(String, String, String, String)>;

fn error_set(v: &CompiledSchema, doc: &Value) -> ErrorSet {
    v.errors(doc)
        .into_iter()
        .map(|e| (e.instance_pointer, e.keyword_pointer, e.keyword, e.message))
        .collect()
}

/// Both agree on `doc`; returns the verdict.
fn agree(pair: &(CompiledSchema, CompiledSchema), doc: &Value) -> bool {
    let (generated, runtime) = pair;
    let verdict = runtime.is_valid(doc);
    assert_eq!(generated.is_valid(doc), verdict, "{} on {doc}", runtime.pointer);
    let errors = error_set(runtime, doc);
    assert_eq!(error_set(generated, doc), errors, "{} on {doc}", runtime.pointer);
    assert_eq!(errors.is_empty(), verdict, "{} on {doc}", runtime.pointer);
    verdict
}

/// Every JSON file under the sample folders, and every example value in the spec.
fn corpus() -> Vec<Value> {
    fn walk(dir: &Path, out: &mut Vec<Value>) {
        for e in std::fs::read_dir(dir).expect("sample dir").flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&path).expect("readable");
                out.push(serde_json::from_str(&text).expect("JSON sample"));
            }
        }
    }
    fn examples(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("example", v) => out.push(v.clone()),
                        ("examples", Value::Array(items)) => out.extend(items.iter().cloned()),
                        ("examples", Value::Object(named)) => {
                            out.extend(named.values().filter_map(|e| e.get("value").cloned()))
                        }
                        _ => {}
                    }
                    examples(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| examples(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&root().join("spec/samples"), &mut out);
    walk(&root().join("conformance/tests/interop/requests"), &mut out);
    examples(&Contract::embedded().spec.doc, &mut out);
    out
}

#[test]
fn every_validator_of_the_embedded_contract_is_generated() {
    let contract = Contract::embedded();
    for op in &contract.operations {
        let all = op
            .request
            .iter()
            .chain(&op.path_params)
            .chain(op.params.iter().map(|p| &p.schema))
            .chain(op.responses.iter().map(|(_, s)| s));
        for schema in all {
            assert!(schema.is_prebuilt(), "{} is compiled at run time", schema.pointer);
        }
    }
    // And a spec read at run time gets runtime validators.
    let loaded = Contract::load(&root().join("spec/frontpayment.openapi.yaml")).expect("spec loads");
    let request = loaded.operations[0].request.as_ref().expect("a request body");
    assert!(!request.is_prebuilt());
}

#[test]
fn generated_and_runtime_agree_on_the_corpus() {
    let corpus = corpus();
    for pair in pairs() {
        let valid = corpus.iter().filter(|doc| agree(&pair, doc)).count();
        // Every schema accepts some document of the corpus and rejects another.
        assert!(
            valid > 0 && valid < corpus.len(),
            "{}: {valid} of {}",
            pair.0.pointer,
            corpus.len()
        );
    }
}

/// Strings at the edges the spec's patterns and formats judge: local parts around the
/// 64-character limit, quoted local parts, IP literals, leading, doubled and trailing dots,
/// calling codes and numbers of every length, identifiers, stray newlines and spaces.
fn edge_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9._%+-]{58,68}@example\\.com",
        "[a-zA-Z0-9._%+-]{0,12}@[a-z0-9-]{0,8}(\\.[a-z0-9-]{0,6}){0,3}[\n ]?",
        "\"[a-z .@]{0,8}\"@example\\.(com|c)",
        "[a-z]{1,4}@\\[(127\\.0\\.0\\.1|IPv6:::1|300\\.1\\.1\\.1)\\]",
        "\\.?[a-z]{1,4}\\.{0,2}[a-z]{0,3}\\.?@[a-z]{1,4}\\.[a-z]{1,3}\\.?",
        "[+]?[0-9]{0,17}[\n ]?",
        "[A-Za-z0-9_-]{0,3}[ \n]?[A-Za-z0-9_-]{0,70}",
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        2 => Just(Value::Null),
        6 => edge_string().prop_map(Value::String),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => any::<bool>().prop_map(Value::Bool),
        1 => Just(json!([])),
        1 => Just(json!({})),
    ]
}

/// Objects keyed by every property name the spec's schemas declare, plus one it does not:
/// each key absent, null, an edge string or a wrong type.
fn documents(keys: Vec<String>) -> impl Strategy<Value = Value> {
    let fields: Vec<_> = keys
        .into_iter()
        .map(|k| (Just(k), prop::option::weighted(0.6, value())))
        .collect();
    prop_oneof![
        6 => fields.prop_map(|pairs| {
            Value::Object(
                pairs
                    .into_iter()
                    .filter_map(|(k, v)| Some((k, v?)))
                    .collect::<Map<String, Value>>(),
            )
        }),
        1 => value(),
    ]
}

fn property_names(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            m.values().for_each(|v| property_names(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| property_names(v, out)),
        _ => {}
    }
}

#[test]
fn generated_and_runtime_agree_on_generated_documents() {
    let pairs = pairs();
    let mut keys = BTreeSet::new();
    property_names(&Contract::embedded().spec.doc, &mut keys);
    keys.insert("notInTheSpec".to_string());
    // Documents the corpus gives, with one field replaced by a generated value.
    let corpus: Vec<Value> = corpus().into_iter().filter(Value::is_object).collect();
    let mutated = (
        prop::sample::select(corpus),
        prop::sample::select(keys.iter().cloned().collect::<Vec<_>>()),
        prop::option::of(value()),
    )
        .prop_map(|(mut doc, key, v)| {
            let map = doc.as_object_mut().expect("objects only");
            match v {
                Some(v) => map.insert(key, v),
                None => map.shift_remove(&key),
            };
            doc
        });
    let strategy = prop_oneof![documents(keys.into_iter().collect()), mutated];
    let verdicts = std::cell::RefCell::new(vec![[0u32; 2]; pairs.len()]);
    let mut runner = TestRunner::new(Config::with_cases(4000));
    runner
        .run(&strategy, |doc| {
            for (pair, seen) in pairs.iter().zip(verdicts.borrow_mut().iter_mut()) {
                seen[usize::from(agree(pair, &doc))] += 1;
            }
            Ok(())
        })
        .unwrap();
    // The request schema saw both verdicts, so its agreement is not vacuous.
    let request = &Contract::embedded().operations[0]
        .request
        .as_ref()
        .expect("a request body")
        .pointer;
    let i = pairs
        .iter()
        .position(|(a, _)| &a.pointer == request)
        .expect("request is prebuilt");
    let seen = verdicts.borrow()[i];
    assert!(seen[0] > 0 && seen[1] > 0, "{seen:?}");
}
