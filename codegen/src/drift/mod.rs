//! `docs-diff`: what differs between the vendor's doc pages and the spec, and which of those
//! differences `spec/ERRATA.md` already records.
//!
//! Each page is matched to the operation with its method and path shape (`{{ORDER_UUID}}` and
//! `{orderUuid}` are both a placeholder). Then, for that operation, the comparison reports
//! these kinds of difference (the `kind` an ERRATA `drift:` line names), each with a subject:
//!
//! | kind | subject | what differs |
//! |---|---|---|
//! | `endpoint` | `METHOD path` or `missing` | no endpoint line, or no operation with that method and path |
//! | `path-parameter` | spec name | the page names a placeholder otherwise (`{{ORDER_UUID}}` / `{orderUuid}`) |
//! | `field-missing` | field | the field table lists a field the request schema lacks |
//! | `field-undocumented` | field | the request schema has a property the table does not list |
//! | `field-type` | field | the table's type is not one of the schema's types (a `format` counts, but is reported) |
//! | `field-required` | field | required / conditionally required / optional differ |
//! | `status` | status | a status on the page only, or in the spec only |
//! | `message` | the example's message (the page's when none pairs) | a sample's `message` differs from its example's, or no example has it |
//! | `sample-value` | member | another member of a sample differs from its example (or is on one side only) |
//! | `sample-repair` | member, or the repair (`stray-block`) | the sample is not valid JSON; what was repaired |
//! | `sample-new` | status or `request` | a sample the spec has no example for |
//! | `sample-removed` | example name | an example whose `x-docs` names the page, with no sample on it |
//! | `docs-lines` | example name | the example's `x-docs` lines no longer cover its sample |
//! | `header` | header name | a response header of the spec the page never mentions |
//!
//! Samples pair with the examples of the same status whose `x-docs` names the page: first by
//! equal `message`, then by overlapping `x-docs` lines, then one left on each side.
//!
//! Each drift carries a [`Fix`]: what would reconcile it, as JSON Patch operations on the spec
//! where the change can be said exactly ([`fix`]), else in words.

pub mod errata;
pub mod fix;

use serde::Serialize;
use serde_json::Value;

use crate::docs::{Page, Sample};
use crate::ir::{Api, DocRef, OperationIr};
use crate::schema_view;
use crate::spec::{Spec, child};
pub use errata::{Errata, Erratum};
pub use fix::{Fix, PatchOp};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Endpoint,
    PathParameter,
    FieldMissing,
    FieldUndocumented,
    FieldType,
    FieldRequired,
    Status,
    Message,
    SampleValue,
    SampleRepair,
    SampleNew,
    SampleRemoved,
    DocsLines,
    Header,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Endpoint => "endpoint",
            Kind::PathParameter => "path-parameter",
            Kind::FieldMissing => "field-missing",
            Kind::FieldUndocumented => "field-undocumented",
            Kind::FieldType => "field-type",
            Kind::FieldRequired => "field-required",
            Kind::Status => "status",
            Kind::Message => "message",
            Kind::SampleValue => "sample-value",
            Kind::SampleRepair => "sample-repair",
            Kind::SampleNew => "sample-new",
            Kind::SampleRemoved => "sample-removed",
            Kind::DocsLines => "docs-lines",
            Kind::Header => "header",
        }
    }
}

/// One difference between a page and the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub page: String,
    /// Line on the page, when the difference has one.
    pub line: Option<usize>,
    pub kind: Kind,
    pub subject: String,
    pub detail: String,
    /// Where in the spec, and that place's YAML line.
    pub pointer: Option<String>,
    pub spec_line: Option<usize>,
    /// The ERRATA entry that records it; `None` = drift.
    pub known: Option<String>,
    /// For drift: the spec change that would reconcile it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageReport {
    pub page: String,
    /// The operation the page documents, when one matched.
    pub operation: Option<String>,
    pub differences: Vec<Difference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub spec: String,
    pub errata: Option<String>,
    pub pages: Vec<PageReport>,
    /// What changed on the pages since the reconciled snapshot, when one was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_snapshot: Option<crate::docs::snapshot::Changes>,
}

