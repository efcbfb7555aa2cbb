//! The decoder: the rules of the crate's documentation, on encoding_rs and chardetng.

use encoding_rs::{DecoderResult, Encoding, UTF_8, WINDOWS_1252, X_USER_DEFINED};

use crate::{Decoded, EncodingSource};

/// How many bytes of evidence detection and the contradiction check read at most.
const EVIDENCE_BYTES: usize = 64 << 10;
/// How many bytes the `<meta>` prescan looks at (the standard's figure).
const PRESCAN_BYTES: usize = 1024;

/// Decodes the bytes of an HTML page. `hint` is a charset label from outside the page
/// (an HTTP header's `charset=…`); an unknown label is ignored.
///
/// ```
/// let page = b"<meta charset=windows-1252><p>Caf\xe9";
/// let decoded = boildown_decode::decode_html(page, None);
/// assert_eq!(decoded.text, "<meta charset=windows-1252><p>Café");
/// assert_eq!(decoded.encoding, "windows-1252");
/// assert_eq!(decoded.source, boildown_decode::EncodingSource::Meta);
/// ```
pub fn decode_html(bytes: &[u8], hint: Option<&str>) -> Decoded {
    decode(bytes, hint, true)
}

/// Decodes plain text: a byte order mark, the caller's hint, then detection.
///
/// ```
/// let decoded = boildown_decode::decode_text("naïve".as_bytes(), None);
/// assert_eq!((decoded.text.as_str(), decoded.encoding), ("naïve", "UTF-8"));
/// ```
pub fn decode_text(bytes: &[u8], hint: Option<&str>) -> Decoded {
    decode(bytes, hint, false)
}

fn decode(bytes: &[u8], hint: Option<&str>, html: bool) -> Decoded {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return decoded(encoding, EncodingSource::Bom, None, &bytes[bom..]);
    }
    // The declarations, in the browser's order: the caller's hint, then the page's.
    let hint = hint
        .and_then(|h| Encoding::for_label(h.trim().as_bytes()))
        .map(|e| (e, EncodingSource::Hint));
    let meta = html
        .then(|| prescan(bytes))
        .flatten()
        .map(|e| (e, EncodingSource::Meta));
    let declared = || hint.into_iter().chain(meta);
    if let Ok(text) = std::str::from_utf8(bytes) {
        // Valid UTF-8 with multi-byte sequences is UTF-8 whatever is declared: text in
        // a legacy encoding is practically never valid UTF-8. Pure ASCII follows the
        // declaration (it reads the same in every ASCII-compatible encoding, and
        // ISO-2022-JP's escapes are ASCII).
        let agreeing = declared().find(|(e, _)| {
            if *e == encoding_rs::UTF_16LE || *e == encoding_rs::UTF_16BE {
                // A hint of UTF-16 without a byte order mark: such bytes have NULs.
                memchr::memchr(0, bytes).is_some()
            } else {
                text.is_ascii() || *e == UTF_8
            }
        });
        let overruled = declared().next().filter(|_| agreeing.is_none());
        return match agreeing {
            Some((e, source)) if e != UTF_8 => decoded(e, source, None, bytes),
            Some((_, source)) => owned(text, source, None),
            None => owned(text, EncodingSource::Utf8, overruled.map(|(e, _)| e.name())),
        };
    }
    // Not UTF-8. Detection reads the document's non-ASCII words (a sample from one
    // place misses the few characters that tell, on pages of long scripts). A
    // declaration that detection agrees with decides (of two that disagree, the one the
    // bytes side with); else the first declaration whose reading of the evidence has
    // no more mess than detection's; else detection.
    let evidence = evidence(bytes);
    let guess = guess(&evidence, evidence.len() == bytes.len());
    if let Some((encoding, source)) = declared().find(|(e, _)| *e == guess) {
        return decoded(encoding, source, None, bytes);
    }
    let mut detected_mess = None;
    let mut overruled = None;
    for (encoding, source) in declared() {
        let detected = *detected_mess.get_or_insert_with(|| mess(&decode_with(guess, &evidence).0));
        if mess(&decode_with(encoding, &evidence).0) <= detected {
            return decoded(encoding, source, overruled, bytes);
        }
        overruled.get_or_insert(encoding.name());
    }
    decoded(guess, EncodingSource::Detected, overruled, bytes)
}

