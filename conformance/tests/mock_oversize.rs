//! A body over the mock's limit gets 413 even from a client that writes its whole body before
//! reading anything (as Python's `urllib` and many others do): the mock reads and discards the
//! rest of such a body, within a bound of bytes and time, before it answers. Curl-like clients
//! that wait for `100 Continue` get the 413 at once and send nothing.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use conformance::contract::Contract;
use conformance::mock::{self, BODY_LIMIT, MockConfig};

/// Keeps a broken build from hanging the test; not a timing assertion.
const HANG_GUARD: Duration = Duration::from_secs(30);

fn open_path() -> String {
    let c = Contract::embedded();
    let op = &c.operations[0];
    let id = &MockConfig::for_contract(c).fixtures[op.ir.resource.as_deref().unwrap()]["open"];
    op.path_for(&[id.as_str()])
}

/// Writes the request head and the whole body with blocking writes, then reads the answer.
fn send_whole(
    addr: std::net::SocketAddr,
    head_extra: &str,
    body: &[u8],
    chunked: bool,
) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(HANG_GUARD))?;
    s.set_write_timeout(Some(HANG_GUARD))?;
    let length = if chunked {
        "Transfer-Encoding: chunked\r\n".to_string()
    } else {
        format!("Content-Length: {}\r\n", body.len())
    };
    let head = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\n{length}{head_extra}\r\n",
        open_path(),
        mock::DEFAULT_TOKEN
    );
    s.write_all(head.as_bytes())?;
    if chunked {
        for part in body.chunks(16 * 1024) {
            s.write_all(format!("{:x}\r\n", part.len()).as_bytes())?;
            s.write_all(part)?;
            s.write_all(b"\r\n")?;
        }
        s.write_all(b"0\r\n\r\n")?;
    } else {
        s.write_all(body)?;
    }
    let mut answer = vec![0u8; 4096];
    let n = s.read(&mut answer)?;
    Ok(String::from_utf8_lossy(&answer[..n]).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_writes_its_whole_body_first_reads_413() {
    let h = mock::start(MockConfig::from_contract_defaults()).await.unwrap();
    let addr = h.addr;
    // 2 MiB as reported; 12 MiB is more than loopback socket buffers absorb, so a server that
    // answers without reading makes the client's write fail (broken pipe) before it reads.
    for mib in [2, 12] {
        let body = vec![b' '; mib * 1024 * 1024];
        assert!(body.len() > BODY_LIMIT && body.len() as u64 <= mock::DRAIN_LIMIT);
        let answers = tokio::task::spawn_blocking(move || {
            [false, true].map(|chunked| send_whole(addr, "", &body, chunked))
        })
        .await
        .unwrap();
        for (answer, how) in answers.iter().zip(["Content-Length", "chunked"]) {
            let answer = answer
                .as_ref()
                .unwrap_or_else(|e| panic!("{mib} MiB, {how}: the write or read failed: {e}"));
            assert!(answer.starts_with("HTTP/1.1 413"), "{mib} MiB, {how}: {answer}");
        }
    }
    // A client that waits for `100 Continue` is answered without sending its body.
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(HANG_GUARD)).unwrap();
        let head = format!(
            "POST {} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
            open_path(),
            100 * 1024 * 1024
        );
        s.write_all(head.as_bytes()).unwrap();
        let mut answer = vec![0u8; 4096];
        let n = s.read(&mut answer).unwrap();
        String::from_utf8_lossy(&answer[..n]).into_owned()
    })
    .await
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    h.shutdown().await;
}
