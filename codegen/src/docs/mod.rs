//! Reads the vendor's doc pages (markdown, or its plain-text export) into what `docs-diff`
//! compares with the spec: the endpoint line, the field table, the status sentences and the
//! JSON samples, each with its line on the page.
//!
//! What a page looks like (see `shared/docs/`): an endpoint in a code block
//! (`POST https://host/path/{{ID}}`); a field table as HTML (`<table>` with `<th>`/`<td>`), as
//! tab-separated lines (`Field<TAB>Type<TAB>Description`, cells may hold `<b>` tags) or as a
//! markdown pipe table; status sentences ("A successful request will return a `202` status",
//! "API returns a `404` error"); fenced code blocks with the samples, labelled or not. Code
//! blocks before the first status sentence are request samples; after one, they are samples of
//! the last status named. Samples are read with [`tolerant_json`], which reports its repairs.

pub mod snapshot;
pub mod table;
pub mod tolerant_json;

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Diagnostic;
pub use table::{FieldRow, Requirement};
use tolerant_json::Repair;

/// One doc page, read.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The file name (what `x-docs` and ERRATA call the page).
    pub name: String,
    /// The revision the page shows ("Revision #7" → `#7`), if any.
    pub revision: Option<String>,
    /// When the page says it was last updated, if it does (without the author).
    pub updated: Option<String>,
    pub endpoint: Option<Endpoint>,
    pub fields: Vec<FieldRow>,
    pub statuses: Vec<StatusMention>,
    pub requests: Vec<Sample>,
    pub responses: Vec<Sample>,
    /// The prose (outside code blocks and tables), lower-cased, to look words up in.
    #[serde(skip)]
    pub prose: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// Upper-case method.
    pub method: String,
    /// The path as written, host and query removed (`/api/.../{{ORDER_UUID}}`).
    pub path: String,
    pub line: usize,
}

/// A sentence that names a response status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusMention {
    pub status: u16,
    pub line: usize,
}

/// A code block read as a JSON sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sample {
    /// Lines of the opening and closing fences.
    pub start: usize,
    pub end: usize,
    /// For a response sample: the status of the sentence before it (or its `status_code`).
    pub status: Option<u16>,
    pub value: Option<Value>,
    pub repairs: Vec<Repair>,
    /// The block's lines, between the fences.
    #[serde(skip)]
    pub body: Vec<String>,
}

impl Sample {
    /// The line where `"key"` first appears in the block (else the opening fence).
    pub fn line_of_key(&self, key: &str) -> usize {
        let quoted = format!("\"{key}\"");
        self.body
            .iter()
            .position(|l| l.contains(&quoted))
            .map(|k| self.start + 1 + k)
            .unwrap_or(self.start)
    }

    pub fn overlaps(&self, from: usize, to: usize) -> bool {
        self.start <= to && from <= self.end
    }

    /// The sample's `message`, when it is a string.
    pub fn message(&self) -> Option<&str> {
        self.value.as_ref()?.get("message")?.as_str()
    }
}

const METHODS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

