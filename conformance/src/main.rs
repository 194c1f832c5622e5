//! `conformance`: replay the contract's documented samples against a server, serve a mock of
//! it, or validate a payload against it. Each subcommand lives in `cli/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use conformance::cli;

// The mock and the proxy allocate a little per request; mimalloc does that in fewer
// instructions than glibc's malloc (bench/README.md, issue 13).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Checks that a server honours the Front Payment resend contract.
///
/// With no subcommand, runs the whole conformance suite against the embedded mock server, so
/// it works on any machine. Exit codes: 0 nothing failed, 1 a case failed (or a payload is
/// invalid), 2 usage, profile or connection errors.
#[derive(Parser)]
#[command(name = "conformance", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    Run(cli::run::Args),
    Mock(cli::mock::Args),
    Validate(cli::validate::Args),
    Proxy(cli::proxy::Args),
    CheckHar(cli::check_har::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => cli::run::run(cli::run::Args::default()),
        Some(Command::Run(a)) => cli::run::run(a),
        Some(Command::Mock(a)) => cli::mock::run(a),
        Some(Command::Validate(a)) => cli::validate::run(a),
        Some(Command::Proxy(a)) => cli::proxy::run(a),
        Some(Command::CheckHar(a)) => cli::check_har::run(a),
    }
}
