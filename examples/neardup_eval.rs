//! Near-duplicate detection on the judged pairs of `../shared/eval/neardup-dev` (Webis
//! S3 sample: label ≥ 1 is a near-duplicate): precision, recall and F1 of MinHash with
//! LSH banding for a grid of parameters, on each corpus of the sample (core: news,
//! terabyte: GOV2), so that parameters chosen on one are measured on the other. Each
//! configuration is scored on its counts pooled over 8 draws of hash functions, and
//! the lowest and highest F1 of one draw are shown beside.
//!
//!   cargo run --release --features cli --example neardup_eval [-- ../shared/eval]
//!
//! Words: boildown's normalized tokens (NFKC, case folded, digits folded) of the text,
//! hashed. A pair is flagged when the two signatures share a band and the Jaccard
//! similarity of their shingles reaches the threshold: the exact similarity (the corpus
//! command's check) or the signatures' estimate of it, both in the grid, with both
//! signature schemes (one-permutation, the default, and independent hash functions, as
//! datatrove computes them).
use std::io::Read;
use std::path::PathBuf;

use boildown_corpus::minhash::{
    flagged, shares_band, similarity, word_hashes, MinHashParams, MinHasher, Scheme, Sketch,
};

/// One configuration of the grid: the parameters, and whether candidates are checked on
/// the exact Jaccard similarity of their shingles (as the corpus command does) or on the
/// signatures' estimate of it.
#[derive(Clone, Copy)]
struct Config {
    params: MinHashParams,
    exact: bool,
}

struct Pair {
    corpus: String,
    a: Vec<u64>,
    b: Vec<u64>,
    duplicate: bool,
    /// The sample's own S3 score (the share of word 8-grams in common).
    s3: f64,
}

