//! The outcome of a run and its renderings: [`human`] (terminal), [`json`] (stable keys
//! for CI scripts), [`junit`] (for CI servers) and [`html`] (one page to read). Reports never
//! hold the token: the runner redacts it before a result is stored (see [`RunReport::redact`]
//! and [`redact`]).

pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod redact;

use std::time::Duration;

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    Skipped,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Passed => "passed",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
        }
    }
}

/// One failed check: which check, where in the body, and both sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// `status`, `content-type`, `body`, `schema`, `exact`, `delivery` or `transport`.
    pub check: String,
    /// JSON pointer into the response body (empty for the whole response).
    pub pointer: String,
    pub expected: Value,
    pub actual: Value,
}

impl Failure {
    pub fn new(check: &str, pointer: &str, expected: impl Into<Value>, actual: impl Into<Value>) -> Failure {
        Failure {
            check: check.to_string(),
            pointer: pointer.to_string(),
            expected: expected.into(),
            actual: actual.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub id: String,
    pub operation: String,
    pub outcome: Outcome,
    pub failures: Vec<Failure>,
    /// Why a case was skipped, or what went wrong on the wire.
    pub reason: Option<String>,
    /// A command that reproduces the request, the token shown as `$VAR`.
    pub curl: Option<String>,
    pub duration: Duration,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunReport {
    /// The target's base URL.
    pub target: String,
    pub cases: Vec<CaseResult>,
    pub duration: Duration,
}

impl RunReport {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            total: self.cases.len(),
            ..Summary::default()
        };
        for c in &self.cases {
            match c.outcome {
                Outcome::Passed => s.passed += 1,
                Outcome::Failed => s.failed += 1,
                Outcome::Skipped => s.skipped += 1,
            }
        }
        s
    }

    /// Operations in first-seen order, with their cases.
    pub fn by_operation(&self) -> Vec<(&str, Vec<&CaseResult>)> {
        let mut out: Vec<(&str, Vec<&CaseResult>)> = Vec::new();
        for c in &self.cases {
            match out.iter_mut().find(|(op, _)| *op == c.operation) {
                Some((_, v)) => v.push(c),
                None => out.push((c.operation.as_str(), vec![c])),
            }
        }
        out
    }

    /// Replaces every fragment of `secret` in the report (a server may echo the token,
    /// whole, cut or encoded): see [`redact::Redactor`].
    pub fn redact(&mut self, secret: &str, shown_as: &str) {
        self.redact_with(&redact::Redactor::new(secret, shown_as));
    }

    pub fn redact_with(&mut self, r: &redact::Redactor) {
        r.fix(&mut self.target);
        for c in &mut self.cases {
            for s in [&mut c.reason, &mut c.curl].into_iter().flatten() {
                r.fix(s);
            }
            for f in &mut c.failures {
                redact_value(&mut f.expected, r);
                redact_value(&mut f.actual, r);
                r.fix(&mut f.pointer);
            }
        }
    }
}

fn redact_value(v: &mut Value, r: &redact::Redactor) {
    match v {
        Value::String(s) => r.fix(s),
        Value::Array(a) => a.iter_mut().for_each(|x| redact_value(x, r)),
        Value::Object(m) => {
            let old = std::mem::take(m);
            for (mut k, mut x) in old {
                r.fix(&mut k);
                redact_value(&mut x, r);
                m.insert(k, x);
            }
        }
        _ => {}
    }
}

/// Report formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    #[default]
    Human,
    Json,
    Junit,
    /// One self-contained HTML page.
    Html,
}

impl RunReport {
    /// Renders the report; `color` only affects `human`.
    pub fn render(&self, format: Format, color: bool) -> String {
        match format {
            Format::Human => human::render(self, color),
            Format::Json => json::render(self),
            Format::Junit => junit::render(self),
            Format::Html => html::render(self),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_reaches_nested_values_and_keys() {
        let mut r = RunReport {
            target: "http://x".into(),
            duration: Duration::ZERO,
            cases: vec![CaseResult {
                id: "a".into(),
                operation: "op".into(),
                outcome: Outcome::Failed,
                failures: vec![Failure::new(
                    "exact",
                    "/m",
                    "x",
                    serde_json::json!({"t-s3cret": ["Bearer s3cret"]}),
                )],
                reason: Some("echoed s3cret".into()),
                curl: None,
                duration: Duration::ZERO,
            }],
        };
        r.redact("s3cret", "$TOKEN");
        let text = json::render(&r);
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("Bearer $TOKEN"));
    }
}
