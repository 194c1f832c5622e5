//! Keeping the bearer token out of every output. A server may echo it whole, cut, inside a
//! JSON string (escaped) or in a URL (percent-encoded); any run of [`WINDOW`] consecutive
//! characters of the token, in any of those encodings, is replaced. Response bodies are
//! redacted before anything quotes them, so an excerpt cannot cut the token into a fragment
//! the report-level pass would no longer see whole.

use std::borrow::Cow;
use std::ops::Range;

use aho_corasick::AhoCorasick;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Shortest fragment of the token that is redacted (the whole token when it is shorter).
pub const WINDOW: usize = 12;

/// RFC 3986 component encoding: everything but the unreserved characters.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Finds token fragments in text or bytes and replaces them.
pub struct Redactor {
    finder: Option<AhoCorasick>,
    shown_as: String,
}

impl Redactor {
    /// A redactor for `secret`, which is shown as `shown_as` instead; an empty secret redacts
    /// nothing.
    pub fn new(secret: &str, shown_as: &str) -> Redactor {
        let mut needles: Vec<String> = fragments(secret)
            .flat_map(|w| encodings(&w))
            .filter(|n| !n.is_empty())
            .collect();
        needles.sort();
        needles.dedup();
        let finder = (!needles.is_empty())
            .then(|| AhoCorasick::new(&needles).ok())
            .flatten();
        Redactor {
            finder,
            shown_as: shown_as.to_string(),
        }
    }

    /// Merged byte ranges of `hay` that hold a fragment of the token.
    fn ranges(&self, hay: &[u8]) -> Vec<Range<usize>> {
        let Some(finder) = &self.finder else {
            return Vec::new();
        };
        let mut out: Vec<Range<usize>> = Vec::new();
        for m in finder.find_overlapping_iter(hay) {
            match out.last_mut() {
                Some(last) if m.start() <= last.end => last.end = last.end.max(m.end()),
                _ => out.push(m.start()..m.end()),
            }
        }
        out
    }

    pub fn bytes<'a>(&self, hay: &'a [u8]) -> Cow<'a, [u8]> {
        let ranges = self.ranges(hay);
        if ranges.is_empty() {
            return Cow::Borrowed(hay);
        }
        let mut out = Vec::with_capacity(hay.len());
        let mut at = 0;
        for r in ranges {
            out.extend_from_slice(&hay[at..r.start]);
            out.extend_from_slice(self.shown_as.as_bytes());
            at = r.end;
        }
        out.extend_from_slice(&hay[at..]);
        Cow::Owned(out)
    }

    pub fn text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        match self.bytes(s.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(s),
            // Needles are whole UTF-8 sequences, so cuts fall on character boundaries.
            Cow::Owned(b) => Cow::Owned(String::from_utf8_lossy(&b).into_owned()),
        }
    }

    pub fn fix(&self, s: &mut String) {
        if let Cow::Owned(r) = self.text(s) {
            *s = r;
        }
    }
}

/// Every run of [`WINDOW`] consecutive characters of `secret` (or `secret` itself if shorter).
fn fragments(secret: &str) -> impl Iterator<Item = String> + '_ {
    let chars: Vec<char> = secret.chars().collect();
    let w = WINDOW.min(chars.len());
    let count = if w == 0 { 0 } else { chars.len() - w + 1 };
    (0..count).map(move |i| chars[i..i + w].iter().collect())
}

/// The forms a fragment takes in output: raw, JSON-escaped, percent-encoded (upper- and
/// lower-case hex, all non-alphanumerics or only the reserved ones).
fn encodings(fragment: &str) -> Vec<String> {
    let json = serde_json::to_string(fragment).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|j| j.strip_suffix('"'))
        .unwrap_or_default()
        .to_string();
    let mut out = vec![fragment.to_string(), json];
    for set in [NON_ALPHANUMERIC, COMPONENT] {
        let upper = utf8_percent_encode(fragment, set).to_string();
        out.push(lower_hex(&upper));
        out.push(upper);
    }
    out
}

/// `%2F` → `%2f`; nothing else changes.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if c == '%' {
            hex_left = 2;
            out.push(c);
        } else if hex_left > 0 {
            hex_left -= 1;
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "Abc\"Def\\Ghi/Jkl+Mno=Pqr&Stu Vwx1";

    #[test]
    fn fragments_in_every_encoding_are_replaced() {
        let r = Redactor::new(TOKEN, "$T");
        let json = serde_json::to_string(TOKEN).unwrap();
        let pct = utf8_percent_encode(TOKEN, NON_ALPHANUMERIC).to_string();
        for text in [
            format!("echo: {TOKEN}!"),
            format!("cut: {}", &TOKEN[1..]),
            format!("cut: {}", &TOKEN[..13]),
            format!("json: {json}"),
            format!("json cut: {}", &json[5..30]),
            format!("url: ?t={pct}"),
            format!("url: ?t={}", lower_hex(&pct)),
        ] {
            let out = r.text(&text);
            assert!(out.contains("$T"), "{text} → {out}");
            for w in fragments(TOKEN) {
                for e in encodings(&w) {
                    assert!(!out.contains(&e), "{text} → {out} still holds {e}");
                }
            }
        }
        assert_eq!(r.text("nothing here"), "nothing here");
        assert_eq!(Redactor::new("", "$T").text("abc"), "abc");
        // A token shorter than the window is replaced whole.
        assert_eq!(Redactor::new("s3cret", "$T").text("x s3cret y"), "x $T y");
    }
}
