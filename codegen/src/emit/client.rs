//! Emits `client.rs`: the client (a thin wrapper of `contract_runtime::Client`), one short
//! method per operation (one line per documented status), its error enum (one variant per
//! documented error status, plus `Other` for the runtime's `contract_runtime::Error`), a
//! success enum when it documents several 2xx statuses, and a trait with one accessor per
//! documented response header. Everything that does not depend on the spec is in
//! `contract-runtime`.

use contract_runtime::names::OTHER_VARIANT;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::ty;
use crate::ir::client::{ClientIr, HeaderKind, OperationTypes, ResponseType};
use crate::ir::media::{BodyKind, accept_list};
use crate::ir::responses::StatusKey;

pub fn emit(ir: &ClientIr) -> TokenStream {
    let client = client(ir);
    let methods = ir.operations.iter().map(method);
    let enums = ir.operations.iter().map(outcome_types);
    let builders = ir
        .operations
        .iter()
        .filter(|op| super::params::has_optional(op))
        .map(|op| {
            super::params::builder_type(
                op,
                &ok_type(op),
                &error_name(op),
                &request_code(op, &quote!(client)),
            )
        });
    let headers = header_trait(ir);
    let multipart = ir
        .operations
        .iter()
        .any(|o| o.body.as_ref().is_some_and(|b| b.kind == BodyKind::Multipart))
        .then(|| {
            quote!(
                pub use ::contract_runtime::MultipartForm;
            )
        });
    quote! {
        pub use ::contract_runtime::{BuildError, Error, ResponseValue};
        #multipart
        use ::contract_runtime::reqwest::{StatusCode, header::HeaderMap};

        #client

        impl Client {
            #(#methods)*
        }

        #headers

        #(#enums)*

        #(#builders)*
    }
}

