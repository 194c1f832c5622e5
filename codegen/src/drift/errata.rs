//! `spec/ERRATA.md`, machine-read: which differences between the pages and the spec are known.
//!
//! An entry is a `## E<n>: title` heading followed by `- field: value` lines. `docs-diff` reads
//! two fields: `pages` (`page:line` places, or `(none)`) and `drift` (comma-separated
//! `kind subject` pairs, or `none`). A difference is known when an entry lists its kind and
//! subject and covers its page (an entry with no pages covers every page). Lines are not
//! compared, so a known difference stays known when the vendor's edits move it.

use std::path::Path;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Erratum {
    /// `E5`.
    pub id: String,
    pub title: String,
    /// Line of the heading in ERRATA.md.
    pub line: usize,
    /// Page names the entry covers; empty = every page.
    pub pages: Vec<String>,
    /// `(kind, subject)` pairs.
    pub drift: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Errata {
    pub file: String,
    pub entries: Vec<Erratum>,
}

impl Errata {
    pub fn load(path: &Path) -> Result<Errata, Diagnostics> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Diagnostic::new(
                path.display().to_string(),
                "",
                format!("cannot read the errata: {e}"),
            )
            .hint("name the file with --errata, or put ERRATA.md beside the spec")
        })?;
        Errata::parse(&path.display().to_string(), &text)
    }

    pub fn parse(file: &str, text: &str) -> Result<Errata, Diagnostics> {
        let mut entries: Vec<Erratum> = Vec::new();
        let mut diags = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let no = i + 1;
            if let Some(head) = line.strip_prefix("## ") {
                let (id, title) = head.split_once(':').unwrap_or((head, ""));
                let id = id.trim();
                if id.starts_with('E') && id.len() > 1 && id[1..].bytes().all(|b| b.is_ascii_digit()) {
                    entries.push(Erratum {
                        id: id.to_string(),
                        title: title.trim().to_string(),
                        line: no,
                        pages: Vec::new(),
                        drift: Vec::new(),
                    });
                }
                continue;
            }
            let Some(entry) = entries.last_mut() else { continue };
            if let Some(pages) = line.strip_prefix("- pages:") {
                entry.pages = list(pages)
                    .into_iter()
                    .map(|p| p.split(':').next().unwrap_or(p).trim().to_string())
                    .collect();
                entry.pages.dedup();
            } else if let Some(drift) = line.strip_prefix("- drift:") {
                for item in list(drift) {
                    match item.split_once(' ') {
                        Some((kind, subject)) if !subject.trim().is_empty() => {
                            entry.drift.push((kind.to_string(), subject.trim().to_string()))
                        }
                        _ => diags.push(
                            Diagnostic::new(
                                file,
                                "",
                                format!("{}: drift item `{item}` is not `kind subject`", entry.id),
                            )
                            .at(no, 1)
                            .hint(
                                "write `drift: KIND SUBJECT, KIND SUBJECT` (e.g. `drift: status 401`), or `drift: none`",
                            ),
                        ),
                    }
                }
            }
        }
        Diagnostics(diags).into_result()?;
        Ok(Errata {
            file: file.to_string(),
            entries,
        })
    }

    /// The entry that lists this difference as known, if any.
    pub fn known(&self, page: &str, kind: &str, subject: &str) -> Option<&Erratum> {
        self.entries.iter().find(|e| {
            (e.pages.is_empty() || e.pages.iter().any(|p| p == page))
                && e.drift.iter().any(|(k, s)| k == kind && s == subject)
        })
    }
}

/// Comma-separated items; `none` and `(none)` are the empty list.
fn list(text: &str) -> Vec<&str> {
    let t = text.trim();
    if t == "none" || t == "(none)" || t.is_empty() {
        return Vec::new();
    }
    t.split(',').map(str::trim).filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entries() {
        let e = Errata::parse(
            "E.md",
            "# x\n## E1: a\n- pages: a.md:3, b.md:4\n- drift: sample-repair countryCode, status 401\n## E2: b\n- pages: (none)\n- drift: header x-h\n## E3: c\n- drift: none\n",
        )
        .unwrap();
        assert_eq!(e.entries.len(), 3);
        assert_eq!(e.entries[0].pages, ["a.md", "b.md"]);
        assert_eq!(
            e.known("b.md", "status", "401").map(|e| e.id.as_str()),
            Some("E1")
        );
        assert_eq!(e.known("c.md", "status", "401"), None);
        assert_eq!(
            e.known("c.md", "header", "x-h").map(|e| e.id.as_str()),
            Some("E2")
        );
        assert!(Errata::parse("E.md", "## E1: a\n- drift: lonely\n").is_err());
    }
}
