//! The conformance tools know nothing about the Front Payment endpoints: no string literal in
//! the code of `conformance/src` (comments and unit tests aside), nor in the model's case
//! derivation and replay plans, names a field, message, state, resource, header, token
//! variable or operation of the embedded spec. The names are read from the spec, so a new
//! field or message is covered without editing this test.

use std::path::{Path, PathBuf};

use conformance::contract::Contract;
use serde_json::Value;

/// Names that are also the tools' own vocabulary (the `validate` report's `errors`, a
/// failure's `message`, curl's `--data-raw`) or HTTP's (reason phrases): they say nothing
/// about this API.
const GENERIC: &[&str] = &["errors", "message", "data", "OK", "Not Found", "Unauthorized"];

/// Every name the spec gives: property names, string `enum`/`const` values, header names,
/// `x-resource` kinds, declared states (but the two with a fixed meaning), the token
/// variable, operation ids.
fn names(contract: &Contract) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    match k.as_str() {
                        "properties" | "headers" => {
                            if let Value::Object(m) = child {
                                out.extend(m.keys().cloned());
                            }
                        }
                        "enum" => out.extend(
                            child
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|e| e.as_str().map(str::to_string)),
                        ),
                        "const" | "x-resource" | "x-token-env" | "operationId" => {
                            out.extend(child.as_str().map(str::to_string))
                        }
                        _ => {}
                    }
                    walk(child, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&contract.spec.doc, &mut out);
    for resource in contract.resources() {
        out.extend(contract.states(resource).into_iter().map(str::to_string));
    }
    out.retain(|n| !GENERIC.contains(&n.as_str()) && n != "missing" && n != "unauthenticated");
    out.sort();
    out.dedup();
    out
}

/// The string literals of a source file's code: unit tests and comment lines left out.
fn literals(text: &str) -> Vec<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = Vec::new();
    for line in code.lines() {
        // Character literals of a quote are not strings.
        let line = line.replace("'\\\"'", "").replace("'\"'", "");
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '/' && chars.peek() == Some(&'/') {
                break;
            }
            if c != '"' {
                continue;
            }
            let mut lit = String::new();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    c => lit.push(c),
                }
            }
            out.push(lit);
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| w == word)
        || (word.contains(|c: char| !c.is_ascii_alphanumeric() && c != '_') && haystack.contains(word))
}

#[test]
fn no_literal_in_the_tools_names_the_api() {
    let names = names(Contract::embedded());
    for must in [
        "msisdn",
        "orderStatusAlreadyPaid",
        "x-ratelimit-remaining",
        "paid",
        "orders",
    ] {
        assert!(
            names.iter().any(|n| n == must),
            "{must} not read from the spec: {names:?}"
        );
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    for f in [
        "../codegen/model/src/cases.rs",
        "../codegen/model/src/spec/replay.rs",
    ] {
        files.push(root.join(f));
    }
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for lit in literals(&text) {
            for n in names.iter().filter(|n| contains_word(&lit, n)) {
                found.push(format!("{}: \"{lit}\" names `{n}`", file.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_scanner_finds_literals_outside_comments_and_tests() {
    let text = "let a = \"msisdn\"; // \"paid\"\n/// \"email\"\nlet b = \"x \\\"q\\\" y\" == '\"';\n#[cfg(test)]\nlet c = \"orders\";";
    assert_eq!(literals(text), ["msisdn", "x q y"]);
    assert!(contains_word("send by msisdn now", "msisdn"));
    assert!(!contains_word("msisdnx", "msisdn"));
    assert!(contains_word("h: x-ratelimit-remaining", "x-ratelimit-remaining"));
}
