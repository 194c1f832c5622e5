//! Request-body validations per second with the project's validators, for bench/validate.sh
//! (which runs ajv and Python `jsonschema` beside them on the same corpus): the embedded
//! contract's verdict generated at build time (`conformance::prebuilt`), the validator compiled
//! at run time (what `--spec` gets), and plain jsonschema for comparison.
//!
//! Usage: bench_validate SECONDS SPEC SAMPLE.json...
//! Prints one JSON line per validator: {"name", "validations", "seconds", "per_second"}.

use std::hint::black_box;
use std::time::{Duration, Instant};

use contract_model::Spec;
use contract_model::spec::check::check_document;
use contract_model::spec::patterns::rewrite_for_rust_engine;
use contract_model::spec::validators::{SPEC_URI, SchemaRegistry};
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [seconds, spec, samples @ ..] = args.as_slice() else {
        eprintln!("usage: bench_validate SECONDS SPEC SAMPLE.json...");
        std::process::exit(2);
    };
    let seconds: f64 = seconds.parse().expect("SECONDS is a number");
    let spec = Spec::load(spec).unwrap_or_else(|d| panic!("{d}"));
    let api = check_document(&spec).unwrap_or_else(|d| panic!("{d}"));
    let pointer = api
        .operations
        .iter()
        .find_map(|o| o.request.as_ref())
        .expect("an operation with a request body")
        .schema_pointer
        .clone();
    let corpus: Vec<Value> = samples
        .iter()
        .map(|p| {
            serde_json::from_str(&std::fs::read_to_string(p).expect("sample readable"))
                .expect("sample is JSON")
        })
        .collect();

    // The embedded contract's verdict, generated at build time: what the mock, the proxy and
    // `conformance validate` use without `--spec`. Only when SPEC is the embedded spec.
    let registry = SchemaRegistry::new(&spec).unwrap_or_else(|d| panic!("{d}"));
    if spec.source == conformance::contract::SPEC_SOURCE {
        let prebuilt = SchemaRegistry::new(&spec)
            .unwrap_or_else(|d| panic!("{d}"))
            .with_prebuilt(conformance::prebuilt::PREBUILT)
            .compile(&spec, &pointer)
            .unwrap_or_else(|d| panic!("{d}"));
        assert!(prebuilt.is_prebuilt(), "{pointer} has a generated verdict");
        measure(
            "rust (spec validator, generated at build time)",
            seconds,
            &corpus,
            |v| prebuilt.is_valid(v),
        );
    } else {
        eprintln!("SPEC is not the embedded spec: no row for the validators generated at build time");
    }

    // The validator compiled at run time (`--spec`), and the source of every error report.
    let compiled = registry
        .compile(&spec, &pointer)
        .unwrap_or_else(|d| panic!("{d}"));
    measure(
        "rust-jsonschema (spec validator, runtime)",
        seconds,
        &corpus,
        |v| compiled.is_valid(v),
    );

    // The same, on the spec's patterns as written (`$(?!\n)` endings on fancy-regex's
    // backtracking VM): what the validator did before `spec::patterns` existed.
    let raw = jsonschema::Registry::new()
        .add(
            SPEC_URI,
            jsonschema::Draft::Draft202012.create_resource(spec.doc.clone()),
        )
        .and_then(|b| b.prepare())
        .expect("spec registers");
    let as_written = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .with_registry(&raw)
        .build(&serde_json::json!({ "$ref": format!("{SPEC_URI}#{pointer}") }))
        .expect("spec schema compiles");
    measure(
        "rust-jsonschema (spec, patterns as written)",
        seconds,
        &corpus,
        |v| as_written.is_valid(v),
    );

    // The exported standalone document, compiled on its own: the same engine without the
    // `$ref` hop into the whole spec.
    // Found through the index, which names each exported file's source pointer.
    let schemas = spec
        .path
        .parent()
        .unwrap_or(std::path::Path::new("."))
        .join("schemas");
    let index: Value = std::fs::read_to_string(schemas.join("index.json"))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let exported = index["schemas"].as_object().and_then(|m| {
        m.iter()
            .find(|(_, s)| {
                s["source"]
                    .as_str()
                    .is_some_and(|src| src.ends_with(&format!("#{pointer}")))
            })
            .map(|(name, _)| schemas.join(name))
    });
    if let Some(Ok(text)) = exported.map(std::fs::read_to_string) {
        let mut schema: Value = serde_json::from_str(&text).expect("exported schema is JSON");
        let standalone = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("exported schema compiles");
        measure(
            "rust-jsonschema (exported, patterns as written)",
            seconds,
            &corpus,
            |v| standalone.is_valid(v),
        );
        rewrite_for_rust_engine(&mut schema);
        let rewritten = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("exported schema compiles");
        measure("rust-jsonschema (exported schema)", seconds, &corpus, |v| {
            rewritten.is_valid(v)
        });
    }
}

fn measure(name: &str, seconds: f64, corpus: &[Value], check: impl Fn(&Value) -> bool) {
    let budget = Duration::from_secs_f64(seconds);
    // Warm up caches and lazily built regexes.
    for v in corpus {
        black_box(check(black_box(v)));
    }
    let start = Instant::now();
    let mut validations: u64 = 0;
    while start.elapsed() < budget {
        for _ in 0..100 {
            for v in corpus {
                black_box(check(black_box(v)));
            }
        }
        validations += 100 * corpus.len() as u64;
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "name": name,
            "validations": validations,
            "seconds": elapsed,
            "per_second": validations as f64 / elapsed,
        })
    );
}
