//! The client against a local HTTP server (wiremock on 127.0.0.1): every documented response
//! example of the spec decodes to the variant of its status, undocumented statuses and bad
//! bodies keep the body, the token is sent and never printed.

use std::time::Duration;

use codegen::ir::Api;
use frontpay_client::types::*;
use frontpay_client::*;
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
const TOKEN: &str = "test-token-5f1c2e";

fn api() -> Api {
    let spec = codegen::Spec::load(SPEC).unwrap_or_else(|d| panic!("{d}"));
    codegen::spec::check::check(&spec).unwrap_or_else(|d| panic!("{d}"))
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token(TOKEN)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

fn order() -> OrderId {
    OrderId::new("ODR123456789").unwrap()
}

fn reservation() -> ReservationId {
    ReservationId::new("RES123456789").unwrap()
}

fn email_request() -> ResendRequest {
    ResendRequest::new_email(EmailAddress::new("example-email@email.com").unwrap())
}

/// What a call came back as: the variant's name, its status, and the rate-limit budget.
#[derive(Debug, PartialEq)]
struct Outcome {
    variant: &'static str,
    status: Option<u16>,
    remaining: Option<u64>,
}

macro_rules! classify {
    ($result:expr, $err:ident, $conflict:ident) => {
        match $result {
            Ok(v) => Outcome {
                variant: "Ok",
                status: Some(v.status().as_u16()),
                remaining: v.x_ratelimit_remaining(),
            },
            Err(e) => {
                let status = e.status().map(|s| s.as_u16());
                let (variant, remaining) = match &e {
                    $err::$conflict(v) => {
                        assert!(
                            v.body().message.is_known(),
                            "documented conflict message decodes to a known reason"
                        );
                        ("Conflict", v.x_ratelimit_remaining())
                    }
                    $err::Unauthenticated(v) => ("Unauthenticated", v.x_ratelimit_remaining()),
                    $err::NotFound(v) => ("NotFound", v.x_ratelimit_remaining()),
                    $err::PayloadInvalid(v) => ("PayloadInvalid", v.x_ratelimit_remaining()),
                    $err::ExecutionFailed(v) => ("ExecutionFailed", v.x_ratelimit_remaining()),
                    $err::Other(Error::Unexpected { .. }) => ("Unexpected", None),
                    $err::Other(Error::Transport(_)) => ("Transport", None),
                    $err::Other(Error::Decode { .. }) => ("Decode", None),
                    $err::Other(other) => panic!("a new runtime error: {other:?}"),
                };
                Outcome {
                    variant,
                    status,
                    remaining,
                }
            }
        }
    };
}

fn expected_variant(status: u16) -> &'static str {
    match status {
        202 => "Ok",
        400 => "Conflict",
        401 => "Unauthenticated",
        404 => "NotFound",
        417 => "PayloadInvalid",
        510 => "ExecutionFailed",
        other => panic!("the spec documents status {other}, which this test does not know: extend it"),
    }
}

async fn call(server: &MockServer, op: &str) -> Outcome {
    let c = client(server);
    match op {
        "resendOrderPaymentLink" => classify!(
            c.resend_order_payment_link(&order(), &email_request()).await,
            ResendOrderPaymentLinkError,
            OrderConflict
        ),
        "resendReservationPaymentLink" => classify!(
            c.resend_reservation_payment_link(&reservation(), &email_request())
                .await,
            ResendReservationPaymentLinkError,
            ReservationConflict
        ),
        other => panic!("operation {other} is new: add it to this test"),
    }
}

#[tokio::test]
async fn every_documented_example_decodes_to_the_variant_of_its_status() {
    let api = api();
    let server = MockServer::start().await;
    let mut seen = 0;
    for op in &api.operations {
        for resp in &op.responses {
            for ex in &resp.examples {
                server.reset().await;
                Mock::given(method(op.method.as_str()))
                    .respond_with(
                        ResponseTemplate::new(resp.status)
                            .set_body_json(&ex.value)
                            .insert_header("x-ratelimit-limit", "240")
                            .insert_header("x-ratelimit-remaining", "239"),
                    )
                    .expect(1)
                    .mount(&server)
                    .await;
                let got = call(&server, &op.id).await;
                let want = Outcome {
                    variant: expected_variant(resp.status),
                    status: Some(resp.status),
                    remaining: Some(239),
                };
                assert_eq!(got, want, "{} example `{}`", op.id, ex.name);
                seen += 1;
            }
        }
    }
    assert!(seen >= 12, "only {seen} examples were replayed");
}