impl Report {
    pub fn differences(&self) -> impl Iterator<Item = &Difference> {
        self.pages.iter().flat_map(|p| &p.differences)
    }

    /// Differences no ERRATA entry records.
    pub fn unknown(&self) -> usize {
        self.differences().filter(|d| d.known.is_none()).count()
    }

    /// The human-readable report: the pages and their operations, then the drift with what
    /// would reconcile it, then the known differences as a count (`list_known` lists them).
    pub fn render(&self, list_known: bool) -> String {
        let mut out = String::new();
        for p in &self.pages {
            let op = p.operation.as_deref().unwrap_or("no operation matched");
            out.push_str(&format!("{}: {op}\n", p.page));
        }
        let drift: Vec<&Difference> = self.differences().filter(|d| d.known.is_none()).collect();
        let known: Vec<&Difference> = self.differences().filter(|d| d.known.is_some()).collect();
        if drift.is_empty() {
            out.push_str("\nno drift\n");
        } else {
            out.push_str(&format!("\nDRIFT ({})\n", drift.len()));
            for d in &drift {
                self.render_one(&mut out, d);
            }
        }
        let errata = self.errata.as_deref().unwrap_or("the errata");
        if list_known && !known.is_empty() {
            out.push_str(&format!("\nKNOWN ({}, recorded in {errata})\n", known.len()));
            for d in &known {
                self.render_one(&mut out, d);
            }
        } else if !known.is_empty() {
            out.push_str(&format!(
                "\n{} known difference(s), recorded in {errata} (--known lists them)\n",
                known.len()
            ));
        }
        if let Some(since) = &self.since_snapshot {
            out.push('\n');
            out.push_str(&since.render());
        }
        out.push_str(&format!(
            "\n{} page(s): {} difference(s), {} known, {} unknown drift\n",
            self.pages.len(),
            drift.len() + known.len(),
            known.len(),
            drift.len()
        ));
        out
    }

    fn render_one(&self, out: &mut String, d: &Difference) {
        let line = d
            .line
            .map(|l| format!("{}:{l}", d.page))
            .unwrap_or_else(|| d.page.clone());
        let status = match &d.known {
            Some(id) => format!("known ({id})"),
            None => "DRIFT".to_string(),
        };
        out.push_str(&format!(
            "  {line}: {status}: {} {}\n",
            d.kind.as_str(),
            d.subject
        ));
        out.push_str(&format!("      {}\n", d.detail));
        if let Some(ptr) = &d.pointer {
            let at = d
                .spec_line
                .map(|l| format!("{}:{l}", self.spec))
                .unwrap_or_else(|| self.spec.clone());
            out.push_str(&format!("      spec: {at} {ptr}\n"));
        }
        if let Some(fix) = &d.fix {
            out.push_str(&format!("      fix: {}\n", fix.note));
            for op in &fix.ops {
                out.push_str(&format!("        {} {}", op.op, op.path));
                let scalar = op.value.as_ref().is_some_and(|v| !v.is_object() && !v.is_array());
                match op.value.as_ref().map(serde_yaml::to_string) {
                    Some(Ok(yaml)) if scalar => out.push_str(&format!(": {yaml}")),
                    Some(Ok(yaml)) => {
                        out.push_str(":\n");
                        for l in yaml.lines() {
                            out.push_str(&format!("            {l}\n"));
                        }
                    }
                    _ => out.push('\n'),
                }
            }
        }
    }

