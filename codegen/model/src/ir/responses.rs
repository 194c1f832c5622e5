//! Response keys: one status code (`200`), a status range (`4XX`) or `default`.
//!
//! A response arrives with one status; the client decodes it with the most specific
//! documented response: an explicit code beats a range, a range beats `default`. Ranges are
//! written with an upper-case `X`, as OpenAPI defines them (`1XX` to `5XX`).
//!
//! Which responses are successes (the method's `Ok`): 2xx codes and the `2XX` range. When an
//! operation documents neither, `default` stands for its success too: a 2xx status decodes
//! as `Ok`, any other as the error variant of `default` (an operation whose only response is
//! `default` still has a result). Otherwise `default` is an error.

use serde::Serialize;

use super::operations::ResponseIr;
use crate::diagnostics::Diagnostic;
use crate::spec::Spec;

/// What a response key covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum StatusKey {
    /// One status code, 100-599.
    Code(u16),
    /// A class of status codes: `4XX` is `Range(4)`.
    Range(u16),
    /// Every status no other key covers.
    Default,
}

impl StatusKey {
    /// Reads a key of a Responses Object, refusing (located at `at`) what is not one.
    pub fn parse(spec: &Spec, key: &str, at: &str) -> Result<StatusKey, Diagnostic> {
        if key == "default" {
            return Ok(StatusKey::Default);
        }
        let bytes = key.as_bytes();
        if let [d @ b'1'..=b'5', b'X', b'X'] = bytes {
            return Ok(StatusKey::Range(u16::from(d - b'0')));
        }
        if let [b'1'..=b'5', b'x' | b'X', b'x' | b'X'] = bytes {
            return Err(spec
                .diag(
                    at,
                    format!("response key `{key}` must be written with upper-case `X`"),
                )
                .hint(format!("write `{}`", key.to_ascii_uppercase())));
        }
        match key.parse::<u16>() {
            Ok(code) if (100..=599).contains(&code) && key.len() == 3 => Ok(StatusKey::Code(code)),
            Ok(code) => Err(spec.diag(at, format!("status {code} is outside 100-599"))),
            Err(_) => Err(spec
                .diag(at, format!("response key `{key}` is not a status code"))
                .hint("use a status code (`200`), a range (`4XX`) or `default`")),
        }
    }

    /// Whether a response with `status` falls under this key (ignoring more specific keys).
    pub fn covers(self, status: u16) -> bool {
        match self {
            StatusKey::Code(c) => c == status,
            StatusKey::Range(class) => status / 100 == class,
            StatusKey::Default => true,
        }
    }

    /// The first code the key covers, used where one number must stand for it (names).
    pub fn representative(self) -> u16 {
        match self {
            StatusKey::Code(c) => c,
            StatusKey::Range(class) => class * 100,
            StatusKey::Default => 0,
        }
    }

    /// The key as the spec writes it.
    pub fn spec_key(self) -> String {
        match self {
            StatusKey::Code(c) => c.to_string(),
            StatusKey::Range(class) => format!("{class}XX"),
            StatusKey::Default => "default".to_string(),
        }
    }

    /// A Rust variant name for a range or `default`, after the class's name in RFC 9110.
    pub fn class_name(self) -> Option<&'static str> {
        match self {
            StatusKey::Code(_) => None,
            StatusKey::Range(1) => Some("Informational"),
            StatusKey::Range(2) => Some("Successful"),
            StatusKey::Range(3) => Some("Redirection"),
            StatusKey::Range(4) => Some("ClientError"),
            StatusKey::Range(_) => Some("ServerError"),
            StatusKey::Default => Some("Default"),
        }
    }
}

/// A response documented under a range or `default` rather than one status code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FallbackResponseIr {
    /// Never [`StatusKey::Code`].
    pub key: StatusKey,
    /// Its `status` is [`StatusKey::representative`].
    pub response: ResponseIr,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec::parse(
            "t.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".to_string(),
        )
        .unwrap()
    }

    #[test]
    fn keys_parse_and_cover() {
        let s = spec();
        let k = |key: &str| StatusKey::parse(&s, key, "/x");
        assert_eq!(k("204").unwrap(), StatusKey::Code(204));
        assert_eq!(k("4XX").unwrap(), StatusKey::Range(4));
        assert_eq!(k("default").unwrap(), StatusKey::Default);
        assert!(k("4xx").unwrap_err().message.contains("upper-case"));
        assert!(k("6XX").is_err());
        assert!(k("099").is_err());
        assert!(k("600").unwrap_err().message.contains("outside"));
        assert!(k("ok").unwrap_err().message.contains("not a status code"));
        assert!(StatusKey::Range(4).covers(404) && !StatusKey::Range(4).covers(500));
        assert!(StatusKey::Default.covers(302));
        assert!(StatusKey::Code(404) < StatusKey::Range(4) && StatusKey::Range(4) < StatusKey::Default);
        assert_eq!(StatusKey::Range(5).spec_key(), "5XX");
    }
}
