//! The failures every operation shares. Generated error enums add one variant per documented
//! error status and hold this type in their `Other` variant.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// No documented answer: no response at all, a documented status whose body does not
/// decode, or a status the contract does not document. Whatever arrived is kept.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// No response: connection, TLS or timeout failure. The request may still have reached
    /// the server.
    Transport(reqwest::Error),
    /// A documented status whose body does not match the documented schema.
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body, as received.
        body: Bytes,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// A documented status with a text body that is not UTF-8.
    NotText {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body, as received.
        body: Bytes,
        /// Where the body stops being UTF-8.
        source: std::str::Utf8Error,
    },
    /// A status the contract does not document for the operation.
    Unexpected {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body, as received.
        body: Bytes,
    },
    /// A parameter value that cannot be sent (nothing was sent): a header or cookie value
    /// with characters HTTP cannot carry, or a value that does not serialise.
    Parameter {
        /// The parameter's name in the contract.
        name: String,
        /// Why it cannot be sent.
        reason: String,
    },
}

impl Error {
    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Transport(e) => e.status(),
            Error::Parameter { .. } => None,
            Error::Decode { status, .. }
            | Error::NotText { status, .. }
            | Error::Unexpected { status, .. } => Some(*status),
        }
    }

    /// The response headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Transport(_) | Error::Parameter { .. } => None,
            Error::Decode { headers, .. }
            | Error::NotText { headers, .. }
            | Error::Unexpected { headers, .. } => Some(headers),
        }
    }

    /// The raw body, when a response arrived.
    pub fn body(&self) -> Option<&Bytes> {
        match self {
            Error::Transport(_) | Error::Parameter { .. } => None,
            Error::Decode { body, .. } | Error::NotText { body, .. } | Error::Unexpected { body, .. } => {
                Some(body)
            }
        }
    }
}

/// Says what arrived without printing the body itself: an undocumented body may hold
/// personal data, and it stays available in the error.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) if e.is_timeout() => write!(f, "no response in time: {e}"),
            Error::Transport(e) => write!(f, "no response: {e}"),
            Error::Parameter { name, reason } => write!(f, "parameter `{name}` not sent: {reason}"),
            Error::Decode {
                status, body, source, ..
            } => write!(
                f,
                "status {status}: the {}-byte body does not match the documented schema: {source}",
                body.len()
            ),
            Error::NotText {
                status, body, source, ..
            } => write!(
                f,
                "status {status}: the {}-byte text body is not UTF-8: {source}",
                body.len()
            ),
            Error::Unexpected {
                status,
                body,
                headers,
            } => {
                write!(f, "undocumented status {status}")?;
                match headers
                    .get(reqwest::header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                {
                    Some(kind) => write!(f, " ({}-byte {kind} body)", body.len()),
                    None => write!(f, " ({}-byte body)", body.len()),
                }
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Decode { source, .. } => Some(source),
            Error::NotText { source, .. } => Some(source),
            Error::Unexpected { .. } | Error::Parameter { .. } => None,
        }
    }
}

impl From<crate::params::ParamError> for Error {
    fn from(e: crate::params::ParamError) -> Error {
        Error::Parameter {
            name: e.name,
            reason: e.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_says_what_arrived_but_not_the_body() {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "text/plain".parse().unwrap());
        let e = Error::Unexpected {
            status: StatusCode::IM_A_TEAPOT,
            headers,
            body: Bytes::from_static(b"secret person"),
        };
        assert_eq!(
            e.to_string(),
            "undocumented status 418 I'm a teapot (13-byte text/plain body)"
        );
        assert_eq!(e.status(), Some(StatusCode::IM_A_TEAPOT));
        assert_eq!(e.body().map(|b| b.len()), Some(13));
        let source = serde_json::from_slice::<u8>(b"x").unwrap_err();
        let e = Error::Decode {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(b"x"),
            source,
        };
        assert!(
            e.to_string()
                .starts_with("status 200 OK: the 1-byte body does not match"),
            "{e}"
        );
        assert!(e.headers().is_some());
    }
}
