//! Pathological inputs finish with work linear in their size. Nothing here times
//! anything: the checks are on counts of work and on results.
//!
//! Run in release mode (`cargo test --release`, as `.ci/run` does); in debug mode the
//! 50 MB inputs take a while.

use boildown::{clean, Cleaner, Config};
// On wasm32 the same tests run under wasm-bindgen-test (scripts/test).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// The near-repeat search's documented limit: 1024 comparisons per indexed block plus
/// 65 536, plus at most one query past it.
fn near_limit(blocks: usize) -> u64 {
    1024 * blocks as u64 + 65_536 + 7 * 11 * blocks as u64
}

/// A deterministic stream of pseudo-random bytes (xorshift64*).
fn random_bytes(len: usize, mut seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        out.extend_from_slice(&seed.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// A distinct lowercase word for every number (no digits: those fold together).
fn word(mut n: usize) -> String {
    let mut w = String::new();
    loop {
        w.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return w;
        }
    }
}

#[test]
fn one_50_mb_line() {
    let line = "lorem ipsum dolor sit amet consectetur ".repeat(50 * 1024 * 1024 / 39);
    let cleaned = clean(boildown::Page::text(&line));
    assert_eq!(cleaned.blocks().len(), 1);
    assert!(cleaned.blocks()[0].verdict.is_keep());
    assert!(cleaned.blocks()[0].tokens > 8_000_000);
    assert_eq!(cleaned.text().len(), line.trim_end().len());
}

#[test]
fn a_million_identical_lines() {
    let input = "The same sidebar teaser line, again and again.\n".repeat(1_000_000);
    let cleaned = clean(boildown::Page::text(&input));
    let stats = cleaned.stats();
    assert_eq!(stats.blocks, 1_000_000);
    assert_eq!(stats.kept, 1);
    assert_eq!(stats.exact_repeats, 999_999);
    // Exact repeats never reach the near-repeat index, and runs double in length.
    assert_eq!(stats.near_comparisons, 0);
    assert!(stats.runs <= 40, "{} runs", stats.runs);
}

#[test]
fn a_million_distinct_short_lines() {
    let mut input = String::new();
    for i in 0..1_000_000 {
        input.push_str(&word(i));
        input.push_str(" line\n");
    }
    let cleaned = clean(boildown::Page::text(&input));
    let stats = cleaned.stats();
    assert_eq!(stats.blocks, 1_000_000);
    assert_eq!(stats.kept, 1_000_000);
    // Too short for the near-repeat index: no comparison at all.
    assert_eq!(stats.near_comparisons, 0);
}

#[test]
fn random_bytes_decoded_lossily() {
    for (size, seed) in [(1 << 20, 1u64), (8 << 20, 2)] {
        let bytes = random_bytes(size, seed);
        let text = String::from_utf8_lossy(&bytes);
        let cleaned = clean(boildown::Page::text(&text));
        let stats = cleaned.stats();
        assert!(stats.blocks > size / 400, "{} blocks", stats.blocks);
        assert!(stats.near_comparisons <= near_limit(stats.blocks));
        for block in cleaned.blocks() {
            assert_eq!(&text[block.start..block.end], block.text());
        }
    }
}

#[test]
fn many_long_distinct_paragraphs_stay_within_the_work_limit() {
    // 60 000 long paragraphs of random words: their SimHashes look random, so an
    // unbounded search would make about 0.13 · n²/2 ≈ 230 million comparisons.
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut input = String::new();
    for _ in 0..60_000 {
        for _ in 0..20 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            input.push_str(&word((seed >> 33) as usize % 50_000));
            input.push(' ');
        }
        input.push('\n');
    }
    let cleaned = Cleaner::new(Config::default())
        .unwrap()
        .clean(boildown::Page::text(&input), None);
    let stats = cleaned.stats();
    assert_eq!(stats.blocks, 60_000);
    assert!(stats.near_search_truncated);
    assert!(
        stats.near_comparisons <= near_limit(stats.blocks),
        "{}",
        stats.near_comparisons
    );
}

#[test]
fn html_bad_input_gives_a_result() {
    let cleaner = Cleaner::default();
    // A 10 MB attribute, a page that is all script, NUL bytes, unclosed markup.
    let attribute = format!(
        "<div data-x=\"{}\"><p>after the attribute</p></div>",
        "a".repeat(10 << 20)
    );
    let cleaned = cleaner.clean(boildown::Page::html(&attribute), None);
    assert_eq!(cleaned.blocks().len(), 1);
    assert_eq!(cleaned.blocks()[0].text(), "after the attribute");
    let script = format!(
        "<script>{}</script>",
        "var x = '<p>no</p>';\n".repeat(100_000)
    );
    assert_eq!(
        cleaner
            .clean(boildown::Page::html(&script), None)
            .blocks()
            .len(),
        0
    );
    assert!(cleaner
        .clean(boildown::Page::html(""), None)
        .blocks()
        .is_empty());
    let nul = "<p>a\u{0}b</p><p\u{0}>c";
    let _ = cleaner.clean(boildown::Page::html(nul), None);
    let unclosed = "<div><p>one<div><span>two<table><td>three".repeat(10_000);
    assert!(
        cleaner
            .clean(boildown::Page::html(&unclosed), None)
            .blocks()
            .len()
            >= 10_000
    );
    // A PDF or an image passed by mistake: decoded (replaced or detected), cleaned.
    let mut binary = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    binary.extend(random_bytes(1 << 20, 42));
    let decoded = boildown::decode_html(&binary, None);
    let _ = cleaner.clean(boildown::Page::html(&decoded.text), None);
}
