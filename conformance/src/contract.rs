//! The contract, loaded once: the spec embedded at build time, its operation IR, and compiled
//! validators for every request and response body. The mock, the runner and `validate` all
//! read the contract from here; none of them restates a rule of the spec.

use std::sync::OnceLock;

use contract_model::Spec;
use contract_model::diagnostics::Diagnostics;
use contract_model::ir::{Api, OperationIr};
use contract_model::routes::RouteTable;
use contract_model::spec::check::check_document;
use contract_model::spec::validators::{CompiledSchema, SchemaRegistry};

use crate::markers::{self, Channel, RateLimit};

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
}

/// One operation with its compiled validators.
pub struct OperationContract {
    pub ir: OperationIr,
    /// The request body schema, when the operation takes a body.
    pub request: Option<CompiledSchema>,
    /// The schema of the path parameters, in template order.
    pub path_params: Vec<CompiledSchema>,
    /// Response body schemas by status code.
    pub responses: Vec<(u16, CompiledSchema)>,
    /// The channels the request body names destinations on (`x-destination`).
    pub destinations: Vec<Channel>,
}

impl OperationContract {
    pub fn response_schema(&self, status: u16) -> Option<&CompiledSchema> {
        self.responses.iter().find(|(s, _)| *s == status).map(|(_, c)| c)
    }

    /// The concrete path for the given parameter values (percent-encoded).
    pub fn path_for(&self, params: &[&str]) -> String {
        let mut out = String::new();
        let mut values = params.iter();
        for seg in self.ir.path.split('/').skip(1) {
            out.push('/');
            if seg.starts_with('{') && seg.ends_with('}') {
                let v = values.next().copied().unwrap_or_default();
                out.push_str(&contract_runtime::encode::path(v).to_string());
            } else {
                out.push_str(seg);
            }
        }
        out
    }
}

impl Contract {
    /// Parses, checks and compiles a spec (the sample corpus is checked at build time, not here).
    pub fn from_source(path: &str, source: String) -> Result<Contract, Diagnostics> {
        let spec = Spec::parse(path, source)?;
        let api = check_document(&spec)?;
        let registry = SchemaRegistry::new(&spec)?;
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
                responses,
                destinations,
            });
        }
        let routes = RouteTable::new(&api.operations);
        let token_env = markers::token_env(&spec)?;
        let rate_limit = markers::rate_limit(&spec)?;
        let link_base = markers::link_base(&spec);
        Ok(Contract {
            spec,
            api,
            operations,
            routes,
            token_env,
            rate_limit,
            link_base,
        })
    }

    /// The embedded contract. It was checked when this binary was built, so this cannot fail.
    pub fn embedded() -> &'static Contract {
        static CONTRACT: OnceLock<Contract> = OnceLock::new();
        CONTRACT.get_or_init(|| {
            Contract::from_source(SPEC_PATH, SPEC_SOURCE.to_string())
                .unwrap_or_else(|d| panic!("the embedded spec was checked by build.rs, yet: {d}"))
        })
    }

    pub fn operation(&self, id: &str) -> Option<&OperationContract> {
        self.operations.iter().find(|o| o.ir.id == id)
    }

    /// The operation serving `method` + `path`, with its raw path parameter values.
    pub fn route(&self, method: &str, path: &str) -> Option<(&OperationContract, Vec<String>)> {
        let m = self.routes.find(method, path)?;
        Some((
            &self.operations[m.index],
            m.params().map(str::to_string).collect(),
        ))
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
