//! Percent-encoding of values written into URLs, with the `percent-encoding` crate.
//!
//! Both path segments and query components are encoded strictly: everything but RFC 3986's
//! unreserved characters (`A-Z a-z 0-9 - . _ ~`), so a value can never add a `/`, `?`, `&`,
//! `=` or `#` of its own.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters.
pub(crate) const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path parameter, encoded as one path segment (`a/b` → `a%2Fb`). Use in `format!`.
pub fn path(value: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(value, COMPONENT)
}

/// Appends `name=value` to `url` as a query parameter, starting the query (`?`) or adding
/// to it (`&`).
pub fn query(url: &mut String, name: &str, value: &str) {
    url.push(if url.contains('?') { '&' } else { '?' });
    url.extend(utf8_percent_encode(name, COMPONENT));
    url.push('=');
    url.extend(utf8_percent_encode(value, COMPONENT));
}

#[cfg(test)]
mod tests {
    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(super::path("RES-1_a.b~").to_string(), "RES-1_a.b~");
        assert_eq!(super::path("a/b?c#d").to_string(), "a%2Fb%3Fc%23d");
        assert_eq!(super::path("ø ").to_string(), "%C3%B8%20");
        assert_eq!(super::path("..%2F").to_string(), "..%252F");
    }

    #[test]
    fn queries_are_started_then_extended() {
        let mut url = "/events".to_string();
        super::query(&mut url, "limit", "3");
        super::query(&mut url, "from date", "a&b=c");
        assert_eq!(url, "/events?limit=3&from%20date=a%26b%3Dc");
    }
}
