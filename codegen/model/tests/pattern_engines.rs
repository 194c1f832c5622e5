//! Every pattern of the spec gives the same verdict on every engine the project may run it on:
//! ECMA-262 itself (`regress`, the reference), jsonschema's default `fancy-regex` engine on the
//! pattern as written, and the engine `patterns::for_rust_engine` selects (the linear `regex`
//! engine whenever the rewritten pattern has no lookaround). Inputs: every string of the sample
//! corpus, each with a newline and a space added around it, and generated strings.

use std::path::{Path, PathBuf};

use contract_model::Spec;
use contract_model::spec::lookahead;
use contract_model::spec::patterns::for_rust_engine;
use jsonschema::{PatternOptions, Validator};
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn spec_patterns() -> Vec<String> {
    let spec = Spec::load(root().join("spec/frontpayment.openapi.yaml")).expect("spec loads");
    let mut out = Vec::new();
    collect(&spec.doc, &mut out);
    out.sort();
    out.dedup();
    assert!(out.len() >= 4, "the spec's patterns were found: {out:?}");
    out
}

fn collect(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(p)) = m.get("pattern") {
                out.push(p.clone());
            }
            m.values().for_each(|v| collect(v, out));
        }
        Value::Array(a) => a.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

fn corpus_strings() -> Vec<String> {
    let mut files = Vec::new();
    for dir in [
        "spec/samples/valid",
        "spec/samples/invalid",
        "conformance/tests/interop/requests/valid",
        "conformance/tests/interop/requests/invalid",
    ] {
        for e in std::fs::read_dir(root().join(dir)).expect("sample dir") {
            files.push(e.expect("entry").path());
        }
    }
    let mut out = Vec::new();
    for f in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        strings(&v, &mut out);
    }
    let variants: Vec<String> = out
        .iter()
        .flat_map(|s| {
            [
                format!("{s}\n"),
                format!("\n{s}"),
                format!("{s} "),
                format!(" {s}"),
                format!("{s}\r"),
            ]
        })
        .collect();
    out.extend(variants);
    out.extend(["", "\n", "@", "a@b.no\n", "+47\n", "12345678\n"].map(String::from));
    out
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Object(m) => m.values().for_each(|v| strings(v, out)),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        _ => {}
    }
}

/// The engines for one pattern.
struct Engines {
    pattern: String,
    ecma: regress::Regex,
    as_written: Validator,
    chosen: Validator,
    /// The project's own `pattern` keyword (spec::lookahead) on the rewritten pattern.
    project: Validator,
}

impl Engines {
    fn new(pattern: &str) -> Engines {
        let rewritten = for_rust_engine(pattern);
        let schema = |p: &str| json!({"type": "string", "pattern": p});
        // The linear engine refuses lookarounds: those patterns stay on fancy-regex.
        let chosen = jsonschema::draft202012::options()
            .with_pattern_options(PatternOptions::regex())
            .build(&schema(&rewritten))
            .or_else(|_| jsonschema::draft202012::new(&schema(&rewritten)))
            .expect("rewritten pattern compiles");
        let project = jsonschema::draft202012::options()
            .with_keyword("pattern", lookahead::keyword(Default::default()))
            .build(&schema(&rewritten))
            .expect("the project's keyword compiles");
        Engines {
            pattern: pattern.to_string(),
            ecma: regress::Regex::new(pattern).expect("ECMA-262 pattern"),
            as_written: jsonschema::draft202012::new(&schema(pattern)).expect("pattern compiles"),
            chosen,
            project,
        }
    }

    /// The verdict all engines agree on. `regress` backtracks slowly in debug builds on the
    /// long (255-character) samples, so it judges strings up to 80 characters; longer ones are
    /// compared between the two Rust engines.
    fn check(&self, s: &str) -> bool {
        let v = Value::String(s.to_string());
        let written = self.as_written.is_valid(&v);
        if s.len() <= 80 {
            let ecma = self.ecma.find(s).is_some();
            assert_eq!(written, ecma, "{:?} on {s:?}", self.pattern);
        }
        let chosen = self.chosen.is_valid(&v);
        assert_eq!(chosen, written, "{:?} (rewritten) on {s:?}", self.pattern);
        let project = self.project.is_valid(&v);
        assert_eq!(project, written, "{:?} (project keyword) on {s:?}", self.pattern);
        assert_eq!(
            self.project.validate(&v).is_ok(),
            written,
            "{:?} on {s:?}",
            self.pattern
        );
        written
    }
}

