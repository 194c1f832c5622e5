//! The `codegen` subcommands: argument parsing and output only; the work is in the library.

pub mod check;
pub mod diff;
pub mod docs_diff;
pub mod generate;
pub mod schemas;

use std::process::ExitCode;

use crate::diagnostics::Diagnostics;

/// Default location of the project's spec, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "spec/frontpayment.openapi.yaml";

/// Loads a spec, reporting problems: exit 2 when the file cannot be read, 1 when it is invalid.
pub fn load(path: &std::path::Path) -> Result<crate::Spec, ExitCode> {
    crate::Spec::load(path).map_err(|d| {
        let unreadable = d.iter().any(crate::Diagnostic::is_unreadable);
        let code = report(&d);
        if unreadable { ExitCode::from(2) } else { code }
    })
}

/// Prints diagnostics to stderr (coloured on a terminal) and returns exit code 1.
pub fn report(diags: &Diagnostics) -> ExitCode {
    use std::io::Write;
    let mut err = anstream::stderr();
    let red = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Red.into()))
        .bold();
    for d in diags.iter() {
        let text = d
            .to_string()
            .replacen(": error: ", &format!(": {red}error{red:#}: "), 1);
        let _ = writeln!(err, "{text}");
    }
    if diags.0.len() > 1 {
        let _ = writeln!(err, "{} problems found", diags.0.len());
    }
    ExitCode::from(1)
}