fn decoded(
    encoding: &'static Encoding,
    source: EncodingSource,
    overruled: Option<&'static str>,
    bytes: &[u8],
) -> Decoded {
    let (text, replaced) = decode_with(encoding, bytes);
    Decoded {
        text,
        encoding: encoding.name(),
        source,
        overruled,
        replaced,
    }
}

fn owned(text: &str, source: EncodingSource, overruled: Option<&'static str>) -> Decoded {
    Decoded {
        text: text.to_owned(),
        encoding: UTF_8.name(),
        source,
        overruled,
        replaced: 0,
    }
}

/// How much of a decoded text only a wrong decoding makes: replacement characters and
/// C1 controls anywhere; a sign that single-byte mojibake is made of (`¹`, `±`, `©`,
/// `‰`, `™`, `„`, box drawing, …) between two letters, or after a capital of Latin-1
/// (`Ã©`: UTF-8 read as windows-1252); a small letter followed by a capital where one
/// of them is not ASCII (`пРИВЕТ`: KOI8-R read as windows-1251).
fn mess(text: &str) -> usize {
    let mut count = 0;
    let (mut before, mut last) = (' ', ' ');
    for c in text.chars() {
        if c == '\u{FFFD}' || ('\u{80}'..='\u{9F}').contains(&c) {
            count += 1;
        } else if is_mojibake_sign(c) && ('\u{C0}'..='\u{DF}').contains(&last) {
            // UTF-8 read as Latin-1 or windows-1252: `Ã©`, `Â®`, `Ã¨`.
            count += 1;
        } else if c.is_alphabetic() {
            if is_mojibake_sign(last)
                && before.is_alphabetic()
                && !('\u{C0}'..='\u{DF}').contains(&before)
            {
                count += 1;
            }
            if last.is_lowercase() && c.is_uppercase() && !(last.is_ascii() && c.is_ascii()) {
                count += 1;
            }
        }
        before = last;
        last = c;
    }
    count
}

/// Signs that single-byte encodings read in another single-byte encoding are made of.
fn is_mojibake_sign(c: char) -> bool {
    matches!(c,
        '\u{A1}'..='\u{BF}' | '\u{D7}' | '\u{F7}' | '\u{2C6}'..='\u{2DD}'
        | '\u{2013}'..='\u{2017}' | '\u{201A}'..='\u{2022}' | '\u{2026}' | '\u{2030}'
        | '\u{2039}' | '\u{203A}' | '\u{20AC}' | '\u{2122}' | '\u{2500}'..='\u{259F}')
}

/// The words of `bytes` that hold non-ASCII bytes, in order, each from the space or
/// tag bracket before it to the one after it (bytes that no ASCII-compatible encoding
/// uses inside a character), up to [`EVIDENCE_BYTES`]: what tells one encoding from
/// another, from the whole document, in bounded work. The whole of short documents.
fn evidence(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if bytes.len() <= EVIDENCE_BYTES {
        return bytes.into();
    }
    let boundary = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'<' | b'>');
    let mut out = Vec::with_capacity(EVIDENCE_BYTES);
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|b| !b.is_ascii()) {
        let at = i + at;
        let start = bytes[i..at]
            .iter()
            .rposition(boundary)
            .map_or(i, |p| i + p + 1);
        let end = bytes[at..]
            .iter()
            .position(boundary)
            .map_or(bytes.len(), |p| at + p);
        if out.len() + end - start + 1 > EVIDENCE_BYTES {
            if out.is_empty() {
                // One word longer than the evidence (binary data, a page without
                // spaces): its start.
                out.extend_from_slice(&bytes[start..start + EVIDENCE_BYTES]);
            }
            break;
        }
        out.extend_from_slice(&bytes[start..end]);
        out.push(b' ');
        i = end;
    }
    out.into()
}

/// chardetng's guess for bytes that are not valid UTF-8; `last` if they are the whole
/// document.
fn guess(bytes: &[u8], last: bool) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Allow);
    detector.feed(bytes, last);
    detector.guess(None, chardetng::Utf8Detection::Allow)
}

/// Decodes `bytes`, replacing each malformed sequence with U+FFFD and counting them.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    if encoding == UTF_8 {
        if let Ok(text) = std::str::from_utf8(bytes) {
            return (text.to_owned(), 0);
        }
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity);
    let mut replaced = 0;
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::Malformed(_, _) => {
                text.push('\u{FFFD}');
                replaced += 1;
            }
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(rest.len())
                    .unwrap_or(rest.len().saturating_mul(3))
                    .max(4);
                text.reserve(more);
            }
        }
    }
    (text, replaced)
}

