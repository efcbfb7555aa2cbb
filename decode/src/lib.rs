//! Raw bytes to text: which character encoding a page is in, and the decoded text.
//!
//! Evidence over declarations. Crawls are full of pages whose declaration is wrong (UTF-8
//! bytes under `<meta charset=ISO-8859-1>`, HTTP headers that give a server's default),
//! so the rules weigh what the bytes show against what is declared, and keep the
//! browser's order (byte order mark, the caller's hint, the `<meta>` prescan, detection)
//! where the evidence agrees with it:
//!
//! 1. A **byte order mark** decides ([`EncodingSource::Bom`]).
//! 2. Bytes that are **valid UTF-8** with multi-byte sequences are UTF-8, whatever is
//!    declared (text in a legacy encoding is practically never valid UTF-8):
//!    [`EncodingSource::Utf8`], or the declaration's source when it said UTF-8. Pure
//!    ASCII follows the declaration.
//! 3. Otherwise **chardetng** (Firefox's detector) reads the non-ASCII words of the whole
//!    document (64 KiB of them at most). A declaration it agrees with decides; of a hint
//!    and a `<meta>` that disagree, the one it agrees with.
//! 4. Otherwise the first declaration (hint, then `<meta>`) that the bytes do **not
//!    contradict** decides: one whose reading of them has no more mess than detection's
//!    (replacement characters, C1 controls, mojibake signs such as `¹`, `±`, `©`, `„`
//!    inside words or after `Ã`, a small letter followed by a capital).
//! 5. Otherwise detection decides ([`EncodingSource::Detected`]), and
//!    [`Decoded::overruled`] names the declaration the bytes contradicted.
//!
//! Plain text has no `<meta>`. Bytes invalid in the chosen encoding become U+FFFD and
//! are counted: decoding never fails. The work is linear in the input: one validity
//! check, at most three decodings of 64 KiB of evidence, one decoding of the whole.
//! The same code runs in WebAssembly, so the npm package decodes as the command line
//! does. Figures (the decoding test set, against trafilatura's and Resiliparse's
//! decoders): boildown's book, "Decoding".
//!
//! This crate is the decoding stage of [boildown](https://crates.io/crates/boildown),
//! which re-exports it (`boildown::decode_html`, `boildown::Decoded`, …). It is its own
//! crate so that boildown's JavaScript package can load the decoder as a second
//! WebAssembly module, only when a page arrives as bytes: the encoding tables are
//! two fifths of the whole. Without the default feature `decode` it is the result
//! types alone.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[cfg(feature = "decode")]
mod decoder;
#[cfg(all(target_arch = "wasm32", feature = "decode"))]
mod wasm;

#[cfg(feature = "decode")]
pub use decoder::{decode_html, decode_text};

/// Which rule decided the encoding of a decoded text (see the crate's docs). In JSON
/// reports: `"bom"`, `"hint"`, `"meta"`, `"utf8"`, `"detected"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum EncodingSource {
    /// A byte order mark at the start of the bytes.
    Bom,
    /// The caller's hint, which the bytes do not contradict.
    Hint,
    /// The page's `<meta charset>` or `<meta http-equiv="Content-Type" content=…>`,
    /// which the bytes do not contradict.
    Meta,
    /// The bytes are valid UTF-8 with multi-byte sequences, and nothing declared UTF-8
    /// (nothing was declared, or a declaration said otherwise: see
    /// [`Decoded::overruled`]).
    Utf8,
    /// Statistical detection (chardetng): nothing was declared, or the bytes
    /// contradict what was.
    Detected,
}

/// Text decoded from bytes, with what was decided on the way. Serialized (as in the
/// JSON reports) without its text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Decoded {
    /// The text (without the byte order mark).
    #[serde(skip)]
    pub text: String,
    /// The WHATWG name of the encoding used, such as `"UTF-8"` or `"windows-1252"`.
    pub encoding: &'static str,
    /// Which rule decided.
    pub source: EncodingSource,
    /// The first declared encoding (hint or `<meta>`) that the bytes contradicted and
    /// that was therefore not used, if any.
    pub overruled: Option<&'static str>,
    /// How many malformed byte sequences were replaced with U+FFFD.
    pub replaced: usize,
}

