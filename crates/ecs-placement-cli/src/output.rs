//! Everything `placement` prints goes through here: text from scenarios and commands is made
//! safe for a terminal (control characters, escape sequences and bidirectional overrides are
//! shown escaped, never interpreted), and a closed pipe ends the printing quietly instead of
//! panicking, so that `placement run ... --save OUT | head` still saves.

use std::io::Write;

/// Prints a line of text on stdout, control characters escaped.
pub fn out(text: &str) {
    write_line(&mut std::io::stdout().lock(), &escape_text(text));
}

/// Prints text on stdout without adding a newline, control characters escaped.
pub fn out_raw(text: &str) {
    let _ = std::io::stdout().lock().write_all(escape_text(text).as_bytes());
}

/// Prints a JSON document on stdout: what `serde_json` leaves unescaped inside strings (DEL,
/// the C1 controls, bidirectional overrides) is written as `\uXXXX`, which reads back the same.
pub fn out_json(json: &str) {
    write_line(&mut std::io::stdout().lock(), &escape_json(json));
}

/// Prints a line on stderr, control characters escaped.
pub fn err(text: &str) {
    write_line(&mut std::io::stderr().lock(), &escape_text(text));
}

/// Prints text on stderr without adding a newline, control characters escaped.
pub fn err_raw(text: &str) {
    let _ = std::io::stderr().lock().write_all(escape_text(text).as_bytes());
}

/// Writes a line; a closed pipe (or any write error) is ignored: the reader has gone.
fn write_line(writer: &mut impl Write, text: &str) {
    let _ = writer.write_all(text.as_bytes());
    let _ = writer.write_all(b"\n");
}

/// Characters a terminal could act on: every control character but newline and tab, and the
/// Unicode format characters that reorder or hide text.
fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// `\x1b`-style escapes for unsafe characters of plain text.
pub fn escape_text(text: &str) -> String {
    escape_unsafe(text, |code| match code {
        0..=0xFF => format!("\\x{code:02x}"),
        _ => format!("\\u{{{code:x}}}"),
    })
}

/// `\uXXXX` escapes for unsafe characters inside JSON strings (serde_json already escapes the
/// C0 controls; the layout's own newlines are kept).
pub fn escape_json(json: &str) -> String {
    escape_unsafe(json, |code| format!("\\u{code:04x}"))
}

/// Whether `text` may hold an unsafe character, read byte by byte (a response can be
/// megabytes of JSON): every unsafe character is an ASCII control or starts with 0xC2 (C1
/// controls), 0xE2 (the format characters) or 0xEF (U+FEFF) in UTF-8.
fn may_hold_unsafe(text: &str) -> bool {
    text.bytes()
        .any(|b| (b < 0x20 && b != b'\n' && b != b'\t') || matches!(b, 0x7F | 0xC2 | 0xE2 | 0xEF))
}

/// `text` with each unsafe character replaced by `escape` of its code point.
fn escape_unsafe(text: &str, escape: impl Fn(u32) -> String) -> String {
    if !may_hold_unsafe(text) || !text.chars().any(is_unsafe) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if is_unsafe(c) {
            out.push_str(&escape(u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_a_terminal_would_act_on() {
        assert_eq!(
            escape_text("a\u{1b}[31mred\u{7}\nnext\tcol"),
            "a\\x1b[31mred\\x07\nnext\tcol"
        );
        assert_eq!(escape_text("\u{9b}2J \u{202e}txt"), "\\x9b2J \\u{202e}txt");
        assert_eq!(escape_text("plain é ✓"), "plain é ✓");
    }

    #[test]
    fn the_byte_check_misses_no_unsafe_character() {
        let unsafe_ones = (0..=0x10FFFFu32).filter_map(char::from_u32).filter(|&c| is_unsafe(c));
        for c in unsafe_ones {
            assert!(may_hold_unsafe(&format!("ab{c}cd")), "{:x}", u32::from(c));
        }
        assert!(!may_hold_unsafe("{\"plain\": \"é 東京\",\n\t\"n\": 1}"));
    }

    #[test]
    fn json_stays_json() {
        let json = serde_json::to_string_pretty(&serde_json::json!({"id": "a\u{1b}b\u{9b}c\u{7f}"})).unwrap();
        let escaped = escape_json(&json);
        assert!(!escaped.chars().any(is_unsafe), "{escaped}");
        let back: serde_json::Value = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back["id"], "a\u{1b}b\u{9b}c\u{7f}");
    }
}
