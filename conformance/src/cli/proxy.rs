//! `conformance proxy`: forward traffic to a server, check every exchange against the
//! contract, and report on exit (Ctrl-C or SIGTERM).
//!
//! The first line on stdout is the proxy's URL. Violations go to stderr as they happen, one
//! line each, and the answer carries `x-contract-violations: N`. Exit codes: 0 no violation,
//! 1 violations seen, 2 usage or start-up errors.

use std::io::{IsTerminal, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::contract::Contract;
use crate::profile::Profile;
use crate::proxy::{self, DEFAULT_BODY_LIMIT, ProxyConfig};
use crate::report::{Format, Outcome, RunReport};

/// Forward requests to a server and check every exchange against the contract.
#[derive(clap::Args, Debug, Clone)]
pub struct Args {
    /// Base URL of the server to forward to.
    #[arg(long, value_name = "URL")]
    pub target: String,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Check against this spec instead of the embedded one.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// A target profile; only its `token_env` is read (the variable named in reproducers).
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Record every exchange, redacted, as HAR 1.2 (written as it goes).
    #[arg(long, value_name = "FILE.har")]
    pub record: Option<PathBuf>,
    /// Write the report here on exit instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Seconds the target has to answer (and a client to send its body) [default: 30].
    #[arg(long, value_name = "SECS", value_parser = super::run::parse_secs)]
    pub timeout: Option<Duration>,
    /// Bodies up to this many bytes are validated; longer ones are forwarded unvalidated.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_BODY_LIMIT)]
    pub max_body: usize,
    /// Worker threads. One (the default) runs the proxy on a single-threaded runtime, which
    /// cost the least CPU per exchange on a 2-core machine (bench/README.md, session 4).
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub workers: u16,
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("conformance proxy: {msg}");
    ExitCode::from(2)
}

/// The embedded contract, or the one in `--spec` (checked like the embedded one was).
pub(crate) fn load_contract(spec: Option<&Path>) -> Result<&'static Contract, String> {
    // The CLI checks against one contract for the life of the process.
    Contract::load_or_embedded(spec).map_err(|d| d.to_string())
}

/// The variable reproducers name for the token: the profile's `token_env`, or the default.
pub(crate) fn token_env(profile: Option<&Path>, contract: &Contract) -> Result<String, String> {
    match profile {
        Some(p) => Profile::load(p, contract)
            .map(|p| p.token_env().to_string())
            .map_err(|e| e.to_string()),
        None => Ok(contract.token_env.clone()),
    }
}

/// Writes the report to `path` (or stdout) and picks the exit code.
pub(crate) fn finish(report: &RunReport, format: Format, path: Option<&Path>, who: &str) -> ExitCode {
    let color = path.is_none()
        && format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = report.render(format, color);
    match path {
        Some(p) => {
            if let Err(e) = super::run::write_atomically(p, &text) {
                eprintln!("conformance {who}: cannot write {}: {e}", p.display());
                return ExitCode::from(2);
            }
            eprintln!("conformance {who}: report in {}", p.display());
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
    }
    if report.cases.iter().any(|c| c.outcome == Outcome::Failed) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn run(args: Args) -> ExitCode {
    match url::Url::parse(&args.target) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        Ok(_) => {
            return usage(format!(
                "--target {}: must be an http:// or https:// URL",
                args.target
            ));
        }
        Err(e) => return usage(format!("--target {}: not a URL ({e})", args.target)),
    }
    let contract = match load_contract(args.spec.as_deref()) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    let mut config = ProxyConfig::new(args.target.clone());
    config.listen = args.listen;
    config.record = args.record.clone();
    config.body_limit = args.max_body;
    config.log = true;
    if let Some(t) = args.timeout {
        config.timeout = t;
    }
    config.token_env = match token_env(args.profile.as_deref(), contract) {
        Ok(t) => t,
        Err(e) => return usage(e),
    };
    // One worker runs everything on this thread: an exchange's two connections never wake
    // another thread (bench/README.md, session 4).
    let mut builder = if args.workers == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut b = tokio::runtime::Builder::new_multi_thread();
        b.worker_threads(usize::from(args.workers));
        b
    };
    let runtime = match builder.enable_all().build() {
        Ok(r) => r,
        Err(e) => return usage(format!("cannot start the async runtime: {e}")),
    };
    let report = runtime.block_on(async {
        let handle = proxy::start(contract, config)
            .await
            .map_err(|e| format!("{e:#}"))?;
        println!("{}", handle.url);
        println!("  forwarding to {}; report on Ctrl-C or SIGTERM", args.target);
        let _ = std::io::stdout().flush();
        super::mock::shutdown_signal().await;
        eprintln!("conformance proxy: shutting down");
        Ok::<_, String>(handle.shutdown().await)
    });
    match report {
        Ok(r) => finish(&r, args.format, args.report.as_deref(), "proxy"),
        Err(e) => usage(e),
    }
}