    /// Every drift's patch operations, in report order, each with the drift it reconciles. An
    /// operation two pages ask for (a field added to a shared schema) is listed once.
    pub fn suggestions(&self) -> Vec<Suggestion<'_>> {
        let mut out: Vec<Suggestion> = Vec::new();
        for s in self.all_suggestions() {
            if !out.iter().any(|o| o.op == s.op) {
                out.push(s);
            }
        }
        out
    }

    fn all_suggestions(&self) -> Vec<Suggestion<'_>> {
        self.differences()
            .filter(|d| d.known.is_none())
            .filter_map(|d| {
                let fix = d.fix.as_ref()?;
                let drift = match d.line {
                    Some(l) => format!("{}:{l} {} {}", d.page, d.kind.as_str(), d.subject),
                    None => format!("{} {} {}", d.page, d.kind.as_str(), d.subject),
                };
                Some(fix.ops.iter().map(move |op| Suggestion {
                    drift: drift.clone(),
                    op,
                }))
            })
            .flatten()
            .collect()
    }
}

/// A patch operation with the drift it reconciles (an extra member, which JSON Patch ignores).
#[derive(Debug, Serialize)]
pub struct Suggestion<'a> {
    pub drift: String,
    #[serde(flatten)]
    pub op: &'a PatchOp,
}

/// Compares every page with the spec.
pub fn compare(spec: &Spec, api: &Api, errata: &Errata, pages: &[Page]) -> Report {
    Report {
        spec: spec.file(),
        errata: (!errata.file.is_empty()).then(|| errata.file.clone()),
        pages: pages.iter().map(|p| compare_page(spec, api, errata, p)).collect(),
        since_snapshot: None,
    }
}

struct Ctx<'a> {
    spec: &'a Spec,
    errata: &'a Errata,
    page: &'a Page,
    out: Vec<Difference>,
}

impl Ctx<'_> {
    fn push(
        &mut self,
        line: Option<usize>,
        kind: Kind,
        subject: &str,
        detail: String,
        pointer: Option<String>,
    ) {
        self.push_fix(line, kind, subject, detail, pointer, None);
    }

    fn push_fix(
        &mut self,
        line: Option<usize>,
        kind: Kind,
        subject: &str,
        detail: String,
        pointer: Option<String>,
        fix: Option<Fix>,
    ) {
        if self
            .out
            .iter()
            .any(|d| d.kind == kind && d.subject == subject && d.line == line)
        {
            return;
        }
        let spec_line = pointer
            .as_deref()
            .and_then(|p| self.spec.lines.locate(p))
            .map(|p| p.line);
        let known = self
            .errata
            .known(&self.page.name, kind.as_str(), subject)
            .map(|e| e.id.clone());
        self.out.push(Difference {
            page: self.page.name.clone(),
            line,
            kind,
            subject: subject.to_string(),
            detail,
            pointer,
            spec_line,
            fix: if known.is_none() { fix } else { None },
            known,
        });
    }
}

/// Path segments with placeholders blanked, and the placeholders' names.
fn shape(path: &str) -> (Vec<String>, Vec<String>) {
    let mut segments = Vec::new();
    let mut names = Vec::new();
    for seg in path.trim_end_matches('/').split('/') {
        if seg.starts_with('{') || seg.starts_with(':') {
            names.push(seg.trim_start_matches(':').to_string());
            segments.push("{}".to_string());
        } else {
            segments.push(seg.to_string());
        }
    }
    (segments, names)
}

