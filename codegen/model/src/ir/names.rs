//! Rust names from spec names. Every function returns a valid, non-keyword identifier for any
//! input (so emitting it can never panic); collisions are the callers' to detect.

/// `resendOrderPaymentLink` → `resend_order_payment_link`, `status_code` → `status_code`.
pub fn snake(s: &str) -> String {
    let mut out = String::new();
    let mut prev: Option<char> = None;
    let chars: Vec<char> = s.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() {
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                let boundary = match prev {
                    Some(p) => {
                        p.is_ascii_lowercase() || p.is_ascii_digit() || (p.is_ascii_uppercase() && next_lower)
                    }
                    None => false,
                };
                if boundary && !out.ends_with('_') {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
        prev = Some(c);
    }
    let out = out.trim_end_matches('_').to_string();
    fix_ident(if out.is_empty() { "value".to_string() } else { out })
}

/// `orderStatusAlreadyPaid` → `OrderStatusAlreadyPaid`, `Something Went Wrong` →
/// `SomethingWentWrong`, `x-ratelimit-limit` → `XRatelimitLimit`.
pub fn pascal(s: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
                upper = false;
            } else {
                out.push(c);
            }
        } else {
            upper = true;
        }
    }
    // All-caps words such as `OK` read better as `Ok`.
    if out.len() > 1 && out.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
        let mut chars = out.chars();
        let first = chars.next().unwrap_or('V');
        out = std::iter::once(first)
            .chain(chars.map(|c| c.to_ascii_lowercase()))
            .collect();
    }
    fix_ident(if out.is_empty() { "Value".to_string() } else { out })
}

/// Makes `s` (ASCII alphanumerics and `_`) a usable identifier: no leading digit, no keyword.
fn fix_ident(s: String) -> String {
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    };
    if KEYWORDS.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield", "union", "_",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(snake("resendOrderPaymentLink"), "resend_order_payment_link");
        assert_eq!(snake("countryCode"), "country_code");
        assert_eq!(snake("smsAndEmail"), "sms_and_email");
        assert_eq!(snake("HTTPServer"), "http_server");
        assert_eq!(snake("x-ratelimit-limit"), "x_ratelimit_limit");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("--"), "value");
        assert_eq!(pascal("orderStatusAlreadyPaid"), "OrderStatusAlreadyPaid");
        assert_eq!(pascal("Something Went Wrong"), "SomethingWentWrong");
        assert_eq!(pascal("OK"), "Ok");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal(""), "Value");
    }
}
