//! Responses: [`RawResponse`] as received, [`ResponseValue`] once its body is decoded.

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::Error;

/// A response as received: status, headers and the whole body, not yet decoded.
/// Generated code picks the decoding by status and media type: [`json`](RawResponse::json),
/// [`text`](RawResponse::text), [`bytes`](RawResponse::bytes), [`empty`](RawResponse::empty)
/// or [`unexpected`](RawResponse::unexpected).
#[derive(Debug, Clone)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// A response from its parts.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body, as received.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body as JSON of type `T`. A body that does not decode is
    /// [`Error::Decode`], which keeps it.
    pub fn json<T: DeserializeOwned>(self) -> Result<ResponseValue<T>, Error> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(ResponseValue::new(self.status, self.headers, body)),
            Err(source) => Err(Error::Decode {
                status: self.status,
                headers: self.headers,
                body: self.body,
                source,
            }),
        }
    }

    /// Decodes the body as UTF-8 text (a `text/*` media type). A body that is not UTF-8 is
    /// [`Error::NotText`], which keeps it.
    pub fn text(self) -> Result<ResponseValue<String>, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(ResponseValue::new(self.status, self.headers, text)),
            Err(e) => Err(Error::NotText {
                status: self.status,
                headers: self.headers,
                body: self.body,
                source: e.utf8_error(),
            }),
        }
    }

    /// The body as it came (binary media types, and those the client does not decode).
    pub fn bytes(self) -> ResponseValue<Bytes> {
        ResponseValue::new(self.status, self.headers, self.body)
    }

    /// For a status documented without a body: whatever body came is ignored.
    pub fn empty(self) -> ResponseValue<()> {
        ResponseValue::new(self.status, self.headers, ())
    }

    /// For a status the contract does not document: [`Error::Unexpected`], body kept.
    pub fn unexpected(self) -> Error {
        Error::Unexpected {
            status: self.status,
            headers: self.headers,
            body: self.body,
        }
    }
}

/// A documented response: its status, its headers and its decoded body.
///
/// Generated clients add one accessor per documented response header through a trait (for
/// example `x_ratelimit_remaining()`); they read the headers with
/// [`header_str`](ResponseValue::header_str), [`header_u64`](ResponseValue::header_u64) and
/// [`header_i64`](ResponseValue::header_i64).
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ResponseValue<T> {
    /// A response value from its parts.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ResponseValue {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Every response header.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, taken out.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// The same response with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue::new(self.status, self.headers, f(self.body))
    }

    /// The header `name` as text, when present and visible ASCII.
    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }

    /// The header `name` as an unsigned integer, when present and it parses.
    pub fn header_u64(&self, name: &str) -> Option<u64> {
        self.header_str(name)?.trim().parse().ok()
    }

    /// The header `name` as a signed integer, when present and it parses.
    pub fn header_i64(&self, name: &str) -> Option<i64> {
        self.header_str(name)?.trim().parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(status: u16, body: &'static str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert("x-count", " 12 ".parse().unwrap());
        headers.insert("x-delta", "-3".parse().unwrap());
        headers.insert("x-name", "abc".parse().unwrap());
        RawResponse::new(
            StatusCode::from_u16(status).unwrap(),
            headers,
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[test]
    fn json_bodies_decode_and_headers_parse() {
        let v = raw(200, r#"{"a": 1}"#).json::<serde_json::Value>().unwrap();
        assert_eq!(v.status(), StatusCode::OK);
        assert_eq!(v.body()["a"], 1);
        assert_eq!(v.header_u64("x-count"), Some(12));
        assert_eq!(v.header_u64("x-delta"), None, "negative is not unsigned");
        assert_eq!(v.header_i64("x-delta"), Some(-3));
        assert_eq!(v.header_str("x-name"), Some("abc"));
        assert_eq!(v.header_u64("x-name"), None);
        assert_eq!(v.header_str("x-missing"), None);
        let v = v.map(|b| b["a"].as_i64());
        assert_eq!(v.into_parts().2, Some(1));
    }

    #[test]
    fn a_body_that_does_not_decode_is_kept() {
        let err = raw(202, "<html>").json::<serde_json::Value>().unwrap_err();
        match &err {
            Error::Decode {
                status,
                body,
                headers,
                ..
            } => {
                assert_eq!(status.as_u16(), 202);
                assert_eq!(&body[..], b"<html>");
                assert_eq!(headers["x-name"], "abc");
            }
            other => panic!("{other:?}"),
        }
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn text_and_bytes() {
        let v = raw(200, "hé").text().unwrap();
        assert_eq!(v.body(), "hé");
        let bad = RawResponse::new(
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from_static(&[0x66, 0xff]),
        );
        match bad.clone().text().unwrap_err() {
            Error::NotText { status, body, .. } => {
                assert_eq!(status, StatusCode::OK);
                assert_eq!(&body[..], [0x66, 0xff]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(&bad.bytes().into_body()[..], [0x66, 0xff]);
    }

    #[test]
    fn empty_and_unexpected() {
        assert_eq!(raw(204, "ignored").empty().status().as_u16(), 204);
        match raw(418, "tea").unexpected() {
            Error::Unexpected { status, body, .. } => {
                assert_eq!(status.as_u16(), 418);
                assert_eq!(&body[..], b"tea");
            }
            other => panic!("{other:?}"),
        }
    }
}
