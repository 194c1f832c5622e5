//! `check` and `generate` agree, and conformance-only rules apply only to a document that
//! derives conformance cases (one that uses `x-replay`).

use codegen::Spec;
use codegen::diagnostics::Output;
use codegen::emit::generate_client;
use codegen::spec::check::check;

/// A small API with two documented response examples; `replay` is written on the first.
fn spec_text(replay: &str) -> String {
    format!(
        r#"openapi: 3.1.0
info: {{title: Lockers, version: 1.0.0}}
paths:
  /lockers/{{lockerId}}:
    post:
      operationId: openLocker
      parameters:
        - {{name: lockerId, in: path, required: true, schema: {{type: string}}}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [code]
              properties:
                code: {{type: string, minLength: 4}}
      responses:
        '200':
          description: Opened.
          content:
            application/json:
              schema:
                type: object
                required: [state]
                properties:
                  state: {{type: string}}
              examples:
                opened:
                  value: {{state: open}}{replay}
                stuck:
                  value: {{state: stuck}}
"#
    )
}

/// The spec in a folder with a `samples/invalid/` file that the request schema accepts, which
/// `check` would refuse if it replayed the samples.
fn write(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let invalid = dir.join("samples/invalid");
    std::fs::create_dir_all(&invalid).unwrap();
    std::fs::write(invalid.join("accepted.json"), r#"{"code": "12345"}"#).unwrap();
    let path = dir.join("lockers.yaml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn without_x_replay_check_passes_and_generate_generates() {
    let dir = tempfile::tempdir().unwrap();
    let spec = Spec::load(write(dir.path(), &spec_text(""))).unwrap_or_else(|d| panic!("{d}"));
    check(&spec).unwrap_or_else(|d| panic!("no conformance rule applies: {d}"));
    let files = generate_client(&spec).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        files
            .iter()
            .any(|f| f.contents.contains("pub async fn open_locker"))
    );
}

#[test]
fn with_x_replay_the_conformance_rules_apply_and_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let replay = "\n                  x-replay: {state: open, body: {code: '1'}, match: {state: exact}}";
    let spec = Spec::load(write(dir.path(), &spec_text(replay))).unwrap_or_else(|d| panic!("{d}"));
    let e = check(&spec).unwrap_err();
    let messages: Vec<(&str, Option<Output>)> = e.iter().map(|d| (d.message.as_str(), d.concerns)).collect();
    assert!(
        messages.contains(&(
            "response example `stuck` has no `x-replay`",
            Some(Output::Conformance)
        )),
        "{e}"
    );
    assert!(
        e.iter()
            .any(|d| d.message.contains("sample in invalid/ is accepted")
                && d.concerns == Some(Output::Conformance)),
        "{e}"
    );
    assert!(
        e.iter().all(|d| d.concerns == Some(Output::Conformance)),
        "only conformance findings: {e}"
    );
    assert!(
        e.to_string()
            .contains("error (conformance cases): response example `stuck`"),
        "{e}"
    );
}

#[test]
fn what_the_client_cannot_generate_fails_check_too() {
    // A type the client's reader refuses (`bogus` is no JSON type): `check` must refuse it
    // with the same findings as `generate`.
    let text = spec_text("").replace(
        "state: {type: string}",
        "state: {type: string}\n                  since: {type: bogus}",
    );
    let spec = Spec::parse("lockers.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let generated = generate_client(&spec);
    let checked = check(&spec);
    assert!(checked.is_err(), "the client has no type for `type: bogus`");
    assert_eq!(
        checked.as_ref().err().map(ToString::to_string),
        generated.as_ref().err().map(ToString::to_string),
        "check and generate give the same verdict"
    );
}

/// An example that breaks its schema: documentation only without `x-replay` (a located
/// warning, the client generates), a broken case with it (an error about the cases).
#[test]
fn a_wrong_example_is_a_warning_unless_cases_replay_it() {
    let wrong = spec_text("").replace("value: {state: stuck}", "value: {state: 7}");
    let spec = Spec::parse("lockers.yaml", wrong).unwrap_or_else(|d| panic!("{d}"));
    let api = check(&spec).unwrap_or_else(|d| panic!("a wrong example alone stops nothing: {d}"));
    let w = api
        .warnings
        .iter()
        .find(|w| {
            w.message
                .contains("response example `stuck` does not match its schema")
        })
        .unwrap_or_else(|| panic!("warned: {:?}", api.warnings));
    assert!(w.is_warning());
    assert_eq!(
        w.pointer,
        "/paths/~1lockers~1{lockerId}/post/responses/200/content/application~1json/examples/stuck/value/state"
    );
    assert!(w.line.is_some(), "{w}");
    generate_client(&spec).unwrap_or_else(|d| panic!("{d}"));

    let replayed = spec_text("\n                  x-replay: {state: open, body: {code: '1234'}, match: {state: exact}}")
        .replace(
            "value: {state: stuck}",
            "value: {state: 7}\n                  x-replay: {state: open, body: {code: '1234'}, match: {state: exact}}",
        );
    let spec = Spec::parse("lockers.yaml", replayed).unwrap_or_else(|d| panic!("{d}"));
    let e = check(&spec).unwrap_err();
    assert!(
        e.iter().any(|d| d
            .message
            .contains("response example `stuck` does not match its schema")
            && !d.is_warning()
            && d.concerns == Some(Output::Conformance)),
        "{e}"
    );
}
