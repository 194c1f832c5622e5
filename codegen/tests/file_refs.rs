//! `$ref`s to sibling files (`codegen/tests/fixtures/features/refs-*`): the joined document
//! generates, exports and diffs; each refused or broken reference is reported in the file
//! that holds it, with line and JSON pointer.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Spec;
use codegen::diagnostics::{Diagnostic, Diagnostics};
use codegen::emit::generate_client;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/features")
        .join(name)
}

fn load_err(name: &str) -> Diagnostics {
    Spec::load(fixture(name)).expect_err("the fixture is refused")
}

/// (file name relative to the fixtures folder, line, pointer) of a diagnostic.
fn place(d: &Diagnostic) -> (String, Option<usize>, &str) {
    let base = fixture("");
    let file = Path::new(&d.file)
        .strip_prefix(&base)
        .unwrap_or_else(|_| panic!("{} is not under the fixtures", d.file));
    (file.display().to_string(), d.line, d.pointer.as_str())
}

#[test]
fn a_document_split_over_sibling_files_generates() {
    let spec = Spec::load(fixture("refs-siblings/openapi.yaml")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        spec.sources.files.len(),
        6,
        "the root and five siblings, each read once"
    );
    let files = generate_client(&spec).unwrap_or_else(|d| panic!("{d}"));
    let types = &files.iter().find(|f| f.name == "types.rs").unwrap().contents;
    let client = &files.iter().find(|f| f.name == "client.rs").unwrap().contents;
    // The whole JSON Schema file keeps the root's name; its `$defs` become types of their own.
    for ty in [
        "pub struct Book",
        "pub struct Author",
        "pub struct Shelf",
        "pub struct Problem",
    ] {
        assert!(types.contains(ty), "{ty} missing:\n{types}");
    }
    // The path item written in another file is an operation like any other.
    assert!(client.contains("pub async fn get_book"), "{client}");
    assert!(client.contains("pub async fn get_shelf"), "{client}");
    insta::assert_snapshot!("refs_siblings_types", types);
    insta::assert_snapshot!("refs_siblings_client", client);
}

#[test]
fn warnings_about_sibling_files_name_them() {
    let spec = Spec::load(fixture("refs-siblings/openapi.yaml")).unwrap();
    let found: Vec<_> = spec.warnings.iter().map(place).collect();
    assert_eq!(
        found,
        [(
            "refs-siblings/paths/book.yaml".to_string(),
            Some(17),
            "/get/x-codeSamples"
        )],
        "the code sample's `$ref` (to a file that does not exist) is not followed"
    );
}

#[test]
fn exported_schemas_name_the_file_they_come_from_and_diff_sees_no_change() {
    let spec = Spec::load(fixture("refs-siblings/openapi.yaml")).unwrap();
    let api = codegen::spec::check::check(&spec).unwrap();
    let files = codegen::export::export(&spec, &api).unwrap_or_else(|d| panic!("{d}"));
    let index = &files.iter().find(|f| f.name == "index.json").unwrap().contents;
    assert!(index.contains("\"schemas/shelf.yaml#/Shelf\""), "{index}");
    assert!(index.contains("\"schemas/book.schema.json#\""), "{index}");
    let shelf: serde_json::Value =
        serde_json::from_str(&files.iter().find(|f| f.name == "Shelf.json").unwrap().contents).unwrap();
    // The bundle is self-contained: the JSON Schema file's `$defs` came along.
    assert_eq!(shelf["$defs"]["isbn"]["pattern"], "^[0-9]{13}$");
    assert_eq!(shelf["properties"]["books"]["items"]["$ref"], "#/$defs/Book");

    let other = Spec::load(fixture("refs-siblings/openapi.yaml")).unwrap();
    let other_api = codegen::spec::check::check_document(&other).unwrap();
    assert!(codegen::spec_diff::diff(&spec, &api, &other, &other_api).is_empty());
}

#[test]
fn a_missing_sibling_file_or_pointer_is_located_at_the_reference() {
    let e = load_err("refs-missing/openapi.yaml");
    let found: Vec<_> = e.iter().map(place).collect();
    assert_eq!(
        found,
        [
            (
                "refs-missing/openapi.yaml".to_string(),
                Some(10),
                "/components/schemas/Gone/$ref"
            ),
            (
                "refs-missing/openapi.yaml".to_string(),
                Some(12),
                "/components/schemas/Partial/$ref"
            ),
        ],
        "{e}"
    );
    assert!(e.0[0].message.contains("cannot read `./nowhere.yaml`"), "{e}");
    assert!(e.0[1].message.contains("nothing at /NotHere"), "{e}");
    assert!(
        e.0[1].hint.as_deref().unwrap_or("").contains("present.yaml"),
        "{e}"
    );
}

