//! The mock's outbox (`GET /__mock/outbox`): when the target has one, every accepted request
//! must have delivered the link exactly where its body said. Deliveries are counted as
//! `dropped + deliveries.len()`, so the ones a request added can be told apart from earlier ones
//! even after the outbox wrapped.

use serde_json::{Value, json};

use super::http::{Fault, get_json};

pub use crate::mock::{FIXTURES_PATH, OUTBOX_PATH as PATH};

/// A snapshot of the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// Deliveries ever recorded.
    pub total: u64,
    pub deliveries: Vec<Value>,
}

impl Snapshot {
    pub fn parse(v: &Value) -> Option<Snapshot> {
        let deliveries = v.get("deliveries")?.as_array()?.clone();
        let dropped = v.get("dropped").and_then(Value::as_u64).unwrap_or(0);
        Some(Snapshot {
            total: dropped + deliveries.len() as u64,
            deliveries,
        })
    }

    /// Deliveries recorded after `before` (another snapshot's total).
    pub fn since(&self, before: u64) -> Vec<Value> {
        let new = self.total.saturating_sub(before) as usize;
        let skip = self.deliveries.len().saturating_sub(new);
        self.deliveries[skip..].to_vec()
    }
}

pub async fn snapshot(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    timeout: std::time::Duration,
) -> Result<Option<Snapshot>, Fault> {
    Ok(get_json(client, &format!("{base}{PATH}"), token, timeout)
        .await?
        .as_ref()
        .and_then(Snapshot::parse))
}

/// `[{channel, to, id}]`, sorted, for comparing what was asked with what was delivered.
pub fn normalise(items: impl IntoIterator<Item = (String, String, String)>) -> Value {
    let mut v: Vec<(String, String, String)> = items.into_iter().collect();
    v.sort();
    Value::Array(
        v.into_iter()
            .map(|(channel, to, id)| json!({"channel": channel, "to": to, "id": id}))
            .collect(),
    )
}

pub fn delivered(items: &[Value]) -> Value {
    let s = |d: &Value, k: &str| d.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    normalise(items.iter().map(|d| (s(d, "channel"), s(d, "to"), s(d, "id"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_counts_through_drops() {
        let s =
            Snapshot::parse(&json!({"capacity": 2, "dropped": 3, "deliveries": [{"to": "a"}, {"to": "b"}]}))
                .unwrap();
        assert_eq!(s.total, 5);
        assert_eq!(s.since(4), [json!({"to": "b"})]);
        assert_eq!(s.since(5), Vec::<Value>::new());
        assert_eq!(s.since(0).len(), 2);
    }
}
