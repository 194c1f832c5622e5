//! The schema → Rust type features, one fixture each (`tests/fixtures/features/*.yaml`):
//! what the type IR makes of them, the generated `types.rs` reviewed as a snapshot, and the
//! generated clients compiled together (warnings denied) and exercised by the behavioural
//! tests in `tests/fixtures/features/behaviour.rs` (serde round trips, discriminated unions,
//! open enums, a wiremock exchange), which run as that scratch crate's own tests.
//!
//! The scratch crate depends on the runtime crate by path, uses a copy of the workspace's lock
//! file, and builds into `target/generated-check` (shared with `compile_generated.rs`).

mod support;

use std::path::{Path, PathBuf};

use codegen::Spec;
use codegen::emit::generate_client;
use codegen::ir::client::{ClientIr, build};
use codegen::ir::schema_reader::Reader;
use codegen::ir::types::*;
use codegen::spec::check::check;

const FEATURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/features");
/// Fixture file stem → the module it is generated into in the scratch crate.
const FIXTURES: &[(&str, &str)] = &[
    ("types-formats", "formats"),
    ("types-nullable", "nullable"),
    ("types-unions", "unions"),
    ("types-allof", "allof"),
    ("types-maps-recursive", "maps"),
    ("names-collisions", "names"),
];

fn path(stem: &str) -> PathBuf {
    Path::new(FEATURES).join(format!("{stem}.yaml"))
}

fn ir(stem: &str) -> ClientIr {
    let spec = Spec::load(path(stem)).unwrap_or_else(|d| panic!("{d}"));
    let api = check(&spec).unwrap_or_else(|d| panic!("{d}"));
    build(&spec, &api).unwrap_or_else(|d| panic!("{d}"))
}

fn kind<'a>(ir: &'a ClientIr, name: &str) -> &'a TypeKind {
    &ir.types
        .get(name)
        .unwrap_or_else(|| {
            panic!(
                "no type {name} in {:?}",
                ir.types.types.keys().collect::<Vec<_>>()
            )
        })
        .kind
}

fn fields<'a>(ir: &'a ClientIr, name: &str) -> &'a [Field] {
    match kind(ir, name) {
        TypeKind::Struct(s) => &s.fields,
        other => panic!("{name} is {other:?}"),
    }
}

fn field<'a>(ir: &'a ClientIr, ty: &str, wire: &str) -> &'a Field {
    fields(ir, ty)
        .iter()
        .find(|f| f.wire == wire)
        .unwrap_or_else(|| panic!("{ty} has no `{wire}`"))
}

#[test]
fn generated_types_match_their_snapshots() {
    for (stem, _) in FIXTURES {
        let files = generate_client(&Spec::load(path(stem)).unwrap()).unwrap_or_else(|d| panic!("{d}"));
        let types = &files.iter().find(|f| f.name == "types.rs").unwrap().contents;
        insta::assert_snapshot!(*stem, types);
    }
}

#[test]
fn formats_have_their_rust_types() {
    let ir = ir("types-formats");
    let ty = |wire: &str| field(&ir, "Reading", wire).ty.clone();
    assert_eq!(ty("sensor"), TypeRef::Format(StringFormat::Uuid));
    assert_eq!(ty("takenAt"), TypeRef::Format(StringFormat::DateTime));
    assert_eq!(ty("day"), TypeRef::Format(StringFormat::Date));
    assert_eq!(
        ty("samples32"),
        TypeRef::Integer {
            unsigned: false,
            bits: 32
        }
    );
    assert_eq!(
        ty("samples64"),
        TypeRef::Integer {
            unsigned: false,
            bits: 64
        }
    );
    assert_eq!(
        ty("windowSeconds"),
        TypeRef::Integer {
            unsigned: true,
            bits: 32
        }
    );
    assert_eq!(
        ty("totalBytes"),
        TypeRef::Integer {
            unsigned: true,
            bits: 64
        }
    );
    assert_eq!(
        ty("batteryPercent"),
        TypeRef::Integer {
            unsigned: true,
            bits: 64
        }
    );
    assert_eq!(
        ty("strictlyPositive"),
        TypeRef::Integer {
            unsigned: true,
            bits: 64
        }
    );
    assert_eq!(ty("celsius"), TypeRef::Number);
    assert_eq!(ty("pressure"), TypeRef::Number);
    // Annotations only: kept as text.
    for wire in ["localTime", "manual", "signature", "photo", "station"] {
        assert_eq!(ty(wire), TypeRef::String, "{wire}");
    }
    // `email` on a request is checked.
    let TypeRef::Named(email) = ty("operator") else {
        panic!("operator is not a validated string")
    };
    assert!(matches!(kind(&ir, &email), TypeKind::Constrained(r) if r.format.as_deref() == Some("email")));
    // Required, but written by the server: not the caller's to send.
    let serial = field(&ir, "Reading", "serial");
    assert!(!serial.required && serial.optional());
    // The path parameter is an `int32` too.
    let op = ir.operations.iter().find(|o| o.id == "postReading").unwrap();
    assert_eq!(
        op.params[0].ty,
        TypeRef::Integer {
            unsigned: true,
            bits: 32
        }
    );
}

