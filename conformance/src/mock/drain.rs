//! Reading and discarding the rest of a body the mock refuses as too large, so that a client
//! that writes its whole body before reading (Python's `urllib`, many others) reads the 413
//! instead of failing on a connection closed under its writes. Bounded in bytes
//! ([`DRAIN_LIMIT`]) and time ([`DRAIN_TIME`]): past either, the connection is closed unread.

use std::time::Duration;

use axum::body::BodyDataStream;
use futures::StreamExt;
use http::HeaderMap;
use http::header::{CONTENT_LENGTH, EXPECT};

/// Most bytes of a refused body read and discarded (32 MiB).
pub const DRAIN_LIMIT: u64 = 32 * 1024 * 1024;
/// Longest the mock spends discarding a refused body.
pub const DRAIN_TIME: Duration = Duration::from_secs(5);

/// Whether a refused body is worth reading: not when the client waits for `100 Continue`
/// (it has sent nothing, and the 413 tells it not to), nor when it declares more than
/// [`DRAIN_LIMIT`].
pub fn worth_draining(headers: &HeaderMap) -> bool {
    let expects_continue = headers
        .get(EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    !expects_continue && declared.is_none_or(|n| n <= DRAIN_LIMIT)
}

/// Reads and drops what is left of `stream`, within the bounds.
pub async fn drain(stream: &mut BodyDataStream) {
    let read = async {
        let mut seen: u64 = 0;
        while let Some(Ok(chunk)) = stream.next().await {
            seen = seen.saturating_add(chunk.len() as u64);
            if seen > DRAIN_LIMIT {
                return;
            }
        }
    };
    let _ = tokio::time::timeout(DRAIN_TIME, read).await;
}
