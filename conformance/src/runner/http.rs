//! Sending one request within bounds: a deadline for the whole exchange, a cap on the body
//! read, 429 + `Retry-After` honoured a bounded number of times, and a shared pace that slows
//! every worker down when the server says its budget runs low (the headers the contract marks
//! `x-rate-limit`).
//! Whatever the headers say, no single wait exceeds [`MAX_WAIT`], and no wait runs past the
//! run's deadline: a request whose turn comes later is not sent ([`Fault::OutOfTime`]).

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use super::plan::{AuthHeader, Planned};
use crate::markers::RateLimit;

/// Bodies above this are not read further: the case fails with "body too large".
pub const MAX_BODY: usize = 1024 * 1024;
/// 429 answers retried per request.
const MAX_RETRIES: u32 = 3;
/// Longest wait the runner makes for a server: a rate-limit pause is cut to this, and a longer
/// `Retry-After` fails the case rather than stall the run.
pub const MAX_WAIT: Duration = Duration::from_secs(60);
/// Below this many remaining requests, calls are spaced evenly over the server's minute.
const LOW_REMAINING: u64 = 10;

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Why no usable response came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Nothing listens, or the name does not resolve.
    Connect(String),
    Timeout(Duration),
    TooLarge,
    /// The connection broke or the answer was not HTTP.
    Broken(String),
    /// Still 429 after the allowed retries, or a `Retry-After` too long to wait.
    RateLimited(String),
    /// The request's turn comes after the run's deadline: it was not sent.
    OutOfTime,
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::Connect(e) => write!(f, "cannot connect: {e}"),
            Fault::Timeout(d) => write!(f, "no complete answer within {} s (timeout)", d.as_secs_f64()),
            Fault::TooLarge => write!(f, "body too large: more than {} bytes", MAX_BODY),
            Fault::Broken(e) => write!(f, "the exchange failed: {e}"),
            Fault::RateLimited(e) => write!(f, "rate limited: {e}"),
            Fault::OutOfTime => f.write_str("not run: the run reached its time limit"),
        }
    }
}

/// Shared by every worker of a run.
pub struct Pace {
    next: Mutex<Instant>,
    /// The headers to watch; `None` when the contract marks none (then nothing is paced).
    headers: Option<RateLimit>,
}

impl Pace {
    pub fn new(headers: Option<RateLimit>) -> Pace {
        Pace {
            next: Mutex::new(Instant::now()),
            headers,
        }
    }

    /// Waits for this worker's turn; `Err` when the turn comes after `deadline`.
    async fn wait_turn(&self, deadline: Instant) -> Result<(), Fault> {
        let at = *self.next.lock().await;
        if at > deadline {
            return Err(Fault::OutOfTime);
        }
        tokio::time::sleep_until(at).await;
        Ok(())
    }

    async fn push_back(&self, by: Duration) {
        let by = by.min(MAX_WAIT);
        let mut next = self.next.lock().await;
        let candidate = Instant::now() + by;
        if candidate > *next {
            *next = candidate;
        }
    }

    /// Reads the rate-limit headers of an answer and spaces later calls when needed; returns
    /// the pause it imposed (at most [`MAX_WAIT`]), whatever numbers the server sent.
    async fn observe(&self, headers: &reqwest::header::HeaderMap) -> Option<Duration> {
        let num = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let names = self.headers.as_ref()?;
        let remaining = num(&names.remaining).filter(|r| *r <= LOW_REMAINING)?;
        let limit = names
            .limit
            .as_deref()
            .and_then(num)
            .unwrap_or(names.default_budget)
            .max(1);
        // The server's minute spread over its budget; a limit beyond u32 spaces by nothing.
        let spacing = Duration::from_secs(60)
            .checked_div(u32::try_from(limit).unwrap_or(u32::MAX))
            .unwrap_or(Duration::ZERO);
        // With nothing left, wait for the window to roll over.
        let wait = if remaining == 0 {
            Duration::from_secs(1).max(spacing.saturating_mul(2))
        } else {
            spacing
        }
        .min(MAX_WAIT);
        self.push_back(wait).await;
        Some(wait)
    }
}

