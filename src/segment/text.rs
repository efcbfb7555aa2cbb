//! Plain-text segmentation, as [`text_blocks`] documents it.

use std::ops::Range;

/// Iterates over the blocks of plain text as byte ranges into `input`: every non-blank
/// line is a block.
///
/// Scraped text puts one paragraph per line; blank lines only separate. A line ends at
/// `\n`, `\r\n` or a lone `\r`; the last line needs no terminator. A byte-order mark at
/// the start of the input is skipped. A block's span is its line with the white space
/// at both ends trimmed (any Unicode white space, the no-break space U+00A0 included),
/// so a line holding only white space gives no block.
///
/// Each range is non-empty, lies on `char` boundaries, and `&input[range]` is the block's
/// text. Ranges come in input order and never overlap.
///
/// ```
/// let input = "\u{feff}Title\r\n\r\n  First paragraph.\u{a0}\n\u{a0}\nlast";
/// let texts: Vec<&str> = boildown::text_blocks(input).map(|r| &input[r]).collect();
/// assert_eq!(texts, ["Title", "First paragraph.", "last"]);
/// ```
pub fn text_blocks(input: &str) -> TextBlocks<'_> {
    let pos = if input.starts_with('\u{feff}') { 3 } else { 0 };
    TextBlocks {
        input,
        pos,
        line_ends: memchr::memchr2_iter(b'\n', b'\r', input.as_bytes()),
    }
}

/// The iterator returned by [`text_blocks`].
#[derive(Clone, Debug)]
pub struct TextBlocks<'a> {
    input: &'a str,
    /// Where the next line starts (past the end when all lines are done).
    pos: usize,
    /// Positions of `\n` and `\r`, found by one SIMD pass over the input.
    line_ends: memchr::Memchr2<'a>,
}

impl Iterator for TextBlocks<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.input.as_bytes();
        while self.pos <= bytes.len() {
            let start = self.pos;
            // The next line end at or after `start` (the `\n` of a `\r\n` pair was
            // consumed with its `\r` and is skipped here).
            let end = loop {
                match self.line_ends.next() {
                    Some(end) if end < start => continue,
                    Some(end) => break end,
                    None => break bytes.len(),
                }
            };
            self.pos = if end < bytes.len() {
                let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
                end + if crlf { 2 } else { 1 }
            } else {
                bytes.len() + 1
            };
            if let Some(range) = trim(self.input, start, end) {
                return Some(range);
            }
        }
        None
    }
}

/// Trims white space from both ends of `input[start..end]`; `None` if nothing is left.
fn trim(input: &str, mut start: usize, mut end: usize) -> Option<Range<usize>> {
    let bytes = input.as_bytes();
    // ASCII fast paths first; fall back to `char::is_whitespace` for other characters.
    while start < end && bytes[start].is_ascii_whitespace() {
        start += 1;
    }
    while end > start && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    if start < end && (!bytes[start].is_ascii() || !bytes[end - 1].is_ascii()) {
        let line = &input[start..end];
        let head = line.trim_start_matches(char::is_whitespace);
        let body = head.trim_end_matches(char::is_whitespace);
        start += line.len() - head.len();
        end = start + body.len();
    }
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn texts(input: &str) -> Vec<&str> {
        text_blocks(input).map(|r| &input[r]).collect()
    }

    #[test]
    fn line_endings() {
        assert_eq!(texts("a\nb\r\nc\rd"), ["a", "b", "c", "d"]);
        assert_eq!(texts("a\r\r\nb\n\n\n"), ["a", "b"]);
        assert_eq!(texts("\r\n\r\n"), Vec::<&str>::new());
        assert_eq!(texts(""), Vec::<&str>::new());
        assert_eq!(texts("no newline"), ["no newline"]);
    }

    #[test]
    fn white_space_only_lines_give_no_block() {
        assert_eq!(texts(" \t\u{a0}\u{3000}\n x \u{a0}\n\u{2003}"), ["x"]);
        assert_eq!(texts("\u{feff}"), Vec::<&str>::new());
        assert_eq!(texts("\u{feff}\u{feff}x"), ["\u{feff}x"]);
    }
}
