//! Rustdoc from spec text. Spec descriptions are Markdown written for people, not for
//! rustdoc: brackets would become broken intra-doc links, bare URLs warn, and code fences
//! would become doctests. This module makes them safe to emit as `#[doc]` attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for paragraphs of text (empty ones are skipped).
pub fn doc_attrs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs
        .iter()
        .map(AsRef::as_ref)
        .filter(|p| !p.trim().is_empty())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(sanitize(p.trim_end()).lines().map(|l| format!(" {l}")));
    }
    let attrs = lines.iter().map(|l| quote!(#[doc = #l]));
    quote!(#(#attrs)*)
}

/// Escapes what rustdoc would misread, outside code spans.
pub fn sanitize(text: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for (n, line) in text.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        // Four leading spaces would make an (untested, uncompilable) code block.
        let trimmed = line.trim_start();
        let indent = (line.len() - trimmed.len()).min(3);
        out.push_str(&" ".repeat(indent));
        if trimmed.starts_with("```") {
            out.push_str(if in_fence { "```" } else { "```text" });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(trimmed);
            continue;
        }
        let mut in_code = false;
        let mut word = String::new();
        for c in trimmed.chars() {
            if c == '`' {
                in_code = !in_code;
            }
            if c.is_whitespace() {
                out.push_str(&link_url(&word, in_code));
                word.clear();
                out.push(c);
                continue;
            }
            if !in_code && matches!(c, '[' | ']' | '<' | '>') {
                word.push('\\');
            }
            word.push(c);
        }
        out.push_str(&link_url(&word, in_code));
    }
    out
}

/// A bare URL becomes `<url>`, which rustdoc renders as a link.
fn link_url(word: &str, in_code: bool) -> String {
    if in_code || !(word.starts_with("http://") || word.starts_with("https://")) {
        return word.to_string();
    }
    let end = word.trim_end_matches(['.', ',', ';', ':', ')']);
    format!("<{end}>{}", &word[end.len()..])
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn escapes_links_and_urls() {
        assert_eq!(sanitize("see [E1] and `[x]`"), "see \\[E1\\] and `[x]`");
        assert_eq!(sanitize("at https://example.com."), "at <https://example.com>.");
        assert_eq!(sanitize("```json\n{}\n```"), "```text\n{}\n```");
        assert_eq!(sanitize("      deep"), "   deep");
    }
}
