//! The HTML report in a real browser: headless Chromium renders a report with failures (from
//! `check-har` on the hand-made HAR of the demo's mislabelled 404); the DOM must show the
//! summary and a failure's diff, and the screenshot must not be blank.
//!
//! Chromium comes from Debian's `chromium` package, which `.ci/run` installs. Set `CHROMIUM`
//! to use another binary. Without one: under `CI=true` the test fails; elsewhere it says on
//! stderr that it did not run and passes, so `cargo test` works on machines without a browser.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/har/demo-not-found.har");

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs Chromium headless with the isolating flags; gives up after 90 s.
fn chromium(bin: &Path, profile: &Path, args: &[String]) -> String {
    let mut child = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromium starts");
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "chromium failed: {:?}", out.status);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_html_report_renders_its_summary_and_diff_in_chromium() {
    let Some(bin) = find_chromium() else {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "CI=true but no chromium found: .ci/run installs Debian's `chromium`"
        );
        eprintln!("the_html_report_renders_its_summary_and_diff_in_chromium: chromium not found, NOT RUN");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.html");
    let status = Command::new(env!("CARGO_BIN_EXE_conformance"))
        .args(["check-har", FIXTURE, "--format", "html", "--output"])
        .arg(&report)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1), "the fixture has a violation");
    let url = format!("file://{}", report.display());
    let profile = dir.path().join("chromium-profile");

    let dom = chromium(&bin, &profile, &["--dump-dom".into(), url.clone()]);
    // The summary, with its verdict and counts.
    let summary_at = dom.find("id=\"summary\"").expect("a summary section");
    let failures_at = dom.find("id=\"failures\"").expect("a failures section");
    assert!(summary_at < failures_at, "the summary comes first");
    assert!(dom[summary_at..failures_at].contains("✘ FAILED"), "{dom}");
    // The failure's diff: the documented keys expected, the undocumented ones seen.
    let diff = &dom[failures_at..];
    assert!(
        diff.contains("<tr class=\"del\"><td class=\"sign\">−</td><td>    \"is_error\","),
        "{diff}"
    );
    assert!(
        diff.contains("<tr class=\"ins\"><td class=\"sign\">+</td><td>  \"is_data\": false,</td></tr>"),
        "{diff}"
    );
    assert!(diff.contains("$FRONTPAYMENT_TOKEN"));
    assert!(!dom.contains("demo-har-secret-token"));

    let shot = dir.path().join("shot.png");
    chromium(
        &bin,
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1000,1400".into(),
            url,
        ],
    );
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let first = pixels[0];
    let differing = pixels.iter().filter(|p| *p != &first).count();
    assert!(differing * 20 > pixels.len(), "the screenshot is (almost) blank");
    // The failure colour is on screen (the verdict, badges and diff lines are red).
    let reddish = pixels
        .iter()
        .filter(|p| p[0] > 150 && p[1] < 90 && p[2] < 90)
        .count();
    assert!(
        reddish > 100,
        "no failure colour on screen ({reddish} red pixels)"
    );
}
