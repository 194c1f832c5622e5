//! `conformance mock` as a process: the URL comes first on stdout, a profile file is read
//! whole, the token follows `--token` / the environment, and SIGTERM stops it cleanly.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use conformance::contract::Contract;
use conformance::mock::{self, DEFAULT_TOKEN};

struct Mock {
    child: Child,
    url: String,
    rest: BufReader<std::process::ChildStdout>,
}

/// A failed test must not leave the process behind.
impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn(args: &[&str], env: &[(&str, &str)]) -> Mock {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_conformance"));
    cmd.arg("mock")
        .args(args)
        .env_remove("FRONTPAYMENT_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut rest = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    rest.read_line(&mut url).unwrap();
    Mock {
        child,
        url: url.trim_end().to_string(),
        rest,
    }
}

/// Sends SIGTERM and returns the exit status and everything printed after the URL.
fn terminate(mut m: Mock) -> (std::process::ExitStatus, String, String) {
    let status = Command::new("kill")
        .args(["-TERM", &m.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = m.child.wait().unwrap();
    let mut out = String::new();
    m.rest.read_to_string(&mut out).unwrap();
    let mut err = String::new();
    m.child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (exit, out, err)
}

async fn resend(url: &str, resource: &str, id: &str, token: &str) -> u16 {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let op = Contract::embedded()
        .operations
        .iter()
        .find(|o| o.ir.resource.as_deref() == Some(resource))
        .unwrap();
    let body = &op.ir.request.as_ref().unwrap().examples[0].value;
    reqwest::Client::new()
        .post(format!("{url}{}", op.path_for(&[id])))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn prints_the_url_first_and_stops_on_sigterm() {
    let m = spawn(&["--addr", "127.0.0.1:0"], &[]);
    assert!(m.url.starts_with("http://127.0.0.1:"), "{}", m.url);
    assert!(!m.url.ends_with(":0"), "{}", m.url);
    let fixtures = mock::default_fixtures(Contract::embedded());
    for (resource, ids) in &fixtures {
        let open = &ids["open"];
        assert_eq!(resend(&m.url, resource, open, DEFAULT_TOKEN).await, 202);
        assert_eq!(resend(&m.url, resource, open, "other").await, 401);
    }
    let url = m.url.clone();
    let (exit, out, err) = terminate(m);
    assert!(exit.success(), "{exit:?} {err}");
    // The fixtures are listed, and the token is not.
    for ids in fixtures.values() {
        for id in ids.values() {
            assert!(out.contains(id.as_str()), "{out}");
        }
    }
    assert!(
        !out.contains(DEFAULT_TOKEN) && !err.contains(DEFAULT_TOKEN),
        "{out}{err}"
    );
    let _ = rustls::crypto::ring::default_provider().install_default();
    assert!(
        reqwest::Client::new().get(&url).send().await.is_err(),
        "still listening"
    );
}

#[tokio::test]
async fn reads_a_whole_profile_and_the_token_from_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("target.yaml");
    std::fs::write(
        &path,
        "base_url: https://demo-api.frontpayment.no\n\
         token_env: MY_MOCK_TOKEN\n\
         fixtures:\n  orders: {open: ODRP1, paid: ODRP2, missing: ODRP3}\n\
         deliver_to: {email: qa@example.com}\n",
    )
    .unwrap();
    let m = spawn(
        &["--profile", path.to_str().unwrap()],
        &[("MY_MOCK_TOKEN", "secret-from-env")],
    );
    assert_eq!(resend(&m.url, "orders", "ODRP1", "secret-from-env").await, 202);
    assert_eq!(resend(&m.url, "orders", "ODRP2", "secret-from-env").await, 400);
    assert_eq!(resend(&m.url, "orders", "ODRP3", "secret-from-env").await, 404);
    assert_eq!(resend(&m.url, "orders", "ODRP1", DEFAULT_TOKEN).await, 401);
    let (exit, out, err) = terminate(m);
    assert!(exit.success(), "{exit:?} {err}");
    assert!(out.contains("ODRP3 (never created)"), "{out}");
    assert!(!out.contains("secret-from-env") && !err.contains("secret-from-env"));
}

#[tokio::test]
async fn token_flag_wins_over_the_environment() {
    let m = spawn(&["--token", "from-flag"], &[("FRONTPAYMENT_TOKEN", "from-env")]);
    let open = &mock::default_fixtures(Contract::embedded())["orders"]["open"];
    assert_eq!(resend(&m.url, "orders", open, "from-flag").await, 202);
    assert_eq!(resend(&m.url, "orders", open, "from-env").await, 401);
    let (exit, out, err) = terminate(m);
    assert!(exit.success());
    assert!(!out.contains("from-flag") && !err.contains("from-flag"));
}

#[test]
fn a_bad_profile_is_a_usage_error_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, "base_url: http://x\nfixtures:\n  orders: {opne: ODR1}\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["mock", "--profile", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixtures.orders") && err.contains("opne"), "{err}");
    // A state the contract has no answer for, for this resource kind.
    std::fs::write(
        &path,
        "base_url: http://x\nfixtures:\n  orders: {completed: ODR1}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["mock", "--profile", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fixtures.orders.completed"), "{err}");
}
