//! Raw bytes (and a charset hint taken from their first bytes) through the decoder:
//! never a panic; the text is what the chosen encoding says; a BOM, if any, is gone.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (hint, bytes) = match data.split_first() {
        Some((&n, rest)) if n < 16 => {
            let len = usize::from(n).min(rest.len());
            (std::str::from_utf8(&rest[..len]).ok(), &rest[len..])
        }
        _ => (None, data),
    };
    for decoded in [boildown::decode_html(bytes, hint), boildown::decode_text(bytes, hint)] {
        assert!(!decoded.encoding.is_empty());
        assert!(!decoded.text.starts_with('\u{feff}') || decoded.source != boildown::EncodingSource::Bom);
        if decoded.encoding == "UTF-8" && decoded.replaced == 0 {
            assert!(decoded.text.len() <= bytes.len());
        }
    }
});
