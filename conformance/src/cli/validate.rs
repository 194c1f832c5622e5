//! `conformance validate`: check one JSON document against the contract.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::contract::Contract;
use crate::validate::{self, Target};

/// Validate a JSON document against the contract: an operation's request body (--request) or
/// its response body for one status (--response STATUS).
///
/// Prints each error as `pointer: message (rule: schema pointer)`. Exit 0 when the document is
/// valid, 1 when it is not, 2 when the input cannot be read or is not JSON, or the operation or
/// status is not in the contract (the known ones are listed). Reads a regular file or standard
/// input of at most 4 MiB; lists at most 100 errors, each quoting at most 1 KiB of the input.
#[derive(clap::Args, Debug, Default)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["request", "response"])))]
pub struct Args {
    /// The operationId, e.g. resendOrderPaymentLink.
    #[arg(long, value_name = "OP")]
    pub operation: String,
    /// The document is the operation's request body.
    #[arg(long)]
    pub request: bool,
    /// The document is the operation's response body for this status.
    #[arg(long, value_name = "STATUS")]
    pub response: Option<u16>,
    /// `text` for people, `json` for machines: {"valid": bool, "errors": [{"pointer",
    /// "keyword", "schema_pointer", "message"}]}.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// The JSON file to validate (a regular file, at most 4 MiB); `-` or nothing reads
    /// standard input.
    #[arg(value_name = "FILE|-")]
    pub file: Option<PathBuf>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Text,
    Json,
}

pub fn run(args: Args) -> ExitCode {
    let (name, bytes) = match &args.file {
        Some(p) if p.as_os_str() != "-" => (p.display().to_string(), validate::read_file(p)),
        _ => (
            "<stdin>".to_string(),
            validate::read_bounded(std::io::stdin().lock()),
        ),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            eprintln!("conformance: cannot read {name}: {e}");
            return ExitCode::from(2);
        }
    };
    let document = match validate::parse(&bytes) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("conformance: {name}:{e}");
            return ExitCode::from(2);
        }
    };
    let target = match args.response {
        Some(status) => Target::Response(status),
        None => Target::Request,
    };
    let report = match validate::validate(Contract::embedded(), &args.operation, target, &document) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("conformance: {e}");
            return ExitCode::from(2);
        }
    };
    match args.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string(&report).expect("a report always serializes")
        ),
        Format::Text if report.valid => {
            println!("{name}: valid {target} of {}", args.operation)
        }
        Format::Text => {
            println!(
                "{name}: invalid {target} of {}, {} error(s):",
                args.operation,
                report.errors.len()
            );
            print!("{}", validate::render_text(&report));
        }
    }
    if report.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
