//! The facts `docs-diff` read from the pages the spec was last reconciled with, kept in the
//! repository (`spec/docs-snapshot.json`) so that a clone without the pages can still say what
//! changed on them. Facts only, as structured data: the endpoint, the field table, the statuses,
//! the samples and their messages, the page's revision where it shows one, and the date saved;
//! never the vendor's prose.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Page, Requirement};
use crate::diagnostics::Diagnostic;

/// What the file says about itself, so a reader of the repository knows where it comes from.
const ABOUT: &str = "Facts codegen docs-diff read from the vendor's doc pages the spec was last reconciled with. Written by `codegen docs-diff --save-snapshot`; do not edit.";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub about: String,
    /// UTC date (`YYYY-MM-DD`) the snapshot was saved.
    pub saved: String,
    pub pages: Vec<PageFacts>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFacts {
    pub page: String,
    /// The revision the page shows, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// When the page says it was last updated, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
    /// `METHOD /path` as the page writes it.
    pub endpoint: Option<String>,
    pub fields: Vec<FieldFact>,
    pub statuses: Vec<u16>,
    pub requests: Vec<Value>,
    pub responses: Vec<ResponseFact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldFact {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    pub requirement: Requirement,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseFact {
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The sample as read (repaired where it was not JSON); absent when unreadable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

impl PageFacts {
    pub fn of(page: &Page) -> PageFacts {
        PageFacts {
            page: page.name.clone(),
            revision: page.revision.clone(),
            updated: page.updated.clone(),
            endpoint: page.endpoint.as_ref().map(|e| format!("{} {}", e.method, e.path)),
            fields: page
                .fields
                .iter()
                .map(|f| FieldFact {
                    name: f.name.clone(),
                    ty: f.ty.clone(),
                    requirement: f.requirement,
                })
                .collect(),
            statuses: page.documented_statuses().into_iter().map(|(s, _)| s).collect(),
            requests: page.requests.iter().filter_map(|s| s.value.clone()).collect(),
            responses: page
                .responses
                .iter()
                .filter_map(|s| {
                    Some(ResponseFact {
                        status: s.status?,
                        message: s.message().map(str::to_string),
                        value: s.value.clone(),
                    })
                })
                .collect(),
        }
    }
}

impl Snapshot {
    /// A snapshot of these pages, keeping the pages of `old` that are not among them.
    pub fn of(pages: &[Page], saved: String, old: Option<&Snapshot>) -> Snapshot {
        let mut facts: Vec<PageFacts> = pages.iter().map(PageFacts::of).collect();
        if let Some(old) = old {
            for p in &old.pages {
                if !facts.iter().any(|f| f.page == p.page) {
                    facts.push(p.clone());
                }
            }
        }
        facts.sort_by(|a, b| a.page.cmp(&b.page));
        Snapshot {
            about: ABOUT.to_string(),
            saved,
            pages: facts,
        }
    }

    pub fn load(path: &Path) -> Result<Snapshot, Diagnostic> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::new(&file, "", format!("cannot read the docs snapshot: {e}")))?;
        serde_json::from_str(&text).map_err(|e| {
            Diagnostic::new(&file, "", format!("not a docs snapshot: {e}"))
                .at(e.line(), e.column())
                .hint("write it again with `codegen docs-diff --save-snapshot`")
        })
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }

    /// What the pages show now that they did not when the snapshot was saved.
    pub fn changes(&self, file: &str, pages: &[Page]) -> Changes {
        let mut changes = Vec::new();
        for page in pages {
            let now = PageFacts::of(page);
            let mut push = |what: String| {
                changes.push(Change {
                    page: page.name.clone(),
                    what,
                })
            };
            match self.pages.iter().find(|p| p.page == page.name) {
                None => push("a page the snapshot does not have".to_string()),
                Some(then) => compare(then, &now, &mut push),
            }
        }
        Changes {
            snapshot: file.to_string(),
            saved: self.saved.clone(),
            changes,
        }
    }
}

/// What changed on the pages since the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub snapshot: String,
    pub saved: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub page: String,
    pub what: String,
}