impl Page {
    /// Reads a page from disk.
    pub fn load(path: &Path) -> Result<Page, Diagnostic> {
        let bytes = std::fs::read(path).map_err(|e| {
            Diagnostic::new(
                path.display().to_string(),
                "",
                format!("cannot read the doc page: {e}"),
            )
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        Ok(Page::parse(&name, &text))
    }

    /// Reads page text. Never fails: what cannot be read is simply not found.
    pub fn parse(name: &str, text: &str) -> Page {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines: Vec<&str> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .collect();
        let mut page = Page {
            name: name.to_string(),
            revision: None,
            updated: None,
            endpoint: None,
            fields: Vec::new(),
            statuses: Vec::new(),
            requests: Vec::new(),
            responses: Vec::new(),
            prose: String::new(),
        };
        let mut prose: Vec<(usize, &str)> = Vec::new();
        let mut status: Option<u16> = None;
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let no = i + 1;
            let Some(fence) = fence_of(line) else {
                if page.endpoint.is_none() {
                    page.endpoint = endpoint(line, no);
                }
                match stamp(line) {
                    Some((Stamp::Revision, v)) if page.revision.is_none() => page.revision = Some(v),
                    Some((Stamp::Updated, v)) if page.updated.is_none() => page.updated = Some(v),
                    _ => {}
                }
                if let Some(s) = status_in(line) {
                    page.statuses.push(StatusMention { status: s, line: no });
                    status = Some(s);
                }
                prose.push((no, line));
                i += 1;
                continue;
            };
            // A fenced block: up to the same fence, or the end of the page.
            let start = no;
            let mut j = i + 1;
            while j < lines.len() && !lines[j].trim_start().starts_with(fence) {
                j += 1;
            }
            let body = &lines[(i + 1).min(lines.len())..j.min(lines.len())];
            let end = (j + 1).min(lines.len());
            i = j + 1;
            if page.endpoint.is_none() {
                page.endpoint = body
                    .iter()
                    .enumerate()
                    .find_map(|(k, l)| endpoint(l, start + 1 + k));
            }
            let first = body.iter().flat_map(|l| l.chars()).find(|c| !c.is_whitespace());
            if !matches!(first, Some('{' | '[' | '}' | ']')) {
                continue;
            }
            let parsed = tolerant_json::parse(&body.join("\n"), start + 1);
            let status_code = parsed
                .value
                .as_ref()
                .and_then(|v| v.get("status_code"))
                .and_then(Value::as_u64)
                .and_then(|s| u16::try_from(s).ok());
            let sample = Sample {
                start,
                end,
                status: status.or(status_code),
                value: parsed.value,
                repairs: parsed.repairs,
                body: body.iter().map(|l| l.to_string()).collect(),
            };
            if sample.status.is_some() {
                page.responses.push(sample);
            } else {
                page.requests.push(sample);
            }
        }
        page.fields = table::fields(&prose);
        page.prose = prose
            .iter()
            .map(|(_, l)| l.to_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
        page
    }

    /// Every status the page names, in a sentence or in a sample's `status_code`.
    pub fn documented_statuses(&self) -> Vec<(u16, usize)> {
        let mut out: Vec<(u16, usize)> = Vec::new();
        let named = self.statuses.iter().map(|s| (s.status, s.line));
        let sampled = self
            .responses
            .iter()
            .filter_map(|s| s.status.map(|st| (st, s.start)));
        for (s, line) in named.chain(sampled) {
            if !out.iter().any(|(o, _)| *o == s) {
                out.push((s, line));
            }
        }
        out
    }
}

/// The fence that opens a code block on this line (```` ``` ```` or `~~~`), if any.
fn fence_of(line: &str) -> Option<&'static str> {
    let t = line.trim_start();
    if t.starts_with("```") {
        Some("```")
    } else if t.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

/// `POST https://host/path` (markdown emphasis and backticks allowed around it).
fn endpoint(line: &str, no: usize) -> Option<Endpoint> {
    let cleaned: String = line.chars().filter(|c| !matches!(c, '*' | '`')).collect();
    let mut words = cleaned.split_whitespace();
    let method = words.next()?.to_ascii_uppercase();
    if !METHODS.contains(&method.as_str()) {
        return None;
    }
    let target = words.next()?;
    let path = match target.find("://") {
        Some(k) => {
            let after = &target[k + 3..];
            after.find('/').map(|s| &after[s..]).unwrap_or("/")
        }
        None if target.starts_with('/') => target,
        None => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    Some(Endpoint {
        method,
        path: path.to_string(),
        line: no,
    })
}

/// What a page's stamp line names: its revision, or when it was last updated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stamp {
    Revision,
    Updated,
}

/// A stamp line ("Revision #7", "Version 2.1", "Updated 1 October 2025 … by …", "Last updated:
/// …"), markup trimmed. The author's name after " by " is personal data and is dropped.
fn stamp(line: &str) -> Option<(Stamp, String)> {
    let t = line.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '#' | '>' | '-'));
    let lower = t.to_ascii_lowercase();
    let (label, kind) = [
        ("last updated", Stamp::Updated),
        ("last modified", Stamp::Updated),
        ("updated", Stamp::Updated),
        ("revision", Stamp::Revision),
        ("version", Stamp::Revision),
    ]
    .into_iter()
    .find(|(l, _)| lower.starts_with(l))?;
    let rest = t[label.len()..].trim_start_matches(['*', '_', ' ', '\t']);
    // A colon, "on", or a number must follow, so that prose starting with the word is no stamp.
    let rest = match rest.strip_prefix(':') {
        Some(r) => r,
        None if rest.starts_with(|c: char| c == '#' || c.is_ascii_digit()) => rest,
        None => rest.strip_prefix("on ")?,
    };
    let rest = match rest.to_ascii_lowercase().find(" by ") {
        Some(k) => &rest[..k],
        None => rest,
    };
    let value: String = rest
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '`'))
        .chars()
        .take(80)
        .collect();
    (!value.is_empty()).then_some((kind, value))
}

