//! The runner: replays generated [`Case`]s against a [`Target`] and collects a [`RunReport`].
//!
//! A [`Session`] is opened once per target: it checks the target answers at all (an
//! unreachable target is one error, not N failures), learns the mock's fixtures and outbox
//! when the target is a mock, and then runs cases at most `concurrency` at a time.

pub mod checks;
pub mod curl;
pub mod destinations;
pub mod embedded;
pub mod http;
pub mod outbox;
pub mod plan;
pub mod target;
pub mod testing;

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::Value;

pub use target::Target;

use crate::cases::{Case, CaseAuth};
use crate::contract::Contract;
use crate::report::{CaseResult, Failure, Outcome, RunReport};
use contract_model::spec::replay::ResourceState;
use indexmap::IndexMap;

#[derive(Clone)]
pub struct Options {
    /// The contract the cases are planned and checked against (the embedded one by default);
    /// its `x-destination` and `x-rate-limit` markers steer redirects and pacing.
    pub contract: &'static Contract,
    /// Deadline of each exchange.
    pub timeout: Duration,
    /// Most requests in flight.
    pub concurrency: usize,
    /// Draw a progress bar on stderr.
    pub progress: bool,
    /// Longest a run may take: cases not finished by then are reported as skipped, with
    /// [`NOT_RUN`] at the start of their reason.
    pub max_duration: Duration,
}

/// The default of [`Options::max_duration`]: 15 minutes.
pub const DEFAULT_MAX_DURATION: Duration = Duration::from_secs(900);

/// How the reason of a case that the run's time limit stopped begins.
pub const NOT_RUN: &str = "not run: the run reached its time limit";

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("contract", &self.contract.spec.file())
            .field("timeout", &self.timeout)
            .field("concurrency", &self.concurrency)
            .field("progress", &self.progress)
            .field("max_duration", &self.max_duration)
            .finish()
    }
}

impl Default for Options {
    fn default() -> Self {
        Options {
            contract: Contract::embedded(),
            timeout: Duration::from_secs(10),
            concurrency: 4,
            progress: false,
            max_duration: DEFAULT_MAX_DURATION,
        }
    }
}

/// True when the run's time limit stopped some case of `report`.
pub fn was_cut_short(report: &RunReport) -> bool {
    report
        .cases
        .iter()
        .any(|c| c.outcome == Outcome::Skipped && c.reason.as_deref().is_some_and(|r| r.starts_with(NOT_RUN)))
}

