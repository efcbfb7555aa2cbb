//! Normalization of a block's text, as [`normalize`] documents it, and the token
//! hash.
//!
//! One pass ([`crate::fingerprint::scan`]) writes the normalized text and hashes its tokens for
//! SimHash (see [`fingerprint`](crate::fingerprint)).

use icu_normalizer::ComposingNormalizerBorrowed;

use crate::fingerprint::scan::scan;

/// Receives the hash of every token as the scanner finds it.
pub(crate) trait TokenSink {
    /// One token's hash.
    fn push(&mut self, hash: u64);

    /// Forgets the tokens so far: the text is scanned again from the start.
    fn reset(&mut self);
}

/// Discards tokens: for tests.
#[cfg(test)]
impl TokenSink for () {
    #[inline(always)]
    fn push(&mut self, _: u64) {}

    fn reset(&mut self) {}
}

/// Collects tokens: for tests.
impl TokenSink for Vec<u64> {
    fn push(&mut self, hash: u64) {
        Vec::push(self, hash);
    }

    fn reset(&mut self) {
        self.clear();
    }
}

/// Normalizes `text` into the start of `out` and returns its length (`out` is scratch
/// space: it may be longer, and the normalized text is `&out[..length]`), calling
/// `on_token` with the hash of every SimHash token, in order: words other than bare
/// numbers, and bigrams of spaceless-script runs.
pub(crate) fn normalize_into(
    text: &str,
    out: &mut Vec<u8>,
    on_token: &mut impl TokenSink,
) -> usize {
    // The scanner checks, as it meets them, that the non-ASCII characters need no
    // NFKC step (the quick check of UAX #15, plus separators that NFKC maps to
    // separators only); if one does, the text is composed and scanned again.
    if let Some(len) = scan(text, out, on_token, true) {
        return len;
    }
    on_token.reset();
    let composed = ComposingNormalizerBorrowed::new_nfkc().normalize(text);
    scan(&composed, out, on_token, false).unwrap_or(0)
}

pub(crate) const SEED: u64 = 0x243F_6A88_85A3_08D3;
const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// One step of the token hash: mixes in the next (zero-padded) 8 bytes.
#[inline(always)]
pub(crate) fn mix_chunk(h: u64, chunk: u64) -> u64 {
    (h ^ chunk).wrapping_mul(MUL).rotate_left(31)
}