/// Compares one page with the spec.
pub fn compare_page(spec: &Spec, api: &Api, errata: &Errata, page: &Page) -> PageReport {
    let mut cx = Ctx {
        spec,
        errata,
        page,
        out: Vec::new(),
    };
    let operation = match &page.endpoint {
        None => {
            cx.push(
                None,
                Kind::Endpoint,
                "missing",
                "the page names no endpoint (a `METHOD https://host/path` line)".to_string(),
                None,
            );
            None
        }
        Some(ep) => {
            let (seg, _) = shape(&ep.path);
            let op = api
                .operations
                .iter()
                .find(|o| o.method == ep.method && shape(&o.path).0 == seg);
            if op.is_none() {
                cx.push(
                    Some(ep.line),
                    Kind::Endpoint,
                    &format!("{} {}", ep.method, ep.path),
                    "no operation of the spec has this method and path".to_string(),
                    Some("/paths".to_string()),
                );
            }
            op
        }
    };
    if let Some(op) = operation {
        path_parameters(&mut cx, op);
        fields(&mut cx, op);
        statuses(&mut cx, op);
        requests(&mut cx, op);
        responses(&mut cx, op);
        headers(&mut cx, op);
    }
    let mut differences = cx.out;
    for d in differences
        .iter_mut()
        .filter(|d| d.known.is_none() && d.fix.is_none())
    {
        d.fix = Some(fix::by_hand(d.kind.as_str(), &d.subject));
    }
    differences.sort_by_key(|d| (d.line.is_none(), d.line, d.kind));
    PageReport {
        page: page.name.clone(),
        operation: operation.map(|o| format!("{}, {} {}", o.id, o.method, o.path)),
        differences,
    }
}

fn path_parameters(cx: &mut Ctx, op: &OperationIr) {
    let Some(ep) = &cx.page.endpoint else { return };
    let (_, docs) = shape(&ep.path);
    let (_, ours) = shape(&op.path);
    for (d, o) in docs.iter().zip(&ours) {
        if d != o {
            let name = o.trim_matches(|c| c == '{' || c == '}');
            cx.push(
                Some(ep.line),
                Kind::PathParameter,
                name,
                format!("the page writes `{d}`, the spec `{o}`"),
                Some(param_pointer(cx.spec, op, name)),
            );
        }
    }
}

fn param_pointer(spec: &Spec, op: &OperationIr, name: &str) -> String {
    let list = child(&op.pointer, &["parameters"]);
    let index = spec.at(&list).and_then(Value::as_array).and_then(|ps| {
        (0..ps.len()).position(|i| {
            let p = spec
                .resolver()
                .follow(&format!("{list}/{i}"))
                .map_or(&ps[i], |(_, p)| p);
            p.get("name").and_then(Value::as_str) == Some(name)
        })
    });
    match index {
        Some(i) => format!("{list}/{i}"),
        None => op.pointer.clone(),
    }
}

/// Type names pages use for JSON types.
fn json_type(docs: &str) -> &str {
    match docs {
        "int" | "integer" | "long" => "integer",
        "float" | "double" | "decimal" | "number" => "number",
        "bool" | "boolean" => "boolean",
        "str" | "text" | "string" => "string",
        "list" | "array" => "array",
        "object" | "json" | "map" => "object",
        other => other,
    }
}

fn fields(cx: &mut Ctx, op: &OperationIr) {
    let doc = &cx.spec.doc;
    let (schema, props) = match &op.request {
        Some(r) => (
            Some(r.schema_pointer.clone()),
            schema_view::properties(doc, &r.schema_pointer),
        ),
        None => (None, Vec::new()),
    };
    for f in &cx.page.fields {
        let Some((_, ptr)) = props.iter().find(|(n, _)| *n == f.name) else {
            let fix = schema
                .as_deref()
                .and_then(|s| schema_view::resolve(doc, s))
                .map(|(at, _)| fix::new_field(doc, &at, f, json_type(&f.ty)));
            cx.push_fix(
                Some(f.line),
                Kind::FieldMissing,
                &f.name,
                format!(
                    "the page lists `{}` ({}, {}); the request schema has no such property",
                    f.name,
                    f.ty,
                    f.requirement.as_str()
                ),
                schema.clone(),
                fix,
            );
            continue;
        };
        let types = schema_view::types(doc, ptr);
        let ty = json_type(&f.ty);
        let non_null: Vec<&str> = types
            .iter()
            .map(String::as_str)
            .filter(|t| *t != "null")
            .collect();
        let matches = types.is_empty() || types.contains(ty) || (ty == "number" && types.contains("integer"));
        if !matches {
            let formats = schema_view::formats(doc, ptr);
            let detail = if formats.contains(ty) {
                format!(
                    "the page's type `{}` is read as {} with `format: {ty}`",
                    f.ty,
                    non_null.join(" or ")
                )
            } else {
                format!(
                    "the page says `{}`, the spec allows {}",
                    f.ty,
                    non_null.join(" or ")
                )
            };
            cx.push(
                Some(f.type_line),
                Kind::FieldType,
                &f.name,
                detail,
                Some(ptr.clone()),
            );
        }
        if let Some(s) = &schema {
            let (req, at) = schema_view::requirement(doc, s, &f.name);
            if req != f.requirement {
                cx.push(
                    Some(f.line),
                    Kind::FieldRequired,
                    &f.name,
                    format!(
                        "the page says {}, the spec {}",
                        f.requirement.as_str(),
                        req.as_str()
                    ),
                    Some(at),
                );
            }
        }
    }
    for (name, ptr) in &props {
        if !cx.page.fields.iter().any(|f| &f.name == name) {
            cx.push(
                None,
                Kind::FieldUndocumented,
                name,
                format!("the request schema has `{name}`; the page's field table does not list it"),
                Some(ptr.clone()),
            );
        }
    }
}