impl Changes {
    pub fn render(&self) -> String {
        let mut out = format!("SINCE THE SNAPSHOT ({}, saved {})\n", self.snapshot, self.saved);
        if self.changes.is_empty() {
            out.push_str("  the pages show the same facts\n");
        }
        for c in &self.changes {
            out.push_str(&format!("  {}: {}\n", c.page, c.what));
        }
        out
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("none")
}

fn compare(then: &PageFacts, now: &PageFacts, push: &mut dyn FnMut(String)) {
    if then.revision != now.revision {
        push(format!(
            "revision: {} → {}",
            opt(&then.revision),
            opt(&now.revision)
        ));
    }
    if then.updated != now.updated {
        push(format!("updated: {} → {}", opt(&then.updated), opt(&now.updated)));
    }
    if then.endpoint != now.endpoint {
        push(format!(
            "endpoint: {} → {}",
            opt(&then.endpoint),
            opt(&now.endpoint)
        ));
    }
    for f in &now.fields {
        match then.fields.iter().find(|o| o.name == f.name) {
            None => push(format!(
                "field added: {} ({}, {})",
                f.name,
                f.ty,
                f.requirement.as_str()
            )),
            Some(o) if o != f => push(format!(
                "field changed: {} ({}, {} → {}, {})",
                f.name,
                o.ty,
                o.requirement.as_str(),
                f.ty,
                f.requirement.as_str()
            )),
            Some(_) => {}
        }
    }
    for o in &then.fields {
        if !now.fields.iter().any(|f| f.name == o.name) {
            push(format!("field removed: {}", o.name));
        }
    }
    for s in &now.statuses {
        if !then.statuses.contains(s) {
            push(format!("status added: {s}"));
        }
    }
    for s in &then.statuses {
        if !now.statuses.contains(s) {
            push(format!("status removed: {s}"));
        }
    }
    if then.requests != now.requests {
        push(format!(
            "request samples changed ({} then, {} now)",
            then.requests.len(),
            now.requests.len()
        ));
    }
    let key = |r: &ResponseFact| (r.status, r.message.clone());
    for r in &now.responses {
        match then.responses.iter().find(|o| key(o) == key(r)) {
            None => push(format!("response sample added: {} {}", r.status, opt(&r.message))),
            Some(o) if o.value != r.value => push(format!(
                "response sample changed: {} {}{}",
                r.status,
                opt(&r.message),
                members_changed(o.value.as_ref(), r.value.as_ref())
            )),
            Some(_) => {}
        }
    }
    for o in &then.responses {
        if !now.responses.iter().any(|r| key(r) == key(o)) {
            push(format!(
                "response sample removed: {} {}",
                o.status,
                opt(&o.message)
            ));
        }
    }
}

/// `(members a, b)` when both are objects.
fn members_changed(then: Option<&Value>, now: Option<&Value>) -> String {
    let (Some(Value::Object(a)), Some(Value::Object(b))) = (then, now) else {
        return String::new();
    };
    let mut keys: Vec<&String> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
    keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
    let keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
    format!(" (members {})", keys.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "```\nPOST https://h/api/x/{{ID}}\n```\n| Field | Type | Description |\n|---|---|---|\n| a | string | Required |\n\
                        Revision 3\nLast updated: 2026-10-01\n\nAPI returns a `404` error.\n```\n{\"message\": \"gone\"}\n```\n";

    #[test]
    fn facts_round_trip_and_changes_are_named() {
        let page = Page::parse("p.md", PAGE);
        let snap = Snapshot::of(std::slice::from_ref(&page), "2026-11-22".into(), None);
        assert_eq!(snap.pages[0].revision.as_deref(), Some("3"));
        assert_eq!(snap.pages[0].updated.as_deref(), Some("2026-10-01"));
        assert_eq!(snap.pages[0].endpoint.as_deref(), Some("POST /api/x/{{ID}}"));
        assert_eq!(snap.pages[0].statuses, [404]);
        let back: Snapshot = serde_json::from_str(&snap.to_json()).unwrap();
        assert_eq!(back, snap);
        assert_eq!(snap.changes("s.json", &[page]).changes, []);

        let edited = Page::parse(
            "p.md",
            &PAGE
                .replace(
                    "| a | string | Required |",
                    "| a | integer | Optional |\n| b | string | Optional |",
                )
                .replace("gone", "missing")
                .replace("2026-10-01", "2026-11-01"),
        );
        let what: Vec<String> = snap
            .changes("s.json", &[edited])
            .changes
            .into_iter()
            .map(|c| c.what)
            .collect();
        assert_eq!(
            what,
            [
                "updated: 2026-10-01 → 2026-11-01",
                "field changed: a (string, required → integer, optional)",
                "field added: b (string, optional)",
                "response sample added: 404 missing",
                "response sample removed: 404 gone",
            ]
        );
    }

    #[test]
    fn saving_some_pages_keeps_the_others() {
        let a = Page::parse("a.md", PAGE);
        let b = Page::parse("b.md", PAGE);
        let old = Snapshot::of(&[a, b.clone()], "2026-01-01".into(), None);
        let new = Snapshot::of(&[b], "2026-02-02".into(), Some(&old));
        assert_eq!(new.pages.len(), 2);
        assert_eq!(new.saved, "2026-02-02");
    }
}