fn words(text: &str) -> Vec<u64> {
    word_hashes(&boildown::normalize(text))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let eval = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "../shared/eval".into()),
    );
    let file = eval.join("neardup-dev/pairs.jsonl.gz");
    if !file.exists() {
        println!("no {}: nothing to measure", file.display());
        return Ok(());
    }
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&file)?).read_to_string(&mut text)?;
    let mut pairs = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: serde_json::Value = serde_json::from_str(line)?;
        let field = |k: &str| row[k].as_str().unwrap_or_default().to_owned();
        pairs.push(Pair {
            corpus: field("corpus"),
            a: words(&field("a")),
            b: words(&field("b")),
            duplicate: row["label"].as_i64().unwrap_or(0) >= 1,
            s3: row["s3"].as_f64().unwrap_or(0.0),
        });
    }
    let corpora: Vec<String> = {
        let mut c: Vec<String> = pairs.iter().map(|p| p.corpus.clone()).collect();
        c.sort();
        c.dedup();
        c
    };
    println!(
        "{} pairs ({} near-duplicates)",
        pairs.len(),
        pairs.iter().filter(|p| p.duplicate).count()
    );
    // Every configuration's counts per draw of hash functions and per corpus:
    // signatures made once per (shingle, bands, rows, seed), every threshold checked
    // on them. With a few hundred pairs, one draw moves F1 by a few hundredths, so
    // configurations are chosen and measured on the counts pooled over SEEDS draws
    // (seed 0 is the one the corpus command uses).
    const SEEDS: u64 = 8;
    let thresholds: Vec<f64> = (0..=16).map(|i| f64::from(i) * 0.05).collect();
    let mut results: Vec<(Config, Vec<Vec<[usize; 3]>>)> = Vec::new();
    // Band shapes of both schemes; one-permutation signatures cost one hash per
    // shingle whatever their length, so longer ones are tried too.
    let shapes = [
        (14, 8),
        (20, 5),
        (9, 13),
        (32, 4),
        (16, 6),
        (25, 4),
        (20, 3),
        (40, 3),
        (32, 2),
        (64, 2),
    ];
    let longer = [(64, 3), (64, 4), (128, 2), (85, 3), (50, 5)];
    let grid = shapes.iter().map(|&s| (Scheme::Permutations, s)).chain(
        shapes
            .iter()
            .chain(&longer)
            .map(|&s| (Scheme::OnePermutation, s)),
    );
    for (scheme, (bands, rows)) in grid {
        for shingle in [1, 2, 3, 4, 5, 7, 9] {
            let draws: Vec<Vec<(Sketch, Sketch)>> = (0..SEEDS)
                .map(|seed| {
                    let params = MinHashParams {
                        shingle,
                        bands,
                        rows,
                        threshold: 0.0,
                        scheme,
                    };
                    let hasher = MinHasher::with_seed(params, seed);
                    pairs
                        .iter()
                        .map(|p| (hasher.sketch(&p.a), hasher.sketch(&p.b)))
                        .collect()
                })
                .collect();
            for (&threshold, exact) in thresholds.iter().flat_map(|t| [(t, true), (t, false)]) {
                let params = MinHashParams {
                    shingle,
                    bands,
                    rows,
                    threshold,
                    scheme,
                };
                let hasher = MinHasher::new(params);
                let per_seed = draws
                    .iter()
                    .map(|sketches| {
                        let mut counts = vec![[0usize; 3]; corpora.len()];
                        for (p, (a, b)) in pairs.iter().zip(sketches) {
                            let c = corpora.iter().position(|c| *c == p.corpus).unwrap_or(0);
                            let found = if exact {
                                flagged(&hasher, a, b)
                            } else {
                                shares_band(&hasher, &a.signature, &b.signature)
                                    && similarity(&a.signature, &b.signature) >= threshold
                            };
                            tally(&mut counts[c], found, p.duplicate);
                        }
                        counts
                    })
                    .collect();
                results.push((Config { params, exact }, per_seed));
            }
        }
    }
    let f1 = |c: [usize; 3]| prf_values(c[0], c[1], c[2]).2;
    // The counts of the picked corpora, in one draw.
    let sum = |counts: &[[usize; 3]], pick: &dyn Fn(usize) -> bool| {
        counts
            .iter()
            .enumerate()
            .filter(|(i, _)| pick(*i))
            .fold([0; 3], |a, (_, c)| [a[0] + c[0], a[1] + c[1], a[2] + c[2]])
    };
    // ... pooled over the draws.
    let pooled = |draws: &[Vec<[usize; 3]>], pick: &dyn Fn(usize) -> bool| {
        draws
            .iter()
            .map(|counts| sum(counts, pick))
            .fold([0; 3], |a, c| [a[0] + c[0], a[1] + c[1], a[2] + c[2]])
    };
    // The lowest and highest F1 of one draw.
    let spread = |draws: &[Vec<[usize; 3]>], pick: &dyn Fn(usize) -> bool| {
        let f: Vec<f64> = draws.iter().map(|counts| f1(sum(counts, pick))).collect();
        let lo = f.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = f.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        format!("one draw {lo:.3}-{hi:.3}, seed 0 {:.3}", f[0])
    };
    // The best on a set of corpora: of the configurations within TIE of the highest
    // pooled F1 (differences the draws and a few pairs make), the cheapest: the fewest
    // hashes per shingle (the time: 1 for one-permutation, one per value for
    // permutations), then the fewest bands (the memory: 16 bytes per band per row),
    // then the highest F1, then the higher threshold.
    const TIE: f64 = 0.01;
    let cost = |c: &Config| {
        let p = &c.params;
        let per_shingle = match p.scheme {
            Scheme::OnePermutation => 1,
            Scheme::Permutations => p.values(),
        };
        (per_shingle, p.bands)
    };
    let best = |pick: &dyn Fn(usize) -> bool| {
        let top = results
            .iter()
            .map(|(_, c)| f1(pooled(c, pick)))
            .fold(0.0, f64::max);
        results
            .iter()
            .filter(|(_, c)| f1(pooled(c, pick)) >= top - TIE)
            .max_by(|(pa, ca), (pb, cb)| {
                cost(pb)
                    .cmp(&cost(pa))
                    .then_with(|| f1(pooled(ca, pick)).total_cmp(&f1(pooled(cb, pick))))
                    .then_with(|| pa.params.threshold.total_cmp(&pb.params.threshold))
            })
            .expect("configurations")
    };
    let show = |c: &Config| {
        let p = &c.params;
        format!(
            "{}-word shingles, {} bands x {} rows, {:?}, {} check at {:.2}",
            p.shingle,
            p.bands,
            p.rows,
            p.scheme,
            if c.exact { "exact" } else { "estimated" },
            p.threshold
        )
    };
    let line = |counts: [usize; 3]| {
        let (p, r, f) = prf_values(counts[0], counts[1], counts[2]);
        format!("P {p:.3} R {r:.3} F1 {f:.3}")
    };
    println!(
        "{SEEDS} draws of hash functions; P, R and F1 of the counts pooled over them\n\n\
         Chosen on one corpus, measured on the other (the held-out forecast):"
    );
    for (i, train) in corpora.iter().enumerate() {
        let (params, draws) = best(&|c| c == i);
        for (j, test) in corpora.iter().enumerate().filter(|(j, _)| *j != i) {
            println!(
                "  on {train}: {}\n    on {train}: {}; on {test}: {} ({})",
                show(params),
                line(pooled(draws, &|c| c == i)),
                line(pooled(draws, &|c| c == j)),
                spread(draws, &|c| c == j)
            );
        }
    }
    let datatrove = MinHashParams::DATATROVE;
    let mut ranked: Vec<&(Config, Vec<Vec<[usize; 3]>>)> = results.iter().collect();
    ranked.sort_by(|(_, a), (_, b)| f1(pooled(b, &|_| true)).total_cmp(&f1(pooled(a, &|_| true))));
    println!("\nThe best 12 on all pairs:");
    for (params, draws) in ranked.iter().take(12) {
        println!(
            "  {} ({} hashes): {}",
            show(params),
            params.params.values(),
            line(pooled(draws, &|_| true))
        );
    }
    let (params, draws) = best(&|_| true);
    println!("\nChosen on all pairs: {}", show(params));
    println!(
        "  all pairs: {} ({})",
        line(pooled(draws, &|_| true)),
        spread(draws, &|_| true)
    );
    let chosen = Config {
        params: MinHashParams::CHOSEN,
        exact: true,
    };
    let estimated = Config {
        exact: false,
        ..chosen
    };
    let datatrove = Config {
        params: datatrove,
        exact: false,
    };
    for (config, label) in [
        (chosen, format!("The default ({})", show(&chosen))),
        (estimated, "The default with the estimated check".into()),
        (datatrove, "datatrove's defaults (no check)".into()),
        (
            Config {
                params: MinHashParams {
                    threshold: 0.7,
                    ..datatrove.params
                },
                ..datatrove
            },
            "datatrove's bands with an estimated check at 0.70".into(),
        ),
    ] {
        let (_, draws) = results
            .iter()
            .find(|(c, _)| {
                let (p, q) = (&c.params, &config.params);
                (p.shingle, p.bands, p.rows, p.scheme, c.exact)
                    == (q.shingle, q.bands, q.rows, q.scheme, config.exact)
                    && (p.threshold - q.threshold).abs() < 1e-9
            })
            .expect("in the grid");
        let per: Vec<String> = corpora
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}: {}", line(pooled(draws, &|x| x == i))))
            .collect();
        println!(
            "{label}: all pairs {} ({}); {}",
            line(pooled(draws, &|_| true)),
            spread(draws, &|_| true),
            per.join("; ")
        );
    }
    // A reference with no hashing: the sample's S3 score, its threshold chosen on one
    // corpus (the best F1 there) and measured on the other.
    let s3_counts = |corpus: Option<&str>, threshold: f64| {
        pairs
            .iter()
            .filter(|p| corpus.is_none_or(|c| p.corpus == c))
            .fold([0; 3], |mut c, p| {
                tally(&mut c, p.s3 >= threshold, p.duplicate);
                c
            })
    };
    let s3_best = |corpus: Option<&str>| {
        (0..=100)
            .map(|i| f64::from(i) / 100.0)
            .max_by(|a, b| f1(s3_counts(corpus, *a)).total_cmp(&f1(s3_counts(corpus, *b))))
            .expect("thresholds")
    };
    println!("\nReference, the pairs' S3 score (exact 8-gram overlap) with a threshold:");
    for train in &corpora {
        let t = s3_best(Some(train));
        for test in corpora.iter().filter(|c| *c != train) {
            println!(
                "  chosen on {train}: {t:.2}; on {test}: {}",
                line(s3_counts(Some(test), t))
            );
        }
    }
    let t = s3_best(None);
    println!(
        "  chosen on all pairs: {t:.2}; {}",
        line(s3_counts(None, t))
    );
    Ok(())
}

/// Counts one pair into true positives, false positives and false negatives.
fn tally(counts: &mut [usize; 3], flagged: bool, duplicate: bool) {
    match (flagged, duplicate) {
        (true, true) => counts[0] += 1,
        (true, false) => counts[1] += 1,
        (false, true) => counts[2] += 1,
        (false, false) => {}
    }
}

fn prf_values(tp: usize, fp: usize, fneg: usize) -> (f64, f64, f64) {
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}
