//! Hostile or broken inputs to `codegen check` fail with the exact location of the problem.

use codegen::Spec;
use codegen::spec::check::check_document;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/frontpayment.openapi.yaml");

fn real() -> String {
    std::fs::read_to_string(SPEC).expect("read the spec")
}

/// The 1-based line of the only line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let hits: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(hits.len(), 1, "`{needle}` must occur once");
    hits[0]
}

#[test]
fn an_invalid_pattern_is_located_at_the_pattern() {
    let good = "      pattern: '^\\+[1-9][0-9]{0,3}$(?!\\n)'\n";
    let text = real();
    assert_eq!(text.matches(good).count(), 1);
    let text = text.replacen(good, "      pattern: '^[+'\n", 1);
    let spec = Spec::parse("pattern.yaml", text.clone()).unwrap_or_else(|d| panic!("{d}"));
    let d = check_document(&spec)
        .expect_err("an invalid pattern is refused")
        .0;
    // Reached from `CountryCode` itself and through `ResendRequest`: reported once.
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].pointer, "/components/schemas/CountryCode/pattern");
    assert_eq!(d[0].line, Some(line_of(&text, "pattern: '^[+'")));
    assert_eq!(d[0].column, Some(7));
    assert!(d[0].message.contains("regex"), "{}", d[0]);
}

#[test]
fn deeply_nested_yaml_fails_early_with_its_location() {
    let max = codegen::spec::yaml::MAX_DEPTH;
    for n in [40_000, 100_000] {
        // Flow mappings: `x: ` is level 1, then each `{a: ` (4 columns) one more.
        let text = format!("openapi: 3.1.0\nx: {}1{}\n", "{a: ".repeat(n), "}".repeat(n));
        let d = Spec::parse("deep.yaml", text).expect_err("too deep").0;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].file, "deep.yaml");
        assert_eq!(
            (d[0].line, d[0].column),
            (Some(2), Some(4 + 4 * (max - 1))),
            "{}",
            d[0]
        );
        assert!(d[0].message.contains("nested deeper than"), "{}", d[0]);
        // Flow sequences: the scanner's own limit may stop it first, on the same line.
        let text = format!("openapi: 3.1.0\nx: {}{}\n", "[".repeat(n), "]".repeat(n));
        let d = Spec::parse("deep.yaml", text).expect_err("too deep").0;
        assert_eq!(d[0].line, Some(2), "{}", d[0]);
        assert!(d[0].message.contains("nested deeper than"), "{}", d[0]);
    }
}

#[test]
fn samples_that_are_not_small_regular_files_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("spec.yaml");
    std::fs::write(&spec_path, real()).unwrap();
    let valid = dir.path().join("samples/valid");
    let invalid = dir.path().join("samples/invalid");
    std::fs::create_dir_all(&valid).unwrap();
    std::fs::create_dir_all(&invalid).unwrap();
    std::os::unix::fs::symlink("/dev/zero", valid.join("zero.json")).unwrap();
    let fifo = invalid.join("pipe.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let max = codegen::spec::files::MAX_SAMPLE_BYTES as usize;
    std::fs::write(valid.join("big.json"), format!("[{}0]", "0,".repeat(max / 2))).unwrap();

    let spec = Spec::load(&spec_path).unwrap_or_else(|d| panic!("{d}"));
    let d = codegen::spec::check::check(&spec)
        .expect_err("hostile samples are refused")
        .0;
    let about = |name: &str| -> Vec<String> {
        d.iter()
            .filter(|d| d.file.ends_with(name))
            .map(|d| d.message.clone())
            .collect()
    };
    // Each refused (once: both operations read the folder, identical reports are merged).
    for m in about("zero.json") {
        assert_eq!(m, "cannot read sample: not a regular file (a symbolic link)");
    }
    for m in about("pipe.json") {
        assert_eq!(
            m,
            "cannot read sample: not a regular file (a device, FIFO or socket)"
        );
    }
    for m in about("big.json") {
        assert_eq!(
            m,
            format!("cannot read sample: larger than the limit of {max} bytes")
        );
    }
    for name in ["zero.json", "pipe.json", "big.json"] {
        assert!(!about(name).is_empty(), "{name} reported: {d:?}");
    }
    assert_eq!(d.len(), 3, "{d:?}");
    assert!(
        d.iter()
            .all(|d| d.hint.as_deref().unwrap_or("").contains("regular JSON files"))
    );
}
