//! `format: email` with a fast path for the common shape, jsonschema's own check for the rest.
//!
//! jsonschema checks an address with the `email_address` crate (display text, quoted local
//! parts, domain literals) and then the domain as a hostname (punycode labels decoded): about
//! 45 % of a request validation here, for addresses that are almost always a plain
//! `atom.atom@label.label`. [`is_valid`] accepts exactly that shape by itself, where both checks
//! are sure to accept: an unquoted ASCII dot-atom local part of at most 64 bytes, `@`, and a
//! hostname of at most 253 bytes whose labels are 1–63 letters, digits and inner hyphens
//! with no `--` at the third and fourth place (the A-label marker jsonschema decodes).
//! Anything else, valid or not, gets jsonschema's own verdict, so the fast path can only ever
//! say "valid" where jsonschema says so too; `tests/email_format.rs` checks both directions on
//! generated addresses and the corpus.

use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::{Value, json};

/// The format this module checks.
pub const FORMAT: &str = "email";

/// jsonschema's own `format: email`, for everything the fast path does not settle. A fixed
/// schema built once: it holds no state.
static BUILTIN: LazyLock<Validator> = LazyLock::new(|| {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&json!({ "format": FORMAT }))
        .expect("a format-only schema compiles")
});

/// jsonschema's verdict on `s` as an email address.
pub fn is_valid(s: &str) -> bool {
    plain(s) || builtin(s)
}

/// jsonschema's own check alone (what [`is_valid`] must agree with).
pub fn builtin(s: &str) -> bool {
    BUILTIN.is_valid(&Value::String(s.to_owned()))
}

/// `atom(.atom)*@label(.label)*` in the limits above: valid for jsonschema, no matter what.
pub fn plain(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    plain_local(local) && plain_domain(domain)
}

/// RFC 5322 `atext`, ASCII only (no quotes, brackets, `@`, `<`, `>`, spaces or controls).
fn is_atext(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~".contains(&b)
}

fn plain_local(local: &str) -> bool {
    (1..=64).contains(&local.len())
        && local
            .split('.')
            .all(|atom| !atom.is_empty() && atom.bytes().all(is_atext))
}

fn plain_domain(domain: &str) -> bool {
    (1..=253).contains(&domain.len())
        && domain.split('.').all(|label| {
            let b = label.as_bytes();
            (1..=63).contains(&b.len())
                && b[0].is_ascii_alphanumeric()
                && b[b.len() - 1].is_ascii_alphanumeric()
                && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
                && !(b.len() >= 4 && b[2] == b'-' && b[3] == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_takes_only_the_plain_shape() {
        assert!(plain("a.b+c@example.com"));
        assert!(plain("x@localhost"));
        for s in [
            "\"q\"@example.com",
            "a@[127.0.0.1]",
            ".a@example.com",
            "a..b@example.com",
            "a.@example.com",
            "a@example.com.",
            "a@-x.com",
            "a@xn--nxasmq6b.com",
            "a@ab--c.com",
            "a@b@c.com",
            "Name <a@example.com>",
            "a b@example.com",
            "é@example.com",
        ] {
            assert!(!plain(s), "{s}");
        }
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert!(!plain(&long_local));
        // Outside the fast path, jsonschema decides.
        assert!(is_valid("\"q\"@example.com") && is_valid("a@[127.0.0.1]"));
        assert!(!is_valid("a..b@example.com"));
    }
}