/// The WHATWG prescan: the encoding named by a `<meta>` in the first 1024 bytes.
fn prescan(bytes: &[u8]) -> Option<&'static Encoding> {
    let b = &bytes[..bytes.len().min(PRESCAN_BYTES)];
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"<!--") {
            // Comment: skip to the first "-->" that ends it (its dashes may be the
            // ones that opened it).
            i = find(b, i + 2, b"-->").map_or(b.len(), |end| end + 3);
        } else if b[i] == b'<'
            && b.len() > i + 5
            && b[i + 1..i + 5].eq_ignore_ascii_case(b"meta")
            && is_space_or_slash(b[i + 5])
        {
            let (found, next) = meta(b, i + 5);
            if let Some(encoding) = found {
                return Some(encoding);
            }
            i = next;
        } else if b[i] == b'<'
            && (b.get(i + 1).is_some_and(u8::is_ascii_alphabetic)
                || (b.get(i + 1) == Some(&b'/')
                    && b.get(i + 2).is_some_and(u8::is_ascii_alphabetic)))
        {
            // Another tag: skip its name and attributes.
            i += 1;
            while i < b.len() && !is_space_or_slash(b[i]) && b[i] != b'>' {
                i += 1;
            }
            loop {
                match attribute(b, i) {
                    (Some(_), next) => i = next,
                    (None, next) => {
                        i = next;
                        break;
                    }
                }
            }
        } else if b[i] == b'<' && matches!(b.get(i + 1), Some(b'!' | b'/' | b'?')) {
            i = find(b, i, b">").map_or(b.len(), |end| end + 1);
        } else {
            i += 1;
        }
    }
    None
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_space_or_slash(b: u8) -> bool {
    is_space(b) || b == b'/'
}

/// The attributes of a `<meta` element from `i`: its encoding if it declares one, and
/// where the scan goes on.
fn meta(b: &[u8], mut i: usize) -> (Option<&'static Encoding>, usize) {
    let (mut http_equiv, mut got_pragma, mut need_pragma) = (false, false, None);
    let mut charset: Option<&'static Encoding> = None;
    let mut seen: Vec<Vec<u8>> = Vec::new();
    loop {
        let (attr, next) = attribute(b, i);
        i = next;
        let Some((name, value)) = attr else { break };
        if seen.contains(&name) {
            continue;
        }
        match name.as_slice() {
            b"http-equiv" => http_equiv = value.eq_ignore_ascii_case(b"content-type"),
            b"content" => {
                let found = charset_in_content(&value).and_then(|l| Encoding::for_label(&l));
                if let (Some(encoding), None) = (found, charset) {
                    charset = Some(encoding);
                    need_pragma = Some(true);
                }
            }
            b"charset" => {
                charset = Encoding::for_label(&value);
                need_pragma = Some(false);
            }
            _ => {}
        }
        got_pragma |= http_equiv;
        seen.push(name);
    }
    let encoding = match need_pragma {
        None => None,
        Some(true) if !got_pragma => None,
        _ => charset,
    };
    // A declaration of UTF-16 means UTF-8 (the page could not have been scanned as
    // ASCII otherwise), and x-user-defined means windows-1252.
    let encoding = encoding.map(|e| {
        if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
            UTF_8
        } else if e == X_USER_DEFINED {
            WINDOWS_1252
        } else {
            e
        }
    });
    (encoding, i)
}

/// The WHATWG "get an attribute" step: the next attribute's lowercased name and value
/// from `i`, or `None` at the end of the tag; and the position after it.
#[allow(clippy::type_complexity)]
fn attribute(b: &[u8], mut i: usize) -> (Option<(Vec<u8>, Vec<u8>)>, usize) {
    while i < b.len() && is_space_or_slash(b[i]) {
        i += 1;
    }
    if i >= b.len() || b[i] == b'>' {
        return (None, i + 1);
    }
    let mut name = Vec::new();
    let mut value = Vec::new();
    // The name.
    loop {
        let Some(&c) = b.get(i) else { return (None, i) };
        match c {
            b'=' if !name.is_empty() => {
                i += 1;
                break;
            }
            _ if is_space(c) => {
                while b.get(i).is_some_and(|&c| is_space(c)) {
                    i += 1;
                }
                if b.get(i) != Some(&b'=') {
                    return (Some((name, value)), i);
                }
                i += 1;
                break;
            }
            b'/' | b'>' => return (Some((name, value)), i),
            _ => name.push(c.to_ascii_lowercase()),
        }
        i += 1;
    }
    // The value.
    while b.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    match b.get(i) {
        Some(&quote @ (b'"' | b'\'')) => {
            i += 1;
            while let Some(&c) = b.get(i) {
                i += 1;
                if c == quote {
                    return (Some((name, value)), i);
                }
                value.push(c.to_ascii_lowercase());
            }
            (None, i)
        }
        Some(b'>') => (Some((name, value)), i),
        Some(_) => {
            while let Some(&c) = b.get(i) {
                if is_space(c) || c == b'>' {
                    break;
                }
                value.push(c.to_ascii_lowercase());
                i += 1;
            }
            (Some((name, value)), i)
        }
        None => (None, i),
    }
}

