//! The parameter side of each client method: argument types, the path with its parameters,
//! the query string, headers and cookies (all written by `contract_runtime::params`), and
//! for an operation with optional parameters its request builder (see
//! `contract_runtime::call` for why a builder).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::ty;
use crate::ir::client::{OperationTypes, ParamType};
use crate::ir::media::BodyKind;
use crate::ir::params::{Location, TemplatePart, template_parts};
use crate::ir::types::TypeRef;

fn types_path() -> TokenStream {
    quote!(super::types::)
}

/// Whether the operation's method returns a request builder.
pub fn has_optional(op: &OperationTypes) -> bool {
    op.params.iter().any(|p| !p.required)
}

fn ident(p: &ParamType) -> Ident {
    format_ident!("{}", p.rust)
}

/// The type of a required parameter's argument (borrowed for anything but integers), with
/// lifetime `lt` when it is a builder's field.
pub fn arg_type(t: &TypeRef, lt: Option<&TokenStream>) -> TokenStream {
    match t {
        TypeRef::String => quote!(& #lt str),
        TypeRef::Integer { .. } => ty(t, &types_path()),
        other => {
            let t = ty(other, &types_path());
            quote!(& #lt #t)
        }
    }
}

/// The required parameters as `name: Type` arguments, in order.
pub fn required_args(op: &OperationTypes, lt: Option<&TokenStream>) -> Vec<TokenStream> {
    op.params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let i = ident(p);
            let t = arg_type(&p.ty, lt);
            quote!(#i: #t)
        })
        .collect()
}

fn format_of(p: &ParamType) -> TokenStream {
    let style = format_ident!("{}", p.style.variant());
    let explode = p.explode;
    let reserved = p.allow_reserved;
    quote!(::contract_runtime::params::Format::new(::contract_runtime::params::Style::#style, #explode, #reserved))
}

/// The value a runtime writer takes: the parameter itself, or its JSON text.
fn value_of(p: &ParamType, value: TokenStream) -> TokenStream {
    if p.json {
        let name = p.name.as_str();
        quote!(&::contract_runtime::params::json(#name, #value)?)
    } else {
        value
    }
}

/// Runs `write` (given the value expression) for a parameter. An optional one is passed as
/// its `Option` (`None` serialises to nothing, so nothing is written), except a JSON one,
/// whose text is made only when it is set.
fn for_value(p: &ParamType, write: impl Fn(TokenStream) -> TokenStream) -> TokenStream {
    let i = ident(p);
    if p.required || !p.json {
        write(value_of(p, quote!(&#i)))
    } else {
        let w = write(value_of(p, quote!(value)));
        quote!(if let ::std::option::Option::Some(value) = &#i { #w })
    }
}

/// The operation's path as a `&str` expression: the literal path, or a `format!` of its
/// literal pieces and each parameter's text (a plain `simple` value as one encoded segment;
/// anything else written by `contract_runtime::params::path` in its style).
pub fn path_expr(op: &OperationTypes) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    for part in template_parts(&op.path) {
        let name = match part {
            TemplatePart::Literal(lit) => {
                template.push_str(&lit.replace('{', "{{").replace('}', "}}"));
                continue;
            }
            TemplatePart::Param(name) => name,
        };
        let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == Location::Path && p.name == name)
        else {
            continue;
        };
        let i = ident(p);
        template.push_str("{}");
        if p.plain_text && p.style == crate::ir::params::Style::Simple {
            let text = match &p.ty {
                TypeRef::String => quote!(#i),
                TypeRef::Integer { .. } => quote!(&#i.to_string()),
                _ => quote!(#i.as_str()),
            };
            args.push(quote!(::contract_runtime::encode::path(#text)));
        } else {
            let wire = p.name.as_str();
            let format = format_of(p);
            let value = value_of(p, quote!(&#i));
            args.push(quote!(::contract_runtime::params::path(#wire, #format, #value)?));
        }
    }
    if args.is_empty() {
        let path = op.path.as_str();
        return quote!(#path);
    }
    quote!(&format!(#template #(, #args)*))
}

/// Statements building `url` (path and query) when the operation has query parameters, and
/// the `&str` expression of the URL's path and query.
pub fn url(op: &OperationTypes) -> (TokenStream, TokenStream) {
    let path = path_expr(op);
    let queries: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| {
            let wire = p.name.as_str();
            let format = format_of(p);
            for_value(
                p,
                |v| quote!(::contract_runtime::params::query(&mut url, #wire, #format, #v)?;),
            )
        })
        .collect();
    if queries.is_empty() {
        return (quote!(), path);
    }
    (
        quote! {
            let mut url = ::std::string::String::from(#path);
            #(#queries)*
        },
        quote!(&url),
    )
}

/// Statements adding header and cookie parameters to `request`.
pub fn headers_and_cookies(op: &OperationTypes) -> TokenStream {
    let headers = op.params.iter().filter(|p| p.location == Location::Header).map(|p| {
        let wire = p.name.as_str();
        let format = format_of(p);
        let i = ident(p);
        if p.json && !p.required {
            let v = value_of(p, quote!(value));
            quote! {
                let request = match &#i {
                    ::std::option::Option::Some(value) => ::contract_runtime::params::header(request, #wire, #format, #v)?,
                    ::std::option::Option::None => request,
                };
            }
        } else {
            let v = value_of(p, quote!(&#i));
            quote!(let request = ::contract_runtime::params::header(request, #wire, #format, #v)?;)
        }
    });
    let cookies: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location == Location::Cookie)
        .map(|p| {
            let wire = p.name.as_str();
            let format = format_of(p);
            for_value(p, |v| quote!(cookies.add(#wire, #format, #v)?;))
        })
        .collect();
    let cookies = if cookies.is_empty() {
        quote!()
    } else {
        quote! {
            let mut cookies = ::contract_runtime::params::Cookies::default();
            #(#cookies)*
            let request = cookies.apply(request)?;
        }
    };
    quote!(#(#headers)* #cookies)
}

/// The request builder's name.
pub fn builder_name(op: &OperationTypes) -> Ident {
    format_ident!("{}Request", op.type_prefix)
}

/// The body argument, when the operation has one.
pub fn body_arg(op: &OperationTypes, lt: Option<&TokenStream>) -> Option<TokenStream> {
    let b = op.body.as_ref()?;
    // Borrowed when the caller owns a typed value; owned when the body is consumed whole
    // (bytes are cheap to clone, a multipart form is built for one request).
    let t = match (b.kind, &b.ty) {
        (BodyKind::Json | BodyKind::Form, Some(t)) => {
            let t = ty(t, &types_path());
            quote!(& #lt #t)
        }
        (BodyKind::Text, _) => quote!(& #lt str),
        (BodyKind::Multipart, _) => quote!(MultipartForm),
        _ => quote!(::contract_runtime::bytes::Bytes),
    };
    Some(if b.required {
        quote!(body: #t)
    } else {
        quote!(body: ::std::option::Option<#t>)
    })
}

/// The method of an operation with optional parameters: takes the required ones, returns
/// the builder.
pub fn builder_method(op: &OperationTypes, docs: &TokenStream) -> TokenStream {
    let name = format_ident!("{}", op.method_name);
    let builder = builder_name(op);
    let lt = quote!('a);
    let mut args = required_args(op, Some(&lt));
    args.extend(body_arg(op, Some(&lt)));
    let required = op.params.iter().filter(|p| p.required).map(ident);
    let optional = op.params.iter().filter(|p| !p.required).map(ident);
    let body = op.body.as_ref().map(|_| quote!(body,));
    quote! {
        #docs
        pub fn #name<'a>(&'a self, #(#args),*) -> #builder<'a> {
            #builder {
                client: self,
                #(#required,)*
                #body
                #(#optional: ::std::option::Option::None,)*
            }
        }
    }
}

/// The builder type of an operation with optional parameters. `run` sends the request from
/// locals named like the parameters, `client` and `body`.
pub fn builder_type(op: &OperationTypes, ok: &TokenStream, err: &Ident, run: &TokenStream) -> TokenStream {
    let builder = builder_name(op);
    let lt = quote!('a);
    let mut fields = required_args(op, Some(&lt));
    fields.extend(body_arg(op, Some(&lt)));
    let mut locals: Vec<Ident> = op.params.iter().filter(|p| p.required).map(ident).collect();
    if op.body.is_some() {
        locals.push(format_ident!("body"));
    }
    let mut setters = Vec::new();
    for p in op.params.iter().filter(|p| !p.required) {
        let i = ident(p);
        let t = ty(&p.ty, &types_path());
        fields.push(quote!(#i: ::std::option::Option<#t>));
        locals.push(i.clone());
        let mut docs = vec![format!("`{}` ({}, optional).", p.name, p.location.as_str())];
        docs.extend(p.description.clone());
        if p.deprecated {
            docs.push("Deprecated in the spec.".to_string());
        }
        let docs = doc_attrs(&docs);
        setters.push(quote! {
            #docs
            pub fn #i(mut self, value: impl ::std::convert::Into<#t>) -> Self {
                self.#i = ::std::option::Option::Some(value.into());
                self
            }
        });
    }
    let doc = doc_attrs(&[format!(
        "A `{}` request: set optional parameters, then `.await` it (or call `send`). Made by `Client::{}`.",
        op.id, op.method_name
    )]);
    quote! {
        #doc
        #[must_use = "a request is sent only when awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
        }

        impl<'a> #builder<'a> {
            #(#setters)*

            /// Sends the request, once (what `.await` does).
            pub async fn send(self) -> ::std::result::Result<#ok, #err> {
                let #builder { client, #(#locals),* } = self;
                #run
            }
        }

        impl<'a> ::std::future::IntoFuture for #builder<'a> {
            type Output = ::std::result::Result<#ok, #err>;
            type IntoFuture = ::contract_runtime::BoxFuture<'a, Self::Output>;

            fn into_future(self) -> Self::IntoFuture {
                ::std::boxed::Box::pin(self.send())
            }
        }
    }
}
