//! The running account of checked traffic, in bounded memory: per operation, exchanges seen,
//! statuses seen, and the distinct violations (each with a count, an example of what was
//! expected and seen, and a `curl` reproducer of the first exchange that broke it).
//!
//! It is rendered through the run report ([`Tally::to_report`]), so `proxy` and `check-har`
//! have the same formats as `run`: one "case" per operation and status seen.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use indexmap::IndexMap;
use serde_json::Value;

use super::check::{Checked, Exchange, Side, Violation};
use super::redact::{REDACTED, Redactor, Secrets, is_credential_header};
use crate::report::{CaseResult, Failure, Outcome, RunReport};
use crate::runner::curl::quote;

/// The group of exchanges no documented operation serves.
pub const UNDOCUMENTED: &str = "(undocumented route)";
/// Distinct violations kept per operation and status; more are counted, not kept.
const MAX_DISTINCT: usize = 50;
/// The status under which exchanges that got no answer from the target are counted.
pub const NO_ANSWER: u16 = 0;

#[derive(Debug, Default)]
struct StatusTally {
    exchanges: u64,
    with_violations: u64,
    unvalidated: u64,
    /// (violation, times seen, reproducer of the first exchange).
    violations: Vec<(Violation, u64, String)>,
    dropped: u64,
    notes: Vec<String>,
}

#[derive(Debug, Default)]
struct OperationTally {
    exchanges: u64,
    statuses: BTreeMap<u16, StatusTally>,
}

/// Everything seen so far.
#[derive(Debug)]
pub struct Tally {
    /// The target's base URL (or the recording's name).
    pub target: String,
    /// The variable the reproducers read the token from (the spec's `x-token-env` by default).
    pub token_env: String,
    operations: IndexMap<String, OperationTally>,
    started: Instant,
}

impl Tally {
    pub fn new(target: impl Into<String>, token_env: impl Into<String>) -> Tally {
        Tally {
            target: target.into(),
            token_env: token_env.into(),
            operations: IndexMap::new(),
            started: Instant::now(),
        }
    }

    pub fn exchanges(&self) -> u64 {
        self.operations.values().map(|o| o.exchanges).sum()
    }

    pub fn violations(&self) -> u64 {
        self.operations
            .values()
            .flat_map(|o| o.statuses.values())
            .map(|s| s.with_violations)
            .sum()
    }

    /// Counts one checked exchange; `base_url` is where a reproducer sends it.
    pub fn add(
        &mut self,
        ex: &Exchange,
        checked: &Checked,
        redactor: &Redactor,
        secrets: &Secrets,
        base_url: &str,
    ) {
        let op = checked.operation.as_deref().unwrap_or(UNDOCUMENTED);
        // Seen before (nearly always): no key to allocate.
        let entry = match self.operations.get_index_of(op) {
            Some(i) => &mut self.operations[i],
            None => self.operations.entry(op.to_string()).or_default(),
        };
        entry.exchanges += 1;
        let st = entry.statuses.entry(ex.status).or_default();
        st.exchanges += 1;
        if !checked.unvalidated.is_empty() {
            st.unvalidated += 1;
            for n in &checked.unvalidated {
                if st.notes.len() < MAX_DISTINCT && !st.notes.contains(n) {
                    st.notes.push(n.clone());
                }
            }
        }
        if checked.violations.is_empty() {
            return;
        }
        st.with_violations += 1;
        let mut curl = None;
        for v in &checked.violations {
            let seen = st.violations.iter().position(|(k, _, _)| {
                k.side == v.side && k.pointer == v.pointer && k.rule == v.rule && k.message == v.message
            });
            match seen {
                Some(i) => st.violations[i].1 += 1,
                None if st.violations.len() < MAX_DISTINCT => {
                    let c = curl
                        .get_or_insert_with(|| reproducer(ex, redactor, secrets, base_url, &self.token_env))
                        .clone();
                    st.violations.push((v.clone(), 1, c));
                }
                None => st.dropped += 1,
            }
        }
    }

