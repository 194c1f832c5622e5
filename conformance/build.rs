//! Checks the spec at build time, so the embedded contract is known good, writes one test per
//! conformance case and the invalid samples (as text) into OUT_DIR, and rebuilds whenever the
//! spec or its samples change. The case list itself is derived again at run time by the same
//! function (`contract_model::cases::derive`), so `--spec` can name another contract.

use std::path::Path;

fn main() {
    let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
    let samples_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/samples");
    println!("cargo:rerun-if-changed={spec_path}");
    println!("cargo:rerun-if-changed={samples_dir}");
    // A directory's mtime changes when a file is added or removed, not when one is edited.
    for folder in ["valid", "invalid"] {
        println!("cargo:rerun-if-changed={samples_dir}/{folder}");
        if let Ok(entries) = std::fs::read_dir(Path::new(samples_dir).join(folder)) {
            for e in entries.flatten() {
                println!("cargo:rerun-if-changed={}", e.path().display());
            }
        }
    }
    let spec = match codegen::Spec::load(spec_path) {
        Ok(s) => s,
        Err(d) => fail(&d),
    };
    let api = match codegen::spec::check::check(&spec) {
        Ok(api) => api,
        Err(d) => fail(&d),
    };
    use codegen::emit::cases;
    let samples = cases::read_invalid_samples(Path::new(samples_dir)).unwrap_or_else(|d| fail(&d));
    let table = cases::derive(&api, &samples).unwrap_or_else(|d| fail(&d));
    let name = "spec/frontpayment.openapi.yaml";
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let write = |file: &str, text: Result<String, codegen::Diagnostic>| {
        let text = text.unwrap_or_else(|d| fail(&d.into()));
        if let Err(e) = std::fs::write(Path::new(&out).join(file), text) {
            eprintln!("cannot write {file} in OUT_DIR: {e}");
            std::process::exit(1);
        }
    };
    write("invalid_samples.rs", cases::emit_samples(&api, &samples, name));
    write("case_tests.rs", cases::emit_tests(&api, &table, name));
}

fn fail(d: &codegen::Diagnostics) -> ! {
    for line in d.to_string().lines() {
        println!("cargo:warning={line}");
    }
    eprintln!("{d}");
    std::process::exit(1);
}