fn statuses(cx: &mut Ctx, op: &OperationIr) {
    let documented = cx.page.documented_statuses();
    for (status, line) in &documented {
        if op.response(*status).is_none() {
            cx.push(
                Some(*line),
                Kind::Status,
                &status.to_string(),
                format!("the page documents {status}; the spec has no such response"),
                Some(child(&op.pointer, &["responses"])),
            );
        }
    }
    for r in &op.responses {
        if !documented.iter().any(|(s, _)| *s == r.status) {
            let why = r
                .inferred
                .as_deref()
                .map(|w| format!(" (inferred: {w})"))
                .unwrap_or_default();
            cx.push(
                None,
                Kind::Status,
                &r.status.to_string(),
                format!("the spec declares {}{why}; the page never names it", r.status),
                Some(child(&op.pointer, &["responses", &r.status.to_string()])),
            );
        }
    }
}

fn headers(cx: &mut Ctx, op: &OperationIr) {
    for r in &op.responses {
        for h in &r.headers {
            if !cx.page.prose.contains(&h.name) {
                cx.push(
                    None,
                    Kind::Header,
                    &h.name,
                    format!(
                        "the spec declares the response header `{}`; the page never mentions it",
                        h.name
                    ),
                    Some(child(&r.pointer, &["headers", &h.name])),
                );
            }
        }
    }
}

/// An example of the spec that documents a sample of this page.
struct Documented<'a> {
    name: &'a str,
    pointer: &'a str,
    value: &'a Value,
    /// The `x-docs` line ranges on this page.
    ranges: Vec<(usize, usize)>,
}

impl Documented<'_> {
    fn overlaps(&self, s: &Sample) -> bool {
        self.ranges.iter().any(|(a, b)| s.overlaps(*a, *b))
    }
}

fn ranges(docs: &[DocRef], page: &str) -> Vec<(usize, usize)> {
    docs.iter()
        .filter(|d| d.page == page)
        .filter_map(|d| {
            let (a, b) = d.lines.split_once('-').unwrap_or((&d.lines, &d.lines));
            Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
        })
        .collect()
}

fn repairs(cx: &mut Ctx, s: &Sample) {
    for r in &s.repairs {
        cx.push(
            Some(r.line),
            Kind::SampleRepair,
            &r.subject(),
            format!("{} (not JSON)", r.detail),
            None,
        );
    }
}

