//! `codegen diff`: each class of change, made by a small edit of the real spec's text (so the
//! cases follow the spec as it evolves), is found and classified.

use std::path::Path;
use std::process::Command;

use codegen::Spec;
use codegen::spec::check::check_document;
use codegen::spec_diff::{self, Change};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");

fn real() -> String {
    std::fs::read_to_string(SPEC).expect("read the spec")
}

/// `text` with `from` (which must occur exactly once) replaced.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur once in the spec"
    );
    text.replacen(from, to, 1)
}

/// The text between `start` (inclusive) and `end` (exclusive) removed.
fn cut(text: &str, start: &str, end: &str) -> String {
    let a = text.find(start).expect("start marker");
    let b = a + text[a..].find(end).expect("end marker");
    format!("{}{}", &text[..a], &text[b..])
}

fn changes(old: &str, new: &str) -> Vec<Change> {
    let load = |name: &str, text: &str| {
        let spec = Spec::parse(name, text.to_string()).unwrap_or_else(|d| panic!("{d}"));
        let api = check_document(&spec).unwrap_or_else(|d| panic!("{name}: {d}"));
        (spec, api)
    };
    let (o, oa) = load("old.yaml", old);
    let (n, na) = load("new.yaml", new);
    spec_diff::diff(&o, &oa, &n, &na)
}

/// (kind, breaking, pointer) of every change.
fn summary(c: &[Change]) -> Vec<(&str, bool, &str)> {
    c.iter()
        .map(|c| (c.kind.as_str(), c.breaking, c.pointer.as_str()))
        .collect()
}

const RESERVATIONS: &str = "  /api/v1/connect/reservations/resend/{reservationUuid}:\n";

#[test]
fn the_same_spec_has_no_changes() {
    assert_eq!(changes(&real(), &real()), []);
}

#[test]
fn a_removed_operation_is_breaking_an_added_one_is_not() {
    let without = cut(&real(), RESERVATIONS, "components:\n");
    let removed = changes(&real(), &without);
    assert_eq!(
        summary(&removed),
        [(
            "operation-removed",
            true,
            "/paths/~1api~1v1~1connect~1reservations~1resend~1{reservationUuid}/post"
        )]
    );
    assert_eq!(removed[0].line, Some(123));
    assert!(removed[0].in_old);
    let added = changes(&without, &real());
    assert_eq!(summary(&added)[0].0, "operation-added");
    assert!(added.iter().all(|c| !c.breaking), "{added:?}");
}

#[test]
fn a_renamed_operation_is_breaking() {
    let new = edit(
        &real(),
        "operationId: resendReservationPaymentLink",
        "operationId: resendReservationLink",
    );
    let c = changes(&real(), &new);
    assert_eq!(summary(&c)[0].0, "operation-removed");
    assert!(c[0].breaking);
    assert!(
        c[0].detail.contains("renamed `resendReservationLink`"),
        "{}",
        c[0].detail
    );
}

#[test]
fn a_removed_request_field_is_breaking() {
    let new = cut(
        &real(),
        "        msisdn:\n          description: Phone number",
        "        email:\n          description: Email address",
    );
    assert_eq!(
        summary(&changes(&real(), &new)),
        [(
            "property-removed",
            true,
            "/components/schemas/ResendRequest/properties"
        )]
    );
}

#[test]
fn a_new_optional_request_field_is_not_breaking() {
    let new = edit(
        &real(),
        "      type: object\n      properties:\n        countryCode:\n",
        "      type: object\n      properties:\n        reference:\n          type: string\n        countryCode:\n",
    );
    let c = changes(&real(), &new);
    assert_eq!(
        summary(&c),
        [(
            "property-added",
            false,
            "/components/schemas/ResendRequest/properties/reference"
        )]
    );
    assert_eq!(c[0].line, Some(435));
}

#[test]
fn a_new_required_request_field_is_breaking() {
    let mut new = edit(
        &real(),
        "      type: object\n      properties:\n        countryCode:\n",
        "      type: object\n      required: [reference]\n      properties:\n        reference:\n          type: string\n        countryCode:\n",
    );
    // The request examples must carry it, or the spec would not pass its checks.
    new = new.replace(
        "                email: example-email@email.com\n",
        "                email: example-email@email.com\n                reference: R1\n",
    );
    new = edit(
        &new,
        "                email: null\n",
        "                email: null\n                reference: R1\n",
    );
    let c = changes(&real(), &new);
    let breaking: Vec<(&str, bool, &str)> = summary(&c).into_iter().filter(|c| c.1).collect();
    assert_eq!(
        breaking,
        [(
            "property-added",
            true,
            "/components/schemas/ResendRequest/properties/reference"
        )]
    );
    assert!(c.iter().any(|c| c.kind == "example-changed" && !c.breaking));
}