#[test]
fn every_spelling_of_null_is_an_option() {
    let ir = ir("types-nullable");
    for wire in [
        "nickname",
        "legacyNote",
        "middleName",
        "home",
        "work",
        "listNullable",
        "mood",
    ] {
        let f = field(&ir, "Profile", wire);
        assert!(f.nullable && f.optional(), "{wire} is not nullable: {f:?}");
    }
    assert_eq!(field(&ir, "Profile", "home").ty, TypeRef::Named("Address".into()));
    assert_eq!(field(&ir, "Profile", "work").ty, TypeRef::Named("Address".into()));
    assert_eq!(
        field(&ir, "Profile", "scores").ty,
        TypeRef::Array(Box::new(TypeRef::Nullable(Box::new(TypeRef::Integer {
            unsigned: false,
            bits: 64
        }))))
    );
    assert_eq!(
        field(&ir, "Profile", "tags").ty,
        TypeRef::Map(Box::new(TypeRef::Nullable(Box::new(TypeRef::String))))
    );
    assert!(ir.types.warnings.is_empty(), "{:?}", ir.types.warnings);
}

/// A 3.0 document's spellings, read by the schema reader alone (the operation reader's 3.0
/// acceptance is another change): `nullable: true` and the boolean `exclusiveMinimum`.
#[test]
fn openapi_3_0_spellings_are_read() {
    let text = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Counter:
      type: object
      required: [value, label]
      properties:
        value: {type: integer, format: int32, minimum: 0, exclusiveMinimum: true}
        label: {type: string, nullable: true}
        parent: {allOf: [{$ref: '#/components/schemas/Counter'}], nullable: true}
"#;
    let spec = Spec::parse("three-oh.yaml", text.to_string()).unwrap_or_else(|d| panic!("{d}"));
    let mut reader = Reader::new(&spec);
    let shape = reader
        .read("/components/schemas/Counter", "Counter", Direction::Response)
        .unwrap();
    assert_eq!(shape.ty, TypeRef::Named("Counter".into()));
    let space = reader.finish().unwrap_or_else(|d| panic!("{d}"));
    let TypeKind::Struct(s) = &space.get("Counter").unwrap().kind else {
        panic!()
    };
    assert_eq!(
        s.fields[0].ty,
        TypeRef::Integer {
            unsigned: true,
            bits: 32
        }
    );
    assert!(s.fields[1].nullable && s.fields[1].required);
    // Recursion through an optional property is boxed.
    assert_eq!(
        s.fields[2].ty,
        TypeRef::Boxed(Box::new(TypeRef::Named("Counter".into())))
    );
}

