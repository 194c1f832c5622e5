//! Reads every schema of a spec (components, and media-type schemas under paths) with the type
//! reader, both directions, and prints what it refuses and warns about.
use contract_model::Spec;
use contract_model::ir::schema_reader::Reader;
use contract_model::ir::types::Direction;
use serde_json::Value;

fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, c) in o {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                if k == "schema" && at.contains("/content/") {
                    out.push(p.clone());
                } else {
                    walk(c, &p, out);
                }
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                walk(c, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn main() {
    for path in std::env::args().skip(1) {
        println!("=== {path}");
        let spec = match Spec::load(&path) {
            Ok(s) => s,
            Err(d) => {
                println!("LOAD FAILED:\n{d}");
                continue;
            }
        };
        let mut pointers: Vec<String> = spec
            .at("/components/schemas")
            .and_then(Value::as_object)
            .map(|m| {
                m.keys()
                    .map(|k| format!("/components/schemas/{}", k.replace('~', "~0").replace('/', "~1")))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(p) = spec.at("/paths") {
            walk(p, "/paths", &mut pointers);
        }
        for dir in [Direction::Request, Direction::Response] {
            let mut r = Reader::new(&spec);
            for (i, p) in pointers.iter().enumerate() {
                r.read(p, &format!("Schema{i}"), dir);
            }
            match r.finish() {
                Ok(space) => {
                    println!(
                        "{dir:?}: ok, {} types, {} warnings",
                        space.types.len(),
                        space.warnings.len()
                    );
                    for w in &space.warnings {
                        println!("  {}", w.to_string().lines().next().unwrap_or(""));
                    }
                }
                Err(d) => {
                    println!("{dir:?}: {} errors", d.0.len());
                    for e in d.iter() {
                        println!("  {}", e.to_string().lines().collect::<Vec<_>>().join(" | "));
                    }
                }
            }
        }
    }
}
