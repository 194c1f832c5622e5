//! Emits `types.rs`: one Rust type per named type of the type IR, with serde and schemars
//! implementations, redacting `Debug`, and the small helpers those types share.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::ir::client::ClientIr;
use crate::ir::types::*;

/// The tokens of a type reference; named types are prefixed with `path` (e.g. `super::types::`).
pub fn ty(t: &TypeRef, path: &TokenStream) -> TokenStream {
    match t {
        TypeRef::Named(n) => {
            let n = format_ident!("{}", n);
            quote!(#path #n)
        }
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer { unsigned: true } => quote!(u64),
        TypeRef::Integer { unsigned: false } => quote!(i64),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Null => quote!(()),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Array(i) => {
            let i = ty(i, path);
            quote!(::std::vec::Vec<#i>)
        }
        TypeRef::Map(v) => {
            let v = ty(v, path);
            quote!(::std::collections::BTreeMap<::std::string::String, #v>)
        }
    }
}

fn docs_of(d: &Docs, extra: &[String]) -> TokenStream {
    let mut paras: Vec<String> = Vec::new();
    paras.extend(d.title.clone());
    paras.extend(d.description.clone());
    paras.extend(extra.iter().cloned());
    doc_attrs(&paras)
}

pub fn emit(ir: &ClientIr) -> TokenStream {
    let helpers = helpers();
    let items = ir.types.types.values().map(|t| named(t, &ir.types));
    quote! {
        #helpers
        #(#items)*
    }
}

fn named(t: &NamedType, space: &TypeSpace) -> TokenStream {
    let name = format_ident!("{}", t.name);
    let from = format!("Generated from `{}`.", t.pointer);
    match &t.kind {
        TypeKind::Constrained(rules) => constrained(t, &name, rules, &from),
        TypeKind::Struct(s) => structure(t, &name, s, &from),
        TypeKind::Choice(c) => choice(t, &name, c, space, &from),
        TypeKind::StringEnum(e) => string_enum(t, &name, e, &from),
        TypeKind::Union(vs) => union(t, &name, vs, &from),
        TypeKind::FreeObject => {
            let docs = docs_of(&t.docs, &[from]);
            quote! {
                #docs
                #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
                #[serde(transparent)]
                pub struct #name(pub ::serde_json::Map<::std::string::String, ::serde_json::Value>);
            }
        }
    }
}

fn helpers() -> TokenStream {
    quote! {
        /// A value broke a rule of its schema. The message names the type and the rule, never
        /// the value (which may be personal data).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct ConstraintError {
            type_name: &'static str,
            rule: &'static str,
        }

        impl ConstraintError {
            /// The Rust type whose rule was broken.
            pub fn type_name(&self) -> &'static str {
                self.type_name
            }

            /// The broken rule, as the spec states it (e.g. `pattern ^[0-9]+$`).
            pub fn rule(&self) -> &'static str {
                self.rule
            }
        }

        impl ::std::fmt::Display for ConstraintError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "invalid {}: the value breaks the rule {}", self.type_name, self.rule)
            }
        }

        impl ::std::error::Error for ConstraintError {}

        /// Stands in for personal data in `Debug` output.
        #[allow(dead_code)]
        struct Redacted;

        impl ::std::fmt::Debug for Redacted {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("<redacted>")
            }
        }

        /// Whether `s` has the shape of an email address: one `@` with text on both sides, a
        /// dot in the domain, and no whitespace. The server is the final judge.
        #[allow(dead_code)]
        fn email_shaped(s: &str) -> bool {
            match s.rsplit_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && !domain.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !s.chars().any(char::is_whitespace)
                }
                None => false,
            }
        }
    }
}

