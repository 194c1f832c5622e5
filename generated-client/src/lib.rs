//! Typed async client for the Front Payment Connect API, generated at build time from
//! `spec/frontpayment.openapi.yaml`.
//!
//! Nothing about the endpoints is written by hand: `build.rs` runs the `codegen` generator on
//! the spec, and this file includes what it writes. Change the spec, rebuild, and the client
//! follows. `codegen generate --spec spec/frontpayment.openapi.yaml --out DIR` writes the same
//! code for review.
//!
//! # What you get
//!
//! - [`types`]: one Rust type per schema of the spec. Request types cannot be built invalid:
//!   strings with rules are validated strings (`contract_runtime::Validated`), and a body
//!   whose schema says "this property, or those, or both" has private fields and one
//!   `new_*` constructor per allowed combination. Response types keep values the spec does
//!   not list (`Unknown(String)`). `Debug` output redacts personal data (properties marked
//!   `x-pii` in the spec).
//! - [`Client`]: one async method per operation. Each returns the success body with its
//!   status and headers ([`ResponseValue`]; [`ResponseHeaders`] reads the documented
//!   headers), or the operation's error enum, whose variant is chosen by the status code
//!   alone; anything undocumented is its `Other` variant, an [`Error`].
//!
//! The shared machinery (builder, sending, errors, encoding, validation) is the
//! `contract-runtime` crate, this crate's only dependency.
//!
//! # No retries
//!
//! The client never retries. A call that failed may still have reached the server, and
//! every resend sends the customer a message: a retry could send it twice. Whether to try
//! again is the caller's decision.
//!
//! # Example
//!
//! ```no_run
//! use frontpay_client::{Client, ResponseHeaders, types::{EmailAddress, OrderId, ResendRequest}};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::builder()
//!     .base_url("https://demo-api.frontpayment.no")
//!     .bearer_token(std::env::var("FRONTPAY_TOKEN")?)
//!     .build()?;
//! let order = OrderId::new("ODR123456789")?;
//! let body = ResendRequest::new_email(EmailAddress::new("someone@example.com")?);
//! let sent = client.resend_order_payment_link(&order, &body).await?;
//! println!("{} (requests left: {:?})", sent.status(), sent.x_ratelimit_remaining());
//! # Ok(())
//! # }
//! ```

/// The types of the spec's schemas.
pub mod types {
    include!(concat!(env!("OUT_DIR"), "/types.rs"));
}

mod client {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use client::*;
