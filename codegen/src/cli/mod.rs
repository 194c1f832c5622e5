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

/// Prints warnings to stderr (coloured on a terminal); the command goes on.
pub fn warn(warnings: &[crate::Diagnostic]) {
    use std::io::Write;
    let mut err = anstream::stderr();
    for d in warnings {
        let _ = writeln!(err, "{}", styled(d));
    }
}

/// A diagnostic's text with its severity coloured.
fn styled(d: &crate::Diagnostic) -> String {
    let (label, colour) = if d.is_warning() {
        ("warning", anstyle::AnsiColor::Yellow)
    } else {
        ("error", anstyle::AnsiColor::Red)
    };
    let style = anstyle::Style::new().fg_color(Some(colour.into())).bold();
    d.to_string().replacen(
        &format!(": {label}: "),
        &format!(": {style}{label}{style:#}: "),
        1,
    )
}

/// Prints diagnostics to stderr (coloured on a terminal) and returns exit code 1.
pub fn report(diags: &Diagnostics) -> ExitCode {
    use std::io::Write;
    let mut err = anstream::stderr();
    for d in diags.iter() {
        let _ = writeln!(err, "{}", styled(d));
    }
    if diags.0.len() > 1 {
        let _ = writeln!(err, "{} problems found", diags.0.len());
    }
    ExitCode::from(1)
}
