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
use codegen::docs::snapshot::Snapshot;
use codegen::drift::{self, Errata, Kind, Report};
use codegen::emit::{cases, generate_client};
use codegen::spec::check::check;
use serde_json::json;

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
    assert_eq!(d.spec_line, Some(295));
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

// ---------------------------------------------------------------------------------------------
// The reconciled-facts snapshot kept in the repository.

fn load_snapshot() -> Snapshot {
    Snapshot::load(&Path::new(ROOT).join("../spec/docs-snapshot.json")).unwrap_or_else(|d| panic!("{d}"))
}

fn today_pages() -> Vec<Page> {
    TODAY.iter().map(|p| Page::load(&fixture(p)).unwrap()).collect()
}

#[test]
fn the_snapshot_in_spec_is_current() {
    // The pages the spec is reconciled with (verbatim in the fixtures) give the facts the
    // snapshot holds; a stale snapshot would make every later "since the snapshot" wrong.
    let snap = load_snapshot();
    let fresh = Snapshot::of(&today_pages(), snap.saved.clone(), None);
    assert_eq!(
        fresh.to_json(),
        snap.to_json(),
        "spec/docs-snapshot.json is stale: run `codegen docs-diff --save-snapshot` on the reconciled pages"
    );
    assert_eq!(snap.changes("s", &today_pages()).changes, []);
    // The page's stamp is kept, the author's name is not.
    let text = std::fs::read_to_string(Path::new(ROOT).join("../spec/docs-snapshot.json")).unwrap();
    assert!(text.contains("\"revision\": \"#7\""), "{text}");
    assert!(
        text.contains("\"updated\": \"1 October 2025 09:39:43\",\n"),
        "{text}"
    );
}

