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
use crate::ir::operations::template_names;
use crate::ir::types::TypeRef;

pub fn emit(ir: &ClientIr) -> TokenStream {
    let client = client(ir);
    let methods = ir.operations.iter().map(method);
    let enums = ir.operations.iter().map(outcome_types);
    let headers = header_trait(ir);
    quote! {
        pub use ::contract_runtime::{BuildError, Error, ResponseValue};
        use ::contract_runtime::reqwest::{StatusCode, header::HeaderMap};

        #client

        impl Client {
            #(#methods)*
        }

        #headers

        #(#enums)*
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
    match &r.body {
        Some(t) => ty(t, &types_path()),
        None => quote!(()),
    }
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

/// The operation's path as a `&str` expression: the literal path, or a `format!` of its
/// literal pieces and each parameter encoded as one path segment.
fn path_format(op: &OperationTypes) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    for pname in template_names(&op.path) {
        let marker = format!("{{{pname}}}");
        let Some((lit, after)) = rest.split_once(&marker) else {
            continue;
        };
        template.push_str(&lit.replace('{', "{{").replace('}', "}}"));
        rest = after;
        let Some(p) = op.params.iter().find(|p| p.name == pname) else {
            continue;
        };
        let ident = format_ident!("{}", p.rust);
        let text = match &p.ty {
            TypeRef::String => quote!(#ident),
            TypeRef::Integer { .. } => quote!(&#ident.to_string()),
            _ => quote!(#ident.as_str()),
        };
        template.push_str("{}");
        args.push(quote!(::contract_runtime::encode::path(#text)));
    }
    if args.is_empty() {
        // No parameter: the path as written.
        let path = op.path.as_str();
        return quote!(#path);
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    quote!(&format!(#template #(, #args)*))
}

fn method(op: &OperationTypes) -> TokenStream {
    let name = format_ident!("{}", op.method_name);
    let err = error_name(op);
    let ok = ok_type(op);
    let op_id = op.id.as_str();
    let http_method = op.http_method.to_uppercase();
    let method_ident = format_ident!("{}", http_method);
    let path_types = types_path();

    let mut params = Vec::new();
    for p in &op.params {
        let ident = format_ident!("{}", p.rust);
        let t = match &p.ty {
            TypeRef::String => quote!(&str),
            TypeRef::Integer { .. } => ty(&p.ty, &path_types),
            other => {
                let t = ty(other, &path_types);
                quote!(&#t)
            }
        };
        params.push(quote!(#ident: #t));
    }
    let with_body = match &op.body {
        Some(b) if b.required => {
            let t = ty(&b.ty, &path_types);
            params.push(quote!(body: &#t));
            quote!(.json(body))
        }
        Some(b) => {
            let t = ty(&b.ty, &path_types);
            params.push(quote!(body: ::std::option::Option<&#t>));
            quote!()
        }
        None => quote!(),
    };
    let optional_body = match &op.body {
        Some(b) if !b.required => quote! {
            let request = match body {
                Some(body) => request.json(body),
                None => request,
            };
        },
        _ => quote!(),
    };
    let path = path_format(op);
    let arms = op.responses.iter().map(|r| arm(op, r));

    let mut docs: Vec<String> = Vec::new();
    docs.extend(op.summary.clone());
    docs.extend(op.description.clone());
    docs.push(format!(
        "`{} {}` (operationId `{}`).",
        op.http_method, op.path, op.id
    ));
    for p in &op.params {
        if let Some(d) = &p.description {
            docs.push(format!("`{}`: {d}", p.rust));
        }
    }
    let mut statuses = vec!["Responses, told apart by status code only:".to_string()];
    for r in &op.responses {
        let target = match (r.success(), successes(op).len()) {
            (true, 1) => "`Ok`".to_string(),
            (true, _) => format!("`Ok({}::{})`", success_name(op), r.variant),
            (false, _) => format!("`Err({}::{})`", err, r.variant),
        };
        statuses.push(format!(
            "- {} → {}: {}",
            r.status,
            target,
            first_sentence(&r.description)
        ));
    }
    statuses.push(format!(
        "- anything else (no response, an undocumented status, a body that does not decode): `Err({err}::{OTHER_VARIANT})`."
    ));
    docs.push(statuses.join("\n"));
    docs.push(format!(
        "Runs in a `tracing` span named `{op_id}`. Sent once, never retried."
    ));
    let docs = doc_attrs(&docs);

    quote! {
        #docs
        pub async fn #name(&self, #(#params),*) -> ::std::result::Result<#ok, #err> {
            let request = self.0.request(::contract_runtime::reqwest::Method::#method_ident, #path) #with_body;
            #optional_body
            let span = ::contract_runtime::tracing::info_span!(
                #op_id,
                http.request.method = #http_method,
                http.response.status_code = ::contract_runtime::tracing::field::Empty,
            );
            let response = self.0.send(request, span).await?;
            match response.status().as_u16() {
                #(#arms)*
                _ => Err(response.unexpected().into()),
            }
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

fn arm(op: &OperationTypes, r: &ResponseType) -> TokenStream {
    let code = proc_macro2::Literal::u16_unsuffixed(r.status);
    let value = match &r.body {
        None => quote!(response.empty()),
        Some(_) => quote!(response.json()?),
    };
    let variant = format_ident!("{}", r.variant);
    match (r.success(), successes(op).len()) {
        (true, 1) => quote!(#code => Ok(#value),),
        (true, _) => {
            let s = success_name(op);
            quote!(#code => Ok(#s::#variant(#value)),)
        }
        (false, _) => {
            let err = error_name(op);
            quote!(#code => Err(#err::#variant(#value)),)
        }
    }
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
    let failures: Vec<&ResponseType> = op.responses.iter().filter(|r| !r.success()).collect();
    let variants = failures.iter().map(|r| {
        let v = format_ident!("{}", r.variant);
        let bt = body_ty(r);
        let d = doc_attrs(&[format!("{}: {}", r.status, r.description.trim())]);
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
            let d = doc_attrs(&[format!("{}: {}", r.status, r.description.trim())]);
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
