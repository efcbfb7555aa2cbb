//! Properties of characters that the normalizer asks about (mostly for non-ASCII
//! ones: ASCII has its own fast path), looked up in a table built once for U+0000 to
//! U+2FFF (the Latin, Greek, Cyrillic, Arabic, Indic
//! and punctuation blocks, where most non-ASCII text lives) and computed directly for
//! other characters. The table answers exactly what the direct computation would.

use std::sync::OnceLock;

use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
use unicode_normalization::{is_nfkc_quick, IsNormalized};

/// A digit of any script (folded to `0`).
pub(crate) const DIGIT: u8 = 1;
/// A letter or combining mark: part of a word.
pub(crate) const WORD: u8 = 2;
/// NFKC quick check "yes" and canonical combining class 0: NFKC leaves it alone
/// whatever its neighbours.
pub(crate) const NFKC_STABLE: u8 = 4;
/// The lowercase mapping is the one character in the lowercase table.
const SIMPLE_LOWER: u8 = 8;

const TABLE_END: u32 = 0x3000;
const LOWER_END: u32 = 0x0530;

struct Table {
    flags: Vec<u8>,
    lower: Vec<char>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut flags = vec![0u8; TABLE_END as usize];
        let mut lower = vec!['\0'; LOWER_END as usize];
        for code in 0..TABLE_END {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut f = compute(c);
            if code < LOWER_END {
                let mut mapping = c.to_lowercase();
                if let (Some(l), None) = (mapping.next(), mapping.next()) {
                    lower[code as usize] = l;
                    f |= SIMPLE_LOWER;
                }
            }
            flags[code as usize] = f;
        }
        Table { flags, lower }
    })
}

fn compute(c: char) -> u8 {
    let mut f = if c.is_numeric() {
        DIGIT
    } else if c.is_alphanumeric() || is_combining_mark(c) {
        WORD
    } else {
        0
    };
    if canonical_combining_class(c) == 0 && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
        f |= NFKC_STABLE;
    }
    f
}

/// The flags of a character.
#[inline]
pub(crate) fn flags(c: char) -> u8 {
    match table().flags.get(c as usize) {
        Some(&f) => f,
        None => compute(c),
    }
}

/// Appends the case folding of a word character: its full lowercase mapping, with
/// final sigma as sigma.
#[inline]
pub(crate) fn push_lowercase(c: char, out: &mut [u8], w: &mut usize) {
    let t = table();
    let mut buf = [0u8; 4];
    if t.flags
        .get(c as usize)
        .is_some_and(|&f| f & SIMPLE_LOWER != 0)
    {
        let lower = t.lower[c as usize];
        let lower = if lower == 'ς' { 'σ' } else { lower };
        let encoded = lower.encode_utf8(&mut buf).as_bytes();
        out[*w..*w + encoded.len()].copy_from_slice(encoded);
        *w += encoded.len();
        return;
    }
    for lower in c.to_lowercase() {
        let lower = if lower == 'ς' { 'σ' } else { lower };
        let encoded = lower.encode_utf8(&mut buf).as_bytes();
        out[*w..*w + encoded.len()].copy_from_slice(encoded);
        *w += encoded.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_agrees_with_direct_computation() {
        for code in 0..0x4000u32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            assert_eq!(flags(c) & !SIMPLE_LOWER, compute(c), "U+{code:04X}");
            let (mut a, mut b) = ([0u8; 16], [0u8; 16]);
            let (mut wa, mut wb) = (0, 0);
            push_lowercase(c, &mut a, &mut wa);
            for l in c.to_lowercase() {
                let l = if l == 'ς' { 'σ' } else { l };
                wb += l.encode_utf8(&mut b[wb..]).len();
            }
            assert_eq!(a[..wa], b[..wb], "U+{code:04X}");
        }
    }
}
