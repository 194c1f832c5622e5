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

/// One request to the embedded contract's first operation, with its first request example as
/// the body, sent over raw TCP in `parts` writes `pause` apart; returns the status line.
async fn status_of_split_request(
    m: &MockHandle,
    parts: usize,
    pause: Duration,
    declared_extra: usize,
) -> String {
    let contract = conformance::contract::Contract::embedded();
    let op = &contract.operations[0];
    let request = op.ir.request.as_ref().expect("the first operation takes a body");
    let body = serde_json::to_vec(&request.examples[0].value).unwrap();
    let resource = op.ir.resource.as_deref().unwrap();
    let config = MockConfig::from_contract_defaults();
    let id = config.fixtures[resource].values().next().unwrap().clone();
    let head = format!(
        "{} {} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer {}\r\n\
         Content-Type: {}\r\nContent-Length: {}\r\n\r\n",
        op.ir.method.to_uppercase(),
        op.path_for(&[&id]),
        mock::DEFAULT_TOKEN,
        request.content_type,
        body.len() + declared_extra,
    );
    let mut s = TcpStream::connect(m.addr).await.unwrap();
    s.write_all(head.as_bytes()).await.unwrap();
    let step = body.len().div_ceil(parts);
    for chunk in body.chunks(step) {
        tokio::time::sleep(pause).await;
        s.write_all(chunk).await.unwrap();
    }
    let mut answer = Vec::new();
    tokio::time::timeout(HANG_GUARD, s.read_to_end(&mut answer))
        .await
        .expect("answered before the guard")
        .unwrap();
    let text = String::from_utf8_lossy(&answer);
    text.lines().next().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_sent_after_the_head_is_read_whole_and_a_body_never_finished_gets_408() {
    let m = start().await;
    let whole = status_of_split_request(&m, 1, Duration::ZERO, 0).await;
    // The same body in three writes, 150 ms apart: the mock waits for it (the body timer, not
    // the 300 ms header timeout, applies) and gives the same answer.
    let split = status_of_split_request(&m, 3, Duration::from_millis(150), 0).await;
    assert!(whole.starts_with("HTTP/1.1 2"), "{whole}");
    assert_eq!(split, whole);
    // Declares 10 bytes more than it sends: the body timer answers 408.
    let unfinished = status_of_split_request(&m, 1, Duration::ZERO, 10).await;
    assert!(unfinished.starts_with("HTTP/1.1 408"), "{unfinished}");
    m.shutdown().await;
}
