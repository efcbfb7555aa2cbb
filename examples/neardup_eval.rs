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

use boildown_corpus::minhash::{similarity, MinHashParams, MinHasher, Signature};

struct Pair {
    corpus: String,
    a: Vec<u64>,
    b: Vec<u64>,
    duplicate: bool,
}

fn words(text: &str) -> Vec<u64> {
    boildown::normalize(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.as_bytes()))
        .collect()
}

fn flagged(hasher: &MinHasher, a: &Signature, b: &Signature) -> bool {
    let (ka, kb) = (hasher.band_keys(a), hasher.band_keys(b));
    ka.iter().zip(&kb).any(|(x, y)| x == y) && similarity(a, b) >= hasher.params().threshold
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
    println!(
        "shingle bands rows threshold | P R F1 per corpus ({}) | all",
        corpora.join(", ")
    );
    for shingle in [3, 5, 7, 9] {
        for (bands, rows) in [(14, 8), (20, 5), (9, 13), (32, 4), (16, 6)] {
            for threshold in [0.0, 0.3, 0.5, 0.6, 0.72, 0.8] {
                let hasher = MinHasher::new(MinHashParams {
                    shingle,
                    bands,
                    rows,
                    threshold,
                });
                let mut line = format!("{shingle:>2} {bands:>2} {rows:>2} {threshold:.2} |");
                let mut all = [0usize; 3];
                for corpus in corpora.iter().map(Some).chain([None]) {
                    let (mut tp, mut fp, mut fneg) = (0, 0, 0);
                    for p in pairs
                        .iter()
                        .filter(|p| corpus.is_none_or(|c| &p.corpus == c))
                    {
                        let flag =
                            flagged(&hasher, &hasher.signature(&p.a), &hasher.signature(&p.b));
                        match (flag, p.duplicate) {
                            (true, true) => tp += 1,
                            (true, false) => fp += 1,
                            (false, true) => fneg += 1,
                            _ => {}
                        }
                    }
                    if corpus.is_none() {
                        all = [tp, fp, fneg];
                        continue;
                    }
                    line += &prf(tp, fp, fneg);
                }
                line += " |";
                line += &prf(all[0], all[1], all[2]);
                println!("{line}");
            }
        }
    }
    Ok(())
}

fn prf(tp: usize, fp: usize, fneg: usize) -> String {
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fneg).max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    format!(" {p:.3} {r:.3} {f:.3}")
}
