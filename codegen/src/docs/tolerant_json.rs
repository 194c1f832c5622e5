//! A tolerant JSON reader for the samples on vendor doc pages.
//!
//! The pages' samples are often not JSON (`"countryCode": +47`, a string never closed, a code
//! block holding a lone `}`). This reader never fails: it reads what a human would read, and
//! reports every repair it made with its line and column, so `docs-diff` can show them and
//! ERRATA can list them as known.
//!
//! Repairs: unquoted values and keys (read as strings), strings left open at the end of a line,
//! single-quoted strings, trailing and missing commas, missing colons, unclosed or mismatched
//! brackets, comments, bad escapes and raw control characters, blocks with no value (a stray
//! `}`), text after the value. Nesting is bounded ([`MAX_DEPTH`]); deeper input is skipped,
//! without recursion, and reported.

use serde::Serialize;
use serde_json::{Map, Number, Value};

/// Deepest nesting read; deeper structures become `null` (reported), so the stack stays small.
pub const MAX_DEPTH: usize = 64;

/// What the reader had to repair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepairKind {
    UnquotedValue,
    UnquotedKey,
    UnclosedString,
    SingleQuotes,
    TrailingComma,
    MissingComma,
    MissingColon,
    MissingValue,
    UnclosedBracket,
    MismatchedBracket,
    UnexpectedCharacter,
    Comment,
    InvalidEscape,
    ControlCharacter,
    InvalidNumber,
    StrayBlock,
    TrailingContent,
    DepthLimit,
}

impl RepairKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RepairKind::UnquotedValue => "unquoted-value",
            RepairKind::UnquotedKey => "unquoted-key",
            RepairKind::UnclosedString => "unclosed-string",
            RepairKind::SingleQuotes => "single-quotes",
            RepairKind::TrailingComma => "trailing-comma",
            RepairKind::MissingComma => "missing-comma",
            RepairKind::MissingColon => "missing-colon",
            RepairKind::MissingValue => "missing-value",
            RepairKind::UnclosedBracket => "unclosed-bracket",
            RepairKind::MismatchedBracket => "mismatched-bracket",
            RepairKind::UnexpectedCharacter => "unexpected-character",
            RepairKind::Comment => "comment",
            RepairKind::InvalidEscape => "invalid-escape",
            RepairKind::ControlCharacter => "control-character",
            RepairKind::InvalidNumber => "invalid-number",
            RepairKind::StrayBlock => "stray-block",
            RepairKind::TrailingContent => "trailing-content",
            RepairKind::DepthLimit => "depth-limit",
        }
    }
}

/// One repair, at a 1-based line (counted from the `first_line` given to [`parse`]) and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repair {
    pub line: usize,
    pub column: usize,
    pub kind: RepairKind,
    /// The innermost object member the repair is in, if any (e.g. `countryCode`).
    pub key: Option<String>,
    pub detail: String,
}

impl Repair {
    /// What ERRATA calls this repair: the member it is in, or else the kind of repair.
    pub fn subject(&self) -> String {
        match &self.key {
            Some(k) => k.clone(),
            None => self.kind.as_str().to_string(),
        }
    }
}

/// The value read (none when the text holds no value) and the repairs it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Parsed {
    pub value: Option<Value>,
    pub repairs: Vec<Repair>,
}

impl Parsed {
    /// True when the text was valid JSON as it stands.
    pub fn is_clean(&self) -> bool {
        self.repairs.is_empty() && self.value.is_some()
    }
}

/// Reads `text` leniently. `first_line` is the line number of the text's first line (so that
/// repairs point into the page it came from).
pub fn parse(text: &str, first_line: usize) -> Parsed {
    let mut p = Reader::new(text, first_line);
    p.skip_ws();
    let value = match p.peek() {
        None => {
            p.repair(RepairKind::StrayBlock, "the block holds no value".to_string());
            None
        }
        Some('}' | ']') => {
            let at = p.i;
            while matches!(p.peek(), Some(c) if c == '}' || c == ']' || c.is_whitespace()) {
                p.i += 1;
            }
            let closers: String = p.chars[at..p.i].iter().filter(|c| !c.is_whitespace()).collect();
            p.repair_at(
                at,
                RepairKind::StrayBlock,
                format!("the block holds only `{closers}`, no value; ignored"),
            );
            None
        }
        Some(_) => p.value(0),
    };
    p.skip_ws();
    if p.i < p.chars.len() {
        let rest: String = p.chars[p.i..].iter().take(40).collect();
        p.repair(
            RepairKind::TrailingContent,
            format!("text after the value ignored: `{}`", rest.trim()),
        );
    }
    Parsed {
        value,
        repairs: p.repairs,
    }
}

struct Reader {
    chars: Vec<char>,
    i: usize,
    line_starts: Vec<usize>,
    first_line: usize,
    repairs: Vec<Repair>,
    keys: Vec<String>,
}

