//! JUnit XML: one testsuite per operation, one testcase per case, with `<failure>` and
//! `<skipped>` elements that CI servers display.
//!
//! Every string goes through [`xml_safe`] first: a server's answer may hold characters XML 1.0
//! forbids (most C0 controls, U+FFFE, U+FFFF), which quick-junit would drop (controls) or
//! write raw (U+FFFE/U+FFFF, making the file unreadable); they are shown as `\u{…}` instead.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Outcome, RunReport, human::failure_lines};

pub fn render(report: &RunReport) -> String {
    let mut out = Report::new("conformance");
    out.set_time(report.duration);
    for (op, cases) in report.by_operation() {
        let mut suite = TestSuite::new(xml_safe(op));
        for c in cases {
            let name =
                c.id.strip_prefix(op)
                    .map(|s| s.trim_start_matches('/'))
                    .unwrap_or(&c.id);
            let status = match c.outcome {
                Outcome::Passed => TestCaseStatus::success(),
                Outcome::Skipped => {
                    let mut s = TestCaseStatus::skipped();
                    if let Some(r) = &c.reason {
                        s.set_message(xml_safe(r));
                    }
                    s
                }
                Outcome::Failed => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    let first = c
                        .failures
                        .first()
                        .map(|f| match f.pointer.as_str() {
                            "" => format!("{} check failed", f.check),
                            p => format!("{} check failed at `{p}`", f.check),
                        })
                        .or_else(|| c.reason.clone())
                        .unwrap_or_else(|| "failed".into());
                    s.set_message(xml_safe(&first));
                    s.set_type(xml_safe(
                        c.failures
                            .first()
                            .map(|f| f.check.as_str())
                            .unwrap_or("transport"),
                    ));
                    let mut text = String::new();
                    if let Some(r) = &c.reason {
                        text.push_str(r);
                        text.push('\n');
                    }
                    for f in &c.failures {
                        text.push_str(&failure_lines(f, false));
                    }
                    if let Some(curl) = &c.curl {
                        text.push_str(&format!("reproduce: {curl}\n"));
                    }
                    s.set_description(xml_safe(&text));
                    s
                }
            };
            let mut tc = TestCase::new(xml_safe(name), status);
            tc.set_classname(xml_safe(op));
            tc.set_time(c.duration);
            suite.add_test_case(tc);
        }
        out.add_test_suite(suite);
    }
    out.to_string().unwrap_or_default()
}

/// `s` with every character XML 1.0 does not allow written as `\u{…}` (tab, newline and
/// carriage return stay as they are).
pub fn xml_safe(s: &str) -> String {
    let allowed = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
    if s.chars().all(allowed) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if allowed(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:04X}}}", u32::from(c)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters_are_spelled_out() {
        assert_eq!(
            xml_safe("a\u{FFFF}b\u{FFFE}\u{1}\u{1b}[31m\tc\n"),
            "a\\u{FFFF}b\\u{FFFE}\\u{0001}\\u{001B}[31m\tc\n"
        );
        assert_eq!(xml_safe("é😀\u{FFFD}"), "é😀\u{FFFD}");
    }
}