/// A run that could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// The target does not answer at all.
    Unreachable {
        url: String,
        message: String,
    },
    Setup(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Unreachable { url, message } => write!(f, "cannot reach {url}: {message}"),
            RunError::Setup(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RunError {}

/// The cases of `contract` whose id contains `pattern`, where `*` in it matches any run of
/// characters and `?` any one character.
pub fn select(contract: &'static Contract, pattern: Option<&str>) -> Vec<&'static Case> {
    contract
        .cases
        .iter()
        .filter(|c| pattern.is_none_or(|p| matches_pattern(p, &c.id)))
        .collect()
}

/// Unanchored, like a plain substring match: `*` matches any run, `?` one character.
pub fn matches_pattern(pattern: &str, id: &str) -> bool {
    wildmatch::WildMatch::new(&format!("*{pattern}*")).matches(id)
}

/// Deliveries a set of cases would trigger on a server that honours the contract: every
/// valid, authenticated request that expects success. Counted per channel, in first-seen order.
pub fn messages_to_send(cases: &[&Case], target: &Target, contract: &Contract) -> IndexMap<String, usize> {
    let mut out = IndexMap::new();
    for c in cases.iter().filter(|c| expects_delivery(c)) {
        if let Ok(p) = plan::plan(c, target, contract) {
            for (channel, _) in p.deliveries {
                *out.entry(channel).or_insert(0) += 1;
            }
        }
    }
    out
}

/// `5 message(s): 3 by <channel>, 2 by <other channel>` (or `no message`).
pub fn describe_messages(counts: &IndexMap<String, usize>) -> String {
    if counts.is_empty() {
        return "no message".into();
    }
    let parts: Vec<String> = counts.iter().map(|(c, n)| format!("{n} by {c}")).collect();
    format!(
        "{} message(s): {}",
        counts.values().sum::<usize>(),
        parts.join(", ")
    )
}

fn expects_delivery(c: &Case) -> bool {
    c.is_valid_request() && c.auth == CaseAuth::Token && (200..300).contains(&c.status)
}

pub struct Session {
    client: reqwest::Client,
    target: Target,
    opts: Options,
    pace: http::Pace,
    /// On a mock with an outbox, a case that should deliver holds this exclusively around its
    /// request and its outbox reads, and every other case holds it shared: whatever the
    /// outbox gained in that window came from that one request, even when a broken server
    /// delivers on requests it should refuse.
    outbox_lock: tokio::sync::RwLock<()>,
    has_outbox: bool,
    /// Replaces fragments of the token in answers before anything quotes them.
    redactor: crate::report::redact::Redactor,
    /// The progress bar of the run in progress, which notices about waits are printed above.
    bar: std::sync::Mutex<Option<indicatif::ProgressBar>>,
}

impl Session {
    /// Checks the target answers and learns what a mock can tell about itself.
    pub async fn open(mut target: Target, opts: Options) -> Result<Arc<Session>, RunError> {
        let base = target.base_url.clone();
        if target.addrs.is_empty() {
            target
                .resolve(&target::SystemResolver)
                .map_err(|message| RunError::Unreachable {
                    url: base.clone(),
                    message,
                })?;
        }
        let host = target.host_name();
        let pin = host.as_deref().map(|h| (h, target.addrs.as_slice()));
        let client = http::client(opts.timeout, pin).map_err(RunError::Setup)?;
        // The probes are bounded like the run itself.
        let probe_timeout = opts.timeout.min(opts.max_duration);
        let probe = outbox::snapshot(&client, &base, &target.token, probe_timeout).await;
        let has_outbox = match probe {
            Err(http::Fault::Connect(message)) => return Err(RunError::Unreachable { url: base, message }),
            Err(_) => false,
            Ok(s) => s.is_some(),
        };
        if has_outbox {
            // A mock names its own fixtures; a profile's take precedence.
            let url = format!("{base}{}", outbox::FIXTURES_PATH);
            if let Ok(Some(v)) = http::get_json(&client, &url, &target.token, probe_timeout).await
                && let Ok(found) =
                    serde_json::from_value::<IndexMap<String, IndexMap<ResourceState, String>>>(v)
            {
                for (resource, states) in found {
                    let mine = target.fixtures.entry(resource).or_default();
                    for (state, id) in states {
                        mine.entry(state).or_insert(id);
                    }
                }
            }
        }
        let redactor = crate::report::redact::Redactor::new(&target.token, &format!("${}", target.token_env));
        Ok(Arc::new(Session {
            client,
            target,
            pace: http::Pace::new(opts.contract.rate_limit.clone()),
            opts,
            outbox_lock: tokio::sync::RwLock::new(()),
            has_outbox,
            redactor,
            bar: std::sync::Mutex::new(None),
        }))
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn has_outbox(&self) -> bool {
        self.has_outbox
    }

    /// Runs every case, at most `concurrency` at once, and reports them in table order.
    /// Nothing runs past [`Options::max_duration`]: cases it stops are skipped ([`NOT_RUN`]).
    pub async fn run(self: &Arc<Self>, cases: &[&'static Case]) -> RunReport {
        let started = Instant::now();
        let deadline = tokio::time::Instant::now() + self.opts.max_duration;
        let bar = self.opts.progress.then(|| {
            let bar = indicatif::ProgressBar::new(cases.len() as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}") {
                bar.set_style(style);
            }
            bar
        });
        *self.bar.lock().unwrap_or_else(|p| p.into_inner()) = bar.clone();
        let mut results: Vec<(usize, CaseResult)> = futures::stream::iter(cases.iter().enumerate())
            .map(|(i, case)| {
                let me = Arc::clone(self);
                let bar = bar.clone();
                async move {
                    let r = match tokio::time::timeout_at(deadline, me.run_case_until(case, deadline)).await {
                        Ok(r) => r,
                        Err(_) => me.not_run(case),
                    };
                    if let Some(b) = &bar {
                        b.set_message(case.id.clone());
                        b.inc(1);
                    }
                    (i, r)
                }
            })
            .buffer_unordered(self.opts.concurrency.max(1))
            .collect()
            .await;
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        *self.bar.lock().unwrap_or_else(|p| p.into_inner()) = None;
        results.sort_by_key(|(i, _)| *i);
        let mut report = RunReport {
            target: self.target.base_url.clone(),
            cases: results.into_iter().map(|(_, r)| r).collect(),
            duration: started.elapsed(),
        };
        report.redact_with(&self.redactor);
        report
    }

    /// Runs one case (within [`Options::max_duration`] from now).
    pub async fn run_case(&self, case: &Case) -> CaseResult {
        let deadline = tokio::time::Instant::now() + self.opts.max_duration;
        match tokio::time::timeout_at(deadline, self.run_case_until(case, deadline)).await {
            Ok(r) => r,
            Err(_) => self.not_run(case),
        }
    }

    fn not_run(&self, case: &Case) -> CaseResult {
        CaseResult {
            id: case.id.to_string(),
            operation: case.operation.to_string(),
            outcome: Outcome::Skipped,
            failures: Vec::new(),
            reason: Some(format!(
                "{NOT_RUN} (--max-duration {} s)",
                self.opts.max_duration.as_secs_f64()
            )),
            curl: None,
            duration: Duration::ZERO,
        }
    }

    /// Says on stderr (above the progress bar, if any) that the server made the run wait.
    fn notice_wait(&self, wait: Duration, why: &str) {
        let line = format!(
            "conformance: waiting {:.1} s before the next request ({why}; waits are capped at {} s)",
            wait.as_secs_f64(),
            http::MAX_WAIT.as_secs()
        );
        match &*self.bar.lock().unwrap_or_else(|p| p.into_inner()) {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    async fn run_case_until(&self, case: &Case, deadline: tokio::time::Instant) -> CaseResult {
        if tokio::time::Instant::now() >= deadline {
            return self.not_run(case);
        }
        let started = Instant::now();
        let contract = self.opts.contract;
        let mut result = CaseResult {
            id: case.id.to_string(),
            operation: case.operation.to_string(),
            outcome: Outcome::Passed,
            failures: Vec::new(),
            reason: None,
            curl: None,
            duration: Duration::ZERO,
        };
        let planned = match plan::plan(case, &self.target, contract) {
            Ok(p) => p,
            Err(reason) => {
                result.outcome = Outcome::Skipped;
                result.reason = Some(reason);
                return result;
            }
        };
        let watch = self.has_outbox && expects_delivery(case) && !planned.deliveries.is_empty();
        let (_exclusive, _shared) = match (watch, self.has_outbox) {
            (true, _) => (Some(self.outbox_lock.write().await), None),
            (false, true) => (None, Some(self.outbox_lock.read().await)),
            (false, false) => (None, None),
        };
        let before = if watch {
            self.snapshot().await.map(|s| s.total)
        } else {
            None
        };
        let limits = http::Limits {
            timeout: self.opts.timeout,
            deadline,
        };
        let on_wait = |wait: Duration, why: &str| self.notice_wait(wait, why);
        match http::send(
            &self.client,
            &planned,
            &self.target.token,
            limits,
            &self.pace,
            &on_wait,
        )
        .await
        {
            Err(http::Fault::OutOfTime) => return self.not_run(case),
            Err(fault) => {
                result.reason = Some(fault.to_string());
                result.failures.push(Failure::new(
                    "transport",
                    "",
                    "a complete HTTP response",
                    fault.to_string(),
                ));
            }
            Ok(mut resp) => {
                if let std::borrow::Cow::Owned(clean) = self.redactor.bytes(&resp.body) {
                    resp.body = clean;
                }
                result.failures = checks::check(case, &resp, contract);
                if let Some(before) = before
                    && (200..300).contains(&resp.status)
                {
                    let expected = outbox::normalise(
                        planned
                            .deliveries
                            .iter()
                            .map(|(c, to)| (c.clone(), to.clone(), planned.resource_id.clone())),
                    );
                    let actual = match self.snapshot().await {
                        Some(after) => checks::quote(&outbox::delivered(&after.since(before))),
                        None => Value::String("the outbox did not answer".into()),
                    };
                    if expected != actual {
                        result
                            .failures
                            .push(Failure::new("delivery", "", expected, actual));
                    }
                }
            }
        }
        if !result.failures.is_empty() {
            result.outcome = Outcome::Failed;
            result.curl = Some(curl::command(&planned, &self.target.token_env));
        }
        result.duration = started.elapsed();
        result
    }

    async fn snapshot(&self) -> Option<outbox::Snapshot> {
        outbox::snapshot(
            &self.client,
            &self.target.base_url,
            &self.target.token,
            self.opts.timeout,
        )
        .await
        .ok()
        .flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_select_by_substring_or_glob() {
        assert!(matches_pattern("invalid", "op/invalid/all-null"));
        assert!(matches_pattern("op/*/all-null", "op/invalid/all-null"));
        assert!(matches_pattern("*null", "op/invalid/all-null"));
        assert!(!matches_pattern("op/*/x", "op/invalid/all-null"));
        assert!(matches_pattern(
            "Order*Paid",
            "resendOrderPaymentLink/orderStatusAlreadyPaid"
        ));
        assert!(!matches_pattern(
            "Paid*Order",
            "resendOrderPaymentLink/orderStatusAlreadyPaid"
        ));
        assert!(matches_pattern("*", "anything"));
        assert!(matches_pattern("op/inval?d", "op/invalid/all-null"));
        assert!(!matches_pattern("op/inval?d", "op/invald/all-null"));
        let c = Contract::embedded();
        assert!(!select(c, Some("unauthenticated")).is_empty());
        assert_eq!(select(c, None).len(), c.cases.len());
    }
}