/// The WHATWG "extract a character encoding from a meta element": the label after
/// `charset=` in a `content` attribute (already lowercased).
fn charset_in_content(content: &[u8]) -> Option<Vec<u8>> {
    let mut i = 0;
    loop {
        let at = find(content, i, b"charset")?;
        i = at + 7;
        while content.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        if content.get(i) == Some(&b'=') {
            i += 1;
            break;
        }
    }
    while content.get(i).is_some_and(|&c| is_space(c)) {
        i += 1;
    }
    match content.get(i) {
        Some(&quote @ (b'"' | b'\'')) => {
            let rest = &content[i + 1..];
            let end = rest.iter().position(|&c| c == quote)?;
            Some(rest[..end].to_vec())
        }
        Some(_) => {
            let rest = &content[i..];
            let end = rest
                .iter()
                .position(|&c| is_space(c) || c == b';')
                .unwrap_or(rest.len());
            Some(rest[..end].to_vec())
        }
        None => None,
    }
}

#[cfg(test)]
mod tests {
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    use super::*;

    fn html(bytes: &[u8]) -> (String, &'static str, EncodingSource, usize) {
        let d = decode_html(bytes, None);
        (d.text, d.encoding, d.source, d.replaced)
    }

    #[test]
    fn every_encoding_has_its_static_name() {
        use encoding_rs::*;
        let all = [
            UTF_8,
            IBM866,
            ISO_8859_2,
            ISO_8859_3,
            ISO_8859_4,
            ISO_8859_5,
            ISO_8859_6,
            ISO_8859_7,
            ISO_8859_8,
            ISO_8859_8_I,
            ISO_8859_10,
            ISO_8859_13,
            ISO_8859_14,
            ISO_8859_15,
            ISO_8859_16,
            KOI8_R,
            KOI8_U,
            MACINTOSH,
            WINDOWS_874,
            WINDOWS_1250,
            WINDOWS_1251,
            WINDOWS_1252,
            WINDOWS_1253,
            WINDOWS_1254,
            WINDOWS_1255,
            WINDOWS_1256,
            WINDOWS_1257,
            WINDOWS_1258,
            X_MAC_CYRILLIC,
            GBK,
            GB18030,
            BIG5,
            EUC_JP,
            ISO_2022_JP,
            SHIFT_JIS,
            EUC_KR,
            UTF_16BE,
            UTF_16LE,
            X_USER_DEFINED,
            REPLACEMENT,
        ];
        let names: Vec<&str> = all.iter().map(|e| e.name()).collect();
        assert_eq!(names, crate::ENCODINGS);
        let d = Decoded::from_parts("x".into(), "Shift_JIS", EncodingSource::Meta, None, 0);
        assert_eq!(d.map(|d| d.encoding), Some("Shift_JIS"));
        assert!(Decoded::from_parts("x".into(), "latin1", EncodingSource::Meta, None, 0).is_none());
        for source in [EncodingSource::Bom, EncodingSource::Detected] {
            assert_eq!(EncodingSource::from_name(source.name()), Some(source));
        }
    }

    #[test]
    fn boms_win_over_everything() {
        let d = decode_html(
            b"\xef\xbb\xbf<meta charset=latin1>caf\xc3\xa9",
            Some("koi8-r"),
        );
        assert_eq!(
            (d.text.as_str(), d.encoding, d.source),
            ("<meta charset=latin1>café", "UTF-8", EncodingSource::Bom)
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode_text(&utf16, None).text, "hé");
    }

