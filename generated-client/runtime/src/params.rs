//! Parameters written into the path, the query string, headers and cookies, as OpenAPI's
//! `style` and `explode` say (the style table of OpenAPI 3.0.3 / 3.1.0, "Style Examples").
//!
//! A value is first serialised with serde (every generated type implements `Serialize`), then
//! read as one of three shapes: a scalar (string, number, boolean), a list (array) or pairs
//! (object, in field order). For `color` = `blue`, `[blue, black]` and `{R: 100, G: 200}`:
//!
//! | style | explode | scalar | list | pairs |
//! |---|---|---|---|---|
//! | simple | no | `blue` | `blue,black` | `R,100,G,200` |
//! | simple | yes | `blue` | `blue,black` | `R=100,G=200` |
//! | label | no | `.blue` | `.blue.black` | `.R.100.G.200` |
//! | label | yes | `.blue` | `.blue.black` | `.R=100.G=200` |
//! | matrix | no | `;color=blue` | `;color=blue,black` | `;color=R,100,G,200` |
//! | matrix | yes | `;color=blue` | `;color=blue;color=black` | `;R=100;G=200` |
//! | form | no | `color=blue` | `color=blue,black` | `color=R,100,G,200` |
//! | form | yes | `color=blue` | `color=blue&color=black` | `R=100&G=200` |
//! | spaceDelimited | no | – | `color=blue%20black` | `color=R%20100%20G%20200` |
//! | pipeDelimited | no | – | `color=blue\|black` | `color=R\|100\|G\|200` |
//! | deepObject | yes | – | – | `color[R]=100&color[G]=200` |
//!
//! Exploded `spaceDelimited` and `pipeDelimited` are written as exploded `form`; a style that
//! has no entry for a shape (`deepObject` of a scalar, say) falls back to `form`. An empty
//! string is a value (`color=`, `;color`, `.`); `null`, an empty list and an empty object are
//! not, and write nothing. A list item or object member that is itself a list or object is
//! written as its JSON text.
//!
//! Every name and value is percent-encoded (through [`crate::encode`]'s set: everything but
//! RFC 3986's unreserved characters), so a value never adds a delimiter of its own; the
//! delimiters above are written as shown. `allowReserved` query parameters keep RFC 3986's
//! reserved characters (`:/?[]@!$&'()*+,;=`) as they are (`#` is still encoded: it would
//! end the query and lose the rest). Header values are not encoded (HTTP
//! carries them as they are, and a value it cannot carry is an `Error::Parameter`); cookie
//! values are encoded like query values, and several cookies share one `Cookie` header.
//!
//! A parameter declared with `content` (a media type) instead of a schema is written as its
//! JSON text ([`json`]), then as a scalar.

use std::fmt;

use percent_encoding::{AsciiSet, utf8_percent_encode};
#[cfg(feature = "client")]
use reqwest::RequestBuilder;
#[cfg(feature = "client")]
use reqwest::header::{COOKIE, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;

#[cfg(feature = "client")]
use crate::Error;
use crate::encode::COMPONENT;

mod parse;
pub use parse::{Kind, parse_cookie, parse_header, parse_path, parse_query};

/// A parameter value that cannot be written (it becomes `Error::Parameter` in a
/// client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter's name in the contract.
    pub name: String,
    /// Why it cannot be written.
    pub reason: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "parameter `{}` not sent: {}", self.name, self.reason)
    }
}

impl std::error::Error for ParamError {}

/// The `style` of a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// How one parameter is written: its style, whether it is exploded, and (query only) whether
/// reserved characters stay unencoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub style: Style,
    pub explode: bool,
    pub allow_reserved: bool,
}

impl Format {
    pub const fn new(style: Style, explode: bool, allow_reserved: bool) -> Format {
        Format {
            style,
            explode,
            allow_reserved,
        }
    }
}

/// RFC 3986 reserved characters, kept as they are for `allowReserved` parameters; but `#`,
/// which would end the query and drop the rest of the URL.
const UNRESERVED_AND_RESERVED: &AsciiSet = &COMPONENT
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'[')
    .remove(b']')
    .remove(b'@')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=');

