//! Any text through the HTML cleaner (segmentation, repeats, content finder): never a
//! panic; spans lie in the input on character boundaries; the counts add
//! up; the cleaned text is the kept blocks; the cleaned HTML is well formed enough to
//! hold no script or event handler.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let cleaned = boildown::Cleaner::default().clean(boildown::Page::html(&input), None);
    // Blocks come in the order the page shows them, which foster parenting can make
    // other than the input's: no order is checked here.
    for block in cleaned.blocks() {
        assert!(block.start <= block.end && block.end <= input.len());
        assert!(input.is_char_boundary(block.start) && input.is_char_boundary(block.end));
        assert!(!block.text().trim().is_empty());
    }
    let stats = cleaned.stats();
    assert_eq!(stats.blocks, cleaned.blocks().len());
    assert_eq!(stats.kept + stats.exact_repeats + stats.near_repeats + stats.boilerplate, stats.blocks);
    // Kept blocks a blank line apart, but list items kept one after the other: one
    // line break.
    let mut expected = String::new();
    let mut last: Option<(usize, bool)> = None;
    for (i, block) in cleaned.blocks().iter().enumerate() {
        if !block.verdict.is_keep() {
            continue;
        }
        let item = block.html.as_ref().is_some_and(|h| h.tag == "li");
        match last {
            Some((j, true)) if item && j + 1 == i => expected.push('\n'),
            Some(_) => expected.push_str("\n\n"),
            None => {}
        }
        expected.push_str(block.text());
        last = Some((i, item));
    }
    assert_eq!(cleaned.text(), expected);
    assert_eq!(stats.bytes_out, cleaned.text().len());
    // Text is escaped, so every `<` opens a tag the renderer wrote: an allowed element
    // with at most an `href`.
    let html = cleaned.html();
    const ALLOWED: &[&str] = &[
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "i", "kbd", "li", "mark", "p", "pre", "q", "s", "small", "strong", "sub",
        "sup", "u", "ul", "var",
    ];
    for tag in html.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("a closed tag")];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, rest) = tag.split_once(' ').unwrap_or((tag, ""));
        assert!(ALLOWED.contains(&name), "{name} in {html}");
        assert!(rest.is_empty() || (name == "a" && rest.starts_with("href=\"") && rest.ends_with('"') && !rest[6..rest.len() - 1].contains('"')), "{tag}");
    }
});