    #[test]
    fn the_hint_comes_before_the_page() {
        let d = decode_html(b"<meta charset=utf-8>\xe9", Some(" ISO-8859-1 "));
        assert_eq!(
            (d.text.as_str(), d.encoding, d.source),
            (
                "<meta charset=utf-8>é",
                "windows-1252",
                EncodingSource::Hint
            )
        );
        // An unknown label is ignored.
        assert_eq!(
            decode_html(b"<meta charset=koi8-r>\xc1", Some("no-such")).encoding,
            "KOI8-R"
        );
    }

    #[test]
    fn meta_declarations_of_every_shape() {
        for page in [
            &b"<meta charset=\"shift_jis\">"[..],
            b"<META CHARSET='Shift_JIS'/>",
            b"<!-- <meta charset=utf-8> --><meta charset=sjis>",
            b"<html><head><title>x</title><meta http-equiv=Content-Type content=\"text/html; charset=shift_jis\">",
            b"<meta content='text/html;charset = \"shift_jis\"' http-equiv='content-type'>",
            b"<div data-x='>'><meta charset=shift_jis>",
        ] {
            assert_eq!(html(page).1, "Shift_JIS", "{}", String::from_utf8_lossy(page));
        }
        // A content charset without http-equiv does not count; UTF-16 means UTF-8;
        // past 1024 bytes the prescan does not look.
        assert_eq!(
            html(b"<meta content='text/html; charset=koi8-r'>\xc3\xa9").2,
            EncodingSource::Utf8
        );
        assert_eq!(
            html(b"<meta charset=utf-16le>\xc3\xa9").0,
            "<meta charset=utf-16le>é"
        );
        let mut late = vec![b' '; 1100];
        late.extend_from_slice(b"<meta charset=koi8-r>");
        assert_eq!(html(&late).2, EncodingSource::Utf8);
    }

    #[test]
    fn detection_finds_legacy_encodings() {
        let russian = "Привет, как дела? Это обычный русский текст в старой кодировке.";
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(russian);
        let (text, encoding, source, replaced) = html(&bytes);
        assert_eq!(
            (text.as_str(), encoding, source, replaced),
            (russian, "windows-1251", EncodingSource::Detected, 0)
        );
    }

    #[test]
    fn invalid_bytes_are_replaced_and_counted() {
        // UTF-8 with broken bytes (read as windows-1252 it would be messier still).
        let page = "<meta charset=utf-8>ok \u{1} ok café, naïve crème, très \u{2}"
            .replace(['\u{1}', '\u{2}'], "\u{0}");
        let mut bytes = page.into_bytes();
        for b in bytes.iter_mut().filter(|b| **b == 0) {
            *b = 0xFF;
        }
        let d = decode_html(&bytes, None);
        assert_eq!(
            d.text,
            "<meta charset=utf-8>ok \u{FFFD} ok café, naïve crème, très \u{FFFD}"
        );
        assert_eq!((d.replaced, d.source), (2, EncodingSource::Meta));
        assert_eq!(decode_html(b"", None).text, "");
    }

    #[test]
    fn valid_utf8_wins_over_a_single_byte_declaration() {
        let d = decode_html(
            "<meta charset=iso-8859-1><p>Kosovo’s future, Joachim Rücker".as_bytes(),
            Some("windows-1252"),
        );
        assert_eq!(
            d.text,
            "<meta charset=iso-8859-1><p>Kosovo’s future, Joachim Rücker"
        );
        assert_eq!((d.encoding, d.source), ("UTF-8", EncodingSource::Utf8));
        assert_eq!(d.overruled, Some("windows-1252"));
        // Agreeing, the declaration is the rule; pure ASCII follows the declaration.
        let d = decode_html("<meta charset=utf-8>Rücker".as_bytes(), Some("latin1"));
        assert_eq!((d.source, d.overruled), (EncodingSource::Meta, None));
        assert_eq!(html(b"<meta charset=koi8-r>ascii").1, "KOI8-R");
        // A UTF-16 hint without a byte order mark: bytes with NULs are UTF-16.
        let d = decode_text(b"h\0i\0", Some("utf-16le"));
        assert_eq!((d.text.as_str(), d.source), ("hi", EncodingSource::Hint));
    }

