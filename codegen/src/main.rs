//! `codegen`: the command line of the generator. Each subcommand lives in `cli/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use codegen::cli;

/// Turns the frontpay OpenAPI contract into Rust code, conformance cases and JSON Schemas.
///
/// Every subcommand reads the spec (by default spec/frontpayment.openapi.yaml), checks it,
/// and reports problems with file, line and JSON pointer. Exit codes: 0 success, 1 the
/// spec (or the comparison) has problems, 2 the command could not run.
#[derive(Parser)]
#[command(name = "codegen", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Check(cli::check::Args),
    Generate(cli::generate::Args),
    Schemas(cli::schemas::Args),
    DocsDiff(cli::docs_diff::Args),
    Diff(cli::diff::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(a) => cli::check::run(a),
        Command::Generate(a) => cli::generate::run(a),
        Command::Schemas(a) => cli::schemas::run(a),
        Command::DocsDiff(a) => cli::docs_diff::run(a),
        Command::Diff(a) => cli::diff::run(a),
    }
}
