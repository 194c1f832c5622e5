//! The inverse of the writers beside it: a parameter's value read back from a path segment,
//! a query string, a header or a `Cookie` header, by its `style` and `explode`.
//!
//! What comes back is JSON with string leaves (the wire has no types): a string, a list of
//! strings or an object of strings, as [`Kind`] (from the parameter's schema) asks. Names and
//! values are percent-decoded after splitting, so an encoded delimiter inside a value stays
//! part of it (but a `spaceDelimited` item cannot hold a space: it is written as the
//! delimiter). A value that is absent (no such query key, cookie or header) is `None`.

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::{Format, Style};

/// The shape a parameter's schema gives its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    List,
    Pairs,
}

impl Kind {
    /// From a schema's `type` (`array` → list, `object` → pairs, anything else a scalar).
    pub fn of_schema(schema: &Value) -> Kind {
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.contains(&"array") {
            Kind::List
        } else if types.contains(&"object") {
            Kind::Pairs
        } else {
            Kind::Scalar
        }
    }
}

fn decode(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn strings<'a>(pieces: impl Iterator<Item = &'a str>) -> Vec<String> {
    pieces.map(decode).collect()
}

/// `k1,v1,k2,v2` pieces (already split) as an object.
fn pairs_of_flat(pieces: Vec<String>) -> Value {
    let mut map = Map::new();
    let mut it = pieces.into_iter();
    while let Some(k) = it.next() {
        map.insert(k, Value::String(it.next().unwrap_or_default()));
    }
    Value::Object(map)
}

/// `k=v` pieces (raw) as an object.
fn pairs_of_assignments<'a>(pieces: impl Iterator<Item = &'a str>) -> Value {
    let mut map = Map::new();
    for piece in pieces {
        let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
        map.insert(decode(k), Value::String(decode(v)));
    }
    Value::Object(map)
}

fn list(items: Vec<String>) -> Value {
    Value::Array(items.into_iter().map(Value::String).collect())
}

/// Splits `raw` (still encoded) into the shape `kind` asks for, with `sep` between items.
fn split(raw: &str, kind: Kind, explode: bool, sep: &str) -> Value {
    match kind {
        Kind::Scalar => Value::String(decode(raw)),
        Kind::List if raw.is_empty() => Value::Array(Vec::new()),
        Kind::List => list(strings(raw.split(sep))),
        Kind::Pairs if raw.is_empty() => Value::Object(Map::new()),
        Kind::Pairs if explode => pairs_of_assignments(raw.split(sep)),
        Kind::Pairs => pairs_of_flat(strings(raw.split(sep))),
    }
}

/// A path parameter from the text its template expression matched (`simple`, `label` or
/// `matrix`). `None` when a `label` or `matrix` value lacks its prefix.
pub fn parse_path(name: &str, format: Format, kind: Kind, raw: &str) -> Option<Value> {
    match format.style {
        Style::Label => Some(split(raw.strip_prefix('.')?, kind, format.explode, ".")),
        Style::Matrix => {
            let rest = raw.strip_prefix(';')?;
            let named = |piece: &str| match piece.split_once('=') {
                Some((k, v)) if decode(k) == name => Some(v.to_string()),
                None if decode(piece) == name => Some(String::new()),
                _ => None,
            };
            match (kind, format.explode) {
                (Kind::Pairs, true) => Some(pairs_of_assignments(rest.split(';'))),
                (Kind::List, true) => Some(list(
                    rest.split(';')
                        .map(|p| named(p).map(|v| decode(&v)))
                        .collect::<Option<_>>()?,
                )),
                _ => Some(split(&named(rest)?, kind, false, ",")),
            }
        }
        _ => Some(split(raw, kind, format.explode, ",")),
    }
}

/// `key=value` pairs of a query string or cookie list (still encoded).
fn entries(text: &str, sep: char) -> impl Iterator<Item = (&str, &str)> {
    text.split(sep)
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(|e| e.split_once('=').unwrap_or((e, "")))
}

/// A query parameter from a query string (without `?`). `others`: the names of the
/// operation's other query parameters, which an exploded `form` object does not take.
pub fn parse_query(name: &str, format: Format, kind: Kind, query: &str, others: &[&str]) -> Option<Value> {
    read_entries(name, format, kind, entries(query, '&'), others)
}

/// A cookie parameter from a `Cookie` header's value. `others` as for [`parse_query`].
pub fn parse_cookie(name: &str, format: Format, kind: Kind, header: &str, others: &[&str]) -> Option<Value> {
    read_entries(name, format, kind, entries(header, ';'), others)
}

fn read_entries<'a>(
    name: &str,
    format: Format,
    kind: Kind,
    entries: impl Iterator<Item = (&'a str, &'a str)>,
    others: &[&str],
) -> Option<Value> {
    let entries: Vec<(String, &str)> = entries.map(|(k, v)| (decode(k), v)).collect();
    let mine = || entries.iter().filter(|(k, _)| k == name).map(|(_, v)| *v);
    let sep = match format.style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    let value = match (kind, format.style, format.explode) {
        (Kind::Pairs, Style::DeepObject, _) => {
            let prefix = format!("{name}[");
            let map: Map<String, Value> = entries
                .iter()
                .filter_map(|(k, v)| {
                    let key = k.strip_prefix(&prefix)?.strip_suffix(']')?;
                    Some((key.to_string(), Value::String(decode(v))))
                })
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))?
        }
        (Kind::Pairs, _, true) => {
            let map: Map<String, Value> = entries
                .iter()
                .filter(|(k, _)| !others.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), Value::String(decode(v))))
                .collect();
            (!map.is_empty()).then_some(Value::Object(map))?
        }
        (Kind::List, _, true) => {
            let items: Vec<String> = mine().map(decode).collect();
            (!items.is_empty()).then(|| list(items))?
        }
        _ => split(mine().next()?, kind, false, sep),
    };
    Some(value)
}

