//! The scanner: one pass over a block's text that writes its normalized form and hands
//! the hash of every token to a [`TokenSink`], as [`crate::normalize`] specifies.
//!
//! It looks at the text 64 bytes at a time. SIMD compares (through the `wide` crate:
//! SSE2 on x86-64, simd128 in WebAssembly when enabled, plain arrays elsewhere, with
//! identical results) give one bit per byte for "ASCII letter", "ASCII digit" and
//! "separator". The common cases are then handled with bit operations inside the
//! window: a word of ASCII letters between separators (copied lowercased and hashed 8
//! bytes at a time; up to 16 letters without a branch on the length), a bare number,
//! a non-ASCII separator. Everything else (a word with digits or non-ASCII letters, a
//! word running past the window) goes to [`scan_item`], one word at a time, and the
//! window restarts after it.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized};

use crate::fingerprint::chars;
use crate::fingerprint::normalize::{
    finish_token, mix_chunk, next_char, split_spaceless, token_hash, TokenSink, SEED,
};

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

/// For each byte of `x`, its high bit set if it is an ASCII letter. SWAR: no carry
/// crosses a byte because high bits are cleared before adding.
#[inline(always)]
fn ascii_letters(x: u64) -> u64 {
    let folded = (x | (0x20 * LO)) & !HI;
    folded.wrapping_add((0x80 - 0x61) * LO) & !folded.wrapping_add((0x80 - 0x7b) * LO) & !x & HI
}

/// How many bytes from the start have their high bit set in `mask` (0 to 8).
#[inline(always)]
fn leading_run(mask: u64) -> usize {
    ((!mask & HI).trailing_zeros() / 8) as usize
}

/// Normalizes `text` into the start of `out_vec` and returns the length, handing token
/// hashes to `on_token`. With `check`, returns `None` as soon as it meets a character
/// that NFKC could change in a way that matters (see [`needs_nfkc`]): the caller then
/// composes the text and scans it again without the check.
pub(crate) fn scan(
    text: &str,
    out_vec: &mut Vec<u8>,
    on_token: &mut impl TokenSink,
    check: bool,
) -> Option<usize> {
    // Normalized text is at most 1.5 times as long as its input (a lowercase mapping
    // turns 2 bytes into at most 3); the buffer is grown in the rare other cases.
    // Working on a local vector lets the compiler keep its length in a register.
    let mut local = std::mem::take(out_vec);
    let n = text.len();
    if local.len() < n + n / 2 + 16 {
        local.resize(n + n / 2 + 16, 0);
    }
    let result = scan_into(text, &mut local, on_token, check);
    *out_vec = local;
    result
}

/// True if `c`, met by the scanner, means the text must go through NFKC first: a
/// separator that NFKC would turn into something else than separators, or a word
/// character that fails the NFKC quick check (or a combining mark out of canonical
/// order after one of class `last_cc`).
#[inline]
fn needs_nfkc(c: char, flags: u8, last_cc: &mut u8) -> bool {
    if flags & chars::NFKC_STABLE != 0 {
        *last_cc = 0;
        return false;
    }
    if flags & (chars::WORD | chars::DIGIT) == 0 {
        *last_cc = 0;
        return flags & chars::NFKC_SEPARATOR == 0;
    }
    let cc = canonical_combining_class(c);
    let out_of_order = cc != 0 && *last_cc > cc;
    *last_cc = cc;
    out_of_order || is_nfkc_quick(std::iter::once(c)) != IsNormalized::Yes
}

fn scan_into(
    text: &str,
    out: &mut Vec<u8>,
    on_token: &mut impl TokenSink,
    check: bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let n = bytes.len();
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
                        let flags = chars::flags(c);
                        if after < 64 && flags & (chars::WORD | chars::DIGIT) == 0 {
                            if check && needs_nfkc(c, flags, &mut 0) {
                                return None;
                            }
                            pos = after;
                            continue;
                        }
                    }
                }
                next = if run > 0 && end >= 64 && start > 0 {
                    // A word running past the window: look again from its start.
                    base + start
                } else {
                    let (i, w_after) = scan_item(text, base + start, out, w, on_token, check)?;
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
                // Only kept for more than 8 letters, so its length is taken as 1 to 8.
                let two = mix_chunk(one, second & low_bytes(run.max(9) - 8));
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
    Some(w)
}

/// A mask of the low `n` bytes of a `u64` (`n` from 1 to 8).
#[inline(always)]
fn low_bytes(n: usize) -> u64 {
    u64::MAX >> ((64 - 8 * n) & 63)
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
    check: bool,
) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    if bytes[i] >= 0x80 {
        let c = next_char(text, i);
        let flags = chars::flags(c);
        if flags & (chars::WORD | chars::DIGIT) == 0 {
            if check && needs_nfkc(c, flags, &mut 0) {
                return None;
            }
            return Some((i + c.len_utf8(), w));
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
        let run = leading_run(ascii_letters(x));
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
        return Some((i, w));
    }
    // The word goes on with a digit or a non-ASCII character.
    let (end_i, end_w, wide) = slow_word(text, i, out, w, word_start, check)?;
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
    Some((end_i, end_w))
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
    check: bool,
) -> Option<(usize, usize, bool)> {
    let bytes = text.as_bytes();
    let mut wide = out[word_start..w].iter().any(|&b| b >= 0x80);
    let mut last_cc = 0u8; // canonical combining class of the previous character
    while i < bytes.len() {
        if w + 8 > out.len() {
            grow(out);
        }
        // A folded digit run ends in b'0'; no letter, ASCII or not, writes that byte.
        let digit_run = w > word_start && out[w - 1] == b'0';
        let b = bytes[i];
        if b < 0x80 {
            last_cc = 0;
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
            if flags & (chars::WORD | chars::DIGIT) == 0 {
                // A separator ends the word; whoever handles it next checks it.
                break;
            }
            if check && needs_nfkc(c, flags, &mut last_cc) {
                return None;
            }
            if flags & chars::DIGIT != 0 {
                if !digit_run {
                    out[w] = b'0';
                    w += 1;
                }
            } else {
                wide = true;
                chars::push_lowercase(c, out, &mut w);
            }
            i += c.len_utf8();
        }
    }
    Some((i, w, wide))
}

#[cold]
fn grow(out: &mut Vec<u8>) {
    let len = out.len();
    out.resize(len * 2 + 16, 0);
}
