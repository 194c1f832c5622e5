//! `spec::email` gives jsonschema's own `format: email` verdict: its fast path accepts only
//! addresses jsonschema accepts, and `is_valid` equals jsonschema's check on every generated
//! address (dot-atoms of every `atext` character, quoted local parts, IP literals, display
//! text, dots in every place, A-labels and `--`, non-ASCII, lengths around 64, 63 and 253)
//! and on every string of the sample corpus.

use std::path::Path;

use contract_model::spec::email;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

fn agree(s: &str) -> bool {
    let builtin = email::builtin(s);
    assert_eq!(email::is_valid(s), builtin, "{s:?}");
    if email::plain(s) {
        assert!(builtin, "fast path accepts {s:?}, jsonschema does not");
    }
    builtin
}

fn local() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,12}(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,8}){0,3}",
        2 => "[a-z0-9._%+-]{58,70}",
        1 => "\\.?[a-z]{0,4}\\.{0,2}[a-z]{0,4}\\.?",
        1 => "\"[a-z .@\\\\\"]{0,8}\"",
        1 => "[a-zé ()<>,;:\\[\\]]{1,6}",
        1 => "(Name )?<?[a-z]{1,4}",
    ]
}

fn domain() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[A-Za-z0-9]([A-Za-z0-9-]{0,5}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,5}[A-Za-z0-9])?){0,3}",
        1 => "(xn--[a-z0-9]{1,8}|[a-z]{2}--[a-z]{1,4}|XN--[a-z0-9]{2,6})\\.[a-z]{2,4}",
        1 => "-?[a-z]{0,3}-?\\.{0,2}[a-z]{0,3}\\.?",
        1 => "[a-z]{60,66}\\.[a-z]{2,3}",
        1 => "([a-z]{60,63}\\.){3,4}[a-z]{2,3}",
        1 => "\\[(127\\.0\\.0\\.1|IPv6:::1|ipv6:fe80::1|300\\.1\\.1\\.1|1\\.2\\.3)\\]",
        1 => "[a-zé_ ]{1,6}(\\.[a-z]{2,3})?>?",
    ]
}

#[test]
fn matches_jsonschema_on_generated_addresses() {
    let strategy = prop_oneof![
        8 => (local(), domain()).prop_map(|(l, d)| format!("{l}@{d}")),
        1 => (local(), domain(), domain()).prop_map(|(l, d, e)| format!("{l}@{d}@{e}")),
        1 => any::<String>(),
    ];
    let (valid, plain) = (std::cell::Cell::new(0u32), std::cell::Cell::new(0u32));
    let mut runner = TestRunner::new(Config::with_cases(20_000));
    runner
        .run(&strategy, |s| {
            valid.set(valid.get() + u32::from(agree(&s)));
            plain.set(plain.get() + u32::from(email::plain(&s)));
            Ok(())
        })
        .unwrap();
    // Both verdicts, and both paths to "valid", occurred.
    let (valid, plain) = (valid.get(), plain.get());
    assert!(
        plain > 1000 && valid > plain && valid < 20_000,
        "{plain} plain, {valid} valid"
    );
}

#[test]
fn matches_jsonschema_on_the_corpus() {
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
            Value::Object(m) => m.values().for_each(|v| strings(v, out)),
            _ => {}
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut all = Vec::new();
    for dir in [
        "spec/samples/valid",
        "spec/samples/invalid",
        "conformance/tests/interop/requests/valid",
        "conformance/tests/interop/requests/invalid",
    ] {
        for e in std::fs::read_dir(root.join(dir)).expect("sample dir").flatten() {
            let text = std::fs::read_to_string(e.path()).expect("readable");
            strings(&serde_json::from_str(&text).expect("JSON sample"), &mut all);
        }
    }
    let valid = all.iter().filter(|s| agree(s)).count();
    assert!(valid > 0 && valid < all.len(), "{valid} of {}", all.len());
}
