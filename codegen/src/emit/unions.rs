//! The types whose serde implementations are written out rather than derived: integer enums
//! (serde derives only string-named variants) and unions tagged by a `discriminator`.
//!
//! A tagged union reads the whole value first, then the branch its tag names, so the branch's
//! own type may declare the tag property (as OpenAPI documents do) or not. serde's internally
//! tagged enums cannot do that: they take the tag away before the branch reads.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::{docs_of, ty};
use crate::ir::types::*;

pub fn integer_enum(t: &NamedType, name: &Ident, e: &IntegerEnum, from: &str) -> TokenStream {
    let variants: Vec<Ident> = e.values.iter().map(|v| format_ident!("{}", v.variant)).collect();
    let wires: Vec<Literal> = e.values.iter().map(|v| Literal::i64_unsuffixed(v.wire)).collect();
    let variant_docs = e.values.iter().map(|v| doc_attrs(&[format!("`{}`", v.wire)]));
    let type_name = t.name.as_str();
    let expected = format!(
        "one of {}",
        e.values
            .iter()
            .map(|v| v.wire.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let (unknown_variant, unknown_as, unknown_from, schema, extra_doc, non_exhaustive) = if e.open {
        (
            quote! {
                /// A value the spec does not list, as received.
                Unknown(i64),
            },
            quote!(Self::Unknown(other) => *other,),
            quote!(other => Ok(Self::Unknown(other)),),
            quote!(
                ::contract_runtime::schemars::json_schema!({ "type": "integer", "description": #expected })
            ),
            "Values the spec does not list are kept as `Unknown`, so a new server value does not break decoding.",
            quote!(#[non_exhaustive]),
        )
    } else {
        (
            quote!(),
            quote!(),
            quote! {
                other => Err(<D::Error as ::contract_runtime::serde::de::Error>::invalid_value(
                    ::contract_runtime::serde::de::Unexpected::Signed(other),
                    &#expected,
                )),
            },
            quote!(::contract_runtime::schemars::json_schema!({ "type": "integer", "enum": [#(#wires),*] })),
            "",
            quote!(),
        )
    };
    let mut extra = Vec::new();
    if !extra_doc.is_empty() {
        extra.push(extra_doc.to_string());
    }
    extra.push(from.to_string());
    let docs = docs_of(&t.docs, &extra);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #non_exhaustive
        pub enum #name {
            #( #variant_docs #variants, )*
            #unknown_variant
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_i64(&self) -> i64 {
                match self {
                    #( Self::#variants => #wires, )*
                    #unknown_as
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i64(), f)
            }
        }

        impl ::contract_runtime::serde::Serialize for #name {
            fn serialize<S: ::contract_runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.as_i64())
            }
        }

        impl<'de> ::contract_runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::contract_runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                match <i64 as ::contract_runtime::serde::Deserialize>::deserialize(deserializer)? {
                    #( #wires => Ok(Self::#variants), )*
                    #unknown_from
                }
            }
        }

        impl ::contract_runtime::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(_: &mut ::contract_runtime::schemars::SchemaGenerator) -> ::contract_runtime::schemars::Schema {
                #schema
            }
        }
    }
}

