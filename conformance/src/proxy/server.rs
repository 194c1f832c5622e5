//! Forwarding: each request goes to the target as it came (method, path, query, headers but
//! the hop-by-hop ones, body), and the answer comes back as it came, plus the violations
//! header. The proxy never sends a request of its own and follows no redirect.
//!
//! Memory is bounded per exchange: a body is read up to the limit, checked, then sent on; a
//! longer body streams through after its first bytes and is reported as not validated.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use futures::{Stream, StreamExt, stream};
use hyper::body::Incoming;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::check::{Captured, Checker, Exchange};
use super::redact::Secrets;
use super::tally::Tally;
use super::upstream::{Failure, Link, Target, error_chain};
use super::{DEFAULT_BODY_LIMIT, DEFAULT_TIMEOUT_SECS, VIOLATIONS_HEADER};
use crate::contract::Contract;
use crate::har::HarWriter;
use crate::report::RunReport;

#[derive(Debug, Clone)]
pub struct ProxyConfig {
    pub listen: SocketAddr,
    /// Base URL of the server requests are forwarded to.
    pub target: String,
    /// Time the target has to answer, and the client to send its body.
    pub timeout: Duration,
    /// Bodies up to this size are validated.
    pub body_limit: usize,
    /// The variable reproducers read the token from.
    pub token_env: String,
    /// Write every exchange, redacted, to this HAR file as it happens.
    pub record: Option<PathBuf>,
    /// Print one line per violation on stderr.
    pub log: bool,
}

impl ProxyConfig {
    pub fn new(target: impl Into<String>) -> ProxyConfig {
        ProxyConfig {
            listen: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            target: target.into().trim_end_matches('/').to_string(),
            timeout: Duration::from_secs(DEFAULT_TIMEOUT_SECS),
            body_limit: DEFAULT_BODY_LIMIT,
            token_env: Contract::embedded().token_env.clone(),
            record: None,
            log: false,
        }
    }
}

struct Proxy {
    checker: Checker<'static>,
    target: Arc<Target>,
    config: ProxyConfig,
    tally: Mutex<Tally>,
    recorder: Option<Mutex<HarWriter>>,
}

