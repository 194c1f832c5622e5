//! A vendor renames a field and its rate-limit headers: the spec is edited (a copy here, with
//! its samples), and the mock's outbox, the runner's `deliver_to` redirect, its pacing and the
//! token variable follow, with no code change. The contract is loaded from the edited file at
//! run time and passed in; the build-time cases stay those of the embedded spec.

use std::path::Path;
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::{self, Next};
use conformance::contract::{Contract, SPEC_SOURCE};
use conformance::mock::{self, MockConfig};
use conformance::profile::Profile;
use conformance::runner::{self, Options, Session, Target, plan};
use serde_json::{Value, json};

/// The vendor's edit: `msisdn` becomes `phone`, `x-ratelimit-*` becomes `x-budget-*`, and the
/// token lives in another variable.
fn edit(text: &str) -> String {
    text.replace("msisdn", "phone")
        .replace("x-ratelimit-", "x-budget-")
        .replace("x-token-env: FRONTPAYMENT_TOKEN", "x-token-env: EDITED_API_TOKEN")
}

/// Copies `from` into `to`, editing every file on the way.
fn copy_edited(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(edit(&entry.file_name().to_string_lossy()));
        if entry.file_type().unwrap().is_dir() {
            copy_edited(&entry.path(), &dest);
        } else {
            std::fs::write(dest, edit(&std::fs::read_to_string(entry.path()).unwrap())).unwrap();
        }
    }
}

/// The edited contract, loaded from its file like `--spec` would, once per test process (the
/// tests run in parallel: writing the files again while another test reads them would race).
fn edited() -> &'static Contract {
    static CONTRACT: std::sync::OnceLock<(tempfile::TempDir, Contract)> = std::sync::OnceLock::new();
    let (_, contract) = CONTRACT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/samples");
        copy_edited(&samples, &dir.path().join("samples"));
        let path = dir.path().join("edited.openapi.yaml");
        std::fs::write(&path, edit(SPEC_SOURCE)).unwrap();
        let source = std::fs::read_to_string(&path).unwrap();
        let contract =
            Contract::from_source(&path.display().to_string(), source).unwrap_or_else(|d| panic!("{d}"));
        (dir, contract)
    });
    contract
}

#[test]
fn the_contract_reads_the_edited_markers() {
    let c = edited();
    assert_eq!(c.destination_fields(), ["countryCode", "phone", "email"]);
    let sms = &c.operations[0].destinations[0];
    assert_eq!(
        (sms.name.as_str(), sms.fields.as_slice()),
        ("sms", &["countryCode".to_string(), "phone".to_string()][..])
    );
    let rl = c.rate_limit.clone().unwrap();
    assert_eq!(rl.remaining, "x-budget-remaining");
    assert_eq!(rl.limit.as_deref(), Some("x-budget-limit"));
    assert_eq!(c.token_env, "EDITED_API_TOKEN");
    // The embedded contract is untouched.
    assert_eq!(
        Contract::embedded().rate_limit.clone().unwrap().remaining,
        "x-ratelimit-remaining"
    );
}

#[test]
fn profiles_key_deliver_to_by_the_edited_fields() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.yaml");
    std::fs::write(
        &p,
        "base_url: http://127.0.0.1:1\ndeliver_to: {countryCode: '+46', phone: '70000000'}\n",
    )
    .unwrap();
    let profile = Profile::load(&p, edited()).unwrap();
    assert_eq!(profile.token_env(), "EDITED_API_TOKEN");
    std::fs::write(
        &p,
        "base_url: http://127.0.0.1:1\ndeliver_to: {msisdn: '70000000'}\n",
    )
    .unwrap();
    let e = Profile::load(&p, edited()).unwrap_err();
    assert_eq!(e.key, "deliver_to.msisdn");
    assert!(e.message.contains("countryCode, phone, email"), "{e}");
}

