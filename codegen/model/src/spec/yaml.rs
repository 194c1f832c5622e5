//! The one way YAML input is read (the spec, a conformance profile): nesting is bounded first.
//!
//! The value parser's scanner (libyaml's, under `serde_yaml`) is quadratic in the nesting depth
//! of flow collections: `[[[…]]]` 40,000 deep took seconds and 100,000 deep over a minute,
//! although it refuses anything deeper than its recursion limit in the end. So the text is
//! first streamed through `saphyr-parser`'s events with a depth counter, which stops at the
//! first collection past [`MAX_DEPTH`]: linear, and cheap enough to run on every input.

use std::fmt;

use saphyr_parser::{Event, Parser};

/// The deepest nesting of mappings and sequences accepted. OpenAPI documents use a few tens
/// of levels; the value parser refuses more than 128 anyway.
pub const MAX_DEPTH: usize = 128;

/// A document nested deeper than [`MAX_DEPTH`], with the 1-based position where it went past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The position is the diagnostic's own (file:line:column).
        write!(f, "nested deeper than {MAX_DEPTH} levels")
    }
}

impl std::error::Error for TooDeep {}

/// A `serde_yaml` deserializer for `text`, once its nesting is known to be within
/// [`MAX_DEPTH`]. Other syntax errors are left to the deserializer, whose messages are better.
pub fn deserializer(text: &str) -> Result<serde_yaml::Deserializer<'_>, TooDeep> {
    check_depth(text)?;
    Ok(serde_yaml::Deserializer::from_str(text))
}

/// Streams the events of `text`, stopping at the first collection deeper than [`MAX_DEPTH`].
pub fn check_depth(text: &str) -> Result<(), TooDeep> {
    let mut depth = 0usize;
    for event in Parser::new_from_str(text) {
        match event {
            Ok((Event::MappingStart(..) | Event::SequenceStart(..), span)) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(TooDeep {
                        line: span.start.line(),
                        column: span.start.col() + 1,
                    });
                }
            }
            Ok((Event::MappingEnd | Event::SequenceEnd, _)) => depth = depth.saturating_sub(1),
            Ok(_) => {}
            // The scanner has a nesting limit of its own, which it may reach first (it looks
            // ahead in flow collections).
            Err(e) if e.info().contains("recursion limit") => {
                return Err(TooDeep {
                    line: e.marker().line(),
                    column: e.marker().col() + 1,
                });
            }
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, n: usize) -> String {
        format!("x: {}1{}\n", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn nesting_within_the_bound_passes() {
        assert_eq!(check_depth(&nested("[", "]", MAX_DEPTH - 2)), Ok(()));
        assert_eq!(check_depth(&nested("{a: ", "}", MAX_DEPTH - 2)), Ok(()));
        assert_eq!(
            check_depth("a: [unclosed\n"),
            Ok(()),
            "syntax errors are the deserializer's"
        );
    }

    #[test]
    fn deeper_nesting_is_located() {
        // `x: ` opens a mapping (level 1); each `{a: ` one more level, 4 columns wide.
        let e = check_depth(&nested("{a: ", "}", 1000)).unwrap_err();
        assert_eq!(
            e,
            TooDeep {
                line: 1,
                column: 4 + 4 * (MAX_DEPTH - 1)
            }
        );
        let block = format!("x:\n{}1\n", "- ".repeat(1000));
        let e = check_depth(&block).unwrap_err();
        assert_eq!((e.line, e.column), (2, 1 + 2 * (MAX_DEPTH - 1)));
        let e = check_depth(&nested("[", "]", 1000)).unwrap_err();
        assert_eq!(e.line, 1);
    }
}
