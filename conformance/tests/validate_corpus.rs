//! The response sample corpus, spec/samples/responses/<operationId>/<status>/{valid,invalid}/:
//! laid out as documented, judged as its folders say, and holding every documented example.

use std::path::{Path, PathBuf};

use conformance::contract::Contract;
use conformance::validate::{Target, validate};
use contract_model::spec::check::read_samples;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/samples/responses")
}

fn dirs(p: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

#[test]
fn every_response_sample_gets_its_folders_verdict() {
    let contract = Contract::embedded();
    let (mut valid, mut invalid) = (0, 0);
    for op_dir in dirs(&corpus()) {
        let op = op_dir.file_name().unwrap().to_string_lossy().into_owned();
        for status_dir in dirs(&op_dir) {
            let status: u16 = status_dir
                .file_name()
                .unwrap()
                .to_string_lossy()
                .parse()
                .unwrap_or_else(|_| {
                    panic!(
                        "{}: the folder under an operation is a status code",
                        status_dir.display()
                    )
                });
            for verdict_dir in dirs(&status_dir) {
                let want = match verdict_dir.file_name().unwrap().to_str() {
                    Some("valid") => true,
                    Some("invalid") => false,
                    _ => panic!("{}: only valid/ and invalid/ belong here", verdict_dir.display()),
                };
                let samples = read_samples(&verdict_dir);
                assert!(!samples.is_empty(), "{} has no samples", verdict_dir.display());
                for (path, value) in samples {
                    let value = value.unwrap_or_else(|d| panic!("{d}"));
                    let report = validate(contract, &op, Target::Response(status), &value)
                        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                    assert_eq!(
                        report.valid,
                        want,
                        "{}: expected {}, errors: {:?}",
                        path.display(),
                        if want { "valid" } else { "invalid" },
                        report.errors
                    );
                    if want { valid += 1 } else { invalid += 1 }
                }
            }
        }
    }
    assert!(
        valid >= 20 && invalid >= 40,
        "corpus found ({valid} valid, {invalid} invalid)"
    );
}

#[test]
fn every_documented_response_is_in_the_corpus_unchanged() {
    let contract = Contract::embedded();
    for op in &contract.operations {
        for r in &op.ir.responses {
            let dir = corpus().join(&op.ir.id).join(r.status.to_string());
            assert!(
                dir.join("invalid").is_dir(),
                "{}: no broken samples",
                dir.display()
            );
            for ex in &r.examples {
                let file = dir.join("valid").join(format!("{}.json", ex.name));
                let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
                    panic!(
                        "{}: the documented example {} is missing: {e}",
                        file.display(),
                        ex.pointer
                    )
                });
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert_eq!(value, ex.value, "{} differs from {}", file.display(), ex.pointer);
            }
        }
    }
}

#[test]
fn request_samples_are_judged_alike_by_every_operation() {
    let contract = Contract::embedded();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    for dir in [
        root.join("spec/samples"),
        root.join("conformance/tests/interop/requests"),
    ] {
        for (folder, want) in [("valid", true), ("invalid", false)] {
            for (path, value) in read_samples(&dir.join(folder)) {
                let value = value.unwrap();
                for op in contract.operations.iter().filter(|o| o.request.is_some()) {
                    let report = validate(contract, &op.ir.id, Target::Request, &value).unwrap();
                    assert_eq!(
                        report.valid,
                        want,
                        "{} as a request of {}: {:?}",
                        path.display(),
                        op.ir.id,
                        report.errors
                    );
                }
            }
        }
    }
}
