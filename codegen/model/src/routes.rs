//! The one route matcher: which operation serves a method and a concrete path.
//!
//! Built once from the operations' path templates; matching allocates nothing. A path matches
//! a template when it has as many segments (leading and trailing `/` ignored), every literal
//! segment is equal, and every parameter segment is non-empty. Parameters come back raw (still
//! percent-encoded); [`decode_param`] turns one into its value.

use std::borrow::Cow;

use crate::ir::OperationIr;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

#[derive(Debug, Clone)]
struct Route {
    /// Upper-case, as the IR keeps it.
    method: String,
    segments: Vec<Segment>,
}

impl Route {
    fn matches(&self, path: &str) -> bool {
        let mut actual = segments(path);
        self.segments.iter().all(|t| match (t, actual.next()) {
            (_, None) => false,
            (Segment::Literal(lit), Some(a)) => lit == a,
            (Segment::Param, Some(a)) => !a.is_empty(),
        }) && actual.next().is_none()
    }
}

fn segments(path: &str) -> std::str::Split<'_, char> {
    path.trim_matches('/').split('/')
}

/// The operations' path templates, in operation order (the first match wins).
#[derive(Debug, Clone, Default)]
pub struct RouteTable {
    routes: Vec<Route>,
}

/// A matched route: the operation's index and the raw parameter segments of the path.
#[derive(Debug, Clone, Copy)]
pub struct RouteMatch<'t, 'p> {
    /// Index of the operation in the list the table was built from.
    pub index: usize,
    route: &'t Route,
    path: &'p str,
}

impl<'p> RouteMatch<'_, 'p> {
    /// The parameter segments, raw (percent-encoded), in template order.
    pub fn params(&self) -> impl Iterator<Item = &'p str> + '_ {
        self.route
            .segments
            .iter()
            .zip(segments(self.path))
            .filter(|(t, _)| **t == Segment::Param)
            .map(|(_, a)| a)
    }
}

impl RouteTable {
    pub fn new<'a>(operations: impl IntoIterator<Item = &'a OperationIr>) -> RouteTable {
        let routes = operations
            .into_iter()
            .map(|op| Route {
                method: op.method.to_ascii_uppercase(),
                segments: segments(&op.path)
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_string())
                        }
                    })
                    .collect(),
            })
            .collect();
        RouteTable { routes }
    }

    /// The operation serving `method` (any case) on `path`.
    pub fn find<'t, 'p>(&'t self, method: &str, path: &'p str) -> Option<RouteMatch<'t, 'p>> {
        self.routes
            .iter()
            .enumerate()
            .find(|(_, r)| r.method.eq_ignore_ascii_case(method) && r.matches(path))
            .map(|(index, route)| RouteMatch { index, route, path })
    }

    /// The methods (upper-case) some operation serves on `path`, for `405` `Allow` headers.
    pub fn methods_for<'t>(&'t self, path: &str) -> Vec<&'t str> {
        let mut out: Vec<&str> = Vec::new();
        for r in self.routes.iter().filter(|r| r.matches(path)) {
            if !out.contains(&r.method.as_str()) {
                out.push(&r.method);
            }
        }
        out
    }
}

/// A raw path parameter decoded (`%XX` escapes); `None` when the bytes are not UTF-8.
pub fn decode_param(raw: &str) -> Option<Cow<'_, str>> {
    percent_encoding::percent_decode_str(raw).decode_utf8().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(method: &str, path: &str) -> OperationIr {
        OperationIr {
            id: format!("{method} {path}"),
            operation_id: None,
            name: String::new(),
            pointer: String::new(),
            method: method.to_string(),
            path: path.to_string(),
            summary: None,
            description: None,
            tags: Vec::new(),
            resource: None,
            path_params: Vec::new(),
            params: Vec::new(),
            request: None,
            responses: Vec::new(),
            fallbacks: Vec::new(),
        }
    }

    fn table() -> RouteTable {
        let ops = [
            op("POST", "/orders/resend/{id}"),
            op("GET", "/orders/{id}/items/{item}"),
            op("DELETE", "/orders/resend/{id}"),
            op("GET", "/orders/list"),
        ];
        RouteTable::new(&ops)
    }

    fn found(t: &RouteTable, method: &str, path: &str) -> Option<(usize, Vec<String>)> {
        t.find(method, path)
            .map(|m| (m.index, m.params().map(str::to_string).collect()))
    }

    #[test]
    fn literals_equal_and_parameters_non_empty() {
        let t = table();
        assert_eq!(
            found(&t, "POST", "/orders/resend/ODR1"),
            Some((0, vec!["ODR1".into()]))
        );
        assert_eq!(
            found(&t, "post", "/orders/resend/ODR1/"),
            Some((0, vec!["ODR1".into()]))
        );
        assert_eq!(
            found(&t, "GET", "/orders/7/items/x%2Fy"),
            Some((1, vec!["7".into(), "x%2Fy".into()]))
        );
        assert_eq!(found(&t, "GET", "/orders/list"), Some((3, vec![])));
        assert_eq!(found(&t, "POST", "/orders/resend/"), None);
        assert_eq!(found(&t, "POST", "/orders/resend//"), None);
        assert_eq!(found(&t, "POST", "/orders/resend/a/b"), None);
        assert_eq!(found(&t, "POST", "/orders/resends/a"), None);
        assert_eq!(found(&t, "PUT", "/orders/resend/a"), None);
        assert_eq!(found(&t, "GET", "/"), None);
    }

    #[test]
    fn methods_on_a_path() {
        let t = table();
        assert_eq!(t.methods_for("/orders/resend/a"), ["POST", "DELETE"]);
        assert_eq!(t.methods_for("/orders/list"), ["GET"]);
        assert!(t.methods_for("/nowhere").is_empty());
    }

    #[test]
    fn parameters_decode_with_the_crate() {
        assert_eq!(decode_param("ODR%201").as_deref(), Some("ODR 1"));
        assert_eq!(decode_param("ODR1").as_deref(), Some("ODR1"));
        assert_eq!(decode_param("a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(decode_param("%ff"), None);
        // Malformed escapes stay literal (the identifier then simply does not exist).
        assert_eq!(decode_param("%zz").as_deref(), Some("%zz"));
    }
}
