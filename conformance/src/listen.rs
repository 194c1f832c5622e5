//! The accept loop of the mock and the proxy. `axum::serve` cannot bound how long a client
//! takes to send its headers, so a client that connects and sends nothing (or one byte every
//! few seconds) would hold a connection and a file descriptor forever. Here every connection
//! gets hyper's header-read timeout, which also closes keep-alive connections left idle
//! between requests, and requests go straight to the caller's handler (no router layer).

use std::convert::Infallible;
use std::future::Future;
use std::time::Duration;

use axum::response::Response;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;

/// Serves `listener` until `stop` resolves, then lets open requests finish. `per_connection`
/// makes the handler of each accepted connection (so it can hold per-connection state, such
/// as the proxy's upstream link).
pub async fn serve<H, Fut, B>(
    listener: TcpListener,
    header_timeout: Duration,
    stop: impl Future<Output = ()>,
    mut per_connection: impl FnMut() -> H,
) -> std::io::Result<()>
where
    H: Fn(http::Request<Incoming>) -> Fut + Send + 'static,
    Fut: Future<Output = Response<B>> + Send + 'static,
    B: hyper::body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
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
        // Small answers go out at once rather than waiting on Nagle's algorithm.
        let _ = stream.set_nodelay(true);
        let handler = per_connection();
        let service = hyper::service::service_fn(move |req: http::Request<Incoming>| {
            let answer = handler(req);
            async move { Ok::<_, Infallible>(answer.await) }
        });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .keep_alive(true);
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            let _ = conn.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}
