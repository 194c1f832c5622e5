//! JUnit XML: one testsuite per operation, one testcase per case, with `<failure>` and
//! `<skipped>` elements that CI servers display.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Outcome, RunReport, human::failure_lines};

pub fn render(report: &RunReport) -> String {
    let mut out = Report::new("conformance");
    out.set_time(report.duration);
    for (op, cases) in report.by_operation() {
        let mut suite = TestSuite::new(op);
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
                        s.set_message(r.as_str());
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
                    s.set_message(first);
                    s.set_type(
                        c.failures
                            .first()
                            .map(|f| f.check.as_str())
                            .unwrap_or("transport"),
                    );
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
                    s.set_description(text);
                    s
                }
            };
            let mut tc = TestCase::new(name, status);
            tc.set_classname(op);
            tc.set_time(c.duration);
            suite.add_test_case(tc);
        }
        out.add_test_suite(suite);
    }
    out.to_string().unwrap_or_default()
}
