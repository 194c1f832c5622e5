//! Bounded quotes of untrusted input: whatever a server or a file holds, an error or a report
//! quotes at most a fixed number of bytes of it.

/// `s` cut to at most `max` bytes (at a character boundary), saying how long it was.
pub fn text(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    format!("{}… ({} bytes)", &s[..floor_boundary(s, max)], s.len())
}

/// The largest character boundary of `s` at or below `at`.
pub fn floor_boundary(s: &str, at: usize) -> usize {
    let mut cut = at.min(s.len());
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_at_a_character_boundary() {
        assert_eq!(text("short", 10), "short");
        assert_eq!(text("ééé", 3), "é… (6 bytes)");
        assert_eq!(text(&"x".repeat(5000), 4), "xxxx… (5000 bytes)");
    }
}
