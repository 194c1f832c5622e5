//! `codegen schemas` (not built yet: see the open issue).

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, hide = true)]
    pub rest: Vec<String>,
}

pub fn run(_args: Args) -> ExitCode {
    eprintln!("codegen: this subcommand is not built yet");
    ExitCode::from(2)
}
