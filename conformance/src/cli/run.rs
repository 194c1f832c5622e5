//! `conformance run`: replay every documented sample against a target and report, case by
//! case, whether it honours the contract. Without `--target` or `--profile`, the target is
//! the embedded mock. Exit codes: 0 nothing failed, 1 a case failed or the run reached its
//! time limit (`--max-duration`), 2 usage, profile or connection errors.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::cases::Case;
use crate::contract::Contract;
use crate::mock;
use crate::profile::Profile;
use crate::report::{Format, Outcome};
use crate::runner::target::{Resolve, SystemResolver};
use crate::runner::{self, Options, Session, Target, plan};

/// Replay the contract's documented samples against a server.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct Args {
    /// The contract to replay [default: the spec embedded in this binary]. Its cases come
    /// from its `x-replay` plans and the `samples/invalid/` folder beside it.
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Base URL of the server under test (overrides the profile's `base_url`).
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    /// YAML target profile: base_url, token_env, fixtures, deliver_to.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Run only cases whose id contains PATTERN (`*` matches anything, `?` one character).
    #[arg(long, value_name = "PATTERN")]
    pub only: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Seconds allowed for each exchange [default: 10].
    #[arg(long, value_name = "SECS", value_parser = parse_secs)]
    pub timeout: Option<Duration>,
    /// Longest the whole run may take, in seconds; cases not finished by then are reported as
    /// skipped ("not run") and the exit code is 1 [default: 900]. Rate-limit waits asked by the
    /// server are capped at 60 s each and announced on stderr.
    #[arg(long, value_name = "SECS", value_parser = parse_max_duration)]
    pub max_duration: Option<Duration>,
    /// Most requests in flight [default: 4].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,
    /// List the cases and the requests they would make; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Allow sending to a server outside this machine (real messages go out on the spec's
    /// `x-destination` channels).
    #[arg(long)]
    pub allow_live: bool,
}

pub(crate) fn parse_secs(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!("`{s}` is not a number of seconds between 0 and 3600")),
    }
}

fn parse_max_duration(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 86_400.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!("`{s}` is not a number of seconds between 0 and 86400")),
    }
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("conformance: {msg}");
    ExitCode::from(2)
}

/// Where the run goes: the embedded mock, or a server named by flags and profile.
enum Resolved {
    Embedded,
    Remote(Box<Target>),
}

/// The contract of `--spec`, or the embedded one. A spec that cannot be used is reported with
/// every problem's file, line and pointer.
pub(crate) fn contract(spec: Option<&Path>) -> Result<&'static Contract, String> {
    Contract::load_or_embedded(spec).map_err(|d| {
        let path = spec.map(|p| p.display().to_string()).unwrap_or_default();
        format!("--spec {path}: the contract cannot be used:\n{d}")
    })
}

fn resolve(args: &Args, contract: &'static Contract, resolver: &dyn Resolve) -> Result<Resolved, String> {
    let profile = match &args.profile {
        Some(p) => Some(Profile::load(p, contract).map_err(|e| e.to_string())?),
        None => None,
    };
    let base_url = match (&args.target, &profile) {
        (Some(t), _) => t.clone(),
        (None, Some(p)) => p.base_url.clone(),
        (None, None) => return Ok(Resolved::Embedded),
    };
    match url::Url::parse(&base_url) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {}
        Ok(_) => return Err(format!("--target {base_url}: must be an http:// or https:// URL")),
        Err(e) => return Err(format!("--target {base_url}: not a URL ({e})")),
    }
    let token_env = profile
        .as_ref()
        .map_or_else(|| contract.token_env.clone(), |p| p.token_env().to_string());
    let mut target = match &profile {
        Some(p) => Target::from_profile(p, String::new()),
        None => Target::new(base_url.clone(), String::new()),
    };
    target.token_env = contract.token_env.clone();
    target.base_url = base_url.trim_end_matches('/').to_string();
    target.token_env = token_env.clone();
    // A name that does not resolve is not on this machine; connecting reports the lookup error.
    let _ = target.resolve(resolver);
    target.token = match std::env::var(&token_env).ok().filter(|t| !t.is_empty()) {
        Some(t) => t,
        // A local server started by `conformance mock` accepts the mock's default token.
        None if target.is_loopback() => mock::DEFAULT_TOKEN.to_string(),
        None => {
            return Err(format!(
                "set ${token_env} to the bearer token of {base_url} (it is never read from a file)"
            ));
        }
    };
    Ok(Resolved::Remote(Box::new(target)))
}

pub fn run(args: Args) -> ExitCode {
    run_with(args, &SystemResolver)
}

