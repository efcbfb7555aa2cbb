//! Normalization and tokenization of a block's text.
//!
//! Two blocks are "the same text" for boildown when their normalized forms are equal.
//! Normalization is, in this order:
//!
//! 1. Unicode NFKC (skipped for ASCII, which is already in NFKC, and for text whose NFKC
//!    quick check says "yes"), so that full-width letters, ligatures and the no-break
//!    space compare equal to their plain forms;
//! 2. case folding: the full lowercase mapping of each character, with final sigma `ς`
//!    folded to `σ`;
//! 3. tokens: a token is a maximal run of *word characters* (letters, digits and
//!    combining marks); everything else (white space of any kind, punctuation, symbols,
//!    emoji) only separates tokens and is dropped;
//! 4. digits folded: every run of digits inside a token becomes the single digit `0`,
//!    so "3 comments" and "12 comments" or "2024" and "1999" normalize alike.
//!
//! The normalized text is the tokens joined by one ASCII space.
//!
//! The same single pass also hashes the tokens for SimHash (see
//! [`fingerprint`](crate::fingerprint)). Words of ASCII letters, most of most pages,
//! are found, lowercased and hashed 8 bytes at a time (SWAR: SIMD within a `u64`), so
//! the cost is per word, not per byte; other words go character by character.
//!
//! Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao,
//! Khmer, Myanmar) are tokenized by character bigrams for SimHash: "中国和阿" gives the
//! tokens "中国", "国和", "和阿". A single such character alone is one token.

use unicode_normalization::char::canonical_combining_class;

use crate::chars;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Normalizes `text` as the module documentation describes and returns the result.
///
/// ```
/// assert_eq!(boildown::normalize("Ｈｅｌｌｏ,\u{a0}WORLD — 2024!"), "hello world 0");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = Vec::new();
    let len = normalize_into(text, &mut out, &mut ());
    out.truncate(len);
    // The buffer only ever receives whole UTF-8 encoded characters.
    String::from_utf8(out).unwrap_or_default()
}

/// Receives the hash of every token as the scanner finds it.
pub(crate) trait TokenSink {
    /// One token's hash.
    fn push(&mut self, hash: u64);
}

/// Discards tokens: for [`normalize`].
impl TokenSink for () {
    #[inline(always)]
    fn push(&mut self, _: u64) {}
}

