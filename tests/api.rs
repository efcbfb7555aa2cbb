//! The public API: golden fingerprints, report shape, thread safety, and properties
//! checked against a brute-force reference.

mod common;

use boildown::{
    clean, fingerprint, text_blocks, Block, Cleaned, Cleaner, Config, Error, Fingerprint,
    Fingerprints, Reason, Repeat, RepeatPolicy, Run, Stats, TextBlocks, Verdict,
};
use proptest::prelude::*;
// On wasm32 the same tests run under wasm-bindgen-test (scripts/test).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn golden_fingerprints() {
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/golden-fingerprints.json")).unwrap();
    let vectors = golden["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 20);
    for v in vectors {
        let text = v["text"].as_str().unwrap();
        let fp = fingerprint(text);
        assert_eq!(
            fp.exact.to_string(),
            v["exact"].as_str().unwrap(),
            "exact of {text:?}"
        );
        assert_eq!(
            fp.simhash.to_string(),
            v["simhash"].as_str().unwrap(),
            "simhash of {text:?}"
        );
        assert_eq!(
            u64::from(fp.tokens),
            v["tokens"].as_u64().unwrap(),
            "tokens of {text:?}"
        );
    }
}

#[test]
fn exact_is_standard_xxh3_of_the_normalized_text() {
    // XXH3-64 of the empty input, seed 0, from the xxHash reference implementation.
    assert_eq!(fingerprint("").exact.as_u64(), 0x2D06_8005_38D3_94C2);
    assert_eq!(fingerprint("?!").exact.as_u64(), 0x2D06_8005_38D3_94C2);
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Block>();
    check::<Cleaned>();
    check::<Cleaner>();
    check::<Config>();
    check::<Error>();
    check::<Fingerprint>();
    check::<Fingerprints>();
    check::<boildown::Fingerprinter>();
    check::<Reason>();
    check::<Repeat>();
    check::<RepeatPolicy>();
    check::<Run>();
    check::<Stats>();
    check::<TextBlocks<'static>>();
    check::<Verdict>();
}

#[test]
#[cfg(not(target_arch = "wasm32"))] // no threads in wasm32-unknown-unknown
fn one_cleaner_many_threads() {
    let cleaner = Cleaner::new(Config::default()).unwrap();
    let text = common::fixture_text();
    let single = cleaner.clean(boildown::Page::text(&text), None);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| cleaner.clean(boildown::Page::text(&text), None)))
            .collect();
        for h in handles {
            assert_eq!(h.join().unwrap(), single);
        }
    });
}

#[test]
fn report_serializes_as_designed_and_round_trips() {
    let cleaned = clean(boildown::Page::text(&common::fixture_text()));
    let json = serde_json::to_value(&cleaned).unwrap();
    let removed = json["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["verdict"] == "remove")
        .unwrap();
    assert_eq!(removed["reason"]["kind"], "exact_repeat");
    assert!(removed["reason"]["of"].is_u64());
    assert_eq!(removed["reason"]["distance"], 0);
    let back: Cleaned = serde_json::from_value(json).unwrap();
    assert_eq!(back, cleaned);
    // A report whose verdict and reason disagree is rejected, not half-read.
    let bad = r#"{"start":0,"end":1,"text":"x","exact":"0000000000000000",
        "simhash":"0000000000000000","tokens":1,"verdict":"remove","reason":null}"#;
    assert!(serde_json::from_str::<Block>(bad).is_err());
}

#[test]
fn invalid_config_is_an_error() {
    let err = Cleaner::new(Config::default().with_near_distance(33)).unwrap_err();
    assert!(err.to_string().contains("near_distance"), "{err}");
    assert!(Cleaner::new(Config::default().with_near_min_tokens(0)).is_err());
    assert!("xyz".parse::<Fingerprint>().is_err());
}

#[test]
fn aria_hidden_blocks_are_weighed_by_the_classifier_and_left_out_by_dedup_only() {
    let html = "<main><p>A visible paragraph of the story.</p>\
        <div aria-hidden=\"true\"><p>A decorative copy, hidden from screen readers.</p></div></main>";
    let texts = |cleaned: Cleaned| -> Vec<String> {
        cleaned
            .blocks()
            .iter()
            .map(|b| b.text().to_owned())
            .collect()
    };
    let full = texts(Cleaner::default().clean(boildown::Page::html(html), None));
    assert!(
        full.iter().any(|t| t.starts_with("A decorative copy")),
        "{full:?}"
    );
    let dedup = texts(
        Cleaner::new(Config::default().with_dedup_only(true))
            .unwrap()
            .clean(boildown::Page::html(html), None),
    );
    assert_eq!(dedup, ["A visible paragraph of the story."]);
}

