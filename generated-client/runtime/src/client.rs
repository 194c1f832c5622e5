//! The client, its builder, and sending one request.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use reqwest::{Method, RequestBuilder, Url};
use tracing::Instrument as _;

use crate::{Error, RawResponse};

/// The time one request may take unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A bearer token as a header value. Never printed: `Debug` shows `<redacted>`.
#[derive(Clone)]
struct BearerToken(HeaderValue);

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The token cannot be sent in an HTTP header (control characters, say).
    InvalidToken,
    /// The user agent cannot be sent in an HTTP header.
    InvalidUserAgent,
    /// The HTTP client could not be set up.
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL `{url}`: {reason}"),
            BuildError::InvalidToken => {
                f.write_str("the bearer token contains characters an HTTP header cannot carry")
            }
            BuildError::InvalidUserAgent => {
                f.write_str("the user agent contains characters an HTTP header cannot carry")
            }
            BuildError::Http(e) => write!(f, "cannot set up the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// Settings of a client: base URL, bearer token, timeout per request, user agent.
///
/// `C` is what [`build`](ClientBuilder::build) returns: [`Client`], or a generated client
/// that wraps one (it implements `From<Client>`).
pub struct ClientBuilder<C = Client> {
    base_url: String,
    token: Option<String>,
    timeout: Option<Duration>,
    user_agent: String,
    client: PhantomData<fn() -> C>,
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder {
            base_url: self.base_url.clone(),
            token: self.token.clone(),
            timeout: self.timeout,
            user_agent: self.user_agent.clone(),
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| crate::Redacted))
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// A builder for `base_url` with no token, [`DEFAULT_TIMEOUT`] and this crate's name as
    /// user agent.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into(),
            token: None,
            timeout: Some(DEFAULT_TIMEOUT),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
            client: PhantomData,
        }
    }

    /// Where to send requests (any absolute `http`/`https` URL; a trailing `/` is dropped).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The bearer token, sent as `Authorization: Bearer <token>` and never printed.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The time one request may take, from sending to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No time limit per request.
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Builds the client. Installs rustls' `ring` crypto provider as the process default
    /// unless one is installed already, so building never panics for want of one.
    pub fn build(self) -> Result<C, BuildError> {
        let invalid = |reason: String| BuildError::InvalidBaseUrl {
            url: self.base_url.clone(),
            reason,
        };
        let url = Url::parse(&self.base_url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
            return Err(invalid("not an absolute http or https URL".to_string()));
        }
        let token = match &self.token {
            None => None,
            Some(t) => {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {t}")).map_err(|_| BuildError::InvalidToken)?;
                value.set_sensitive(true);
                Some(BearerToken(value))
            }
        };
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| BuildError::InvalidUserAgent)?;
        // An error only means another provider is installed already, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut http = reqwest::Client::builder().user_agent(user_agent);
        if matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")) {
            // Loopback servers (tests, mocks) are never reached through a proxy.
            http = http.no_proxy();
        }
        let http = http.build().map_err(BuildError::Http)?;
        Ok(C::from(Client {
            http,
            base_url: self.base_url.trim_end_matches('/').to_string(),
            token,
            timeout: self.timeout,
        }))
    }
}

