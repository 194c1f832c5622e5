//! The mock's admin routes (`/__mock/*`) answer only with the mock's bearer token: the outbox
//! lists the addresses links were sent to, and DELETE empties it.

use conformance::mock::{self, DEFAULT_TOKEN, MockConfig};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_routes_need_the_mock_token() {
    let config = MockConfig::from_contract_defaults();
    let (resource, states) = config
        .fixtures
        .first()
        .map(|(r, s)| (r.clone(), s.clone()))
        .unwrap();
    let h = mock::start(config).await.unwrap();
    let c = conformance::runner::http::client(std::time::Duration::from_secs(5), None).unwrap();
    let outbox = format!("{}{}", h.url, mock::OUTBOX_PATH);
    let fixtures = format!("{}{}", h.url, mock::FIXTURES_PATH);

    // One delivery, so that there is something to read or empty.
    let op = conformance::contract::Contract::embedded()
        .operations
        .iter()
        .find(|o| o.ir.resource.as_deref() == Some(resource.as_str()))
        .unwrap();
    let open = &states["open"];
    let path = op
        .ir
        .path
        .replace(&format!("{{{}}}", op.ir.path_params[0].name), open);
    let r = c
        .post(format!("{}{path}", h.url))
        .bearer_auth(DEFAULT_TOKEN)
        .json(&json!({"email": "qa@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);

    for token in [None, Some("wrong-token")] {
        for (method, url) in [
            (reqwest::Method::GET, &outbox),
            (reqwest::Method::DELETE, &outbox),
            (reqwest::Method::GET, &fixtures),
        ] {
            let mut req = c.request(method.clone(), url);
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status(), 401, "{method} {url} with {token:?}");
            let body = r.text().await.unwrap();
            assert!(!body.contains("qa@example.com"), "{body}");
        }
    }
    let r = c.get(&outbox).bearer_auth(DEFAULT_TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let listed: serde_json::Value = r.json().await.unwrap();
    assert_eq!(listed["deliveries"].as_array().unwrap().len(), 1, "{listed}");
    let r = c.delete(&outbox).bearer_auth(DEFAULT_TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 204);
    let r = c.get(&fixtures).bearer_auth(DEFAULT_TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 200);
    h.shutdown().await;
}