/// The brute-force reference for what a block repeats: the first exact copy, else the
/// earliest long-enough first copy within the distance (an O(n²) scan).
fn reference_of(fps: &[Fingerprints], k: u32, m: u32) -> Vec<Option<usize>> {
    let empty = fingerprint("").exact;
    let exact_of: Vec<Option<usize>> = (0..fps.len())
        .map(|i| {
            if fps[i].exact == empty {
                return None;
            }
            (0..i).find(|&j| fps[j].exact == fps[i].exact)
        })
        .collect();
    (0..fps.len())
        .map(|i| {
            exact_of[i].or_else(|| {
                if fps[i].tokens < m {
                    return None;
                }
                (0..i).find(|&j| {
                    exact_of[j].is_none()
                        && fps[j].tokens >= m
                        && fps[j].simhash.hamming(fps[i].simhash) <= k
                })
            })
        })
        .collect()
}

/// Pages made of paragraphs from a small pool, with copies and one-word edits, and
/// line endings of every kind.
fn page_strategy() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "the",
        "council",
        "voted",
        "budget",
        "school",
        "river",
        "bridge",
        "über",
        "Straße",
        "中国",
        "東京",
        "news",
        "2024",
        "€5",
        "—",
        "a",
        "of",
        "and",
        "ÅNGSTRÖM",
        "🙂",
    ]);
    let paragraph = prop::collection::vec(words, 0..40).prop_map(|w| w.join(" "));
    let pool = prop::collection::vec(paragraph, 1..8);
    let picks = prop::collection::vec((any::<prop::sample::Index>(), 0u8..6, any::<u8>()), 0..60);
    let endings = prop::sample::select(vec!["\n", "\r\n", "\r", "\n\n", " \u{a0}\n"]);
    (pool, picks, endings).prop_map(|(pool, picks, ending)| {
        let mut out = String::new();
        for (pick, mode, noise) in picks {
            let mut p = pick.get(&pool).clone();
            if mode == 0 {
                // A one-word edit of a pool paragraph.
                p.push_str(if noise % 2 == 0 {
                    " bridge"
                } else {
                    " river council"
                });
            }
            out.push_str(&p);
            out.push_str(ending);
        }
        out
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn spans_are_ordered_on_boundaries_and_slice_back(input in "(?s)\\PC{0,300}|[a \\r\\n\u{a0}\u{feff}é中]{0,100}") {
        let cleaned = clean(boildown::Page::text(&input));
        let mut last = 0;
        for block in cleaned.blocks() {
            prop_assert!(block.start >= last && block.start < block.end);
            prop_assert!(input.is_char_boundary(block.start) && input.is_char_boundary(block.end));
            prop_assert_eq!(&input[block.start..block.end], block.text());
            prop_assert_eq!(block.text().trim(), block.text());
            last = block.end;
        }
        prop_assert_eq!(text_blocks(&input).count(), cleaned.blocks().len());
    }

    #[test]
    fn verdicts_match_the_brute_force_reference(page in page_strategy(), k in 0u32..16, m in 1u32..20) {
        let cleaner = Cleaner::new(Config::default().with_near_distance(k).with_near_min_tokens(m)).unwrap();
        let cleaned = cleaner.clean(boildown::Page::text(&page), None);
        let fps: Vec<Fingerprints> = cleaned.blocks().iter().map(|b| fingerprint(b.text())).collect();
        let expected = reference_of(&fps, k, m);
        for (i, block) in cleaned.blocks().iter().enumerate() {
            let of = block.verdict.reason().and_then(Reason::repeat).map(|r| r.of);
            prop_assert_eq!(of, expected[i], "block {}", i);
            if let Some(Reason::NearRepeat(r)) = block.verdict.reason() {
                prop_assert_eq!(r.distance, fps[i].simhash.hamming(fps[r.of].simhash));
            }
        }
    }

    #[test]
    fn cleaning_cleaned_output_removes_nothing_more(page in page_strategy(), remove_all in any::<bool>()) {
        let policy = if remove_all { RepeatPolicy::RemoveAll } else { RepeatPolicy::KeepFirst };
        let cleaner = Cleaner::new(Config::default().with_policy(policy)).unwrap();
        let once = cleaner.clean(boildown::Page::text(&page), None);
        let twice = cleaner.clean(boildown::Page::text(once.text()), None);
        prop_assert_eq!(twice.stats().kept, twice.stats().blocks);
        prop_assert_eq!(twice.text(), once.text());
    }

    #[test]
    fn same_input_gives_byte_identical_output(page in page_strategy()) {
        let a = serde_json::to_string(&clean(boildown::Page::text(&page))).unwrap();
        let b = serde_json::to_string(&Cleaner::default().clean(boildown::Page::text(&page.clone()), None)).unwrap();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn runs_are_consistent(page in page_strategy()) {
        let cleaned = clean(boildown::Page::text(&page));
        let blocks = cleaned.blocks();
        for (i, block) in blocks.iter().enumerate() {
            if let Some(run) = block.verdict.reason().and_then(Reason::repeat).and_then(|r| r.run) {
                prop_assert!(run.len >= 2 && run.start <= i && i < run.start + run.len);
                prop_assert!(run.source + run.len <= run.start);
                for t in 0..run.len {
                    prop_assert!(!blocks[run.start + t].verdict.is_keep());
                }
            }
        }
    }
}
