//! `conformance validate` on hostile input: it reads only regular files (and standard input)
//! of bounded size, and quotes the input in bounded excerpts.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use conformance::validate::{MAX_INPUT, MAX_QUOTE, MAX_VIOLATIONS};

const OP: &str = "resendOrderPaymentLink";
/// Only keeps a broken build from hanging the test; nothing here measures time.
const HANG_GUARD: Duration = Duration::from_secs(20);

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["validate", "--operation", OP, "--request"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for the child this test started; kills it (by its own handle) at the guard.
fn finish(mut child: Child) -> Output {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > HANG_GUARD {
            let _ = child.kill();
            panic!("conformance validate did not finish");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

fn on_file(path: &Path) -> Output {
    let mut child = spawn(&[path.to_str().unwrap()]);
    drop(child.stdin.take());
    finish(child)
}

fn on_stdin(input: &[u8]) -> Output {
    let mut child = spawn(&["-"]);
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    // Written from another thread: the command may stop reading at its limit.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = finish(child);
    let _ = writer.join();
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn fifos_devices_and_folders_are_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.json");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let zero = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    for path in [fifo.as_path(), zero.as_path(), dir.path()] {
        let out = on_file(path);
        assert_eq!(out.status.code(), Some(2), "{}: {}", path.display(), stderr(&out));
        assert!(stderr(&out).contains("not a regular file"), "{}", stderr(&out));
    }
}

#[test]
fn inputs_over_the_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.json");
    let mut doc = vec![b' '; MAX_INPUT as usize];
    doc.extend_from_slice(b"{}");
    std::fs::write(&big, &doc).unwrap();
    for out in [on_file(&big), on_stdin(&doc)] {
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert!(stderr(&out).contains("larger than"), "{}", stderr(&out));
    }
    // Just under the limit is read.
    let ok = &doc[2..];
    let out = on_stdin(ok);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn errors_quote_the_input_in_bounded_excerpts() {
    // A 3 MB string where an object is expected, and an array of many invalid items.
    let long = serde_json::to_string(&"x".repeat(3_000_000)).unwrap();
    let many = serde_json::to_string(&serde_json::json!({"x": vec!["y".repeat(5000); 400]})).unwrap();
    for doc in [long, many] {
        for format in ["text", "json"] {
            let mut child = spawn(&["--format", format, "-"]);
            let mut stdin = child.stdin.take().unwrap();
            let d = doc.clone();
            let writer = std::thread::spawn(move || {
                let _ = stdin.write_all(d.as_bytes());
            });
            let out = finish(child);
            let _ = writer.join();
            assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
            let bound = (MAX_VIOLATIONS + 1) * (3 * MAX_QUOTE + 512);
            assert!(out.stdout.len() < bound, "{format}: {} bytes", out.stdout.len());
            assert!(out.stdout.len() + out.stderr.len() < doc.len() / 2);
        }
    }
}