fn is_delimiter(c: char) -> bool {
    matches!(c, ',' | '}' | ']' | ':') || c.is_whitespace()
}

impl Reader {
    fn new(text: &str, first_line: usize) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        for (i, c) in chars.iter().enumerate() {
            if *c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Reader {
            chars,
            i: 0,
            line_starts,
            first_line,
            repairs: Vec::new(),
            keys: Vec::new(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn position(&self, at: usize) -> (usize, usize) {
        let idx = match self.line_starts.binary_search(&at) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(idx).copied().unwrap_or(0);
        (self.first_line + idx, at.saturating_sub(start) + 1)
    }

    fn repair(&mut self, kind: RepairKind, detail: String) {
        self.repair_at(self.i, kind, detail);
    }

    fn repair_at(&mut self, at: usize, kind: RepairKind, detail: String) {
        let (line, column) = self.position(at);
        self.repairs.push(Repair {
            line,
            column,
            kind,
            key: self.keys.last().cloned(),
            detail,
        });
    }

    /// Skips whitespace and comments (comments are repairs: JSON has none).
    fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => self.i += 1,
                Some('/') if matches!(self.chars.get(self.i + 1), Some('/') | Some('*')) => {
                    let at = self.i;
                    let block = self.chars.get(self.i + 1) == Some(&'*');
                    self.i += 2;
                    if block {
                        while self.i < self.chars.len()
                            && !(self.chars[self.i] == '*' && self.chars.get(self.i + 1) == Some(&'/'))
                        {
                            self.i += 1;
                        }
                        self.i = (self.i + 2).min(self.chars.len());
                    } else {
                        while matches!(self.peek(), Some(c) if c != '\n') {
                            self.i += 1;
                        }
                    }
                    self.repair_at(at, RepairKind::Comment, "comment ignored".to_string());
                }
                _ => return,
            }
        }
    }

    /// A value. Returns `None` without consuming anything at `,`, `}`, `]`, `:` or the end;
    /// anything else consumes at least one character.
    fn value(&mut self, depth: usize) -> Option<Value> {
        let c = self.peek()?;
        if matches!(c, ',' | '}' | ']' | ':') {
            return None;
        }
        if depth >= MAX_DEPTH && matches!(c, '{' | '[') {
            self.skip_nested();
            self.repair(
                RepairKind::DepthLimit,
                format!("nested deeper than {MAX_DEPTH} levels; read as null"),
            );
            return Some(Value::Null);
        }
        Some(match c {
            '{' => self.object(depth),
            '[' => self.array(depth),
            '"' => Value::String(self.string('"')),
            '\'' => {
                self.repair(
                    RepairKind::SingleQuotes,
                    "single-quoted string read as a string".to_string(),
                );
                Value::String(self.string('\''))
            }
            _ => self.scalar(),
        })
    }

