//! The request handler: one function decides every answer, in the documented order.
//!
//! Routing (unknown route 404, wrong method 405 with `Allow`) → body size (413) →
//! authentication (401) → payload (417) → lookup (404) → state (400, 510) → success (202).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use bytes::{Bytes, BytesMut};
use contract_model::ir::params::Location;
use contract_model::routes::decode_param;
use contract_model::spec::replay::ResourceState;
use futures::StreamExt;
use http::header::{ALLOW, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use subtle::ConstantTimeEq;

use super::answers::{Answer, EnvelopeShape, OperationAnswers, envelope_shape, operation_answers};
use super::fixtures::Fixtures;
use super::outbox::{Delivery, Outbox, now_secs};
use super::payload::PayloadRules;
use super::{BODY_LIMIT, BODY_TIMEOUT, MockConfig};
use crate::contract::{Contract, OperationContract};

/// The admin routes, outside the contract's paths.
pub const OUTBOX_PATH: &str = "/__mock/outbox";
pub const FIXTURES_PATH: &str = "/__mock/fixtures";

/// What the contract fixes for one operation, built once per mock.
struct OperationPlan {
    answers: OperationAnswers,
    rules: Option<PayloadRules>,
}

struct Plans {
    operations: Vec<OperationPlan>,
    shape: EnvelopeShape,
}

fn plans(contract: &Contract) -> Plans {
    let shape = envelope_shape(contract);
    let operations = contract
        .operations
        .iter()
        .map(|op| OperationPlan {
            answers: operation_answers(op, &shape),
            rules: PayloadRules::new(contract, op),
        })
        .collect();
    Plans { operations, shape }
}

pub struct Mock {
    contract: &'static Contract,
    plans: Plans,
    token: Vec<u8>,
    /// Resource kind → identifier → state (`missing` is never stored).
    store: HashMap<String, HashMap<String, ResourceState>>,
    fixtures_json: Bytes,
    outbox: Mutex<Outbox>,
    route_not_found: Answer,
    too_large: Answer,
    timeout: Answer,
    bad_body: Answer,
    method_not_allowed: Answer,
}

impl Mock {
    pub fn new(config: &MockConfig) -> Mock {
        let contract = config.contract;
        let plans = plans(contract);
        let seeded = seeded(contract, &config.fixtures);
        let mut store: HashMap<String, HashMap<String, ResourceState>> = HashMap::new();
        for (resource, states) in &seeded {
            let ids = store.entry(resource.clone()).or_default();
            for (state, id) in states {
                ids.insert(id.clone(), state.clone());
            }
        }
        let shape = &plans.shape;
        let (route_not_found, too_large, timeout, bad_body, method_not_allowed) = (
            shape.answer(StatusCode::NOT_FOUND),
            shape.answer(StatusCode::PAYLOAD_TOO_LARGE),
            shape.answer(StatusCode::REQUEST_TIMEOUT),
            shape.answer(StatusCode::BAD_REQUEST),
            shape.answer(StatusCode::METHOD_NOT_ALLOWED),
        );
        Mock {
            contract,
            plans,
            token: config.token.as_bytes().to_vec(),
            store,
            fixtures_json: Bytes::from(serde_json::to_vec(&seeded).unwrap_or_default()),
            outbox: Mutex::new(Outbox::new(config.outbox_capacity)),
            route_not_found,
            too_large,
            timeout,
            bad_body,
            method_not_allowed,
        }
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let Some(value) = headers.get(AUTHORIZATION) else {
            return false;
        };
        let value = value.as_bytes();
        let Some((scheme, token)) = value.split_at_checked(7) else {
            return false;
        };
        // Constant time over the token's bytes; only its length can leak.
        scheme.eq_ignore_ascii_case(b"bearer ") && bool::from(token.ct_eq(&self.token))
    }

    fn outbox(&self) -> std::sync::MutexGuard<'_, Outbox> {
        // A panic while holding the lock cannot leave the outbox inconsistent: keep serving.
        self.outbox.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The fixtures the store actually holds: `missing` ids are never created, and states the
/// contract documents no answer for are left out (`start` refuses them first).
fn seeded(contract: &Contract, fixtures: &Fixtures) -> Fixtures {
    let resources = contract.resources();
    let mut out = Fixtures::new();
    for (resource, states) in fixtures {
        if !resources.contains(&resource.as_str()) {
            continue;
        }
        let answerable: Vec<ResourceState> = contract
            .operations
            .iter()
            .filter(|o| o.ir.resource.as_deref() == Some(resource.as_str()))
            .flat_map(super::fixtures::fixture_states)
            .collect();
        let kept = states
            .iter()
            .filter(|(s, _)| !s.is_missing() && answerable.contains(s))
            .map(|(s, id)| (s.clone(), id.clone()))
            .collect();
        out.insert(resource.clone(), kept);
    }
    out
}

fn json(answer: &Answer) -> Response {
    let mut r = Response::new(Body::from(answer.body.clone()));
    *r.status_mut() = answer.status;
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

fn not_allowed(m: &Mock, allow: &str) -> Response {
    let mut r = json(&m.method_not_allowed);
    if let Ok(v) = HeaderValue::from_str(allow) {
        r.headers_mut().insert(ALLOW, v);
    }
    r
}

enum BodyError {
    TooLarge,
    TimedOut,
    Broken,
}

/// Reads the whole body, refusing it as soon as it passes the limit.
async fn read_body(headers: &HeaderMap, body: Body) -> Result<Bytes, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut stream = body.into_data_stream();
    if declared.is_some_and(|n| n > BODY_LIMIT as u64) {
        if super::drain::worth_draining(headers) {
            super::drain::drain(&mut stream).await;
        }
        return Err(BodyError::TooLarge);
    }
    let read = async {
        let stream = &mut stream;
        // Most bodies arrive in one chunk: keep it as is, copy only when there are more.
        let Some(first) = stream.next().await else {
            return Ok(Bytes::new());
        };
        let first = first.map_err(|_| BodyError::Broken)?;
        if first.len() > BODY_LIMIT {
            return Err(BodyError::TooLarge);
        }
        let Some(second) = stream.next().await else {
            return Ok(first);
        };
        let mut buf = BytesMut::from(first);
        let mut next = Some(second);
        while let Some(chunk) = next {
            let chunk = chunk.map_err(|_| BodyError::Broken)?;
            if buf.len() + chunk.len() > BODY_LIMIT {
                return Err(BodyError::TooLarge);
            }
            buf.extend_from_slice(&chunk);
            next = stream.next().await;
        }
        Ok(buf.freeze())
    };
    let result = {
        let mut read = std::pin::pin!(read);
        // A body that came with the head is complete at the first poll: arm the timer only
        // for one still on its way.
        match futures::poll!(read.as_mut()) {
            Poll::Ready(result) => result,
            Poll::Pending => tokio::time::timeout(Duration::from_secs(BODY_TIMEOUT), read)
                .await
                .unwrap_or(Err(BodyError::TimedOut)),
        }
    };
    if matches!(result, Err(BodyError::TooLarge)) && super::drain::worth_draining(headers) {
        super::drain::drain(&mut stream).await;
    }
    result
}

/// The handler as an axum fallback (see [`super::app`]).
pub async fn handle(State(m): State<Arc<Mock>>, req: Request) -> Response {
    respond(&m, req).await
}

/// Answers one request.
pub async fn respond(m: &Mock, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    match path {
        OUTBOX_PATH | FIXTURES_PATH => return admin(m, path, &parts.method, &parts.headers),
        _ => {}
    }
    let contract: &'static Contract = m.contract;
    let plans = &m.plans;
    let Some(route) = contract.routes.find(parts.method.as_str(), path) else {
        let allowed = contract.methods_for(path);
        return if allowed.is_empty() {
            json(&m.route_not_found)
        } else {
            not_allowed(m, &allowed.join(", "))
        };
    };
    let op = &contract.operations[route.index];
    let plan = &plans.operations[route.index];
    let bytes = match read_body(&parts.headers, body).await {
        Ok(b) => b,
        Err(BodyError::TooLarge) => return json(&m.too_large),
        Err(BodyError::TimedOut) => return json(&m.timeout),
        Err(BodyError::Broken) => return json(&m.bad_body),
    };
    if !m.authorized(&parts.headers) {
        return json(&plan.answers.unauthenticated);
    }
    if let Some(answer) = check_params(op, plan, &parts) {
        return answer;
    }
    let request = match (&plan.rules, &op.request) {
        (Some(rules), Some(schema)) => {
            let ct = parts.headers.get(CONTENT_TYPE).map(HeaderValue::as_bytes);
            match rules.check(schema, ct, &bytes) {
                Ok(v) => Some(v),
                Err(errors) => return json(&plan.answers.invalid.render(errors)),
            }
        }
        _ => None,
    };
    // Checked as sent (each style decodes its own pieces), looked up decoded.
    let valid = route.params().count() == op.path_params.len()
        && route
            .params()
            .enumerate()
            .all(|(i, raw)| op.path_param_valid(i, raw));
    let ids: Option<Vec<Cow<'_, str>>> = route.params().map(decode_param).collect();
    let resource: &'static str = op.ir.resource.as_deref().unwrap_or_default();
    let state = ids
        .as_ref()
        .filter(|_| valid)
        .and_then(|ids| match &plan.answers.stateless {
            Some(state) => Some(state),
            None => m.store.get(resource)?.get(ids.first()?.as_ref()),
        })
        .map_or(ResourceState::MISSING, ResourceState::as_str);
    let Some(answer) = plan.answers.for_state(state) else {
        return json(&m.route_not_found);
    };
    // Any state whose documented answer is a success delivers.
    if answer.status.is_success()
        && let (Some(request), Some(id)) = (&request, ids.as_ref().and_then(|i| i.first()))
    {
        // Built before taking the lock, so the lock is held only to push.
        let at = now_secs();
        let deliveries: Vec<Delivery> = op
            .destinations
            .iter()
            .filter_map(|channel| {
                Some(Delivery {
                    operation: &op.ir.id,
                    resource,
                    id: id.to_string(),
                    channel: &channel.name,
                    to: channel.destination(request)?,
                    link_base: &m.contract.link_base,
                    at,
                })
            })
            .collect();
        let mut outbox = m.outbox();
        for d in deliveries {
            outbox.push(d);
        }
    }
    json(answer)
}

/// The `bad_params` answer when the query, header or cookie parameters are wrong.
fn check_params(
    op: &OperationContract,
    plan: &OperationPlan,
    parts: &http::request::Parts,
) -> Option<Response> {
    if op.params.iter().all(|p| p.ir.location == Location::Path) {
        return None;
    }
    let problems = op.param_problems(parts.uri.query(), &parts.headers);
    (!problems.is_empty()).then(|| {
        json(
            &plan
                .answers
                .bad_params
                .render(super::answers::param_errors(&problems)),
        )
    })
}

/// The admin routes: wrong method 405, then the mock's bearer token is required (401), since
/// the outbox holds the addresses links were sent to.
fn admin(m: &Mock, path: &str, method: &Method, headers: &HeaderMap) -> Response {
    let allowed = if path == OUTBOX_PATH { "GET, DELETE" } else { "GET" };
    let known = *method == Method::GET || (path == OUTBOX_PATH && *method == Method::DELETE);
    if !known {
        return not_allowed(m, allowed);
    }
    if !m.authorized(headers) {
        let mut resp = json(&Answer {
            status: StatusCode::UNAUTHORIZED,
            body: Bytes::from_static(br#"{"message":"the mock's admin routes need its bearer token"}"#),
        });
        resp.headers_mut()
            .insert(http::header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return resp;
    }
    if path == OUTBOX_PATH {
        outbox(m, method)
    } else {
        json(&Answer {
            status: StatusCode::OK,
            body: m.fixtures_json.clone(),
        })
    }
}

fn outbox(m: &Mock, method: &Method) -> Response {
    match *method {
        Method::GET => {
            let body = serde_json::to_vec(&m.outbox().view()).unwrap_or_default();
            json(&Answer {
                status: StatusCode::OK,
                body: Bytes::from(body),
            })
        }
        Method::DELETE => {
            m.outbox().clear();
            StatusCode::NO_CONTENT.into_response()
        }
        _ => not_allowed(m, "GET, DELETE"),
    }
}
