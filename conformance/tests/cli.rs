//! The `conformance run` command line: exit codes, formats, safety guards.

use std::process::Command;

fn conformance() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_conformance"));
    c.env_remove("FRONTPAYMENT_TOKEN")
        .env_remove("CONFORMANCE_PROFILE")
        .env("NO_COLOR", "1");
    c
}

#[test]
fn the_default_run_passes_on_the_embedded_mock_and_writes_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let st = conformance()
        .args(["run", "--format", "json", "--output"])
        .arg(&out)
        .status()
        .unwrap();
    assert_eq!(st.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["summary"]["failed"], 0);
    assert!(v["summary"]["passed"].as_u64().unwrap() > 0);
    let case = &v["cases"][0];
    for key in ["id", "operation", "outcome", "failures", "reason"] {
        assert!(case.get(key).is_some(), "missing {key}");
    }
    // Only the report is in the folder: the temporary file was renamed.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn an_unreachable_target_is_one_line_and_exit_2() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let out = conformance().args(["run", "--target", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cannot reach"), "{err}");
}

#[test]
fn a_bad_profile_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.yaml");
    std::fs::write(
        &p,
        "base_url: http://127.0.0.1:9\nfixtures:\n  orders: {opne: ODR1}\n",
    )
    .unwrap();
    let out = conformance().args(["run", "--profile"]).arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("fixtures.orders") && err.contains("opne"), "{err}");
    let out = conformance()
        .args(["run", "--profile", "/nonexistent/p.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_live_target_needs_deliver_to_and_allow_live() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.yaml");
    std::fs::write(&p, "base_url: https://demo-api.frontpayment.no\n").unwrap();
    let out = conformance()
        .args(["run", "--profile"])
        .arg(&p)
        .env("FRONTPAYMENT_TOKEN", "s3cret-token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // The error names the destination fields the spec marks.
    assert!(err.contains("`deliver_to` (countryCode, msisdn, email)"), "{err}");

    std::fs::write(
        &p,
        "base_url: https://demo-api.frontpayment.no\nfixtures:\n  orders: {open: ODR1}\ndeliver_to: {email: qa@example.com, countryCode: '+47', msisdn: '40000000'}\n",
    )
    .unwrap();
    let out = conformance()
        .args(["run", "--profile"])
        .arg(&p)
        .env("FRONTPAYMENT_TOKEN", "s3cret-token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--allow-live") && err.contains("4 message(s): 2 by email, 2 by sms"),
        "{err}"
    );

    // A dry run sends nothing and shows the deliver_to addresses, never the token.
    let out = conformance()
        .args(["run", "--dry-run", "--profile"])
        .arg(&p)
        .env("FRONTPAYMENT_TOKEN", "s3cret-token")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("qa@example.com"), "{text}");
    assert!(text.contains("$FRONTPAYMENT_TOKEN") && !text.contains("s3cret-token"));
    assert!(text.contains("skipped: no `paid` fixture for orders"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        conformance()
            .args(["run", "--only", "no-such-case"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        conformance()
            .args(["run", "--concurrency", "0"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        conformance()
            .args(["run", "--target", "ftp://x"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
}

#[test]
fn a_running_mock_is_found_by_url_and_its_fixtures_are_used() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let handle = rt
        .block_on(conformance::mock::start(
            conformance::mock::MockConfig::from_contract_defaults(),
        ))
        .unwrap();
    let out = conformance()
        .args([
            "run",
            "--format",
            "junit",
            "--only",
            "resendReservation",
            "--target",
            &handle.url,
        ])
        .output()
        .unwrap();
    let xml = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{xml}");
    assert!(
        xml.contains("<testsuite name=\"resendReservationPaymentLink\""),
        "{xml}"
    );
    assert!(
        !xml.contains("resendOrderPaymentLink") && !xml.contains("<skipped"),
        "{xml}"
    );
    rt.block_on(handle.shutdown());
}
