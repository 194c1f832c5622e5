//! The suite catches broken servers: each server here is the embedded mock with exactly one
//! rule broken by a fault-injecting layer, and the run must fail on exactly the cases that rule
//! governs. The unmodified mock passes with zero failures. A few hand-rolled servers misbehave
//! on the wire (garbage, resets, HTML, huge bodies, hangs): the run still ends, with reasons.

use std::collections::BTreeSet;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use conformance::cases::Case;
use conformance::contract::Contract;
use conformance::mock;
use conformance::report::{Outcome, RunReport};
use conformance::runner::{self, Options, Session, Target};
use serde_json::Value;

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

fn mock_router() -> Router {
    mock::app(&runner::embedded::config(Contract::embedded()))
}

fn options(timeout_ms: u64) -> Options {
    Options {
        timeout: Duration::from_millis(timeout_ms),
        concurrency: 8,
        ..Options::default()
    }
}

async fn run_on(router: Router, cases: &[&'static Case]) -> RunReport {
    let url = serve(router).await;
    let mut target = Target::new(url, mock::DEFAULT_TOKEN);
    target.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
    let session = Session::open(target, options(2000))
        .await
        .expect("the server answers");
    session.run(cases).await
}

fn ids(report: &RunReport, outcome: Outcome) -> BTreeSet<String> {
    report
        .cases
        .iter()
        .filter(|c| c.outcome == outcome)
        .map(|c| c.id.clone())
        .collect()
}

/// Cases of the table that satisfy `pred` and that the mock can run (not skipped).
fn expected(report: &RunReport, pred: impl Fn(&Case) -> bool) -> BTreeSet<String> {
    let skipped = ids(report, Outcome::Skipped);
    conformance::cases::embedded()
        .iter()
        .filter(|c| pred(c) && !skipped.contains(&c.id))
        .map(|c| c.id.to_string())
        .collect()
}

/// Rewrites JSON response bodies with `f`, keeping status and headers.
async fn map_json(resp: Response, f: impl Fn(&mut Value)) -> Response {
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let Ok(mut v) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    f(&mut v);
    let mut parts = parts;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(v.to_string()))
}

fn is_api(req: &Request) -> bool {
    !req.uri().path().starts_with("/__mock")
}

