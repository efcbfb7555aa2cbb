//! Any text: boildown's blocks are those of html5ever's tree read by the reference
//! reading of `tests/blocks/` (as `tests/differential.rs` checks on real and generated
//! pages), but for the deliberate differences listed there.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../../tests/blocks/mod.rs"]
mod blocks;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let cleaner = boildown::Cleaner::default();
    if let blocks::Outcome::Differs(why) = blocks::compare(&cleaner, &input) {
        panic!("{input:?}: {why}");
    }
});
