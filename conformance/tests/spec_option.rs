//! `conformance mock --spec FILE` and `conformance run --spec FILE` as processes, on contracts
//! other than the embedded one: the project's second fixture spec (shipping: GET, POST and
//! DELETE, bodiless requests, two path parameters, operations without `x-resource`), and a copy
//! of the Front Payment spec edited the way the vendor would edit it (a new state and its
//! message, a changed message, a new read operation, new query and header parameters). No
//! code knows any of these: the spec edit is the whole change, and the suite passes against
//! the mock.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use conformance::contract::{Contract, SPEC_SOURCE};

const BIN: &str = env!("CARGO_BIN_EXE_conformance");

fn shipping() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../codegen/tests/fixtures/specs/shipping.openapi.yaml")
}

/// A `conformance mock` process, killed when dropped (a failed test leaves nothing behind).
struct Mock {
    child: Child,
    url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn mock(args: &[&str]) -> Mock {
    let mut child = Command::new(BIN)
        .arg("mock")
        .args(args)
        .env_remove("FRONTPAYMENT_TOKEN")
        .env_remove("API_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    out.read_line(&mut url).unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "no URL first: {url:?}");
    // Keep reading so the mock never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    Mock {
        child,
        url: url.trim().to_string(),
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("run")
        .args(args)
        .args(["--format", "json"])
        .env_remove("FRONTPAYMENT_TOKEN")
        .env_remove("API_TOKEN")
        .output()
        .unwrap()
}

/// Case id → outcome, from a JSON report.
fn outcomes(out: &Output) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not a JSON report ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn assert_all_pass(out: &Output, expected: usize) -> Vec<String> {
    let results = outcomes(out);
    assert_eq!(results.len(), expected, "{results:?}");
    for (id, outcome) in &results {
        assert_eq!(
            outcome,
            "passed",
            "{id}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    assert!(out.status.success(), "{:?}", out.status);
    results.into_iter().map(|(id, _)| id).collect()
}

#[test]
fn the_shipping_spec_runs_against_its_own_mock() {
    let spec = shipping();
    let spec = spec.to_str().unwrap();
    let contract = Contract::load(Path::new(spec)).unwrap_or_else(|d| panic!("{d}"));
    let methods: Vec<&str> = contract.cases.iter().map(|c| c.method.as_str()).collect();
    for m in ["GET", "POST", "DELETE"] {
        assert!(methods.contains(&m), "{methods:?}");
    }
    let m = mock(&["--spec", spec]);
    let out = run(&["--spec", spec, "--target", &m.url]);
    let ids = assert_all_pass(&out, contract.cases.len());
    for id in [
        "listShipmentEvents/firstPage",
        "listShipmentEvents/noSuchShipment",
        "cancelShipment/alreadyDelivered",
        "carrierStatus/takingShipments",
    ] {
        assert!(ids.iter().any(|i| i == id), "{ids:?}");
    }
    // The embedded mock of the same spec, started by `run` itself.
    assert_all_pass(&run(&["--spec", spec]), contract.cases.len());
    // The Front Payment suite against the shipping mock fails: nothing matches.
    let out = run(&["--target", &m.url]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_bad_spec_is_refused_with_file_line_and_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        SPEC_SOURCE.replacen("state: paid", "state: 'already paid'", 1),
    )
    .unwrap();
    let line = SPEC_SOURCE
        .lines()
        .position(|l| l.contains("state: paid"))
        .unwrap()
        + 1;
    for cmd in ["run", "mock"] {
        let out = Command::new(BIN)
            .args([cmd, "--spec", bad.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("bad.yaml:{line}:")), "{cmd}: {err}");
        assert!(err.contains("/x-replay/state"), "{cmd}: {err}");
        assert!(err.contains("not a state name"), "{cmd}: {err}");
        let out = Command::new(BIN)
            .args([cmd, "--spec", "/nonexistent/spec.yaml"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/spec.yaml"));
    }
}

/// The vendor's edit: orders can be refunded (a new state and its 400 message), the 510
/// message changes, and orders can be read (`GET` with a path parameter and no body).
fn vendor_edit(text: &str) -> String {
    let refunded = "                orderStatusAlreadyRefunded:
                  summary: The order is refunded.
                  value:
                    status_code: 400
                    status_message: Conflict of Business Logic
                    message: orderStatusAlreadyRefunded
                    is_error: false
                    errors: null
                  x-replay:
                    state: refunded
                    request: emailOnly
                    match: {status_code: exact, status_message: exact, message: exact, is_error: exact, errors: exact}
";
    let anchor = "                    state: cancelled\n                    request: emailOnly\n                    match: {status_code: exact, status_message: exact, message: exact, is_error: exact, errors: exact}\n";
    let at = text.find(anchor).expect("the orders' cancelled example") + anchor.len();
    let mut out = format!("{}{refunded}{}", &text[..at], &text[at..]);
    out = out.replacen(
        "enum: [orderStatusAlreadyPaid, orderStatusAlreadyCancelled]",
        "enum: [orderStatusAlreadyPaid, orderStatusAlreadyCancelled, orderStatusAlreadyRefunded]",
        1,
    );
    out = out.replace("Something Went Wrong", "Sending Failed");
    let read = "  /api/v1/connect/orders/{orderUuid}:
    get:
      operationId: getOrder
      x-resource: orders
      summary: Read an order.
      parameters:
        - name: orderUuid
          in: path
          required: true
          schema: {$ref: '#/components/schemas/OrderId'}
          example: ODR123456789
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/OrderSummary'}
              examples:
                openOrder:
                  value: {status: open}
                  x-replay: {state: open, match: {status: exact}}
                refundedOrder:
                  value: {status: refunded}
                  x-replay: {state: refunded, match: {status: exact}}
        '404':
          description: No such order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/NotFoundResponse'}
              examples:
                noSuchOrder:
                  value: {status_code: 404, status_message: Not Found, message: orderNotFound, is_error: false, errors: null}
                  x-replay:
                    state: missing
                    match: {status_code: exact, status_message: exact, message: exact, is_error: exact, errors: exact}
";
    out = out.replacen("paths:\n", &format!("paths:\n{read}"), 1);
    out.replacen(
        "  schemas:\n",
        "  schemas:\n    OrderSummary:\n      type: object\n      required: [status]\n      properties:\n        status: {type: string}\n",
        1,
    )
}

#[test]
fn a_vendor_edit_needs_no_code_change() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("edited.openapi.yaml");
    std::fs::write(&spec, vendor_edit(SPEC_SOURCE)).unwrap();
    // The invalid samples live beside the spec.
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/samples/invalid");
    std::fs::create_dir_all(dir.path().join("samples/invalid")).unwrap();
    for e in std::fs::read_dir(samples).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("samples/invalid").join(e.file_name())).unwrap();
    }
    let edited = Contract::load(&spec).unwrap_or_else(|d| panic!("{d}"));
    let ids: Vec<&str> = edited.cases.iter().map(|c| c.id.as_str()).collect();
    let embedded = Contract::embedded().cases.len();
    // The new state's case, and the read operation's three.
    assert_eq!(ids.len(), embedded + 4, "{ids:?}");
    for id in [
        "resendOrderPaymentLink/orderStatusAlreadyRefunded",
        "getOrder/openOrder",
        "getOrder/refundedOrder",
        "getOrder/noSuchOrder",
    ] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    let mut states = edited.states("orders");
    states.sort();
    assert_eq!(
        states,
        ["cancelled", "failing", "missing", "open", "paid", "refunded"]
    );
    let declared = edited.states("orders").join(", ");

    // A profile seeds the new state; the mock serves it.
    let profile = dir.path().join("mock.yaml");
    std::fs::write(
        &profile,
        "base_url: http://127.0.0.1:1
fixtures:
  orders: {open: ODR100, paid: ODR200, cancelled: ODR300, refunded: ODR400, failing: ODR500}
  reservations: {open: RES100, completed: RES200, cancelled: RES300, failing: RES500}
",
    )
    .unwrap();
    let spec_arg = spec.to_str().unwrap();
    let m = mock(&["--spec", spec_arg, "--profile", profile.to_str().unwrap()]);
    let out = run(&["--spec", spec_arg, "--target", &m.url]);
    let passed = assert_all_pass(&out, ids.len());
    assert!(
        passed
            .iter()
            .any(|i| i == "resendOrderPaymentLink/orderStatusAlreadyRefunded")
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let get = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "getOrder/refundedOrder")
        .unwrap();
    assert_eq!(get["outcome"], "passed", "{get}");

    // The embedded suite still knows nothing of it: its binary was not rebuilt.
    assert!(
        !Contract::embedded()
            .cases
            .iter()
            .any(|c| c.id.contains("Refunded"))
    );

    // A misspelled state in a profile names the key and the states the spec declares.
    std::fs::write(
        &profile,
        "base_url: http://127.0.0.1:1\nfixtures:\n  orders: {refundd: ODR400}\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["mock", "--spec", spec_arg, "--profile", profile.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixtures.orders.refundd"), "{err}");
    assert!(err.contains(&declared), "{err}");
}

/// A copy of the spec without its `samples/` folder still loads (for `proxy`, `check-har` and
/// `run`): its `samples: invalid` plans then add no case, the rest run and pass.
#[test]
fn a_spec_without_samples_runs_without_the_sample_cases() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("copy.openapi.yaml");
    std::fs::write(&spec, SPEC_SOURCE).unwrap();
    let copy = Contract::load(&spec).unwrap_or_else(|d| panic!("{d}"));
    let embedded = &Contract::embedded().cases;
    let samples = embedded.iter().filter(|c| c.id.contains("/invalid/")).count();
    assert!(samples > 0);
    assert_eq!(copy.cases.len(), embedded.len() - samples);
    assert!(!copy.cases.iter().any(|c| c.id.contains("/invalid/")));
    assert_all_pass(&run(&["--spec", spec.to_str().unwrap()]), copy.cases.len());
}

/// The vendor's edit: resends of orders take an optional `lang` query parameter (an enum,
/// with an example) and a required `X-Channel-Hint` header whose example comes from its
/// schema's `enum`.
fn with_parameters(text: &str) -> String {
    let anchor = "          example: ODR123456789\n      requestBody:\n";
    let params = "          example: ODR123456789
        - name: lang
          in: query
          description: The language of the message.
          schema: {type: string, enum: [nb, en]}
          example: en
        - name: X-Channel-Hint
          in: header
          required: true
          schema: {type: string, enum: [default, priority]}
      requestBody:
";
    assert!(text.contains(anchor), "the orders' resend parameters");
    text.replacen(anchor, params, 1)
}

/// An HTTP/1.1 exchange written by hand, so the test controls every parameter: (status, body).
fn post(url: &str, target: &str, headers: &[(&str, &str)], body: &str) -> (u16, serde_json::Value) {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    let mut req = format!(
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer mock-token\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        req.push_str(&format!("{n}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    let status = resp[9..12].parse().unwrap();
    let (_, body) = resp.split_once("\r\n\r\n").unwrap();
    (
        status,
        serde_json::from_str(body).unwrap_or(serde_json::Value::Null),
    )
}

#[test]
fn a_new_query_parameter_needs_no_code_change() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("params.openapi.yaml");
    std::fs::write(&spec, with_parameters(SPEC_SOURCE)).unwrap();
    let spec_arg = spec.to_str().unwrap();
    let edited = Contract::load(&spec).unwrap_or_else(|d| panic!("{d}"));
    let m = mock(&["--spec", spec_arg]);

    // The runner sends both (the required header would otherwise be refused), and passes.
    let out = run(&["--spec", spec_arg, "--target", &m.url]);
    assert_all_pass(&out, edited.cases.len());
    let profile = dir.path().join("p.yaml");
    std::fs::write(
        &profile,
        format!(
            "base_url: {}\nfixtures:\n  orders: {{open: ODR000000001}}\n  reservations: {{open: RES000000001}}\n",
            m.url
        ),
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["run", "--dry-run", "--spec", spec_arg, "--profile"])
        .arg(&profile)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("/resend/ODR000000001?lang=en'"), "{text}");
    assert!(text.contains("-H 'X-Channel-Hint: default'"), "{text}");
    assert!(!text.contains("reservations/resend/RES000000001?"), "{text}");

    // The mock reads and checks them like bodies.
    let body = r#"{"email":"a@example.com"}"#;
    let open = "/api/v1/connect/orders/resend/ODR000000001";
    let hint = [("X-Channel-Hint", "priority")];
    assert_eq!(post(&m.url, &format!("{open}?lang=nb"), &hint, body).0, 202);
    assert_eq!(post(&m.url, open, &hint, body).0, 202, "lang is optional");
    let (status, answer) = post(&m.url, &format!("{open}?lang=xx"), &hint, body);
    assert_eq!(status, 400, "{answer}");
    assert_eq!(answer["status_code"], 400, "{answer}");
    assert!(
        answer["errors"]["lang"][0].as_str().unwrap().contains("enum"),
        "{answer}"
    );
    let (status, answer) = post(&m.url, open, &[], body);
    assert_eq!(status, 400, "{answer}");
    assert!(
        answer["errors"]["X-Channel-Hint"][0]
            .as_str()
            .unwrap()
            .contains("missing"),
        "{answer}"
    );
    let (status, _) = post(
        &m.url,
        &format!("{open}?lang=en"),
        &[("x-channel-hint", "loud")],
        body,
    );
    assert_eq!(status, 400);

    // A required parameter with nothing documented to send is refused, naming it and where.
    let bare = with_parameters(SPEC_SOURCE).replace(
        "schema: {type: string, enum: [default, priority]}",
        "schema: {type: string}",
    );
    std::fs::write(&spec, &bare).unwrap();
    let line = bare
        .lines()
        .position(|l| l.contains("name: X-Channel-Hint"))
        .unwrap()
        + 1;
    let out = Command::new(BIN)
        .args(["run", "--spec", spec_arg])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`X-Channel-Hint`") && err.contains("no example"),
        "{err}"
    );
    assert!(err.contains(&format!("params.openapi.yaml:{line}:")), "{err}");
    // The mock needs no example: it serves the spec.
    drop(mock(&["--spec", spec_arg]));
}

/// The proxy reads and checks the same parameters the same way (one place decides).
#[test]
fn the_proxy_checks_the_new_parameters() {
    use conformance::proxy::{Captured, Checker, Exchange, header_map};
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("params.openapi.yaml");
    std::fs::write(&spec, with_parameters(SPEC_SOURCE)).unwrap();
    let contract = Contract::load(&spec).unwrap_or_else(|d| panic!("{d}"));
    let checker = Checker::new(&contract).unwrap();
    let exchange = |target: &str, headers: &[(&str, &str)]| Exchange {
        method: "POST".into(),
        target: target.into(),
        request_headers: header_map(
            [("content-type", "application/json")]
                .iter()
                .chain(headers)
                .copied(),
        ),
        request_body: Captured::whole(r#"{"email":"a@example.com"}"#),
        status: 202,
        response_headers: header_map([("content-type", "application/json")]),
        response_body: Captured::whole(
            r#"{"status_code":202,"status_message":"Accepted","message":"paymentLinkResentSuccessfully","is_error":false,"errors":null}"#,
        ),
    };
    let request_rules = |ex: &Exchange| -> Vec<(String, String)> {
        checker
            .check(ex)
            .violations
            .into_iter()
            .filter(|v| {
                v.pointer.starts_with("/query")
                    || v.pointer.starts_with("/headers/x-")
                    || v.pointer.starts_with("/path")
            })
            .map(|v| (v.pointer, v.rule))
            .collect()
    };
    let open = "/api/v1/connect/orders/resend/ODR000000001";
    let hint = [("x-channel-hint", "default")];
    assert_eq!(request_rules(&exchange(&format!("{open}?lang=nb"), &hint)), []);
    assert_eq!(
        request_rules(&exchange(&format!("{open}?lang=xx"), &[])),
        [
            ("/query/lang".to_string(), "query/enum".to_string()),
            (
                "/headers/x-channel-hint".to_string(),
                "header/required".to_string()
            )
        ]
    );
    assert_eq!(
        request_rules(&exchange("/api/v1/connect/orders/resend/not%20valid", &hint)),
        [("/path/orderUuid".to_string(), "path/pattern".to_string())]
    );
}

/// The shipping spec with an exploded array query parameter on its GET (`?kind=scanned&kind=
/// delivered`) and an integer header: its suite sends them and passes against its own mock,
/// which refuses a kind the enum does not list.
#[test]
fn the_shipping_spec_with_query_parameters_runs_against_its_own_mock() {
    let text = std::fs::read_to_string(shipping()).unwrap();
    let anchor = "          schema: {$ref: '#/components/schemas/PageNumber'}\n          example: 0\n";
    assert!(text.contains(anchor), "the events' page parameter");
    let params = format!(
        "{anchor}        - name: kind
          in: query
          required: true
          schema: {{type: array, items: {{type: string, enum: [scanned, delivered]}}}}
          example: [scanned, delivered]
        - name: X-Page-Size
          in: header
          schema: {{type: integer, minimum: 1, maximum: 50}}
          example: 20
"
    );
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("shipping.openapi.yaml");
    std::fs::write(&spec, text.replacen(anchor, &params, 1)).unwrap();
    let spec_arg = spec.to_str().unwrap();
    let contract = Contract::load(&spec).unwrap_or_else(|d| panic!("{d}"));
    let m = mock(&["--spec", spec_arg]);
    assert_all_pass(
        &run(&["--spec", spec_arg, "--target", &m.url]),
        contract.cases.len(),
    );

    let op = contract.operation("listShipmentEvents").unwrap();
    let get = |target: &str, header: &str| -> u16 {
        use std::io::{Read, Write};
        let addr = m.url.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAuthorization: Bearer mock-token\r\n{header}\r\n"
        )
        .unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        resp[9..12].parse().unwrap()
    };
    let path = op.path_for(&["SHP000001", "0"]);
    let ok = get(
        &format!("{path}?kind=scanned&kind=delivered"),
        "X-Page-Size: 5\r\n",
    );
    assert_ne!(ok, 400);
    assert_eq!(get(&format!("{path}?kind=scanned&kind=lost"), ""), 400);
    assert_eq!(get(&path, ""), 400, "kind is required");
    assert_eq!(get(&format!("{path}?kind=scanned"), "X-Page-Size: 500\r\n"), 400);
}