impl Decoded {
    /// How the text was decoded, without the text.
    pub fn decoding(&self) -> Decoding {
        Decoding {
            encoding: self.encoding,
            source: self.source,
            overruled: self.overruled,
            replaced: self.replaced,
        }
    }
}

/// How a page given as bytes was decoded ([`Decoded`] without its text), as
/// boildown's `Cleaned::decoding` reports it. Serialized as the JSON
/// reports' `decoding`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Decoding {
    /// The WHATWG name of the encoding used, such as `"UTF-8"` or `"windows-1252"`.
    pub encoding: &'static str,
    /// Which rule decided.
    pub source: EncodingSource,
    /// The first declared encoding that the bytes contradicted, if any.
    pub overruled: Option<&'static str>,
    /// How many malformed byte sequences were replaced with U+FFFD.
    pub replaced: usize,
}

impl EncodingSource {
    /// The name of the rule, as in JSON reports: `"bom"`, `"hint"`, `"meta"`, `"utf8"`
    /// or `"detected"`.
    pub fn name(self) -> &'static str {
        match self {
            EncodingSource::Bom => "bom",
            EncodingSource::Hint => "hint",
            EncodingSource::Meta => "meta",
            EncodingSource::Utf8 => "utf8",
            EncodingSource::Detected => "detected",
        }
    }

    /// The rule of this name ([`EncodingSource::name`]), if it is one.
    pub fn from_name(name: &str) -> Option<EncodingSource> {
        [
            EncodingSource::Bom,
            EncodingSource::Hint,
            EncodingSource::Meta,
            EncodingSource::Utf8,
            EncodingSource::Detected,
        ]
        .into_iter()
        .find(|source| source.name() == name)
    }
}

impl Decoded {
    /// A decoding made elsewhere (by this crate's WebAssembly module, for one), put
    /// back together: `None` if `encoding` or `overruled` is not one of [`ENCODINGS`].
    pub fn from_parts(
        text: String,
        encoding: &str,
        source: EncodingSource,
        overruled: Option<&str>,
        replaced: usize,
    ) -> Option<Decoded> {
        let overruled = match overruled {
            Some(name) => Some(encoding_name(name)?),
            None => None,
        };
        Some(Decoded {
            text,
            encoding: encoding_name(encoding)?,
            source,
            overruled,
            replaced,
        })
    }
}

/// The WHATWG names of every encoding of the Encoding Standard, as encoding_rs spells
/// them: the encodings a [`Decoded`] can name.
pub const ENCODINGS: [&str; 40] = [
    "UTF-8",
    "IBM866",
    "ISO-8859-2",
    "ISO-8859-3",
    "ISO-8859-4",
    "ISO-8859-5",
    "ISO-8859-6",
    "ISO-8859-7",
    "ISO-8859-8",
    "ISO-8859-8-I",
    "ISO-8859-10",
    "ISO-8859-13",
    "ISO-8859-14",
    "ISO-8859-15",
    "ISO-8859-16",
    "KOI8-R",
    "KOI8-U",
    "macintosh",
    "windows-874",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "x-mac-cyrillic",
    "GBK",
    "gb18030",
    "Big5",
    "EUC-JP",
    "ISO-2022-JP",
    "Shift_JIS",
    "EUC-KR",
    "UTF-16BE",
    "UTF-16LE",
    "x-user-defined",
    "replacement",
];

/// The `&'static` spelling of an encoding's WHATWG name, if it is one of [`ENCODINGS`].
pub fn encoding_name(name: &str) -> Option<&'static str> {
    ENCODINGS.iter().copied().find(|known| *known == name)
}
