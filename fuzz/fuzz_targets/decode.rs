//! Raw bytes (and a charset hint taken from their first bytes) through the decoder:
//! never a panic; a BOM is only the source when the bytes start with one.
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
        if decoded.source == boildown::EncodingSource::Bom {
            let boms: [&[u8]; 3] = [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"];
            assert!(boms.iter().any(|bom| bytes.starts_with(bom)));
        }
        if decoded.encoding == "UTF-8" && decoded.replaced == 0 {
            assert!(decoded.text.len() <= bytes.len());
        }
    }
});