#[test]
fn a_narrowed_request_type_is_breaking_a_widened_one_is_not() {
    let wide = edit(
        &real(),
        "      type: string\n      pattern: '^[0-9]{4,15}$(?!\\n)'",
        "      type: [string, integer]\n      pattern: '^[0-9]{4,15}$(?!\\n)'",
    );
    assert_eq!(
        summary(&changes(&wide, &real())),
        [("type-narrowed", true, "/components/schemas/Msisdn/type")]
    );
    assert_eq!(
        summary(&changes(&real(), &wide)),
        [("type-widened", false, "/components/schemas/Msisdn/type")]
    );
}

#[test]
fn a_widened_response_type_is_breaking_a_narrowed_one_is_not() {
    let wide = real().replacen(
        "        type: integer\n        minimum: 0\n",
        "        type: [integer, string]\n        minimum: 0\n",
        1,
    );
    assert_eq!(
        summary(&changes(&real(), &wide)),
        [(
            "type-widened",
            true,
            "/components/headers/RateLimitLimit/schema/type"
        )]
    );
    assert_eq!(
        summary(&changes(&wide, &real())),
        [(
            "type-narrowed",
            false,
            "/components/headers/RateLimitLimit/schema/type"
        )]
    );
}

#[test]
fn a_new_response_enum_value_is_breaking_and_so_is_a_removed_one() {
    let more = edit(
        &real(),
        "enum: [orderStatusAlreadyPaid, orderStatusAlreadyCancelled]",
        "enum: [orderStatusAlreadyPaid, orderStatusAlreadyCancelled, orderStatusAlreadyRefunded]",
    );
    let pointer = "/components/schemas/OrderConflictResponse/properties/message/enum";
    let added = changes(&real(), &more);
    assert_eq!(summary(&added), [("enum-value-added", true, pointer)]);
    assert!(added[0].detail.contains("exhaustive"), "{}", added[0].detail);
    assert_eq!(
        summary(&changes(&more, &real())),
        [("enum-value-removed", true, pointer)]
    );
}

#[test]
fn stricter_request_constraints_are_breaking_looser_ones_are_not() {
    let strict = edit(
        &real(),
        "pattern: '^[0-9]{4,15}$(?!\\n)'",
        "pattern: '^[0-9]{6,15}$(?!\\n)'",
    );
    assert_eq!(
        summary(&changes(&real(), &strict)),
        [("constraint", true, "/components/schemas/Msisdn/pattern")]
    );
    let short = edit(&real(), "      maxLength: 254\n", "      maxLength: 100\n");
    assert_eq!(
        summary(&changes(&real(), &short)),
        [("constraint", true, "/components/schemas/EmailAddress/maxLength")]
    );
    assert_eq!(
        summary(&changes(&short, &real())),
        [("constraint", false, "/components/schemas/EmailAddress/maxLength")]
    );
}

#[test]
fn removed_and_added_statuses_are_breaking() {
    let marker = "        '510':\n          $ref: '#/components/responses/ExecutionFailed'\n";
    let without = real().replacen(marker, "", 1);
    let pointer = "/paths/~1api~1v1~1connect~1orders~1resend~1{orderUuid}/post/responses/510";
    assert_eq!(
        summary(&changes(&real(), &without)),
        [("status-removed", true, pointer)]
    );
    assert_eq!(
        summary(&changes(&without, &real())),
        [("status-added", true, pointer)]
    );
}