#[test]
fn urls_absolute_paths_and_anchors_are_refused_where_they_are_written() {
    let e = load_err("refs-refused/openapi.yaml");
    let found: Vec<_> = e.iter().map(|d| (place(d).1, d.pointer.clone())).collect();
    assert_eq!(
        found,
        [
            (Some(10), "/components/schemas/Remote/$ref".to_string()),
            (Some(12), "/components/schemas/LocalUrl/$ref".to_string()),
            (Some(14), "/components/schemas/Absolute/$ref".to_string()),
            (Some(16), "/components/schemas/Anchor/$ref".to_string()),
        ],
        "{e}"
    );
    assert!(e.0[0].message.contains("never reads the network"), "{e}");
    assert!(e.0[1].message.contains("is a URL"), "{e}");
    assert!(e.0[2].message.contains("absolute path"), "{e}");
    assert!(e.0[3].message.contains("anchor"), "{e}");
}

#[test]
fn cycles_across_files_are_refused_in_the_file_that_closes_them() {
    let e = load_err("refs-cycles/openapi.yaml");
    let found: Vec<_> = e.iter().map(place).collect();
    assert_eq!(
        found,
        [("refs-cycles/paths/second.yaml".to_string(), Some(2), "/$ref")],
        "{e}"
    );
    assert!(e.0[0].message.contains("path item reference cycle"), "{e}");

    // A schema cycle no value can end is found once the files are joined, and reported in
    // the sibling file where its first link is written.
    let spec = Spec::load(fixture("refs-cycles/schemas-only.openapi.yaml")).unwrap();
    let e = codegen::spec::check::check(&spec).unwrap_err();
    let found: Vec<_> = e.iter().map(place).collect();
    assert_eq!(
        found,
        [(
            "refs-cycles/more-schemas.yaml".to_string(),
            Some(3),
            "/Chicken/allOf/0"
        )],
        "{e}"
    );
    assert!(e.0[0].message.contains("schema cycle"), "{e}");
}

#[test]
fn a_broken_sibling_is_reported_in_itself_with_the_referring_place() {
    let e = load_err("refs-broken-sibling/openapi.yaml");
    let found: Vec<_> = e.iter().map(place).collect();
    assert_eq!(
        found,
        [("refs-broken-sibling/broken.yaml".to_string(), Some(5), "")],
        "{e}"
    );
    let hint = e.0[0].hint.as_deref().unwrap_or("");
    assert!(hint.contains("refs-broken-sibling/openapi.yaml:10"), "{e}");
}

#[test]
fn a_symbolic_link_to_a_sibling_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("api.yaml");
    std::fs::write(dir.path().join("real.yaml"), "Thing:\n  type: string\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("real.yaml"), dir.path().join("link.yaml")).unwrap();
    std::fs::write(
        &root,
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Thing:\n      $ref: link.yaml#/Thing\n",
    )
    .unwrap();
    let e = Spec::load(&root).unwrap_err();
    assert_eq!(
        (e.0[0].line, e.0[0].pointer.as_str()),
        (Some(7), "/components/schemas/Thing/$ref")
    );
    assert!(e.0[0].message.contains("symbolic link"), "{e}");
}

#[test]
fn the_cli_names_the_sibling_file() {
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .args(["check", "--spec"])
        .arg(fixture("refs-broken-sibling/openapi.yaml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("refs-broken-sibling/broken.yaml:5:1: error"),
        "{stderr}"
    );
}

/// Copies a fixture folder (the project's own) into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn diff_locates_a_change_in_the_sibling_file_that_has_it() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    copy_dir(&fixture("refs-siblings"), &old);
    copy_dir(&fixture("refs-siblings"), &new);
    // The response's `isbn` is no longer promised: breaking for users of the client.
    let book = new.join("schemas/book.schema.json");
    let text = std::fs::read_to_string(&book).unwrap();
    std::fs::write(&book, text.replace(r#"["title", "isbn"]"#, r#"["title"]"#)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_codegen"))
        .arg("diff")
        .arg(old.join("openapi.yaml"))
        .arg(new.join("openapi.yaml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("BREAKING"), "{stdout}");
    let located = format!("{}:", book.display());
    assert!(
        stdout.contains(&located),
        "the change is located in the JSON Schema file:\n{stdout}"
    );
}
