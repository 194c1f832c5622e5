//! `conformance validate`: output forms and exit codes (0 valid, 1 invalid, 2 unreadable).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const OP: &str = "resendOrderPaymentLink";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn validate(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("validate")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The command may exit (usage error, file argument) without reading its input.
    let _ = input.write_all(stdin.unwrap_or("").as_bytes());
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn valid_request_file_exits_0() {
    let file = root().join("spec/samples/valid/sms-and-email.json");
    let o = validate(&["--operation", OP, "--request", file.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    assert!(
        text(&o)
            .0
            .contains("valid request body of resendOrderPaymentLink")
    );
}

#[test]
fn invalid_request_prints_pointer_message_and_rule() {
    let o = validate(
        &["--operation", OP, "--request", "-"],
        Some(r#"{"countryCode": "+47", "msisdn": "4000abcd"}"#),
    );
    assert_eq!(o.status.code(), Some(1));
    let (out, _) = text(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("/msisdn: "))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains("(rule: /components/schemas/ResendRequest/properties/msisdn/"),
        "{line}"
    );
}

#[test]
fn json_format_lists_each_error() {
    let body = r#"{"status_code": 404, "status_message": "Not Found", "message": "reservationNotFound", "errors": null}"#;
    let o = validate(
        &["--operation", OP, "--response", "404", "--format", "json"],
        Some(body),
    );
    assert_eq!(o.status.code(), Some(1));
    let report: Value = serde_json::from_str(&text(&o).0).unwrap();
    assert_eq!(report["valid"], false);
    let errors = report["errors"].as_array().unwrap();
    let find = |kw: &str| {
        errors
            .iter()
            .find(|e| e["keyword"] == kw)
            .unwrap_or_else(|| panic!("{report}"))
    };
    let missing = find("required");
    assert_eq!(missing["pointer"], "");
    assert_eq!(
        missing["schema_pointer"],
        "/components/schemas/NotFoundResponse/required"
    );
    assert!(missing["message"].as_str().unwrap().contains("is_error"));
    let outside = find("enum");
    assert_eq!(outside["pointer"], "/message");
    assert_eq!(
        outside["schema_pointer"],
        "/components/schemas/NotFoundResponse/properties/message/enum"
    );
    assert_eq!(errors.len(), 2, "{report}");
}

#[test]
fn documented_error_body_is_valid_in_json_form() {
    let body = r#"{"status_code": 417, "status_message": "Client Error", "message": "payloadValidationErrors",
                   "is_error": true, "errors": {"email": ["The email field is required."]}}"#;
    let o = validate(
        &["--operation", OP, "--response", "417", "--format", "json"],
        Some(body),
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        serde_json::from_str::<Value>(&text(&o).0).unwrap(),
        serde_json::json!({"valid": true, "errors": []})
    );
}

#[test]
fn unreadable_input_exits_2() {
    for (args, stdin, says) in [
        (
            vec!["--operation", OP, "--request", "-"],
            Some("{\"email\": "),
            "not valid JSON",
        ),
        (vec!["--operation", OP, "--request"], Some(""), "not valid JSON"),
        (
            vec!["--operation", OP, "--request", "/nonexistent/body.json"],
            None,
            "cannot read /nonexistent/body.json",
        ),
    ] {
        let o = validate(&args, stdin);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(text(&o).1.contains(says), "{args:?}: {}", text(&o).1);
        assert!(text(&o).0.is_empty());
    }
}

#[test]
fn unknown_operation_or_status_exits_2_listing_known_ones() {
    let o = validate(&["--operation", "resendOrder", "--request"], Some("{}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("known operations: resendOrderPaymentLink, resendReservationPaymentLink")
    );

    let o = validate(&["--operation", OP, "--response", "200"], Some("{}"));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o)
            .1
            .contains("documented statuses: 202, 400, 401, 404, 417, 510"),
        "{}",
        text(&o).1
    );
}

#[test]
fn request_or_response_is_required_and_exclusive() {
    assert_eq!(validate(&["--operation", OP], None).status.code(), Some(2));
    assert_eq!(
        validate(&["--operation", OP, "--request", "--response", "202"], None)
            .status
            .code(),
        Some(2)
    );
}
