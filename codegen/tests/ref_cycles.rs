//! `$ref` cycles: a cycle no value can end is refused by `codegen check` (and so by `codegen
//! diff`), located at the link that closes it; recursion through optional fields or arrays
//! stays legal.

use std::process::Command;

use codegen::spec::check::check_document;
use codegen::{Diagnostic, Spec};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
const COUNTRY_CODE: &str = "    CountryCode:\n      title: Country calling code\n";

fn real() -> String {
    std::fs::read_to_string(SPEC).expect("read the spec")
}

/// The real spec with `CountryCode` replaced by `yaml` (more components may follow it).
fn with_country_code(yaml: &str) -> String {
    let text = real();
    assert_eq!(text.matches(COUNTRY_CODE).count(), 1);
    text.replacen(
        COUNTRY_CODE,
        &format!("{yaml}    CountryCodeBefore:\n      title: Country calling code\n"),
        1,
    )
}

/// The 1-based line of the first line of `text` that starts with `prefix` after `after`.
fn line_of(text: &str, after: &str, prefix: &str) -> usize {
    let start = text[..text.find(after).unwrap()].lines().count();
    start
        + text
            .lines()
            .skip(start)
            .position(|l| l.starts_with(prefix))
            .unwrap()
        + 1
}

fn refused(text: &str) -> Vec<Diagnostic> {
    let spec = Spec::parse("cyclic.yaml", text.to_string()).unwrap_or_else(|d| panic!("{d}"));
    check_document(&spec)
        .expect_err("a cyclic spec must be refused")
        .0
}

#[test]
fn a_to_b_to_a_is_refused_at_the_closing_ref() {
    let text = with_country_code(
        "    CountryCode:\n      $ref: '#/components/schemas/Loop'\n    Loop:\n      $ref: '#/components/schemas/CountryCode'\n",
    );
    let d = refused(&text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].pointer, "/components/schemas/CountryCode/$ref");
    assert_eq!(
        d[0].line,
        Some(line_of(&text, "    CountryCode:\n      $ref", "      $ref"))
    );
    assert!(
        d[0].message.contains(
            "/components/schemas/CountryCode → /components/schemas/Loop → /components/schemas/CountryCode"
        ),
        "{}",
        d[0]
    );
}

#[test]
fn a_schema_referring_to_itself_is_refused() {
    let text = with_country_code("    CountryCode:\n      $ref: '#/components/schemas/CountryCode'\n");
    let d = refused(&text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].pointer, "/components/schemas/CountryCode/$ref");
    assert!(d[0].message.contains("cycle"), "{}", d[0]);
}

#[test]
fn a_cycle_through_all_of_and_required_properties_is_refused() {
    let text = with_country_code(concat!(
        "    CountryCode:\n      allOf:\n        - $ref: '#/components/schemas/Holder'\n",
        "    Holder:\n      type: object\n      required: [code]\n      properties:\n",
        "        code:\n          $ref: '#/components/schemas/CountryCode'\n",
    ));
    let d = refused(&text);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].pointer, "/components/schemas/CountryCode/allOf/0");
    assert!(
        d[0].message
            .contains("/components/schemas/Holder/properties/code"),
        "{}",
        d[0]
    );
}

#[test]
fn a_tree_with_optional_children_is_legal() {
    let text = with_country_code(concat!(
        "    TreeNode:\n      type: object\n      required: [label]\n      properties:\n",
        "        label: {type: string}\n",
        "        parent:\n          anyOf:\n            - $ref: '#/components/schemas/TreeNode'\n            - type: 'null'\n",
        "        children:\n          type: array\n          items:\n            $ref: '#/components/schemas/TreeNode'\n",
        "    CountryCode:\n      title: Country calling code\n      type: string\n",
    ));
    let spec = Spec::parse("tree.yaml", text).unwrap_or_else(|d| panic!("{d}"));
    check_document(&spec).unwrap_or_else(|d| panic!("{d}"));
    assert!(spec.resolver().cycles().is_empty());
}

#[test]
fn diff_refuses_a_spec_whose_rules_vanished_into_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.yaml");
    let new = dir.path().join("new.yaml");
    std::fs::write(&old, real()).unwrap();
    std::fs::write(
        &new,
        with_country_code(
            "    CountryCode:\n      $ref: '#/components/schemas/Loop'\n    Loop:\n      $ref: '#/components/schemas/CountryCode'\n",
        ),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("diff")
        .args([&old, &new])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(!stdout.contains("0 change(s)"), "{stdout}");
    assert!(
        stderr.contains("/components/schemas/CountryCode/$ref"),
        "{stderr}"
    );
    assert!(stderr.contains("schema cycle"), "{stderr}");
}
