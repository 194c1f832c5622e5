//! Generates the client from the spec at build time: `types.rs` and `client.rs` in OUT_DIR,
//! included by src/lib.rs. A spec the generator refuses fails the build with its diagnostics
//! (file, line, JSON pointer, hint).

use std::path::Path;

fn main() {
    let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/samples");
    println!("cargo:rerun-if-changed={spec_path}");
    println!("cargo:rerun-if-changed={samples}");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| fail("OUT_DIR is not set (run through cargo)"));
    let spec = codegen::Spec::load(spec_path).unwrap_or_else(|d| fail(&d.to_string()));
    // A spec split over files is regenerated when any of them changes.
    for sibling in spec.sources.files.iter().skip(1) {
        println!("cargo:rerun-if-changed={}", sibling.path.display());
    }
    let files = codegen::emit::generate_client(&spec).unwrap_or_else(|d| fail(&d.to_string()));
    for f in files {
        let path = Path::new(&out_dir).join(&f.name);
        if let Err(e) = std::fs::write(&path, f.contents) {
            fail(&format!("cannot write {}: {e}", path.display()));
        }
    }
}

fn fail(message: &str) -> ! {
    for line in message.lines() {
        println!("cargo:warning={line}");
    }
    eprintln!("{message}");
    std::process::exit(1);
}
