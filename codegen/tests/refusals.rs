//! What no Rust type fits, the generator refuses: a diagnostic with the JSON pointer, the YAML
//! line and a hint. A rule the types cannot state but that cannot make them wrong (a
//! conditional, a mixed enum) is a located warning; what has a Rust type is generated.

use codegen::Spec;
use codegen::emit::generate_client;

/// A one-operation spec whose request body is the schema `Body` (given as JSON on line 27, under its key on line 26).
fn spec_with_body(schema: &str) -> String {
    format!(
        r#"openapi: 3.1.0
info:
  title: Refusals
  version: '1'
paths:
  /things:
    post:
      operationId: makeThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Body'
      responses:
        '200':
          description: Made.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Made'
components:
  schemas:
    Made:
      type: object
    Body:
      {schema}
"#
    )
}

const BODY_LINE: usize = 27;

#[track_caller]
fn refused(schema: &str, pointer: &str, message: &str) {
    let spec = Spec::parse("refusals.yaml", spec_with_body(schema)).unwrap_or_else(|d| panic!("{d}"));
    let err = match generate_client(&spec) {
        Ok(_) => panic!("accepted a schema it should refuse: {schema}"),
        Err(e) => e,
    };
    let d = err
        .iter()
        .find(|d| d.pointer == pointer)
        .unwrap_or_else(|| panic!("no diagnostic at {pointer} for {schema}:\n{err}"));
    assert!(
        d.message.contains(message),
        "{schema}: message `{}` lacks `{message}`",
        d.message
    );
    let line = if pointer == B { BODY_LINE - 1 } else { BODY_LINE };
    assert_eq!(d.line, Some(line), "{schema}: {d}");
    assert!(
        d.hint.as_deref().is_some_and(|h| !h.is_empty()),
        "{schema}: no hint in {d}"
    );
    assert!(d.to_string().contains(pointer));
}

const B: &str = "/components/schemas/Body";

