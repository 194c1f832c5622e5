//! Real public OpenAPI documents become compiling clients: each document of the corpus beside
//! the repository (`../shared/corpus`, read in place, never copied) is generated as a crate
//! with `codegen generate --crate`, which must print warnings only, and every crate is
//! `cargo check`ed, offline, with one shared target dir (`target/generated-crate`, which
//! `generate_crate.rs` uses too), so the dependencies compile once.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// The root file of each document listed in the corpus README, and the crate made from it.
const DOCUMENTS: &[(&str, &str)] = &[
    ("camara-carrier-billing.yaml", "camara-carrier-billing"),
    ("vipps-management-api.yaml", "vipps-management"),
    ("oapi-codegen-parameters-roundtrip.yaml", "oapi-parameters"),
    ("oai-link-example.yaml", "oai-link-example"),
    ("kongair-flights.yaml", "kongair-flights"),
    ("sendgrid-mc-singlesends.yaml", "sendgrid-singlesends"),
    ("acp-agentic-checkout.yaml", "acp-agentic-checkout"),
    ("acp-delegate-payment.yaml", "acp-delegate-payment"),
    ("matrix-content-repo/content-repo.yaml", "matrix-content-repo"),
    ("ucp/source/services/shopping/rest.openapi.json", "ucp-shopping"),
    (
        "ucp/source/handlers/tokenization/openapi.json",
        "ucp-tokenization",
    ),
    ("redocly-cafe/openapi/openapi.yaml", "redocly-cafe"),
];

fn corpus() -> PathBuf {
    let dir = Path::new(ROOT).join("../shared/corpus");
    assert!(
        dir.join("README.md").is_file(),
        "the corpus of real OpenAPI documents is missing: expected it at {} (beside the repository)",
        dir.display()
    );
    dir.canonicalize().unwrap_or(dir)
}

/// Lines of `codegen`'s stderr that are not warnings (or their `at`/`hint` lines).
fn errors(stderr: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_warning = false;
    for line in stderr.lines() {
        if line.starts_with("  ") {
            if !in_warning {
                out.push(line);
            }
            continue;
        }
        in_warning = line.contains(": warning: ");
        if !in_warning {
            out.push(line);
        }
    }
    out
}

#[test]
fn every_corpus_document_generates_a_crate_that_compiles() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let target = Path::new(ROOT).join("target/generated-crate");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut failures = Vec::new();
    let mut passed = Vec::new();
    for (file, name) in DOCUMENTS {
        let spec = corpus.join(file);
        assert!(spec.is_file(), "{} is missing from the corpus", spec.display());
        let out = dir.path().join(name);
        let run = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["generate", "--crate", name, "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("codegen runs");
        let stderr = String::from_utf8_lossy(&run.stderr);
        let errors = errors(&stderr);
        if !run.status.success() || !errors.is_empty() {
            let shown: Vec<&str> = errors.iter().take(6).copied().collect();
            failures.push(format!(
                "{file}: generate exited {:?}, {} error line(s):\n    {}",
                run.status.code(),
                errors.len(),
                shown.join("\n    ")
            ));
            continue;
        }
        std::fs::copy(Path::new(ROOT).join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        let check = Command::new(&cargo)
            .args(["check", "--quiet", "--offline"])
            .current_dir(&out)
            .env("CARGO_TARGET_DIR", &target)
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        if check.status.success() {
            passed.push(*file);
        } else {
            let stderr = String::from_utf8_lossy(&check.stderr);
            let first: Vec<&str> = stderr.lines().take(12).collect();
            failures.push(format!(
                "{file}: the generated crate does not compile:\n    {}",
                first.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus documents fail (passing: {passed:?}):\n{}",
        failures.len(),
        DOCUMENTS.len(),
        failures.join("\n")
    );
}

#[test]
fn the_corpus_list_matches_the_corpus_readme() {
    let readme = std::fs::read_to_string(corpus().join("README.md")).unwrap();
    for (file, _) in DOCUMENTS {
        assert!(
            readme.contains(&format!("`{file}`")),
            "{file} is not in the corpus README"
        );
    }
    let rows = readme.lines().filter(|l| l.starts_with("| `")).count();
    assert_eq!(
        rows,
        DOCUMENTS.len(),
        "the corpus README lists another number of documents"
    );
}

/// `schemas` and `diff` work on every document `generate` accepts: each exports its schemas,
/// and a document compared with itself has no change.
#[test]
fn every_corpus_document_exports_schemas_and_diffs_clean() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (file, name) in DOCUMENTS {
        let spec = corpus.join(file);
        let out = dir.path().join(name);
        let schemas = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["schemas", "--spec"])
            .arg(&spec)
            .arg("--out")
            .arg(&out)
            .output()
            .expect("codegen runs");
        let written = std::fs::read_dir(&out).map(|d| d.count()).unwrap_or(0);
        if !schemas.status.success() || written == 0 {
            failures.push(format!(
                "{file}: schemas exited {:?}, {written} file(s) written: {}",
                schemas.status.code(),
                errors(&String::from_utf8_lossy(&schemas.stderr)).join(" | ")
            ));
        }
        let diff = Command::new(env!("CARGO_BIN_EXE_codegen"))
            .args(["diff", "--format", "json"])
            .arg(&spec)
            .arg(&spec)
            .output()
            .expect("codegen runs");
        let report: serde_json::Value = serde_json::from_slice(&diff.stdout).unwrap_or_default();
        let changes = report.as_array().map(Vec::len);
        if !diff.status.success() || changes != Some(0) {
            failures.push(format!(
                "{file}: diff with itself exited {:?} with {changes:?} change(s): {}",
                diff.status.code(),
                errors(&String::from_utf8_lossy(&diff.stderr)).join(" | ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