/// A union whose `discriminator` property names the branch.
pub fn tagged(t: &NamedType, name: &Ident, u: &UnionType, from: &str) -> TokenStream {
    let Some(disc) = &u.discriminator else {
        return quote!();
    };
    let prop = disc.property.as_str();
    let type_name = t.name.as_str();
    let self_path = quote!();
    let mut extra = vec![format!("The branch is named by the `{prop}` property.")];
    if u.open {
        extra.push(
            "A value whose tag the spec does not list is kept as `Unknown`, so a new server type does not break decoding."
                .to_string(),
        );
    }
    extra.push(from.to_string());
    let docs = docs_of(&t.docs, &extra);
    let idents: Vec<Ident> = u.variants.iter().map(|v| format_ident!("{}", v.name)).collect();
    let types: Vec<TokenStream> = u.variants.iter().map(|v| ty(&v.ty, &self_path)).collect();
    let decls = u.variants.iter().zip(&idents).zip(&types).map(|((v, i), t)| {
        let d = docs_of(&v.docs, &[format!("`{prop}`: {}.", quoted(&v.tags))]);
        quote!(#d #i(#t),)
    });
    let first_tags: Vec<&str> = u
        .variants
        .iter()
        .map(|v| v.tags.first().map(String::as_str).unwrap_or_default())
        .collect();
    let write_arms = u
        .variants
        .iter()
        .zip(&idents)
        .zip(&first_tags)
        .map(|((v, i), tag)| {
            let to_value = quote!(
                ::contract_runtime::serde_json::to_value(inner)
                    .map_err(<S::Error as ::contract_runtime::serde::ser::Error>::custom)?
            );
            if v.declares_tag {
                return quote!(Self::#i(inner) => #to_value,);
            }
            quote! {
                Self::#i(inner) => {
                    let mut value = #to_value;
                    if let Some(object) = value.as_object_mut() {
                        object.entry(#prop).or_insert_with(|| #tag.into());
                    }
                    value
                }
            }
        });
    let read_arms = u.variants.iter().zip(&idents).zip(&types).map(|((v, i), t)| {
        let tags = &v.tags;
        let read = quote!(<#t as ::contract_runtime::serde::Deserialize>::deserialize(value).map(Self::#i).map_err(<D::Error as ::contract_runtime::serde::de::Error>::custom));
        if v.declares_tag {
            return quote!(Some(#(#tags)|*) => #read,);
        }
        quote! {
            Some(#(#tags)|*) => {
                let mut value = value;
                if let Some(object) = value.as_object_mut() {
                    object.remove(#prop);
                }
                #read
            }
        }
    });
    let all_tags: Vec<&String> = u.variants.iter().flat_map(|v| &v.tags).collect();
    let expected = format!(
        "`{prop}` one of {}",
        quoted(&all_tags.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    );
    let (unknown_variant, unknown_write, unknown_read) = if u.open {
        (
            quote! {
                /// A branch the spec does not list, as received.
                Unknown(::contract_runtime::serde_json::Value),
            },
            quote!(Self::Unknown(value) => value.clone(),),
            quote!(_ => Ok(Self::Unknown(value)),),
        )
    } else {
        (
            quote!(),
            quote!(),
            quote!(_ => Err(<D::Error as ::contract_runtime::serde::de::Error>::custom(#expected)),),
        )
    };
    let non_exhaustive = u.open.then(|| quote!(#[non_exhaustive]));
    let schema_variants = types.iter().map(|t| quote!(generator.subschema_for::<#t>()));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #non_exhaustive
        pub enum #name {
            #(#decls)*
            #unknown_variant
        }

        impl ::contract_runtime::serde::Serialize for #name {
            fn serialize<S: ::contract_runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let value = match self {
                    #(#write_arms)*
                    #unknown_write
                };
                ::contract_runtime::serde::Serialize::serialize(&value, serializer)
            }
        }

        impl<'de> ::contract_runtime::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::contract_runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::contract_runtime::serde_json::Value as ::contract_runtime::serde::Deserialize>::deserialize(deserializer)?;
                let tag = value.get(#prop).and_then(::contract_runtime::serde_json::Value::as_str).map(str::to_owned);
                match tag.as_deref() {
                    #(#read_arms)*
                    #unknown_read
                }
            }
        }

        impl ::contract_runtime::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                #type_name.into()
            }

            fn json_schema(generator: &mut ::contract_runtime::schemars::SchemaGenerator) -> ::contract_runtime::schemars::Schema {
                let branches: ::std::vec::Vec<::contract_runtime::schemars::Schema> = ::std::vec![#(#schema_variants),*];
                ::contract_runtime::schemars::json_schema!({ "oneOf": branches })
            }
        }
    }
}

fn quoted(tags: &[String]) -> String {
    tags.iter()
        .map(|t| format!("`{t}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
