//! Snapshots of the three report formats for a fixed run (no clock, no port).

use std::time::Duration;

use conformance::report::{CaseResult, Failure, Format, Outcome, RunReport};
use serde_json::json;

fn sample() -> RunReport {
    let case = |id: &str, outcome, failures: Vec<Failure>, reason: Option<&str>| {
        CaseResult {
        id: id.to_string(),
        operation: id.split('/').next().unwrap().to_string(),
        outcome,
        failures,
        reason: reason.map(str::to_string),
        curl: (outcome == Outcome::Failed).then(|| {
            format!("curl -sS -i -X POST 'http://127.0.0.1:PORT/x/{id}' -H \"Authorization: Bearer $FRONTPAYMENT_TOKEN\" --data-raw '{{}}'")
        }),
        duration: Duration::from_millis(3),
    }
    };
    RunReport {
        target: "http://127.0.0.1:PORT".into(),
        duration: Duration::from_millis(42),
        cases: vec![
            case(
                "opA/resentOrderSuccessfully/emailOnly",
                Outcome::Passed,
                vec![],
                None,
            ),
            case(
                "opA/orderNotFound",
                Outcome::Failed,
                vec![
                    Failure::new("exact", "/message", "orderNotFound", "nope"),
                    Failure::new("schema", "/message", "valid against /enum", "nope"),
                ],
                None,
            ),
            case(
                "opA/somethingWentWrong",
                Outcome::Skipped,
                vec![],
                Some("no `failing` fixture for orders"),
            ),
            case(
                "opB/unauthenticated/none",
                Outcome::Failed,
                vec![Failure::new("status", "", "401 or 403", 202)],
                None,
            ),
            case(
                "opB/invalid/all-null",
                Outcome::Failed,
                vec![Failure::new(
                    "delivery",
                    "",
                    json!([]),
                    json!([{"channel": "email", "to": "a@b.no", "id": "RES1"}]),
                )],
                None,
            ),
        ],
    }
}

#[test]
fn human_report() {
    insta::assert_snapshot!(sample().render(Format::Human, false));
}

#[test]
fn human_report_colours_only_when_asked() {
    assert!(!sample().render(Format::Human, false).contains('\u{1b}'));
    assert!(sample().render(Format::Human, true).contains('\u{1b}'));
}

#[test]
fn json_report() {
    let text = sample().render(Format::Json, false);
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["summary"],
        json!({"total": 5, "passed": 1, "failed": 3, "skipped": 1})
    );
    insta::assert_snapshot!(text);
}

#[test]
fn junit_report() {
    let text = sample().render(Format::Junit, false);
    // Durations vary in real runs; here they are fixed, but keep the snapshot free of them anyway.
    let text = regex_free_times(&text);
    insta::assert_snapshot!(text);
}

fn regex_free_times(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("time=\"") {
        out.push_str(&rest[..at + 6]);
        let after = &rest[at + 6..];
        let end = after.find('"').unwrap_or(0);
        out.push_str("[time]");
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}