    /// Counts an exchange the target never answered (down, refused, timed out).
    pub fn add_transport_failure(&mut self, operation: Option<&str>, method: &str, path: &str, reason: &str) {
        let op = operation.unwrap_or(UNDOCUMENTED).to_string();
        let entry = self.operations.entry(op).or_default();
        entry.exchanges += 1;
        let st = entry.statuses.entry(NO_ANSWER).or_default();
        st.exchanges += 1;
        st.with_violations += 1;
        let v = Violation {
            side: Side::Response,
            pointer: String::new(),
            rule: "transport".into(),
            message: reason.to_string(),
            expected: Value::String("an answer from the target".into()),
            actual: Value::String(reason.to_string()),
        };
        match st.violations.iter().position(|(k, _, _)| k.message == v.message) {
            Some(i) => st.violations[i].1 += 1,
            None if st.violations.len() < MAX_DISTINCT => {
                st.violations.push((v, 1, format!("{method} {path}")))
            }
            None => st.dropped += 1,
        }
    }

    /// The tally as a run report: one case per operation and status seen.
    pub fn to_report(&self) -> RunReport {
        let mut cases = Vec::new();
        for (op, t) in &self.operations {
            for (status, st) in &t.statuses {
                let status_name = if *status == NO_ANSWER {
                    "no answer".to_string()
                } else {
                    status.to_string()
                };
                let outcome = if st.with_violations > 0 {
                    Outcome::Failed
                } else if st.unvalidated == st.exchanges {
                    Outcome::Skipped
                } else {
                    Outcome::Passed
                };
                let mut reason = format!(
                    "{} exchange(s), {} with violations",
                    st.exchanges, st.with_violations
                );
                if st.unvalidated > 0 {
                    reason.push_str(&format!(
                        "; {} not validated ({})",
                        st.unvalidated,
                        st.notes.join("; ")
                    ));
                }
                for (v, n, _) in &st.violations {
                    reason.push_str(&format!(
                        "\n  {} {} {}: {} (x{n})",
                        v.side.as_str(),
                        if v.pointer.is_empty() { "-" } else { &v.pointer },
                        v.rule,
                        v.message
                    ));
                }
                if st.dropped > 0 {
                    reason.push_str(&format!("\n  {} more violation(s) not kept", st.dropped));
                }
                cases.push(CaseResult {
                    id: format!("{op}/{status_name}"),
                    operation: op.clone(),
                    outcome,
                    failures: st
                        .violations
                        .iter()
                        .map(|(v, _, _)| Failure {
                            check: format!("{} {}", v.side.as_str(), v.rule),
                            pointer: v.pointer.clone(),
                            expected: v.expected.clone(),
                            actual: v.actual.clone(),
                        })
                        .collect(),
                    reason: Some(reason),
                    curl: st.violations.first().map(|(_, _, c)| c.clone()),
                    duration: Duration::ZERO,
                });
            }
        }
        RunReport {
            target: self.target.clone(),
            cases,
            duration: self.started.elapsed(),
        }
    }
}

/// A `curl` command that sends the exchange's request again: the token as `$VAR`, personal
/// data redacted (fill it in to replay).
pub fn reproducer(
    ex: &Exchange,
    redactor: &Redactor,
    secrets: &Secrets,
    base_url: &str,
    token_env: &str,
) -> String {
    let url = format!("{}{}", base_url.trim_end_matches('/'), ex.target);
    let mut out = format!("curl -sS -i -X {} {}", ex.method, quote(&secrets.scrub(&url)));
    for (name, value) in &ex.request_headers {
        let (name, value) = (name.as_str(), &*String::from_utf8_lossy(value.as_bytes()));
        if is_credential_header(name) {
            let scheme = value.split_once(' ').map(|(s, _)| s).unwrap_or("Bearer");
            out.push_str(&format!(" -H \"{name}: {scheme} ${token_env}\""));
        } else if matches!(name, "content-type" | "accept") {
            out.push_str(&format!(
                " -H {}",
                quote(&format!("{name}: {}", secrets.scrub(value)))
            ));
        }
    }
    if !ex.request_body.bytes.is_empty() {
        let body = match serde_json::from_slice::<Value>(&ex.request_body.bytes) {
            Ok(mut v) => {
                redactor.body(&mut v);
                secrets.scrub_value(&mut v);
                v.to_string()
            }
            Err(_) => REDACTED.to_string(),
        };
        out.push_str(&format!(" --data-raw {}", quote(&body)));
    }
    out
}
