//! The scratch crate the feature tests compile generated clients in: one module per fixture
//! (`types` and `client`), warnings denied, with one behaviour file as its test, built in the
//! shared `target/generated-check` so that the dependencies compile once for every test that
//! uses it (`compile_generated.rs` builds there too).

use std::path::Path;
use std::process::Command;

use codegen::emit::GeneratedFile;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

/// What `cargo test` printed in the scratch crate, and whether it passed.
pub struct Run {
    pub success: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Writes a crate named `name` holding `modules` (a module name and the generated files of
/// one fixture each) with `behaviour` as its one test file, and runs that test.
pub fn test_clients(name: &str, modules: Vec<(String, Vec<GeneratedFile>)>, behaviour: &Path) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path().join(name);
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::create_dir_all(crate_dir.join("tests")).unwrap();
    let runtime = Path::new(ROOT).join("generated-client/runtime");
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\ncontract-runtime = {{ path = {:?} }}\n\n\
             [dev-dependencies]\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n\
             wiremock = \"0.6\"\n",
            runtime.display().to_string()
        ),
    )
    .unwrap();
    std::fs::copy(Path::new(ROOT).join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();
    let mut lib = String::from("#![deny(warnings)]\n");
    for (module, files) in modules {
        let dir = crate_dir.join("src").join(&module);
        std::fs::create_dir_all(&dir).unwrap();
        for f in files {
            std::fs::write(dir.join(&f.name), f.contents).unwrap();
        }
        lib.push_str(&format!(
            "pub mod {module} {{\n    pub mod types {{\n        include!(\"{module}/types.rs\");\n    }}\n    \
             pub mod client {{\n        include!(\"{module}/client.rs\");\n    }}\n}}\n"
        ));
    }
    std::fs::write(crate_dir.join("src/lib.rs"), lib).unwrap();
    std::fs::copy(behaviour, crate_dir.join("tests/behaviour.rs")).unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["test", "--quiet", "--offline", "--test", "behaviour"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", Path::new(ROOT).join("target/generated-check"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    Run {
        success: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}
