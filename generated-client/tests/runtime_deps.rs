//! The client's run-time dependencies stay lean: the runtime crate (`contract-runtime`) is its
//! one direct dependency; the generator, the contract model and their parsing and validating
//! crates are build-time only.

use std::process::Command;

/// Must never be a run-time dependency of the client (proc-macro crates of serde and friends
/// are compile-time only, so they are left out with `no-proc-macro`).
const BUILD_ONLY: &[&str] = &[
    "codegen",
    "contract-model",
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
    assert!(tree.contains("contract-runtime v"), "unexpected tree:\n{tree}");
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !BUILD_ONLY.contains(&name),
            "{name} is a run-time dependency:\n{tree}"
        );
    }
}

#[test]
fn the_runtime_crate_is_the_only_direct_dependency() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "frontpay-client",
            "-e",
            "normal",
            "--depth",
            "1",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tree = String::from_utf8_lossy(&out.stdout);
    let direct: Vec<&str> = tree
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(direct, ["contract-runtime"], "{tree}");
}