    #[test]
    fn a_declaration_the_bytes_contradict_yields_to_detection() {
        let japanese =
            "<p>日本語のテキストです。文字コードの判定を試します。東京、大阪、京都。</p>";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(japanese);
        let page = [&b"<meta charset=euc-jp>"[..], &sjis].concat();
        let d = decode_html(&page, None);
        assert_eq!(
            (d.encoding, d.source),
            ("Shift_JIS", EncodingSource::Detected)
        );
        assert_eq!((d.overruled, d.replaced), (Some("EUC-JP"), 0));
        assert!(d.text.ends_with(japanese));
        // Windows-1252 declared UTF-8: the curly quotes and accents are mess as UTF-8.
        let page = b"<meta charset=utf-8><p>\x93Caf\xe9 cr\xe8me\x94, she said, \x96 na\xefve.";
        let d = decode_html(page, None);
        assert_eq!((d.encoding, d.overruled), ("windows-1252", Some("UTF-8")));
        assert!(d.text.ends_with("“Café crème”, she said, – naïve."));
    }

    #[test]
    fn a_single_byte_declaration_stands_unless_its_reading_is_messier() {
        let russian = "<p>Привет, как дела? Это обычный русский текст в старой кодировке KOI8-R, и его много.</p>";
        let (koi8, _, _) = encoding_rs::KOI8_R.encode(russian);
        // Read as windows-1251, KOI8-R is all small letters followed by capitals.
        let d = decode_html(&[&b"<meta charset=windows-1251>"[..], &koi8].concat(), None);
        assert!(d.encoding.starts_with("KOI8"), "{}", d.encoding);
        assert_eq!(d.overruled, Some("windows-1251"));
        // Two declarations that disagree: the one detection agrees with.
        let d = decode_html(
            &[&b"<meta charset=koi8-r>"[..], &koi8].concat(),
            Some("latin1"),
        );
        assert_eq!((d.encoding, d.source), ("KOI8-R", EncodingSource::Meta));
        // Where the two readings are as clean, the declaration stands (é is the same
        // byte in both).
        let d = decode_html(b"<meta charset=iso-8859-2><p>Caf\xe9 au lait", None);
        assert_eq!((d.encoding, d.source), ("ISO-8859-2", EncodingSource::Meta));
        // UTF-8 with one broken byte stays UTF-8.
        let d = decode_html(
            b"<meta charset=utf-8><p>na\xc3\xafve caf\xc3\xa9 \xff ok",
            None,
        );
        assert_eq!(
            (d.encoding, d.source, d.replaced),
            ("UTF-8", EncodingSource::Meta, 1)
        );
    }

    #[test]
    fn mess_counts_what_only_a_wrong_reading_makes() {
        assert_eq!(mess("Café crème, naïve, Rücker’s, l’été, São Paulo"), 0);
        assert_eq!(mess("пРИВЕТ"), 1);
        assert_eq!(mess("Привет, МГУ"), 0);
        assert_eq!(mess("pøíli¹ ¾lu»ouèký kùò"), 1);
        // UTF-8 read as windows-1252: "café crème" becomes "cafÃ© crÃ¨me".
        assert_eq!(mess("cafÃ© crÃ¨me"), 4); // and two case flips, fÃ and rÃ
        assert_eq!(mess("«ПРИВЕТ»"), 0);
        assert_eq!(mess("a\u{FFFD}b\u{96}"), 2);
    }

    #[test]
    fn evidence_is_the_non_ascii_words_of_the_whole_document() {
        let mut page = vec![b'a'; EVIDENCE_BYTES];
        page.extend_from_slice(b" <p>caf\xe9 ok</p> ");
        page.extend(std::iter::repeat_n(b'b', EVIDENCE_BYTES));
        assert_eq!(&*evidence(&page), b"caf\xe9 ");
        // Bounded: at most EVIDENCE_BYTES, whole words only.
        let many: Vec<u8> = b"\xe9t\xe9 ".repeat(EVIDENCE_BYTES);
        let e = evidence(&many);
        assert!(e.len() <= EVIDENCE_BYTES && e.ends_with(b"\xe9t\xe9 "));
        // A word longer than that: its start.
        let word = vec![0xE9; 2 * EVIDENCE_BYTES];
        assert_eq!(evidence(&word).len(), EVIDENCE_BYTES);
    }

    #[test]
    fn junk_never_panics() {
        let mut seed = 7u64;
        for len in [0, 1, 5, 100, 1023, 1024, 5000] {
            let bytes: Vec<u8> = (0..len)
                .map(|i| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    if i % 7 == 0 {
                        b'<'
                    } else {
                        (seed >> 56) as u8
                    }
                })
                .collect();
            let d = decode_html(&bytes, Some("\u{0}"));
            assert!(!d.encoding.is_empty());
        }
    }
}
