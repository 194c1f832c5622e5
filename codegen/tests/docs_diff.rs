//! `docs-diff`: today's pages against today's spec show only known differences, and edited
//! copies of the pages (a new field, a changed message, a new status, a removed sample, ...)
//! are each reported as drift, at the right line.
//!
//! The pages are read from verbatim copies in `tests/fixtures/docs/` (the originals live in
//! `shared/docs/`, outside the repository), so the tests are deterministic.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Spec;
use codegen::docs::Page;
use codegen::drift::{self, Errata, Kind, Report};
use codegen::spec::check::check;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn spec_path() -> PathBuf {
    Path::new(ROOT).join("../spec/frontpayment.openapi.yaml")
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(ROOT).join("tests/fixtures/docs").join(rel)
}

fn run(pages: &[&str]) -> Report {
    let spec = Spec::load(spec_path()).unwrap_or_else(|d| panic!("{d}"));
    let api = check(&spec).unwrap_or_else(|d| panic!("{d}"));
    let errata = Errata::load(&Path::new(ROOT).join("../spec/ERRATA.md")).unwrap_or_else(|d| panic!("{d}"));
    let pages: Vec<Page> = pages
        .iter()
        .map(|p| Page::load(&fixture(p)).unwrap_or_else(|d| panic!("{d}")))
        .collect();
    drift::compare(&spec, &api, &errata, &pages)
}

/// (kind, subject, line) of the differences no ERRATA entry records.
fn unknown(report: &Report) -> Vec<(&'static str, String, Option<usize>)> {
    report
        .differences()
        .filter(|d| d.known.is_none())
        .map(|d| (d.kind.as_str(), d.subject.clone(), d.line))
        .collect()
}

const TODAY: [&str; 2] = ["resend-payment-link.md", "resend-reservation.md"];

#[test]
fn todays_pages_show_no_unknown_drift() {
    let report = run(&TODAY);
    assert_eq!(unknown(&report), [], "{}", report.render(true));
    let known: Vec<(String, &str, String, Option<usize>, String)> = report
        .differences()
        .map(|d| {
            (
                d.page.clone(),
                d.kind.as_str(),
                d.subject.clone(),
                d.line,
                d.known.clone().unwrap_or_default(),
            )
        })
        .collect();
    let o = "resend-payment-link.md".to_string();
    let r = "resend-reservation.md".to_string();
    let s = |x: &str| x.to_string();
    assert_eq!(
        known,
        [
            (o.clone(), "path-parameter", s("orderUuid"), Some(20), s("E4")),
            (o.clone(), "sample-repair", s("countryCode"), Some(38), s("E1")),
            (o.clone(), "sample-value", s("msisdn"), Some(39), s("E3")),
            (o.clone(), "sample-repair", s("email"), Some(40), s("E2")),
            (o.clone(), "field-type", s("email"), Some(69), s("E14")),
            (o.clone(), "sample-value", s("errors"), Some(111), s("E5")),
            (o.clone(), "sample-value", s("errors"), Some(146), s("E5")),
            (o.clone(), "status", s("401"), None, s("E9")),
            (o.clone(), "header", s("x-ratelimit-limit"), None, s("E18")),
            (o.clone(), "header", s("x-ratelimit-remaining"), None, s("E18")),
            (
                r.clone(),
                "path-parameter",
                s("reservationUuid"),
                Some(25),
                s("E4")
            ),
            (r.clone(), "sample-repair", s("countryCode"), Some(42), s("E1")),
            (r.clone(), "sample-value", s("msisdn"), Some(43), s("E3")),
            (r.clone(), "field-type", s("email"), Some(55), s("E14")),
            (r.clone(), "sample-repair", s("stray-block"), Some(72), s("E13")),
            (r.clone(), "sample-value", s("errors"), Some(95), s("E5")),
            (r.clone(), "sample-value", s("errors"), Some(129), s("E5")),
            (r.clone(), "status", s("401"), None, s("E9")),
            (r.clone(), "header", s("x-ratelimit-limit"), None, s("E18")),
            (r.clone(), "header", s("x-ratelimit-remaining"), None, s("E18")),
        ]
    );
}

#[test]
fn every_errata_drift_tag_is_produced_by_todays_pages() {
    // A stale tag would hide drift the day the vendor introduces it again.
    let errata = Errata::load(&Path::new(ROOT).join("../spec/ERRATA.md")).unwrap_or_else(|d| panic!("{d}"));
    let report = run(&TODAY);
    for e in &errata.entries {
        for (kind, subject) in &e.drift {
            assert!(
                report.differences().any(|d| d.kind.as_str() == kind
                    && &d.subject == subject
                    && d.known.as_deref() == Some(&e.id)),
                "{}: `{kind} {subject}` is not produced by today's pages",
                e.id
            );
        }
    }
}

#[test]
fn a_new_field_is_drift() {
    let report = run(&["edited/new-field/resend-payment-link.md"]);
    assert_eq!(
        unknown(&report),
        [("field-missing", "reference".to_string(), Some(73))]
    );
}

