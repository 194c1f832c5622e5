//! The names generated code cannot give to its own items, because this crate or the
//! generator's fixed output already uses them. Each list sits beside what it protects: when a
//! method is added there, add it here. The generator's name allocator reads these lists (it
//! builds this module without the `client` feature).

/// Methods of [`ResponseValue`](crate::ResponseValue). Generated header accessors are methods
/// on it too (through a trait), so a header whose accessor would take one of these names gets
/// a `_header` suffix instead: an inherent method would silently win over it.
pub const RESPONSE_VALUE_METHODS: &[&str] = &[
    "new",
    "status",
    "headers",
    "body",
    "into_body",
    "into_parts",
    "map",
    "header_str",
    "header_u64",
    "header_i64",
];

/// Methods of a generated client beside its operations: `builder`, and the delegates of
/// [`Client::base_url`](crate::Client::base_url) and
/// [`Client::with_timeout`](crate::Client::with_timeout). An operation with one of these
/// names gets an `_operation` suffix.
pub const CLIENT_METHODS: &[&str] = &["builder", "base_url", "with_timeout", "runtime"];

/// The variant of every generated error enum that holds an [`Error`](crate::Error) (no
/// response, an undecodable body, an undocumented status).
pub const OTHER_VARIANT: &str = "Other";

/// Methods of every generated error enum.
pub const ERROR_METHODS: &[&str] = &["status", "headers"];

/// Items of a generated `client.rs` beside each operation's `<Operation>Error` and
/// `<Operation>Success`: the client, its builder, the header trait, and what it imports from
/// this crate. An operation whose error or success type would take one is named
/// `<Operation>OperationError` instead.
pub const CLIENT_ITEMS: &[&str] = &[
    "Client",
    "ClientBuilder",
    "ResponseHeaders",
    "BuildError",
    "Error",
    "ResponseValue",
    "StatusCode",
    "HeaderMap",
];

/// Items of a generated `types.rs` beside the schemas' types: what it imports from this
/// crate, and the `rules` module. A schema whose type would take one is refused.
pub const TYPES_ITEMS: &[&str] = &[
    "ConstraintError",
    "Serialize",
    "Deserialize",
    "JsonSchema",
    "rules",
];

/// Whether `name` is taken in the list.
pub fn taken(list: &[&str], name: &str) -> bool {
    list.contains(&name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_are_lowercase_method_names_without_duplicates() {
        for list in [
            super::RESPONSE_VALUE_METHODS,
            super::CLIENT_METHODS,
            super::ERROR_METHODS,
        ] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len());
            assert!(list.iter().all(|n| {
                n.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            }));
        }
        assert!(super::taken(super::RESPONSE_VALUE_METHODS, "new"));
        assert!(super::taken(super::CLIENT_ITEMS, "BuildError"));
        assert!(!super::taken(super::RESPONSE_VALUE_METHODS, "location"));
    }
}
