//! Request bodies in each encoding a contract can declare. Generated code picks the function
//! by the body's media type and passes that media type on, so the `Content-Type` sent is the
//! one the contract names (`application/merge-patch+json`, `text/plain; charset=utf-8`, ...).

use std::fmt;

use bytes::Bytes;
use reqwest::RequestBuilder;
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;

/// `body` as JSON, sent as `content_type` (any JSON media type).
pub fn json<T: Serialize + ?Sized>(request: RequestBuilder, content_type: &str, body: &T) -> RequestBuilder {
    request.header(CONTENT_TYPE, content_type).json(body)
}

/// `body` as `application/x-www-form-urlencoded` (scalars and flat structs; a nested value
/// makes sending fail with a transport error, before anything is sent).
pub fn form<T: Serialize + ?Sized>(request: RequestBuilder, content_type: &str, body: &T) -> RequestBuilder {
    request.header(CONTENT_TYPE, content_type).form(body)
}

/// `body` as text, sent as `content_type` (a `text/*` media type).
pub fn text(request: RequestBuilder, content_type: &str, body: &str) -> RequestBuilder {
    request.header(CONTENT_TYPE, content_type).body(body.to_string())
}

/// `body` as it is, sent as `content_type`.
pub fn binary(request: RequestBuilder, content_type: &str, body: Bytes) -> RequestBuilder {
    request.header(CONTENT_TYPE, content_type).body(body)
}

/// `form` as `multipart/form-data` (the boundary is added to the `Content-Type`).
pub fn multipart(request: RequestBuilder, form: MultipartForm) -> RequestBuilder {
    request.multipart(form.form)
}

/// The parts of a `multipart/form-data` body: text fields, JSON fields and files. The part
/// names the contract documents are listed on the operation's method.
///
/// ```
/// let form = contract_runtime::MultipartForm::new()
///     .text("title", "Latte")
///     .file("photo", vec![0xFF, 0xD8], "latte.jpg", "image/jpeg")
///     .unwrap();
/// assert_eq!(form.part_names(), ["title", "photo"]);
/// ```
#[derive(Default)]
pub struct MultipartForm {
    form: reqwest::multipart::Form,
    names: Vec<String>,
}

impl fmt::Debug for MultipartForm {
    /// Names the parts, never their contents (they may hold personal data).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MultipartForm")
            .field("parts", &self.names)
            .finish()
    }
}

/// A part's media type that cannot be sent.
#[derive(Debug)]
pub struct InvalidPartType(reqwest::Error);

impl fmt::Display for InvalidPartType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid media type for a multipart part: {}", self.0)
    }
}

impl std::error::Error for InvalidPartType {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// The names of the parts, in order.
    pub fn part_names(&self) -> &[String] {
        &self.names
    }

    /// A text part.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.names.push(name.clone());
        self.form = self.form.text(name, value.into());
        self
    }

    /// A part holding `value` as JSON (`Content-Type: application/json`), as OpenAPI encodes
    /// object and array properties of a multipart body by default.
    pub fn json<T: Serialize + ?Sized>(
        self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, serde_json::Error> {
        let text = serde_json::to_string(value)?;
        let part = reqwest::multipart::Part::text(text)
            .mime_str("application/json")
            .expect("application/json is a media type");
        Ok(self.part(name, part))
    }

    /// A file part: its bytes, the file name sent with them, and its media type.
    pub fn file(
        self,
        name: impl Into<String>,
        bytes: impl Into<Bytes>,
        file_name: impl Into<String>,
        media_type: &str,
    ) -> Result<Self, InvalidPartType> {
        let part = reqwest::multipart::Part::stream(reqwest::Body::from(bytes.into()))
            .file_name(file_name.into())
            .mime_str(media_type)
            .map_err(InvalidPartType)?;
        Ok(self.part(name, part))
    }

    fn part(mut self, name: impl Into<String>, part: reqwest::multipart::Part) -> Self {
        let name = name.into();
        self.names.push(name.clone());
        self.form = self.form.part(name, part);
        self
    }

    /// The boundary that separates the parts on the wire.
    pub fn boundary(&self) -> &str {
        self.form.boundary()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    fn request() -> RequestBuilder {
        crate::ClientBuilder::<crate::Client>::new("http://127.0.0.1:9")
            .build()
            .unwrap()
            .request(Method::POST, "/x")
    }

    fn sent(r: RequestBuilder) -> (String, Vec<u8>) {
        let r = r.build().unwrap();
        let ct = r.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
        let body = r.body().and_then(|b| b.as_bytes()).unwrap_or_default().to_vec();
        (ct, body)
    }

    #[test]
    fn each_encoding_sends_its_media_type() {
        let (ct, body) = sent(json(
            request(),
            "application/merge-patch+json",
            &serde_json::json!({"a": null}),
        ));
        assert_eq!(ct, "application/merge-patch+json");
        assert_eq!(body, br#"{"a":null}"#);
        let (ct, body) = sent(form(
            request(),
            "application/x-www-form-urlencoded",
            &[("q", "a b&c"), ("n", "1")],
        ));
        assert_eq!(ct, "application/x-www-form-urlencoded");
        assert_eq!(body, b"q=a+b%26c&n=1");
        let (ct, body) = sent(text(request(), "text/plain; charset=utf-8", "hé"));
        assert_eq!(ct, "text/plain; charset=utf-8");
        assert_eq!(body, "hé".as_bytes());
        let (ct, body) = sent(binary(request(), "image/png", Bytes::from_static(&[0, 159, 255])));
        assert_eq!(ct, "image/png");
        assert_eq!(body, [0, 159, 255]);
    }

    #[test]
    fn multipart_parts_are_named_and_typed() {
        let form = MultipartForm::new()
            .text("title", "t")
            .json("meta", &serde_json::json!({"k": 1}))
            .unwrap()
            .file("doc", b"%PDF".to_vec(), "a.pdf", "application/pdf")
            .unwrap();
        assert_eq!(form.part_names(), ["title", "meta", "doc"]);
        assert_eq!(
            format!("{form:?}"),
            r#"MultipartForm { parts: ["title", "meta", "doc"] }"#
        );
        let boundary = form.boundary().to_string();
        let r = multipart(request(), form).build().unwrap();
        assert_eq!(
            r.headers()[CONTENT_TYPE].to_str().unwrap(),
            format!("multipart/form-data; boundary={boundary}")
        );
        assert!(
            MultipartForm::new()
                .file("f", Vec::<u8>::new(), "f", "not a type")
                .is_err()
        );
    }
}
