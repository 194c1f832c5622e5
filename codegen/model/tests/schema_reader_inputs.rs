//! The schema reader never panics and never loops, whatever the schemas say: random trees of
//! the keywords it reads (with `$ref`s between the components, cycles included) end in a type
//! space or in located diagnostics.

use contract_model::Spec;
use contract_model::ir::schema_reader::Reader;
use contract_model::ir::types::Direction;
use proptest::prelude::*;
use serde_json::{Value, json};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "format": "int32", "minimum": 0})),
        Just(json!({"type": ["number", "null"]})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "nullable": true, "enum": ["a", "A", "", null]})),
        Just(json!({"enum": [1, 2, -3]})),
        Just(json!({"const": "x"})),
        Just(json!({"type": "null"})),
        Just(json!({"type": "bogus"})),
        Just(json!({"not": {}})),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!(7)),
        (0..4usize).prop_map(|i| json!({"$ref": format!("#/components/schemas/S{i}")})),
    ]
}

fn schema() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 4, |inner| {
        let props = prop::collection::vec(("[a-zA-Z_ 2-]{0,6}", inner.clone()), 0..4);
        prop_oneof![
            (
                props.clone(),
                prop::collection::vec("[a-zA-Z_ 2-]{0,6}", 0..3),
                any::<bool>()
            )
                .prop_map(|(p, required, closed)| {
                    let properties: serde_json::Map<String, Value> = p.into_iter().collect();
                    json!({"type": "object", "properties": properties, "required": required,
                           "additionalProperties": !closed})
                }),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({"oneOf": v})),
            prop::collection::vec(inner.clone(), 1..4)
                .prop_map(|v| json!({"anyOf": v, "discriminator": {"propertyName": "kind"}})),
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| json!({"allOf": v})),
            (props, prop::collection::vec(inner.clone(), 1..3)).prop_map(|(p, branches)| {
                let properties: serde_json::Map<String, Value> = p.into_iter().collect();
                json!({"properties": properties, "oneOf": branches})
            }),
            inner.clone().prop_map(|i| json!({"type": "array", "items": i})),
            inner
                .clone()
                .prop_map(|i| json!({"type": "object", "additionalProperties": i})),
            inner.prop_map(|i| json!({"type": ["string", "object", "null"], "properties": {"p": i}})),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_schemas_read_without_panic(components in prop::collection::vec(schema(), 4)) {
        let schemas: serde_json::Map<String, Value> = components
            .into_iter()
            .enumerate()
            .map(|(i, s)| (format!("S{i}"), s))
            .collect();
        let doc = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
                         "components": {"schemas": schemas}});
        let spec = Spec::parse("fuzz.json", doc.to_string()).unwrap();
        for dir in [Direction::Request, Direction::Response] {
            let mut reader = Reader::new(&spec);
            for i in 0..4 {
                reader.read(&format!("/components/schemas/S{i}"), "", dir);
            }
            match reader.finish() {
                Ok(space) => prop_assert!(space.warnings.iter().all(|w| w.is_warning())),
                Err(d) => prop_assert!(d.iter().all(|e| !e.is_warning() && !e.message.is_empty())),
            }
        }
    }
}
