//! The outbox: what the mock would have sent. Each successful resend records one delivery per
//! channel it names. Bounded: when full, the oldest delivery is dropped and counted, so a
//! long-running mock under load keeps a flat memory footprint.

use std::collections::VecDeque;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

/// One message the mock "sent". The link and the time are stored as their parts and
/// formatted when the outbox is read: a mock under load records far more than it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The `operationId` that sent it.
    pub operation: &'static str,
    /// The resource kind (`x-resource` of the operation).
    pub resource: &'static str,
    pub id: String,
    /// The channel, as the request properties' `x-destination` markers name it.
    pub channel: &'static str,
    /// The destination taken from the request, which may differ from any stored contact.
    pub to: String,
    /// The contract's `link_base`; see [`Delivery::link`].
    pub link_base: &'static str,
    /// Seconds since the Unix epoch; shown as RFC 3339, UTC, second precision.
    pub at: u64,
}

impl Delivery {
    /// The link it carries: `{link_base}{resource}/{id}`, the id form-encoded.
    pub fn link(&self) -> String {
        let enc: String = url::form_urlencoded::byte_serialize(self.id.as_bytes()).collect();
        format!("{}{}/{enc}", self.link_base, self.resource)
    }
}

impl Serialize for Delivery {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut d = s.serialize_struct("Delivery", 7)?;
        d.serialize_field("operation", self.operation)?;
        d.serialize_field("resource", self.resource)?;
        d.serialize_field("id", &self.id)?;
        d.serialize_field("channel", self.channel)?;
        d.serialize_field("to", &self.to)?;
        d.serialize_field("link", &self.link())?;
        d.serialize_field("at", &rfc3339(self.at))?;
        d.end()
    }
}

/// The JSON shape of `GET /__mock/outbox`.
#[derive(Debug, Serialize)]
pub struct OutboxView<'a> {
    pub capacity: usize,
    pub dropped: u64,
    pub deliveries: &'a VecDeque<Delivery>,
}

#[derive(Debug)]
pub struct Outbox {
    capacity: usize,
    dropped: u64,
    deliveries: VecDeque<Delivery>,
}

impl Outbox {
    pub fn new(capacity: usize) -> Outbox {
        Outbox {
            capacity,
            dropped: 0,
            // Grows on demand: a large configured capacity costs nothing until used.
            deliveries: VecDeque::new(),
        }
    }

    pub fn push(&mut self, delivery: Delivery) {
        if self.capacity == 0 {
            self.dropped += 1;
            return;
        }
        while self.deliveries.len() >= self.capacity {
            self.deliveries.pop_front();
            self.dropped += 1;
        }
        self.deliveries.push_back(delivery);
    }

    pub fn clear(&mut self) {
        self.deliveries.clear();
        self.dropped = 0;
    }

    pub fn view(&self) -> OutboxView<'_> {
        OutboxView {
            capacity: self.capacity,
            dropped: self.dropped,
            deliveries: &self.deliveries,
        }
    }
}

/// Seconds since the Unix epoch now.
pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Formats seconds since the Unix epoch (proleptic Gregorian calendar, days-to-civil conversion).
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: usize) -> Delivery {
        Delivery {
            operation: "op",
            resource: "r",
            id: format!("ID{n}"),
            channel: "email",
            to: "a@b.example".into(),
            link_base: "https://x.invalid/",
            at: 0,
        }
    }

    #[test]
    fn shows_the_link_and_time_when_read() {
        let mut one = d(1);
        one.id = "A B/1".into();
        let v = serde_json::to_value(&one).unwrap();
        assert_eq!(v["link"], "https://x.invalid/r/A+B%2F1");
        assert_eq!(v["at"], "1970-01-01T00:00:00Z");
        assert_eq!(v["id"], "A B/1");
        assert_eq!(v.as_object().unwrap().len(), 7);
    }

    #[test]
    fn keeps_the_newest_and_counts_the_dropped() {
        let mut o = Outbox::new(2);
        for n in 0..5 {
            o.push(d(n));
        }
        let v = o.view();
        assert_eq!(v.dropped, 3);
        let ids: Vec<_> = v.deliveries.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["ID3", "ID4"]);
        o.clear();
        assert_eq!(o.view().dropped, 0);
        assert!(o.view().deliveries.is_empty());
        let mut none = Outbox::new(0);
        none.push(d(1));
        assert_eq!(none.view().dropped, 1);
    }

    #[test]
    fn formats_known_instants() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_795_316_706), "2026-11-22T03:05:06Z");
    }
}
