//! Resends the payment link of an order or a reservation.
//!
//! ```text
//! FRONTPAY_BASE_URL=https://demo-api.frontpayment.no FRONTPAY_TOKEN=... \
//!   cargo run -p frontpay-client --example resend_link -- order ODR123456789 --email someone@example.com
//! cargo run -p frontpay-client --example resend_link -- reservation RES123456789 --sms +47 40000000
//! ```
//!
//! This really sends a message to the customer, so nothing is assumed: the base URL and the
//! token must both be given. The call is not retried.

use std::process::ExitCode;

use frontpay_client::types::{CountryCode, EmailAddress, Msisdn, OrderId, ResendRequest, ReservationId};
use frontpay_client::{Client, ResponseHeaders};

const USAGE: &str = "usage: resend_link (order|reservation) ID (--email ADDRESS | --sms COUNTRY_CODE MSISDN)...\n\
                     environment: FRONTPAY_BASE_URL (e.g. https://demo-api.frontpayment.no) and FRONTPAY_TOKEN";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("resend_link: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run() -> Result<(), String> {
    let base_url = std::env::var("FRONTPAY_BASE_URL")
        .map_err(|_| format!("FRONTPAY_BASE_URL is not set: say which server to call\n{USAGE}"))?;
    let token = std::env::var("FRONTPAY_TOKEN")
        .map_err(|_| format!("FRONTPAY_TOKEN is not set: the API needs a bearer token\n{USAGE}"))?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (kind, id, rest) = match args.as_slice() {
        [kind, id, rest @ ..] => (kind.as_str(), id.as_str(), rest),
        _ => return Err(USAGE.to_string()),
    };
    let body = request(rest)?;
    let client = Client::builder()
        .base_url(base_url)
        .bearer_token(token)
        .build()
        .map_err(|e| e.to_string())?;
    let (status, remaining) = match kind {
        "order" => {
            let id = OrderId::new(id).map_err(|e| e.to_string())?;
            let ok = client
                .resend_order_payment_link(&id, &body)
                .await
                .map_err(|e| e.to_string())?;
            (ok.status(), ok.x_ratelimit_remaining())
        }
        "reservation" => {
            let id = ReservationId::new(id).map_err(|e| e.to_string())?;
            let ok = client
                .resend_reservation_payment_link(&id, &body)
                .await
                .map_err(|e| e.to_string())?;
            (ok.status(), ok.x_ratelimit_remaining())
        }
        other => return Err(format!("unknown kind `{other}`\n{USAGE}")),
    };
    match remaining {
        Some(n) => println!("sent ({status}); {n} requests left this minute"),
        None => println!("sent ({status})"),
    }
    Ok(())
}

fn request(args: &[String]) -> Result<ResendRequest, String> {
    let (mut email, mut sms) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        match flag.as_str() {
            "--email" => {
                let v = it.next().ok_or("--email needs an address")?;
                email = Some(EmailAddress::new(v.as_str()).map_err(|e| e.to_string())?);
            }
            "--sms" => {
                let (Some(cc), Some(n)) = (it.next(), it.next()) else {
                    return Err("--sms needs a country code and a number".into());
                };
                let cc = CountryCode::new(cc.as_str()).map_err(|e| e.to_string())?;
                let n = Msisdn::new(n.as_str()).map_err(|e| e.to_string())?;
                sms = Some((cc, n));
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    match (email, sms) {
        (Some(e), None) => Ok(ResendRequest::new_email(e)),
        (None, Some((c, n))) => Ok(ResendRequest::new_sms(c, n)),
        (Some(e), Some((c, n))) => Ok(ResendRequest::new_sms_and_email(c, n, e)),
        (None, None) => Err(format!("name a channel: --email and/or --sms\n{USAGE}")),
    }
}