/// A value read for writing.
#[derive(Debug, PartialEq)]
enum Shape {
    Scalar(String),
    List(Vec<String>),
    Pairs(Vec<(String, String)>),
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// `None`: nothing to write (`null`, `[]`, `{}`).
fn shape(name: &str, value: &impl Serialize) -> Result<Option<Shape>, ParamError> {
    let value = serde_json::to_value(value).map_err(|e| ParamError {
        name: name.to_string(),
        reason: e.to_string(),
    })?;
    Ok(match value {
        Value::Null => None,
        Value::Array(items) if items.is_empty() => None,
        Value::Object(map) if map.is_empty() => None,
        Value::Array(items) => Some(Shape::List(items.iter().map(text).collect())),
        Value::Object(map) => Some(Shape::Pairs(
            map.iter().map(|(k, v)| (k.clone(), text(v))).collect(),
        )),
        scalar => Some(Shape::Scalar(text(&scalar))),
    })
}

fn enc(s: &str, reserved: bool) -> String {
    let set = if reserved {
        UNRESERVED_AND_RESERVED
    } else {
        COMPONENT
    };
    utf8_percent_encode(s, set).to_string()
}

/// Pairs flattened to `k1,v1,k2,v2` pieces.
fn flat(pairs: &[(String, String)]) -> impl Iterator<Item = &str> {
    pairs.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()])
}

fn join<'a>(pieces: impl Iterator<Item = &'a str>, reserved: bool, sep: &str) -> String {
    pieces.map(|p| enc(p, reserved)).collect::<Vec<_>>().join(sep)
}

fn join_pairs(pairs: &[(String, String)], reserved: bool, sep: &str) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k, reserved), enc(v, reserved)))
        .collect::<Vec<_>>()
        .join(sep)
}

/// A path parameter, encoded, to put where its template expression was (`simple`, `label`
/// or `matrix`; other styles are written as `simple`).
#[cfg(feature = "client")]
pub fn path(name: &str, format: Format, value: &impl Serialize) -> Result<String, Error> {
    Ok(write_path(name, format, value)?)
}

/// [`path`] without the client's error type (for tools that only write parameters).
pub fn write_path(name: &str, format: Format, value: &impl Serialize) -> Result<String, ParamError> {
    let shape = shape(name, value)?;
    let explode = format.explode;
    let n = enc(name, false);
    Ok(match (format.style, shape) {
        (Style::Label, None) => ".".to_string(),
        (Style::Matrix, None) => format!(";{n}"),
        (_, None) => String::new(),
        (Style::Label, Some(Shape::Scalar(s))) => format!(".{}", enc(&s, false)),
        (Style::Label, Some(Shape::List(l))) => {
            format!(".{}", join(l.iter().map(String::as_str), false, "."))
        }
        (Style::Label, Some(Shape::Pairs(p))) if explode => format!(".{}", join_pairs(&p, false, ".")),
        (Style::Label, Some(Shape::Pairs(p))) => format!(".{}", join(flat(&p), false, ".")),
        (Style::Matrix, Some(Shape::Scalar(s))) if s.is_empty() => format!(";{n}"),
        (Style::Matrix, Some(Shape::Scalar(s))) => format!(";{n}={}", enc(&s, false)),
        (Style::Matrix, Some(Shape::List(l))) if explode => {
            l.iter().map(|v| format!(";{n}={}", enc(v, false))).collect()
        }
        (Style::Matrix, Some(Shape::List(l))) => {
            format!(";{n}={}", join(l.iter().map(String::as_str), false, ","))
        }
        (Style::Matrix, Some(Shape::Pairs(p))) if explode => format!(";{}", join_pairs(&p, false, ";")),
        (Style::Matrix, Some(Shape::Pairs(p))) => format!(";{n}={}", join(flat(&p), false, ",")),
        (_, Some(Shape::Scalar(s))) => enc(&s, false),
        (_, Some(Shape::List(l))) => join(l.iter().map(String::as_str), false, ","),
        (_, Some(Shape::Pairs(p))) if explode => join_pairs(&p, false, ","),
        (_, Some(Shape::Pairs(p))) => join(flat(&p), false, ","),
    })
}

/// Appends a query parameter to `url` (a path, with or without a query already), starting
/// the query (`?`) or adding to it (`&`). Writes nothing for a value that has none.
#[cfg(feature = "client")]
pub fn query(url: &mut String, name: &str, format: Format, value: &impl Serialize) -> Result<(), Error> {
    Ok(write_query(url, name, format, value)?)
}