fn constrained(t: &NamedType, name: &Ident, rules: &StringRules, from: &str) -> TokenStream {
    let type_name = t.name.as_str();
    let mut checks = Vec::new();
    let mut schema_entries = vec![quote!("type": "string")];
    let mut rule_docs = Vec::new();
    if let Some(min) = rules.min_length {
        let rule = format!("minLength {min}");
        let m = Literal::u64_unsuffixed(min);
        checks.push(quote! {
            if (value.chars().count() as u64) < #m {
                return Err(ConstraintError { type_name: #type_name, rule: #rule });
            }
        });
        schema_entries.push(quote!("minLength": #m));
        rule_docs.push(format!("at least {min} characters"));
    }
    if let Some(max) = rules.max_length {
        let rule = format!("maxLength {max}");
        let m = Literal::u64_unsuffixed(max);
        checks.push(quote! {
            if (value.chars().count() as u64) > #m {
                return Err(ConstraintError { type_name: #type_name, rule: #rule });
            }
        });
        schema_entries.push(quote!("maxLength": #m));
        rule_docs.push(format!("at most {max} characters"));
    }
    if let Some(p) = &rules.pattern {
        let rule = format!("pattern {p}");
        checks.push(quote! {
            static PATTERN: ::std::sync::LazyLock<::std::option::Option<::regress::Regex>> =
                ::std::sync::LazyLock::new(|| ::regress::Regex::new(#p).ok());
            match PATTERN.as_ref() {
                Some(re) if re.find(&value).is_some() => {}
                _ => return Err(ConstraintError { type_name: #type_name, rule: #rule }),
            }
        });
        schema_entries.push(quote!("pattern": #p));
        rule_docs.push(format!("matches `{p}`"));
    }
    if let Some(f) = &rules.format {
        let rule = format!("format {f}");
        // The reader admits only formats listed in CHECKED_FORMATS; `email` is the one.
        checks.push(quote! {
            if !email_shaped(&value) {
                return Err(ConstraintError { type_name: #type_name, rule: #rule });
            }
        });
        schema_entries.push(quote!("format": #f));
        rule_docs.push(format!("format `{f}`"));
    }
    if let Some(d) = t.docs.description.as_deref().or(t.docs.title.as_deref()) {
        schema_entries.push(quote!("description": #d));
    }
    let rules_doc = format!("Rules: {}.", rule_docs.join(", "));
    let mut extra = vec![rules_doc, from.to_string()];
    if let Some(e) = rules.examples.first().filter(|_| !t.pii) {
        extra.insert(1, format!("Example: `{e}`."));
    }
    let docs = docs_of(&t.docs, &extra);
    let debug = if t.pii {
        quote!(f.debug_tuple(#type_name).field(&Redacted).finish())
    } else {
        quote!(f.debug_tuple(#type_name).field(&self.0).finish())
    };
    let display = if t.pii {
        quote!()
    } else {
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&self.0)
                }
            }
        }
    };
    quote! {
        #docs
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(try_from = "::std::string::String")]
        pub struct #name(::std::string::String);

        impl #name {
            /// Checks the value against every rule of the schema.
            pub fn new(value: impl Into<::std::string::String>) -> ::std::result::Result<Self, ConstraintError> {
                let value = value.into();
                #(#checks)*
                Ok(#name(value))
            }

            /// The value.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The value, taken out.
            pub fn into_inner(self) -> ::std::string::String {
                self.0
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for #name {
            type Error = ConstraintError;
            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, ConstraintError> {
                #name::new(value)
            }
        }

        impl ::std::convert::TryFrom<&str> for #name {
            type Error = ConstraintError;
            fn try_from(value: &str) -> ::std::result::Result<Self, ConstraintError> {
                #name::new(value)
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ConstraintError;
            fn from_str(value: &str) -> ::std::result::Result<Self, ConstraintError> {
                #name::new(value)
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #debug
            }
        }

        #display

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ #(#schema_entries),* })
            }
        }
    }
}

fn field_docs(f: &Field) -> TokenStream {
    let mut extra = Vec::new();
    if let Some(c) = &f.constant {
        extra.push(format!("Always `{c}`."));
    }
    docs_of(&f.docs, &extra)
}

fn debug_field(f: &Field, access: TokenStream) -> TokenStream {
    let key = f.rust.as_str();
    if f.pii && f.optional() {
        quote!(.field(#key, &#access.as_ref().map(|_| Redacted)))
    } else if f.pii {
        quote!(.field(#key, &Redacted))
    } else {
        quote!(.field(#key, &#access))
    }
}

fn structure(t: &NamedType, name: &Ident, s: &StructType, from: &str) -> TokenStream {
    let self_path = quote!();
    let docs = docs_of(&t.docs, &[from.to_string()]);
    let deny = s.deny_unknown.then(|| quote!(#[serde(deny_unknown_fields)]));
    let fields = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust);
        let wire = f.wire.as_str();
        let inner = ty(&f.ty, &self_path);
        let fdocs = field_docs(f);
        let (fty, attrs) = match (f.required, f.optional()) {
            (true, false) => (inner, quote!()),
            // Required but nullable: always written, `null` when `None`.
            (true, true) => (quote!(::std::option::Option<#inner>), quote!()),
            (false, _) => (
                quote!(::std::option::Option<#inner>),
                quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            ),
        };
        quote! {
            #fdocs
            #[serde(rename = #wire)]
            #attrs
            pub #ident: #fty,
        }
    });
    let type_name = t.name.as_str();
    let debug_fields = s.fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust);
        debug_field(f, quote!(self.#ident))
    });
    quote! {
        #docs
        #[derive(Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
        #deny
        pub struct #name {
            #(#fields)*
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#debug_fields)* .finish()
            }
        }
    }
}

fn choice(t: &NamedType, name: &Ident, c: &ChoiceType, space: &TypeSpace, from: &str) -> TokenStream {
    let self_path = quote!();
    let type_name = t.name.as_str();
    let titles: Vec<&str> = c.branches.iter().map(|b| b.title.as_str()).collect();
    let constructors_doc = format!(
        "Build it with one constructor per allowed combination: {}. Fields are private, so \
         a value that breaks the rule cannot be built; deserializing one is an error.",
        c.branches
            .iter()
            .map(|b| format!("`{}()`", b.constructor))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let docs = docs_of(&t.docs, &[constructors_doc, from.to_string()]);
    let idents: Vec<Ident> = c.fields.iter().map(|f| format_ident!("{}", f.rust)).collect();
    let inner: Vec<TokenStream> = c.fields.iter().map(|f| ty(&f.ty, &self_path)).collect();
    let field_decls = c.fields.iter().zip(&idents).zip(&inner).map(|((f, i), t)| {
        let d = field_docs(f);
        quote!(#d #i: ::std::option::Option<#t>,)
    });

    let constructors = c.branches.iter().map(|b| {
        let cname = format_ident!("{}", b.constructor);
        let mut params = Vec::new();
        let mut inits = Vec::new();
        for ((rule, ident), t) in b.rules.iter().zip(&idents).zip(&inner) {
            match rule {
                FieldRule::Set => {
                    params.push(quote!(#ident: #t));
                    inits.push(quote!(#ident: Some(#ident)));
                }
                // A property no branch constrains gets a `with_` setter instead.
                FieldRule::Free if free_everywhere(c, ident) => inits.push(quote!(#ident: None)),
                FieldRule::Free => {
                    params.push(quote!(#ident: ::std::option::Option<#t>));
                    inits.push(quote!(#ident));
                }
                FieldRule::Unset => inits.push(quote!(#ident: None)),
            }
        }
        let summary = describe_branch(b, &c.fields);
        let bdocs = doc_attrs(&[b.docs.description.clone().unwrap_or_default(), summary]);
        quote! {
            #bdocs
            pub fn #cname(#(#params),*) -> Self {
                #name { #(#inits),* }
            }
        }
    });

    let getters = c.fields.iter().zip(&idents).zip(&inner).map(|((f, i), t)| {
        let getter = if c.branches.iter().any(|b| b.constructor == f.rust) {
            format_ident!("get_{}", f.rust)
        } else {
            i.clone()
        };
        let d = doc_attrs(&[format!("`{}`, when set.", f.wire)]);
        quote! {
            #d
            pub fn #getter(&self) -> ::std::option::Option<&#t> {
                self.#i.as_ref()
            }
        }
    });

    let setters = c
        .fields
        .iter()
        .zip(&idents)
        .zip(&inner)
        .filter(|((_, i), _)| free_everywhere(c, i))
        .map(|((f, i), t)| {
            let setter = format_ident!("with_{}", f.rust);
            let d = doc_attrs(&[format!("Sets `{}`, which every combination allows.", f.wire)]);
            quote! {
                #d
                pub fn #setter(mut self, value: #t) -> Self {
                    self.#i = Some(value);
                    self
                }
            }
        });

    let branch_tests = c.branches.iter().map(|b| {
        let conds: Vec<TokenStream> = b
            .rules
            .iter()
            .zip(&idents)
            .filter_map(|(rule, i)| match rule {
                FieldRule::Set => Some(quote!(self.#i.is_some())),
                FieldRule::Unset => Some(quote!(self.#i.is_none())),
                FieldRule::Free => None,
            })
            .collect();
        if conds.is_empty() {
            quote!(true)
        } else {
            quote!(#(#conds)&&*)
        }
    });
    let accept = match c.combinator {
        Combinator::OneOf => quote!(matched == 1),
        Combinator::AnyOf => quote!(matched >= 1),
    };
    let rule_text = match c.combinator {
        Combinator::OneOf => format!("exactly one of the combinations {}", titles.join(", ")),
        Combinator::AnyOf => format!("at least one of the combinations {}", titles.join(", ")),
    };
    let reject = format!("{type_name} must match {rule_text}");

    let n_fields = c.fields.len();
    let ser_fields = c.fields.iter().zip(&idents).map(|(f, i)| {
        let w = f.wire.as_str();
        quote!(::serde::ser::SerializeStruct::serialize_field(&mut s, #w, &self.#i)?;)
    });
    let deny = c.deny_unknown.then(|| quote!(#[serde(deny_unknown_fields)]));
    let wire_fields = c.fields.iter().zip(&idents).zip(&inner).map(|((f, i), t)| {
        let w = f.wire.as_str();
        quote!(#[serde(rename = #w, default)] #i: ::std::option::Option<#t>,)
    });

    let debug_fields = c.fields.iter().zip(&idents).map(|(f, i)| {
        let mut f = f.clone();
        f.required = false;
        debug_field(&f, quote!(self.#i))
    });

    let schema_props = c.fields.iter().map(|f| {
        let w = f.wire.as_str();
        let t = ty(&f.ty, &self_path);
        quote! {
            properties.insert(#w.to_string(), ::serde_json::Value::from(generator.subschema_for::<::std::option::Option<#t>>()));
        }
    });
    let schema_branches = c.branches.iter().map(|b| {
        let title = b.title.as_str();
        let mut required = Vec::new();
        let mut props = Vec::new();
        for (rule, f) in b.rules.iter().zip(&c.fields) {
            let w = f.wire.as_str();
            match rule {
                FieldRule::Set => {
                    required.push(w);
                    props.push(quote!(#w: { "not": { "type": "null" } }));
                }
                FieldRule::Unset => props.push(quote!(#w: { "type": "null" })),
                FieldRule::Free => {}
            }
        }
        quote!({ "title": #title, "required": [#(#required),*], "properties": { #(#props),* } })
    });
    let comb_key = match c.combinator {
        Combinator::OneOf => "oneOf",
        Combinator::AnyOf => "anyOf",
    };
    let description = t
        .docs
        .description
        .clone()
        .or(t.docs.title.clone())
        .unwrap_or_default();
    let additional = if c.deny_unknown {
        quote!(false)
    } else {
        quote!(true)
    };
    let _ = space;

    quote! {
        #docs
        #[derive(Clone, PartialEq)]
        pub struct #name {
            #(#field_decls)*
        }

        impl #name {
            #(#constructors)*
            #(#setters)*
            #(#getters)*

            /// How many of the allowed combinations the value matches.
            fn matched_branches(&self) -> usize {
                [#(#branch_tests),*].into_iter().filter(|matched| *matched).count()
            }
        }

        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#debug_fields)* .finish()
            }
        }

        /// Writes every property, `null` for the unused ones.
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut s = serializer.serialize_struct(#type_name, #n_fields)?;
                #(#ser_fields)*
                ::serde::ser::SerializeStruct::end(s)
            }
        }

        /// Reads the properties (absent is the same as `null`; unknown keys are ignored unless
        /// the schema forbids them) and rejects a payload that breaks the rule.
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #[derive(::serde::Deserialize)]
                #deny
                struct Wire {
                    #(#wire_fields)*
                }
                let wire = <Wire as ::serde::Deserialize>::deserialize(deserializer)?;
                let value = #name { #(#idents: wire.#idents),* };
                let matched = value.matched_branches();
                if #accept {
                    Ok(value)
                } else {
                    Err(<D::Error as ::serde::de::Error>::custom(#reject))
                }
            }
        }

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                let mut properties = ::serde_json::Map::new();
                #(#schema_props)*
                ::schemars::json_schema!({
                    "description": #description,
                    "type": "object",
                    "properties": properties,
                    "additionalProperties": #additional,
                    #comb_key: [#(#schema_branches),*]
                })
            }
        }
    }
}

/// Whether no branch constrains the field named `ident`.
fn free_everywhere(c: &ChoiceType, ident: &Ident) -> bool {
    let Some(pos) = c.fields.iter().position(|f| ident == f.rust.as_str()) else {
        return false;
    };
    c.branches.iter().all(|b| b.rules[pos] == FieldRule::Free)
}

fn describe_branch(b: &Branch, fields: &[Field]) -> String {
    let of = |want: FieldRule| -> Vec<String> {
        b.rules
            .iter()
            .zip(fields)
            .filter(|(r, _)| **r == want)
            .map(|(_, f)| format!("`{}`", f.wire))
            .collect()
    };
    let mut parts = Vec::new();
    let set = of(FieldRule::Set);
    if !set.is_empty() {
        parts.push(format!("Sets {}", set.join(", ")));
    }
    let unset = of(FieldRule::Unset);
    if !unset.is_empty() {
        parts.push(format!("sends {} as `null`", unset.join(", ")));
    }
    let free = of(FieldRule::Free);
    if !free.is_empty() {
        parts.push(format!("{} optional", free.join(", ")));
    }
    if parts.is_empty() {
        parts.push("Sets nothing".to_string());
    }
    format!("{} (branch `{}`).", parts.join("; "), b.title)
}

fn string_enum(t: &NamedType, name: &Ident, e: &StringEnum, from: &str) -> TokenStream {
    let variants: Vec<Ident> = e.values.iter().map(|v| format_ident!("{}", v.variant)).collect();
    let wires: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|w| doc_attrs(&[format!("`{w}`")]));
    let type_name = t.name.as_str();
    if !e.open {
        let docs = docs_of(&t.docs, &[from.to_string()]);
        return quote! {
            #docs
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
            pub enum #name {
                #( #variant_docs #[serde(rename = #wires)] #variants, )*
            }

            impl #name {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #( #name::#variants => #wires, )*
                    }
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        };
    }
    let docs = docs_of(
        &t.docs,
        &[
            "Values the spec does not list are kept as `Unknown`, so a new server message does not break decoding.".to_string(),
            from.to_string(),
        ],
    );
    let known = format!("Known values: {}.", wires.join(", "));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value the spec does not list, as received.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #wires, )*
                    #name::Unknown(other) => other,
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, #name::Unknown(_))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let s = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(match s.as_str() {
                    #( #wires => #name::#variants, )*
                    _ => #name::Unknown(s),
                })
            }
        }

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "description": #known, "examples": [#(#wires),*] })
            }
        }
    }
}

fn union(t: &NamedType, name: &Ident, vs: &[UnionVariant], from: &str) -> TokenStream {
    let docs = docs_of(
        &t.docs,
        &[
            "Told apart by the JSON type of the value.".to_string(),
            from.to_string(),
        ],
    );
    let self_path = quote!();
    let variants = vs.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let t = ty(&v.ty, &self_path);
        let d = docs_of(&v.docs, &[]);
        quote!(#d #n(#t),)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
    }
}
