//! The validating proxy, in front of the mock and of deliberately broken servers (the mock
//! with one rule broken by a layer, as in `broken_servers.rs`, or hand-rolled misbehaviour):
//! every violation class is reported, correct traffic gives none, the token and personal data
//! appear nowhere, and a target that is down or hangs gives 502 / 504 and a report saying so.

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use conformance::contract::Contract;
use conformance::mock::{self, MockConfig};
use conformance::proxy::{self, ProxyConfig, ProxyHandle, VIOLATIONS_HEADER};
use conformance::report::{Format, Outcome, RunReport};
use conformance::runner::{self, Options, Session, Target};
use contract_model::spec::replay::ResourceState;
use serde_json::{Value, json};

const TOKEN: &str = "s3cret-proxy-token-42";
const EMAIL: &str = "private.person@example.org";

fn mock_config() -> MockConfig {
    let mut c = runner::embedded::config(Contract::embedded());
    c.token = TOKEN.to_string();
    c
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

async fn proxy_to(url: &str, tweak: impl FnOnce(&mut ProxyConfig)) -> ProxyHandle {
    let mut config = ProxyConfig::new(url);
    tweak(&mut config);
    proxy::start(Contract::embedded(), config).await.unwrap()
}

fn client() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

fn op(i: usize) -> &'static conformance::contract::OperationContract {
    &Contract::embedded().operations[i]
}

/// The mock's identifier in `state`; `Missing` is one it never created.
fn fixture(i: usize, state: &str) -> String {
    let resource = op(i).ir.resource.clone().unwrap();
    let states = &mock_config().fixtures[&resource];
    match states.get(state) {
        Some(id) => id.clone(),
        None if state == ResourceState::MISSING => format!("{}404", states["open"]),
        None => panic!("no {state:?} fixture"),
    }
}

/// A valid request body of operation `i`, with the email channel set to `EMAIL`.
fn valid_body(i: usize) -> Value {
    let req = op(i).ir.request.as_ref().unwrap();
    let mut body = req.examples[0].value.clone();
    for (k, v) in body.as_object_mut().unwrap() {
        if v.as_str().is_some_and(|s| s.contains('@')) {
            let _ = k;
            *v = json!(EMAIL);
        }
    }
    body
}

struct Answer {
    status: u16,
    violations: Option<usize>,
    body: bytes::Bytes,
}