fn requests(cx: &mut Ctx, op: &OperationIr) {
    let page = cx.page;
    let examples: Vec<Documented> = op
        .request
        .iter()
        .flat_map(|r| &r.examples)
        .filter_map(|e| {
            let pointer = e.pointer.as_str();
            let docs: Vec<DocRef> = cx
                .spec
                .at(&format!("{pointer}/x-docs"))
                .and_then(|v| serde_json::from_value(v.clone()).ok())
                .unwrap_or_default();
            let ranges = ranges(&docs, &page.name);
            (!ranges.is_empty()).then_some(Documented {
                name: &e.name,
                pointer,
                value: &e.value,
                ranges,
            })
        })
        .collect();
    let samples: Vec<&Sample> = page.requests.iter().collect();
    for s in &samples {
        repairs(cx, s);
    }
    let doc = &cx.spec.doc;
    let target = fix::Target {
        schema: op.request.as_ref().and_then(|r| resolved(doc, &r.schema_pointer)),
        examples: op
            .request
            .as_ref()
            .and_then(|r| r.examples.first())
            .and_then(|e| parent(&e.pointer)),
        sibling: None,
    };
    pair_and_compare(cx, samples, examples, "request", &target);
}

fn responses(cx: &mut Ctx, op: &OperationIr) {
    let page = cx.page;
    for s in &page.responses {
        repairs(cx, s);
    }
    let mut statuses: Vec<u16> = Vec::new();
    let on_page = page.responses.iter().filter_map(|s| s.status);
    for status in on_page.chain(op.responses.iter().map(|r| r.status)) {
        if !statuses.contains(&status) {
            statuses.push(status);
        }
    }
    for status in statuses {
        let Some(r) = op.response(status) else { continue };
        let samples: Vec<&Sample> = page
            .responses
            .iter()
            .filter(|s| s.status == Some(status) && s.value.is_some())
            .collect();
        let examples: Vec<Documented> = r
            .examples
            .iter()
            .filter_map(|e| {
                let ranges = ranges(&e.docs, &page.name);
                (!ranges.is_empty()).then_some(Documented {
                    name: &e.name,
                    pointer: &e.pointer,
                    value: &e.value,
                    ranges,
                })
            })
            .collect();
        let doc = &cx.spec.doc;
        let first = r.examples.first();
        let target = fix::Target {
            schema: r.schema_pointer.as_deref().and_then(|p| resolved(doc, p)),
            examples: first.and_then(|e| parent(&e.pointer)),
            sibling: first.and_then(|e| doc.pointer(&e.pointer)),
        };
        pair_and_compare(cx, samples, examples, &status.to_string(), &target);
    }
}

/// The pointer of the schema at `pointer`, `$ref`s followed.
fn resolved(doc: &Value, pointer: &str) -> Option<String> {
    schema_view::resolve(doc, pointer).map(|(at, _)| at)
}

/// The pointer one level up.
fn parent(pointer: &str) -> Option<String> {
    pointer.rsplit_once('/').map(|(p, _)| p.to_string())
}

/// The pages an example's `x-docs` cites, in order.
fn cited_pages<'a>(doc: &'a Value, example: &str) -> Vec<&'a str> {
    doc.pointer(&child(example, &["x-docs"]))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|d| d.get("page")?.as_str()).collect())
        .unwrap_or_default()
}

/// A way to pair a sample with an example.
type PairRule = dyn Fn(&Sample, &Documented) -> bool;

