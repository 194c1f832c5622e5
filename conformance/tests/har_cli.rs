//! HAR recordings: `conformance proxy --record` as a process (the URL first, a file that
//! stays readable when the proxy is killed, a report on SIGTERM) and `conformance check-har`
//! on a recording and on a hand-made HAR of the demo server's mislabelled 404.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use conformance::contract::Contract;
use conformance::mock;
use conformance::proxy::VIOLATIONS_HEADER;
use serde_json::{Value, json};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/har/demo-not-found.har");

struct Proc {
    child: Child,
    url: String,
    rest: BufReader<std::process::ChildStdout>,
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str]) -> Proc {
    let mut child = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(args)
        .env_remove("FRONTPAYMENT_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut rest = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    rest.read_line(&mut url).unwrap();
    Proc {
        child,
        url: url.trim_end().to_string(),
        rest,
    }
}

fn check_har(file: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .arg("check-har")
        .arg(file)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Sends `requests` (path, body) with the mock's token; returns the violation counts.
fn send_all(base: &str, requests: &[(String, Value)]) -> Vec<Option<String>> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    rt.block_on(async {
        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let mut out = Vec::new();
        for (path, body) in requests {
            let resp = client
                .post(format!("{base}{path}"))
                .bearer_auth(mock::DEFAULT_TOKEN)
                .json(body)
                .send()
                .await
                .unwrap();
            out.push(
                resp.headers()
                    .get(VIOLATIONS_HEADER)
                    .map(|v| v.to_str().unwrap().to_string()),
            );
        }
        out
    })
}

fn traffic() -> Vec<(String, Value)> {
    let c = Contract::embedded();
    let op = &c.operations[0];
    let fixtures = mock::default_fixtures(c);
    let open = &fixtures[op.ir.resource.as_deref().unwrap()]["open"];
    let good = op.ir.request.as_ref().unwrap().examples[0].value.clone();
    vec![
        (op.path_for(&[open]), good.clone()),
        // A country code without its plus sign: not personal data, so it survives the
        // redaction of the recording and check-har sees it too.
        (op.path_for(&[open]), {
            let mut bad = good.clone();
            bad["countryCode"] = json!("47");
            bad["msisdn"] = json!("40000000");
            bad
        }),
        (op.path_for(&[&format!("{open}404")]), good),
    ]
}

#[test]
fn a_killed_proxy_leaves_a_readable_recording_that_check_har_reads() {
    let dir = tempfile::tempdir().unwrap();
    let har_path = dir.path().join("live.har");
    let mock = spawn(&["mock"]);
    let mut proxy = spawn(&[
        "proxy",
        "--target",
        &mock.url,
        "--record",
        har_path.to_str().unwrap(),
    ]);
    assert!(proxy.url.starts_with("http://127.0.0.1:"), "{}", proxy.url);
    let counts = send_all(&proxy.url, &traffic());
    assert_eq!(counts[0], None);
    assert!(counts[1].is_some());
    assert_eq!(counts[2], None);
    // SIGKILL: no chance to finish the file.
    proxy.child.kill().unwrap();
    proxy.child.wait().unwrap();
    let har = har::from_path(&har_path).expect("the recording parses after a kill");
    let har::Spec::V1_2(log) = har.log else {
        panic!("not HAR 1.2")
    };
    assert_eq!(log.entries.len(), 3);
    assert_eq!(log.entries[2].response.status, 404);
    let text = std::fs::read_to_string(&har_path).unwrap();
    assert!(!text.contains(mock::DEFAULT_TOKEN), "{text}");
    assert!(!text.contains("example-email@email.com"), "{text}");

    // Offline, the recording gives the same verdict: only the invalid request is flagged
    // (personal data redacted in the recording is not held against it).
    assert!(text.contains("[redacted]"));
    let (code, out, _) = check_har(&har_path, &["--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let failed: Vec<&Value> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["outcome"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{out}");
    assert!(failed[0]["id"].as_str().unwrap().ends_with("/417"), "{out}");
    drop(mock);
}

#[test]
fn sigterm_writes_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    let mock = spawn(&["mock"]);
    let mut proxy = spawn(&[
        "proxy",
        "--target",
        &mock.url,
        "--report",
        report.to_str().unwrap(),
        "--format",
        "json",
    ]);
    send_all(&proxy.url, &traffic());
    let status = Command::new("kill")
        .args(["-TERM", &proxy.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = proxy.child.wait().unwrap();
    assert_eq!(exit.code(), Some(1), "violations were seen");
    let mut err = String::new();
    proxy
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    // One stderr line per violation as it happened, without the token.
    assert!(err.lines().any(|l| l.contains("request /body")), "{err}");
    assert!(!err.contains(mock::DEFAULT_TOKEN), "{err}");
    let mut rest = String::new();
    proxy.rest.read_to_string(&mut rest).unwrap();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let ids: Vec<&str> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.iter().any(|i| i.ends_with("/202")) && ids.iter().any(|i| i.ends_with("/404")));
    drop(mock);
}

#[test]
fn check_har_flags_the_mislabelled_404_and_not_the_documented_one() {
    let (code, out, err) = check_har(Path::new(FIXTURE), &["--format", "json"]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("2 exchange(s), 1 with violations"), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "{out}");
    let case = &cases[0];
    assert_eq!(case["id"], "resendOrderPaymentLink/404");
    assert!(
        case["reason"]
            .as_str()
            .unwrap()
            .starts_with("2 exchange(s), 1 with violations")
    );
    let pointers: Vec<&str> = case["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["pointer"].as_str().unwrap())
        .collect();
    assert!(pointers.iter().all(|p| *p == "/body"), "{pointers:?}");
    // The reproducer is the first (flagged) exchange's request.
    assert!(case["curl"].as_str().unwrap().contains("ODR404404404"));
    for text in [&out, &err] {
        assert!(!text.contains("demo-har-secret-token"), "{text}");
        assert!(!text.contains("har.person@example.org"), "{text}");
    }
    assert!(out.contains("$FRONTPAYMENT_TOKEN"));
}

#[test]
fn check_har_refuses_what_is_not_har() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.har");
    std::fs::write(&bad, "{\"log\": {\"version\": \"9.9\"}}").unwrap();
    let (code, _, err) = check_har(&bad, &[]);
    assert_eq!(code, 2);
    assert!(err.contains("bad.har") && err.contains("9.9"), "{err}");
}