async fn send(
    proxy: &ProxyHandle,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Answer {
    let mut rb = client().request(method.parse().unwrap(), format!("{}{path}", proxy.url));
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    if let Some(b) = body {
        rb = rb.header("content-type", "application/json").body(b.to_string());
    }
    let resp = rb.send().await.unwrap();
    let violations = resp
        .headers()
        .get(VIOLATIONS_HEADER)
        .map(|v| v.to_str().unwrap().parse().unwrap());
    Answer {
        status: resp.status().as_u16(),
        violations,
        body: resp.bytes().await.unwrap(),
    }
}

fn resend_path(i: usize, id: &str) -> String {
    op(i).path_for(&[id])
}

fn all_text(report: &RunReport) -> String {
    [Format::Human, Format::Json, Format::Junit]
        .iter()
        .map(|f| report.render(*f, false))
        .collect::<Vec<_>>()
        .join("\n")
}

fn failed_checks(report: &RunReport) -> Vec<(String, String)> {
    report
        .cases
        .iter()
        .flat_map(|c| c.failures.iter())
        .map(|f| (f.check.clone(), f.pointer.clone()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correct_traffic_gives_no_violation() {
    let mock = mock::start(mock_config()).await.unwrap();
    let proxy = proxy_to(&mock.url, |_| {}).await;
    let mut statuses = Vec::new();
    for i in 0..Contract::embedded().operations.len() {
        for example in &op(i).ir.request.as_ref().unwrap().examples {
            let a = send(
                &proxy,
                "POST",
                &resend_path(i, &fixture(i, "open")),
                Some(TOKEN),
                Some(&example.value),
            )
            .await;
            assert_eq!((a.status, a.violations), (202, None));
            statuses.push(a.status);
        }
        for state in ["missing", "cancelled", "failing"] {
            let a = send(
                &proxy,
                "POST",
                &resend_path(i, &fixture(i, state)),
                Some(TOKEN),
                Some(&valid_body(i)),
            )
            .await;
            assert_eq!(
                a.violations,
                None,
                "{state:?}: {}",
                String::from_utf8_lossy(&a.body)
            );
            statuses.push(a.status);
        }
        let a = send(
            &proxy,
            "POST",
            &resend_path(i, &fixture(i, "open")),
            None,
            Some(&valid_body(i)),
        )
        .await;
        assert_eq!((a.status, a.violations), (401, None));
    }
    statuses.sort();
    statuses.dedup();
    assert_eq!(statuses, [202, 400, 404, 510]);
    let report = proxy.shutdown().await;
    assert!(
        report.cases.iter().all(|c| c.outcome == Outcome::Passed),
        "{}",
        all_text(&report)
    );
    // One case per operation and status seen.
    assert_eq!(report.cases.len(), 2 * 5, "{}", all_text(&report));
    mock.shutdown().await;
}

/// The whole conformance suite through the proxy: the mock answers by the contract, so no
/// response is flagged; the only flags are the invalid request bodies the suite sends on purpose.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_suite_through_the_proxy_flags_only_its_invalid_requests() {
    let mock = mock::start(runner::embedded::config(Contract::embedded()))
        .await
        .unwrap();
    let proxy = proxy_to(&mock.url, |_| {}).await;
    let mut target = Target::new(proxy.url.clone(), mock::DEFAULT_TOKEN);
    target.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
    let options = Options {
        timeout: Duration::from_secs(10),
        concurrency: 4,
        progress: false,
        ..Options::default()
    };
    let session = Session::open(target, options).await.unwrap();
    let run = session.run(&runner::select(Contract::embedded(), None)).await;
    assert_eq!(run.summary().failed, 0, "the proxy changed an answer");
    let report = proxy.shutdown().await;
    let checks = failed_checks(&report);
    assert!(!checks.is_empty());
    for (check, pointer) in &checks {
        assert!(check.starts_with("request "), "{check} {pointer}");
    }
    assert!(
        checks
            .iter()
            .any(|(c, p)| c.starts_with("request schema/") && p.starts_with("/body"))
    );
    // The runner also reads the mock's outbox through the proxy: not a documented route.
    for c in report.cases.iter().filter(|c| c.outcome == Outcome::Failed) {
        let admin = c.id.starts_with(proxy::tally::UNDOCUMENTED)
            && c.reason.as_deref().unwrap().contains(mock::OUTBOX_PATH);
        assert!(c.id.ends_with("/417") || admin, "{} {:?}", c.id, c.reason);
    }
    mock.shutdown().await;
}

/// Wraps the mock's API answers with `f` (status, headers and body may all change).
fn broken(f: fn(&mut Response, &mut Value)) -> Router {
    mock::app(&mock_config()).layer(middleware::from_fn(move |req: Request, next: Next| async move {
        let resp = next.run(req).await;
        let (mut parts, body) = resp.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
        let mut v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let mut resp = Response::from_parts(parts.clone(), Body::empty());
        f(&mut resp, &mut v);
        parts = resp.into_parts().0;
        parts.headers.remove(header::CONTENT_LENGTH);
        let text = match &v {
            Value::String(s) if s.starts_with("raw:") => s[4..].to_string(),
            other => other.to_string(),
        };
        Response::from_parts(parts, Body::from(text))
    }))
}

async fn one_exchange(router: Router, path: String, body: Value) -> (Answer, RunReport) {
    let url = serve(router).await;
    let proxy = proxy_to(&url, |_| {}).await;
    let a = send(&proxy, "POST", &path, Some(TOKEN), Some(&body)).await;
    (a, proxy.shutdown().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_violation_class_is_reported() {
    let missing = resend_path(0, &fixture(0, "missing"));
    let open = resend_path(0, &fixture(0, "open"));
    type Fault = fn(&mut Response, &mut Value);
    let cases: Vec<(&str, Fault, &str, &str, &str)> = vec![
        (
            "a 404 with the success envelope (is_data/data)",
            |_, v| {
                let m = v.as_object_mut().unwrap();
                m.remove("is_error");
                m.remove("errors");
                m.insert("is_data".into(), json!(true));
                m.insert("data".into(), Value::Null);
            },
            "missing",
            "response schema/",
            "/body",
        ),
        (
            "an undocumented status",
            |r, _| *r.status_mut() = StatusCode::IM_A_TEAPOT,
            "missing",
            "response status",
            "/status",
        ),
        (
            "the wrong content type",
            |r, _| {
                r.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            },
            "missing",
            "response content-type",
            "/headers/content-type",
        ),
        (
            "a body that is not JSON",
            |_, v| *v = json!("raw:<html>oops</html>"),
            "missing",
            "response body",
            "/body",
        ),
        (
            "a documented header out of its schema",
            |r, _| {
                r.headers_mut()
                    .insert("x-ratelimit-remaining", HeaderValue::from_static("-5"));
            },
            "open",
            "response header/",
            "/headers/x-ratelimit-remaining",
        ),
        (
            "a wrong field type",
            |_, v| v["status_code"] = json!("202"),
            "open",
            "response schema/",
            "/body/status_code",
        ),
    ];
    for (why, fault, state, check, pointer) in cases {
        let path = if state == "missing" {
            missing.clone()
        } else {
            open.clone()
        };
        let (a, report) = one_exchange(broken(fault), path, valid_body(0)).await;
        assert!(a.violations.unwrap_or(0) >= 1, "{why}: {:?}", a.violations);
        let checks = failed_checks(&report);
        assert!(
            checks.iter().any(|(c, p)| c.starts_with(check) && p == pointer),
            "{why}: {checks:?}"
        );
        assert!(
            checks.iter().all(|(c, _)| c.starts_with("response ")),
            "{why}: {checks:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_request_violation_class_is_reported() {
    let mock = mock::start(mock_config()).await.unwrap();
    let proxy = proxy_to(&mock.url, |_| {}).await;
    let open = resend_path(0, &fixture(0, "open"));
    // Undocumented route and method.
    let a = send(&proxy, "GET", &open, Some(TOKEN), None).await;
    assert_eq!(a.violations, Some(1));
    let a = send(
        &proxy,
        "POST",
        "/api/v1/nothing/here",
        Some(TOKEN),
        Some(&valid_body(0)),
    )
    .await;
    assert_eq!(a.violations, Some(1));
    // A path parameter its schema refuses (percent-encoded, decoded before the check).
    let a = send(
        &proxy,
        "POST",
        &resend_path(0, "not valid!"),
        Some(TOKEN),
        Some(&valid_body(0)),
    )
    .await;
    assert!(a.violations.unwrap() >= 1);
    // A request body that breaks the schema, and one that is not JSON.
    let a = send(&proxy, "POST", &open, Some(TOKEN), Some(&json!({"email": 7}))).await;
    assert!(a.violations.unwrap() >= 1);
    let resp = client()
        .post(format!("{}{open}", proxy.url))
        .bearer_auth(TOKEN)
        .header("content-type", "text/plain")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get(VIOLATIONS_HEADER).is_some());
    let report = proxy.shutdown().await;
    let checks = failed_checks(&report);
    for (check, pointer) in [
        ("request undocumented route", ""),
        ("request path/", "/path/orderUuid"),
        ("request schema/", "/body"),
        ("request content-type", "/headers/content-type"),
        ("request body", "/body"),
    ] {
        assert!(
            checks
                .iter()
                .any(|(c, p)| c.starts_with(check) && p.starts_with(pointer)),
            "{check} {pointer}: {checks:?}"
        );
    }
    mock.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_and_personal_data_appear_nowhere() {
    // The server echoes the token and the request body in its 404 answer.
    let app = mock::app(&mock_config()).layer(middleware::from_fn(|req: Request, next: Next| async move {
        let auth = req.headers().get(header::AUTHORIZATION).cloned();
        let resp = next.run(req).await;
        let (mut parts, _) = resp.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        let echoed = json!({"message": auth.map(|a| a.to_str().unwrap().to_string()), "email": EMAIL, "is_data": true});
        Response::from_parts(parts, Body::from(echoed.to_string()))
    }));
    let url = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("traffic.har");
    let proxy = proxy_to(&url, |c| c.record = Some(har.clone())).await;
    let mut bad = valid_body(0);
    bad["countryCode"] = json!("nope");
    for (path, body) in [
        (resend_path(0, &fixture(0, "missing")), valid_body(0)),
        (
            resend_path(0, &fixture(0, "open")),
            json!({"email": EMAIL, "msisdn": "12"}),
        ),
        (resend_path(0, &fixture(0, "open")), bad),
        (format!("/undocumented/{TOKEN}"), valid_body(0)),
    ] {
        let a = send(&proxy, "POST", &path, Some(TOKEN), Some(&body)).await;
        assert!(a.violations.is_some());
    }
    let report = proxy.shutdown().await;
    let recorded = std::fs::read_to_string(&har).unwrap();
    for text in [all_text(&report), recorded.clone()] {
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains(EMAIL), "{text}");
        assert!(!text.contains("private.person"), "{text}");
    }
    assert!(all_text(&report).contains("Bearer $FRONTPAYMENT_TOKEN"));
    assert!(recorded.contains("Bearer [redacted]"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_that_is_down_gives_502_and_is_reported() {
    // A port that was free a moment ago: nothing listens there.
    let url = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let proxy = proxy_to(&url, |c| c.timeout = Duration::from_secs(5)).await;
    let a = send(
        &proxy,
        "POST",
        &resend_path(0, "ODR1"),
        Some(TOKEN),
        Some(&valid_body(0)),
    )
    .await;
    assert_eq!(a.status, 502);
    assert!(String::from_utf8_lossy(&a.body).contains("unreachable"));
    let report = proxy.shutdown().await;
    let case = &report.cases[0];
    assert_eq!(case.outcome, Outcome::Failed);
    assert!(case.id.ends_with("no answer"), "{}", case.id);
    assert!(
        case.reason.as_deref().unwrap().contains("unreachable"),
        "{:?}",
        case.reason
    );
    assert!(!all_text(&report).contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_target_gives_504_after_the_timeout() {
    let app = Router::new().fallback(|| async {
        std::future::pending::<()>().await;
        "never"
    });
    let url = serve(app).await;
    let proxy = proxy_to(&url, |c| c.timeout = Duration::from_millis(300)).await;
    let a = send(
        &proxy,
        "POST",
        &resend_path(0, "ODR1"),
        Some(TOKEN),
        Some(&valid_body(0)),
    )
    .await;
    assert_eq!(a.status, 504);
    let report = proxy.shutdown().await;
    assert!(
        report.cases[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("did not answer"),
        "{:?}",
        report.cases[0].reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_the_bound_is_forwarded_whole_and_not_validated() {
    let big = format!("{{\"message\":\"{}\"}}", "x".repeat(200_000));
    let answer = big.clone();
    let app = Router::new().fallback(move || {
        let a = answer.clone();
        async move {
            (
                StatusCode::ACCEPTED,
                [(header::CONTENT_TYPE, "application/json")],
                a,
            )
        }
    });
    let url = serve(app).await;
    let proxy = proxy_to(&url, |c| c.body_limit = 1024).await;
    let a = send(
        &proxy,
        "POST",
        &resend_path(0, "ODR1"),
        Some(TOKEN),
        Some(&valid_body(0)),
    )
    .await;
    assert_eq!(a.body.len(), big.len());
    assert_eq!(a.body, big.as_bytes());
    let report = proxy.shutdown().await;
    let text = all_text(&report);
    assert!(text.contains("not validated"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_reach_the_target_unchanged() {
    // The target answers with what it received.
    let app = Router::new().fallback(|req: Request| async move {
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        let headers: Vec<(String, String)> = parts
            .headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_str().unwrap().to_string()))
            .collect();
        let seen = json!({
            "method": parts.method.as_str(),
            "target": parts.uri.path_and_query().unwrap().as_str(),
            "headers": headers,
            "body": String::from_utf8_lossy(&bytes),
        });
        ([(header::CONTENT_TYPE, "application/json")], seen.to_string())
    });
    let url = serve(app).await;
    let proxy = proxy_to(&url, |_| {}).await;
    let body = "{\"any\": [1, 2, 3]}";
    let resp = client()
        .put(format!("{}/some/path%20x?q=1&r=%2F", proxy.url))
        .header("x-custom", "kept")
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let seen: Value = resp.json().await.unwrap();
    assert_eq!(seen["method"], "PUT");
    assert_eq!(seen["target"], "/some/path%20x?q=1&r=%2F");
    assert_eq!(seen["body"], body);
    let headers = seen["headers"].as_array().unwrap();
    let has = |n: &str, v: &str| headers.iter().any(|h| h[0] == n && h[1] == v);
    assert!(has("x-custom", "kept"), "{headers:?}");
    assert!(has("content-type", "application/json"), "{headers:?}");
    assert!(has("content-length", &body.len().to_string()), "{headers:?}");
    proxy.shutdown().await;
}

#[tokio::test]
async fn a_base_path_prefixes_every_request_and_host_names_the_target() {
    let app = Router::new().fallback(|req: Request| async move {
        let host = req
            .headers()
            .get(header::HOST)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let target = req.uri().path_and_query().unwrap().as_str().to_string();
        json!({ "host": host, "target": target }).to_string()
    });
    let url = serve(app).await;
    let proxy = proxy_to(&format!("{url}/base/"), |_| {}).await;
    let seen: Value = client()
        .get(format!("{}/some/path?q=1", proxy.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seen["target"], "/base/some/path?q=1");
    assert_eq!(seen["host"], url.trim_start_matches("http://"));
    proxy.shutdown().await;
}

/// A target that answers with the client port it saw, closing the connection after each
/// answer when `close` is set.
async fn peer_echo(close: bool) -> String {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let app = Router::new().fallback(move |ConnectInfo(peer): ConnectInfo<SocketAddr>| async move {
        let mut resp = Response::new(Body::from(peer.port().to_string()));
        if close {
            resp.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        resp
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    format!("http://{addr}")
}

async fn upstream_ports(proxy: &ProxyHandle, requests: usize) -> Vec<String> {
    // One client: its requests go one after the other on one kept-alive connection.
    let client = client();
    let mut ports = Vec::new();
    for _ in 0..requests {
        let resp = client.get(format!("{}/x", proxy.url)).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        ports.push(resp.text().await.unwrap());
    }
    ports
}

#[tokio::test]
async fn a_client_connection_keeps_one_upstream_connection() {
    let proxy = proxy_to(&peer_echo(false).await, |_| {}).await;
    let ports = upstream_ports(&proxy, 4).await;
    assert!(ports.iter().all(|p| *p == ports[0]), "{ports:?}");
    proxy.shutdown().await;
}

#[tokio::test]
async fn an_upstream_connection_the_target_closed_is_opened_again() {
    let proxy = proxy_to(&peer_echo(true).await, |_| {}).await;
    let ports = upstream_ports(&proxy, 4).await;
    let mut distinct = ports.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4, "{ports:?}");
    let report = proxy.shutdown().await;
    assert!(!all_text(&report).contains("unreachable"));
}

/// An answer longer than the bound streams on after its exchange; the client connection's
/// next request still goes out, on the same upstream connection, and gets its whole answer.
#[tokio::test]
async fn after_an_answer_streamed_past_the_bound_the_upstream_connection_is_reused() {
    use axum::extract::ConnectInfo;
    use std::net::SocketAddr;
    let app = Router::new().fallback(
        |ConnectInfo(peer): ConnectInfo<SocketAddr>, uri: axum::http::Uri| async move {
            let port = peer.port().to_string();
            if uri.path() == "/big" {
                format!("{port} {}", "x".repeat(100_000))
            } else {
                port
            }
        },
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    let proxy = proxy_to(&format!("http://{addr}"), |c| c.body_limit = 1024).await;
    let client = client();
    let mut ports = Vec::new();
    for path in ["/big", "/small", "/big", "/small"] {
        let resp = client.get(format!("{}{path}", proxy.url)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let text = resp.text().await.unwrap();
        let (port, rest) = text.split_once(' ').unwrap_or((&text, ""));
        assert_eq!(rest.len(), if path == "/big" { 100_000 } else { 0 }, "{path}");
        ports.push(port.to_string());
    }
    assert!(ports.iter().all(|p| *p == ports[0]), "{ports:?}");
    proxy.shutdown().await;
}