/// [`query`] without the client's error type.
pub fn write_query(
    url: &mut String,
    name: &str,
    format: Format,
    value: &impl Serialize,
) -> Result<(), ParamError> {
    let Some(shape) = shape(name, value)? else {
        return Ok(());
    };
    let r = format.allow_reserved;
    let n = enc(name, false);
    // Each entry: an encoded `key=value`.
    let entries: Vec<String> = match (format.style, shape, format.explode) {
        (_, Shape::Scalar(s), _) => vec![format!("{n}={}", enc(&s, r))],
        (Style::DeepObject, Shape::Pairs(p), _) => p
            .iter()
            .map(|(k, v)| format!("{n}[{}]={}", enc(k, false), enc(v, r)))
            .collect(),
        (_, Shape::List(l), true) => l.iter().map(|v| format!("{n}={}", enc(v, r))).collect(),
        (_, Shape::Pairs(p), true) => vec![join_pairs(&p, r, "&")],
        (style, Shape::List(l), false) => vec![format!(
            "{n}={}",
            join(l.iter().map(String::as_str), r, delimiter(style))
        )],
        (style, Shape::Pairs(p), false) => vec![format!("{n}={}", join(flat(&p), r, delimiter(style)))],
    };
    for e in entries {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&e);
    }
    Ok(())
}

fn delimiter(style: Style) -> &'static str {
    match style {
        Style::SpaceDelimited => "%20",
        Style::PipeDelimited => "|",
        _ => ",",
    }
}

/// Adds a header parameter (`simple` style, not percent-encoded). Adds nothing for a value
/// that has none.
#[cfg(feature = "client")]
pub fn header(
    request: RequestBuilder,
    name: &str,
    format: Format,
    value: &impl Serialize,
) -> Result<RequestBuilder, Error> {
    let Some(text) = header_text(name, format, value)? else {
        return Ok(request);
    };
    let invalid = |what: &str| Error::Parameter {
        name: name.to_string(),
        reason: format!("the {what} cannot be sent in an HTTP header"),
    };
    let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid("name"))?;
    let value = HeaderValue::from_str(&text).map_err(|_| invalid("value"))?;
    Ok(request.header(header, value))
}

/// A header parameter's text (`simple` style, not percent-encoded); `None` for a value that
/// has none.
pub fn header_text(name: &str, format: Format, value: &impl Serialize) -> Result<Option<String>, ParamError> {
    Ok(shape(name, value)?.map(|shape| match shape {
        Shape::Scalar(s) => s,
        Shape::List(l) => l.join(","),
        Shape::Pairs(p) if format.explode => p
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        Shape::Pairs(p) => flat(&p).collect::<Vec<_>>().join(","),
    }))
}

/// Cookie parameters (`form` style), sent together in one `Cookie` header.
#[derive(Debug, Default, Clone)]
pub struct Cookies(Vec<String>);

impl Cookies {
    /// Adds one cookie parameter (exploded lists and objects give one cookie per item).
    #[cfg(feature = "client")]
    pub fn add(&mut self, name: &str, format: Format, value: &impl Serialize) -> Result<(), Error> {
        Ok(self.push(name, format, value)?)
    }

    /// [`Cookies::add`] without the client's error type.
    pub fn push(&mut self, name: &str, format: Format, value: &impl Serialize) -> Result<(), ParamError> {
        let Some(shape) = shape(name, value)? else {
            return Ok(());
        };
        let n = enc(name, false);
        match (shape, format.explode) {
            (Shape::Scalar(s), _) => self.0.push(format!("{n}={}", enc(&s, false))),
            (Shape::List(l), true) => self.0.extend(l.iter().map(|v| format!("{n}={}", enc(v, false)))),
            (Shape::Pairs(p), true) => self.0.push(join_pairs(&p, false, "; ")),
            (Shape::List(l), false) => self
                .0
                .push(format!("{n}={}", join(l.iter().map(String::as_str), false, ","))),
            (Shape::Pairs(p), false) => self.0.push(format!("{n}={}", join(flat(&p), false, ","))),
        }
        Ok(())
    }

    /// The `Cookie` header's value holding every cookie added; `None` when none was.
    pub fn header_value(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| self.0.join("; "))
    }

    /// The request with a `Cookie` header holding every cookie added (none: unchanged).
    #[cfg(feature = "client")]
    pub fn apply(self, request: RequestBuilder) -> Result<RequestBuilder, Error> {
        if self.0.is_empty() {
            return Ok(request);
        }
        // Always valid: every name and value above is percent-encoded ASCII.
        let value = HeaderValue::from_str(&self.0.join("; ")).map_err(|e| Error::Parameter {
            name: "Cookie".to_string(),
            reason: e.to_string(),
        })?;
        Ok(request.header(COOKIE, value))
    }
}

