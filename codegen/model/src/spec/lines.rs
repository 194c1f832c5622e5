//! Maps JSON pointers into a YAML document to the line and column where each value's key starts.
//!
//! `serde_yaml` gives us values but no positions, so diagnostics would only carry a pointer.
//! This walks the same text once with `saphyr-parser`'s event stream, which carries marks.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// The most lines [`LineIndex::build`] re-indents to get past the line parser's stricter rule.
const MAX_REPAIRS: usize = 1000;
/// What a repaired line is indented by (deeper than any block a document nests).
const REPAIR_INDENT: &str = "                                                                                                                                                                                                                                                                ";

/// The byte offset where 1-based `line` starts.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// JSON pointer (RFC 6901) → position of the key (for mapping entries) or item (for sequences).
#[derive(Debug, Default, Clone)]
pub struct LineIndex {
    positions: HashMap<String, Position>,
}

enum Frame {
    /// A mapping: the pointer of the mapping, and the key whose value comes next (if any).
    Map {
        pointer: String,
        pending_key: Option<String>,
    },
    /// A sequence: the pointer of the sequence and the index of the next item.
    Seq { pointer: String, next: usize },
}

impl LineIndex {
    /// Builds the index. Text that does not parse yields a partial index: the YAML error itself
    /// is reported by the value parser, which has better messages.
    ///
    /// `saphyr-parser` is stricter than the value parser about one thing real documents do: a
    /// flow collection's closing bracket on a line of its own, indented no deeper than its
    /// key. Such a line is indented further (a copy of the text, at most 1000
    /// lines) and its columns shifted back, so the rest of the document is still located.
    pub fn build(source: &str) -> Self {
        let mut text = std::borrow::Cow::Borrowed(source);
        let mut shifted: HashMap<usize, usize> = HashMap::new();
        loop {
            let (mut index, failed_at) = Self::scan(&text);
            let repair = failed_at
                .filter(|_| shifted.len() < MAX_REPAIRS)
                .and_then(|line| {
                    let start = line_start(&text, line)?;
                    let rest = text[start..].trim_start_matches([' ', '\t']);
                    (rest.starts_with(['}', ']']) && !shifted.contains_key(&line)).then_some(start)
                });
            match (repair, failed_at) {
                (Some(start), Some(line)) => {
                    let mut owned = text.into_owned();
                    owned.insert_str(start, REPAIR_INDENT);
                    text = std::borrow::Cow::Owned(owned);
                    shifted.insert(line, REPAIR_INDENT.len());
                }
                _ => {
                    for pos in index.positions.values_mut() {
                        if let Some(added) = shifted.get(&pos.line) {
                            pos.column = pos.column.saturating_sub(*added).max(1);
                        }
                    }
                    return index;
                }
            }
        }
    }

    /// One pass: the index, and the 1-based line of an indentation error that stopped it.
    fn scan(source: &str) -> (Self, Option<usize>) {
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut failed_at = None;
        for event in Parser::new_from_str(source) {
            let (event, span) = match event {
                Ok(e) => e,
                Err(e) => {
                    if e.info().contains("indentation") {
                        failed_at = Some(e.marker().line());
                    }
                    break;
                }
            };
            let here = Position {
                line: span.start.line(),
                column: span.start.col() + 1,
            };
            match event {
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let pointer = child_pointer(&mut stack, &mut positions, here, None);
                    if pointer.is_empty() {
                        positions.entry(String::new()).or_insert(here);
                    }
                    stack.push(match event {
                        Event::MappingStart(..) => Frame::Map {
                            pointer,
                            pending_key: None,
                        },
                        _ => Frame::Seq { pointer, next: 0 },
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                }
                Event::Scalar(text, ..) => {
                    child_pointer(&mut stack, &mut positions, here, Some(&text));
                }
                Event::Alias(_) => {
                    child_pointer(&mut stack, &mut positions, here, None);
                }
                _ => {}
            }
        }
        (LineIndex { positions }, failed_at)
    }

    /// The position of `pointer`, or of its nearest ancestor that has one.
    pub fn locate(&self, pointer: &str) -> Option<Position> {
        let mut p = pointer;
        loop {
            if let Some(pos) = self.positions.get(p) {
                return Some(*pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }
}

/// Handles a node inside the current container: a mapping key is remembered, a value or
/// sequence item gets its pointer (returned) and position recorded.
fn child_pointer(
    stack: &mut [Frame],
    positions: &mut HashMap<String, Position>,
    here: Position,
    scalar: Option<&str>,
) -> String {
    match stack.last_mut() {
        None => String::new(),
        Some(Frame::Seq { pointer, next }) => {
            let p = format!("{pointer}/{next}");
            *next += 1;
            positions.entry(p.clone()).or_insert(here);
            p
        }
        Some(Frame::Map { pointer, pending_key }) => match pending_key.take() {
            Some(key) => key,
            None => {
                // This node is a key. Complex (non-scalar) keys are not JSON; give them a
                // placeholder so the structure stays balanced.
                let key = scalar.unwrap_or("?");
                let p = format!("{pointer}/{}", escape(key));
                positions.entry(p.clone()).or_insert(here);
                *pending_key = Some(p.clone());
                p
            }
        },
    }
}

// Escaping lives in [`super::pointer`]; re-exported for callers that import it from here.
pub use super::pointer::{escape, unescape};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_nested_keys_and_items() {
        let src = "a:\n  b: 1\n  'c/d':\n    - x\n    - y: 2\n";
        let idx = LineIndex::build(src);
        assert_eq!(idx.locate("/a/b").unwrap().line, 2);
        assert_eq!(idx.locate("/a/c~1d").unwrap().line, 3);
        assert_eq!(idx.locate("/a/c~1d/1").unwrap().line, 5);
        assert_eq!(idx.locate("/a/c~1d/1/y").unwrap().line, 5);
        // Unknown child falls back to the nearest ancestor.
        assert_eq!(idx.locate("/a/b/zzz").unwrap().line, 2);
    }

    #[test]
    fn a_closing_bracket_at_its_keys_indentation_does_not_stop_the_index() {
        let src = "a:\n  value: {\n    \"k\": 1\n  }\nb:\n  c: 2\n";
        let idx = LineIndex::build(src);
        assert_eq!(idx.locate("/b/c"), Some(Position { line: 6, column: 3 }));
        assert_eq!(idx.locate("/a/value/k").map(|p| p.line), Some(3));
    }

    #[test]
    fn flow_mappings_are_indexed() {
        let src = "x: {p: 1, q: [3, 4]}\n";
        let idx = LineIndex::build(src);
        assert_eq!(idx.locate("/x/q/1").unwrap().line, 1);
        assert!(idx.locate("/x/q/1").unwrap().column > idx.locate("/x/p").unwrap().column);
    }
}
