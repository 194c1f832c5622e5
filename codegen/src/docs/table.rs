//! The field table of a doc page, in any of its three spellings: an HTML `<table>`, lines of
//! tab-separated cells (the plain-text export), or a markdown pipe table. A table is a field
//! table when its header names a field column (`Field`, `Name`, `Parameter` or `Property`) and
//! a `Type` column.

use serde::{Deserialize, Serialize};

/// How the page says a field is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    Required,
    /// "Conditional Required": required in some cases only.
    Conditional,
    Optional,
}

impl Requirement {
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Required => "required",
            Requirement::Conditional => "conditionally required",
            Requirement::Optional => "optional",
        }
    }

    /// Reads "Required", "Conditional Required", "Optional", "yes"/"no" in a cell.
    fn from_text(text: &str) -> Requirement {
        let t = text.to_ascii_lowercase();
        if t.contains("conditional") {
            Requirement::Conditional
        } else if t.contains("not required") || t.contains("optional") {
            Requirement::Optional
        } else if t.contains("required") || t.trim() == "yes" || t.trim() == "true" {
            Requirement::Required
        } else {
            Requirement::Optional
        }
    }
}

/// One row of the field table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRow {
    pub name: String,
    /// The type as written, lower-cased (`string`, `email`).
    pub ty: String,
    pub requirement: Requirement,
    /// Lines of the name cell and of the type cell (the same line in text tables).
    pub line: usize,
    pub type_line: usize,
}

/// A table row: its cells, tags stripped, each with its line.
type Row = Vec<(usize, String)>;

/// The rows of every field table among the page's prose lines.
pub fn fields(prose: &[(usize, &str)]) -> Vec<FieldRow> {
    let mut out = Vec::new();
    for table in html_tables(prose).into_iter().chain(text_tables(prose)) {
        out.extend(field_rows(&table));
    }
    out
}

fn field_rows(rows: &[Row]) -> Vec<FieldRow> {
    let Some((header, body)) = rows.split_first() else {
        return Vec::new();
    };
    let find = |names: &[&str]| {
        header
            .iter()
            .position(|(_, h)| names.iter().any(|n| h.to_ascii_lowercase().trim() == *n))
    };
    let (Some(name_col), Some(type_col)) =
        (find(&["field", "name", "parameter", "property"]), find(&["type"]))
    else {
        return Vec::new();
    };
    let req_col = find(&["required", "required?"]);
    body.iter()
        .filter_map(|cells| {
            let (line, name) = cells.get(name_col)?;
            let name = name.trim().trim_matches('`').to_string();
            if name.is_empty() {
                return None;
            }
            let requirement = match req_col.and_then(|c| cells.get(c)) {
                Some((_, cell)) => Requirement::from_text(cell),
                None => {
                    let rest: Vec<&str> = cells
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| *i != name_col && *i != type_col)
                        .map(|(_, (_, c))| c.as_str())
                        .collect();
                    Requirement::from_text(&rest.join(" "))
                }
            };
            let (type_line, ty) = cells
                .get(type_col)
                .map(|(l, t)| (*l, t.trim().trim_matches('`').to_ascii_lowercase()))
                .unwrap_or((*line, String::new()));
            Some(FieldRow {
                name,
                ty,
                requirement,
                line: *line,
                type_line,
            })
        })
        .collect()
}

/// Removes HTML tags and decodes the common entities.
pub fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `<table>` ... `</table>`: one row per `<tr>`, cells from `<th>` and `<td>`.
fn html_tables(prose: &[(usize, &str)]) -> Vec<Vec<Row>> {
    let mut text = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (no, line) in prose {
        starts.push((text.len(), *no));
        text.push_str(line);
        text.push('\n');
    }
    let line_of = |offset: usize| {
        let k = starts.partition_point(|(s, _)| *s <= offset);
        starts.get(k.saturating_sub(1)).map(|(_, no)| *no).unwrap_or(1)
    };
    let lower = text.to_ascii_lowercase();
    let mut tables = Vec::new();
    let mut table: Option<Vec<Row>> = None;
    let mut row: Option<Row> = None;
    let mut cell: Option<(usize, usize)> = None;
    let mut at = 0;
    while let Some(k) = lower[at..].find('<') {
        let open = at + k;
        let close = lower[open..]
            .find('>')
            .map(|e| open + e + 1)
            .unwrap_or(lower.len());
        let name: String = lower[open + 1..close]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect();
        match name.as_str() {
            "table" => table = Some(Vec::new()),
            "/table" => tables.extend(table.take()),
            "tr" if table.is_some() => row = Some(Row::default()),
            "/tr" => {
                if let (Some(t), Some(r)) = (table.as_mut(), row.take()) {
                    t.push(r);
                }
            }
            "td" | "th" if row.is_some() => cell = Some((close, line_of(open))),
            "/td" | "/th" => {
                if let (Some(r), Some((from, line))) = (row.as_mut(), cell.take()) {
                    r.push((line, strip_tags(text.get(from..open).unwrap_or(""))));
                }
            }
            _ => {}
        }
        at = close.max(open + 1).min(lower.len());
    }
    tables
}

/// Runs of lines with tab-separated cells, or markdown pipe tables.
fn text_tables(prose: &[(usize, &str)]) -> Vec<Vec<Row>> {
    let mut tables = Vec::new();
    let mut current: Vec<Row> = Vec::new();
    for (no, line) in prose {
        let cells: Option<Row> = if line.contains('\t') {
            Some(line.split('\t').map(|c| (*no, strip_tags(c))).collect())
        } else if line.trim_start().starts_with('|') {
            let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
            let cells: Row = inner.split('|').map(|c| (*no, strip_tags(c))).collect();
            // The `|---|---|` separator line is not a row.
            if cells
                .iter()
                .all(|(_, c)| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
            {
                continue;
            }
            Some(cells)
        } else {
            None
        };
        match cells {
            Some(c) => current.push(c),
            None if !current.is_empty() => tables.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        tables.push(current);
    }
    tables
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_table() {
        let text = "<table>\n<thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead>\n<tbody>\n<tr>\n<td><code>email</code></td>\n<td><code>email</code></td>\n<td><strong>Conditional Required</strong> An address.</td>\n</tr>\n<tr><td>a &amp; b</td><td>string</td><td>Required.</td></tr>\n</tbody></table>";
        let lines: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        let rows = fields(&lines);
        assert_eq!(
            rows,
            [
                FieldRow {
                    name: "email".into(),
                    ty: "email".into(),
                    requirement: Requirement::Conditional,
                    line: 5,
                    type_line: 6
                },
                FieldRow {
                    name: "a & b".into(),
                    ty: "string".into(),
                    requirement: Requirement::Required,
                    line: 9,
                    type_line: 9
                },
            ]
        );
    }

    #[test]
    fn tab_and_pipe_tables() {
        let text = "Field\tType\tDescription\nmsisdn\tstring\t<b>Conditional Required</b> Phone.\nx\tinteger\tOptional\n\n| Name | Type | Required |\n|---|---|---|\n| `y` | boolean | yes |";
        let lines: Vec<(usize, &str)> = text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
        let rows = fields(&lines);
        let got: Vec<(&str, &str, Requirement, usize)> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.ty.as_str(), r.requirement, r.line))
            .collect();
        assert_eq!(
            got,
            [
                ("msisdn", "string", Requirement::Conditional, 2),
                ("x", "integer", Requirement::Optional, 3),
                ("y", "boolean", Requirement::Required, 7),
            ]
        );
    }
}
