//! The mock's accept loop. `axum::serve` cannot bound how long a client takes to send its
//! headers, so a client that connects and sends nothing (or one byte every few seconds) would
//! hold a connection and a file descriptor forever. Here every connection gets hyper's
//! header-read timeout, which also closes keep-alive connections left idle between requests.
//! Requests go straight to the mock's handler: the contract's route table does the routing,
//! so an axum router around it would only add a layer per request.

use std::time::Duration;

use std::convert::Infallible;
use std::sync::Arc;

use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

use super::server::{Mock, respond};

/// Serves `mock` on `listener` until `stop` resolves, then lets open requests finish.
pub async fn serve(
    listener: TcpListener,
    mock: Arc<Mock>,
    header_timeout: Duration,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: pause instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .keep_alive(true);
        let mock = mock.clone();
        let service = hyper::service::service_fn(move |req: http::Request<Incoming>| {
            let mock = mock.clone();
            async move { Ok::<_, Infallible>(respond(&mock, req.map(Body::new)).await) }
        });
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
