//! Each call runs in a `tracing` span named after its operationId, which records the status;
//! nothing traced carries the token or personal data.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use frontpay_client::Client;
use frontpay_client::types::*;
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::method};

const TOKEN: &str = "tok-never-printed-81d2";
const EMAIL: &str = "private.person@example.com";

/// Remembers span names and every field value recorded anywhere.
#[derive(Default, Clone)]
struct Recorder {
    spans: Arc<Mutex<Vec<String>>>,
    values: Arc<Mutex<Vec<String>>>,
    next: Arc<AtomicU64>,
}

struct Collect<'a>(&'a Mutex<Vec<String>>);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.lock().unwrap().push(format!("{}={value:?}", field.name()));
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.spans
            .lock()
            .unwrap()
            .push(span.metadata().name().to_string());
        span.record(&mut Collect(&self.values));
        Id::from_u64(self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Collect(&self.values));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        event.record(&mut Collect(&self.values));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[test]
fn each_call_runs_in_a_span_named_after_its_operation_id() {
    let recorder = Recorder::default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(recorder.clone(), || {
        rt.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(202).set_body_json(json!({
                    "status_code": 202, "status_message": "OK", "message": "resentOrderSuccessfully",
                    "is_data": true, "data": null
                })))
                .mount(&server)
                .await;
            let client = Client::builder()
                .base_url(server.uri())
                .bearer_token(TOKEN)
                .build()
                .unwrap();
            let body = ResendRequest::new_email(EmailAddress::new(EMAIL).unwrap());
            client
                .resend_order_payment_link(&OrderId::new("ODR1").unwrap(), &body)
                .await
                .unwrap();
            client
                .resend_reservation_payment_link(&ReservationId::new("RES1").unwrap(), &body)
                .await
                .unwrap();
        })
    });
    let spans = recorder.spans.lock().unwrap().clone();
    for name in ["resendOrderPaymentLink", "resendReservationPaymentLink"] {
        assert_eq!(spans.iter().filter(|s| *s == name).count(), 1, "{spans:?}");
    }
    let values = recorder.values.lock().unwrap().clone();
    assert!(
        values.iter().any(|v| v == "http.response.status_code=202"),
        "{values:?}"
    );
    assert!(
        values.iter().any(|v| v == "http.request.method=\"POST\""),
        "{values:?}"
    );
    for v in &values {
        assert!(!v.contains(TOKEN) && !v.contains(EMAIL), "traced: {v}");
    }
}
