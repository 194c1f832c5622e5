//! Maps JSON pointers into a YAML document to the line and column where each value's key starts.
//!
//! `serde_yaml` gives us values but no positions, so diagnostics would only carry a pointer.
//! This walks the same text once with `saphyr-parser`'s event stream, which carries marks.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

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
    pub fn build(source: &str) -> Self {
        let mut positions = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        for event in Parser::new_from_str(source) {
            let Ok((event, span)) = event else { break };
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
        LineIndex { positions }
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
    fn flow_mappings_are_indexed() {
        let src = "x: {p: 1, q: [3, 4]}\n";
        let idx = LineIndex::build(src);
        assert_eq!(idx.locate("/x/q/1").unwrap().line, 1);
        assert!(idx.locate("/x/q/1").unwrap().column > idx.locate("/x/p").unwrap().column);
    }
}
