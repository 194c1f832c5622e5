//! The `pattern` keyword, with every pattern it can prove equivalent on the linear `regex`
//! engine: patterns without lookaround directly, and `^(?=A)B` split in two.
//!
//! A lookahead at the very start of an anchored pattern (no multi-line flag) is a second
//! condition on the same string: `A` must match at position 0, and so must `B`. When neither
//! part has lookaround, backreferences or (for `B`) a top-level `|`, the pattern is exactly
//! "`^(?:A)` matches and `^(?:B)` matches", and both halves run on the linear `regex` engine
//! instead of fancy-regex's backtracking VM (the email pattern's 64-character local-part rule
//! is such a lookahead; bench/README.md has the figures). Every other pattern, and literal
//! patterns jsonschema matches without a regex, keep jsonschema's own `pattern` keyword. `tests/pattern_engines.rs` checks that the verdicts
//! agree with ECMA-262 and with the pattern as written.

use std::sync::Arc;

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError, Validator};
use serde_json::{Map, Value, json};

use super::patterns::Originals;

/// `^(?=A)B` → (`A`, `B`) when the split is exact (see the module comment).
pub fn split_leading_lookahead(pattern: &str) -> Option<(&str, &str)> {
    let inner = pattern.strip_prefix("^(?=")?;
    let end = closing_paren(inner)?;
    let (head, rest) = (&inner[..end], &inner[end + 1..]);
    (is_plain(head) && is_plain(rest) && !has_top_level_bar(rest)).then_some((head, rest))
}

/// No lookaround and no backreference anywhere (conservatively: not even inside a class).
pub fn is_plain(p: &str) -> bool {
    !["(?=", "(?!", "(?<=", "(?<!", "\\k"]
        .iter()
        .any(|s| p.contains(s))
        && !p
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'\\' && w[1].is_ascii_digit() && w[1] != b'0')
}

/// The characters of `s` that are regex syntax (not escaped, not inside a character class),
/// each with its index and the group depth before it: the one scanner both checks below use.
fn syntax(s: &str) -> impl Iterator<Item = (usize, char, usize)> + '_ {
    let (mut depth, mut in_class, mut escaped) = (0usize, false, false);
    s.char_indices().filter_map(move |(i, c)| {
        let is_syntax = match c {
            _ if escaped => {
                escaped = false;
                false
            }
            '\\' => {
                escaped = true;
                false
            }
            '[' if !in_class => {
                in_class = true;
                false
            }
            ']' if in_class => {
                in_class = false;
                false
            }
            _ => !in_class,
        };
        if !is_syntax {
            return None;
        }
        let before = depth;
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        Some((i, c, before))
    })
}

/// Index of the `)` closing a group whose `(` came just before `s`.
fn closing_paren(s: &str) -> Option<usize> {
    syntax(s).find_map(|(i, c, depth)| (c == ')' && depth == 0).then_some(i))
}

fn has_top_level_bar(s: &str) -> bool {
    syntax(s).any(|(_, c, depth)| c == '|' && depth == 0)
}

/// A pattern anchored at the start, compiled for the linear engine (ECMA-262 syntax first
/// translated the way jsonschema translates it).
fn linear(part: &str) -> Option<regex::Regex> {
    compile(&format!("^(?:{part})"))
}

fn compile(pattern: &str) -> Option<regex::Regex> {
    let translated = jsonschema_regex::to_rust_regex(pattern).ok()?;
    regex::Regex::new(&translated).ok()
}

enum Matcher {
    /// `^(?=A)B` as two linear matches.
    Split(regex::Regex, regex::Regex),
    /// A pattern without lookaround: the linear engine directly, without fancy-regex's
    /// wrapper around it.
    Linear(regex::Regex),
    /// Any other pattern: jsonschema's own keyword, as if there were no override.
    Builtin(Validator),
}

struct Pattern {
    matcher: Matcher,
    /// The pattern as the spec wrote it, for messages.
    shown: String,
}

impl<'i> Keyword<'i> for Pattern {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.is_valid(instance) {
            return Ok(());
        }
        // The same words as jsonschema's own `pattern` error.
        Err(ValidationError::custom(format!(
            "{instance} does not match \"{}\"",
            self.shown
        )))
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        match (&self.matcher, instance) {
            (Matcher::Split(head, rest), Value::String(s)) => head.is_match(s) && rest.is_match(s),
            (Matcher::Linear(re), Value::String(s)) => re.is_match(s),
            (Matcher::Split(..) | Matcher::Linear(_), _) => true,
            (Matcher::Builtin(v), _) => v.is_valid(instance),
        }
    }
}

/// What a keyword factory returns.
pub type Compiled<'a> = Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>>;

/// The factory for `with_keyword("pattern", ...)`; `originals` maps rewritten patterns back
/// to the spec's text.
pub fn keyword(
    originals: Arc<Originals>,
) -> impl for<'a> Fn(&'a Map<String, Value>, &'a Value, Location) -> Compiled<'a> + Send + Sync + 'static {
    move |_parent, value, _location| {
        let Value::String(pattern) = value else {
            return Err(ValidationError::custom("`pattern` must be a string"));
        };
        let shown = originals.get(pattern).unwrap_or(pattern).clone();
        build(pattern, shown)
    }
}

