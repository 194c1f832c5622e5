//! Bundling on small specs: nested, shared, recursive and colliding references.

use codegen::Spec;
use codegen::export::bundle::bundle;
use serde_json::{Value, json};

fn spec(schemas: Value) -> Spec {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    });
    Spec::parse("test.yaml", serde_json::to_string(&doc).unwrap()).expect("the test spec parses")
}

fn doc(spec: &Spec, name: &str) -> Value {
    bundle(spec, &format!("/components/schemas/{name}"), "urn:test", "c").unwrap()
}

#[test]
fn references_are_bundled_transitively_and_once() {
    let s = spec(json!({
        "Root": {"title": "Root", "type": "object", "properties": {
            "a": {"$ref": "#/components/schemas/A"},
            "b": {"$ref": "#/components/schemas/B"},
        }},
        "A": {"type": "array", "items": {"$ref": "#/components/schemas/B"}},
        "B": {"type": "string", "x-pii": true, "example": "x"},
    }));
    let d = doc(&s, "Root");
    assert_eq!(d["properties"]["a"]["$ref"], "#/$defs/A");
    assert_eq!(d["properties"]["b"]["$ref"], "#/$defs/B");
    assert_eq!(d["$defs"]["A"]["items"]["$ref"], "#/$defs/B");
    assert_eq!(
        d["$defs"]["B"],
        json!({"type": "string"}),
        "extensions and OpenAPI-only keywords dropped"
    );
    assert_eq!(d["$defs"].as_object().unwrap().len(), 2);
    assert_eq!(d["$id"], "urn:test");
    assert_eq!(d["title"], "Root");
}

#[test]
fn recursion_and_references_into_the_root_stay_inside() {
    let s = spec(json!({
        "Tree": {"type": "object", "properties": {
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}},
            "label": {"type": "string"},
            "alias": {"$ref": "#/components/schemas/Tree/properties/label"},
            "other": {"$ref": "#/components/schemas/Other"},
        }},
        "Other": {"properties": {"back": {"$ref": "#/components/schemas/Tree"}}},
    }));
    let d = doc(&s, "Tree");
    assert_eq!(d["properties"]["children"]["items"]["$ref"], "#");
    assert_eq!(d["properties"]["alias"]["$ref"], "#/properties/label");
    assert_eq!(d["$defs"]["Other"]["properties"]["back"]["$ref"], "#");
    let v = jsonschema::draft202012::new(&d).expect("the bundle compiles");
    assert!(v.is_valid(&json!({"children": [{"label": "a", "alias": "b"}]})));
    assert!(!v.is_valid(&json!({"children": [{"alias": 3}]})));
}

#[test]
fn colliding_names_get_a_suffix_and_property_names_are_data() {
    let s = spec(json!({
        "Root": {"type": "object", "properties": {
            "x-custom": {"$ref": "#/components/schemas/Item"},
            "nested": {"$ref": "#/components/schemas/Holder/properties/Item"},
        }},
        "Item": {"type": "integer"},
        "Holder": {"properties": {"Item": {"type": "boolean"}}},
    }));
    let d = doc(&s, "Root");
    assert!(
        d["properties"]["x-custom"].is_object(),
        "a property named x-... is kept"
    );
    let a = d["properties"]["x-custom"]["$ref"].as_str().unwrap();
    let b = d["properties"]["nested"]["$ref"].as_str().unwrap();
    assert_ne!(a, b);
    let defs = d["$defs"].as_object().unwrap();
    let mut names: Vec<&String> = defs.keys().collect();
    names.sort();
    assert_eq!(names, ["Item", "Item_2"]);
    assert_eq!(d.pointer(a.trim_start_matches('#')).unwrap()["type"], "integer");
    assert_eq!(d.pointer(b.trim_start_matches('#')).unwrap()["type"], "boolean");
}

#[test]
fn bad_references_are_diagnostics_not_panics() {
    let s = spec(json!({
        "Root": {"properties": {"a": {"$ref": "#/components/schemas/Missing"}}},
    }));
    let e = bundle(&s, "/components/schemas/Root", "urn:t", "c").unwrap_err();
    assert!(e.message.contains("dangling reference"), "{e}");
    assert_eq!(e.pointer, "/components/schemas/Root/properties/a/$ref");
    // A reference to a file that is not there stops the load, at the reference.
    let ext = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"Ext": {"$ref": "no-such-file.yaml#/X"}}}});
    let e = Spec::parse("test.yaml", serde_json::to_string(&ext).unwrap()).unwrap_err();
    assert!(e.0[0].message.contains("cannot read `no-such-file.yaml`"), "{e}");
    assert_eq!(e.0[0].pointer, "/components/schemas/Ext/$ref");
    let e = bundle(&s, "/components/schemas/Nope", "urn:t", "c").unwrap_err();
    assert!(e.message.contains("no schema"), "{e}");
}
