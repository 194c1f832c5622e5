//! The benchmark ceiling for `bench/mock.sh`: a bare axum server that answers every request
//! with the contract's documented 202 body, doing no routing, auth, validation or state.
//! Prints its URL as the first line on stdout, like `conformance mock`.

use axum::body::Bytes;
use axum::http::{StatusCode, header};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let contract = conformance::contract::Contract::embedded();
    let example = contract
        .operations
        .iter()
        .flat_map(|o| &o.ir.responses)
        .find(|r| r.status == 202)
        .and_then(|r| r.examples.first())
        .map(|e| e.value.clone())
        .unwrap_or_default();
    let body = Bytes::from(serde_json::to_vec(&example).unwrap_or_default());
    let app = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move {
            (
                StatusCode::ACCEPTED,
                [(header::CONTENT_TYPE, "application/json")],
                body,
            )
        }
    });
    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:0".into());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
