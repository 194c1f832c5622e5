//! Media types and responses (issue 11): each fixture under `tests/fixtures/features/`
//! (`media-*`, `responses-*`) is generated, its output reviewed as snapshots, then all are
//! compiled into one scratch crate (warnings denied) whose tests
//! (`tests/fixtures/features/behaviour.rs`) run the clients against wiremock servers.
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
        Path::new(FEATURES).join("behaviour.rs"),
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
    assert!(stdout.contains("test result: ok. 12 passed"), "{stdout}");
}
