//! The seed page: in-page deduplication removes exactly the expected repeats.

mod common;

use std::collections::BTreeMap;

use boildown::{Cleaner, Config, RepeatPolicy, Verdict};
use common::{expected_repeats, fixture_text, line_of};
// On wasm32 the same tests run under wasm-bindgen-test (scripts/test).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn keep_first_removes_exactly_the_expected_repeats() {
    let text = fixture_text();
    let cleaner = Cleaner::new(Config::default().with_dedup_only(true)).unwrap();
    let cleaned = cleaner.clean(boildown::Page::text(&text), None);
    let blocks = cleaned.blocks();

    let mut removed = BTreeMap::new();
    for block in blocks {
        if let Verdict::Remove(reason) = &block.verdict {
            let of = reason.repeat().expect("a repeat reason").of;
            removed.insert(
                line_of(&text, block.start),
                line_of(&text, blocks[of].start),
            );
        }
    }
    assert_eq!(removed, expected_repeats());

    // Every other non-blank line is kept: 50 lines, of which 22 are blank or white space.
    let kept: Vec<usize> = blocks
        .iter()
        .filter(|b| b.verdict.is_keep())
        .map(|b| line_of(&text, b.start))
        .collect();
    assert_eq!(kept.len() + removed.len(), 28);
    assert!(kept.iter().all(|line| !removed.contains_key(line)));
    assert!(!kept.contains(&15), "line 15 holds only U+00A0");
}

#[test]
fn the_repeated_teaser_is_one_run() {
    let text = fixture_text();
    let cleaned = boildown::clean(boildown::Page::text(&text));
    let blocks = cleaned.blocks();
    // Lines 44-50 (label, label, headline, headline, body) repeat lines 34-40.
    let run_lines: Vec<(usize, usize, usize)> = blocks
        .iter()
        .filter_map(|b| b.verdict.reason()?.repeat()?.run)
        .map(|r| {
            (
                line_of(&text, blocks[r.start].start),
                r.len,
                line_of(&text, blocks[r.source].start),
            )
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(run_lines, [(34, 2, 27), (44, 5, 34)]);
    assert_eq!(cleaned.stats().runs, 2);
}

#[test]
fn main_content_is_kept() {
    let text = fixture_text();
    let cleaned = boildown::clean(boildown::Page::text(&text));
    for line in [1usize, 3, 5, 7, 9, 11, 13, 17, 19, 21, 23] {
        let wanted = text.lines().nth(line - 1).unwrap().trim();
        assert!(cleaned.text().contains(wanted), "line {line} is missing");
    }
}

#[test]
fn remove_all_removes_every_copy() {
    let text = fixture_text();
    let cleaner = Cleaner::new(Config::default().with_policy(RepeatPolicy::RemoveAll)).unwrap();
    let cleaned = cleaner.clean(boildown::Page::text(&text), None);
    let removed: Vec<usize> = cleaned
        .blocks()
        .iter()
        .filter(|b| !b.verdict.is_keep())
        .map(|b| line_of(&text, b.start))
        .collect();
    let repeats = expected_repeats();
    let mut expected: Vec<usize> = repeats.keys().chain(repeats.values()).copied().collect();
    expected.sort_unstable();
    expected.dedup();
    assert_eq!(removed, expected);
}