#[test]
fn engines_agree_on_the_corpus() {
    let inputs = corpus_strings();
    for p in spec_patterns() {
        let e = Engines::new(&p);
        let mut matched = 0;
        for s in &inputs {
            matched += usize::from(e.check(s));
        }
        // Both verdicts occur, so agreement is not vacuous.
        assert!(matched > 0 && matched < inputs.len(), "{p}: {matched}");
    }
}

#[test]
fn redundant_end_lookaheads_leave_the_backtracking_engine() {
    for p in spec_patterns() {
        let rewritten = for_rust_engine(&p);
        let has_other_lookaround = rewritten.contains("(?=") || rewritten.contains("(?!");
        let linear = jsonschema::draft202012::options()
            .with_pattern_options(PatternOptions::regex())
            .build(&json!({"pattern": rewritten}))
            .is_ok();
        assert_eq!(linear, !has_other_lookaround, "{p}");
    }
}

#[test]
fn engines_agree_on_generated_strings() {
    let engines: Vec<Engines> = spec_patterns().iter().map(|p| Engines::new(p)).collect();
    let strategy = "[A-Za-z0-9_.%+@ -]{0,12}(\n|\r|@[a-z0-9.-]{0,12}|\\.[a-z]{0,4}|[+][0-9]{0,5})?\n?";
    let mut runner = TestRunner::new(Config::with_cases(2000));
    runner
        .run(&strategy, |s| {
            engines.iter().for_each(|e| {
                e.check(&s);
            });
            Ok(())
        })
        .unwrap();
}

#[test]
fn errors_name_the_pattern_as_the_spec_wrote_it() {
    use contract_model::spec::validators::SchemaRegistry;
    let spec = Spec::load(root().join("spec/frontpayment.openapi.yaml")).expect("spec loads");
    let registry = SchemaRegistry::new(&spec).expect("registry");
    let schemas = spec.doc["components"]["schemas"].as_object().expect("schemas");
    let mut checked = 0;
    for (name, schema) in schemas {
        let Some(pattern) = schema.get("pattern").and_then(Value::as_str) else {
            continue;
        };
        if !pattern.ends_with("$(?!\\n)") || !name.chars().all(char::is_alphanumeric) {
            continue;
        }
        let compiled = registry
            .compile(&spec, &format!("/components/schemas/{name}"))
            .expect("compiles");
        let errors = compiled.errors(&json!("\n"));
        let e = errors
            .iter()
            .find(|e| e.keyword == "pattern")
            .expect("pattern error");
        assert!(e.message.ends_with(&format!("\"{pattern}\"")), "{}", e.message);
        checked += 1;
    }
    assert!(checked > 0);
}

#[test]
fn the_leading_lookahead_pattern_runs_split_on_the_linear_engine() {
    // The spec has a `^(?=A)B` pattern (the email's local-part length), and it is split.
    let split: Vec<String> = spec_patterns()
        .into_iter()
        .filter(|p| lookahead::split_leading_lookahead(&for_rust_engine(p)).is_some())
        .collect();
    assert!(!split.is_empty(), "no pattern of the spec was split");
    for p in split {
        let (head, rest) = lookahead::split_leading_lookahead(&for_rust_engine(&p))
            .map(|(h, r)| (h.to_string(), r.to_string()))
            .unwrap();
        for part in [head, rest] {
            jsonschema::draft202012::options()
                .with_pattern_options(PatternOptions::regex())
                .build(&json!({ "pattern": format!("^(?:{part})") }))
                .unwrap_or_else(|e| panic!("{part} is not linear: {e}"));
        }
    }
}
