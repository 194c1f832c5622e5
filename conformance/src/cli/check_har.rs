//! `conformance check-har`: the proxy's checks, offline, on a HAR recording (from the proxy,
//! a browser's developer tools, a test run or another proxy). Same report formats as the
//! proxy. Exit codes: 0 no violation, 1 violations, 2 usage or unreadable file.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::har;
use crate::proxy::{Checker, Tally};
use crate::report::Format;

/// Check the exchanges of a HAR file against the contract.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// The HAR file (1.2 or 1.3, bodies as text).
    #[arg(value_name = "FILE.har")]
    pub file: PathBuf,
    /// Check against this spec instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// A target profile; only its `token_env` is read (the variable named in reproducers).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("conformance check-har: {msg}");
    ExitCode::from(2)
}

pub fn run(args: Args) -> ExitCode {
    let contract = match super::proxy::load_contract(args.spec.as_deref()) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let token_env = match super::proxy::token_env(args.profile.as_deref(), contract) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    let checker = match Checker::new(contract) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let exchanges = match har::read(&args.file) {
        Ok(x) => x,
        Err(e) => return usage(format!("{e:#}")),
    };
    let mut tally = Tally::new(args.file.display().to_string(), token_env);
    for (base, ex) in &exchanges {
        let checked = checker.check(ex);
        let secrets = checker.secrets(ex);
        tally.add(ex, &checked, &checker.redactor, &secrets, base);
    }
    eprintln!(
        "conformance check-har: {} exchange(s), {} with violations",
        tally.exchanges(),
        tally.violations()
    );
    super::proxy::finish(
        &tally.to_report(),
        args.format,
        args.output.as_deref(),
        "check-har",
    )
}
