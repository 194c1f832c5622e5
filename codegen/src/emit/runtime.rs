//! The part of `client.rs` that does not depend on the operations: the client, its builder,
//! the bearer token, and `ResponseValue`. Emitted into every generated client so the output is
//! self-contained (it needs only serde, serde_json, schemars, reqwest, rustls, bytes,
//! tracing and regress).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::ir::client::{ClientIr, HeaderKind};

pub fn emit(ir: &ClientIr) -> TokenStream {
    let default_url = ir
        .servers
        .first()
        .map(|s| s.0.clone())
        .unwrap_or_else(|| "http://127.0.0.1".to_string());
    let server_entries = ir.servers.iter().map(|(url, d)| {
        let d = d.clone().unwrap_or_default();
        quote!((#url, #d))
    });
    let default_doc = doc_attrs(&[format!(
        "The first server the spec lists: `{default_url}`. Any URL can be set with [`ClientBuilder::base_url`]."
    )]);
    let header_accessors = ir.headers.iter().map(|h| {
        let method = format_ident!("{}", h.method);
        let name = h.name.as_str();
        let docs = doc_attrs(&[
            format!("The `{name}` header, when the server sent it (and it parses)."),
            h.description.clone().unwrap_or_default(),
        ]);
        match h.kind {
            HeaderKind::Unsigned => quote! {
                #docs
                pub fn #method(&self) -> ::std::option::Option<u64> {
                    self.headers.get(#name)?.to_str().ok()?.trim().parse().ok()
                }
            },
            HeaderKind::Signed => quote! {
                #docs
                pub fn #method(&self) -> ::std::option::Option<i64> {
                    self.headers.get(#name)?.to_str().ok()?.trim().parse().ok()
                }
            },
            HeaderKind::Text => quote! {
                #docs
                pub fn #method(&self) -> ::std::option::Option<&str> {
                    self.headers.get(#name)?.to_str().ok()
                }
            },
        }
    });

    quote! {
        #default_doc
        pub const DEFAULT_BASE_URL: &str = #default_url;

        /// Every server the spec lists, as `(url, description)`.
        pub const SERVERS: &[(&str, &str)] = &[#(#server_entries),*];

        /// A documented response: its status, its headers and its decoded body.
        #[derive(Debug, Clone)]
        pub struct ResponseValue<T> {
            status: ::reqwest::StatusCode,
            headers: ::reqwest::header::HeaderMap,
            body: T,
        }

        impl<T> ResponseValue<T> {
            fn new(status: ::reqwest::StatusCode, headers: ::reqwest::header::HeaderMap, body: T) -> Self {
                ResponseValue { status, headers, body }
            }

            /// The HTTP status.
            pub fn status(&self) -> ::reqwest::StatusCode {
                self.status
            }

            /// Every response header.
            pub fn headers(&self) -> &::reqwest::header::HeaderMap {
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
            pub fn into_parts(self) -> (::reqwest::StatusCode, ::reqwest::header::HeaderMap, T) {
                (self.status, self.headers, self.body)
            }

            #(#header_accessors)*
        }

        /// A bearer token. Never printed: `Debug` shows `<redacted>`.
        #[derive(Clone)]
        struct BearerToken(::reqwest::header::HeaderValue);

        impl ::std::fmt::Debug for BearerToken {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("<redacted>")
            }
        }

        /// Why a [`Client`] could not be built.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum BuildError {
            /// The base URL is not an absolute `http` or `https` URL.
            InvalidBaseUrl {
                /// The URL as given.
                url: ::std::string::String,
                /// What is wrong with it.
                reason: ::std::string::String,
            },
            /// The token cannot be sent in an HTTP header (control characters, say).
            InvalidToken,
            /// The user agent cannot be sent in an HTTP header.
            InvalidUserAgent,
            /// The HTTP client could not be set up.
            Http(::reqwest::Error),
        }

        impl ::std::fmt::Display for BuildError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    BuildError::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL `{url}`: {reason}"),
                    BuildError::InvalidToken => f.write_str("the bearer token contains characters an HTTP header cannot carry"),
                    BuildError::InvalidUserAgent => f.write_str("the user agent contains characters an HTTP header cannot carry"),
                    BuildError::Http(e) => write!(f, "cannot set up the HTTP client: {e}"),
                }
            }
        }

        impl ::std::error::Error for BuildError {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    BuildError::Http(e) => Some(e),
                    _ => None,
                }
            }
        }

        /// Settings of a [`Client`]: base URL (the spec's first server by default), bearer
        /// token, timeout per request, and user agent.
        #[derive(Clone)]
        pub struct ClientBuilder {
            base_url: ::std::string::String,
            token: ::std::option::Option<::std::string::String>,
            timeout: ::std::option::Option<::std::time::Duration>,
            user_agent: ::std::string::String,
        }

        impl ::std::fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("ClientBuilder")
                    .field("base_url", &self.base_url)
                    .field("token", &self.token.as_ref().map(|_| "<redacted>"))
                    .field("timeout", &self.timeout)
                    .field("user_agent", &self.user_agent)
                    .finish()
            }
        }

        impl ::std::default::Default for ClientBuilder {
            fn default() -> Self {
                ClientBuilder {
                    base_url: DEFAULT_BASE_URL.to_string(),
                    token: None,
                    timeout: Some(::std::time::Duration::from_secs(30)),
                    user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
                }
            }
        }

        impl ClientBuilder {
            /// The defaults: [`DEFAULT_BASE_URL`], no token, 30 s per request.
            pub fn new() -> Self {
                Self::default()
            }

            /// Where to send requests (any absolute `http`/`https` URL; a trailing `/` is dropped).
            pub fn base_url(mut self, url: impl Into<::std::string::String>) -> Self {
                self.base_url = url.into();
                self
            }

            /// The bearer token, sent as `Authorization: Bearer <token>` and never printed.
            pub fn bearer_token(mut self, token: impl Into<::std::string::String>) -> Self {
                self.token = Some(token.into());
                self
            }

            /// The time one request may take, from sending to the last byte of the body.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.timeout = Some(timeout);
                self
            }

            /// No time limit per request.
            pub fn no_timeout(mut self) -> Self {
                self.timeout = None;
                self
            }

            /// The `User-Agent` header.
            pub fn user_agent(mut self, user_agent: impl Into<::std::string::String>) -> Self {
                self.user_agent = user_agent.into();
                self
            }

            /// Builds the client. Installs rustls' `ring` crypto provider as the process default
            /// unless one is installed already, so building never panics for want of one.
            pub fn build(self) -> ::std::result::Result<Client, BuildError> {
                let url = ::reqwest::Url::parse(&self.base_url).map_err(|e| BuildError::InvalidBaseUrl {
                    url: self.base_url.clone(),
                    reason: e.to_string(),
                })?;
                if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
                    return Err(BuildError::InvalidBaseUrl {
                        url: self.base_url.clone(),
                        reason: "not an absolute http or https URL".to_string(),
                    });
                }
                let token = match &self.token {
                    None => None,
                    Some(t) => {
                        let mut value = ::reqwest::header::HeaderValue::from_str(&format!("Bearer {t}"))
                            .map_err(|_| BuildError::InvalidToken)?;
                        value.set_sensitive(true);
                        Some(BearerToken(value))
                    }
                };
                let user_agent = ::reqwest::header::HeaderValue::from_str(&self.user_agent)
                    .map_err(|_| BuildError::InvalidUserAgent)?;
                // An error only means another provider is installed already, which is fine.
                let _ = ::rustls::crypto::ring::default_provider().install_default();
                let mut http = ::reqwest::Client::builder().user_agent(user_agent);
                if matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]")) {
                    // Loopback servers (tests, the mock) are never reached through a proxy.
                    http = http.no_proxy();
                }
                let http = http.build().map_err(BuildError::Http)?;
                Ok(Client {
                    http,
                    base_url: self.base_url.trim_end_matches('/').to_string(),
                    token,
                    timeout: self.timeout,
                })
            }
        }

        /// The API client. Cheap to clone (clones share one connection pool).
        ///
        /// No call is ever retried: every operation may have effects on the server (a resend
        /// sends the customer a message), and a request that timed out or lost its connection
        /// may still have reached it. Retrying is the caller's decision.
        #[derive(Clone)]
        pub struct Client {
            http: ::reqwest::Client,
            base_url: ::std::string::String,
            token: ::std::option::Option<BearerToken>,
            timeout: ::std::option::Option<::std::time::Duration>,
        }

        impl ::std::fmt::Debug for Client {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Client")
                    .field("base_url", &self.base_url)
                    .field("token", &self.token)
                    .field("timeout", &self.timeout)
                    .finish()
            }
        }

        impl Client {
            /// A [`ClientBuilder`] with the defaults.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.base_url
            }

            /// A copy of this client with another time limit per request.
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Client {
                let mut c = self.clone();
                c.timeout = Some(timeout);
                c
            }

            fn request(&self, method: ::reqwest::Method, url: &str) -> ::reqwest::RequestBuilder {
                let mut r = self.http.request(method, url).header(::reqwest::header::ACCEPT, "application/json");
                if let Some(t) = &self.token {
                    r = r.header(::reqwest::header::AUTHORIZATION, t.0.clone());
                }
                if let Some(t) = self.timeout {
                    r = r.timeout(t);
                }
                r
            }
        }

        /// Percent-encodes a path parameter (everything but RFC 3986 unreserved characters).
        #[allow(dead_code)]
        fn encode_path(value: &str) -> ::std::string::String {
            let mut out = ::std::string::String::with_capacity(value.len());
            for b in value.bytes() {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        }
    }
}