/// Collects tokens: for tests.
impl TokenSink for Vec<u64> {
    fn push(&mut self, hash: u64) {
        Vec::push(self, hash);
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
    if text.is_ascii() || is_nfkc_already(text) {
        scan(text, out, on_token)
    } else {
        let composed: String = text.nfkc().collect();
        scan(&composed, out, on_token)
    }
}

/// True if normalizing `text` needs no NFKC step: `text` passes the NFKC quick check
/// of UAX #15, except for characters that NFKC maps to separators only (the no-break
/// space, `…`, typographic spaces): the scanner treats those as separators anyway.
///
/// The check runs only on non-ASCII characters (ASCII is skipped 8 bytes at a time):
/// most text has few of them. A character that could compose with its neighbours is
/// a "Maybe" or a "No" of the quick check and makes this return false.
fn is_nfkc_already(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last_cc = 0u8;
    while i < bytes.len() {
        if load8(bytes, i) & HI == 0 {
            i += 8;
            last_cc = 0;
            continue;
        }
        if bytes[i] < 0x80 {
            i += 1;
            last_cc = 0;
            continue;
        }
        let c = next_char(text, i);
        i += c.len_utf8();
        if chars::flags(c) & chars::NFKC_STABLE != 0 {
            last_cc = 0;
            continue;
        }
        let cc = canonical_combining_class(c);
        if last_cc > cc && cc != 0 {
            return false;
        }
        if is_nfkc_quick(std::iter::once(c)) != IsNormalized::Yes && !separator_in_nfkc(c) {
            return false;
        }
        last_cc = cc;
    }
    true
}

/// True if `c` and its NFKC decomposition are all separators (no letter, digit or
/// mark) and starters: NFKC changes nothing about the tokens around it.
fn separator_in_nfkc(c: char) -> bool {
    let is_separator = |d: char| !is_word_char(d) && !d.is_numeric();
    let mut all = is_separator(c);
    unicode_normalization::char::decompose_compatible(c, |d| {
        all &= is_separator(d) && canonical_combining_class(d) == 0;
    });
    all
}

const SEED: u64 = 0x243F_6A88_85A3_08D3;
const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// One step of the token hash: mixes in the next (zero-padded) 8 bytes.
#[inline(always)]
fn mix_chunk(h: u64, chunk: u64) -> u64 {
    (h ^ chunk).wrapping_mul(MUL).rotate_left(31)
}

/// The last step of the token hash.
#[inline(always)]
fn finish_token(h: u64, len: usize) -> u64 {
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

/// Byte classes of the slow path.
const SEPARATOR: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;

fn ascii_class(b: u8) -> u8 {
    if b.is_ascii_alphabetic() {
        LETTER
    } else if b.is_ascii_digit() {
        DIGIT
    } else {
        SEPARATOR
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The 8 bytes at `i` as a little-endian number, zero-padded past the end.
#[inline(always)]
fn load8(bytes: &[u8], i: usize) -> u64 {
    match bytes
        .get(i..i + 8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
    {
        Some(b) => u64::from_le_bytes(b),
        None => bytes
            .get(i..)
            .unwrap_or_default()
            .iter()
            .take(8)
            .rev()
            .fold(0, |v, &b| v << 8 | u64::from(b)),
    }
}

/// For each byte of `x`, its high bit set if it is an ASCII letter; and likewise for
/// an ASCII separator (neither letter, digit nor a non-ASCII byte). SWAR: no carry
/// crosses a byte because high bits are cleared before adding.
#[inline(always)]
fn classify(x: u64) -> (u64, u64) {
    let ascii = !x & HI;
    let low7 = x & !HI;
    let folded = (x | (0x20 * LO)) & !HI;
    let letters =
        folded.wrapping_add((0x80 - 0x61) * LO) & !folded.wrapping_add((0x80 - 0x7b) * LO) & ascii;
    let digits =
        low7.wrapping_add((0x80 - 0x30) * LO) & !low7.wrapping_add((0x80 - 0x3a) * LO) & ascii;
    (letters, ascii & !letters & !digits)
}

/// How many bytes from the start have their high bit set in `mask` (0 to 8).
#[inline(always)]
fn leading_run(mask: u64) -> usize {
    ((!mask & HI).trailing_zeros() / 8) as usize
}

/// The single pass: writes the normalized text into `out` and hands the hash of every
/// token to `on_token`.
///
/// It looks at the text 64 bytes at a time: SIMD compares (through the `wide` crate:
/// SSE2 on x86-64, simd128 in WebAssembly when enabled, plain arrays elsewhere, with
/// identical results) give one bit per byte for "ASCII letter" and for "separator".
/// Every word of ASCII letters that lies wholly in the window, between separators,
/// the common case, is then found with bit operations, copied lowercased and hashed
/// 8 bytes at a time. Anything else (a digit, a non-ASCII character, a word running
/// past the window) goes to [`scan_item`], one word at a time.
fn scan(text: &str, out_vec: &mut Vec<u8>, on_token: &mut impl TokenSink) -> usize {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Normalized text is at most 1.5 times as long as its input (a lowercase mapping
    // turns 2 bytes into at most 3); the buffer is grown in the rare other cases.
    // Working on a local vector lets the compiler keep its length in a register.
    let mut local = std::mem::take(out_vec);
    let out = &mut local;
    if out.len() < n + n / 2 + 16 {
        out.resize(n + n / 2 + 16, 0);
    }
    let mut w = 0usize; // bytes of `out` written (the rest is scratch space)
    let mut base = 0usize;
    while base < n {
        let mut window = [0u8; 72];
        let (letters, digits, seps) = masks64(bytes, base, &mut window);
        let mut next = base + 64;
        let mut pos = 0usize;
        while pos < 64 {
            let candidates = !seps & (u64::MAX << pos);
            if candidates == 0 {
                break;
            }
            let start = candidates.trailing_zeros() as usize;
            let run = (!(letters >> start)).trailing_zeros() as usize;
            let end = start + run;
            if run == 0 || end >= 64 || (seps >> end) & 1 == 0 {
                if run == 0 {
                    // Two more common cases that stay in the window: a bare number
                    // (written as `0`, no token) and a non-ASCII separator (`’`, `—`).
                    let digit_run = (!(digits >> start)).trailing_zeros() as usize;
                    let digit_end = start + digit_run;
                    if digit_run > 0 && digit_end < 64 && (seps >> digit_end) & 1 != 0 {
                        if w + 24 > out.len() {
                            grow(out);
                        }
                        out[w] = b' ';
                        w += usize::from(w > 0);
                        out[w] = b'0';
                        w += 1;
                        pos = digit_end + 1;
                        continue;
                    }
                    if window[start] >= 0x80 {
                        let c = next_char(text, base + start);
                        let after = start + c.len_utf8();
                        if after < 64 && chars::flags(c) & (chars::WORD | chars::DIGIT) == 0 {
                            pos = after;
                            continue;
                        }
                    }
                }
                next = if run > 0 && end >= 64 && start > 0 {
                    // A word running past the window: look again from its start.
                    base + start
                } else {
                    let (i, w_after) = scan_item(text, base + start, out, w, on_token);
                    w = w_after;
                    i
                };
                break;
            }
            // A word of `run` ASCII letters at `base + start`, then a separator.
            if w + run + 24 > out.len() {
                grow(out);
            }
            // A space before every word but the first.
            out[w] = b' ';
            w += usize::from(w > 0);
            let h = if run <= 16 {
                // One or two chunks, chosen without a branch: the second chunk's hash is
                // computed either way and kept only for words of more than 8 letters.
                let first = window_word(&window, start) | (0x20 * LO);
                let second = window_word(&window, start + 8) | (0x20 * LO);
                out[w..w + 8].copy_from_slice(&first.to_le_bytes());
                out[w + 8..w + 16].copy_from_slice(&second.to_le_bytes());
                let one = mix_chunk(SEED, first & low_bytes(run.min(8)));
                let two = mix_chunk(one, second & low_bytes(run.saturating_sub(8)));
                if run > 8 {
                    two
                } else {
                    one
                }
            } else {
                let mut h = SEED;
                let mut k = 0;
                while run - k > 8 {
                    let chunk = window_word(&window, start + k) | (0x20 * LO);
                    out[w + k..w + k + 8].copy_from_slice(&chunk.to_le_bytes());
                    h = mix_chunk(h, chunk);
                    k += 8;
                }
                let chunk = (window_word(&window, start + k) | (0x20 * LO)) & low_bytes(run - k);
                out[w + k..w + k + 8].copy_from_slice(&chunk.to_le_bytes());
                mix_chunk(h, chunk)
            };
            w += run;
            on_token.push(finish_token(h, run));
            pos = end + 1;
        }
        base = next;
    }
    *out_vec = local;
    w
}

/// A mask of the low `n` bytes of a `u64` (`n` from 0 to 8).
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    ((1u128 << (8 * n)) - 1) as u64
}

/// The 8 bytes of the window at `at` (below 64), as a little-endian number.
#[inline(always)]
fn window_word(window: &[u8; 72], at: usize) -> u64 {
    let at = at.min(64);
    u64::from_le_bytes([
        window[at],
        window[at + 1],
        window[at + 2],
        window[at + 3],
        window[at + 4],
        window[at + 5],
        window[at + 6],
        window[at + 7],
    ])
}

/// Copies the 64 bytes from `base` into `window` (zeros past the end) and returns three
/// masks: bit `k` of the first is set if byte `base + k` is an ASCII letter; of the
/// second, if it is an ASCII digit; of the third, if it is a separator: ASCII, neither
/// letter nor digit (bytes past the end count as separators).
#[inline(always)]
fn masks64(bytes: &[u8], base: usize, window: &mut [u8; 72]) -> (u64, u64, u64) {
    use wide::u8x16;
    let (mut letters, mut digits, mut seps) = (0u64, 0u64, 0u64);
    for lane in 0..4 {
        let at = base + 16 * lane;
        if at >= bytes.len() {
            // Past the end: all separators.
            seps |= u64::MAX << (16 * lane);
            break;
        }
        let buf = match bytes
            .get(at..at + 16)
            .and_then(|b| <[u8; 16]>::try_from(b).ok())
        {
            Some(chunk) => chunk,
            None => {
                let mut buf = [0u8; 16];
                let tail = bytes.get(at..).unwrap_or_default();
                buf[..tail.len()].copy_from_slice(tail);
                buf
            }
        };
        window[16 * lane..16 * lane + 16].copy_from_slice(&buf);
        let v = u8x16::new(buf);
        let letter_offset = (v | u8x16::splat(0x20)) - u8x16::splat(b'a');
        let is_letter = letter_offset.min(u8x16::splat(25)).simd_eq(letter_offset);
        let digit_offset = v - u8x16::splat(b'0');
        let is_digit = digit_offset.min(u8x16::splat(9)).simd_eq(digit_offset);
        // Bytes from 0x80 up (non-ASCII) have their top bit set already.
        let not_separator = is_letter | is_digit | v;
        letters |= u64::from(is_letter.to_bitmask()) << (16 * lane);
        digits |= u64::from(is_digit.to_bitmask()) << (16 * lane);
        seps |= u64::from(!not_separator.to_bitmask() & 0xffff) << (16 * lane);
    }
    (letters, digits, seps)
}

/// Handles what starts at byte `i`, which is no ASCII separator: a non-ASCII separator
/// (skipped) or a word of any kind, written to `out` from `w` and its tokens handed on.
/// Returns the position after it and the new length of `out`.
fn scan_item(
    text: &str,
    mut i: usize,
    out: &mut Vec<u8>,
    mut w: usize,
    on_token: &mut impl TokenSink,
) -> (usize, usize) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    if bytes[i] >= 0x80 {
        let c = next_char(text, i);
        if chars::flags(c) & (chars::WORD | chars::DIGIT) == 0 {
            return (i + c.len_utf8(), w);
        }
    }
    if w > 0 {
        out[w] = b' ';
        w += 1;
    }
    let word_start = w;
    let mut h = SEED;
    loop {
        if w + 16 > out.len() {
            grow(out);
        }
        let x = load8(bytes, i);
        let (letters, _) = classify(x);
        let run = leading_run(letters);
        let lowered = x | (0x20 * LO);
        out[w..w + 8].copy_from_slice(&lowered.to_le_bytes());
        if run == 8 {
            h = mix_chunk(h, lowered);
        } else if run > 0 {
            h = mix_chunk(h, lowered & ((1u64 << (8 * run)) - 1));
        }
        w += run;
        i += run;
        if run < 8 {
            break;
        }
    }
    if i >= n || (bytes[i] < 0x80 && ascii_class(bytes[i]) == SEPARATOR) {
        on_token.push(finish_token(h, w - word_start));
        return (i, w);
    }
    // The word goes on with a digit or a non-ASCII character.
    let (end_i, end_w, wide) = slow_word(text, i, out, w, word_start);
    let word = &out[word_start..end_w];
    if wide {
        split_spaceless(word, &mut |token: &[u8]| {
            if token != b"0" {
                on_token.push(token_hash(token));
            }
        });
    } else if word != b"0" {
        on_token.push(token_hash(word));
    }
    (end_i, end_w)
}

/// Continues the word that started at `out[word_start]` from byte `i` of `text`, one
/// character at a time, up to the next separator. Returns the new `i`, the new length
/// of `out`, and whether the word has non-ASCII characters.
fn slow_word(
    text: &str,
    mut i: usize,
    out: &mut Vec<u8>,
    mut w: usize,
    word_start: usize,
) -> (usize, usize, bool) {
    let bytes = text.as_bytes();
    let mut wide = out[word_start..w].iter().any(|&b| b >= 0x80);
    while i < bytes.len() {
        if w + 8 > out.len() {
            grow(out);
        }
        // A folded digit run ends in b'0'; no letter, ASCII or not, writes that byte.
        let digit_run = w > word_start && out[w - 1] == b'0';
        let b = bytes[i];
        if b < 0x80 {
            match ascii_class(b) {
                LETTER => {
                    out[w] = b.to_ascii_lowercase();
                    w += 1;
                }
                DIGIT if !digit_run => {
                    out[w] = b'0';
                    w += 1;
                }
                DIGIT => {}
                _ => break,
            }
            i += 1;
        } else {
            let c = next_char(text, i);
            let flags = chars::flags(c);
            if flags & chars::DIGIT != 0 {
                if !digit_run {
                    out[w] = b'0';
                    w += 1;
                }
            } else if flags & chars::WORD != 0 {
                wide = true;
                chars::push_lowercase(c, out, &mut w);
            } else {
                break;
            }
            i += c.len_utf8();
        }
    }
    (i, w, wide)
}

/// The character starting at byte `i` of `text` (`i` is a character boundary).
#[inline]
fn next_char(text: &str, i: usize) -> char {
    text.get(i..)
        .and_then(|rest| rest.chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Letters, digits and combining marks make words (for non-ASCII characters).
#[inline]
fn is_word_char(c: char) -> bool {
    chars::flags(c) & chars::WORD != 0
}

#[cold]
fn grow(out: &mut Vec<u8>) {
    let len = out.len();
    out.resize(len * 2 + 16, 0);
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

fn split_spaceless(word: &[u8], f: &mut impl FnMut(&[u8])) {
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
            assert_eq!(is_nfkc_already(text), quick || separators, "{text:?}");
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