#[test]
fn unions_are_tagged_by_their_discriminator_or_tried_in_order() {
    let ir = ir("types-unions");
    let union = |name: &str| match kind(&ir, name) {
        TypeKind::Union(u) => u.clone(),
        other => panic!("{name} is {other:?}"),
    };
    let animal = union("Animal");
    assert_eq!(animal.discriminator.as_ref().unwrap().property, "kind");
    let tags: Vec<(String, Vec<String>, bool)> = animal
        .variants
        .iter()
        .map(|v| (v.name.clone(), v.tags.clone(), v.declares_tag))
        .collect();
    assert_eq!(
        tags,
        [
            ("Cat".to_string(), vec!["cat".to_string()], true),
            ("Dog".to_string(), vec!["dog".to_string()], true),
            ("Parrot".to_string(), vec!["parrot".to_string()], false),
        ]
    );
    // First reached by a request: closed.
    assert!(!animal.open);
    // Without a mapping, the component names are the tags; a response union stays open.
    let vehicle = union("RecordVehicle");
    assert!(vehicle.open);
    assert_eq!(vehicle.variants[1].tags, ["Bike"]);
    // No discriminator, but a required constant in every branch: tagged by it.
    let notice = union("RecordNotice");
    assert_eq!(notice.discriminator.as_ref().unwrap().property, "level");
    let tags: Vec<&[String]> = notice.variants.iter().map(|v| v.tags.as_slice()).collect();
    assert_eq!(tags, [&["hint".to_string()][..], &["warning".to_string()][..]]);
    assert!(notice.open);
    // Untagged: titles name the variants.
    let adopter = union("Adopter");
    assert!(adopter.discriminator.is_none());
    let names: Vec<&str> = adopter.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Person", "Organisation"]);
    // Several types: integer is tried before number.
    let label = union("NewPetLabel");
    let names: Vec<&str> = label.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["Boolean", "Integer", "Number", "String"]);
    // Enums: integer values, request closed, response open; a request `const` is a one-value enum.
    match kind(&ir, "Priority") {
        TypeKind::IntegerEnum(e) => {
            let values: Vec<(i64, &str)> = e.values.iter().map(|v| (v.wire, v.variant.as_str())).collect();
            assert_eq!(values, [(1, "V1"), (2, "V2"), (3, "V3"), (-1, "Minus1")]);
            assert!(!e.open);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(kind(&ir, "RecordStatus"), TypeKind::StringEnum(e) if e.open));
    assert!(matches!(kind(&ir, "NewPetSource"), TypeKind::StringEnum(e) if !e.open && e.values.len() == 1));
    assert_eq!(
        field(&ir, "Record", "version").constant,
        Some(serde_json::json!(2))
    );
}

#[test]
fn all_of_parts_are_merged_and_conditionals_warned_about() {
    let ir = ir("types-allof");
    let wires: Vec<(&str, bool)> = fields(&ir, "Invoice")
        .iter()
        .map(|f| (f.wire.as_str(), f.required))
        .collect();
    assert_eq!(
        wires,
        [
            ("id", true),
            ("createdAt", false),
            ("value", true),
            ("currency", true),
            ("customer", true),
            ("dueDays", false),
            ("state", true),
        ]
    );
    let warned: Vec<&str> = ir.types.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(
        warned,
        [
            "/components/schemas/NewInvoice/allOf/2/if",
            "/components/schemas/NewInvoice/allOf/2/then"
        ]
    );
    assert!(
        ir.types
            .warnings
            .iter()
            .all(|w| w.is_warning() && w.line.is_some())
    );
    // A base with a discriminator mapping stands for its subtypes.
    match kind(&ir, "Charge") {
        TypeKind::Union(u) => {
            let v: Vec<(&str, &[String])> = u
                .variants
                .iter()
                .map(|v| (v.name.as_str(), v.tags.as_slice()))
                .collect();
            assert_eq!(
                v,
                [
                    ("CardCharge", &["card".to_string()][..]),
                    ("InvoiceCharge", &["invoice".to_string()][..])
                ]
            );
            assert!(u.open);
        }
        other => panic!("{other:?}"),
    }
    assert!(fields(&ir, "CardCharge").iter().any(|f| f.wire == "chargeType"));
}

#[test]
fn maps_and_recursion() {
    let ir = ir("types-maps-recursive");
    let json = || Box::new(TypeRef::Json);
    assert_eq!(
        field(&ir, "Folder", "labels").ty,
        TypeRef::Map(Box::new(TypeRef::String))
    );
    assert_eq!(field(&ir, "Folder", "loose").ty, TypeRef::Map(json()));
    assert_eq!(field(&ir, "Folder", "anything").ty, TypeRef::Map(json()));
    // Through an array the vector is the indirection; through a property, a box.
    assert_eq!(
        field(&ir, "Folder", "children").ty,
        TypeRef::Array(Box::new(TypeRef::Named("Folder".into())))
    );
    assert_eq!(
        field(&ir, "Folder", "parent").ty,
        TypeRef::Boxed(Box::new(TypeRef::Named("Folder".into())))
    );
    assert_eq!(
        field(&ir, "Link", "next").ty,
        TypeRef::Boxed(Box::new(TypeRef::Named("Link".into())))
    );
    match kind(&ir, "Catalogue") {
        TypeKind::Struct(s) => assert_eq!(s.additional, Some(("additional".to_string(), TypeRef::Number))),
        other => panic!("{other:?}"),
    }
}