#[test]
fn the_valid_base_spec_generates() {
    let spec = Spec::parse(
        "ok.yaml",
        spec_with_body(r#"{"type": "object", "properties": {"a": {"type": "string"}}}"#),
    )
    .unwrap();
    generate_client(&spec).unwrap_or_else(|d| panic!("{d}"));
}

/// The generated code for `Body`, and the warnings on the way.
#[track_caller]
fn accepted(schema: &str) -> (String, Vec<codegen::Diagnostic>) {
    let spec = Spec::parse("accepted.yaml", spec_with_body(schema)).unwrap_or_else(|d| panic!("{d}"));
    let files = generate_client(&spec).unwrap_or_else(|d| panic!("{schema}: {d}"));
    (files[0].contents.clone(), codegen::emit::type_warnings(&spec))
}

/// A rule the types cannot state, where the types still take every valid value: accepted,
/// with a located warning.
#[track_caller]
fn warned(schema: &str, pointer: &str, message: &str) {
    let (_, warnings) = accepted(schema);
    let w = warnings
        .iter()
        .find(|w| w.pointer == pointer)
        .unwrap_or_else(|| panic!("no warning at {pointer} for {schema}: {warnings:?}"));
    assert!(w.is_warning() && w.message.contains(message), "{schema}: {w}");
    // At the keyword's own line, or at the schema's when the keyword came from a merge.
    assert!(
        matches!(w.line, Some(l) if l == BODY_LINE || l == BODY_LINE - 1),
        "{schema}: {w}"
    );
}

#[test]
fn conditional_rules_are_skipped_with_a_located_warning() {
    warned(
        r#"{"type": "object", "properties": {"a": {"type": "string"}}, "if": {"required": ["a"]}, "then": {}}"#,
        &format!("{B}/if"),
        "`if` is a rule the generated types do not state",
    );
    warned(
        r#"{"type": "object", "properties": {"a": {"type": "string"}}, "dependentRequired": {"a": ["b"]}}"#,
        &format!("{B}/dependentRequired"),
        "do not state",
    );
    warned(
        r#"{"type": "object", "not": {"required": ["a"]}}"#,
        &format!("{B}/not"),
        "do not state",
    );
    warned(
        r#"{"type": "object", "allOf": [{"required": ["a"]}]}"#,
        &format!("{B}/required"),
        "`a` is required but not declared",
    );
    warned(
        r#"{"type": "string", "enum": ["a", 1]}"#,
        &format!("{B}/enum"),
        "read as its base type",
    );
}

#[test]
fn choices_that_are_not_exact_are_refused() {
    let props = r#""properties": {"a": {"type": ["string", "null"]}, "b": {"type": ["string", "null"]}}"#;
    // Two oneOf branches one value can match.
    refused(
        &format!(
            r#"{{"type": "object", {props}, "oneOf": [{{"title": "x", "required": ["a"], "properties": {{"a": {{"type": "string"}}}}}}, {{"title": "y", "required": ["b"], "properties": {{"b": {{"type": "string"}}}}}}]}}"#
        ),
        &format!("{B}/oneOf"),
        "overlap",
    );
    // `required` on a nullable property does not say it is set.
    refused(
        &format!(r#"{{"type": "object", {props}, "anyOf": [{{"title": "x", "required": ["a"]}}]}}"#),
        &format!("{B}/anyOf/0/required"),
        "may still be null",
    );
    // A branch without a title is numbered.
    let (types, _) = accepted(&format!(
        r#"{{"type": "object", {props}, "anyOf": [{{"required": ["a"], "properties": {{"a": {{"type": "string"}}}}}}]}}"#
    ));
    assert!(types.contains("pub fn new_branch1("), "{types}");
}

#[test]
fn schemas_no_rust_type_fits_are_refused() {
    refused("false", B, "allows no value");
    refused(
        r##"{"type": "array", "items": {"$ref": "#/components/schemas/Body"}}"##,
        B,
        "refers to itself",
    );
    // `check` already refuses what is not a valid JSON Schema.
    refused(r#"{"type": "bogus"}"#, &format!("{B}/type"), "type");
    refused(r#"{"type": 5}"#, &format!("{B}/type"), "type");
    refused(
        r#"{"type": "string", "minLength": -1}"#,
        &format!("{B}/minLength"),
        "",
    );
}

#[test]
fn rules_once_refused_now_have_rust_types() {
    for (schema, expect) in [
        (r#"{"type": ["string", "integer"]}"#, "Integer(i64)"),
        (
            r#"{"type": "object", "properties": {"k": {"const": "v"}}}"#,
            "pub enum BodyK",
        ),
        (
            r#"{"type": "object", "properties": {"id": {"type": "string", "format": "uuid"}}}"#,
            "uuid::Uuid",
        ),
        (
            r#"{"type": "object", "properties": {"n": {"type": "integer", "maximum": 10}}}"#,
            "pub n: ::std::option::Option<i64>",
        ),
        (
            r#"{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}"#,
            "#[serde(flatten)]",
        ),
        (
            r#"{"type": "object", "properties": {"s": {"type": "string", "default": "x"}}}"#,
            "pub s:",
        ),
        (
            r#"{"oneOf": [{"title": "a", "type": "string"}, {"title": "b", "type": "string", "maxLength": 3}]}"#,
            "#[serde(untagged)]",
        ),
        (
            r##"{"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Body"}}}"##,
            "::std::boxed::Box<Body>",
        ),
        (
            r#"{"oneOf": [{"title": "whole", "type": "integer"}, {"title": "real", "type": "number"}]}"#,
            "Whole(i64)",
        ),
    ] {
        let (types, warnings) = accepted(schema);
        assert!(types.contains(expect), "{schema}: no `{expect}` in\n{types}");
        assert!(warnings.is_empty(), "{schema}: {warnings:?}");
    }
}

#[test]
fn schema_names_that_shadow_the_prelude_are_renamed() {
    let text = spec_with_body(r##"{"$ref": "#/components/schemas/Made"}"##)
        .replace("    Made:\n", "    Result:\n")
        .replace("schemas/Made'", "schemas/Result'");
    let text = text.replace("\"#/components/schemas/Made\"", "\"#/components/schemas/Result\"");
    let spec = Spec::parse("prelude.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    let files = generate_client(&spec).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        files[0].contents.contains("pub struct ResultSchema("),
        "{}",
        files[0].contents
    );
}