/// The name the `pattern` keyword goes by in validators generated at build time
/// (`jsonschema::validator` cannot override a built-in keyword, so the build renames it; see
/// [`rename_for_generated`]). Generated validators give verdicts only, so no error names it.
pub const GENERATED_KEYWORD: &str = "x-linear-pattern";

/// Keywords whose values are instances, not schemas: a `pattern` member there is data. (A
/// property that happens to bear one of these names keeps jsonschema's own `pattern` in its
/// schema: the same verdict, on fancy-regex.)
const DATA_KEYWORDS: &[&str] = &["const", "enum", "default", "example", "examples"];

/// Moves every `pattern` keyword (a string under the key `pattern`, outside instance values)
/// to [`GENERATED_KEYWORD`], its text as the spec wrote it: [`generated_keyword`] then runs it exactly as [`keyword`] runs the runtime one.
pub fn rename_for_generated(doc: &mut Value) {
    match doc {
        Value::Object(map) => {
            if let Some(Value::String(_)) = map.get("pattern") {
                // Rebuilt in order: keywords keep their places.
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| match k.as_str() {
                        "pattern" => (GENERATED_KEYWORD.to_string(), v),
                        _ => (k, v),
                    })
                    .collect();
            }
            map.iter_mut()
                .filter(|(k, _)| !DATA_KEYWORDS.contains(&k.as_str()))
                .for_each(|(_, v)| rename_for_generated(v));
        }
        Value::Array(items) => items.iter_mut().for_each(rename_for_generated),
        _ => {}
    }
}

/// The factory for [`GENERATED_KEYWORD`] in `#[jsonschema::validator(keywords = {...})]`:
/// the spec's pattern, rewritten for the Rust engines ([`super::patterns::for_rust_engine`])
/// and matched by the same code as the runtime keyword.
pub fn generated_keyword<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _location: Location,
) -> Compiled<'a> {
    let Value::String(shown) = value else {
        return Err(ValidationError::custom("`pattern` must be a string"));
    };
    build(&super::patterns::for_rust_engine(shown), shown.clone())
}

/// The matcher for `pattern` (already rewritten for the Rust engines); `shown` is the
/// pattern as the spec wrote it.
fn build<'a>(pattern: &str, shown: String) -> Compiled<'a> {
    // jsonschema's literal fast paths (prefix, exact, alternation) stay its own.
    let literal = jsonschema_regex::analyze_pattern(pattern).is_some();
    let fast = if literal {
        None
    } else if let Some((head, rest)) = split_leading_lookahead(pattern) {
        linear(head).zip(linear(rest)).map(|(h, r)| Matcher::Split(h, r))
    } else if is_plain(pattern) {
        compile(pattern).map(Matcher::Linear)
    } else {
        None
    };
    let matcher = match fast {
        Some(m) => m,
        None => Matcher::Builtin(
            jsonschema::draft202012::new(&json!({ "pattern": pattern }))
                .map_err(|e| ValidationError::custom(format!("invalid pattern: {e}")))?,
        ),
    };
    Ok(Box::new(Pattern { matcher, shown }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_pattern_keywords_in_place_but_not_data() {
        let mut doc = json!({
            "type": "string",
            "pattern": "^a$(?!\\n)",
            "maxLength": 3,
            "properties": {"pattern": {"pattern": "^b$"}},
            "const": {"pattern": "^c$"},
            "enum": [{"pattern": "^d$"}],
            "examples": [{"pattern": "x"}]
        });
        rename_for_generated(&mut doc);
        let keys: Vec<_> = doc.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys[..3], ["type", GENERATED_KEYWORD, "maxLength"]);
        assert_eq!(doc[GENERATED_KEYWORD], "^a$(?!\\n)");
        assert_eq!(doc["properties"]["pattern"], json!({ GENERATED_KEYWORD: "^b$" }));
        assert_eq!(doc["const"], json!({"pattern": "^c$"}));
        assert_eq!(doc["enum"], json!([{"pattern": "^d$"}]));
        assert_eq!(doc["examples"], json!([{"pattern": "x"}]));
    }

    #[test]
    fn only_exact_splits_are_made() {
        assert_eq!(
            split_leading_lookahead("^(?=[^@]{1,64}@)[a-z]+@[a-z]+$"),
            Some(("[^@]{1,64}@", "[a-z]+@[a-z]+$"))
        );
        assert_eq!(
            split_leading_lookahead("^(?=(a|b)[)])c$"),
            Some(("(a|b)[)]", "c$"))
        );
        // Not at the start, other lookarounds, backreferences, top-level alternation.
        assert_eq!(split_leading_lookahead("a(?=b)"), None);
        assert_eq!(split_leading_lookahead("^(?=a)(?!b)c"), None);
        assert_eq!(split_leading_lookahead("^(?=(a))\\1"), None);
        assert_eq!(split_leading_lookahead("^(?=a)b|c"), None);
        assert_eq!(split_leading_lookahead("^(?=a"), None);
    }
}
