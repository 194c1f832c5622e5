//! The client's run-time dependencies stay lean: the generator and its parsing and validating
//! crates are build-time only.

use std::process::Command;

/// Must never be a run-time dependency of the client (proc-macro crates of serde and friends
/// are compile-time only, so they are left out with `no-proc-macro`).
const BUILD_ONLY: &[&str] = &[
    "codegen",
    "syn",
    "quote",
    "proc-macro2",
    "prettyplease",
    "jsonschema",
    "yaml_serde",
];

#[test]
fn generator_crates_are_not_runtime_dependencies() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "frontpay-client",
            "-e",
            "normal,no-proc-macro",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tree.contains("reqwest v"), "unexpected tree:\n{tree}");
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !BUILD_ONLY.contains(&name),
            "{name} is a run-time dependency:\n{tree}"
        );
    }
}
