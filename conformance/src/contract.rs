//! The contract, loaded once: the spec embedded at build time (or one named by `--spec`), its
//! operation IR, compiled validators for every request and response body, and its conformance
//! cases. The mock, the runner and `validate` all read the contract from here; none of them
//! restates a rule of the spec.

use std::sync::OnceLock;

use contract_model::Spec;
use contract_model::diagnostics::Diagnostics;
use contract_model::ir::{Api, OperationIr};
use contract_model::routes::RouteTable;
use contract_model::spec::check::check_document;
use contract_model::spec::validators::{CompiledSchema, Prebuilt, SchemaRegistry};

use crate::cases::{Case, SampleFile};
use crate::markers::{self, Channel, ErrorEnvelope, RateLimit};
use crate::params::{ParamContract, ParamProblem};

/// The spec, as it was when this binary was built (build.rs checks it and reruns on change).
pub const SPEC_SOURCE: &str = include_str!("../../spec/frontpayment.openapi.yaml");
/// The name the embedded spec goes by in diagnostics.
pub const SPEC_PATH: &str = "spec/frontpayment.openapi.yaml";

pub struct Contract {
    pub spec: Spec,
    pub api: Api,
    pub operations: Vec<OperationContract>,
    /// The operations' path templates, matched without allocating (index = operation index).
    pub routes: RouteTable,
    /// The variable the bearer token is read from by default (`x-token-env`).
    pub token_env: String,
    /// The headers a server reports its request budget in (`x-rate-limit`), if marked.
    pub rate_limit: Option<RateLimit>,
    /// Where the mock's links point (see [`markers::link_base`]).
    pub link_base: String,
    /// Which fields of the failure envelope carry what (`x-error-envelope`), if declared.
    pub error_envelope: Option<ErrorEnvelope>,
    /// The conformance cases its `x-replay` plans describe, in spec order.
    pub cases: Vec<Case>,
}

/// One operation with its compiled validators.
pub struct OperationContract {
    pub ir: OperationIr,
    /// The request body schema, when the operation takes a body.
    pub request: Option<CompiledSchema>,
    /// The schema of the path parameters, in template order.
    pub path_params: Vec<CompiledSchema>,
    /// Every parameter (path, query, header, cookie) with its schema, in the IR's order.
    pub params: Vec<ParamContract>,
    /// Response body schemas by status code.
    pub responses: Vec<(u16, CompiledSchema)>,
    /// The channels the request body names destinations on (`x-destination`).
    pub destinations: Vec<Channel>,
}

impl OperationContract {
    pub fn response_schema(&self, status: u16) -> Option<&CompiledSchema> {
        self.responses.iter().find(|(s, _)| *s == status).map(|(_, c)| c)
    }

    /// Whether `raw`, the text (still percent-encoded) path parameter `i`'s template
    /// expression matched, passes its schema.
    pub fn path_param_valid(&self, i: usize, raw: &str) -> bool {
        self.path_param_problem(i, raw).is_none()
    }

    /// What is wrong with `raw`, the text path parameter `i`'s template expression matched:
    /// read by its style, checked against its schema (see [`crate::params`]).
    pub fn path_param_problem(&self, i: usize, raw: &str) -> Option<ParamProblem> {
        let name = &self.ir.path_params.get(i)?.name;
        let param = self
            .params
            .iter()
            .find(|p| p.ir.location == contract_model::ir::params::Location::Path && p.ir.name == *name)?;
        param.check_path(raw)
    }

    /// The query, header and cookie parameters `query` (without `?`) and `headers` get wrong.
    pub fn param_problems(&self, query: Option<&str>, headers: &http::HeaderMap) -> Vec<ParamProblem> {
        crate::params::check(&self.params, query, headers)
    }

    /// The concrete path for the given path parameter values (strings), in template order.
    pub fn path_for(&self, params: &[&str]) -> String {
        let values: Vec<serde_json::Value> = params.iter().map(|p| serde_json::Value::from(*p)).collect();
        self.path_for_values(&values)
    }