/// An HTTP client for one API. Cheap to clone (clones share one connection pool).
///
/// Never retries: see the crate documentation.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    token: Option<BearerToken>,
    timeout: Option<Duration>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("token", &self.token)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl Client {
    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A copy of this client with another time limit per request.
    pub fn with_timeout(&self, timeout: Duration) -> Client {
        Client {
            timeout: Some(timeout),
            ..self.clone()
        }
    }

    /// A request to `path` (already encoded, see [`crate::encode`]) under the base URL, with
    /// `Accept: application/json`, the token and the timeout set.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.request_accepting(method, path, "application/json")
    }

    /// [`request`](Client::request) with another `Accept` header: for operations whose
    /// responses are not all JSON (`text/plain, application/problem+json`, say).
    pub fn request_accepting(&self, method: Method, path: &str, accept: &str) -> RequestBuilder {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .header(ACCEPT, accept);
        if let Some(t) = &self.token {
            r = r.header(AUTHORIZATION, t.0.clone());
        }
        if let Some(t) = self.timeout {
            r = r.timeout(t);
        }
        r
    }

    /// Sends the request once, inside `span`, and reads the whole body. Records the status
    /// as the span's `http.response.status_code` field when the span has one.
    pub async fn send(&self, request: RequestBuilder, span: tracing::Span) -> Result<RawResponse, Error> {
        let recorder = span.clone();
        async move {
            let response = request.send().await.map_err(Error::Transport)?;
            let status = response.status();
            recorder.record("http.response.status_code", status.as_u16());
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(Error::Transport)?;
            Ok(RawResponse::new(status, headers, body))
        }
        .instrument(span)
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_never_printed() {
        let builder = ClientBuilder::<Client>::new("http://127.0.0.1:1").bearer_token("s3cret-tok");
        let shown = format!("{builder:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("<redacted>"),
            "{shown}"
        );
        let client = builder.build().unwrap();
        let shown = format!("{client:?}");
        assert!(
            !shown.contains("s3cret") && shown.contains("<redacted>"),
            "{shown}"
        );
    }

    #[test]
    fn bad_settings_are_errors() {
        for url in ["not a url", "ftp://example.com", "mailto:x@example.com"] {
            let e = ClientBuilder::<Client>::new(url).build().unwrap_err();
            assert!(matches!(e, BuildError::InvalidBaseUrl { .. }), "{url}: {e}");
        }
        let e = ClientBuilder::<Client>::new("http://x")
            .bearer_token("a\nb")
            .build()
            .unwrap_err();
        assert!(matches!(e, BuildError::InvalidToken));
        let e = ClientBuilder::<Client>::new("http://x")
            .user_agent("a\u{7f}")
            .build()
            .unwrap_err();
        assert!(matches!(e, BuildError::InvalidUserAgent));
    }

    #[test]
    fn requests_carry_the_settings() {
        let client = ClientBuilder::<Client>::new("http://127.0.0.1:9/base/")
            .bearer_token("tok")
            .timeout(Duration::from_secs(3))
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/base");
        let request = client.request(Method::POST, "/a%20b").build().unwrap();
        assert_eq!(request.url().as_str(), "http://127.0.0.1:9/base/a%20b");
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer tok");
        assert!(request.headers()[AUTHORIZATION].is_sensitive());
        assert_eq!(request.headers()[ACCEPT], "application/json");
        assert_eq!(request.timeout(), Some(&Duration::from_secs(3)));
        let image = client
            .request_accepting(Method::GET, "/i", "image/*")
            .build()
            .unwrap();
        assert_eq!(image.headers().get_all(ACCEPT).iter().count(), 1);
        assert_eq!(image.headers()[ACCEPT], "image/*");
        let quick = client.with_timeout(Duration::from_millis(5));
        assert_eq!(
            quick.request(Method::GET, "/").build().unwrap().timeout(),
            Some(&Duration::from_millis(5))
        );
        let none = ClientBuilder::<Client>::new("http://127.0.0.1:9")
            .no_timeout()
            .build()
            .unwrap();
        assert_eq!(none.request(Method::GET, "/").build().unwrap().timeout(), None);
    }

    #[tokio::test]
    async fn no_server_is_a_transport_error() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let client = ClientBuilder::<Client>::new(format!("http://127.0.0.1:{port}"))
            .build()
            .unwrap();
        let err = client
            .send(client.request(Method::GET, "/"), tracing::Span::none())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert_eq!(err.status(), None);
    }

    #[tokio::test]
    async fn a_response_is_read_whole_once() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 4096];
            let n = socket.read(&mut buf).await.unwrap();
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            socket
                .write_all(b"HTTP/1.1 418 I'm a teapot\r\ncontent-length: 5\r\nx-a: 1\r\nconnection: close\r\n\r\nhello")
                .await
                .unwrap();
            request
        });
        let client = ClientBuilder::<Client>::new(format!("http://{addr}"))
            .user_agent("ua-test/1")
            .build()
            .unwrap();
        let raw = client
            .send(client.request(Method::GET, "/x"), tracing::Span::none())
            .await
            .unwrap();
        assert_eq!(raw.status().as_u16(), 418);
        assert_eq!(raw.headers()["x-a"], "1");
        assert_eq!(&raw.body()[..], b"hello");
        let request = server.await.unwrap().to_ascii_lowercase();
        assert!(request.starts_with("get /x http/1.1"), "{request}");
        assert!(request.contains("user-agent: ua-test/1"), "{request}");
    }
}