#[test]
fn the_snapshot_says_what_changed_on_the_pages() {
    let snap = load_snapshot();
    let pages = [
        Page::load(&fixture("edited/new-field/resend-payment-link.md")).unwrap(),
        Page::load(&fixture("edited/field-type-required/resend-reservation.md")).unwrap(),
    ];
    let what: Vec<String> = snap
        .changes("s", &pages)
        .changes
        .into_iter()
        .map(|c| format!("{}: {}", c.page, c.what))
        .collect();
    assert_eq!(
        what,
        [
            "resend-payment-link.md: field added: reference (string, optional)",
            "resend-reservation.md: field changed: msisdn (string, conditionally required → integer, required)",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// The reconciling changes.

fn fix_of(report: &Report, kind: Kind) -> &drift::Fix {
    report
        .differences()
        .find(|d| d.kind == kind && d.known.is_none())
        .and_then(|d| d.fix.as_ref())
        .unwrap_or_else(|| panic!("no {kind:?} drift with a fix:\n{}", report.render(false)))
}

fn ops(fix: &drift::Fix) -> Vec<(&str, &str, Option<&serde_json::Value>)> {
    fix.ops
        .iter()
        .map(|o| (o.op, o.path.as_str(), o.value.as_ref()))
        .collect()
}

#[test]
fn a_new_field_gets_its_property_with_the_pages_type() {
    let report = run(&["edited/new-field/resend-payment-link.md"]);
    let fix = fix_of(&report, Kind::FieldMissing);
    assert_eq!(
        ops(fix),
        [(
            "add",
            "/components/schemas/ResendRequest/properties/reference",
            Some(&json!({"type": "string"}))
        )]
    );
    assert!(fix.note.contains("optional"), "{}", fix.note);
}

#[test]
fn a_required_new_field_is_also_listed_in_required() {
    let text = std::fs::read_to_string(fixture("edited/new-field/resend-payment-link.md"))
        .unwrap()
        .replace(
            "Optional. Your own reference",
            "<strong>Required</strong> Your own reference",
        )
        .replace(
            "<code>string</code></td>\n      <td><strong>Required",
            "<code>int</code></td>\n      <td><strong>Required",
        );
    let page = Page::parse("resend-payment-link.md", &text);
    let spec = Spec::load(spec_path()).unwrap();
    let api = check(&spec).unwrap();
    let report = drift::compare(&spec, &api, &Errata::default(), &[page]);
    let fix = fix_of(&report, Kind::FieldMissing);
    assert_eq!(
        ops(fix),
        [
            (
                "add",
                "/components/schemas/ResendRequest/properties/reference",
                Some(&json!({"type": "integer"}))
            ),
            // The schema has no `required` list of its own yet: one is made.
            (
                "add",
                "/components/schemas/ResendRequest/required",
                Some(&json!(["reference"]))
            ),
        ]
    );
}

#[test]
fn a_changed_message_gets_the_enum_value_and_its_own_example() {
    let report = run(&["edited/changed-message/resend-payment-link.md"]);
    let fix = fix_of(&report, Kind::Message);
    let examples = "/components/responses/NotFound/content/application~1json/examples";
    let o = ops(fix);
    assert_eq!(o.len(), 3, "{o:?}");
    assert_eq!(
        o[0],
        (
            "add",
            "/components/schemas/NotFoundResponse/properties/message/enum/-",
            Some(&json!("orderDoesNotExist"))
        )
    );
    assert_eq!(
        (o[1].0, o[1].1),
        ("add", &*format!("{examples}/orderDoesNotExist"))
    );
    let example = o[1].2.unwrap();
    assert_eq!(example["value"]["message"], "orderDoesNotExist");
    assert_eq!(
        example["x-docs"],
        json!([{"page": "resend-payment-link.md", "lines": "93-101"}])
    );
    assert_eq!(
        example["x-replay"]["state"], "missing",
        "copied from the example beside it"
    );
    // That state answers with the old message: the new one can only be checked by schema.
    assert_eq!(example["x-replay"]["match"]["message"], "schema");
    assert_eq!(example["x-replay"]["match"]["status_code"], "exact");
    // The old example documents the other page still: only this page's citation goes.
    assert_eq!(
        o[2],
        ("remove", &*format!("{examples}/orderNotFound/x-docs/0"), None)
    );
}

#[test]
fn moved_lines_and_other_drift_get_a_fix() {
    let report = run(&["edited/new-status/resend-payment-link.md"]);
    let fix = fix_of(&report, Kind::DocsLines);
    assert_eq!(
        ops(fix),
        [(
            "replace",
            "/components/responses/ExecutionFailed/content/application~1json/examples/somethingWentWrong/x-docs/0/lines",
            Some(&json!("152-160"))
        )]
    );
    // A new status needs a person: the fix says what, with no operations.
    let fix = fix_of(&report, Kind::Status);
    assert!(fix.ops.is_empty());
    assert!(fix.note.contains("`status 409`"), "{}", fix.note);
    // Known differences get none.
    assert!(
        report
            .differences()
            .filter(|d| d.known.is_some())
            .all(|d| d.fix.is_none())
    );
}

// ---------------------------------------------------------------------------------------------
// The report layout (reviewed snapshots; the behaviour is asserted above).

/// The rendered report with the checkout's absolute paths cut.
fn rendered(report: &Report, known: bool) -> String {
    report.render(known).replace(&format!("{ROOT}/../"), "")
}

#[test]
fn layout_of_todays_pages() {
    let report = run(&TODAY);
    insta::assert_snapshot!("todays_pages", rendered(&report, false));
    insta::assert_snapshot!("todays_pages_known", rendered(&report, true));
}

#[test]
fn layout_of_drift_with_fixes() {
    let mut report = run(&[
        "edited/new-field/resend-payment-link.md",
        "edited/new-message/resend-reservation.md",
    ]);
    let pages: Vec<Page> = [
        "edited/new-field/resend-payment-link.md",
        "edited/new-message/resend-reservation.md",
    ]
    .iter()
    .map(|p| Page::load(&fixture(p)).unwrap())
    .collect();
    let mut snap = load_snapshot();
    snap.saved = "(date)".into();
    report.since_snapshot = Some(snap.changes("spec/docs-snapshot.json", &pages));
    insta::assert_snapshot!("drift_with_fixes", rendered(&report, false));
}

// ---------------------------------------------------------------------------------------------
// The README's "When the docs change" workflow, end to end, on edited copies of the pages.

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            copy_dir(&p, &to.join(p.file_name().unwrap()));
        } else {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}

/// What the generated client needs at run time: the `[dependencies]` of `frontpay-client`, as
/// the workspace declares them (paths made absolute).
fn runtime_dependency_lines() -> Vec<String> {
    let root = Path::new(ROOT).join("..");
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let client = std::fs::read_to_string(root.join("generated-client/Cargo.toml")).unwrap();
    let section = client
        .split("\n[")
        .find(|s| s.starts_with("dependencies]"))
        .expect("frontpay-client has [dependencies]");
    section
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(".workspace = true").map(|(name, _)| name.trim()))
        .map(|dep| {
            let line = workspace
                .lines()
                .find(|l| l.starts_with(&format!("{dep} = ")))
                .unwrap_or_else(|| panic!("{dep} is not in [workspace.dependencies]"));
            line.replace("path = \"", &format!("path = \"{}/", root.display()))
        })
        .collect()
}

/// Generates the client of `spec` into a scratch crate with `uses`, and `cargo check`s it with
/// warnings denied (the scratch crate builds into `target/generated-check`, beside the one of
/// `compile_generated.rs`, so their dependencies are built once).
fn client_compiles(scratch: &Path, spec: &Spec, uses: &str) {
    let deps = runtime_dependency_lines();
    assert!(!deps.is_empty());
    std::fs::create_dir_all(scratch.join("src/client")).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"docs-diff-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\n{}\n",
            deps.join("\n")
        ),
    )
    .unwrap();
    std::fs::copy(Path::new(ROOT).join("../Cargo.lock"), scratch.join("Cargo.lock")).unwrap();
    for f in generate_client(spec).unwrap_or_else(|d| panic!("{d}")) {
        std::fs::write(scratch.join("src/client").join(&f.name), f.contents).unwrap();
    }
    std::fs::write(
        scratch.join("src/lib.rs"),
        format!(
            "#![deny(warnings)]\npub mod types {{\n    include!(\"client/types.rs\");\n}}\n\
             pub mod client {{\n    include!(\"client/client.rs\");\n}}\n{uses}"
        ),
    )
    .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["check", "--quiet", "--offline"])
        .current_dir(scratch)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(ROOT).join("../target/generated-check"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "the regenerated client does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_docs_change_workflow_reconciles_a_new_field_and_a_new_message() {
    let dir = tempfile::tempdir().unwrap();
    // A user's clone: the spec folder (contract, ERRATA, snapshot, samples) ...
    let spec_dir = dir.path().join("spec");
    copy_dir(&Path::new(ROOT).join("../spec"), &spec_dir);
    let spec = spec_dir.join("frontpayment.openapi.yaml");
    // ... and the vendor's pages, saved today: one with a new field, one with a new message.
    let pages_dir = dir.path().join("pages");
    std::fs::create_dir_all(&pages_dir).unwrap();
    // (The field is on both pages, as the vendor documents a shared request body.)
    for edited in [
        "new-field/resend-payment-link.md",
        "new-field-and-message/resend-reservation.md",
    ] {
        let from = fixture(&format!("edited/{edited}"));
        std::fs::copy(&from, pages_dir.join(from.file_name().unwrap())).unwrap();
    }
    let pages: Vec<String> = TODAY
        .iter()
        .map(|p| pages_dir.join(p).display().to_string())
        .collect();
    let suggest = dir.path().join("suggest.yaml");
    let docs_diff = |extra: &[&str]| {
        let mut args = vec!["docs-diff", "--spec", spec.to_str().unwrap()];
        args.extend_from_slice(extra);
        args.extend(pages.iter().map(String::as_str));
        codegen(&args)
    };

    // 1. See what changed: the drift, each with its fix, and what moved since the snapshot.
    let (code, out, err) = docs_diff(&["--suggest", suggest.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("\nDRIFT (4)\n"), "{out}");
    assert!(
        out.contains("fix: add the property `reference` (string, optional) to the request schema"),
        "{out}"
    );
    assert!(
        out.contains(
            "add /components/schemas/ReservationConflictResponse/properties/message/enum/-: orderStatusAlreadyExpired"
        ),
        "{out}"
    );
    assert!(
        out.contains("resend-payment-link.md: field added: reference (string, optional)"),
        "{out}"
    );
    assert!(
        out.contains("resend-reservation.md: field added: reference (string, optional)"),
        "{out}"
    );
    assert!(
        out.contains("resend-reservation.md: response sample added: 400 orderStatusAlreadyExpired"),
        "{out}"
    );
    // The snapshot records reconciled pages only.
    let before = std::fs::read_to_string(spec_dir.join("docs-snapshot.json")).unwrap();
    let (code, _, err) = docs_diff(&["--save-snapshot"]);
    assert_eq!(code, 1);
    assert!(err.contains("snapshot not saved"), "{err}");
    assert_eq!(
        std::fs::read_to_string(spec_dir.join("docs-snapshot.json")).unwrap(),
        before
    );

    // 2. Edit the contract: apply the suggested patch to the spec.
    let text = std::fs::read_to_string(&suggest).unwrap();
    let ops: serde_json::Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    // The property (asked for by both pages, listed once), the enum value, the example, the
    // moved lines of the 510 sample.
    assert_eq!(ops.as_array().map(Vec::len), Some(4), "{text}");
    let patch: json_patch::Patch = serde_json::from_value(ops).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let mut doc = Spec::load(&spec).unwrap().doc.clone();
    json_patch::patch(&mut doc, &patch).unwrap_or_else(|e| panic!("{e}\n{text}"));
    std::fs::write(&spec, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let (code, out, err) = codegen(&["check", "--spec", spec.to_str().unwrap()]);
    assert_eq!(code, 0, "the patched spec fails `codegen check`:\n{out}{err}");

    // Repeat until docs-diff exits 0; then keep the pages' facts.
    let (code, out, err) = docs_diff(&["--save-snapshot"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("\nno drift\n"), "{out}");
    assert!(err.contains("saved the pages' facts"), "{err}");
    let (code, out, _) = docs_diff(&[]);
    assert_eq!(code, 0);
    assert!(out.contains("  the pages show the same facts\n"), "{out}");

    // 4. Regenerate: the suite's cases gain one for the new example (running them needs a
    // conformance run on this spec, which the conformance CLI cannot do yet) ...
    let patched = Spec::load(&spec).unwrap_or_else(|d| panic!("{d}"));
    let cases_of = |spec: &Spec| {
        let api = check(spec).unwrap_or_else(|d| panic!("{d}"));
        let invalid = cases::read_invalid_samples(&spec_dir.join("samples")).unwrap();
        let table = cases::derive(&api, &invalid).unwrap_or_else(|d| panic!("{d}"));
        cases::emit_tests(&api, &table, "spec").unwrap_or_else(|d| panic!("{d}"));
        table
    };
    let before = cases_of(&Spec::load(spec_path()).unwrap());
    let after = cases_of(&patched);
    assert_eq!(after.len(), before.len() + 1);
    let new = after
        .iter()
        .find(|c| c.example == "orderStatusAlreadyExpired")
        .expect("a case for the new example");
    assert_eq!(
        (new.operation.as_str(), new.status),
        ("resendReservationPaymentLink", 400)
    );
    assert!(new.exact.contains(&"/status_code".to_string()), "{:?}", new.exact);
    assert!(!new.exact.contains(&"/message".to_string()), "{:?}", new.exact);

    // ... and the client exposes the new field and the new message, and compiles.
    client_compiles(
        &dir.path().join("scratch"),
        &patched,
        r#"
pub fn reconciled() -> Result<(), Box<dyn std::error::Error>> {
    use types::*;
    let body = ResendRequest::new_email(EmailAddress::new("kari@example.no")?).with_reference("INV-7".to_string());
    let _: Option<&String> = body.reference();
    let _ = ReservationConflictResponseMessage::OrderStatusAlreadyExpired.as_str();
    let _ = client::Client::builder();
    Ok(())
}
"#,
    );
}

#[test]
fn a_bad_snapshot_or_suggest_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let spec = spec_path();
    let page = fixture("resend-payment-link.md");
    let bad = dir.path().join("snap.json");
    std::fs::write(&bad, "{\n  \"about\": \"x\",\n  \"saved\": 3\n}\n").unwrap();
    let (code, _, err) = codegen(&[
        "docs-diff",
        "--spec",
        spec.to_str().unwrap(),
        "--snapshot",
        bad.to_str().unwrap(),
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("snap.json:3:") && err.contains("not a docs snapshot"),
        "{err}"
    );
    let (code, _, err) = codegen(&[
        "docs-diff",
        "--spec",
        spec.to_str().unwrap(),
        "--suggest",
        dir.path().join("no/such/dir/s.yaml").to_str().unwrap(),
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot write"), "{err}");
    // A new snapshot file is made on the first save.
    let fresh = dir.path().join("fresh.json");
    let (code, _, err) = codegen(&[
        "docs-diff",
        "--spec",
        spec.to_str().unwrap(),
        "--snapshot",
        fresh.to_str().unwrap(),
        "--save-snapshot",
        page.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let saved = Snapshot::load(&fresh).unwrap();
    assert_eq!(saved.pages.len(), 1);
    assert_eq!(saved.pages[0].page, "resend-payment-link.md");
}
