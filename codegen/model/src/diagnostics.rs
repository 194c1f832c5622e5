//! Errors about user input (a spec, a sample, a profile): what is wrong, and where.
//!
//! Every problem the generator finds in its input becomes a [`Diagnostic`] that names the file,
//! the line and column when known, the JSON pointer, and where possible a fix. Nothing that a
//! user can write makes the generator panic.

use std::fmt;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it.
    pub file: String,
    /// 1-based line and column, when the position is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// JSON pointer (RFC 6901) into the document; empty for the whole document.
    pub pointer: String,
    pub message: String,
    /// A suggested fix.
    pub hint: Option<String>,
    /// What went wrong: the input could not be read at all, or it was read and is wrong.
    pub kind: Kind,
    /// An error stops the command; a warning is printed and the command goes on.
    pub severity: Severity,
    /// The output the problem stands in the way of; `None`: all of them (the document itself).
    pub concerns: Option<Output>,
}

/// What the toolkit makes from a spec, for findings that concern only one of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The typed client (`codegen generate`).
    Client,
    /// The conformance cases derived from `x-replay` plans and the `samples/` folder.
    Conformance,
    /// The exported JSON Schemas (`codegen schemas`).
    Schemas,
}

impl Output {
    pub fn name(self) -> &'static str {
        match self {
            Output::Client => "client",
            Output::Conformance => "conformance cases",
            Output::Schemas => "schemas",
        }
    }
}

/// How serious a [`Diagnostic`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    #[default]
    Error,
    /// Valid input the generator skips, where skipping cannot make the output wrong.
    Warning,
}

/// The kind of a [`Diagnostic`]; callers choose exit codes by it, never by the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// The input was read and breaks a rule.
    #[default]
    Invalid,
    /// The input could not be read (missing file, no permission, not UTF-8).
    Unreadable,
}

impl Diagnostic {
    pub fn new(file: impl Into<String>, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            pointer: pointer.into(),
            message: message.into(),
            hint: None,
            kind: Kind::Invalid,
            severity: Severity::Error,
            concerns: None,
        }
    }

    /// Marks the diagnostic as concerning one output only.
    pub fn concerns(mut self, output: Output) -> Self {
        self.concerns = Some(output);
        self
    }

    /// Marks the diagnostic as "the input could not be read".
    pub fn unreadable(mut self) -> Self {
        self.kind = Kind::Unreadable;
        self
    }

    pub fn is_unreadable(&self) -> bool {
        self.kind == Kind::Unreadable
    }

    /// Marks the diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match self.concerns {
            Some(output) => write!(f, ": {label} ({}): {}", output.name(), self.message)?,
            None => write!(f, ": {label}: {}", self.message)?,
        }
        if !self.pointer.is_empty() {
            write!(f, "\n  at JSON pointer {}", self.pointer)?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// One or more diagnostics: the error type of every fallible step of the generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn one(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Ok(())` when there is nothing to report. Duplicates (the same problem reached twice,
    /// e.g. through a component shared by two operations) are reported once.
    pub fn into_result(mut self) -> Result<(), Diagnostics> {
        let mut seen = Vec::new();
        self.0.retain(|d| {
            let new = !seen.contains(d);
            if new {
                seen.push(d.clone());
            }
            new
        });
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics::one(d)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        if self.0.len() > 1 {
            write!(f, "\n{} problems found", self.0.len())?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::Kind;
    use crate::Spec;

    #[test]
    fn a_missing_file_is_unreadable_and_a_broken_one_invalid() {
        let missing = Spec::load("/nonexistent/spec.yaml").unwrap_err();
        assert!(missing.iter().all(|d| d.is_unreadable()), "{missing}");
        let broken = Spec::parse("broken.yaml", "openapi: [".to_string()).unwrap_err();
        assert!(broken.iter().all(|d| d.kind == Kind::Invalid), "{broken}");
    }
}
