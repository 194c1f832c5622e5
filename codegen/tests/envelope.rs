//! The OpenAPI envelope: every valid 3.0/3.1 field is accepted, skipped features warn (located),
//! and every unknown field of a document is reported, not only the first.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{Diagnostic, Spec};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/envelope")
        .join(name)
}

fn load(name: &str) -> Spec {
    Spec::load(fixture(name)).unwrap_or_else(|d| panic!("{d}"))
}

/// (pointer, line) of each warning, in document order.
fn located(warnings: &[Diagnostic]) -> Vec<(&str, Option<usize>)> {
    warnings.iter().map(|d| (d.pointer.as_str(), d.line)).collect()
}

#[test]
fn skipped_features_of_a_3_1_document_warn_with_their_location() {
    let spec = load("skipped-3.1.yaml");
    assert!(spec.warnings.iter().all(Diagnostic::is_warning));
    assert_eq!(
        located(&spec.warnings),
        [
            ("/externalDocs", Some(5)),
            ("/webhooks", Some(7)),
            ("/paths/~1lockers~1{id}/get/x-team", Some(22)),
            ("/paths/~1lockers~1{id}/get/callbacks", Some(29)),
            ("/paths/~1lockers~1{id}/get/responses/200/links", Some(39)),
            ("/components/schemas/Locker/xml", Some(52)),
        ],
        "{:#?}",
        spec.warnings
    );
    let text = spec.warnings[1].to_string();
    assert!(text.contains(": warning: `webhooks`"), "{text}");
    assert!(!text.contains("error"), "{text}");
}

#[test]
fn every_3_0_field_is_accepted() {
    let spec = load("fields-3.0.yaml");
    assert_eq!(
        located(&spec.warnings),
        [
            ("/tags/0/externalDocs", Some(17)),
            ("/components/schemas/Locker/externalDocs", Some(69)),
        ],
        "{:#?}",
        spec.warnings
    );
    let get = spec.api.paths["/lockers"].get.as_ref().unwrap();
    assert_eq!(get.servers.len(), 1);
    let filter = match &get.parameters[1] {
        codegen::spec::model::RefOr::Item(p) => p,
        other => panic!("{other:?}"),
    };
    assert!(filter.content.contains_key("application/json"));
}

#[test]
fn the_project_spec_has_no_warnings() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/frontpayment.openapi.yaml");
    let spec = Spec::load(path).unwrap_or_else(|d| panic!("{d}"));
    assert!(spec.warnings.is_empty(), "{:#?}", spec.warnings);
}

#[test]
fn every_unknown_field_is_reported_with_its_location() {
    let d = Spec::load(fixture("two-typos.yaml")).unwrap_err();
    let found: Vec<(&str, Option<usize>)> = d.iter().map(|d| (d.pointer.as_str(), d.line)).collect();
    assert_eq!(
        found,
        [
            ("/paths/~1lockers/get/sumary", Some(9)),
            ("/paths/~1lockers/get/responses/200/contnet", Some(13)),
        ],
        "{d}"
    );
    assert!(d.iter().all(|d| !d.is_warning()));
    assert!(d.0[0].message.contains("unknown field `sumary`"), "{d}");
    assert!(d.0[1].message.contains("unknown field `contnet`"), "{d}");
}

#[test]
fn check_prints_warnings_and_still_succeeds() {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("check")
        .arg("--spec")
        .arg(fixture("skipped-3.1.yaml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr.matches("warning:").count(), 6, "{stderr}");
    assert!(stderr.contains("skipped-3.1.yaml:39:"), "{stderr}");
}

/// The corpus of real public documents lives beside the workspace, never copied into it.
fn corpus_roots() -> Vec<PathBuf> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    assert!(
        corpus.is_dir(),
        "the corpus of real OpenAPI documents is missing: expected it at {}",
        corpus.display()
    );
    let readme = std::fs::read_to_string(corpus.join("README.md"))
        .unwrap_or_else(|e| panic!("cannot read {}/README.md: {e}", corpus.display()));
    // The root file of each document is the first column of the README's table.
    let roots: Vec<PathBuf> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(|name| corpus.join(name))
        .collect();
    assert!(
        roots.len() >= 12,
        "the corpus README lists {} documents",
        roots.len()
    );
    roots
}

#[test]
fn no_corpus_document_is_called_invalid_openapi() {
    for root in corpus_roots() {
        assert!(root.is_file(), "{} is listed but missing", root.display());
        if let Err(d) = Spec::load(&root) {
            eprintln!("{}: {d}", root.display());
            for d in d.iter() {
                assert!(
                    !d.message.contains("not a valid OpenAPI") && !d.message.contains("unknown field"),
                    "{}: {d}",
                    root.display()
                );
            }
        }
    }
}

#[test]
fn extensions_among_paths_and_responses_warn_and_are_dropped() {
    let spec = load("extensions-in-maps.yaml");
    assert_eq!(
        located(&spec.warnings),
        [
            ("/paths/x-owner", Some(6)),
            ("/paths/~1lockers/get/responses/x-cache", Some(11)),
        ],
        "{:#?}",
        spec.warnings
    );
    assert_eq!(spec.api.paths.keys().collect::<Vec<_>>(), ["/lockers"]);
    let get = spec.api.paths["/lockers"].get.as_ref().unwrap();
    assert_eq!(get.responses.keys().collect::<Vec<_>>(), ["204"]);
}

#[test]
fn a_wrong_type_under_paths_is_still_located() {
    let source = "openapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  x-owner: me\n  /a:\n    get:\n      operationId: [a]\n      responses: {}\n";
    let d = Spec::parse("wrong-type.yaml", source.to_string()).unwrap_err();
    assert_eq!(d.0.len(), 1, "{d}");
    assert_eq!(d.0[0].pointer, "/paths/~1a/get/operationId", "{d}");
    assert_eq!(d.0[0].line, Some(9), "{d}");
}
