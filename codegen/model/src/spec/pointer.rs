//! JSON pointers (RFC 6901): the one place that escapes, unescapes and composes them.

/// Escapes one reference token: `~` → `~0`, `/` → `~1` (in that order, so `~1` in a name
/// stays itself).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one reference token: `~1` → `/`, then `~0` → `~`.
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer of a child: `pointer` followed by raw (unescaped) tokens.
pub fn child(pointer: &str, tokens: &[&str]) -> String {
    let mut out = pointer.to_string();
    for t in tokens {
        out.push('/');
        out.push_str(&escape(t));
    }
    out
}

/// The unescaped tokens of a pointer (`""` has none).
pub fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape).collect()
}

/// The last token, unescaped (`/components/schemas/a~1b` → `a/b`); `None` for the root.
pub fn last(pointer: &str) -> Option<String> {
    pointer.rfind('/').map(|i| unescape(&pointer[i + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_round_trips_and_keeps_order() {
        for raw in ["a/b", "~1", "~0/~", "plain", ""] {
            assert_eq!(unescape(&escape(raw)), raw);
        }
        assert_eq!(escape("~1"), "~01");
        assert_eq!(unescape("~01"), "~1");
    }

    #[test]
    fn composes_and_splits() {
        let p = child("/components/schemas", &["a/b", "c~d"]);
        assert_eq!(p, "/components/schemas/a~1b/c~0d");
        assert_eq!(tokens(&p), ["components", "schemas", "a/b", "c~d"]);
        assert_eq!(last(&p).as_deref(), Some("c~d"));
        assert_eq!(last(""), None);
        assert!(tokens("").is_empty());
    }
}
