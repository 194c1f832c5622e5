//! Patterns as the validator's regex engine should see them.
//!
//! A spec pattern means what ECMA-262 says. Specs written for several validators end patterns
//! in `$(?!\n)` so that engines where `$` also matches before a final newline (Python's `re`)
//! agree with ECMA-262. For the Rust engines `$` (no multi-line flag) already means "end of
//! input", so the lookahead can never fail, but its mere presence moves the whole pattern from
//! the linear `regex` engine onto `fancy-regex`'s backtracking VM (about 3× slower per match
//! here, see `bench/README.md`). [`for_rust_engine`] drops exactly that redundant suffix;
//! a pattern with any other lookaround keeps it and stays on the backtracking engine, the only
//! one that can run it. `tests/pattern_engines.rs` checks that the verdicts do not change.

use std::borrow::Cow;

use serde_json::Value;

const REDUNDANT: &str = "$(?!\\n)";

/// The pattern with a final `$(?!\n)` reduced to `$` (when that `$` is an anchor, not an
/// escaped dollar); any other pattern unchanged.
pub fn for_rust_engine(pattern: &str) -> Cow<'_, str> {
    let Some(head) = pattern.strip_suffix(REDUNDANT) else {
        return Cow::Borrowed(pattern);
    };
    // An odd number of backslashes before `$` escapes it: `\$(?!\n)` is a literal dollar.
    let backslashes = head.bytes().rev().take_while(|b| *b == b'\\').count();
    if backslashes % 2 == 1 {
        return Cow::Borrowed(pattern);
    }
    Cow::Owned(format!("{head}$"))
}

/// Applies [`for_rust_engine`] to every `pattern` keyword (a string value under the key
/// `pattern`) and every `patternProperties` key in a document.
pub fn rewrite_for_rust_engine(doc: &mut Value) {
    rewrite(doc, &mut Originals::new());
}

/// Rewritten pattern → the pattern as the spec wrote it (for error messages).
pub type Originals = std::collections::HashMap<String, String>;

/// [`rewrite_for_rust_engine`], recording what each rewritten pattern was.
pub fn rewrite(doc: &mut Value, originals: &mut Originals) {
    match doc {
        Value::Object(map) => {
            if let Some(Value::String(p)) = map.get_mut("pattern")
                && let Cow::Owned(new) = for_rust_engine(p)
            {
                originals.entry(new.clone()).or_insert_with(|| p.clone());
                *p = new;
            }
            if let Some(Value::Object(props)) = map.get_mut("patternProperties")
                && props.keys().any(|k| matches!(for_rust_engine(k), Cow::Owned(_)))
            {
                let old = std::mem::take(props);
                *props = old
                    .into_iter()
                    .map(|(k, v)| (for_rust_engine(&k).into_owned(), v))
                    .collect();
            }
            map.values_mut().for_each(|v| rewrite(v, originals));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, originals)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_redundant_suffix_goes() {
        assert_eq!(for_rust_engine("^[0-9]{4,15}$(?!\\n)"), "^[0-9]{4,15}$");
        assert_eq!(for_rust_engine("^a$"), "^a$");
        assert_eq!(for_rust_engine("^(?=x)a$(?!\\n)"), "^(?=x)a$");
        // An escaped dollar is a literal: the lookahead then means something.
        assert_eq!(for_rust_engine("^a\\$(?!\\n)"), "^a\\$(?!\\n)");
        assert_eq!(for_rust_engine("^a\\\\$(?!\\n)"), "^a\\\\$");
        assert_eq!(for_rust_engine("^a(?!\\n)"), "^a(?!\\n)");
        assert_eq!(for_rust_engine("^a$(?!\\n)b"), "^a$(?!\\n)b");
    }

    #[test]
    fn rewrites_pattern_keywords_and_pattern_property_names() {
        let mut doc = serde_json::json!({
            "properties": {
                "pattern": {"type": "string", "pattern": "^a$(?!\\n)"},
                "b": {"patternProperties": {"^x$(?!\\n)": {"pattern": "^y$"}}}
            },
            "examples": [{"pattern": 1}]
        });
        rewrite_for_rust_engine(&mut doc);
        assert_eq!(
            doc,
            serde_json::json!({
                "properties": {
                    "pattern": {"type": "string", "pattern": "^a$"},
                    "b": {"patternProperties": {"^x$": {"pattern": "^y$"}}}
                },
                "examples": [{"pattern": 1}]
            })
        );
    }
}