#[tokio::test]
async fn request_is_sent_to_the_path_with_the_bearer_token_and_the_wire_format() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/connect/orders/resend/ODR123456789"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(header("content-type", "application/json"))
        .and(body_json(
            json!({"countryCode": "+47", "msisdn": "40000000", "email": null}),
        ))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({
            "status_code": 202, "status_message": "OK", "message": "resentOrderSuccessfully",
            "is_data": true, "data": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let body = ResendRequest::new_sms(CountryCode::new("+47").unwrap(), Msisdn::new("40000000").unwrap());
    let ok = client(&server)
        .resend_order_payment_link(&order(), &body)
        .await
        .expect("202");
    assert_eq!(ok.status().as_u16(), 202);
    assert_eq!(
        ok.body().message,
        ResendAcceptedResponseMessage::ResentOrderSuccessfully
    );
    assert_eq!(ok.x_ratelimit_limit(), None, "absent headers read as None");
}

#[tokio::test]
async fn path_parameters_fill_the_path_template() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/connect/reservations/resend/RES-1_a"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "status_code": 404, "status_message": "Not Found", "message": "orderNotFound",
            "is_error": false, "errors": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let id = ReservationId::new("RES-1_a").unwrap();
    let err = client(&server)
        .resend_reservation_payment_link(&id, &email_request())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ResendReservationPaymentLinkError::NotFound(_)),
        "{err:?}"
    );
}

#[tokio::test]
async fn undocumented_status_is_unexpected_with_the_body_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(418)
                .set_body_string("I'm a teapot")
                .insert_header("x-ratelimit-remaining", "7"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    match &err {
        ResendOrderPaymentLinkError::Other(Error::Unexpected {
            status,
            headers,
            body,
        }) => {
            assert_eq!(status.as_u16(), 418);
            assert_eq!(&body[..], b"I'm a teapot");
            assert_eq!(headers.get("x-ratelimit-remaining").unwrap(), "7");
        }
        other => panic!("expected Unexpected, got {other:?}"),
    }
    // Says what arrived, not the undocumented body (it may hold personal data).
    assert_eq!(
        err.to_string(),
        "undocumented status 418 I'm a teapot (12-byte text/plain body)"
    );
}

#[tokio::test]
async fn non_json_body_on_a_documented_status_is_a_decode_error_with_the_body_kept() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_body_string("<html>gateway</html>"))
        .mount(&server)
        .await;
    let err = client(&server)
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    match &err {
        ResendOrderPaymentLinkError::Other(Error::Decode { status, body, .. }) => {
            assert_eq!(status.as_u16(), 202);
            assert_eq!(&body[..], b"<html>gateway</html>");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error_not_a_guess() {
    // A 404 body on a 400 status: keyed by status, so it must not decode as NotFound.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"message": 17})))
        .mount(&server)
        .await;
    let err = client(&server)
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ResendOrderPaymentLinkError::Other(Error::Decode { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn unlisted_conflict_message_is_kept_as_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status_code": 400, "status_message": "Conflict of Business Logic",
            "message": "orderStatusAlreadyRefunded", "is_error": false, "errors": null
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    match err {
        ResendOrderPaymentLinkError::OrderConflict(v) => {
            assert_eq!(
                v.body().message,
                OrderConflictResponseMessage::Unknown("orderStatusAlreadyRefunded".to_string())
            );
            assert_eq!(v.body().message.as_str(), "orderStatusAlreadyRefunded");
        }
        other => panic!("expected OrderConflict, got {other:?}"),
    }
}

/// A documented error says what the response said (its documented code), not only what the
/// spec says the status means; the other variants say what arrived.
#[tokio::test]
async fn error_messages_say_what_the_response_said() {
    let server = MockServer::start().await;
    for (status, message) in [
        (400, "orderStatusAlreadyPaid"),
        (400, "orderStatusAlreadyCancelled"),
        (404, "orderNotFound"),
        (417, "payloadValidationErrors"),
        (510, "Something Went Wrong"),
    ] {
        server.reset().await;
        let errors = match status {
            417 => json!({"email": ["Required."]}),
            510 => json!(["smtp down"]),
            _ => Value::Null,
        };
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "status_code": status, "status_message": "x", "message": message,
                "is_error": true, "errors": errors
            })))
            .mount(&server)
            .await;
        let err = client(&server)
            .resend_order_payment_link(&order(), &email_request())
            .await
            .unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with(&status.to_string()) && shown.contains(&format!("message `{message}`")),
            "{status}: {shown}"
        );
    }
    // The conflict's two messages give two different texts.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status_code": 400, "status_message": "Conflict of Business Logic",
            "message": "orderStatusAlreadyPaid", "is_error": false, "errors": null
        })))
        .mount(&server)
        .await;
    let paid = client(&server)
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        paid.contains("orderStatusAlreadyPaid") && !paid.contains("Cancelled"),
        "{paid}"
    );
    // Decode errors name the status and the body's size, and the decode failure.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_string("nope"))
        .mount(&server)
        .await;
    let err = client(&server)
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("status 404 Not Found: the 4-byte body does not match"),
        "{err}"
    );
}