    /// The concrete path for the given path parameter values, in template order, each written
    /// in its `style` by `contract_runtime::params` (percent-encoded).
    pub fn path_for_values(&self, values: &[serde_json::Value]) -> String {
        use contract_model::ir::params::{Location, TemplatePart, template_parts};
        let mut out = String::new();
        let mut values = values.iter();
        for part in template_parts(&self.ir.path) {
            match part {
                TemplatePart::Literal(text) => out.push_str(text),
                TemplatePart::Param(name) => {
                    let value = values.next().cloned().unwrap_or_default();
                    let param = self
                        .params
                        .iter()
                        .find(|p| p.ir.location == Location::Path && p.ir.name == name);
                    let written = match param {
                        Some(p) => {
                            contract_runtime::params::write_path(&name, crate::params::format(&p.ir), &value)
                                .ok()
                        }
                        None => None,
                    };
                    out.push_str(&written.unwrap_or_else(|| {
                        contract_runtime::encode::path(value.as_str().unwrap_or_default()).to_string()
                    }));
                }
            }
        }
        out
    }
}

impl Contract {
    /// Reads, checks and compiles the spec at `path` (`--spec FILE`), with the invalid samples
    /// of the `samples/` folder beside it. Every problem names the file, line and pointer.
    pub fn load(path: &std::path::Path) -> Result<Contract, Diagnostics> {
        let spec = Spec::load(path)?;
        let samples = read_samples_beside(&spec)?;
        Contract::build(spec, samples, &[])
    }

