//! `codegen generate --crate NAME` writes a crate that builds with plain `cargo build` in its
//! folder, for the project's spec and for the fixture spec. Without `--crate` it writes the
//! two modules only.
//!
//! The crates build into `target/generated-crate` with a copy of the workspace's lock file,
//! offline, so they reuse the workspace's downloaded and compiled dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const MAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
const SHIPPING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/specs/shipping.openapi.yaml"
);

fn codegen(args: &[&str], out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .expect("codegen runs")
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn crate_output_builds_with_cargo_build_in_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let target: PathBuf = Path::new(ROOT).join("target/generated-crate");
    for (spec, name) in [(MAIN, "frontpay-standalone"), (SHIPPING, "shipping-client")] {
        let out = dir.path().join(name);
        let run = codegen(&["--spec", spec, "--crate", name], &out);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        assert_eq!(
            files_under(&out),
            [
                "Cargo.toml",
                "README.md",
                "src/client.rs",
                "src/lib.rs",
                "src/types.rs"
            ]
        );
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains(&format!("name = \"{name}\"")), "{manifest}");
        assert!(manifest.contains("\n[workspace]\n"), "{manifest}");
        assert!(manifest.contains("contract-runtime = { path = "), "{manifest}");
        std::fs::copy(Path::new(ROOT).join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let build = Command::new(cargo)
            .args(["build", "--quiet", "--offline"])
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        assert!(
            build.status.success(),
            "{name} does not build:\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
        let stderr = String::from_utf8_lossy(&build.stderr);
        assert!(
            !stderr.contains("warning"),
            "{name} builds with warnings:\n{stderr}"
        );
    }
}

#[test]
fn without_crate_only_the_modules_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let run = codegen(&["--spec", SHIPPING], dir.path());
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert_eq!(files_under(dir.path()), ["client.rs", "types.rs"]);
}

#[test]
fn the_runtime_can_be_named_by_version_or_git_and_names_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("v");
    let run = codegen(
        &["--spec", SHIPPING, "--crate", "v", "--runtime-version", "0.1.0"],
        &out,
    );
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("contract-runtime = \"0.1.0\""), "{manifest}");
    let out = dir.path().join("g");
    let url = "https://example.com/frontpay-contract.git";
    let run = codegen(&["--spec", SHIPPING, "--crate", "g", "--runtime-git", url], &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!("contract-runtime = {{ git = \"{url}\" }}")),
        "{manifest}"
    );
    // Two sources at once, a source without --crate, and a bad name are refused.
    let both = codegen(
        &[
            "--spec",
            SHIPPING,
            "--crate",
            "b",
            "--runtime-version",
            "1",
            "--runtime-git",
            url,
        ],
        &dir.path().join("b"),
    );
    assert!(!both.status.success());
    let alone = codegen(
        &["--spec", SHIPPING, "--runtime-version", "1"],
        &dir.path().join("a"),
    );
    assert!(!alone.status.success());
    let bad = codegen(
        &["--spec", SHIPPING, "--crate", "no spaces"],
        &dir.path().join("n"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("cannot name a crate"));
}