fn pair_and_compare(
    cx: &mut Ctx,
    samples: Vec<&Sample>,
    examples: Vec<Documented>,
    what: &str,
    target: &fix::Target,
) {
    let mut pairs: Vec<(&Sample, &Documented)> = Vec::new();
    let mut free_s: Vec<&Sample> = samples;
    let mut free_e: Vec<&Documented> = examples.iter().collect();
    let rules: [&PairRule; 2] = [
        &|s, e| s.message().is_some() && s.message() == e.value.get("message").and_then(Value::as_str),
        &|s, e| e.overlaps(s),
    ];
    for rule in rules {
        free_s.retain(|s| match free_e.iter().position(|e| rule(s, e)) {
            Some(k) => {
                pairs.push((s, free_e.remove(k)));
                false
            }
            None => true,
        });
    }
    if free_s.len() == 1 && free_e.len() == 1 {
        pairs.push((free_s.remove(0), free_e.remove(0)));
    }
    for (s, e) in pairs {
        compare_sample(cx, s, e, target);
    }
    for s in free_s {
        match s.message() {
            Some(m) => {
                let fix = fix::message(&cx.spec.doc, target, &cx.page.name, s, None);
                cx.push_fix(
                    Some(s.line_of_key("message")),
                    Kind::Message,
                    m,
                    format!("no {what} example of the spec documented from this page says `{m}`"),
                    target.examples.clone(),
                    Some(fix),
                )
            }
            None => cx.push(
                Some(s.start),
                Kind::SampleNew,
                what,
                format!("a {what} sample the spec has no example for"),
                None,
            ),
        }
    }
    for e in free_e {
        let lines: Vec<String> = e.ranges.iter().map(|(a, b)| format!("{a}-{b}")).collect();
        let fix = fix::sample_removed(&cx.spec.doc, e.pointer, &cx.page.name);
        cx.push_fix(
            None,
            Kind::SampleRemoved,
            e.name,
            format!(
                "the example `{}` cites lines {} of this page; no {what} sample there any more",
                e.name,
                lines.join(", ")
            ),
            Some(format!("{}/x-docs", e.pointer)),
            Some(fix),
        );
    }
}

fn compact(v: Option<&Value>) -> String {
    match v {
        None => "absent".to_string(),
        Some(v) => {
            let s = v.to_string();
            if s.chars().count() > 60 {
                format!("{}…", s.chars().take(60).collect::<String>())
            } else {
                s
            }
        }
    }
}

fn compare_sample(cx: &mut Ctx, s: &Sample, e: &Documented, target: &fix::Target) {
    if !e.overlaps(s) {
        let lines: Vec<String> = e.ranges.iter().map(|(a, b)| format!("{a}-{b}")).collect();
        let fix = fix::docs_lines(&cx.spec.doc, e.pointer, &cx.page.name, s);
        cx.push_fix(
            Some(s.start),
            Kind::DocsLines,
            e.name,
            format!(
                "`x-docs` says lines {}; the sample is now at {}-{}",
                lines.join(", "),
                s.start,
                s.end
            ),
            Some(format!("{}/x-docs", e.pointer)),
            Some(fix),
        );
    }
    let Some(Value::Object(docs)) = &s.value else {
        if s.value.as_ref() != Some(e.value) {
            cx.push(
                Some(s.start),
                Kind::SampleValue,
                "(whole sample)",
                format!(
                    "the page has {}, the spec {}",
                    compact(s.value.as_ref()),
                    compact(Some(e.value))
                ),
                Some(format!("{}/value", e.pointer)),
            );
        }
        return;
    };
    let ours = e.value.as_object();
    let mut keys: Vec<&String> = ours.map(|o| o.keys().collect()).unwrap_or_default();
    keys.extend(docs.keys().filter(|k| !ours.is_some_and(|o| o.contains_key(*k))));
    for key in keys {
        let (a, b) = (docs.get(key), e.value.get(key));
        if a == b {
            continue;
        }
        let pointer = match b {
            Some(_) => child(e.pointer, &["value", key]),
            None => child(e.pointer, &["value"]),
        };
        let detail = format!("the page has {}, the spec {}", compact(a), compact(b));
        if key == "message" {
            let subject = b.and_then(Value::as_str).unwrap_or(key);
            let doc = &cx.spec.doc;
            let paired = fix::Paired {
                pointer: e.pointer,
                pages: cited_pages(doc, e.pointer),
            };
            let fix = fix::message(doc, target, &cx.page.name, s, Some(&paired));
            cx.push_fix(
                Some(s.line_of_key(key)),
                Kind::Message,
                subject,
                detail,
                Some(pointer),
                Some(fix),
            );
        } else {
            cx.push(
                Some(s.line_of_key(key)),
                Kind::SampleValue,
                key,
                detail,
                Some(pointer),
            );
        }
    }
}
