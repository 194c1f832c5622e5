//! The exported schemas (spec/schemas/): up to date with the spec, standalone, and giving the
//! same verdict as the spec's own validators on every sample.

use std::path::{Path, PathBuf};

use codegen::Spec;
use codegen::export::{self, BASE_URI, INDEX, REGENERATE, Stale};
use codegen::spec::check::{check, read_samples};
use codegen::spec::validators::SchemaRegistry;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load() -> (Spec, Vec<export::ExportFile>) {
    let spec = Spec::load(root().join("spec/frontpayment.openapi.yaml")).expect("the spec loads");
    let api = check(&spec).expect("the spec passes its checks");
    let files = export::export(&spec, &api).expect("the spec exports");
    (spec, files)
}

#[test]
fn committed_schemas_are_up_to_date() {
    let (_, files) = load();
    let stale = export::stale(&root().join("spec/schemas"), &files).expect("spec/schemas is readable");
    let list: Vec<String> = stale.iter().map(|s| format!("  spec/schemas/{s}")).collect();
    assert!(
        stale.is_empty(),
        "spec/schemas/ is stale against the spec:\n{}\nregenerate with `{REGENERATE}` and commit the result",
        list.join("\n")
    );
}

#[test]
fn every_document_is_standalone() {
    let (_, files) = load();
    for f in files.iter().filter(|f| f.name != INDEX) {
        let doc: Value = serde_json::from_str(&f.contents).unwrap();
        assert_eq!(
            doc["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{}",
            f.name
        );
        assert_eq!(doc["$id"], format!("{BASE_URI}{}", f.name), "{}", f.name);
        assert!(
            doc["title"].is_string() && doc["description"].is_string(),
            "{}: title and description kept",
            f.name
        );
        assert!(
            f.contents.ends_with("}\n"),
            "{}: pretty JSON with a trailing newline",
            f.name
        );
        walk(&doc, &mut |key, value| {
            assert!(!key.starts_with("x-"), "{}: extension `{key}` left in", f.name);
            if key == "$ref" {
                let r = value.as_str().unwrap();
                assert!(r.starts_with('#'), "{}: `$ref` {r} leaves the document", f.name);
                let target = r.trim_start_matches('#');
                assert!(
                    doc.pointer(target).is_some(),
                    "{}: `$ref` {r} points at nothing",
                    f.name
                );
            }
        });
    }
}

/// Visits every key of every object (property names included: none of ours start with `x-`).
fn walk(v: &Value, f: &mut impl FnMut(&str, &Value)) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                f(k, x);
                walk(x, f);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, f)),
        _ => {}
    }
}

#[test]
fn index_maps_every_operation_body_to_its_file() {
    let (spec, files) = load();
    let api = check(&spec).unwrap();
    let index: Value =
        serde_json::from_str(&files.iter().find(|f| f.name == INDEX).unwrap().contents).unwrap();
    for op in &api.operations {
        let entry = &index["operations"][&op.id];
        let names = |v: &Value| v.as_str().map(str::to_string);
        if let Some(req) = &op.request {
            let file = names(&entry["request"]).expect("request file listed");
            assert_eq!(
                index["schemas"][&file]["source"],
                format!("frontpayment.openapi.yaml#{}", req.schema_pointer)
            );
        }
        for r in op.responses.iter().filter(|r| r.schema_pointer.is_some()) {
            let file = names(&entry["responses"][r.status.to_string()]).expect("response file listed");
            assert!(files.iter().any(|f| f.name == file), "{file} is written");
            assert_eq!(
                index["schemas"][&file]["source"],
                format!("frontpayment.openapi.yaml#{}", r.schema_pointer.as_ref().unwrap())
            );
        }
    }
}