/// The status a sentence names: a three-digit number shortly after "return(s)" or "respond(s)".
fn status_in(line: &str) -> Option<u16> {
    let words: Vec<String> = line
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_ascii_alphanumeric())
                .replace("<code>", "")
                .replace("</code>", "")
                .to_ascii_lowercase()
        })
        .collect();
    let verb = words.iter().position(|w| {
        matches!(
            w.as_str(),
            "return" | "returns" | "returned" | "respond" | "responds"
        )
    })?;
    words.iter().skip(verb + 1).take(6).find_map(|w| {
        let digits = w.trim_start_matches("code>").trim_end_matches("</code");
        (digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()))
            .then(|| digits.parse::<u16>().ok())
            .flatten()
            .filter(|s| (100..600).contains(s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_endpoint_statuses_and_samples() {
        let page = Page::parse(
            "p.md",
            "# T\n```\nPOST https://h.example/api/x/{{ID}}?q=1\n```\n```json\n{\"a\": +1}\n```\n\
             A successful request will return a `202` status.\n```\n{\"message\": \"ok\"}\n```\n```\n}\n```\n\
             API returns a <code>404</code> error.\n",
        );
        assert_eq!(
            page.endpoint,
            Some(Endpoint {
                method: "POST".into(),
                path: "/api/x/{{ID}}".into(),
                line: 3
            })
        );
        assert_eq!(page.requests.len(), 1);
        assert_eq!(page.requests[0].repairs.len(), 1);
        assert_eq!(page.responses.len(), 2);
        assert_eq!(page.responses[0].status, Some(202));
        assert_eq!(page.responses[0].message(), Some("ok"));
        assert_eq!(page.responses[1].value, None);
        assert_eq!(page.documented_statuses(), [(202, 8), (404, 15)]);
    }

    #[test]
    fn stamp_lines() {
        let s = stamp;
        assert_eq!(s("Revision #7"), Some((Stamp::Revision, "#7".into())));
        assert_eq!(s("Version 2.1"), Some((Stamp::Revision, "2.1".into())));
        assert_eq!(
            s("Updated 1 October 2025 09:39:43 by Kari Nordmann"),
            Some((Stamp::Updated, "1 October 2025 09:39:43".into()))
        );
        assert_eq!(
            s("**Last updated:** 2026-10-01"),
            Some((Stamp::Updated, "2026-10-01".into()))
        );
        assert_eq!(
            s("_Last updated on 1 May 2026_"),
            Some((Stamp::Updated, "1 May 2026".into()))
        );
        assert_eq!(s("Versions differ between servers."), None);
        assert_eq!(s("Revision of the order is not possible"), None);
        assert_eq!(s("Updated links are sent again"), None);
        assert_eq!(s("Created 8 January 2024 by Admin"), None);
    }

    #[test]
    fn status_sentences() {
        assert_eq!(status_in("API return a `400` error, it means"), Some(400));
        assert_eq!(status_in("API returns a 510 error"), Some(510));
        assert_eq!(status_in("We return 12 items"), None);
        assert_eq!(status_in("The `404` page"), None);
    }
}