    /// Skips a bracketed structure without recursion (for input nested too deep).
    fn skip_nested(&mut self) {
        let mut level = 0usize;
        let mut in_string = false;
        while let Some(c) = self.peek() {
            self.i += 1;
            if in_string {
                match c {
                    '\\' => self.i = (self.i + 1).min(self.chars.len()),
                    '"' | '\n' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '{' | '[' => level += 1,
                '}' | ']' => {
                    level = level.saturating_sub(1);
                    if level == 0 {
                        return;
                    }
                }
                _ => {}
            }
        }
    }

    fn object(&mut self, depth: usize) -> Value {
        let open = self.i;
        self.i += 1;
        let mut map = Map::new();
        loop {
            self.skip_ws();
            let Some(c) = self.peek() else {
                let (l, col) = self.position(open);
                self.repair(
                    RepairKind::UnclosedBracket,
                    format!("`{{` opened at {l}:{col} is never closed; closed at the end"),
                );
                break;
            };
            match c {
                '}' => {
                    self.i += 1;
                    break;
                }
                ']' => {
                    self.repair(
                        RepairKind::MismatchedBracket,
                        "`]` closes an object; read as `}`".to_string(),
                    );
                    self.i += 1;
                    break;
                }
                ',' => {
                    self.repair(
                        RepairKind::UnexpectedCharacter,
                        "empty member: stray `,` skipped".to_string(),
                    );
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            let Some(key) = self.key() else { continue };
            self.skip_ws();
            if self.peek() == Some(':') {
                self.i += 1;
            } else {
                self.repair(RepairKind::MissingColon, format!("no `:` after the key `{key}`"));
            }
            self.skip_ws();
            self.keys.push(key.clone());
            let value = match self.value(depth + 1) {
                Some(v) => v,
                None => {
                    self.repair(RepairKind::MissingValue, "no value; read as null".to_string());
                    Value::Null
                }
            };
            self.keys.pop();
            map.insert(key, value);
            self.separator('}');
        }
        Value::Object(map)
    }

    /// A member name; `None` when the character there cannot start one (it is skipped).
    fn key(&mut self) -> Option<String> {
        match self.peek() {
            Some('"') => Some(self.string('"')),
            Some('\'') => {
                self.repair(
                    RepairKind::SingleQuotes,
                    "single-quoted key read as a string".to_string(),
                );
                Some(self.string('\''))
            }
            Some(c) if !matches!(c, '{' | '[' | ':') => {
                let at = self.i;
                while matches!(self.peek(), Some(c) if !is_delimiter(c) && !matches!(c, '{' | '[' | '"')) {
                    self.i += 1;
                }
                let key: String = self.chars[at..self.i].iter().collect();
                self.repair_at(
                    at,
                    RepairKind::UnquotedKey,
                    format!("unquoted key `{key}` read as a string"),
                );
                Some(key)
            }
            Some(c) => {
                self.repair(
                    RepairKind::UnexpectedCharacter,
                    format!("`{c}` where a key should be; skipped"),
                );
                self.i += 1;
                None
            }
            None => None,
        }
    }

    /// After a member or element: a comma (a trailing one is a repair), the closer, or a
    /// missing comma.
    fn separator(&mut self, closer: char) {
        self.skip_ws();
        match self.peek() {
            Some(',') => {
                let comma = self.i;
                self.i += 1;
                self.skip_ws();
                if self.peek() == Some(closer) {
                    self.repair_at(
                        comma,
                        RepairKind::TrailingComma,
                        "trailing comma ignored".to_string(),
                    );
                }
            }
            Some('}' | ']') | None => {}
            Some(_) => self.repair(
                RepairKind::MissingComma,
                "missing `,` between two entries".to_string(),
            ),
        }
    }

    fn array(&mut self, depth: usize) -> Value {
        let open = self.i;
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            let Some(c) = self.peek() else {
                let (l, col) = self.position(open);
                self.repair(
                    RepairKind::UnclosedBracket,
                    format!("`[` opened at {l}:{col} is never closed; closed at the end"),
                );
                break;
            };
            match c {
                ']' => {
                    self.i += 1;
                    break;
                }
                '}' => {
                    self.repair(
                        RepairKind::MismatchedBracket,
                        "`}` closes a list; read as `]`".to_string(),
                    );
                    self.i += 1;
                    break;
                }
                ',' | ':' => {
                    self.repair(
                        RepairKind::UnexpectedCharacter,
                        format!("stray `{c}` in a list skipped"),
                    );
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            if let Some(v) = self.value(depth + 1) {
                items.push(v);
            }
            self.separator(']');
        }
        Value::Array(items)
    }

    /// A quoted string. A string still open at the end of its line is closed there.
    fn string(&mut self, quote: char) -> String {
        self.i += 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                self.repair(
                    RepairKind::UnclosedString,
                    "string never closed; closed at the end".to_string(),
                );
                break;
            };
            match c {
                c if c == quote => {
                    self.i += 1;
                    break;
                }
                '\n' | '\r' => {
                    let trimmed = out.trim_end().len();
                    out.truncate(trimmed);
                    self.repair(
                        RepairKind::UnclosedString,
                        format!("string `{out}` not closed; closed at the end of its line"),
                    );
                    break;
                }
                '\\' => {
                    self.i += 1;
                    self.escape(&mut out);
                }
                c if (c as u32) < 0x20 => {
                    self.repair(
                        RepairKind::ControlCharacter,
                        format!("raw control character U+{:04X} in a string kept", c as u32),
                    );
                    out.push(c);
                    self.i += 1;
                }
                c => {
                    out.push(c);
                    self.i += 1;
                }
            }
        }
        out
    }

    fn escape(&mut self, out: &mut String) {
        let Some(c) = self.peek() else {
            self.repair(
                RepairKind::InvalidEscape,
                "`\\` at the end of the text dropped".to_string(),
            );
            return;
        };
        self.i += 1;
        match c {
            '"' | '\\' | '/' | '\'' => out.push(c),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' => {
                let hex: String = self.chars[self.i..].iter().take(4).collect();
                match (hex.len() == 4)
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                {
                    Some(code) => {
                        self.i += 4;
                        match char::from_u32(code) {
                            Some(ch) => out.push(ch),
                            None => {
                                self.repair(
                                    RepairKind::InvalidEscape,
                                    format!("`\\u{hex}` is not a character; read as U+FFFD"),
                                );
                                out.push('\u{fffd}');
                            }
                        }
                    }
                    None => {
                        self.repair(
                            RepairKind::InvalidEscape,
                            "`\\u` without four hex digits kept as text".to_string(),
                        );
                        out.push_str("\\u");
                    }
                }
            }
            other => {
                self.repair(
                    RepairKind::InvalidEscape,
                    format!("unknown escape `\\{other}` kept as text"),
                );
                out.push('\\');
                out.push(other);
            }
        }
    }

    /// A number, `true`, `false` or `null`; anything else up to the end of the entry is an
    /// unquoted value, read as a string.
    fn scalar(&mut self) -> Value {
        let at = self.i;
        while matches!(self.peek(), Some(c) if !matches!(c, ',' | '}' | ']' | '\n' | '\r')) {
            self.i += 1;
        }
        let raw: String = self.chars[at..self.i].iter().collect();
        let token = raw.trim_end();
        // Give back trailing spaces so that positions after the token stay right.
        self.i = at + token.chars().count();
        match token {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            "null" => return Value::Null,
            _ => {}
        }
        if is_json_number(token) {
            match token.parse::<Number>() {
                Ok(n) => return Value::Number(n),
                Err(_) => {
                    self.repair_at(
                        at,
                        RepairKind::InvalidNumber,
                        format!("number `{token}` is out of range; read as a string"),
                    );
                    return Value::String(token.to_string());
                }
            }
        }
        self.repair_at(
            at,
            RepairKind::UnquotedValue,
            format!("unquoted value `{token}` read as the string \"{token}\""),
        );
        Value::String(token.to_string())
    }
}

/// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
fn is_json_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            digits(&mut i);
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn kinds(p: &Parsed) -> Vec<(RepairKind, Option<&str>, usize)> {
        p.repairs
            .iter()
            .map(|r| (r.kind, r.key.as_deref(), r.line))
            .collect()
    }

