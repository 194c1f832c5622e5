//! Forwarding: each request goes to the target as it came (method, path, query, headers but
//! the hop-by-hop ones, body), and the answer comes back as it came, plus the violations
//! header. The proxy never sends a request of its own and follows no redirect.
//!
//! Memory is bounded per exchange: a body is read up to the limit, checked, then sent on; a
//! longer body streams through after its first bytes and is reported as not validated.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use futures::{StreamExt, stream};
use http_body_util::{BodyExt, Either, Full};
use hyper::body::Incoming;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Sleep;

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

/// A body the proxy sends on: whole when it was read within the bound (no box, no copy), or
/// its first chunks followed by the rest as it streams.
pub type Forward = Either<Full<Bytes>, Body>;

fn whole(bytes: Bytes) -> Forward {
    Either::Left(Full::new(bytes))
}

/// The first bytes of a body, and the rest when it is longer than the limit.
struct Prefix<B> {
    chunks: Vec<Bytes>,
    rest: Option<B>,
}

impl<B> Prefix<B>
where
    B: hyper::body::Body<Data = Bytes> + Send + Unpin + 'static,
    B::Error: Into<axum::BoxError>,
{
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

    /// The body to send on: `whole` when it was read to its end, else every chunk read so
    /// far and then the rest.
    fn forward(self, whole_body: &Captured) -> Forward {
        match self.rest {
            None => whole(whole_body.bytes.clone()),
            Some(rest) => Either::Right(Body::from_stream(
                stream::iter(self.chunks.into_iter().map(Ok)).chain(rest.into_data_stream()),
            )),
        }
    }
}

/// Reads `body` up to `limit` bytes (trailers are not kept), or until `deadline`.
async fn read_prefix<B>(mut body: B, limit: usize, deadline: Pin<&mut Sleep>) -> Read<Prefix<B>, B::Error>
where
    B: hyper::body::Body<Data = Bytes> + Unpin,
{
    let mut chunks = Vec::new();
    let mut len = 0;
    let read = async {
        while let Some(frame) = body.frame().await {
            let Ok(chunk) = frame?.into_data() else {
                continue;
            };
            len += chunk.len();
            chunks.push(chunk);
            if len > limit {
                return Ok(true);
            }
        }
        Ok(false)
    };
    match within(deadline, read).await {
        Read::Done(over) => Read::Done(Prefix {
            chunks,
            rest: over.then_some(body),
        }),
        Read::Failed(e) => Read::Failed(e),
        Read::Late => Read::Late,
    }
}

/// How a stage of an exchange ended.
enum Read<T, E> {
    Done(T),
    Failed(E),
    Late,
}

/// Runs `stage` until `deadline`: one timer serves every stage of an exchange, and it is
/// armed only when a stage has to wait.
async fn within<T, E>(deadline: Pin<&mut Sleep>, stage: impl Future<Output = Result<T, E>>) -> Read<T, E> {
    tokio::select! {
        biased;
        r = stage => match r {
            Ok(v) => Read::Done(v),
            Err(e) => Read::Failed(e),
        },
        () = deadline => Read::Late,
    }
}

async fn handle(proxy: &Proxy, link: &Link, req: http::Request<Incoming>) -> Response<Forward> {
    let started = tokio::time::Instant::now();
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
    // The client has `timeout` to send its body, then the target `timeout` to answer.
    let deadline = tokio::time::sleep_until(started + timeout);
    tokio::pin!(deadline);

    let request_body = match read_prefix(body, limit, deadline.as_mut()).await {
        Read::Done(p) => p,
        Read::Failed(e) => {
            return proxy.no_answer(
                &ex,
                StatusCode::BAD_REQUEST,
                format!("the client's body broke off: {e}"),
            );
        }
        Read::Late => {
            return proxy.no_answer(
                &ex,
                StatusCode::REQUEST_TIMEOUT,
                format!("the client did not send its body within {}", secs(timeout)),
            );
        }
    };
    ex.request_body = request_body.captured(limit);
    let forward_body = request_body.forward(&ex.request_body);

    // The client's request goes on with its own header map, less what names this hop.
    let mut parts = parts;
    strip_hop_by_hop(&mut parts.headers);
    parts.headers.remove(header::HOST);
    // The upstream connection speaks HTTP/1.1 whatever the client spoke.
    parts.version = http::Version::HTTP_11;
    let outgoing = http::Request::from_parts(parts, forward_body);
    deadline.as_mut().reset(tokio::time::Instant::now() + timeout);
    let answer = match within(deadline.as_mut(), link.send(outgoing)).await {
        Read::Done(r) => r,
        Read::Failed(Failure::Unreachable(why)) => {
            return proxy.no_answer(
                &ex,
                StatusCode::BAD_GATEWAY,
                format!("the target is unreachable: {why}"),
            );
        }
        Read::Late => {
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

    // The response body: read up to the limit (within the time left), then check.
    let response_body = match read_prefix(answer_body, limit, deadline.as_mut()).await {
        Read::Done(p) => p,
        Read::Failed(e) => {
            return proxy.no_answer(
                &ex,
                StatusCode::BAD_GATEWAY,
                format!("the target's answer broke off: {}", error_chain(&e)),
            );
        }
        Read::Late => {
            return proxy.no_answer(
                &ex,
                StatusCode::GATEWAY_TIMEOUT,
                format!("the target did not finish its answer within {}", secs(timeout)),
            );
        }
    };
    ex.response_body = response_body.captured(limit);
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
    proxy.record(&ex, started.into_std());

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
    Response::from_parts(answer, response_body.forward(&ex.response_body))
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
    fn no_answer(&self, ex: &Exchange, status: StatusCode, reason: String) -> Response<Forward> {
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
        let mut resp = Response::new(whole(format!("conformance proxy: {reason}\n").into()));
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
