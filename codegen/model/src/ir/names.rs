//! Rust names from spec names: the one place where the generator decides them.
//!
//! Case conversion is `heck`'s. Around it, this module makes any spec string a usable,
//! ASCII-only identifier, deterministically:
//!
//! - characters beyond ASCII are transliterated by `deunicode` (`créerCommande` →
//!   `creer_commande`, `größe` → `grosse`, `名前` → `ming_qian`), so a non-English spec gets
//!   names its readers can say; two names that meet this way are told apart by [`NameSet`];
//! - a leading digit gets `_` in front (`2fa` → `_2fa`);
//! - a Rust keyword gets `_` behind (`type` → `type_`): raw identifiers cannot spell `self`,
//!   `Self`, `super` or `crate`, and `r#type` would leak into every caller's code;
//! - an empty name is `value` / `Value`.
//!
//! Collisions (`foo_bar` and `fooBar` in one object, schemas `Pet` and `pet`) are settled by
//! [`NameSet`]: the first to ask keeps the name, the next get `_2`, `_3`... (`2`, `3` for type
//! names). The wire name is kept beside every Rust name, for serde's `rename`.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `resendOrderPaymentLink` → `resend_order_payment_link`, `status_code` → `status_code`.
pub fn snake(s: &str) -> String {
    let out = ascii_words(s).to_snake_case();
    fix_ident(if out.is_empty() { "value".to_string() } else { out })
}

/// `orderStatusAlreadyPaid` → `OrderStatusAlreadyPaid`, `Something Went Wrong` →
/// `SomethingWentWrong`, `x-ratelimit-limit` → `XRatelimitLimit`, `OK` → `Ok`.
pub fn pascal(s: &str) -> String {
    let out = ascii_words(s).to_upper_camel_case();
    fix_ident(if out.is_empty() { "Value".to_string() } else { out })
}

/// `s` in ASCII: what has a transliteration is transliterated, what has none (a lone emoji,
/// a private-use character) separates words.
fn ascii_words(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    deunicode::deunicode_with_tofu(s, " ")
}

/// Makes `s` (ASCII alphanumerics and `_`) a usable identifier: no leading digit, no keyword.
fn fix_ident(s: String) -> String {
    let s = if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    };
    if is_keyword(&s) { format!("{s}_") } else { s }
}

/// Whether `s` is a Rust keyword (strict, reserved or weak ones that cannot name an item).
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield", "union", "_",
];

/// The names taken in one namespace (the fields of a struct, the variants of an enum, the
/// types of a module). Deterministic: the same requests in the same order give the same names.
#[derive(Debug, Clone, Default)]
pub struct NameSet {
    taken: std::collections::BTreeSet<String>,
}

impl NameSet {
    pub fn new() -> Self {
        NameSet::default()
    }

    /// A set in which `names` are already taken.
    pub fn with_taken<'a>(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut set = NameSet::default();
        for n in names {
            set.taken.insert(n.to_string());
        }
        set
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Takes `name` as it is, or with the first free suffix (`_2`, `_3`... for snake_case
    /// names, `2`, `3`... for the others, so a PascalCase name stays PascalCase).
    pub fn take(&mut self, name: &str) -> String {
        let mut out = name.to_string();
        let sep = if name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
            "_"
        } else {
            ""
        };
        let mut n = 2;
        while self.taken.contains(&out) {
            out = format!("{name}{sep}{n}");
            n += 1;
        }
        self.taken.insert(out.clone());
        out
    }
}

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
        assert_eq!(snake("get-flights"), "get_flights");
        assert_eq!(snake("Payments_List"), "payments_list");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("--"), "value");
        assert_eq!(snake(""), "value");
        assert_eq!(pascal("orderStatusAlreadyPaid"), "OrderStatusAlreadyPaid");
        assert_eq!(pascal("Something Went Wrong"), "SomethingWentWrong");
        assert_eq!(pascal("OK"), "Ok");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(pascal(""), "Value");
        assert_eq!(pascal("3d_secure"), "_3dSecure");
    }

    #[test]
    fn non_ascii_is_transliterated() {
        assert_eq!(snake("créerCommande"), "creer_commande");
        assert_eq!(snake("café"), "cafe");
        assert_eq!(pascal("café"), "Cafe");
        assert_eq!(snake("größe"), "grosse");
        assert_ne!(snake("名前"), snake("名"));
        assert!(snake("名前").is_ascii());
        // Nothing to transliterate: a usable name all the same.
        assert_eq!(snake("\u{e000}"), "value");
    }

    #[test]
    fn collisions_get_numbered_suffixes() {
        let mut fields = NameSet::new();
        assert_eq!(fields.take(&snake("foo_bar")), "foo_bar");
        assert_eq!(fields.take(&snake("fooBar")), "foo_bar_2");
        assert_eq!(fields.take(&snake("FooBar")), "foo_bar_3");
        let mut types = NameSet::with_taken(["Client"]);
        assert_eq!(types.take(&pascal("pet")), "Pet");
        assert_eq!(types.take(&pascal("Pet")), "Pet2");
        assert_eq!(types.take("Client"), "Client2");
        assert!(types.contains("Pet2"));
    }
}