/// A parameter declared with `content: {application/json: ...}`: its JSON text.
#[cfg(feature = "client")]
pub fn json(name: &str, value: &impl Serialize) -> Result<String, Error> {
    Ok(write_json(name, value)?)
}

/// [`json`] without the client's error type.
pub fn write_json(name: &str, value: &impl Serialize) -> Result<String, ParamError> {
    serde_json::to_string(value).map_err(|e| ParamError {
        name: name.to_string(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ROWS: [(Style, bool); 4] = [
        (Style::Simple, false),
        (Style::Simple, true),
        (Style::Label, false),
        (Style::Label, true),
    ];

    fn f(style: Style, explode: bool) -> Format {
        Format::new(style, explode, false)
    }

    fn q(style: Style, explode: bool, value: Value) -> String {
        let mut url = String::new();
        query(&mut url, "color", f(style, explode), &value).unwrap();
        url
    }

    fn p(style: Style, explode: bool, value: Value) -> String {
        path("color", f(style, explode), &value).unwrap()
    }

    fn object() -> Value {
        json!({"R": 100, "G": 200, "B": 150})
    }

    fn list() -> Value {
        json!(["blue", "black", "brown"])
    }

    #[test]
    fn path_styles_follow_the_style_table() {
        let expected = [
            ("blue", "blue,black,brown", "R,100,G,200,B,150"),
            ("blue", "blue,black,brown", "R=100,G=200,B=150"),
            (".blue", ".blue.black.brown", ".R.100.G.200.B.150"),
            (".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
        ];
        for ((style, explode), (s, l, o)) in ROWS.into_iter().zip(expected) {
            assert_eq!(p(style, explode, json!("blue")), s, "{style:?} {explode}");
            assert_eq!(p(style, explode, list()), l, "{style:?} {explode}");
            assert_eq!(p(style, explode, object()), o, "{style:?} {explode}");
        }
        assert_eq!(p(Style::Matrix, false, json!("blue")), ";color=blue");
        assert_eq!(p(Style::Matrix, false, list()), ";color=blue,black,brown");
        assert_eq!(p(Style::Matrix, false, object()), ";color=R,100,G,200,B,150");
        assert_eq!(p(Style::Matrix, true, json!("blue")), ";color=blue");
        assert_eq!(
            p(Style::Matrix, true, list()),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(p(Style::Matrix, true, object()), ";R=100;G=200;B=150");
    }

    #[test]
    fn empty_values_in_paths() {
        assert_eq!(p(Style::Matrix, false, json!("")), ";color");
        assert_eq!(p(Style::Label, false, json!("")), ".");
        assert_eq!(p(Style::Label, true, json!([])), ".");
        assert_eq!(p(Style::Simple, false, json!("")), "");
    }

    #[test]
    fn query_styles_follow_the_style_table() {
        assert_eq!(q(Style::Form, false, json!("")), "?color=");
        assert_eq!(q(Style::Form, false, json!("blue")), "?color=blue");
        assert_eq!(q(Style::Form, false, list()), "?color=blue,black,brown");
        assert_eq!(q(Style::Form, false, object()), "?color=R,100,G,200,B,150");
        assert_eq!(q(Style::Form, true, json!("blue")), "?color=blue");
        assert_eq!(
            q(Style::Form, true, list()),
            "?color=blue&color=black&color=brown"
        );
        assert_eq!(q(Style::Form, true, object()), "?R=100&G=200&B=150");
        assert_eq!(
            q(Style::SpaceDelimited, false, list()),
            "?color=blue%20black%20brown"
        );
        assert_eq!(
            q(Style::SpaceDelimited, false, object()),
            "?color=R%20100%20G%20200%20B%20150"
        );
        assert_eq!(q(Style::PipeDelimited, false, list()), "?color=blue|black|brown");
        assert_eq!(
            q(Style::PipeDelimited, false, object()),
            "?color=R|100|G|200|B|150"
        );
        assert_eq!(
            q(Style::PipeDelimited, true, list()),
            "?color=blue&color=black&color=brown"
        );
        assert_eq!(
            q(Style::DeepObject, true, object()),
            "?color[R]=100&color[G]=200&color[B]=150"
        );
    }

    #[test]
    fn absent_values_write_nothing_and_queries_extend() {
        assert_eq!(q(Style::Form, true, Value::Null), "");
        assert_eq!(q(Style::Form, true, json!([])), "");
        assert_eq!(q(Style::DeepObject, true, json!({})), "");
        let mut url = "/f?a=1".to_string();
        query(&mut url, "b", f(Style::Form, true), &Some(2)).unwrap();
        query(&mut url, "c", f(Style::Form, true), &None::<i32>).unwrap();
        query(&mut url, "d", f(Style::Form, true), &true).unwrap();
        assert_eq!(url, "/f?a=1&b=2&d=true");
    }

    #[test]
    fn values_cannot_add_delimiters_unless_reserved_is_allowed() {
        assert_eq!(
            q(Style::Form, true, json!("a&b=c d/e")),
            "?color=a%26b%3Dc%20d%2Fe"
        );
        assert_eq!(q(Style::Form, false, json!(["a,b", "c"])), "?color=a%2Cb,c");
        assert_eq!(p(Style::Simple, false, json!("a/b?c")), "a%2Fb%3Fc");
        assert_eq!(p(Style::Label, false, json!("x.y")), ".x.y", "`.` is unreserved");
        let mut url = String::new();
        query(
            &mut url,
            "next",
            Format::new(Style::Form, true, true),
            &"/a?b=c&d é",
        )
        .unwrap();
        assert_eq!(url, "?next=/a?b=c&d%20%C3%A9");
        let mut url = String::new();
        query(&mut url, "next", Format::new(Style::Form, true, true), &"a#b").unwrap();
        assert_eq!(url, "?next=a%23b", "a `#` would drop the rest of the URL");
        let mut url = String::new();
        query(&mut url, "a b", f(Style::Form, true), &"x").unwrap();
        assert_eq!(url, "?a%20b=x");
    }

    #[test]
    fn nested_values_are_json_text() {
        assert_eq!(q(Style::Form, true, json!([[1, 2]])), "?color=%5B1%2C2%5D");
        assert_eq!(p(Style::Simple, false, json!(1.5)), "1.5");
    }

    #[test]
    fn headers_are_simple_and_unencoded() {
        let h = |explode, v: Value| header_text("X", f(Style::Simple, explode), &v).unwrap();
        assert_eq!(h(false, json!("a b/c")), Some("a b/c".to_string()));
        assert_eq!(h(false, list()), Some("blue,black,brown".to_string()));
        assert_eq!(h(false, object()), Some("R,100,G,200,B,150".to_string()));
        assert_eq!(h(true, object()), Some("R=100,G=200,B=150".to_string()));
        assert_eq!(h(true, Value::Null), None);
    }

    #[cfg(feature = "client")]
    fn built(request: RequestBuilder) -> reqwest::Request {
        request.build().unwrap()
    }

    #[cfg(feature = "client")]
    #[test]
    fn headers_and_cookies_on_a_request() {
        let http = crate::ClientBuilder::<crate::Client>::new("http://127.0.0.1")
            .build()
            .unwrap();
        let http = |_| http.request(reqwest::Method::GET, "/");
        let r = header(http(()), "X-Ids", f(Style::Simple, false), &[1, 2]).unwrap();
        assert_eq!(built(r).headers()["x-ids"], "1,2");
        let e = header(http(()), "X-Bad", f(Style::Simple, false), &"a\nb").unwrap_err();
        assert!(
            matches!(&e, Error::Parameter { name, .. } if name == "X-Bad"),
            "{e}"
        );
        assert_eq!(
            e.to_string(),
            "parameter `X-Bad` not sent: the value cannot be sent in an HTTP header"
        );
        let mut cookies = Cookies::default();
        cookies.add("session", f(Style::Form, true), &"a b;c").unwrap();
        cookies.add("ids", f(Style::Form, false), &[3, 4]).unwrap();
        cookies.add("each", f(Style::Form, true), &[5, 6]).unwrap();
        cookies
            .add("none", f(Style::Form, true), &None::<String>)
            .unwrap();
        let r = built(cookies.apply(http(())).unwrap());
        assert_eq!(r.headers()[COOKIE], "session=a%20b%3Bc; ids=3,4; each=5; each=6");
        let r = built(Cookies::default().apply(http(())).unwrap());
        assert!(r.headers().get(COOKIE).is_none());
    }

    #[test]
    fn content_parameters_are_json_text() {
        let text = json("filter", &json!({"a": [1, "x"]})).unwrap();
        assert_eq!(text, r#"{"a":[1,"x"]}"#);
        assert_eq!(
            q(Style::Form, true, Value::String(text)),
            "?color=%7B%22a%22%3A%5B1%2C%22x%22%5D%7D"
        );
    }
}
