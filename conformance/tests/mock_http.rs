//! The mock over real HTTP: every documented example, the order of checks, the samples, the
//! outbox, the fixtures and bad input. Expectations come from the spec, not from this file.

use std::path::Path;

use conformance::contract::{Contract, OperationContract};
use conformance::mock::{self, BODY_LIMIT, DEFAULT_TOKEN, MockConfig, MockHandle};
use conformance::profile::Profile;
use contract_model::spec::replay::{Auth, ResourceState, SampleSet};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

fn client() -> Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder().build().unwrap()
}

async fn start(config: MockConfig) -> MockHandle {
    mock::start(config).await.expect("mock starts")
}

fn contract() -> &'static Contract {
    Contract::embedded()
}

fn op_for(resource: &str) -> &'static OperationContract {
    contract()
        .operations
        .iter()
        .find(|o| o.ir.resource.as_deref() == Some(resource))
        .unwrap()
}

fn url(h: &MockHandle, op: &OperationContract, id: &str) -> String {
    format!("{}{}", h.url, op.path_for(&[id]))
}

fn request_example(op: &OperationContract, name: &str) -> Value {
    op.ir
        .request
        .as_ref()
        .unwrap()
        .example(name)
        .unwrap()
        .value
        .clone()
}

/// The envelope field holding the status: the one equal to the status in a documented example.
fn status_key() -> String {
    let op = &contract().operations[0];
    let r = op.ir.response(404).unwrap();
    let v = r.examples[0].value.as_object().unwrap();
    v.iter()
        .find(|(_, v)| v.as_u64() == Some(404))
        .map(|(k, _)| k.clone())
        .unwrap()
}

/// Reads a JSON answer, checking the envelope's status field equals the HTTP status.
async fn body(r: Response) -> (StatusCode, Value) {
    let status = r.status();
    assert_eq!(
        r.headers().get("content-type").unwrap(),
        "application/json",
        "{status}"
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v[status_key()], status.as_u16(), "{v}");
    (status, v)
}

async fn post(c: &Client, url: &str, token: Option<&str>, json: &Value) -> Response {
    let mut rq = c
        .post(url)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(json).unwrap());
    if let Some(t) = token {
        rq = rq.bearer_auth(t);
    }
    rq.send().await.unwrap()
}

