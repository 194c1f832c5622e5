//! Targets that attack the report: they echo the token in every encoding, answer with huge
//! bodies, or put characters XML forbids in their answers. Reports stay free of the token,
//! small, and well-formed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::header;
use axum::response::Response;
use conformance::contract::Contract;
use conformance::report::{Format, RunReport};
use conformance::runner::{self, Options, Session, Target};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

/// A token with characters that JSON, XML and URLs all escape.
const TOKEN: &str = "Abc\"Def\\Ghi/Jkl+Mno=Pqr&Stu~Vwx<12>";

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{addr}")
}

async fn run(router: Router, token: &str, only: Option<&str>) -> RunReport {
    let mut target = Target::new(serve(router).await, token);
    target.fixtures = runner::embedded::config(Contract::embedded()).fixtures;
    let opts = Options {
        timeout: Duration::from_secs(10),
        ..Options::default()
    };
    let session = Session::open(target, opts).await.expect("the server answers");
    session.run(&runner::select(Contract::embedded(), only)).await
}

fn answer(status: u16, content_type: &str, body: impl Into<Body>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, content_type)
        .body(body.into())
        .unwrap()
}

/// Every form a 12-character run of `token` can take in a report.
fn leaks(token: &str) -> Vec<String> {
    let chars: Vec<char> = token.chars().collect();
    let mut out = Vec::new();
    for w in chars.windows(12) {
        let w: String = w.iter().collect();
        let json = serde_json::to_string(&w).unwrap();
        let xml = w
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&apos;");
        let xml_json = json[1..json.len() - 1]
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;");
        out.extend([
            w.clone(),
            json[1..json.len() - 1].to_string(),
            xml,
            xml_json,
            utf8_percent_encode(&w, NON_ALPHANUMERIC).to_string(),
        ]);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_echoed_token_leaves_no_fragment_in_any_report() {
    let turn = Arc::new(AtomicUsize::new(0));
    let app = Router::new().fallback(move |req: Request| {
        let turn = turn.clone();
        async move {
            let auth = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            if req.uri().path().starts_with("/__mock") {
                return answer(404, "text/plain", "no");
            }
            let json = serde_json::to_string(&auth).unwrap();
            let pct = utf8_percent_encode(&auth, NON_ALPHANUMERIC).to_string();
            // The excerpt ends one character before the end of the token.
            let cut = conformance::runner::checks::EXCERPT_BYTES - auth.len() + 1;
            match turn.fetch_add(1, Ordering::SeqCst) % 5 {
                0 => answer(
                    404,
                    "text/html",
                    format!("<html>{}{auth}</html>", "x".repeat(cut - 6)),
                ),
                1 => answer(
                    404,
                    "application/json",
                    format!("{{\"echo\": {json}, \"link\": \"/?t={pct}\""),
                ),
                2 => answer(
                    404,
                    "application/json",
                    serde_json::json!({"message": auth}).to_string(),
                ),
                3 => answer(
                    200,
                    "application/json",
                    serde_json::json!({auth.clone(): {"url": pct}}).to_string(),
                ),
                _ => answer(500, "text/plain", format!("{}{json}", "y".repeat(cut))),
            }
        }
    });
    let report = run(app, TOKEN, None).await;
    assert!(report.summary().failed > 5);
    let leaks = leaks(TOKEN);
    for format in [Format::Human, Format::Json, Format::Junit] {
        let text = report.render(format, false);
        for l in &leaks {
            assert!(
                !text.contains(l.as_str()),
                "{format:?} report holds `{l}`:\n{text}"
            );
        }
        assert!(text.contains("$FRONTPAYMENT_TOKEN"), "{format:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_failing_body_is_quoted_in_bounded_excerpts() {
    // Every answer is 404 with a 0.9 MB JSON body that lacks every required field, and a
    // non-JSON 0.9 MB body for 500s.
    let big = serde_json::json!({"padding": "x".repeat(900_000), "list": vec![0; 20_000]}).to_string();
    assert!(big.len() > 900_000);
    let app = Router::new().fallback(move |req: Request| {
        let big = big.clone();
        async move {
            if req.uri().path().contains("reservations") && req.method() == "POST" {
                answer(500, "text/plain", "z".repeat(900_000))
            } else {
                answer(404, "application/json", big)
            }
        }
    });
    let report = run(app, "t0ken", None).await;
    assert!(report.summary().failed > 10);
    let json = report.render(Format::Json, false);
    // Each failing case may quote a few KiB; the body itself is never copied.
    let bound = report.cases.len() * 64 * 1024;
    assert!(json.len() < bound, "{} bytes of JSON report", json.len());
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    for case in v["cases"].as_array().unwrap() {
        let failures = case["failures"].as_array().unwrap();
        assert!(failures.len() <= 21, "{}", case["id"]);
        assert!(case.to_string().len() < 64 * 1024, "{}", case["id"]);
    }
    let human = report.render(Format::Human, false);
    assert!(human.len() < bound, "{} bytes of human report", human.len());
    assert!(
        human.contains("bytes, starts with"),
        "{}",
        &human[..2000.min(human.len())]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn characters_xml_forbids_leave_the_junit_report_well_formed() {
    let app = Router::new().fallback(|req: Request| async move {
        let odd = "odd \u{FFFF} \u{FFFE} \u{1} \u{1b}[31m \u{0} end";
        if req.uri().path().contains("orders") {
            answer(
                404,
                "application/json",
                serde_json::json!({"message": odd, odd: 1}).to_string(),
            )
        } else {
            answer(404, "text/html", format!("<html>{odd}</html>"))
        }
    });
    let report = run(app, "t0ken", Some("NotFound")).await;
    assert_eq!(report.summary().failed, 2);
    let xml = report.render(Format::Junit, false);
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}:\n{xml}"));
    let failures: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    assert_eq!(failures.len(), 2, "{xml}");
    assert!(failures.iter().any(|t| t.contains("\\u{FFFF}")), "{xml}");
}