/// Every sample the project has, with the spec pointer of the schema it is judged by.
fn samples(spec: &Spec) -> Vec<(String, String, Value)> {
    let api = check(spec).unwrap();
    let mut out = Vec::new();
    let request_dirs = [
        root().join("spec/samples"),
        root().join("conformance/tests/interop/requests"),
    ];
    for op in &api.operations {
        if let Some(req) = &op.request {
            for dir in &request_dirs {
                for folder in ["valid", "invalid"] {
                    for (path, v) in read_samples(&dir.join(folder)) {
                        out.push((path.display().to_string(), req.schema_pointer.clone(), v.unwrap()));
                    }
                }
            }
            for ex in &req.examples {
                out.push((ex.pointer.clone(), req.schema_pointer.clone(), ex.value.clone()));
            }
        }
        for r in &op.responses {
            let Some(pointer) = &r.schema_pointer else {
                continue;
            };
            for ex in &r.examples {
                out.push((ex.pointer.clone(), pointer.clone(), ex.value.clone()));
            }
            let dir = root().join(format!("spec/samples/responses/{}/{}", op.id, r.status));
            for folder in ["valid", "invalid"] {
                for (path, v) in read_samples(&dir.join(folder)) {
                    out.push((path.display().to_string(), pointer.clone(), v.unwrap()));
                }
            }
        }
    }
    out
}

#[test]
fn exported_schemas_agree_with_the_spec_validators() {
    let (spec, files) = load();
    let registry = SchemaRegistry::new(&spec).unwrap();
    let index: Value =
        serde_json::from_str(&files.iter().find(|f| f.name == INDEX).unwrap().contents).unwrap();
    let file_of = |pointer: &str| {
        index["schemas"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(_, s)| s["source"] == format!("frontpayment.openapi.yaml#{pointer}"))
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| panic!("no exported file for {pointer}"))
    };
    let cases = samples(&spec);
    assert!(cases.len() > 100, "the corpus is found ({} cases)", cases.len());
    let (mut valid, mut invalid) = (0, 0);
    for (sample, pointer, value) in &cases {
        let name = file_of(pointer);
        let text = &files.iter().find(|f| f.name == name).unwrap().contents;
        let exported = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&serde_json::from_str::<Value>(text).unwrap())
            .unwrap_or_else(|e| panic!("{name} does not compile on its own: {e}"));
        let original = registry.compile(&spec, pointer).unwrap();
        let want = original.is_valid(value);
        assert_eq!(
            exported.is_valid(value),
            want,
            "{sample}: {name} and the spec's {pointer} disagree"
        );
        if want { valid += 1 } else { invalid += 1 }
    }
    assert!(
        valid > 20 && invalid > 20,
        "both verdicts are exercised ({valid} valid, {invalid} invalid)"
    );
}

#[test]
fn stale_names_missing_changed_and_extra_files() {
    let (_, files) = load();
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(export::stale(dir.path(), &files).unwrap().len(), files.len());
    export::write(dir.path(), &files).unwrap();
    assert!(export::stale(dir.path(), &files).unwrap().is_empty());

    let first = &files[0].name;
    std::fs::write(dir.path().join(first), "{}\n").unwrap();
    std::fs::remove_file(dir.path().join(INDEX)).unwrap();
    std::fs::write(dir.path().join("Old.json"), "{}\n").unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not a schema").unwrap();
    let stale = export::stale(dir.path(), &files).unwrap();
    assert_eq!(
        stale,
        [
            Stale::Changed(first.clone()),
            Stale::Missing(INDEX.into()),
            Stale::Extra("Old.json".into())
        ]
    );
    // Writing again restores the folder and removes the stray schema, not other files.
    export::write(dir.path(), &files).unwrap();
    assert!(export::stale(dir.path(), &files).unwrap().is_empty());
    assert!(dir.path().join("notes.txt").exists());
}

#[test]
fn cli_writes_then_checks_the_folder() {
    let bin = env!("CARGO_BIN_EXE_codegen");
    let spec = root().join("spec/frontpayment.openapi.yaml");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("schemas");
    let run = |extra: &[&str]| {
        std::process::Command::new(bin)
            .arg("schemas")
            .arg("--spec")
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    assert_eq!(
        run(&["--check"]).status.code(),
        Some(1),
        "an empty folder is stale"
    );
    assert_eq!(run(&[]).status.code(), Some(0));
    assert_eq!(run(&["--check"]).status.code(), Some(0));
    std::fs::write(out.join(INDEX), "{}\n").unwrap();
    let stale = run(&["--check"]);
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(
        stderr.contains("index.json: differs") && stderr.contains(REGENERATE),
        "{stderr}"
    );

    let missing = std::process::Command::new(bin)
        .args(["schemas", "--spec", "/nonexistent/spec.yaml", "--check"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}
