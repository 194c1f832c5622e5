//! The mock closes connections that never finish their headers, or sit idle, after its
//! header timeout, and keeps serving other clients meanwhile. The timeout is set small here;
//! the generous limits below only keep a broken build from hanging the test.

use std::time::Duration;

use conformance::mock::{self, MockConfig, MockHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HANG_GUARD: Duration = Duration::from_secs(20);

async fn start() -> MockHandle {
    let mut config = MockConfig::from_contract_defaults();
    config.header_timeout = Duration::from_millis(300);
    mock::start(config).await.unwrap()
}

/// Reads until the server closes the connection; `false` if it is still open at the guard.
async fn closed_by_server(s: &mut TcpStream) -> bool {
    let mut buf = [0u8; 1024];
    tokio::time::timeout(HANG_GUARD, async {
        loop {
            match s.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await
    .is_ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_idle_connections_are_closed_while_others_are_served() {
    let m = start().await;
    let mut idle = TcpStream::connect(m.addr).await.unwrap();
    let mut partial = TcpStream::connect(m.addr).await.unwrap();
    partial
        .write_all(b"GET /__mock/fixtures HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    // One byte of header every 50 ms, for as long as the server keeps the connection.
    let trickle = TcpStream::connect(m.addr).await.unwrap();
    let (mut trickle_read, mut trickle_write) = trickle.into_split();
    tokio::spawn(async move {
        let _ = trickle_write.write_all(b"GET / HTTP/1.1\r\n").await;
        while trickle_write.write_all(b"a").await.is_ok() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    // A normal request is answered meanwhile.
    let client = conformance::runner::http::client(Duration::from_secs(5), None).unwrap();
    let answer = client
        .get(format!("{}{}", m.url, mock::FIXTURES_PATH))
        .bearer_auth(mock::DEFAULT_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);

    assert!(
        closed_by_server(&mut idle).await,
        "an idle connection stayed open"
    );
    assert!(
        closed_by_server(&mut partial).await,
        "a partial header stayed open"
    );
    let mut buf = [0u8; 64];
    let trickled = tokio::time::timeout(HANG_GUARD, async {
        loop {
            match trickle_read.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(trickled.is_ok(), "a trickling header stayed open");

    // A keep-alive connection left idle after a request is closed too.
    let mut kept = TcpStream::connect(m.addr).await.unwrap();
    kept.write_all(b"GET /__mock/fixtures HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    assert!(
        closed_by_server(&mut kept).await,
        "an idle keep-alive connection stayed open"
    );
    m.shutdown().await;
}