/// A header parameter (`simple` style, not percent-encoded).
pub fn parse_header(format: Format, kind: Kind, text: &str) -> Value {
    let items = || text.split(',').map(|s| s.trim().to_string());
    match kind {
        Kind::Scalar => Value::String(text.trim().to_string()),
        Kind::List => list(items().collect()),
        Kind::Pairs if format.explode => {
            let mut map = Map::new();
            for item in items() {
                let (k, v) = item.split_once('=').unwrap_or((&item, ""));
                map.insert(k.to_string(), Value::String(v.to_string()));
            }
            Value::Object(map)
        }
        Kind::Pairs => pairs_of_flat(items().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Cookies, header_text, write_path as path, write_query as query};
    use super::*;
    use serde_json::json;

    fn values() -> [(Kind, Value); 3] {
        [
            (Kind::Scalar, json!("blue, a&b=c;d é/.|%")),
            (Kind::List, json!(["blue", "a,b c|d;e.f", "brown"])),
            (Kind::Pairs, json!({"R": "100", "G": "2,0=0", "B": "x y"})),
        ]
    }

    /// Every (location, style, explode) OpenAPI allows, and the shapes it can write.
    fn formats(styles: &[Style]) -> Vec<Format> {
        styles
            .iter()
            .flat_map(|&s| [Format::new(s, false, false), Format::new(s, true, false)])
            .collect()
    }

    fn writes(style: Style, explode: bool, kind: Kind) -> bool {
        match style {
            // Exploded delimited styles are written as exploded `form`; their values contain
            // the delimiter text only encoded; deepObject writes objects only.
            Style::DeepObject => kind == Kind::Pairs,
            Style::SpaceDelimited | Style::PipeDelimited => kind != Kind::Scalar || explode,
            _ => true,
        }
    }

    #[test]
    fn paths_round_trip_in_every_style() {
        for f in formats(&[Style::Simple, Style::Label, Style::Matrix]) {
            for (kind, v) in values() {
                if f.style == Style::Label && kind != Kind::Scalar {
                    // `.` separates label items and is unreserved, so items with a `.` are
                    // ambiguous: check with items free of it.
                    let v = json!(["a", "b c"]);
                    let text = path("color", f, &v).unwrap();
                    if kind == Kind::List {
                        assert_eq!(parse_path("color", f, kind, &text), Some(v), "{f:?}");
                    }
                    continue;
                }
                let text = path("color", f, &v).unwrap();
                assert_eq!(parse_path("color", f, kind, &text), Some(v), "{f:?} {text}");
            }
        }
        let f = Format::new(Style::Matrix, false, false);
        assert_eq!(parse_path("color", f, Kind::Scalar, "blue"), None, "no prefix");
        assert_eq!(parse_path("color", f, Kind::Scalar, ";other=1"), None);
    }

    #[test]
    fn queries_round_trip_in_every_style() {
        let styles = [
            Style::Form,
            Style::SpaceDelimited,
            Style::PipeDelimited,
            Style::DeepObject,
        ];
        for f in formats(&styles) {
            for (kind, v) in values() {
                if !writes(f.style, f.explode, kind) {
                    continue;
                }
                // A space inside an item is written as the delimiter itself: OpenAPI's
                // `spaceDelimited` cannot carry one.
                let v = match f.style {
                    Style::SpaceDelimited if !f.explode => {
                        serde_json::from_str(&v.to_string().replace(' ', "_")).unwrap()
                    }
                    _ => v,
                };
                let mut url = "?other=1".to_string();
                query(&mut url, "color", f, &v).unwrap();
                let q = url.trim_start_matches('?');
                let back = parse_query("color", f, kind, q, &["other"]);
                assert_eq!(back, Some(v), "{f:?} {url}");
            }
        }
        let f = Format::new(Style::Form, true, false);
        assert_eq!(parse_query("color", f, Kind::Scalar, "other=1", &[]), None);
        assert_eq!(
            parse_query("color", f, Kind::Scalar, "color=", &[]),
            Some(json!(""))
        );
    }

    #[test]
    fn headers_and_cookies_round_trip() {
        for f in formats(&[Style::Simple]) {
            for (kind, v) in [
                (Kind::Scalar, json!("a b/c")),
                (Kind::List, json!(["1", "2"])),
                (Kind::Pairs, json!({"R": "100", "G": "200"})),
            ] {
                let text = header_text("X", f, &v).unwrap().unwrap();
                assert_eq!(parse_header(f, kind, &text), v, "{f:?} {text}");
            }
        }
        for f in formats(&[Style::Form]) {
            for (kind, v) in values() {
                let mut cookies = Cookies::default();
                cookies.push("other", f, &"1").unwrap();
                cookies.push("color", f, &v).unwrap();
                let header = cookies.header_value().unwrap();
                let back = parse_cookie("color", f, kind, &header, &["other"]);
                assert_eq!(back, Some(v), "{f:?} {header}");
            }
        }
        assert_eq!(Cookies::default().header_value(), None);
    }

    #[test]
    fn kinds_come_from_the_schema_type() {
        assert_eq!(Kind::of_schema(&json!({"type": "array"})), Kind::List);
        assert_eq!(Kind::of_schema(&json!({"type": ["object", "null"]})), Kind::Pairs);
        assert_eq!(Kind::of_schema(&json!({"type": "integer"})), Kind::Scalar);
        assert_eq!(Kind::of_schema(&json!({})), Kind::Scalar);
    }
}
