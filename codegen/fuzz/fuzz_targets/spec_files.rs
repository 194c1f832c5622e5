//! A document split over files, all in memory: loading, joining, checking and generating
//! never panic or hang, and nothing outside the given set is read.
//!
//! The input is cut at NUL bytes into at most five files: `api/root.yaml` (the spec), then
//! `api/a.yaml`, `api/b/c.json`, `schemas/d.yaml` and `api/e.yaml`, which the root and each
//! other can name in `$ref`s (`a.yaml#/X`, `../schemas/d.yaml`, `b/c.json#/$defs/y`...).
#![no_main]

use std::path::Path;

use codegen::Spec;
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 5] = ["api/root.yaml", "api/a.yaml", "api/b/c.json", "schemas/d.yaml", "api/e.yaml"];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parts: Vec<&str> = text.splitn(NAMES.len(), '\0').collect();
    let read = |path: &Path| -> Result<String, String> {
        NAMES
            .iter()
            .position(|n| Path::new(n) == path)
            .and_then(|i| parts.get(i))
            .map(|t| t.to_string())
            .ok_or_else(|| "no such file".to_string())
    };
    let Ok(spec) = Spec::parse_with(NAMES[0], parts[0].to_string(), &read) else { return };
    // Every diagnostic names one of the given files (or the root).
    for d in &spec.warnings {
        assert!(NAMES.iter().any(|n| d.file == *n), "{d}");
    }
    if let Ok(api) = codegen::spec::check::check_document(&spec) {
        assert!(codegen::spec_diff::diff(&spec, &api, &spec, &api).is_empty());
        let _ = codegen::emit::generate_client(&spec);
    }
});