#[tokio::test]
async fn validation_errors_keep_the_per_field_messages() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(417).set_body_json(json!({
            "status_code": 417, "status_message": "Client Error", "message": "payloadValidationErrors",
            "is_error": true, "errors": {"email": ["The email field is required."], "msisdn": ["Too short.", "Digits only."]}
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    let ResendOrderPaymentLinkError::PayloadInvalid(v) = err else {
        panic!("expected PayloadInvalid")
    };
    match &v.body().errors {
        ErrorDetails::ByField(map) => {
            assert_eq!(map["msisdn"], ["Too short.", "Digits only."]);
            assert_eq!(map.len(), 2);
        }
        other => panic!("expected per-field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn server_failure_with_a_list_of_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(510).set_body_json(json!({
            "status_code": 510, "status_message": "Execution Exception Occurred",
            "message": "Something Went Wrong", "is_error": true, "errors": ["smtp down"]
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .resend_reservation_payment_link(&reservation(), &email_request())
        .await
        .unwrap_err();
    let ResendReservationPaymentLinkError::ExecutionFailed(v) = err else {
        panic!("expected ExecutionFailed")
    };
    assert_eq!(v.body().errors, ErrorDetails::List(vec![json!("smtp down")]));
    assert_eq!(v.status().as_u16(), 510);
}

#[tokio::test]
async fn no_response_is_a_transport_error() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let err = c
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ResendOrderPaymentLinkError::Other(Error::Transport(_))),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    assert!(err.headers().is_none());
}

#[tokio::test]
async fn the_timeout_applies_per_request_and_nothing_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(202).set_delay(Duration::from_secs(5)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server).with_timeout(Duration::from_millis(200));
    let err = c
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    match &err {
        ResendOrderPaymentLinkError::Other(Error::Transport(e)) => assert!(e.is_timeout(), "{e}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    // `expect(1)` is verified when the server drops: exactly one request, no retry.
}

#[tokio::test]
async fn user_agent_is_sent() {
    let server = MockServer::start().await;
    Mock::given(header("user-agent", "my-app/1.0"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "status_code": 404, "status_message": "Not Found", "message": "orderNotFound",
            "is_error": false, "errors": null
        })))
        .expect(1)
        .mount(&server)
        .await;
    let c = Client::builder()
        .base_url(server.uri())
        .user_agent("my-app/1.0")
        .build()
        .unwrap();
    let err = c
        .resend_order_payment_link(&order(), &email_request())
        .await
        .unwrap_err();
    assert!(matches!(err, ResendOrderPaymentLinkError::NotFound(_)));
}

#[test]
fn the_token_and_personal_data_are_never_printed() {
    let builder = Client::builder().bearer_token(TOKEN);
    let shown = format!("{builder:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    let c = builder.build().unwrap();
    let shown = format!("{c:?}");
    assert!(!shown.contains(TOKEN), "{shown}");
    assert!(shown.contains("<redacted>"));
    let body = ResendRequest::new_sms_and_email(
        CountryCode::new("+47").unwrap(),
        Msisdn::new("40000000").unwrap(),
        EmailAddress::new("someone@example.com").unwrap(),
    );
    let shown = format!("{body:?} {:?} {:?}", body.msisdn(), body.email());
    assert!(
        !shown.contains("40000000") && !shown.contains("someone@"),
        "{shown}"
    );
    assert!(shown.contains("+47"), "non-personal fields stay visible: {shown}");
}

#[test]
fn the_default_base_url_is_the_first_server_of_the_spec() {
    let api = api();
    assert_eq!(DEFAULT_BASE_URL, api.servers[0].url);
    assert_eq!(Client::builder().build().unwrap().base_url(), api.servers[0].url);
    assert_eq!(SERVERS.len(), api.servers.len());
}

#[test]
fn bad_settings_are_errors_not_panics() {
    for url in ["not a url", "ftp://example.com", "mailto:x@example.com"] {
        let e = Client::builder().base_url(url).build().unwrap_err();
        assert!(matches!(e, BuildError::InvalidBaseUrl { .. }), "{url}: {e}");
    }
    let e = Client::builder().bearer_token("line\nbreak").build().unwrap_err();
    assert!(matches!(e, BuildError::InvalidToken));
    assert!(!e.to_string().contains("line"));
    let any = Client::builder()
        .base_url("http://10.1.2.3:8080/prefix/")
        .build()
        .unwrap();
    assert_eq!(any.base_url(), "http://10.1.2.3:8080/prefix");
}

#[test]
fn response_values_expose_status_headers_and_body() {
    let v: Value = json!({"status_code": 202, "status_message": "OK", "message": "somethingNew", "is_data": true, "data": null});
    let body: ResendAcceptedResponse = serde_json::from_value(v).unwrap();
    assert_eq!(
        body.message,
        ResendAcceptedResponseMessage::Unknown("somethingNew".into())
    );
    assert!(!body.message.is_known());
}