async fn assert_fails_exactly(router: Router, pred: impl Fn(&Case) -> bool, why: &str) -> RunReport {
    let report = run_on(router, &runner::select(Contract::embedded(), None)).await;
    let want = expected(&report, pred);
    assert!(!want.is_empty(), "{why}: the fault governs no case");
    assert_eq!(ids(&report, Outcome::Failed), want, "{why}");
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_passes_every_case() {
    let report = run_on(mock_router(), &runner::select(Contract::embedded(), None)).await;
    let failed: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .collect();
    assert!(
        failed.is_empty(),
        "{}",
        report.render(conformance::report::Format::Human, false)
    );
    assert!(report.summary().passed > conformance::cases::embedded().len() / 2);
    // Resending leaves open resources open: a second run gives the same verdicts.
    let again = run_on(mock_router(), &runner::select(Contract::embedded(), None)).await;
    assert_eq!(ids(&again, Outcome::Passed), ids(&report, Outcome::Passed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_answered_with_200() {
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let mut resp = next.run(req).await;
        if resp.status() == StatusCode::NOT_FOUND {
            *resp.status_mut() = StatusCode::OK;
        }
        resp
    }));
    let r = assert_fails_exactly(app, |c| c.status == 404, "404 → 200").await;
    let f = &r
        .cases
        .iter()
        .find(|c| c.outcome == Outcome::Failed)
        .unwrap()
        .failures[0];
    assert_eq!(
        (f.check.as_str(), &f.expected, &f.actual),
        ("status", &Value::from(404), &Value::from(200))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_message_on_conflicts() {
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let resp = next.run(req).await;
        if resp.status() != StatusCode::BAD_REQUEST {
            return resp;
        }
        map_json(resp, |v| v["message"] = "orderAlreadyDone".into()).await
    }));
    let r = assert_fails_exactly(app, |c| c.status == 400, "wrong message").await;
    let failed = r.cases.iter().find(|c| c.outcome == Outcome::Failed).unwrap();
    assert!(
        failed
            .failures
            .iter()
            .any(|f| f.check == "exact" && f.pointer == "/message" && f.actual == "orderAlreadyDone")
    );
    assert!(failed.curl.as_deref().unwrap().contains("$FRONTPAYMENT_TOKEN"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn envelope_without_is_error() {
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let api = is_api(&req);
        let resp = next.run(req).await;
        if !api {
            return resp;
        }
        map_json(resp, |v| {
            if let Some(o) = v.as_object_mut() {
                o.shift_remove("is_error");
            }
        })
        .await
    }));
    let r = assert_fails_exactly(
        app,
        |c| c.exact.iter().any(|p| p == "/is_error"),
        "missing is_error",
    )
    .await;
    let failed = r.cases.iter().find(|c| c.outcome == Outcome::Failed).unwrap();
    assert!(
        failed.failures.iter().any(|f| f.check == "schema"),
        "{:?}",
        failed.failures
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_payload_accepted() {
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let mut resp = next.run(req).await;
        if resp.status().as_u16() == 417 {
            *resp.status_mut() = StatusCode::ACCEPTED;
        }
        resp
    }));
    assert_fails_exactly(app, |c| c.status == 417, "417 → 202").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paid_order_accepted() {
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let mut resp = next.run(req).await;
        if resp.status() == StatusCode::BAD_REQUEST {
            *resp.status_mut() = StatusCode::ACCEPTED;
        }
        resp
    }));
    assert_fails_exactly(app, |c| c.status == 400, "400 → 202").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_auth_check() {
    let app = mock_router().layer(middleware::from_fn(|mut req: Request, next: Next| async move {
        let valid = HeaderValue::from_str(&format!("Bearer {}", mock::DEFAULT_TOKEN)).unwrap();
        req.headers_mut().insert(header::AUTHORIZATION, valid);
        next.run(req).await
    }));
    assert_fails_exactly(
        app,
        |c| c.auth != conformance::cases::CaseAuth::Token,
        "no auth check",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_type() {
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let api = is_api(&req);
        let mut resp = next.run(req).await;
        if api {
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        }
        resp
    }));
    let r = assert_fails_exactly(app, |_| true, "text/plain").await;
    assert!(
        r.cases
            .iter()
            .filter(|c| c.outcome == Outcome::Failed)
            .all(|c| c.failures.iter().any(|f| f.check == "content-type"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_delivered_elsewhere() {
    // The outbox shows every email going to another address than the request named.
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let outbox = req.uri().path() == mock::OUTBOX_PATH;
        let resp = next.run(req).await;
        if !outbox {
            return resp;
        }
        map_json(resp, |v| {
            for d in v["deliveries"].as_array_mut().into_iter().flatten() {
                if d["channel"] == "email" {
                    d["to"] = "someone-else@example.org".into();
                }
            }
        })
        .await
    }));
    let r = assert_fails_exactly(
        app,
        |c| c.status == 202 && c.auth == conformance::cases::CaseAuth::Token && c.body.contains("@"),
        "email to the wrong address",
    )
    .await;
    let f = &r
        .cases
        .iter()
        .find(|c| c.outcome == Outcome::Failed)
        .unwrap()
        .failures;
    assert!(f.iter().all(|f| f.check == "delivery"), "{f:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hanging_route_fails_its_cases_and_the_run_ends() {
    let hang_on = conformance::cases::embedded()
        .last()
        .unwrap()
        .path
        .split('{')
        .next()
        .unwrap()
        .to_string();
    let app = mock_router().layer(middleware::from_fn(move |req: Request, next: Next| {
        let hang = req.uri().path().starts_with(&hang_on);
        async move {
            if hang {
                std::future::pending::<()>().await;
            }
            next.run(req).await
        }
    }));
    let url = serve(app).await;
    let mut target = Target::new(url, mock::DEFAULT_TOKEN);
    target.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
    let session = Session::open(target, options(300)).await.unwrap();
    let hung_op = conformance::cases::embedded().last().unwrap().operation.clone();
    let report = session.run(&runner::select(Contract::embedded(), None)).await;
    let want = expected(&report, |c| c.operation == hung_op);
    assert_eq!(ids(&report, Outcome::Failed), want);
    let failed = report
        .cases
        .iter()
        .find(|c| c.outcome == Outcome::Failed)
        .unwrap();
    assert!(
        failed.reason.as_deref().unwrap().contains("timeout"),
        "{:?}",
        failed.reason
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_echoed_token_is_redacted() {
    let app = mock_router().layer(middleware::from_fn(|req: Request, next: Next| async move {
        let auth = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let api = is_api(&req);
        let resp = next.run(req).await;
        if !api || resp.status() != StatusCode::NOT_FOUND {
            return resp;
        }
        map_json(resp, move |v| v["message"] = auth.clone().into()).await
    }));
    let report = run_on(app, &runner::select(Contract::embedded(), Some("NotFound"))).await;
    assert_eq!(report.summary().failed, 2);
    for format in [
        conformance::report::Format::Human,
        conformance::report::Format::Json,
        conformance::report::Format::Junit,
    ] {
        let text = report.render(format, false);
        assert!(!text.contains(mock::DEFAULT_TOKEN), "{text}");
        assert!(text.contains("Bearer $FRONTPAYMENT_TOKEN"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limited_requests_are_retried() {
    let seen = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let app = mock_router().layer(middleware::from_fn(move |req: Request, next: Next| {
        let seen = seen.clone();
        async move {
            // Every other API call is refused once with 429 and a zero Retry-After.
            if is_api(&req)
                && seen
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
                    .is_multiple_of(2)
            {
                return Response::builder()
                    .status(429)
                    .header("retry-after", "0")
                    .header("x-ratelimit-remaining", "0")
                    .header("x-ratelimit-limit", "600")
                    .body(Body::from("{}"))
                    .unwrap();
            }
            next.run(req).await
        }
    }));
    let report = run_on(app, &runner::select(Contract::embedded(), Some("orderNotFound"))).await;
    assert_eq!(
        report.summary().passed,
        2,
        "{}",
        report.render(conformance::report::Format::Human, false)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_in_flight_never_exceed_the_concurrency() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let (now, max) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let (n, m) = (now.clone(), max.clone());
    let app = mock_router().layer(middleware::from_fn(move |req: Request, next: Next| {
        let (now, max) = (n.clone(), m.clone());
        async move {
            let api = is_api(&req);
            if api {
                let in_flight = now.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(in_flight, Ordering::SeqCst);
                // Hold the request a moment, so that requests overlap if they can.
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let resp = next.run(req).await;
            if api {
                now.fetch_sub(1, Ordering::SeqCst);
            }
            resp
        }
    }));
    let url = serve(app).await;
    let mut target = Target::new(url, mock::DEFAULT_TOKEN);
    target.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
    let opts = Options {
        timeout: Duration::from_secs(5),
        concurrency: 3,
        ..Options::default()
    };
    let report = Session::open(target, opts)
        .await
        .unwrap()
        .run(&runner::select(Contract::embedded(), Some("invalid")))
        .await;
    assert_eq!(report.summary().failed, 0);
    let seen = max.load(Ordering::SeqCst);
    assert!((1..=3).contains(&seen), "{seen} requests in flight");
}

/// Servers that misbehave on the wire: each case fails with a reason, and the run ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wire_faults_fail_cases_with_reasons() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let cases = runner::select(Contract::embedded(), Some("orderNotFound"));
    let fixtures_target = |url: String| {
        let mut t = Target::new(url, mock::DEFAULT_TOKEN);
        t.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
        t
    };
    // Garbage instead of HTTP, then the connection closes.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf).await;
                let _ = s.write_all(b"\x00\x01garbage\r\n\r\n").await;
            });
        }
    });
    let session = Session::open(fixtures_target(url), options(1000)).await.unwrap();
    let r = session.run(&cases).await;
    assert!(
        r.cases
            .iter()
            .all(|c| c.outcome == Outcome::Failed && c.reason.is_some()),
        "{r:?}"
    );

    // HTML error pages and bodies over the cap.
    let app = Router::new().fallback(|req: Request| async move {
        if req.uri().path().contains("reservations") {
            Response::builder()
                .status(404)
                .header("content-type", "application/json")
                .body(Body::from(vec![b' '; 3 << 20]))
                .unwrap()
        } else {
            Response::builder()
                .status(404)
                .header("content-type", "text/html")
                .body(Body::from("<html><body>Not Found</body></html>"))
                .unwrap()
        }
    });
    let url = serve(app).await;
    let session = Session::open(fixtures_target(url), options(2000)).await.unwrap();
    let r = session.run(&cases).await;
    let reasons: Vec<String> = r
        .cases
        .iter()
        .flat_map(|c| c.failures.iter().map(|f| format!("{}: {}", f.check, f.actual)))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("body:") && r.contains("HTML")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r.contains("body too large")),
        "{reasons:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_target_is_one_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = Session::open(Target::new(url.clone(), "t"), options(1000))
        .await
        .err()
        .unwrap();
    assert!(matches!(err, runner::RunError::Unreachable { .. }), "{err}");
    assert!(err.to_string().starts_with(&format!("cannot reach {url}")));
}

/// The mock, with rate-limit headers added to every API answer.
fn rate_limited_mock(remaining: &'static str, limit: &'static str) -> Router {
    mock_router().layer(middleware::from_fn(move |req: Request, next: Next| async move {
        let api = is_api(&req);
        let mut resp = next.run(req).await;
        if api {
            let h = resp.headers_mut();
            h.insert("x-ratelimit-remaining", HeaderValue::from_static(remaining));
            h.insert("x-ratelimit-limit", HeaderValue::from_static(limit));
        }
        resp
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_rate_limit_numbers_do_not_panic() {
    for limit in [
        "4294967296",
        "18446744073709551615",
        "99999999999999999999999",
        "0",
    ] {
        let report = run_on(
            rate_limited_mock("0", limit),
            &runner::select(Contract::embedded(), Some("orderNotFound")),
        )
        .await;
        assert_eq!(report.summary().passed, 2, "limit {limit}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_waits_are_capped_and_the_run_stops_at_its_time_limit() {
    // `limit: 1` with nothing remaining asks for two minutes between requests: the pause is cut
    // to the cap, and a turn that would come after the run's deadline is not taken.
    let url = serve(rate_limited_mock("0", "1")).await;
    let mut target = Target::new(url, mock::DEFAULT_TOKEN);
    target.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
    let opts = Options {
        timeout: Duration::from_secs(5),
        concurrency: 1,
        max_duration: runner::http::MAX_WAIT / 2,
        ..Options::default()
    };
    let report = Session::open(target, opts)
        .await
        .unwrap()
        .run(&runner::select(Contract::embedded(), Some("NotFound")))
        .await;
    assert_eq!(report.summary().passed, 1, "{report:?}");
    assert_eq!(report.summary().skipped, 1, "{report:?}");
    assert!(runner::was_cut_short(&report));
    let skipped = report
        .cases
        .iter()
        .find(|c| c.outcome == Outcome::Skipped)
        .unwrap();
    assert!(skipped.reason.as_deref().unwrap().starts_with(runner::NOT_RUN));
    let human = report.render(conformance::report::Format::Human, false);
    assert!(human.contains("--max-duration"), "{human}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hanging_server_cannot_outlast_the_run_time_limit() {
    let app = Router::new().fallback(std::future::pending::<Response>);
    let url = serve(app).await;
    let mut target = Target::new(url, mock::DEFAULT_TOKEN);
    target.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
    let opts = Options {
        // Each exchange could wait an hour; the run's limit stops them all.
        timeout: Duration::from_secs(3600),
        max_duration: Duration::from_millis(500),
        ..Options::default()
    };
    let session = Session::open(target, opts).await.unwrap();
    let report = session
        .run(&runner::select(Contract::embedded(), Some("NotFound")))
        .await;
    assert_eq!(report.summary().skipped, report.cases.len());
    assert!(runner::was_cut_short(&report));
}
