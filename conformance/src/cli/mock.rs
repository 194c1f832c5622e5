//! `conformance mock`: serve the embedded, stateful mock until Ctrl-C or SIGTERM.
//!
//! The first line on stdout is the URL (scripts read the port from it when `--addr` ends in
//! `:0`); the seeded fixtures follow. The token is never printed, only where it came from.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use crate::mock::{self, DEFAULT_OUTBOX_CAPACITY, DEFAULT_TOKEN, MockConfig};
use crate::profile::Profile;

/// Serve a stateful mock of the contract (loopback by default).
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The contract to serve [default: the spec embedded in this binary].
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,
    /// A target profile (the one `conformance run` reads): the store is seeded from its
    /// `fixtures:` section; its `missing` ids are never created; the other keys are ignored,
    /// except `token_env`, which names the variable the token is read from.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// The bearer token to accept [default: the variable the spec's `x-token-env` names (or
    /// the profile's `token_env`), else `mock-token`].
    #[arg(long, value_name = "T", hide_default_value = true)]
    pub token: Option<String>,
    /// Most deliveries the outbox keeps before dropping the oldest.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_OUTBOX_CAPACITY)]
    pub outbox_capacity: usize,
    /// Seconds a client has to send a request's headers; a connection idle that long between
    /// requests is closed too [default: 10].
    #[arg(long, value_name = "SECS", value_parser = parse_header_timeout)]
    pub header_timeout: Option<Duration>,
}

fn parse_header_timeout(s: &str) -> Result<Duration, String> {
    match s.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 3600.0 => Ok(Duration::from_secs_f64(v)),
        _ => Err(format!("`{s}` is not a number of seconds between 0 and 3600")),
    }
}

impl Default for Args {
    fn default() -> Self {
        Args {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            spec: None,
            profile: None,
            token: None,
            outbox_capacity: DEFAULT_OUTBOX_CAPACITY,
            header_timeout: None,
        }
    }
}

pub fn run(args: Args) -> ExitCode {
    let contract = match super::run::contract(args.spec.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("conformance mock: {e}");
            return ExitCode::from(2);
        }
    };
    let mut config = MockConfig::for_contract(contract);
    config.addr = args.addr;
    config.outbox_capacity = args.outbox_capacity;
    config.header_timeout = args.header_timeout.unwrap_or(mock::DEFAULT_HEADER_TIMEOUT);
    let mut token_env = contract.token_env.clone();
    if let Some(path) = &args.profile {
        match Profile::load(path, contract) {
            Ok(p) => {
                token_env = p.token_env().to_string();
                config.fixtures = p.fixtures;
            }
            Err(e) => {
                eprintln!("conformance mock: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let token_source;
    (config.token, token_source) = match (args.token, std::env::var(&token_env)) {
        (Some(t), _) => (t, "--token".to_string()),
        (None, Ok(t)) if !t.is_empty() => (t, format!("${token_env}")),
        _ => (DEFAULT_TOKEN.to_string(), "the default (see README)".to_string()),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("conformance mock: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(serve(config, token_source))
}

async fn serve(config: MockConfig, token_source: String) -> ExitCode {
    let fixtures = config.fixtures.clone();
    if let Some(w) = exposure_warning(config.addr) {
        eprintln!("conformance mock: {w}");
    }
    let handle = match mock::start(config).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("conformance mock: {e:#}");
            return ExitCode::from(2);
        }
    };
    println!("{}", handle.url);
    for (resource, states) in &fixtures {
        for (state, id) in states {
            let note = if state.is_missing() {
                " (never created)"
            } else {
                ""
            };
            println!("  {resource:<13} {:<10} {id}{note}", state.as_str());
        }
    }
    println!(
        "  outbox: {}{}   fixtures: {}{}",
        handle.url,
        mock::OUTBOX_PATH,
        handle.url,
        mock::FIXTURES_PATH
    );
    println!("  token: {token_source}; stop with Ctrl-C");
    shutdown_signal().await;
    eprintln!("conformance mock: shutting down");
    handle.shutdown().await;
    ExitCode::SUCCESS
}

/// A warning when `addr` is reachable from beyond this machine.
pub fn exposure_warning(addr: SocketAddr) -> Option<String> {
    (!addr.ip().to_canonical().is_loopback()).then(|| {
        format!(
            "warning: listening on {addr}, beyond this machine: whoever can reach it can call the API and, with the token, read the outbox (the addresses links went to)"
        )
    })
}

pub(crate) async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listening_beyond_loopback_is_warned_about() {
        for a in ["0.0.0.0:0", "[::]:8080", "192.168.1.5:80"] {
            assert!(exposure_warning(a.parse().unwrap()).is_some(), "{a}");
        }
        for a in ["127.0.0.1:0", "127.9.9.9:1", "[::1]:0", "[::ffff:127.0.0.1]:1"] {
            assert!(exposure_warning(a.parse().unwrap()).is_none(), "{a}");
        }
    }
}
