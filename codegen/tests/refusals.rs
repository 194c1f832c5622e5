//! What the generator cannot express exactly, it refuses: a diagnostic with the JSON pointer,
//! the YAML line and a hint, never a looser type.

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

#[test]
fn conditional_keywords_are_refused() {
    refused(
        r#"{"type": "object", "allOf": [{"required": ["a"]}]}"#,
        &format!("{B}/allOf"),
        "`allOf` is not supported",
    );
    refused(
        r#"{"type": "object", "properties": {"a": {"type": "string"}}, "if": {"required": ["a"]}, "then": {}}"#,
        &format!("{B}/if"),
        "`if` is not supported",
    );
    refused(
        r#"{"type": "object", "properties": {"a": {"type": "string"}}, "dependentRequired": {"a": ["b"]}}"#,
        &format!("{B}/dependentRequired"),
        "`dependentRequired` is not supported",
    );
    refused(
        r#"{"type": "object", "not": {"required": ["a"]}}"#,
        &format!("{B}/not"),
        "`not` is not supported",
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
    // A branch without a title has no constructor name.
    refused(
        &format!(
            r#"{{"type": "object", {props}, "anyOf": [{{"required": ["a"], "properties": {{"a": {{"type": "string"}}}}}}]}}"#
        ),
        &format!("{B}/anyOf/0"),
        "no `title`",
    );
    // A branch that adds rules of its own.
    refused(
        &format!(r#"{{"type": "object", {props}, "anyOf": [{{"title": "x", "minProperties": 1}}]}}"#),
        &format!("{B}/anyOf/0/minProperties"),
        "in a branch is not supported",
    );
}

#[test]
fn rules_without_an_exact_rust_type_are_refused() {
    refused(
        r#"{"type": ["string", "integer"]}"#,
        &format!("{B}/type"),
        "cannot be represented exactly",
    );
    refused(
        r#"{"type": "object", "properties": {"k": {"const": "v"}}}"#,
        &format!("{B}/properties/k/const"),
        "`const` in a request",
    );
    refused(
        r#"{"type": "string", "format": "uuid"}"#,
        &format!("{B}/format"),
        "not checked by the client",
    );
    refused(
        r#"{"type": "integer", "maximum": 10}"#,
        &format!("{B}/maximum"),
        "integer bounds",
    );
    refused(
        r#"{"type": "string", "enum": ["a", 1]}"#,
        &format!("{B}/enum"),
        "only string enum values",
    );
    refused(
        r#"{"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "string"}}"#,
        &format!("{B}/additionalProperties"),
        "beside declared properties",
    );
    refused(
        r#"{"type": "string", "default": "x"}"#,
        &format!("{B}/default"),
        "`default` is not supported",
    );
    refused(
        r#"{"oneOf": [{"title": "a", "type": "string"}, {"title": "b", "type": "string", "maxLength": 3}]}"#,
        &format!("{B}/oneOf/1"),
        "overlaps",
    );
}

#[test]
fn recursive_schemas_are_refused() {
    refused(
        r##"{"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Body"}}}"##,
        B,
        "recursive",
    );
}

#[test]
fn a_number_branch_beside_an_integer_branch_is_refused() {
    refused(
        r#"{"oneOf": [{"title": "whole", "type": "integer"}, {"title": "real", "type": "number"}]}"#,
        &format!("{B}/oneOf/1"),
        "overlaps",
    );
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