    /// Leaks a contract for the rest of the process (the CLI and tests run one contract each).
    pub fn leak(self) -> &'static Contract {
        Box::leak(Box::new(self))
    }

    /// Parses, checks and compiles a spec (the sample corpus is checked at build time, not
    /// here), with the invalid samples beside `path` when that folder exists.
    pub fn from_source(path: &str, source: String) -> Result<Contract, Diagnostics> {
        let spec = Spec::parse(path, source)?;
        let samples = read_samples_beside(&spec)?;
        Contract::build(spec, samples, &[])
    }

    /// The contract of `--spec FILE`, leaked for the rest of the process, or the embedded one.
    pub fn load_or_embedded(spec: Option<&std::path::Path>) -> Result<&'static Contract, Diagnostics> {
        match spec {
            None => Ok(Contract::embedded()),
            Some(path) => Contract::load(path).map(Contract::leak),
        }
    }

    /// `samples`: the invalid samples, `None` when the spec has no `samples/` folder (its
    /// `samples: invalid` plans then add no case).
    ///
    /// `prebuilt`: validators generated at build time for this very spec (the embedded one).
    fn build(
        spec: Spec,
        samples: Option<Vec<SampleFile>>,
        prebuilt: &'static [Prebuilt],
    ) -> Result<Contract, Diagnostics> {
        let api = check_document(&spec)?;
        let registry = SchemaRegistry::new(&spec)?.with_prebuilt(prebuilt);
        let mut operations = Vec::new();
        for ir in &api.operations {
            let request = match &ir.request {
                Some(r) => Some(registry.compile(&spec, &r.schema_pointer)?),
                None => None,
            };
            let path_params = ir
                .path_params
                .iter()
                .map(|p| registry.compile(&spec, &p.schema_pointer))
                .collect::<Result<Vec<_>, _>>()?;
            let params = ir
                .params
                .iter()
                .map(|p| {
                    Ok(ParamContract::new(
                        &spec,
                        p.clone(),
                        registry.compile(&spec, &p.schema_pointer)?,
                    ))
                })
                .collect::<Result<Vec<_>, contract_model::diagnostics::Diagnostic>>()?;
            let mut responses = Vec::new();
            for r in &ir.responses {
                if let Some(p) = &r.schema_pointer {
                    responses.push((r.status, registry.compile(&spec, p)?));
                }
            }
            let destinations = match &ir.request {
                Some(r) => markers::destinations(&spec, &r.schema_pointer)?,
                None => Vec::new(),
            };
            operations.push(OperationContract {
                ir: ir.clone(),
                request,
                path_params,
                params,
                responses,
                destinations,
            });
        }
        let routes = RouteTable::new(&api.operations);
        let token_env = markers::token_env(&spec)?;
        let rate_limit = markers::rate_limit(&spec)?;
        let link_base = markers::link_base(&spec);
        let error_envelope = markers::error_envelope(&spec)?;
        // The derivation names pointers only: locate them in this spec.
        let cases = contract_model::cases::derive_with(&api, samples.as_deref()).map_err(|d| {
            Diagnostics(
                d.0.into_iter()
                    .map(|e| {
                        let mut located = spec.diag(&e.pointer, e.message);
                        located.hint = e.hint;
                        located
                    })
                    .collect(),
            )
        })?;
        Ok(Contract {
            spec,
            api,
            operations,
            routes,
            token_env,
            rate_limit,
            link_base,
            error_envelope,
            cases,
        })
    }

    /// The embedded contract. It was checked when this binary was built, so this cannot fail.
    pub fn embedded() -> &'static Contract {
        static CONTRACT: OnceLock<Contract> = OnceLock::new();
        CONTRACT.get_or_init(|| {
            Spec::parse(SPEC_PATH, SPEC_SOURCE.to_string())
                .and_then(|spec| {
                    Contract::build(
                        spec,
                        Some(crate::cases::embedded_samples()),
                        crate::prebuilt::PREBUILT,
                    )
                })
                .unwrap_or_else(|d| panic!("the embedded spec was checked by build.rs, yet: {d}"))
        })
    }

    /// Every required query, header or cookie parameter of an operation with cases that has
    /// nothing documented to send (see [`crate::params::example`]): the runner cannot build a
    /// valid request, so `run` refuses the spec. The mock and the proxy need no examples.
    pub fn unsendable_params(&self) -> Result<(), Diagnostics> {
        let mut problems = Vec::new();
        let with_cases = self
            .operations
            .iter()
            .filter(|o| self.cases.iter().any(|c| c.operation == o.ir.id));
        for op in with_cases {
            for p in op
                .params
                .iter()
                .filter(|p| p.ir.required && p.ir.location != contract_model::ir::params::Location::Path)
            {
                if crate::params::example(&self.spec, &p.ir).is_none() {
                    problems.push(
                        self.spec
                            .diag(
                                &p.ir.pointer,
                                format!(
                                    "required {} parameter `{}` of `{}` has no example: the conformance suite has no value to send",
                                    p.ir.location.as_str(),
                                    p.ir.name,
                                    op.ir.id
                                ),
                            )
                            .hint("add `example:` to the parameter (or `examples`, `enum` or `default` to its schema)"),
                    );
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Diagnostics(problems))
        }
    }

    pub fn operation(&self, id: &str) -> Option<&OperationContract> {
        self.operations.iter().find(|o| o.ir.id == id)
    }

    /// The operation serving `method` + `path`, with its raw path parameter values.
    pub fn route<'p>(&self, method: &str, path: &'p str) -> Option<(&OperationContract, Vec<&'p str>)> {
        let m = self.routes.find(method, path)?;
        Some((&self.operations[m.index], m.params().collect()))
    }

    /// Methods allowed on `path` (for 405 `Allow` headers), upper-case.
    pub fn methods_for(&self, path: &str) -> Vec<&str> {
        self.routes.methods_for(path)
    }

    /// The resource kinds named by `x-resource` (fixture sections), in spec order.
    pub fn resources(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for o in &self.operations {
            if let Some(r) = o.ir.resource.as_deref()
                && !out.contains(&r)
            {
                out.push(r);
            }
        }
        out
    }

    /// The states the plans of `resource`'s operations declare, in first-use order: the keys a
    /// profile's `fixtures.<resource>` may use (`missing` included, `unauthenticated` not).
    pub fn states(&self, resource: &str) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for op in self
            .operations
            .iter()
            .filter(|o| o.ir.resource.as_deref() == Some(resource))
        {
            for s in contract_model::cases::declared_states(&op.ir) {
                if !out.contains(&s.as_str()) {
                    out.push(s.as_str());
                }
            }
        }
        out
    }

    /// Every request property that names a destination on some operation, in spec order:
    /// the keys a profile's `deliver_to` may use.
    pub fn destination_fields(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for f in self
            .operations
            .iter()
            .flat_map(|o| &o.destinations)
            .flat_map(|c| &c.fields)
        {
            if !out.contains(&f.as_str()) {
                out.push(f);
            }
        }
        out
    }
}

/// The `samples/invalid/` files beside the spec's file; `None` when there is no `samples/`.
fn read_samples_beside(spec: &Spec) -> Result<Option<Vec<SampleFile>>, Diagnostics> {
    spec.samples_dir()
        .map(|dir| contract_model::cases::read_invalid_samples(&dir))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_paths_round_trip() {
        let c = Contract::embedded();
        let (op, params) = c.route("POST", "/api/v1/connect/orders/resend/ODR123").unwrap();
        assert_eq!(op.ir.id, "resendOrderPaymentLink");
        assert_eq!(params, ["ODR123"]);
        assert_eq!(
            op.path_for(&["ODR 1/2"]),
            "/api/v1/connect/orders/resend/ODR%201%2F2"
        );
        assert!(c.route("GET", "/api/v1/connect/orders/resend/ODR123").is_none());
        assert_eq!(c.methods_for("/api/v1/connect/orders/resend/x"), ["POST"]);
        assert_eq!(c.resources(), ["orders", "reservations"]);
    }
}
