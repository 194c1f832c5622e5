//! The proxy's connections to the target: each client connection gets its own upstream
//! HTTP/1.1 connection, opened on its first request and reused for the next ones.
//!
//! HTTP/1.1 carries one exchange at a time per connection, so pairing a client connection
//! with one upstream connection needs no shared pool, no per-request URL parsing and no
//! cross-task hand-off (bench/README.md measured what reqwest's pool cost the proxy). The
//! upstream connection closes when its client connection does.

use std::sync::{Arc, Mutex};

use http::header::HeaderValue;
use http::uri::{PathAndQuery, Uri};
use http::{Request, Response};
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use super::server::Forward;

/// Why the target gave no answer.
#[derive(Debug)]
pub enum Failure {
    /// No connection could be made, or the exchange broke off: the words say why.
    Unreachable(String),
}

/// Where requests go: parsed once at start-up.
pub struct Target {
    host: String,
    port: u16,
    /// The `Host` header every forwarded request carries (the client's names the proxy).
    authority: HeaderValue,
    /// The base URL's path, without its trailing `/`, put in front of every request target.
    prefix: String,
    /// TLS for `https` targets, with the platform's trust roots.
    tls: Option<(tokio_rustls::TlsConnector, rustls::pki_types::ServerName<'static>)>,
}

impl Target {
    /// Parses a base URL (`http://host:port/prefix` or `https://...`).
    pub fn parse(base: &str) -> anyhow::Result<Target> {
        let url = url::Url::parse(base).map_err(|e| anyhow::anyhow!("--target {base}: not a URL ({e})"))?;
        let host = url
            .host_str()
            .ok_or_else(|| anyhow::anyhow!("--target {base}: no host"))?
            .to_string();
        let port = url
            .port_or_known_default()
            .ok_or_else(|| anyhow::anyhow!("--target {base}: no port"))?;
        let authority = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        let authority = HeaderValue::from_str(&authority)
            .map_err(|e| anyhow::anyhow!("--target {base}: bad host ({e})"))?;
        let tls = match url.scheme() {
            "http" => None,
            "https" => {
                use rustls_platform_verifier::ConfigVerifierExt;
                let mut config = rustls::ClientConfig::with_platform_verifier()
                    .map_err(|e| anyhow::anyhow!("cannot set up TLS: {e}"))?;
                config.alpn_protocols = vec![b"http/1.1".to_vec()];
                // `host_str` keeps an IPv6 literal's brackets; the TLS name does not.
                let name = host.trim_start_matches('[').trim_end_matches(']').to_string();
                let name = rustls::pki_types::ServerName::try_from(name)
                    .map_err(|e| anyhow::anyhow!("--target {base}: not a TLS server name ({e})"))?;
                Some((tokio_rustls::TlsConnector::from(Arc::new(config)), name))
            }
            other => anyhow::bail!("--target {base}: must be http or https, not {other}"),
        };
        Ok(Target {
            host,
            port,
            authority,
            prefix: url.path().trim_end_matches('/').to_string(),
            tls,
        })
    }

    /// The request target to send upstream: the base URL's path, then the client's.
    fn uri(&self, path_and_query: &str) -> Result<Uri, Failure> {
        let joined;
        let full = if self.prefix.is_empty() {
            path_and_query
        } else {
            joined = format!("{}{path_and_query}", self.prefix);
            &joined
        };
        PathAndQuery::try_from(full)
            .map(Uri::from)
            .map_err(|e| Failure::Unreachable(format!("cannot forward {full}: {e}")))
    }

    async fn connect(&self) -> Result<SendRequest<Forward>, Failure> {
        let host = self.host.trim_start_matches('[').trim_end_matches(']');
        let tcp = TcpStream::connect((host, self.port))
            .await
            .map_err(|e| Failure::Unreachable(format!("cannot connect to {}: {e}", self.host)))?;
        // Small requests go out at once rather than waiting on Nagle's algorithm.
        let _ = tcp.set_nodelay(true);
        match &self.tls {
            None => handshake(tcp).await,
            Some((connector, name)) => {
                let tls = connector
                    .connect(name.clone(), tcp)
                    .await
                    .map_err(|e| Failure::Unreachable(format!("TLS with {} failed: {e}", self.host)))?;
                handshake(tls).await
            }
        }
    }
}

async fn handshake<S>(io: S) -> Result<SendRequest<Forward>, Failure>
where
    S: AsyncRead + AsyncWrite + Send + Unpin + 'static,
{
    let (sender, conn) = http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| Failure::Unreachable(error_chain(&e)))?;
    // The connection runs until the sender is dropped (with its client connection) or the
    // target closes it; its errors reach the exchange waiting on it.
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(sender)
}

/// One client connection's way to the target.
pub struct Link {
    target: Arc<Target>,
    /// The open upstream connection, taken out while an exchange uses it.
    idle: Mutex<Option<SendRequest<Forward>>>,
}

impl Link {
    pub fn new(target: Arc<Target>) -> Link {
        Link {
            target,
            idle: Mutex::new(None),
        }
    }

    /// Sends `req` (whose URI is the client's path and query) to the target and waits for
    /// the head of its answer. The body then streams on the upstream connection, which is
    /// free for the next request once that body is read.
    pub async fn send(&self, mut req: Request<Forward>) -> Result<Response<Incoming>, Failure> {
        // Without a base path, the client's request target (already parsed) goes on as it is.
        if !self.target.prefix.is_empty() || req.uri().scheme().is_some() {
            let path = req.uri().path_and_query().map_or("/", PathAndQuery::as_str);
            *req.uri_mut() = self.target.uri(path)?;
        }
        req.headers_mut()
            .insert(http::header::HOST, self.target.authority.clone());
        let reused = self.idle.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(mut sender) = reused {
            // A kept-alive connection the target has closed meanwhile gives the request back
            // unsent: send it again on a new connection.
            if sender.ready().await.is_ok() {
                match sender.try_send_request(req).await {
                    Ok(answer) => {
                        self.keep(sender);
                        return Ok(answer);
                    }
                    Err(mut e) => match e.take_message() {
                        Some(unsent) => req = unsent,
                        None => return Err(Failure::Unreachable(error_chain(&e.into_error()))),
                    },
                }
            }
        }
        // Boxed: connecting (with TLS) is a large future, and once per connection; unboxed
        // it would be copied into every exchange's future.
        let mut sender = Box::pin(self.target.connect()).await?;
        match sender.send_request(req).await {
            Ok(answer) => {
                self.keep(sender);
                Ok(answer)
            }
            Err(e) => Err(Failure::Unreachable(error_chain(&e))),
        }
    }

    fn keep(&self, sender: SendRequest<Forward>) {
        *self.idle.lock().unwrap_or_else(|e| e.into_inner()) = Some(sender);
    }
}

/// An error with its causes (hyper's own message rarely says why).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
