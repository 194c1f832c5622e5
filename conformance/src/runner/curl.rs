//! A copy-pasteable `curl` command reproducing a request. The real token never appears: it
//! is written as `$VAR`, the variable the profile reads it from.

use super::plan::{AuthHeader, Planned};

pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

pub fn command(p: &Planned, token_env: &str) -> String {
    let mut out = format!("curl -sS -i -X {} {}", p.method, quote(&p.url));
    out.push_str(" -H 'Accept: application/json'");
    if let Some(ct) = &p.content_type {
        out.push_str(&format!(" -H {}", quote(&format!("Content-Type: {ct}"))));
    }
    for (name, value, pii) in &p.headers {
        let value = if *pii { "[redacted]" } else { value };
        out.push_str(&format!(" -H {}", quote(&format!("{name}: {value}"))));
    }
    match &p.auth {
        AuthHeader::Token => out.push_str(&format!(" -H \"Authorization: Bearer ${token_env}\"")),
        AuthHeader::Wrong(t) => {
            out.push_str(&format!(" -H {}", quote(&format!("Authorization: Bearer {t}"))))
        }
        AuthHeader::None => {}
    }
    if p.content_type.is_some() {
        out.push_str(&format!(" --data-raw {}", quote(&p.body)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_hides_the_token() {
        let p = Planned {
            method: "POST".into(),
            url: "http://127.0.0.1:1/a/ODR1".into(),
            content_type: Some("application/json".into()),
            body: r#"{"email":"o'neil@x.no"}"#.into(),
            auth: AuthHeader::Token,
            resource_id: "ODR1".into(),
            deliveries: vec![],
            headers: vec![],
        };
        assert_eq!(
            command(&p, "FRONTPAYMENT_TOKEN"),
            r#"curl -sS -i -X POST 'http://127.0.0.1:1/a/ODR1' -H 'Accept: application/json' -H 'Content-Type: application/json' -H "Authorization: Bearer $FRONTPAYMENT_TOKEN" --data-raw '{"email":"o'\''neil@x.no"}'"#
        );
        let get = Planned {
            method: "GET".into(),
            content_type: None,
            body: String::new(),
            ..p
        };
        assert_eq!(
            command(&get, "T"),
            r#"curl -sS -i -X GET 'http://127.0.0.1:1/a/ODR1' -H 'Accept: application/json' -H "Authorization: Bearer $T""#
        );
        let with_params = Planned {
            url: "http://127.0.0.1:1/a/ODR1?lang=nb".into(),
            headers: vec![
                ("X-Trace".into(), "t-1".into(), false),
                ("Cookie".into(), "ssn=0101".into(), true),
            ],
            ..get
        };
        assert_eq!(
            command(&with_params, "T"),
            r#"curl -sS -i -X GET 'http://127.0.0.1:1/a/ODR1?lang=nb' -H 'Accept: application/json' -H 'X-Trace: t-1' -H 'Cookie: [redacted]' -H "Authorization: Bearer $T""#
        );
    }
}