#[test]
fn the_runner_redirects_the_edited_channel() {
    let c = edited();
    let mut target = Target::new("http://127.0.0.1:1", "t");
    target.fixtures = MockConfig::for_contract(c).fixtures;
    target.deliver_to = Some(
        [
            ("countryCode", "+46"),
            ("phone", "70000000"),
            ("email", "qa@example.com"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
    );
    // A documented request that texts (the embedded cases still say `msisdn`; the edited
    // contract's `sms` channel is `countryCode` + `phone`).
    let case = conformance::cases::embedded()
        .iter()
        .find(|c| c.is_valid_request() && c.body.contains(r#""countryCode":"+47""#))
        .expect("a valid case that sends an SMS");
    let planned = plan::plan(case, &target, c).unwrap();
    let body: Value = serde_json::from_str(&planned.body).unwrap();
    assert_eq!(body["phone"], "70000000", "{body}");
    assert_eq!(body["countryCode"], "+46", "{body}");
    assert!(
        planned
            .deliveries
            .contains(&("sms".to_string(), "+4670000000".to_string())),
        "{:?}",
        planned.deliveries
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_records_the_edited_channel_in_its_outbox() {
    let c = edited();
    let config = MockConfig::for_contract(c);
    let open = config.fixtures["orders"]["open"].clone();
    let h = mock::start(config).await.unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let client = reqwest::Client::new();
    let url = format!("{}{}", h.url, c.operations[0].path_for(&[open.as_str()]));
    let resp = client
        .post(&url)
        .bearer_auth(mock::DEFAULT_TOKEN)
        .json(&json!({"countryCode": "+47", "phone": "40000000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202, "{}", resp.text().await.unwrap());
    // The old name is now an unknown field: ignored, so the request names no channel.
    let resp = client
        .post(&url)
        .bearer_auth(mock::DEFAULT_TOKEN)
        .json(&json!({"countryCode": "+47", "msisdn": "40000000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 417);
    let outbox: Value = client
        .get(format!("{}{}", h.url, mock::OUTBOX_PATH))
        .bearer_auth(mock::DEFAULT_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let d = outbox["deliveries"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{outbox}");
    assert_eq!(d[0]["channel"], "sms");
    assert_eq!(d[0]["to"], "+4740000000");
    assert!(
        d[0]["link"]
            .as_str()
            .unwrap()
            .starts_with("https://demo-api.frontpayment.no.invalid/orders/"),
        "{outbox}"
    );
    h.shutdown().await;
}

/// The edited mock, with the vendor's renamed rate-limit headers on every API answer: nothing
/// left, a budget of one a minute.
fn budget_exhausted(c: &'static Contract) -> Router {
    mock::app(&MockConfig::for_contract(c)).layer(middleware::from_fn(
        |req: Request, next: Next| async move {
            let api = !req.uri().path().starts_with("/__mock");
            let mut resp = next.run(req).await;
            if api {
                resp.headers_mut()
                    .insert("x-budget-remaining", HeaderValue::from_static("0"));
                resp.headers_mut()
                    .insert("x-budget-limit", HeaderValue::from_static("1"));
            }
            resp
        },
    ))
}

async fn run(c: &'static Contract, router: Router) -> conformance::report::RunReport {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    let mut target = Target::new(url, mock::DEFAULT_TOKEN);
    target.fixtures = MockConfig::for_contract(c).fixtures;
    let opts = Options {
        contract: c,
        timeout: Duration::from_secs(5),
        concurrency: 1,
        // Shorter than the capped pause an empty budget asks for.
        max_duration: runner::http::MAX_WAIT / 2,
        ..Options::default()
    };
    Session::open(target, opts)
        .await
        .unwrap()
        .run(&runner::select(Contract::embedded(), Some("NotFound")))
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_runner_paces_itself_by_the_edited_headers() {
    let c = edited();
    // Planned against the edited contract, the run watches `x-budget-*`: the empty budget
    // pushes the second case past the run's time limit.
    let report = run(c, budget_exhausted(c)).await;
    assert_eq!(
        (report.summary().passed, report.summary().skipped),
        (1, 1),
        "{report:?}"
    );
    assert!(runner::was_cut_short(&report));
    // The embedded contract knows only `x-ratelimit-*`: the same answers do not slow it.
    let report = run(Contract::embedded(), budget_exhausted(c)).await;
    assert_eq!(
        (report.summary().passed, report.summary().skipped),
        (2, 0),
        "{report:?}"
    );
}
