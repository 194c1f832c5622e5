//! Reading any page and comparing it with the project's spec never panics or hangs.
#![no_main]

use std::sync::OnceLock;

use codegen::Spec;
use codegen::docs::Page;
use codegen::drift::{self, Errata};
use codegen::ir::Api;
use libfuzzer_sys::fuzz_target;

const SPEC: &str = include_str!("../../../spec/frontpayment.openapi.yaml");
const ERRATA: &str = include_str!("../../../spec/ERRATA.md");

fn project() -> &'static (Spec, Api, Errata) {
    static P: OnceLock<(Spec, Api, Errata)> = OnceLock::new();
    P.get_or_init(|| {
        let spec = Spec::parse("frontpayment.openapi.yaml", SPEC.to_string()).expect("the project's spec loads");
        let api = codegen::spec::check::check_document(&spec).expect("the project's spec passes");
        let errata = Errata::parse("ERRATA.md", ERRATA).expect("the project's errata parse");
        (spec, api, errata)
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // Named like a real page, so x-docs and ERRATA entries apply.
    let page = Page::parse("resend-payment-link.md", &text);
    let (spec, api, errata) = project();
    let report = drift::compare(spec, api, errata, &[page]);
    let _ = report.render();
});
