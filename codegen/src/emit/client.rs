//! Emits `client.rs`: the runtime ([`super::runtime`]), then for each operation a client
//! method, its error enum (one variant per documented non-2xx status, plus `Unexpected`,
//! `Transport` and `Decode`) and, when it documents several 2xx statuses, a success enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::ty;
use crate::ir::client::{ClientIr, OperationTypes, ResponseType};
use crate::ir::operations::template_names;
use crate::ir::types::TypeRef;

pub fn emit(ir: &ClientIr) -> TokenStream {
    let runtime = super::runtime::emit(ir);
    let methods = ir.operations.iter().map(|op| method(ir, op));
    let enums = ir.operations.iter().map(outcome_types);
    quote! {
        use ::tracing::Instrument as _;

        #runtime

        impl Client {
            #(#methods)*
        }

        #(#enums)*
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

fn error_name(op: &OperationTypes) -> proc_macro2::Ident {
    format_ident!("{}Error", op.type_prefix)
}

fn success_name(op: &OperationTypes) -> proc_macro2::Ident {
    format_ident!("{}Success", op.type_prefix)
}

fn successes(op: &OperationTypes) -> Vec<&ResponseType> {
    op.responses.iter().filter(|r| r.success()).collect()
}

/// The `Ok` type of the operation's method.
fn ok_type(op: &OperationTypes) -> TokenStream {
    let s = successes(op);
    if s.len() == 1 {
        let b = body_ty(s[0]);
        quote!(ResponseValue<#b>)
    } else {
        let n = success_name(op);
        quote!(#n)
    }
}

fn method(ir: &ClientIr, op: &OperationTypes) -> TokenStream {
    let name = format_ident!("{}", op.method_name);
    let err = error_name(op);
    let ok = ok_type(op);
    let op_id = op.id.as_str();
    let http_method = format_ident!("{}", op.http_method.to_uppercase());
    let path_types = types_path();

    let mut params = Vec::new();
    for p in &op.params {
        let ident = format_ident!("{}", p.rust);
        let t = match &p.ty {
            TypeRef::String => quote!(&str),
            TypeRef::Integer { unsigned: true } => quote!(u64),
            TypeRef::Integer { unsigned: false } => quote!(i64),
            other => {
                let t = ty(other, &path_types);
                quote!(&#t)
            }
        };
        params.push(quote!(#ident: #t));
    }
    let body_param = op.body.as_ref().map(|b| {
        let t = ty(&b.ty, &path_types);
        if b.required {
            quote!(body: &#t)
        } else {
            quote!(body: ::std::option::Option<&#t>)
        }
    });
    params.extend(body_param);

    // The URL: literal pieces and encoded parameters, in template order.
    let mut url_parts = Vec::new();
    let mut rest = op.path.as_str();
    for pname in template_names(&op.path) {
        let marker = format!("{{{pname}}}");
        if let Some((lit, after)) = rest.split_once(&marker) {
            if !lit.is_empty() {
                url_parts.push(quote!(url.push_str(#lit);));
            }
            if let Some(p) = op.params.iter().find(|p| p.name == pname) {
                let ident = format_ident!("{}", p.rust);
                let text = match &p.ty {
                    TypeRef::String => quote!(#ident),
                    TypeRef::Integer { .. } => quote!(&#ident.to_string()),
                    _ => quote!(#ident.as_str()),
                };
                url_parts.push(quote!(url.push_str(&encode_path(#text));));
            }
            rest = after;
        }
    }
    if !rest.is_empty() {
        url_parts.push(quote!(url.push_str(#rest);));
    }

    let send_body = match &op.body {
        Some(b) if b.required => quote!(let request = request.json(body);),
        Some(_) => quote! {
            let request = match body {
                Some(body) => request.json(body),
                None => request,
            };
        },
        None => quote!(),
    };

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
        let target = if r.success() {
            if successes(op).len() == 1 {
                "`Ok`".to_string()
            } else {
                format!("`Ok({}::{})`", success_name(op), r.variant)
            }
        } else {
            format!("`Err({}::{})`", err, r.variant)
        };
        statuses.push(format!(
            "- {} → {}: {}",
            r.status,
            target,
            first_line(&r.description)
        ));
    }
    statuses.push(format!(
        "- any other status: `Err({err}::Unexpected)` with the raw body; a documented status whose body does not decode: `Err({err}::Decode)`; no response: `Err({err}::Transport)`."
    ));
    docs.push(statuses.join("\n"));
    docs.push(format!(
        "Runs in a `tracing` span named `{op_id}`. Never retried: the request may have reached the server even when it fails."
    ));
    let docs = doc_attrs(&docs);
    let _ = ir;

    quote! {
        #docs
        pub async fn #name(&self, #(#params),*) -> ::std::result::Result<#ok, #err> {
            let span = ::tracing::info_span!(
                #op_id,
                http.request.method = stringify!(#http_method),
                http.response.status_code = ::tracing::field::Empty,
            );
            let call_span = span.clone();
            async move {
                let mut url = self.base_url.clone();
                #(#url_parts)*
                let request = self.request(::reqwest::Method::#http_method, &url);
                #send_body
                let response = request.send().await.map_err(#err::Transport)?;
                let status = response.status();
                call_span.record("http.response.status_code", status.as_u16());
                let headers = response.headers().clone();
                let bytes = response.bytes().await.map_err(#err::Transport)?;
                match status.as_u16() {
                    #(#arms)*
                    _ => Err(#err::Unexpected { status, headers, body: bytes }),
                }
            }
            .instrument(span)
            .await
        }
    }
}

/// The first sentence of a description, on one line.
fn first_line(s: &str) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.find(". ") {
        Some(i) => flat[..=i].to_string(),
        None => flat,
    }
}

fn arm(op: &OperationTypes, r: &ResponseType) -> TokenStream {
    let code = r.status;
    let err = error_name(op);
    let bt = body_ty(r);
    let decode = match &r.body {
        None => quote!(::std::result::Result::<(), ::serde_json::Error>::Ok(())),
        Some(_) => quote!(::serde_json::from_slice::<#bt>(&bytes)),
    };
    let variant = format_ident!("{}", r.variant);
    let wrap = if r.success() {
        if successes(op).len() == 1 {
            quote!(Ok(value))
        } else {
            let s = success_name(op);
            quote!(Ok(#s::#variant(value)))
        }
    } else {
        quote!(Err(#err::#variant(value)))
    };
    quote! {
        #code => match #decode {
            Ok(body) => {
                let value = ResponseValue::new(status, headers, body);
                #wrap
            }
            Err(source) => Err(#err::Decode { status, headers, body: bytes, source }),
        },
    }
}

fn outcome_types(op: &OperationTypes) -> TokenStream {
    let err = error_name(op);
    let err_doc = doc_attrs(&[format!(
        "Every way `{}` can fail: one variant per documented error status (keyed by status \
         code, never guessed from the body), plus undocumented statuses, transport failures \
         and bodies that do not decode. Variants that got an answer keep its status and headers.",
        op.method_name
    )]);
    let mut variants = Vec::new();
    let mut display = Vec::new();
    let mut status_arms = Vec::new();
    let mut header_arms = Vec::new();
    for r in op.responses.iter().filter(|r| !r.success()) {
        let v = format_ident!("{}", r.variant);
        let bt = body_ty(r);
        let d = doc_attrs(&[format!("{}: {}", r.status, r.description.trim())]);
        variants.push(quote!(#d #v(ResponseValue<#bt>),));
        let text = format!("{} {}: {}", r.status, r.variant, first_line(&r.description));
        display.push(quote!(#err::#v(_) => f.write_str(#text),));
        status_arms.push(quote!(#err::#v(r) => Some(r.status()),));
        header_arms.push(quote!(#err::#v(r) => Some(r.headers()),));
    }
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
            /// A status the spec does not document for this operation; the body is kept as received.
            Unexpected {
                /// The HTTP status.
                status: ::reqwest::StatusCode,
                /// The response headers.
                headers: ::reqwest::header::HeaderMap,
                /// The raw body.
                body: ::bytes::Bytes,
            },
            /// No response: connection, TLS or timeout failure. The request may still have
            /// reached the server.
            Transport(::reqwest::Error),
            /// A documented status whose body does not match the documented schema; the body
            /// is kept as received.
            Decode {
                /// The HTTP status.
                status: ::reqwest::StatusCode,
                /// The response headers.
                headers: ::reqwest::header::HeaderMap,
                /// The raw body.
                body: ::bytes::Bytes,
                /// Why it did not decode.
                source: ::serde_json::Error,
            },
        }

        impl #err {
            /// The HTTP status, when a response arrived.
            pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
                match self {
                    #(#status_arms)*
                    #err::Unexpected { status, .. } | #err::Decode { status, .. } => Some(*status),
                    #err::Transport(e) => e.status(),
                }
            }

            /// The response headers, when a response arrived.
            pub fn headers(&self) -> ::std::option::Option<&::reqwest::header::HeaderMap> {
                match self {
                    #(#header_arms)*
                    #err::Unexpected { headers, .. } | #err::Decode { headers, .. } => Some(headers),
                    #err::Transport(_) => None,
                }
            }
        }

        impl ::std::fmt::Display for #err {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display)*
                    #err::Unexpected { status, .. } => write!(f, "undocumented status {status}"),
                    #err::Transport(e) => write!(f, "request failed: {e}"),
                    #err::Decode { status, source, .. } => {
                        write!(f, "status {status}: the body does not match the documented schema: {source}")
                    }
                }
            }
        }

        impl ::std::error::Error for #err {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #err::Transport(e) => Some(e),
                    #err::Decode { source, .. } => Some(source),
                    _ => None,
                }
            }
        }
    }
}
