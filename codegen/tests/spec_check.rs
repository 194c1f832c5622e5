//! The project's spec passes every check, its sample corpus is what the issue asks for, and
//! broken specs fail with the file, line and JSON pointer of the problem (never a panic).

use std::path::{Path, PathBuf};

use codegen::spec::check::{check, read_samples};
use codegen::spec::validators::SchemaRegistry;
use codegen::{Diagnostic, Spec};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn project_spec() -> Spec {
    Spec::load(root().join("spec/frontpayment.openapi.yaml")).unwrap_or_else(|d| panic!("{d}"))
}

#[test]
fn project_spec_passes_every_check() {
    let spec = project_spec();
    let api = check(&spec).unwrap_or_else(|d| panic!("{d}"));
    let ids: Vec<&str> = api.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["resendOrderPaymentLink", "resendReservationPaymentLink"]);
    for op in &api.operations {
        let statuses: Vec<u16> = op.responses.iter().map(|r| r.status).collect();
        assert_eq!(statuses, [202, 400, 401, 404, 417, 510], "{}", op.id);
        let request = op.request.as_ref().expect("a request body");
        let names: Vec<&str> = request.examples.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["emailOnly", "smsOnly", "smsAndEmail"]);
        // Every response example is replayable, and the 401 is marked as inferred.
        for r in &op.responses {
            assert!(
                r.examples.iter().all(|e| e.replay.is_some()),
                "{} {}",
                op.id,
                r.status
            );
            assert_eq!(r.inferred.is_some(), r.status == 401, "{} {}", op.id, r.status);
        }
    }
}

#[test]
fn every_documented_message_is_a_named_example() {
    let api = check(&project_spec()).unwrap();
    let messages = |id: &str, status: u16| -> Vec<String> {
        let op = api.operations.iter().find(|o| o.id == id).unwrap();
        op.response(status)
            .unwrap()
            .examples
            .iter()
            .map(|e| e.value["message"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        messages("resendOrderPaymentLink", 400),
        ["orderStatusAlreadyPaid", "orderStatusAlreadyCancelled"]
    );
    assert_eq!(
        messages("resendReservationPaymentLink", 400),
        ["orderStatusAlreadyCompleted", "orderStatusAlreadyCancelled"]
    );
    for id in ["resendOrderPaymentLink", "resendReservationPaymentLink"] {
        assert_eq!(messages(id, 202), ["resentOrderSuccessfully"]);
        assert_eq!(messages(id, 404), ["orderNotFound"]);
        assert_eq!(messages(id, 417), ["payloadValidationErrors"]);
        assert_eq!(messages(id, 510), ["Something Went Wrong"]);
    }
}

#[test]
fn sample_corpus_gets_the_verdict_its_folder_promises() {
    let spec = project_spec();
    let registry = SchemaRegistry::new(&spec).unwrap();
    let schema = registry
        .compile(&spec, "/components/schemas/ResendRequest")
        .unwrap();
    let valid = read_samples(&root().join("spec/samples/valid"));
    let invalid = read_samples(&root().join("spec/samples/invalid"));
    assert!(
        valid.len() >= 6,
        "at least 6 valid samples, found {}",
        valid.len()
    );
    assert!(
        invalid.len() >= 12,
        "at least 12 invalid samples, found {}",
        invalid.len()
    );
    for (path, value) in valid {
        let value = value.unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(schema.errors(&value), [], "{} should be valid", path.display());
    }
    for (path, value) in invalid {
        let value = value.unwrap_or_else(|d| panic!("{d}"));
        assert!(!schema.is_valid(&value), "{} should be rejected", path.display());
    }
}

#[test]
fn format_assertions_are_on() {
    // The pattern beside `format: email` would not catch this, the format check does.
    let spec = project_spec();
    let registry = SchemaRegistry::new(&spec).unwrap();
    let email = registry
        .compile(&spec, "/components/schemas/EmailAddress")
        .unwrap();
    assert!(email.is_valid(&serde_json::json!("qa@example.com")));
    assert!(!email.is_valid(&serde_json::json!("no-at-sign.example.com")));
}

fn broken(name: &str) -> Vec<Diagnostic> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(name);
    let result = Spec::load(&path).and_then(|spec| check(&spec).map(|_| ()));
    let diags = result.expect_err("a broken spec must fail").0;
    for d in &diags {
        assert!(d.file.ends_with(name), "diagnostic names the file: {d}");
    }
    diags
}

#[test]
fn bad_yaml_names_the_line() {
    let d = broken("bad-yaml.yaml");
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("not valid YAML"), "{}", d[0]);
    assert!(d[0].line.is_some_and(|l| (9..=11).contains(&l)), "{}", d[0]);
}

#[test]
fn dangling_ref_names_pointer_and_line() {
    let d = broken("dangling-ref.yaml");
    assert_eq!(
        d[0].pointer,
        "/paths/~1things~1{id}/post/parameters/0/schema/$ref"
    );
    assert_eq!(d[0].line, Some(14));
    assert!(d[0].message.contains("#/components/schemas/ThingId"), "{}", d[0]);
}

#[test]
fn example_violating_its_schema_names_the_value() {
    let d = broken("example-violates-schema.yaml");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].pointer,
        "/paths/~1things~1{id}/post/responses/200/content/application~1json/examples/done/value/count"
    );
    assert_eq!(d[0].line, Some(27));
    assert!(d[0].hint.as_deref().unwrap_or("").contains("minimum"), "{}", d[0]);
}

#[test]
fn unknown_openapi_field_is_refused() {
    let d = broken("unknown-field.yaml");
    assert!(d[0].message.contains("unknown field `contnet`"), "{}", d[0]);
    assert_eq!(
        d[0].pointer, "/paths/~1things~1{id}/post/responses/204/contnet",
        "{}",
        d[0]
    );
    assert_eq!(d[0].line, Some(17));
}

#[test]
fn every_errata_entry_points_at_the_spec_and_quotes_a_page() {
    let spec = project_spec();
    let errata = std::fs::read_to_string(root().join("spec/ERRATA.md")).unwrap();
    let entries: Vec<&str> = errata.split("\n## ").skip(1).collect();
    assert!(entries.len() >= 15, "found {} entries", entries.len());
    for entry in entries {
        let title = entry.lines().next().unwrap();
        let field = |name: &str| {
            entry
                .lines()
                .find_map(|l| l.strip_prefix(&format!("- {name}: ")))
                .unwrap_or_else(|| panic!("entry `{title}` has no `{name}:`"))
        };
        for pointer in field("where").split(", ").filter(|p| p.starts_with('/')) {
            assert!(
                spec.at(pointer).is_some(),
                "entry `{title}`: {pointer} is not in the spec"
            );
        }
        assert!(!field("docs").is_empty(), "entry `{title}` quotes nothing");
        field("spec");
        field("drift");
    }
    // The departures the docs are known for are all recorded.
    for needle in [
        "+47",
        "COMPELTED",
        "paytment",
        "\"errors\": \"Array\"",
        "is_error",
        "resentOrderSuccessfully",
        "401",
    ] {
        assert!(errata.contains(needle), "ERRATA.md does not mention {needle}");
    }
}