#[test]
fn response_fields_removed_or_made_optional_are_breaking() {
    let new = edit(
        &real(),
        "      required: [status_code, status_message, message, is_data, data]\n      properties:\n        status_code:\n          type: integer\n          const: 202\n        status_message:\n          type: string\n          const: OK\n        message:\n          description: Both operations answer `resentOrderSuccessfully`, reservations included.\n          type: string\n          enum: [resentOrderSuccessfully]\n        is_data:\n          type: boolean\n",
        "      required: [status_code, status_message, is_data, data]\n      properties:\n        status_code:\n          type: integer\n          const: 202\n        status_message:\n          type: string\n          const: OK\n        message:\n          description: Both operations answer `resentOrderSuccessfully`, reservations included.\n          type: string\n          enum: [resentOrderSuccessfully]\n",
    );
    let c = changes(&real(), &new);
    let mut got = summary(&c);
    got.sort();
    assert_eq!(
        got,
        [
            (
                "now-optional",
                true,
                "/components/schemas/ResendAcceptedResponse/required"
            ),
            (
                "property-removed",
                true,
                "/components/schemas/ResendAcceptedResponse/properties"
            ),
        ]
    );
}

#[test]
fn servers_descriptions_and_examples_are_not_breaking() {
    let mut new = edit(
        &real(),
        "    description: Production server.\n",
        "    description: Production server.\n  - url: https://staging.frontpayment.no\n",
    );
    new = edit(
        &new,
        "      summary: Resend the payment link of an order.",
        "      summary: Resend an order's payment link.",
    );
    new = edit(
        &new,
        "                message: Something Went Wrong\n                is_error: true\n                errors: []",
        "                message: Something Went Wrong\n                is_error: true\n                errors: {}",
    );
    let c = changes(&real(), &new);
    let kinds: Vec<&str> = c.iter().map(|c| c.kind.as_str()).collect();
    assert_eq!(kinds, ["example-changed", "example-changed", "server-added"]);
    assert!(c.iter().all(|c| !c.breaking));
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
fn cli_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let old = write("old.yaml", &real());
    let added = write(
        "added.yaml",
        &real().replacen(
            "        type: integer\n        minimum: 0\n",
            "        type: integer\n        minimum: 1\n",
            1,
        ),
    );
    let broken = write("broken.yaml", "openapi: [\n");

    let (code, out, _) = codegen(&["diff", &old, &old]);
    assert_eq!((code, out.as_str()), (0, "0 change(s), 0 breaking\n"));
    // A response that may produce less is fine.
    let (code, out, _) = codegen(&["diff", &old, &added]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("non-breaking  constraint: response: `minimum` 0 → 1 (stricter)"),
        "{out}"
    );
    let (code, out, _) = codegen(&["diff", &added, &old]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("BREAKING"), "{out}");
    let (code, out, _) = codegen(&["diff", "--format", "json", &added, &old]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["breaking"], true);
    assert_eq!(
        v[0]["pointer"],
        "/components/headers/RateLimitLimit/schema/minimum"
    );

    let (code, _, err) = codegen(&["diff", &old, &broken]);
    assert_eq!(code, 2);
    assert!(err.contains("not valid YAML"), "{err}");
    let missing = Path::new(dir.path()).join("missing.yaml");
    let (code, _, _) = codegen(&["diff", missing.to_str().unwrap(), &old]);
    assert_eq!(code, 2);
}

/// The path parameter of `resendOrderPaymentLink`, as the spec declares it.
const ORDER_PARAM: &str = "      parameters:\n        - name: orderUuid\n";

#[test]
fn query_and_header_parameters_added_removed_or_made_required() {
    let base = real();
    let with = |extra: &str| {
        edit(
            &base,
            ORDER_PARAM,
            &format!("      parameters:\n{extra}        - name: orderUuid\n"),
        )
    };
    let optional = with("        - {name: lang, in: query, schema: {type: string}}\n");
    let required = with("        - {name: lang, in: query, required: true, schema: {type: string}}\n");
    let header =
        with("        - {name: Idempotency-Key, in: header, required: true, schema: {type: string}}\n");
    let at = "/paths/~1api~1v1~1connect~1orders~1resend~1{orderUuid}/post/parameters/0";
    assert_eq!(
        summary(&changes(&base, &optional)),
        [("parameter-added", false, at)]
    );
    assert_eq!(
        summary(&changes(&base, &required)),
        [("parameter-added", true, at)]
    );
    assert_eq!(
        summary(&changes(&optional, &required)),
        [("parameter-required", true, at)]
    );
    assert_eq!(
        summary(&changes(&required, &optional)),
        [("parameter-required", false, at)]
    );
    let removed = changes(&header, &base);
    assert_eq!(
        summary(&removed),
        [("parameter-removed", true, at.trim_end_matches("/0"))]
    );
    assert!(
        removed[0]
            .detail
            .contains("header parameter `Idempotency-Key` removed")
    );
}
