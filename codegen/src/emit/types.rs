//! Emits `types.rs`: one Rust type per named type of the type IR, with serde and schemars
//! implementations and redacting `Debug`. Strings with rules are `contract_runtime::Validated`
//! strings whose rules live in the `rules` module; derives go through the runtime's
//! re-exports, so a generated crate depends on `contract-runtime` alone.

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
        TypeRef::Integer { unsigned, bits } => match (unsigned, bits) {
            (true, 32) => quote!(u32),
            (false, 32) => quote!(i32),
            (true, _) => quote!(u64),
            (false, _) => quote!(i64),
        },
        TypeRef::Number => quote!(f64),
        TypeRef::Format(StringFormat::DateTime) => {
            quote!(::contract_runtime::chrono::DateTime<::contract_runtime::chrono::FixedOffset>)
        }
        TypeRef::Format(StringFormat::Date) => quote!(::contract_runtime::chrono::NaiveDate),
        TypeRef::Format(StringFormat::Uuid) => quote!(::contract_runtime::uuid::Uuid),
        TypeRef::Nullable(i) => {
            let i = ty(i, path);
            quote!(::std::option::Option<#i>)
        }
        TypeRef::Boxed(i) => {
            let i = ty(i, path);
            quote!(::std::boxed::Box<#i>)
        }
        TypeRef::Boolean => quote!(bool),
        TypeRef::Null => quote!(()),
        TypeRef::Json => quote!(::contract_runtime::serde_json::Value),
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

pub(super) fn docs_of(d: &Docs, extra: &[String]) -> TokenStream {
    let mut paras: Vec<String> = Vec::new();
    paras.extend(d.title.clone());
    paras.extend(d.description.clone());
    paras.extend(extra.iter().cloned());
    doc_attrs(&paras)
}

/// Derive attributes: serde and schemars through the runtime's re-exports.
pub(super) fn derives(extra: TokenStream, serde: bool, schema: bool) -> TokenStream {
    let mut list = vec![extra];
    let mut attrs = Vec::new();
    if serde {
        list.push(quote!(Serialize, Deserialize));
        attrs.push(quote!(#[serde(crate = "::contract_runtime::serde")]));
    }
    if schema {
        list.push(quote!(JsonSchema));
        attrs.push(quote!(#[schemars(crate = "::contract_runtime::schemars")]));
    }
    quote!(#[derive(#(#list),*)] #(#attrs)*)
}

pub fn emit(ir: &ClientIr) -> TokenStream {
    let items = ir.types.types.values().map(|t| named(t, &ir.types));
    let rules: Vec<TokenStream> = ir
        .types
        .types
        .values()
        .filter_map(|t| match &t.kind {
            TypeKind::Constrained(r) => Some(rules_item(t, r)),
            _ => None,
        })
        .collect();
    let rules_mod = (!rules.is_empty()).then(|| {
        quote! {
            /// The rules of each validated string type, as its schema states them.
            pub mod rules {
                #(#rules)*
            }
        }
    });
    quote! {
        pub use ::contract_runtime::ConstraintError;
        #[allow(unused_imports)]
        use ::contract_runtime::{schemars::JsonSchema, serde::{Deserialize, Serialize}};
        #(#items)*
        #rules_mod
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
        TypeKind::IntegerEnum(e) => super::unions::integer_enum(t, &name, e, &from),
        TypeKind::Union(u) if u.discriminator.is_some() => super::unions::tagged(t, &name, u, &from),
        TypeKind::Union(u) => union(t, &name, &u.variants, &from),
        TypeKind::FreeObject => {
            let docs = docs_of(&t.docs, &[from]);
            let derive = derives(quote!(Debug, Clone, Default, PartialEq), true, true);
            quote! {
                #docs
                #derive
                #[serde(transparent)]
                pub struct #name(pub ::contract_runtime::serde_json::Map<::std::string::String, ::contract_runtime::serde_json::Value>);
            }
        }
    }
}

fn constrained(t: &NamedType, name: &Ident, rules: &StringRules, from: &str) -> TokenStream {
    let mut rule_docs = Vec::new();
    if let Some(min) = rules.min_length {
        rule_docs.push(format!("at least {min} characters"));
    }
    if let Some(max) = rules.max_length {
        rule_docs.push(format!("at most {max} characters"));
    }
    if let Some(p) = &rules.pattern {
        rule_docs.push(format!("matches `{p}`"));
    }
    if let Some(f) = &rules.format {
        rule_docs.push(format!("format `{f}`"));
    }
    let mut extra = vec![format!("Rules: {}.", rule_docs.join(", ")), from.to_string()];
    if let Some(e) = rules.examples.first().filter(|_| !t.pii) {
        extra.insert(1, format!("Example: `{e}`."));
    }
    if t.pii {
        extra.insert(
            1,
            "Personal data: `Debug` prints `<redacted>`, and there is no `Display`.".to_string(),
        );
    }
    let docs = docs_of(&t.docs, &extra);
    quote! {
        #docs
        pub type #name = ::contract_runtime::Validated<rules::#name>;
    }
}

/// The empty type that carries a validated string's rules.
fn rules_item(t: &NamedType, rules: &StringRules) -> TokenStream {
    let name = format_ident!("{}", t.name);
    let type_name = t.name.as_str();
    let opt_u64 = |v: Option<u64>| match v {
        Some(v) => {
            let v = Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let opt_str = |v: Option<&str>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let min = opt_u64(rules.min_length);
    let max = opt_u64(rules.max_length);
    let pattern = opt_str(rules.pattern.as_deref());
    // The reader admits only formats the runtime checks; `email` is the one.
    let email = rules.format.as_deref() == Some("email");
    let description = opt_str(t.docs.description.as_deref().or(t.docs.title.as_deref()));
    let privacy = if t.pii {
        quote!(::contract_runtime::Personal)
    } else {
        quote!(::contract_runtime::Public)
    };
    let doc = format!(" The rules of [`{type_name}`](super::{type_name}).");
    quote! {
        #[doc = #doc]
        pub enum #name {}

        impl ::contract_runtime::Rules for #name {
            const NAME: &'static str = #type_name;
            type Privacy = #privacy;
            fn rules() -> &'static ::contract_runtime::StringRules {
                static RULES: ::contract_runtime::StringRules = ::contract_runtime::StringRules {
                    min_length: #min,
                    max_length: #max,
                    pattern: #pattern,
                    email: #email,
                    description: #description,
                    compiled: ::contract_runtime::PatternCache::new(),
                };
                &RULES
            }
        }
    }
}

/// `#[serde(rename = ..)]` when the JSON key is not the Rust field's name.
fn rename(f: &Field) -> Option<TokenStream> {
    let wire = f.wire.as_str();
    (wire != f.rust).then(|| quote!(#[serde(rename = #wire)]))
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
        quote!(.field(#key, &#access.as_ref().map(|_| ::contract_runtime::Redacted)))
    } else if f.pii {
        quote!(.field(#key, &::contract_runtime::Redacted))
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
        let rename = rename(f);
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
            #rename
            #attrs
            pub #ident: #fty,
        }
    });
    let debug = debug_impl(t, &s.fields);
    let derive = derives(
        if debug.is_none() {
            quote!(Debug, Clone, PartialEq)
        } else {
            quote!(Clone, PartialEq)
        },
        true,
        true,
    );
    let additional = s.additional.as_ref().map(|(field, value)| {
        let ident = format_ident!("{}", field);
        let value = ty(value, &self_path);
        quote! {
            /// The other properties, as `additionalProperties` allows them.
            #[serde(flatten)]
            pub #ident: ::std::collections::BTreeMap<::std::string::String, #value>,
        }
    });
    quote! {
        #docs
        #derive
        #deny
        pub struct #name {
            #(#fields)*
            #additional
        }

        #debug
    }
}

/// A `Debug` that redacts the personal fields, when there are any (else `Debug` is derived).
pub(super) fn debug_impl(t: &NamedType, fields: &[Field]) -> Option<TokenStream> {
    if !fields.iter().any(|f| f.pii) {
        return None;
    }
    let name = format_ident!("{}", t.name);
    let type_name = t.name.as_str();
    let debug_fields = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.rust);
        debug_field(f, quote!(self.#ident))
    });
    Some(quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name) #(#debug_fields)* .finish()
            }
        }
    })
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
        let rename = rename(f);
        quote!(#d #rename #i: ::std::option::Option<#t>,)
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
        let d = doc_attrs(&[format!("`{}`, when set.", f.wire)]);
        quote! {
            #d
            pub fn #i(&self) -> ::std::option::Option<&#t> {
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

    let deny = c.deny_unknown.then(|| quote!(#[serde(deny_unknown_fields)]));
    let wire_fields = c.fields.iter().zip(&idents).zip(&inner).map(|((f, i), t)| {
        let rename = rename(f);
        quote!(#rename #[serde(default)] #i: ::std::option::Option<#t>,)
    });

    // Every field of a choice is an `Option`.
    let optional: Vec<Field> = c
        .fields
        .iter()
        .map(|f| Field {
            required: false,
            ..f.clone()
        })
        .collect();
    let debug = debug_impl(t, &optional);
    let derive_debug = debug.is_none().then(|| quote!(Debug,));

    let schema_props = c.fields.iter().map(|f| {
        let w = f.wire.as_str();
        let t = ty(&f.ty, &self_path);
        quote!((#w, generator.subschema_for::<::std::option::Option<#t>>()))
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
        #[derive(#derive_debug Clone, PartialEq, Serialize)]
        #[serde(crate = "::contract_runtime::serde")]
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

        #debug

        /// Reads the properties (absent is the same as `null`; unknown keys are ignored unless
        /// the schema forbids them) and rejects a payload that breaks the rule.
        impl<'de> ::contract_runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::contract_runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                #[derive(::contract_runtime::serde::Deserialize)]
                #[serde(crate = "::contract_runtime::serde")]
                #deny
                struct Wire {
                    #(#wire_fields)*
                }
                let wire = <Wire as ::contract_runtime::serde::Deserialize>::deserialize(deserializer)?;
                let value = #name { #(#idents: wire.#idents),* };
                let matched = value.matched_branches();
                if #accept {
                    Ok(value)
                } else {
                    Err(<D::Error as ::contract_runtime::serde::de::Error>::custom(#reject))
                }
            }
        }

        impl ::contract_runtime::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(generator: &mut ::contract_runtime::schemars::SchemaGenerator) -> ::contract_runtime::schemars::Schema {
                let properties: ::contract_runtime::serde_json::Map<_, _> = [#(#schema_props),*]
                    .into_iter()
                    .map(|(key, schema)| (key.to_string(), schema.into()))
                    .collect();
                ::contract_runtime::schemars::json_schema!({
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
        let closed_derive = derives(quote!(Debug, Clone, Copy, PartialEq, Eq, Hash), true, true);
        return quote! {
            #docs
            #closed_derive
            pub enum #name {
                #( #variant_docs #[serde(rename = #wires)] #variants, )*
            }

            impl #name {
                /// The value as sent on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #( Self::#variants => #wires, )*
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
    let derive = derives(quote!(Debug, Clone, PartialEq, Eq, Hash), true, false);
    quote! {
        #docs
        #derive
        #[non_exhaustive]
        pub enum #name {
            #( #variant_docs #[serde(rename = #wires)] #variants, )*
            /// A value the spec does not list, as received.
            #[serde(untagged)]
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::Unknown(other) => other,
                }
            }

            /// Whether the spec lists this value.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::contract_runtime::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(_: &mut ::contract_runtime::schemars::SchemaGenerator) -> ::contract_runtime::schemars::Schema {
                ::contract_runtime::schemars::json_schema!({ "type": "string", "description": #known, "examples": [#(#wires),*] })
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
    let derive = derives(quote!(Debug, Clone, PartialEq), true, true);
    let variants = vs.iter().map(|v| {
        let n = format_ident!("{}", v.name);
        let t = ty(&v.ty, &self_path);
        let d = docs_of(&v.docs, &[]);
        quote!(#d #n(#t),)
    });
    quote! {
        #docs
        #derive
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
        }
    }
}
