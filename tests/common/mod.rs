//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

pub const FIXTURE: &str = "commonspace-azerbaijan-china";

pub fn fixture_path(ext: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{FIXTURE}.{ext}"))
}

/// Built in, so that the tests also run in WebAssembly (no file system there).
pub fn fixture_text() -> String {
    include_str!("../fixtures/commonspace-azerbaijan-china.txt").to_owned()
}

/// The expected `repeats` map of the fixture: 1-based line → the line it repeats.
pub fn expected_repeats() -> BTreeMap<usize, usize> {
    let json = include_str!("../fixtures/commonspace-azerbaijan-china.expected.json");
    let v: serde_json::Value = serde_json::from_str(json).expect("valid json");
    v["repeats"]
        .as_object()
        .expect("repeats object")
        .iter()
        .map(|(k, v)| (k.parse().unwrap(), v.as_u64().unwrap() as usize))
        .collect()
}

/// The 1-based line number of a byte offset (lines end at `\n`, `\r\n` or `\r`).
pub fn line_of(text: &str, offset: usize) -> usize {
    let bytes = &text.as_bytes()[..offset];
    let mut line = 1;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            line += 1;
        }
    }
    line
}
