//! Near-duplicate detection on the judged pairs of `../shared/eval/neardup-dev` (Webis
//! S3 sample: label ≥ 1 is a near-duplicate): precision, recall and F1 of MinHash with
//! LSH banding for a grid of parameters, on each corpus of the sample (core: news,
//! terabyte: GOV2), so that parameters chosen on one are measured on the other.
//!
//!   cargo run --release --features cli --example neardup_eval [-- ../shared/eval]
//!
//! Words: boildown's normalized tokens (NFKC, case folded, digits folded) of the text,
//! hashed. A pair is flagged when the two signatures share a band and their estimated
//! Jaccard similarity reaches the threshold.
use std::io::Read;
use std::path::PathBuf;

use boildown_corpus::minhash::{flagged, word_hashes, MinHashParams, MinHasher, Signature};

struct Pair {
    corpus: String,
    a: Vec<u64>,
    b: Vec<u64>,
    duplicate: bool,
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
    // Every configuration's counts per corpus: signatures made once per
    // (shingle, bands, rows), every threshold checked on them.
    let thresholds: Vec<f64> = (0..=16).map(|i| f64::from(i) * 0.05).collect();
    let mut results: Vec<(MinHashParams, Vec<[usize; 3]>)> = Vec::new();
    for shingle in [1, 2, 3, 4, 5, 7, 9] {
        for (bands, rows) in [
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
        ] {
            let hasher = MinHasher::new(MinHashParams {
                shingle,
                bands,
                rows,
                threshold: 0.0,
            });
            let sigs: Vec<(Signature, Signature)> = pairs
                .iter()
                .map(|p| (hasher.signature(&p.a), hasher.signature(&p.b)))
                .collect();
            for &threshold in &thresholds {
                let params = MinHashParams {
                    shingle,
                    bands,
                    rows,
                    threshold,
                };
                let hasher = MinHasher::new(params);
                let mut counts = vec![[0usize; 3]; corpora.len()];
                for (p, (a, b)) in pairs.iter().zip(&sigs) {
                    let c = corpora.iter().position(|c| *c == p.corpus).unwrap_or(0);
                    match (flagged(&hasher, a, b), p.duplicate) {
                        (true, true) => counts[c][0] += 1,
                        (true, false) => counts[c][1] += 1,
                        (false, true) => counts[c][2] += 1,
                        _ => {}
                    }
                }
                results.push((params, counts));
            }
        }
    }
    let f1 = |c: [usize; 3]| prf_values(c[0], c[1], c[2]).2;
    let sum = |counts: &[[usize; 3]], pick: &dyn Fn(usize) -> bool| {
        counts
            .iter()
            .enumerate()
            .filter(|(i, _)| pick(*i))
            .fold([0; 3], |a, (_, c)| [a[0] + c[0], a[1] + c[1], a[2] + c[2]])
    };
    // The best on a set of corpora: highest F1, then fewest hashes, then the higher
    // threshold (the cheaper and stricter of equals).
    let best = |pick: &dyn Fn(usize) -> bool| {
        results
            .iter()
            .max_by(|(pa, ca), (pb, cb)| {
                f1(sum(ca, pick))
                    .total_cmp(&f1(sum(cb, pick)))
                    .then_with(|| (pb.bands * pb.rows).cmp(&(pa.bands * pa.rows)))
                    .then_with(|| pa.threshold.total_cmp(&pb.threshold))
            })
            .expect("configurations")
    };
    let show = |p: &MinHashParams| {
        format!(
            "{}-word shingles, {} bands x {} rows, threshold {:.2}",
            p.shingle, p.bands, p.rows, p.threshold
        )
    };
    let line = |counts: [usize; 3]| {
        let (p, r, f) = prf_values(counts[0], counts[1], counts[2]);
        format!("P {p:.3} R {r:.3} F1 {f:.3}")
    };
    println!("\nChosen on one corpus, measured on the other (the held-out forecast):");
    for (i, train) in corpora.iter().enumerate() {
        let (params, _) = best(&|c| c == i);
        for (j, test) in corpora.iter().enumerate().filter(|(j, _)| *j != i) {
            let (_, counts) = results.iter().find(|(p, _)| p == params).expect("chosen");
            println!(
                "  on {train}: {}\n    on {train}: {}; on {test}: {}",
                show(params),
                line(counts[i]),
                line(counts[j])
            );
        }
    }
    let datatrove = MinHashParams {
        shingle: 5,
        bands: 14,
        rows: 8,
        threshold: 0.0,
    };
    let (params, counts) = best(&|_| true);
    println!("\nChosen on all pairs (the default): {}", show(params));
    println!("  all pairs: {}", line(sum(counts, &|_| true)));
    for (params, label) in [
        (datatrove, "datatrove's defaults (no similarity check)"),
        (
            MinHashParams {
                threshold: 0.7,
                ..datatrove
            },
            "datatrove's bands with a 0.70 check",
        ),
    ] {
        let (_, counts) = results
            .iter()
            .find(|(p, _)| {
                (p.shingle, p.bands, p.rows) == (params.shingle, params.bands, params.rows)
                    && (p.threshold - params.threshold).abs() < 1e-9
            })
            .expect("in the grid");
        let per: Vec<String> = corpora
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c}: {}", line(counts[i])))
            .collect();
        println!(
            "{label}: all pairs {}; {}",
            line(sum(counts, &|_| true)),
            per.join("; ")
        );
    }
    Ok(())
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
