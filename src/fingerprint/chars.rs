//! Properties of characters that the normalizer asks about (mostly for non-ASCII
//! ones: ASCII has its own fast path), looked up in tables of 256 code points built
//! the first time they are needed, for the Basic Multilingual Plane, and computed
//! directly above it. The tables answer exactly what the direct computation would.

use std::sync::OnceLock;

use icu_normalizer::ComposingNormalizerBorrowed;
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
/// Not stable under NFKC, but a separator that NFKC turns into separators only (the
/// no-break space, `…`, typographic spaces): NFKC changes no token around it.
pub(crate) const NFKC_SEPARATOR: u8 = 16;

const LOWER_END: u32 = 0x0530;

/// Flags of the Basic Multilingual Plane, in pages of 256 code points, each page
/// computed the first time a character of it is looked up.
static PAGES: [OnceLock<[u8; 256]>; 256] = [const { OnceLock::new() }; 256];

fn page(index: u32) -> [u8; 256] {
    let mut flags = [0u8; 256];
    for (offset, slot) in flags.iter_mut().enumerate() {
        if let Some(c) = char::from_u32(index << 8 | offset as u32) {
            *slot = compute(c)
                | if simple_lower(c).is_some() {
                    SIMPLE_LOWER
                } else {
                    0
                };
        }
    }
    flags
}

/// The lowercase mapping of `c` if it is one character and `c` is below `LOWER_END`.
fn simple_lower(c: char) -> Option<char> {
    if c as u32 >= LOWER_END {
        return None;
    }
    let mut mapping = c.to_lowercase();
    match (mapping.next(), mapping.next()) {
        (Some(l), None) => Some(l),
        _ => None,
    }
}

fn lower_table() -> &'static [char] {
    static LOWER: OnceLock<Vec<char>> = OnceLock::new();
    LOWER.get_or_init(|| {
        (0..LOWER_END)
            .map(|code| char::from_u32(code).and_then(simple_lower).unwrap_or('\0'))
            .collect()
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
    } else if f == 0 && separator_in_nfkc(c) {
        f |= NFKC_SEPARATOR;
    }
    f
}

/// True if `c` and its NFKC form are all separators (no letter, digit or mark) and
/// starters. Computed directly: it runs while a table page is being built. (Asked only
/// of characters that NFKC changes, whose NFKC form and full compatibility
/// decomposition tell the same: a test checks every code point.)
fn separator_in_nfkc(c: char) -> bool {
    let is_separator = |d: char| !d.is_numeric() && !d.is_alphanumeric() && !is_combining_mark(d);
    let mut buf = [0; 4];
    let composed = ComposingNormalizerBorrowed::new_nfkc().normalize(c.encode_utf8(&mut buf));
    is_separator(c)
        && composed
            .chars()
            .all(|d| is_separator(d) && canonical_combining_class(d) == 0)
}

/// The flags of a character.
#[inline]
pub(crate) fn flags(c: char) -> u8 {
    let code = c as u32;
    match PAGES.get((code >> 8) as usize) {
        Some(cell) => cell.get_or_init(|| page(code >> 8))[(code & 0xff) as usize],
        None => compute(c),
    }
}

/// Appends the case folding of a word character to `out` at `*w`: its full lowercase
/// mapping, with final sigma as sigma.
#[inline]
pub(crate) fn push_lowercase(c: char, out: &mut [u8], w: &mut usize) {
    let mut push = |lower: char| {
        let lower = if lower == 'ς' { 'σ' } else { lower };
        *w += lower.encode_utf8(&mut out[*w..]).len();
    };
    if flags(c) & SIMPLE_LOWER != 0 {
        push(lower_table()[c as usize]);
    } else {
        c.to_lowercase().for_each(push);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// The flags, with the separator check on ICU4X's NFKC, are what they are with the
    /// check on the full compatibility decomposition of unicode-normalization (whose
    /// tables the rest uses), on every code point.
    #[test]
    #[cfg_attr(
        debug_assertions,
        ignore = "1.1 million code points: run in release mode"
    )]
    fn separators_agree_with_the_full_compatibility_decomposition() {
        let is_separator =
            |d: char| !d.is_numeric() && !d.is_alphanumeric() && !is_combining_mark(d);
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let flags = compute(c);
            if flags & NFKC_STABLE != 0 || flags & (DIGIT | WORD) != 0 {
                continue; // the separator check is not asked
            }
            let mut all = is_separator(c);
            unicode_normalization::char::decompose_compatible(c, |d| {
                all &= is_separator(d) && canonical_combining_class(d) == 0;
            });
            assert_eq!(flags & NFKC_SEPARATOR != 0, all, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn table_agrees_with_direct_computation() {
        for code in (0..0x11000u32).chain(0x1F600..0x1F700) {
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