/// The time limits of one request: `timeout` per exchange, `deadline` for the whole run.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub deadline: Instant,
}

/// The run's client; with `pin`, the host name connects only to the given addresses (the ones
/// the live-target guard checked) and is never looked up again.
pub fn client(
    timeout: Duration,
    pin: Option<(&str, &[std::net::SocketAddr])>,
) -> Result<reqwest::Client, String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = reqwest::Client::builder();
    if let Some((host, addrs)) = pin {
        builder = builder.resolve_to_addrs(host, addrs);
    }
    builder
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(timeout)
        .user_agent(concat!("frontpay-conformance/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot build the HTTP client: {e}"))
}

/// Sends `p`, following 429s; the timeout covers each attempt, the pace covers waits, and
/// `on_wait` hears of every pause of a second or more the server imposes on the run.
pub async fn send(
    client: &reqwest::Client,
    p: &Planned,
    token: &str,
    limits: Limits,
    pace: &Pace,
    on_wait: &(dyn Fn(Duration, &str) + Send + Sync),
) -> Result<Response, Fault> {
    let timeout = limits.timeout;
    let mut attempt = 0;
    loop {
        pace.wait_turn(limits.deadline).await?;
        let mut req = client
            .request(
                reqwest::Method::from_bytes(p.method.as_bytes()).map_err(|e| Fault::Broken(e.to_string()))?,
                &p.url,
            )
            .header("accept", "application/json");
        for (name, value, _) in &p.headers {
            req = req.header(name.as_str(), value.as_str());
        }
        if let Some(ct) = &p.content_type {
            req = req.header("content-type", ct).body(p.body.clone());
        }
        match &p.auth {
            AuthHeader::Token => req = req.bearer_auth(token),
            AuthHeader::Wrong(t) => req = req.bearer_auth(t),
            AuthHeader::None => {}
        }
        let exchange = async {
            let mut resp = req.send().await.map_err(|e| classify(&e))?;
            if let Some(wait) = pace.observe(resp.headers()).await
                && wait >= Duration::from_secs(1)
            {
                on_wait(wait, "the server's rate-limit headers");
            }
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            if resp.content_length().is_some_and(|n| n > MAX_BODY as u64) {
                return Err(Fault::TooLarge);
            }
            let mut body = Vec::new();
            while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
                if body.len() + chunk.len() > MAX_BODY {
                    return Err(Fault::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok((
                Response {
                    status,
                    content_type,
                    body,
                },
                retry_after,
            ))
        };
        let (resp, retry_after) = match tokio::time::timeout(timeout, exchange).await {
            Ok(r) => r?,
            Err(_) => return Err(Fault::Timeout(timeout)),
        };
        if resp.status != 429 {
            return Ok(resp);
        }
        attempt += 1;
        let wait = retry_after
            .as_deref()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
            .unwrap_or(Duration::from_secs(1));
        if attempt > MAX_RETRIES {
            return Err(Fault::RateLimited(format!(
                "still 429 after {MAX_RETRIES} retries"
            )));
        }
        if wait > MAX_WAIT {
            return Err(Fault::RateLimited(format!(
                "Retry-After asks for {} s",
                wait.as_secs()
            )));
        }
        if wait >= Duration::from_secs(1) {
            on_wait(wait, "Retry-After");
        }
        pace.push_back(wait).await;
    }
}

fn classify(e: &reqwest::Error) -> Fault {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    if e.is_connect() {
        Fault::Connect(msg)
    } else if e.is_timeout() {
        Fault::Broken(format!("timed out: {msg}"))
    } else {
        Fault::Broken(msg)
    }
}

/// A GET of a JSON document, bounded like any case; `None` when it does not answer with JSON.
pub async fn get_json(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    timeout: Duration,
) -> Result<Option<serde_json::Value>, Fault> {
    let exchange = async {
        let mut resp = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        if !resp.status().is_success() {
            return Ok(None);
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| classify(&e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Ok(None);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(serde_json::from_slice(&body).ok())
    };
    match tokio::time::timeout(timeout, exchange).await {
        Ok(r) => r,
        Err(_) => Err(Fault::Timeout(timeout)),
    }
}