    #[test]
    fn valid_json_needs_no_repair() {
        let p = parse(r#"{"a": [1, 2.5, -3e2, true, null, "x\"\u00e9"], "b": {}}"#, 1);
        assert!(p.is_clean(), "{:?}", p.repairs);
        assert_eq!(
            p.value,
            Some(json!({"a": [1, 2.5, -300.0, true, null, "x\"é"], "b": {}}))
        );
    }

    #[test]
    fn unquoted_plus_number_becomes_a_string() {
        let p = parse("{\n  \"countryCode\": +47,\n  \"a\": 1\n}", 10);
        assert_eq!(p.value, Some(json!({"countryCode": "+47", "a": 1})));
        assert_eq!(kinds(&p), [(RepairKind::UnquotedValue, Some("countryCode"), 11)]);
        assert_eq!(p.repairs[0].column, 18);
    }

    #[test]
    fn string_open_at_end_of_line_is_closed_there() {
        let p = parse("{\n \"email\": \"a@b.c\n}", 1);
        assert_eq!(p.value, Some(json!({"email": "a@b.c"})));
        assert_eq!(kinds(&p), [(RepairKind::UnclosedString, Some("email"), 2)]);
    }

    #[test]
    fn trailing_and_missing_commas() {
        let p = parse("{\"a\": 1,\n\"b\": [1, 2,]\n\"c\": 3,}", 1);
        assert_eq!(p.value, Some(json!({"a": 1, "b": [1, 2], "c": 3})));
        let k: Vec<RepairKind> = p.repairs.iter().map(|r| r.kind).collect();
        assert_eq!(
            k,
            [
                RepairKind::TrailingComma,
                RepairKind::MissingComma,
                RepairKind::TrailingComma
            ]
        );
    }

    #[test]
    fn stray_block_and_empty_block_hold_no_value() {
        let p = parse("}\n", 72);
        assert_eq!(p.value, None);
        assert_eq!(kinds(&p), [(RepairKind::StrayBlock, None, 72)]);
        assert_eq!(p.repairs[0].subject(), "stray-block");
        assert_eq!(parse("  \n", 1).value, None);
    }

    #[test]
    fn unclosed_brackets_and_trailing_text() {
        let p = parse("{\"a\": [1, 2", 1);
        assert_eq!(p.value, Some(json!({"a": [1, 2]})));
        assert_eq!(p.repairs.len(), 2);
        let p = parse("{} }", 1);
        assert_eq!(kinds(&p), [(RepairKind::TrailingContent, None, 1)]);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let text = "[".repeat(100_000);
        let p = parse(&text, 1);
        assert!(p.repairs.iter().any(|r| r.kind == RepairKind::DepthLimit));
    }

    #[test]
    fn odd_input_never_loops() {
        for text in [
            ":",
            "{:}",
            "{\"a\" 1}",
            "[:,]",
            "{{}",
            "'x'",
            "{a: b}",
            "\"\\",
            "1e999999",
            "-",
            "{\"a\":}",
        ] {
            let _ = parse(text, 1);
        }
        assert_eq!(parse("{a: b}", 1).value, Some(json!({"a": "b"})));
        assert_eq!(parse("{\"a\":}", 1).value, Some(json!({"a": null})));
    }
}
