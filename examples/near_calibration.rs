//! Measures how far SimHash moves under small edits and how close unrelated paragraphs
//! come, on the paragraphs of real gold texts: the measurement behind the near-repeat
//! defaults (distance `k` and minimum tokens `m`).
//!
//! ```text
//! cargo run --release --example near_calibration -- ../shared/eval
//! ```
//!
//! The datasets are split in two: `wcxb-*` is where the defaults are chosen, the others
//! (CleanEval, CleanPortalEval, Readability cases) are where they are checked.

#[path = "../support/eval_pages.rs"]
mod eval_pages;

use std::collections::HashSet;
use std::path::Path;

use boildown::{fingerprint, normalize, text_blocks};

/// SplitMix64: a small deterministic generator, so every run measures the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct Paragraph {
    page: usize,
    text: String,
    tokens: u32,
}

fn load(dir: &Path, names: &[&str]) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    let mut page = 0;
    for name in names {
        let Ok(list) = eval_pages::dataset::gold_pages(&dir.join(name)) else {
            eprintln!("skipping {name}: no pages.jsonl");
            continue;
        };
        for v in list {
            let Some(gold) = v.gold.as_deref() else {
                continue;
            };
            page += 1;
            for r in text_blocks(gold) {
                let text = &gold[r];
                // Each distinct paragraph once: repeats inside the gold are not edits.
                if !seen.insert(normalize(text)) {
                    continue;
                }
                let tokens = fingerprint(text).tokens;
                out.push(Paragraph {
                    page,
                    text: text.to_owned(),
                    tokens,
                });
            }
        }
    }
    out
}

/// Applies `edits` one-word edits (replace, delete or insert a word) to `text`.
fn edit(text: &str, edits: usize, vocabulary: &[&str], rng: &mut Rng) -> String {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    for _ in 0..edits {
        let at = rng.below(words.len().max(1));
        let word = vocabulary[rng.below(vocabulary.len())];
        match rng.below(3) {
            0 if !words.is_empty() => words[at] = word,
            1 if words.len() > 1 => {
                words.remove(at);
            }
            _ => words.insert(at, word),
        }
    }
    words.join(" ")
}

const BANDS: [(u32, u32); 5] = [(8, 15), (16, 31), (32, 63), (64, 127), (128, u32::MAX)];
const KS: [u32; 8] = [3, 6, 8, 10, 11, 12, 13, 14];

