//! The conformance binary reads contracts through the contract model only: no generator crate
//! (the emitters, syn, quote, prettyplease) is linked into it.

use std::process::Command;

const GENERATOR_ONLY: &[&str] = &["codegen", "syn", "quote", "proc-macro2", "prettyplease"];

#[test]
fn generator_crates_are_not_linked_into_conformance() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // Proc-macro crates (serde_derive pulls syn) run in the compiler, not in the binary.
    let out = Command::new(cargo)
        .args([
            "tree",
            "--offline",
            "-p",
            "conformance",
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
    assert!(
        tree.contains("contract-model v"),
        "the model crate is a dependency:\n{tree}"
    );
    for line in tree.lines() {
        let name = line.split_whitespace().next().unwrap_or("");
        assert!(
            !GENERATOR_ONLY.contains(&name),
            "{name} is linked into conformance:\n{tree}"
        );
    }
}
