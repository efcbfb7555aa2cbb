//! Any text through the HTML cleaner (segmentation, repeats, content finder): never a
//! panic; spans lie in the input on character boundaries and in order; the counts add
//! up; the cleaned text is the kept blocks.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let cleaned = boildown::Cleaner::default().clean_html(&input);
    let mut last = 0;
    for block in cleaned.blocks() {
        assert!(block.start <= block.end && block.end <= input.len());
        assert!(input.is_char_boundary(block.start) && input.is_char_boundary(block.end));
        assert!(block.start >= last, "blocks in order");
        last = block.start;
        assert!(!block.text().trim().is_empty());
    }
    let stats = cleaned.stats();
    assert_eq!(stats.blocks, cleaned.blocks().len());
    assert_eq!(stats.kept + stats.exact_repeats + stats.near_repeats + stats.boilerplate, stats.blocks);
    let kept: Vec<&str> = cleaned.blocks().iter().filter(|b| b.verdict.is_keep()).map(|b| b.text()).collect();
    assert_eq!(cleaned.text(), kept.join("\n\n"));
    assert_eq!(stats.bytes_out, cleaned.text().len());
});
