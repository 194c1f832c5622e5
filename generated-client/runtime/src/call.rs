//! How generated operations take their parameters.
//!
//! An operation's method takes its required parameters (path, then the other required ones,
//! then the body) as arguments. When it has optional parameters too, it returns a small
//! request value, one type per operation, with one setter per optional parameter; the value
//! implements [`std::future::IntoFuture`], so it is sent by `.await`:
//!
//! ```text
//! let order = client.resend_order_payment_link(&id, &body).await?;   // nothing optional
//! let flights = client.get_flights().date(day).await?;                // one optional set
//! let flights = client.get_flights().await?;                          // none set
//! ```
//!
//! Why a builder rather than an options struct: the common call stays one line with no
//! `Default::default()` to pass, each setter is documented by its parameter, and an API that
//! adds an optional parameter later breaks no call site (`.await` works on the plain method
//! and on the builder alike). An operation with no optional parameter stays a plain
//! `async fn`, so nothing about it changes. The builder's `send()` does what `.await` does,
//! for callers that want a named future.
//!
//! The builder's machinery is here: [`BoxFuture`] (its `IntoFuture` type) and
//! [`params`](crate::params) (how each parameter is written).

use std::future::Future;
use std::pin::Pin;

/// The future a generated request builder turns into: boxed (a builder is a plain struct,
/// and `async fn` types cannot be named), `Send`, borrowing the client and arguments.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
