//! Loading and checking any text as a spec never panics or hangs: bad input is diagnostics.
#![no_main]

use codegen::Spec;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // Sibling files are never read from disk here (`spec_files` fuzzes them in memory).
    let no_files = |_: &std::path::Path| Err("no sibling files in this target".to_string());
    if let Ok(spec) = Spec::parse_with("fuzz.yaml", text.to_string(), &no_files) {
        if let Ok(api) = codegen::spec::check::check_document(&spec) {
            // A spec that passes can be compared with itself: no changes.
            assert!(codegen::spec_diff::diff(&spec, &api, &spec, &api).is_empty());
        }
    }
});
