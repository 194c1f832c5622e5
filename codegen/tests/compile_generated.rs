//! Generated code compiles, for more than the project's spec: the fixture spec (other shapes,
//! four operations) and a changed copy of the project's spec (one more response message, one
//! more optional request field) are generated into one scratch crate, with code that uses
//! what each must expose, and `cargo check`ed once with warnings denied.
//!
//! The scratch crate depends on the runtime crate alone (by path), uses a copy of the
//! workspace's lock file, and builds into `target/generated-check`, so repeated runs reuse
//! their dependencies.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::Spec;
use codegen::emit::generate_client;
use serde_json::json;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const MAIN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");
const SHIPPING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/specs/shipping.openapi.yaml"
);
/// A document split over sibling files (`$ref`s to YAML and JSON Schema files, a path item).
const REFS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/features/refs-siblings/openapi.yaml"
);
fn write_module(crate_dir: &Path, module: &str, spec: &Spec) {
    let files = generate_client(spec).unwrap_or_else(|d| panic!("{d}"));
    let dir = crate_dir.join("src").join(module);
    std::fs::create_dir_all(&dir).unwrap();
    for f in files {
        std::fs::write(dir.join(&f.name), f.contents).unwrap();
    }
}

/// The project's spec with one more conflict message and one more optional request field.
fn changed_main_spec(dir: &Path) -> Spec {
    let base = Spec::load(MAIN).unwrap();
    let mut doc = base.doc.clone();
    let schemas = &mut doc["components"]["schemas"];
    let values = schemas["OrderConflictResponse"]["properties"]["message"]["enum"]
        .as_array_mut()
        .unwrap();
    values.push(json!("orderStatusAlreadyRefunded"));
    let props = schemas["ResendRequest"]["properties"].as_object_mut().unwrap();
    props.insert(
        "reference".into(),
        json!({"description": "The sender's own reference.", "type": ["string", "null"], "maxLength": 64}),
    );
    // The samples folder goes beside the copy: the checks replay it.
    let samples = dir.join("samples");
    for kind in ["valid", "invalid"] {
        std::fs::create_dir_all(samples.join(kind)).unwrap();
        for e in std::fs::read_dir(Path::new(ROOT).join("spec/samples").join(kind)).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, samples.join(kind).join(p.file_name().unwrap())).unwrap();
        }
    }
    let path = dir.join("changed.openapi.yaml");
    let text = serde_json::to_string_pretty(&doc).unwrap();
    std::fs::write(&path, &text).unwrap();
    Spec::parse(&path, text).unwrap_or_else(|d| panic!("{d}"))
}

fn dependency_lines() -> String {
    let runtime = Path::new(ROOT).join("generated-client/runtime");
    format!(
        "contract-runtime = {{ path = {:?} }}\n",
        runtime.display().to_string()
    )
}

const USES: &str = r#"
/// The fixture's API, used the way a caller would.
pub async fn shipping_api(c: &shipping::client::Client) -> Result<(), Box<dyn std::error::Error>> {
    use shipping::client::CancelShipmentSuccess;
    use shipping::types::*;
    let id = ShipmentId::new("SHP1")?;
    let recipient = Recipient::new_by_email(None, RecipientEmail::new("kari@example.no")?).with_name("Kari".into());
    let _: Option<&RecipientEmail> = recipient.email();
    let body = NewShipment {
        weight_grams: 1200,
        speed: NewShipmentSpeed::Express,
        fragile: Some(true),
        tags: Some(vec!["glass".into()]),
        note: None,
        recipient,
    };
    let created = c.create_shipment(&body).await?;
    let _: &Shipment = created.body();
    use shipping::client::ResponseHeaders as _;
    let _: Option<&str> = created.location();
    let page = c.list_shipment_events(&id, 3).await?;
    let _: &Vec<Event> = page.body();
    match c.cancel_shipment(&id).await? {
        CancelShipmentSuccess::Shipment(v) => drop(v.into_body()),
        CancelShipmentSuccess::NoContent(v) => v.into_body(),
    }
    match c.carrier_status(&Carrier::Bring).await {
        Ok(v) => {
            let _open: bool = v.body().open;
        }
        Err(shipping::client::CarrierStatusError::Other(e @ shipping::client::Error::Unexpected { .. })) => {
            assert!(e.status().is_some_and(|s| s.as_u16() > 0))
        }
        Err(e) => return Err(e.into()),
    }
    let _ = Reference::Number(7);
    Ok(())
}

