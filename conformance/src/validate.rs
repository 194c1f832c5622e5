//! Validating one JSON document against the contract: an operation's request body, or its
//! response body for one status. The rules come from the contract's compiled validators
//! ([`Contract::embedded`]); nothing here restates them.

use std::fmt;

use contract_model::spec::validators::{CompiledSchema, SchemaError};
use serde::Serialize;
use serde_json::Value;

use crate::contract::Contract;

/// Largest document `conformance validate` reads (4 MiB); the contract's bodies are far smaller.
pub const MAX_INPUT: u64 = 4 * 1024 * 1024;
/// Most violations listed; the rest are counted in [`Report::omitted`].
pub const MAX_VIOLATIONS: usize = 100;
/// Longest message or pointer quoted whole (they can quote the document).
pub const MAX_QUOTE: usize = 1024;

/// Which body of an operation a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Request,
    Response(u16),
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Request => write!(f, "request body"),
            Target::Response(s) => write!(f, "{s} response body"),
        }
    }
}

/// The contract has no schema for what was asked; each variant lists what it does have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupError {
    UnknownOperation {
        operation: String,
        known: Vec<String>,
    },
    NoRequestBody {
        operation: String,
    },
    UnknownStatus {
        operation: String,
        status: u16,
        known: Vec<u16>,
    },
}

impl fmt::Display for LookupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LookupError::UnknownOperation { operation, known } => write!(
                f,
                "the contract has no operation `{operation}`; known operations: {}",
                known.join(", ")
            ),
            LookupError::NoRequestBody { operation } => {
                write!(f, "operation `{operation}` takes no request body")
            }
            LookupError::UnknownStatus {
                operation,
                status,
                known,
            } => {
                let known: Vec<String> = known.iter().map(u16::to_string).collect();
                write!(
                    f,
                    "operation `{operation}` documents no JSON body for status {status}; documented statuses: {}",
                    known.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for LookupError {}

/// One broken rule, as `conformance validate --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer into the validated document (empty for the whole document).
    pub pointer: String,
    /// The keyword that failed (`required`, `enum`, `oneOf`, ...).
    pub keyword: String,
    /// JSON pointer of that keyword in the spec (`/components/schemas/.../required`).
    pub schema_pointer: String,
    pub message: String,
}

/// The verdict on one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub valid: bool,
    pub errors: Vec<Violation>,
    /// Violations beyond [`MAX_VIOLATIONS`], not listed.
    #[serde(skip_serializing_if = "is_zero")]
    pub omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The compiled schema of `operation`'s `target`.
pub fn schema<'c>(
    contract: &'c Contract,
    operation: &str,
    target: Target,
) -> Result<&'c CompiledSchema, LookupError> {
    let op = contract
        .operation(operation)
        .ok_or_else(|| LookupError::UnknownOperation {
            operation: operation.to_string(),
            known: contract.operations.iter().map(|o| o.ir.id.clone()).collect(),
        })?;
    match target {
        Target::Request => op.request.as_ref().ok_or_else(|| LookupError::NoRequestBody {
            operation: operation.to_string(),
        }),
        Target::Response(status) => op
            .response_schema(status)
            .ok_or_else(|| LookupError::UnknownStatus {
                operation: operation.to_string(),
                status,
                known: op.responses.iter().map(|(s, _)| *s).collect(),
            }),
    }
}

/// Validates `document` as `operation`'s `target`.
pub fn validate(
    contract: &Contract,
    operation: &str,
    target: Target,
    document: &Value,
) -> Result<Report, LookupError> {
    let compiled = schema(contract, operation, target)?;
    let all = compiled.errors(document);
    let omitted = all.len().saturating_sub(MAX_VIOLATIONS);
    let errors: Vec<Violation> = all
        .into_iter()
        .take(MAX_VIOLATIONS)
        .map(|e| violation(compiled, e))
        .collect();
    Ok(Report {
        valid: errors.is_empty(),
        errors,
        omitted,
    })
}

/// Keyword locations are relative to the validated schema unless they crossed a `$ref`, in
/// which case they are already pointers into the spec.
fn violation(compiled: &CompiledSchema, e: SchemaError) -> Violation {
    let schema_pointer = if e.keyword_pointer.starts_with(&format!("{}/", compiled.pointer))
        || e.keyword_pointer.starts_with("/components/")
        || e.keyword_pointer.starts_with("/paths/")
    {
        e.keyword_pointer
    } else {
        format!("{}{}", compiled.pointer, e.keyword_pointer)
    };
    Violation {
        pointer: crate::excerpt::text(&e.instance_pointer, MAX_QUOTE),
        keyword: e.keyword,
        schema_pointer,
        message: crate::excerpt::text(&e.message, MAX_QUOTE),
    }
}

/// Input that is not one JSON document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: not valid JSON: {}",
            self.line, self.column, self.message
        )
    }
}

/// Why an input was not read.
#[derive(Debug)]
pub enum ReadError {
    /// A FIFO, device, directory...: reading it could hang or never end.
    NotAFile(&'static str),
    TooLarge,
    Io(std::io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotAFile(kind) => write!(f, "not a regular file ({kind})"),
            ReadError::TooLarge => write!(f, "larger than {} bytes", MAX_INPUT),
            ReadError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Reads a regular file (symbolic links followed) of at most [`MAX_INPUT`] bytes.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, ReadError> {
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    let kind = |m: &std::fs::Metadata| -> Option<&'static str> {
        let t = m.file_type();
        if t.is_file() {
            None
        } else if t.is_dir() {
            Some("a directory")
        } else {
            Some("a FIFO, socket or device")
        }
    };
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(k) = kind(&meta) {
        return Err(ReadError::NotAFile(k));
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    // The path may have been swapped between the check and the open.
    if let Some(k) = kind(&file.metadata().map_err(ReadError::Io)?) {
        return Err(ReadError::NotAFile(k));
    }
    read_bounded(file)
}

/// Reads at most [`MAX_INPUT`] bytes; more is an error, not a truncation.
pub fn read_bounded(input: impl std::io::Read) -> Result<Vec<u8>, ReadError> {
    use std::io::Read;
    let mut buf = Vec::new();
    input
        .take(MAX_INPUT + 1)
        .read_to_end(&mut buf)
        .map_err(ReadError::Io)?;
    if buf.len() as u64 > MAX_INPUT {
        return Err(ReadError::TooLarge);
    }
    Ok(buf)
}

/// Parses one JSON document (an empty input is an error too).
pub fn parse(bytes: &[u8]) -> Result<Value, InputError> {
    serde_json::from_slice(bytes).map_err(|e| InputError {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })
}

/// The text form: `pointer: message (rule: schema_pointer)`, one line per error.
pub fn render_text(report: &Report) -> String {
    report
        .errors
        .iter()
        .map(|v| {
            let at = if v.pointer.is_empty() {
                "(document)"
            } else {
                &v.pointer
            };
            format!("{at}: {} (rule: {})\n", v.message, v.schema_pointer)
        })
        .chain((report.omitted > 0).then(|| format!("… and {} more error(s)\n", report.omitted)))
        .collect()
}