/// [`run`] with the host lookup given: the live-target guard decides on what `resolver`
/// returns, and the run connects only to those addresses.
pub fn run_with(args: Args, resolver: &dyn Resolve) -> ExitCode {
    let contract = match contract(args.spec.as_deref()) {
        Ok(c) => c,
        Err(e) => return usage(e),
    };
    if let Err(d) = contract.unsendable_params() {
        return usage(format!("the suite cannot build every request:\n{d}"));
    }
    let resolved = match resolve(&args, contract, resolver) {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let cases = runner::select(contract, args.only.as_deref());
    if cases.is_empty() {
        return usage(format!(
            "no case matches --only {}",
            args.only.as_deref().unwrap_or_default()
        ));
    }
    let opts = Options {
        timeout: args.timeout.unwrap_or(Duration::from_secs(10)),
        concurrency: usize::from(args.concurrency.unwrap_or(4)),
        progress: args.format == Format::Human && std::io::stderr().is_terminal(),
        max_duration: args.max_duration.unwrap_or(runner::DEFAULT_MAX_DURATION),
        contract,
    };
    if let Resolved::Remote(target) = &resolved
        && !target.is_loopback()
        && let Err(e) = live_guard(&args, contract, target, &cases)
    {
        return usage(e);
    }
    if args.dry_run {
        let target = match &resolved {
            Resolved::Remote(t) => (**t).clone(),
            Resolved::Embedded => {
                let mut t = Target::new("http://127.0.0.1:<port>", mock::DEFAULT_TOKEN);
                t.token_env = contract.token_env.clone();
                t.fixtures = runner::embedded::config(contract).fixtures;
                t
            }
        };
        return dry_run(contract, &target, &cases);
    }
    let opts_max = opts.max_duration;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return usage(format!("cannot start the async runtime: {e}")),
    };
    let outcome = runtime.block_on(async {
        let (mock, target) = match resolved {
            Resolved::Remote(t) => (None, *t),
            Resolved::Embedded => match runner::embedded::start(contract).await {
                Ok((h, t)) => (Some(h), t),
                Err(e) => return Err(format!("cannot start the embedded mock: {e:#}")),
            },
        };
        let session = Session::open(target, opts).await.map_err(|e| e.to_string())?;
        let report = session.run(&cases).await;
        if let Some(m) = mock {
            m.shutdown().await;
        }
        Ok(report)
    });
    let report = match outcome {
        Ok(r) => r,
        Err(e) => return usage(e),
    };
    let color = args.output.is_none()
        && args.format == Format::Human
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = report.render(args.format, color);
    match &args.output {
        Some(path) => {
            if let Err(e) = write_atomically(path, &text) {
                return usage(format!("cannot write {}: {e}", path.display()));
            }
            let s = report.summary();
            eprintln!(
                "conformance: {} cases, {} passed, {} failed, {} skipped; report in {}",
                s.total,
                s.passed,
                s.failed,
                s.skipped,
                path.display()
            );
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
    }
    if runner::was_cut_short(&report) {
        eprintln!(
            "conformance: the run reached its time limit (--max-duration {} s); cases not run are listed as skipped",
            opts_max.as_secs_f64()
        );
    }
    if report.cases.iter().any(|c| c.outcome == Outcome::Failed) || runner::was_cut_short(&report) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A target outside this machine: sending needs `--allow-live` and a `deliver_to`, and the
/// number of messages is announced first.
fn live_guard(args: &Args, contract: &Contract, target: &Target, cases: &[&Case]) -> Result<(), String> {
    let off_box = if target.addrs.is_empty() {
        "does not resolve here, so it counts as not on this machine"
    } else {
        "is not on this machine"
    };
    let Some(to) = &target.deliver_to else {
        return Err(format!(
            "{} {off_box}: a profile with `deliver_to` ({}) is required, so messages go to your own addresses",
            target.base_url,
            contract.destination_fields().join(", ")
        ));
    };
    let messages = runner::describe_messages(&runner::messages_to_send(cases, target, contract));
    if args.dry_run {
        return Ok(());
    }
    if !args.allow_live {
        return Err(format!(
            "{} {off_box}, and this run would send {messages}; add --allow-live to send them (or --dry-run to list them)",
            target.base_url
        ));
    }
    let addresses: Vec<String> = to.iter().map(|(k, v)| format!("{k}={v}")).collect();
    eprintln!(
        "conformance: sending to {}: {} case(s), {messages}, to {}",
        target.base_url,
        cases.len(),
        addresses.join(" "),
    );
    Ok(())
}

fn dry_run(contract: &Contract, target: &Target, cases: &[&Case]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "dry run against {}: {} case(s), nothing is sent",
        target.base_url,
        cases.len()
    );
    for c in cases {
        let accepted: Vec<String> = std::iter::once(c.status)
            .chain(c.also_accept.iter().copied())
            .map(|s| s.to_string())
            .collect();
        match plan::plan(c, target, contract) {
            Ok(p) => {
                let _ = writeln!(out, "\n{}  expects {}", c.id, accepted.join(" or "));
                let _ = writeln!(out, "  {}", runner::curl::command(&p, &target.token_env));
            }
            Err(reason) => {
                let _ = writeln!(out, "\n{}  skipped: {reason}", c.id);
            }
        }
    }
    let messages = runner::describe_messages(&runner::messages_to_send(cases, target, contract));
    let _ = writeln!(out, "\nwould send {messages}");
    ExitCode::SUCCESS
}

/// Writes via a temporary file in the same folder and a rename, so a reader never sees half
/// a report.
pub(crate) fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
