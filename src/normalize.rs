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
//! Scripts written without spaces between words (Han, Hiragana, Katakana, Thai, Lao,
//! Khmer, Myanmar) are tokenized by character bigrams for SimHash: "中国和阿" gives the
//! tokens "中国", "国和", "和阿". A single such character alone is one token.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

/// Normalizes `text` as the module documentation describes and returns the result.
///
/// ```
/// assert_eq!(boildown::normalize("Ｈｅｌｌｏ,\u{a0}WORLD — 2024!"), "hello world 0");
/// ```
pub fn normalize(text: &str) -> String {
    let mut out = Vec::new();
    normalize_into(text, &mut out);
    // The buffer only ever receives whole UTF-8 encoded characters.
    String::from_utf8(out).unwrap_or_default()
}

/// Normalizes `text` into `out` (cleared first). `out` holds valid UTF-8 afterwards.
pub(crate) fn normalize_into(text: &str, out: &mut Vec<u8>) {
    out.clear();
    out.reserve(text.len());
    if text.is_ascii() {
        normalize_ascii(text.as_bytes(), out);
        return;
    }
    let mut state = Emitter::default();
    if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        for c in text.chars() {
            state.push(c, out);
        }
    } else {
        for c in text.nfkc() {
            state.push(c, out);
        }
    }
}

/// What each ASCII byte is for the normalizer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AsciiClass {
    Separator,
    Digit,
    Letter,
}

const fn ascii_classes() -> [AsciiClass; 128] {
    let mut table = [AsciiClass::Separator; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_digit() {
            table[b] = AsciiClass::Digit;
        } else if c.is_ascii_alphabetic() {
            table[b] = AsciiClass::Letter;
        }
        b += 1;
    }
    table
}

static ASCII_CLASSES: [AsciiClass; 128] = ascii_classes();

fn normalize_ascii(bytes: &[u8], out: &mut Vec<u8>) {
    // `gap`: a separator was seen since the last token byte; `digits`: the last byte
    // written is a folded digit run.
    let mut gap = false;
    let mut digits = false;
    for &b in bytes {
        match ASCII_CLASSES[usize::from(b & 0x7f)] {
            AsciiClass::Separator => {
                gap = true;
                digits = false;
            }
            AsciiClass::Digit => {
                if digits {
                    continue;
                }
                if gap && !out.is_empty() {
                    out.push(b' ');
                }
                gap = false;
                digits = true;
                out.push(b'0');
            }
            AsciiClass::Letter => {
                if gap && !out.is_empty() {
                    out.push(b' ');
                }
                gap = false;
                digits = false;
                out.push(b.to_ascii_lowercase());
            }
        }
    }
}

/// The per-character state machine for non-ASCII text (same rules as the ASCII path).
#[derive(Default)]
struct Emitter {
    gap: bool,
    digits: bool,
}

impl Emitter {
    #[inline]
    fn push(&mut self, c: char, out: &mut Vec<u8>) {
        if c.is_ascii() {
            let b = c as u8;
            match ASCII_CLASSES[usize::from(b)] {
                AsciiClass::Separator => self.separator(),
                AsciiClass::Digit => self.digit(out),
                AsciiClass::Letter => self.letter(b.to_ascii_lowercase() as char, out),
            }
        } else if c.is_numeric() {
            self.digit(out);
        } else if c.is_alphanumeric() || is_combining_mark(c) {
            for lower in c.to_lowercase() {
                self.letter(if lower == 'ς' { 'σ' } else { lower }, out);
            }
        } else {
            self.separator();
        }
    }

    fn separator(&mut self) {
        self.gap = true;
        self.digits = false;
    }

    fn digit(&mut self, out: &mut Vec<u8>) {
        if self.digits {
            return;
        }
        self.space(out);
        self.digits = true;
        out.push(b'0');
    }

    fn letter(&mut self, c: char, out: &mut Vec<u8>) {
        self.space(out);
        self.digits = false;
        let mut buf = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
    }

    fn space(&mut self, out: &mut Vec<u8>) {
        if self.gap && !out.is_empty() {
            out.push(b' ');
        }
        self.gap = false;
    }
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

/// Calls `f` with every token of normalized text, in order: words as they are, and
/// runs of spaceless-script characters as overlapping character bigrams.
#[inline]
pub(crate) fn for_each_token(normalized: &[u8], mut f: impl FnMut(&[u8])) {
    for word in normalized.split(|&b| b == b' ') {
        if word.is_empty() {
            continue;
        }
        if word.is_ascii() {
            f(word);
        } else {
            split_spaceless(word, &mut f);
        }
    }
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

    fn tokens(text: &str) -> Vec<String> {
        let mut buf = Vec::new();
        normalize_into(text, &mut buf);
        let mut out = Vec::new();
        for_each_token(&buf, |t| out.push(String::from_utf8(t.to_vec()).unwrap()));
        out
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
        assert_eq!(tokens("中国和阿"), ["中国", "国和", "和阿"]);
        assert_eq!(tokens("中"), ["中"]);
        assert_eq!(tokens("abc中国def"), ["abc", "中国", "def"]);
        assert_eq!(tokens("x中y"), ["x", "中", "y"]);
        assert_eq!(tokens("东京 タワー"), ["东京", "タワ", "ワー"]);
        assert_eq!(tokens("hello world"), ["hello", "world"]);
    }
}