/// A running proxy; call [`ProxyHandle::shutdown`] to stop it and get the report.
pub struct ProxyHandle {
    pub url: String,
    pub addr: SocketAddr,
    proxy: Arc<Proxy>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl ProxyHandle {
    /// The report of everything seen so far.
    pub fn report(&self) -> RunReport {
        lock(&self.proxy.tally).to_report()
    }

    /// Stops accepting, lets in-flight exchanges finish (at most 5 s), returns the report.
    pub async fn shutdown(self) -> RunReport {
        let _ = self.stop.send(());
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(5), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
        lock(&self.proxy.tally).to_report()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere leaves the data usable: counts only.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Starts the proxy on the current tokio runtime.
pub async fn start(contract: &'static Contract, config: ProxyConfig) -> anyhow::Result<ProxyHandle> {
    let checker = Checker::new(contract)?;
    // TLS to https targets needs a provider (a second install is a no-op).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let target = Arc::new(Target::parse(&config.target)?);
    let recorder = match &config.record {
        Some(path) => {
            Some(Mutex::new(HarWriter::create(path).map_err(|e| {
                anyhow::anyhow!("cannot write {}: {e}", path.display())
            })?))
        }
        None => None,
    };
    let listener = TcpListener::bind(config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    let proxy = Arc::new(Proxy {
        checker,
        target,
        tally: Mutex::new(Tally::new(config.target.clone(), config.token_env.clone())),
        config,
        recorder,
    });
    let (stop, stopped) = oneshot::channel::<()>();
    let stop_when = async move {
        if stopped.await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    // Each client connection has its own upstream [`Link`], and `--timeout` to send each
    // request's headers.
    let shared = proxy.clone();
    let task = tokio::spawn(crate::listen::serve(
        listener,
        proxy.config.timeout,
        stop_when,
        move || {
            let link = Arc::new(Link::new(shared.target.clone()));
            let proxy = shared.clone();
            move |req: http::Request<Incoming>| {
                let (proxy, link) = (proxy.clone(), link.clone());
                async move { handle(&proxy, &link, req).await }
            }
        },
    ));
    Ok(ProxyHandle {
        url: format!("http://{addr}"),
        addr,
        proxy,
        stop,
        task,
    })
}

/// The first bytes of a body, and the rest when it is longer than the limit.
struct Prefix<S> {
    chunks: Vec<Bytes>,
    rest: Option<S>,
}

impl<S> Prefix<S> {
    fn captured(&self, limit: usize) -> Captured {
        // Small bodies nearly always come in one chunk: share it rather than copy.
        if let [one] = self.chunks.as_slice() {
            return Captured {
                bytes: one.slice(..one.len().min(limit)),
                complete: self.rest.is_none(),
            };
        }
        let mut buf = BytesMut::new();
        for c in &self.chunks {
            buf.extend_from_slice(c);
        }
        buf.truncate(limit);
        Captured {
            bytes: buf.freeze(),
            complete: self.rest.is_none(),
        }
    }
}

async fn read_prefix<S, E>(mut body: S, limit: usize) -> Result<Prefix<S>, E>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut chunks = Vec::new();
    let mut len = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        len += chunk.len();
        chunks.push(chunk);
        if len > limit {
            return Ok(Prefix {
                chunks,
                rest: Some(body),
            });
        }
    }
    Ok(Prefix { chunks, rest: None })
}

async fn handle(proxy: &Proxy, link: &Link, req: http::Request<Incoming>) -> Response {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let target = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let mut ex = Exchange {
        method: parts.method.as_str().to_string(),
        target,
        // The checks and the recording see the headers as received; the map itself goes on.
        request_headers: parts.headers.clone(),
        ..Exchange::default()
    };
    let limit = proxy.config.body_limit;
    let timeout = proxy.config.timeout;

    let request_body =
        match tokio::time::timeout(timeout, read_prefix(Body::new(body).into_data_stream(), limit)).await {
            Ok(Ok(p)) => p,
            Ok(Err(e)) => {
                return proxy.no_answer(
                    &ex,
                    StatusCode::BAD_REQUEST,
                    format!("the client's body broke off: {e}"),
                );
            }
            Err(_) => {
                return proxy.no_answer(
                    &ex,
                    StatusCode::REQUEST_TIMEOUT,
                    format!("the client did not send its body within {}", secs(timeout)),
                );
            }
        };
    ex.request_body = request_body.captured(limit);
    let forward_body = match request_body.rest {
        None => Body::from(ex.request_body.bytes.clone()),
        Some(rest) => Body::from_stream(stream::iter(request_body.chunks.into_iter().map(Ok)).chain(rest)),
    };

    // The client's request goes on with its own header map, less what names this hop.
    let mut parts = parts;
    strip_hop_by_hop(&mut parts.headers);
    parts.headers.remove(header::HOST);
    // The upstream connection speaks HTTP/1.1 whatever the client spoke.
    parts.version = http::Version::HTTP_11;
    let outgoing = http::Request::from_parts(parts, forward_body);
    let answer = match tokio::time::timeout(timeout, link.send(outgoing)).await {
        Ok(Ok(r)) => r,
        Ok(Err(Failure::Unreachable(why))) => {
            return proxy.no_answer(
                &ex,
                StatusCode::BAD_GATEWAY,
                format!("the target is unreachable: {why}"),
            );
        }
        Err(_) => {
            return proxy.no_answer(
                &ex,
                StatusCode::GATEWAY_TIMEOUT,
                format!("the target did not answer within {}", secs(timeout)),
            );
        }
    };
    let (mut answer, answer_body) = answer.into_parts();
    ex.status = answer.status.as_u16();
    // Lent to the exchange for the checks, taken back for the answer below.
    ex.response_headers = std::mem::take(&mut answer.headers);
    let mut answer_body = Body::new(answer_body).into_data_stream();

    // The response body: read up to the limit (within the time left), then check.
    let mut chunks = Vec::new();
    let mut len = 0;
    let mut complete = true;
    loop {
        let left = timeout.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, answer_body.next()).await {
            Ok(Some(Ok(c))) => {
                len += c.len();
                chunks.push(c);
                if len > limit {
                    complete = false;
                    break;
                }
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return proxy.no_answer(
                    &ex,
                    StatusCode::BAD_GATEWAY,
                    format!("the target's answer broke off: {}", error_chain(&e)),
                );
            }
            Err(_) => {
                return proxy.no_answer(
                    &ex,
                    StatusCode::GATEWAY_TIMEOUT,
                    format!("the target did not finish its answer within {}", secs(timeout)),
                );
            }
        }
    }
    let prefix = Prefix::<()> {
        chunks,
        rest: (!complete).then_some(()),
    };
    ex.response_body = prefix.captured(limit);

    let checked = proxy.checker.check(&ex);
    // Conforming traffic that is not recorded shows nothing: skip finding its secrets.
    let secrets = if checked.violations.is_empty() && checked.unvalidated.is_empty() {
        Secrets::default()
    } else {
        proxy.checker.secrets(&ex)
    };
    if proxy.config.log {
        for v in &checked.violations {
            eprintln!(
                "conformance proxy: {} {} -> {}: {} {} {}: {}",
                ex.method,
                secrets.scrub(ex.path()),
                ex.status,
                v.side.as_str(),
                if v.pointer.is_empty() { "-" } else { &v.pointer },
                v.rule,
                v.message
            );
        }
        for n in &checked.unvalidated {
            eprintln!(
                "conformance proxy: {} {} -> {}: {n}",
                ex.method,
                secrets.scrub(ex.path()),
                ex.status
            );
        }
    }
    lock(&proxy.tally).add(
        &ex,
        &checked,
        &proxy.checker.redactor,
        &secrets,
        &proxy.config.target,
    );
    proxy.record(&ex, started);

    // The target's answer goes back with its own head, less what names the upstream hop.
    answer.headers = std::mem::take(&mut ex.response_headers);
    strip_hop_by_hop(&mut answer.headers);
    // The client connection speaks its own version; hyper writes it.
    answer.version = http::Version::HTTP_11;
    if !checked.violations.is_empty() {
        answer
            .headers
            .insert(VIOLATIONS_HEADER, HeaderValue::from(checked.violations.len()));
    }
    let body = if complete {
        Body::from(ex.response_body.bytes.clone())
    } else {
        Body::from_stream(stream::iter(prefix.chunks.into_iter().map(Ok)).chain(answer_body))
    };
    Response::from_parts(answer, body)
}

/// Removes the headers that belong to one connection, not to the message (RFC 9110 §7.6.1).
fn strip_hop_by_hop(headers: &mut HeaderMap) {
    // Usually there are none: one pass over the names beats a lookup per hop-by-hop name.
    let hop_by_hop = |name: &HeaderName| {
        matches!(
            name.as_str(),
            "connection"
                | "keep-alive"
                | "proxy-connection"
                | "te"
                | "trailer"
                | "transfer-encoding"
                | "upgrade"
        )
    };
    if !headers.keys().any(hop_by_hop) {
        return;
    }
    for name in [
        header::CONNECTION,
        HeaderName::from_static("keep-alive"),
        HeaderName::from_static("proxy-connection"),
        header::TE,
        header::TRAILER,
        header::TRANSFER_ENCODING,
        header::UPGRADE,
    ] {
        headers.remove(name);
    }
}

impl Proxy {
    /// The target gave no (whole) answer: the client gets the proxy's own error, the report
    /// counts it under the operation.
    fn no_answer(&self, ex: &Exchange, status: StatusCode, reason: String) -> Response {
        let secrets = self.checker.secrets(ex);
        let reason = secrets.scrub(&reason);
        let operation = self
            .checker
            .contract
            .route(&ex.method, ex.path())
            .map(|(op, _)| op.ir.id.clone());
        if self.config.log {
            eprintln!(
                "conformance proxy: {} {} -> {}: {reason}",
                ex.method,
                secrets.scrub(ex.path()),
                status.as_u16()
            );
        }
        lock(&self.tally).add_transport_failure(
            operation.as_deref(),
            &ex.method,
            &secrets.scrub(ex.path()),
            &reason,
        );
        let mut resp = Response::new(Body::from(format!("conformance proxy: {reason}\n")));
        *resp.status_mut() = status;
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        resp
    }

    fn record(&self, ex: &Exchange, started: Instant) {
        if let Some(rec) = &self.recorder
            && let Err(e) = lock(rec).append(ex, &self.checker, started.elapsed(), &self.config.target)
        {
            eprintln!("conformance proxy: cannot record the exchange: {e}");
        }
    }
}

fn secs(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}
