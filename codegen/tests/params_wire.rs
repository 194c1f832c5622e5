//! Parameters, operation names and OpenAPI 3.0, through the whole generator: each feature
//! fixture under `tests/fixtures/features/` is generated, its client reviewed as a snapshot,
//! and all of them compiled into one scratch crate (warnings denied) whose test
//! (`tests/wire/params.rs`) sends requests to a local wiremock server and checks what went
//! on the wire. The scratch crate uses a copy of the workspace's lock file, offline, and
//! builds into `target/generated-check` (shared with `compile_generated.rs`).

mod support;

use std::path::Path;

use codegen::Spec;
use codegen::emit::generate_client;

const FEATURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/features");

/// (fixture file, module name in the scratch crate).
const FIXTURES: &[(&str, &str)] = &[
    ("params-query", "query"),
    ("params-styles", "styles"),
    ("params-header-cookie", "header_cookie"),
    ("names-operation-ids", "names"),
    ("openapi-3-0", "openapi_3_0"),
];

fn load(name: &str) -> Spec {
    Spec::load(Path::new(FEATURES).join(format!("{name}.yaml"))).unwrap_or_else(|d| panic!("{d}"))
}

fn client_rs(name: &str) -> String {
    let files = generate_client(&load(name)).unwrap_or_else(|d| panic!("{name}: {d}"));
    files
        .into_iter()
        .find(|f| f.name == "client.rs")
        .unwrap()
        .contents
}

#[test]
fn feature_clients_are_reviewed() {
    for (name, _) in FIXTURES {
        insta::assert_snapshot!(format!("feature_{name}_client"), client_rs(name));
    }
}

#[test]
fn skipped_headers_and_renamed_methods_are_located_warnings() {
    let warnings = |name: &str| -> Vec<(String, String)> {
        let api = codegen::ir::build(&load(name)).unwrap_or_else(|d| panic!("{d}"));
        api.warnings
            .iter()
            .map(|d| {
                assert!(d.is_warning() && d.line.is_some(), "{d}");
                (d.pointer.clone(), d.message.clone())
            })
            .collect()
    };
    assert_eq!(
        warnings("params-header-cookie"),
        [
            (
                "/paths/~1orders/post/parameters/4/name".to_string(),
                "header parameter `Authorization` is ignored: OpenAPI says the client sets it".to_string()
            ),
            (
                "/paths/~1orders/post/parameters/5/name".to_string(),
                "header parameter `accept` is ignored: OpenAPI says the client sets it".to_string()
            ),
        ]
    );
    assert_eq!(
        warnings("names-operation-ids"),
        [(
            "/paths/~1tickets~1all/get/operationId".to_string(),
            "operation `listTickets` would be named `list_tickets` like an earlier one: named `list_tickets_2`"
                .to_string()
        )]
    );
    assert!(warnings("params-styles").is_empty());
}

#[test]
fn a_path_parameter_not_marked_required_is_required_with_a_warning() {
    let text = spec_with("[{name: a, in: path, schema: {type: string}}]", "/x/{a}");
    let api = codegen::ir::build(&Spec::parse("w.yaml", text).unwrap()).unwrap();
    assert!(api.operations[0].params[0].required);
    let [w] = api.warnings.as_slice() else {
        panic!("{:?}", api.warnings)
    };
    assert!(
        w.is_warning() && w.pointer == "/paths/~1x~1{a}/get/parameters/0",
        "{w}"
    );
}

#[test]
fn operation_ids_are_kept_beside_the_method_names() {
    let api = codegen::ir::build(&load("names-operation-ids")).unwrap();
    let names: Vec<(Option<&str>, &str)> = api
        .operations
        .iter()
        .map(|o| (o.operation_id.as_deref(), o.name.as_str()))
        .collect();
    assert_eq!(names[0], (Some("get-flights"), "get_flights"));
    assert_eq!(names[1], (Some("Payments_List"), "payments_list"));
    assert_eq!(names[2], (Some("orders.list"), "orders_list"));
    assert_eq!(names[4], (None, "get_health"));
    assert_eq!(names[6], (Some("listTickets"), "list_tickets_2"));
    // The docs name the operationId as written.
    assert!(client_rs("names-operation-ids").contains("(operationId `get-flights`)"));
}

