//! The JSON report. Its keys are an interface: CI scripts parse them, so they do not change.
//!
//! `{"target", "summary": {"total","passed","failed","skipped"}, "cases": [{"id","operation",
//! "outcome","failures": [{"check","pointer","expected","actual"}],"reason","curl"}]}`

use serde_json::{Value, json};

use super::RunReport;

pub fn to_value(report: &RunReport) -> Value {
    let s = report.summary();
    json!({
        "target": report.target,
        "summary": {"total": s.total, "passed": s.passed, "failed": s.failed, "skipped": s.skipped},
        "cases": report.cases.iter().map(|c| json!({
            "id": c.id,
            "operation": c.operation,
            "outcome": c.outcome.as_str(),
            "failures": c.failures.iter().map(|f| json!({
                "check": f.check,
                "pointer": f.pointer,
                "expected": f.expected,
                "actual": f.actual,
            })).collect::<Vec<_>>(),
            "reason": c.reason,
            "curl": c.curl,
        })).collect::<Vec<_>>(),
    })
}

pub fn render(report: &RunReport) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}