#[test]
fn a_changed_message_is_drift() {
    let report = run(&["edited/changed-message/resend-payment-link.md"]);
    assert_eq!(
        unknown(&report),
        [("message", "orderNotFound".to_string(), Some(97))]
    );
    let d = report.differences().find(|d| d.kind == Kind::Message).unwrap();
    assert!(d.detail.contains("orderDoesNotExist"), "{}", d.detail);
    assert_eq!(
        d.pointer.as_deref(),
        Some("/components/responses/NotFound/content/application~1json/examples/orderNotFound/value/message")
    );
    assert_eq!(d.spec_line, Some(284));
}

#[test]
fn a_new_status_is_drift() {
    let report = run(&["edited/new-status/resend-payment-link.md"]);
    // The new section also moves the 510 sample below the lines its example cites.
    assert_eq!(
        unknown(&report),
        [
            ("status", "409".to_string(), Some(138)),
            ("docs-lines", "somethingWentWrong".to_string(), Some(152)),
        ]
    );
}

#[test]
fn a_removed_sample_is_drift() {
    let report = run(&["edited/removed-sample/resend-reservation.md"]);
    assert_eq!(
        unknown(&report),
        [
            ("docs-lines", "somethingWentWrong".to_string(), Some(113)),
            ("sample-removed", "orderStatusAlreadyCancelled".to_string(), None),
        ]
    );
}

#[test]
fn a_changed_type_and_requirement_in_the_text_table_are_drift() {
    let report = run(&["edited/field-type-required/resend-reservation.md"]);
    assert_eq!(
        unknown(&report),
        [
            ("field-type", "msisdn".to_string(), Some(54)),
            ("field-required", "msisdn".to_string(), Some(54)),
        ]
    );
}

#[test]
fn a_new_member_in_a_sample_is_drift() {
    let report = run(&["edited/sample-member/resend-reservation.md"]);
    assert_eq!(
        unknown(&report),
        [("sample-value", "request_id".to_string(), Some(68))]
    );
}

#[test]
fn a_known_difference_stays_known_only_on_the_pages_its_entry_covers() {
    // E2 (the unclosed email string) covers the orders page only.
    let page = Page::parse(
        "resend-reservation.md",
        &std::fs::read_to_string(fixture("resend-reservation.md"))
            .unwrap()
            .replace(
                "\"email\": \"example-email@email.com\"",
                "\"email\": \"example-email@email.com",
            ),
    );
    let spec = Spec::load(spec_path()).unwrap();
    let api = check(&spec).unwrap();
    let errata = Errata::load(&Path::new(ROOT).join("../spec/ERRATA.md")).unwrap();
    let report = drift::compare(&spec, &api, &errata, &[page]);
    assert_eq!(
        unknown(&report),
        [("sample-repair", "email".to_string(), Some(44))]
    );
}

#[test]
fn a_page_with_no_endpoint_is_drift() {
    let spec = Spec::load(spec_path()).unwrap();
    let api = check(&spec).unwrap();
    let report = drift::compare(
        &spec,
        &api,
        &Errata::default(),
        &[Page::parse("x.md", "# nothing here\n")],
    );
    assert_eq!(unknown(&report), [("endpoint", "missing".to_string(), None)]);
    let page = Page::parse(
        "x.md",
        "```\nGET https://h/api/v1/connect/orders/resend/{{ID}}\n```\n",
    );
    let report = drift::compare(&spec, &api, &Errata::default(), &[page]);
    assert_eq!(report.pages[0].operation, None);
    assert_eq!(unknown(&report)[0].0, "endpoint");
}

fn codegen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(args)
        .output()
        .expect("run codegen");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_exit_codes_and_json() {
    let spec = spec_path();
    let spec = spec.to_str().unwrap();
    let a = fixture("resend-payment-link.md");
    let b = fixture("resend-reservation.md");
    let (code, out, err) = codegen(&[
        "docs-diff",
        "--spec",
        spec,
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    // Known differences are counted, not listed, unless asked for.
    assert!(!out.contains("known (E5)"), "{out}");
    assert!(out.contains("\nno drift\n"), "{out}");
    assert!(out.contains("20 known difference(s), recorded in "), "{out}");
    assert!(
        out.ends_with("2 page(s): 20 difference(s), 20 known, 0 unknown drift\n"),
        "{out}"
    );
    let (code, out, _) = codegen(&[
        "docs-diff",
        "--known",
        "--spec",
        spec,
        a.to_str().unwrap(),
        b.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("known (E5): sample-value errors"), "{out}");

    let edited = fixture("edited/changed-message/resend-payment-link.md");
    let (code, out, _) = codegen(&[
        "docs-diff",
        "--spec",
        spec,
        "--format",
        "json",
        edited.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON report");
    let drift: Vec<&serde_json::Value> = v["pages"][0]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["known"].is_null())
        .collect();
    assert_eq!(drift.len(), 1);
    assert_eq!(drift[0]["kind"], "message");
    assert_eq!(drift[0]["line"], 97);

    let (code, _, err) = codegen(&["docs-diff", "--spec", spec, "no-such-page.md"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the doc page"), "{err}");
    let (code, _, _) = codegen(&["docs-diff", "--spec", "no-such-spec.yaml", a.to_str().unwrap()]);
    assert_eq!(code, 2);
}
