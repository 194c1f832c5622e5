//! The live-target guard decides on the addresses a host name resolves to, not on the name,
//! and the run connects only to the addresses it checked. Names are mapped by an injected
//! resolver (no `/etc/hosts` edits); every connection a test can make goes to loopback.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use conformance::cli::run::{Args, run_with};
use conformance::contract::Contract;
use conformance::mock;
use conformance::runner;

/// The variable the profiles below read their token from (set once, to the mock's token).
const TOKEN_ENV: &str = "LIVE_GUARD_TEST_TOKEN";

fn set_token() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: set once, before any test of this binary reads the environment through it,
    // and always to the same value.
    ONCE.call_once(|| unsafe { std::env::set_var(TOKEN_ENV, mock::DEFAULT_TOKEN) });
}

/// The mock on a loopback port behind a layer that counts every request it sees.
fn counting_mock(rt: &tokio::runtime::Runtime) -> (SocketAddr, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    let app: Router = mock::app(&runner::embedded::config(Contract::embedded())).layer(middleware::from_fn(
        move |req: Request, next: Next| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                next.run(req).await
            }
        },
    ));
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, seen)
}

fn profile(dir: &std::path::Path, base_url: &str) -> std::path::PathBuf {
    let p = dir.join("p.yaml");
    std::fs::write(&p, format!("base_url: {base_url}\ntoken_env: {TOKEN_ENV}\n")).unwrap();
    p
}

fn args(profile: std::path::PathBuf, out: std::path::PathBuf) -> Args {
    Args {
        profile: Some(profile),
        only: Some("orderNotFound".into()),
        output: Some(out),
        format: conformance::report::Format::Json,
        ..Args::default()
    }
}

#[test]
fn a_name_resolving_beyond_loopback_is_refused_before_any_request() {
    set_token();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (addr, seen) = counting_mock(&rt);
    let dir = tempfile::tempdir().unwrap();
    let url = format!("http://api.localhost:{}", addr.port());
    // The loopback address comes first: were the guard fooled by the name, or by one loopback
    // address among others, the run would connect to the counting server, not to 10.0.0.1.
    let port = addr.port();
    let resolver = move |host: &str, _: u16| -> std::io::Result<Vec<SocketAddr>> {
        assert_eq!(host, "api.localhost");
        Ok(vec![
            SocketAddr::from(([127, 0, 0, 1], port)),
            SocketAddr::from(([10, 0, 0, 1], port)),
        ])
    };
    let out = dir.path().join("r.json");
    let code = run_with(args(profile(dir.path(), &url), out.clone()), &resolver);
    assert_eq!(code, ExitCode::from(2));
    assert_eq!(seen.load(Ordering::SeqCst), 0, "requests reached the server");
    assert!(!out.exists());
}

#[test]
fn a_name_resolving_to_loopback_runs_on_the_checked_address() {
    set_token();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (addr, seen) = counting_mock(&rt);
    let dir = tempfile::tempdir().unwrap();
    // `.invalid` never resolves through the system: every connection went to the pinned address.
    let url = format!("http://frontpay.invalid:{}", addr.port());
    let resolver = move |host: &str, port: u16| -> std::io::Result<Vec<SocketAddr>> {
        assert_eq!((host, port), ("frontpay.invalid", addr.port()));
        Ok(vec![addr])
    };
    let out = dir.path().join("r.json");
    let code = run_with(args(profile(dir.path(), &url), out.clone()), &resolver);
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(code, ExitCode::SUCCESS, "{report:#}");
    assert_eq!(report["summary"]["passed"], 2, "{report:#}");
    assert!(seen.load(Ordering::SeqCst) >= 2);
}

#[test]
fn a_name_that_does_not_resolve_is_not_loopback() {
    set_token();
    let dir = tempfile::tempdir().unwrap();
    let resolver =
        |_: &str, _: u16| -> std::io::Result<Vec<SocketAddr>> { Err(std::io::Error::other("no such host")) };
    let out = dir.path().join("r.json");
    let code = run_with(
        args(profile(dir.path(), "http://localhost:9"), out.clone()),
        &resolver,
    );
    assert_eq!(code, ExitCode::from(2));
    assert!(!out.exists());
}