fn samples(set: SampleSet) -> Vec<(String, Vec<u8>)> {
    let dir = match set {
        SampleSet::Invalid => "invalid",
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/samples")
        .join(dir);
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// Replays every response example of the spec the way its `x-replay` plan says, and checks
/// the status, the `exact` fields byte for byte, and the rest against the response schema.
#[tokio::test]
async fn every_documented_example_is_answered_as_documented() {
    let config = MockConfig::from_contract_defaults();
    let fixtures = config.fixtures.clone();
    let h = start(config).await;
    let c = client();
    let mut cases = 0;
    for op in &contract().operations {
        let resource = op.ir.resource.as_deref().unwrap();
        let ids = &fixtures[resource];
        for response in &op.ir.responses {
            for example in &response.examples {
                let plan = example.replay.as_ref().unwrap();
                let id = match contract_model::cases::fixture_state(&op.ir, &plan.state) {
                    s if s.is_missing() => format!("{}9", ids["open"]),
                    s => ids[&s].clone(),
                };
                let mut bodies: Vec<Vec<u8>> = plan
                    .request_names()
                    .iter()
                    .map(|n| serde_json::to_vec(&request_example(op, n)).unwrap())
                    .collect();
                if let Some(b) = &plan.body {
                    bodies.push(serde_json::to_vec(b).unwrap());
                }
                if let Some(set) = plan.samples {
                    bodies.extend(samples(set).into_iter().map(|(_, b)| b));
                }
                let tokens: Vec<Option<String>> = if plan.auth.is_empty() {
                    vec![Some(DEFAULT_TOKEN.to_string())]
                } else {
                    plan.auth
                        .iter()
                        .map(|a| match a {
                            Auth::None => None,
                            Auth::Wrong => Some(format!("{DEFAULT_TOKEN}-wrong")),
                        })
                        .collect()
                };
                for token in &tokens {
                    for b in &bodies {
                        let mut rq = c
                            .post(url(&h, op, &id))
                            .header("content-type", "application/json")
                            .body(b.clone());
                        if let Some(t) = token {
                            rq = rq.bearer_auth(t);
                        }
                        let r = rq.send().await.unwrap();
                        let what = format!("{} {} {}", op.ir.id, response.status, example.name);
                        assert_eq!(r.status().as_u16(), response.status, "{what}");
                        let raw = r.bytes().await.unwrap();
                        let v: Value = serde_json::from_slice(&raw).unwrap();
                        let schema = op.response_schema(response.status).unwrap();
                        assert!(schema.is_valid(&v), "{what}: {v}");
                        for pointer in plan.exact_pointers() {
                            let want =
                                serde_json::to_string(example.value.pointer(&pointer).unwrap()).unwrap();
                            let got = serde_json::to_string(v.pointer(&pointer).unwrap()).unwrap();
                            assert_eq!(got, want, "{what} {pointer}");
                        }
                        if plan
                            .fields
                            .values()
                            .all(|m| *m == contract_model::spec::replay::Match::Exact)
                        {
                            assert_eq!(raw, serde_json::to_vec(&example.value).unwrap(), "{what}");
                        }
                        cases += 1;
                    }
                }
            }
        }
    }
    assert!(cases > 20, "only {cases} cases");
    h.shutdown().await;
}

/// One row per step of the documented order: each request breaks every later check too.
#[tokio::test]
async fn checks_run_in_the_documented_order() {
    let config = MockConfig::from_contract_defaults();
    let f = config.fixtures.clone();
    let h = start(config).await;
    let c = client();
    for (resource, ids) in &f {
        let op = op_for(resource);
        let invalid = op.ir.response(417).unwrap().examples[0]
            .replay
            .as_ref()
            .unwrap()
            .body
            .clone()
            .unwrap();
        let valid = request_example(op, "emailOnly");
        let missing = format!("{}9", ids["open"]);
        let paid_like = ids
            .iter()
            .find(|(s, _)| op.ir.response(400).is_some() && !matches!(s.as_str(), "open" | "failing"))
            .map(|(_, id)| id.clone())
            .unwrap();
        // 401 beats 417 (and 404): no token, invalid body, unknown id.
        let r = post(&c, &url(&h, op, &missing), None, &invalid).await;
        assert_eq!(body(r).await.0, 401);
        let r = post(&c, &url(&h, op, &missing), Some("nope"), &invalid).await;
        assert_eq!(body(r).await.0, 401);
        // 417 beats 404: invalid body, unknown id.
        let r = post(&c, &url(&h, op, &missing), Some(DEFAULT_TOKEN), &invalid).await;
        assert_eq!(body(r).await.0, 417);
        // 417 beats 400 and 510.
        for id in [&paid_like, &ids["failing"]] {
            let r = post(&c, &url(&h, op, id), Some(DEFAULT_TOKEN), &invalid).await;
            assert_eq!(body(r).await.0, 417);
        }
        // 404: unknown id, and an id that cannot be one (fails the parameter schema).
        for id in [missing.as_str(), "-not-an-id", "a.b"] {
            let r = post(&c, &url(&h, op, id), Some(DEFAULT_TOKEN), &valid).await;
            assert_eq!(body(r).await.0, 404, "{id}");
        }
        let r = post(&c, &url(&h, op, &paid_like), Some(DEFAULT_TOKEN), &valid).await;
        assert_eq!(body(r).await.0, 400);
        let r = post(&c, &url(&h, op, &ids["failing"]), Some(DEFAULT_TOKEN), &valid).await;
        assert_eq!(body(r).await.0, 510);
        let r = post(&c, &url(&h, op, &ids["open"]), Some(DEFAULT_TOKEN), &valid).await;
        assert_eq!(body(r).await.0, 202);
        // The scheme name is case-insensitive (RFC 9110).
        let r = c
            .post(url(&h, op, &ids["open"]))
            .header("authorization", format!("bEaReR {DEFAULT_TOKEN}"))
            .json(&valid)
            .send()
            .await
            .unwrap();
        assert_eq!(body(r).await.0, 202);
    }
    h.shutdown().await;
}

#[tokio::test]
async fn samples_valid_are_accepted_and_invalid_get_field_messages() {
    let config = MockConfig::from_contract_defaults();
    let f = config.fixtures.clone();
    let h = start(config).await;
    let c = client();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/samples/valid");
    for op in &contract().operations {
        let open = &f[op.ir.resource.as_deref().unwrap()]["open"];
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            let r = c
                .post(url(&h, op, open))
                .bearer_auth(DEFAULT_TOKEN)
                .header("content-type", "application/json")
                .body(std::fs::read(&p).unwrap())
                .send()
                .await
                .unwrap();
            assert_eq!(body(r).await.0, 202, "{}", p.display());
        }
        let schema = op.response_schema(417).unwrap();
        for (name, b) in samples(SampleSet::Invalid) {
            let r = c
                .post(url(&h, op, open))
                .bearer_auth(DEFAULT_TOKEN)
                .header("content-type", "application/json")
                .body(b.clone())
                .send()
                .await
                .unwrap();
            let (status, v) = body(r).await;
            assert_eq!(status, 417, "{name}");
            assert!(schema.is_valid(&v), "{name}: {v}");
            let sent: Value = serde_json::from_slice(&b).unwrap();
            let errors = v
                .as_object()
                .unwrap()
                .values()
                .find(|x| x.is_object() || x.is_array())
                .unwrap_or_else(|| panic!("{name}: no details in {v}"));
            match errors {
                // Keyed by field: every key is a field the request schema defines.
                Value::Object(m) => {
                    let props = contract()
                        .spec
                        .at(&op.ir.request.as_ref().unwrap().schema_pointer)
                        .unwrap()["properties"]
                        .as_object()
                        .unwrap();
                    assert!(!m.is_empty(), "{name}");
                    for (k, msgs) in m {
                        assert!(props.contains_key(k), "{name}: {k}");
                        assert!(!msgs.as_array().unwrap().is_empty(), "{name}: {k}");
                        for msg in msgs.as_array().unwrap() {
                            assert!(msg.as_str().unwrap().contains(k.as_str()), "{name}: {msg}");
                        }
                    }
                }
                // A list only when the body is not an object at all.
                Value::Array(l) => {
                    assert!(!sent.is_object(), "{name}: {v}");
                    assert!(!l.is_empty(), "{name}");
                }
                _ => unreachable!(),
            }
        }
    }
    h.shutdown().await;
}

#[tokio::test]
async fn bad_input_gets_a_json_envelope_never_a_5xx() {
    let h = start(MockConfig::from_contract_defaults()).await;
    let c = client();
    let op = &contract().operations[0];
    let open = &mock::default_fixtures(contract())[op.ir.resource.as_deref().unwrap()]["open"];
    let target = url(&h, op, open);
    let cases: Vec<(&str, Option<&str>, Vec<u8>, u16)> = vec![
        (
            "malformed JSON",
            Some("application/json"),
            b"{\"email\":".to_vec(),
            417,
        ),
        (
            "trailing garbage",
            Some("application/json"),
            b"{} x".to_vec(),
            417,
        ),
        ("non-object", Some("application/json"), b"[1,2]".to_vec(), 417),
        ("number", Some("application/json"), b"42".to_vec(), 417),
        (
            "wrong content type",
            Some("text/plain"),
            b"{\"email\":\"qa@example.com\"}".to_vec(),
            417,
        ),
        (
            "no content type",
            None,
            b"{\"email\":\"qa@example.com\"}".to_vec(),
            417,
        ),
        ("empty body", Some("application/json"), Vec::new(), 417),
        ("not UTF-8", Some("application/json"), vec![0xff, 0xfe, b'{'], 417),
        (
            "charset parameter",
            Some("application/json; charset=utf-8"),
            b"{\"email\":\"qa@example.com\"}".to_vec(),
            202,
        ),
        (
            "one byte over the limit",
            Some("application/json"),
            vec![b' '; BODY_LIMIT + 1],
            413,
        ),
    ];
    for (what, ct, b, want) in cases {
        let mut rq = c.post(&target).bearer_auth(DEFAULT_TOKEN).body(b);
        if let Some(ct) = ct {
            rq = rq.header("content-type", ct);
        }
        let r = rq.send().await.unwrap();
        assert_eq!(body(r).await.0, want, "{what}");
    }
    // Exactly at the limit is read (and judged on its content).
    let mut at_limit = b"{\"email\":\"qa@example.com\"}".to_vec();
    at_limit.resize(BODY_LIMIT, b' ');
    let r = c
        .post(&target)
        .bearer_auth(DEFAULT_TOKEN)
        .header("content-type", "application/json")
        .body(at_limit)
        .send()
        .await
        .unwrap();
    assert_eq!(body(r).await.0, 202);
    // Over the limit without a Content-Length (chunked) is cut off too.
    let mut raw = format!(
        "POST {} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {DEFAULT_TOKEN}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n",
        op.path_for(&[open])
    )
    .into_bytes();
    for _ in 0..20 {
        raw.extend_from_slice(b"2000\r\n");
        raw.extend_from_slice(&[b' '; 0x2000]);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"0\r\n\r\n");
    let answer = raw_exchange(&h, &raw).await;
    assert!(answer.starts_with("HTTP/1.1 413 "), "{answer}");
    // A client that stops mid-body and hangs up gets no 5xx, and the server keeps serving.
    let cut = format!(
        "POST {} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{{\"email\"",
        op.path_for(&[open])
    );
    {
        use tokio::io::AsyncWriteExt;
        let mut s = tokio::net::TcpStream::connect(h.addr).await.unwrap();
        s.write_all(cut.as_bytes()).await.unwrap();
    }
    // Unknown route, wrong method (documented route and admin route).
    let r = c.post(format!("{}/nowhere", h.url)).send().await.unwrap();
    assert_eq!(body(r).await.0, 404);
    for method in [
        reqwest::Method::GET,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let r = c.request(method.clone(), &target).send().await.unwrap();
        assert_eq!(
            r.headers().get("allow").unwrap(),
            op.ir.method.as_str(),
            "{method}"
        );
        assert_eq!(body(r).await.0, 405);
    }
    let r = c
        .put(format!("{}{}", h.url, mock::OUTBOX_PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("allow").unwrap(), "GET, DELETE");
    assert_eq!(body(r).await.0, 405);
    let r = c
        .post(format!("{}{}", h.url, mock::FIXTURES_PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers().get("allow").unwrap(), "GET");
    assert_eq!(body(r).await.0, 405);
    h.shutdown().await;
}

/// Sends raw bytes on a fresh connection and reads the answer until the server closes it.
async fn raw_exchange(h: &MockHandle, raw: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(h.addr).await.unwrap();
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = s.write_all(raw).await;
    let mut out = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(20), s.read_to_end(&mut out));
    let _ = read.await.expect("the server answers within 20 s");
    String::from_utf8_lossy(&out).into_owned()
}

async fn outbox(c: &Client, h: &MockHandle) -> Value {
    c.get(format!("{}{}", h.url, mock::OUTBOX_PATH))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn successful_resends_fill_the_outbox_and_only_they_do() {
    let config = MockConfig::from_contract_defaults();
    let f = config.fixtures.clone();
    let h = start(config).await;
    let c = client();
    for op in &contract().operations {
        let resource = op.ir.resource.as_deref().unwrap();
        let ids = &f[resource];
        let r = c
            .delete(format!("{}{}", h.url, mock::OUTBOX_PATH))
            .bearer_auth(DEFAULT_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        // A destination unrelated to any stored contact.
        let both =
            serde_json::json!({"countryCode": "+358", "msisdn": "401234567", "email": "qa@example.com"});
        for (state, id) in ids {
            let r = post(&c, &url(&h, op, id), Some(DEFAULT_TOKEN), &both).await;
            assert_eq!(r.status().is_success(), state.as_str() == "open");
        }
        let invalid = serde_json::json!({"email": null});
        post(&c, &url(&h, op, &ids["open"]), Some(DEFAULT_TOKEN), &invalid).await;
        post(&c, &url(&h, op, &ids["open"]), None, &both).await;
        let o = outbox(&c, &h).await;
        assert_eq!(o["dropped"], 0);
        assert_eq!(o["capacity"], mock::DEFAULT_OUTBOX_CAPACITY);
        let d = o["deliveries"].as_array().unwrap();
        assert_eq!(d.len(), 2, "{o}");
        let mut channels: Vec<(&str, &str)> = d
            .iter()
            .map(|d| (d["channel"].as_str().unwrap(), d["to"].as_str().unwrap()))
            .collect();
        channels.sort();
        assert_eq!(channels, [("email", "qa@example.com"), ("sms", "+358401234567")]);
        for d in d {
            assert_eq!(d["operation"], op.ir.id.as_str());
            assert_eq!(d["resource"], resource);
            assert_eq!(d["id"], ids["open"].as_str());
            assert!(d["link"].as_str().unwrap().starts_with("https://"), "{d}");
            let at = d["at"].as_str().unwrap();
            assert!(
                at.len() == 20 && at.ends_with('Z') && at.as_bytes()[10] == b'T',
                "{at}"
            );
        }
    }
    let r = c
        .delete(format!("{}{}", h.url, mock::OUTBOX_PATH))
        .bearer_auth(DEFAULT_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert_eq!(outbox(&c, &h).await["deliveries"], serde_json::json!([]));
    h.shutdown().await;
}

#[tokio::test]
async fn the_outbox_is_bounded_and_counts_what_it_dropped() {
    let mut config = MockConfig::from_contract_defaults();
    config.outbox_capacity = 3;
    let f = config.fixtures.clone();
    let h = start(config).await;
    let c = client();
    let op = &contract().operations[0];
    let open = &f[op.ir.resource.as_deref().unwrap()]["open"];
    for n in 0..5 {
        let b = serde_json::json!({"email": format!("qa{n}@example.com")});
        let r = post(&c, &url(&h, op, open), Some(DEFAULT_TOKEN), &b).await;
        assert_eq!(r.status(), 202);
    }
    let o = outbox(&c, &h).await;
    assert_eq!(o["capacity"], 3);
    assert_eq!(o["dropped"], 2);
    let to: Vec<&str> = o["deliveries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["to"].as_str().unwrap())
        .collect();
    assert_eq!(to, ["qa2@example.com", "qa3@example.com", "qa4@example.com"]);
    h.shutdown().await;
}

#[tokio::test]
async fn a_profile_seeds_the_store_and_never_creates_missing_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("target.yaml");
    std::fs::write(
        &path,
        "base_url: https://demo-api.frontpayment.no\n\
         token_env: SOME_TOKEN\n\
         fixtures:\n  \
           orders: {open: ODRA1, paid: ODRA2, cancelled: ODRA3, failing: ODRA4, missing: ODRA5}\n  \
           reservations: {open: RESA1, completed: RESA2, cancelled: RESA3, failing: RESA4, missing: RESA5}\n\
         deliver_to: {email: qa@example.com, countryCode: '+47', msisdn: '40000000'}\n",
    )
    .unwrap();
    let profile = Profile::load(&path, contract()).unwrap();
    let mut config = MockConfig::from_contract_defaults();
    config.fixtures = profile.fixtures.clone();
    config.token = "profile-token".into();
    let h = start(config).await;
    let c = client();
    let listed: Value = c
        .get(format!("{}{}", h.url, mock::FIXTURES_PATH))
        .bearer_auth("profile-token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut want = profile.fixtures.clone();
    for states in want.values_mut() {
        states.shift_remove(ResourceState::MISSING);
    }
    assert_eq!(listed, serde_json::to_value(&want).unwrap());
    let email = serde_json::json!({"email": "qa@example.com"});
    let expect = [
        ("open", 202),
        ("cancelled", 400),
        ("failing", 510),
        ("missing", 404),
    ];
    for (resource, states) in &profile.fixtures {
        let op = op_for(resource);
        for (state, status) in expect {
            let r = post(&c, &url(&h, op, &states[state]), Some("profile-token"), &email).await;
            assert_eq!(body(r).await.0, status, "{resource} {state:?}");
        }
        // The default ids do not exist in a profile-seeded store; the default token is refused.
        let default_open = &mock::default_fixtures(contract())[resource]["open"];
        let r = post(&c, &url(&h, op, default_open), Some("profile-token"), &email).await;
        assert_eq!(body(r).await.0, 404);
        let r = post(&c, &url(&h, op, &states["open"]), Some(DEFAULT_TOKEN), &email).await;
        assert_eq!(body(r).await.0, 401);
    }
    h.shutdown().await;
}

#[tokio::test]
async fn start_refuses_fixtures_it_cannot_serve() {
    let mut config = MockConfig::from_contract_defaults();
    // A state only the other resource kind documents an answer for.
    let (resource, other) = {
        let f = &config.fixtures;
        let mut it = f.iter();
        let (a, sa) = it.next().unwrap();
        let (_, sb) = it.next().unwrap();
        let only_b = sb.keys().find(|s| !sa.contains_key(*s)).unwrap().clone();
        (a.clone(), only_b)
    };
    config.fixtures[&resource].insert(other.clone(), "X1".into());
    let err = mock::start(config).await.err().expect("refused").to_string();
    assert!(
        err.contains(&format!("fixtures.{resource}.{}", other.as_str())),
        "{err}"
    );
}

#[tokio::test]
async fn shutdown_stops_listening() {
    let h = start(MockConfig::from_contract_defaults()).await;
    let c = client();
    let u = format!("{}{}", h.url, mock::FIXTURES_PATH);
    assert_eq!(
        c.get(&u)
            .bearer_auth(DEFAULT_TOKEN)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    h.shutdown().await;
    let fresh = client();
    assert!(fresh.get(&u).send().await.is_err());
}