fn spec_with(params: &str, path: &str) -> String {
    format!(
        "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths:\n  '{path}':\n    get:\n      operationId: op\n      \
         parameters: {params}\n      responses:\n        '204': {{description: ok}}\n"
    )
}

/// What cannot be generated correctly is refused with its location, never a panic.
#[test]
fn parameters_that_cannot_be_generated_are_refused_located() {
    let cases = [
        (
            "[{name: a, in: query, style: matrix, schema: {type: string}}]",
            "/x",
            "/paths/~1x/get/parameters/0/style",
            "style `matrix` is not allowed for query parameters",
        ),
        (
            "[{name: a, in: header, style: form, schema: {type: string}}]",
            "/x",
            "/paths/~1x/get/parameters/0/style",
            "style `form` is not allowed for header parameters",
        ),
        (
            "[{name: a, in: path, required: true, style: tilde, schema: {type: string}}]",
            "/x/{a}",
            "/paths/~1x~1{a}/get/parameters/0/style",
            "unknown parameter style `tilde`",
        ),
        (
            "[{name: a, in: query}]",
            "/x",
            "/paths/~1x/get/parameters/0",
            "parameter `a` has no schema",
        ),
        (
            "[{name: a, in: query, content: {application/xml: {schema: {type: string}}}}]",
            "/x",
            "/paths/~1x/get/parameters/0/content/application~1xml",
            "parameter `a` has content `application/xml`: only JSON and text content are generated",
        ),
        (
            "[{name: a, in: query, schema: {type: string}, content: {application/json: {schema: {type: string}}}}]",
            "/x",
            "/paths/~1x/get/parameters/0",
            "parameter `a` needs exactly one of `schema` and a one-entry `content`",
        ),
        (
            "[{name: a, in: body, schema: {type: string}}]",
            "/x",
            "/paths/~1x/get/parameters/0/in",
            "parameter location `body` is not one of path, query, header, cookie",
        ),
        (
            "[{name: b, in: path, required: true, schema: {type: string}}]",
            "/x/{a*}",
            "/paths/~1x~1{a*}/get/parameters/0/name",
            "path parameter `b` does not appear in `/x/{a*}`",
        ),
        (
            "[]",
            "/x/{.a}",
            "/paths/~1x~1{.a}",
            "`{a}` in the path has no parameter",
        ),
    ];
    for (params, path, pointer, message) in cases {
        let text = spec_with(params, path);
        let spec = Spec::parse("refused.yaml", text).unwrap_or_else(|d| panic!("{d}"));
        let diags = generate_client(&spec).expect_err(message);
        assert!(
            diags
                .iter()
                .any(|d| d.pointer == pointer && d.message == message && d.line.is_some()),
            "{params} on {path}: expected `{message}` at {pointer}, got:\n{diags}"
        );
    }
}

#[test]
fn feature_clients_compile_and_send_the_documented_requests() {
    let modules = FIXTURES
        .iter()
        .map(|(name, module)| {
            let files = generate_client(&load(name)).unwrap_or_else(|d| panic!("{name}: {d}"));
            (module.to_string(), files)
        })
        .collect();
    let run = support::test_clients(
        "generated-features",
        modules,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wire/params.rs"),
    );
    assert!(
        run.success,
        "the feature clients fail:\n{}\n{}",
        run.stdout, run.stderr
    );
    // Every wire test ran (a filter or a rename must not silently skip them).
    assert!(run.stdout.contains("test result: ok. 7 passed"), "{}", run.stdout);
}

#[test]
fn content_parameters_are_json_text_or_plain_text_by_media_type() {
    let params = "[{name: j, in: query, content: {application/json: {schema: {type: object}}}}, \
                  {name: t, in: query, content: {text/plain: {schema: {type: string}}}}, \
                  {name: p, in: query, content: {application/problem+json; charset=utf-8: {schema: {type: string}}}}]";
    let api = codegen::ir::build(&Spec::parse("c.yaml", spec_with(params, "/x")).unwrap()).unwrap();
    let kinds: Vec<(&str, bool)> = api.operations[0]
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.json))
        .collect();
    assert_eq!(kinds, [("j", true), ("t", false), ("p", true)]);
    assert!(
        api.operations[0].params[1]
            .schema_pointer
            .ends_with("/content/text~1plain/schema")
    );
}
