//! The terminal report: a table per operation, then each failure with expected and actual
//! side by side and a `curl` command that reproduces it. Colour only when asked for (the CLI
//! asks when stdout is a terminal and `NO_COLOR` is unset).

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use super::{Failure, Outcome, RunReport};

const GREEN: Style = AnsiColor::Green.on_default();
const RED: Style = AnsiColor::Red.on_default().bold();
const YELLOW: Style = AnsiColor::Yellow.on_default();
const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();

struct Painter(bool);

impl Painter {
    fn paint(&self, style: Style, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}

pub fn render(report: &RunReport, color: bool) -> String {
    let p = Painter(color);
    let mut out = String::new();
    let s = report.summary();
    let _ = writeln!(out, "{} {}", p.paint(BOLD, "target"), report.target);
    for (op, cases) in report.by_operation() {
        let failed = cases.iter().filter(|c| c.outcome == Outcome::Failed).count();
        let skipped = cases.iter().filter(|c| c.outcome == Outcome::Skipped).count();
        let _ = writeln!(
            out,
            "\n{}  {} cases, {} failed, {} skipped",
            p.paint(BOLD, op),
            cases.len(),
            failed,
            skipped
        );
        let width = cases.iter().map(|c| short(&c.id, op).len()).max().unwrap_or(0);
        for c in &cases {
            let tag = match c.outcome {
                Outcome::Passed => p.paint(GREEN, "pass"),
                Outcome::Failed => p.paint(RED, "FAIL"),
                Outcome::Skipped => p.paint(YELLOW, "skip"),
            };
            let name = short(&c.id, op);
            let note = match (c.outcome, &c.reason) {
                (Outcome::Skipped, Some(r)) => r.clone(),
                (Outcome::Failed, Some(r)) => r.clone(),
                (Outcome::Failed, None) => {
                    let checks: Vec<&str> = c.failures.iter().map(|f| f.check.as_str()).collect();
                    let mut uniq: Vec<&str> = Vec::new();
                    for ch in checks {
                        if !uniq.contains(&ch) {
                            uniq.push(ch);
                        }
                    }
                    format!("failed: {}", uniq.join(", "))
                }
                _ => String::new(),
            };
            let line = format!("  {tag}  {name:<width$}  {}", p.paint(DIM, &note));
            let _ = writeln!(out, "{}", line.trim_end());
        }
    }
    let failed: Vec<_> = report
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .collect();
    if !failed.is_empty() {
        let _ = writeln!(out, "\n{}", p.paint(BOLD, "Failures"));
        for c in failed {
            let _ = writeln!(out, "\n{}", p.paint(RED, &c.id));
            if let Some(r) = &c.reason {
                let _ = writeln!(out, "  {r}");
            }
            // A transport failure is already told by the reason line.
            for f in c
                .failures
                .iter()
                .filter(|f| !(f.check == "transport" && c.reason.is_some()))
            {
                for line in failure_lines(f, color).lines() {
                    let _ = writeln!(out, "  {line}");
                }
            }
            if let Some(curl) = &c.curl {
                let _ = writeln!(out, "  {} {curl}", p.paint(DIM, "reproduce:"));
            }
        }
    }
    let verdict = if s.failed > 0 {
        p.paint(RED, "FAILED")
    } else {
        p.paint(GREEN, "ok")
    };
    let _ = writeln!(
        out,
        "\n{verdict}: {} cases, {} passed, {} failed, {} skipped",
        s.total, s.passed, s.failed, s.skipped
    );
    out
}

fn short<'a>(id: &'a str, op: &str) -> &'a str {
    id.strip_prefix(op)
        .map(|s| s.trim_start_matches('/'))
        .unwrap_or(id)
}

/// One failure as text: the check and pointer, then expected (`-`) and actual (`+`).
pub fn failure_lines(f: &Failure, color: bool) -> String {
    let p = Painter(color);
    let mut out = String::new();
    let at = if f.pointer.is_empty() {
        String::new()
    } else {
        format!(" at {}", f.pointer)
    };
    let _ = writeln!(out, "{} check{at}:", f.check);
    for (sign, style, v) in [("- expected", GREEN, &f.expected), ("+ actual  ", RED, &f.actual)] {
        let text = show(v);
        let mut lines = text.lines();
        let first = lines.next().unwrap_or_default();
        let _ = writeln!(out, "  {} {}", p.paint(style, sign), first);
        for l in lines {
            let _ = writeln!(out, "    {:width$}{l}", "", width = sign.len() - 1);
        }
    }
    out
}

/// Values print as JSON (so `"null"` and `null` differ); objects and arrays over several lines.
fn show(v: &Value) -> String {
    match v {
        Value::Object(_) | Value::Array(_) => serde_json::to_string_pretty(v).unwrap_or_default(),
        other => other.to_string(),
    }
}
