//! The tolerant JSON reader never panics or hangs, and what it reads from valid JSON is what
//! serde_json reads, with no repair.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = codegen::docs::tolerant_json::parse(text, 1);
    if let Ok(strict) = serde_json::from_str::<serde_json::Value>(text) {
        // Deeper than the reader's bound is cut (and reported); anything else must agree.
        if parsed.repairs.is_empty() {
            assert_eq!(parsed.value, Some(strict));
        }
    }
    for r in &parsed.repairs {
        assert!(r.line >= 1 && r.column >= 1);
    }
});
