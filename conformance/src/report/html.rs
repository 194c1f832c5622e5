//! The HTML report: one self-contained file (inline CSS, no script, no external asset).
//!
//! A summary at the top, a table per operation, then each failure with an expected/actual
//! line diff and the `curl` command that reproduces it (the token as `$VAR`). Every outcome
//! and diff line carries a text marker (`✔ pass`, `✘ FAIL`, `− expected`, `+ actual`) beside
//! its colour, so the page reads the same in greyscale. All text is HTML-escaped.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

use super::{CaseResult, Failure, Outcome, RunReport};

const STYLE: &str = r#"
:root { --pass: #1a7f37; --fail: #c0151d; --skip: #8a5a00; --del: #ffe1e1; --ins: #dcf5e0; --ink: #1f2328; --muted: #59636e; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { margin: 0 0 .5rem; font-size: 1.6rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .25rem; }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { white-space: pre-wrap; word-break: break-all; margin: .25rem 0; }
#summary { border: 3px solid var(--pass); border-radius: 8px; padding: 1rem 1.25rem; }
#summary.failed { border-color: var(--fail); border-style: double; border-width: 6px; }
.verdict { font-size: 1.3rem; font-weight: 700; margin: 0 0 .5rem; }
#summary.failed .verdict { color: var(--fail); }
#summary.passed .verdict { color: var(--pass); }
.counts { display: flex; gap: 1.5rem; flex-wrap: wrap; margin: 0; padding: 0; list-style: none; }
.counts b { font-size: 1.2rem; }
.target { color: var(--muted); margin: .25rem 0 0; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
th { background: #f6f8fa; }
.badge { display: inline-block; min-width: 5.5em; font-weight: 700; padding: 0 .4em; border-radius: 4px; border: 1px solid currentColor; }
.badge.passed { color: var(--pass); }
.badge.failed { color: var(--fail); border-width: 2px; text-decoration: underline; }
.badge.skipped { color: var(--skip); border-style: dashed; }
tr.failed td { font-weight: 600; }
.failure { border-left: 6px double var(--fail); padding: .25rem 0 .5rem 1rem; margin: 1.5rem 0; }
.failure h3 { margin: 0; }
.check h4 { margin: .75rem 0 .25rem; font-size: 1rem; }
table.diff td { border: 0; padding: 0 .5rem; font: 13px/1.45 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
table.diff td.sign { width: 2ch; font-weight: 700; user-select: none; }
table.diff tr.del { background: var(--del); }
table.diff tr.ins { background: var(--ins); }
table.diff tr.del td.sign { color: var(--fail); }
table.diff tr.ins td.sign { color: var(--pass); }
.legend { color: var(--muted); font-size: .9rem; margin: 0; }
.curl { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .75rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
"#;

fn marker(o: Outcome) -> &'static str {
    match o {
        Outcome::Passed => "✔ pass",
        Outcome::Failed => "✘ FAIL",
        Outcome::Skipped => "– skip",
    }
}

pub fn render(report: &RunReport) -> String {
    let s = report.summary();
    let verdict = if s.failed > 0 { "failed" } else { "passed" };
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Conformance report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        text(&report.target)
    );
    let _ = write!(
        out,
        "<section id=\"summary\" class=\"{verdict}\">\n<h1>Conformance report</h1>\n\
         <p class=\"verdict\">{}</p>\n<ul class=\"counts\">\
         <li><b>{}</b> total</li><li><b>{}</b> ✔ passed</li><li><b>{}</b> ✘ failed</li><li><b>{}</b> – skipped</li></ul>\n\
         <p class=\"target\">Target: <code>{}</code> · {:.1} s</p>\n</section>\n",
        if s.failed > 0 {
            "✘ FAILED"
        } else {
            "✔ OK: nothing failed"
        },
        s.total,
        s.passed,
        s.failed,
        s.skipped,
        text(&report.target),
        report.duration.as_secs_f64()
    );

    // Failure anchors are numbered in report order.
    let failed: Vec<&CaseResult> = report
        .cases
        .iter()
        .filter(|c| c.outcome == Outcome::Failed)
        .collect();
    let anchor = |c: &CaseResult| -> Option<String> {
        failed
            .iter()
            .position(|f| std::ptr::eq(*f, c))
            .map(|i| format!("failure-{}", i + 1))
    };

    for (op, cases) in report.by_operation() {
        let n_failed = cases.iter().filter(|c| c.outcome == Outcome::Failed).count();
        let _ = write!(
            out,
            "<section class=\"operation\">\n<h2>{} <small>({} cases, {} failed)</small></h2>\n\
             <table>\n<thead><tr><th>Outcome</th><th>Case</th><th>Notes</th></tr></thead>\n<tbody>\n",
            text(op),
            cases.len(),
            n_failed
        );
        for c in cases {
            let name =
                c.id.strip_prefix(op)
                    .map(|s| s.trim_start_matches('/'))
                    .unwrap_or(&c.id);
            let name = match anchor(c) {
                Some(a) => format!("<a href=\"#{}\">{}</a>", attr(&a), text(name)),
                None => text(name).into_owned(),
            };
            let note = c
                .reason
                .as_deref()
                .and_then(|r| r.lines().next())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr class=\"{cls}\"><td><span class=\"badge {cls}\">{}</span></td><td>{name}</td><td>{}</td></tr>",
                marker(c.outcome),
                text(note),
                cls = c.outcome.as_str(),
            );
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }

    if !failed.is_empty() {
        out.push_str("<section id=\"failures\">\n<h2>Failures</h2>\n");
        for c in &failed {
            let a = anchor(c).unwrap_or_default();
            let _ = write!(
                out,
                "<article class=\"failure\" id=\"{}\">\n<h3><span class=\"badge failed\">{}</span> {}</h3>\n",
                attr(&a),
                marker(Outcome::Failed),
                text(&c.id)
            );
            if let Some(r) = &c.reason {
                let _ = writeln!(out, "<pre class=\"reason\">{}</pre>", text(r));
            }
            for f in c
                .failures
                .iter()
                .filter(|f| !(f.check == "transport" && c.reason.is_some()))
            {
                failure(&mut out, f);
            }
            if let Some(curl) = &c.curl {
                let _ = writeln!(
                    out,
                    "<p class=\"legend\">Reproduce:</p>\n<pre class=\"curl\"><code>{}</code></pre>",
                    text(curl)
                );
            }
            out.push_str("</article>\n");
        }
        out.push_str("</section>\n");
    }
    let _ = write!(
        out,
        "<footer>conformance {}</footer>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// One failed check: its name and pointer, then a line diff of expected against actual.
fn failure(out: &mut String, f: &Failure) {
    let at = if f.pointer.is_empty() {
        String::new()
    } else {
        format!(" at <code>{}</code>", text(&f.pointer))
    };
    let _ = write!(
        out,
        "<div class=\"check\">\n<h4>{} check{at}</h4>\n\
         <p class=\"legend\"><b>−</b> expected · <b>+</b> actual</p>\n<table class=\"diff\">\n",
        text(&f.check)
    );
    let expected = show(&f.expected);
    let actual = show(&f.actual);
    let diff = TextDiff::from_lines(&expected, &actual);
    for change in diff.iter_all_changes() {
        let (cls, sign) = match change.tag() {
            ChangeTag::Delete => ("del", "−"),
            ChangeTag::Insert => ("ins", "+"),
            ChangeTag::Equal => ("same", " "),
        };
        let line = change.value().trim_end_matches('\n');
        let _ = writeln!(
            out,
            "<tr class=\"{cls}\"><td class=\"sign\">{sign}</td><td>{}</td></tr>",
            text(line)
        );
    }
    out.push_str("</table>\n</div>\n");
}

/// Values as JSON (so `"null"` and `null` differ), objects and arrays over several lines.
fn show(v: &Value) -> String {
    let mut s = match v {
        Value::Object(_) | Value::Array(_) => serde_json::to_string_pretty(v).unwrap_or_default(),
        other => other.to_string(),
    };
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::report::Failure;

    fn report() -> RunReport {
        RunReport {
            target: "http://x/<script>".into(),
            duration: Duration::from_millis(1500),
            cases: vec![
                CaseResult {
                    id: "op/a".into(),
                    operation: "op".into(),
                    outcome: Outcome::Passed,
                    failures: vec![],
                    reason: None,
                    curl: None,
                    duration: Duration::ZERO,
                },
                CaseResult {
                    id: "op/<b>".into(),
                    operation: "op".into(),
                    outcome: Outcome::Failed,
                    failures: vec![Failure::new(
                        "exact",
                        "/message",
                        "orderNotFound",
                        serde_json::json!({"x": "</td><script>alert(1)</script>"}),
                    )],
                    reason: None,
                    curl: Some("curl -H \"Authorization: Bearer $FRONTPAYMENT_TOKEN\" 'a&b'".into()),
                    duration: Duration::ZERO,
                },
            ],
        }
    }

    #[test]
    fn everything_is_escaped_and_nothing_is_loaded() {
        let html = render(&report());
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("'a&amp;b'"));
        assert!(!html.contains("<b>op") && html.contains("&lt;b&gt;"));
        // Self-contained: no external reference of any kind.
        for needle in ["src=", "<link", "@import", "url("] {
            assert!(!html.contains(needle), "{needle}");
        }
    }

    #[test]
    fn a_failure_has_markers_a_diff_and_its_reproducer() {
        let html = render(&report());
        assert!(html.contains("id=\"summary\" class=\"failed\""));
        assert!(html.contains("✘ FAILED"));
        assert!(html.contains("<tr class=\"del\"><td class=\"sign\">−</td><td>\"orderNotFound\"</td></tr>"));
        assert!(html.contains("<tr class=\"ins\"><td class=\"sign\">+</td><td>{</td></tr>"));
        assert!(html.contains("href=\"#failure-1\"") && html.contains("id=\"failure-1\""));
        assert!(html.contains("Bearer $FRONTPAYMENT_TOKEN"));
    }
}
