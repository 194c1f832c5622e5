//! Media types and responses (issue 11): each fixture under `tests/fixtures/features/`
//! (`media-*`, `responses-*`) is generated, its output reviewed as snapshots, then all are
//! compiled into one scratch crate (warnings denied) whose tests
//! (`tests/fixtures/features/behaviour_media.rs`) run the clients against wiremock servers.
//!
//! The scratch crate depends on the runtime by path, uses a copy of the workspace's lock file
//! and builds into `target/generated-check` (shared with `compile_generated.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Spec;
use codegen::emit::{GeneratedFile, generate_client};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
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
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path().join("generated-features");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    let runtime = Path::new(ROOT).join("generated-client/runtime");
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"generated-features\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\ncontract-runtime = {{ path = {:?} }}\n\n\
             [dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
             wiremock = \"0.6\"\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(Path::new(ROOT).join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    let mut lib = String::from("#![deny(warnings)]\n");
    for name in FIXTURES {
        let module = name.replace('-', "_");
        let module_dir = crate_dir.join("src").join(&module);
        std::fs::create_dir_all(&module_dir).unwrap();
        for f in generate(name) {
            std::fs::write(module_dir.join(&f.name), f.contents).unwrap();
        }
        lib.push_str(&format!(
            "pub mod {module} {{\n    pub mod types {{\n        include!(\"{module}/types.rs\");\n    }}\n    \
             pub mod client {{\n        include!(\"{module}/client.rs\");\n    }}\n}}\n"
        ));
    }
    std::fs::write(crate_dir.join("src/lib.rs"), lib).unwrap();
    std::fs::copy(
        Path::new(FEATURES).join("behaviour_media.rs"),
        crate_dir.join("tests/behaviour.rs"),
    )
    .unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target: PathBuf = Path::new(ROOT).join("target/generated-check");
    let out = Command::new(cargo)
        .args(["test", "--quiet", "--offline"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the feature clients do not compile or misbehave:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Every behaviour test ran (none filtered or skipped).
    assert!(stdout.contains("test result: ok. 13 passed"), "{stdout}");
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
