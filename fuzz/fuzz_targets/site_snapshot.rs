//! Any bytes as a site-model snapshot: never a panic, never a huge allocation. Most
//! mutations fail the checksum, so the target also tries the same bytes with their
//! checksum recomputed, which exercises the parser behind it; what loads writes back
//! canonical bytes that load again to the same model.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = boildown::SiteModel::from_bytes(data);
    // The same bytes with a correct checksum: the parser behind it must hold too.
    if data.len() >= 8 {
        let mut fixed = data[..data.len() - 8].to_vec();
        let checksum = xxhash_rust::xxh3::xxh3_64(&fixed);
        fixed.extend_from_slice(&checksum.to_le_bytes());
        if let Ok(model) = boildown::SiteModel::from_bytes(&fixed) {
            // Loaded: it writes back in canonical order (a valid but non-canonical
            // input, such as a repeated page, may differ), which loads to the same.
            let again = boildown::SiteModel::from_bytes(&model.to_bytes()).expect("reloads");
            assert_eq!(again.to_bytes(), model.to_bytes());
        }
    }
});
