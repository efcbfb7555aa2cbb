//! UTF-8 byte offsets to UTF-16 indices, for the JavaScript bindings: a JS string is
//! indexed in UTF-16 code units, so that is what `start`/`end` mean there.

#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

/// Turns increasing UTF-8 byte offsets of a text into UTF-16 indices in one pass.
pub(crate) struct Utf16Cursor<'a> {
    bytes: &'a [u8],
    ascii: bool,
    byte: usize,
    unit: usize,
}

impl<'a> Utf16Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Utf16Cursor {
            bytes: text.as_bytes(),
            ascii: text.is_ascii(),
            byte: 0,
            unit: 0,
        }
    }

    /// The UTF-16 index of byte offset `to` (a character boundary). Offsets are meant
    /// to come in increasing order; one below the previous starts over from the top.
    pub(crate) fn advance_to(&mut self, to: usize) -> usize {
        if self.ascii {
            return to;
        }
        if to < self.byte {
            self.byte = 0;
            self.unit = 0;
        }
        let to = to.min(self.bytes.len());
        let span = &self.bytes[self.byte..to];
        // One unit per character (count the bytes that are not continuation bytes
        // 10xxxxxx), one more for each 4-byte character (lead byte 11110xxx); eight
        // bytes at a time.
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let mut chunks = span.chunks_exact(8);
        for chunk in &mut chunks {
            let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
            let continuation = (w & !(w << 1) & HIGH).count_ones() as usize;
            let four_byte = (w & (w << 1) & (w << 2) & (w << 3) & HIGH).count_ones() as usize;
            self.unit += 8 - continuation + four_byte;
        }
        for &b in chunks.remainder() {
            self.unit += usize::from(b & 0xC0 != 0x80) + usize::from(b >= 0xF0);
        }
        self.byte = to;
        self.unit
    }
}

#[cfg(test)]
mod tests {
    use super::Utf16Cursor;
    use proptest::prelude::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    proptest! {
        #[test]
        fn utf16_indices_of_any_text(text in "\\PC{0,80}", cut in 0usize..100) {
            let mut cursor = Utf16Cursor::new(&text);
            let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let mid = bounds[cut % bounds.len()];
            prop_assert_eq!(cursor.advance_to(mid), text[..mid].encode_utf16().count());
            prop_assert_eq!(cursor.advance_to(text.len()), text.encode_utf16().count());
        }
    }

    #[test]
    fn utf16_indices_follow_the_encoding() {
        let text = "a€😀b中\nx and a longer ASCII stretch 😀😀 ñ\u{10FFFF}\u{7FF}\u{800}\u{FFFF}";
        let mut cursor = Utf16Cursor::new(text);
        let mut expected = Vec::new();
        let mut got = Vec::new();
        for (i, _) in text.char_indices().chain([(text.len(), ' ')]) {
            expected.push(text[..i].encode_utf16().count());
            got.push(cursor.advance_to(i));
        }
        assert_eq!(got, expected);
        assert_eq!(cursor.advance_to(1), 1, "going back starts over");
    }
}