/// The multi-file document's types, from three files, fit together.
pub async fn refs_api(c: &refs::client::Client) -> Result<(), Box<dyn std::error::Error>> {
    use refs::types::*;
    let book: Book = c.get_book(&GetBookBookId::new("B0042")?).await?.into_body();
    let _: &Isbn = &book.isbn;
    let _: Option<Author> = book.author;
    let shelf = c.get_shelf("hall").await?.into_body();
    let _: Vec<Book> = shelf.books;
    let _: Option<Problem> = shelf.problem;
    Ok(())
}

/// The changed spec exposes the new message and the new optional field.
pub fn changed_api() -> Result<(), Box<dyn std::error::Error>> {
    use changed::types::*;
    let body = ResendRequest::new_email(EmailAddress::new("kari@example.no")?)
        .with_reference(ResendRequestReference::new("INV-7")?);
    let _: Option<&ResendRequestReference> = body.reference();
    let message = OrderConflictResponseMessage::OrderStatusAlreadyRefunded;
    let _ = message.as_str();
    let _ = changed::client::Client::builder();
    Ok(())
}
"#;

#[test]
fn fixture_and_changed_spec_clients_compile() {
    let dir = tempfile::tempdir().unwrap();
    let crate_dir = dir.path().join("generated-check");
    std::fs::create_dir_all(crate_dir.join("src")).unwrap();
    std::fs::write(
        crate_dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"generated-check\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\n{}",
            dependency_lines()
        ),
    )
    .unwrap();
    std::fs::copy(Path::new(ROOT).join("Cargo.lock"), crate_dir.join("Cargo.lock")).unwrap();

    write_module(&crate_dir, "shipping", &Spec::load(SHIPPING).unwrap());
    let spec_dir = dir.path().join("spec");
    std::fs::create_dir_all(&spec_dir).unwrap();
    write_module(&crate_dir, "changed", &changed_main_spec(&spec_dir));
    write_module(&crate_dir, "refs", &Spec::load(REFS).unwrap());
    let modules = ["shipping", "changed", "refs"].map(|m| {
        format!(
            "pub mod {m} {{\n    pub mod types {{\n        include!(\"{m}/types.rs\");\n    }}\n    \
             pub mod client {{\n        include!(\"{m}/client.rs\");\n    }}\n}}\n"
        )
    });
    std::fs::write(
        crate_dir.join("src/lib.rs"),
        format!("#![deny(warnings)]\n{}{USES}", modules.join("")),
    )
    .unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target: PathBuf = Path::new(ROOT).join("target/generated-check");
    let out = Command::new(cargo)
        .args(["check", "--quiet", "--offline"])
        .current_dir(&crate_dir)
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "generated code does not compile:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_changed_spec_still_differs_only_where_it_was_changed() {
    let dir = tempfile::tempdir().unwrap();
    let changed = generate_client(&changed_main_spec(dir.path())).unwrap();
    let base = generate_client(&Spec::load(MAIN).unwrap()).unwrap();
    let types = |files: &[codegen::emit::GeneratedFile]| {
        files
            .iter()
            .find(|f| f.name == "types.rs")
            .unwrap()
            .contents
            .clone()
    };
    let (old, new) = (types(&base), types(&changed));
    assert!(!old.contains("OrderStatusAlreadyRefunded") && new.contains("OrderStatusAlreadyRefunded"));
    assert!(!old.contains("with_reference") && new.contains("with_reference"));
}