/// The last step of the token hash.
#[inline(always)]
pub(crate) fn finish_token(h: u64, len: usize) -> u64 {
    let h = h ^ len as u64;
    let h = (h ^ (h >> 32)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^ (h >> 32)
}

/// The hash of one token's UTF-8 bytes: its 8-byte little-endian chunks (the last one
/// zero-padded) folded with [`mix_chunk`] from [`SEED`], then [`finish_token`].
pub(crate) fn token_hash(bytes: &[u8]) -> u64 {
    let h = bytes.chunks(8).fold(SEED, |h, chunk| {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        mix_chunk(h, u64::from_le_bytes(buf))
    });
    finish_token(h, bytes.len())
}

/// The character starting at byte `i` of `text` (`i` is a character boundary).
#[inline]
pub(crate) fn next_char(text: &str, i: usize) -> char {
    text.get(i..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// True for characters of scripts written without spaces between words.
fn is_spaceless_script(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF      // Thai, Lao
        | 0x1000..=0x109F    // Myanmar
        | 0x1780..=0x17FF    // Khmer
        | 0x3040..=0x30FF    // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x3FFFF  // CJK extensions B and later
    )
}

pub(crate) fn split_spaceless(word: &[u8], f: &mut impl FnMut(&[u8])) {
    let Ok(word) = std::str::from_utf8(word) else {
        f(word);
        return;
    };
    // `plain`: start of the current run of ordinary characters; `prev`: start of the
    // previous spaceless character in the current spaceless run; `run_len`: its length.
    let mut plain: Option<usize> = None;
    let mut prev: Option<usize> = None;
    let mut run_len = 0usize;
    for (i, c) in word.char_indices() {
        if is_spaceless_script(c) {
            if let Some(p) = plain.take() {
                f(&word.as_bytes()[p..i]);
            }
            if let Some(p) = prev {
                f(&word.as_bytes()[p..i + c.len_utf8()]);
            }
            prev = Some(i);
            run_len += 1;
        } else {
            if run_len == 1 {
                if let Some(p) = prev {
                    f(&word.as_bytes()[p..i]);
                }
            }
            prev = None;
            run_len = 0;
            plain.get_or_insert(i);
        }
    }
    if let Some(p) = plain {
        f(&word.as_bytes()[p..]);
    } else if run_len == 1 {
        if let Some(p) = prev {
            f(&word.as_bytes()[p..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The token hashes of `text`, and the hashes of the tokens a test expects.
    fn tokens(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        normalize_into(text, &mut Vec::new(), &mut out);
        out
    }

    fn hashes(tokens: &[&str]) -> Vec<u64> {
        tokens.iter().map(|t| token_hash(t.as_bytes())).collect()
    }

    #[test]
    fn tokens_are_the_words_other_than_numbers() {
        assert_eq!(
            tokens(" Hello, WORLD 42! v2 "),
            hashes(&["hello", "world", "v0"])
        );
        assert_eq!(
            tokens("Internationalization ABCDEFGH abcdefghijklmnop x"),
            hashes(&["internationalization", "abcdefgh", "abcdefghijklmnop", "x"])
        );
        assert_eq!(
            tokens("abcdefgh2 abcdefghé"),
            hashes(&["abcdefgh0", "abcdefghé"])
        );
        assert_eq!(tokens("ärger über 3 Öl"), hashes(&["ärger", "über", "öl"]));
        assert_eq!(tokens("x\u{308}y — z"), hashes(&["ẍy", "z"]));
        assert_eq!(tokens("!! 12 ٣"), hashes(&[]));
        let long = "word ".repeat(1000);
        assert_eq!(tokens(&long), hashes(&["word"; 1000]));
    }

    use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

    /// ICU4X's NFKC (which normalizing uses) and unicode-normalization's (whose quick
    /// check and tables the scanner's fast path uses) agree on every code point, alone
    /// and after a letter and before a combining mark, which exercises composition and
    /// reordering.
    #[test]
    #[cfg_attr(
        debug_assertions,
        ignore = "1.1 million code points: run in release mode"
    )]
    fn both_nfkc_implementations_agree_on_every_code_point() {
        let icu = ComposingNormalizerBorrowed::new_nfkc();
        let mut text = String::new();
        let mut differ = Vec::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for (before, after) in [("", ""), ("a", "\u{301}"), ("\u{1100}", "\u{316}")] {
                text.clear();
                text.push_str(before);
                text.push(c);
                text.push_str(after);
                if icu.normalize(&text) != text.nfkc().collect::<String>() {
                    differ.push(text.clone());
                }
            }
        }
        assert!(
            differ.is_empty(),
            "{} differ: {:?}",
            differ.len(),
            &differ[..differ.len().min(20)]
        );
    }

    #[test]
    fn nfkc_check_agrees_with_the_quick_check() {
        for text in [
            "plain",
            "café",
            "cafe\u{301}",
            "a\u{a0}b",
            "ﬁ",
            "Ａ",
            "\u{301}x",
            "x\u{301}\u{316}",
            "x\u{316}\u{301}",
            "中文",
            "한국어",
            "½",
            "e\u{301}\u{301}",
            "\u{2003}",
            "",
            "wait…",
            "a™",
            "¨x",
            "=\u{338}",
            "…\u{338}",
            "①",
        ] {
            let quick = is_nfkc_quick(text.chars()) == IsNormalized::Yes;
            let separators =
                text.contains(['\u{a0}', '\u{2003}', '…']) && !text.contains('\u{338}');
            let fast =
                crate::fingerprint::scan::scan(text, &mut Vec::new(), &mut (), true).is_some();
            assert_eq!(fast, quick || separators, "{text:?}");
            // Either way the normalized text is that of the NFKC form.
            let composed: String = text.nfkc().collect();
            assert_eq!(normalize(text), normalize(&composed), "{text:?}");
        }
    }

    #[test]
    fn ascii_rules() {
        assert_eq!(normalize("  Hello,   World!  "), "hello world");
        assert_eq!(normalize("Comments (12) -- 3.14"), "comments 0 0 0");
        assert_eq!(normalize("v2x 2024abc"), "v0x 0abc");
        assert_eq!(normalize("!!! ..."), "");
        assert_eq!(normalize(""), "");
        assert_eq!(normalize("don't"), "don t");
    }

    #[test]
    fn unicode_rules() {
        assert_eq!(normalize("ÄRGER\u{a0}über"), "ärger über");
        // Decomposed input composes under NFKC and equals the precomposed form.
        assert_eq!(normalize("A\u{308}rger"), normalize("Ärger"));
        assert_eq!(normalize("ﬁne ＡＢＣ①"), "fine abc0");
        assert_eq!(normalize("ΟΔΟΣ"), "οδοσ");
        assert_eq!(normalize("οδος"), "οδοσ");
        assert_eq!(normalize("x\u{2003}y\u{3000}z"), "x y z");
        assert_eq!(normalize("٣٤ apples"), "0 apples");
        assert_eq!(normalize("🙂 smile 🙂"), "smile");
        // Devanagari vowel signs are combining marks and stay inside the word.
        assert_eq!(normalize("हिन्दी"), "हिन्दी");
    }

    #[test]
    fn spaceless_scripts_become_bigrams() {
        assert_eq!(tokens("中国和阿"), hashes(&["中国", "国和", "和阿"]));
        assert_eq!(tokens("中"), hashes(&["中"]));
        assert_eq!(tokens("abc中国def"), hashes(&["abc", "中国", "def"]));
        assert_eq!(tokens("x中y"), hashes(&["x", "中", "y"]));
        assert_eq!(tokens("东京 タワー"), hashes(&["东京", "タワ", "ワー"]));
        assert_eq!(tokens("中0国"), hashes(&["中", "国"]));
        let long = "中".repeat(500);
        assert_eq!(tokens(&long), hashes(&["中中"; 499]));
    }
}