#[test]
fn names_are_idiomatic_unique_and_keep_the_wire_name() {
    let ir = ir("names-collisions");
    // `Pet` and `pet`: spec order decides, whichever operation reaches them first.
    assert_eq!(ir.types.get("Pet").unwrap().pointer, "/components/schemas/Pet");
    assert_eq!(ir.types.get("Pet2").unwrap().pointer, "/components/schemas/pet");
    assert_eq!(
        ir.types.get("OptionSchema").unwrap().pointer,
        "/components/schemas/Option"
    );
    assert_eq!(
        ir.types.get("Serialize2").unwrap().pointer,
        "/components/schemas/Serialize"
    );
    let pairs: Vec<(&str, &str)> = fields(&ir, "Pet2")
        .iter()
        .map(|f| (f.wire.as_str(), f.rust.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("fooBar", "foo_bar_2"),
            ("foo_bar", "foo_bar"),
            ("FooBar", "foo_bar_3"),
            ("type", "type_"),
            ("self", "self_"),
            ("2fa", "_2fa"),
            ("größe", "grosse"),
            ("", "value"),
            ("state", "state"),
            ("twin", "twin"),
            ("option", "option"),
        ]
    );
    match kind(&ir, "Pet2State") {
        TypeKind::StringEnum(e) => {
            let v: Vec<&str> = e.values.iter().map(|v| v.variant.as_str()).collect();
            assert_eq!(v, ["Open", "Open2", "Open3", "Unknown2", "AB", "AB2", "_1st"]);
        }
        other => panic!("{other:?}"),
    }
    match kind(&ir, "ThingKind") {
        TypeKind::StringEnum(e) => {
            let v: Vec<&str> = e.values.iter().map(|v| v.variant.as_str()).collect();
            assert_eq!(v, ["New", "Self_", "Crate", "Value"]);
        }
        other => panic!("{other:?}"),
    }
}

/// What the type reader cannot represent is refused with a location, never a panic.
#[test]
fn unrepresentable_schemas_are_refused_with_their_location() {
    let text = r#"
openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Never:
      type: object
      required: [gone]
      properties:
        gone: false
        nothing: {not: {}}
    Loop:
      type: array
      items: {$ref: '#/components/schemas/Loop'}
"#;
    let spec = Spec::parse("refused.yaml", text.to_string()).unwrap();
    let mut reader = Reader::new(&spec);
    reader.read("/components/schemas/Never", "Never", Direction::Request);
    reader.read("/components/schemas/Loop", "Loop", Direction::Request);
    let err = reader.finish().unwrap_err();
    let found: Vec<(&str, &str)> = err
        .iter()
        .map(|d| (d.pointer.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(found.len(), 1, "{err}");
    assert_eq!(found[0].0, "/components/schemas/Loop");
    assert!(found[0].1.contains("refers to itself"), "{err}");
    assert!(err.iter().all(|d| d.line.is_some()));
}

#[test]
fn generated_clients_compile_and_behave() {
    let modules = FIXTURES
        .iter()
        .map(|(stem, module)| {
            let files = generate_client(&Spec::load(path(stem)).unwrap()).unwrap_or_else(|d| panic!("{d}"));
            (module.to_string(), files)
        })
        .collect();
    let run = support::test_clients(
        "feature-check",
        modules,
        &Path::new(FEATURES).join("behaviour.rs"),
    );
    assert!(
        run.success,
        "generated code does not compile or its behaviour tests fail:\n{}\n{}",
        run.stderr, run.stdout
    );
    // The behavioural tests did run (not zero of them).
    assert!(
        run.stdout.contains("test result: ok.") && !run.stdout.contains(" 0 passed"),
        "{}",
        run.stdout
    );
}
