//! The checks on one response, in order: status, content type, JSON body, response schema,
//! exact fields. Each failure names its check, the JSON pointer, expected and actual.
//!
//! What a failure quotes is bounded whatever the server sends: at most [`MAX_FAILURES`]
//! schema violations per case, values over [`VALUE_BYTES`] replaced by a description and an
//! excerpt, body excerpts of at most [`EXCERPT_BYTES`].

use serde_json::Value;

use super::http::Response;
use crate::cases::Case;
use crate::contract::Contract;
use crate::report::Failure;

/// Most bytes of a body a failure quotes.
pub const EXCERPT_BYTES: usize = 2048;
/// Largest value (as JSON) or message a failure quotes whole.
pub const VALUE_BYTES: usize = 1024;
/// Most schema violations reported per case; the rest are counted.
pub const MAX_FAILURES: usize = 20;

/// Shown where a field is not in the body at all.
pub const ABSENT: &str = "(absent)";

/// Every failed check of `resp` as the answer to `case`. A status outside the accepted ones
/// stops the comparison there: a different status answers a different question.
pub fn check(case: &Case, resp: &Response, contract: &Contract) -> Vec<Failure> {
    let mut out = Vec::new();
    let accepted: Vec<u16> = std::iter::once(case.status)
        .chain(case.also_accept.iter().copied())
        .collect();
    if !accepted.contains(&resp.status) {
        let expected: Value = if accepted.len() == 1 {
            case.status.into()
        } else {
            accepted
                .iter()
                .map(u16::to_string)
                .collect::<Vec<_>>()
                .join(" or ")
                .into()
        };
        out.push(Failure::new("status", "", expected, resp.status));
    }
    let ct_ok = resp.content_type.as_deref().is_some_and(is_json_media_type);
    if !ct_ok {
        out.push(Failure::new(
            "content-type",
            "",
            "application/json",
            resp.content_type
                .clone()
                .map(Value::String)
                .unwrap_or_else(|| ABSENT.into()),
        ));
    }
    let body: Value = match serde_json::from_slice(&resp.body) {
        Ok(v) => v,
        Err(e) => {
            out.push(Failure::new(
                "body",
                "",
                "a JSON document",
                format!("not JSON ({e}): {}", excerpt(&resp.body)),
            ));
            return out;
        }
    };
    if !accepted.contains(&resp.status) {
        return out;
    }
    let op = contract.operation(&case.operation);
    let schema = op.and_then(|o| {
        o.response_schema(resp.status)
            .or_else(|| o.response_schema(case.status))
    });
    if let Some(schema) = schema {
        let errors = schema.errors(&body);
        let omitted = errors.len().saturating_sub(MAX_FAILURES);
        for e in errors.into_iter().take(MAX_FAILURES) {
            let actual = body
                .pointer(&e.instance_pointer)
                .map(quote)
                .unwrap_or_else(|| ABSENT.into());
            out.push(Failure {
                check: "schema".into(),
                pointer: bounded_text(&e.instance_pointer),
                expected: format!(
                    "valid against {} ({})",
                    e.keyword_pointer,
                    bounded_text(&e.message)
                )
                .into(),
                actual,
            });
        }
        if omitted > 0 {
            out.push(Failure::new(
                "schema",
                "",
                "no further violations",
                format!("{omitted} more violation(s), not shown"),
            ));
        }
    }
    let example: Value = serde_json::from_str(&case.expected).unwrap_or(Value::Null);
    for p in &case.exact {
        let want = example.pointer(p);
        let got = body.pointer(p);
        if want != got {
            out.push(Failure::new(
                "exact",
                p,
                want.cloned().unwrap_or_else(|| ABSENT.into()),
                got.map(quote).unwrap_or_else(|| ABSENT.into()),
            ));
        }
    }
    out
}

/// `application/json`, with or without parameters, or any `+json` type.
pub fn is_json_media_type(ct: &str) -> bool {
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// `v` itself when small, else what it is and how it starts.
pub fn quote(v: &Value) -> Value {
    let text = v.to_string();
    if text.len() <= VALUE_BYTES {
        return v.clone();
    }
    let kind = match v {
        Value::Object(_) => "an object",
        Value::Array(_) => "an array",
        Value::String(_) => "a string",
        _ => "a value",
    };
    let cut = crate::excerpt::floor_boundary(&text, VALUE_BYTES);
    format!("{kind} of {} bytes, starts with `{}…`", text.len(), &text[..cut]).into()
}

fn bounded_text(s: &str) -> String {
    crate::excerpt::text(s, VALUE_BYTES)
}

/// The start of a body that is not JSON, as readable text.
pub fn excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return "empty body".into();
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_BYTES)]);
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let kind = if one_line.trim_start().starts_with('<') {
        "HTML or XML, "
    } else {
        ""
    };
    let more = if body.len() > EXCERPT_BYTES { "…" } else { "" };
    format!("{kind}starts with `{}{more}`", one_line.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, ct: &str, body: &str) -> Response {
        Response {
            status,
            content_type: Some(ct.into()),
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn the_documented_example_passes_and_a_changed_one_fails() {
        let contract = Contract::embedded();
        for case in crate::cases::embedded() {
            let ok = resp(case.status, "application/json", &case.expected);
            assert!(
                check(case, &ok, contract).is_empty(),
                "{}: {:?}",
                case.id,
                check(case, &ok, contract)
            );
        }
        let case = crate::cases::embedded().iter().find(|c| c.status == 404).unwrap();
        let mut v: Value = serde_json::from_str(&case.expected).unwrap();
        v["message"] = "nope".into();
        let f = check(
            case,
            &resp(404, "application/json; charset=utf-8", &v.to_string()),
            contract,
        );
        assert!(
            f.iter()
                .any(|f| f.check == "exact" && f.pointer == "/message" && f.actual == "nope"),
            "{f:?}"
        );
        let f = check(case, &resp(404, "text/html", "<html>oops</html>"), contract);
        assert_eq!(
            f.iter().map(|f| f.check.as_str()).collect::<Vec<_>>(),
            ["content-type", "body"]
        );
        assert!(f[1].actual.as_str().unwrap().contains("HTML"));
        let f = check(case, &resp(200, "application/json", &case.expected), contract);
        assert_eq!(f, [Failure::new("status", "", 404, 200)]);
    }
}
