//! The fast normalizer and fingerprints against a plain reference written from the
//! documented specification: full NFKC, character by character, no shortcuts. Any
//! difference is a bug in the SWAR/SIMD scanner, the NFKC shortcut, the character
//! table or the SimHash counters, or a documentation that no longer says what the code
//! does.

use boildown::{fingerprint, normalize};
use proptest::prelude::*;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;
// On wasm32 the same tests run under wasm-bindgen-test (scripts/test).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn is_spaceless(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1780..=0x17FF | 0x3040..=0x30FF
        | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF
        | 0x20000..=0x3FFFF)
}

/// The normalized words of `text`, as the `normalize` module documentation says.
fn reference_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut digit_run = false;
    for c in text.nfkc() {
        if c.is_numeric() {
            if !digit_run {
                word.push('0');
            }
            digit_run = true;
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            for l in c.to_lowercase() {
                word.push(if l == 'ς' { 'σ' } else { l });
            }
            digit_run = false;
        } else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            digit_run = false;
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// The SimHash tokens of one word: bigrams of spaceless runs, other runs whole, bare
/// numbers left out.
fn reference_tokens(word: &str) -> Vec<String> {
    let chars: Vec<char> = word.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let spaceless = is_spaceless(chars[i]);
        let mut j = i;
        while j < chars.len() && is_spaceless(chars[j]) == spaceless {
            j += 1;
        }
        if spaceless && j - i >= 2 {
            for k in i..j - 1 {
                tokens.push(chars[k..k + 2].iter().collect());
            }
        } else {
            tokens.push(chars[i..j].iter().collect());
        }
        i = j;
    }
    tokens.retain(|t: &String| t != "0");
    tokens
}

/// The token hash exactly as the `fingerprint` module documentation specifies it.
fn reference_token_hash(token: &str) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0x243F_6A88_85A3_08D3;
    for chunk in token.as_bytes().chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        h = ((h ^ u64::from_le_bytes(buf)).wrapping_mul(K)).rotate_left(31);
    }
    h ^= token.len() as u64;
    h = (h ^ (h >> 32)).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^ (h >> 32)
}

/// SimHash by the textbook: a signed counter per bit, one shingle per token.
fn reference_simhash(tokens: &[String]) -> u64 {
    let mut counters = [0i64; 64];
    let (mut a, mut b) = (0u64, 0u64);
    for token in tokens {
        let c = reference_token_hash(token);
        let shingle = a.rotate_left(2) ^ b.rotate_left(1) ^ c;
        (a, b) = (b, c);
        for (bit, counter) in counters.iter_mut().enumerate() {
            *counter += if shingle >> bit & 1 == 1 { 1 } else { -1 };
        }
    }
    counters
        .iter()
        .enumerate()
        .fold(0, |acc, (bit, &c)| if c > 0 { acc | 1 << bit } else { acc })
}

/// Text from pieces that exercise every path: ASCII words of all lengths, digits,
/// punctuation, non-ASCII letters and separators, combining marks, compatibility
/// characters, spaceless scripts, and now and then any character at all.
fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z]{1,20}",
        2 => "[ ,.;:!?()'\"\\-\t\n]{1,3}",
        1 => "[0-9]{1,6}",
        1 => prop::sample::select(vec![
            "é", "Ä", "ß", "ẞ", "İ", "Σ", "ς", "ﬁ", "Ａ", "①", "½", "…", "\u{a0}", "\u{2003}",
            "’", "“", "—", "\u{301}", "\u{308}", "\u{316}", "中", "国", "タ", "ー", "ภา", "ษ",
            "한", "٣", "🙂", "™", "¨", "\u{338}", "=", "Ⱥ", "\u{feff}", "\0",
        ])
        .prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn normalize_matches_the_reference(text in text_strategy()) {
        prop_assert_eq!(normalize(&text), reference_words(&text).join(" "));
    }

    #[test]
    fn fingerprints_match_the_reference(text in text_strategy()) {
        let tokens: Vec<String> =
            reference_words(&text).iter().flat_map(|w| reference_tokens(w)).collect();
        let fp = fingerprint(&text);
        prop_assert_eq!(fp.tokens as usize, tokens.len());
        prop_assert_eq!(fp.simhash.as_u64(), reference_simhash(&tokens));
        let normalized = reference_words(&text).join(" ");
        prop_assert_eq!(fp.exact.as_u64(), xxhash_rust::xxh3::xxh3_64(normalized.as_bytes()));
    }
}

#[test]
fn long_and_repetitive_texts_match_the_reference() {
    let cases = [
        "x".repeat(1000),
        "Ab1 ".repeat(500),
        "Straße über Öl — ".repeat(300),
        "中文和日本語".repeat(200),
        format!("{}é{}", "a".repeat(63), "b".repeat(70)),
        "word ".repeat(16) + &"letters".repeat(20),
    ];
    for text in cases {
        assert_eq!(
            normalize(&text),
            reference_words(&text).join(" "),
            "{:.40}",
            text
        );
        let tokens: Vec<String> = reference_words(&text)
            .iter()
            .flat_map(|w| reference_tokens(w))
            .collect();
        assert_eq!(
            fingerprint(&text).simhash.as_u64(),
            reference_simhash(&tokens)
        );
    }
}
