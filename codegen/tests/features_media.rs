//! Media types and responses (issue 11): each fixture under `tests/fixtures/features/`
//! (`media-*`, `responses-*`) is generated, its output reviewed as snapshots, then all are
//! compiled into one scratch crate (warnings denied) whose tests
//! (`tests/fixtures/features/behaviour_media.rs`) run the clients against wiremock servers.
//!
//! The scratch crate depends on the runtime by path, uses a copy of the workspace's lock file
//! and builds into `target/generated-check` (shared with `compile_generated.rs`).

mod support;

use std::path::Path;

use codegen::Spec;
use codegen::emit::{GeneratedFile, generate_client};

const FEATURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/features");
const FIXTURES: [&str; 5] = [
    "media-json-variants",
    "media-text-binary",
    "media-form-multipart",
    "responses-default-ranges",
    "responses-no-body",
];

fn generate(name: &str) -> Vec<GeneratedFile> {
    let spec = Spec::load(Path::new(FEATURES).join(format!("{name}.yaml"))).unwrap_or_else(|d| panic!("{d}"));
    generate_client(&spec).unwrap_or_else(|d| panic!("{name}: {d}"))
}

fn file<'a>(files: &'a [GeneratedFile], name: &str) -> &'a str {
    &files.iter().find(|f| f.name == name).unwrap().contents
}

#[test]
fn feature_output_is_reviewed() {
    for name in FIXTURES {
        let files = generate(name);
        insta::assert_snapshot!(format!("{name}_client"), file(&files, "client.rs"));
        insta::assert_snapshot!(format!("{name}_types"), file(&files, "types.rs"));
    }
}

#[test]
fn feature_clients_compile_and_behave_on_the_wire() {
    let modules = FIXTURES
        .iter()
        .map(|name| (name.replace('-', "_"), generate(name)))
        .collect();
    let run = support::test_clients(
        "generated-features",
        modules,
        &Path::new(FEATURES).join("behaviour_media.rs"),
    );
    assert!(
        run.success,
        "the feature clients do not compile or misbehave:\n{}\n{}",
        run.stdout, run.stderr
    );
    // Every behaviour test ran (none filtered or skipped).
    assert!(
        run.stdout.contains("test result: ok. 13 passed"),
        "{}",
        run.stdout
    );
}

#[test]
fn skipped_media_types_are_warned_where_they_are() {
    let spec = Spec::load(Path::new(FEATURES).join("media-json-variants.yaml")).unwrap();
    let warnings = codegen::ir::media::skipped(&spec);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert!(w.is_warning());
    assert_eq!(
        w.pointer,
        "/paths/~1notes~1{noteId}/get/responses/200/content/application~1xml"
    );
    assert_eq!(w.line, Some(34));
    assert!(
        w.message.contains("`application/json;charset=UTF-8`"),
        "{}",
        w.message
    );
}

/// A one-operation spec whose operation is `op` (YAML, indented for `post:`).
fn refused(op: &str) -> Vec<codegen::Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.yaml");
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    post:\n      operationId: a\n{op}"
    );
    std::fs::write(&path, &text).unwrap();
    let spec = Spec::load(&path).unwrap_or_else(|d| panic!("{d}"));
    match generate_client(&spec) {
        Ok(_) => panic!("generated:\n{text}"),
        Err(d) => d.0,
    }
}

#[test]
fn what_cannot_be_generated_correctly_is_refused_where_it_is() {
    let cases = [
        (
            "      requestBody:\n        content:\n          image/*: {}\n      responses:\n        '204': {description: ok}\n",
            "/paths/~1a/post/requestBody/content/image~1*",
            "is a wildcard",
        ),
        (
            "      requestBody:\n        content:\n          not-a-type: {}\n      responses:\n        '204': {description: ok}\n",
            "/paths/~1a/post/requestBody/content/not-a-type",
            "is not a media type",
        ),
        (
            "      responses:\n        '204': {description: ok}\n        4xx: {description: bad}\n",
            "/paths/~1a/post/responses/4xx",
            "upper-case `X`",
        ),
        (
            "      responses:\n        '204': {description: ok}\n        '600': {description: odd}\n",
            "/paths/~1a/post/responses/600",
            "outside 100-599",
        ),
        (
            "      requestBody:\n        content:\n          application/json; charset=utf-8: {}\n      responses:\n        '204': {description: ok}\n",
            "/paths/~1a/post/requestBody/content/application~1json; charset=utf-8",
            "content has no schema",
        ),
        (
            "      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema:\n              type: object\n              properties:\n                tags: {type: array, items: {type: string}}\n      responses:\n        '204': {description: ok}\n",
            "/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/schema",
            "form-encoded body must be an object of strings",
        ),
        (
            "      requestBody:\n        content: {}\n      responses:\n        '204': {description: ok}\n",
            "/paths/~1a/post/requestBody/content",
            "lists no media type",
        ),
    ];
    for (op, pointer, message) in cases {
        let diags = refused(op);
        assert!(
            diags
                .iter()
                .any(|d| d.pointer == pointer && d.message.contains(message) && d.line.is_some()),
            "{pointer}: {message}\n{diags:#?}"
        );
    }
}
