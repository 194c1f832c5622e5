//! `codegen docs-diff`: what changed on the vendor's doc pages, against the spec.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::Spec;
use crate::docs::Page;
use crate::docs::snapshot::Snapshot;
use crate::drift::{self, Errata};
use crate::spec::check::check;

/// Compare doc pages (markdown or its plain-text export) with the spec: endpoint, field table,
/// statuses, samples and their messages. Drift comes first, each with the spec change that
/// would reconcile it; differences recorded in ERRATA.md are counted (`--known` lists them).
/// When the docs snapshot exists, also says what changed on the pages since it was saved.
///
/// Exit 0 when every difference is known, 1 when there is unknown drift, 2 when the spec, the
/// errata, the snapshot or a page cannot be read (or a file cannot be written).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The OpenAPI 3.1 spec to compare with.
    #[arg(long, default_value = super::DEFAULT_SPEC, value_name = "FILE")]
    pub spec: PathBuf,
    /// The errata listing known differences [default: ERRATA.md beside the spec].
    #[arg(long, value_name = "FILE")]
    pub errata: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// List the known differences too (by default only counted).
    #[arg(long)]
    pub known: bool,
    /// Write the reconciling spec changes to FILE: a YAML list of JSON Patch (RFC 6902)
    /// operations on the spec, each with the drift it reconciles.
    #[arg(long, value_name = "FILE")]
    pub suggest: Option<PathBuf>,
    /// The facts of the pages the spec was last reconciled with [default: docs-snapshot.json
    /// beside the spec].
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Save these pages' facts into the snapshot (other pages it holds are kept). Refused while
    /// there is unknown drift: the snapshot records reconciled pages only.
    #[arg(long)]
    pub save_snapshot: bool,
    /// The doc pages.
    #[arg(required = true, value_name = "DOC.md")]
    pub pages: Vec<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: Args) -> ExitCode {
    let spec = match Spec::load(&args.spec) {
        Ok(s) => s,
        Err(d) => {
            super::report(&d);
            return ExitCode::from(2);
        }
    };
    let api = match check(&spec) {
        Ok(a) => a,
        Err(d) => {
            super::report(&d);
            eprintln!("codegen: the spec does not pass `codegen check`; fix it before comparing");
            return ExitCode::from(2);
        }
    };
    let errata_path = args.errata.clone().unwrap_or_else(|| {
        spec.path
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("ERRATA.md")
    });
    let errata = if args.errata.is_none() && !errata_path.exists() {
        eprintln!(
            "codegen: no {} found: every difference counts as drift",
            errata_path.display()
        );
        Errata::default()
    } else {
        match Errata::load(&errata_path) {
            Ok(e) => e,
            Err(d) => {
                super::report(&d);
                return ExitCode::from(2);
            }
        }
    };
    let mut pages = Vec::new();
    for p in &args.pages {
        match Page::load(p) {
            Ok(page) => pages.push(page),
            Err(d) => {
                super::report(&d.into());
                return ExitCode::from(2);
            }
        }
    }
    let mut report = drift::compare(&spec, &api, &errata, &pages);
    let snapshot_path = args.snapshot.clone().unwrap_or_else(|| {
        spec.path
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .join("docs-snapshot.json")
    });
    let snapshot = if args.snapshot.is_none() && !snapshot_path.exists() {
        if !args.save_snapshot {
            eprintln!(
                "codegen: no {} found: cannot say what changed on the pages since the last reconciliation",
                snapshot_path.display()
            );
        }
        None
    } else {
        match Snapshot::load(&snapshot_path) {
            Ok(s) => Some(s),
            // --save-snapshot with a new --snapshot FILE: nothing to compare with yet.
            Err(_) if args.save_snapshot && !snapshot_path.exists() => None,
            Err(d) => {
                super::report(&d.into());
                return ExitCode::from(2);
            }
        }
    };
    if let Some(s) = &snapshot {
        report.since_snapshot = Some(s.changes(&snapshot_path.display().to_string(), &pages));
    }
    if let Some(file) = &args.suggest {
        let text = suggestion_file(&report);
        if let Err(e) = std::fs::write(file, text) {
            eprintln!("codegen: cannot write {}: {e}", file.display());
            return ExitCode::from(2);
        }
    }
    match args.format {
        Format::Human => out(&report.render(args.known)),
        Format::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => out(&format!("{s}\n")),
            Err(e) => {
                eprintln!("codegen: cannot write the report: {e}");
                return ExitCode::from(2);
            }
        },
    }
    if args.save_snapshot {
        if report.unknown() > 0 {
            eprintln!(
                "codegen: snapshot not saved: reconcile the drift first (the snapshot records reconciled pages only)"
            );
        } else {
            let today = chrono::Utc::now().date_naive().to_string();
            let new = Snapshot::of(&pages, today, snapshot.as_ref());
            if let Err(e) = std::fs::write(&snapshot_path, new.to_json()) {
                eprintln!("codegen: cannot write {}: {e}", snapshot_path.display());
                return ExitCode::from(2);
            }
            eprintln!("codegen: saved the pages' facts in {}", snapshot_path.display());
        }
    }
    if report.unknown() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The `--suggest` file: a comment saying how to use it, then the operations as YAML.
fn suggestion_file(report: &drift::Report) -> String {
    let ops = report.suggestions();
    let mut text = format!(
        "# Spec changes that would reconcile the drift `codegen docs-diff` found between the pages\n\
         # and {}: a JSON Patch (RFC 6902) as YAML. Each `path` is a JSON pointer into the spec;\n\
         # paste each `value` there by hand, or apply the list with a JSON Patch tool to the spec read\n\
         # as JSON. `drift` names the difference each operation reconciles (JSON Patch ignores it).\n\
         # Review before applying: new examples copy a sibling's `x-replay`, which may need a new state.\n",
        report.spec
    );
    if ops.is_empty() {
        text.push_str("[]\n");
    } else {
        text.push_str(&serde_yaml::to_string(&ops).unwrap_or_default());
    }
    text
}

/// Writes to stdout; a reader that went away (`| head`) is not an error worth a panic.
pub fn out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}