fn measure(label: &str, paragraphs: &[Paragraph], rng: &mut Rng) {
    let vocabulary: Vec<&str> = paragraphs
        .iter()
        .flat_map(|p| p.text.split_whitespace())
        .filter(|w| w.chars().all(char::is_alphabetic) && w.len() > 2)
        .collect();
    println!("\n## {label}: {} distinct paragraphs", paragraphs.len());
    println!(
        "\n| tokens | paragraphs | edit | median d | {} |",
        KS.map(|k| format!("≤{k}")).join(" | ")
    );
    println!("|---|---|---|---|{}", "---|".repeat(KS.len()));
    for (lo, hi) in BANDS {
        let group: Vec<&Paragraph> = paragraphs
            .iter()
            .filter(|p| p.tokens >= lo && p.tokens <= hi)
            .collect();
        if group.len() < 20 {
            continue;
        }
        for edits in [1, 2] {
            let mut distances: Vec<u32> = group
                .iter()
                .map(|p| {
                    let a = fingerprint(&p.text);
                    let b = fingerprint(&edit(&p.text, edits, &vocabulary, rng));
                    a.simhash.hamming(b.simhash)
                })
                .collect();
            distances.sort_unstable();
            let recall = KS.map(|k| {
                let hit = distances.iter().filter(|&&d| d <= k).count();
                format!("{:.1}%", 100.0 * hit as f64 / distances.len() as f64)
            });
            let range = if hi == u32::MAX {
                format!("{lo}+")
            } else {
                format!("{lo}-{hi}")
            };
            println!(
                "| {range} | {} | {edits} word | {} | {} |",
                group.len(),
                distances[distances.len() / 2],
                recall.join(" | ")
            );
        }
    }

    println!("\nFalse matches: pairs of distinct paragraphs, both with at least m tokens.");
    println!(
        "\n| m | pairs | pairs kind | mean d | {} |",
        KS.map(|k| format!("≤{k}")).join(" | ")
    );
    println!("|---|---|---|---|{}", "---|".repeat(KS.len()));
    for m in [8u32, 12, 16, 24, 32] {
        let long: Vec<&Paragraph> = paragraphs.iter().filter(|p| p.tokens >= m).collect();
        let sims: Vec<_> = long.iter().map(|p| fingerprint(&p.text).simhash).collect();
        // Random cross-page pairs, and every same-page pair (the in-page risk).
        let mut cross = Vec::new();
        for _ in 0..200_000 {
            let (a, b) = (rng.below(long.len()), rng.below(long.len()));
            if long[a].page != long[b].page {
                cross.push(sims[a].hamming(sims[b]));
            }
        }
        let mut same = Vec::new();
        let mut start = 0;
        while start < long.len() {
            let mut end = start;
            while end < long.len() && long[end].page == long[start].page {
                end += 1;
            }
            for a in start..end {
                for b in a + 1..end {
                    same.push(sims[a].hamming(sims[b]));
                }
            }
            start = end;
        }
        // Per paragraph: does an earlier distinct paragraph of its own page match it?
        // That is what in-page cleaning of a clean page would wrongly remove.
        let mut flagged = [0usize; KS.len()];
        let mut first_of_page = 0;
        for i in 0..long.len() {
            if i == 0 || long[i].page != long[i - 1].page {
                first_of_page = i;
            }
            let nearest = (first_of_page..i)
                .map(|j| sims[i].hamming(sims[j]))
                .min()
                .unwrap_or(64);
            for (slot, &k) in flagged.iter_mut().zip(KS.iter()) {
                *slot += usize::from(nearest <= k);
            }
            if std::env::var_os("SHOW").is_some() && nearest <= 12 && m == 16 {
                let j = (first_of_page..i)
                    .find(|&j| sims[i].hamming(sims[j]) <= 12)
                    .unwrap();
                println!("  d={nearest}\n    {}\n    {}", long[j].text, long[i].text);
            }
        }
        let rates = flagged.map(|f| format!("{:.2}%", 100.0 * f as f64 / long.len() as f64));
        println!(
            "| {m} | {} | paragraphs matching an earlier one of their page | | {} |",
            long.len(),
            rates.join(" | ")
        );
        for (kind, d) in [("random, other page", &cross), ("same page", &same)] {
            let mean = d.iter().map(|&x| f64::from(x)).sum::<f64>() / d.len().max(1) as f64;
            let rates = KS.map(|k| {
                let hit = d.iter().filter(|&&x| x <= k).count();
                format!("{:.4}%", 100.0 * hit as f64 / d.len().max(1) as f64)
            });
            println!(
                "| {m} | {} | {kind} | {mean:.1} | {} |",
                d.len(),
                rates.join(" | ")
            );
        }
    }
}

/// The near-repeat index's work on one page made of every paragraph: comparisons per
/// indexed block, against the n²/2 of a pairwise scan.
fn index_work(label: &str, paragraphs: &[Paragraph]) {
    let page: String = paragraphs
        .iter()
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let cleaned = boildown::clean(boildown::Page::text(&page));
    let stats = cleaned.stats();
    let long = paragraphs
        .iter()
        .filter(|p| p.tokens >= boildown::DEFAULT_NEAR_MIN_TOKENS)
        .count();
    println!(
        "\nIndex work, {label} as one page: {} blocks, {long} long enough to index, {} comparisons \
         ({:.1} per indexed block; a pairwise scan makes {:.0}), truncated: {}",
        stats.blocks,
        stats.near_comparisons,
        stats.near_comparisons as f64 / long as f64,
        (long as f64) * (long as f64 - 1.0) / 2.0,
        stats.near_search_truncated
    );
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/eval".into());
    let dir = Path::new(&dir);
    let mut rng = Rng(2024);
    let choose = load(dir, &["wcxb-dev-sample", "wcxb-dev-multisite"]);
    measure(
        "choose: wcxb-dev-sample + wcxb-dev-multisite",
        &choose,
        &mut rng,
    );
    index_work("wcxb", &choose);
    let check = load(
        dir,
        &["cleaneval-dev", "cleanportaleval-dev", "readability-cases"],
    );
    measure(
        "check: cleaneval-dev + cleanportaleval-dev + readability-cases",
        &check,
        &mut rng,
    );
    index_work("the check sets", &check);
}