fn client(ir: &ClientIr) -> TokenStream {
    let default_url = ir
        .servers
        .first()
        .map(|s| s.0.clone())
        .unwrap_or_else(|| "http://127.0.0.1".to_string());
    let server_entries = ir.servers.iter().map(|(url, d)| {
        let d = d.clone().unwrap_or_default();
        quote!((#url, #d))
    });
    let default_doc = doc_attrs(&[format!(
        "The first server the spec lists: `{default_url}`. Any URL can be set with `ClientBuilder::base_url`."
    )]);
    let client_doc = doc_attrs(&[
        format!("The client of {}.", ir.title),
        ir.description.clone().unwrap_or_default(),
        "Cheap to clone (clones share one connection pool). No call is ever retried: a request \
         that failed may still have reached the server, so trying again is the caller's decision."
            .to_string(),
    ]);
    quote! {
        #default_doc
        pub const DEFAULT_BASE_URL: &str = #default_url;

        /// Every server the spec lists, as `(url, description)`.
        pub const SERVERS: &[(&str, &str)] = &[#(#server_entries),*];

        /// Settings of a [`Client`]: base URL, bearer token (never printed), timeout, user agent.
        pub type ClientBuilder = ::contract_runtime::ClientBuilder<Client>;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client(::contract_runtime::Client);

        impl ::std::convert::From<::contract_runtime::Client> for Client {
            fn from(client: ::contract_runtime::Client) -> Self {
                Client(client)
            }
        }

        impl Client {
            /// A [`ClientBuilder`] for [`DEFAULT_BASE_URL`] with this crate's name as user
            /// agent, no token and a 30 s timeout.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::new(DEFAULT_BASE_URL)
                    .user_agent(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")))
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.0.base_url()
            }

            /// A copy of this client with another time limit per request.
            pub fn with_timeout(&self, timeout: ::std::time::Duration) -> Client {
                Client(self.0.with_timeout(timeout))
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &::contract_runtime::Client {
                &self.0
            }
        }
    }
}

fn types_path() -> TokenStream {
    quote!(super::types::)
}

fn body_ty(r: &ResponseType) -> TokenStream {
    match (r.kind, &r.body) {
        (Some(BodyKind::Json), Some(t)) => ty(t, &types_path()),
        (Some(BodyKind::Text), _) => quote!(::std::string::String),
        (Some(_), _) => quote!(::contract_runtime::bytes::Bytes),
        (None, _) => quote!(()),
    }
}

/// Statements that put `body` on `request`, encoded as its media type says.
fn body_apply(op: &OperationTypes) -> TokenStream {
    let Some(b) = &op.body else {
        return quote!();
    };
    let ct = b.content_type.as_str();
    let put = match b.kind {
        BodyKind::Json => quote!(::contract_runtime::body::json(request, #ct, body)),
        BodyKind::Form => quote!(::contract_runtime::body::form(request, #ct, body)),
        BodyKind::Text => quote!(::contract_runtime::body::text(request, #ct, body)),
        BodyKind::Binary => quote!(::contract_runtime::body::binary(request, #ct, body)),
        BodyKind::Multipart => quote!(::contract_runtime::body::multipart(request, body)),
    };
    if b.required {
        quote!(let request = #put;)
    } else {
        quote! {
            let request = match body {
                Some(body) => #put,
                None => request,
            };
        }
    }
}

/// The runtime request of the operation: `Accept` lists the response media types when
/// they are not all JSON.
fn request_start(
    op: &OperationTypes,
    client: &TokenStream,
    method_ident: &Ident,
    path: &TokenStream,
) -> TokenStream {
    let chosen = op
        .responses
        .iter()
        .filter_map(|r| Some((r.media_types.as_slice(), r.kind?)))
        .flat_map(|(list, kind)| list.iter().map(move |m| (m.as_str(), kind)));
    match accept_list(chosen) {
        None => quote!(#client.0.request(::contract_runtime::reqwest::Method::#method_ident, #path)),
        Some(accept) => quote!(#client.0.request_accepting(
            ::contract_runtime::reqwest::Method::#method_ident,
            #path,
            #accept
        )),
    }
}

/// The decoding of a response's body.
fn decode(r: &ResponseType) -> TokenStream {
    match r.kind {
        None => quote!(response.empty()),
        Some(BodyKind::Json) => quote!(response.json()?),
        Some(BodyKind::Text) => quote!(response.text()?),
        Some(_) => quote!(response.bytes()),
    }
}

/// The error variants: every response that is not a success, and `default` also when it
/// stands for the success (it then covers the non-2xx statuses too).
fn failures(op: &OperationTypes) -> Vec<&ResponseType> {
    op.responses
        .iter()
        .filter(|r| !r.success() || r.key == StatusKey::Default)
        .collect()
}

fn error_name(op: &OperationTypes) -> Ident {
    format_ident!("{}Error", op.type_prefix)
}

fn success_name(op: &OperationTypes) -> Ident {
    format_ident!("{}Success", op.type_prefix)
}

fn successes(op: &OperationTypes) -> Vec<&ResponseType> {
    op.responses.iter().filter(|r| r.success()).collect()
}

/// The `Ok` type of the operation's method.
fn ok_type(op: &OperationTypes) -> TokenStream {
    match successes(op).as_slice() {
        [one] => {
            let b = body_ty(one);
            quote!(ResponseValue<#b>)
        }
        _ => {
            let n = success_name(op);
            quote!(#n)
        }
    }
}

fn method(op: &OperationTypes) -> TokenStream {
    let name = format_ident!("{}", op.method_name);
    let err = error_name(op);
    let ok = ok_type(op);
    let op_id = op.id.as_str();

    let mut params = super::params::required_args(op, None);
    params.extend(super::params::body_arg(op, None));

    let mut docs: Vec<String> = Vec::new();
    docs.extend(op.summary.clone());
    docs.extend(op.description.clone());
    docs.push(format!(
        "`{} {}` (operationId `{}`).",
        op.http_method, op.path, op.id
    ));
    for p in op.params.iter().filter(|p| p.required) {
        if let Some(d) = &p.description {
            docs.push(format!("`{}`: {d}", p.rust));
        }
    }
    if super::params::has_optional(op) {
        docs.push(format!(
            "Returns a `{}`: set its optional parameters, then `.await` it.",
            super::params::builder_name(op)
        ));
    }
    if let Some(b) = op.body.as_ref().filter(|b| b.content_type != "application/json") {
        let what = match b.kind {
            BodyKind::Json | BodyKind::Form => "",
            BodyKind::Text => " (text)",
            BodyKind::Binary => " (bytes, as they are)",
            BodyKind::Multipart => " (the parts, built by the caller)",
        };
        docs.push(format!("`body`{what} is sent as `{}`.", b.content_type));
        if !b.parts.is_empty() {
            let parts = b.parts.iter().map(|p| {
                format!(
                    "- `{}`: {}{}{}",
                    p.name,
                    if p.file {
                        "a file (`MultipartForm::file`)"
                    } else {
                        "text (`MultipartForm::text`; `json` for objects and arrays)"
                    },
                    p.content_type
                        .as_deref()
                        .map(|c| format!(", `{c}`"))
                        .unwrap_or_default(),
                    if p.required { ", required" } else { "" },
                )
            });
            docs.push(format!(
                "The parts the spec lists:\n{}",
                parts.collect::<Vec<_>>().join("\n")
            ));
        }
    }
    let mut statuses = vec![
        if op.responses.iter().all(|r| matches!(r.key, StatusKey::Code(_))) {
            "Responses, told apart by status code only:".to_string()
        } else {
            "Responses, told apart by status code only (an exact code before a range, a range before `default`):"
            .to_string()
        },
    ];
    for r in &op.responses {
        let ok = match successes(op).len() {
            1 => "`Ok`".to_string(),
            _ => format!("`Ok({}::{})`", success_name(op), r.variant),
        };
        let target = match (r.success(), r.key) {
            (true, StatusKey::Default) => {
                format!("{ok} for a 2xx status, else `Err({err}::{})`", r.variant)
            }
            (true, _) => ok,
            (false, _) => format!("`Err({}::{})`", err, r.variant),
        };
        statuses.push(format!(
            "- {} → {}: {}",
            r.key.spec_key(),
            target,
            first_sentence(&r.description)
        ));
    }
    let anything_else = if op.responses.iter().any(|r| r.key == StatusKey::Default) {
        "no response, a body that does not decode"
    } else {
        "no response, an undocumented status, a body that does not decode"
    };
    statuses.push(format!(
        "- anything else ({anything_else}): `Err({err}::{OTHER_VARIANT})`."
    ));
    docs.push(statuses.join("\n"));
    docs.push(format!(
        "Runs in a `tracing` span named `{op_id}`. Sent once, never retried."
    ));
    let docs = doc_attrs(&docs);

    if super::params::has_optional(op) {
        return super::params::builder_method(op, &docs);
    }
    let run = request_code(op, &quote!(self));
    quote! {
        #docs
        pub async fn #name(&self, #(#params),*) -> ::std::result::Result<#ok, #err> {
            #run
        }
    }
}

/// Sends the operation's request from locals named like its parameters (and `body`), with
/// `client` the generated client, and matches the answer.
fn request_code(op: &OperationTypes, client: &TokenStream) -> TokenStream {
    let op_id = op.id.as_str();
    let http_method = op.http_method.to_uppercase();
    let method_ident = format_ident!("{}", http_method);
    let (url_setup, path) = super::params::url(op);
    let start = request_start(op, client, &method_ident, &path);
    let body = body_apply(op);
    let headers = super::params::headers_and_cookies(op);
    let arms = response_arms(op);
    quote! {
        #url_setup
        let request = #start;
        #body
        #headers
        let span = ::contract_runtime::tracing::info_span!(
            #op_id,
            http.request.method = #http_method,
            http.response.status_code = ::contract_runtime::tracing::field::Empty,
        );
        let response = #client.0.send(request, span).await?;
        match response.status().as_u16() {
            #arms
        }
    }
}

/// The first sentence of a description, on one line.
fn first_sentence(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(i) => flat[..=i].to_string(),
        None => flat,
    }
}

/// The match arms on the status: exact codes, then ranges, then `default` (or
/// `Error::Unexpected` when there is none).
fn response_arms(op: &OperationTypes) -> TokenStream {
    let err = error_name(op);
    let ok = |r: &ResponseType, value: TokenStream| match successes(op).len() {
        1 => quote!(Ok(#value)),
        _ => {
            let s = success_name(op);
            let v = format_ident!("{}", r.variant);
            quote!(Ok(#s::#v(#value)))
        }
    };
    let mut arms = Vec::new();
    let mut last = quote!(_ => Err(response.unexpected().into()),);
    for r in &op.responses {
        let value = decode(r);
        let variant = format_ident!("{}", r.variant);
        let pattern = match r.key {
            StatusKey::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                quote!(#c)
            }
            StatusKey::Range(class) => {
                let (lo, hi) = (
                    proc_macro2::Literal::u16_unsuffixed(class * 100),
                    proc_macro2::Literal::u16_unsuffixed(class * 100 + 99),
                );
                quote!(#lo..=#hi)
            }
            StatusKey::Default => {
                if r.success() {
                    let value = ok(r, value.clone());
                    arms.push(quote!(200..=299 => #value,));
                }
                last = quote!(_ => Err(#err::#variant(#value)),);
                continue;
            }
        };
        let result = if r.success() {
            ok(r, value)
        } else {
            quote!(Err(#err::#variant(#value)))
        };
        arms.push(quote!(#pattern => #result,));
    }
    quote!(#(#arms)* #last)
}

/// `write!` of a documented error's message: the status, the variant, the first sentence of
/// the description, and the body's documented codes (`message `orderStatusAlreadyPaid``).
fn error_display(r: &ResponseType) -> TokenStream {
    let mut template = format!("{{}} {}: {}", r.variant, first_sentence(&r.description))
        .replace('{', "{{")
        .replace('}', "}}")
        .replacen("{{}}", "{}", 1);
    let mut args = vec![quote!(r.status())];
    for (wire, rust) in &r.summary_fields {
        let field = format_ident!("{}", rust);
        template.push_str(&format!(
            " ({} `{{}}`)",
            wire.replace('{', "{{").replace('}', "}}")
        ));
        args.push(quote!(r.body().#field));
    }
    quote!(write!(f, #template, #(#args),*))
}

fn outcome_types(op: &OperationTypes) -> TokenStream {
    let err = error_name(op);
    let other = format_ident!("{}", OTHER_VARIANT);
    let err_doc = doc_attrs(&[format!(
        "Every way `{}` can fail: one variant per documented error status (keyed by status \
         code, never guessed from the body), and `{OTHER_VARIANT}` for everything else.",
        op.method_name
    )]);
    let failures = failures(op);
    let variants = failures.iter().map(|r| {
        let v = format_ident!("{}", r.variant);
        let bt = body_ty(r);
        let d = doc_attrs(&[format!("{}: {}", r.key.spec_key(), r.description.trim())]);
        quote!(#d #v(ResponseValue<#bt>),)
    });
    let idents: Vec<Ident> = failures.iter().map(|r| format_ident!("{}", r.variant)).collect();
    let displays = failures.iter().map(|r| error_display(r));
    let no_source = (!failures.is_empty()).then(|| quote!(_ => None,));
    let success_enum = if successes(op).len() > 1 {
        let s = success_name(op);
        let vs = successes(op).into_iter().map(|r| {
            let v = format_ident!("{}", r.variant);
            let bt = body_ty(r);
            let d = doc_attrs(&[format!("{}: {}", r.key.spec_key(), r.description.trim())]);
            quote!(#d #v(ResponseValue<#bt>),)
        });
        let doc = doc_attrs(&[format!(
            "The documented successes of `{}`, keyed by status code.",
            op.method_name
        )]);
        quote! {
            #doc
            #[derive(Debug, Clone)]
            pub enum #s {
                #(#vs)*
            }
        }
    } else {
        quote!()
    };
    quote! {
        #success_enum

        #err_doc
        #[derive(Debug)]
        pub enum #err {
            #(#variants)*
            /// No documented answer: no response, an undocumented status, or a body that
            /// does not decode (see [`Error`]); what arrived is kept.
            #other(Error),
        }

        impl ::std::convert::From<Error> for #err {
            fn from(e: Error) -> Self {
                Self::#other(e)
            }
        }

        impl #err {
            /// The HTTP status, when a response arrived.
            pub fn status(&self) -> ::std::option::Option<StatusCode> {
                match self {
                    #(Self::#idents(r) => Some(r.status()),)*
                    Self::#other(e) => e.status(),
                }
            }

            /// The response headers, when a response arrived.
            pub fn headers(&self) -> ::std::option::Option<&HeaderMap> {
                match self {
                    #(Self::#idents(r) => Some(r.headers()),)*
                    Self::#other(e) => e.headers(),
                }
            }
        }

        impl ::std::fmt::Display for #err {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(Self::#idents(r) => #displays,)*
                    Self::#other(e) => e.fmt(f),
                }
            }
        }

        impl ::std::error::Error for #err {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::#other(e) => Some(e),
                    #no_source
                }
            }
        }
    }
}

/// `ResponseHeaders`: one accessor per documented response header, on every response value.
fn header_trait(ir: &ClientIr) -> TokenStream {
    if ir.headers.is_empty() {
        return quote!();
    }
    let mut decls = Vec::new();
    let mut impls = Vec::new();
    for h in &ir.headers {
        let method = format_ident!("{}", h.method);
        let name = h.name.as_str();
        let docs = doc_attrs(&[
            format!("The `{name}` header, when the server sent it (and it parses)."),
            h.description.clone().unwrap_or_default(),
        ]);
        let (ret, read) = match h.kind {
            HeaderKind::Unsigned => (quote!(u64), quote!(header_u64)),
            HeaderKind::Signed => (quote!(i64), quote!(header_i64)),
            HeaderKind::Text => (quote!(&str), quote!(header_str)),
        };
        decls.push(quote!(#docs fn #method(&self) -> ::std::option::Option<#ret>;));
        impls.push(quote! {
            fn #method(&self) -> ::std::option::Option<#ret> {
                self.#read(#name)
            }
        });
    }
    quote! {
        /// The response headers the spec documents, on every [`ResponseValue`] (import this
        /// trait to call them).
        pub trait ResponseHeaders {
            #(#decls)*
        }

        impl<T> ResponseHeaders for ResponseValue<T> {
            #(#impls)*
        }
    }
}
