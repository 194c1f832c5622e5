//! The outbox: what the mock would have sent. Each successful resend records one delivery per
//! channel it names. Bounded: when full, the oldest delivery is dropped and counted, so a
//! long-running mock under load keeps a flat memory footprint.

use std::collections::VecDeque;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

/// One message the mock "sent".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
    pub link: String,
    /// RFC 3339, UTC, second precision.
    pub at: String,
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

/// The current time as RFC 3339 UTC (`2026-11-22T04:05:06Z`), formatted once per second
/// per thread: under load most requests reuse the last string.
pub fn now_rfc3339() -> String {
    use std::cell::RefCell;
    thread_local! {
        static LAST: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if last.0 != secs {
            *last = (secs, rfc3339(secs));
        }
        last.1.clone()
    })
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
            link: "http://x.invalid/".into(),
            at: rfc3339(0),
        }
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
