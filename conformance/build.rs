//! Checks the spec at build time, so the embedded contract is known good, and rebuilds
//! whenever the spec or its samples change.

fn main() {
    let spec_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
    println!("cargo:rerun-if-changed={spec_path}");
    println!(
        "cargo:rerun-if-changed={}",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/samples")
    );
    let spec = match codegen::Spec::load(spec_path) {
        Ok(s) => s,
        Err(d) => fail(&d),
    };
    if let Err(d) = codegen::spec::check::check(&spec) {
        fail(&d);
    }
}

fn fail(d: &codegen::Diagnostics) -> ! {
    for line in d.to_string().lines() {
        println!("cargo:warning={line}");
    }
    eprintln!("{d}");
    std::process::exit(1);
}
